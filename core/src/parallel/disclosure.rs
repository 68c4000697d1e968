//! The disclosure rules: what of a practitioner's clients may leave the practitioner's device,
//! in one place, as pure functions. Every path that lets figures go calls them: the parallel
//! view (what a summary is made from), sharing a summary, reading a summary back (whoever wrote
//! it), and so the coach's overview and the research export, which read summaries.
//!
//! 1. **Enough clients.** A client figure (completion, reasons, ruptures) is computed only over
//!    at least [`MIN_CLIENTS`] clients; otherwise it is "not enough data".
//! 2. **Released once, never changed.** A week's client figures reach a coach only once the
//!    week has ended, and the first figures released for a week to a coaching document are the
//!    ones every later summary to it shows. A coach who could compare two summaries of one week
//!    (shared before and after one more client checked in, say) could otherwise subtract one
//!    from the other and learn about a single client.
//! 3. **No client data to a coach.** A summary holds rates and counts only: [`SummaryWeek`] has
//!    no field that could name a client or carry their words. (The server refuses, besides, to
//!    share any client document with a coach: `server/src/directory/rules.rs`.)

use chrono::{Days, NaiveDate};

use super::{ParallelWeek, ReleasedFigures, SummaryWeek};

/// The fewest clients a client figure may be computed over.
pub const MIN_CLIENTS: u32 = 3;

/// Whether `clients` clients are enough for a client figure (rule 1).
pub fn enough_clients(clients: u32) -> bool {
    clients >= MIN_CLIENTS
}

/// Whether the week starting `week_start` (a Monday) has ended by `today`, in the
/// practitioner's own time zone (rule 2).
pub fn week_has_ended(week_start: NaiveDate, today: NaiveDate) -> bool {
    week_start
        .checked_add_days(Days::new(6))
        .is_some_and(|sunday| sunday < today)
}

/// What was released before for one week of one coaching document.
#[derive(Debug, Clone, PartialEq)]
pub struct Released {
    pub week_start: NaiveDate,
    pub figures: ReleasedFigures,
}

/// The weeks of a summary of `view` as they may be shared `today` into a coaching document to
/// which `before` was released (rules 1–3), and what is released now for the first time or
/// differently, to remember before the summary is written.
pub(crate) fn summary_weeks(
    view: &[ParallelWeek],
    include_wellbeing: bool,
    today: NaiveDate,
    before: &[Released],
) -> (Vec<SummaryWeek>, Vec<Released>) {
    let mut weeks = Vec::new();
    let mut releases = Vec::new();
    for week in view {
        let mut shared = SummaryWeek::of(week, include_wellbeing);
        let ended = week_has_ended(week.week_start, today);
        let earlier = before
            .iter()
            .find(|r| r.week_start == week.week_start)
            .map(|r| &r.figures);
        let figures = release(&mut shared, ended, earlier);
        if ended && earlier != Some(&figures) {
            releases.push(Released {
                week_start: week.week_start,
                figures,
            });
        }
        weeks.push(guard(shared));
    }
    (weeks, releases)
}

/// Applies rule 2 to one week's client figures: held back while the week is open, and the
/// figures released earlier for it reused; returns what is released now.
fn release(
    week: &mut SummaryWeek,
    ended: bool,
    earlier: Option<&ReleasedFigures>,
) -> ReleasedFigures {
    if !ended {
        week.week_open = true;
        week.clients = None;
        week.clients_rate = None;
        week.client_ruptures = None;
        week.rupture_clients = None;
        return earlier.cloned().unwrap_or_default();
    }
    let mut released = ReleasedFigures {
        completion: week.clients_rate.zip(week.clients),
        ruptures: week.client_ruptures.zip(week.rupture_clients),
    };
    if let Some(earlier) = earlier {
        if earlier.completion.is_some() {
            released.completion = earlier.completion;
        }
        if earlier.ruptures.is_some() {
            released.ruptures = earlier.ruptures;
        }
    }
    (week.clients_rate, week.clients) = released.completion.unzip();
    (week.client_ruptures, week.rupture_clients) = released.ruptures.unzip();
    released
}

