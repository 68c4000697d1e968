//! Coaching: the coaching document, reflections and alliance check-ins.
//!
//! A command about a relationship finds it among the ones the last sync listed; `--with
//! PERSON_ID` chooses when there is more than one. The documents themselves come by sync, so a
//! relationship that is listed but not yet on this device says to sync.

use serde::Serialize;
use tandem_core::coaching::alliance::Rupture;
use tandem_core::coaching::{
    condition_on, AllianceCheckIn, AllianceInput, CaseReviewInput, Coaching, ReflectionInput,
};
use tandem_core::document::DocKind;
use tandem_core::relationships::Relationship;
use tandem_core::sync::api::Role;
use tandem_core::sync::session as sync;

use super::added;
use crate::args::{
    AllianceArgs, AllianceCommand, CoachingCommand, ReflectArgs, ReflectCommand, With,
};
use crate::output;
use crate::output::coaching as out;
use crate::session::{self, remote, Failure, Session};

// ----- finding the relationship -----

/// What a local call failed with; a relationship document not synced yet says to sync.
pub fn local(err: tandem_core::Error) -> Failure {
    match err {
        tandem_core::Error::NotFound {
            kind: kind @ ("coaching document" | "care document"),
            id,
        } => Failure::Failed(format!(
            "{kind} {id} is not on this device yet: `tandem sync` brings it"
        )),
        other => other.into(),
    }
}

/// The relationship `with` names among those `fits` accepts, or the only one there is.
fn pick(
    session: &Session,
    with: &With,
    what: &str,
    none: &str,
    fits: impl Fn(&Relationship) -> bool,
) -> Result<Relationship, Failure> {
    let mut all: Vec<Relationship> = session
        .store
        .relationships()?
        .into_iter()
        .filter(fits)
        .collect();
    if let Some(person) = &with.person {
        return all
            .into_iter()
            .find(|r| &r.person_id == person)
            .ok_or_else(|| {
                Failure::Failed(format!(
                    "{person} is not linked with you for {what} (as of the last sync): `tandem status` lists who is"
                ))
            });
    }
    match all.len() {
        0 => Err(Failure::Failed(none.to_string())),
        1 => Ok(all.remove(0)),
        n => {
            let people: Vec<String> = all
                .iter()
                .map(|r| format!("{} ({})", r.person_id, r.role.as_str()))
                .collect();
            Err(Failure::Refused(format!(
                "you have {n} {what} relationships; choose one with --with PERSON_ID: {}",
                people.join(", ")
            )))
        }
    }
}

/// The coaching relationship `with` names (or the only one).
pub fn coaching_rel(session: &Session, with: &With) -> Result<Relationship, Failure> {
    pick(
        session,
        with,
        "coaching",
        "you have no coaching relationship yet (as of the last sync): a coach invites a practitioner with `tandem invite practitioner`, who joins with `tandem join`; then `tandem sync`",
        |r| r.kind == DocKind::Coaching,
    )
}

/// A coaching document, with the condition in force on the session's day.
pub fn coaching_doc(session: &Session, doc_id: &str) -> Result<Coaching, Failure> {
    let mut coaching = session.store.coaching(doc_id).map_err(local)?;
    // The core decides the condition by the computer's clock; the command's day is `--now`'s.
    coaching.condition = condition_on(&coaching.conditions, session.today());
    Ok(coaching)
}

/// Person ids as the command line shows them: "ID (you)" for oneself.
fn namer(session: &Session) -> impl Fn(&str) -> String + '_ {
    let me = session.store.identity().person_id.as_str();
    move |id: &str| {
        if id == me {
            format!("{id} (you)")
        } else {
            id.to_string()
        }
    }
}

/// A client's code: given as a code (C-...), or made from their person id.
fn client_code(session: &Session, client: &str) -> Result<String, Failure> {
    if client.starts_with("C-") {
        return Ok(client.to_string());
    }
    session.store.client_code(client).map_err(|e| match e {
        tandem_core::Error::NotFound { .. } => Failure::Failed(format!(
            "{client} is not a client of yours (as of the last sync): give a client's person id, as `tandem status` lists it, or their code (C-...)"
        )),
        other => other.into(),
    })
}

// ----- coaching -----

