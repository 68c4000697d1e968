//! Which apps a server accepts: every device says which version of Tandem's protocol it speaks
//! (header `tandem-protocol`); a server whose operator raised the oldest version it accepts
//! (`--min-protocol`, `TANDEM_MIN_PROTOCOL`) tells an older app "update the app" — on every
//! call and at the sync upgrade — and changes nothing, while the same app syncs again once the
//! server accepts it. Real server processes, on SQLite and on PostgreSQL.

use std::ffi::OsStr;

use tandem_core::sync::api::{Reason, PROTOCOL_HEADER, PROTOCOL_VERSION};
use tandem_core::sync::session::{enrol, sync_now};
use tandem_core::Store;
use tandem_tests::devices::{options, sync, value};
use tandem_tests::server_process::ServerProcess;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_app_older_than_the_server_accepts_is_told_to_update_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("server");
    let server = ServerProcess::start(&data);
    let port = server.port();
    let alex = Store::open(dir.path().join("alex.db"), options()).unwrap();
    enrol(&alex, &server.url, &server.enrol_code("practitioner"))
        .await
        .unwrap();
    alex.add_value(&value("Time outdoors")).unwrap();
    sync(&alex).await;
    drop(server);

    // The operator makes this app's protocol too old.
    let newer = (PROTOCOL_VERSION + 1).to_string();
    let strict = ServerProcess::start_with(
        &data,
        port,
        &[OsStr::new("--min-protocol"), OsStr::new(&newer)],
    );
    alex.add_value(&value("Written while the app was too old"))
        .unwrap();
    let refused = sync_now(&alex, &|_| {}).await.unwrap_err();
    assert_eq!(refused.refusal(), Some(Reason::UpdateApp), "{refused}");
    assert!(refused.to_string().contains("update the app"), "{refused}");
    // Nothing was lost on the device.
    assert_eq!(alex.journey().unwrap().values.len(), 2);

    // The same at the sync upgrade and on any call; a request that does not say (a probe, an
    // automerge-repo peer) is served; a header that is not a number is refused as invalid.
    let http = reqwest::Client::new();
    let ask = |version: Option<&str>| {
        let mut request = http.get(format!("{}/v1/server", strict.url));
        if let Some(v) = version {
            request = request.header(PROTOCOL_HEADER, v);
        }
        request.send()
    };
    assert_eq!(
        ask(Some(&PROTOCOL_VERSION.to_string()))
            .await
            .unwrap()
            .status(),
        426
    );
    assert_eq!(ask(Some(&newer)).await.unwrap().status(), 200);
    assert_eq!(ask(None).await.unwrap().status(), 200);
    assert_eq!(ask(Some("one")).await.unwrap().status(), 400);
    let ws = strict.url.replacen("http://", "ws://", 1) + "/v1/sync?token=x";
    let mut upgrade =
        tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(ws.as_str())
            .unwrap();
    upgrade.headers_mut().insert(
        PROTOCOL_HEADER,
        PROTOCOL_VERSION.to_string().parse().unwrap(),
    );
    match tokio_tungstenite::connect_async(upgrade).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), 426);
            let body: serde_json::Value =
                serde_json::from_slice(response.body().as_deref().unwrap_or_default()).unwrap();
            assert_eq!(body["error"], "update_app");
        }
        other => panic!("the upgrade was not refused: {other:?}"),
    }
    drop(strict);

    // A server that accepts this app again: the edit made meanwhile syncs.
    let _server = ServerProcess::start_on(&data, port);
    sync(&alex).await;
}
