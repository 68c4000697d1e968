//! Sync: enrolling, inviting, joining, sharing, syncing, and where sync stands.
//!
//! Each command that talks to the server runs the core's async call on a runtime of its own.
//! What the command line can check (a server address, a document id) is refused before the
//! call, with exit code 2; whatever the network or the server answers fails with exit code 1
//! and the core's message.

use serde::Serialize;
use tandem_core::sync::api::{
    Access, Enrolled, Invitation, InvitationKind, Joined, Link, Reason, Role,
};
use tandem_core::sync::session::{self as sync, CONSENT_TEXT_VERSION};
use tandem_core::sync::{DocumentAbout, DocumentWhat, ServerLink};
use tandem_core::sync::{SyncReport, SyncState, SyncStatus};
use tandem_core::{OpenOptions, Store};

use crate::args::DevicesCommand;
use crate::output::Page;
use crate::session::{self, note, remote, Failure, Session};

/// `tandem enrol --server URL CODE`.
pub fn enrol(session: &Session, server: &str, code: &str) -> Result<String, Failure> {
    let enrolled = session::runtime()?
        .block_on(sync::enrol(&session.store, server, code))
        .map_err(|e| code_failure("cannot enrol", e))?;
    #[derive(Serialize)]
    struct Answer<'a> {
        server: &'a str,
        #[serde(flatten)]
        enrolled: &'a Enrolled,
    }
    let server = server_url(&session.store)?;
    session.reply(
        &Answer {
            server: &server,
            enrolled: &enrolled,
        },
        |page| {
            page.line(format!(
                "Enrolled on {server} as a {}.",
                enrolled.role.as_str()
            ));
            match enrolled.role {
                Role::Practitioner => page.line(
                    "Invite a client with `tandem invite client`; sync with `tandem sync`.",
                ),
                Role::Coach => page.line(
                    "Invite a practitioner with `tandem invite practitioner`; sync with `tandem sync`.",
                ),
                Role::Client => page.line("Sync with `tandem sync`."),
            }
            recovery_lines(page, enrolled.recovery_code.as_deref(), &server);
        },
    )
}

/// The recovery code, shown once, with what it is for.
fn recovery_lines(page: &mut Page, code: Option<&str>, server: &str) {
    let Some(code) = code else { return };
    page.line(format!("Your recovery code: {code}"));
    page.line(
        "Keep it somewhere safe, away from this device: it is shown only now. If every device",
    );
    page.line(format!(
        "of yours is lost, `tandem recover --server {server} {code}` on a new one brings your account back."
    ));
}

/// A failed `enrol` or `join`: the server's word, and what to do when the code will not do.
fn code_failure(doing: &str, err: tandem_core::Error) -> Failure {
    let unknown = matches!(
        err.refusal(),
        Some(Reason::UnknownCode | Reason::CodeUsed | Reason::CodeExpired)
    );
    let failure = remote(doing, err);
    if unknown {
        Failure::Failed(format!(
            "{}; check the code, or ask for a new one",
            failure.message()
        ))
    } else {
        failure
    }
}

/// `tandem invite client|practitioner|device`.
pub fn invite(session: &Session, kind: InvitationKind) -> Result<String, Failure> {
    let invitation = session::runtime()?
        .block_on(sync::invite(&session.store, kind))
        .map_err(|e| remote("cannot make an invitation", e))?;
    let server = server_url(&session.store)?;
    let join = format!("tandem join --server {server} {}", invitation.code);
    #[derive(Serialize)]
    struct Answer<'a> {
        #[serde(flatten)]
        invitation: &'a Invitation,
        server: &'a str,
        /// What the invited person runs.
        join: &'a str,
    }
    let answer = Answer {
        invitation: &invitation,
        server: &server,
        join: &join,
    };
    session.reply(&answer, |page| {
        page.line(format!("Invitation code: {}", invitation.code));
        page.line(format!(
            "It works once, until {}.",
            invitation
                .expires_at
                .with_timezone(&session.tz)
                .format("%a %-d %b %Y %H:%M %Z")
        ));
        page.blank();
        match kind {
            InvitationKind::Client => {
                page.line("Give it to your client. On their device they run:");
                page.line(format!("  {join}"));
                page.line("Joining is their consent: their journey is shared with you, and you may add to it.");
                page.line("Their private notes stay theirs, and nothing of theirs ever reaches a coach.");
            }
            InvitationKind::Practitioner => {
                page.line("Give it to the practitioner you coach. On their device they run:");
                page.line(format!("  {join}"));
                page.line("Joining links you for coaching. Their own journey reaches you only if they share it;");
                page.line("their clients' data never does.");
            }
            InvitationKind::Device => {
                page.line("On your other device, with a new, empty store, run:");
                page.line(format!("  {join}"));
                page.line("It becomes another device of yours, and your journey arrives by sync.");
            }
        }
    })
}

