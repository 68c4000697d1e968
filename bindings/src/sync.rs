//! Sync: enrolling, invitations, joining, sharing, one-shot sync and the background (live) sync
//! service. The calls that talk to the server are `async` and run on the bindings' runtime.

use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use tandem_core::sync::{api, service, session};
use tokio::sync::watch;

use crate::convert::system_time;
use crate::error::TandemError;
use crate::journey::ffi_enum;
use crate::keys::StoreKey;
use crate::linked::LinkedJourney;
use crate::observe::{self, Subscription, SyncStatusObserver};
use crate::runtime::{run, runtime};
use crate::store::TandemStore;

ffi_enum!(
    /// A person's role on a server.
    Role = api::Role { Client, Practitioner, Coach }
);

ffi_enum!(
    /// What an invitation code is for.
    InvitationKind = api::InvitationKind {
        /// A practitioner invites a client.
        Client,
        /// A coach invites a practitioner.
        Practitioner,
        /// A person adds one of their own devices.
        Device,
    }
);

ffi_enum!(
    /// How a linked person may use a journey.
    Access = api::Access { Read, Write }
);

ffi_enum!(
    /// Why the server refused a call (`TandemError.Refused`), so the app can act on it.
    RefusalReason = api::Reason {
        /// The request was not well formed.
        Invalid,
        /// The device's token was not a token.
        Malformed,
        /// The token's signature does not match its device key.
        BadSignature,
        /// The token was made for another server.
        WrongServer,
        /// The token is from the future: the device's clock is wrong.
        NotYetValid,
        /// The token has expired: the device's clock may be wrong.
        Expired,
        /// The token lives longer than the server allows.
        TooLong,
        /// The token was used before.
        Replayed,
        /// This device belongs to nobody on the server (not joined yet).
        UnknownDevice,
        /// This device was removed from its account (from another of the person's devices):
        /// say so, and offer to erase what it holds (`erase_store`).
        DeviceRemoved,
        /// This device's account was erased (from another of the person's devices, or by the
        /// operator): close the store and erase it (`erase_store`), then start afresh.
        AccountErased,
        /// The document was erased with its owner's account: it cannot be uploaded again.
        Erased,
        /// No such person on the server.
        UnknownPerson,
        /// No such code: mistyped, or from another server. Show it beside the code.
        UnknownCode,
        /// The code was used already: ask for a new one.
        CodeUsed,
        /// The code has expired: ask for a new one.
        CodeExpired,
        /// A device code, given where a person joins: add the device with `join_device`.
        CodeForDevice,
        /// A person's code, given where a device is added: join with `TandemStore.join`.
        CodeForPerson,
        /// A client's data may not go to a coach.
        ClientData,
        /// This device belongs to someone already.
        DeviceKnown,
        /// The document belongs to someone else.
        DocumentTaken,
        /// The two people are not linked.
        NotLinked,
        /// This person is not a member of that document.
        NotMember,
        /// Only the document's owner may do that.
        NotOwner,
        /// The person is on the server already.
        PersonExists,
        /// A private document is never shared.
        PrivateDocument,
        /// A care or coaching document is shared by its two people only.
        RelationshipDocument,
        /// No such document on the server.
        UnknownDocument,
        /// The call names a person it may not.
        WrongPerson,
        /// The person's role does not allow this.
        WrongRole,
        /// This account was closed by its service (a practitioner who left): they can no
        /// longer invite or be linked to anyone; their own journey still syncs.
        Deactivated,
        /// No such offer of a new practitioner waits (answered already, or withdrawn).
        NoHandover,
        /// This app is too old for its server: say "update the app" (its edits stay safe here).
        UpdateApp,
        /// Too many code lookups from this address: wait a minute.
        TooManyRequests,
        /// The server has no such route (an older or newer server).
        NotFound,
        /// The server failed; try again later.
        Internal,
        /// A reason this version of Tandem does not know (a newer server): show the detail.
        Unknown,
    }
);

/// What enrolling did.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Enrolled {
    pub server_id: String,
    pub person_id: String,
    pub role: Role,
    /// The person's recovery code: show it once, and say to keep it somewhere safe (with it, a
    /// new phone takes over the account when every device is lost: `recover`).
    pub recovery_code: Option<String>,
}

/// A one-time invitation code to give to the person invited.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Invitation {
    /// Shown as `XXXX-XXXX-XXXX`; case, dashes and spaces do not matter.
    pub code: String,
    pub kind: InvitationKind,
    /// When the code stops working (72 hours after it was made).
    pub expires_at: SystemTime,
}

/// Another person linked to this one, and what they share with them.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Link {
    pub person_id: String,
    pub role: Role,
    /// Their journey, when this person may sync it (open it with `linked_journey`).
    pub journey_id: Option<String>,
    /// The care or coaching document between the two, once registered.
    pub relationship_doc_id: Option<String>,
    /// This person's access to their journey.
    pub access: Option<Access>,
    /// Their access to this person's journey (what this person shares with them).
    pub their_access: Option<Access>,
}

