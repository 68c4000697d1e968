//! The journey as a person works through it on their store: the four stages, reopening, bad
//! input, check-ins, plans moved and ended, ranges of dates.

use chrono::{NaiveDate, TimeZone, Utc, Weekday};

use crate::error::{Error, Result};
use crate::journey::*;
use crate::store::test_support::*;
use crate::store::{Clock, Identity, Store};

fn family() -> ValueInput {
    ValueInput {
        text: "Being there for my kids".into(),
        life_area: LifeArea::Family,
        importance: 9,
    }
}

fn walking_goal(value_ids: Vec<String>) -> GoalInput {
    GoalInput {
        text: "Walk three times a week".into(),
        value_ids,
        framing: Framing::Approach,
        proposed_by: ProposedBy::Together,
        target_date: Some(date("2027-01-31")),
        importance: 8,
        confidence: 6,
        attainment_levels: vec![
            AttainmentLevel {
                level: 0,
                description: "Twice a week".into(),
            },
            AttainmentLevel {
                level: 2,
                description: "Four times a week".into(),
            },
        ],
    }
}

fn identity_of(dir: &tempfile::TempDir) -> Identity {
    open(dir).identity().clone()
}

/// Expected: the error names `field` and its message contains `problem`.
fn assert_invalid<T: std::fmt::Debug>(result: Result<T>, field: &str, problem: &str) {
    match result {
        Err(Error::Invalid(e)) => {
            assert_eq!(e.field, field, "{e}");
            assert!(e.problem.contains(problem), "{e} should say {problem:?}");
        }
        other => panic!("expected invalid {field}, got {other:?}"),
    }
}

#[test]
fn a_client_works_through_the_four_stages_and_finds_it_all_again_after_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let value = store.add_value(&family()).unwrap();
    store
        .add_strength(&StrengthInput {
            text: "I keep going when it is hard".into(),
            example: Some("Finished my course while moving house".into()),
        })
        .unwrap();
    store
        .add_support(&SupportInput {
            name: "Jo (sister)".into(),
            kind: SupportKind::Person,
            note: Some("Calls on Sundays".into()),
        })
        .unwrap();
    store
        .set_vision(
            "A calm home where I have energy for the kids",
            date("2026-11-01"),
        )
        .unwrap();
    store
        .set_vision("Energy for the kids and for myself", date("2026-11-20"))
        .unwrap();
    let goal = store.add_goal(&walking_goal(vec![value.clone()])).unwrap();
    let shoes = store.add_step(&goal, "Buy walking shoes").unwrap();
    let route = store.add_step(&goal, "Pick a route").unwrap();
    store.move_step(&goal, &route, 0).unwrap();
    store.set_step_done(&goal, &shoes, true).unwrap();
    let plan = store.add_plan(&walk(Some(goal.clone()))).unwrap();
    let now = evening("2026-11-06");
    store
        .check_in_at(&check(&plan, "2026-11-02", Outcome::Done), now)
        .unwrap();
    let mut skipped = check(&plan, "2026-11-04", Outcome::NotDone);
    skipped.reasons = vec![Reason::LowMood];
    skipped.reason_text = Some("Bad night".into());
    store.check_in_at(&skipped, now).unwrap();
    store
        .check_in_at(&check(&plan, "2026-11-06", Outcome::Partly), now)
        .unwrap();
    store
        .add_review(&ReviewInput {
            date: date("2026-11-06"),
            goal_id: Some(goal.clone()),
            motivation: 7,
            confidence: 6,
            progress: 5,
            attainment: Some(0),
            note: Some("Mornings are hard".into()),
        })
        .unwrap();

    let journey = store.journey().unwrap();
    let check_ins = store
        .check_ins(date("2026-11-01"), date("2026-11-30"))
        .unwrap();
    assert_eq!(journey.values[0].text, "Being there for my kids");
    assert_eq!(
        journey.current_vision().unwrap().text,
        "Energy for the kids and for myself"
    );
    assert_eq!(journey.visions.len(), 2, "earlier visions are kept");
    let g = journey.goal(&goal).unwrap();
    assert_eq!(g.value_ids, vec![value]);
    let steps: Vec<(&str, bool)> = g.steps.iter().map(|s| (s.text.as_str(), s.done)).collect();
    assert_eq!(
        steps,
        vec![("Pick a route", false), ("Buy walking shoes", true)]
    );
    assert_eq!(journey.plan(&plan).unwrap().schedule.times, vec![at(8, 0)]);
    assert_eq!(check_ins.len(), 3);
    assert_eq!(check_ins[1].reasons, vec![Reason::LowMood]);
    assert_eq!(
        check_ins[1].time,
        Some(at(8, 0)),
        "the plan's only time is filled in"
    );
    let insights = store
        .insights(date("2026-11-02"), date("2026-11-06"), now)
        .unwrap();
    assert_eq!(insights.per_plan[0].completion.planned, 3);
    assert_eq!(insights.per_plan[0].completion.done, 1);

    drop(store);
    let reopened = open(&dir);
    assert_eq!(reopened.journey().unwrap(), journey);
    assert_eq!(
        reopened
            .check_ins(date("2026-11-01"), date("2026-11-30"))
            .unwrap(),
        check_ins
    );
    assert_eq!(reopened.identity(), &identity_of(&dir));
}