/// What joining agreed to, in words a person can check.
#[derive(Serialize)]
struct Consent {
    /// The version of the consent text.
    text_version: &'static str,
    /// The person the journey is shared with, or `None` when nothing is shared by joining.
    journey_shared_with: Option<String>,
}

/// `tandem join --server URL CODE`: a client or practitioner code links this person; a device
/// code (the server says which) makes this store a device of the person who made it.
pub fn join(session: Session, server: &str, code: &str) -> Result<String, Failure> {
    let runtime = session::runtime()?;
    let json = session.json;
    let (session, joined) = match runtime.block_on(sync::join(&session.store, server, code)) {
        Ok(joined) => (session, joined),
        Err(e) if e.refusal() == Some(Reason::CodeForDevice) => {
            as_new_device(session, "cannot join", |path, options| {
                runtime.block_on(sync::join_device(path, server, code, options))
            })?
        }
        Err(e) => return Err(code_failure("cannot join", e)),
    };
    // A new device: bring the person's journey at once.
    let report = match joined.linked {
        None => Some(
            runtime
                .block_on(sync::sync_now(&session.store, &progress(json)))
                .map_err(|e| remote("joined, but the first sync failed (try `tandem sync`)", e))?,
        ),
        Some(_) => None,
    };
    let consent = joined.linked.as_ref().map(|linked| Consent {
        text_version: CONSENT_TEXT_VERSION,
        journey_shared_with: (linked.role == Role::Practitioner).then(|| linked.person_id.clone()),
    });
    #[derive(Serialize)]
    struct Answer<'a> {
        #[serde(flatten)]
        joined: &'a Joined,
        consent: Option<Consent>,
        sync: Option<SyncReport>,
    }
    let server = server_url(&session.store)?;
    let journey_here = journey_here(&session.store)?;
    let answer = Answer {
        joined: &joined,
        consent,
        sync: report.clone(),
    };
    session.reply(&answer, |page| {
        joined_lines(page, &joined, &server, report.as_ref(), journey_here);
        recovery_lines(page, joined.recovery_code.as_deref(), &server);
    })
}

/// `tandem handovers`: the practitioners offered in place of one who left.
pub fn handovers(session: &Session) -> Result<String, Failure> {
    let offers = session::runtime()?
        .block_on(sync::handovers(&session.store))
        .map_err(|e| remote("cannot ask for offers", e))?;
    session.reply(&offers, |page| {
        if offers.is_empty() {
            page.line("No practitioner is offered to you.");
            return;
        }
        page.line("Your practitioner left the service. It offers you:");
        for offer in &offers {
            let name = offer.to_name.as_deref().unwrap_or("a practitioner");
            page.line(format!("  {name} (person {})", offer.to_person_id));
        }
        page.blank();
        page.line("Nothing of yours reaches them unless you agree. Agreeing shares your journey with them,");
        page.line("and they may add to it, as with your practitioner before; your private notes stay yours.");
        page.line("  tandem handover --agree <person>    or    tandem handover --decline <person>");
    })
}

