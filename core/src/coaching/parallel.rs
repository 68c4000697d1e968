//! The parallel view: a practitioner's own figures beside the same figures over their clients,
//! computed on the practitioner's device, for the practitioner first.
//!
//! Week by week (ISO weeks, Monday first, cut by the range):
//! - completion of their own action plans (as [`crate::insights`] counts it) and the reasons
//!   they gave for not doing them;
//! - the same over all their clients together, **only where at least [`MIN_CLIENTS`] clients
//!   had planned occurrences that week** — otherwise "not enough data" (`None`);
//! - ruptures in their client relationships (the clients' own alliance check-ins, in the care
//!   documents), only where at least [`MIN_CLIENTS`] clients answered that week, beside ruptures
//!   in their coaching relationship (their own check-ins about their coach);
//! - their wellbeing (weekly means).
//!
//! Reflection prompts are raised where the two sides move together. A practitioner may share a
//! [`SharedSummary`] of the view into a coaching document: it carries rates and counts only,
//! client figures only where the view has them, and wellbeing only by opt-in.

use std::collections::BTreeMap;

use chrono::{DateTime, Days, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::alliance::ruptures;
use super::{AllianceCheckIn, CoachingCondition, WellbeingEntry};
use crate::insights::{insights, week_start, Completion, ReasonCount};
use crate::journey::{word_enum, CheckIn, Journey, Reason};

/// The fewest clients a client figure may be computed over.
pub const MIN_CLIENTS: u32 = 3;
/// A fall in completion rate (as a fraction) that counts as "falling".
pub const RATE_FALL: f64 = 0.15;
/// A fall in the weekly WHO-5 percentage that counts as "falling".
pub const WHO5_FALL: f64 = 10.0;

/// One person's journey and check-ins, as the parallel view reads them.
pub struct JourneyData<'a> {
    pub journey: &'a Journey,
    pub check_ins: &'a [CheckIn],
    pub time_zone: Tz,
}

/// One client: their journey, and their alliance check-ins about this practitioner.
pub struct ClientData<'a> {
    pub journey: JourneyData<'a>,
    pub alliance: &'a [AllianceCheckIn],
}

/// Everything the view is computed from; all of it is on the practitioner's device.
pub struct ParallelInput<'a> {
    pub own: JourneyData<'a>,
    pub clients: Vec<ClientData<'a>>,
    /// The practitioner's own alliance check-ins about their coach(es), whole history.
    pub coaching_alliance: &'a [AllianceCheckIn],
    pub wellbeing: &'a [WellbeingEntry],
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub now: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParallelView {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Every week of the range, oldest first.
    pub weeks: Vec<ParallelWeek>,
    /// Over the whole range.
    pub own: Completion,
    pub own_reasons: Vec<ReasonCount>,
    /// Over the whole range, when at least [`MIN_CLIENTS`] clients had planned occurrences.
    pub clients: Option<ClientCompletion>,
    /// Over the whole range, when at least [`MIN_CLIENTS`] clients gave alliance check-ins.
    pub client_ruptures: Option<ClientRuptures>,
    pub coaching_ruptures: u32,
    /// How many clients the practitioner has (for the practitioner's eyes only: never shared).
    pub caseload: u32,
    pub prompts: Vec<Prompt>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParallelWeek {
    /// The Monday of the week.
    pub week_start: NaiveDate,
    pub own: Completion,
    pub own_reasons: Vec<ReasonCount>,
    /// `None`: not enough data (fewer than [`MIN_CLIENTS`] clients had planned occurrences).
    pub clients: Option<ClientCompletion>,
    /// `None`: not enough data (fewer than [`MIN_CLIENTS`] clients answered an alliance check-in).
    pub client_ruptures: Option<ClientRuptures>,
    pub coaching_ruptures: u32,
    pub wellbeing: Option<WellbeingPoint>,
}

/// Completion over all clients together.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClientCompletion {
    /// How many clients contributed (at least [`MIN_CLIENTS`]).
    pub clients: u32,
    pub completion: Completion,
    pub reasons: Vec<ReasonCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClientRuptures {
    /// How many clients answered alliance check-ins (at least [`MIN_CLIENTS`]).
    pub clients: u32,
    pub ruptures: u32,
}

/// Weekly means of the wellbeing entries of one week.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WellbeingPoint {
    pub who5_percent: Option<f64>,
    pub stress: Option<f64>,
    pub burnout: Option<f64>,
}

