//! Stage 2: goals, their steps and status.

use tandem_core::journey::{Goal, GoalInput};

use super::added;
use crate::args::{GoalArgs, GoalCommand, StepCommand};
use crate::output::{self, Page};
use crate::session::{Failure, Session};

pub fn goal(session: &Session, command: GoalCommand) -> Result<String, Failure> {
    match command {
        GoalCommand::Add(args) => add(session, args),
        GoalCommand::List => {
            let goals = session.store.journey()?.goals;
            session.reply(&goals, |page| {
                if goals.is_empty() {
                    page.line("No goals yet: add one with `tandem goal add`.");
                }
                for goal in &goals {
                    page.line(output::goal_line(goal, true));
                    steps(page, goal);
                }
            })
        }
        GoalCommand::Step(command) => step(session, command),
        GoalCommand::Status { goal, status } => {
            session.store.set_goal_status(&goal, status)?;
            let goal = read_goal(session, &goal)?;
            session.reply(&goal, |page| {
                page.line(format!(
                    "Goal [{}] {} is now {}.",
                    goal.id,
                    goal.text,
                    output::spoken(status.as_str())
                ))
            })
        }
    }
}

fn add(session: &Session, args: GoalArgs) -> Result<String, Failure> {
    let input = GoalInput {
        text: args.text,
        value_ids: args.values,
        framing: args.framing,
        proposed_by: args.proposed_by,
        target_date: args.target.map(|t| t.resolve(session.today())),
        importance: args.importance,
        confidence: args.confidence,
        attainment_levels: args.levels,
    };
    let id = session.store.add_goal(&input)?;
    let journey = session.store.journey()?;
    let goal = added(&journey.goals, &id, |g| &g.id)?;
    session.reply(goal, |page| {
        page.line(format!("Added goal {}", output::goal_line(goal, true)));
        page.line(format!(
            "Add its steps with `tandem goal step add {id} TEXT`, and plans with `tandem plan add ... --goal {id}`."
        ));
    })
}

fn step(session: &Session, command: StepCommand) -> Result<String, Failure> {
    match command {
        StepCommand::Add { goal, text } => {
            let id = session.store.add_step(&goal, &text)?;
            let goal = read_goal(session, &goal)?;
            let step = added(&goal.steps, &id, |s| &s.id)?;
            session.reply(step, |page| {
                page.line(format!("Added step [{id}] {} to: {}", step.text, goal.text));
                steps(page, &goal);
            })
        }
        StepCommand::Done { goal, step, undo } => {
            session.store.set_step_done(&goal, &step, !undo)?;
            let goal = read_goal(session, &goal)?;
            session.reply(&goal, |page| {
                page.line(format!(
                    "Marked {}: {}",
                    if undo { "not done" } else { "done" },
                    goal.text
                ));
                steps(page, &goal);
            })
        }
        StepCommand::Move { goal, step, place } => {
            // The core counts from 0; people count steps from 1, so say it in their terms.
            let count = read_goal(session, &goal)?.steps.len();
            if place > count {
                return Err(Failure::Refused(format!(
                    "invalid place: {place} is past the last step ({count})"
                )));
            }
            session.store.move_step(&goal, &step, place - 1)?;
            let goal = read_goal(session, &goal)?;
            session.reply(&goal, |page| {
                page.line(format!("Steps of: {}", goal.text));
                steps(page, &goal);
            })
        }
    }
}

/// A goal's steps, numbered from 1, with their ids.
fn steps(page: &mut Page, goal: &Goal) {
    for (place, step) in goal.steps.iter().enumerate() {
        let mark = if step.done { "x" } else { " " };
        page.line(format!(
            "  {}. [{mark}] [{}] {}",
            place + 1,
            step.id,
            step.text
        ));
    }
}

fn read_goal(session: &Session, id: &str) -> Result<Goal, Failure> {
    session
        .store
        .journey()?
        .goals
        .into_iter()
        .find(|g| g.id == id)
        .ok_or_else(|| Failure::Failed(format!("goal {id} not found")))
}
