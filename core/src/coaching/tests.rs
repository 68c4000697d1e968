//! Coaching on one device: the practitioner's side of a coaching document, without a server
//! (the end-to-end tests in tests/tests/coaching.rs take it through one).

use chrono::{NaiveDate, TimeZone, Utc};

use crate::coaching::*;
use crate::document::Consent;
use crate::document::DocKind;
use crate::parallel::SummaryChoices;
use crate::parallel::MAX_VIEW_DAYS;
use crate::store::OpenOptions;
use crate::sync::api::{Link, Role};
use crate::Store;

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// A practitioner's store with a coaching document naming them and coach "k1".
fn practitioner(dir: &tempfile::TempDir) -> (Store, String) {
    let store = Store::open(dir.path().join("p.db"), OpenOptions::default()).unwrap();
    let me = store.identity().person_id.clone();
    let consent = Consent {
        who: me.clone(),
        whom: "k1".into(),
        what: "coaching".into(),
        when: store.now(),
        text_version: "test".into(),
        text: "a test's consent".into(),
    };
    let doc = store
        .create_relationship(
            DocKind::Coaching,
            [("practitioner", me.as_str()), ("coach", "k1")],
            &consent,
            &[],
        )
        .unwrap()
        .to_string();
    store
        .set_server("http://127.0.0.1:1", "server-x", Role::Practitioner)
        .unwrap();
    store
        .set_links(&[Link {
            person_id: "k1".into(),
            role: Role::Coach,
            journey_id: None,
            relationship_doc_id: Some(doc.clone()),
            access: None,
            their_access: None,
        }])
        .unwrap();
    (store, doc)
}

fn reflection(text: &str) -> ReflectionInput {
    ReflectionInput {
        date: date("2026-11-20"),
        what_happened: text.into(),
        my_reaction: "I wanted to fix it for them".into(),
        pattern: Some("Rescuing when plans slip".into()),
        direction: Some(Direction::ClientToCoaching),
        plan_ids: vec![],
        client_codes: vec![],
    }
}

#[test]
fn a_withdrawn_reflection_leaves_the_coaching_document_and_later_edits_stay_private() {
    let dir = tempfile::tempdir().unwrap();
    let (store, doc) = practitioner(&dir);
    let id = store
        .add_reflection(&reflection("A client cancelled twice"))
        .unwrap();
    assert!(
        store.coaching(&doc).unwrap().reflections.is_empty(),
        "private until shared"
    );

    store.share_reflection(&id, &doc).unwrap();
    store
        .update_reflection(&id, &reflection("A client cancelled three times"))
        .unwrap();
    let shared = store.coaching(&doc).unwrap().reflections;
    assert_eq!(shared.len(), 1);
    assert_eq!(shared[0].what_happened, "A client cancelled three times");
    assert_eq!(store.reflections().unwrap()[0].shared_in, vec![doc.clone()]);

    store.withdraw_reflection(&id, &doc).unwrap();
    assert!(matches!(
        store.withdraw_reflection(&id, &doc),
        Err(Error::NotFound { .. })
    ));
    store
        .update_reflection(&id, &reflection("Now private again"))
        .unwrap();
    assert!(store.coaching(&doc).unwrap().reflections.is_empty());
    assert!(store.reflections().unwrap()[0].shared_in.is_empty());
}

#[test]
fn case_reviews_belong_to_skills_acquisition_and_name_clients_by_code_only() {
    let dir = tempfile::tempdir().unwrap();
    let (store, doc) = practitioner(&dir);
    let review = CaseReviewInput {
        date: date("2026-11-20"),
        client_code: "C-7K2M9QXA".into(),
        question: "How do I respond when plans keep slipping?".into(),
        notes: None,
    };
    let err = store.add_case_review(&doc, &review).unwrap_err();
    assert!(matches!(err, Error::NotPermitted(_)), "{err}");

    store
        .set_coaching_condition(
            &doc,
            CoachingCondition::Transformational,
            date("2026-11-01"),
            None,
        )
        .unwrap();
    assert!(matches!(
        store.add_case_review(&doc, &review),
        Err(Error::NotPermitted(_))
    ));
    store
        .set_coaching_condition(
            &doc,
            CoachingCondition::SkillsAcquisition,
            date("2026-11-15"),
            Some("case focus"),
        )
        .unwrap();
    store.add_case_review(&doc, &review).unwrap();
    let coaching = store.coaching(&doc).unwrap();
    assert_eq!(
        coaching.condition,
        Some(CoachingCondition::SkillsAcquisition)
    );
    assert_eq!(
        coaching.conditions.len(),
        2,
        "the earlier condition is kept, dated"
    );
    assert_eq!(coaching.case_reviews[0].client_code, "C-7K2M9QXA");

    let named = CaseReviewInput {
        client_code: "Sam Jones".into(),
        ..review
    };
    assert!(matches!(
        store.add_case_review(&doc, &named),
        Err(Error::Invalid(e)) if e.field == "client_code"
    ));
}

