//! Coaching as the two people record it: the condition, sessions with agendas and comments,
//! case reviews that name a client by code only, and the record that a practitioner shares
//! their own journey.

use chrono::NaiveDate;

use crate::coaching::*;
use crate::document::coaching::{self as cdoc, ConditionInput, SessionInput};
use crate::document::journey::{self as jdoc};
use crate::document::DocKind;
use crate::error::{Error, Result};
use crate::relationships::ConsentTopic;
use crate::sync::api::Role;
use crate::Store;

impl Store {
    /// A coaching document, as either of its people sees it.
    pub fn coaching(&self, doc_id: &str) -> Result<Coaching> {
        self.my_part(doc_id, DocKind::Coaching)?;
        let today = self.today_here()?;
        self.read_relationship(doc_id, DocKind::Coaching, |doc| {
            cdoc::read_coaching(doc, doc_id, today)
        })
    }

    /// Records the coaching condition from `from` on (either person may); returns the record's id.
    pub fn set_coaching_condition(
        &self,
        doc_id: &str,
        condition: CoachingCondition,
        from: NaiveDate,
        note: Option<&str>,
    ) -> Result<String> {
        check_note(note)?;
        self.my_part(doc_id, DocKind::Coaching)?;
        let input = ConditionInput {
            condition,
            from,
            set_by: self.me().to_string(),
            note: note.map(str::to_owned),
        };
        self.edit_relationship(doc_id, DocKind::Coaching, |tx| {
            jdoc::add_record::<ConditionChange, _>(tx, &input, self.now())
        })
    }

    /// Adds a coaching session with its agenda (the practitioner sets it).
    pub fn add_coaching_session(
        &self,
        doc_id: &str,
        date: NaiveDate,
        agenda: &str,
    ) -> Result<String> {
        check_agenda(agenda)?;
        self.require_part(doc_id, DocKind::Coaching, "practitioner", "sets the agenda")?;
        let input = SessionInput {
            date,
            agenda: agenda.to_string(),
        };
        self.edit_relationship(doc_id, DocKind::Coaching, |tx| {
            jdoc::add_record::<CoachingSession, _>(tx, &input, self.now())
        })
    }

    /// Changes a session's date and agenda (the practitioner).
    pub fn update_coaching_session(
        &self,
        doc_id: &str,
        session_id: &str,
        date: NaiveDate,
        agenda: &str,
    ) -> Result<()> {
        check_agenda(agenda)?;
        self.require_part(doc_id, DocKind::Coaching, "practitioner", "sets the agenda")?;
        let input = SessionInput {
            date,
            agenda: agenda.to_string(),
        };
        self.edit_relationship(doc_id, DocKind::Coaching, |tx| {
            jdoc::update_record::<CoachingSession, _>(tx, session_id, &input)
        })
    }

    /// Comments on a session (either person; typically the coach on the agenda).
    pub fn comment_on_session(&self, doc_id: &str, session_id: &str, text: &str) -> Result<String> {
        check_comment(text)?;
        self.my_part(doc_id, DocKind::Coaching)?;
        let me = self.me().to_string();
        self.edit_relationship(doc_id, DocKind::Coaching, |tx| {
            cdoc::add_comment(tx, session_id, &me, text, self.now())
        })
    }

    /// The pseudonymous code for a client of this practitioner, the same on all their devices
    /// and meaningless to anyone else: a hash of the client's id with the practitioner's private
    /// document id, which only their own devices (and the server, which holds the documents
    /// anyway) know.
    pub fn client_code(&self, client_person_id: &str) -> Result<String> {
        let is_client = self
            .links()?
            .iter()
            .any(|l| l.person_id == client_person_id && l.role == Role::Client);
        if !is_client {
            return Err(Error::not_found("client", client_person_id));
        }
        let digest = crate::document::digest(&[
            "tandem-client-code-v1",
            &self.identity().private_id,
            client_person_id,
        ]);
        Ok(format!("C-{}", base32(&digest[..5])))
    }

    /// Brings a case to skills-acquisition coaching (the practitioner). The client is named by
    /// their code only; in transformational coaching case reviews are refused.
    pub fn add_case_review(&self, doc_id: &str, input: &CaseReviewInput) -> Result<String> {
        check_case_review(input)?;
        self.require_part(
            doc_id,
            DocKind::Coaching,
            "practitioner",
            "brings case reviews",
        )?;
        let coaching = self.coaching(doc_id)?;
        match condition_on(&coaching.conditions, input.date) {
            Some(CoachingCondition::SkillsAcquisition) => {}
            other => {
                return Err(Error::NotPermitted(format!(
                    "case reviews belong to skills-acquisition coaching; on {} this coaching is {}",
                    input.date,
                    other.map_or("without a condition", |c| c.as_str())
                )))
            }
        }
        self.edit_relationship(doc_id, DocKind::Coaching, |tx| {
            jdoc::add_record::<CaseReview, _>(tx, input, self.now())
        })
    }

    pub fn remove_case_review(&self, doc_id: &str, review_id: &str) -> Result<()> {
        self.require_part(
            doc_id,
            DocKind::Coaching,
            "practitioner",
            "removes case reviews",
        )?;
        self.edit_relationship(doc_id, DocKind::Coaching, |tx| {
            jdoc::remove_record::<CaseReview, _>(tx, review_id)
        })
    }

    /// Records, in the coaching document, that the practitioner shares their own journey with
    /// the coach (or withdraws it). Only in transformational coaching. The server grant itself
    /// is [`crate::sync::session::share_journey_with_coach`], which checks the condition.
    pub(crate) fn record_journey_sharing(&self, doc_id: &str, shared: bool) -> Result<String> {
        self.require_part(
            doc_id,
            DocKind::Coaching,
            "practitioner",
            "shares their journey",
        )?;
        let coaching = self.coaching(doc_id)?;
        let what = if shared {
            cdoc::JOURNEY_SHARED
        } else {
            cdoc::JOURNEY_WITHDRAWN
        };
        // Withdrawing records no text: nothing is agreed to.
        let consent = crate::relationships::consent(
            shared.then_some(ConsentTopic::JourneyToCoach),
            self.me(),
            &coaching.coach,
            what,
            self.now(),
        );
        self.edit_relationship(doc_id, DocKind::Coaching, |tx| {
            crate::document::record_consent(tx, &consent)
        })?;
        Ok(coaching.coach)
    }
}
