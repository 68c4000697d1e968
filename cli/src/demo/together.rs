//! The demo, together: a sync server runs in this process; Alex (a practitioner) and Priya (a
//! coach) enrol, Alex invites Sam, Robin and Jamie and Priya invites Alex, everyone syncs; then
//! Sam and Alex change Sam's walking plan at the same time, each offline on their own device,
//! and meet again through the server. Last, the parallel process ([`super::parallel`]): Alex's
//! own plans beside their clients', what Priya sees of it, and that she cannot open any
//! client's journey.

use std::future::Future;
use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};

use chrono::NaiveTime;
use tandem_core::journey::{CheckInInput, Journey, Outcome, PlanInput};
use tandem_core::sync::api::{InvitationKind, Role};
use tandem_core::sync::session as sync;
use tandem_core::sync::{SyncReport, SyncStatus};
use tandem_core::{OpenOptions, Store};
use tokio::runtime::Runtime;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::parallel;
use super::sam::{MOOD_CHECK, WALK};
use super::{Clock, TIME_ZONE};
use crate::output::{self, Page};
use crate::session::{self, remote, Failure};

/// The coach's store in the demo folder.
pub const COACH_FILE: &str = "coach.db";
/// The sync server's data folder in the demo folder.
pub const SERVER_DIR: &str = "server";

/// A sync server serving in this process, on 127.0.0.1 and a free port, until stopped.
pub(super) struct Server {
    pub(super) runtime: Runtime,
    url: String,
    data_dir: PathBuf,
    stop: Option<oneshot::Sender<()>>,
    serving: Option<JoinHandle<Result<(), tandem_server::ServeError>>>,
}

impl Server {
    fn start(data_dir: PathBuf) -> Result<Server, Failure> {
        let runtime = session::runtime()?;
        let (listening_tx, listening_rx) = oneshot::channel();
        let (stop, stopped) = oneshot::channel::<()>();
        let config = tandem_server::Config {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            storage: tandem_server::Storage::Sqlite(data_dir.clone()),
            tls: None,
            min_protocol: tandem_server::MIN_PROTOCOL,
        };
        let serving = runtime.spawn(tandem_server::serve(
            config,
            move |listening| {
                let _ = listening_tx.send(listening);
            },
            async move {
                let _ = stopped.await;
            },
        ));
        match runtime.block_on(listening_rx) {
            Ok(listening) => Ok(Server {
                runtime,
                url: listening.to_string(),
                data_dir,
                stop: Some(stop),
                serving: Some(serving),
            }),
            // The server ended before it listened: say why.
            Err(_) => {
                let why = match runtime.block_on(serving) {
                    Ok(Err(e)) => e.to_string(),
                    Ok(Ok(())) => "it stopped at once".to_string(),
                    Err(e) => e.to_string(),
                };
                Err(Failure::Failed(format!(
                    "the demo's sync server did not start: {why}"
                )))
            }
        }
    }

    /// A one-time enrolment code, as the server's operator makes them.
    fn enrolment_code(&self, role: Role) -> Result<String, Failure> {
        let storage = tandem_server::Storage::Sqlite(self.data_dir.clone());
        self.runtime
            .block_on(tandem_server::server::enrolment_code(&storage, role))
            .map(|(code, _expires)| code)
            .map_err(|e| Failure::Failed(format!("cannot make an enrolment code: {e}")))
    }

    /// Runs one call to the server, on the server's runtime.
    pub(super) fn call<T>(
        &self,
        doing: &str,
        call: impl Future<Output = tandem_core::Result<T>>,
    ) -> Result<T, Failure> {
        self.runtime.block_on(call).map_err(|e| remote(doing, e))
    }

    pub(super) fn sync(&self, store: &Store) -> Result<SyncReport, Failure> {
        let quiet = |_: SyncStatus| {};
        self.call("the demo could not sync", sync::sync_now(store, &quiet))
    }

    /// Stops serving: closes the connections and lets the server finish its writes.
    fn stop(mut self) -> Result<(), Failure> {
        self.shut_down()
    }

