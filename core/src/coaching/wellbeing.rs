//! Wellbeing entries: kept in the person's private document, shared measure by measure into
//! a coaching document, and withdrawn.

use crate::coaching::*;
use crate::document::coaching::{self as cdoc};
use crate::document::journey::{self as jdoc, read_records};
use crate::document::DocKind;
use crate::error::{Error, Result};
use crate::Store;

impl Store {
    /// Adds a wellbeing entry; returns its id. Entries are kept with the person's own
    /// journey but in their private document, on their own devices only: sharing the journey
    /// does not share them, each is shared (measure by measure) only by `share_wellbeing`.
    pub fn add_wellbeing(&self, input: &WellbeingInput) -> Result<String> {
        check_wellbeing(input)?;
        let private = self.private_id()?;
        self.edit_doc(&private, DocKind::Private, None, |tx| {
            jdoc::add_record::<WellbeingEntry, _>(tx, input, self.now())
        })
    }

    pub fn remove_wellbeing(&self, id: &str) -> Result<()> {
        let private = self.private_id()?;
        self.edit_doc(&private, DocKind::Private, None, |tx| {
            jdoc::remove_record::<WellbeingEntry, _>(tx, id)
        })
    }

    /// This person's wellbeing entries, oldest first.
    pub fn wellbeing(&self) -> Result<Vec<WellbeingEntry>> {
        let private = self.private_id()?;
        let mut all: Vec<WellbeingEntry> = self
            .read_doc(&private, DocKind::Private, true, read_records)?
            .unwrap_or_default();
        all.sort_unstable_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
        Ok(all)
    }

    /// Shares the chosen measures of one wellbeing entry into a coaching document; returns the
    /// copy's id. Sharing the same entry again replaces what was shared.
    pub fn share_wellbeing(
        &self,
        entry_id: &str,
        coaching_doc: &str,
        measures: WellbeingMeasures,
    ) -> Result<String> {
        self.require_part(
            coaching_doc,
            DocKind::Coaching,
            "practitioner",
            "shares wellbeing",
        )?;
        let entry = self
            .wellbeing()?
            .into_iter()
            .find(|e| e.id == entry_id)
            .ok_or_else(|| Error::not_found("wellbeing entry", entry_id))?;
        let shares_something = (measures.who5 && entry.who5.is_some())
            || (measures.stress && entry.stress.is_some())
            || (measures.burnout && entry.burnout.is_some());
        if !shares_something {
            return Err(Error::invalid(
                "measures",
                "choose at least one measure this entry has",
            ));
        }
        self.edit_relationship(coaching_doc, DocKind::Coaching, |tx| {
            cdoc::put_copy::<SharedWellbeing, _>(
                tx,
                entry_id,
                &(entry.clone(), measures),
                self.now(),
            )
        })
    }

    /// Withdraws a shared wellbeing entry from a coaching document.
    pub fn withdraw_wellbeing(&self, entry_id: &str, coaching_doc: &str) -> Result<()> {
        self.require_part(
            coaching_doc,
            DocKind::Coaching,
            "practitioner",
            "withdraws wellbeing",
        )?;
        self.remove_copies::<SharedWellbeing>(coaching_doc, entry_id)
    }
}
