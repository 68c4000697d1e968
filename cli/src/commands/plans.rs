//! Stage 3: action plans.

use tandem_core::journey::{PlanInput, Repeat, Schedule};

use super::added;
use crate::args::{PlanArgs, PlanCommand};
use crate::output;
use crate::session::{Failure, Session};

pub fn plan(session: &Session, command: PlanCommand) -> Result<String, Failure> {
    match command {
        PlanCommand::Add(args) => add(session, *args),
        PlanCommand::List => {
            let plans = session.store.journey()?.plans;
            let today = session.today();
            session.reply(&plans, |page| {
                if plans.is_empty() {
                    page.line("No action plans yet: add one with `tandem plan add`.");
                }
                for plan in &plans {
                    let ended = match plan.end {
                        Some(end) if end < today => format!(" (ended {end})"),
                        _ => String::new(),
                    };
                    page.line(format!("{}{ended}", output::plan_line(plan, true)));
                }
            })
        }
        PlanCommand::End { plan, last_day } => {
            let last_day = session.date(last_day);
            session.store.end_plan(&plan, last_day)?;
            let journey = session.store.journey()?;
            let plan = added(&journey.plans, &plan, |p| &p.id)?;
            session.reply(plan, |page| {
                page.line(format!(
                    "Plan [{}] {} ends after {last_day}; its check-ins stay.",
                    plan.id, plan.what
                ))
            })
        }
    }
}

fn add(session: &Session, args: PlanArgs) -> Result<String, Failure> {
    let repeat = match args.every {
        Some(n) => Repeat::EveryNDays { n },
        None => {
            // `weekdays,mon` names Monday twice; a set of days has it once.
            let mut days = Vec::new();
            for day in args.days.into_iter().flat_map(|set| set.0) {
                if !days.contains(&day) {
                    days.push(day);
                }
            }
            Repeat::Weekly { days }
        }
    };
    let input = PlanInput {
        what: args.what,
        place: args.place,
        schedule: Schedule {
            repeat,
            times: args.times,
        },
        duration_minutes: args.minutes,
        goal_id: args.goal,
        step_id: args.step,
        barriers: args.barriers,
        supports: args.supports,
        agreed_by: args.agreed_by,
        reminder: args.reminder,
        start: session.date(args.start),
        end: args.end.map(|end| end.resolve(session.today())),
    };
    let id = session.store.add_plan(&input)?;
    let journey = session.store.journey()?;
    let plan = added(&journey.plans, &id, |p| &p.id)?;
    session.reply(plan, |page| {
        page.line(format!("Added plan {}", output::plan_line(plan, true)));
        page.line(format!(
            "Check in with `tandem check-in {id} done` (or partly, not-done)."
        ));
    })
}