/// `tandem handover --agree|--decline PERSON`: answers an offer.
pub fn handover(session: &Session, person: &str, agree: bool) -> Result<String, Failure> {
    let joined = session::runtime()?
        .block_on(sync::answer_handover(&session.store, person, agree))
        .map_err(|e| remote("cannot answer the offer", e))?;
    #[derive(Serialize)]
    struct Answer<'a> {
        agreed: bool,
        joined: Option<&'a Joined>,
        consent: Option<Consent>,
    }
    let consent = joined.as_ref().map(|_| Consent {
        text_version: CONSENT_TEXT_VERSION,
        journey_shared_with: Some(person.to_string()),
    });
    let answer = Answer {
        agreed: joined.is_some(),
        joined: joined.as_ref(),
        consent,
    };
    session.reply(&answer, |page| match &joined {
        Some(_) => {
            page.line(format!(
                "You agreed: your journey is shared with {person} from now on."
            ));
            page.line(
                "They see it when they next sync; `tandem revoke journey <person>` stops it.",
            );
        }
        None => page.line("You declined: the offer is forgotten, and nothing was shared."),
    })
}

/// Recovers an account onto this (new, empty) store with its recovery code, then syncs.
pub fn recover(session: Session, server: &str, code: &str) -> Result<String, Failure> {
    let runtime = session::runtime()?;
    let (session, joined) =
        as_new_device(session, "cannot recover your account", |path, options| {
            runtime.block_on(sync::recover(path, server, code, options))
        })?;
    let report = runtime
        .block_on(sync::sync_now(&session.store, &progress(session.json)))
        .map_err(|e| {
            remote(
                "recovered, but the first sync failed (try `tandem sync`)",
                e,
            )
        })?;
    let server = server_url(&session.store)?;
    let journey_here = journey_here(&session.store)?;
    #[derive(Serialize)]
    struct Answer<'a> {
        #[serde(flatten)]
        joined: &'a Joined,
        sync: &'a SyncReport,
    }
    session.reply(&Answer { joined: &joined, sync: &report }, |page| {
        page.line(format!(
            "Your account is back on this store (person {}, {}), on {server}; your other devices were removed from it.",
            joined.person_id,
            joined.role.as_str()
        ));
        report_lines(page, &report);
        journey_lines(page, journey_here);
        page.line("The code you used no longer works.");
        recovery_lines(page, joined.recovery_code.as_deref(), &server);
    })
}

/// Lets go of the session's store and has `call` make it another person's device (the core
/// opens the file itself), with the options it was opened with; the session on the result.
fn as_new_device(
    session: Session,
    doing: &str,
    call: impl FnOnce(
        std::path::PathBuf,
        OpenOptions,
    ) -> Result<(tandem_core::Store, Joined), tandem_core::Error>,
) -> Result<(Session, Joined), Failure> {
    let path = session.store.path().to_path_buf();
    let options = OpenOptions {
        time_zone: None,
        clock: session.store.clock().clone(),
        trusted_certificates: session.store.trusted_certificates().map(String::from),
        key: session.key.clone(),
    };
    let Session { store, .. } = session;
    drop(store);
    let (store, joined) = call(path, options).map_err(|e| code_failure(doing, e))?;
    Ok((Session { store, ..session }, joined))
}

/// What joining did, in words.
fn joined_lines(
    page: &mut Page,
    joined: &Joined,
    server: &str,
    report: Option<&SyncReport>,
    journey_here: bool,
) {
    match &joined.linked {
        Some(linked) if linked.role == Role::Coach => {
            page.line(format!(
                "Joined {server} as a practitioner, coached by {}.",
                linked.person_id
            ));
            page.line(format!(
                "You agreed to be coached (consent text {CONSENT_TEXT_VERSION}). Your own journey stays yours: share it"
            ));
            page.line(format!(
                "only if you choose, with `tandem share journey {}` (read-only).",
                linked.person_id
            ));
            page.line("Your clients' data never reaches your coach. Sync with `tandem sync`.");
        }
        Some(linked) => {
            page.line(format!(
                "Joined {server} as a {}, linked with your {} {}.",
                joined.role.as_str(),
                linked.role.as_str(),
                linked.person_id
            ));
            page.line(format!(
                "Consent recorded (consent text {CONSENT_TEXT_VERSION}): your journey — values, goals, plans,"
            ));
            page.line(
                "check-ins and reviews — is shared with them, and they may add to it. Your private",
            );
            page.line("notes stay on your own devices, and nothing of yours ever reaches a coach.");
            page.line(format!(
                "Stop sharing at any time with `tandem revoke journey {}`. Sync with `tandem sync`.",
                linked.person_id
            ));
        }
        None => {
            page.line(format!(
                "This store is now a device of person {} ({}), on {server}.",
                joined.person_id,
                joined.role.as_str()
            ));
            if let Some(report) = report {
                report_lines(page, report);
            }
            if journey_here {
                page.line("See your journey with `tandem show`.");
            }
            journey_lines(page, journey_here);
        }
    }
}

