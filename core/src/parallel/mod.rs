//! The parallel process (docs/DESIGN.md). The parallel view: a practitioner's own figures beside the same figures over their clients,
//! computed on the practitioner's device, for the practitioner first.
//!
//! Week by week (ISO weeks, Monday first, cut by the range):
//! - completion of their own action plans (as [`crate::journey::insights`] counts it) and the reasons
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

use crate::zone::Zone;
use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub mod disclosure;
pub mod export;
mod store;
mod summary;

pub use store::MAX_VIEW_DAYS;
pub use summary::{ReleasedFigures, SharedSummary, SummaryChoices, SummaryWeek};

use crate::coaching::alliance::ruptures;
use crate::coaching::{AllianceCheckIn, WellbeingEntry};
use crate::journey::insights::{insights, week_start, Completion, ReasonCount};
use crate::journey::{CheckIn, Journey, Reason};
use tandem_protocol::word_enum;

use disclosure::enough_clients;
pub use disclosure::MIN_CLIENTS;
/// A fall in completion rate (as a fraction) that counts as "falling".
pub const RATE_FALL: f64 = 0.15;
/// A fall in the weekly WHO-5 percentage that counts as "falling".
pub const WHO5_FALL: f64 = 10.0;

/// One person's journey and check-ins, as the parallel view reads them.
pub struct JourneyData<'a> {
    pub journey: &'a Journey,
    pub check_ins: &'a [CheckIn],
    pub time_zone: Zone,
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
    PromptKind "kind of prompt" {
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
        let client_ruptures = enough_clients(answered).then(|| ClientRuptures {
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
    let client_ruptures_total = enough_clients(answered).then(|| ClientRuptures {
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
        let end = start
            .checked_add_days(Days::new(6))
            .unwrap_or(NaiveDate::MAX);
        out.push((start.max(from), end.min(to)));
        match start.checked_add_days(Days::new(7)) {
            Some(next) => start = next,
            None => break,
        }
    }
    out
}

fn figures(
    data: &JourneyData<'_>,
    from: NaiveDate,
    to: NaiveDate,
    now: DateTime<Utc>,
) -> (Completion, Vec<ReasonCount>) {
    let found = insights(data.journey, data.check_ins, from, to, now, data.time_zone);
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
    if !enough_clients(clients) {
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
            && week
                .client_ruptures
                .as_ref()
                .is_some_and(|r| r.ruptures > 0)
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

    /// A scripted caseload, worked out by hand. Plans on Mon/Wed/Fri from Monday 2 November
    /// 2026; three ISO weeks, w1 = 2–8, w2 = 9–15, w3 = 16–22 November; now is 23 November.
    /// D = done, P = partly, N = not done, - = no check-in.
    mod hand_worked {
        use super::super::*;
        use crate::coaching::{AllianceCheckIn, WellbeingEntry};
        use crate::journey::*;
        use chrono::{TimeZone, Weekday};

        fn day(d: u32) -> NaiveDate {
            NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
        }

        fn journey(owner: &str, start: u32) -> Journey {
            Journey {
                id: format!("journey-{owner}"),
                owner: owner.into(),
                time_zone: "UTC".into(),
                values: vec![],
                strengths: vec![],
                supports: vec![],
                visions: vec![],
                goals: vec![],
                plans: vec![ActionPlan {
                    id: format!("plan-{owner}"),
                    what: "Walk".into(),
                    place: None,
                    schedule: Schedule {
                        repeat: Repeat::Weekly {
                            days: vec![Weekday::Mon, Weekday::Wed, Weekday::Fri],
                        },
                        times: vec![],
                    },
                    earlier_schedules: vec![],
                    duration_minutes: None,
                    goal_id: None,
                    step_id: None,
                    barriers: None,
                    supports: None,
                    agreed_by: vec![],
                    reminder: false,
                    start: day(start),
                    end: None,
                }],
                reviews: vec![],
            }
        }

        /// Check-ins from a script of (day, outcome letter, reason).
        fn check_ins(owner: &str, script: &[(u32, char, Option<Reason>)]) -> Vec<CheckIn> {
            script
                .iter()
                .map(|(d, o, reason)| CheckIn {
                    plan_id: format!("plan-{owner}"),
                    date: day(*d),
                    time: None,
                    outcome: match o {
                        'D' => Outcome::Done,
                        'P' => Outcome::Partly,
                        _ => Outcome::NotDone,
                    },
                    reasons: reason.iter().copied().collect(),
                    reason_text: None,
                    note: None,
                    recorded_at: Utc.with_ymd_and_hms(2026, 11, *d, 20, 0, 0).unwrap(),
                })
                .collect()
        }

        fn alliance(by: &str, d: u32, score: u8, felt_off: bool) -> AllianceCheckIn {
            AllianceCheckIn {
                id: format!("{by}-{d}"),
                date: day(d),
                by: by.into(),
                goals: score,
                tasks: score,
                bond: score,
                felt_off,
                repair_note: None,
            }
        }

        #[test]
        fn the_view_matches_the_figures_worked_out_by_hand() {
            use Reason::{Forgot, NoTime};
            let (own, a, b, c) = (
                journey("alex", 2),
                journey("a", 2),
                journey("b", 2),
                journey("c", 9), // C's plan starts in w2
            );
            // Alex  w1 D D D | w2 D D N(no time) | w3 P(no time) N(no time) -
            let own_c = check_ins(
                "alex",
                &[
                    (2, 'D', None),
                    (4, 'D', None),
                    (6, 'D', None),
                    (9, 'D', None),
                    (11, 'D', None),
                    (13, 'N', Some(NoTime)),
                    (16, 'P', Some(NoTime)),
                    (18, 'N', Some(NoTime)),
                ],
            );
            // A     w1 D D D | w2 D D D | w3 D N(no time) N(no time)
            let a_c = check_ins(
                "a",
                &[
                    (2, 'D', None),
                    (4, 'D', None),
                    (6, 'D', None),
                    (9, 'D', None),
                    (11, 'D', None),
                    (13, 'D', None),
                    (16, 'D', None),
                    (18, 'N', Some(NoTime)),
                    (20, 'N', Some(NoTime)),
                ],
            );
            // B     w1 D P(forgot) D | w2 D D P(no time) | w3 P(no time) N(forgot) -
            let b_c = check_ins(
                "b",
                &[
                    (2, 'D', None),
                    (4, 'P', Some(Forgot)),
                    (6, 'D', None),
                    (9, 'D', None),
                    (11, 'D', None),
                    (13, 'P', Some(NoTime)),
                    (16, 'P', Some(NoTime)),
                    (18, 'N', Some(Forgot)),
                ],
            );
            // C     w1 (no plan) | w2 D N(forgot) D | w3 - - -
            let c_c = check_ins(
                "c",
                &[(9, 'D', None), (11, 'N', Some(Forgot)), (13, 'D', None)],
            );
            // Alliance, 0–10 items all alike. A: 8, 7, then 5 (level 7.5, a drop of 2.5:
            // rupture in w3). B: 9 flagged in w2 (rupture), 9 in w3. C: 6 in w3.
            let a_al = vec![
                alliance("a", 3, 8, false),
                alliance("a", 10, 7, false),
                alliance("a", 17, 5, false),
            ];
            let b_al = vec![alliance("b", 11, 9, true), alliance("b", 18, 9, false)];
            let c_al = vec![alliance("c", 19, 6, false)];
            // Alex about Priya: 9, 9, then 6 (level 9): rupture in w3.
            let coach_al = vec![
                alliance("alex", 4, 9, false),
                alliance("alex", 11, 9, false),
                alliance("alex", 18, 6, false),
            ];
            // WHO-5 80% (stress 4) in w2, 56% (stress 7) in w3.
            let wellbeing = vec![
                WellbeingEntry {
                    id: "w2".into(),
                    date: day(12),
                    who5: Some([4, 4, 4, 4, 4]),
                    stress: Some(4),
                    burnout: None,
                },
                WellbeingEntry {
                    id: "w3".into(),
                    date: day(19),
                    who5: Some([3, 3, 3, 3, 2]),
                    stress: Some(7),
                    burnout: None,
                },
            ];
            let data = |journey, check_ins| JourneyData {
                journey,
                check_ins,
                time_zone: Zone::utc(),
            };
            let input = ParallelInput {
                own: data(&own, &own_c),
                clients: vec![
                    ClientData {
                        journey: data(&a, &a_c),
                        alliance: &a_al,
                    },
                    ClientData {
                        journey: data(&b, &b_c),
                        alliance: &b_al,
                    },
                    ClientData {
                        journey: data(&c, &c_c),
                        alliance: &c_al,
                    },
                ],
                coaching_alliance: &coach_al,
                wellbeing: &wellbeing,
                from: day(2),
                to: day(22),
                now: Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap(),
            };
            let view = parallel_view(&input);
            let close = |x: Option<f64>, y: f64| (x.unwrap() - y).abs() < 1e-9;

            assert_eq!(view.weeks.len(), 3);
            let [w1, w2, w3] = [&view.weeks[0], &view.weeks[1], &view.weeks[2]];
            // Own: 3/3, 2/3, (0 + ½)/3.
            assert!(
                close(w1.own.rate, 1.0)
                    && close(w2.own.rate, 2.0 / 3.0)
                    && close(w3.own.rate, 0.5 / 3.0)
            );
            assert_eq!(
                (
                    w3.own.planned,
                    w3.own.partly,
                    w3.own.not_done,
                    w3.own.unanswered
                ),
                (3, 1, 1, 1)
            );
            // Clients: w1 only A and B had plans → not enough data.
            assert_eq!(w1.clients, None);
            // w2: 9 planned, 7 done, 1 partly → 7.5/9. w3: 9 planned, 1 done, 1 partly → 1.5/9.
            let c2 = w2.clients.as_ref().unwrap();
            assert_eq!(
                (
                    c2.clients,
                    c2.completion.planned,
                    c2.completion.done,
                    c2.completion.partly
                ),
                (3, 9, 7, 1)
            );
            assert!(close(c2.completion.rate, 7.5 / 9.0));
            let c3 = w3.clients.as_ref().unwrap();
            assert!(close(c3.completion.rate, 1.5 / 9.0));
            assert_eq!(c3.completion.unanswered, 4); // B's Friday and C's whole week
                                                     // w3 reasons: no time ×3 (A ×2, B ×1), forgot ×1 (B).
            assert_eq!(
                c3.reasons,
                vec![
                    ReasonCount {
                        reason: NoTime,
                        count: 3
                    },
                    ReasonCount {
                        reason: Forgot,
                        count: 1
                    }
                ]
            );
            // Client ruptures: w1 one client answered, w2 two → not enough data; w3 all three, one
            // rupture (A's drop). Coaching: Alex's drop in w3.
            assert_eq!(w1.client_ruptures, None);
            assert_eq!(w2.client_ruptures, None);
            assert_eq!(
                w3.client_ruptures,
                Some(ClientRuptures {
                    clients: 3,
                    ruptures: 1
                })
            );
            assert_eq!(
                [
                    w1.coaching_ruptures,
                    w2.coaching_ruptures,
                    w3.coaching_ruptures
                ],
                [0, 0, 1]
            );
            assert_eq!(w1.wellbeing, None);
            assert_eq!(w3.wellbeing.as_ref().unwrap().who5_percent, Some(56.0));
            assert_eq!(w3.wellbeing.as_ref().unwrap().stress, Some(7.0));

            // The range: own 9 planned, 5 done, 1 partly → 5.5/9; clients 24 planned (C's 6),
            // 13 done, 3 partly → 14.5/24; reasons no time ×4, forgot ×3; ruptures 2 of 3.
            assert!(close(view.own.rate, 5.5 / 9.0));
            let all = view.clients.as_ref().unwrap();
            assert_eq!(
                (
                    all.clients,
                    all.completion.planned,
                    all.completion.done,
                    all.completion.partly
                ),
                (3, 24, 13, 3)
            );
            assert!(close(all.completion.rate, 14.5 / 24.0));
            assert_eq!(
                all.reasons[0],
                ReasonCount {
                    reason: NoTime,
                    count: 4
                }
            );
            assert_eq!(
                all.reasons[1],
                ReasonCount {
                    reason: Forgot,
                    count: 3
                }
            );
            assert_eq!(
                view.client_ruptures,
                Some(ClientRuptures {
                    clients: 3,
                    ruptures: 2
                })
            );
            assert_eq!(view.coaching_ruptures, 1);
            assert_eq!(
                view.own_reasons,
                vec![ReasonCount {
                    reason: NoTime,
                    count: 3
                }]
            );

            // Prompts: in w3 completion fell in both (own 67%→17%, clients 83%→17%), WHO-5 fell
            // 24 points as it did, and ruptures came both ways; over the range the top reason is
            // shared. (w1→w2 raises nothing: no client figure in w1.)
            let kinds: Vec<_> = view
                .prompts
                .iter()
                .map(|p| (p.kind, p.week_start))
                .collect();
            assert_eq!(
                kinds,
                vec![
                    (PromptKind::CompletionFellInBoth, Some(day(16))),
                    (PromptKind::WellbeingFell, Some(day(16))),
                    (PromptKind::RupturesInBoth, Some(day(16))),
                    (PromptKind::SameReason, None),
                ]
            );
            assert!(view.prompts[0].text.contains("from 67% to 17%"));
            assert!(view.prompts[3].text.contains("\"no time\""));

            // What would be shared: no client figure in w1, none for w2's ruptures.
            let shared: Vec<SummaryWeek> = view
                .weeks
                .iter()
                .map(|w| SummaryWeek::of(w, false))
                .collect();
            assert_eq!((shared[0].clients, shared[0].clients_rate), (None, None));
            assert_eq!(shared[1].client_ruptures, None);
            assert!(shared.iter().all(|w| w.wellbeing.is_none()));
        }

        #[test]
        fn with_two_clients_there_is_never_a_client_figure() {
            let (own, a, b) = (journey("alex", 2), journey("a", 2), journey("b", 2));
            let done: Vec<(u32, char, Option<Reason>)> =
                [2, 4, 6].iter().map(|d| (*d, 'D', None)).collect();
            let (own_c, a_c, b_c) = (
                check_ins("alex", &done),
                check_ins("a", &done),
                check_ins("b", &done),
            );
            let al = vec![alliance("a", 3, 8, true)];
            let data = |journey, check_ins| JourneyData {
                journey,
                check_ins,
                time_zone: Zone::utc(),
            };
            let view = parallel_view(&ParallelInput {
                own: data(&own, &own_c),
                clients: vec![
                    ClientData {
                        journey: data(&a, &a_c),
                        alliance: &al,
                    },
                    ClientData {
                        journey: data(&b, &b_c),
                        alliance: &al,
                    },
                ],
                coaching_alliance: &[],
                wellbeing: &[],
                from: day(2),
                to: day(8),
                now: Utc.with_ymd_and_hms(2026, 11, 9, 12, 0, 0).unwrap(),
            });
            assert_eq!(view.caseload, 2);
            assert!(view
                .weeks
                .iter()
                .all(|w| w.clients.is_none() && w.client_ruptures.is_none()));
            assert!(view.clients.is_none() && view.client_ruptures.is_none());
            assert!(close_to_one(view.own.rate));
        }

        fn close_to_one(rate: Option<f64>) -> bool {
            rate.is_some_and(|r| (r - 1.0).abs() < 1e-9)
        }
    }
}