#[test]
fn bad_input_is_refused_with_the_field_and_the_problem_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let plan = store.add_plan(&walk(None)).unwrap();
    let before = store.journey().unwrap();
    let bytes_before = store.stored_bytes().unwrap();

    let long = "x".repeat(5000);
    type Case = (
        Box<dyn Fn(&Store) -> Result<String>>,
        &'static str,
        &'static str,
    );
    let cases: Vec<Case> = vec![
        (
            Box::new(|s| {
                s.add_value(&ValueInput {
                    text: "  ".into(),
                    ..family()
                })
            }),
            "text",
            "is empty",
        ),
        (
            Box::new(|s| {
                s.add_value(&ValueInput {
                    importance: 12,
                    ..family()
                })
            }),
            "importance",
            "12 is outside 0–10",
        ),
        (
            Box::new(move |s| {
                s.add_value(&ValueInput {
                    text: long.clone(),
                    ..family()
                })
            }),
            "text",
            "characters long",
        ),
        (
            Box::new(|s| {
                s.add_strength(&StrengthInput {
                    text: "Patience".into(),
                    example: Some("".into()),
                })
            }),
            "example",
            "blank",
        ),
        (
            Box::new(|s| {
                s.add_goal(&GoalInput {
                    confidence: 11,
                    ..walking_goal(vec![])
                })
            }),
            "confidence",
            "11 is outside 0–10",
        ),
        (
            Box::new(|s| {
                let mut g = walking_goal(vec![]);
                g.attainment_levels[0].level = 3;
                s.add_goal(&g)
            }),
            "attainment_levels[0].level",
            "outside −2…+2",
        ),
        (
            Box::new(|s| {
                let mut g = walking_goal(vec![]);
                g.attainment_levels[1].level = 0;
                s.add_goal(&g)
            }),
            "attainment_levels",
            "listed twice",
        ),
        (
            Box::new(|s| {
                let mut p = walk(None);
                p.end = Some(date("2026-11-01"));
                s.add_plan(&p)
            }),
            "end",
            "before the start",
        ),
        (
            Box::new(|s| {
                let mut p = walk(None);
                p.schedule.repeat = Repeat::Weekly { days: vec![] };
                s.add_plan(&p)
            }),
            "schedule.days",
            "never happen",
        ),
        (
            Box::new(|s| {
                // Starts on Monday 2 November, ends on Tuesday; walks on Wednesdays only.
                let mut p = walk(None);
                p.schedule.repeat = Repeat::Weekly {
                    days: vec![Weekday::Wed],
                };
                p.end = Some(date("2026-11-03"));
                s.add_plan(&p)
            }),
            "schedule.days",
            "never happen",
        ),
        (
            Box::new(|s| {
                let mut p = walk(None);
                p.schedule.repeat = Repeat::EveryNDays { n: 0 };
                s.add_plan(&p)
            }),
            "schedule.every_n_days",
            "0 is outside",
        ),
        (
            Box::new(|s| {
                let mut p = walk(None);
                p.schedule.times = vec![at(8, 0), at(8, 0)];
                s.add_plan(&p)
            }),
            "schedule.times",
            "listed twice",
        ),
        (
            Box::new(|s| {
                let mut p = walk(None);
                p.duration_minutes = Some(0);
                s.add_plan(&p)
            }),
            "duration_minutes",
            "0 is outside",
        ),
        (
            Box::new(|s| {
                let mut p = walk(None);
                p.step_id = Some("abc".into());
                s.add_plan(&p)
            }),
            "step_id",
            "without the goal",
        ),
        (
            Box::new(move |s| {
                let mut c = check(&plan, "2026-11-02", Outcome::Done);
                c.reasons = vec![Reason::Forgot];
                s.check_in_at(&c, evening("2026-11-06"))
                    .map(|_| String::new())
            }),
            "reasons",
            "partly or not done",
        ),
        (
            Box::new({
                let plan = before.plans[0].id.clone();
                move |s| {
                    s.check_in_at(
                        &check(&plan, "2026-11-09", Outcome::Done),
                        evening("2026-11-06"),
                    )
                    .map(|_| String::new())
                }
            }),
            "date",
            "has not come yet",
        ),
        (
            Box::new({
                let plan = before.plans[0].id.clone();
                move |s| {
                    s.check_in_at(
                        &check(&plan, "2026-10-30", Outcome::Done),
                        evening("2026-11-06"),
                    )
                    .map(|_| String::new())
                }
            }),
            "date",
            "before the plan starts",
        ),
        (
            Box::new({
                let plan = before.plans[0].id.clone();
                move |s| {
                    let mut c = check(&plan, "2026-11-02", Outcome::Done);
                    c.time = Some(at(9, 0));
                    s.check_in_at(&c, evening("2026-11-06"))
                        .map(|_| String::new())
                }
            }),
            "time",
            "not at 09:00",
        ),
        (
            Box::new(|s| {
                s.add_review(&ReviewInput {
                    date: date("2026-11-06"),
                    goal_id: None,
                    motivation: 5,
                    confidence: 5,
                    progress: 5,
                    attainment: Some(-3),
                    note: None,
                })
            }),
            "attainment",
            "outside −2…+2",
        ),
        (
            Box::new(|s| s.set_time_zone("Mars/Olympus").map(|_| String::new())),
            "time_zone",
            "not a known IANA time zone",
        ),
    ];
    for (i, (attempt, field, problem)) in cases.iter().enumerate() {
        println!("case {i}: {field}");
        assert_invalid(attempt(&store), field, problem);
    }
    assert_eq!(store.journey().unwrap(), before);
    assert_eq!(
        store.stored_bytes().unwrap(),
        bytes_before,
        "nothing was written"
    );
}

