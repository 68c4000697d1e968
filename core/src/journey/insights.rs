//! Insights computed on the device: completion, streaks, reasons, rating trends.
//!
//! Everything is derived from a journey and its check-ins for a range of dates, on the person's
//! own device; nothing here leaves it unless the person shares it.

use std::collections::{BTreeMap, HashMap};

use crate::zone::Zone;
use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use serde::Serialize;

use crate::journey::schedule::{check_ins_by_occurrence, occurrences};
use crate::journey::{ActionPlan, CheckIn, Journey, Outcome, Reason, Review};
use tandem_protocol::word_enum;

/// How a journey went over a range of dates.
///
/// Only occurrences that are not in the future count as *planned*: those before today, and
/// today's once answered. The completion rate is (done + ½ × partly) / planned, `None` when
/// nothing was planned. Check-ins on days or times a plan did not plan are *unplanned*: counted
/// on their own, never in the rate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Insights {
    /// Plans active at some point in the range (or checked in on in it), in the journey's order.
    pub per_plan: Vec<PlanInsight>,
    /// Every goal of the journey, in its order, summing the plans linked to it.
    pub per_goal: Vec<GoalInsight>,
    /// The ISO weeks (Monday first) of the range with at least one planned occurrence, oldest
    /// first, over all plans.
    pub per_week: Vec<WeekInsight>,
    /// Reasons given on `partly` and `not_done` check-ins in the range, most frequent first.
    pub reasons: Vec<ReasonCount>,
    /// How many of those check-ins carry a reason in the person's own words.
    pub other_texts: u32,
    /// Review ratings over the range: the journey as a whole first, then by goal id.
    pub trends: Vec<RatingTrend>,
}

/// How the planned occurrences of a plan, a goal or a week went.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Completion {
    pub planned: u32,
    pub done: u32,
    pub partly: u32,
    pub not_done: u32,
    /// Planned occurrences with no check-in.
    pub unanswered: u32,
    /// (done + ½ × partly) / planned; `None` when nothing was planned.
    pub rate: Option<f64>,
}

