//! What the sync tests share: the stores' options, one person's phone and tablet on a real
//! server, and a bounded wait.

use std::path::Path;
use std::time::Duration;

use tandem_core::sync::api::InvitationKind;
use tandem_core::sync::session::{enrol, invite, join_device, sync_now};
use tandem_core::{OpenOptions, Store};

use crate::server_process::ServerProcess;

/// How the tests open stores: scheduled in London.
pub fn options() -> OpenOptions {
    OpenOptions {
        time_zone: Some("Europe/London".into()),
        ..Default::default()
    }
}

/// A practitioner's phone (`phone.db` in `dir`), enrolled on `server` and synced, and their
/// tablet (`tablet.db`), joined with a device code the phone made.
pub async fn phone_and_tablet(server: &ServerProcess, dir: &Path) -> (Store, Store) {
    let phone = Store::open(dir.join("phone.db"), options()).expect("the phone's store");
    enrol(&phone, &server.url, &server.enrol_code("practitioner"))
        .await
        .expect("the phone enrols");
    let code = invite(&phone, InvitationKind::Device)
        .await
        .expect("a device code")
        .code;
    sync_now(&phone, &|_| {}).await.expect("the phone syncs");
    let (tablet, _) = join_device(dir.join("tablet.db"), &server.url, &code, options())
        .await
        .expect("the tablet joins");
    (phone, tablet)
}

/// Waits (at most a minute, looking every 50 ms) until `check` holds; panics with `what`.
pub async fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    for _ in 0..1200 {
        if check() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{what} did not happen within a minute");
}
