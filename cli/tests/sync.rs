//! The sync commands of the real `tandem` binary against a real `tandem-server` process on
//! 127.0.0.1: a practitioner enrols and invites a client, who joins and syncs.

use serde_json::Value;
use tandem_tests::server_process::ServerProcess;

mod support;
use support::Person;

fn text(value: &Value) -> &str {
    value
        .as_str()
        .unwrap_or_else(|| panic!("{value} is not a string"))
}

#[test]
fn a_practitioner_enrols_invites_a_client_who_joins_and_both_sync() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let server = ServerProcess::start(&dir.path().join("server"));
    let alex = Person::new(&dir, "alex");
    let sam = Person::new(&dir, "sam");

    let enrolled = alex.json(&[
        "enrol",
        "--server",
        &server.url,
        &server.enrol_code("practitioner"),
    ]);
    assert_eq!(enrolled["role"], "practitioner");
    let alex_id = enrolled["person_id"].clone();

    let invitation = alex.json(&["invite", "client"]);
    assert_eq!(invitation["kind"], "client");
    let code = text(&invitation["code"]).to_string();
    assert_eq!(
        text(&invitation["join"]),
        format!("tandem join --server {} {code}", server.url)
    );
    let shown = alex.ok(&["invite", "client"]);
    assert!(
        shown.contains("their journey is shared with you"),
        "{shown}"
    );

    let joined = sam.json(&["join", "--server", &server.url, &code]);
    assert_eq!(joined["role"], "client");
    assert_eq!(joined["linked"]["person_id"], alex_id);
    assert_eq!(joined["consent"]["journey_shared_with"], alex_id);
    let sam_id = joined["person_id"].clone();
    let sam_journey = joined["journey_id"].clone();

    // The code worked once.
    let late = Person::new(&dir, "late");
    let (code_, stderr) = late.fails(&["join", "--server", &server.url, &code]);
    assert_eq!(code_, 1);
    assert!(stderr.contains("used"), "{stderr}");

    sam.ok(&[
        "plan",
        "add",
        "Walk round the park",
        "--days",
        "mon,wed,fri",
        "--at",
        "08:00",
        "--start",
        "2026-03-02",
    ]);
    sam.ok(&["check-in", &plan_id(&sam), "done", "--date", "2026-03-02"]);
    let report = sam.json(&["sync"]);
    assert!(report["documents"].as_u64() >= Some(4), "{report}");
    let out = alex.run(&["sync"]);
    assert!(out.status.success());
    let progress = String::from_utf8_lossy(&out.stderr);
    assert!(
        progress.contains("connecting") && progress.contains("up to date"),
        "{progress}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Synced "));

    let status = alex.json(&["status"]);
    assert_eq!(status["server"]["role"], "practitioner");
    assert!(status["server"]["last_synced_at"].is_string(), "{status}");
    let links = status["links"].as_array().expect("links");
    assert_eq!(links.len(), 1, "{status}");
    assert_eq!(links[0]["person_id"], sam_id);
    assert_eq!(links[0]["role"], "client");
    assert_eq!(links[0]["journey_id"], sam_journey);
    assert_eq!(links[0]["access"], "write");
    assert!(links[0]["relationship_doc_id"].is_string(), "{status}");
    let shown = alex.ok(&["status"]);
    assert!(shown.contains("your client"), "{shown}");

    // Alex reads Sam's journey, the walk and its check-in included.
    let seen = alex.json(&["show", "--person", text(&sam_id)]);
    assert_eq!(seen["journey"]["plans"][0]["what"], "Walk round the park");
    assert_eq!(seen["check_ins"].as_array().map(Vec::len), Some(1));
    assert_eq!(seen, alex.json(&["show", "--journey", text(&sam_journey)]));
    assert!(alex
        .ok(&["show", "--person", text(&sam_id)])
        .contains("your client"));

    // Sam sees Alex as their practitioner, whose journey is not shared with Sam.
    sam.ok(&["sync"]);
    let status = sam.json(&["status"]);
    assert_eq!(status["links"][0]["person_id"], alex_id);
    assert_eq!(status["links"][0]["journey_id"], Value::Null);
    let (code_, stderr) = sam.fails(&["show", "--person", text(&alex_id)]);
    assert_eq!(code_, 1);
    assert!(stderr.contains("does not share their journey"), "{stderr}");
}

