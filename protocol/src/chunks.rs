//! What kinds of automerge chunk a sync message carries, read from their headers alone.
//!
//! automerge 0.12 allocates without bound for some malformed *bundle* chunks (found by
//! fuzzing: 244 bytes make it reserve 4 GiB; fuzz/README.md). Bundles are a storage form: a
//! device writes them to its own disk when it compacts, and automerge's sync (V1 change
//! chunks, V2 a compressed document) never sends one. So a sync message carrying a bundle is
//! refused by whoever receives it — the server for a device, a device for the server — before
//! automerge parses it.

const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
/// automerge's chunk type byte for a bundle.
const BUNDLE: u8 = 3;

/// Whether any of `chunks` (a sync message's changes: each one or more chunks back to back)
/// holds a bundle chunk. Bytes that do not read as chunks are left to automerge, which refuses
/// them.
pub fn carries_bundle<'a>(chunks: impl IntoIterator<Item = &'a [u8]>) -> bool {
    chunks.into_iter().any(|bytes| {
        let mut rest = bytes;
        while rest.len() >= 9 && rest[..4] == MAGIC {
            if rest[8] == BUNDLE {
                return true;
            }
            let Some((length, used)) = uleb(&rest[9..]) else {
                return false;
            };
            let Some(next) = usize::try_from(length)
                .ok()
                .and_then(|l| l.checked_add(9 + used))
            else {
                return false;
            };
            if next > rest.len() {
                return false;
            }
            rest = &rest[next..];
        }
        false
    })
}

/// An unsigned LEB128 number at the front of `bytes`, and how many bytes it took.
fn uleb(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value: u64 = 0;
    for (i, byte) in bytes.iter().take(10).enumerate() {
        value |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(kind: u8, body: &[u8]) -> Vec<u8> {
        let mut c = MAGIC.to_vec();
        c.extend([0, 0, 0, 0, kind, body.len() as u8]);
        c.extend(body);
        c
    }

    #[test]
    fn a_bundle_is_found_alone_or_after_other_chunks() {
        let change = chunk(1, b"change");
        let bundle = chunk(3, b"bundle");
        assert!(!carries_bundle([change.as_slice()]));
        assert!(carries_bundle([bundle.as_slice()]));
        let both = [change.clone(), bundle].concat();
        assert!(carries_bundle([change.as_slice(), both.as_slice()]));
        assert!(!carries_bundle([&b"not a chunk"[..], &[0x85, 0x6f][..]]));
    }
}