#[test]
fn unknown_ids_are_reported_as_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let nf = |r: Result<()>, kind: &str| match r {
        Err(Error::NotFound { kind: k, .. }) => assert_eq!(k, kind),
        other => panic!("expected {kind} not found, got {other:?}"),
    };
    nf(
        store
            .add_goal(&walking_goal(vec!["nope".into()]))
            .map(|_| ()),
        "value",
    );
    nf(
        store.add_plan(&walk(Some("nope".into()))).map(|_| ()),
        "goal",
    );
    nf(store.set_goal_status("nope", GoalStatus::Paused), "goal");
    nf(store.update_value("nope", &family()), "value");
    nf(store.remove_plan("nope"), "action plan");
    nf(
        store
            .check_in_at(
                &check("nope", "2026-11-02", Outcome::Done),
                evening("2026-11-06"),
            )
            .map(|_| ()),
        "action plan",
    );
    let goal = store.add_goal(&walking_goal(vec![])).unwrap();
    nf(store.set_step_done(&goal, "nope", true), "step");
    let mut p = walk(Some(goal));
    p.step_id = Some("nope".into());
    nf(store.add_plan(&p).map(|_| ()), "step");
}

#[test]
fn an_edit_writes_only_the_fields_that_changed() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let goal = store.add_goal(&walking_goal(vec![])).unwrap();
    let mut changed = walking_goal(vec![]);
    changed.confidence = 7;
    store.update_goal(&goal, &changed).unwrap();
    let docs = store.lock_docs();
    let last = docs[&store.journey_id].doc.get_last_local_change().unwrap();
    assert_eq!(last.len(), 1, "one field changed, one operation written");
    drop(docs);
    assert_eq!(store.journey().unwrap().goals[0].confidence, 7);
    // The same input again changes nothing and writes nothing.
    let bytes = store.stored_bytes().unwrap();
    store.update_goal(&goal, &changed).unwrap();
    assert_eq!(store.stored_bytes().unwrap(), bytes);
}

