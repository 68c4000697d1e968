//! Documents: one automerge document per sharing scope (docs/DESIGN.md, "Documents and sharing
//! scopes"), and the mapping between them and the typed journey model.
//!
//! Every document starts with a `tandem` header map: `schema` (this layout's version), `kind`,
//! and the people or documents it belongs to. Collections are maps from a random id to a map of
//! fields, so concurrent additions on different devices never collide.

pub(crate) mod check_ins;
pub(crate) mod coaching;
#[cfg(test)]
mod convergence;
pub(crate) mod fields;
pub(crate) mod journey;
mod untrusted;
pub use untrusted::read_untrusted;

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{ActorId, Automerge, ObjType, ROOT};
use samod::DocumentId;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use fields::{map_at, write_fields, Field, Fields, MapReader};

/// The document layout this version writes and the newest it can read.
pub const SCHEMA_VERSION: i64 = 1;

/// What a document holds, and so who may see it: the kinds the server registers.
pub use tandem_protocol::api::DocumentKind as DocKind;

/// The collections each kind of document starts with.
fn collections(kind: DocKind) -> &'static [&'static str] {
    match kind {
        DocKind::Journey => &[
            "settings",
            "values",
            "strengths",
            "supports",
            "visions",
            "goals",
            "plans",
            "reviews",
            "check_in_periods",
        ],
        DocKind::CheckIns => &["check_ins"],
        DocKind::Care => &["consents", "sessions", "alliance_check_ins"],
        DocKind::Coaching => &[
            "consents",
            "conditions",
            "sessions",
            "case_reviews",
            "reflections",
            "alliance_check_ins",
            "parallel_summaries",
            "wellbeing",
            "shared_goals",
        ],
        DocKind::Private => &[
            "reflections",
            "pattern_links",
            "wellbeing",
            "released_figures",
        ],
    }
}

/// A fresh random document id.
pub(crate) fn new_doc_id() -> DocumentId {
    let bytes = tandem_protocol::random::bytes::<16>();
    DocumentId::try_from(bytes.to_vec()).expect("16 bytes make a document id")
}

/// A document id every device derives alike from `parts`, so that two devices creating the
/// same document offline create one document, not two.
pub(crate) fn derived_doc_id(parts: &[&str]) -> DocumentId {
    let digest = digest(parts);
    DocumentId::try_from(digest[..16].to_vec()).expect("16 bytes make a document id")
}

/// SHA-256 over `parts`, each prefixed by its length, so that no two lists of parts hash alike.
pub(crate) fn digest(parts: &[&str]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    hasher.finalize().into()
}

/// A random id for an item inside a document (a value, a goal, a step ...).
pub(crate) fn new_item_id() -> String {
    bs58::encode(tandem_protocol::random::bytes::<6>()).into_string()
}

/// Who makes a document's first change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Made {
    /// Every device makes the same first change (fixed actor and time), so documents created
    /// independently from the same header merge into one (months of check-ins).
    Everywhere,
    /// This device, at this instant (Unix seconds).
    Here(i64),
}

/// Creates a document of `kind` with its header and empty collections; changes after the
/// first use `actor`.
pub(crate) fn genesis(
    kind: DocKind,
    doc_id: &DocumentId,
    header: Fields,
    made: Made,
    actor: &ActorId,
) -> Result<Automerge> {
    let (first_actor, time) = match made {
        Made::Everywhere => (
            ActorId::from(&digest(&["genesis", &doc_id.to_string()])[..16]),
            0,
        ),
        Made::Here(at) => (actor.clone(), at),
    };
    let mut doc = Automerge::new().with_actor(first_actor);
    let mut tx = doc.transaction();
    let head = tx.put_object(ROOT, "tandem", ObjType::Map)?;
    let mut all = vec![
        ("schema", Field::Int(SCHEMA_VERSION)),
        ("kind", Field::str(kind.as_str())),
    ];
    all.extend(header);
    write_fields(&mut tx, &head, &all)?;
    for name in collections(kind) {
        tx.put_object(ROOT, *name, ObjType::Map)?;
    }
    tx.commit_with(CommitOptions::default().with_time(time));
    doc.set_actor(actor.clone());
    Ok(doc)
}

