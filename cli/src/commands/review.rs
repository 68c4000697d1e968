//! Stage 4: check-ins on planned occurrences, and reviews.

use tandem_core::journey::schedule::is_planned_day;
use tandem_core::journey::{CheckInInput, ReviewInput};

use super::added;
use crate::args::{CheckInArgs, ReviewArgs};
use crate::output;
use crate::session::{Failure, Session};

pub fn check_in(session: &Session, args: CheckInArgs) -> Result<String, Failure> {
    let input = CheckInInput {
        plan_id: args.plan,
        date: session.date(args.date),
        time: args.time,
        outcome: args.outcome,
        reasons: args.reasons,
        reason_text: args.why,
        note: args.note,
    };
    let check_in = session.store.check_in_at(&input, session.now)?;
    let journey = session.store.journey()?;
    let planned = journey
        .plan(&check_in.plan_id)
        .is_some_and(|plan| is_planned_day(plan, check_in.date));
    session.reply(&check_in, |page| {
        page.line(format!(
            "Checked in: {}",
            output::check_in_line(&check_in, &journey)
        ));
        if !planned {
            page.line("That day is not one of the plan's days: it counts as an extra, outside the completion rate.");
        }
    })
}

pub fn review(session: &Session, args: ReviewArgs) -> Result<String, Failure> {
    let input = ReviewInput {
        date: session.date(args.date),
        goal_id: args.goal,
        motivation: args.motivation,
        confidence: args.confidence,
        progress: args.progress,
        attainment: args.attainment,
        note: args.note,
    };
    let id = session.store.add_review(&input)?;
    let journey = session.store.journey()?;
    let review = added(&journey.reviews, &id, |r| &r.id)?;
    session.reply(review, |page| {
        let about = review
            .goal_id
            .as_deref()
            .and_then(|g| journey.goal(g))
            .map_or("the journey as a whole", |g| g.text.as_str());
        page.line(format!(
            "Review [{id}] of {about} on {}: motivation {}, confidence {}, progress {}",
            review.date, review.motivation, review.confidence, review.progress
        ));
        page.line("See how ratings move with `tandem insights`.");
    })
}
