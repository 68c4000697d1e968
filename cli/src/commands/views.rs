//! What a person looks at: today, reminders, the whole journey, insights, who they are.

use chrono::Duration;
use serde::Serialize;
use tandem_core::journey::{CheckIn, Journey};
use tandem_core::schedule::MAX_REMINDER_DAYS;
use tandem_core::Identity;

use crate::output;
use crate::parse::DateArg;
use crate::session::{Failure, Session};

/// How far back `show` lists check-ins, in days including today.
const SHOWN_CHECK_IN_DAYS: i64 = 14;
/// How far back `insights` looks by default, in days including today.
const INSIGHT_DAYS: i64 = 28;

#[derive(Serialize)]
struct Whoami<'a> {
    #[serde(flatten)]
    identity: &'a Identity,
    time_zone: String,
    store: String,
}

fn whoami_of(session: &Session) -> Result<Whoami<'_>, Failure> {
    Ok(Whoami {
        identity: session.store.identity(),
        time_zone: session.store.journey()?.time_zone,
        store: session.store.path().display().to_string(),
    })
}

pub fn init(session: &Session) -> Result<String, Failure> {
    let me = whoami_of(session)?;
    session.reply(&me, |page| {
        if session.created {
            page.line(format!("Created a new store at {}", me.store));
            page.line(format!("Time zone: {}", me.time_zone));
            page.line("Start with what matters to you: `tandem value add \"...\" --area family --importance 8`.");
        } else {
            page.line(format!("The store at {} is already set up.", me.store));
            page.line(format!("Time zone: {}", me.time_zone));
        }
    })
}

pub fn whoami(session: &Session) -> Result<String, Failure> {
    let me = whoami_of(session)?;
    session.reply(&me, |page| {
        page.line(format!("Person:    {}", me.identity.person_id));
        page.line(format!("Device:    {}", me.identity.device_key));
        page.line(format!("Journey:   {}", me.identity.journey_id));
        page.line(format!("Time zone: {}", me.time_zone));
        page.line(format!("Store:     {}", me.store));
    })
}

pub fn today(session: &Session) -> Result<String, Failure> {
    let items = session.store.today(session.now)?;
    session.reply(&items, |page| {
        output::today(page, session.today(), &items, true);
        if items.iter().any(|i| i.check_in.is_none()) {
            page.line("Check in with `tandem check-in PLAN done|partly|not-done`.");
        }
    })
}

pub fn reminders(session: &Session, days: u32) -> Result<String, Failure> {
    let days = days.min(MAX_REMINDER_DAYS);
    let reminders = session.store.reminders(session.now, days)?;
    session.reply(&reminders, |page| {
        output::reminders(page, &reminders, days, session.tz, true)
    })
}

#[derive(Serialize)]
struct Shown {
    journey: Journey,
    /// Check-ins of the last two weeks.
    check_ins: Vec<CheckIn>,
}

pub fn show(session: &Session) -> Result<String, Failure> {
    let today = session.today();
    let check_ins = session
        .store
        .check_ins(today - Duration::days(SHOWN_CHECK_IN_DAYS - 1), today)?;
    let shown = Shown {
        journey: session.store.journey()?,
        check_ins,
    };
    session.reply(&shown, |page| {
        output::show(page, &shown.journey, &shown.check_ins)
    })
}

pub fn insights(
    session: &Session,
    from: Option<DateArg>,
    to: Option<DateArg>,
) -> Result<String, Failure> {
    let to = session.date(to);
    let from = from.map_or(to - Duration::days(INSIGHT_DAYS - 1), |f| {
        f.resolve(session.today())
    });
    let insights = session.store.insights(from, to, session.now)?;
    let journey = session.store.journey()?;
    session.reply(&insights, |page| {
        output::insights(page, &insights, from, to, &journey)
    })
}