/// `share` and `revoke` name a document as `journey` (one's own) or by its id.
fn document(session: &Session, doc: &str) -> Result<String, Failure> {
    if doc.eq_ignore_ascii_case("journey") {
        return Ok(session.store.identity().journey_id.clone());
    }
    // Reading a linked journey's handle checks the id's form and nothing else.
    match session.store.linked_journey(doc) {
        Ok(_) => Ok(doc.to_string()),
        Err(_) => Err(Failure::Refused(format!(
            "invalid document: {doc:?} is not a document id; give `journey` for your journey"
        ))),
    }
}

fn person(person: &str) -> Result<&str, Failure> {
    if person.is_empty() || !person.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(Failure::Refused(format!(
            "invalid person: {person:?} is not a person id; `tandem status` lists the people linked to you"
        )));
    }
    Ok(person)
}

#[derive(Serialize)]
struct Shared<'a> {
    doc_id: &'a str,
    person_id: &'a str,
    /// `None` once revoked.
    access: Option<Access>,
}

/// The words for a document in a sentence: "your journey" or "document ID".
fn doc_words(session: &Session, doc_id: &str) -> String {
    if doc_id == session.store.identity().journey_id {
        "your journey".into()
    } else {
        format!("document {doc_id}")
    }
}

/// `tandem share DOC PERSON [--read|--write]`.
pub fn share(session: &Session, doc: &str, who: &str, access: Access) -> Result<String, Failure> {
    let doc_id = document(session, doc)?;
    let who = person(who)?;
    session::runtime()?
        .block_on(sync::share(&session.store, &doc_id, who, access))
        .map_err(|e| remote("cannot share", e))?;
    let shared = Shared {
        doc_id: &doc_id,
        person_id: who,
        access: Some(access),
    };
    session.reply(&shared, |page| {
        let may = match access {
            Access::Read => "read",
            Access::Write => "read and change",
        };
        page.line(format!(
            "Shared {} with {who}: they may {may} it from their next sync.",
            doc_words(session, &doc_id)
        ));
        page.line(format!("Stop with `tandem revoke {doc} {who}`."));
    })
}

/// `tandem revoke DOC PERSON`.
pub fn revoke(session: &Session, doc: &str, who: &str) -> Result<String, Failure> {
    let doc_id = document(session, doc)?;
    let who = person(who)?;
    session::runtime()?
        .block_on(sync::revoke(&session.store, &doc_id, who))
        .map_err(|e| remote("cannot stop sharing", e))?;
    let revoked = Shared {
        doc_id: &doc_id,
        person_id: who,
        access: None,
    };
    session.reply(&revoked, |page| {
        page.line(format!(
            "Stopped sharing {} with {who}: the server no longer syncs it to them.",
            doc_words(session, &doc_id)
        ))
    })
}

/// Progress lines on stderr as a sync goes (not with --json, whose answer is the report).
fn progress(json: bool) -> impl Fn(SyncStatus) + Send + Sync {
    move |status: SyncStatus| {
        if json {
            return;
        }
        match (status.state, status.last_error) {
            (SyncState::Connecting, _) => note("connecting to the server…"),
            (SyncState::Syncing { documents }, _) => {
                note(&format!("syncing {documents} documents…"))
            }
            (SyncState::UpToDate, _) => note("up to date"),
            (SyncState::Live, _) => note("live: edits arrive as they are made (Ctrl-C stops)"),
            (SyncState::Offline, Some(error)) => note(&format!("offline: {error}")),
            (SyncState::Offline, None) => note("offline"),
        }
    }
}

