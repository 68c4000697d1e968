//! The directory in a PostgreSQL database (tables in `postgres.rs`), shared by every server
//! process on it.
//!
//! A [`Mode::Write`] transaction takes one advisory lock, so directory writes run one at a
//! time across all processes, as on SQLite; a [`Mode::Snapshot`] is REPEATABLE READ, so its
//! reads agree. Token nonces are spent by one `INSERT … ON CONFLICT DO NOTHING`: the primary
//! key decides, whichever process asks.

use async_trait::async_trait;
use deadpool_postgres::{Object, Pool};
use tandem_protocol::api::{Access, DocumentKind, Handover, InvitationKind, Role};
use tokio_postgres::types::{FromSql, ToSql};
use tokio_postgres::Row;

use super::backend::{Backend, CodeRow, Consent, DeviceRow, InvitationRow, Membership, Mode, Rows};
use super::{erasure, handover, recovery, Document, LinkKind, Person, Refusal, Result};
use crate::postgres::{self, PostgresError, DIRECTORY_WRITE_LOCK};

/// The directory on a pool of connections to one database.
pub struct PostgresBackend {
    pool: Pool,
    server_id: String,
}

impl PostgresBackend {
    /// The directory on `pool` (migrated by [`postgres::open`]), making the server's id if no
    /// process has yet.
    pub async fn new(pool: Pool) -> Result<Self, PostgresError> {
        let server_id = postgres::server_id(&pool).await?;
        Ok(PostgresBackend { pool, server_id })
    }
}

#[async_trait]
impl Backend for PostgresBackend {
    fn server_id(&self) -> &str {
        &self.server_id
    }

    async fn begin(&self, mode: Mode) -> Result<Box<dyn Rows>> {
        // Marked open before BEGIN is sent: if this call is cancelled (a caller's future
        // dropped) between the two, the drop rolls back instead of pooling a connection that
        // is still inside a transaction.
        let rows = PgRows {
            client: Some(self.pool.get().await?),
            open: mode != Mode::Look,
        };
        match mode {
            Mode::Look => {}
            Mode::Snapshot => {
                rows.client()?
                    .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await?
            }
            Mode::Write => {
                rows.client()?.batch_execute("BEGIN").await?;
                rows.exec("SELECT pg_advisory_xact_lock($1)", &[&DIRECTORY_WRITE_LOCK])
                    .await?;
            }
        }
        Ok(Box::new(rows))
    }

    async fn remember_nonce(&self, nonce: &str, expires_at: i64, now: i64) -> Result<bool> {
        let rows = PgRows {
            client: Some(self.pool.get().await?),
            open: false,
        };
        rows.exec("DELETE FROM nonces WHERE expires_at < $1", &[&now])
            .await?;
        let added = rows
            .exec(
                "INSERT INTO nonces (nonce, expires_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                &[&nonce, &expires_at],
            )
            .await?;
        Ok(added == 1)
    }
}

type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

/// One transaction on a pooled connection (or, for [`Mode::Look`], the connection itself).
struct PgRows {
    /// Always `Some` until dropped.
    client: Option<Object>,
    /// A transaction is open: rolled back if dropped before [`Rows::commit`].
    open: bool,
}

impl PgRows {
    fn client(&self) -> Result<&Object> {
        self.client
            .as_ref()
            .ok_or_else(|| Refusal::internal("a finished transaction was used"))
    }

    async fn opt(&self, sql: &str, params: Params<'_>) -> Result<Option<Row>> {
        let client = self.client()?;
        let statement = client.prepare_cached(sql).await?;
        Ok(client.query_opt(&statement, params).await?)
    }

    async fn all(&self, sql: &str, params: Params<'_>) -> Result<Vec<Row>> {
        let client = self.client()?;
        let statement = client.prepare_cached(sql).await?;
        Ok(client.query(&statement, params).await?)
    }

