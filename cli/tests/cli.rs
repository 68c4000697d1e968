//! The real `tandem` binary, run the way a person would run it, against a store in a temporary
//! folder. The clock is pinned (`TANDEM_NOW`) to Wednesday 4 March 2026, 19:00 in London.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use support::store_files_hold;

mod support;

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

    /// Runs `args`, expecting refusal with exit `code` and a message saying each of `says`.
    fn refuses(&self, args: &[&str], code: i32, says: &[&str]) {
        let (got, stderr) = self.fails(args);
        assert_eq!(got, code, "{args:?}: {stderr}");
        for words in says {
            assert!(
                stderr.contains(words),
                "{args:?} should say {words:?}: {stderr}"
            );
        }
    }
}

fn run_with_store(store: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tandem"))
        .arg("--store")
        .arg(store)
        .args(args)
        .env("TANDEM_NOW", NOW)
        .env("TANDEM_KEYRING", "off")
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

#[cfg(feature = "demo")]
#[test]
fn demo_plays_two_weeks_then_syncs_everyone_through_a_server() {
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
        "Live: both phones stay online",
        "later, in Sam's journey: nobody pressed sync.",
        // The parallel process.
        "Robin and Jamie join Alex the same way",
        "Robin  Mon 2 Mar 2026 goals 5, tasks 4, bond 6 (mean 5) · something felt off",
        "Priya sets their coaching to transformational coaching (Alex's own journey), from Mon 16 Feb 2026.",
        "Alex answers one about Priya, after their session the same day: Mon 2 Mar 2026 goals 7, tasks 5, bond 6 (mean 6) · something felt off",
        "WHO-5 32% (2,2,1,1,2) · stress 8/10 · burnout 7/10",
        "The server refuses: only a document's owner shares it",
        // The coach.
        "Priya is linked with: Alex (practitioner, shares their journey with her, to read). Nobody else.",
        "Priya tries to open Sam's, Robin's and Jamie's journeys: she cannot open any of them",
        "The server stops.",
    ] {
        assert!(
            text.contains(expected),
            "the demo lacks {expected:?}:\n{text}"
        );
    }
    assert_eq!(text.matches("Insights, ").count(), 2, "{text}");
    assert!(
        text.contains(
            "  Robin 14 planned: 8 done, 2 partly, 4 not done · most given reason: no time ×3"
        ),
        "{text}"
    );

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

/// The lines of `text` from the one starting with `heading` up to (not including) the first
/// line starting with `until`.
#[cfg(feature = "demo")]
fn section<'a>(text: &'a str, heading: &str, until: &str) -> &'a str {
    let from = text
        .find(heading)
        .unwrap_or_else(|| panic!("no {heading:?} in:\n{text}"));
    let rest = &text[from..];
    let to = rest[heading.len()..]
        .find(until)
        .map_or(rest.len(), |i| i + heading.len());
    &rest[..to]
}

