//! What a person looks at: check-ins over a range, today's list, reminders and insights.

use chrono::{DateTime, NaiveDate, Utc};
use samod::DocumentId;

use crate::document::check_ins::{is_recent, period_doc_id, period_of, read_check_ins};
use crate::document::journey as jdoc;
use crate::document::DocKind;
use crate::error::{Error, Result};
use crate::journey::insights::{self, Insights};
use crate::journey::schedule::{self, Reminder, TodayItem};
use crate::journey::{CheckIn, Journey};
use crate::Store;

impl Store {
    /// Check-ins dated `from..=to`, by date, time and plan.
    ///
    /// Only months the journey lists are read. Months past are not kept in memory, so looking
    /// back over years does not keep years in memory; their check-ins are read from a copy
    /// kept beside their rows (`month_cache.rs`).
    pub fn check_ins(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<CheckIn>> {
        self.check_ins_of(&self.journey_id, from, to)
    }

    pub(crate) fn check_ins_of(
        &self,
        journey_id: &DocumentId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<CheckIn>> {
        if to < from {
            return Err(Error::invalid("to", format!("{to} is before {from}")));
        }
        let journey_id = journey_id.clone();
        let months = self
            .read_doc(&journey_id, DocKind::Journey, true, jdoc::check_in_periods)?
            .unwrap_or_default();
        let (first, last) = (period_of(from), period_of(to));
        let mut all = Vec::new();
        for period in months.iter().filter(|p| **p >= first && **p <= last) {
            // The id is derived, not taken from the listing: a peer cannot redirect us.
            let doc_id = period_doc_id(&journey_id.to_string(), period);
            let keep = is_recent(period, self.now());
            if keep || self.lock_docs().contains_key(&doc_id) {
                let read = |doc: &automerge::Automerge| read_check_ins(doc, from, to);
                if let Some(found) = self.read_doc(&doc_id, DocKind::CheckIns, keep, read)? {
                    all.extend(found);
                }
            } else if let Some(month) = self.past_month(&doc_id)? {
                all.extend(month.into_iter().filter(|c| c.date >= from && c.date <= to));
            }
        }
        Ok(all)
    }

    fn journey_and_zone(&self) -> Result<(Journey, crate::zone::Zone)> {
        let journey = self.journey()?;
        let tz = schedule::parse_time_zone(&journey.time_zone)?;
        Ok((journey, tz))
    }

    /// Today's occurrences (due, done, missed ...) as of `now`, in the journey's time zone.
    pub fn today(&self, now: DateTime<Utc>) -> Result<Vec<TodayItem>> {
        let (journey, tz) = self.journey_and_zone()?;
        let date = now.with_timezone(&tz).date_naive();
        let check_ins = self.check_ins(date, date)?;
        Ok(schedule::today(&journey.plans, &check_ins, now, tz))
    }

    /// Reminders due after `now` over the next `days` days, for local notifications.
    pub fn reminders(&self, now: DateTime<Utc>, days: u32) -> Result<Vec<Reminder>> {
        let (journey, tz) = self.journey_and_zone()?;
        let from = now.with_timezone(&tz).date_naive();
        // Only today's occurrences can already be checked in; later days cannot be yet.
        let check_ins = self.check_ins(from, from)?;
        Ok(schedule::reminders(
            &journey.plans,
            &check_ins,
            now,
            days,
            tz,
        ))
    }

    /// Completion, streaks, reasons and rating trends over `from..=to`, as of `now`.
    pub fn insights(&self, from: NaiveDate, to: NaiveDate, now: DateTime<Utc>) -> Result<Insights> {
        let (journey, tz) = self.journey_and_zone()?;
        let check_ins = self.check_ins(from, to)?;
        Ok(insights::insights(&journey, &check_ins, from, to, now, tz))
    }
}