impl Completion {
    /// The completion of several plans, weeks or people together.
    pub fn sum<'a>(parts: impl IntoIterator<Item = &'a Completion>) -> Completion {
        let mut tally = Tally::default();
        for part in parts {
            tally = tally.plus(&Tally {
                planned: part.planned,
                done: part.done,
                partly: part.partly,
                not_done: part.not_done,
            });
        }
        tally.completion()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanInsight {
    pub plan_id: String,
    pub what: String,
    #[serde(flatten)]
    pub completion: Completion,
    /// Check-ins on a day or time the plan did not plan.
    pub unplanned: u32,
    /// Planned occurrences done or partly done in a row, up to the latest one counted.
    pub current_streak: u32,
    /// The longest such run in the range.
    pub longest_streak: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoalInsight {
    pub goal_id: String,
    pub text: String,
    #[serde(flatten)]
    pub completion: Completion,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekInsight {
    /// The Monday the week starts on (the week may be cut by the range).
    pub week_start: NaiveDate,
    #[serde(flatten)]
    pub completion: Completion,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReasonCount {
    pub reason: Reason,
    pub count: u32,
}

word_enum!(
    /// A rating given in reviews.
    Metric "metric" {
        Motivation = "motivation",
        Confidence = "confidence",
        Progress = "progress",
        /// Goal attainment, −2 … +2.
        Attainment = "attainment",
    }
);

/// How one rating moved over the reviews of one goal (or of the journey as a whole).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RatingTrend {
    /// `None` for reviews of the journey as a whole.
    pub goal_id: Option<String>,
    pub metric: Metric,
    /// Oldest first; at least one.
    pub points: Vec<TrendPoint>,
    pub first: f64,
    pub last: f64,
    /// `last - first`.
    pub change: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendPoint {
    pub date: NaiveDate,
    pub value: f64,
}

/// The insights of `journey` from `from` to `to` (inclusive), as of `now` in the person's time
/// zone `tz`. See [`Insights`] for what counts.
pub fn insights(
    journey: &Journey,
    check_ins: &[CheckIn],
    from: NaiveDate,
    to: NaiveDate,
    now: DateTime<Utc>,
    tz: Zone,
) -> Insights {
    let today = now.with_timezone(&tz).date_naive();
    let answers =
        check_ins_by_occurrence(check_ins.iter().filter(|c| (from..=to).contains(&c.date)));
    let mut answers_per_plan: HashMap<&str, u32> = HashMap::new();
    for (plan_id, _, _) in answers.keys() {
        *answers_per_plan.entry(plan_id).or_default() += 1;
    }

    let mut per_plan = Vec::new();
    let mut plan_tallies: Vec<(&ActionPlan, Tally)> = Vec::new();
    let mut weeks: BTreeMap<NaiveDate, Tally> = BTreeMap::new();
    for plan in &journey.plans {
        let checked_in = answers_per_plan.get(plan.id.as_str()).copied().unwrap_or(0);
        let active = plan.start <= to && plan.end.is_none_or(|end| end >= from);
        if !active && checked_in == 0 {
            continue;
        }
        let mut tally = Tally::default();
        let mut streak = Streak::default();
        let mut answered_occurrences = 0;
        // Occurrences after today never count, so they are not even listed.
        for occurrence in occurrences(plan, from, to.min(today), tz) {
            let key = (plan.id.as_str(), occurrence.date, occurrence.time);
            let outcome = answers.get(&key).map(|c| c.outcome);
            answered_occurrences += u32::from(outcome.is_some());
            let counted =
                occurrence.date < today || (occurrence.date == today && outcome.is_some());
            if !counted {
                continue;
            }
            tally.add(outcome);
            weeks
                .entry(week_start(occurrence.date))
                .or_default()
                .add(outcome);
            streak.add(matches!(outcome, Some(Outcome::Done | Outcome::Partly)));
        }
        per_plan.push(PlanInsight {
            plan_id: plan.id.clone(),
            what: plan.what.clone(),
            completion: tally.completion(),
            unplanned: checked_in - answered_occurrences,
            current_streak: streak.current,
            longest_streak: streak.longest,
        });
        plan_tallies.push((plan, tally));
    }

    let per_goal = journey
        .goals
        .iter()
        .map(|goal| {
            let tally = plan_tallies
                .iter()
                .filter(|(plan, _)| plan.goal_id.as_deref() == Some(goal.id.as_str()))
                .fold(Tally::default(), |sum, (_, tally)| sum.plus(tally));
            GoalInsight {
                goal_id: goal.id.clone(),
                text: goal.text.clone(),
                completion: tally.completion(),
            }
        })
        .collect();

    let per_week = weeks
        .into_iter()
        .map(|(week_start, tally)| WeekInsight {
            week_start,
            completion: tally.completion(),
        })
        .collect();

    // Reasons from the check-ins of this journey's plans, each occurrence once.
    let mut reason_counts: BTreeMap<Reason, u32> = BTreeMap::new();
    let mut other_texts = 0;
    for check_in in answers
        .values()
        .filter(|c| c.outcome != Outcome::Done && journey.plans.iter().any(|p| p.id == c.plan_id))
    {
        for reason in &check_in.reasons {
            *reason_counts.entry(*reason).or_default() += 1;
        }
        if check_in
            .reason_text
            .as_deref()
            .is_some_and(|t| !t.trim().is_empty())
        {
            other_texts += 1;
        }
    }
    let mut reasons: Vec<ReasonCount> = reason_counts
        .into_iter()
        .map(|(reason, count)| ReasonCount { reason, count })
        .collect();
    // Stable: ties keep the Reason order the map gave them.
    reasons.sort_by_key(|r| std::cmp::Reverse(r.count));

    Insights {
        per_plan,
        per_goal,
        per_week,
        reasons,
        other_texts,
        trends: trends(&journey.reviews, from, to),
    }
}

/// The Monday of `date`'s ISO week.
pub(crate) fn week_start(date: NaiveDate) -> NaiveDate {
    let back = u64::from(date.weekday().num_days_from_monday());
    date.checked_sub_days(Days::new(back)).unwrap_or(date)
}

fn trends(reviews: &[Review], from: NaiveDate, to: NaiveDate) -> Vec<RatingTrend> {
    let mut by_goal: BTreeMap<Option<&str>, Vec<&Review>> = BTreeMap::new();
    for review in reviews.iter().filter(|r| (from..=to).contains(&r.date)) {
        by_goal
            .entry(review.goal_id.as_deref())
            .or_default()
            .push(review);
    }
    let mut out = Vec::new();
    for (goal_id, mut reviews) in by_goal {
        reviews.sort_by_key(|r| r.date);
        for &metric in Metric::ALL {
            let points: Vec<TrendPoint> = reviews
                .iter()
                .filter_map(|r| {
                    let value = match metric {
                        Metric::Motivation => f64::from(r.motivation),
                        Metric::Confidence => f64::from(r.confidence),
                        Metric::Progress => f64::from(r.progress),
                        Metric::Attainment => f64::from(r.attainment?),
                    };
                    Some(TrendPoint {
                        date: r.date,
                        value,
                    })
                })
                .collect();
            let (Some(first), Some(last)) = (points.first(), points.last()) else {
                continue;
            };
            let (first, last) = (first.value, last.value);
            out.push(RatingTrend {
                goal_id: goal_id.map(str::to_owned),
                metric,
                points,
                first,
                last,
                change: last - first,
            });
        }
    }
    out
}

/// Counts of planned occurrences by how they went.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    planned: u32,
    done: u32,
    partly: u32,
    not_done: u32,
}

impl Tally {
    fn add(&mut self, outcome: Option<Outcome>) {
        self.planned += 1;
        match outcome {
            Some(Outcome::Done) => self.done += 1,
            Some(Outcome::Partly) => self.partly += 1,
            Some(Outcome::NotDone) => self.not_done += 1,
            None => {}
        }
    }

    fn plus(self, other: &Tally) -> Tally {
        Tally {
            planned: self.planned + other.planned,
            done: self.done + other.done,
            partly: self.partly + other.partly,
            not_done: self.not_done + other.not_done,
        }
    }

    fn completion(&self) -> Completion {
        Completion {
            planned: self.planned,
            done: self.done,
            partly: self.partly,
            not_done: self.not_done,
            unanswered: self.planned - self.done - self.partly - self.not_done,
            rate: (self.planned > 0).then(|| {
                (f64::from(self.done) + 0.5 * f64::from(self.partly)) / f64::from(self.planned)
            }),
        }
    }
}

/// Runs of successes in a sequence of planned occurrences.
#[derive(Debug, Default)]
struct Streak {
    current: u32,
    longest: u32,
}

impl Streak {
    fn add(&mut self, success: bool) {
        self.current = if success { self.current + 1 } else { 0 };
        self.longest = self.longest.max(self.current);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journey::{Framing, Goal, GoalStatus, ProposedBy, Repeat, Schedule};
    use chrono::Weekday::{Fri, Mon, Tue, Wed};
    use chrono::{NaiveTime, Weekday};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn t(s: &str) -> NaiveTime {
        NaiveTime::parse_from_str(s, "%H:%M").unwrap()
    }

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn london() -> Zone {
        Zone::named("Europe/London").unwrap()
    }

    fn plan(id: &str, days: &[Weekday], time: &str, start: &str, end: &str) -> ActionPlan {
        ActionPlan {
            id: id.into(),
            what: format!("{id} plan"),
            place: None,
            earlier_schedules: vec![],
            schedule: Schedule {
                repeat: Repeat::Weekly {
                    days: days.to_vec(),
                },
                times: vec![t(time)],
            },
            duration_minutes: None,
            goal_id: None,
            step_id: None,
            barriers: None,
            supports: None,
            agreed_by: Vec::new(),
            reminder: false,
            start: d(start),
            end: Some(d(end)),
        }
    }

    fn goal(id: &str, text: &str) -> Goal {
        Goal {
            id: id.into(),
            text: text.into(),
            value_ids: Vec::new(),
            framing: Framing::Approach,
            proposed_by: ProposedBy::Together,
            target_date: None,
            importance: 8,
            confidence: 5,
            attainment_levels: Vec::new(),
            status: GoalStatus::Active,
            steps: Vec::new(),
        }
    }

    fn journey(goals: Vec<Goal>, plans: Vec<ActionPlan>, reviews: Vec<Review>) -> Journey {
        Journey {
            id: "journey".into(),
            owner: "client".into(),
            time_zone: "Europe/London".into(),
            values: Vec::new(),
            strengths: Vec::new(),
            supports: Vec::new(),
            visions: Vec::new(),
            goals,
            plans,
            reviews,
        }
    }

    fn check_in(plan_id: &str, date: &str, time: &str, outcome: Outcome) -> CheckIn {
        CheckIn {
            plan_id: plan_id.into(),
            date: d(date),
            time: Some(t(time)),
            outcome,
            reasons: Vec::new(),
            reason_text: None,
            note: None,
            recorded_at: utc("2026-03-01T00:00:00Z"),
        }
    }

    fn with_reasons(mut c: CheckIn, reasons: &[Reason], text: Option<&str>) -> CheckIn {
        c.reasons = reasons.to_vec();
        c.reason_text = text.map(str::to_owned);
        c
    }

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    /// A walk on Monday, Wednesday and Friday at 08:00 for two weeks, 2–13 March 2026:
    ///
    /// | day     | outcome                                   |
    /// |---------|-------------------------------------------|
    /// | Mon 2   | done                                      |
    /// | Wed 4   | done                                      |
    /// | Fri 6   | partly (too tired; "it rained halfway")   |
    /// | Sat 7   | an extra walk, done (unplanned)           |
    /// | Mon 9   | not answered                              |
    /// | Wed 11  | not done (low mood)                       |
    /// | Fri 13  | done                                      |
    fn walk_fortnight() -> (ActionPlan, Vec<CheckIn>) {
        let mut walk = plan(
            "walk",
            &[Mon, Wed, Fri],
            "08:00",
            "2026-03-02",
            "2026-03-13",
        );
        walk.goal_id = Some("fit".into());
        let check_ins = vec![
            check_in("walk", "2026-03-02", "08:00", Outcome::Done),
            check_in("walk", "2026-03-04", "08:00", Outcome::Done),
            with_reasons(
                check_in("walk", "2026-03-06", "08:00", Outcome::Partly),
                &[Reason::TooTired, Reason::Other],
                Some("it rained halfway"),
            ),
            check_in("walk", "2026-03-07", "10:00", Outcome::Done),
            with_reasons(
                check_in("walk", "2026-03-11", "08:00", Outcome::NotDone),
                &[Reason::LowMood],
                None,
            ),
            check_in("walk", "2026-03-13", "08:00", Outcome::Done),
        ];
        (walk, check_ins)
    }

    #[test]
    fn a_fortnight_of_walks_looked_at_afterwards() {
        let (walk, check_ins) = walk_fortnight();
        let journey = journey(vec![goal("fit", "Get fitter")], vec![walk], Vec::new());
        let got = insights(
            &journey,
            &check_ins,
            d("2026-03-02"),
            d("2026-03-15"),
            utc("2026-03-16T10:00:00Z"),
            london(),
        );

        // Six planned walks: done 2, 4, 13; partly 6; not done 11; unanswered 9.
        // Rate (3 + ½) / 6 = 0.5833…. Successes in order: ✓ ✓ ✓ ✗ ✗ ✓, so the longest run is
        // 3 and the current one (ending Friday 13) is 1. Saturday's extra walk is unplanned.
        let plan = &got.per_plan[0];
        assert_eq!(got.per_plan.len(), 1);
        assert_eq!(
            (plan.plan_id.as_str(), plan.what.as_str()),
            ("walk", "walk plan")
        );
        assert_eq!(
            (
                plan.completion.planned,
                plan.completion.done,
                plan.completion.partly,
                plan.completion.not_done,
                plan.completion.unanswered
            ),
            (6, 3, 1, 1, 1)
        );
        assert_eq!(plan.unplanned, 1);
        assert!(
            close(plan.completion.rate, 3.5 / 6.0),
            "{:?}",
            plan.completion.rate
        );
        assert_eq!((plan.current_streak, plan.longest_streak), (1, 3));

        // Week of 2 March: 3 planned, 2 done, 1 partly: 2.5 / 3.
        // Week of 9 March: 3 planned, 1 done, 1 not done, 1 unanswered: 1 / 3.
        let weeks: Vec<_> = got
            .per_week
            .iter()
            .map(|w| {
                (
                    w.week_start,
                    w.completion.planned,
                    w.completion.done,
                    w.completion.partly,
                    w.completion.not_done,
                    w.completion.unanswered,
                )
            })
            .collect();
        assert_eq!(
            weeks,
            [
                (d("2026-03-02"), 3, 2, 1, 0, 0),
                (d("2026-03-09"), 3, 1, 0, 1, 1),
            ]
        );
        assert!(close(got.per_week[0].completion.rate, 2.5 / 3.0));
        assert!(close(got.per_week[1].completion.rate, 1.0 / 3.0));

        // One each, so in Reason order: too tired, low mood, other.
        let reasons: Vec<_> = got.reasons.iter().map(|r| (r.reason, r.count)).collect();
        assert_eq!(
            reasons,
            [
                (Reason::TooTired, 1),
                (Reason::LowMood, 1),
                (Reason::Other, 1)
            ]
        );
        assert_eq!(got.other_texts, 1);

        let fit = &got.per_goal[0];
        assert_eq!(
            (
                fit.goal_id.as_str(),
                fit.completion.planned,
                fit.completion.unanswered
            ),
            ("fit", 6, 1)
        );
        assert!(close(fit.completion.rate, 3.5 / 6.0));
        assert!(got.trends.is_empty());
    }

    #[test]
    fn midway_todays_walk_counts_once_answered_and_a_forgotten_monday_breaks_the_streak() {
        let (walk, check_ins) = walk_fortnight();
        let journey = journey(Vec::new(), vec![walk], Vec::new());
        let range = (d("2026-03-02"), d("2026-03-15"));
        let noon_wednesday_11 = utc("2026-03-11T12:00:00Z");

        // Before Wednesday's check-in: 2, 4, 6 and 9 count; today's walk does not yet.
        // (2 + ½) / 4 = 0.625; Monday 9 was never answered, so the current streak is 0.
        let before: Vec<CheckIn> = check_ins
            .iter()
            .filter(|c| c.date < d("2026-03-11"))
            .cloned()
            .collect();
        let got = insights(
            &journey,
            &before,
            range.0,
            range.1,
            noon_wednesday_11,
            london(),
        );
        let plan = &got.per_plan[0];
        assert_eq!(
            (plan.completion.planned, plan.completion.unanswered),
            (4, 1)
        );
        assert!(close(plan.completion.rate, 0.625));
        assert_eq!((plan.current_streak, plan.longest_streak), (0, 3));

        // After it (not done): 5 count, rate 2.5 / 5.
        let after: Vec<CheckIn> = check_ins
            .iter()
            .filter(|c| c.date <= d("2026-03-11"))
            .cloned()
            .collect();
        let got = insights(
            &journey,
            &after,
            range.0,
            range.1,
            noon_wednesday_11,
            london(),
        );
        assert_eq!(got.per_plan[0].completion.planned, 5);
        assert!(close(got.per_plan[0].completion.rate, 0.5));

        // Had Monday's walk been answered, today's open walk would leave the run at 4.
        let mut answered = before.clone();
        answered.push(check_in("walk", "2026-03-09", "08:00", Outcome::Done));
        let got = insights(
            &journey,
            &answered,
            range.0,
            range.1,
            noon_wednesday_11,
            london(),
        );
        let plan = &got.per_plan[0];
        assert_eq!(
            (
                plan.completion.planned,
                plan.current_streak,
                plan.longest_streak
            ),
            (4, 4, 4)
        );
        // Friday's walk has not happened: only the weeks so far have planned walks.
        assert_eq!(got.per_week.len(), 2);
        assert_eq!(got.per_week[1].completion.planned, 1);
    }

    #[test]
    fn a_goal_sums_the_walk_and_the_swim_that_serve_it() {
        let (walk, mut check_ins) = walk_fortnight();
        let mut swim = plan("swim", &[Tue], "18:00", "2026-03-03", "2026-03-10");
        swim.goal_id = Some("fit".into());
        let journal = plan("journal", &[Mon], "21:00", "2026-03-02", "2026-03-09");
        check_ins.push(check_in("swim", "2026-03-03", "18:00", Outcome::Done));
        check_ins.push(with_reasons(
            check_in("swim", "2026-03-10", "18:00", Outcome::NotDone),
            &[Reason::NoTime, Reason::LowMood],
            Some("  "),
        ));
        // The journal goes well but serves no goal here.
        check_ins.push(check_in("journal", "2026-03-02", "21:00", Outcome::Done));
        check_ins.push(check_in("journal", "2026-03-09", "21:00", Outcome::Done));
        let journey = journey(
            vec![goal("fit", "Get fitter"), goal("friends", "See friends")],
            vec![walk, swim, journal],
            Vec::new(),
        );
        let got = insights(
            &journey,
            &check_ins,
            d("2026-03-02"),
            d("2026-03-15"),
            utc("2026-03-16T10:00:00Z"),
            london(),
        );

        // Walk: 6 planned, 3 done, 1 partly, 1 not done, 1 unanswered.
        // Swim: 2 planned, 1 done, 1 not done.
        // Fit: 8 planned, 4 done, 1 partly, 2 not done, 1 unanswered; (4 + ½) / 8 = 0.5625.
        let fit = &got.per_goal[0];
        assert_eq!(
            (fit.goal_id.as_str(), fit.text.as_str()),
            ("fit", "Get fitter")
        );
        assert_eq!(
            (
                fit.completion.planned,
                fit.completion.done,
                fit.completion.partly,
                fit.completion.not_done,
                fit.completion.unanswered
            ),
            (8, 4, 1, 2, 1)
        );
        assert!(close(fit.completion.rate, 0.5625));
        // A goal with no plans yet has nothing planned and no rate.
        let friends = &got.per_goal[1];
        assert_eq!(
            (
                friends.goal_id.as_str(),
                friends.completion.planned,
                friends.completion.rate
            ),
            ("friends", 0, None)
        );

        // Week of 2 March: walk ✓ ✓ ½, swim ✓, journal ✓: (4 + ½) / 5.
        // Week of 9 March: walk unanswered ✗ ✓, swim ✗, journal ✓: 2 / 5.
        let weeks: Vec<_> = got
            .per_week
            .iter()
            .map(|w| (w.completion.planned, w.completion.rate))
            .collect();
        assert_eq!(weeks.len(), 2);
        assert_eq!((weeks[0].0, weeks[1].0), (5, 5));
        assert!(close(weeks[0].1, 0.9));
        assert!(close(weeks[1].1, 0.4));

        // Low mood twice (walk and swim), then the rest once each in Reason order.
        let reasons: Vec<_> = got.reasons.iter().map(|r| (r.reason, r.count)).collect();
        assert_eq!(
            reasons,
            [
                (Reason::LowMood, 2),
                (Reason::NoTime, 1),
                (Reason::TooTired, 1),
                (Reason::Other, 1),
            ]
        );
        // A blank reason text is not a reason in the person's words.
        assert_eq!(got.other_texts, 1);
    }

    #[test]
    fn three_reviews_of_a_goal_show_how_the_ratings_moved() {
        let review = |id: &str, date: &str, goal: Option<&str>, m, c, p, a| Review {
            id: id.into(),
            date: d(date),
            goal_id: goal.map(str::to_owned),
            motivation: m,
            confidence: c,
            progress: p,
            attainment: a,
            note: None,
        };
        // Given out of order, with a journey-wide review and one after the range.
        let reviews = vec![
            review("r3", "2026-03-29", Some("fit"), 7, 6, 6, Some(1)),
            review("r1", "2026-03-01", Some("fit"), 4, 3, 2, Some(-1)),
            review("whole", "2026-03-20", None, 5, 6, 4, None),
            review("r2", "2026-03-15", Some("fit"), 6, 5, 4, None),
            review("april", "2026-04-10", Some("fit"), 9, 9, 9, Some(2)),
        ];
        let journey = journey(vec![goal("fit", "Get fitter")], Vec::new(), reviews);
        let got = insights(
            &journey,
            &[],
            d("2026-03-01"),
            d("2026-03-31"),
            utc("2026-04-01T09:00:00Z"),
            london(),
        );

        let summary: Vec<_> = got
            .trends
            .iter()
            .map(|tr| {
                let values: Vec<f64> = tr.points.iter().map(|p| p.value).collect();
                (
                    tr.goal_id.as_deref(),
                    tr.metric,
                    values,
                    tr.first,
                    tr.last,
                    tr.change,
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                // The journey as a whole: one review, no attainment.
                (None, Metric::Motivation, vec![5.0], 5.0, 5.0, 0.0),
                (None, Metric::Confidence, vec![6.0], 6.0, 6.0, 0.0),
                (None, Metric::Progress, vec![4.0], 4.0, 4.0, 0.0),
                // The goal: 1, 15 and 29 March; attainment rated on the first and last only.
                (
                    Some("fit"),
                    Metric::Motivation,
                    vec![4.0, 6.0, 7.0],
                    4.0,
                    7.0,
                    3.0
                ),
                (
                    Some("fit"),
                    Metric::Confidence,
                    vec![3.0, 5.0, 6.0],
                    3.0,
                    6.0,
                    3.0
                ),
                (
                    Some("fit"),
                    Metric::Progress,
                    vec![2.0, 4.0, 6.0],
                    2.0,
                    6.0,
                    4.0
                ),
                (
                    Some("fit"),
                    Metric::Attainment,
                    vec![-1.0, 1.0],
                    -1.0,
                    1.0,
                    2.0
                ),
            ]
        );
        let dates: Vec<_> = got.trends[3].points.iter().map(|p| p.date).collect();
        assert_eq!(dates, ["2026-03-01", "2026-03-15", "2026-03-29"].map(d));
        // Nothing was planned, so no rates.
        assert!(got.per_week.is_empty());
        assert_eq!(got.per_goal[0].completion.rate, None);
    }

    #[test]
    fn an_empty_journey_has_nothing_to_show_and_no_rates() {
        let range = (d("2026-03-01"), d("2026-03-31"));
        let now = utc("2026-03-16T10:00:00Z");
        let got = insights(
            &journey(Vec::new(), Vec::new(), Vec::new()),
            &[],
            range.0,
            range.1,
            now,
            london(),
        );
        assert_eq!(
            got,
            Insights {
                per_plan: Vec::new(),
                per_goal: Vec::new(),
                per_week: Vec::new(),
                reasons: Vec::new(),
                other_texts: 0,
                trends: Vec::new(),
            }
        );

        // A goal with a plan that starts later today and nothing answered yet.
        let mut walk = plan("walk", &[Mon], "18:00", "2026-03-16", "2026-06-01");
        walk.goal_id = Some("fit".into());
        let journey = journey(vec![goal("fit", "Get fitter")], vec![walk], Vec::new());
        let got = insights(&journey, &[], range.0, range.1, now, london());
        let plan = &got.per_plan[0];
        assert_eq!(
            (
                plan.completion.planned,
                plan.completion.rate,
                plan.current_streak
            ),
            (0, None, 0)
        );
        assert_eq!(
            (
                got.per_goal[0].completion.planned,
                got.per_goal[0].completion.rate
            ),
            (0, None)
        );
        assert!(got.per_week.is_empty());
    }

    #[test]
    fn check_ins_outside_the_range_or_for_unknown_plans_do_not_count() {
        let (walk, mut check_ins) = walk_fortnight();
        check_ins.push(with_reasons(
            check_in("old-plan", "2026-03-04", "08:00", Outcome::NotDone),
            &[Reason::Unwell],
            None,
        ));
        let journey = journey(Vec::new(), vec![walk], Vec::new());
        // Only the second week.
        let got = insights(
            &journey,
            &check_ins,
            d("2026-03-09"),
            d("2026-03-15"),
            utc("2026-03-16T10:00:00Z"),
            london(),
        );
        let plan = &got.per_plan[0];
        assert_eq!(
            (
                plan.completion.planned,
                plan.completion.done,
                plan.unplanned
            ),
            (3, 1, 0)
        );
        assert_eq!((plan.current_streak, plan.longest_streak), (1, 1));
        let reasons: Vec<_> = got.reasons.iter().map(|r| r.reason).collect();
        assert_eq!(reasons, [Reason::LowMood]);
        assert_eq!(got.other_texts, 0);
    }
}