#[test]
fn wellbeing_is_kept_on_own_devices_and_shared_measure_by_measure() {
    let dir = tempfile::tempdir().unwrap();
    let (store, doc) = practitioner(&dir);
    let entry = store
        .add_wellbeing(&WellbeingInput {
            date: date("2026-11-20"),
            who5: Some([3, 4, 2, 3, 3]),
            stress: Some(6),
            burnout: Some(4),
        })
        .unwrap();
    assert_eq!(store.wellbeing().unwrap()[0].who5_percent(), Some(60));
    store
        .share_wellbeing(
            &entry,
            &doc,
            WellbeingMeasures {
                who5: false,
                stress: true,
                burnout: false,
            },
        )
        .unwrap();
    let shared = store.coaching(&doc).unwrap().wellbeing;
    assert_eq!(
        (shared[0].who5_percent, shared[0].stress, shared[0].burnout),
        (None, Some(6), None)
    );
    store.withdraw_wellbeing(&entry, &doc).unwrap();
    assert!(store.coaching(&doc).unwrap().wellbeing.is_empty());

    for (bad, field) in [
        (
            WellbeingInput {
                date: date("2026-11-20"),
                who5: Some([6, 0, 0, 0, 0]),
                stress: None,
                burnout: None,
            },
            "who5[0]",
        ),
        (
            WellbeingInput {
                date: date("2026-11-20"),
                who5: None,
                stress: Some(11),
                burnout: None,
            },
            "stress",
        ),
        (
            WellbeingInput {
                date: date("2026-11-20"),
                who5: None,
                stress: None,
                burnout: None,
            },
            "wellbeing",
        ),
    ] {
        assert!(matches!(store.add_wellbeing(&bad), Err(Error::Invalid(e)) if e.field == field));
    }
}

#[test]
fn the_practitioner_answers_alliance_check_ins_about_their_coach_and_sees_ruptures() {
    let dir = tempfile::tempdir().unwrap();
    let (store, doc) = practitioner(&dir);
    for (day, score, off) in [
        ("2026-11-02", 9, false),
        ("2026-11-09", 9, false),
        ("2026-11-16", 8, true),
    ] {
        store
            .add_alliance_check_in(
                &doc,
                &AllianceInput {
                    date: date(day),
                    goals: score,
                    tasks: score,
                    bond: score,
                    felt_off: off,
                    repair_note: None,
                },
            )
            .unwrap();
    }
    let found = store.ruptures().unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].check_ins, 3);
    assert_eq!(found[0].ruptures.len(), 1);
    assert!(found[0].ruptures[0].flagged && !found[0].ruptures[0].repaired);
    let id = found[0].ruptures[0].check_in_id.clone();
    store
        .set_repair_note(&doc, &id, Some("We talked it through"))
        .unwrap();
    assert!(store.ruptures().unwrap()[0].ruptures[0].repaired);
    let bad = AllianceInput {
        date: date("2026-11-20"),
        goals: 11,
        tasks: 5,
        bond: 5,
        felt_off: false,
        repair_note: None,
    };
    assert!(
        matches!(store.add_alliance_check_in(&doc, &bad), Err(Error::Invalid(e)) if e.field == "goals")
    );
}