    /// Runs `statements` (SQLite's text) in order, each with the parameters it uses of `$1`
    /// person, `$2` when.
    async fn run_in_order(&self, statements: &[&str], person_id: &str, at: i64) -> Result<()> {
        for statement in statements {
            let sql = erasure::postgres_sql(statement);
            let all: [&(dyn ToSql + Sync); 2] = [&person_id, &at];
            let used = ["$1", "$2"].iter().filter(|p| sql.contains(*p)).count();
            self.exec(&sql, &all[..used]).await?;
        }
        Ok(())
    }

    async fn exec(&self, sql: &str, params: Params<'_>) -> Result<u64> {
        let client = self.client()?;
        let statement = client.prepare_cached(sql).await?;
        Ok(client.execute(&statement, params).await?)
    }
}

impl Drop for PgRows {
    fn drop(&mut self) {
        let Some(client) = self.client.take() else {
            return;
        };
        if !self.open {
            return;
        }
        // Roll back before the connection goes back to the pool; without a runtime to do it
        // on, close the connection instead (the database rolls back).
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(async move {
                    if let Err(err) = client.batch_execute("ROLLBACK").await {
                        tracing::error!(%err, "directory rollback failed");
                        drop(Object::take(client));
                    }
                });
            }
            Err(_) => drop(Object::take(client)),
        }
    }
}

/// Column `i` of `row`, refused (not a panic) if the database holds something else.
fn col<'a, T: FromSql<'a>>(row: &'a Row, i: usize) -> Result<T> {
    row.try_get(i).map_err(Refusal::storage)
}

fn word<T>(what: &str, found: &str, parse: impl FnOnce(&str) -> Option<T>) -> Result<T> {
    parse(found).ok_or_else(|| Refusal::storage(format!("unknown {what} {found:?}")))
}

fn person(row: &Row) -> Result<Person> {
    Ok(Person {
        person_id: col(row, 0)?,
        role: word("role", col(row, 1)?, Role::parse)?,
        journey_id: col(row, 2)?,
        private_id: col(row, 3)?,
    })
}

#[async_trait]
impl Rows for PgRows {
    async fn person(&mut self, person_id: &str) -> Result<Option<Person>> {
        self.opt(
            "SELECT person_id, role, journey_id, private_id FROM people WHERE person_id = $1",
            &[&person_id],
        )
        .await?
        .as_ref()
        .map(person)
        .transpose()
    }

    async fn device_owner(&mut self, device_id: &str) -> Result<Option<String>> {
        self.opt(
            "SELECT person_id FROM devices WHERE device_id = $1 AND removed_at IS NULL",
            &[&device_id],
        )
        .await?
        .map(|r| col(&r, 0))
        .transpose()
    }

    async fn device_removed_at(&mut self, device_id: &str) -> Result<Option<i64>> {
        Ok(self
            .opt(
                "SELECT removed_at FROM devices WHERE device_id = $1",
                &[&device_id],
            )
            .await?
            .map(|r| col::<Option<i64>>(&r, 0))
            .transpose()?
            .flatten())
    }

