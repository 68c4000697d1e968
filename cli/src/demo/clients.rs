//! Robin and Jamie, two more of Alex's clients: small journeys, so that Alex's device has the
//! three clients a client figure needs. Both plans happen every day, so the counts are the same
//! whichever weekday the demo runs on.

use tandem_core::journey::Reason::*;
use tandem_core::journey::*;
use tandem_core::{Result, Store};

use super::story::*;
use super::Clock;

/// Robin, a client getting their strength back: cooking a simple dinner every evening.
pub fn robin(store: &Store, clock: &Clock) -> Result<()> {
    let energy = value(
        store,
        "Having the energy to get back to work",
        LifeArea::Health,
        8,
    )?;
    let meals = store.add_goal(&GoalInput {
        text: "Eat proper meals to keep my energy up".into(),
        value_ids: vec![energy],
        framing: Framing::Approach,
        proposed_by: ProposedBy::Together,
        target_date: None,
        importance: 8,
        confidence: 6,
        attainment_levels: Vec::new(),
    })?;
    let dinner = store.add_plan(&PlanInput {
        what: "Cook a simple dinner".into(),
        place: some("At home"),
        schedule: Schedule {
            repeat: Repeat::EveryNDays { n: 1 },
            times: vec![time(18, 0)],
        },
        duration_minutes: Some(30),
        goal_id: Some(meals),
        step_id: None,
        barriers: some("Coming home late and tired"),
        supports: some("A list of five easy meals on the fridge"),
        agreed_by: vec![Party::Myself, Party::Supporter],
        reminder: true,
        start: clock.day(0),
        end: None,
    })?;
    play_out(
        store,
        clock,
        &dinner,
        &[
            DONE,
            DONE,
            not_done(&[NoTime], Some("Late back from the job centre")),
            DONE,
            partly(&[TooTired], "Beans on toast"),
            DONE,
            DONE,
            not_done(&[NoTime], None),
            DONE,
            not_done(&[LowMotivation], None),
            DONE,
            not_done(&[NoTime], Some("Ran out of evening")),
            partly(&[TooTired], "Half a meal"),
            DONE,
        ],
    )
}

/// Jamie, a client since a week ago: getting back in touch with friends, a message a day.
pub fn jamie(store: &Store, clock: &Clock) -> Result<()> {
    let friends = value(store, "Being a good friend", LifeArea::Relationships, 8)?;
    let touch = store.add_goal(&GoalInput {
        text: "Get back in touch with my friends".into(),
        value_ids: vec![friends],
        framing: Framing::Approach,
        proposed_by: ProposedBy::Myself,
        target_date: None,
        importance: 7,
        confidence: 5,
        attainment_levels: Vec::new(),
    })?;
    let message = store.add_plan(&PlanInput {
        what: "Message one friend".into(),
        place: None,
        schedule: Schedule {
            repeat: Repeat::EveryNDays { n: 1 },
            times: vec![time(12, 0)],
        },
        duration_minutes: Some(5),
        goal_id: Some(touch),
        step_id: None,
        barriers: some("Worrying it has been too long"),
        supports: None,
        agreed_by: vec![Party::Myself],
        reminder: true,
        start: clock.day(7),
        end: None,
    })?;
    play_out(
        store,
        clock,
        &message,
        &[
            DONE,
            not_done(&[NoTime], Some("Double shift")),
            DONE,
            not_done(&[NoTime], None),
            DONE,
            partly(&[Anxious], "Typed it, didn't send it"),
            DONE,
        ],
    )
}
