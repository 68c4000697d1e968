//! Alex, a practitioner, on their own journey: protecting time for recovery after work.

use chrono::{Duration, Weekday};
use tandem_core::journey::Reason::*;
use tandem_core::journey::*;
use tandem_core::{Result, Store};

use super::story::*;
use super::Clock;

/// Alex, a practitioner: protecting time for recovery after work, on their own journey.
pub fn play(store: &Store, clock: &Clock) -> Result<()> {
    let family = value(
        store,
        "Having energy left for my family after work",
        LifeArea::Family,
        9,
    )?;
    let work = value(
        store,
        "Doing good work without burning out",
        LifeArea::Work,
        8,
    )?;
    value(store, "Getting outside and moving", LifeArea::Health, 7)?;
    store.add_strength(&StrengthInput {
        text: "Calm in a crisis".into(),
        example: some("Kept a client steady through a panic attack in the waiting room"),
    })?;
    store.add_support(&SupportInput {
        name: "Priya, my coach".into(),
        kind: SupportKind::Person,
        note: some("Coaching every month"),
    })?;
    store.add_support(&SupportInput {
        name: "Peer supervision group".into(),
        kind: SupportKind::Service,
        note: some("Thursday afternoons"),
    })?;
    store.set_vision(
        "Work I care about, done well, with evenings and weekends that are mine.",
        clock.day(0),
    )?;

    let protect = store.add_goal(&GoalInput {
        text: "Protect time for recovery after work".into(),
        value_ids: vec![family, work],
        framing: Framing::Approach,
        proposed_by: ProposedBy::Together,
        target_date: Some(clock.today + Duration::weeks(8)),
        importance: 9,
        confidence: 5,
        attainment_levels: levels([
            "Working through lunch and late most days",
            "A real break on two days a week",
            "A real lunch break most weekdays",
            "Lunch breaks, and home on time twice a week",
            "Breaks and evenings protected without thinking about it",
        ]),
    })?;
    let block = store.add_step(&protect, "Block 12:30–13:00 in my calendar")?;
    let lunches = store.add_step(&protect, "Take a real lunch break every weekday")?;
    let leave = store.add_step(&protect, "Leave by 17:30 on Tuesdays and Thursdays")?;
    store.set_step_done(&protect, &block, true)?;

    let weekdays = vec![
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
    ];
    let lunch = store.add_plan(&PlanInput {
        what: "Lunch break away from the desk".into(),
        place: some("The bench by the river"),
        schedule: Schedule {
            repeat: Repeat::Weekly { days: weekdays },
            times: vec![time(12, 30)],
        },
        duration_minutes: Some(30),
        goal_id: Some(protect.clone()),
        step_id: Some(lunches),
        barriers: some("Back-to-back sessions; notes piling up"),
        supports: some("The calendar block; phone stays in the drawer"),
        agreed_by: vec![Party::Myself],
        reminder: true,
        start: clock.day(0),
        end: None,
    })?;
    let home = store.add_plan(&PlanInput {
        what: "Leave work by 17:30".into(),
        place: None,
        schedule: Schedule {
            repeat: Repeat::Weekly {
                days: vec![Weekday::Tue, Weekday::Thu],
            },
            times: vec![time(17, 30)],
        },
        duration_minutes: None,
        goal_id: Some(protect.clone()),
        step_id: Some(leave),
        barriers: some("Notes left to write at the end of the day"),
        supports: some("Write notes straight after each session"),
        agreed_by: vec![Party::Myself],
        reminder: true,
        start: clock.day(0),
        end: None,
    })?;

    store.add_review(&ReviewInput {
        date: clock.day(0),
        goal_id: Some(protect.clone()),
        motivation: 8,
        confidence: 4,
        progress: 1,
        attainment: Some(-1),
        note: some("Set up with Priya."),
    })?;
    play_out(
        store,
        clock,
        &lunch,
        &[
            DONE,
            not_done(&[NoTime], Some("Back-to-back sessions ran over")),
            DONE,
            partly(&[SomethingCameUp], "Ate outside, but answered emails"),
            done("Left the phone in the drawer"),
            not_done(
                &[NoTime, SomethingCameUp],
                Some("Covered a colleague's crisis call"),
            ),
            DONE,
            DONE,
            not_done(&[Other], Some("Felt I hadn't earned a break")),
            DONE,
        ],
    )?;
    play_out(
        store,
        clock,
        &home,
        &[
            DONE,
            not_done(&[NoTime], Some("Notes ran over")),
            partly(&[SomethingCameUp], "Left at 18:00"),
            DONE,
        ],
    )?;
    store.add_review(&ReviewInput {
        date: clock.day(7),
        goal_id: Some(protect),
        motivation: 8,
        confidence: 5,
        progress: 4,
        attainment: Some(0),
        note: some(
            "I skip lunch on the same heavy days my clients skip their plans. One for coaching.",
        ),
    })?;
    Ok(())
}
