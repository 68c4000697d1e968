//! How long the parallel view takes on a practitioner's device: their own journey beside a
//! caseload of clients, each with daily plans and check-ins, over twelve weeks. Computation
//! only (the journeys are already read); nothing asserts on time: run it in release and read it.
//!
//! ```text
//! cargo bench -p tandem-tests --bench parallel
//! cargo bench -p tandem-tests --bench parallel --profile dev -- --quick   # small sizes: does it still run?
//! ```

use std::time::Instant;

use chrono::{Days, NaiveDate, TimeZone, Utc, Weekday};
use tandem_core::coaching::{AllianceCheckIn, WellbeingEntry};
use tandem_core::journey::*;
use tandem_core::parallel::{parallel_view, ClientData, JourneyData, ParallelInput};
use tandem_tests::bench::Mode;

const WEEKS: u64 = 12;
const PLANS: usize = 3;

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 8, 31).unwrap() // a Monday
}

fn journey(owner: &str) -> Journey {
    let plans = (0..PLANS)
        .map(|p| ActionPlan {
            id: format!("{owner}-plan-{p}"),
            what: format!("Plan {p}"),
            place: None,
            schedule: Schedule {
                repeat: Repeat::Weekly {
                    days: vec![
                        Weekday::Mon,
                        Weekday::Tue,
                        Weekday::Wed,
                        Weekday::Thu,
                        Weekday::Fri,
                        Weekday::Sat,
                        Weekday::Sun,
                    ],
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
            start: start(),
            end: None,
        })
        .collect();
    Journey {
        id: format!("journey-{owner}"),
        owner: owner.into(),
        time_zone: "Europe/London".into(),
        values: vec![],
        strengths: vec![],
        supports: vec![],
        visions: vec![],
        goals: vec![],
        plans,
        reviews: vec![],
    }
}

/// A check-in on most days, a mix of outcomes and reasons, deterministic.
fn check_ins(journey: &Journey, seed: usize) -> Vec<CheckIn> {
    let mut out = Vec::new();
    for day in 0..WEEKS * 7 {
        let date = start() + Days::new(day);
        for (p, plan) in journey.plans.iter().enumerate() {
            let k = (seed * 31 + day as usize * 7 + p * 13) % 10;
            if k == 9 {
                continue; // unanswered
            }
            let (outcome, reasons) = match k {
                0..=5 => (Outcome::Done, vec![]),
                6 | 7 => (Outcome::Partly, vec![Reason::NoTime]),
                _ => (Outcome::NotDone, vec![Reason::LowMood, Reason::TooTired]),
            };
            out.push(CheckIn {
                plan_id: plan.id.clone(),
                date,
                time: None,
                outcome,
                reasons,
                reason_text: None,
                note: None,
                recorded_at: Utc::now(),
            });
        }
    }
    out
}

fn alliance(by: &str, seed: usize) -> Vec<AllianceCheckIn> {
    (0..WEEKS)
        .map(|w| {
            let score = 6 + ((seed + w as usize) % 4) as u8;
            AllianceCheckIn {
                id: format!("{by}-{w}"),
                date: start() + Days::new(w * 7 + 2),
                by: by.into(),
                goals: score,
                tasks: score,
                bond: score,
                felt_off: (seed + w as usize).is_multiple_of(9),
                repair_note: None,
            }
        })
        .collect()
}

fn main() {
    let mode = Mode::from_args();
    mode.print_heading("Tandem: the parallel view on a practitioner's device");
    let runs = mode.size(15, 3);
    let tz = tandem_core::journey::schedule::parse_time_zone("Europe/London").unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
    let from = start();
    let to = start() + Days::new(WEEKS * 7 - 1);
    let own = journey("alex");
    let own_check_ins = check_ins(&own, 0);
    let wellbeing: Vec<WellbeingEntry> = (0..WEEKS)
        .map(|w| WellbeingEntry {
            id: format!("w{w}"),
            date: start() + Days::new(w * 7 + 4),
            who5: Some([3, 3, 4, 2, 3]),
            stress: Some(5),
            burnout: Some(4),
        })
        .collect();
    let coaching = alliance("alex", 1);
    for &caseload in mode.size(&[5usize, 20, 50][..], &[5]) {
        let clients: Vec<(Journey, Vec<CheckIn>, Vec<AllianceCheckIn>)> = (0..caseload)
            .map(|c| {
                let j = journey(&format!("client-{c}"));
                let ci = check_ins(&j, c + 1);
                let al = alliance(&j.owner, c);
                (j, ci, al)
            })
            .collect();
        let input = ParallelInput {
            own: JourneyData {
                journey: &own,
                check_ins: &own_check_ins,
                time_zone: tz,
            },
            clients: clients
                .iter()
                .map(|(j, ci, al)| ClientData {
                    journey: JourneyData {
                        journey: j,
                        check_ins: ci,
                        time_zone: tz,
                    },
                    alliance: al,
                })
                .collect(),
            coaching_alliance: &coaching,
            wellbeing: &wellbeing,
            from,
            to,
            now,
        };
        let mut times = Vec::new();
        let mut prompts = 0;
        for _ in 0..runs {
            let started = Instant::now();
            let view = parallel_view(&input);
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            prompts = view.prompts.len();
        }
        times.sort_by(f64::total_cmp);
        let check_in_count: usize = clients.iter().map(|c| c.1.len()).sum();
        println!(
            "parallel view, {caseload} clients x {PLANS} daily plans x {WEEKS} weeks \
             ({check_in_count} client check-ins): median {:.1} ms, worst {:.1} ms over {runs} runs; {prompts} prompts",
            times[runs / 2],
            times[runs - 1]
        );
    }
    mode.print_footing();
}