#[cfg(feature = "demo")]
#[test]
fn the_demo_ends_with_the_parallel_view_and_what_the_coach_was_shown() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = Command::new(env!("CARGO_BIN_EXE_tandem"))
        .arg("demo")
        .arg("--store-dir")
        .arg(dir.path())
        .env("TANDEM_NOW", NOW)
        .output()
        .expect("the tandem binary runs");
    let text = expect_success(out, &["demo"]);

    // Alex's parallel view: two weeks up to Wednesday 4 March, in three ISO weeks. The first
    // week has only Sam and Robin (Jamie began a week ago): not enough data for a client figure.
    let view = section(
        &text,
        "══ What Alex sees: the parallel view",
        "Alex shares a summary",
    );
    for expected in [
        "Parallel view, Thu 19 Feb 2026 – Wed 4 Mar 2026",
        "you have 3 — a number for your eyes only",
        "Week of Mon 16 Feb 2026 (from Thu 19 Feb 2026)\n  you            67%  ███████░░░  3 planned: 2 done, 0 partly, 1 not done · no time ×1\n  your clients  not enough data (fewer than 3 clients had plans)",
        "Week of Mon 23 Feb 2026\n  you            57%  ██████░░░░  7 planned: 3 done, 2 partly, 2 not done",
        "  your clients   60%  ██████░░░░  21 planned: 11 done, 3 partly, 6 not done · over 3 clients · no time ×4",
        "Week of Mon 2 Mar 2026\n  you            75%  ████████░░  4 planned: 3 done, 0 partly, 1 not done",
        "  your clients   82%  ████████░░  11 planned: 8 done, 2 partly, 1 not done · over 3 clients",
        "  ruptures      with clients: 1 among the 3 clients who answered · with your coach: 1\n  wellbeing     WHO-5 48% · stress 7/10 · burnout 6/10",
        "The whole range\n  you            64%  ██████░░░░  14 planned: 8 done, 2 partly, 4 not done · no time ×3",
        "  your clients   70%  ███████░░░  41 planned: 26 done, 5 partly, 9 not done · over 3 clients · no time ×6",
        "To reflect on:",
        "In the week of 2026-03-02 something felt strained with your coach, and in your client work too.",
        "\"no time\" is the reason you give most often when your own plans do not happen, and the one your clients give most often too.",
        "WHO-5 Well-Being Index. © Psychiatric Research Unit",
    ] {
        assert!(view.contains(expected), "the parallel view lacks {expected:?}:\n{view}");
    }

    // Priya's overview: one group (transformational), Alex's shared summary with the same
    // figures, the reflection's copy without its links, and no client's name or code.
    let overview = section(
        &text,
        "══ What Priya sees: her coaching overview",
        "Priya is linked",
    );
    for expected in [
        "Transformational coaching\n─────────────────────────\nAlex\n",
        "Condition: transformational from Mon 16 Feb 2026, set by Priya",
        "Alex's own journey: shared with the coach, to read",
        "Priya: “Let's start with what ‘earning a break’ means to you.”",
        "pattern:       When I am stretched I push plans instead of listening.",
        "Mon 2 Mar 2026 goals 7, tasks 5, bond 6 (mean 6) · something felt off",
        "Thu 19 Feb 2026 – Wed 4 Mar 2026, shared Wed 4 Mar 2026 19:30 (transformational coaching)",
        "Mon 16 Feb 2026   67% of 3    too few       too few · 0                 WHO-5 56%",
        "Mon 23 Feb 2026   57% of 7    60% over 3    too few · 0                 WHO-5 32%",
        // This week is still going: its client figures wait for its end (a coach comparing a
        // mid-week figure with the final one could learn about one client by subtraction).
        "Mon 2 Mar 2026    75% of 4    week open     week open · 1               WHO-5 48%",
        "week open: client figures are shared once the week is over",
        "note: “Lunch goes on exactly the days my clients' plans go. Can we look at this next time?”",
    ] {
        assert!(overview.contains(expected), "the overview lacks {expected:?}:\n{overview}");
    }
    for never in [
        "Robin",
        "Jamie",
        "Sam",
        "C-",
        "Cook a simple dinner",
        "Walk around",
    ] {
        assert!(
            !overview.contains(never),
            "the coach was shown {never:?}:\n{overview}"
        );
    }
    // The parallel view comes before the overview, and the demo ends with the coach unable to
    // open any client's journey.
    let ending = &text[text.find("══ What Alex sees: the parallel view").unwrap()..];
    assert!(ending.find("══ What Priya sees").is_some(), "{ending}");
    let last: Vec<&str> = ending
        .lines()
        .rev()
        .skip_while(|l| !l.starts_with("The server stops."))
        .take(3)
        .collect();
    assert_eq!(
        last,
        [
            "The server stops.",
            "They never reached her device: a client's data goes no further than their own practitioner.",
            "Priya tries to open Sam's, Robin's and Jamie's journeys: she cannot open any of them (not found).",
        ],
        "{ending}"
    );

    // The stores hold what the demo showed.
    let store = |file: &str| dir.path().join(file);
    let json = |file: &str, args: &[&str]| -> Value {
        let mut with_json = vec!["--json"];
        with_json.extend_from_slice(args);
        let out = expect_success(run_with_store(&store(file), &with_json), args);
        serde_json::from_str(&out).expect("JSON")
    };
    let view = json(
        "practitioner.db",
        &["parallel", "--from", "2026-02-19", "--to", "2026-03-04"],
    );
    assert_eq!(view["caseload"], 3);
    assert_eq!(view["clients"]["clients"], 3);
    assert_eq!(view["clients"]["completion"]["planned"], 41);
    assert_eq!(view["own"]["planned"], 14);
    assert_eq!(view["weeks"][0]["clients"], Value::Null);
    assert_eq!(view["weeks"][2]["client_ruptures"]["ruptures"], 1);
    assert_eq!(view["weeks"][2]["coaching_ruptures"], 1);
    let kinds: Vec<&str> = view["prompts"]
        .as_array()
        .expect("prompts")
        .iter()
        .filter_map(|p| p["kind"].as_str())
        .collect();
    assert!(
        kinds.contains(&"same_reason") && kinds.contains(&"ruptures_in_both"),
        "{kinds:?}"
    );

    let overview = json("coach.db", &["coaching", "overview"]);
    let groups = overview["groups"].as_array().expect("groups");
    assert_eq!(groups.len(), 1, "{overview}");
    assert_eq!(groups[0]["condition"], "transformational");
    let alex = &groups[0]["practitioners"][0];
    assert_eq!(alex["summaries"].as_array().map(Vec::len), Some(1));
    assert_eq!(alex["reflections"].as_array().map(Vec::len), Some(1));
    assert_eq!(alex["journey_shared"], true);
    // Nothing that names a client reaches the coach's device: no person id, no journey id.
    let written = overview.to_string();
    for file in ["client.db", "client-robin.db", "client-jamie.db"] {
        let client = json(file, &["whoami"]);
        for id in ["person_id", "journey_id"] {
            let id = client[id].as_str().expect("an id");
            assert!(!written.contains(id), "the overview holds {file}'s {id}");
        }
        let journey = client["journey_id"].as_str().expect("a journey id");
        let out = run_with_store(&store("coach.db"), &["show", "--journey", journey]);
        assert_eq!(out.status.code(), Some(1), "{file}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("not on this device"), "{stderr}");
    }
}

