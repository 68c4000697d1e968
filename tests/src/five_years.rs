//! A journey of five years of daily use, generated deterministically through the store's public
//! API, for the open-time and memory budget (docs/DESIGN.md, "Budgets") and tests of long histories.
//!
//! What a day holds: five daily plans with 8, 6, 4, 4 and 3 set times (25 occurrences a day),
//! each checked in with probability 0.985 (≈ 9,000 check-ins a year), mostly done, sometimes
//! partly or not done with reasons, now and then with a note. Every week a review (of the
//! journey or of one goal); every month an edit to a value, goal, step, plan, strength or
//! support; every year one plan ends and a new one takes its place, a goal is completed and a
//! new one set, and the vision is rewritten.
//!
//! Only the shape is deterministic: the store draws its own random item ids.
//!
//! This file is also compiled into `tandem-core`'s `budgets` benchmark (by `#[path]`), so it
//! may use only what that benchmark can: `tandem_core`, `chrono` and `rand`.

use std::time::{Duration, Instant};

use chrono::{DateTime, Days, Months, NaiveDate, NaiveTime, TimeDelta, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tandem_core::journey::schedule::{local_instant, parse_time_zone};
use tandem_core::journey::*;
use tandem_core::{Result, Store};

/// The time zone of the generated journey (with summer time, to keep the schedule honest).
pub const TIME_ZONE: &str = "Europe/London";

/// The seed the benchmark uses.
pub const SEED: u64 = 0x7a4d_2026;

/// The set times of the five plan slots, "HH:MM". 25 occurrences a day in all.
const SLOT_TIMES: [&[&str]; 5] = [
    &[
        "07:00", "09:00", "11:00", "13:00", "15:00", "17:00", "19:00", "21:00",
    ],
    &["08:00", "10:30", "12:30", "14:30", "16:30", "18:30"],
    &["08:30", "12:00", "17:30", "20:30"],
    &["07:30", "13:30", "16:00", "22:00"],
    &["09:30", "14:00", "19:30"],
];

const PLAN_WHATS: [&str; 10] = [
    "Notice and name how I feel",
    "Drink a glass of water and breathe",
    "Stretch for five minutes",
    "Slow breathing, four counts in and six out",
    "Send a message to someone I care about",
    "Step outside for some daylight",
    "Write one line about what went well",
    "Tidy one small thing",
    "Put the phone away and listen",
    "Walk round the block",
];

/// Chance that an occurrence gets a check-in at all.
const CHECK_IN_CHANCE: f64 = 0.985;

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    /// How long the journey is, in months (60 for five years).
    pub months: u32,
    /// The last day of the journey (normally today).
    pub end: NaiveDate,
    pub seed: u64,
    /// Occurrences after this instant are not checked in (normally now, so that today is only
    /// checked in up to the present).
    pub until: Option<DateTime<Utc>>,
}

impl Options {
    /// Five years up to today, with [`SEED`].
    pub fn five_years_to_now() -> Options {
        let now = Utc::now();
        Options {
            months: 60,
            end: now
                .with_timezone(&parse_time_zone(TIME_ZONE).expect("known zone"))
                .date_naive(),
            seed: SEED,
            until: Some(now),
        }
    }
}

/// What was generated, and how long it took.
#[derive(Debug, Clone, Default)]
pub struct Generated {
    pub first_day: Option<NaiveDate>,
    pub days: usize,
    pub check_ins: usize,
    pub reviews: usize,
    /// Every other edit to the journey (values, goals, steps, plans, visions ...).
    pub journey_edits: usize,
    pub plans: usize,
    /// How long each check-in call took, in the order they were made.
    pub check_in_times: Vec<Duration>,
    pub elapsed: Duration,
}

struct Slot {
    id: String,
    input: PlanInput,
}

fn t(s: &str) -> NaiveTime {
    NaiveTime::parse_from_str(s, "%H:%M").expect("a valid time")
}

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.gen_range(0..items.len())]
}

const NOTES: [&str; 6] = [
    "Felt easier than yesterday.",
    "Hard to start, glad I did.",
    "Did it with my sister.",
    "Rushed it, but it counts.",
    "Rain, so I did it indoors.",
    "Noticed I was holding my breath again.",
];

const NOT_DONE_REASONS: [Reason; 9] = [
    Reason::Forgot,
    Reason::NoTime,
    Reason::TooTired,
    Reason::Unwell,
    Reason::LowMood,
    Reason::Anxious,
    Reason::LowMotivation,
    Reason::SomethingCameUp,
    Reason::PlanDidNotFit,
];

