//! The directory in the server's SQLite file (tables in `db.rs`): one connection, one
//! transaction at a time.

use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;
use rusqlite::{params, Connection, OptionalExtension};
use tandem_protocol::api::{Access, DocumentKind, Handover, InvitationKind, Role};
use tandem_storage::blocking;
use tokio::sync::{Mutex, OwnedMutexGuard};

use super::backend::{Backend, CodeRow, Consent, DeviceRow, InvitationRow, Membership, Mode, Rows};
use super::{erasure, handover, recovery, Document, LinkKind, Person, Result};
use crate::db;

/// The directory's SQLite connection.
pub struct SqliteBackend {
    conn: Arc<Mutex<Connection>>,
    server_id: String,
}

impl SqliteBackend {
    /// Opens the directory in `data_dir`, making the server's id on first start.
    pub fn open(data_dir: &Path) -> Result<Self, db::OpenError> {
        Ok(Self::new(db::open(data_dir)?)?)
    }

    /// The directory on an open, migrated connection.
    pub fn new(conn: Connection) -> rusqlite::Result<Self> {
        let fresh = bs58::encode(rand::random::<[u8; 16]>()).into_string();
        conn.execute(
            "INSERT OR IGNORE INTO server (id, server_id, created_at) VALUES (1, ?1, ?2)",
            params![fresh, chrono::Utc::now().timestamp()],
        )?;
        let server_id = conn.query_row("SELECT server_id FROM server WHERE id = 1", [], |r| {
            r.get(0)
        })?;
        Ok(SqliteBackend {
            conn: Arc::new(Mutex::new(conn)),
            server_id,
        })
    }
}

impl SqliteBackend {
    async fn start(&self, mode: Mode) -> Result<SqliteRows> {
        let conn = self.conn.clone().lock_owned().await;
        let begin = match mode {
            Mode::Look => None,
            Mode::Snapshot => Some("BEGIN DEFERRED"),
            // Takes the write lock now: a second process (`tandem-server enrol`) waits for it
            // (busy timeout) instead of failing halfway.
            Mode::Write => Some("BEGIN IMMEDIATE"),
        };
        let mut rows = SqliteRows { conn, open: false };
        if let Some(begin) = begin {
            rows.run(|c| c.execute_batch(begin))?;
            rows.open = true;
        }
        Ok(rows)
    }
}

#[async_trait]
impl Backend for SqliteBackend {
    fn server_id(&self) -> &str {
        &self.server_id
    }

    async fn begin(&self, mode: Mode) -> Result<Box<dyn Rows>> {
        Ok(Box::new(self.start(mode).await?))
    }

    async fn remember_nonce(&self, nonce: &str, expires_at: i64, now: i64) -> Result<bool> {
        let mut tx = self.start(Mode::Write).await?;
        let added = tx.run(|c| {
            c.prepare_cached("DELETE FROM nonces WHERE expires_at < ?1")?
                .execute(params![now])?;
            c.prepare_cached("INSERT OR IGNORE INTO nonces (nonce, expires_at) VALUES (?1, ?2)")?
                .execute(params![nonce, expires_at])
        })?;
        Box::new(tx).commit().await?;
        Ok(added == 1)
    }
}

/// One transaction on the connection (or, for [`Mode::Look`], the connection itself).
struct SqliteRows {
    conn: OwnedMutexGuard<Connection>,
    /// A transaction is open: rolled back if dropped before [`Rows::commit`].
    open: bool,
}

impl SqliteRows {
    /// Runs `f` on the connection, off the async executor's worker (a statement may wait for
    /// another process's write as well as run).
    fn run<T>(&mut self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T> {
        let conn = &*self.conn;
        Ok(blocking(|| f(conn))?)
    }
}

impl Drop for SqliteRows {
    fn drop(&mut self) {
        if self.open {
            if let Err(err) = self.conn.execute_batch("ROLLBACK") {
                tracing::error!(%err, "directory rollback failed");
            }
        }
    }
}

fn bad_word(column: &str, word: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Text,
        format!("unknown {column} {word:?}").into(),
    )
}

fn person(conn: &Connection, person_id: &str) -> rusqlite::Result<Option<Person>> {
    conn.prepare_cached(
        "SELECT person_id, role, journey_id, private_id FROM people WHERE person_id = ?1",
    )?
    .query_row(params![person_id], |r| {
        let role: String = r.get(1)?;
        Ok(Person {
            person_id: r.get(0)?,
            role: Role::parse(&role).ok_or_else(|| bad_word("role", &role))?,
            journey_id: r.get(2)?,
            private_id: r.get(3)?,
        })
    })
    .optional()
}