#[test]
fn coaching_commands_refuse_bad_input_clearly() {
    let alex = Tandem::new();
    // WHO-5 takes five answers, 0–5 each; the command says which.
    alex.refuses(
        &["wellbeing", "add", "--who5", "3,4,2"],
        2,
        &["five WHO-5 answers"],
    );
    alex.refuses(
        &["wellbeing", "add", "--who5", "3,4,2,3,9"],
        2,
        &["who5[4]", "9 is outside 0–5"],
    );
    alex.refuses(&["wellbeing", "add"], 2, &["--who5, --stress or --burnout"]);
    alex.refuses(
        &["wellbeing", "add", "--stress", "11"],
        2,
        &["stress", "0–10"],
    );
    assert_eq!(
        alex.json(&["wellbeing", "list"])["entries"],
        serde_json::json!([])
    );

    // Recorded, WHO-5 comes with its score and its credit.
    let entry = alex.json(&["wellbeing", "add", "--who5", "3,4,2,3,4", "--stress", "6"]);
    assert_eq!(entry["who5_percent"], 64);
    assert!(entry["who5_credit"]
        .as_str()
        .unwrap()
        .starts_with("WHO-5 Well-Being Index"));
    let shown = alex.ok(&["wellbeing", "list"]);
    assert!(
        shown.contains("WHO-5 64% (3,4,2,3,4) · stress 6/10"),
        "{shown}"
    );
    assert!(shown.contains("Psychiatric Research Unit"), "{shown}");
    let questions = alex.ok(&["wellbeing", "questions"]);
    assert!(
        questions.contains("I have felt cheerful and in good spirits."),
        "{questions}"
    );
    assert!(
        questions.contains("Used free of charge, unchanged."),
        "{questions}"
    );

    // Alliance items are 0–10; the words and the range are named.
    alex.refuses(
        &[
            "alliance", "add", "--goals", "11", "--tasks", "5", "--bond", "5",
        ],
        2,
        &["11"],
    );
    alex.refuses(
        &["coaching", "condition", "sometimes"],
        2,
        &["skills_acquisition, transformational"],
    );
    alex.refuses(
        &[
            "reflect",
            "add",
            "It happened",
            "--reaction",
            "x",
            "--direction",
            "sideways",
        ],
        2,
        &["client_to_coaching, coaching_to_client"],
    );
    alex.refuses(
        &[
            "reflect",
            "add",
            "It happened",
            "--reaction",
            "x",
            "--plan",
            "nosuchplan",
        ],
        2,
        &["nosuchplan is not one of your action plans"],
    );
    assert_eq!(alex.json(&["reflect", "list"]), serde_json::json!([]));

    // Not linked with a coach: a clear word, exit 1.
    alex.refuses(&["coaching", "show"], 1, &["no coaching relationship yet"]);
    alex.refuses(
        &[
            "alliance", "add", "--goals", "7", "--tasks", "7", "--bond", "7",
        ],
        1,
        &["nobody for you to answer about"],
    );
    alex.refuses(&["wellbeing", "share", "someentry"], 2, &["--who5"]);

    // Ranges and formats.
    alex.refuses(
        &["parallel", "--from", "2026-03-10", "--to", "2026-03-01"],
        2,
        &["before"],
    );
    alex.refuses(
        &[
            "export",
            "research",
            "--from",
            "2026-03-10",
            "--to",
            "2026-03-01",
        ],
        2,
        &["before"],
    );
    alex.refuses(
        &[
            "--json",
            "export",
            "research",
            "--from",
            "2026-03-01",
            "--to",
            "2026-03-31",
            "--format",
            "csv",
        ],
        2,
        &["--out FILE"],
    );
    alex.refuses(
        &[
            "export",
            "research",
            "--from",
            "2026-03-01",
            "--to",
            "2026-03-31",
            "--format",
            "xml",
        ],
        2,
        &["csv", "json"],
    );
    let (code, _) = alex.fails(&["export", "research", "--to", "2026-03-31"]);
    assert_eq!(code, 2);

    // Alone, the parallel view has nobody to compare with: no client figure at all.
    let view = alex.json(&["parallel"]);
    assert_eq!(view["caseload"], 0);
    assert_eq!(view["clients"], Value::Null);
    assert!(alex.ok(&["parallel"]).contains("not enough data"));
}