fn check_in_input(
    rng: &mut StdRng,
    plan_id: &str,
    date: NaiveDate,
    time: NaiveTime,
) -> CheckInInput {
    let roll: f64 = rng.gen();
    let outcome = if roll < 0.70 {
        Outcome::Done
    } else if roll < 0.88 {
        Outcome::Partly
    } else {
        Outcome::NotDone
    };
    let mut reasons = Vec::new();
    let mut reason_text = None;
    if outcome != Outcome::Done {
        reasons.push(*pick(rng, &NOT_DONE_REASONS));
        if rng.gen_bool(0.2) {
            let other = *pick(rng, &NOT_DONE_REASONS);
            if !reasons.contains(&other) {
                reasons.push(other);
            }
        }
        if rng.gen_bool(0.05) {
            reasons.push(Reason::Other);
            reason_text = Some("Visitors all afternoon".to_string());
        }
    }
    CheckInInput {
        plan_id: plan_id.to_string(),
        date,
        time: Some(time),
        outcome,
        reasons,
        reason_text,
        note: rng.gen_bool(0.06).then(|| pick(rng, &NOTES).to_string()),
    }
}

fn goal_input(rng: &mut StdRng, n: usize, value_ids: &[String]) -> GoalInput {
    const GOALS: [&str; 4] = [
        "Sleep before midnight most nights",
        "Get back in touch with old friends",
        "Feel steady enough to go back to work part-time",
        "Spend time outdoors every day",
    ];
    let mut values: Vec<String> = (0..2).map(|_| pick(rng, value_ids).clone()).collect();
    values.dedup();
    GoalInput {
        text: format!("{} ({})", GOALS[n % GOALS.len()], n + 1),
        value_ids: values,
        framing: Framing::Approach,
        proposed_by: *pick(rng, ProposedBy::ALL),
        target_date: None,
        importance: rng.gen_range(6..=10),
        confidence: rng.gen_range(3..=8),
        attainment_levels: (-2..=2)
            .map(|level| AttainmentLevel {
                level,
                description: format!("Level {level}: how it would look"),
            })
            .collect(),
    }
}

fn plan_input(
    rng: &mut StdRng,
    n: usize,
    slot: usize,
    goal_id: Option<String>,
    start: NaiveDate,
) -> PlanInput {
    PlanInput {
        what: PLAN_WHATS[n % PLAN_WHATS.len()].to_string(),
        place: Some(pick(rng, &["At home", "At work", "Wherever I am"]).to_string()),
        schedule: Schedule {
            repeat: Repeat::EveryNDays { n: 1 },
            times: SLOT_TIMES[slot].iter().map(|s| t(s)).collect(),
        },
        duration_minutes: Some(rng.gen_range(2..=20)),
        goal_id,
        step_id: None,
        barriers: Some("Busy mornings; forgetting when I am low".to_string()),
        supports: Some("A reminder on the phone; my partner asks".to_string()),
        agreed_by: vec![Party::Myself, Party::Supporter],
        reminder: true,
        start,
        end: None,
    }
}

