//! What the store remembers about sync: its server, the people linked to it, and which of its
//! documents the server has registered.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};

use crate::document::check_ins::period_doc_id;
use crate::document::journey as jdoc;
use crate::document::DocKind;
use crate::error::{Error, Result};
use crate::sync::api::{Access, DocumentKind, Link, Role};
use crate::Store;

/// The server a store is joined to.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ServerLink {
    /// Base URL, e.g. `http://127.0.0.1:8080`.
    pub url: String,
    pub server_id: String,
    /// This person's role there.
    pub role: Role,
    /// When a sync last finished.
    pub last_synced_at: Option<DateTime<Utc>>,
}

/// A document of this person's that the server should know, and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnDocument {
    pub doc_id: String,
    pub kind: DocumentKind,
    /// For a month of check-ins: its journey.
    pub journey_id: Option<String>,
}

impl Store {
    /// The server this store is joined to, if any.
    pub fn server(&self) -> Result<Option<ServerLink>> {
        let conn = self.lock_db();
        let row = conn
            .query_row(
                "SELECT url, server_id, role, last_synced_at FROM sync_server WHERE id = 1",
                [],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, Option<String>>(3)?,
                    ))
                },
            )
            .optional()?;
        row.map(|(url, server_id, role, last_synced_at)| {
            Ok(ServerLink {
                url,
                server_id,
                role: stored_role(&role)?,
                last_synced_at: last_synced_at.as_deref().map(stored_instant).transpose()?,
            })
        })
        .transpose()
    }

    /// Remembers the server this store joined, and this person's role there.
    pub fn set_server(&self, url: &str, server_id: &str, role: Role) -> Result<()> {
        self.lock_db().execute(
            "INSERT INTO sync_server (id, url, server_id, role) VALUES (1, ?1, ?2, ?3)
             ON CONFLICT (id) DO UPDATE SET url = ?1, server_id = ?2, role = ?3",
            params![url, server_id, role.as_str()],
        )?;
        Ok(())
    }

    pub(crate) fn set_last_synced(&self, at: DateTime<Utc>) -> Result<()> {
        self.lock_db().execute(
            "UPDATE sync_server SET last_synced_at = ?1 WHERE id = 1",
            params![at.to_rfc3339()],
        )?;
        Ok(())
    }

    /// The people linked to this person, as the server last said.
    pub fn links(&self) -> Result<Vec<Link>> {
        let conn = self.lock_db();
        let mut stmt = conn.prepare(
            "SELECT person_id, role, journey_id, relationship_doc_id, access, their_access
             FROM links ORDER BY person_id",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, Option<String>>(5)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter()
            .map(
                |(person_id, role, journey_id, relationship_doc_id, access, theirs)| {
                    Ok(Link {
                        person_id,
                        role: stored_role(&role)?,
                        journey_id,
                        relationship_doc_id,
                        access: access.map(|a| stored_access(&a)).transpose()?,
                        their_access: theirs.map(|a| stored_access(&a)).transpose()?,
                    })
                },
            )
            .collect()
    }

    /// Keeps the links the server gave; when they differ from those kept, change observers
    /// hear a change from elsewhere (a person joined, a share was granted or withdrawn: the
    /// screens that list people read again).
    pub(crate) fn set_links(&self, links: &[Link]) -> Result<()> {
        let changed = self.links()? != links;
        self.write_links(links)?;
        if changed {
            self.changes.send_modify(|c| c.remote += 1);
        }
        Ok(())
    }

    fn write_links(&self, links: &[Link]) -> Result<()> {
        let mut conn = self.lock_db();
        let tx = conn.transaction()?;
        tx.execute("DELETE FROM links", [])?;
        for link in links {
            tx.execute(
                "INSERT INTO links (person_id, role, journey_id, relationship_doc_id, access,
                                    their_access)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    link.person_id,
                    link.role.as_str(),
                    link.journey_id,
                    link.relationship_doc_id,
                    link.access.map(|a| a.as_str()),
                    link.their_access.map(|a| a.as_str()),
                ],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// This person's documents: journey, private, and every month of check-ins.
    pub fn own_documents(&self) -> Result<Vec<OwnDocument>> {
        let journey = self.identity().journey_id.clone();
        let months = self
            .read_doc(
                &self.journey_id.clone(),
                DocKind::Journey,
                true,
                jdoc::check_in_periods,
            )?
            .unwrap_or_default();
        let mut docs = vec![
            OwnDocument {
                doc_id: journey.clone(),
                kind: DocumentKind::Journey,
                journey_id: None,
            },
            OwnDocument {
                doc_id: self.identity().private_id.clone(),
                kind: DocumentKind::Private,
                journey_id: None,
            },
        ];
        docs.extend(months.iter().map(|m| OwnDocument {
            doc_id: period_doc_id(&journey, m).to_string(),
            kind: DocumentKind::CheckIns,
            journey_id: Some(journey.clone()),
        }));
        Ok(docs)
    }

    /// Own documents the server has not registered yet.
    pub fn unregistered_documents(&self) -> Result<Vec<OwnDocument>> {
        let docs = self.own_documents()?;
        let conn = self.lock_db();
        let mut known =
            conn.prepare_cached("SELECT 1 FROM registered_documents WHERE doc_id = ?1")?;
        let mut out = Vec::new();
        for doc in docs {
            if !known.exists(params![doc.doc_id])? {
                out.push(doc);
            }
        }
        Ok(out)
    }

    pub(crate) fn mark_registered(&self, doc_id: &str) -> Result<()> {
        self.lock_db().execute(
            "INSERT OR IGNORE INTO registered_documents (doc_id) VALUES (?1)",
            params![doc_id],
        )?;
        Ok(())
    }

    /// Refuses unless this store may become another person's device: joined to no server,
    /// and its own journey still empty, so nothing written here is lost.
    pub(crate) fn check_may_become_a_device(&self) -> Result<()> {
        if self.server()?.is_some() {
            return Err(Error::invalid(
                "store",
                "this store belongs to a person on a server already; add this device with a new store",
            ));
        }
        let journey = self.journey()?;
        if !(journey.values.is_empty()
            && journey.strengths.is_empty()
            && journey.supports.is_empty()
            && journey.visions.is_empty()
            && journey.goals.is_empty()
            && journey.plans.is_empty()
            && journey.reviews.is_empty())
        {
            return Err(Error::invalid(
                "store",
                "this store already holds a journey; join as a new device with a new store",
            ));
        }
        Ok(())
    }

    /// Takes on the identity of a person this device joins (a second device): their person id,
    /// journey and private document, which then arrive by sync (see
    /// [`check_may_become_a_device`](Self::check_may_become_a_device)). Returns the store
    /// reopened as that person's.
    pub(crate) fn adopt_identity(
        self,
        person_id: &str,
        journey_id: &str,
        private_id: &str,
    ) -> Result<Store> {
        self.check_may_become_a_device()?;
        journey_id.parse::<samod::DocumentId>().map_err(|_| {
            Error::invalid("journey_id", format!("{journey_id} is not a document id"))
        })?;
        private_id.parse::<samod::DocumentId>().map_err(|_| {
            Error::invalid("private_id", format!("{private_id} is not a document id"))
        })?;
        let mut docs = self.lock_docs();
        let mut conn = self.lock_db();
        let tx = conn.transaction()?;
        for old in [&self.identity().journey_id, &self.identity().private_id] {
            crate::store::kv::delete_prefix(&tx, old.as_bytes())?;
        }
        tx.execute(
            "UPDATE identity SET person_id = ?1, journey_doc = ?2, private_doc = ?3 WHERE id = 1",
            params![person_id, journey_id, private_id],
        )?;
        tx.commit()?;
        docs.clear();
        drop(docs);
        drop(conn);
        let path = self.path().to_path_buf();
        let options = crate::store::OpenOptions {
            time_zone: None,
            clock: self.clock().clone(),
            trusted_certificates: self.trusted_certificates.clone(),
            key: self.key.clone(),
        };
        drop(self);
        Store::open(path, options)
    }
}

/// A role this store wrote; one it cannot read is damage, never a guess.
fn stored_role(word: &str) -> Result<Role> {
    Role::parse(word).ok_or_else(|| {
        Error::damaged(
            "the local store",
            format!("its role {word:?} is not one this version of Tandem knows"),
        )
    })
}

fn stored_access(word: &str) -> Result<Access> {
    Access::parse(word).ok_or_else(|| {
        Error::damaged(
            "the local store",
            format!("a link's access {word:?} is not one this version of Tandem knows"),
        )
    })
}

fn stored_instant(text: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|at| at.with_timezone(&Utc))
        .map_err(|_| {
            Error::damaged(
                "the local store",
                format!("its instant {text:?} is not RFC 3339"),
            )
        })
}