#[cfg(not(feature = "demo"))]
#[test]
fn without_the_demo_feature_the_demo_says_how_to_run_it() {
    let out = Command::new(env!("CARGO_BIN_EXE_tandem"))
        .arg("demo")
        .output()
        .expect("the tandem binary runs");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cargo run -p tandem-cli --features demo -- demo"),
        "{stderr}"
    );
}

/// `tandem` with the passphrase variables set as given (`None`: unset).
fn run_keyed(store: &Path, passphrase: Option<&str>, new: Option<&str>, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tandem"));
    command
        .arg("--store")
        .arg(store)
        .args(args)
        .env("TANDEM_NOW", NOW)
        .env("TANDEM_KEYRING", "off")
        .env_remove("TANDEM_PASSPHRASE")
        .env_remove("TANDEM_NEW_PASSPHRASE")
        // No terminal: the passphrase comes from the variables or the command says so.
        .stdin(std::process::Stdio::null());
    if let Some(words) = passphrase {
        command.env("TANDEM_PASSPHRASE", words);
    }
    if let Some(words) = new {
        command.env("TANDEM_NEW_PASSPHRASE", words);
    }
    command.output().expect("the tandem binary runs")
}

/// A new store holding the value `word`.
fn with_value(word: &str) -> Tandem {
    let tandem = Tandem::new();
    tandem.ok(&[
        "value",
        "add",
        word,
        "--area",
        "health",
        "--importance",
        "7",
    ]);
    tandem
}

