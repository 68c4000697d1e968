//! Property: replicas that edit one journey concurrently and merge in any order end with the
//! same typed state, and no edit is lost unless another edit replaced it by automerge's rules
//! (a later write to the same field, or a removal of the record it was in).

use std::collections::{HashMap, HashSet};

use automerge::{ActorId, Automerge};
use chrono::NaiveDate;
use proptest::prelude::*;

use super::check_ins::{new_period_doc, put_check_in, read_check_ins};
use super::journey::*;
use super::new_doc_id;
use crate::journey::*;

#[derive(Debug, Clone)]
enum Op {
    AddValue {
        importance: u8,
    },
    EditValue {
        pick: usize,
        importance: u8,
    },
    RemoveValue {
        pick: usize,
    },
    AddGoal,
    AddStep {
        goal: usize,
    },
    MoveStep {
        goal: usize,
        step: usize,
        to: usize,
    },
    MarkStep {
        goal: usize,
        step: usize,
        done: bool,
    },
    RemoveStep {
        goal: usize,
        step: usize,
    },
    AddPlan,
    RenamePlan {
        pick: usize,
        word: u8,
    },
    CheckIn {
        plan: usize,
        day: u32,
        outcome: u8,
    },
}

#[derive(Debug, Clone)]
enum Action {
    Edit(usize, Op),
    /// Merge replica `.1` into replica `.0`.
    Merge(usize, usize),
}

fn op() -> impl Strategy<Value = Op> {
    let i = || 0usize..8;
    prop_oneof![
        (0u8..=10).prop_map(|importance| Op::AddValue { importance }),
        (i(), 0u8..=10).prop_map(|(pick, importance)| Op::EditValue { pick, importance }),
        i().prop_map(|pick| Op::RemoveValue { pick }),
        Just(Op::AddGoal),
        i().prop_map(|goal| Op::AddStep { goal }),
        (i(), i(), i()).prop_map(|(goal, step, to)| Op::MoveStep { goal, step, to }),
        (i(), i(), any::<bool>()).prop_map(|(goal, step, done)| Op::MarkStep { goal, step, done }),
        (i(), i()).prop_map(|(goal, step)| Op::RemoveStep { goal, step }),
        Just(Op::AddPlan),
        (i(), 0u8..20).prop_map(|(pick, word)| Op::RenamePlan { pick, word }),
        (i(), 1u32..=28, 0u8..3).prop_map(|(plan, day, outcome)| Op::CheckIn {
            plan,
            day,
            outcome
        }),
    ]
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        4 => (0usize..3, op()).prop_map(|(r, op)| Action::Edit(r, op)),
        1 => (0usize..3, 0usize..3).prop_map(|(a, b)| Action::Merge(a, b)),
    ]
}

struct Replica {
    journey: Automerge,
    month: Automerge,
}

/// What was written, to check nothing is lost that was not replaced.
#[derive(Default)]
struct Ledger {
    values: HashSet<String>,
    removed_values: HashSet<String>,
    importances: HashMap<String, HashSet<u8>>,
    steps: HashMap<String, String>,
    removed_steps: HashSet<String>,
    step_done: HashMap<String, HashSet<bool>>,
    plan_names: HashMap<String, HashSet<String>>,
    check_ins: HashMap<(String, NaiveDate), HashSet<Outcome>>,
}

const OUTCOMES: [Outcome; 3] = [Outcome::Done, Outcome::Partly, Outcome::NotDone];

fn pick<T>(items: &[T], i: usize) -> Option<&T> {
    (!items.is_empty()).then(|| &items[i % items.len()])
}

