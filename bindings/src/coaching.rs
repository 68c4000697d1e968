//! `Coaching`: the coaching sub-object of a store (`TandemStore.coaching()`): care and coaching
//! relationships, coaching sessions and case reviews, reflections, alliance check-ins and
//! ruptures, wellbeing, and the goals and journey a practitioner shares with their coach. The
//! parallel process built on them is `TandemStore.parallel()` (`parallel.rs`).
//!
//! Edits are one or two durable writes and reads come from documents held in memory once
//! loaded: quick enough for a UI thread. The calls that talk to the server are `async`.
//!
//! Relationship documents (care, coaching) arrive with a sync: until one has brought them,
//! calls about them answer `NotFound`. Who may do what is checked against the people a document
//! names (`NotPermitted` otherwise): the practitioner sets agendas, brings case reviews and
//! shares; each person answers alliance check-ins about the other.

use std::sync::Arc;
use std::time::SystemTime;

use tandem_core::sync::session;
use tandem_core::Store;

use crate::convert;
use crate::error::TandemError;
use crate::input::*;
use crate::journey::into_all;
use crate::relationship::*;
use crate::runtime::run;
use crate::store::TandemStore;

/// Coaching, for one store (see `TandemStore.coaching`). Safe to
/// use from any thread.
#[derive(uniffi::Object)]
pub struct Coaching {
    store: Arc<Store>,
}

impl Coaching {
    fn store(&self) -> Arc<Store> {
        self.store.clone()
    }
}

#[uniffi::export]
impl TandemStore {
    /// Coaching relationships, reflections, alliance and wellbeing of this store. Quick.
    pub fn coaching(&self) -> Arc<Coaching> {
        Arc::new(Coaching {
            store: self.store(),
        })
    }
}

#[uniffi::export]
impl Coaching {
    // ----- relationships -----

    /// This person's care and coaching relationships, as the server listed them at the last
    /// sync. Quick.
    pub fn relationships(&self) -> Result<Vec<Relationship>, TandemError> {
        Ok(into_all(self.store().relationships()?))
    }

    /// Everything in the coaching relationship `doc_id`, as either of its people sees it;
    /// `NotFound` until a sync has brought it. Quick once loaded.
    pub fn relationship(&self, doc_id: String) -> Result<CoachingRelationship, TandemError> {
        Ok(self.store().coaching(&doc_id)?.into())
    }

    // ----- the coaching relationship -----

    /// Records the coaching condition from `from` (`YYYY-MM-DD`) on, with an optional note
    /// (either person may); returns the record's id. Quick: one durable write.
    #[uniffi::method(default(note = None))]
    pub fn set_condition(
        &self,
        doc_id: String,
        condition: CoachingCondition,
        from: String,
        note: Option<String>,
    ) -> Result<String, TandemError> {
        let from = convert::date("from", &from)?;
        Ok(self
            .store()
            .set_coaching_condition(&doc_id, condition, from, note.as_deref())?)
    }

    /// Adds a coaching session on `date` (`YYYY-MM-DD`) with its agenda (the practitioner
    /// sets it); returns its id. Quick: one durable write.
    pub fn add_session(
        &self,
        doc_id: String,
        date: String,
        agenda: String,
    ) -> Result<String, TandemError> {
        let date = convert::date("date", &date)?;
        Ok(self.store().add_coaching_session(&doc_id, date, &agenda)?)
    }

    /// Changes a session's date and agenda (the practitioner). Quick: one durable write.
    pub fn update_session(
        &self,
        doc_id: String,
        session_id: String,
        date: String,
        agenda: String,
    ) -> Result<(), TandemError> {
        let date = convert::date("date", &date)?;
        Ok(self
            .store()
            .update_coaching_session(&doc_id, &session_id, date, &agenda)?)
    }

    /// Comments on a session (either person; typically the coach on the agenda); returns the
    /// comment's id. Quick: one durable write.
    pub fn comment_on_session(
        &self,
        doc_id: String,
        session_id: String,
        text: String,
    ) -> Result<String, TandemError> {
        Ok(self
            .store()
            .comment_on_session(&doc_id, &session_id, &text)?)
    }

