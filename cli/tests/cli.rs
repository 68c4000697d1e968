//! The real `tandem` binary, run the way a person would run it, against a store in a temporary
//! folder. The clock is pinned (`TANDEM_NOW`) to Wednesday 4 March 2026, 19:00 in London.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const NOW: &str = "2026-03-04T19:00:00Z";

/// A person's store, and the binary pointed at it.
struct Tandem {
    dir: tempfile::TempDir,
}

impl Tandem {
    fn new() -> Tandem {
        let tandem = Tandem {
            dir: tempfile::tempdir().expect("a temporary folder"),
        };
        tandem.ok(&["init", "--tz", "Europe/London"]);
        tandem
    }

    fn store(&self) -> PathBuf {
        self.dir.path().join("journey")
    }

    fn run(&self, args: &[&str]) -> Output {
        run_with_store(&self.store(), args)
    }

    /// Runs `args`, expecting success; returns stdout.
    fn ok(&self, args: &[&str]) -> String {
        expect_success(self.run(args), args)
    }

    /// Runs `args` with `--json`; returns the parsed answer.
    fn json(&self, args: &[&str]) -> Value {
        let mut with_json = vec!["--json"];
        with_json.extend_from_slice(args);
        let out = self.ok(&with_json);
        serde_json::from_str(&out)
            .unwrap_or_else(|e| panic!("{args:?} printed bad JSON ({e}):\n{out}"))
    }