/// What joining did.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Joined {
    pub server_id: String,
    /// The person this store now belongs to: another person's id after a device code.
    pub person_id: String,
    pub role: Role,
    pub journey_id: String,
    pub private_id: String,
    /// For a client or practitioner code: the person who invited.
    pub linked: Option<Link>,
    /// The name they gave with the code, if any.
    pub linked_name: Option<String>,
    /// A new person's recovery code (see `Enrolled`); after `recover`, the code that replaces
    /// the one used. Show it once.
    pub recovery_code: Option<String>,
}

/// The server a store is joined to.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ServerLink {
    /// Base URL, e.g. `https://tandem.example.org/`.
    pub url: String,
    pub server_id: String,
    /// This person's role there.
    pub role: Role,
    /// When a sync last finished.
    pub last_synced_at: Option<SystemTime>,
}

/// Where sync stands.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum SyncState {
    /// Not syncing: the app said the device is offline, or the last attempt failed.
    Offline,
    Connecting,
    /// Bringing `documents` documents up to date.
    Syncing {
        documents: u32,
    },
    /// Everything was up to date when the last sync ended.
    UpToDate,
    /// Connected and up to date: edits go out and arrive as they are made.
    Live,
}

/// What a person sees about sync.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SyncStatus {
    pub state: SyncState,
    pub last_synced_at: Option<SystemTime>,
    /// Why the last attempt failed, while it stands.
    pub last_error: Option<String>,
    /// When the server refused (rather than could not be reached): its reason. None with a
    /// `last_error` means the server could not be reached.
    #[uniffi(default = None)]
    pub last_refusal: Option<RefusalReason>,
}

/// What crossed the wire in a sync.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct WireStats {
    pub sent_bytes: u64,
    pub received_bytes: u64,
    pub sent_messages: u64,
    pub received_messages: u64,
    /// Turns from sending to receiving.
    pub round_trips: u64,
}

/// What a sync did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SyncReport {
    /// Documents brought up to date.
    pub documents: u32,
    /// Documents the server did not give (not shared with this person, or not there yet).
    pub unavailable: u32,
    pub duration_ms: u64,
    pub wire: WireStats,
}

impl From<api::Enrolled> for Enrolled {
    fn from(e: api::Enrolled) -> Self {
        Enrolled {
            server_id: e.server_id,
            person_id: e.person_id,
            role: e.role,
            recovery_code: e.recovery_code,
        }
    }
}

impl From<api::Invitation> for Invitation {
    fn from(i: api::Invitation) -> Self {
        Invitation {
            expires_at: system_time(i.expires_at),
            code: i.code,
            kind: i.kind,
        }
    }
}

impl From<api::Link> for Link {
    fn from(l: api::Link) -> Self {
        Link {
            person_id: l.person_id,
            role: l.role,
            journey_id: l.journey_id,
            relationship_doc_id: l.relationship_doc_id,
            access: l.access,
            their_access: l.their_access,
        }
    }
}

impl From<api::Joined> for Joined {
    fn from(j: api::Joined) -> Self {
        Joined {
            server_id: j.server_id,
            person_id: j.person_id,
            role: j.role,
            journey_id: j.journey_id,
            private_id: j.private_id,
            linked: j.linked.map(Link::from),
            linked_name: j.linked_name,
            recovery_code: j.recovery_code,
        }
    }
}

impl From<tandem_core::sync::ServerLink> for ServerLink {
    fn from(s: tandem_core::sync::ServerLink) -> Self {
        ServerLink {
            last_synced_at: s.last_synced_at.map(system_time),
            url: s.url,
            server_id: s.server_id,
            role: s.role,
        }
    }
}

impl From<tandem_core::sync::SyncState> for SyncState {
    fn from(s: tandem_core::sync::SyncState) -> Self {
        use tandem_core::sync::SyncState as Core;
        match s {
            Core::Offline => SyncState::Offline,
            Core::Connecting => SyncState::Connecting,
            Core::Syncing { documents } => SyncState::Syncing { documents },
            Core::UpToDate => SyncState::UpToDate,
            Core::Live => SyncState::Live,
        }
    }
}

impl From<tandem_core::sync::SyncStatus> for SyncStatus {
    fn from(s: tandem_core::sync::SyncStatus) -> Self {
        SyncStatus {
            state: s.state.into(),
            last_synced_at: s.last_synced_at.map(system_time),
            last_error: s.last_error,
            last_refusal: s.last_refusal,
        }
    }
}

