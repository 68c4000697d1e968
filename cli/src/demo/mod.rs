//! `tandem demo`: two weeks of journeys, played into real stores, and what each person sees;
//! then the same people together, through a sync server running in this process, ending with
//! the parallel process: Alex's own plans beside their clients', and what Alex's coach sees.
//!
//! Sam is a client in recovery; Alex is a practitioner using the same tools on their own life;
//! Robin and Jamie are two more of Alex's clients (so that Alex's device has the three clients a
//! client figure needs); Priya is Alex's coach. The story is scripted (no randomness) on dates counted back from
//! today, so it always looks current; "now" is this evening, 19:30 in London, so the same day
//! gives the same output apart from ids and codes (`--now` picks another day).

mod alex;
mod clients;
mod parallel;
mod sam;
mod story;
mod together;

use std::path::Path;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use tandem_core::journey::insights::{Insights, PlanInsight};
use tandem_core::journey::schedule::{local_instant, parse_time_zone};
use tandem_core::Zone;
use tandem_core::{OpenOptions, Store};

use crate::output::{self, Page};
use crate::session::Failure;

/// The demo's time zone.
const TIME_ZONE: &str = "Europe/London";
/// Days the story covers, today included.
const DAYS: i64 = 14;
/// Days of reminders shown.
const REMINDER_DAYS: u32 = 3;

/// The demo's calendar: two weeks up to this evening.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    pub tz: Zone,
    /// The day the story starts.
    pub start: NaiveDate,
    pub today: NaiveDate,
    /// This evening, 19:30 local.
    pub now: DateTime<Utc>,
}

impl Clock {
    /// Two weeks up to the evening of the day `now` falls on.
    fn new(now: DateTime<Utc>) -> Result<Clock, Failure> {
        let tz = parse_time_zone(TIME_ZONE)?;
        let today = now.with_timezone(&tz).date_naive();
        Ok(Clock {
            tz,
            start: today - Duration::days(DAYS - 1),
            today,
            now: local_instant(tz, today, story::time(19, 30)),
        })
    }

    /// The story's day `n` (0 = the first).
    pub fn day(&self, n: i64) -> NaiveDate {
        self.start + Duration::days(n)
    }

    /// `time` on `date`, local.
    pub fn at(&self, date: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
        local_instant(self.tz, date, story::time(hour, minute))
    }
}

/// One person of the story.
struct Person {
    name: &'static str,
    who: &'static str,
    file: &'static str,
    play: fn(&Store, &Clock) -> tandem_core::Result<()>,
}

const PEOPLE: [Person; 2] = [
    Person {
        name: "Sam",
        who: "a client in recovery",
        file: "client.db",
        play: sam::play,
    },
    Person {
        name: "Alex",
        who: "a practitioner, on their own journey",
        file: "practitioner.db",
        play: alex::play,
    },
];

/// The other clients of Alex: played quietly, shown in figures.
const CLIENTS: [Person; 2] = [
    Person {
        name: "Robin",
        who: "a client getting their strength back",
        file: "client-robin.db",
        play: clients::robin,
    },
    Person {
        name: "Jamie",
        who: "a client since a week ago",
        file: "client-jamie.db",
        play: clients::jamie,
    },
];