    fn shut_down(&mut self) -> Result<(), Failure> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self
            .serving
            .take()
            .map(|serving| self.runtime.block_on(serving))
        {
            None | Some(Ok(Ok(()))) => Ok(()),
            Some(Ok(Err(e))) => Err(Failure::Failed(format!(
                "the demo's sync server stopped with an error: {e}"
            ))),
            Some(Err(e)) => Err(Failure::Failed(format!(
                "the demo's sync server failed: {e}"
            ))),
        }
    }
}

impl Drop for Server {
    /// A story that failed halfway still stops its server cleanly.
    fn drop(&mut self) {
        let _ = self.shut_down();
    }
}

/// Who is who, for printing people rather than ids.
pub(super) struct Names(pub(super) Vec<(String, &'static str)>);

impl Names {
    pub(super) fn of<'a>(&'a self, person_id: &'a str) -> &'a str {
        self.0
            .iter()
            .find(|(id, _)| id == person_id)
            .map_or(person_id, |(_, name)| name)
    }
}

fn plan_id(journey: &Journey, what: &str) -> Result<String, Failure> {
    journey
        .plans
        .iter()
        .find(|p| p.what == what)
        .map(|p| p.id.clone())
        .ok_or_else(|| Failure::Failed(format!("the demo's plan {what:?} is missing")))
}

pub(super) fn synced(page: &mut Page, name: &str, report: &SyncReport) {
    page.line(format!(
        "  {name:<5} syncs: {} documents up to date",
        report.documents
    ));
}

/// Plays the story together on Sam's, Alex's and the other clients' stores (already holding
/// their two weeks), with the coach's store and the server's data in `dir`; answers Sam's
/// person id.
/// Sam's and Alex's devices stay online; a value Sam writes reaches Alex's device as it is
/// made, with nobody asking for a sync.
fn live(page: &mut Page, server: &Server, sam: &Store, alex: &Store) -> Result<(), Failure> {
    use std::time::{Duration, Instant};
    use tandem_core::journey::{LifeArea, ValueInput};
    use tandem_core::sync::SyncState;
    use tokio::sync::watch;

    const VALUE: &str = "Evenings with the kids";
    let (stop_tx, stop) = watch::channel(false);
    let (sam_up, mut sam_live) = watch::channel(false);
    let (alex_up, mut alex_live) = watch::channel(false);
    let sam_state = move |s: SyncState| {
        sam_up.send_replace(s == SyncState::Live);
    };
    let alex_state = move |s: SyncState| {
        alex_up.send_replace(s == SyncState::Live);
    };
    let sam_journey = sam.identity().journey_id.clone();
    let driver = async {
        let both = async {
            let _ = sam_live.wait_for(|l| *l).await;
            let _ = alex_live.wait_for(|l| *l).await;
        };
        let arrived = async {
            both.await;
            let mut changes = alex.watch_changes();
            let before = changes.borrow_and_update().remote;
            let started = Instant::now();
            sam.add_value(&ValueInput {
                text: VALUE.into(),
                life_area: LifeArea::Family,
                importance: 9,
            })?;
            loop {
                let _ = changes.wait_for(|c| c.remote > before).await;
                let there = alex
                    .linked_journey(&sam_journey)
                    .and_then(|j| j.journey())
                    .is_ok_and(|j| j.values.iter().any(|v| v.text == VALUE));
                if there {
                    return Ok::<Duration, tandem_core::Error>(started.elapsed());
                }
                changes.borrow_and_update();
                let _ = changes.changed().await;
            }
        };
        let outcome = tokio::time::timeout(Duration::from_secs(20), arrived).await;
        let _ = stop_tx.send(true);
        outcome
    };
    let (sam_done, alex_done, outcome) = server.runtime.block_on(async {
        tokio::join!(
            sync::sync_live(sam, stop.clone(), &sam_state, &|_| {}),
            sync::sync_live(alex, stop.clone(), &alex_state, &|_| {}),
            driver
        )
    });
    sam_done.map_err(|e| remote("Sam's live sync failed", e))?;
    alex_done.map_err(|e| remote("Alex's live sync failed", e))?;
    let took = outcome
        .map_err(|_| Failure::Failed("Sam's value did not reach Alex's device live".into()))?
        .map_err(|e| remote("Sam could not add a value", e))?;
    page.blank();
    page.line("Live: both phones stay online, each with one open connection to the server.");
    page.line(format!("  Sam   adds a value: “{VALUE}”."));
    page.line(format!(
        "  Alex  has it on their phone {:.0} ms later, in Sam's journey: nobody pressed sync.",
        took.as_secs_f64() * 1e3
    ));
    Ok(())
}

pub fn play(
    page: &mut Page,
    dir: &Path,
    sam: Store,
    alex: Store,
    others: Vec<(&'static str, Store)>,
    clock: &Clock,
) -> Result<String, Failure> {
    page.line("══ Together, through a sync server ══");
    let server = Server::start(dir.join(SERVER_DIR))?;
    page.line("A Tandem sync server starts in this process, on 127.0.0.1 (a free port).");
    let priya = Store::open(
        dir.join(COACH_FILE),
        OpenOptions {
            time_zone: Some(TIME_ZONE.into()),
            ..Default::default()
        },
    )?;

    // The operator enrols the practitioner and the coach.
    let code = server.enrolment_code(Role::Practitioner)?;
    server.call(
        "Alex could not enrol",
        sync::enrol(&alex, &server.url, &code),
    )?;
    let code = server.enrolment_code(Role::Coach)?;
    server.call(
        "Priya could not enrol",
        sync::enrol(&priya, &server.url, &code),
    )?;
    page.line("Alex (a practitioner) and Priya (a coach) enrol with one-time codes from the server's operator.");
    // Each chooses the name the people linked to them see (kept in their shared documents).
    alex.set_my_name("Alex")?;
    priya.set_my_name("Priya")?;
    sam.set_my_name("Sam")?;

    // Alex invites Sam; Sam consents. Priya invites Alex.
    let invitation = server.call(
        "Alex could not invite Sam",
        sync::invite(&alex, InvitationKind::Client),
    )?;
    server.call(
        "Sam could not join",
        sync::join(&sam, &server.url, &invitation.code),
    )?;
    page.line(format!(
        "Alex invites Sam with the code {}. Sam joins, and so consents: Sam's journey is shared",
        invitation.code
    ));
    page.line("with Alex, who may add to it. Sam's private notes stay on Sam's own devices.");
    let mut clients = Vec::new();
    for (name, store) in others {
        store.set_my_name(name)?;
        let invitation = server.call(
            "Alex could not invite a client",
            sync::invite(&alex, InvitationKind::Client),
        )?;
        server.call(
            "a client could not join",
            sync::join(&store, &server.url, &invitation.code),
        )?;
        clients.push((name, store));
    }
    let others: Vec<&str> = clients.iter().map(|(name, _)| *name).collect();
    page.line(format!(
        "{} join Alex the same way, each with a code of their own.",
        others.join(" and ")
    ));
    let invitation = server.call(
        "Priya could not invite Alex",
        sync::invite(&priya, InvitationKind::Practitioner),
    )?;
    server.call(
        "Alex could not join Priya",
        sync::join(&alex, &server.url, &invitation.code),
    )?;
    page.line(format!(
        "Priya invites Alex with the code {}. Alex joins for coaching; Alex's own journey stays",
        invitation.code
    ));
    page.line("Alex's unless Alex shares it.");
    let mut names = Names(vec![
        (sam.identity().person_id.clone(), "Sam"),
        (alex.identity().person_id.clone(), "Alex"),
        (priya.identity().person_id.clone(), "Priya"),
    ]);
    for (name, store) in &clients {
        names.0.push((store.identity().person_id.clone(), name));
    }

    page.blank();
    page.line("Everyone syncs:");
    for (name, store) in [("Sam", &sam)]
        .into_iter()
        .chain(clients.iter().map(|(name, store)| (*name, store)))
        .chain([("Alex", &alex), ("Priya", &priya)])
    {
        synced(page, name, &server.sync(store)?);
    }
    let sam_journey = sam.identity().journey_id.clone();
    let seen = alex.linked_journey(&sam_journey)?;
    let journey = seen.journey()?;
    page.line(format!(
        "Alex now has Sam's journey on their own device: {} values, {} goals, {} plans, {} check-ins.",
        journey.values.len(),
        journey.goals.len(),
        journey.plans.len(),
        seen.check_ins(clock.start, clock.today)?.len()
    ));

    // Offline, at the same time, on two devices.
    let walk = plan_id(&journey, WALK)?;
    let mood = plan_id(&journey, MOOD_CHECK)?;
    page.blank();
    page.line("Then both go offline and work at the same time, each on their own device:");
    let check_in = sam.check_in_at(
        &CheckInInput {
            plan_id: mood,
            date: clock.today,
            time: None,
            outcome: Outcome::Done,
            reasons: Vec::new(),
            reason_text: None,
            note: Some("Calmer tonight; the walk helped".into()),
        },
        clock.now,
    )?;
    let mine = sam.journey()?;
    let plan = mine
        .plan(&walk)
        .ok_or_else(|| Failure::Failed("Sam's walking plan is missing".into()))?;
    let mut by_sam = PlanInput::from(plan);
    let barriers = format!(
        "{}; the school run",
        plan.barriers.as_deref().unwrap_or_default()
    );
    by_sam.barriers = Some(barriers.clone());
    sam.update_plan(&walk, &by_sam)?;
    page.line(format!(
        "  Sam   checks in: {}",
        output::check_in_line(&check_in, &mine)
    ));
    page.line(format!(
        "        and adds a barrier to the walk: “{barriers}”"
    ));
    let theirs = seen.journey()?;
    let plan = theirs
        .plan(&walk)
        .ok_or_else(|| Failure::Failed("Sam's walking plan is missing on Alex's device".into()))?;
    let mut by_alex = PlanInput::from(plan);
    by_alex.schedule.times = vec![NaiveTime::from_hms_opt(9, 0, 0).expect("09:00")];
    seen.update_plan(&walk, &by_alex)?;
    page.line(
        "  Alex  in Sam's journey, moves the walk from 08:00 to 09:00, after the school run.",
    );

    page.blank();
    page.line("Back online: Alex syncs, then Sam, then Alex again.");
    for (name, store) in [("Alex", &alex), ("Sam", &sam), ("Alex", &alex)] {
        synced(page, name, &server.sync(store)?);
    }
    let on_sam = sam.journey()?;
    let on_alex = alex.linked_journey(&sam_journey)?.journey()?;
    let (Some(sams), Some(alexs)) = (on_sam.plan(&walk), on_alex.plan(&walk)) else {
        return Err(Failure::Failed(
            "the walking plan is missing after sync".into(),
        ));
    };
    for (who, journey, plan) in [
        ("Sam sees of the walk", &on_sam, sams),
        ("Alex sees of it, in Sam's journey", &on_alex, alexs),
    ] {
        page.blank();
        page.line(format!("What {who}:"));
        output::plan_details(page, plan, journey, false);
    }
    let nine = NaiveTime::from_hms_opt(9, 0, 0).expect("09:00");
    if on_sam != on_alex || sams.schedule.times != [nine] || sams.barriers != Some(barriers) {
        return Err(Failure::Failed(
            "the demo's devices did not converge on the walking plan".into(),
        ));
    }
    page.blank();
    page.line("The same on both devices, with both changes: Alex's 09:00 and Sam's new barrier.");
    let latest = alex
        .linked_journey(&sam_journey)?
        .check_ins(clock.start, clock.today)?
        .into_iter()
        .max_by_key(|c| c.recorded_at)
        .ok_or_else(|| Failure::Failed("Alex sees none of Sam's check-ins".into()))?;
    page.line("Sam's latest check-in, as Alex sees it:");
    page.line(format!("  {}", output::check_in_line(&latest, &on_alex)));

    live(page, &server, &sam, &alex)?;

    let mut everyone = vec![("Sam", &sam)];
    everyone.extend(clients.iter().map(|(name, store)| (*name, store)));
    parallel::play(page, &server, &alex, &priya, &everyone, &names, clock)?;
    let sam_id = sam.identity().person_id.clone();
    drop((sam, alex, priya, clients));
    server.stop()?;
    page.line("The server stops.");
    Ok(sam_id)
}
