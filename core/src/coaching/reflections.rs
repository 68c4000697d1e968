//! A practitioner's reflections: kept in their private document, shared one by one into a
//! coaching document, and withdrawn.

use samod::DocumentId;

use crate::coaching::*;
use crate::document::coaching::{self as cdoc};
use crate::document::journey::{self as jdoc, read_records};
use crate::document::DocKind;
use crate::error::{Error, Result};
use crate::Store;

impl Store {
    pub(crate) fn private_id(&self) -> Result<DocumentId> {
        Self::doc_id(&self.identity().private_id)
    }

    /// The reflections in this person's private document, oldest first.
    pub fn reflections(&self) -> Result<Vec<Reflection>> {
        let id = self.private_id()?;
        let mut all: Vec<Reflection> = self
            .read_doc(&id, DocKind::Private, true, read_records)?
            .unwrap_or_default();
        all.sort_unstable_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
        Ok(all)
    }

    pub(crate) fn reflection(&self, id: &str) -> Result<Reflection> {
        self.reflections()?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or_else(|| Error::not_found("reflection", id))
    }

    pub(crate) fn check_reflection_plans(&self, input: &ReflectionInput) -> Result<()> {
        let journey = self.journey()?;
        for (i, plan) in input.plan_ids.iter().enumerate() {
            if journey.plan(plan).is_none() {
                return Err(Error::invalid(
                    format!("plan_ids[{i}]"),
                    format!("{plan} is not one of your action plans"),
                ));
            }
        }
        Ok(())
    }

    pub fn add_reflection(&self, input: &ReflectionInput) -> Result<String> {
        check_reflection(input)?;
        self.check_reflection_plans(input)?;
        let id = self.private_id()?;
        self.edit_doc(&id, DocKind::Private, None, |tx| {
            jdoc::add_record::<Reflection, _>(tx, input, self.now())
        })
    }

    /// Changes a reflection; the copies shared into coaching documents change with it.
    pub fn update_reflection(&self, id: &str, input: &ReflectionInput) -> Result<()> {
        check_reflection(input)?;
        self.check_reflection_plans(input)?;
        let private = self.private_id()?;
        self.edit_doc(&private, DocKind::Private, None, |tx| {
            jdoc::update_record::<Reflection, _>(tx, id, input)
        })?;
        let reflection = self.reflection(id)?;
        for doc in &reflection.shared_in {
            self.edit_relationship(doc, DocKind::Coaching, |tx| {
                cdoc::put_copy::<SharedReflection, _>(tx, id, &reflection, self.now())
            })?;
        }
        Ok(())
    }

    /// Removes a reflection, withdrawing every shared copy first.
    pub fn remove_reflection(&self, id: &str) -> Result<()> {
        let reflection = self.reflection(id)?;
        for doc in &reflection.shared_in {
            self.withdraw_reflection(id, doc)?;
        }
        let private = self.private_id()?;
        self.edit_doc(&private, DocKind::Private, None, |tx| {
            jdoc::remove_record::<Reflection, _>(tx, id)
        })
    }

    /// Shares a copy of a reflection into a coaching document (the practitioner's choice);
    /// returns the copy's id. Sharing again brings the copy up to date.
    pub fn share_reflection(&self, id: &str, coaching_doc: &str) -> Result<String> {
        self.require_part(
            coaching_doc,
            DocKind::Coaching,
            "practitioner",
            "shares reflections",
        )?;
        let reflection = self.reflection(id)?;
        let copy = self.edit_relationship(coaching_doc, DocKind::Coaching, |tx| {
            cdoc::put_copy::<SharedReflection, _>(tx, id, &reflection, self.now())
        })?;
        let private = self.private_id()?;
        self.edit_doc(&private, DocKind::Private, None, |tx| {
            cdoc::mark_shared_in(tx, id, coaching_doc, true)
        })?;
        Ok(copy)
    }

    /// Withdraws a shared reflection: its copy leaves the coaching document, and later edits
    /// of the reflection stay private.
    pub fn withdraw_reflection(&self, id: &str, coaching_doc: &str) -> Result<()> {
        self.require_part(
            coaching_doc,
            DocKind::Coaching,
            "practitioner",
            "withdraws reflections",
        )?;
        let marked = self
            .reflection(id)?
            .shared_in
            .iter()
            .any(|d| d == coaching_doc);
        match self.remove_copies::<SharedReflection>(coaching_doc, id) {
            // Marked shared, but the copy was never written (a crash between the two writes).
            Err(Error::NotFound { .. }) if marked => {}
            other => other?,
        }
        let private = self.private_id()?;
        self.edit_doc(&private, DocKind::Private, None, |tx| {
            cdoc::mark_shared_in(tx, id, coaching_doc, false)
        })
    }

    /// Removes from a coaching document the copies made from `source_id`; `NotFound` when
    /// there are none.
    pub(crate) fn remove_copies<R: jdoc::Record>(
        &self,
        coaching_doc: &str,
        source_id: &str,
    ) -> Result<()> {
        self.edit_relationship(coaching_doc, DocKind::Coaching, |tx| {
            let copies = cdoc::copies_of::<R, _>(tx, source_id);
            if copies.is_empty() {
                return Err(Error::not_found(R::NAME, source_id));
            }
            for copy in copies {
                jdoc::remove_record::<R, _>(tx, &copy)?;
            }
            Ok(())
        })
    }
}
