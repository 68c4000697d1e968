//! The HTTP API and the share policy, in process: tokens, enrolment, invitations, joining,
//! documents, shares, links, and the live membership decisions.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::{json, Value};
use tandem_protocol::api::{Access, EnrolRequest, InvitationKind, JoinRequest, Role};
use tandem_protocol::auth::{make_token, peer_id_for, DeviceKey, LIFETIME_SECS};
use tandem_server::directory::Caller;
use tandem_server::server::{App, Storage};
use tower::ServiceExt;

struct Harness {
    app: App,
    storage: Storage,
    _dir: tempfile::TempDir,
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn new_doc_id() -> String {
    samod::DocumentId::try_from(rand::random::<[u8; 16]>().to_vec())
        .unwrap()
        .to_string()
}

fn new_person_id() -> String {
    bs58::encode(rand::random::<[u8; 16]>()).into_string()
}

struct Device {
    key: DeviceKey,
}

impl Device {
    fn new() -> Device {
        Device {
            key: DeviceKey::generate(),
        }
    }

    fn id(&self) -> String {
        tandem_protocol::auth::device_id(&self.key)
    }
}

/// A person with one device.
struct Member {
    device: Device,
    person_id: String,
    journey_id: String,
    private_id: String,
}

impl Harness {
    async fn new() -> Harness {
        let dir = tempfile::tempdir().unwrap();
        // SQLite in `dir`, or (TANDEM_TEST_DATABASE=postgres) a new PostgreSQL database.
        let storage = if tandem_testdb::postgres_chosen() {
            Storage::Postgres(tandem_testdb::cluster().new_database())
        } else {
            Storage::Sqlite(dir.path().into())
        };
        let app = App::open(&storage).await.unwrap();
        Harness {
            app,
            storage,
            _dir: dir,
        }
    }

    /// The number a `SELECT COUNT(*) …` answers, asked of the storage itself.
    async fn count(&self, sql: &str) -> i64 {
        match &self.storage {
            Storage::Sqlite(dir) => {
                rusqlite::Connection::open(dir.join(tandem_server::db::DB_FILE))
                    .unwrap()
                    .query_row(sql, [], |r| r.get(0))
                    .unwrap()
            }
            Storage::Postgres(url) => {
                let db = url.rsplit('/').next().unwrap().split('?').next().unwrap();
                tandem_testdb::cluster()
                    .psql(db, sql)
                    .unwrap()
                    .parse()
                    .unwrap()
            }
        }
    }

    fn server_id(&self) -> String {
        self.app.directory.server_id().to_string()
    }

    fn token(&self, device: &Device) -> String {
        make_token(&device.key, &self.server_id(), now(), LIFETIME_SECS)
    }

    async fn raw(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<String>,
    ) -> (StatusCode, Value) {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        let request = match body {
            Some(body) => request
                .header("content-type", "application/json")
                .body(Body::from(body)),
            None => request.body(Body::empty()),
        }
        .unwrap();
        let response = self.app.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        let value = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or_else(|_| {
                panic!("not JSON: {}", String::from_utf8_lossy(&bytes));
            })
        };
        (status, value)
    }

    /// A call as `device`, with a fresh token.
    async fn call(
        &self,
        method: Method,
        path: &str,
        device: &Device,
        body: Value,
    ) -> (StatusCode, Value) {
        let body = (!body.is_null()).then(|| body.to_string());
        self.raw(method, path, Some(&self.token(device)), body)
            .await
    }

