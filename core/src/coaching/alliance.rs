//! The working alliance: check-ins answered on the store, a repair note, and ruptures.
//!
//! A check-in shows a rupture when the person flagged that something felt off, or when its
//! score (the mean of the three items) falls well below their own running level: at least
//! [`DROP_POINTS`] under the mean of their previous [`RUNNING_WINDOW`] check-ins in the same
//! relationship, once there are at least [`MIN_HISTORY`] of them. The level is the person's
//! own, so someone who always answers 6 is not in rupture at 6.

use chrono::NaiveDate;
use serde::Serialize;

use crate::coaching::*;
use crate::document::coaching::{self as cdoc, AllianceRecord};
use crate::document::journey::{self as jdoc, read_records};
use crate::document::{header_str, DocKind};
use crate::error::{Error, Result};
use crate::relationships::kind_name;
use crate::Store;

/// How far below the running level (in points of the 0–10 score) counts as a rupture.
pub const DROP_POINTS: f64 = 2.0;
/// How many earlier check-ins make the running level.
pub const RUNNING_WINDOW: usize = 4;
/// How many earlier check-ins are needed before a drop can count.
pub const MIN_HISTORY: usize = 2;

/// One rupture, and whether it was repaired.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rupture {
    pub check_in_id: String,
    pub date: NaiveDate,
    /// The person flagged "something felt off".
    pub flagged: bool,
    pub score: f64,
    /// The running level it is compared with, when there was enough history.
    pub running_level: Option<f64>,
    /// The score fell at least [`DROP_POINTS`] below the running level.
    pub dropped: bool,
    /// A repair note was written.
    pub repaired: bool,
}

/// The ruptures among one person's check-ins in one relationship (any order), oldest first.
pub fn ruptures(check_ins: &[AllianceCheckIn]) -> Vec<Rupture> {
    let mut sorted: Vec<&AllianceCheckIn> = check_ins.iter().collect();
    sorted.sort_unstable_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    let mut out = Vec::new();
    for (i, check_in) in sorted.iter().enumerate() {
        let earlier = &sorted[i.saturating_sub(RUNNING_WINDOW)..i];
        let running_level = (earlier.len() >= MIN_HISTORY)
            .then(|| earlier.iter().map(|c| c.score()).sum::<f64>() / earlier.len() as f64);
        let score = check_in.score();
        // A small tolerance, so 7.0 - 5.0 counts as the two points it is.
        let dropped = running_level.is_some_and(|level| score <= level - DROP_POINTS + 1e-9);
        if check_in.felt_off || dropped {
            out.push(Rupture {
                check_in_id: check_in.id.clone(),
                date: check_in.date,
                flagged: check_in.felt_off,
                score,
                running_level,
                dropped,
                repaired: check_in
                    .repair_note
                    .as_deref()
                    .is_some_and(|n| !n.trim().is_empty()),
            });
        }
    }
    out
}

// ----- on the store -----

/// The ruptures of one relationship, as shown to its people.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RelationshipRuptures {
    pub doc_id: String,
    pub kind: DocKind,
    /// The person whose check-ins these are (the client, or the practitioner about a coach).
    pub answered_by: String,
    pub check_ins: u32,
    pub ruptures: Vec<Rupture>,
}

impl Store {
    /// Answers an alliance check-in in a care document (the client, about their practitioner)
    /// or a coaching document (the practitioner, about their coach).
    pub fn add_alliance_check_in(
        &self,
        relationship_doc: &str,
        input: &AllianceInput,
    ) -> Result<String> {
        check_alliance(input)?;
        let kind = self.relationship_kind(relationship_doc)?;
        let answerer = answering_part(kind);
        self.require_part(
            relationship_doc,
            kind,
            answerer,
            "answers alliance check-ins here",
        )?;
        let record = AllianceRecord {
            by: self.me().to_string(),
            input: input.clone(),
        };
        self.edit_relationship(relationship_doc, kind, |tx| {
            jdoc::add_record::<AllianceCheckIn, _>(tx, &record, self.now())
        })
    }

    /// Writes (or clears) how a rupture was repaired, on the check-in that showed it.
    pub fn set_repair_note(
        &self,
        relationship_doc: &str,
        check_in_id: &str,
        note: Option<&str>,
    ) -> Result<()> {
        crate::journey::validate::check_optional_text(
            "repair_note",
            note,
            crate::journey::MAX_TEXT,
        )?;
        let kind = self.relationship_kind(relationship_doc)?;
        self.my_part(relationship_doc, kind)?;
        self.edit_relationship(relationship_doc, kind, |tx| {
            cdoc::set_repair_note(tx, check_in_id, note)
        })
    }