fn document(conn: &Connection, doc_id: &str) -> rusqlite::Result<Option<Document>> {
    conn.prepare_cached(
        "SELECT doc_id, kind, owner, journey_id, with_person FROM documents WHERE doc_id = ?1",
    )?
    .query_row(params![doc_id], |r| {
        let kind: String = r.get(1)?;
        Ok(Document {
            doc_id: r.get(0)?,
            kind: DocumentKind::parse(&kind).ok_or_else(|| bad_word("kind", &kind))?,
            owner: r.get(2)?,
            journey_id: r.get(3)?,
            with_person: r.get(4)?,
        })
    })
    .optional()
}

fn feed_cursor(conn: &Connection) -> rusqlite::Result<u64> {
    let seq: i64 = conn
        .prepare_cached("SELECT seq FROM change_feed WHERE id = 1")?
        .query_row([], |r| r.get(0))?;
    Ok(u64::try_from(seq).unwrap_or(0))
}

#[async_trait]
impl Rows for SqliteRows {
    async fn person(&mut self, person_id: &str) -> Result<Option<Person>> {
        self.run(|c| person(c, person_id))
    }

    async fn device_owner(&mut self, device_id: &str) -> Result<Option<String>> {
        self.run(|c| {
            c.prepare_cached(
                "SELECT person_id FROM devices WHERE device_id = ?1 AND removed_at IS NULL",
            )?
            .query_row(params![device_id], |r| r.get(0))
            .optional()
        })
    }

    async fn device_removed_at(&mut self, device_id: &str) -> Result<Option<i64>> {
        self.run(|c| {
            c.prepare_cached("SELECT removed_at FROM devices WHERE device_id = ?1")?
                .query_row(params![device_id], |r| r.get::<_, Option<i64>>(0))
                .optional()
                .map(Option::flatten)
        })
    }

    async fn devices_of(&mut self, person_id: &str) -> Result<Vec<DeviceRow>> {
        self.run(|c| {
            c.prepare_cached(
                "SELECT device_id, name, created_at, last_seen_at FROM devices
                 WHERE person_id = ?1 AND removed_at IS NULL ORDER BY created_at, device_id",
            )?
            .query_map(params![person_id], |r| {
                Ok(DeviceRow {
                    device_id: r.get(0)?,
                    name: r.get(1)?,
                    created_at: r.get(2)?,
                    last_seen_at: r.get(3)?,
                })
            })?
            .collect()
        })
    }

    async fn document(&mut self, doc_id: &str) -> Result<Option<Document>> {
        self.run(|c| document(c, doc_id))
    }

    async fn access(&mut self, doc_id: &str, person_id: &str) -> Result<Option<Access>> {
        // The rule is the `document_access` view of `db.rs`.
        let word: Option<String> = self.run(|c| {
            c.prepare_cached(
                "SELECT access FROM document_access WHERE doc_id = ?1 AND person_id = ?2",
            )?
            .query_row(params![doc_id, person_id], |r| r.get(0))
            .optional()
        })?;
        Ok(word.and_then(|w| Access::parse(&w)))
    }

    async fn feed_cursor(&mut self) -> Result<u64> {
        self.run(feed_cursor)
    }

    async fn changed_since(&mut self, person_id: &str, since: u64) -> Result<Vec<String>> {
        let since = i64::try_from(since).unwrap_or(i64::MAX);
        self.run(|c| {
            c.prepare_cached(
                "SELECT c.doc_id FROM doc_changes c
                 JOIN document_access a ON a.doc_id = c.doc_id AND a.person_id = ?1
                 WHERE c.seq > ?2 ORDER BY c.seq",
            )?
            .query_map(params![person_id, since], |r| r.get(0))?
            .collect()
        })
    }

    async fn viewers(&mut self, doc_ids: &[String]) -> Result<Vec<String>> {
        self.run(|c| {
            let mut query =
                c.prepare_cached("SELECT person_id FROM document_access WHERE doc_id = ?1")?;
            let mut people = std::collections::BTreeSet::new();
            for doc_id in doc_ids {
                for person in query.query_map(params![doc_id], |r| r.get::<_, String>(0))? {
                    people.insert(person?);
                }
            }
            Ok(people.into_iter().collect())
        })
    }