    /// The pseudonymous code for one of this practitioner's clients (by person id, from
    /// `relationships`), the same on all their devices and meaningless to anyone else: use it
    /// in case reviews and reflections instead of a name. Quick.
    pub fn client_code(&self, client_person_id: String) -> Result<String, TandemError> {
        Ok(self.store().client_code(&client_person_id)?)
    }

    /// Brings a case to skills-acquisition coaching (the practitioner); returns its id. Refused
    /// with `NotPermitted` when the coaching is not skills-acquisition on the review's date.
    /// Quick: one durable write.
    pub fn add_case_review(
        &self,
        doc_id: String,
        input: CaseReviewInput,
    ) -> Result<String, TandemError> {
        Ok(self.store().add_case_review(&doc_id, &input.try_into()?)?)
    }

    /// Removes a case review (the practitioner). Quick: one durable write.
    pub fn remove_case_review(&self, doc_id: String, review_id: String) -> Result<(), TandemError> {
        Ok(self.store().remove_case_review(&doc_id, &review_id)?)
    }

    // ----- reflections (private until shared) -----

    /// The reflections in this person's private document, oldest first. Quick.
    pub fn reflections(&self) -> Result<Vec<Reflection>, TandemError> {
        Ok(into_all(self.store().reflections()?))
    }

    /// Adds a reflection to this person's private document (their own devices only); returns
    /// its id. Quick: one durable write.
    pub fn add_reflection(&self, input: ReflectionInput) -> Result<String, TandemError> {
        Ok(self.store().add_reflection(&input.try_into()?)?)
    }

    /// Changes a reflection; the copies shared into coaching change with it. Quick: a durable
    /// write per copy, and one.
    pub fn update_reflection(&self, id: String, input: ReflectionInput) -> Result<(), TandemError> {
        Ok(self.store().update_reflection(&id, &input.try_into()?)?)
    }

    /// Removes a reflection, withdrawing every shared copy first. Quick.
    pub fn remove_reflection(&self, id: String) -> Result<(), TandemError> {
        Ok(self.store().remove_reflection(&id)?)
    }

    /// Shares a copy of a reflection (without its plans and clients) into a coaching
    /// relationship; the coach sees it after both sync. Sharing again brings the copy up to
    /// date. Returns the copy's id. Quick: two durable writes.
    pub fn share_reflection(
        &self,
        id: String,
        coaching_doc: String,
    ) -> Result<String, TandemError> {
        Ok(self.store().share_reflection(&id, &coaching_doc)?)
    }

    /// Withdraws a shared reflection: its copy leaves the coaching document (and the coach's
    /// device, at their next sync after this one's), and later edits stay private.
    /// Quick: two durable writes.
    pub fn withdraw_reflection(&self, id: String, coaching_doc: String) -> Result<(), TandemError> {
        Ok(self.store().withdraw_reflection(&id, &coaching_doc)?)
    }

    // ----- alliance -----

    /// Answers an alliance check-in about the other person of a relationship (a client about
    /// their practitioner, in care; a practitioner about their coach, in coaching); returns its
    /// id. Quick: one durable write.
    pub fn add_alliance_check_in(
        &self,
        relationship_doc: String,
        input: AllianceInput,
    ) -> Result<String, TandemError> {
        Ok(self
            .store()
            .add_alliance_check_in(&relationship_doc, &input.try_into()?)?)
    }

    /// Writes (or, with none, clears) how a rupture was repaired, on the check-in that showed
    /// it. Quick: one durable write.
    pub fn set_repair_note(
        &self,
        relationship_doc: String,
        check_in_id: String,
        note: Option<String>,
    ) -> Result<(), TandemError> {
        Ok(self
            .store()
            .set_repair_note(&relationship_doc, &check_in_id, note.as_deref())?)
    }