    /// Every alliance check-in of a care or coaching document, oldest first.
    pub fn alliance_check_ins(&self, relationship_doc: &str) -> Result<Vec<AllianceCheckIn>> {
        let kind = self.relationship_kind(relationship_doc)?;
        self.my_part(relationship_doc, kind)?;
        self.alliance_in(relationship_doc, kind)?
            .ok_or_else(|| Error::not_found(kind_name(kind), relationship_doc))
    }

    /// The alliance check-ins of one of this person's relationships (of a kind already known),
    /// oldest first; `None` until a sync has brought the document.
    pub(crate) fn alliance_in(
        &self,
        doc: &str,
        kind: DocKind,
    ) -> Result<Option<Vec<AllianceCheckIn>>> {
        let mut all: Vec<AllianceCheckIn> =
            match self.read_doc(&Self::doc_id(doc)?, kind, true, read_records)? {
                Some(all) => all,
                None => return Ok(None),
            };
        all.sort_unstable_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
        Ok(Some(all))
    }

    /// The ruptures in each of this person's relationships.
    pub fn ruptures(&self) -> Result<Vec<RelationshipRuptures>> {
        let mut out = Vec::new();
        for rel in self.relationships()? {
            let Some(check_ins) = self.alliance_in(&rel.doc_id, rel.kind)? else {
                continue; // not synced yet
            };
            let part = answering_part(rel.kind);
            let answered_by = self.read_relationship(&rel.doc_id, rel.kind, |doc| {
                header_str(doc, part).unwrap_or_default()
            })?;
            let theirs: Vec<AllianceCheckIn> = check_ins
                .into_iter()
                .filter(|c| c.by == answered_by)
                .collect();
            out.push(RelationshipRuptures {
                doc_id: rel.doc_id,
                kind: rel.kind,
                answered_by,
                check_ins: theirs.len() as u32,
                ruptures: ruptures(&theirs),
            });
        }
        Ok(out)
    }

    /// Whether a relationship document is a care or a coaching one (from the server's list).
    pub(crate) fn relationship_kind(&self, id: &str) -> Result<DocKind> {
        self.relationships()?
            .into_iter()
            .find(|r| r.doc_id == id)
            .map(|r| r.kind)
            .ok_or_else(|| Error::not_found("relationship", id))
    }
}

/// Who answers alliance check-ins in a document of `kind`.
fn answering_part(kind: DocKind) -> &'static str {
    match kind {
        DocKind::Care => "client",
        _ => "practitioner",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_in(day: u32, items: (u8, u8, u8), felt_off: bool) -> AllianceCheckIn {
        AllianceCheckIn {
            id: format!("a{day:02}"),
            date: NaiveDate::from_ymd_opt(2026, 11, day).unwrap(),
            by: "c1".into(),
            goals: items.0,
            tasks: items.1,
            bond: items.2,
            felt_off,
            repair_note: None,
        }
    }

    #[test]
    fn a_flag_or_a_drop_below_the_persons_own_level_is_a_rupture() {
        let history = vec![
            check_in(2, (8, 8, 8), false),  // 8.0, no history
            check_in(9, (7, 7, 7), false),  // 7.0, one earlier: not enough
            check_in(16, (5, 5, 6), false), // 5.33, level 7.5: drop of 2.17 → rupture
            check_in(23, (6, 6, 6), true),  // flagged; level (8+7+5.33)/3 = 6.78, drop 0.78
            check_in(30, (6, 6, 6), false), // level (8+7+5.33+6)/4 = 6.58: no rupture
        ];
        let found = ruptures(&history);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].check_in_id, "a16");
        assert!(found[0].dropped && !found[0].flagged);
        assert!((found[0].running_level.unwrap() - 7.5).abs() < 1e-9);
        assert_eq!(found[1].check_in_id, "a23");
        assert!(found[1].flagged && !found[1].dropped);
    }

    #[test]
    fn someone_who_always_answers_low_is_not_in_rupture_at_their_usual_level() {
        let history: Vec<_> = (1..=6).map(|d| check_in(d, (4, 4, 4), false)).collect();
        assert!(ruptures(&history).is_empty());
    }
}