/// [`progress`] for a live sync, which reports states alone.
fn progress_state(json: bool) -> impl Fn(SyncState) + Send + Sync {
    let progress = progress(json);
    move |state| {
        progress(SyncStatus {
            state,
            last_synced_at: None,
            last_error: None,
            last_refusal: None,
        })
    }
}

/// Whether the person's journey is on this device (a new device's arrives by sync).
fn journey_here(store: &Store) -> Result<bool, Failure> {
    Ok(session::journey_zone(store)?.is_some())
}

fn report_lines(page: &mut Page, report: &SyncReport) {
    page.line(format!(
        "Synced {} document{} in {:.1} s.",
        report.documents,
        if report.documents == 1 { "" } else { "s" },
        report.duration_ms as f64 / 1000.0
    ));
    if report.unavailable > 0 {
        page.line(format!(
            "{} unavailable: not shared with you, or not on the server yet.",
            report.unavailable
        ));
    }
}

/// What a new device says after a sync that did not bring its journey.
fn journey_lines(page: &mut Page, journey_here: bool) {
    if !journey_here {
        let mut line = format!("{}.", session::JOURNEY_NOT_HERE);
        line[..1].make_ascii_uppercase();
        page.line(line);
    }
}

/// `tandem sync`.
pub fn sync(session: &Session) -> Result<String, Failure> {
    let report = session::runtime()?
        .block_on(sync::sync_now(&session.store, &progress(session.json)))
        .map_err(|e| remote("cannot sync", e))?;
    let journey_here = journey_here(&session.store)?;
    session.reply(&report, |page| {
        report_lines(page, &report);
        journey_lines(page, journey_here);
    })
}

/// `tandem sync --live`: stays connected until Ctrl-C, printing each change that arrives (a
/// line of text, or with --json one JSON object per line), and reconnecting with backoff when
/// the connection fails.
pub fn sync_live(session: &Session) -> Result<String, Failure> {
    use std::io::Write;
    let runtime = session::runtime()?;
    let (stop_tx, stop) = tokio::sync::watch::channel(false);
    runtime.spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            let _ = stop_tx.send(true);
        }
    });
    let json = session.json;
    let store = &session.store;
    let arrived = |doc: &tandem_core::DocumentId| {
        let doc_id = doc.to_string();
        let about = store.about_document(&doc_id).ok().flatten();
        let at = chrono::Local::now();
        let line = if json {
            serde_json::json!({ "arrived": doc_id, "about": about, "at": at.to_rfc3339() })
                .to_string()
        } else {
            format!(
                "{}  {}",
                at.format("%H:%M:%S"),
                arrival_words(store, &doc_id, about.as_ref())
            )
        };
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{line}");
        let _ = out.flush();
    };
    let on_state = progress_state(json);
    let mut backoff = tandem_core::sync::service::FIRST_BACKOFF;
    loop {
        let outcome = runtime.block_on(sync::sync_live(store, stop.clone(), &on_state, &arrived));
        if *stop.borrow() {
            break;
        }
        match outcome {
            Ok(_) => backoff = tandem_core::sync::service::FIRST_BACKOFF,
            Err(e) if e.refusal().is_some() => return Err(remote("cannot sync", e)),
            Err(e) => {
                note(&format!(
                    "offline: {e}; trying again in {:.1} s",
                    backoff.as_secs_f64()
                ));
                let mut stopped = stop.clone();
                runtime.block_on(async {
                    tokio::select! {
                        _ = tokio::time::sleep(backoff) => {}
                        _ = stopped.wait_for(|s| *s) => {}
                    }
                });
                backoff = (backoff * 2).min(tandem_core::sync::service::MAX_BACKOFF);
                if *stop.borrow() {
                    break;
                }
            }
        }
    }
    Ok(if json {
        String::new()
    } else {
        "Stopped.".into()
    })
}