fn apply(replica: &mut Replica, op: &Op, ledger: &mut Ledger, doc_id: &samod::DocumentId) {
    let state = read_journey(&replica.journey, doc_id);
    let mut tx = replica.journey.transaction();
    match op {
        Op::AddValue { importance } => {
            let input = ValueInput {
                text: "A value".into(),
                life_area: LifeArea::Health,
                importance: *importance,
            };
            let id = add_record::<Value, _>(&mut tx, &input, chrono::DateTime::UNIX_EPOCH).unwrap();
            ledger
                .importances
                .entry(id.clone())
                .or_default()
                .insert(*importance);
            ledger.values.insert(id);
        }
        Op::EditValue {
            pick: i,
            importance,
        } => {
            if let Some(v) = pick(&state.values, *i) {
                let input = ValueInput {
                    text: v.text.clone(),
                    life_area: v.life_area,
                    importance: *importance,
                };
                update_record::<Value, _>(&mut tx, &v.id, &input).unwrap();
                ledger
                    .importances
                    .entry(v.id.clone())
                    .or_default()
                    .insert(*importance);
            }
        }
        Op::RemoveValue { pick: i } => {
            if let Some(v) = pick(&state.values, *i) {
                remove_record::<Value, _>(&mut tx, &v.id).unwrap();
                ledger.removed_values.insert(v.id.clone());
            }
        }
        Op::AddGoal => {
            let input = GoalInput {
                text: "A goal".into(),
                value_ids: vec![],
                framing: Framing::Approach,
                proposed_by: ProposedBy::Myself,
                target_date: None,
                importance: 5,
                confidence: 5,
                attainment_levels: vec![],
            };
            add_record::<Goal, _>(&mut tx, &input, chrono::DateTime::UNIX_EPOCH).unwrap();
        }
        Op::AddStep { goal } => {
            if let Some(g) = pick(&state.goals, *goal) {
                let id = add_step(&mut tx, &g.id, "A step").unwrap();
                ledger
                    .step_done
                    .entry(id.clone())
                    .or_default()
                    .insert(false);
                ledger.steps.insert(id, g.id.clone());
            }
        }
        Op::MoveStep { goal, step, to } => {
            if let Some(g) = pick(&state.goals, *goal) {
                if let Some(s) = pick(&g.steps, *step) {
                    move_step(&mut tx, &g.id, &s.id, to % g.steps.len()).unwrap();
                }
            }
        }
        Op::MarkStep { goal, step, done } => {
            if let Some(g) = pick(&state.goals, *goal) {
                if let Some(s) = pick(&g.steps, *step) {
                    update_step(&mut tx, &g.id, &s.id, None, Some(*done)).unwrap();
                    ledger
                        .step_done
                        .entry(s.id.clone())
                        .or_default()
                        .insert(*done);
                }
            }
        }
        Op::RemoveStep { goal, step } => {
            if let Some(g) = pick(&state.goals, *goal) {
                if let Some(s) = pick(&g.steps, *step) {
                    remove_step(&mut tx, &g.id, &s.id).unwrap();
                    ledger.removed_steps.insert(s.id.clone());
                }
            }
        }
        Op::AddPlan => {
            let input = PlanInput {
                what: "plan-0".into(),
                place: None,
                schedule: Schedule {
                    repeat: Repeat::EveryNDays { n: 1 },
                    times: vec![],
                },
                duration_minutes: None,
                goal_id: None,
                step_id: None,
                barriers: None,
                supports: None,
                agreed_by: vec![],
                reminder: false,
                start: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
                end: None,
            };
            let id =
                add_record::<ActionPlan, _>(&mut tx, &input, chrono::DateTime::UNIX_EPOCH).unwrap();
            ledger
                .plan_names
                .entry(id)
                .or_default()
                .insert("plan-0".into());
        }
        Op::RenamePlan { pick: i, word } => {
            if let Some(p) = pick(&state.plans, *i) {
                let mut input = PlanInput::from(p);
                input.what = format!("plan-{word}");
                update_record::<ActionPlan, _>(&mut tx, &p.id, &input).unwrap();
                ledger
                    .plan_names
                    .entry(p.id.clone())
                    .or_default()
                    .insert(input.what);
            }
        }
        Op::CheckIn { plan, day, outcome } => {
            if let Some(p) = pick(&state.plans, *plan) {
                let date = NaiveDate::from_ymd_opt(2026, 11, *day).unwrap();
                let input = CheckInInput {
                    plan_id: p.id.clone(),
                    date,
                    time: None,
                    outcome: OUTCOMES[*outcome as usize],
                    reasons: vec![],
                    reason_text: None,
                    note: None,
                };
                let mut month = replica.month.transaction();
                // Answered that evening: a fixed instant, like every time in the core's tests.
                let answered = date.and_hms_opt(20, 0, 0).unwrap().and_utc();
                put_check_in(&mut month, &input, answered).unwrap();
                month.commit();
                ledger
                    .check_ins
                    .entry((p.id.clone(), date))
                    .or_default()
                    .insert(input.outcome);
            }
        }
    }
    tx.commit();
}