    async fn enrol(&self, role: Role) -> Member {
        let code = self
            .app
            .directory
            .create_enrolment_code(role, now(), now() + 3600)
            .await
            .unwrap();
        let member = Member {
            device: Device::new(),
            person_id: new_person_id(),
            journey_id: new_doc_id(),
            private_id: new_doc_id(),
        };
        let (status, body) = self
            .call(
                Method::POST,
                "/v1/enrol",
                &member.device,
                json!({"code": code, "person_id": member.person_id,
                       "journey_id": member.journey_id, "private_id": member.private_id}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["role"], role.as_str());
        assert_eq!(body["server_id"], self.server_id());
        member
    }

    async fn invite(&self, inviter: &Member, kind: InvitationKind) -> String {
        let (status, body) = self
            .call(
                Method::POST,
                "/v1/invitations",
                &inviter.device,
                json!({"kind": kind.as_str()}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["kind"], kind.as_str());
        body["code"].as_str().unwrap().to_string()
    }

    /// A new person joins with `code`.
    async fn join_new(&self, code: &str) -> (Member, Value) {
        let member = Member {
            device: Device::new(),
            person_id: new_person_id(),
            journey_id: new_doc_id(),
            private_id: new_doc_id(),
        };
        let (status, body) = self.join(&member, code).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        (member, body)
    }

    async fn join(&self, member: &Member, code: &str) -> (StatusCode, Value) {
        self.join_as(member, code, false).await
    }

    /// `member`'s device joins with a device code, to become a device of its issuer.
    async fn join_device(&self, member: &Member, code: &str) -> (StatusCode, Value) {
        self.join_as(member, code, true).await
    }

    async fn join_as(&self, member: &Member, code: &str, device: bool) -> (StatusCode, Value) {
        self.call(
            Method::POST,
            "/v1/join",
            &member.device,
            json!({"code": code, "person_id": member.person_id, "journey_id": member.journey_id,
                   "private_id": member.private_id, "consent_text_version": "2025-01",
                   "device": device}),
        )
        .await
    }

    async fn share(
        &self,
        owner: &Member,
        doc: &str,
        with: &Member,
        access: &str,
    ) -> (StatusCode, Value) {
        self.call(
            Method::POST,
            "/v1/shares",
            &owner.device,
            json!({"doc_id": doc, "person_id": with.person_id, "access": access}),
        )
        .await
    }

    async fn unshare(&self, owner: &Member, doc: &str, with: &Member) -> (StatusCode, Value) {
        self.call(
            Method::DELETE,
            "/v1/shares",
            &owner.device,
            json!({"doc_id": doc, "person_id": with.person_id, "access": "read"}),
        )
        .await
    }

    async fn register(&self, member: &Member, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, "/v1/documents", &member.device, body)
            .await
    }

    async fn access(&self, doc: &str, member: &Member) -> Option<Access> {
        self.app
            .directory
            .access(doc, &member.person_id)
            .await
            .unwrap()
    }

    /// A practitioner and a client who joined their invitation.
    async fn practitioner_and_client(&self) -> (Member, Member) {
        let practitioner = self.enrol(Role::Practitioner).await;
        let code = self.invite(&practitioner, InvitationKind::Client).await;
        let (client, _) = self.join_new(&code).await;
        (practitioner, client)
    }
}

#[tokio::test]
async fn the_public_routes_answer_anyone() {
    let h = Harness::new().await;
    assert_eq!(
        h.raw(Method::GET, "/health", None, None).await,
        (StatusCode::OK, json!({"status": "ok"}))
    );
    assert_eq!(
        h.raw(Method::GET, "/v1/server", None, None).await,
        (StatusCode::OK, json!({"server_id": h.server_id()}))
    );
    let (status, body) = h.raw(Method::GET, "/v2/anything", None, None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
}

#[tokio::test]
async fn tokens_are_checked_and_each_nonce_is_accepted_once() {
    let h = Harness::new().await;
    let member = h.enrol(Role::Coach).await;
    let key = &member.device.key;
    let server = h.server_id();
    let t = now();
    let forged = {
        let good = make_token(key, &server, t, 60);
        let other = make_token(&Device::new().key, &server, t, 60);
        format!(
            "{}.{}",
            good.split_once('.').unwrap().0,
            other.split_once('.').unwrap().1
        )
    };
    let cases = [
        (None, "malformed"),
        (Some("not a token".to_string()), "malformed"),
        (Some(forged), "bad_signature"),
        (
            Some(make_token(key, "another-server", t, 60)),
            "wrong_server",
        ),
        (Some(make_token(key, &server, t - 700, 600)), "expired"),
        (Some(make_token(key, &server, t + 300, 60)), "not_yet_valid"),
        (Some(make_token(key, &server, t, 3600)), "too_long"),
        (
            Some(make_token(&Device::new().key, &server, t, 60)),
            "unknown_device",
        ),
    ];
    for (token, word) in cases {
        let (status, body) = h
            .raw(Method::GET, "/v1/links", token.as_deref(), None)
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{word}: {body}");
        assert_eq!(body["error"], word);
        assert!(!body["message"].as_str().unwrap().is_empty());
    }

    let token = h.token(&member.device);
    let (status, _) = h.raw(Method::GET, "/v1/links", Some(&token), None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = h.raw(Method::GET, "/v1/links", Some(&token), None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("replayed"))
    );
    // A replayed token is refused on the WebSocket route too, before any upgrade.
    let (status, body) = h
        .raw(Method::GET, &format!("/v1/sync?token={token}"), None, None)
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("replayed"))
    );
    let (status, body) = h.raw(Method::GET, "/v1/sync", None, None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("malformed"))
    );
}