    async fn devices_of(&mut self, person_id: &str) -> Result<Vec<DeviceRow>> {
        self.all(
            "SELECT device_id, name, created_at, last_seen_at FROM devices
             WHERE person_id = $1 AND removed_at IS NULL ORDER BY created_at, device_id",
            &[&person_id],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(DeviceRow {
                device_id: col(r, 0)?,
                name: col(r, 1)?,
                created_at: col(r, 2)?,
                last_seen_at: col(r, 3)?,
            })
        })
        .collect()
    }

    async fn document(&mut self, doc_id: &str) -> Result<Option<Document>> {
        let Some(row) = self
            .opt(
                "SELECT doc_id, kind, owner, journey_id, with_person FROM documents
                 WHERE doc_id = $1",
                &[&doc_id],
            )
            .await?
        else {
            return Ok(None);
        };
        Ok(Some(Document {
            doc_id: col(&row, 0)?,
            kind: word("kind", col(&row, 1)?, DocumentKind::parse)?,
            owner: col(&row, 2)?,
            journey_id: col(&row, 3)?,
            with_person: col(&row, 4)?,
        }))
    }

    async fn access(&mut self, doc_id: &str, person_id: &str) -> Result<Option<Access>> {
        let row = self
            .opt(
                "SELECT access FROM document_access WHERE doc_id = $1 AND person_id = $2",
                &[&doc_id, &person_id],
            )
            .await?;
        Ok(match row {
            Some(row) => Access::parse(col(&row, 0)?),
            None => None,
        })
    }

    async fn feed_cursor(&mut self) -> Result<u64> {
        let row = self
            .opt("SELECT seq FROM change_feed WHERE id = 1", &[])
            .await?
            .ok_or_else(|| Refusal::storage("the change feed has no row"))?;
        Ok(u64::try_from(col::<i64>(&row, 0)?).unwrap_or(0))
    }

    async fn changed_since(&mut self, person_id: &str, since: u64) -> Result<Vec<String>> {
        let since = i64::try_from(since).unwrap_or(i64::MAX);
        self.all(
            "SELECT c.doc_id FROM doc_changes c
             JOIN document_access a ON a.doc_id = c.doc_id AND a.person_id = $1
             WHERE c.seq > $2 ORDER BY c.seq",
            &[&person_id, &since],
        )
        .await?
        .iter()
        .map(|r| col(r, 0))
        .collect()
    }

    async fn viewers(&mut self, doc_ids: &[String]) -> Result<Vec<String>> {
        self.all(
            "SELECT DISTINCT person_id FROM document_access WHERE doc_id = ANY($1)",
            &[&doc_ids],
        )
        .await?
        .iter()
        .map(|r| col(r, 0))
        .collect()
    }

    async fn link_between(
        &mut self,
        a: &str,
        b: &str,
    ) -> Result<Option<(LinkKind, Option<String>)>> {
        let Some(row) = self
            .opt(
                "SELECT kind, relationship_doc FROM links
                 WHERE (supporter = $1 AND supported = $2) OR (supporter = $2 AND supported = $1)",
                &[&a, &b],
            )
            .await?
        else {
            return Ok(None);
        };
        let kind: &str = col(&row, 0)?;
        let doc: Option<String> = col(&row, 1)?;
        Ok(LinkKind::parse(kind).map(|k| (k, doc)))
    }

    async fn links_of(&mut self, person_id: &str) -> Result<Vec<(String, String, Option<String>)>> {
        self.all(
            "SELECT supporter, supported, relationship_doc FROM links
             WHERE supporter = $1 OR supported = $1 ORDER BY created_at, supporter, supported",
            &[&person_id],
        )
        .await?
        .iter()
        .map(|r| Ok((col(r, 0)?, col(r, 1)?, col(r, 2)?)))
        .collect()
    }

    async fn code(&mut self, hash: &[u8]) -> Result<Option<CodeRow>> {
        let Some(row) = self
            .opt(
                "SELECT purpose, role, expires_at, used_at FROM codes WHERE code_hash = $1",
                &[&hash],
            )
            .await?
        else {
            return Ok(None);
        };
        Ok(Some(CodeRow {
            purpose: col(&row, 0)?,
            role: col(&row, 1)?,
            expires_at: col(&row, 2)?,
            used_at: col(&row, 3)?,
        }))
    }

    async fn invitation(&mut self, hash: &[u8]) -> Result<Option<InvitationRow>> {
        let Some(row) = self
            .opt(
                "SELECT kind, inviter, from_name FROM invitations WHERE code_hash = $1",
                &[&hash],
            )
            .await?
        else {
            return Ok(None);
        };
        Ok(Some(InvitationRow {
            kind: word("kind", col(&row, 0)?, InvitationKind::parse)?,
            inviter: col(&row, 1)?,
            from_name: col(&row, 2)?,
        }))
    }

    async fn last_consent_version(&mut self, person_id: &str) -> Result<Option<String>> {
        self.opt(
            "SELECT consent_text_version FROM consents
             WHERE who = $1 AND consent_text_version IS NOT NULL ORDER BY id DESC LIMIT 1",
            &[&person_id],
        )
        .await?
        .map(|r| col(&r, 0))
        .transpose()
    }

    async fn insert_person(&mut self, p: &Person, at: i64) -> Result<()> {
        self.exec(
            "INSERT INTO people (person_id, role, journey_id, private_id, created_at)
             VALUES ($1, $2, $3, $4, $5)",
            &[
                &p.person_id,
                &p.role.as_str(),
                &p.journey_id,
                &p.private_id,
                &at,
            ],
        )
        .await
        .map(drop)
    }

    async fn insert_device(&mut self, device_id: &str, person_id: &str, at: i64) -> Result<()> {
        self.exec(
            "INSERT INTO devices (device_id, person_id, created_at) VALUES ($1, $2, $3)",
            &[&device_id, &person_id, &at],
        )
        .await
        .map(drop)
    }

    async fn remove_device(&mut self, device_id: &str, at: i64) -> Result<bool> {
        Ok(self
            .exec(
                "UPDATE devices SET removed_at = $2 WHERE device_id = $1 AND removed_at IS NULL",
                &[&device_id, &at],
            )
            .await?
            == 1)
    }

    async fn touch_device(&mut self, device_id: &str, at: i64) -> Result<()> {
        // The minute before, bound as a value of its own: `$2 - 60` would make PostgreSQL
        // read $2 as an int4.
        let minute_before = at - 60;
        self.exec(
            "UPDATE devices SET last_seen_at = $2 WHERE device_id = $1
             AND (last_seen_at IS NULL OR last_seen_at < $3)",
            &[&device_id, &at, &minute_before],
        )
        .await
        .map(drop)
    }

    async fn name_device(&mut self, device_id: &str, name: &str) -> Result<()> {
        self.exec(
            "UPDATE devices SET name = $2 WHERE device_id = $1",
            &[&device_id, &name],
        )
        .await
        .map(drop)
    }

    async fn record_access(
        &mut self,
        doc_id: &str,
        device_id: &str,
        person_id: &str,
        at: i64,
    ) -> Result<()> {
        self.exec(
            "INSERT INTO access_log (doc_id, device_id, person_id, last_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (doc_id, device_id) DO UPDATE SET last_at = excluded.last_at",
            &[&doc_id, &device_id, &person_id, &at],
        )
        .await
        .map(drop)
    }

    async fn access_log_of(&mut self, owner: &str) -> Result<Vec<(String, String, i64)>> {
        self.all(
            "SELECT a.person_id, a.device_id, MAX(a.last_at) AS seen FROM access_log a
                 JOIN documents d ON d.doc_id = a.doc_id
                 WHERE d.owner = $1 AND a.person_id <> $1 AND d.kind IN ('journey', 'check_ins')
                 GROUP BY a.person_id, a.device_id ORDER BY seen DESC, a.person_id, a.device_id",
            &[&owner],
        )
        .await?
        .iter()
        .map(|r| Ok((col(r, 0)?, col(r, 1)?, col(r, 2)?)))
        .collect()
    }

    async fn withdraw(
        &mut self,
        doc_id: &str,
        person_id: &str,
        reason: &str,
        at: i64,
    ) -> Result<()> {
        self.exec(
            &erasure::postgres_sql(erasure::WITHDRAW),
            &[&doc_id, &person_id, &reason, &at],
        )
        .await
        .map(drop)
    }

    async fn unwithdraw(&mut self, doc_id: &str, person_id: &str) -> Result<()> {
        self.exec(
            &erasure::postgres_sql(erasure::UNWITHDRAW),
            &[&doc_id, &person_id],
        )
        .await
        .map(drop)
    }

    async fn withdrawn_for(&mut self, person_id: &str) -> Result<Vec<(String, String, i64)>> {
        self.all(
            &erasure::postgres_sql(erasure::WITHDRAWN_FOR),
            &[&person_id],
        )
        .await?
        .iter()
        .map(|r| Ok((col(r, 0)?, col(r, 1)?, col(r, 2)?)))
        .collect()
    }

    async fn erased_at(&mut self, id: &str) -> Result<Option<i64>> {
        self.opt(&erasure::postgres_sql(erasure::ERASED_AT), &[&id])
            .await?
            .map(|r| col(&r, 0))
            .transpose()
    }

    async fn set_recovery_code(&mut self, person_id: &str, code_hash: &str, at: i64) -> Result<()> {
        self.exec(
            &erasure::postgres_sql(recovery::SET),
            &[&person_id, &code_hash, &at],
        )
        .await
        .map(drop)
    }

    async fn recovery_person(&mut self, code_hash: &str) -> Result<Option<String>> {
        self.opt(&erasure::postgres_sql(recovery::PERSON), &[&code_hash])
            .await?
            .map(|r| col(&r, 0))
            .transpose()
    }

    async fn remove_devices_of(&mut self, person_id: &str, at: i64) -> Result<()> {
        self.exec(
            &erasure::postgres_sql(recovery::REMOVE_DEVICES),
            &[&person_id, &at],
        )
        .await
        .map(drop)
    }

    async fn erase_person(&mut self, person_id: &str, at: i64) -> Result<Vec<String>> {
        let people = self
            .all(
                &erasure::postgres_sql(erasure::PEOPLE_TO_TELL),
                &[&person_id],
            )
            .await?
            .iter()
            .map(|r| col(r, 0))
            .collect::<Result<Vec<String>>>()?;
        let docs = self
            .all(&erasure::postgres_sql(erasure::DOCUMENTS_OF), &[&person_id])
            .await?
            .iter()
            .map(|r| col(r, 0))
            .collect::<Result<Vec<String>>>()?;
        for doc in &docs {
            let (from, to) = erasure::row_range(doc);
            self.exec(&erasure::postgres_sql(erasure::DELETE_ROWS), &[&from, &to])
                .await?;
        }
        self.run_in_order(erasure::ERASE, person_id, at).await?;
        Ok(people)
    }

    async fn deactivated_at(&mut self, person_id: &str) -> Result<Option<i64>> {
        self.opt(
            &erasure::postgres_sql(handover::DEACTIVATED_AT),
            &[&person_id],
        )
        .await?
        .map(|r| col(&r, 0))
        .transpose()
    }

    async fn offer_handovers(
        &mut self,
        from: &str,
        to: &str,
        to_name: Option<&str>,
        at: i64,
    ) -> Result<usize> {
        let offered = self
            .exec(
                &erasure::postgres_sql(handover::OFFER),
                &[&from, &to, &to_name, &at],
            )
            .await?;
        Ok(offered as usize)
    }

    async fn handovers_for(&mut self, client: &str) -> Result<Vec<Handover>> {
        self.all(&erasure::postgres_sql(handover::OFFERS_FOR), &[&client])
            .await?
            .iter()
            .map(|r| {
                Ok(handover::offer((
                    col(r, 0)?,
                    col(r, 1)?,
                    col(r, 2)?,
                    col(r, 3)?,
                )))
            })
            .collect()
    }

    async fn take_handover(
        &mut self,
        client: &str,
        to: &str,
    ) -> Result<Option<(String, Option<String>)>> {
        self.opt(&erasure::postgres_sql(handover::TAKE), &[&client, &to])
            .await?
            .map(|r| Ok((col(&r, 0)?, col(&r, 1)?)))
            .transpose()
    }

    async fn deactivate(&mut self, person_id: &str, at: i64) -> Result<Vec<String>> {
        let people = self
            .all(
                &erasure::postgres_sql(handover::PEOPLE_TO_TELL),
                &[&person_id],
            )
            .await?
            .iter()
            .map(|r| col(r, 0))
            .collect::<Result<Vec<String>>>()?;
        self.run_in_order(handover::DEACTIVATE, person_id, at)
            .await?;
        Ok(people)
    }

    async fn insert_document(&mut self, doc: &Document, at: i64) -> Result<()> {
        self.exec(
            "INSERT INTO documents (doc_id, kind, owner, journey_id, with_person, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                &doc.doc_id,
                &doc.kind.as_str(),
                &doc.owner,
                &doc.journey_id,
                &doc.with_person,
                &at,
            ],
        )
        .await
        .map(drop)
    }

    async fn set_membership(&mut self, m: Membership<'_>) -> Result<()> {
        self.exec(
            "INSERT INTO memberships (doc_id, person_id, access, granted_by, granted_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (doc_id, person_id) DO UPDATE
             SET access = excluded.access, granted_by = excluded.granted_by,
                 granted_at = excluded.granted_at",
            &[
                &m.doc_id,
                &m.person_id,
                &m.access.as_str(),
                &m.granted_by,
                &m.at,
            ],
        )
        .await
        .map(drop)
    }

    async fn delete_membership(&mut self, doc_id: &str, person_id: &str) -> Result<()> {
        self.exec(
            "DELETE FROM memberships WHERE doc_id = $1 AND person_id = $2",
            &[&doc_id, &person_id],
        )
        .await
        .map(drop)
    }

    async fn record_consent(&mut self, k: Consent<'_>) -> Result<()> {
        self.exec(
            "INSERT INTO consents (who, whom, what, access, action, at, consent_text_version)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                &k.who,
                &k.whom,
                &k.what,
                &k.access.map(Access::as_str),
                &k.action,
                &k.at,
                &k.consent_text_version,
            ],
        )
        .await
        .map(drop)
    }

    async fn insert_code(
        &mut self,
        hash: &[u8],
        purpose: &str,
        role: Option<Role>,
        at: i64,
        expires_at: i64,
    ) -> Result<()> {
        self.exec(
            "INSERT INTO codes (code_hash, purpose, role, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
            &[&hash, &purpose, &role.map(Role::as_str), &at, &expires_at],
        )
        .await
        .map(drop)
    }

    async fn insert_invitation(
        &mut self,
        hash: &[u8],
        kind: InvitationKind,
        inviter: &str,
        from_name: Option<&str>,
    ) -> Result<()> {
        self.exec(
            "INSERT INTO invitations (code_hash, kind, inviter, from_name) VALUES ($1, $2, $3, $4)",
            &[&hash, &kind.as_str(), &inviter, &from_name],
        )
        .await
        .map(drop)
    }

    async fn use_code(&mut self, hash: &[u8], device_id: &str, at: i64) -> Result<bool> {
        let changed = self
            .exec(
                "UPDATE codes SET used_at = $2, used_by = $3
                 WHERE code_hash = $1 AND used_at IS NULL",
                &[&hash, &at, &device_id],
            )
            .await?;
        self.exec(
            "UPDATE invitations SET from_name = NULL WHERE code_hash = $1",
            &[&hash],
        )
        .await?;
        Ok(changed == 1)
    }

    async fn insert_link(
        &mut self,
        supporter: &str,
        supported: &str,
        kind: LinkKind,
        at: i64,
    ) -> Result<()> {
        self.exec(
            "INSERT INTO links (supporter, supported, kind, created_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT DO NOTHING",
            &[&supporter, &supported, &kind.as_str(), &at],
        )
        .await
        .map(drop)
    }

    async fn set_relationship_doc(&mut self, a: &str, b: &str, doc_id: &str) -> Result<()> {
        self.exec(
            "UPDATE links SET relationship_doc = $3
             WHERE relationship_doc IS NULL
               AND ((supporter = $1 AND supported = $2) OR (supporter = $2 AND supported = $1))",
            &[&a, &b, &doc_id],
        )
        .await
        .map(drop)
    }

    async fn commit(mut self: Box<Self>) -> Result<()> {
        if self.open {
            self.client()?.batch_execute("COMMIT").await?;
            self.open = false;
        }
        Ok(())
    }
}