impl From<tandem_core::sync::transport::WireStats> for WireStats {
    fn from(w: tandem_core::sync::transport::WireStats) -> Self {
        WireStats {
            sent_bytes: w.sent_bytes,
            received_bytes: w.received_bytes,
            sent_messages: w.sent_messages,
            received_messages: w.received_messages,
            round_trips: w.round_trips,
        }
    }
}

impl From<tandem_core::sync::SyncReport> for SyncReport {
    fn from(r: tandem_core::sync::SyncReport) -> Self {
        SyncReport {
            documents: r.documents,
            unavailable: r.unavailable,
            duration_ms: r.duration_ms,
            wire: r.wire.into(),
        }
    }
}

/// The version of the consent texts this build shows people before they share (see
/// `consent_text`; joining records that they agreed to it). Quick.
#[uniffi::export]
pub fn consent_text_version() -> String {
    session::CONSENT_TEXT_VERSION.to_string()
}

#[uniffi::export]
impl TandemStore {
    /// The server this store is joined to, if any. Quick.
    pub fn server(&self) -> Result<Option<ServerLink>, TandemError> {
        Ok(self.store().server()?.map(ServerLink::from))
    }

    /// The people linked to this person (a practitioner's clients, a client's practitioner, a
    /// coach's practitioners ...), as the server said at the last sync. Quick.
    pub fn links(&self) -> Result<Vec<Link>, TandemError> {
        Ok(crate::journey::into_all(self.store().links()?))
    }

    /// The journey `journey_id` of a linked person (see `links`), readable once a sync has
    /// brought it. Quick.
    pub fn linked_journey(&self, journey_id: String) -> Result<Arc<LinkedJourney>, TandemError> {
        LinkedJourney::new(self, journey_id)
    }

    /// Starts syncing in the background, offline until `set_online(true)`: then one live
    /// connection carries each edit out as it is made and others' edits in as the server
    /// stores them (change observers hear them), reconnecting with backoff (0.5 s doubling to
    /// 60 s) after failures. `set_online(true)` again means the network changed (reconnect at
    /// once); `set_online(false)` when offline or in the background closes it. Keep one per
    /// store; stop it (or drop it) to end it. Quick.
    pub fn sync_service(&self) -> Result<Arc<SyncService>, TandemError> {
        let store = self.store();
        let _entered = runtime()?.enter();
        let inner = service::SyncService::start(store);
        Ok(Arc::new(SyncService {
            status: inner.status(),
            inner: Mutex::new(Some(inner)),
        }))
    }
}

#[uniffi::export]
impl TandemStore {
    /// Enrols this person on `server` (its base URL) with a code its operator gave:
    /// practitioners and coaches start here. Network: async.
    pub async fn enrol(&self, server: String, code: String) -> Result<Enrolled, TandemError> {
        let store = self.store();
        run(async move { Ok(session::enrol(&store, &server, &code).await?.into()) }).await
    }

    /// Makes a one-time invitation code (valid 72 hours): `Client` for a practitioner's
    /// client, `Practitioner` for a coach's practitioner, `Device` for another device of this
    /// person. Needs a joined server. Network: async.
    pub async fn invite(&self, kind: InvitationKind) -> Result<Invitation, TandemError> {
        let store = self.store();
        run(async move { Ok(session::invite(&store, kind).await?.into()) }).await
    }

    /// Joins `server` with a client or practitioner invitation code: this person is linked to
    /// the one who invited them and consents to share their journey with them (show the
    /// consent text of `consent_text_version()` first). A device code is refused with
    /// `Refused(CODE_FOR_DEVICE)` and stays usable: a new device joins with `join_device`.
    /// Network: async.
    pub async fn join(&self, server: String, code: String) -> Result<Joined, TandemError> {
        let store = self.store();
        run(async move { Ok(session::join(&store, &server, &code).await?.into()) }).await
    }

    /// Shares one of this person's documents with a linked person (in practice their journey,
    /// `identity().journey_id`, e.g. a practitioner with their coach), read-only or writable.
    /// Network: async.
    pub async fn share(
        &self,
        doc_id: String,
        person_id: String,
        access: Access,
    ) -> Result<(), TandemError> {
        let store = self.store();
        run(async move { Ok(session::share(&store, &doc_id, &person_id, access).await?) }).await
    }

    /// Stops sharing a document with a person; the server stops syncing it to them at once
    /// (what they synced before stays on their device). Network: async.
    pub async fn revoke(&self, doc_id: String, person_id: String) -> Result<(), TandemError> {
        let store = self.store();
        run(async move { Ok(session::revoke(&store, &doc_id, &person_id).await?) }).await
    }