/// "Sam's check-ins for 2026-12 changed (your client)".
fn arrival_words(store: &Store, doc_id: &str, about: Option<&DocumentAbout>) -> String {
    let Some(about) = about else {
        return format!("document {doc_id} changed");
    };
    let whose = if about.mine {
        "your".to_string()
    } else {
        format!("{}'s", about.person_id)
    };
    let what = match &about.what {
        DocumentWhat::Journey => format!("{whose} journey"),
        DocumentWhat::CheckIns { month } => format!("{whose} check-ins for {month}"),
        DocumentWhat::Private => format!("{whose} private notes"),
        DocumentWhat::Relationship => format!("your shared document with {}", about.person_id),
    };
    let relation = (!about.mine)
        .then(|| {
            let mine = store.server().ok().flatten().map(|s| s.role);
            let links = store.links().ok()?;
            let link = links.iter().find(|l| l.person_id == about.person_id)?;
            Some(format!(" ({})", relation(mine, link.role)))
        })
        .flatten()
        .unwrap_or_default();
    format!("{what} changed{relation}")
}

#[derive(Serialize)]
struct Status<'a> {
    person_id: &'a str,
    device_key: &'a str,
    /// `None` until the store enrols or joins.
    server: Option<ServerLink>,
    /// The people linked to this person, as of the last sync.
    links: Vec<Link>,
}

/// How `mine` relates to a linked person with role `theirs`: "your client".
pub fn relation(mine: Option<Role>, theirs: Role) -> &'static str {
    match (mine, theirs) {
        (_, Role::Client) => "your client",
        (_, Role::Coach) => "your coach",
        (Some(Role::Coach), Role::Practitioner) => "a practitioner you coach",
        (_, Role::Practitioner) => "your practitioner",
    }
}

/// `tandem status`.
/// `tandem access-log`: who looked at this person's journey, and when.
/// `tandem erase-account --yes`: the account on the server, then this store.
pub fn erase_account(session: Session, yes: bool) -> Result<String, Failure> {
    if !yes {
        return Err(Failure::Refused(
            "this erases your account on your server and everything this device holds; your \
             documents, devices, links and consents go, and the people you shared with delete \
             their copies when they next sync. Nothing can bring it back: run it again with --yes"
                .into(),
        ));
    }
    let runtime = session::runtime()?;
    let erased_at = runtime
        .block_on(sync::erase_account(&session.store))
        .map_err(|e| remote("cannot erase your account", e))?;
    let path = session.store.path().to_path_buf();
    drop(session);
    tandem_core::store::erase_store(&path)?;
    super::key::forget_key(&path);
    let at =
        chrono::DateTime::from_timestamp(erased_at, 0).map_or(String::new(), |t| t.to_rfc3339());
    Ok(format!(
        "Your account was erased on the server at {at}, and this device's store at {}.\n\
         The people you shared with delete their copies when they next sync; your other devices \
         erase what they hold when they next reach the server.\n",
        path.display()
    ))
}

pub fn access_log(session: &Session) -> Result<String, Failure> {
    let runtime = session::runtime()?;
    let entries = runtime
        .block_on(sync::access_log(&session.store))
        .map_err(|e| remote("cannot read who looked", e))?;
    let links = session.store.links()?;
    session.reply(&entries, |page| {
        if entries.is_empty() {
            page.line("No one else's device has synced your journey.");
            return;
        }
        page.line("When each linked person's device last synced your journey:");
        for e in &entries {
            let role = links
                .iter()
                .find(|l| l.person_id == e.person_id)
                .map_or("someone no longer linked", |l| l.role.as_str());
            let at = chrono::DateTime::from_timestamp(e.last_at, 0).map_or(String::new(), |t| {
                t.with_timezone(&session.tz)
                    .format("%a %-d %b %Y %H:%M")
                    .to_string()
            });
            page.line(format!(
                "  {at}  {} ({role}), device {}",
                e.person_id, e.device_id
            ));
        }
    })
}

