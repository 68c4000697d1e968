//! The care and coaching relationships a person is in: which documents, their part in each,
//! and reading and editing one.
//!
//! Who may write what is checked against the people a care or coaching document names: the
//! practitioner sets a coaching session's agenda and brings case reviews, either person may
//! comment or set the condition, and each person answers alliance check-ins about the other
//! (a client about their practitioner, a practitioner about their coach). The server lets both
//! people write the whole document; these checks keep the apps honest.

use automerge::Automerge;
use chrono::NaiveDate;
use samod::DocumentId;

use crate::document::journey::{self as jdoc};
use crate::document::{header_str, DocKind};
use crate::error::{Error, Result};
use crate::journey::schedule::parse_time_zone;
use crate::sync::api::Role;
use crate::Store;

/// A care or coaching relationship this person is in.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Relationship {
    /// The care or coaching document.
    pub doc_id: String,
    pub kind: DocKind,
    /// The other person, and their role.
    pub person_id: String,
    pub role: Role,
    /// Their journey, when this person may see it (a client's, for their practitioner).
    pub journey_id: Option<String>,
}

impl Store {
    pub(crate) fn me(&self) -> &str {
        &self.identity().person_id
    }

    pub(crate) fn doc_id(id: &str) -> Result<DocumentId> {
        id.parse()
            .map_err(|_| Error::invalid("doc_id", format!("{id} is not a document id")))
    }

    /// This person's care and coaching relationships, as the server last listed them.
    pub fn relationships(&self) -> Result<Vec<Relationship>> {
        let mine = self.server()?.map(|s| s.role);
        Ok(self
            .links()?
            .into_iter()
            .filter_map(|link| {
                let doc_id = link.relationship_doc_id?;
                let kind = super::people::relationship_kind(mine, link.role);
                Some(Relationship {
                    doc_id,
                    kind,
                    person_id: link.person_id,
                    role: link.role,
                    journey_id: link.journey_id,
                })
            })
            .collect())
    }

    /// Reads a care or coaching document; `NotFound` until a sync has brought it.
    pub(crate) fn read_relationship<R>(
        &self,
        id: &str,
        kind: DocKind,
        f: impl FnOnce(&Automerge) -> R,
    ) -> Result<R> {
        let doc_id = Self::doc_id(id)?;
        self.read_doc(&doc_id, kind, true, f)?
            .ok_or_else(|| Error::not_found(kind_name(kind), id))
    }

    /// The role this person has in a care or coaching document ("client", "practitioner",
    /// "coach"), or `NotPermitted`.
    pub(crate) fn my_part(&self, id: &str, kind: DocKind) -> Result<&'static str> {
        let me = self.me().to_string();
        let parts: &[&'static str] = match kind {
            DocKind::Care => &["client", "practitioner"],
            _ => &["practitioner", "coach"],
        };
        self.read_relationship(id, kind, |doc| {
            parts
                .iter()
                .copied()
                .find(|part| header_str(doc, part).as_deref() == Some(me.as_str()))
        })?
        .ok_or_else(|| {
            Error::NotPermitted(format!("this person is not in {} {id}", kind_name(kind)))
        })
    }

    pub(crate) fn require_part(
        &self,
        id: &str,
        kind: DocKind,
        part: &str,
        doing: &str,
    ) -> Result<()> {
        let mine = self.my_part(id, kind)?;
        if mine != part {
            return Err(Error::NotPermitted(format!(
                "only the {part} {doing}; this person is the {mine} here"
            )));
        }
        Ok(())
    }

    pub(crate) fn edit_relationship<R>(
        &self,
        id: &str,
        kind: DocKind,
        f: impl FnOnce(&mut automerge::transaction::Transaction<'_>) -> Result<R>,
    ) -> Result<R> {
        self.edit_doc(&Self::doc_id(id)?, kind, None, f)
    }

    /// Today's date in this person's time zone.
    pub(crate) fn today_here(&self) -> Result<NaiveDate> {
        let zone = self
            .read_doc(
                &self.journey_id.clone(),
                DocKind::Journey,
                true,
                jdoc::time_zone,
            )?
            .unwrap_or_else(|| "UTC".to_string());
        let tz = parse_time_zone(&zone).unwrap_or_else(|_| crate::zone::Zone::utc());
        Ok(self.now().with_timezone(&tz).date_naive())
    }
}

/// What a person calls a document of `kind` in a message.
pub(crate) fn kind_name(kind: DocKind) -> &'static str {
    match kind {
        DocKind::Care => "care document",
        _ => "coaching document",
    }
}