#[test]
fn checking_in_twice_on_one_occurrence_keeps_one_answer_and_unplanned_days_are_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let plan = store.add_plan(&walk(None)).unwrap();
    let now = evening("2026-11-06");
    store
        .check_in_at(&check(&plan, "2026-11-04", Outcome::NotDone), now)
        .unwrap();
    store
        .check_in_at(&check(&plan, "2026-11-04", Outcome::Done), now)
        .unwrap();
    // Tuesday is not a walking day: an extra walk, kept as unplanned, with no time.
    let extra = store
        .check_in_at(&check(&plan, "2026-11-03", Outcome::Done), now)
        .unwrap();
    assert_eq!(extra.time, None);
    let all = store
        .check_ins(date("2026-11-01"), date("2026-11-30"))
        .unwrap();
    let outcomes: Vec<(NaiveDate, Outcome)> = all.iter().map(|c| (c.date, c.outcome)).collect();
    assert_eq!(
        outcomes,
        vec![
            (date("2026-11-03"), Outcome::Done),
            (date("2026-11-04"), Outcome::Done)
        ]
    );
    let insights = store
        .insights(date("2026-11-02"), date("2026-11-06"), now)
        .unwrap();
    assert_eq!(insights.per_plan[0].unplanned, 1);
}

#[test]
fn removing_a_goal_unlinks_its_plans_and_removing_a_value_unlinks_its_goals() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let value = store.add_value(&family()).unwrap();
    let goal = store.add_goal(&walking_goal(vec![value.clone()])).unwrap();
    let plan = store.add_plan(&walk(Some(goal.clone()))).unwrap();
    store.remove_value(&value).unwrap();
    assert!(store.journey().unwrap().goals[0].value_ids.is_empty());
    store.remove_goal(&goal).unwrap();
    let journey = store.journey().unwrap();
    assert!(journey.goals.is_empty());
    assert_eq!(journey.plan(&plan).unwrap().goal_id, None);
}

#[test]
fn looking_over_any_range_of_dates_answers_without_walking_every_day() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let plan = store.add_plan(&walk(None)).unwrap();
    let now = evening("2026-11-06");
    store
        .check_in_at(&check(&plan, "2026-11-02", Outcome::Done), now)
        .unwrap();
    let all = store.check_ins(NaiveDate::MIN, NaiveDate::MAX).unwrap();
    assert_eq!(all.len(), 1);
    let insights = store.insights(NaiveDate::MIN, NaiveDate::MAX, now).unwrap();
    // Monday answered, Wednesday missed; Friday (today) counts only once answered.
    assert_eq!(insights.per_plan[0].completion.planned, 2);
    assert_eq!(insights.per_plan[0].completion.unanswered, 1);
    assert!(matches!(
        store.check_ins(date("2026-11-02"), date("2026-11-01")),
        Err(Error::Invalid(_))
    ));
}