fn merge(replicas: &mut [Replica], into: usize, from: usize) {
    if into == from {
        return;
    }
    let (mut journey, mut month) = (replicas[from].journey.fork(), replicas[from].month.fork());
    replicas[into].journey.merge(&mut journey).unwrap();
    replicas[into].month.merge(&mut month).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn three_replicas_editing_concurrently_converge_and_lose_nothing_unreplaced(
        actions in proptest::collection::vec(action(), 1..60),
        final_order in Just([0usize, 1, 2]).prop_shuffle(),
    ) {
        let doc_id = new_doc_id();
        let origin = new_journey(&doc_id, "person", "UTC", &ActorId::random(), 0).unwrap();
        let mut replicas: Vec<Replica> = (0..3)
            .map(|_| {
                let actor = ActorId::random();
                let mut journey = origin.fork();
                journey.set_actor(actor.clone());
                // Each replica starts the month on its own, as offline devices do.
                let month = new_period_doc(&doc_id.to_string(), "2026-11", &actor).unwrap();
                Replica { journey, month }
            })
            .collect();
        let mut ledger = Ledger::default();
        for action in &actions {
            match action {
                Action::Edit(r, op) => apply(&mut replicas[*r], op, &mut ledger, &doc_id),
                Action::Merge(a, b) => merge(&mut replicas, *a, *b),
            }
        }
        // Everyone meets, in a random order.
        let [a, b, c] = final_order;
        merge(&mut replicas, a, b);
        merge(&mut replicas, a, c);
        merge(&mut replicas, b, a);
        merge(&mut replicas, c, a);

        let journeys: Vec<Journey> = replicas.iter().map(|r| read_journey(&r.journey, &doc_id)).collect();
        let months: Vec<Vec<CheckIn>> = replicas.iter().map(|r| read_check_ins(&r.month, NaiveDate::MIN, NaiveDate::MAX)).collect();
        prop_assert_eq!(&journeys[0], &journeys[1]);
        prop_assert_eq!(&journeys[0], &journeys[2]);
        prop_assert_eq!(&months[0], &months[1]);
        prop_assert_eq!(&months[0], &months[2]);

        let journey = &journeys[0];
        for id in ledger.values.difference(&ledger.removed_values) {
            let value = journey.values.iter().find(|v| &v.id == id);
            prop_assert!(value.is_some(), "value {} was added, never removed, and is gone", id);
            prop_assert!(ledger.importances[id].contains(&value.unwrap().importance));
        }
        for (step, goal) in &ledger.steps {
            if ledger.removed_steps.contains(step) {
                continue;
            }
            let g = journey.goal(goal).expect("goals are never removed here");
            let s = g.steps.iter().find(|s| &s.id == step);
            prop_assert!(s.is_some(), "step {} was added, never removed, and is gone", step);
            prop_assert!(ledger.step_done[step].contains(&s.unwrap().done));
        }
        for (plan, names) in &ledger.plan_names {
            let p = journey.plan(plan).expect("plans are never removed here");
            prop_assert!(names.contains(&p.what), "{} is a name nobody gave", p.what);
        }
        for ((plan, date), outcomes) in &ledger.check_ins {
            let c = months[0].iter().find(|c| &c.plan_id == plan && c.date == *date);
            prop_assert!(c.is_some(), "check-in on {} for {} is gone", date, plan);
            prop_assert!(outcomes.contains(&c.unwrap().outcome));
        }
        prop_assert_eq!(months[0].len(), ledger.check_ins.len());
    }
}