    /// Syncs now, once: sends this device's edits and brings everyone else's, for every
    /// document this person may see that changed, then disconnects (for background jobs:
    /// WorkManager, background refresh). Change observers hear `on_change(false)` for each
    /// edit from elsewhere it stores. Network: async (well under a second on a good
    /// connection when little changed).
    pub async fn sync_now(&self) -> Result<SyncReport, TandemError> {
        let store = self.store();
        run(async move { Ok(session::sync_now(&store, &|_| {}).await?.into()) }).await
    }

    /// Rewrites each of the person's documents as one compact snapshot, so the store takes the
    /// least room (e.g. when the app goes to the background). Disk: async.
    pub async fn compact(&self) -> Result<(), TandemError> {
        let store = self.store();
        run(async move { Ok(store.compact_all()?) }).await
    }
}

/// The background sync of one store (see `TandemStore.sync_service`).
#[derive(uniffi::Object)]
pub struct SyncService {
    inner: Mutex<Option<service::SyncService>>,
    status: watch::Receiver<tandem_core::sync::SyncStatus>,
}

#[uniffi::export]
impl SyncService {
    /// Tells the service whether the device is online (the app knows; Tandem does not):
    /// going online syncs at once, going offline stops trying. Quick.
    pub fn set_online(&self, online: bool) {
        if let Some(inner) = &*self.inner.lock().unwrap_or_else(|e| e.into_inner()) {
            inner.set_online(online);
        }
    }

    /// Where sync stands now. Quick.
    pub fn status(&self) -> SyncStatus {
        self.status.borrow().clone().into()
    }

    /// Calls `observer` with the status now, then after every change, on a background
    /// thread, until the subscription is cancelled or dropped or the service stops. Quick.
    pub fn subscribe_status(
        &self,
        observer: Arc<dyn SyncStatusObserver>,
    ) -> Result<Arc<Subscription>, TandemError> {
        observe::follow_status(self.status.clone(), observer)
    }

    /// Stops the service (a session under way is cut off; what it received is kept or will
    /// be fetched again). Stopping twice is harmless. Quick.
    pub fn stop(&self) {
        if let Some(inner) = self.inner.lock().unwrap_or_else(|e| e.into_inner()).take() {
            inner.stop();
        }
    }
}

/// A store made by joining with a device code (see `join_device`).
#[derive(uniffi::Record)]
pub struct JoinedDevice {
    /// The store, now another device of the person who made the code.
    pub store: Arc<TandemStore>,
    pub joined: Joined,
}

/// Makes the store at `path` another device of the person who made the device code `code`,
/// and returns it: their journey arrives with the first sync. When there is no store at
/// `path` one is made; a store there must be unused (no journey of its own, no server), and
/// must not be open meanwhile (drop any `TandemStore` on it first). A person's code is refused
/// with `Refused(CODE_FOR_PERSON)` and stays usable. `key`: the store's key, for a store
/// encrypted at rest (a new store is encrypted with it). `trusted_certificates`: as for
/// `TandemStore`'s constructor. Network: async.
#[uniffi::export(default(key = None, trusted_certificates = None))]
pub async fn join_device(
    path: String,
    server: String,
    code: String,
    key: Option<StoreKey>,
    trusted_certificates: Option<String>,
) -> Result<JoinedDevice, TandemError> {
    run(async move {
        let options = opening(key, trusted_certificates)?;
        device(session::join_device(std::path::PathBuf::from(path), &server, &code, options).await?)
    })
    .await
}

/// Brings back the account of a person whose every device is lost onto a new store at
/// `path`, with their recovery code: their other devices are removed, this one takes their
/// identity, and their journey arrives with the first sync. `joined.recovery_code` is the new
/// code that replaces the one used: show it once. The store at `path` must be unused, as for
/// `join_device` (and opens with `key`, as there); a wrong code is `Refused(UNKNOWN_CODE)`, too many tries from one address
/// `Refused(TOO_MANY_REQUESTS)`. Network: async.
#[uniffi::export(default(key = None, trusted_certificates = None))]
pub async fn recover(
    path: String,
    server: String,
    code: String,
    key: Option<StoreKey>,
    trusted_certificates: Option<String>,
) -> Result<JoinedDevice, TandemError> {
    run(async move {
        let options = opening(key, trusted_certificates)?;
        device(session::recover(std::path::PathBuf::from(path), &server, &code, options).await?)
    })
    .await
}

/// How a store becoming a device opens: with `key` when it is encrypted (or is to be).
fn opening(
    key: Option<StoreKey>,
    trusted_certificates: Option<String>,
) -> Result<tandem_core::OpenOptions, TandemError> {
    Ok(tandem_core::OpenOptions {
        trusted_certificates,
        key: key.map(tandem_core::StoreKey::try_from).transpose()?,
        ..Default::default()
    })
}

fn device((store, joined): (tandem_core::Store, api::Joined)) -> Result<JoinedDevice, TandemError> {
    Ok(JoinedDevice {
        store: TandemStore::new(store),
        joined: joined.into(),
    })
}