pub fn coaching(session: &Session, command: CoachingCommand) -> Result<String, Failure> {
    let names = namer(session);
    match command {
        CoachingCommand::Show { with } => {
            let rel = coaching_rel(session, &with)?;
            let coaching = coaching_doc(session, &rel.doc_id)?;
            session.reply(&coaching, |page| {
                page.line(format!("Coaching [{}]", coaching.id));
                out::coaching(page, &coaching, session.today(), session.tz, &names);
            })
        }
        CoachingCommand::Condition {
            condition,
            from,
            note,
            with,
        } => {
            let rel = coaching_rel(session, &with)?;
            let from = session.date(from);
            session
                .store
                .set_coaching_condition(&rel.doc_id, condition, from, note.as_deref())
                .map_err(local)?;
            let coaching = coaching_doc(session, &rel.doc_id)?;
            session.reply(&coaching, |page| {
                page.line(format!(
                    "Coaching with {} is {} from {}.",
                    rel.person_id,
                    out::condition_words(Some(condition)),
                    output::day(from)
                ));
                page.line(format!(
                    "In force today: {}. Sync to let them know: `tandem sync`.",
                    out::condition_words(coaching.condition)
                ));
            })
        }
        CoachingCommand::Session { agenda, date, with } => {
            let rel = coaching_rel(session, &with)?;
            let id = session
                .store
                .add_coaching_session(&rel.doc_id, session.date(date), &agenda)
                .map_err(local)?;
            let coaching = coaching_doc(session, &rel.doc_id)?;
            let added = added(&coaching.sessions, &id, |s| &s.id)?;
            session.reply(added, |page| {
                page.line(format!(
                    "Session [{id}] on {} with {}, agenda: {}",
                    output::day(added.date),
                    rel.person_id,
                    added.agenda
                ));
                page.line(format!(
                    "Your coach may comment with `tandem coaching comment {id} TEXT`."
                ));
            })
        }
        CoachingCommand::Comment {
            session: session_id,
            text,
            with,
        } => {
            let rel = coaching_rel(session, &with)?;
            let id = session
                .store
                .comment_on_session(&rel.doc_id, &session_id, &text)
                .map_err(local)?;
            let coaching = coaching_doc(session, &rel.doc_id)?;
            let on = added(&coaching.sessions, &session_id, |s| &s.id)?;
            let comment = added(&on.comments, &id, |c| &c.id)?;
            session.reply(comment, |page| {
                page.line(format!(
                    "Commented on the session of {} ({}): “{}”",
                    output::day(on.date),
                    on.agenda,
                    comment.text
                ))
            })
        }
        CoachingCommand::CaseReview {
            client,
            question,
            notes,
            date,
            with,
        } => {
            let rel = coaching_rel(session, &with)?;
            let input = CaseReviewInput {
                date: session.date(date),
                client_code: client_code(session, &client)?,
                question,
                notes,
            };
            let id = session
                .store
                .add_case_review(&rel.doc_id, &input)
                .map_err(local)?;
            let coaching = coaching_doc(session, &rel.doc_id)?;
            let review = added(&coaching.case_reviews, &id, |r| &r.id)?;
            session.reply(review, |page| {
                page.line(format!(
                    "Case review [{id}] on {}: client {} — {}",
                    output::day(review.date),
                    review.client_code,
                    review.question
                ));
                page.line("The client appears by their code only; sync to bring it to your coach.");
            })
        }
        CoachingCommand::ClientCode { client } => {
            if client.starts_with("C-") {
                return Err(Failure::Refused(format!(
                    "invalid client: {client:?} is already a code; give the client's person id"
                )));
            }
            let code = client_code(session, &client)?;
            #[derive(Serialize)]
            struct Code<'a> {
                person_id: &'a str,
                client_code: &'a str,
            }
            session.reply(
                &Code {
                    person_id: &client,
                    client_code: &code,
                },
                |page| {
                    page.line(format!("Client {client} appears in coaching as {code}."));
                    page.line("The code means nothing to anyone but you and your own devices.");
                },
            )
        }
        CoachingCommand::Overview => overview(session),
        CoachingCommand::ShareGoal { goal, with } => {
            let rel = coaching_rel(session, &with)?;
            let id = session
                .store
                .share_goal(&goal, &rel.doc_id, session.now)
                .map_err(local)?;
            let coaching = coaching_doc(session, &rel.doc_id)?;
            let shared = added(&coaching.goals, &id, |g| &g.id)?;
            session.reply(shared, |page| {
                page.line(format!(
                    "Shared your goal “{}” with your coach {} ({} steps, {} plans toward it).",
                    shared.text,
                    rel.person_id,
                    shared.steps.len(),
                    shared.plans.len()
                ));
                page.line(
                    "Share it again to bring their copy up to date; `withdraw-goal` takes it back.",
                );
            })
        }
        CoachingCommand::WithdrawGoal { goal, with } => {
            let rel = coaching_rel(session, &with)?;
            session
                .store
                .withdraw_goal(&goal, &rel.doc_id)
                .map_err(local)?;
            session.reply(&serde_json::json!({ "withdrawn": goal }), |page| {
                page.line(format!(
                    "Your goal is out of your coaching with {}: it leaves their device at their next sync.",
                    rel.person_id
                ));
            })
        }
        CoachingCommand::ShareJourney { with } => {
            let rel = coaching_rel(session, &with)?;
            session::runtime()?
                .block_on(sync::share_journey_with_coach(&session.store, &rel.doc_id))
                .map_err(|e| remote("cannot share your journey", e))?;
            #[derive(Serialize)]
            struct Shared<'a> {
                coaching_doc_id: &'a str,
                coach: &'a str,
                journey_shared: bool,
            }
            session.reply(
                &Shared {
                    coaching_doc_id: &rel.doc_id,
                    coach: &rel.person_id,
                    journey_shared: true,
                },
                |page| {
                    page.line(format!(
                        "Your own journey is shared with your coach {}, to read, from their next sync.",
                        rel.person_id
                    ));
                    page.line("Your clients' journeys are not: they never reach a coach.");
                    page.line("Stop with `tandem coaching withdraw-journey`.");
                },
            )
        }
        CoachingCommand::WithdrawJourney { with } => {
            let rel = coaching_rel(session, &with)?;
            session::runtime()?
                .block_on(sync::withdraw_journey_from_coach(
                    &session.store,
                    &rel.doc_id,
                ))
                .map_err(|e| remote("cannot withdraw your journey", e))?;
            #[derive(Serialize)]
            struct Withdrawn<'a> {
                coaching_doc_id: &'a str,
                coach: &'a str,
                journey_shared: bool,
            }
            session.reply(
                &Withdrawn {
                    coaching_doc_id: &rel.doc_id,
                    coach: &rel.person_id,
                    journey_shared: false,
                },
                |page| {
                    page.line(format!(
                        "Your journey is no longer shared with {}: the server stops syncing it to them at once.",
                        rel.person_id
                    ))
                },
            )
        }
    }
}