#[tokio::test]
async fn enrolment_codes_work_once_and_only_before_they_expire() {
    let h = Harness::new().await;
    let directory = &h.app.directory;
    let t = now();
    let code = directory
        .create_enrolment_code(Role::Practitioner, t, t + 100)
        .await
        .unwrap();
    assert!(directory
        .create_enrolment_code(Role::Client, t, t + 100)
        .await
        .is_err());
    let request = |code: &str| EnrolRequest {
        code: code.to_string(),
        person_id: new_person_id(),
        journey_id: new_doc_id(),
        private_id: new_doc_id(),
    };

    // Expired (directory clock moved on), unknown, then used once, then used up.
    let expired = directory
        .enrol(&Device::new().id(), &request(&code), t + 100)
        .await
        .unwrap_err();
    assert_eq!(expired.reason.as_str(), "code_expired");
    let unknown = directory
        .enrol(&Device::new().id(), &request("AAAA-BBBB-CCCC"), t)
        .await
        .unwrap_err();
    assert_eq!(unknown.reason.as_str(), "unknown_code");
    let enrolled = directory
        .enrol(&Device::new().id(), &request(&code.to_lowercase()), t + 99)
        .await
        .unwrap();
    assert_eq!(enrolled.role, Role::Practitioner);
    let used = directory
        .enrol(&Device::new().id(), &request(&code), t + 99)
        .await
        .unwrap_err();
    assert_eq!(used.reason.as_str(), "code_used");

    // Over HTTP: the same refusals with their statuses.
    let code = directory
        .create_enrolment_code(Role::Coach, t, t + 100)
        .await
        .unwrap();
    let device = Device::new();
    let body = |code: &str, person: &str, journey: &str, private: &str| json!({"code": code, "person_id": person, "journey_id": journey, "private_id": private});
    let (person, journey, private) = (new_person_id(), new_doc_id(), new_doc_id());
    for (bad, word) in [
        (body(&code, "nope", &journey, &private), "invalid"),
        (body(&code, &person, "not-a-doc", &private), "invalid"),
        (body(&code, &person, &journey, &journey), "invalid"),
        (json!({"code": code}), "invalid"),
    ] {
        let (status, answer) = h.call(Method::POST, "/v1/enrol", &device, bad).await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (StatusCode::BAD_REQUEST, Some(word)),
            "{answer}"
        );
    }
    let (status, answer) = h
        .call(
            Method::POST,
            "/v1/enrol",
            &device,
            body("ZZZZ-ZZZZ-ZZZZ", &person, &journey, &private),
        )
        .await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("unknown_code"))
    );
    let (status, _) = h
        .call(
            Method::POST,
            "/v1/enrol",
            &device,
            body(&code, &person, &journey, &private),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, answer) = h
        .call(
            Method::POST,
            "/v1/enrol",
            &Device::new(),
            body(&code, &new_person_id(), &new_doc_id(), &new_doc_id()),
        )
        .await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (StatusCode::GONE, Some("code_used"))
    );

    // Junk JSON gets an ApiError too.
    let (status, answer) = h
        .raw(
            Method::POST,
            "/v1/enrol",
            Some(&h.token(&Device::new())),
            Some("{not json".into()),
        )
        .await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid"))
    );
}

#[tokio::test]
async fn invitations_are_one_time_and_expire() {
    let h = Harness::new().await;
    let practitioner = h.enrol(Role::Practitioner).await;
    let person = h
        .app
        .directory
        .person(&practitioner.person_id)
        .await
        .unwrap()
        .unwrap();
    let t = now();
    let invitation = h
        .app
        .directory
        .invite(&person, InvitationKind::Client, None, t, t + 10)
        .await
        .unwrap();
    let joiner = Device::new();
    let request = JoinRequest {
        code: invitation.code.clone(),
        person_id: new_person_id(),
        journey_id: new_doc_id(),
        private_id: new_doc_id(),
        consent_text_version: "v1".into(),
        device: false,
    };
    let caller = Caller {
        device_id: joiner.id(),
        person: None,
    };
    let expired = h
        .app
        .directory
        .join(&caller, &request, t + 10)
        .await
        .unwrap_err();
    assert_eq!(expired.reason.as_str(), "code_expired");
    h.app
        .directory
        .join(&caller, &request, t + 9)
        .await
        .unwrap();

    // Over HTTP the code is now used: 410.
    let (other, _) = (
        Member {
            device: Device::new(),
            person_id: new_person_id(),
            journey_id: new_doc_id(),
            private_id: new_doc_id(),
        },
        (),
    );
    let (status, body) = h.join(&other, &invitation.code).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::GONE, Some("code_used"))
    );
    let (status, body) = h.join(&other, "0000-0000-0000").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("unknown_code"))
    );
}

