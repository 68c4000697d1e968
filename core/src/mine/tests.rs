use super::*;
use crate::journey::{LifeArea, Outcome, Reason, ReviewInput, ValueInput};
use crate::store::test_support::{check, evening, open_with, walk};
use crate::store::Clock;

/// Sam's first weeks: a value with a quote in it, a walk, check-ins over two months (one with
/// a reason and a note), a review.
fn sam(dir: &tempfile::TempDir) -> Store {
    let store = open_with(dir, Clock::fixed(evening("2026-12-04")));
    store
        .add_value(&ValueInput {
            text: "Being there for my kids, \"whatever it takes\"".into(),
            life_area: LifeArea::Family,
            importance: 9,
        })
        .unwrap();
    let plan = store.add_plan(&walk(None)).unwrap();
    for day in ["2026-11-02", "2026-11-04", "2026-11-30", "2026-12-02"] {
        store.check_in(&check(&plan, day, Outcome::Done)).unwrap();
    }
    let mut tired = check(&plan, "2026-11-06", Outcome::NotDone);
    tired.reasons = vec![Reason::TooTired];
    tired.note = Some("Bad night, <b>no</b> sleep".into());
    store.check_in(&tired).unwrap();
    store
        .add_review(&ReviewInput {
            date: "2026-11-29".parse().unwrap(),
            goal_id: None,
            motivation: 6,
            confidence: 5,
            progress: 4,
            attainment: None,
            note: Some("Getting there".into()),
        })
        .unwrap();
    store
}

#[test]
fn my_data_holds_every_month_of_check_ins_and_counts_its_progress() {
    let dir = tempfile::tempdir().unwrap();
    let store = sam(&dir);
    let mut heard = Vec::new();
    let data = store
        .my_data(evening("2026-12-04"), &mut |p| heard.push(p))
        .unwrap();
    assert_eq!(data.format, FORMAT);
    assert_eq!(data.check_ins.len(), 5, "both months");
    assert!(
        data.check_ins.windows(2).all(|w| w[0].date <= w[1].date),
        "oldest first"
    );
    assert_eq!(data.journey.reviews.len(), 1);
    assert_eq!(
        heard,
        vec![
            ExportProgress { done: 1, total: 2 },
            ExportProgress { done: 2, total: 2 }
        ]
    );
}

#[test]
fn an_export_writes_json_csv_and_a_report_that_say_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let store = sam(&dir);
    let folder = dir.path().join("export");
    let mut last = None;
    let written = store
        .export_mine(&folder, evening("2026-12-04"), &mut |p| last = Some(p))
        .unwrap();
    assert_eq!(last, Some(ExportProgress { done: 5, total: 5 }));
    assert_eq!(written.check_ins, 5);
    for file in [
        "tandem-export.json",
        "check-ins.csv",
        "values.csv",
        "report.html",
        "README.txt",
    ] {
        assert!(
            written.files.iter().any(|f| f == file),
            "{file} in {:?}",
            written.files
        );
    }

    // The JSON reads back whole.
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(folder.join("tandem-export.json")).unwrap())
            .unwrap();
    assert_eq!(json["format"], "tandem-export");
    assert_eq!(json["check_ins"].as_array().unwrap().len(), 5);
    assert_eq!(json["journey"]["values"][0]["importance"], 9);

    // The CSV quotes what needs quoting, and names the plan beside its id.
    let check_ins = std::fs::read_to_string(folder.join("check-ins.csv")).unwrap();
    let mut reader = ::csv::Reader::from_reader(check_ins.as_bytes());
    let rows: Vec<::csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 5);
    let tired = rows.iter().find(|r| &r[4] == "not_done").unwrap();
    assert_eq!(&tired[3], "Walk round the park");
    assert_eq!(&tired[5], "too_tired");
    assert_eq!(&tired[7], "Bad night, <b>no</b> sleep");
    let values = std::fs::read_to_string(folder.join("values.csv")).unwrap();
    assert!(values.contains("\"Being there for my kids, \"\"whatever it takes\"\"\""));

    // The report says it in words, escapes what the person typed, and draws its charts.
    let html = std::fs::read_to_string(folder.join("report.html")).unwrap();
    assert!(html.contains("Being there for my kids, &quot;whatever it takes&quot;"));
    assert!(html.contains("Bad night") || html.contains("too tired"));
    assert!(
        !html.contains("<b>no</b>"),
        "what a person typed is never markup"
    );
    assert!(html.contains("<svg"), "charts as inline SVG");
    assert!(
        html.contains("too tired: 1"),
        "the reasons in words beside their chart"
    );
    assert!(html.contains("motivation from 6 to 6"));
    assert!(!html.contains("<script"), "nothing runs");
    // Nothing half-written is left.
    assert!(std::fs::read_dir(&folder).unwrap().all(|e| !e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .ends_with(".partial")));
}

#[test]
fn a_new_person_exports_an_empty_journey_that_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let store = open_with(&dir, Clock::fixed(evening("2026-12-04")));
    let folder = dir.path().join("export");
    let written = store
        .export_mine(&folder, evening("2026-12-04"), &mut |_| {})
        .unwrap();
    assert_eq!(written.check_ins, 0);
    let html = std::fs::read_to_string(folder.join("report.html")).unwrap();
    assert!(html.contains("No goals yet."));
    assert!(html.contains("Nothing was planned in these weeks."));
    assert!(html.contains("I use Tandem on my own: nothing is shared."));
}
