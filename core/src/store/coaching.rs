//! Coaching, reflections, alliance, wellbeing and the parallel view, on the store.
//!
//! Who may write what is checked here, against the people a care or coaching document names:
//! the practitioner sets a coaching session's agenda and brings case reviews, either person may
//! comment or set the condition, and each person answers alliance check-ins about the other
//! (a client about their practitioner, a practitioner about their coach). The server lets both
//! people write the whole document; these checks keep the apps honest.

use automerge::Automerge;
use chrono::{DateTime, NaiveDate, Utc};
use samod::DocumentId;

use super::Store;
use crate::coaching::alliance::{ruptures, Rupture};
use crate::coaching::export::{research_export, ResearchExport};
use crate::coaching::parallel::{
    parallel_view, ClientData, JourneyData, ParallelInput, ParallelView, SharedSummary,
    SummaryChoices,
};
use crate::coaching::*;
use crate::document::coaching::{self as cdoc, AllianceRecord, ConditionInput, SessionInput};
use crate::document::journey::{self as jdoc, read_records};
use crate::document::{header_str, DocKind};
use crate::error::{Error, Result};
use crate::people::ConsentTopic;
use crate::schedule::parse_time_zone;
use crate::sync::api::Role;

/// The longest range the parallel view covers (about five years of weeks).
pub const MAX_VIEW_DAYS: i64 = 5 * 366;

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
    fn me(&self) -> &str {
        &self.identity().person_id
    }

    pub(super) fn doc_id(id: &str) -> Result<DocumentId> {
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
    fn read_relationship<R>(
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
    fn my_part(&self, id: &str, kind: DocKind) -> Result<&'static str> {
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

    fn require_part(&self, id: &str, kind: DocKind, part: &str, doing: &str) -> Result<()> {
        let mine = self.my_part(id, kind)?;
        if mine != part {
            return Err(Error::NotPermitted(format!(
                "only the {part} {doing}; this person is the {mine} here"
            )));
        }
        Ok(())
    }

    fn edit_relationship<R>(
        &self,
        id: &str,
        kind: DocKind,
        f: impl FnOnce(&mut automerge::transaction::Transaction<'_>) -> Result<R>,
    ) -> Result<R> {
        self.edit_doc(&Self::doc_id(id)?, kind, None, f)
    }

    /// Today's date in this person's time zone.
    fn today_here(&self) -> Result<NaiveDate> {
        let zone = self
            .read_doc(
                &self.journey_id.clone(),
                DocKind::Journey,
                true,
                jdoc::time_zone,
            )?
            .unwrap_or_else(|| "UTC".to_string());
        let tz = parse_time_zone(&zone).unwrap_or(chrono_tz::UTC);
        Ok(self.now().with_timezone(&tz).date_naive())
    }

    // ----- coaching -----

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
        let consent = crate::people::consent(
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

    // ----- reflections (private) -----

    fn private_id(&self) -> Result<DocumentId> {
        Self::doc_id(&self.identity().private_id)
    }

    /// The reflections in this person's private document, oldest first.
    pub fn reflections(&self) -> Result<Vec<Reflection>> {
        let id = self.private_id()?;
        let mut all: Vec<Reflection> = self
            .read_doc(&id, DocKind::Private, true, read_records)?
            .unwrap_or_default();
        all.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
        Ok(all)
    }

    fn reflection(&self, id: &str) -> Result<Reflection> {
        self.reflections()?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or_else(|| Error::not_found("reflection", id))
    }

    fn check_reflection_plans(&self, input: &ReflectionInput) -> Result<()> {
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
    fn remove_copies<R: jdoc::Record>(&self, coaching_doc: &str, source_id: &str) -> Result<()> {
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

    // ----- alliance -----

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
    fn alliance_in(&self, doc: &str, kind: DocKind) -> Result<Option<Vec<AllianceCheckIn>>> {
        let mut all: Vec<AllianceCheckIn> =
            match self.read_doc(&Self::doc_id(doc)?, kind, true, read_records)? {
                Some(all) => all,
                None => return Ok(None),
            };
        all.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
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
    fn relationship_kind(&self, id: &str) -> Result<DocKind> {
        self.relationships()?
            .into_iter()
            .find(|r| r.doc_id == id)
            .map(|r| r.kind)
            .ok_or_else(|| Error::not_found("relationship", id))
    }

    // ----- wellbeing -----

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
        all.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
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

    // ----- parts of the journey -----

    /// Shares one of the practitioner's own goals (with its steps and the plans toward it) into
    /// a coaching document: a part of their journey, in transformational coaching only. Sharing
    /// it again brings the copy up to date; returns the copy's id.
    pub fn share_goal(
        &self,
        goal_id: &str,
        coaching_doc: &str,
        now: DateTime<Utc>,
    ) -> Result<String> {
        self.require_part(
            coaching_doc,
            DocKind::Coaching,
            "practitioner",
            "shares their goals",
        )?;
        let coaching = self.coaching(coaching_doc)?;
        if condition_on(&coaching.conditions, now.date_naive())
            != Some(CoachingCondition::Transformational)
        {
            return Err(Error::NotPermitted(
                "a practitioner shares parts of their own journey in transformational coaching only"
                    .into(),
            ));
        }
        let journey = self.journey()?;
        let goal = journey
            .goal(goal_id)
            .ok_or_else(|| Error::not_found("goal", goal_id))?;
        let copy = SharedGoal {
            id: String::new(),
            source_id: goal.id.clone(),
            shared_at: now,
            text: goal.text.clone(),
            status: goal.status,
            importance: goal.importance,
            confidence: goal.confidence,
            target_date: goal.target_date,
            steps: goal
                .steps
                .iter()
                .map(|s| SharedStep {
                    text: s.text.clone(),
                    done: s.done,
                })
                .collect(),
            plans: journey
                .plans
                .iter()
                .filter(|p| p.goal_id.as_deref() == Some(goal_id))
                .map(|p| p.what.clone())
                .collect(),
        };
        self.edit_relationship(coaching_doc, DocKind::Coaching, |tx| {
            cdoc::put_copy::<SharedGoal, _>(tx, goal_id, &copy, self.now())
        })
    }

    /// Withdraws a shared goal from a coaching document.
    pub fn withdraw_goal(&self, goal_id: &str, coaching_doc: &str) -> Result<()> {
        self.require_part(
            coaching_doc,
            DocKind::Coaching,
            "practitioner",
            "withdraws their goals",
        )?;
        self.remove_copies::<SharedGoal>(coaching_doc, goal_id)
    }

    // ----- the parallel view -----

    /// The parallel view over `from..=to` as of `now`, from what is on this device: the
    /// person's own journey, their clients' journeys and care documents, their coaching
    /// documents and their wellbeing.
    pub fn parallel_view(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<ParallelView> {
        if to < from {
            return Err(Error::invalid("to", format!("{to} is before {from}")));
        }
        if (to - from).num_days() > MAX_VIEW_DAYS {
            return Err(Error::invalid(
                "to",
                format!("the view covers at most {MAX_VIEW_DAYS} days; {from} to {to} is longer"),
            ));
        }
        let own = self.journey()?;
        let own_tz = parse_time_zone(&own.time_zone)?;
        let own_check_ins = self.check_ins(from, to)?;
        let me = self.me().to_string();

        let mut clients = Vec::new();
        let mut coaching_alliance = Vec::new();
        for rel in self.relationships()? {
            match rel.kind {
                DocKind::Coaching => {
                    if let Some(all) = self.alliance_in(&rel.doc_id, rel.kind)? {
                        coaching_alliance.extend(all.into_iter().filter(|c| c.by == me));
                    }
                }
                _ if rel.role == Role::Client => {
                    let Some(journey_id) = &rel.journey_id else {
                        continue;
                    };
                    let linked = self.linked_journey(journey_id)?;
                    let Ok(journey) = linked.journey() else {
                        continue; // not synced yet
                    };
                    let tz = parse_time_zone(&journey.time_zone).unwrap_or(chrono_tz::UTC);
                    let check_ins = linked.check_ins(from, to)?;
                    let alliance: Vec<AllianceCheckIn> = self
                        .alliance_in(&rel.doc_id, rel.kind)?
                        .unwrap_or_default()
                        .into_iter()
                        .filter(|c| c.by == rel.person_id)
                        .collect();
                    clients.push((journey, check_ins, tz, alliance));
                }
                _ => {}
            }
        }
        let wellbeing = self.wellbeing()?;
        let input = ParallelInput {
            own: JourneyData {
                journey: &own,
                check_ins: &own_check_ins,
                time_zone: own_tz,
            },
            clients: clients
                .iter()
                .map(|(journey, check_ins, tz, alliance)| ClientData {
                    journey: JourneyData {
                        journey,
                        check_ins,
                        time_zone: *tz,
                    },
                    alliance,
                })
                .collect(),
            coaching_alliance: &coaching_alliance,
            wellbeing: &wellbeing,
            from,
            to,
            now,
        };
        Ok(parallel_view(&input))
    }

    /// Shares a summary of the parallel view over `from..=to` into a coaching document; returns
    /// its id. It carries rates and counts, client figures only over at least three clients,
    /// wellbeing only if chosen, and the note if one is given.
    pub fn share_summary(
        &self,
        coaching_doc: &str,
        from: NaiveDate,
        to: NaiveDate,
        now: DateTime<Utc>,
        choices: &SummaryChoices,
    ) -> Result<String> {
        crate::journey::validate::check_optional_text(
            "note",
            choices.note.as_deref(),
            crate::journey::MAX_TEXT,
        )?;
        self.require_part(
            coaching_doc,
            DocKind::Coaching,
            "practitioner",
            "shares summaries",
        )?;
        let coaching = self.coaching(coaching_doc)?;
        let view = self.parallel_view(from, to, now)?;
        let own_tz = parse_time_zone(&self.journey()?.time_zone)?;
        let today = now.with_timezone(&own_tz).date_naive();
        let private = self.private_id()?;
        let released: Vec<cdoc::ReleasedWeek> = self
            .read_doc(&private, DocKind::Private, true, read_records)?
            .unwrap_or_default()
            .into_iter()
            .filter(|r: &cdoc::ReleasedWeek| r.coaching_doc == coaching_doc)
            .collect();
        let before: Vec<disclosure::Released> = released
            .into_iter()
            .map(|r| disclosure::Released {
                week_start: r.week_start,
                figures: r.figures,
            })
            .collect();
        let (weeks, releases) =
            disclosure::summary_weeks(&view.weeks, choices.include_wellbeing, today, &before);
        let releases: Vec<cdoc::ReleasedWeek> = releases
            .into_iter()
            .map(|r| cdoc::ReleasedWeek {
                coaching_doc: coaching_doc.to_string(),
                week_start: r.week_start,
                figures: r.figures,
            })
            .collect();
        let summary = SharedSummary {
            id: String::new(),
            shared_at: now,
            from,
            to,
            condition: condition_on(&coaching.conditions, today),
            weeks,
            note: choices.note.clone(),
            note_for_research: choices.note_for_research && choices.note.is_some(),
        };
        // What is released is remembered first: were the summary's write to fail after it,
        // the next summary would show the same figures, never different ones.
        if !releases.is_empty() {
            self.edit_doc(&private, DocKind::Private, None, |tx| {
                for release in &releases {
                    cdoc::remember_release(tx, release, self.now())?;
                }
                Ok(())
            })?;
        }
        self.edit_relationship(coaching_doc, DocKind::Coaching, |tx| {
            jdoc::add_record::<SharedSummary, _>(tx, &summary, self.now())
        })
    }

    /// Withdraws a shared summary from a coaching document.
    pub fn withdraw_summary(&self, coaching_doc: &str, summary_id: &str) -> Result<()> {
        self.require_part(
            coaching_doc,
            DocKind::Coaching,
            "practitioner",
            "withdraws summaries",
        )?;
        self.edit_relationship(coaching_doc, DocKind::Coaching, |tx| {
            jdoc::remove_record::<SharedSummary, _>(tx, summary_id)
        })
    }

    /// The coaching documents this person is in that are on this device.
    fn coaching_docs(&self) -> Result<Vec<Coaching>> {
        let mut out = Vec::new();
        for rel in self.relationships()? {
            if rel.kind != DocKind::Coaching {
                continue;
            }
            match self.coaching(&rel.doc_id) {
                Ok(c) => out.push(c),
                Err(Error::NotFound { .. }) => {} // not synced yet
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }

    /// For a coach: each practitioner's coaching (with what they shared), grouped by condition.
    pub fn coach_overview(&self) -> Result<CoachOverview> {
        let me = self.me().to_string();
        let mut groups: Vec<ConditionGroup> = Vec::new();
        let mut mine: Vec<Coaching> = self
            .coaching_docs()?
            .into_iter()
            .filter(|c| c.coach == me)
            .collect();
        mine.sort_by(|a, b| (a.condition, &a.practitioner).cmp(&(b.condition, &b.practitioner)));
        for coaching in mine {
            match groups.last_mut() {
                Some(g) if g.condition == coaching.condition => g.practitioners.push(coaching),
                _ => groups.push(ConditionGroup {
                    condition: coaching.condition,
                    practitioners: vec![coaching],
                }),
            }
        }
        Ok(CoachOverview { groups })
    }

    /// The research export over the summaries shared in this person's coaching documents (a
    /// coach's: every practitioner's; a practitioner's: their own), weeks starting in
    /// `from..=to`.
    pub fn research_export(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<ResearchExport> {
        if to < from {
            return Err(Error::invalid("to", format!("{to} is before {from}")));
        }
        Ok(research_export(&self.coaching_docs()?, from, to, now))
    }
}

/// Who answers alliance check-ins in a document of `kind`.
fn answering_part(kind: DocKind) -> &'static str {
    match kind {
        DocKind::Care => "client",
        _ => "practitioner",
    }
}

fn kind_name(kind: DocKind) -> &'static str {
    match kind {
        DocKind::Care => "care document",
        _ => "coaching document",
    }
}