#[tokio::test]
async fn a_client_who_joins_is_linked_to_their_practitioner_with_consent() {
    let h = Harness::new().await;
    let practitioner = h.enrol(Role::Practitioner).await;

    // Only a practitioner invites clients.
    let (status, body) = h
        .call(
            Method::POST,
            "/v1/invitations",
            &practitioner.device,
            json!({"kind": "practitioner"}),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::FORBIDDEN, Some("wrong_role"))
    );

    let code = h.invite(&practitioner, InvitationKind::Client).await;
    let (client, joined) = h.join_new(&code).await;
    assert_eq!(joined["role"], "client");
    assert_eq!(joined["person_id"], client.person_id);
    assert_eq!(joined["journey_id"], client.journey_id);
    assert_eq!(joined["linked"]["person_id"], practitioner.person_id);
    assert_eq!(joined["linked"]["role"], "practitioner");
    // The client does not see their practitioner's journey.
    assert_eq!(joined["linked"]["journey_id"], Value::Null);

    // By consenting, the client lets their practitioner work on their journey.
    assert_eq!(
        h.access(&client.journey_id, &practitioner).await,
        Some(Access::Write)
    );
    assert_eq!(h.access(&client.private_id, &practitioner).await, None);
    assert_eq!(h.access(&practitioner.journey_id, &client).await, None);
    let (status, links) = h
        .call(Method::GET, "/v1/links", &practitioner.device, Value::Null)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        links,
        json!([{"person_id": client.person_id, "role": "client", "journey_id": client.journey_id,
                "relationship_doc_id": null, "access": "write"}])
    );

    // A client cannot invite clients; a known device cannot take a device code.
    let (status, _) = h
        .call(
            Method::POST,
            "/v1/invitations",
            &client.device,
            json!({"kind": "client"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let device_code = h.invite(&practitioner, InvitationKind::Device).await;
    let (status, body) = h.join_device(&client, &device_code).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::CONFLICT, Some("device_known"))
    );

    // The care document: made by the client, registered with their practitioner.
    let care = new_doc_id();
    let (status, body) = h
        .register(
            &client,
            json!({"doc_id": care, "kind": "care", "with_person": practitioner.person_id}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert_eq!(h.access(&care, &practitioner).await, Some(Access::Write));
    assert_eq!(h.access(&care, &client).await, Some(Access::Write));
    // Registering it again (from either side) is harmless.
    let (status, _) = h
        .register(
            &practitioner,
            json!({"doc_id": care, "kind": "care", "with_person": client.person_id}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, links) = h
        .call(Method::GET, "/v1/links", &client.device, Value::Null)
        .await;
    assert_eq!(links[0]["relationship_doc_id"], care);

    // The client withdraws consent: the practitioner loses the journey and its months.
    let month = new_doc_id();
    let (status, body) = h
        .register(
            &practitioner,
            json!({"doc_id": month, "kind": "check_ins", "journey_id": client.journey_id}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert_eq!(h.access(&month, &client).await, Some(Access::Write));
    assert_eq!(h.access(&month, &practitioner).await, Some(Access::Write));
    let (status, _) = h.unshare(&client, &client.journey_id, &practitioner).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(h.access(&client.journey_id, &practitioner).await, None);
    assert_eq!(h.access(&month, &practitioner).await, None);
    assert_eq!(h.access(&month, &client).await, Some(Access::Write));
}

#[tokio::test]
async fn a_coach_invites_a_practitioner_and_a_device_code_adds_a_device() {
    let h = Harness::new().await;
    let coach = h.enrol(Role::Coach).await;
    let practitioner = h.enrol(Role::Practitioner).await;
    let code = h.invite(&coach, InvitationKind::Practitioner).await;

    // An enrolled practitioner accepts with their own device and ids.
    let (status, joined) = h.join(&practitioner, &code).await;
    assert_eq!(status, StatusCode::OK, "{joined}");
    assert_eq!(joined["person_id"], practitioner.person_id);
    assert_eq!(joined["linked"]["role"], "coach");
    // Being coached does not share the practitioner's journey by itself.
    assert_eq!(h.access(&practitioner.journey_id, &coach).await, None);

    // A device code: a new device joins the practitioner and takes on their ids.
    let device_code = h.invite(&practitioner, InvitationKind::Device).await;
    // Given where a person joins, it is refused, and not used up.
    let stranger = Member {
        device: Device::new(),
        person_id: new_person_id(),
        journey_id: new_doc_id(),
        private_id: new_doc_id(),
    };
    let (status, body) = h.join(&stranger, &device_code).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("code_for_device"))
    );
    assert_eq!(
        h.app
            .directory
            .device_person(&stranger.device.id())
            .await
            .unwrap(),
        None
    );
    // And a person's code is refused where a device is added.
    let another = h.invite(&coach, InvitationKind::Practitioner).await;
    let (status, body) = h.join_device(&stranger, &another).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("code_for_person"))
    );
    let (status, joined) = h.join_device(&stranger, &device_code).await;
    assert_eq!(status, StatusCode::OK, "{joined}");
    let second = stranger;
    assert_eq!(joined["person_id"], practitioner.person_id);
    assert_eq!(joined["journey_id"], practitioner.journey_id);
    assert_eq!(joined["private_id"], practitioner.private_id);
    assert_eq!(joined["role"], "practitioner");
    assert_eq!(joined["linked"], Value::Null);
    let person = h
        .app
        .directory
        .device_person(&second.device.id())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(person.person_id, practitioner.person_id);
    let (status, body) = h
        .join_device(
            &Member {
                device: Device::new(),
                ..second
            },
            &device_code,
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::GONE, Some("code_used"))
    );

    // A coach cannot accept a client invitation; nobody accepts their own.
    let other_practitioner = h.enrol(Role::Practitioner).await;
    let client_code = h.invite(&other_practitioner, InvitationKind::Client).await;
    let (status, body) = h.join(&coach, &client_code).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::FORBIDDEN, Some("wrong_role"))
    );
    let own = h.invite(&coach, InvitationKind::Practitioner).await;
    let (status, _) = h.join(&coach, &own).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The practitioner shares their journey with their coach, read only, then stops.
    let (status, body) = h
        .share(&practitioner, &practitioner.journey_id, &coach, "read")
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert_eq!(
        h.access(&practitioner.journey_id, &coach).await,
        Some(Access::Read)
    );
    let (_, links) = h
        .call(Method::GET, "/v1/links", &coach.device, Value::Null)
        .await;
    assert_eq!(links[0]["journey_id"], practitioner.journey_id);
    assert_eq!(links[0]["access"], "read");
    let (status, _) = h
        .unshare(&practitioner, &practitioner.journey_id, &coach)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(h.access(&practitioner.journey_id, &coach).await, None);

    // Their coaching document.
    let coaching = new_doc_id();
    let (status, body) = h
        .register(
            &practitioner,
            json!({"doc_id": coaching, "kind": "coaching", "with_person": coach.person_id}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert_eq!(h.access(&coaching, &coach).await, Some(Access::Write));
}

#[tokio::test]
async fn a_clients_documents_are_never_granted_to_a_coach() {
    let h = Harness::new().await;
    let coach = h.enrol(Role::Coach).await;
    let (practitioner, client) = h.practitioner_and_client().await;
    let code = h.invite(&coach, InvitationKind::Practitioner).await;
    assert_eq!(h.join(&practitioner, &code).await.0, StatusCode::OK);

    // The client is not linked to the coach, and the rule holds before the link question.
    for doc in [&client.journey_id, &client.private_id] {
        let (status, body) = h.share(&client, doc, &coach, "read").await;
        assert_eq!(
            (status, body["error"].as_str()),
            (StatusCode::FORBIDDEN, Some("client_data")),
            "{body}"
        );
    }
    // The practitioner may write the client's journey but does not own it.
    let (status, body) = h
        .share(&practitioner, &client.journey_id, &coach, "read")
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::FORBIDDEN, Some("not_owner"))
    );
    // A care document stays between client and practitioner, whoever registered it.
    let care = new_doc_id();
    let (status, _) = h
        .register(
            &practitioner,
            json!({"doc_id": care, "kind": "care", "with_person": client.person_id}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = h.share(&practitioner, &care, &coach, "read").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::FORBIDDEN, Some("client_data"))
    );
    // A care document cannot name a coach, nor a coaching document a client.
    let (status, body) = h
        .register(
            &practitioner,
            json!({"doc_id": new_doc_id(), "kind": "care", "with_person": coach.person_id}),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::FORBIDDEN, Some("not_linked"))
    );
    let (status, _) = h
        .register(
            &practitioner,
            json!({"doc_id": new_doc_id(), "kind": "coaching", "with_person": client.person_id}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Nothing gave the coach anything of the client's.
    for doc in [&client.journey_id, &client.private_id, &care] {
        assert_eq!(h.access(doc, &coach).await, None);
    }
    // A private document is nobody else's, and a month follows its journey.
    let (status, body) = h
        .share(&practitioner, &practitioner.private_id, &coach, "read")
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::FORBIDDEN, Some("private_document"))
    );
}