word_enum!(
    /// What a reflection prompt was raised by.
    PromptKind {
        /// Completion fell in the practitioner's own plans and in their clients' in the same week.
        CompletionFellInBoth = "completion_fell_in_both",
        /// Ruptures in coaching and in client relationships in the same week.
        RupturesInBoth = "ruptures_in_both",
        /// The practitioner's most frequent reason is also their clients'.
        SameReason = "same_reason",
        /// Wellbeing fell in a week completion fell.
        WellbeingFell = "wellbeing_fell",
    }
);

/// A question for the practitioner to reflect on, raised by a parallel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Prompt {
    pub kind: PromptKind,
    /// The week it is about (`None` for the range as a whole).
    pub week_start: Option<NaiveDate>,
    pub text: String,
}

/// Computes the parallel view (see the module's documentation).
pub fn parallel_view(input: &ParallelInput<'_>) -> ParallelView {
    let (from, to, now) = (input.from, input.to, input.now);
    let week_ranges = weeks_of(from, to);

    let own_weeks: Vec<(Completion, Vec<ReasonCount>)> = week_ranges
        .iter()
        .map(|(a, b)| figures(&input.own, *a, *b, now))
        .collect();
    let client_weeks: Vec<Vec<(Completion, Vec<ReasonCount>)>> = input
        .clients
        .iter()
        .map(|c| {
            week_ranges
                .iter()
                .map(|(a, b)| figures(&c.journey, *a, *b, now))
                .collect()
        })
        .collect();
    let client_ruptures: Vec<Vec<NaiveDate>> = input
        .clients
        .iter()
        .map(|c| ruptures(c.alliance).into_iter().map(|r| r.date).collect())
        .collect();
    let coaching_ruptures: Vec<NaiveDate> = ruptures(input.coaching_alliance)
        .into_iter()
        .map(|r| r.date)
        .collect();

    let mut weeks = Vec::new();
    for (w, (a, b)) in week_ranges.iter().enumerate() {
        let in_week = |d: &NaiveDate| (*a..=*b).contains(d);
        let clients = client_completion(client_weeks.iter().map(|c| &c[w]));
        let answered = input
            .clients
            .iter()
            .filter(|c| c.alliance.iter().any(|x| in_week(&x.date)))
            .count() as u32;
        let client_ruptures = (answered >= MIN_CLIENTS).then(|| ClientRuptures {
            clients: answered,
            ruptures: client_ruptures
                .iter()
                .map(|r| r.iter().filter(|d| in_week(d)).count() as u32)
                .sum(),
        });
        weeks.push(ParallelWeek {
            week_start: week_start(*a),
            own: own_weeks[w].0.clone(),
            own_reasons: own_weeks[w].1.clone(),
            clients,
            client_ruptures,
            coaching_ruptures: coaching_ruptures.iter().filter(|d| in_week(d)).count() as u32,
            wellbeing: wellbeing_point(input.wellbeing.iter().filter(|e| in_week(&e.date))),
        });
    }

    let own_total = figures(&input.own, from, to, now);
    let clients_total: Vec<(Completion, Vec<ReasonCount>)> = input
        .clients
        .iter()
        .map(|c| figures(&c.journey, from, to, now))
        .collect();
    let clients = client_completion(clients_total.iter());
    let in_range = |d: &NaiveDate| (from..=to).contains(d);
    let answered = input
        .clients
        .iter()
        .filter(|c| c.alliance.iter().any(|x| in_range(&x.date)))
        .count() as u32;
    let client_ruptures_total = (answered >= MIN_CLIENTS).then(|| ClientRuptures {
        clients: answered,
        ruptures: client_ruptures
            .iter()
            .map(|r| r.iter().filter(|d| in_range(d)).count() as u32)
            .sum(),
    });

    let mut view = ParallelView {
        from,
        to,
        weeks,
        own: own_total.0,
        own_reasons: own_total.1,
        clients,
        client_ruptures: client_ruptures_total,
        coaching_ruptures: coaching_ruptures.iter().filter(|d| in_range(d)).count() as u32,
        caseload: input.clients.len() as u32,
        prompts: Vec::new(),
    };
    view.prompts = prompts(&view);
    view
}

