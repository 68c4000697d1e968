//! Sam, a client in recovery: walking three mornings a week, and an evening check on mood.

use chrono::{Duration, Weekday};
use tandem_core::journey::Reason::*;
use tandem_core::journey::*;
use tandem_core::{Result, Store};

use super::story::*;
use super::Clock;

/// Sam's walking plan, as the story names it.
pub const WALK: &str = "Walk around the park";
/// Sam's evening plan, as the story names it.
pub const MOOD_CHECK: &str = "Evening check on mood";

/// Sam, a client in recovery: walking three mornings a week, and an evening check on mood.
pub fn play(store: &Store, clock: &Clock) -> Result<()> {
    let kids = value(store, "Being there for my kids", LifeArea::Family, 9)?;
    let health = value(store, "Looking after my body and mind", LifeArea::Health, 8)?;
    value(
        store,
        "Staying in touch with friends",
        LifeArea::Relationships,
        6,
    )?;
    store.add_strength(&StrengthInput {
        text: "Stubborn in a good way".into(),
        example: some("Kept going to my recovery group through a hard winter"),
    })?;
    store.add_support(&SupportInput {
        name: "My sister Jo".into(),
        kind: SupportKind::Person,
        note: some("Happy to text me in the morning or walk with me on Saturdays"),
    })?;
    store.add_support(&SupportInput {
        name: "Community mental health team".into(),
        kind: SupportKind::Service,
        note: None,
    })?;
    store.set_vision(
        "A steady routine where I feel well enough to enjoy time with my kids.",
        clock.day(0),
    )?;

    let walk = store.add_goal(&GoalInput {
        text: "Walk regularly to lift my mood and energy".into(),
        value_ids: vec![health.clone(), kids],
        framing: Framing::Approach,
        proposed_by: ProposedBy::Together,
        target_date: Some(clock.today + Duration::weeks(6)),
        importance: 8,
        confidence: 6,
        attainment_levels: levels([
            "No walks in a week",
            "One walk a week",
            "Three walks a week",
            "Three walks a week, one of them with Jo",
            "Walking most days, and looking forward to it",
        ]),
    })?;
    let route = store.add_step(&walk, "Find a 20-minute route from home")?;
    let three = store.add_step(&walk, "Walk three times a week for two weeks")?;
    store.add_step(&walk, "Walk with Jo on a Saturday")?;
    store.set_step_done(&walk, &route, true)?;

    let mood = store.add_goal(&GoalInput {
        text: "Notice how my mood moves through the week".into(),
        value_ids: vec![health],
        framing: Framing::Approach,
        proposed_by: ProposedBy::Supporter,
        target_date: None,
        importance: 6,
        confidence: 8,
        attainment_levels: Vec::new(),
    })?;

    let walking = store.add_plan(&PlanInput {
        what: WALK.into(),
        place: some("The park at the end of our road"),
        schedule: Schedule {
            repeat: Repeat::Weekly {
                days: vec![Weekday::Mon, Weekday::Wed, Weekday::Fri],
            },
            times: vec![time(8, 0)],
        },
        duration_minutes: Some(20),
        goal_id: Some(walk.clone()),
        step_id: Some(three),
        barriers: some("Low mood in the morning; rain"),
        supports: some("Shoes by the door the night before; Jo texts at 7:45"),
        agreed_by: vec![Party::Myself, Party::Supporter],
        reminder: true,
        start: clock.day(0),
        end: None,
    })?;
    let checking = store.add_plan(&PlanInput {
        what: MOOD_CHECK.into(),
        place: some("At home, once the kids are in bed"),
        schedule: Schedule {
            repeat: Repeat::EveryNDays { n: 1 },
            times: Vec::new(),
        },
        duration_minutes: Some(5),
        goal_id: Some(mood),
        step_id: None,
        barriers: None,
        supports: None,
        agreed_by: vec![Party::Myself, Party::Supporter],
        reminder: false,
        start: clock.day(0),
        end: None,
    })?;

    store.add_review(&ReviewInput {
        date: clock.day(0),
        goal_id: Some(walk.clone()),
        motivation: 6,
        confidence: 4,
        progress: 1,
        attainment: Some(-2),
        note: some("Starting point, agreed in session."),
    })?;
    play_out(
        store,
        clock,
        &walking,
        &[
            done("Twenty minutes round the pond"),
            DONE,
            not_done(&[LowMood], Some("Couldn't face getting out of bed")),
            partly(&[TooTired], "Turned back at the gate"),
            done("Jo's text got me out of the door"),
            DONE,
        ],
    )?;
    play_out(
        store,
        clock,
        &checking,
        &[
            DONE,
            DONE,
            not_done(&[Forgot], None),
            DONE,
            partly(&[LowMood], "Wrote one word: flat"),
            DONE,
            DONE,
            not_done(&[NoTime], Some("The kids' bedtime ran late")),
            DONE,
            DONE,
            UNANSWERED,
            DONE,
            DONE,
        ],
    )?;
    store.add_review(&ReviewInput {
        date: clock.day(7),
        goal_id: Some(walk),
        motivation: 7,
        confidence: 6,
        progress: 4,
        attainment: Some(0),
        note: some("Mornings after a bad night are the hardest. Jo will text at 7:45."),
    })?;
    Ok(())
}