/// A practitioner's store `name`, enrolled on `server` with an operator's code.
fn practitioner(dir: &tempfile::TempDir, server: &ServerProcess, name: &str) -> Person {
    let person = Person::new(dir, name);
    person.ok(&[
        "enrol",
        "--server",
        &server.url,
        &server.enrol_code("practitioner"),
    ]);
    person
}

fn plan_id(person: &Person) -> String {
    let plans = person.json(&["plan", "list"]);
    text(&plans[0]["id"]).to_string()
}

#[test]
fn joining_with_a_bad_code_or_no_server_fails_clearly() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let server = ServerProcess::start(&dir.path().join("server"));
    let sam = Person::new(&dir, "sam");

    let (code, stderr) = sam.fails(&["join", "--server", &server.url, "AAAA-BBBB-CCCC"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("cannot join: the server answered: no such code"),
        "{stderr}"
    );
    assert!(stderr.contains("check the code"), "{stderr}");
    assert_eq!(sam.json(&["status"])["server"], Value::Null);

    // An enrolment code is not an invitation.
    let (code, stderr) = sam.fails(&["join", "--server", &server.url, &server.enrol_code("coach")]);
    assert_eq!(code, 1);
    assert!(stderr.contains("enrolment code"), "{stderr}");

    // Input the command line can check is refused before any call (exit 2).
    let (code, stderr) = sam.fails(&["join", "--server", "tandem.example.org", "AAAA-BBBB-CCCC"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("https://"), "{stderr}");
    let (code, stderr) = sam.fails(&["invite", "friend"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("client, practitioner, device"), "{stderr}");

    // Nobody listening: the network's word, exit 1.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        format!("http://{}", listener.local_addr().expect("an address"))
    };
    let (code, stderr) = sam.fails(&["join", "--server", &closed, "AAAA-BBBB-CCCC"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("cannot join: cannot reach the server"),
        "{stderr}"
    );

    // Not joined: sync says what to do.
    let (code, stderr) = sam.fails(&["sync"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("enrol or join with a code"), "{stderr}");
}

#[test]
fn a_tablet_joined_before_the_phone_first_synced_catches_up_once_the_phone_syncs() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let server = ServerProcess::start(&dir.path().join("server"));
    // Alex enrols on their phone and writes down a value, but does not sync yet.
    let phone = practitioner(&dir, &server, "phone");
    let tablet = Person::new(&dir, "tablet");
    phone.ok(&[
        "value",
        "add",
        "Evenings that are mine",
        "--area",
        "family",
        "--importance",
        "9",
    ]);
    let invitation = phone.json(&["invite", "device"]);

    // The tablet joins at once: the server has nothing of the journey yet.
    let joined = tablet.json(&["join", "--server", &server.url, text(&invitation["code"])]);
    assert_eq!(joined["sync"]["documents"], 0, "{joined}");
    assert_eq!(joined["sync"]["unavailable"], 2, "{joined}");
    // Until the phone syncs, the tablet says so and keeps asking.
    let waiting = "your journey has not reached this device yet";
    let shown = tablet.ok(&["sync"]);
    assert!(shown.contains("2 unavailable"), "{shown}");
    assert!(shown.to_lowercase().contains(waiting), "{shown}");
    let (code, stderr) = tablet.fails(&["value", "list"]);
    assert_eq!(code, 1);
    assert!(stderr.contains(waiting), "{stderr}");
    assert!(stderr.contains("run `tandem sync` here"), "{stderr}");
    assert!(tablet.ok(&["status"]).contains("Last synced:"));

    // The phone syncs; from then on the tablet has Alex's journey.
    phone.ok(&["sync"]);
    let report = tablet.json(&["sync"]);
    assert_eq!(report["documents"], 2, "{report}");
    assert_eq!(report["unavailable"], 0, "{report}");
    assert_eq!(
        tablet.json(&["value", "list"])[0]["text"],
        "Evenings that are mine"
    );

    // And it works on it like the phone: a value added on the tablet reaches the phone.
    tablet.ok(&[
        "value",
        "add",
        "Time outdoors",
        "--area",
        "health",
        "--importance",
        "7",
    ]);
    tablet.ok(&["sync"]);
    phone.ok(&["sync"]);
    let values = phone.json(&["value", "list"]);
    assert_eq!(values.as_array().map(Vec::len), Some(2), "{values}");
    assert_eq!(
        phone.json(&["show"])["journey"],
        tablet.json(&["show"])["journey"]
    );
}

/// A `tandem sync --live` running on the tablet, stopped (Ctrl-C) when dropped.
struct Live {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
}

impl Live {
    fn start(person: &Person) -> Live {
        use std::io::BufRead;
        let mut child = person
            .command(&["sync", "--live"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("tandem sync --live starts");
        let (tx, lines) = std::sync::mpsc::channel();
        for out in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in std::io::BufReader::new(out).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
        }
        Live { child, lines }
    }

    /// Waits (at most a minute) for a line containing `text`; panics with what it printed.
    fn wait_for(&self, text: &str) -> String {
        let mut seen = Vec::new();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) if line.contains(text) => return line,
                Ok(line) => seen.push(line),
                Err(_) => break,
            }
        }
        panic!("no line with {text:?}; printed:\n{}", seen.join("\n"));
    }

    /// Ctrl-C, then its exit status.
    fn interrupt(&mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let sent = std::process::Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .expect("kill runs");
        assert!(sent.success());
        self.child.wait().expect("tandem sync --live exits")
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn sync_live_prints_each_change_from_another_device_as_it_arrives_and_stops_on_ctrl_c() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let server = ServerProcess::start(&dir.path().join("server"));
    let phone = Person::new(&dir, "phone");
    let tablet = Person::new(&dir, "tablet");
    phone.ok(&[
        "enrol",
        "--server",
        &server.url,
        &server.enrol_code("practitioner"),
    ]);
    let invitation = phone.json(&["invite", "device"]);
    phone.ok(&["sync"]);
    tablet.ok(&["join", "--server", &server.url, text(&invitation["code"])]);

    let mut live = Live::start(&tablet);
    live.wait_for("live:");
    // The phone adds a value and syncs once; the tablet prints it arriving, asking nothing.
    phone.ok(&[
        "value",
        "add",
        "Evenings that are mine",
        "--area",
        "family",
        "--importance",
        "9",
    ]);
    phone.ok(&["sync"]);
    let line = live.wait_for("changed");
    assert!(line.contains("your journey changed"), "{line}");
    let status = live.interrupt();
    assert!(status.success(), "{status}");
    assert!(live.wait_for("Stopped").contains("Stopped."));
    // What arrived is in the tablet's store.
    assert_eq!(
        tablet.json(&["value", "list"])[0]["text"],
        "Evenings that are mine"
    );
}

#[test]
fn enrolling_over_tls_needs_the_services_certificate_given_with_trust_cert() {
    use tandem_tests::certificates::{authority, server_tls};
    let dir = tempfile::tempdir().expect("a temporary folder");
    let (ca_pem, ca) = authority("Tandem CLI test CA");
    let args = server_tls(dir.path(), &ca);
    let args: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_os_str()).collect();
    let server = ServerProcess::start_with(&dir.path().join("server"), 0, &args);
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, ca_pem).expect("the authority is written");

    let untrusting = Person::new(&dir, "untrusting");
    let (code, stderr) = untrusting.fails(&[
        "enrol",
        "--server",
        &server.url,
        &server.enrol_code("practitioner"),
    ]);
    assert_eq!(code, 1);
    assert!(stderr.contains("does not trust"), "{stderr}");

    let alex = Person::new(&dir, "alex");
    let ca = ca_file.to_str().expect("a UTF-8 path");
    let enrolled = alex.json(&[
        "--trust-cert",
        ca,
        "enrol",
        "--server",
        &server.url,
        &server.enrol_code("practitioner"),
    ]);
    assert_eq!(enrolled["role"], "practitioner");
    let report = alex.json(&["--trust-cert", ca, "sync"]);
    assert!(report["documents"].as_u64() >= Some(2), "{report}");

    let (code, stderr) = alex.fails(&["--trust-cert", "no-such.pem", "sync"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--trust-cert"), "{stderr}");
}

#[test]
fn a_lost_tablet_removed_from_the_phone_is_refused_and_erased() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let server = ServerProcess::start(&dir.path().join("server"));
    let phone = practitioner(&dir, &server, "phone");
    let tablet = Person::new(&dir, "tablet");
    phone.ok(&["sync"]);
    let invitation = phone.json(&["invite", "device"]);
    tablet.ok(&["join", "--server", &server.url, text(&invitation["code"])]);
    phone.ok(&["devices", "name", "Alex's phone"]);
    tablet.ok(&["devices", "name", "Alex's tablet"]);

    let listed = phone.json(&["devices", "list"]);
    let listed = listed.as_array().expect("a list");
    assert_eq!(listed.len(), 2);
    let lost = listed
        .iter()
        .find(|d| d["this_device"] == false)
        .expect("the tablet");
    assert_eq!(lost["name"], "Alex's tablet");
    let shown = phone.ok(&["devices", "list"]);
    assert!(shown.contains("Alex's phone (this device)"), "{shown}");

    let said = phone.ok(&["devices", "remove", text(&lost["device_id"])]);
    assert!(said.contains("Removed"), "{said}");
    let (code, stderr) = tablet.fails(&["sync"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("removed from its account"), "{stderr}");
    assert!(stderr.contains("tandem erase-local --yes"), "{stderr}");

    let (code, stderr) = tablet.fails(&["erase-local"]);
    assert_eq!(code, 2, "asks for --yes first: {stderr}");
    let said = tablet.ok(&["erase-local", "--yes"]);
    assert!(said.starts_with("Erased"), "{said}");
    let (code, _) = tablet.fails(&["erase-local", "--yes"]);
    assert_eq!(code, 1, "nothing left to erase");
}

#[test]
fn a_client_whose_practitioner_left_sees_the_offer_and_answers_it_in_words() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let server = ServerProcess::start(&dir.path().join("server"));
    let alex = practitioner(&dir, &server, "alex");
    let jo = practitioner(&dir, &server, "jo");
    let sam = Person::new(&dir, "sam");
    let code = text(&alex.json(&["invite", "client"])["code"]).to_string();
    sam.ok(&["join", "--server", &server.url, &code]);
    let none = sam.ok(&["handovers"]);
    assert!(none.contains("No practitioner is offered"), "{none}");

    let alex_id = text(&alex.json(&["whoami"])["person_id"]).to_string();
    let jo_id = text(&jo.json(&["whoami"])["person_id"]).to_string();
    let deactivated = std::process::Command::new(tandem_tests::server_process::server_binary())
        .args(tandem_tests::server_process::database_args(
            &server.data_dir,
        ))
        .args(["deactivate", "--person", &alex_id, "--hand-over-to", &jo_id])
        .arg("--name")
        .arg("Jo Rivers")
        .arg("--data-dir")
        .arg(&server.data_dir)
        .output()
        .expect("tandem-server runs");
    assert!(deactivated.status.success(), "{deactivated:?}");

    let offered = sam.ok(&["handovers"]);
    assert!(
        offered.contains("Your practitioner left the service")
            && offered.contains(&format!("Jo Rivers (person {jo_id})"))
            && offered.contains("Nothing of yours reaches them unless you agree"),
        "{offered}"
    );
    let listed = sam.json(&["handovers"]);
    assert_eq!(listed[0]["from_person_id"], alex_id.as_str());

    // One of the two answers is needed.
    let (status, said) = sam.fails(&["handover", &jo_id]);
    assert_eq!(status, 2, "{said}");
    let agreed = sam.json(&["handover", "--agree", &jo_id]);
    assert_eq!(agreed["agreed"], true);
    assert_eq!(agreed["consent"]["journey_shared_with"], jo_id.as_str());
    let (_, again) = sam.fails(&["handover", "--decline", &jo_id]);
    assert!(again.contains("no such offer"), "{again}");
}