#[test]
fn a_shared_summary_carries_no_client_figure_without_three_clients_and_can_be_withdrawn() {
    let dir = tempfile::tempdir().unwrap();
    let (store, doc) = practitioner(&dir);
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
    let choices = SummaryChoices {
        include_wellbeing: false,
        note: Some("A hard fortnight".into()),
        note_for_research: false,
    };
    let id = store
        .share_summary(&doc, date("2026-11-02"), date("2026-11-22"), now, &choices)
        .unwrap();
    let coaching = store.coaching(&doc).unwrap();
    let summary = &coaching.summaries[0];
    assert_eq!(summary.weeks.len(), 3);
    assert!(summary
        .weeks
        .iter()
        .all(|w| w.clients_rate.is_none() && w.client_ruptures.is_none()));
    let export = store
        .research_export(date("2026-11-01"), date("2026-11-30"), now)
        .unwrap();
    assert_eq!(export.rows.len(), 3);
    assert!(
        !export.to_csv().contains("A hard fortnight"),
        "no free text without opt-in"
    );
    assert!(!export.to_json().contains(&store.identity().person_id));
    store.withdraw_summary(&doc, &id).unwrap();
    assert!(store.coaching(&doc).unwrap().summaries.is_empty());
}

#[test]
fn a_goal_is_shared_as_a_part_of_the_journey_in_transformational_coaching_only() {
    let dir = tempfile::tempdir().unwrap();
    let (store, doc) = practitioner(&dir);
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
    let goal = store
        .add_goal(&crate::journey::GoalInput {
            text: "Take a real lunch break".into(),
            value_ids: vec![],
            framing: crate::journey::Framing::Approach,
            proposed_by: crate::journey::ProposedBy::Myself,
            target_date: None,
            importance: 8,
            confidence: 4,
            attainment_levels: vec![],
        })
        .unwrap();
    store.add_step(&goal, "Block 12:30 in the diary").unwrap();
    assert!(matches!(
        store.share_goal(&goal, &doc, now),
        Err(Error::NotPermitted(_))
    ));
    store
        .set_coaching_condition(
            &doc,
            CoachingCondition::Transformational,
            date("2026-11-01"),
            None,
        )
        .unwrap();
    store.share_goal(&goal, &doc, now).unwrap();
    store.share_goal(&goal, &doc, now).unwrap();
    let shared = store.coaching(&doc).unwrap().goals;
    assert_eq!(shared.len(), 1, "sharing again updates the one copy");
    assert_eq!(shared[0].text, "Take a real lunch break");
    assert_eq!(shared[0].steps[0].text, "Block 12:30 in the diary");
    store.withdraw_goal(&goal, &doc).unwrap();
    assert!(store.coaching(&doc).unwrap().goals.is_empty());
}

#[test]
fn a_parallel_view_over_an_absurd_range_is_refused_not_computed() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = practitioner(&dir);
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
    let err = store
        .parallel_view(NaiveDate::MIN, NaiveDate::MAX, now)
        .unwrap_err();
    assert!(matches!(err, Error::Invalid(e) if e.field == "to"));
    // The longest range allowed is computed, week by week.
    let from = date("2022-01-01");
    let to = from + chrono::Days::new(MAX_VIEW_DAYS as u64);
    assert!(store.parallel_view(from, to, now).unwrap().weeks.len() > 260);
}

/// A person who changes their mind the same day: the condition set last is in force, whatever
/// the records' ids (a tie once went to the larger random id).
#[test]
fn of_two_conditions_set_the_same_day_the_later_is_in_force() {
    for round in 0..8 {
        let dir = tempfile::tempdir().unwrap();
        let (store, doc) = practitioner(&dir);
        let day = date("2026-11-20");
        let (first, then) = if round % 2 == 0 {
            (
                CoachingCondition::Transformational,
                CoachingCondition::SkillsAcquisition,
            )
        } else {
            (
                CoachingCondition::SkillsAcquisition,
                CoachingCondition::Transformational,
            )
        };
        store
            .set_coaching_condition(&doc, first, day, None)
            .unwrap();
        store.set_coaching_condition(&doc, then, day, None).unwrap();
        let conditions = store.coaching(&doc).unwrap().conditions;
        assert_eq!(condition_on(&conditions, day), Some(then), "round {round}");
    }
}