/// Fills `store` (a new store, opened in [`TIME_ZONE`]) with a journey of `options.months`
/// months ending on `options.end`.
pub fn generate(store: &Store, options: &Options) -> Result<Generated> {
    let started = Instant::now();
    let mut rng = StdRng::seed_from_u64(options.seed);
    let tz = parse_time_zone(TIME_ZONE)?;
    store.set_time_zone(TIME_ZONE)?;
    let first = options
        .end
        .checked_sub_months(Months::new(options.months))
        .and_then(|d| d.checked_add_days(Days::new(1)))
        .expect("a date in range");
    let mut out = Generated {
        first_day: Some(first),
        ..Generated::default()
    };

    // Day one: the first stage, goals and plans.
    store.set_vision("A calmer life with room for the people I love", first)?;
    let mut value_ids = Vec::new();
    for (i, (text, area)) in [
        ("Being there for my family", LifeArea::Family),
        ("Honesty", LifeArea::Relationships),
        ("Learning new things", LifeArea::Learning),
        ("Looking after my body", LifeArea::Health),
        ("Being useful at work", LifeArea::Work),
        ("Time in nature", LifeArea::Leisure),
    ]
    .into_iter()
    .enumerate()
    {
        value_ids.push(store.add_value(&ValueInput {
            text: text.to_string(),
            life_area: area,
            importance: 10 - i as u8,
        })?);
    }
    store.add_strength(&StrengthInput {
        text: "Patience".to_string(),
        example: Some("Taught my nephew to ride a bike".to_string()),
    })?;
    store.add_strength(&StrengthInput {
        text: "Humour".to_string(),
        example: None,
    })?;
    let support_id = store.add_support(&SupportInput {
        name: "My sister".to_string(),
        kind: SupportKind::Person,
        note: Some("Calls on Sundays".to_string()),
    })?;
    store.add_support(&SupportInput {
        name: "Community mental health team".to_string(),
        kind: SupportKind::Service,
        note: None,
    })?;
    out.journey_edits += 11;

    let mut goals: Vec<(String, GoalInput, Vec<String>)> = Vec::new();
    let add_goal = |rng: &mut StdRng, out: &mut Generated, n: usize| -> Result<_> {
        let input = goal_input(rng, n, &value_ids);
        let id = store.add_goal(&input)?;
        let steps = (1..=3)
            .map(|s| store.add_step(&id, &format!("Step {s} of goal {}", n + 1)))
            .collect::<Result<Vec<_>>>()?;
        out.journey_edits += 4;
        Ok((id, input, steps))
    };
    for n in 0..3 {
        goals.push(add_goal(&mut rng, &mut out, n)?);
    }
    let mut plans_added = 0;
    let mut slots: Vec<Slot> = Vec::new();
    for slot in 0..SLOT_TIMES.len() {
        let goal_id = Some(goals[slot % goals.len()].0.clone());
        let input = plan_input(&mut rng, plans_added, slot, goal_id, first);
        slots.push(Slot {
            id: store.add_plan(&input)?,
            input,
        });
        plans_added += 1;
        out.journey_edits += 1;
    }

    let mut date = first;
    let mut day = 0usize;
    while date <= options.end {
        // A year on: one plan makes way for a new one, a goal is reached, a new vision.
        if day > 0 && day.is_multiple_of(365) {
            let year = day / 365;
            let slot = (year - 1) % slots.len();
            store.end_plan(&slots[slot].id, date.pred_opt().expect("after 2000"))?;
            let active: Vec<usize> = (0..goals.len()).rev().take(3).collect();
            store.set_goal_status(&goals[active[2]].0, GoalStatus::Completed)?;
            let goal = add_goal(&mut rng, &mut out, goals.len())?;
            let input = plan_input(&mut rng, plans_added, slot, Some(goal.0.clone()), date);
            goals.push(goal);
            slots[slot] = Slot {
                id: store.add_plan(&input)?,
                input,
            };
            plans_added += 1;
            store.set_vision(&format!("Where I am heading, year {}", year + 1), date)?;
            out.journey_edits += 4;
        }

        // The day's occurrences, in time order, each checked in a little after it was due.
        let mut due: Vec<(NaiveTime, usize)> = slots
            .iter()
            .enumerate()
            .flat_map(|(i, s)| s.input.schedule.times.iter().map(move |t| (*t, i)))
            .collect();
        due.sort();
        for (time, slot) in due {
            if !rng.gen_bool(CHECK_IN_CHANCE) {
                continue;
            }
            let at = local_instant(tz, date, time) + TimeDelta::minutes(rng.gen_range(0..60));
            if options.until.is_some_and(|until| at > until) {
                continue;
            }
            let input = check_in_input(&mut rng, &slots[slot].id, date, time);
            let began = Instant::now();
            store.check_in_at(&input, at)?;
            out.check_in_times.push(began.elapsed());
            out.check_ins += 1;
        }

        // A weekly review, of the journey or of one of the three latest goals.
        if day % 7 == 6 {
            let goal = rng
                .gen_bool(0.6)
                .then(|| &goals[goals.len() - 1 - rng.gen_range(0..3)]);
            store.add_review(&ReviewInput {
                date,
                goal_id: goal.map(|g| g.0.clone()),
                motivation: rng.gen_range(2..=10),
                confidence: rng.gen_range(2..=10),
                progress: rng.gen_range(0..=10),
                attainment: goal.map(|_| rng.gen_range(-2..=2)),
                note: rng
                    .gen_bool(0.3)
                    .then(|| "A mixed week; the mornings went better.".to_string()),
            })?;
            out.reviews += 1;
        }

        // A monthly edit somewhere in the journey.
        if day % 30 == 15 {
            match (day / 30) % 6 {
                0 => {
                    let i = rng.gen_range(0..value_ids.len());
                    store.update_value(
                        &value_ids[i],
                        &ValueInput {
                            text: format!("Value {i}, in new words"),
                            life_area: *pick(&mut rng, LifeArea::ALL),
                            importance: rng.gen_range(4..=10),
                        },
                    )?;
                }
                1 => {
                    let goal = goals.last_mut().expect("there are goals");
                    goal.1.confidence = rng.gen_range(2..=9);
                    store.update_goal(&goal.0, &goal.1)?;
                }
                2 => {
                    let goal = goals.last_mut().expect("there are goals");
                    match goal.2.len() {
                        0..=5 => goal.2.push(store.add_step(&goal.0, "A smaller next step")?),
                        _ => store.set_step_done(&goal.0, &goal.2[0], true)?,
                    }
                }
                3 => {
                    let slot = pick(&mut rng, &slots);
                    let mut input = slot.input.clone();
                    input.place = Some(format!("Somewhere new, month {}", day / 30));
                    store.update_plan(&slot.id, &input)?;
                }
                4 => {
                    store.add_strength(&StrengthInput {
                        text: format!("Something I found I can do, month {}", day / 30),
                        example: None,
                    })?;
                }
                _ => store.update_support(
                    &support_id,
                    &SupportInput {
                        name: "My sister".to_string(),
                        kind: SupportKind::Person,
                        note: Some(format!("Calls on Sundays; month {}", day / 30)),
                    },
                )?,
            }
            out.journey_edits += 1;
        }

        date = date.succ_opt().expect("a date in range");
        day += 1;
    }
    out.days = day;
    out.plans = plans_added;
    out.elapsed = started.elapsed();
    Ok(out)
}
