//! Journeys of other people this store may see (a practitioner's clients, a coach's
//! practitioner who shares their own), as far as the server shares them.

use chrono::{DateTime, NaiveDate, Utc};
use samod::DocumentId;

use crate::error::{Error, Result};
use crate::journey::insights::Insights;
use crate::journey::{CheckIn, Journey, PlanInput, ReviewInput};
use crate::Store;

/// Another person's journey, synced to this store.
pub struct LinkedJourney<'a> {
    store: &'a Store,
    id: DocumentId,
}

impl Store {
    /// The journey `journey_id` of a linked person (see [`Store::links`]). It is readable once a
    /// sync has brought it; writing needs the server's write access.
    pub fn linked_journey(&self, journey_id: &str) -> Result<LinkedJourney<'_>> {
        let id = journey_id.parse().map_err(|_| {
            Error::invalid("journey_id", format!("{journey_id} is not a document id"))
        })?;
        Ok(LinkedJourney { store: self, id })
    }
}

impl LinkedJourney<'_> {
    pub fn journey(&self) -> Result<Journey> {
        self.store.journey_doc(&self.id)
    }

    pub fn check_ins(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<CheckIn>> {
        self.store.check_ins_of(&self.id, from, to)
    }

    /// Agrees an action plan with the person (e.g. a practitioner with a client).
    pub fn add_plan(&self, input: &PlanInput) -> Result<String> {
        self.store.add_plan_to(&self.id, input)
    }

    pub fn update_plan(&self, plan_id: &str, input: &PlanInput) -> Result<()> {
        self.store.update_plan_in(&self.id, plan_id, input)
    }

    pub fn add_review(&self, input: &ReviewInput) -> Result<String> {
        self.store.add_review_to(&self.id, input)
    }

    /// Completion, streaks, reasons and trends of this journey over `from..=to`, as of `now`
    /// in the person's own time zone (what their practitioner looks at with them).
    pub fn insights(&self, from: NaiveDate, to: NaiveDate, now: DateTime<Utc>) -> Result<Insights> {
        let journey = self.journey()?;
        let tz = crate::journey::schedule::parse_time_zone(&journey.time_zone)?;
        let check_ins = self.check_ins(from, to)?;
        Ok(crate::journey::insights::insights(
            &journey, &check_ins, from, to, now, tz,
        ))
    }
}