#[tokio::test]
async fn documents_are_registered_by_their_rules() {
    let h = Harness::new().await;
    let (practitioner, client) = h.practitioner_and_client().await;
    let stranger = h.enrol(Role::Practitioner).await;
    let cases = [
        (
            json!({"doc_id": "x", "kind": "journey"}),
            StatusCode::BAD_REQUEST,
        ),
        (
            json!({"doc_id": new_doc_id(), "kind": "novel"}),
            StatusCode::BAD_REQUEST,
        ),
        (
            json!({"doc_id": new_doc_id(), "kind": "check_ins"}),
            StatusCode::BAD_REQUEST,
        ),
        (
            json!({"doc_id": new_doc_id(), "kind": "care"}),
            StatusCode::BAD_REQUEST,
        ),
        (
            json!({"doc_id": new_doc_id(), "kind": "journey", "with_person": practitioner.person_id}),
            StatusCode::BAD_REQUEST,
        ),
        (
            json!({"doc_id": new_doc_id(), "kind": "check_ins", "journey_id": new_doc_id()}),
            StatusCode::NOT_FOUND,
        ),
        (
            json!({"doc_id": new_doc_id(), "kind": "check_ins", "journey_id": client.private_id}),
            StatusCode::BAD_REQUEST,
        ),
        // Someone else's journey: no months for a stranger.
        (
            json!({"doc_id": new_doc_id(), "kind": "check_ins", "journey_id": client.journey_id}),
            StatusCode::FORBIDDEN,
        ),
        (
            json!({"doc_id": new_doc_id(), "kind": "care", "with_person": new_person_id()}),
            StatusCode::NOT_FOUND,
        ),
        // Someone else's document id.
        (
            json!({"doc_id": client.journey_id, "kind": "journey"}),
            StatusCode::CONFLICT,
        ),
    ];
    for (body, expected) in cases {
        let (status, answer) = h.register(&stranger, body.clone()).await;
        assert_eq!(status, expected, "{body} -> {answer}");
        assert!(
            answer["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{answer}"
        );
    }
    let month = new_doc_id();
    let (status, _) = h
        .register(
            &client,
            json!({"doc_id": month, "kind": "check_ins", "journey_id": client.journey_id}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(h.access(&month, &practitioner).await, Some(Access::Write));
    assert_eq!(h.access(&month, &stranger).await, None);
    // Sharing a month directly is refused: share the journey.
    let (status, _) = h.share(&client, &month, &practitioner, "read").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // Sharing with an unlinked person is refused.
    let (status, body) = h
        .share(&stranger, &stranger.journey_id, &practitioner, "read")
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::FORBIDDEN, Some("not_linked"))
    );
}

/// The next change the policy announces to the sync engine's connections.
async fn next_nudge(
    nudges: &mut tokio::sync::broadcast::Receiver<std::sync::Arc<tandem_server::policy::Nudge>>,
) -> std::sync::Arc<tandem_server::policy::Nudge> {
    tokio::time::timeout(std::time::Duration::from_secs(5), nudges.recv())
        .await
        .expect("a change is announced")
        .unwrap()
}

#[tokio::test]
async fn the_share_policy_answers_from_the_membership_table_live() {
    let h = Harness::new().await;
    let coach = h.enrol(Role::Coach).await;
    let practitioner = h.enrol(Role::Practitioner).await;
    let code = h.invite(&coach, InvitationKind::Practitioner).await;
    assert_eq!(h.join(&practitioner, &code).await.0, StatusCode::OK);

    let journey = practitioner.journey_id.clone();
    let coach_peer = peer_id_for(&coach.device.id());
    let owner_peer = peer_id_for(&practitioner.device.id());
    let policy = &h.app.policy;
    assert_eq!(
        policy.access(&journey, &owner_peer).await,
        Some(Access::Write)
    );
    for peer in [
        coach_peer.clone(),
        "server-x".to_string(),
        peer_id_for(&Device::new().id()),
        format!("{owner_peer}-x"),
    ] {
        assert_eq!(policy.access(&journey, &peer).await, None, "{peer}");
    }
    let unknown = samod::DocumentId::try_from(vec![1u8; 16])
        .unwrap()
        .to_string();
    assert_eq!(policy.access(&unknown, &owner_peer).await, None);

    // Each change is announced to the open connections, naming whom it touches; the decision
    // taken again then follows it.
    let mut nudges = policy.nudges();
    for (share, expected) in [
        (Some("read"), Some(Access::Read)),
        (Some("write"), Some(Access::Write)),
        (None, None),
    ] {
        let journey_id = &practitioner.journey_id;
        let status = match share {
            Some(access) => h.share(&practitioner, journey_id, &coach, access).await.0,
            None => h.unshare(&practitioner, journey_id, &coach).await.0,
        };
        assert_eq!(status, StatusCode::NO_CONTENT);
        let nudge = next_nudge(&mut nudges).await;
        assert!(
            nudge.everyone() || nudge.people.contains(&coach.person_id),
            "{nudge:?}"
        );
        assert_eq!(policy.access(&journey, &coach_peer).await, expected);
    }
}

/// `GET /v1/catch-up?since=…` as `member`.
/// A document with one change, whose heads say when its rows are on disk.
fn with_a_change() -> automerge::Automerge {
    use automerge::transaction::Transactable;
    let mut doc = automerge::Automerge::new();
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(automerge::ROOT, "made", 1)?;
        Ok(())
    })
    .unwrap();
    doc
}

