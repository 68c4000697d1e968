//! The parallel process on a practitioner's and a coach's devices: the view from what is on
//! this device, summaries released into a coaching document (through the disclosure rules),
//! the coach's overview, and the research export.

use chrono::{DateTime, NaiveDate, Utc};

use crate::coaching::*;
use crate::document::coaching::{self as cdoc};
use crate::document::journey::{self as jdoc, read_records};
use crate::document::DocKind;
use crate::error::{Error, Result};
use crate::journey::schedule::parse_time_zone;
use crate::parallel::disclosure;
use crate::parallel::export::{research_export, ResearchExport};
use crate::parallel::{
    parallel_view, ClientData, JourneyData, ParallelInput, ParallelView, SharedSummary,
    SummaryChoices,
};
use crate::sync::api::Role;
use crate::Store;

/// The longest range the parallel view covers (about five years of weeks).
pub const MAX_VIEW_DAYS: i64 = 5 * 366;

impl Store {
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
                    let tz = parse_time_zone(&journey.time_zone)
                        .unwrap_or_else(|_| crate::zone::Zone::utc());
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
    pub(crate) fn coaching_docs(&self) -> Result<Vec<Coaching>> {
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
