//! What a person looks at: today, reminders, the whole journey, insights, who they are.

use chrono::Duration;
use serde::Serialize;
use tandem_core::journey::schedule::{parse_time_zone, MAX_REMINDER_DAYS};
use tandem_core::journey::{CheckIn, Journey};
use tandem_core::sync::api::{Access, Link};
use tandem_core::Identity;

use crate::args::ShowArgs;
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

pub fn show(session: &Session, args: ShowArgs) -> Result<String, Failure> {
    if args.person.is_some() || args.journey.is_some() {
        return show_linked(session, args);
    }
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

#[derive(Serialize)]
struct ShownLinked {
    /// The person whose journey it is, when they are linked to this store's person.
    person_id: Option<String>,
    /// This person's access to it.
    access: Option<Access>,
    #[serde(flatten)]
    shown: Shown,
}

/// A linked person's journey (a practitioner viewing a client), as the last sync left it.
fn show_linked(session: &Session, args: ShowArgs) -> Result<String, Failure> {
    let links = session.store.links()?;
    let (journey_id, link): (String, Option<&Link>) = match (args.person, args.journey) {
        (Some(person), _) => {
            let link = links
                .iter()
                .find(|l| l.person_id == person)
                .ok_or_else(|| {
                    Failure::Failed(format!(
                        "{person} is not linked to you (as of the last sync): `tandem status` lists who is"
                    ))
                })?;
            let journey = link.journey_id.clone().ok_or_else(|| {
                Failure::Failed(format!("{person} does not share their journey with you"))
            })?;
            (journey, Some(link))
        }
        (None, Some(journey)) => {
            let link = links
                .iter()
                .find(|l| l.journey_id.as_deref() == Some(journey.as_str()));
            (journey, link)
        }
        (None, None) => unreachable!("show_linked is called with --person or --journey"),
    };
    let linked = session.store.linked_journey(&journey_id)?;
    let journey = linked.journey().map_err(|e| match e {
        tandem_core::Error::NotFound { .. } if link.is_some() => Failure::Failed(format!(
            "{e}: it is not on this device yet; `tandem sync` brings the journeys shared with you"
        )),
        tandem_core::Error::NotFound { .. } => Failure::Failed(format!(
            "{e}: it is not on this device, and nobody linked to you shares it (`tandem status` lists what is shared with you)"
        )),
        other => other.into(),
    })?;
    // Their two weeks, in their time zone.
    let today = session
        .now
        .with_timezone(&parse_time_zone(&journey.time_zone)?)
        .date_naive();
    let check_ins = linked.check_ins(today - Duration::days(SHOWN_CHECK_IN_DAYS - 1), today)?;
    let shown = ShownLinked {
        person_id: link.map(|l| l.person_id.clone()),
        access: link.and_then(|l| l.access),
        shown: Shown { journey, check_ins },
    };
    let mine = session.store.server()?.map(|s| s.role);
    session.reply(&shown, |page| {
        match link {
            Some(link) => page.line(format!(
                "Shared with you by {} ({}; you may {} it), as of the last sync.",
                link.person_id,
                super::sync::relation(mine, link.role),
                match link.access {
                    Some(Access::Write) => "read and change",
                    _ => "read",
                }
            )),
            None => page.line(format!("Journey {journey_id}, as of the last sync.")),
        }
        output::show(page, &shown.shown.journey, &shown.shown.check_ins)
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