/// `tandem devices list|name|remove`.
pub fn devices(session: &Session, command: DevicesCommand) -> Result<String, Failure> {
    let runtime = session::runtime()?;
    match command {
        DevicesCommand::List => {
            let devices = runtime
                .block_on(sync::devices(&session.store))
                .map_err(|e| remote("cannot list your devices", e))?;
            session.reply(&devices, |page| {
                page.line("Your devices:");
                for d in &devices {
                    let at = |t: i64| {
                        chrono::DateTime::from_timestamp(t, 0).map_or(String::new(), |t| {
                            t.with_timezone(&session.tz)
                                .format("%-d %b %Y %H:%M")
                                .to_string()
                        })
                    };
                    page.line(format!(
                        "  {}{}  {}",
                        d.name.as_deref().unwrap_or("(no name)"),
                        if d.this_device { " (this device)" } else { "" },
                        d.device_id
                    ));
                    page.line(format!(
                        "      added {}, last seen {}",
                        at(d.added_at),
                        d.last_seen_at.map_or("never".to_string(), at)
                    ));
                }
                page.line("Remove a lost one with `tandem devices remove DEVICE-ID`.");
            })
        }
        DevicesCommand::Name { name } => {
            runtime
                .block_on(sync::name_device(&session.store, &name))
                .map_err(|e| match e {
                    e @ tandem_core::Error::Invalid(_) => Failure::Refused(e.to_string()),
                    e => remote("cannot name this device", e),
                })?;
            Ok(format!(
                "This device is now called {:?} on your list.\n",
                name.trim()
            ))
        }
        DevicesCommand::Remove { device_id } => {
            runtime
                .block_on(sync::remove_device(&session.store, &device_id))
                .map_err(|e| match e {
                    e @ tandem_core::Error::Invalid(_) => Failure::Refused(e.to_string()),
                    e => remote("cannot remove the device", e),
                })?;
            Ok(format!(
                "Removed {}: the server refuses it from now on and has closed its connections. \
                 It learns so the next time it connects.\n",
                device_id.trim()
            ))
        }
    }
}

pub fn status(session: &Session) -> Result<String, Failure> {
    let me = session.store.identity();
    let status = Status {
        person_id: &me.person_id,
        device_key: &me.device_key,
        server: session.store.server()?,
        links: session.store.links()?,
    };
    session.reply(&status, |page| {
        page.line(format!("Person:      {}", status.person_id));
        let Some(server) = &status.server else {
            page.line("Server:      none yet");
            page.line("Practitioners and coaches enrol with `tandem enrol --server URL CODE`;");
            page.line("clients, coached practitioners and new devices join with `tandem join --server URL CODE`.");
            return;
        };
        page.line(format!(
            "Server:      {} (you are a {})",
            server.url.trim_end_matches('/'),
            server.role.as_str()
        ));
        let last = server.last_synced_at.map_or_else(
            || "never".to_string(),
            |at| {
                at.with_timezone(&session.tz)
                    .format("%a %-d %b %Y %H:%M:%S %Z")
                    .to_string()
            },
        );
        page.line(format!("Last synced: {last}"));
        page.blank();
        if status.links.is_empty() {
            page.line("Linked people: none yet.");
        } else {
            page.line("Linked people (as of the last sync):");
        }
        for link in &status.links {
            page.line(format!(
                "  {}  {}",
                link.person_id,
                relation(Some(server.role), link.role)
            ));
            let journey = match (&link.journey_id, link.access) {
                (Some(journey), access) => format!(
                    "their journey is shared with you ({}): `tandem show --person {}` [{journey}]",
                    match access {
                        Some(Access::Write) => "read and change",
                        _ => "read",
                    },
                    link.person_id
                ),
                (None, _) => "their journey is not shared with you".into(),
            };
            page.line(format!("      {journey}"));
            if let Some(doc) = &link.relationship_doc_id {
                let kind = if link.role == Role::Coach || server.role == Role::Coach {
                    "coaching"
                } else {
                    "care"
                };
                page.line(format!("      your {kind} document together: {doc}"));
            }
        }
    })
}

/// The server address the store keeps (as the core normalised it).
fn server_url(store: &Store) -> Result<String, Failure> {
    Ok(store
        .server()?
        .map(|s| s.url.trim_end_matches('/').to_string())
        .unwrap_or_default())
}