    /// Runs `args`, expecting failure; returns the exit code and stderr.
    fn fails(&self, args: &[&str]) -> (i32, String) {
        let out = self.run(args);
        assert!(!out.status.success(), "{args:?} should have failed");
        (
            out.status.code().expect("an exit code, not a signal"),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
}

fn run_with_store(store: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tandem"))
        .arg("--store")
        .arg(store)
        .args(args)
        .env("TANDEM_NOW", NOW)
        .env_remove("TANDEM_HOME")
        .env_remove("XDG_DATA_HOME")
        .output()
        .expect("the tandem binary runs")
}

fn expect_success(out: Output, args: &[&str]) -> String {
    assert!(
        out.status.success(),
        "{args:?} failed ({:?}):\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn id(record: &Value) -> String {
    record["id"].as_str().expect("an id").to_string()
}

#[test]
fn client_plans_walks_toward_a_goal_checks_in_and_sees_how_it_went() {
    let sam = Tandem::new();
    let kids = sam.json(&[
        "value",
        "add",
        "Being there for my kids",
        "--area",
        "family",
        "--importance",
        "9",
    ]);
    assert_eq!(kids["importance"], 9);
    let kids = id(&kids);
    let goal = sam.json(&[
        "goal",
        "add",
        "Walk regularly to lift my mood",
        "--importance",
        "8",
        "--confidence",
        "6",
        "--value",
        &kids,
        "--level=-2:No walks at all",
        "--level=0:Three walks a week",
    ]);
    assert_eq!(goal["value_ids"], serde_json::json!([kids]));
    let goal = id(&goal);
    let walk = sam.json(&[
        "plan",
        "add",
        "Walk in the park",
        "--days",
        "mon,wed,fri",
        "--at",
        "08:00",
        "--minutes",
        "20",
        "--goal",
        &goal,
        "--agreed-by",
        "myself,supporter",
        "--reminder",
        "--start",
        "2026-03-02",
    ]);
    let walk = id(&walk);

    // Monday's walk went well; this morning's only half, too tired.
    sam.ok(&["check-in", &walk, "done", "--date", "2026-03-02"]);
    let partly = sam.json(&[
        "check-in",
        &walk,
        "partly",
        "--reason",
        "too_tired",
        "--note",
        "Turned back at the gate",
    ]);
    assert_eq!(partly["date"], "2026-03-04");
    assert_eq!(partly["time"], "08:00:00");

    let shown = sam.ok(&["show"]);
    for expected in [
        "Being there for my kids",
        "Walk regularly to lift my mood",
        "Walk in the park — Mon, Wed, Fri at 08:00",
        "Walk in the park: partly (too tired) — Turned back at the gate",
    ] {
        assert!(
            shown.contains(expected),
            "show lacks {expected:?}:\n{shown}"
        );
    }
    let shown = sam.json(&["show"]);
    assert_eq!(shown["journey"]["time_zone"], "Europe/London");
    assert_eq!(shown["check_ins"].as_array().map(Vec::len), Some(2));

    let today = sam.json(&["today"]);
    assert_eq!(today.as_array().map(Vec::len), Some(1));
    assert_eq!(today[0]["what"], "Walk in the park");
    assert_eq!(today[0]["status"], "partly");
    assert!(sam.ok(&["today"]).contains("partly (too tired)"));

    // Two walks planned so far, one done and one partly: (1 + ½) / 2.
    let insights = sam.json(&["insights"]);
    let plan = &insights["per_plan"][0];
    assert_eq!(plan["what"], "Walk in the park");
    assert_eq!(plan["planned"], 2);
    assert_eq!(plan["done"], 1);
    assert_eq!(plan["partly"], 1);
    assert_eq!(plan["not_done"], 0);
    assert_eq!(plan["rate"], 0.75);
    assert_eq!(plan["current_streak"], 2);
    assert_eq!(insights["per_goal"][0]["goal_id"], goal.as_str());
    assert_eq!(insights["per_goal"][0]["planned"], 2);
    assert_eq!(insights["reasons"][0]["reason"], "too_tired");
    assert_eq!(insights["reasons"][0]["count"], 1);
    assert!(sam.ok(&["insights"]).contains("75%"));

    // The next walk to be reminded of is Friday's, 08:00 London (GMT in March).
    let reminders = sam.json(&["reminders", "--days", "3"]);
    assert_eq!(reminders[0]["at"], "2026-03-06T08:00:00Z");
}

#[test]
fn a_rating_outside_zero_to_ten_is_refused_and_names_the_field() {
    let sam = Tandem::new();
    let (code, stderr) = sam.fails(&[
        "value",
        "add",
        "Being there for my kids",
        "--area",
        "family",
        "--importance",
        "12",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("importance"), "{stderr}");
    assert!(stderr.contains("12 is outside 0–10"), "{stderr}");
    assert_eq!(sam.json(&["value", "list"]), serde_json::json!([]));
}

#[test]
fn typos_get_a_clear_message_and_nothing_panics() {
    let sam = Tandem::new();
    let (code, stderr) = sam.fails(&[
        "value",
        "add",
        "Kids",
        "--area",
        "famly",
        "--importance",
        "9",
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("family, work"),
        "lists the life areas: {stderr}"
    );

    let (code, stderr) = sam.fails(&[
        "goal",
        "add",
        "Walk",
        "--importance",
        "5",
        "--confidence",
        "5",
        "--target",
        "2026-02-30",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("YYYY-MM-DD"), "{stderr}");

    let (code, stderr) = sam.fails(&["plan", "add", "Walk", "--days", "mon", "--at", "8am"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("HH:MM"), "{stderr}");

    let (code, stderr) = sam.fails(&["check-in", "nosuchplan", "dun"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("done, partly, not_done"), "{stderr}");

    let (code, stderr) = sam.fails(&["check-in", "nosuchplan", "done"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("nosuchplan not found"), "{stderr}");

    let (code, stderr) = sam.fails(&[
        "review",
        "--motivation",
        "5",
        "--confidence",
        "5",
        "--progress",
        "5",
        "--attainment",
        "3",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("attainment"), "{stderr}");
}

#[test]
fn demo_plays_two_weeks_then_syncs_three_people_through_a_server() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = Command::new(env!("CARGO_BIN_EXE_tandem"))
        .arg("demo")
        .arg("--store-dir")
        .arg(dir.path())
        .env("TANDEM_NOW", NOW)
        .output()
        .expect("the tandem binary runs");
    let text = expect_success(out, &["demo"]);
    for expected in [
        "What Sam sees",
        "What Alex sees",
        "Walk around the park",
        "Evening check on mood",
        "Lunch break away from the desk",
        "low mood",
        "no time",
        "Side by side",
        // Together, through the in-process server.
        "Together, through a sync server",
        "Everyone syncs",
        "Back online: Alex syncs, then Sam, then Alex again.",
        "The same on both devices, with both changes: Alex's 09:00 and Sam's new barrier.",
        "Evening check on mood: done — Calmer tonight; the walk helped",
        // The coach.
        "Priya is linked with: Alex (practitioner, shares their journey with her, to read). Nobody else.",
        "Priya tries to open Sam's journey: she cannot",
        "The server refuses: not permitted",
        "The server stops.",
    ] {
        assert!(
            text.contains(expected),
            "the demo lacks {expected:?}:\n{text}"
        );
    }
    assert_eq!(text.matches("Insights, ").count(), 2, "{text}");

    // What each person saw of the walk after the offline edits: the same plan, with Alex's
    // 09:00 and Sam's new barrier.
    let seen_of_walk = |heading: &str| -> String {
        let from = text.find(heading).expect(heading);
        text[from..]
            .lines()
            .skip(1)
            .take_while(|line| !line.is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let by_sam = seen_of_walk("What Sam sees of the walk:");
    let by_alex = seen_of_walk("What Alex sees of it, in Sam's journey:");
    assert_eq!(by_sam, by_alex);
    assert!(by_sam.contains("Mon, Wed, Fri at 09:00"), "{by_sam}");
    assert!(
        by_sam.contains("barriers: Low mood in the morning; rain; the school run"),
        "{by_sam}"
    );

    // The stores stay, and hold what the demo showed.
    let store = |file: &str| dir.path().join(file);
    let json = |file: &str, args: &[&str]| -> Value {
        let mut with_json = vec!["--json"];
        with_json.extend_from_slice(args);
        let out = expect_success(run_with_store(&store(file), &with_json), args);
        serde_json::from_str(&out).expect("JSON")
    };
    // Sam's evening checks: 14 days, the last checked in during the demo.
    let insights = json("client.db", &["insights"]);
    let checks = insights["per_plan"]
        .as_array()
        .and_then(|plans| plans.iter().find(|p| p["what"] == "Evening check on mood"))
        .expect("Sam's evening plan");
    assert_eq!(
        (
            &checks["planned"],
            &checks["done"],
            &checks["partly"],
            &checks["not_done"]
        ),
        (&14.into(), &10.into(), &1.into(), &2.into())
    );
    let insights = json("practitioner.db", &["insights"]);
    assert_eq!(insights["reasons"][0]["reason"], "no_time");

    // Alex's device holds Sam's journey as Sam's does, and reads it offline.
    let sam = json("client.db", &["whoami"]);
    let on_sam = json("client.db", &["show"]);
    let on_alex = json(
        "practitioner.db",
        &["show", "--person", sam["person_id"].as_str().unwrap()],
    );
    assert_eq!(on_alex["journey"], on_sam["journey"]);
    assert_eq!(on_alex["check_ins"], on_sam["check_ins"]);
    assert_eq!(on_alex["access"], "write");

    // The coach is linked with Alex only, and has nothing of Sam's.
    let alex = json("practitioner.db", &["whoami"]);
    let coach = json("coach.db", &["status"]);
    let links = coach["links"].as_array().expect("links");
    assert_eq!(links.len(), 1, "{coach}");
    assert_eq!(links[0]["person_id"], alex["person_id"]);
    let out = run_with_store(
        &store("coach.db"),
        &["show", "--journey", sam["journey_id"].as_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not on this device"), "{stderr}");
}
