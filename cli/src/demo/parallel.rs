//! The demo's ending: the parallel process. Alex's clients answer alliance check-ins about Alex
//! (Robin's session felt off), Priya sets the coaching condition, Alex answers one about Priya
//! (that week felt off too), records wellbeing, writes a reflection and shares it, and sees the
//! parallel view: their own plans beside their clients', week by week, with the prompts it
//! raises. Alex shares a summary; Priya sees what was shared, by condition, and still cannot
//! open any client's journey.

use chrono::{Datelike, Duration};
use tandem_core::coaching::{
    AllianceInput, CoachingCondition, Direction, ReflectionInput, WellbeingInput, ALLIANCE_FLAG,
    ALLIANCE_ITEMS, WHO5_CREDIT,
};
use tandem_core::document::DocKind;
use tandem_core::parallel::SummaryChoices;
use tandem_core::sync::api::Access;
use tandem_core::sync::session as sync;
use tandem_core::Store;

use super::together::{Names, Server};
use super::Clock;
use crate::output::coaching as out;
use crate::output::{self, Page};
use crate::session::Failure;

/// Alex's lunch plan, as the story names it.
const LUNCH: &str = "Lunch break away from the desk";

/// The one relationship of `kind` with `person` (any person when `None`).
fn relationship(store: &Store, kind: DocKind, person: Option<&str>) -> Result<String, Failure> {
    store
        .relationships()?
        .into_iter()
        .find(|r| r.kind == kind && person.is_none_or(|p| p == r.person_id))
        .map(|r| r.doc_id)
        .ok_or_else(|| Failure::Failed(format!("the demo's {} document is missing", kind.as_str())))
}

fn alliance(day: chrono::NaiveDate, items: (u8, u8, u8), felt_off: bool) -> AllianceInput {
    AllianceInput {
        date: day,
        goals: items.0,
        tasks: items.1,
        bond: items.2,
        felt_off,
        repair_note: None,
    }
}

/// An alliance check-in in the story: the day, the three items, the flag.
type Answer = (i64, (u8, u8, u8), bool);

/// Everyone in `who` syncs, in order; one line says so.
fn sync_all(page: &mut Page, server: &Server, who: &[(&str, &Store)]) -> Result<(), Failure> {
    for (_, store) in who {
        server.sync(store)?;
    }
    let names: Vec<&str> = who.iter().map(|(name, _)| *name).collect();
    let (last, rest) = names.split_last().expect("somebody syncs");
    page.line(format!("  {} and {last} sync.", rest.join(", ")));
    Ok(())
}

