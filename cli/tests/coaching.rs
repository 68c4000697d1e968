//! Coaching and the parallel process through the real `tandem` binary, against a real
//! `tandem-server` process on 127.0.0.1: a coach, a practitioner and three clients; the
//! condition, case reviews, alliance check-ins, wellbeing, reflections, the parallel view, shared
//! summaries, the coach's overview, and the research export (no names, ids or free text
//! without opt-in).

use serde_json::Value;
use tandem_tests::server_process::ServerProcess;

mod support;
use support::Person;

fn text(value: &Value) -> String {
    value
        .as_str()
        .unwrap_or_else(|| panic!("{value} is not a string"))
        .to_string()
}

/// A client's two weeks of a daily walk: `beats` from Monday 23 February on.
fn walks(client: &Person, words: &str, beats: &[&str]) {
    let plan = client.json(&[
        "plan",
        "add",
        "Walk round the block",
        "--every",
        "1",
        "--at",
        "08:00",
        "--start",
        "2026-02-23",
    ]);
    let plan = text(&plan["id"]);
    for (n, beat) in beats.iter().enumerate() {
        let date = format!(
            "2026-{}",
            ["02-23", "02-24", "02-25", "02-26", "02-27", "03-02", "03-03"][n]
        );
        let mut args = vec!["check-in", plan.as_str(), beat, "--date", &date];
        if *beat != "done" {
            args.extend(["--reason", "no_time", "--why", words]);
        }
        client.ok(&args);
    }
}

