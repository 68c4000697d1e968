//! Recovery codes, as SQL both backends run (SQLite's `?N`; PostgreSQL's `$N` through
//! [`super::erasure::postgres_sql`]).
//!
//! A person whose every device is lost gets back into their account with a recovery code: one
//! per person, shown once when they enrol or join (and again whenever a new one is made: after
//! a recovery, or by the operator, `tandem-server recovery-code`), kept here only as the
//! SHA-256 of its normalised text. Using it makes the calling device the person's one device:
//! every other device of theirs is removed (the lost phones), and a new code replaces it.

/// Migration text (SQLite's 7, PostgreSQL's step 5).
pub const MIGRATE_RECOVERY_CODES: &str = "CREATE TABLE recovery_codes (
        person_id TEXT PRIMARY KEY NOT NULL,
        code_hash TEXT NOT NULL UNIQUE,
        created_at BIGINT NOT NULL
     );";

/// `?1` person, `?2` the hash (hex), `?3` when: the person's code, replacing any before.
pub const SET: &str = "INSERT INTO recovery_codes (person_id, code_hash, created_at)
    VALUES (?1, ?2, ?3)
    ON CONFLICT (person_id) DO UPDATE SET code_hash = excluded.code_hash,
        created_at = excluded.created_at";

/// `?1` the hash (hex): whose code it is.
pub const PERSON: &str = "SELECT person_id FROM recovery_codes WHERE code_hash = ?1";

/// `?1` person, `?2` when: every device of theirs removed (a recovery keeps only the device
/// that recovered, added after this).
pub const REMOVE_DEVICES: &str =
    "UPDATE devices SET removed_at = ?2 WHERE person_id = ?1 AND removed_at IS NULL";