/// Plays the ending; `clients` are Alex's clients (Sam first), by name.
pub fn play(
    page: &mut Page,
    server: &Server,
    alex: &Store,
    priya: &Store,
    clients: &[(&str, &Store)],
    names: &Names,
    clock: &Clock,
) -> Result<(), Failure> {
    page.blank();
    page.line("══ The parallel process ══");
    page.line("After their sessions, Alex's clients answer a short alliance check-in about Alex, in our own words:");
    for (name, item) in ["goals", "tasks", "bond"].iter().zip(ALLIANCE_ITEMS) {
        page.line(format!("  {name:<6} {item} (0–10)"));
    }
    page.line(format!("  flag   {ALLIANCE_FLAG}"));
    // Everyone answers on the story's day 11; Robin's session felt off.
    let answers: [(&str, &[Answer]); 3] = [
        ("Sam", &[(4, (8, 8, 9), false), (11, (8, 7, 9), false)]),
        ("Robin", &[(4, (7, 7, 8), false), (11, (5, 4, 6), true)]),
        ("Jamie", &[(11, (7, 8, 8), false)]),
    ];
    let mut robin_check_in = None;
    for (name, store) in clients {
        let care = relationship(store, DocKind::Care, None)?;
        let Some((_, theirs)) = answers.iter().find(|(n, _)| n == name) else {
            continue;
        };
        for &(day, items, felt_off) in theirs.iter() {
            let id =
                store.add_alliance_check_in(&care, &alliance(clock.day(day), items, felt_off))?;
            let all = store.alliance_check_ins(&care)?;
            if let Some(check_in) = all.iter().find(|c| c.id == id) {
                page.line(format!(
                    "  {name:<5}  {}",
                    out::alliance_line(check_in, false)
                ));
            }
            if *name == "Robin" && felt_off {
                robin_check_in = Some((store.identity().person_id.clone(), id));
            }
        }
    }
    let coaching = relationship(priya, DocKind::Coaching, None)?;
    // From the Monday of the story's first week, so every week of it has the condition.
    let monday =
        clock.start - Duration::days(i64::from(clock.start.weekday().num_days_from_monday()));
    priya.set_coaching_condition(
        &coaching,
        CoachingCondition::Transformational,
        monday,
        Some("Alex's own journey: protecting time for recovery"),
    )?;
    page.line(format!(
        "Priya sets their coaching to transformational coaching (Alex's own journey), from {}.",
        output::day(monday)
    ));
    let mut everyone: Vec<(&str, &Store)> = clients.to_vec();
    everyone.extend([("Priya", priya), ("Alex", alex)]);
    sync_all(page, server, &everyone)?;

    // Alex, about Priya, the same week; and wellbeing, a session's agenda, a reflection.
    page.blank();
    let coaching_on_alex = relationship(alex, DocKind::Coaching, None)?;
    let id =
        alex.add_alliance_check_in(&coaching_on_alex, &alliance(clock.day(11), (7, 5, 6), true))?;
    let mine = alex.alliance_check_ins(&coaching_on_alex)?;
    if let Some(check_in) = mine.iter().find(|c| c.id == id) {
        page.line(format!(
            "Alex answers one about Priya, after their session the same day: {}",
            out::alliance_line(check_in, false)
        ));
    }
    let (robin_id, robin_check_in) = robin_check_in
        .ok_or_else(|| Failure::Failed("Robin's alliance check-in is missing".into()))?;
    let care_with_robin = relationship(alex, DocKind::Care, Some(&robin_id))?;
    alex.set_repair_note(
        &care_with_robin,
        &robin_check_in,
        Some("Talked it through at the next session; Robin chose a smaller plan."),
    )?;
    page.line("Alex notes how the rupture with Robin was repaired: “Talked it through at the next session;");
    page.line("Robin chose a smaller plan.”");

    page.line(
        "Alex records their wellbeing each week (WHO-5, and our own stress and burnout items):",
    );
    for (day, who5, stress, burnout) in [
        (0, [3, 3, 3, 2, 3], 6, 5),
        (7, [2, 2, 1, 1, 2], 8, 7),
        (13, [3, 2, 2, 2, 3], 7, 6),
    ] {
        let id = alex.add_wellbeing(&WellbeingInput {
            date: clock.day(day),
            who5: Some(who5),
            stress: Some(stress),
            burnout: Some(burnout),
        })?;
        if let Some(entry) = alex.wellbeing()?.iter().find(|e| e.id == id) {
            page.line(format!("  {}", out::wellbeing_line(entry, false)));
        }
    }
    page.line(format!("  {WHO5_CREDIT}"));

    alex.add_coaching_session(
        &coaching_on_alex,
        clock.day(11),
        "Why does my lunch go on exactly the days I can least afford to lose it?",
    )?;
    let lunch = alex
        .journey()?
        .plans
        .into_iter()
        .find(|p| p.what == LUNCH)
        .map(|p| p.id)
        .ok_or_else(|| Failure::Failed("Alex's lunch plan is missing".into()))?;
    let robin_code = alex.client_code(&robin_id)?;
    let reflection = alex.add_reflection(&ReflectionInput {
        date: clock.day(12),
        what_happened:
            "A client said our session felt off, the same week my own session with Priya did."
                .into(),
        my_reaction:
            "I pushed them to keep to their plan every day, the way I push myself through lunch."
                .into(),
        pattern: Some("When I am stretched I push plans instead of listening.".into()),
        direction: Some(Direction::ClientToCoaching),
        plan_ids: vec![lunch],
        client_codes: vec![robin_code.clone()],
    })?;
    alex.share_reflection(&reflection, &coaching_on_alex)?;
    page.line(
        "Alex writes the agenda of that coaching session, and a reflection in their private notes,",
    );
    page.line(format!(
        "linked to their lunch plan and to Robin — by the code {robin_code}, never by name. Alex shares"
    ));
    page.line(
        "a copy with Priya: the copy leaves out the links to plans and clients, and Alex's words",
    );
    page.line("name no client.");
    server.call(
        "Alex could not share their journey",
        sync::share_journey_with_coach(alex, &coaching_on_alex),
    )?;
    page.line("In transformational coaching Alex may share their own journey with Priya, to read; Alex does.");
    let priya_id = priya.identity().person_id.clone();
    let (_, sam) = clients
        .first()
        .ok_or_else(|| Failure::Failed("the demo has no clients".into()))?;
    let sam_journey = sam.identity().journey_id.clone();
    match server
        .runtime
        .block_on(sync::share(alex, &sam_journey, &priya_id, Access::Read))
    {
        Err(tandem_core::Error::Refused { message, .. }) => page.line(format!(
            "Alex tries to pass Sam's journey on to Priya. The server refuses: {message}"
        )),
        Err(other) => return Err(other.into()),
        Ok(()) => {
            return Err(Failure::Failed(
                "the server let Alex share Sam's journey with a coach".into(),
            ))
        }
    }

    // What Alex sees: the parallel view, computed on Alex's device.
    page.blank();
    page.line("══ What Alex sees: the parallel view, on Alex's own device ══");
    let view = alex.parallel_view(clock.start, clock.today, clock.now)?;
    out::parallel(page, &view);
    if view.prompts.is_empty() {
        return Err(Failure::Failed(
            "the demo's parallel view raised no prompt".into(),
        ));
    }

    page.blank();
    let note =
        "Lunch goes on exactly the days my clients' plans go. Can we look at this next time?";
    alex.share_summary(
        &coaching_on_alex,
        clock.start,
        clock.today,
        clock.now,
        &SummaryChoices {
            include_wellbeing: true,
            note: Some(note.into()),
            note_for_research: false,
        },
    )?;
    page.line(
        "Alex shares a summary of it with Priya — rates and counts only, client figures only where",
    );
    page.line("at least three clients stand behind them and only for weeks that are over — with");
    page.line("their wellbeing, and a note.");
    sync_all(page, server, &[("Alex", alex), ("Priya", priya)])?;

    // What Priya sees.
    page.blank();
    page.line("══ What Priya sees: her coaching overview ══");
    let coaching_on_priya = priya.coaching(&coaching)?;
    if let Some(session) = coaching_on_priya.sessions.first() {
        priya.comment_on_session(
            &coaching,
            &session.id,
            "Let's start with what ‘earning a break’ means to you.",
        )?;
    }
    let overview = out::by_condition(priya.coach_overview()?, clock.today);
    let name = |id: &str| names.of(id).to_string();
    out::overview(page, &overview, clock.tz, &name);

    page.blank();
    let links = priya.links()?;
    let linked: Vec<String> = links
        .iter()
        .map(|l| {
            let journey = if l.journey_id.is_some() {
                "shares their journey with her, to read"
            } else {
                "does not share their journey"
            };
            format!("{} ({}, {journey})", names.of(&l.person_id), l.role)
        })
        .collect();
    page.line(format!(
        "Priya is linked with: {}. Nobody else.",
        linked.join("; ")
    ));
    let mut refused = Vec::new();
    for (name, client) in clients {
        let journey = client.identity().journey_id.clone();
        if links
            .iter()
            .any(|l| l.journey_id.as_deref() == Some(journey.as_str()))
        {
            return Err(Failure::Failed(format!(
                "the coach is linked to {name}'s journey"
            )));
        }
        match priya.linked_journey(&journey)?.journey() {
            Err(_) => refused.push(format!("{name}'s")),
            Ok(_) => {
                return Err(Failure::Failed(format!(
                    "the coach could open {name}'s journey"
                )))
            }
        }
    }
    let (last, rest) = refused.split_last().expect("the demo has clients");
    page.line(format!(
        "Priya tries to open {} and {last} journeys: she cannot open any of them (not found).",
        rest.join(", ")
    ));
    page.line("They never reached her device: a client's data goes no further than their own practitioner.");
    Ok(())
}