    async fn link_between(
        &mut self,
        a: &str,
        b: &str,
    ) -> Result<Option<(LinkKind, Option<String>)>> {
        let row: Option<(String, Option<String>)> = self.run(|c| {
            c.prepare_cached(
                "SELECT kind, relationship_doc FROM links
                 WHERE (supporter = ?1 AND supported = ?2) OR (supporter = ?2 AND supported = ?1)",
            )?
            .query_row(params![a, b], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
        })?;
        Ok(row.and_then(|(kind, doc)| LinkKind::parse(&kind).map(|k| (k, doc))))
    }

    async fn links_of(&mut self, person_id: &str) -> Result<Vec<(String, String, Option<String>)>> {
        self.run(|c| {
            c.prepare_cached(
                "SELECT supporter, supported, relationship_doc FROM links
                 WHERE supporter = ?1 OR supported = ?1 ORDER BY created_at, supporter, supported",
            )?
            .query_map(params![person_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect()
        })
    }

    async fn code(&mut self, hash: &[u8]) -> Result<Option<CodeRow>> {
        self.run(|c| {
            c.prepare_cached(
                "SELECT purpose, role, expires_at, used_at FROM codes WHERE code_hash = ?1",
            )?
            .query_row(params![hash], |r| {
                Ok(CodeRow {
                    purpose: r.get(0)?,
                    role: r.get(1)?,
                    expires_at: r.get(2)?,
                    used_at: r.get(3)?,
                })
            })
            .optional()
        })
    }

    async fn invitation(&mut self, hash: &[u8]) -> Result<Option<InvitationRow>> {
        self.run(|c| {
            c.prepare_cached(
                "SELECT kind, inviter, from_name FROM invitations WHERE code_hash = ?1",
            )?
            .query_row(params![hash], |r| {
                let kind: String = r.get(0)?;
                Ok(InvitationRow {
                    kind: InvitationKind::parse(&kind).ok_or_else(|| bad_word("kind", &kind))?,
                    inviter: r.get(1)?,
                    from_name: r.get(2)?,
                })
            })
            .optional()
        })
    }

    async fn last_consent_version(&mut self, person_id: &str) -> Result<Option<String>> {
        self.run(|c| {
            c.prepare_cached(
                "SELECT consent_text_version FROM consents
                 WHERE who = ?1 AND consent_text_version IS NOT NULL ORDER BY id DESC LIMIT 1",
            )?
            .query_row(params![person_id], |r| r.get(0))
            .optional()
        })
    }

    async fn insert_person(&mut self, p: &Person, at: i64) -> Result<()> {
        self.run(|c| {
            c.prepare_cached(
                "INSERT INTO people (person_id, role, journey_id, private_id, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                p.person_id,
                p.role.as_str(),
                p.journey_id,
                p.private_id,
                at
            ])
            .map(drop)
        })
    }

    async fn insert_device(&mut self, device_id: &str, person_id: &str, at: i64) -> Result<()> {
        self.run(|c| {
            c.prepare_cached(
                "INSERT INTO devices (device_id, person_id, created_at) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![device_id, person_id, at])
            .map(drop)
        })
    }

    async fn remove_device(&mut self, device_id: &str, at: i64) -> Result<bool> {
        self.run(|c| {
            c.prepare_cached(
                "UPDATE devices SET removed_at = ?2 WHERE device_id = ?1 AND removed_at IS NULL",
            )?
            .execute(params![device_id, at])
            .map(|n| n == 1)
        })
    }

    async fn touch_device(&mut self, device_id: &str, at: i64) -> Result<()> {
        self.run(|c| {
            c.prepare_cached(
                "UPDATE devices SET last_seen_at = ?2 WHERE device_id = ?1
                 AND (last_seen_at IS NULL OR last_seen_at < ?2 - 60)",
            )?
            .execute(params![device_id, at])
            .map(drop)
        })
    }

    async fn name_device(&mut self, device_id: &str, name: &str) -> Result<()> {
        self.run(|c| {
            c.prepare_cached("UPDATE devices SET name = ?2 WHERE device_id = ?1")?
                .execute(params![device_id, name])
                .map(drop)
        })
    }

    async fn record_access(
        &mut self,
        doc_id: &str,
        device_id: &str,
        person_id: &str,
        at: i64,
    ) -> Result<()> {
        self.run(|c| {
            c.prepare_cached(
                "INSERT INTO access_log (doc_id, device_id, person_id, last_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (doc_id, device_id) DO UPDATE SET last_at = excluded.last_at",
            )?
            .execute(params![doc_id, device_id, person_id, at])
            .map(drop)
        })
    }

    async fn access_log_of(&mut self, owner: &str) -> Result<Vec<(String, String, i64)>> {
        self.run(|c| {
            c.prepare_cached(
                "SELECT a.person_id, a.device_id, MAX(a.last_at) AS seen FROM access_log a
                 JOIN documents d ON d.doc_id = a.doc_id
                 WHERE d.owner = ?1 AND a.person_id <> ?1 AND d.kind IN ('journey', 'check_ins')
                 GROUP BY a.person_id, a.device_id ORDER BY seen DESC, a.person_id, a.device_id",
            )?
            .query_map(params![owner], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect()
        })
    }

    async fn withdraw(
        &mut self,
        doc_id: &str,
        person_id: &str,
        reason: &str,
        at: i64,
    ) -> Result<()> {
        self.run(|c| {
            c.prepare_cached(erasure::WITHDRAW)?
                .execute(params![doc_id, person_id, reason, at])
                .map(drop)
        })
    }

    async fn unwithdraw(&mut self, doc_id: &str, person_id: &str) -> Result<()> {
        self.run(|c| {
            c.prepare_cached(erasure::UNWITHDRAW)?
                .execute(params![doc_id, person_id])
                .map(drop)
        })
    }

    async fn withdrawn_for(&mut self, person_id: &str) -> Result<Vec<(String, String, i64)>> {
        self.run(|c| {
            c.prepare_cached(erasure::WITHDRAWN_FOR)?
                .query_map(params![person_id], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })?
                .collect()
        })
    }

    async fn erased_at(&mut self, id: &str) -> Result<Option<i64>> {
        self.run(|c| {
            c.prepare_cached(erasure::ERASED_AT)?
                .query_row(params![id], |r| r.get(0))
                .optional()
        })
    }

    async fn set_recovery_code(&mut self, person_id: &str, code_hash: &str, at: i64) -> Result<()> {
        self.run(|c| {
            c.prepare_cached(recovery::SET)?
                .execute(params![person_id, code_hash, at])
                .map(drop)
        })
    }

    async fn recovery_person(&mut self, code_hash: &str) -> Result<Option<String>> {
        self.run(|c| {
            c.prepare_cached(recovery::PERSON)?
                .query_row(params![code_hash], |r| r.get(0))
                .optional()
        })
    }

    async fn remove_devices_of(&mut self, person_id: &str, at: i64) -> Result<()> {
        self.run(|c| {
            c.prepare_cached(recovery::REMOVE_DEVICES)?
                .execute(params![person_id, at])
                .map(drop)
        })
    }

    async fn erase_person(&mut self, person_id: &str, at: i64) -> Result<Vec<String>> {
        self.run(|c| {
            let people = c
                .prepare(erasure::PEOPLE_TO_TELL)?
                .query_map(params![person_id], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            let docs = c
                .prepare(erasure::DOCUMENTS_OF)?
                .query_map(params![person_id], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            for doc in &docs {
                let (from, to) = erasure::row_range(doc);
                c.prepare_cached(erasure::DELETE_ROWS)?
                    .execute(params![from, to])?;
            }
            run_in_order(c, erasure::ERASE, person_id, at)?;
            Ok(people)
        })
    }

    async fn deactivated_at(&mut self, person_id: &str) -> Result<Option<i64>> {
        self.run(|c| {
            c.prepare_cached(handover::DEACTIVATED_AT)?
                .query_row(params![person_id], |r| r.get(0))
                .optional()
        })
    }

    async fn offer_handovers(
        &mut self,
        from: &str,
        to: &str,
        to_name: Option<&str>,
        at: i64,
    ) -> Result<usize> {
        self.run(|c| {
            c.prepare_cached(handover::OFFER)?
                .execute(params![from, to, to_name, at])
        })
    }

    async fn handovers_for(&mut self, client: &str) -> Result<Vec<Handover>> {
        let rows = self.run(|c| {
            c.prepare_cached(handover::OFFERS_FOR)?
                .query_map(params![client], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })?
                .collect::<rusqlite::Result<Vec<(String, String, Option<String>, i64)>>>()
        })?;
        Ok(rows.into_iter().map(handover::offer).collect())
    }

    async fn take_handover(
        &mut self,
        client: &str,
        to: &str,
    ) -> Result<Option<(String, Option<String>)>> {
        self.run(|c| {
            c.prepare_cached(handover::TAKE)?
                .query_row(params![client, to], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()
        })
    }

    async fn deactivate(&mut self, person_id: &str, at: i64) -> Result<Vec<String>> {
        self.run(|c| {
            let people = c
                .prepare(handover::PEOPLE_TO_TELL)?
                .query_map(params![person_id], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            run_in_order(c, handover::DEACTIVATE, person_id, at)?;
            Ok(people)
        })
    }

    async fn insert_document(&mut self, doc: &Document, at: i64) -> Result<()> {
        self.run(|c| {
            c.prepare_cached(
                "INSERT INTO documents (doc_id, kind, owner, journey_id, with_person, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                doc.doc_id,
                doc.kind.as_str(),
                doc.owner,
                doc.journey_id,
                doc.with_person,
                at
            ])
            .map(drop)
        })
    }

    async fn set_membership(&mut self, m: Membership<'_>) -> Result<()> {
        self.run(|c| {
            c.prepare_cached(
                "INSERT INTO memberships (doc_id, person_id, access, granted_by, granted_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (doc_id, person_id) DO UPDATE
                 SET access = excluded.access, granted_by = excluded.granted_by,
                     granted_at = excluded.granted_at",
            )?
            .execute(params![
                m.doc_id,
                m.person_id,
                m.access.as_str(),
                m.granted_by,
                m.at
            ])
            .map(drop)
        })
    }

    async fn delete_membership(&mut self, doc_id: &str, person_id: &str) -> Result<()> {
        self.run(|c| {
            c.prepare_cached("DELETE FROM memberships WHERE doc_id = ?1 AND person_id = ?2")?
                .execute(params![doc_id, person_id])
                .map(drop)
        })
    }

    async fn record_consent(&mut self, k: Consent<'_>) -> Result<()> {
        self.run(|c| {
            c.prepare_cached(
                "INSERT INTO consents (who, whom, what, access, action, at, consent_text_version)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                k.who,
                k.whom,
                k.what,
                k.access.map(Access::as_str),
                k.action,
                k.at,
                k.consent_text_version
            ])
            .map(drop)
        })
    }

    async fn insert_code(
        &mut self,
        hash: &[u8],
        purpose: &str,
        role: Option<Role>,
        at: i64,
        expires_at: i64,
    ) -> Result<()> {
        self.run(|c| {
            c.prepare_cached(
                "INSERT INTO codes (code_hash, purpose, role, created_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                hash,
                purpose,
                role.map(Role::as_str),
                at,
                expires_at
            ])
            .map(drop)
        })
    }

    async fn insert_invitation(
        &mut self,
        hash: &[u8],
        kind: InvitationKind,
        inviter: &str,
        from_name: Option<&str>,
    ) -> Result<()> {
        self.run(|c| {
            c.prepare_cached(
                "INSERT INTO invitations (code_hash, kind, inviter, from_name)
                 VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![hash, kind.as_str(), inviter, from_name])
            .map(drop)
        })
    }

    async fn use_code(&mut self, hash: &[u8], device_id: &str, at: i64) -> Result<bool> {
        self.run(|c| {
            let changed = c
                .prepare_cached(
                    "UPDATE codes SET used_at = ?2, used_by = ?3
                     WHERE code_hash = ?1 AND used_at IS NULL",
                )?
                .execute(params![hash, at, device_id])?;
            c.prepare_cached("UPDATE invitations SET from_name = NULL WHERE code_hash = ?1")?
                .execute(params![hash])?;
            Ok(changed == 1)
        })
    }

    async fn insert_link(
        &mut self,
        supporter: &str,
        supported: &str,
        kind: LinkKind,
        at: i64,
    ) -> Result<()> {
        self.run(|c| {
            c.prepare_cached(
                "INSERT OR IGNORE INTO links (supporter, supported, kind, created_at)
                 VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![supporter, supported, kind.as_str(), at])
            .map(drop)
        })
    }

    async fn set_relationship_doc(&mut self, a: &str, b: &str, doc_id: &str) -> Result<()> {
        self.run(|c| {
            c.prepare_cached(
                "UPDATE links SET relationship_doc = ?3
                 WHERE relationship_doc IS NULL
                   AND ((supporter = ?1 AND supported = ?2) OR (supporter = ?2 AND supported = ?1))",
            )?
            .execute(params![a, b, doc_id])
            .map(drop)
        })
    }

    async fn commit(mut self: Box<Self>) -> Result<()> {
        if self.open {
            self.run(|c| c.execute_batch("COMMIT"))?;
            self.open = false;
        }
        Ok(())
    }
}

/// Runs `statements` in order, each with the parameters it uses of `?1` person, `?2` when.
fn run_in_order(
    c: &Connection,
    statements: &[&str],
    person_id: &str,
    at: i64,
) -> rusqlite::Result<()> {
    for statement in statements {
        let mut statement = c.prepare(statement)?;
        let all: [&dyn rusqlite::ToSql; 2] = [&person_id, &at];
        statement.execute(&all[..statement.parameter_count()])?;
    }
    Ok(())
}