/// The coach's overview, grouped by the condition in force on the session's day.
fn overview(session: &Session) -> Result<String, Failure> {
    let role = session.store.server()?.map(|s| s.role);
    if matches!(role, Some(Role::Practitioner | Role::Client)) {
        return Err(Failure::Failed(format!(
            "the overview is for coaches, and you are a {}; see your own coaching with `tandem coaching show`",
            role.map_or("", |r| r.as_str())
        )));
    }
    let overview = out::by_condition(session.store.coach_overview()?, session.today());
    let names = namer(session);
    session.reply(&overview, |page| {
        out::overview(page, &overview, session.tz, &names)
    })
}

// ----- reflections -----

pub fn reflect(session: &Session, command: ReflectCommand) -> Result<String, Failure> {
    let relationships = session.store.relationships()?;
    // Coaching documents by the coach's id.
    let doc_names = |doc: &str| -> String {
        relationships
            .iter()
            .find(|r| r.doc_id == doc)
            .map_or_else(|| doc.to_string(), |r| format!("with {}", r.person_id))
    };
    match command {
        ReflectCommand::Add(args) => {
            let ReflectArgs {
                what_happened,
                reaction,
                pattern,
                direction,
                plans,
                clients,
                date,
            } = *args;
            let client_codes = clients
                .iter()
                .map(|c| client_code(session, c))
                .collect::<Result<Vec<_>, _>>()?;
            let input = ReflectionInput {
                date: session.date(date),
                what_happened,
                my_reaction: reaction,
                pattern,
                direction,
                plan_ids: plans,
                client_codes,
            };
            let id = session.store.add_reflection(&input)?;
            let all = session.store.reflections()?;
            let reflection = added(&all, &id, |r| &r.id)?;
            session.reply(reflection, |page| {
                page.line("Reflection written in your private notes (on your own devices only):");
                out::reflection(page, reflection, &doc_names);
                page.line(format!(
                    "Share a copy with your coach with `tandem reflect share {id}`; the copy leaves out your plans and clients."
                ));
            })
        }
        ReflectCommand::List => {
            let all = session.store.reflections()?;
            session.reply(&all, |page| {
                if all.is_empty() {
                    page.line("No reflections yet: write one with `tandem reflect add`.");
                }
                for reflection in &all {
                    out::reflection(page, reflection, &doc_names);
                }
            })
        }
        ReflectCommand::Share { reflection, with } => {
            let rel = coaching_rel(session, &with)?;
            let copy = session
                .store
                .share_reflection(&reflection, &rel.doc_id)
                .map_err(local)?;
            #[derive(Serialize)]
            struct Shared<'a> {
                reflection_id: &'a str,
                coaching_doc_id: &'a str,
                copy_id: &'a str,
            }
            session.reply(
                &Shared {
                    reflection_id: &reflection,
                    coaching_doc_id: &rel.doc_id,
                    copy_id: &copy,
                },
                |page| {
                    page.line(format!(
                        "Shared a copy of reflection {reflection} with {}, without its links to your plans and clients.",
                        rel.person_id
                    ));
                    page.line(format!(
                        "It reaches them at the next sync; withdraw it with `tandem reflect withdraw {reflection}`."
                    ));
                },
            )
        }
        ReflectCommand::Withdraw { reflection, with } => {
            let rel = coaching_rel(session, &with)?;
            session
                .store
                .withdraw_reflection(&reflection, &rel.doc_id)
                .map_err(local)?;
            #[derive(Serialize)]
            struct Withdrawn<'a> {
                reflection_id: &'a str,
                coaching_doc_id: &'a str,
            }
            session.reply(
                &Withdrawn {
                    reflection_id: &reflection,
                    coaching_doc_id: &rel.doc_id,
                },
                |page| {
                    page.line(format!(
                        "Withdrew reflection {reflection} from your coaching with {}; it stays in your private notes.",
                        rel.person_id
                    ))
                },
            )
        }
        ReflectCommand::Remove { reflection } => {
            session
                .store
                .remove_reflection(&reflection)
                .map_err(local)?;
            #[derive(Serialize)]
            struct Removed<'a> {
                removed: &'a str,
            }
            session.reply(
                &Removed {
                    removed: &reflection,
                },
                |page| {
                    page.line(format!(
                        "Removed reflection {reflection}, and any copy you had shared."
                    ))
                },
            )
        }
    }
}