#[test]
fn moving_a_plan_to_a_new_time_keeps_the_check_ins_of_the_days_before() {
    let dir = tempfile::tempdir().unwrap();
    // Today is Tuesday 10 November, whatever day the test runs.
    let store = open_with(
        &dir,
        Clock::fixed(Utc.with_ymd_and_hms(2026, 11, 10, 8, 0, 0).unwrap()),
    );
    let plan = store.add_plan(&walk(None)).unwrap();
    let then = evening("2026-11-06");
    for day in ["2026-11-02", "2026-11-04", "2026-11-06"] {
        store
            .check_in_at(&check(&plan, day, Outcome::Done), then)
            .unwrap();
    }
    // From today on, the walk is at 09:00.
    let mut later = PlanInput::from(store.journey().unwrap().plan(&plan).unwrap());
    later.schedule.times = vec![at(9, 0)];
    store.update_plan(&plan, &later).unwrap();
    let moved = store.journey().unwrap().plan(&plan).unwrap().clone();
    assert_eq!(moved.schedule.times, vec![at(9, 0)]);
    assert_eq!(moved.earlier_schedules.len(), 1);
    assert_eq!(moved.schedule_on(date("2026-11-04")).times, vec![at(8, 0)]);
    assert_eq!(moved.schedule_on(date("2026-11-09")).times, vec![at(8, 0)]);
    assert_eq!(
        moved.schedule_on(date("2026-11-10")).times,
        vec![at(9, 0)],
        "from today on"
    );

    let insights = store
        .insights(date("2026-11-02"), date("2026-11-06"), then)
        .unwrap();
    assert_eq!(
        insights.per_plan[0].completion.done, 3,
        "last week's walks still count"
    );
    assert_eq!(insights.per_plan[0].unplanned, 0);
    // Changing it again today does not rewrite the days before.
    later.schedule.times = vec![at(10, 0)];
    store.update_plan(&plan, &later).unwrap();
    let moved = store.journey().unwrap().plan(&plan).unwrap().clone();
    assert_eq!(moved.earlier_schedules.len(), 1);
    assert_eq!(moved.schedule_on(date("2026-11-04")).times, vec![at(8, 0)]);
    // A late check-in for a past day answers that day's time.
    let late = store
        .check_in_at(
            &check(&plan, "2026-11-09", Outcome::Partly),
            evening("2026-11-10"),
        )
        .unwrap();
    assert_eq!(late.time, Some(at(8, 0)));
}

#[test]
fn a_check_in_taken_back_leaves_its_occurrence_unanswered_even_after_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let plan = store.add_plan(&walk(None)).unwrap();
    let now = evening("2026-11-06");
    let done = store
        .check_in_at(&check(&plan, "2026-11-06", Outcome::Done), now)
        .unwrap();
    store
        .check_in_at(&check(&plan, "2026-11-04", Outcome::Partly), now)
        .unwrap();
    // Undo uses the check-in as stored (its time resolved to the plan's 08:00).
    assert_eq!(done.time, Some(at(8, 0)));
    store.remove_check_in(&plan, done.date, done.time).unwrap();
    let left = |s: &Store| -> Vec<(NaiveDate, Outcome)> {
        s.check_ins(date("2026-11-01"), date("2026-11-30"))
            .unwrap()
            .iter()
            .map(|c| (c.date, c.outcome))
            .collect()
    };
    assert_eq!(left(&store), vec![(date("2026-11-04"), Outcome::Partly)]);
    let today = store.today(now).unwrap();
    assert_eq!(today.len(), 1);
    assert_eq!(today[0].check_in, None);
    // Taken back twice: nothing to take back.
    assert!(matches!(
        store.remove_check_in(&plan, done.date, done.time),
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        store.remove_check_in(&plan, date("2025-01-01"), None),
        Err(Error::NotFound { .. })
    ));
    drop(store);
    assert_eq!(
        left(&open(&dir)),
        vec![(date("2026-11-04"), Outcome::Partly)]
    );
}