/// Plays the story, up to the evening of the day `now` falls on, into stores in `store_dir` (or
/// temporary ones) and returns what each person sees.
pub fn run(store_dir: Option<&Path>, now: DateTime<Utc>) -> Result<String, Failure> {
    let clock = Clock::new(now)?;
    let temporary;
    let dir = match store_dir {
        Some(dir) => {
            let files = PEOPLE.iter().chain(&CLIENTS).map(|p| p.file);
            let kept = files.chain([together::COACH_FILE, together::SERVER_DIR]);
            if let Some(taken) = kept.map(|f| dir.join(f)).find(|f| f.exists()) {
                return Err(Failure::Failed(format!(
                    "{} already exists: give an empty folder, or remove the demo stores first",
                    taken.display()
                )));
            }
            dir
        }
        None => {
            temporary = tempfile::tempdir()
                .map_err(|e| Failure::Failed(format!("cannot make a temporary folder: {e}")))?;
            temporary.path()
        }
    };

    let mut page = Page::default();
    page.line(format!(
        "Tandem demo: two weeks, {} to {}, seen at 19:30 this evening ({TIME_ZONE}).",
        output::day(clock.start),
        output::day(clock.today)
    ));
    page.line("Sam is a client; Alex, a practitioner, uses the very same tools on their own life.");
    page.line("Robin and Jamie are two more of Alex's clients, and Priya is Alex's coach.");
    let mut seen = Vec::new();
    let mut stores = Vec::new();
    for person in &PEOPLE {
        let store = Store::open(
            dir.join(person.file),
            OpenOptions {
                time_zone: Some(TIME_ZONE.into()),
                ..Default::default()
            },
        )?;
        (person.play)(&store, &clock)?;
        page.blank();
        page.line(format!("══ What {} sees — {} ══", person.name, person.who));
        seen.push((person.name, seen_by(&mut page, &store, &clock)?));
        stores.push(store);
    }
    let mut others = Vec::new();
    for person in &CLIENTS {
        let store = Store::open(
            dir.join(person.file),
            OpenOptions {
                time_zone: Some(TIME_ZONE.into()),
                ..Default::default()
            },
        )?;
        (person.play)(&store, &clock)?;
        let insights = store.insights(clock.start, clock.today, clock.now)?;
        // Clients first, then Alex.
        seen.insert(seen.len() - 1, (person.name, insights));
        others.push((person.name, store));
    }
    page.blank();
    side_by_side(&mut page, &seen);
    page.line("(Robin and Jamie are Alex's other clients; Jamie began a week ago. Their journeys are their own.)");
    page.blank();
    let (Some(alex), Some(sam), None) = (stores.pop(), stores.pop(), stores.pop()) else {
        unreachable!("the demo has two people before the coach");
    };
    let sam_id = together::play(&mut page, dir, sam, alex, others, &clock)?;
    page.blank();
    match store_dir {
        Some(dir) => {
            for person in PEOPLE.iter().chain(&CLIENTS) {
                page.line(format!(
                    "{}'s store: {} (try `tandem --store {} show`)",
                    person.name,
                    dir.join(person.file).display(),
                    dir.join(person.file).display()
                ));
            }
            page.line(format!(
                "Priya's store: {}; the server's data: {}",
                dir.join(together::COACH_FILE).display(),
                dir.join(together::SERVER_DIR).display()
            ));
            page.line(format!(
                "Alex reads Sam's journey, offline: `tandem --store {} show --person {sam_id}`",
                dir.join("practitioner.db").display()
            ));
        }
        None => page
            .line("The demo stores were temporary; keep them with `tandem demo --store-dir DIR`."),
    }
    Ok(page.into_string())
}

/// A person's journey in short, today, the next reminders and their insights (returned).
fn seen_by(page: &mut Page, store: &Store, clock: &Clock) -> Result<Insights, Failure> {
    let journey = store.journey()?;
    output::summary(page, &journey);
    page.blank();
    output::today(page, clock.today, &store.today(clock.now)?, false);
    page.blank();
    let reminders = store.reminders(clock.now, REMINDER_DAYS)?;
    output::reminders(page, &reminders, REMINDER_DAYS, clock.tz, false);
    page.blank();
    let insights = store.insights(clock.start, clock.today, clock.now)?;
    output::insights(page, &insights, clock.start, clock.today, &journey);
    Ok(insights)
}

/// Both people's two weeks in one line each: the parallel the protocol asks us to notice.
fn side_by_side(page: &mut Page, seen: &[(&str, Insights)]) {
    page.line("Side by side:");
    for (name, insights) in seen {
        let sum = |count: fn(&PlanInsight) -> u32| insights.per_plan.iter().map(count).sum::<u32>();
        let reason = insights.reasons.first().map_or_else(
            || "no reasons given".to_string(),
            |r| {
                format!(
                    "most given reason: {} ×{}",
                    output::spoken(r.reason.as_str()),
                    r.count
                )
            },
        );
        page.line(format!(
            "  {name:<5} {} planned: {} done, {} partly, {} not done · {reason}",
            sum(|p| p.completion.planned),
            sum(|p| p.completion.done),
            sum(|p| p.completion.partly),
            sum(|p| p.completion.not_done),
        ));
    }
}