async fn catch_up(h: &Harness, member: &Member, since: u64) -> (Vec<String>, u64) {
    let (status, body) = h
        .call(
            Method::GET,
            &format!("/v1/catch-up?since={since}"),
            &member.device,
            Value::Null,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, links) = h
        .call(Method::GET, "/v1/links", &member.device, Value::Null)
        .await;
    assert_eq!(
        body["links"], links,
        "catch-up answers the links as /v1/links"
    );
    let changed = body["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_str().unwrap().to_string())
        .collect();
    (changed, body["cursor"].as_u64().unwrap())
}

#[tokio::test]
async fn catch_up_names_changed_documents_only_to_those_who_may_see_them() {
    let h = Harness::new().await;
    let (practitioner, client) = h.practitioner_and_client().await;
    let stranger = h.enrol(Role::Practitioner).await;
    let (nothing, start) = catch_up(&h, &client, 0).await;
    assert_eq!(nothing, Vec::<String>::new(), "nothing is stored yet");

    // A month of the client's journey, stored on the server, and registered by the client.
    let month = with_a_change();
    let month_id = h.app.engine.store_new(&month).await;
    let (status, body) = h
        .register(
            &client,
            json!({"doc_id": month_id, "kind": "check_ins", "journey_id": client.journey_id}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    // And a document of the stranger's own.
    let own = with_a_change();
    let own_id = h.app.engine.store_new(&own).await;
    let (status, _) = h
        .register(&stranger, json!({"doc_id": own_id, "kind": "journey"}))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    // Both are in the feed once their change is on disk.
    for (doc, id) in [(&month, &month_id), (&own, &own_id)] {
        h.app.durability.wait(id, &doc.get_heads()).await.unwrap();
    }

    let (changed, cursor) = catch_up(&h, &client, start).await;
    assert_eq!(changed, vec![month_id.clone()]);
    assert!(cursor > start, "the cursor moves: {start} -> {cursor}");
    // The practitioner follows the client's journey, so its months.
    let (changed, _) = catch_up(&h, &practitioner, 0).await;
    assert_eq!(changed, vec![month_id.clone()]);
    // A non-member learns nothing of it, from any cursor.
    let (changed, stranger_cursor) = catch_up(&h, &stranger, 0).await;
    assert_eq!(changed, vec![own_id.clone()]);
    assert_eq!(stranger_cursor, cursor, "one feed for the whole server");
    // Nothing changed since the cursor: nothing listed, the cursor stays.
    assert_eq!(catch_up(&h, &client, cursor).await, (vec![], cursor));

    // A later change of the month moves it up the feed.
    let mut month = month;
    month
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            use automerge::transaction::Transactable;
            tx.put(automerge::ROOT, "day", 1)?;
            Ok(())
        })
        .unwrap();
    h.app.engine.store(&month_id, &month).await;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    let later = loop {
        let (changed, later) = catch_up(&h, &client, cursor).await;
        if !changed.is_empty() {
            assert_eq!(changed, vec![month_id.clone()]);
            break later;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the change never reached the feed"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    assert!(later > cursor);
    let (changed, _) = catch_up(&h, &stranger, cursor).await;
    assert_eq!(changed, Vec::<String>::new());
    // Once the client stops sharing, the practitioner is not told of the month any more.
    let (status, _) = h.unshare(&client, &client.journey_id, &practitioner).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(catch_up(&h, &practitioner, 0).await.0, Vec::<String>::new());
}

#[tokio::test]
async fn catch_up_needs_a_numeric_since() {
    let h = Harness::new().await;
    let member = h.enrol(Role::Coach).await;
    for path in [
        "/v1/catch-up",
        "/v1/catch-up?since=",
        "/v1/catch-up?since=abc",
        "/v1/catch-up?since=-1",
        "/v1/catch-up?since=1.5",
    ] {
        let (status, body) = h.call(Method::GET, path, &member.device, Value::Null).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (StatusCode::BAD_REQUEST, Some("invalid")),
            "{path}: {body}"
        );
        assert!(
            body["message"].as_str().unwrap().contains("since"),
            "{body}"
        );
    }
    // Without a token it is a 401, as for every member call.
    let (status, _) = h.raw(Method::GET, "/v1/catch-up?since=0", None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // A bad notices or since on the sync route is a 400 before any upgrade.
    for query in ["notices=yes", "notices=1&since=x"] {
        let path = format!("/v1/sync?token={}&{query}", h.token(&member.device));
        let (status, body) = h.raw(Method::GET, &path, None, None).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (StatusCode::BAD_REQUEST, Some("invalid")),
            "{query}: {body}"
        );
    }
}

impl Harness {
    async fn about(&self, code: &str) -> (StatusCode, Value) {
        let body = json!({ "code": code }).to_string();
        self.raw(Method::POST, "/v1/codes/about", None, Some(body))
            .await
    }
}

#[tokio::test]
async fn looking_at_a_code_tells_what_it_does_and_who_made_it_without_using_it() {
    let h = Harness::new().await;
    let practitioner = h.enrol(Role::Practitioner).await;
    let (status, body) = h
        .call(
            Method::POST,
            "/v1/invitations",
            &practitioner.device,
            json!({"kind": "client", "from_name": "  Alex Rivera "}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let code = body["code"].as_str().unwrap().to_string();

    // Asked twice, in the client's own typing: the code is still there to use.
    for typed in [code.clone(), code.to_lowercase().replace('-', " ")] {
        let (status, about) = h.about(&typed).await;
        assert_eq!(status, StatusCode::OK, "{about}");
        assert_eq!(about["kind"], "client");
        assert_eq!(about["issuer_role"], "practitioner");
        assert_eq!(about["issuer_name"], "Alex Rivera");
        assert_eq!(about["expires_at"], body["expires_at"]);
    }
    let (client, joined) = h.join_new(&code).await;
    assert_eq!(joined["linked_name"], "Alex Rivera");
    assert_eq!(joined["linked"]["person_id"], practitioner.person_id);
    // What the client shares, as the client's links say it: their journey, writable.
    let (_, links) = h
        .call(Method::GET, "/v1/links", &client.device, Value::Null)
        .await;
    assert_eq!(links[0]["their_access"], "write");
    assert_eq!(links[0]["access"], Value::Null);

    // Used: refused as joining refuses it, and the name is no longer kept.
    let (status, about) = h.about(&code).await;
    assert_eq!(
        (status, about["error"].as_str()),
        (StatusCode::GONE, Some("code_used"))
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM invitations WHERE from_name IS NULL")
            .await,
        1
    );
    assert_eq!(h.count("SELECT COUNT(*) FROM invitations").await, 1);

    // An operator's code enrols; it names nobody.
    let enrol = h
        .app
        .directory
        .create_enrolment_code(Role::Coach, now(), now() + 60)
        .await
        .unwrap();
    let (status, about) = h.about(&enrol).await;
    assert_eq!(status, StatusCode::OK, "{about}");
    assert_eq!(about["kind"], "enrol_coach");
    assert_eq!(about["issuer_role"], Value::Null);

    // Mistyped, junk, or a name nobody could read.
    for typed in ["ABCD-EFGH-JKMN", "not a code", ""] {
        let (status, about) = h.about(typed).await;
        assert_eq!(
            (status, about["error"].as_str()),
            (StatusCode::NOT_FOUND, Some("unknown_code")),
            "{typed}"
        );
    }
    let (status, body) = h
        .call(
            Method::POST,
            "/v1/invitations",
            &practitioner.device,
            json!({"kind": "client", "from_name": "x".repeat(61)}),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid"))
    );
}

#[tokio::test]
async fn asking_about_codes_too_often_from_one_address_is_refused() {
    let h = Harness::new().await;
    let practitioner = h.enrol(Role::Practitioner).await;
    let code = h.invite(&practitioner, InvitationKind::Client).await;
    // Guesses count like real codes.
    for _ in 0..tandem_server::limits::CODE_LOOKUPS_BURST - 1 {
        let (status, _) = h.about("ABCD-EFGH-JKMN").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let (status, _) = h.about(&code).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = h.about(&code).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("too_many_requests"))
    );
    // The code itself is untouched: joining still works.
    let (_, joined) = h.join_new(&code).await;
    assert_eq!(joined["linked"]["person_id"], practitioner.person_id);
}

#[tokio::test]
async fn a_backup_of_the_sqlite_file_is_taken_while_serving_and_holds_everyone() {
    let h = Harness::new().await;
    let Storage::Sqlite(data_dir) = h.storage.clone() else {
        return; // PostgreSQL is backed up with pg_dump.
    };
    let member = h.enrol(Role::Practitioner).await;
    let copy = h._dir.path().join("copy.db");
    let bytes = tandem_server::server::backup(&data_dir, &copy).unwrap();
    assert!(bytes > 0);
    // The server goes on serving meanwhile.
    let (status, _) = h
        .call(Method::GET, "/v1/links", &member.device, Value::Null)
        .await;
    assert_eq!(status, StatusCode::OK);
    let backup = rusqlite::Connection::open(&copy).unwrap();
    let people: Vec<String> = backup
        .prepare("SELECT person_id FROM people")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(people, vec![member.person_id.clone()]);
    let server_id: String = backup
        .query_row("SELECT server_id FROM server", [], |r| r.get(0))
        .unwrap();
    assert_eq!(server_id, h.server_id());
    // A backup never overwrites a file.
    let again = tandem_server::server::backup(&data_dir, &copy).unwrap_err();
    assert!(again.to_string().contains("exists already"), "{again}");
}

#[tokio::test]
async fn a_person_lists_names_and_removes_their_devices_and_a_removed_one_is_refused() {
    let h = Harness::new().await;
    let alex = h.enrol(Role::Practitioner).await;
    let code = h.invite(&alex, InvitationKind::Device).await;
    let tablet = Member {
        device: Device::new(),
        person_id: new_person_id(),
        journey_id: new_doc_id(),
        private_id: new_doc_id(),
    };
    let (status, _) = h.join_device(&tablet, &code).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = h
        .call(
            Method::POST,
            "/v1/devices/name",
            &tablet.device,
            json!({"name": "Alex's tablet"}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = h
        .call(
            Method::POST,
            "/v1/devices/name",
            &tablet.device,
            json!({"name": "  "}),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid"))
    );

    let (status, listed) = h
        .call(Method::GET, "/v1/devices", &alex.device, Value::Null)
        .await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 2);
    let mine = listed.iter().find(|d| d["this_device"] == true).unwrap();
    assert_eq!(mine["device_id"], alex.device.id());
    assert!(
        mine["last_seen_at"].as_i64().is_some(),
        "this call counts as seen"
    );
    let other = listed.iter().find(|d| d["this_device"] == false).unwrap();
    assert_eq!(other["name"], "Alex's tablet");

    // Someone else cannot remove Alex's tablet, and learns nothing from trying: the same
    // answer as for a device that does not exist.
    let sam = h.enrol(Role::Practitioner).await;
    let path = format!("/v1/devices/{}", tablet.device.id());
    let (status, theirs) = h
        .call(Method::DELETE, &path, &sam.device, Value::Null)
        .await;
    let (_, none) = h
        .call(
            Method::DELETE,
            "/v1/devices/NoSuchDevice",
            &sam.device,
            Value::Null,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(theirs["error"], none["error"]);
    // A device cannot remove itself.
    let own = format!("/v1/devices/{}", alex.device.id());
    let (status, _) = h
        .call(Method::DELETE, &own, &alex.device, Value::Null)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let (status, _) = h
        .call(Method::DELETE, &path, &alex.device, Value::Null)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    // The removed tablet is refused, and told why, whatever it asks.
    for (method, route) in [(Method::GET, "/v1/links"), (Method::GET, "/v1/devices")] {
        let (status, body) = h.call(method, route, &tablet.device, Value::Null).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (StatusCode::UNAUTHORIZED, Some("device_removed")),
            "{route}"
        );
    }
    let again = h.invite(&alex, InvitationKind::Device).await;
    let (status, body) = h.join_device(&tablet, &again).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("device_removed"))
    );
    // And it no longer reaches Alex's documents.
    assert_eq!(
        h.app
            .directory
            .device_person(&tablet.device.id())
            .await
            .unwrap(),
        None
    );
    let (_, listed) = h
        .call(Method::GET, "/v1/devices", &alex.device, Value::Null)
        .await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
}