/// A care document (one per practitioner–client pair) or coaching document (one per
/// coach–practitioner pair), naming its two people in its header.
pub(crate) fn new_relationship(
    kind: DocKind,
    doc_id: &DocumentId,
    people: [(&'static str, &str); 2],
    actor: &ActorId,
    now: i64,
) -> Result<Automerge> {
    debug_assert!(matches!(kind, DocKind::Care | DocKind::Coaching));
    let header = people
        .iter()
        .map(|(role, person)| (*role, Field::str(*person)))
        .collect();
    genesis(kind, doc_id, header, Made::Here(now), actor)
}

/// A person's consent to share, as recorded in a care or coaching document.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Consent {
    /// Who consented.
    pub who: String,
    /// With whom they share.
    pub whom: String,
    /// What they share ("journey").
    pub what: String,
    pub when: chrono::DateTime<chrono::Utc>,
    /// The version of the consent text they agreed to.
    pub text_version: String,
    /// That text, as they read it (empty in records made before texts were kept).
    pub text: String,
}

/// Adds a consent record to a care or coaching document.
pub(crate) fn record_consent<T: Transactable + automerge::ReadDoc>(
    tx: &mut T,
    consent: &Consent,
) -> Result<()> {
    let consents = fields::ensure_map(tx, &ROOT, "consents")?;
    let record = tx.put_object(&consents, new_item_id().as_str(), ObjType::Map)?;
    write_fields(
        tx,
        &record,
        &vec![
            ("who", Field::str(&consent.who)),
            ("whom", Field::str(&consent.whom)),
            ("what", Field::str(&consent.what)),
            ("when", Field::str(consent.when.to_rfc3339())),
            ("text_version", Field::str(&consent.text_version)),
            ("text", Field::str(&consent.text)),
        ],
    )
}

/// Sets the name `person` chose for their linked people. Care and coaching documents keep the
/// names of their two people, a private document its owner's, in one map: person id → name.
pub(crate) fn put_name<T: Transactable + automerge::ReadDoc>(
    tx: &mut T,
    person: &str,
    name: &str,
) -> Result<()> {
    let names = fields::ensure_map(tx, &ROOT, "names")?;
    tx.put(&names, person, name)?;
    Ok(())
}

/// Runs automerge on bytes nobody vouches for (a peer's, or a damaged disk's): a panic inside
/// becomes `None`. automerge 0.12's loader panics on some malformed columns (found by fuzzing,
/// `fuzz/corpus/document_bytes/crash-hexane-unpack-*`); the caller treats `None` as damage and
/// drops whatever `f` was changing.
pub(crate) fn no_panic<T>(f: impl FnOnce() -> T) -> Option<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).ok()
}

/// The name `person` chose, as `doc` holds it.
pub(crate) fn name_of(doc: &Automerge, person: &str) -> Option<String> {
    map_at(doc, &ROOT, "names").and_then(|names| MapReader::new(doc, names).str(person))
}

/// Checks that `doc` is a document of `kind` this version can read.
pub(crate) fn check_header(doc: &Automerge, doc_id: &DocumentId, kind: DocKind) -> Result<()> {
    let head = map_at(doc, &ROOT, "tandem")
        .ok_or_else(|| Error::damaged(doc_id, "it has no tandem header"))?;
    let head = MapReader::new(doc, head);
    let schema = head
        .int("schema")
        .ok_or_else(|| Error::damaged(doc_id, "its header has no schema version"))?;
    if schema > SCHEMA_VERSION {
        return Err(Error::NewerSchema {
            doc: doc_id.to_string(),
            found: schema,
            supported: SCHEMA_VERSION,
        });
    }
    let found = head.str("kind").unwrap_or_default();
    if found != kind.as_str() {
        return Err(Error::damaged(
            doc_id,
            format!("it is a {found:?} document, not a {kind} document"),
        ));
    }
    Ok(())
}