#[test]
fn a_coach_sees_what_a_practitioner_shares_and_the_research_export_holds_no_one() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let server = ServerProcess::start(&dir.path().join("server"));
    let priya = Person::new(&dir, "priya");
    let alex = Person::new(&dir, "alex");
    let priya_id = text(
        &priya.json(&[
            "enrol",
            "--server",
            &server.url,
            &server.enrol_code("coach"),
        ])["person_id"],
    );
    let alex_id = text(
        &alex.json(&[
            "enrol",
            "--server",
            &server.url,
            &server.enrol_code("practitioner"),
        ])["person_id"],
    );

    // Three clients join Alex and keep a daily walk; their own words carry a marker that must
    // never reach the coach or the export.
    let mut clients = Vec::new();
    for (name, beats) in [
        (
            "sam",
            ["done", "not-done", "done", "done", "partly", "done", "done"],
        ),
        (
            "robin",
            [
                "done", "done", "not-done", "done", "done", "not-done", "done",
            ],
        ),
        (
            "jamie",
            ["not-done", "done", "done", "partly", "done", "done", "done"],
        ),
    ] {
        let client = Person::new(&dir, name);
        let code = text(&alex.json(&["invite", "client"])["code"]);
        let joined = client.json(&["join", "--server", &server.url, &code]);
        walks(&client, &format!("SECRET-{name} in my own words"), &beats);
        clients.push((
            name,
            client,
            text(&joined["person_id"]),
            text(&joined["journey_id"]),
        ));
    }
    let code = text(&priya.json(&["invite", "practitioner"])["code"]);
    alex.ok(&["join", "--server", &server.url, &code]);
    for (_, client, _, _) in &clients {
        client.ok(&["sync"]);
    }
    alex.ok(&["sync"]);
    priya.ok(&["sync"]);

    // Alliance check-ins about Alex; Robin's felt off.
    for (name, client, _, _) in &clients {
        let mut args = vec![
            "alliance",
            "add",
            "--goals",
            "8",
            "--tasks",
            "7",
            "--bond",
            "9",
            "--date",
            "2026-03-02",
        ];
        if *name == "robin" {
            args.push("--felt-off");
        }
        let check_in = client.json(&args);
        assert_eq!(check_in["felt_off"], *name == "robin");
        client.ok(&["sync"]);
    }

    // Priya sets the condition; Alex sees it after a sync.
    let shown = priya.ok(&[
        "coaching",
        "condition",
        "skills-acquisition",
        "--from",
        "2026-02-23",
        "--note",
        "Case work first",
    ]);
    assert!(
        shown.contains("is skills acquisition coaching from Mon 23 Feb 2026"),
        "{shown}"
    );
    priya.ok(&["sync"]);
    alex.ok(&["sync"]);
    let coaching = alex.json(&["coaching", "show"]);
    assert_eq!(coaching["condition"], "skills_acquisition");
    assert_eq!(coaching["coach"], priya_id.as_str());
    let coaching_doc = text(&coaching["id"]);

    // A case review names the client by code only; sharing one's journey waits for
    // transformational coaching.
    let (_, _, sam_id, _) = &clients[0];
    let review = alex.json(&[
        "coaching",
        "case-review",
        "--client",
        sam_id,
        "--question",
        "How do I help with mornings after a bad night?",
        "--date",
        "2026-03-03",
    ]);
    let sam_code = text(&review["client_code"]);
    assert!(
        sam_code.starts_with("C-") && sam_code != *sam_id,
        "{review}"
    );
    assert_eq!(
        alex.json(&["coaching", "client-code", sam_id])["client_code"],
        sam_code.as_str()
    );
    let (code, stderr) = alex.fails(&["coaching", "share-journey"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("transformational coaching only"),
        "{stderr}"
    );
    let session = alex.json(&[
        "coaching",
        "session",
        "Lunch keeps slipping on my heaviest days",
        "--date",
        "2026-03-03",
    ]);
    let session = text(&session["id"]);

    // Alex's own week, wellbeing, a check-in about Priya, a reflection.
    let lunch = alex.json(&[
        "plan",
        "add",
        "Lunch break",
        "--days",
        "weekdays",
        "--at",
        "12:30",
        "--start",
        "2026-02-23",
    ]);
    let lunch = text(&lunch["id"]);
    for (date, outcome) in [
        ("2026-02-23", "done"),
        ("2026-02-24", "not-done"),
        ("2026-03-02", "not-done"),
        ("2026-03-03", "done"),
    ] {
        let mut args = vec!["check-in", lunch.as_str(), outcome, "--date", date];
        if outcome != "done" {
            args.extend(["--reason", "no_time"]);
        }
        alex.ok(&args);
    }
    let wellbeing = alex.ok(&[
        "wellbeing",
        "add",
        "--who5",
        "2,3,2,2,3",
        "--stress",
        "7",
        "--date",
        "2026-03-03",
    ]);
    assert!(
        wellbeing.contains("WHO-5 48% (2,3,2,2,3) · stress 7/10"),
        "{wellbeing}"
    );
    assert!(
        wellbeing.contains("© Psychiatric Research Unit"),
        "{wellbeing}"
    );
    let about_priya = alex.json(&[
        "alliance",
        "add",
        "--goals",
        "7",
        "--tasks",
        "5",
        "--bond",
        "6",
        "--felt-off",
        "--date",
        "2026-03-02",
    ]);
    assert_eq!(about_priya["by"], alex_id.as_str());
    let (robin_name, _, robin_id, _) = &clients[1];
    assert_eq!(*robin_name, "robin");
    let reflection = alex.json(&[
        "reflect",
        "add",
        "REFLECTION-TEXT a client's session felt off",
        "--reaction",
        "I pushed too hard",
        "--direction",
        "client-to-coaching",
        "--plan",
        &lunch,
        "--client",
        robin_id,
    ]);
    let robin_code = text(&reflection["client_codes"][0]);
    assert!(robin_code.starts_with("C-"), "{reflection}");
    alex.ok(&["reflect", "share", &text(&reflection["id"])]);

    // Ruptures: Robin's, and Alex's about Priya.
    let ruptures = alex.json(&["alliance", "ruptures"]);
    let ruptures = ruptures.as_array().expect("relationships");
    assert_eq!(ruptures.len(), 4, "{ruptures:?}");
    let with_robin = ruptures
        .iter()
        .find(|r| r["answered_by"] == robin_id.as_str())
        .expect("Robin's relationship");
    assert_eq!(with_robin["ruptures"][0]["flagged"], true);
    let shown = alex.ok(&["alliance", "ruptures"]);
    assert!(
        shown.contains("flagged: something felt off · not repaired yet"),
        "{shown}"
    );

    // The parallel view, over the three clients.
    let view = alex.json(&["parallel", "--from", "2026-02-23", "--to", "2026-03-04"]);
    assert_eq!(view["caseload"], 3);
    assert_eq!(view["clients"]["clients"], 3);
    // Nine days each (today's walk is not counted until it is answered).
    assert_eq!(view["clients"]["completion"]["planned"], 27);
    assert_eq!(view["weeks"][1]["client_ruptures"]["ruptures"], 1);
    assert_eq!(view["weeks"][1]["coaching_ruptures"], 1);
    let shown = alex.ok(&["parallel", "--from", "2026-02-23", "--to", "2026-03-04"]);
    assert!(shown.contains("Week of Mon 23 Feb 2026"), "{shown}");
    assert!(shown.contains("over 3 clients"), "{shown}");
    assert!(shown.contains("To reflect on:"), "{shown}");

    // A summary with a private note.
    let summary = alex.json(&[
        "parallel",
        "share",
        "--from",
        "2026-02-23",
        "--to",
        "2026-03-04",
        "--include-wellbeing",
        "--note",
        "NOTE-PRIVATE for Priya only",
    ]);
    assert_eq!(summary["condition"], "skills_acquisition");
    assert_eq!(summary["note_for_research"], false);
    assert_eq!(summary["weeks"][0]["clients"], 3);
    // This week is still going: its client figures wait for its end.
    assert_eq!(summary["weeks"][1]["week_open"], true);
    assert_eq!(summary["weeks"][1]["clients"], Value::Null);
    alex.ok(&["sync"]);
    priya.ok(&["sync"]);

    // What Priya sees: grouped by condition; the case by code; no client's data anywhere.
    priya.ok(&["coaching", "comment", &session, "Let's look at Tuesdays."]);
    let overview = priya.json(&["coaching", "overview"]);
    assert_eq!(overview["groups"][0]["condition"], "skills_acquisition");
    let theirs = &overview["groups"][0]["practitioners"][0];
    assert_eq!(theirs["practitioner"], alex_id.as_str());
    assert_eq!(theirs["case_reviews"][0]["client_code"], sam_code.as_str());
    assert_eq!(theirs["summaries"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        theirs["reflections"][0]["what_happened"],
        "REFLECTION-TEXT a client's session felt off"
    );
    assert_eq!(
        theirs["sessions"][0]["comments"][0]["text"],
        "Let's look at Tuesdays."
    );
    let written = overview.to_string();
    assert!(
        !written.contains(&robin_code),
        "the shared reflection keeps its client codes"
    );
    for (name, _, person, journey) in &clients {
        assert!(
            !written.contains(person.as_str()) && !written.contains(journey.as_str()),
            "{name}"
        );
        assert!(
            !written.contains("SECRET-"),
            "a client's words reached the coach"
        );
        let (code, stderr) = priya.fails(&["show", "--journey", journey]);
        assert_eq!(code, 1, "{name}");
        assert!(stderr.contains("not on this device"), "{stderr}");
    }
    let shown = priya.ok(&["coaching", "overview"]);
    assert!(
        shown.contains("Skills acquisition coaching\n───"),
        "{shown}"
    );
    assert!(shown.contains("NOTE-PRIVATE for Priya only"), "{shown}");

    // The research export: codes made for it, figures, and nothing that names anyone.
    let every_id: Vec<String> = [
        alex_id.clone(),
        priya_id.clone(),
        coaching_doc.clone(),
        sam_code.clone(),
        robin_code.clone(),
    ]
    .into_iter()
    .chain(
        clients
            .iter()
            .flat_map(|(_, _, p, j)| [p.clone(), j.clone()]),
    )
    .collect();
    let never = |export: &str| {
        for id in &every_id {
            assert!(
                !export.contains(id.as_str()),
                "the export holds {id}:\n{export}"
            );
        }
        for words in [
            "NOTE-PRIVATE",
            "SECRET-",
            "REFLECTION-TEXT",
            "Lunch",
            "Walk",
            "Tuesdays",
            "Case work",
        ] {
            assert!(
                !export.contains(words),
                "the export holds {words:?}:\n{export}"
            );
        }
    };
    let csv = priya.ok(&[
        "export",
        "research",
        "--from",
        "2026-02-23",
        "--to",
        "2026-03-04",
    ]);
    never(&csv);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "practitioner,condition,week_start,own_planned,own_rate,clients_rate,clients,client_ruptures,coaching_ruptures,who5_percent,stress,burnout"
    );
    assert_eq!(lines.len(), 3, "{csv}");
    let ended: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(&ended[1..3], ["skills_acquisition", "2026-02-23"]);
    assert_eq!(
        ended[6], "3",
        "three clients stand behind the figure: {csv}"
    );
    let week: Vec<&str> = lines[2].split(',').collect();
    assert!(week[0].starts_with("P-"), "{csv}");
    assert_eq!(&week[1..3], ["skills_acquisition", "2026-03-02"]);
    assert_eq!(
        (week[5], week[6], week[7]),
        ("", "", ""),
        "the week was still going when shared: no client figures: {csv}"
    );
    assert_eq!(week[8], "1", "Alex's own rupture with his coach: {csv}");
    assert_eq!(
        week[9], "48.000",
        "wellbeing, as Alex chose to share it: {csv}"
    );

    let file = dir.path().join("export.json");
    let written = priya.ok(&[
        "export",
        "research",
        "--from",
        "2026-02-23",
        "--to",
        "2026-03-04",
        "--format",
        "json",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert!(
        written.contains("2 practitioner-weeks, 0 notes"),
        "{written}"
    );
    let export = std::fs::read_to_string(&file).expect("the export file");
    never(&export);
    let export: Value = serde_json::from_str(&export).expect("JSON");
    assert_eq!(export["notes"], serde_json::json!([]));
    assert_eq!(export["conditions"][0]["condition"], "skills_acquisition");
    assert!(text(&export["credits"][0]).starts_with("WHO-5"));

    // A note marked for research goes into the export; the private one still does not.
    alex.ok(&[
        "parallel",
        "share",
        "--from",
        "2026-02-23",
        "--to",
        "2026-03-04",
        "--note",
        "NOTE-FOR-RESEARCH mornings are hard",
        "--note-for-research",
    ]);
    alex.ok(&["sync"]);
    priya.ok(&["sync"]);
    let export = priya.json(&[
        "export",
        "research",
        "--from",
        "2026-02-23",
        "--to",
        "2026-03-04",
    ]);
    assert_eq!(
        export["notes"][0]["note"],
        "NOTE-FOR-RESEARCH mornings are hard"
    );
    assert!(!export.to_string().contains("NOTE-PRIVATE"), "{export}");

    // Who may do what.
    let (code, stderr) = priya.fails(&["coaching", "session", "My agenda"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("only the practitioner sets the agenda"),
        "{stderr}"
    );
    let (code, stderr) = clients[0].1.fails(&["coaching", "overview"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("for coaches"), "{stderr}");
    let (code, stderr) = alex.fails(&[
        "coaching",
        "case-review",
        "--client",
        "NotAClient",
        "--question",
        "?",
    ]);
    assert_eq!(code, 1);
    assert!(stderr.contains("not a client of yours"), "{stderr}");
    let (code, stderr) = alex.fails(&[
        "coaching",
        "case-review",
        "--client",
        "C-sam",
        "--question",
        "?",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("names are never used here"), "{stderr}");
    let (code, stderr) = alex.fails(&["coaching", "show", "--with", sam_id]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("not linked with you for coaching"),
        "{stderr}"
    );

    // Transformational coaching: Alex shares their own journey, then withdraws it.
    priya.ok(&[
        "coaching",
        "condition",
        "transformational",
        "--from",
        "2026-03-04",
    ]);
    priya.ok(&["sync"]);
    alex.ok(&["sync"]);
    let shared = alex.json(&["coaching", "share-journey"]);
    assert_eq!(shared["journey_shared"], true);
    priya.ok(&["sync"]);
    let status = priya.json(&["status"]);
    assert!(status["links"][0]["journey_id"].is_string(), "{status}");
    assert_eq!(
        priya.json(&["coaching", "show"])["condition"],
        "transformational"
    );
    // A part of the journey instead: one goal, shared and taken back.
    let goal = alex.json(&[
        "goal",
        "add",
        "Take a real lunch break",
        "--importance",
        "8",
        "--confidence",
        "4",
    ]);
    let goal = goal["id"].as_str().expect("a goal id").to_string();
    let shared = alex.json(&["coaching", "share-goal", &goal]);
    assert_eq!(shared["text"], "Take a real lunch break");
    alex.ok(&["sync"]);
    priya.ok(&["sync"]);
    let seen = priya.json(&["coaching", "show"]);
    assert_eq!(
        seen["goals"][0]["text"], "Take a real lunch break",
        "{seen}"
    );
    alex.ok(&["coaching", "withdraw-goal", &goal]);
    alex.ok(&["sync"]);
    priya.ok(&["sync"]);
    assert_eq!(
        priya.json(&["coaching", "show"])["goals"],
        serde_json::json!([])
    );

    alex.ok(&["coaching", "withdraw-journey"]);
    priya.ok(&["sync"]);
    assert_eq!(
        priya.json(&["status"])["links"][0]["journey_id"],
        Value::Null
    );
}