// ----- alliance -----

/// How a relationship's other person relates to this one: "your coach", "your client".
fn relation(session: &Session, rel: &Relationship) -> Result<&'static str, Failure> {
    let mine = session.store.server()?.map(|s| s.role);
    Ok(super::sync::relation(mine, rel.role))
}

pub fn alliance(session: &Session, command: AllianceCommand) -> Result<String, Failure> {
    match command {
        AllianceCommand::Add(args) => alliance_add(session, args),
        AllianceCommand::List { with } => {
            #[derive(Serialize)]
            struct Listed {
                doc_id: String,
                kind: DocKind,
                person_id: String,
                role: Role,
                /// `None`: the document is not on this device yet.
                check_ins: Option<Vec<AllianceCheckIn>>,
            }
            let chosen: Vec<Relationship> = match &with.person {
                Some(_) => vec![pick(session, &with, "a care or coaching", "", |_| true)?],
                None => session.store.relationships()?,
            };
            let mut listed = Vec::new();
            for rel in chosen {
                let check_ins = match session.store.alliance_check_ins(&rel.doc_id) {
                    Ok(all) => Some(all),
                    Err(tandem_core::Error::NotFound { .. }) => None,
                    Err(e) => return Err(e.into()),
                };
                listed.push(Listed {
                    doc_id: rel.doc_id,
                    kind: rel.kind,
                    person_id: rel.person_id,
                    role: rel.role,
                    check_ins,
                });
            }
            let mine = session.store.server()?.map(|s| s.role);
            let names = namer(session);
            session.reply(&listed, |page| {
                if listed.is_empty() {
                    page.line("You are linked with nobody yet (as of the last sync): `tandem status` says more.");
                }
                for (n, l) in listed.iter().enumerate() {
                    if n > 0 {
                        page.blank();
                    }
                    page.line(format!(
                        "With {} ({}), {} document:",
                        l.person_id,
                        super::sync::relation(mine, l.role),
                        l.kind.as_str()
                    ));
                    match &l.check_ins {
                        None => page.line("  not on this device yet: `tandem sync` brings it"),
                        Some(all) if all.is_empty() => page.line("  no check-ins yet"),
                        Some(all) => {
                            for c in all {
                                let by = if c.by == l.person_id {
                                    String::new()
                                } else {
                                    format!(" — by {}", names(&c.by))
                                };
                                page.line(format!("  {}{by}", out::alliance_line(c, true)));
                            }
                        }
                    }
                }
            })
        }
        AllianceCommand::Repair {
            check_in,
            note,
            with,
        } => {
            let candidates: Vec<Relationship> = match &with.person {
                Some(_) => vec![pick(session, &with, "a care or coaching", "", |_| true)?],
                None => session.store.relationships()?,
            };
            let rel = candidates
                .into_iter()
                .find(|r| {
                    session
                        .store
                        .alliance_check_ins(&r.doc_id)
                        .is_ok_and(|all| all.iter().any(|c| c.id == check_in))
                })
                .ok_or_else(|| {
                    Failure::Failed(format!(
                        "alliance check-in {check_in} not found: `tandem alliance list` lists them"
                    ))
                })?;
            session
                .store
                .set_repair_note(&rel.doc_id, &check_in, Some(&note))
                .map_err(local)?;
            let all = session.store.alliance_check_ins(&rel.doc_id)?;
            let repaired = added(&all, &check_in, |c| &c.id)?;
            session.reply(repaired, |page| {
                page.line(format!(
                    "Repair noted on {}",
                    out::alliance_line(repaired, true)
                ))
            })
        }
        AllianceCommand::Ruptures => {
            let found = session.store.ruptures()?;
            let relationships = session.store.relationships()?;
            let mine = session.store.server()?.map(|s| s.role);
            let names = namer(session);
            session.reply(&found, |page| {
                if found.is_empty() {
                    page.line("No relationships with alliance check-ins on this device yet.");
                }
                for r in &found {
                    let rel = relationships.iter().find(|rel| rel.doc_id == r.doc_id);
                    let who = rel.map_or_else(
                        || r.doc_id.clone(),
                        |rel| {
                            format!(
                                "{} ({})",
                                rel.person_id,
                                super::sync::relation(mine, rel.role)
                            )
                        },
                    );
                    let by = if rel.is_some_and(|rel| rel.person_id == r.answered_by) {
                        "them".to_string()
                    } else {
                        names(&r.answered_by)
                    };
                    page.line(format!(
                        "With {who}, {} document: {} check-in{} by {by}, {} rupture{}",
                        r.kind.as_str(),
                        r.check_ins,
                        if r.check_ins == 1 { "" } else { "s" },
                        r.ruptures.len(),
                        if r.ruptures.len() == 1 { "" } else { "s" },
                    ));
                    for rupture in &r.ruptures {
                        page.line(format!("  {}", out::rupture_line(rupture)));
                    }
                }
                if found
                    .iter()
                    .any(|r| r.ruptures.iter().any(|x: &Rupture| !x.repaired))
                {
                    page.line(
                        "Note how one was repaired with `tandem alliance repair CHECK_IN NOTE`.",
                    );
                }
            })
        }
    }
}

