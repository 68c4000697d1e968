//! People end to end, with a real `tandem-server` on 127.0.0.1: a client looks at their
//! practitioner's code before using it (what it does, who made it, the consent text), joins,
//! and both see the other by the name they chose, what is shared each way and the consent
//! record with its text; the practitioner sees the client's latest check-in and this week.

use chrono::{Datelike, Duration, Utc};
use tandem_core::journey::*;
use tandem_core::relationships::{consent_text, ConsentTopic, CONSENT_TEXT_VERSION};
use tandem_core::sync::api::{Access, CodeKind, InvitationKind, Reason, Role};
use tandem_core::sync::session::{about_code, enrol, invite, join, revoke};
use tandem_core::{Error, Store};
use tandem_tests::devices::{options, sync};
use tandem_tests::server_process::ServerProcess;

/// Every day at 08:00, from a week ago.
fn daily_walk(today: chrono::NaiveDate) -> PlanInput {
    PlanInput {
        schedule: Schedule {
            repeat: Repeat::EveryNDays { n: 1 },
            times: vec![chrono::NaiveTime::from_hms_opt(8, 0, 0).unwrap()],
        },
        start: today - Duration::days(7),
        ..tandem_tests::devices::walk()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_sees_who_invited_them_and_what_joining_shares_before_agreeing() {
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(&dir.path().join("server"));
    let practitioner = Store::open(dir.path().join("p.db"), options()).unwrap();
    enrol(
        &practitioner,
        &server.url,
        &server.enrol_code("practitioner"),
    )
    .await
    .unwrap();
    practitioner.set_my_name(" Alex Rivera ").unwrap();
    assert_eq!(
        practitioner.my_name().unwrap().as_deref(),
        Some("Alex Rivera")
    );
    let code = invite(&practitioner, InvitationKind::Client)
        .await
        .unwrap()
        .code;

    // Before joining: what the code does and who made it; asking does not use it.
    let client = Store::open(dir.path().join("c.db"), options()).unwrap();
    for _ in 0..2 {
        let about = about_code(&client, &server.url, &code).await.unwrap();
        assert_eq!(about.kind, CodeKind::Client);
        assert_eq!(about.issuer_role, Some(Role::Practitioner));
        assert_eq!(about.issuer_name.as_deref(), Some("Alex Rivera"));
    }
    match about_code(&client, &server.url, "ABCD-EFGH-JKMN").await {
        Err(e) => assert_eq!(e.refusal(), Some(Reason::UnknownCode), "{e}"),
        Ok(about) => panic!("a made-up code was answered: {about:?}"),
    }
    assert!(
        client.links().unwrap().is_empty(),
        "nothing is shared before joining"
    );

    // A name is the person's own choice, checked like any input.
    match client.set_my_name("   ") {
        Err(Error::Invalid(i)) => {
            assert_eq!((i.field.as_str(), i.problem.as_str()), ("name", "is empty"))
        }
        other => panic!("a blank name was accepted: {other:?}"),
    }
    client.set_my_name("Sam").unwrap();
    let joined = join(&client, &server.url, &code).await.unwrap();
    assert_eq!(joined.linked_name.as_deref(), Some("Alex Rivera"));
    let today = Utc::now()
        .with_timezone(&tandem_core::Zone::named("Europe/London").unwrap())
        .date_naive();
    let walk = client.add_plan(&daily_walk(today)).unwrap();
    client
        .check_in(&CheckInInput {
            plan_id: walk,
            date: today,
            time: Some(chrono::NaiveTime::from_hms_opt(8, 0, 0).unwrap()),
            outcome: Outcome::Done,
            reasons: vec![],
            reason_text: None,
            note: Some("Round the lake".into()),
        })
        .unwrap();
    // Yesterday's, answered later: the latest check-in is still today's.
    client
        .check_in(&CheckInInput {
            plan_id: client.journey().unwrap().plans[0].id.clone(),
            date: today - Duration::days(1),
            time: Some(chrono::NaiveTime::from_hms_opt(8, 0, 0).unwrap()),
            outcome: Outcome::Partly,
            reasons: vec![],
            reason_text: None,
            note: None,
        })
        .unwrap();
    sync(&client).await;
    sync(&practitioner).await;

    // The client sees their practitioner by name, what they share and the consent in full.
    let mine = client.people(Utc::now()).unwrap();
    assert_eq!(mine.len(), 1);
    let alex = &mine[0];
    assert_eq!(alex.name.as_deref(), Some("Alex Rivera"));
    assert_eq!(alex.role, Role::Practitioner);
    assert_eq!(alex.shares_my_journey, Some(Access::Write));
    assert_eq!(
        alex.journey_id, None,
        "a client does not see their practitioner's journey"
    );
    assert_eq!(alex.consents.len(), 1);
    let consent = &alex.consents[0];
    assert_eq!(consent.who, client.identity().person_id);
    assert_eq!(consent.text_version, CONSENT_TEXT_VERSION);
    assert_eq!(consent.text, consent_text(ConsentTopic::Care).text);

    // The practitioner sees Sam by name, Sam's check-in and this week, and the same consent.
    let clients = practitioner.people(Utc::now()).unwrap();
    assert_eq!(clients.len(), 1);
    let sam = &clients[0];
    assert_eq!(sam.name.as_deref(), Some("Sam"));
    assert!(sam.journey_here);
    assert_eq!(sam.access, Some(Access::Write));
    assert_eq!(sam.shares_my_journey, None);
    let last = sam.last_check_in.as_ref().expect("Sam's check-in");
    assert_eq!(
        (last.date, last.outcome, last.note.as_deref()),
        (today, Outcome::Done, Some("Round the lake"))
    );
    let week = sam.this_week.as_ref().expect("this week");
    assert_eq!(week.done, 1);
    assert_eq!(week.planned, today.weekday().num_days_from_monday() + 1);
    assert_eq!(sam.consents, alex.consents);

    // A new name reaches the other side with the next sync.
    practitioner.set_my_name("Alex R.").unwrap();
    sync(&practitioner).await;
    sync(&client).await;
    assert_eq!(
        client.people(Utc::now()).unwrap()[0].name.as_deref(),
        Some("Alex R.")
    );

    // Sam stops sharing: Alex loses the journey, and the care document records it.
    let journey = client.identity().journey_id.clone();
    revoke(&client, &journey, &practitioner.identity().person_id)
        .await
        .unwrap();
    sync(&client).await;
    sync(&practitioner).await;
    let alex = &client.people(Utc::now()).unwrap()[0];
    assert_eq!(alex.shares_my_journey, None);
    let last = alex.consents.last().unwrap();
    assert_eq!(
        (last.what.as_str(), last.text.as_str()),
        ("journey_withdrawn", "")
    );
    let sam = &practitioner.people(Utc::now()).unwrap()[0];
    assert_eq!((sam.access, sam.journey_id.as_deref()), (None, None));
    assert_eq!(sam.consents.last().unwrap().what, "journey_withdrawn");

    // Once used, the code says so.
    match about_code(&client, &server.url, &code).await {
        Err(e) => assert_eq!(e.refusal(), Some(Reason::CodeUsed), "{e}"),
        Ok(about) => panic!("a used code was answered: {about:?}"),
    }
}
