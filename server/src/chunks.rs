//! Just enough of automerge's binary formats to read hashes from the front of a chunk, without
//! loading a document: the heads a sync message advertises, the heads a saved document holds, and
//! the dependencies of a change. The layouts are automerge's stable storage and sync formats
//! (see automerge's `storage/chunk.rs`, `storage/document.rs` and `sync.rs`).

use automerge::ChangeHash;

const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
const CHUNK_DOCUMENT: u8 = 0;
const CHUNK_CHANGE: u8 = 1;
const SYNC_V1: u8 = 0x42;
const SYNC_V2: u8 = 0x43;
/// No real document has more heads than this; a larger count means a damaged chunk.
const MAX_HASHES: u64 = 1 << 16;

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    fn byte(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn uleb(&mut self) -> Option<u64> {
        let mut value: u64 = 0;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    fn hashes(&mut self) -> Option<Vec<ChangeHash>> {
        let count = self.uleb()?;
        if count > MAX_HASHES {
            return None;
        }
        (0..count)
            .map(|_| ChangeHash::try_from(self.take(32)?).ok())
            .collect()
    }

    /// Reads a chunk header and answers the chunk's type.
    fn chunk_header(&mut self) -> Option<u8> {
        if self.take(4)? != MAGIC {
            return None;
        }
        self.take(4)?; // checksum
        let kind = self.byte()?;
        self.uleb()?; // length
        Some(kind)
    }
}

/// The heads advertised by an encoded automerge sync message.
pub fn sync_message_heads(message: &[u8]) -> Option<Vec<ChangeHash>> {
    let mut r = Reader(message);
    match r.byte()? {
        SYNC_V1 | SYNC_V2 => r.hashes(),
        _ => None,
    }
}

/// The heads of a saved document (`Automerge::save`).
pub fn document_heads(saved: &[u8]) -> Option<Vec<ChangeHash>> {
    let mut r = Reader(saved);
    if r.chunk_header()? != CHUNK_DOCUMENT {
        return None;
    }
    let actors = r.uleb()?;
    for _ in 0..actors {
        let len = r.uleb()?;
        r.take(usize::try_from(len).ok()?)?;
    }
    r.hashes()
}

/// The dependencies of one change chunk (`Change::raw_bytes`).
pub fn change_deps(change: &[u8]) -> Option<Vec<ChangeHash>> {
    let mut r = Reader(change);
    if r.chunk_header()? != CHUNK_CHANGE {
        return None;
    }
    r.hashes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::sync::SyncDoc;
    use automerge::transaction::Transactable;
    use automerge::{AutoCommit, Automerge, ROOT};

    fn doc_with_branches() -> Automerge {
        let mut a = AutoCommit::new();
        a.put(ROOT, "x", 1).unwrap();
        a.commit();
        let mut b = a.fork();
        a.put(ROOT, "a", "from a").unwrap();
        a.commit();
        b.put(ROOT, "b", "from b").unwrap();
        b.commit();
        a.merge(&mut b).unwrap();
        a.document().clone()
    }

    #[test]
    fn reads_the_heads_of_a_saved_document_with_two_branches() {
        let doc = doc_with_branches();
        let mut heads = doc.get_heads();
        assert_eq!(heads.len(), 2);
        let mut read = document_heads(&doc.save()).unwrap();
        heads.sort();
        read.sort();
        assert_eq!(read, heads);
    }

    #[test]
    fn reads_the_deps_of_each_change() {
        let doc = doc_with_branches();
        for change in doc.get_changes(&[]) {
            let mut deps = change_deps(change.raw_bytes()).unwrap();
            let mut expected = change.deps().to_vec();
            deps.sort();
            expected.sort();
            assert_eq!(deps, expected);
        }
    }

    #[test]
    fn reads_the_heads_of_a_sync_message() {
        let doc = doc_with_branches();
        let mut state = automerge::sync::State::new();
        let message = doc.generate_sync_message(&mut state).unwrap();
        let mut heads = doc.get_heads();
        heads.sort();
        assert_eq!(sync_message_heads(&message.encode()).unwrap(), heads);
    }

    #[test]
    fn junk_is_not_read_as_anything() {
        for junk in [
            &b""[..],
            b"\x42",
            b"\x42\xff",
            b"hello world",
            &[0x85, 0x6f, 0x4a],
        ] {
            assert_eq!(sync_message_heads(junk), None);
            assert_eq!(document_heads(junk), None);
            assert_eq!(change_deps(junk), None);
        }
        let doc = doc_with_branches();
        assert_eq!(change_deps(&doc.save()), None);
        let change = doc.get_changes(&[])[0].raw_bytes().to_vec();
        assert_eq!(document_heads(&change), None);
    }
}