    /// Every alliance check-in of a care or coaching relationship, oldest first. Quick.
    pub fn alliance_check_ins(
        &self,
        relationship_doc: String,
    ) -> Result<Vec<AllianceCheckIn>, TandemError> {
        Ok(into_all(
            self.store().alliance_check_ins(&relationship_doc)?,
        ))
    }

    /// The ruptures in each of this person's relationships that are on this device. Quick.
    pub fn ruptures(&self) -> Result<Vec<RelationshipRuptures>, TandemError> {
        Ok(into_all(self.store().ruptures()?))
    }

    // ----- wellbeing -----

    /// Adds a wellbeing entry (WHO-5, stress, burnout: at least one) to this person's own
    /// journey; returns its id. Quick: one durable write.
    pub fn add_wellbeing(&self, input: WellbeingInput) -> Result<String, TandemError> {
        Ok(self.store().add_wellbeing(&input.try_into()?)?)
    }

    /// Removes a wellbeing entry. Quick: one durable write.
    pub fn remove_wellbeing(&self, id: String) -> Result<(), TandemError> {
        Ok(self.store().remove_wellbeing(&id)?)
    }

    /// This person's wellbeing entries, oldest first. Quick.
    pub fn wellbeing(&self) -> Result<Vec<WellbeingEntry>, TandemError> {
        Ok(into_all(self.store().wellbeing()?))
    }

    /// Shares the chosen measures of one wellbeing entry into a coaching relationship; sharing
    /// it again replaces what was shared. Returns the copy's id. Quick: one durable write.
    pub fn share_wellbeing(
        &self,
        entry_id: String,
        coaching_doc: String,
        measures: WellbeingMeasures,
    ) -> Result<String, TandemError> {
        Ok(self
            .store()
            .share_wellbeing(&entry_id, &coaching_doc, measures.into())?)
    }

    /// Withdraws a shared wellbeing entry from a coaching relationship. Quick.
    pub fn withdraw_wellbeing(
        &self,
        entry_id: String,
        coaching_doc: String,
    ) -> Result<(), TandemError> {
        Ok(self.store().withdraw_wellbeing(&entry_id, &coaching_doc)?)
    }

    /// Shares one of this practitioner's own goals (its steps and the plans toward it) into a
    /// coaching relationship as of `now` (default: the current time): a part of their journey,
    /// in transformational coaching only. Sharing again brings the copy up to date; returns the
    /// copy's id. Quick: one durable write.
    #[uniffi::method(default(now = None))]
    pub fn share_goal(
        &self,
        goal_id: String,
        coaching_doc: String,
        now: Option<SystemTime>,
    ) -> Result<String, TandemError> {
        let now = convert::instant_or_now("now", now)?;
        Ok(self.store().share_goal(&goal_id, &coaching_doc, now)?)
    }

    /// Withdraws a shared goal from a coaching relationship. Quick.
    pub fn withdraw_goal(&self, goal_id: String, coaching_doc: String) -> Result<(), TandemError> {
        Ok(self.store().withdraw_goal(&goal_id, &coaching_doc)?)
    }
}

#[uniffi::export]
impl Coaching {
    /// Shares this practitioner's own journey with their coach, read-only, and records it in
    /// the coaching relationship: transformational coaching only (`NotPermitted` otherwise).
    /// The coach reads it with `linked_journey` after both sync. Returns the coach's person id.
    /// Network: async.
    pub async fn share_journey_with_coach(
        &self,
        coaching_doc: String,
    ) -> Result<String, TandemError> {
        let store = self.store();
        run(async move { Ok(session::share_journey_with_coach(&store, &coaching_doc).await?) })
            .await
    }

    /// Withdraws this practitioner's journey from their coach: the server stops syncing it to
    /// them at once, and the coaching relationship records it. Network: async.
    pub async fn withdraw_journey_from_coach(
        &self,
        coaching_doc: String,
    ) -> Result<(), TandemError> {
        let store = self.store();
        run(async move { Ok(session::withdraw_journey_from_coach(&store, &coaching_doc).await?) })
            .await
    }
}