/// The header field `key` of `doc`.
pub(crate) fn header_str(doc: &Automerge, key: &str) -> Option<String> {
    map_at(doc, &ROOT, "tandem").and_then(|h| MapReader::new(doc, h).str(key))
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::ReadDoc;

    #[test]
    fn a_document_from_a_newer_version_is_refused_with_a_clear_error() {
        let id = new_doc_id();
        let actor = ActorId::random();
        let mut doc = genesis(DocKind::Journey, &id, vec![], Made::Here(0), &actor).unwrap();
        let mut tx = doc.transaction();
        let head = map_at(&tx, &ROOT, "tandem").unwrap();
        tx.put(&head, "schema", SCHEMA_VERSION + 1).unwrap();
        tx.commit();
        let err = check_header(&doc, &id, DocKind::Journey).unwrap_err();
        assert!(matches!(err, Error::NewerSchema { found, .. } if found == SCHEMA_VERSION + 1));
        assert!(err.to_string().contains("update the app"));
    }

    #[test]
    fn each_sharing_scope_is_its_own_document_naming_its_people() {
        let actor = ActorId::random();
        let care_id = new_doc_id();
        let care = new_relationship(
            DocKind::Care,
            &care_id,
            [("client", "c1"), ("practitioner", "p1")],
            &actor,
            0,
        )
        .unwrap();
        let coaching_id = new_doc_id();
        let coaching = new_relationship(
            DocKind::Coaching,
            &coaching_id,
            [("practitioner", "p1"), ("coach", "k1")],
            &actor,
            0,
        )
        .unwrap();
        check_header(&care, &care_id, DocKind::Care).unwrap();
        check_header(&coaching, &coaching_id, DocKind::Coaching).unwrap();
        assert_eq!(header_str(&care, "client").as_deref(), Some("c1"));
        assert_eq!(header_str(&coaching, "coach").as_deref(), Some("k1"));
        assert!(map_at(&care, &ROOT, "consents").is_some());
        assert!(map_at(&coaching, &ROOT, "case_reviews").is_some());
        assert!(
            map_at(&care, &ROOT, "values").is_none(),
            "no journey data in a care document"
        );
    }

    #[test]
    fn a_document_of_another_kind_is_not_read_as_a_journey() {
        let id = new_doc_id();
        let doc = genesis(
            DocKind::Private,
            &id,
            vec![],
            Made::Here(0),
            &ActorId::random(),
        )
        .unwrap();
        assert!(matches!(
            check_header(&doc, &id, DocKind::Journey),
            Err(Error::Damaged { .. })
        ));
    }

    #[test]
    fn two_devices_creating_the_same_derived_document_offline_make_one_document() {
        let id = derived_doc_id(&["journey-x", "2026-11"]);
        let header = || vec![("period", Field::str("2026-11"))];
        let mut a = genesis(
            DocKind::CheckIns,
            &id,
            header(),
            Made::Everywhere,
            &ActorId::random(),
        )
        .unwrap();
        let mut b = genesis(
            DocKind::CheckIns,
            &id,
            header(),
            Made::Everywhere,
            &ActorId::random(),
        )
        .unwrap();
        assert_eq!(a.get_heads(), b.get_heads());
        let mut tx = a.transaction();
        let list = map_at(&tx, &ROOT, "check_ins").unwrap();
        tx.put(&list, "from-a", 1).unwrap();
        tx.commit();
        let mut tx = b.transaction();
        let list = map_at(&tx, &ROOT, "check_ins").unwrap();
        tx.put(&list, "from-b", 2).unwrap();
        tx.commit();
        a.merge(&mut b).unwrap();
        let list = map_at(&a, &ROOT, "check_ins").unwrap();
        assert_eq!(
            a.keys(&list).count(),
            2,
            "both devices' entries survive the merge"
        );
    }
}