/// Applies rule 1 to a summary week, whoever wrote it: drops any client figure about fewer
/// than [`MIN_CLIENTS`] clients.
pub(crate) fn guard(mut week: SummaryWeek) -> SummaryWeek {
    if !week.clients.is_some_and(enough_clients) {
        week.clients = None;
        week.clients_rate = None;
    }
    if !week.rupture_clients.is_some_and(enough_clients) {
        week.rupture_clients = None;
        week.client_ruptures = None;
    }
    week
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journey::insights::Completion;
    use crate::parallel::{ClientCompletion, ClientRuptures};

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    /// A week of the view starting Monday `monday`, with `clients` clients at `rate` and
    /// `answered` clients answering alliance check-ins (one rupture).
    fn view_week(monday: u32, clients: u32, rate: f64, answered: u32) -> ParallelWeek {
        let completion = Completion {
            planned: 10,
            done: (rate * 10.0) as u32,
            partly: 0,
            not_done: 0,
            unanswered: 0,
            rate: None,
        };
        ParallelWeek {
            week_start: day(monday),
            own: completion.clone(),
            own_reasons: vec![],
            clients: enough_clients(clients).then(|| ClientCompletion {
                clients,
                completion: Completion {
                    rate: Some(rate),
                    ..completion
                },
                reasons: vec![],
            }),
            client_ruptures: enough_clients(answered).then_some(ClientRuptures {
                clients: answered,
                ruptures: 1,
            }),
            coaching_ruptures: 0,
            wellbeing: None,
        }
    }

    #[test]
    fn three_clients_are_enough_and_two_are_not() {
        assert!(!enough_clients(0));
        assert!(!enough_clients(2));
        assert!(enough_clients(3));
    }

    #[test]
    fn a_week_ends_after_its_sunday() {
        // Monday 2 November 2026; its Sunday is the 8th.
        assert!(!week_has_ended(day(2), day(8)));
        assert!(week_has_ended(day(2), day(9)));
        assert!(!week_has_ended(NaiveDate::MAX, NaiveDate::MAX));
    }

    #[test]
    fn an_open_week_holds_its_client_figures_back_and_releases_nothing() {
        // Today is Thursday 12 November: the week of the 9th is open.
        let view = [view_week(2, 3, 0.5, 3), view_week(9, 4, 0.8, 3)];
        let (weeks, released) = summary_weeks(&view, false, day(12), &[]);
        assert_eq!(weeks[0].clients_rate, Some(0.5));
        assert!(!weeks[0].week_open);
        assert!(weeks[1].week_open);
        assert_eq!((weeks[1].clients_rate, weeks[1].clients), (None, None));
        assert_eq!(weeks[1].client_ruptures, None);
        assert_eq!(
            weeks[1].own_planned, 10,
            "the practitioner's own figures go"
        );
        assert_eq!(
            released.iter().map(|r| r.week_start).collect::<Vec<_>>(),
            [day(2)]
        );
    }

    #[test]
    fn a_week_once_released_shows_the_same_figures_in_every_later_summary() {
        let first = [view_week(2, 3, 0.5, 3)];
        let (_, before) = summary_weeks(&first, false, day(12), &[]);
        // A client's late check-in changed the week since: the coach still sees 50 % of 3.
        let later = [view_week(2, 4, 0.75, 4)];
        let (weeks, released) = summary_weeks(&later, false, day(20), &before);
        assert_eq!(
            (weeks[0].clients_rate, weeks[0].clients),
            (Some(0.5), Some(3))
        );
        assert_eq!(
            (weeks[0].client_ruptures, weeks[0].rupture_clients),
            (Some(1), Some(3))
        );
        assert!(released.is_empty(), "nothing new to remember");
    }

    #[test]
    fn a_summary_never_carries_a_figure_about_fewer_than_three_clients() {
        let week = SummaryWeek {
            week_start: day(2),
            own_planned: 3,
            own_rate: Some(1.0),
            clients_rate: Some(0.5),
            clients: Some(2),
            client_ruptures: Some(1),
            rupture_clients: Some(2),
            week_open: false,
            coaching_ruptures: 0,
            wellbeing: None,
        };
        let guarded = guard(week);
        assert_eq!(guarded.clients_rate, None);
        assert_eq!(guarded.client_ruptures, None);
        assert_eq!(guarded.own_rate, Some(1.0));
    }
}