#[test]
fn a_store_encrypted_with_a_passphrase_opens_only_with_it_and_the_passphrase_can_change() {
    let word = "Pelican-crossing-at-dawn";
    let tandem = with_value(word);
    let store = tandem.store();
    assert!(store_files_hold(&store, word), "a plain store shows it");
    assert!(tandem.ok(&["key", "status"]).contains("is not encrypted"));

    let said = expect_success(
        run_keyed(&store, None, Some("tea at four"), &["key", "set"]),
        &["key", "set"],
    );
    assert!(said.contains("is encrypted"), "{said}");
    assert!(!store_files_hold(&store, word), "nothing readable is left");

    // Without the passphrase, and without a terminal to ask on: said, exit 1.
    let locked = run_keyed(&store, None, None, &["show"]);
    assert_eq!(locked.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&locked.stderr);
    assert!(
        stderr.contains("this store is encrypted: set TANDEM_PASSPHRASE"),
        "{stderr}"
    );
    let wrong = run_keyed(&store, Some("coffee at five"), None, &["show"]);
    assert_eq!(wrong.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&wrong.stderr);
    assert!(
        stderr.contains("this passphrase does not open this store"),
        "{stderr}"
    );
    let shown = expect_success(
        run_keyed(&store, Some("tea at four"), None, &["show"]),
        &["show"],
    );
    assert!(shown.contains(word), "{shown}");

    // A new passphrase; the old one no longer opens it.
    expect_success(
        run_keyed(
            &store,
            Some("tea at four"),
            Some("a walk by the river"),
            &["key", "change"],
        ),
        &["key", "change"],
    );
    assert_eq!(
        run_keyed(&store, Some("tea at four"), None, &["show"])
            .status
            .code(),
        Some(1)
    );
    let status = expect_success(
        run_keyed(
            &store,
            Some("a walk by the river"),
            None,
            &["--json", "key", "status"],
        ),
        &["key", "status"],
    );
    assert!(status.contains("\"encrypted\": true"), "{status}");
    let shown = expect_success(
        run_keyed(&store, Some("a walk by the river"), None, &["show"]),
        &["show"],
    );
    assert!(shown.contains(word));
    assert!(!store_files_hold(&store, word));
    // Setting a key on an encrypted store is refused (exit 2), and changes nothing.
    let again = run_keyed(
        &store,
        Some("a walk by the river"),
        Some("x"),
        &["key", "set"],
    );
    assert_eq!(again.status.code(), Some(2));
}

#[test]
fn tandem_passphrase_encrypts_a_plain_store_on_first_use() {
    let word = "Heron-by-the-canal";
    let tandem = with_value(word);
    let store = tandem.store();
    let out = run_keyed(&store, Some("my own words"), None, &["show"]);
    let shown = expect_success(out.clone(), &["show"]);
    assert!(shown.contains(word));
    assert!(String::from_utf8_lossy(&out.stderr).contains("encrypting this store"));
    assert!(!store_files_hold(&store, word));
    assert_eq!(
        run_keyed(&store, None, None, &["today"]).status.code(),
        Some(1)
    );
}

#[test]
fn export_mine_writes_everything_into_a_folder_with_a_report() {
    let tandem = with_value("Cooking with my daughter");
    let goal = tandem.json(&[
        "goal",
        "add",
        "Eat together twice a week",
        "--importance",
        "8",
        "--confidence",
        "6",
    ]);
    let plan = tandem.json(&[
        "plan",
        "add",
        "Cook dinner together",
        "--days",
        "mon,wed",
        "--at",
        "18:00",
        "--goal",
        &id(&goal),
    ]);
    tandem.ok(&[
        "check-in",
        &id(&plan),
        "not-done",
        "--reason",
        "low_mood",
        "--why",
        "Long day",
        "--date",
        "2026-03-04",
    ]);
    let folder = tandem.dir.path().join("my-export");
    let out = tandem.run(&["export", "mine", "--out", folder.to_str().unwrap()]);
    let said = expect_success(out.clone(), &["export", "mine"]);
    assert!(said.contains("Exported 1 check-ins"), "{said}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("exporting:"),
        "progress on stderr"
    );
    let report = std::fs::read_to_string(folder.join("report.html")).unwrap();
    for seen in [
        "Cooking with my daughter",
        "Eat together twice a week",
        "Cook dinner together",
        "low mood: 1",
    ] {
        assert!(report.contains(seen), "the report shows {seen:?}");
    }
    let check_ins = std::fs::read_to_string(folder.join("check-ins.csv")).unwrap();
    assert!(check_ins.contains("2026-03-04,18:00,"), "{check_ins}");
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(folder.join("tandem-export.json")).unwrap())
            .unwrap();
    assert_eq!(
        json["journey"]["goals"][0]["text"],
        "Eat together twice a week"
    );
    // A folder that cannot be made is said, exit 1.
    let blocked = tandem.dir.path().join("a-file");
    std::fs::write(&blocked, "not a folder").unwrap();
    let (code, stderr) = tandem.fails(&[
        "export",
        "mine",
        "--out",
        blocked.join("x").to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(stderr.contains("cannot export into"), "{stderr}");
}