/// The weeks meeting `from..=to`, each cut by the range.
fn weeks_of(from: NaiveDate, to: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
    let mut out = Vec::new();
    let mut start = week_start(from);
    while start <= to {
        let end = start + Days::new(6);
        out.push((start.max(from), end.min(to)));
        start = start + Days::new(7);
    }
    out
}

fn figures(
    data: &JourneyData<'_>,
    from: NaiveDate,
    to: NaiveDate,
    now: DateTime<Utc>,
) -> (Completion, Vec<ReasonCount>) {
    let found = insights(
        data.journey,
        data.check_ins,
        from,
        to,
        now,
        data.time_zone,
    );
    let completion = Completion::sum(found.per_plan.iter().map(|p| &p.completion));
    (completion, found.reasons)
}

/// The clients' figures together, if enough of them had planned occurrences.
fn client_completion<'a>(
    per_client: impl Iterator<Item = &'a (Completion, Vec<ReasonCount>)>,
) -> Option<ClientCompletion> {
    let contributing: Vec<&(Completion, Vec<ReasonCount>)> =
        per_client.filter(|(c, _)| c.planned > 0).collect();
    let clients = contributing.len() as u32;
    if clients < MIN_CLIENTS {
        return None;
    }
    let mut reasons: BTreeMap<Reason, u32> = BTreeMap::new();
    for (_, counts) in &contributing {
        for r in counts {
            *reasons.entry(r.reason).or_default() += r.count;
        }
    }
    Some(ClientCompletion {
        clients,
        completion: Completion::sum(contributing.iter().map(|(c, _)| c)),
        reasons: sorted_reasons(reasons),
    })
}

fn sorted_reasons(counts: BTreeMap<Reason, u32>) -> Vec<ReasonCount> {
    let mut reasons: Vec<ReasonCount> = counts
        .into_iter()
        .map(|(reason, count)| ReasonCount { reason, count })
        .collect();
    reasons.sort_by_key(|r| std::cmp::Reverse(r.count));
    reasons
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0u32), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / f64::from(n))
}

fn wellbeing_point<'a>(
    entries: impl Iterator<Item = &'a WellbeingEntry> + Clone,
) -> Option<WellbeingPoint> {
    let point = WellbeingPoint {
        who5_percent: mean(
            entries
                .clone()
                .filter_map(|e| e.who5_percent().map(f64::from)),
        ),
        stress: mean(entries.clone().filter_map(|e| e.stress.map(f64::from))),
        burnout: mean(entries.filter_map(|e| e.burnout.map(f64::from))),
    };
    (point.who5_percent.is_some() || point.stress.is_some() || point.burnout.is_some())
        .then_some(point)
}

/// A reason as a person reads it.
pub fn reason_words(reason: Reason) -> String {
    reason.as_str().replace('_', " ")
}

fn percent(rate: f64) -> String {
    format!("{:.0}%", rate * 100.0)
}

