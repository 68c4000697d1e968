//! A summary of the parallel view as a practitioner shares it into a coaching document: rates
//! and counts only, client figures only as the disclosure rules release them.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{ParallelWeek, WellbeingPoint};
use crate::coaching::CoachingCondition;

/// A summary of a parallel view, as shared into a coaching document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharedSummary {
    /// Its id in the coaching document.
    pub id: String,
    pub shared_at: DateTime<Utc>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The coaching condition when it was shared.
    pub condition: Option<CoachingCondition>,
    pub weeks: Vec<SummaryWeek>,
    /// The practitioner's note, if they wrote one.
    pub note: Option<String>,
    /// The practitioner agreed that the note may go into research exports.
    pub note_for_research: bool,
}

/// One week of a shared summary: rates and counts only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummaryWeek {
    pub week_start: NaiveDate,
    pub own_planned: u32,
    pub own_rate: Option<f64>,
    /// Present only for a week with at least [`MIN_CLIENTS`](super::MIN_CLIENTS) contributing clients.
    pub clients_rate: Option<f64>,
    pub clients: Option<u32>,
    /// Present only for a week with at least [`MIN_CLIENTS`](super::MIN_CLIENTS) clients answering alliance
    /// check-ins (`rupture_clients` of them).
    pub client_ruptures: Option<u32>,
    pub rupture_clients: Option<u32>,
    /// The week had not ended when the summary was shared, so its client figures were held
    /// back (they are shared once the week is over).
    #[serde(default)]
    pub week_open: bool,
    pub coaching_ruptures: u32,
    /// Present only when the practitioner chose to share their wellbeing.
    pub wellbeing: Option<WellbeingPoint>,
}

/// The client figures of one week once shared with a coach. A coach who could compare two
/// summaries of the same week (shared before and after one more client checked in, say) could
/// subtract one from the other and learn about a single client; so the first figures released
/// for a week stay the ones every later summary to that coaching document shows, and a week's
/// figures are released only once it has ended.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReleasedFigures {
    /// (clients' completion rate, clients behind it).
    pub completion: Option<(f64, u32)>,
    /// (client ruptures, clients answering).
    pub ruptures: Option<(u32, u32)>,
}

/// What a practitioner chooses when sharing a summary.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SummaryChoices {
    pub include_wellbeing: bool,
    pub note: Option<String>,
    pub note_for_research: bool,
}

impl SummaryWeek {
    /// One week of `view`, as it may be shared.
    pub fn of(week: &ParallelWeek, include_wellbeing: bool) -> SummaryWeek {
        SummaryWeek {
            week_start: week.week_start,
            own_planned: week.own.planned,
            own_rate: week.own.rate,
            clients_rate: week.clients.as_ref().and_then(|c| c.completion.rate),
            clients: week.clients.as_ref().map(|c| c.clients),
            client_ruptures: week.client_ruptures.as_ref().map(|r| r.ruptures),
            rupture_clients: week.client_ruptures.as_ref().map(|r| r.clients),
            week_open: false,
            coaching_ruptures: week.coaching_ruptures,
            wellbeing: if include_wellbeing {
                week.wellbeing.clone()
            } else {
                None
            },
        }
    }
}
