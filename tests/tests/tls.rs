//! Sync over TLS: a real `tandem-server` process serving HTTPS and WSS on 127.0.0.1 with a
//! certificate from a service's own certificate authority, made for the test. A store given
//! that authority's certificate enrols and syncs; a store that does not trust it is refused
//! with a sentence saying why, and so is one that trusts another authority.

use std::ffi::OsStr;

use tandem_core::journey::{LifeArea, ValueInput};
use tandem_core::sync::session::{enrol, sync_now};
use tandem_core::{OpenOptions, Store};
use tandem_tests::certificates::{authority, server_tls};
use tandem_tests::server_process::ServerProcess;

fn store(dir: &tempfile::TempDir, name: &str, trusted: Option<&str>) -> Store {
    Store::open(
        dir.path().join(format!("{name}.db")),
        OpenOptions {
            trusted_certificates: trusted.map(String::from),
            ..Default::default()
        },
    )
    .unwrap()
}

/// A server on 127.0.0.1 serving HTTPS and WSS with a certificate from a certificate
/// authority made for the test, and that authority's certificate (PEM).
fn tls_server(dir: &tempfile::TempDir) -> (String, ServerProcess) {
    let (ca_pem, ca) = authority("Tandem test service CA");
    let args = server_tls(dir.path(), &ca);
    let args: Vec<&OsStr> = args.iter().map(|a| a.as_os_str()).collect();
    let server = ServerProcess::start_with(&dir.path().join("server"), 0, &args);
    (ca_pem, server)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_that_trusts_the_services_authority_syncs_over_tls_and_others_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (ca_pem, server) = tls_server(&dir);
    assert!(server.url.starts_with("https://"), "{}", server.url);

    // Trusting the authority: enrol (HTTPS) and sync (WSS).
    let alex = store(&dir, "alex", Some(&ca_pem));
    enrol(&alex, &server.url, &server.enrol_code("practitioner"))
        .await
        .expect("enrols over HTTPS");
    alex.add_value(&ValueInput {
        text: "Time outdoors".into(),
        life_area: LifeArea::Health,
        importance: 8,
    })
    .unwrap();
    let report = sync_now(&alex, &|_| {}).await.expect("syncs over WSS");
    assert!(report.documents >= 2, "{report:?}");
    assert!(report.wire.sent_bytes > 0);

    // Trusting only the public roots, or another authority: refused, and told why.
    let (other_pem, _) = authority("Some other CA");
    for (name, trusted) in [("plain", None), ("other", Some(other_pem.as_str()))] {
        let someone = store(&dir, name, trusted);
        let refused = enrol(&someone, &server.url, &server.enrol_code("practitioner"))
            .await
            .expect_err("an untrusted certificate is refused");
        let text = refused.to_string();
        assert!(
            text.contains("certificate this device does not trust"),
            "{name}: {text}"
        );
        assert!(
            someone.server().unwrap().is_none(),
            "{name}: nothing joined"
        );
    }
    // The same store opened without the authority: its sync is refused the same way.
    drop(alex);
    let alex = store(&dir, "alex", None);
    let refused = sync_now(&alex, &|_| {}).await.expect_err("refused");
    assert!(refused.to_string().contains("does not trust"), "{refused}");

    // Something that is not a certificate is a clear error, not a crash.
    let junk = store(&dir, "junk", Some("not a certificate"));
    let wrong = enrol(&junk, &server.url, "ABCD-EFGH-JKLM")
        .await
        .expect_err("no certificate in it");
    assert!(wrong.to_string().contains("no PEM certificate"), "{wrong}");
}

/// The apps' way in: `TandemStore`'s constructor and `join_device` take the certificates to
/// trust, and a store opened without them is refused with the same sentence.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bindings_take_the_certificates_to_trust() {
    use tandem_ffi::{join_device, InvitationKind, TandemStore};
    let dir = tempfile::tempdir().unwrap();
    let (ca_pem, server) = tls_server(&dir);
    let path = |name: &str| dir.path().join(name).to_string_lossy().into_owned();

    let phone = TandemStore::open(path("phone.db"), None, Some(ca_pem.clone()), None).unwrap();
    phone
        .enrol(server.url.clone(), server.enrol_code("practitioner"))
        .await
        .expect("enrols over HTTPS");
    phone.sync_now().await.expect("syncs over WSS");
    let code = phone
        .invite(InvitationKind::Device)
        .await
        .expect("a device code")
        .code;

    // A tablet joins with that code, trusting the authority, and syncs.
    let tablet = join_device(
        path("tablet.db"),
        server.url.clone(),
        code,
        None,
        Some(ca_pem),
    )
    .await
    .expect("joins over HTTPS");
    tablet
        .store
        .sync_now()
        .await
        .expect("the tablet syncs over WSS");
    assert_eq!(
        tablet.store.identity().unwrap().person_id,
        phone.identity().unwrap().person_id
    );

    // Without the authority, the same store's sync is refused, in words.
    drop(phone);
    let untrusting = TandemStore::open(path("phone.db"), None, None, None).unwrap();
    let refused = untrusting.sync_now().await.expect_err("refused");
    assert!(refused.to_string().contains("does not trust"), "{refused}");
}