/// The prompts a view raises, in week order, the range-wide one last.
fn prompts(view: &ParallelView) -> Vec<Prompt> {
    let mut out = Vec::new();
    for pair in view.weeks.windows(2) {
        let (before, week) = (&pair[0], &pair[1]);
        let date = week.week_start;
        let own_fall = fall(before.own.rate, week.own.rate);
        let client_fall = fall(
            before.clients.as_ref().and_then(|c| c.completion.rate),
            week.clients.as_ref().and_then(|c| c.completion.rate),
        );
        if let (Some((own_was, own_now)), Some((their_was, their_now))) = (own_fall, client_fall) {
            out.push(Prompt {
                kind: PromptKind::CompletionFellInBoth,
                week_start: Some(date),
                text: format!(
                    "In the week of {date} your own plans slipped (from {} to {}) and so did your \
                     clients' plans (from {} to {}). What was going on for you that week, and \
                     does it echo anything you heard in your sessions?",
                    percent(own_was),
                    percent(own_now),
                    percent(their_was),
                    percent(their_now)
                ),
            });
        }
        let who5_fell = match (
            before.wellbeing.as_ref().and_then(|w| w.who5_percent),
            week.wellbeing.as_ref().and_then(|w| w.who5_percent),
        ) {
            (Some(was), Some(now)) => was - now >= WHO5_FALL,
            _ => false,
        };
        if who5_fell && (own_fall.is_some() || client_fall.is_some()) {
            out.push(Prompt {
                kind: PromptKind::WellbeingFell,
                week_start: Some(date),
                text: format!(
                    "Your wellbeing dipped in the week of {date}, as completion did. Looking \
                     after yourself is part of the work: what would help you this week?"
                ),
            });
        }
    }
    for week in &view.weeks {
        if week.coaching_ruptures > 0
            && week.client_ruptures.as_ref().is_some_and(|r| r.ruptures > 0)
        {
            out.push(Prompt {
                kind: PromptKind::RupturesInBoth,
                week_start: Some(week.week_start),
                text: format!(
                    "In the week of {} something felt strained with your coach, and in your \
                     client work too. Is the same thing happening in both places?",
                    week.week_start
                ),
            });
        }
    }
    if let (Some(mine), Some(theirs)) = (
        view.own_reasons.first(),
        view.clients.as_ref().and_then(|c| c.reasons.first()),
    ) {
        if mine.reason == theirs.reason {
            out.push(Prompt {
                kind: PromptKind::SameReason,
                week_start: None,
                text: format!(
                    "\"{}\" is the reason you give most often when your own plans do not happen, \
                     and the one your clients give most often too. What do you understand about \
                     it from the inside that could help them, or you?",
                    reason_words(mine.reason)
                ),
            });
        }
    }
    out.sort_by_key(|p| p.week_start.unwrap_or(NaiveDate::MAX));
    out
}

/// `Some((was, now))` when a rate fell by at least [`RATE_FALL`].
fn fall(was: Option<f64>, now: Option<f64>) -> Option<(f64, f64)> {
    match (was, now) {
        (Some(was), Some(now)) if was - now >= RATE_FALL - 1e-9 => Some((was, now)),
        _ => None,
    }
}

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
    /// Present only for a week with at least [`MIN_CLIENTS`] contributing clients.
    pub clients_rate: Option<f64>,
    pub clients: Option<u32>,
    /// Present only for a week with at least [`MIN_CLIENTS`] clients answering alliance
    /// check-ins (`rupture_clients` of them).
    pub client_ruptures: Option<u32>,
    pub rupture_clients: Option<u32>,
    pub coaching_ruptures: u32,
    /// Present only when the practitioner chose to share their wellbeing.
    pub wellbeing: Option<WellbeingPoint>,
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
            coaching_ruptures: week.coaching_ruptures,
            wellbeing: if include_wellbeing {
                week.wellbeing.clone()
            } else {
                None
            },
        }
    }

    /// Drops any client figure about fewer than [`MIN_CLIENTS`] clients (applied again when a
    /// summary is read, whoever wrote it).
    pub(crate) fn guarded(mut self) -> SummaryWeek {
        if self.clients.is_none_or(|n| n < MIN_CLIENTS) {
            self.clients = None;
            self.clients_rate = None;
        }
        if self.rupture_clients.is_none_or(|n| n < MIN_CLIENTS) {
            self.rupture_clients = None;
            self.client_ruptures = None;
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_are_iso_weeks_cut_by_the_range() {
        let d = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        // 2026-11-04 is a Wednesday.
        let weeks = weeks_of(d(11, 4), d(11, 17));
        assert_eq!(
            weeks,
            vec![
                (d(11, 4), d(11, 8)),
                (d(11, 9), d(11, 15)),
                (d(11, 16), d(11, 17))
            ]
        );
    }

    #[test]
    fn a_summary_read_back_never_carries_a_figure_about_fewer_than_three_clients() {
        let week = SummaryWeek {
            week_start: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            own_planned: 3,
            own_rate: Some(1.0),
            clients_rate: Some(0.5),
            clients: Some(2),
            client_ruptures: Some(1),
            rupture_clients: Some(2),
            coaching_ruptures: 0,
            wellbeing: None,
        };
        let guarded = week.guarded();
        assert_eq!(guarded.clients_rate, None);
        assert_eq!(guarded.client_ruptures, None);
        assert_eq!(guarded.own_rate, Some(1.0));
    }
}