fn alliance_add(session: &Session, args: AllianceArgs) -> Result<String, Failure> {
    // Checked before looking for the relationship, so a typo is named as such (the core checks
    // again when it writes).
    for (field, value) in [
        ("goals", args.goals),
        ("tasks", args.tasks),
        ("bond", args.bond),
    ] {
        if value > 10 {
            return Err(Failure::Refused(format!(
                "invalid {field}: {value} is outside 0–10"
            )));
        }
    }
    let rel = pick(
        session,
        &args.with,
        "answering alliance check-ins",
        "there is nobody for you to answer about yet (as of the last sync): clients answer about their practitioner, practitioners about their coach",
        |r| {
            (r.kind == DocKind::Care && r.role == Role::Practitioner)
                || (r.kind == DocKind::Coaching && r.role == Role::Coach)
        },
    )?;
    let input = AllianceInput {
        date: session.date(args.date),
        goals: args.goals,
        tasks: args.tasks,
        bond: args.bond,
        felt_off: args.felt_off,
        repair_note: args.repair_note,
    };
    let id = session
        .store
        .add_alliance_check_in(&rel.doc_id, &input)
        .map_err(local)?;
    let all = session.store.alliance_check_ins(&rel.doc_id)?;
    let check_in = added(&all, &id, |c| &c.id)?;
    let about = relation(session, &rel)?;
    session.reply(check_in, |page| {
        page.line(format!(
            "Alliance check-in about {about} {}: {}",
            rel.person_id,
            out::alliance_line(check_in, true)
        ));
        out::alliance_items(page);
        page.line("They see it after you both sync.");
    })
}
