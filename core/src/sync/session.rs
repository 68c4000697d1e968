//! Joining a server and syncing with it.
//!
//! A sync session connects, brings every document this person may see up to date in both
//! directions, and disconnects. Everything works offline; a session is how edits meet.

use samod::DocumentId;
use serde::Serialize;

use super::api::*;
use super::engine::{converse, Events, Mode, Target};
use super::http::Api;
use super::transport::WireStats;
use crate::document::DocKind;
use crate::error::{Error, Result};
use crate::relationships::{consent, ConsentTopic};
use crate::store::Store;

pub use crate::relationships::CONSENT_TEXT_VERSION;

/// Where sync stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum SyncState {
    Offline,
    Connecting,
    Syncing {
        documents: u32,
    },
    /// Everything was up to date when the last sync ended.
    UpToDate,
    /// Connected and up to date: edits go out and arrive as they are made.
    Live,
}

/// What a person sees about sync.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncStatus {
    pub state: SyncState,
    pub last_synced_at: Option<chrono::DateTime<chrono::Utc>>,
    pub last_error: Option<String>,
    /// When the server refused (rather than could not be reached): its reason, so an app says
    /// the right words ("this device was removed") instead of "cannot reach the server".
    pub last_refusal: Option<Reason>,
}

/// What a sync did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    /// Documents brought up to date.
    pub documents: u32,
    /// Documents the server did not give (not shared with this person, or not there yet).
    pub unavailable: u32,
    pub duration_ms: u64,
    /// What crossed the wire.
    pub wire: WireStats,
    /// Of that, what crossed once everything was up to date (a live sync's keepalives and
    /// edits); zeros for a one-shot sync.
    pub since_up_to_date: WireStats,
}

async fn token(store: &Store, api: &Api) -> Result<(String, String)> {
    let server_id = match store.server()? {
        Some(server) if server.url == api.base().as_str() => server.server_id,
        _ => api.server_info().await?.server_id,
    };
    Ok((store.token(&server_id), server_id))
}

/// Enrols this person on a server with a code its operator gave (practitioners and coaches).
pub async fn enrol(store: &Store, server: &str, code: &str) -> Result<Enrolled> {
    let api = Api::new(server, store.tls()?)?;
    let (token, _) = token(store, &api).await?;
    let me = store.identity();
    let enrolled = api
        .enrol(
            &token,
            &EnrolRequest {
                code: code.trim().to_string(),
                person_id: me.person_id.clone(),
                journey_id: me.journey_id.clone(),
                private_id: me.private_id.clone(),
            },
        )
        .await?;
    store.set_server(api.base().as_str(), &enrolled.server_id, enrolled.role)?;
    Ok(enrolled)
}

/// Makes an invitation code: for a client (practitioners), a practitioner (coaches), or another
/// device of this person.
/// The invitation carries the name this person chose (see [`Store::my_name`]), so that the one
/// who receives it sees who it is from before they use it.
pub async fn invite(store: &Store, kind: InvitationKind) -> Result<Invitation> {
    let server = joined_server(store)?;
    let api = Api::new(&server.url, store.tls()?)?;
    let body = InvitationRequest {
        kind,
        from_name: store.my_name()?,
    };
    api.invite(&store.token(&server.server_id), &body).await
}

/// What the code `code` would do on `server` and who made it, without using it (see
/// [`CodeAbout`]); a person reads this, and the consent text it calls for, before they agree.
pub async fn about_code(store: &Store, server: &str, code: &str) -> Result<CodeAbout> {
    Api::new(server, store.tls()?)?.about_code(code).await
}

fn joined_server(store: &Store) -> Result<crate::sync::ServerLink> {
    store.server()?.ok_or_else(|| {
        Error::Sync("this store has not joined a server yet: enrol or join with a code".into())
    })
}

/// Joins a server with a client or practitioner invitation code: this person is linked to the
/// one who invited them, consenting to share their journey with them, and their care or
/// coaching document is made. A device code is refused ([`Reason::CodeForDevice`]) without
/// being used: a device joins with [`join_device`].
pub async fn join(store: &Store, server: &str, code: &str) -> Result<Joined> {
    let api = Api::new(server, store.tls()?)?;
    let joined = call_join(store, &api, code, false).await?;
    store.set_server(api.base().as_str(), &joined.server_id, joined.role)?;
    make_relationship(store, &api, &joined).await?;
    Ok(joined)
}

/// The new practitioners this client's service offers them, because their practitioner left
/// (see [`Handover`]). Nothing is shared with one before the client agrees
/// ([`answer_handover`]).
pub async fn handovers(store: &Store) -> Result<Vec<Handover>> {
    let server = joined_server(store)?;
    let api = Api::new(&server.url, store.tls()?)?;
    Ok(api.handovers(&store.token(&server.server_id)).await?.offers)
}

/// Answers the offer of the practitioner `to_person_id`. Agreeing links this client to them
/// as joining with their code would: their journey is shared with them, consenting to the
/// current consent text, and their care document is made (the answer is as [`join`]'s).
/// Declining forgets the offer (`None`).
pub async fn answer_handover(
    store: &Store,
    to_person_id: &str,
    agree: bool,
) -> Result<Option<Joined>> {
    let server = joined_server(store)?;
    let api = Api::new(&server.url, store.tls()?)?;
    let body = HandoverAnswer {
        to_person_id: to_person_id.to_string(),
        agree,
        consent_text_version: CONSENT_TEXT_VERSION.to_string(),
    };
    let token = store.token(&server.server_id);
    if !agree {
        api.decline_handover(&token, &body).await?;
        return Ok(None);
    }
    let joined = api.agree_to_handover(&token, &body).await?;
    make_relationship(store, &api, &joined).await?;
    Ok(Some(joined))
}

/// After a join (or an agreed handover): the care or coaching document with the person
/// linked, made here and registered with the server.
async fn make_relationship(store: &Store, api: &Api, joined: &Joined) -> Result<()> {
    let me = store.identity().clone();
    if let Some(linked) = &joined.linked {
        let (kind, doc_kind, topic, people) = match linked.role {
            Role::Coach => (
                DocKind::Coaching,
                DocumentKind::Coaching,
                ConsentTopic::Coaching,
                [
                    ("practitioner", me.person_id.as_str()),
                    ("coach", linked.person_id.as_str()),
                ],
            ),
            _ => (
                DocKind::Care,
                DocumentKind::Care,
                ConsentTopic::Care,
                [
                    ("client", me.person_id.as_str()),
                    ("practitioner", linked.person_id.as_str()),
                ],
            ),
        };
        let consent = consent(
            Some(topic),
            &me.person_id,
            &linked.person_id,
            "journey",
            store.now(),
        );
        // Both names go in: the one this person chose, and the one the inviter gave with
        // the code (theirs to change later).
        let names = [
            (me.person_id.as_str(), store.my_name()?),
            (linked.person_id.as_str(), joined.linked_name.clone()),
        ];
        let doc_id = store.create_relationship(kind, people, &consent, &names)?;
        let register = RegisterDocument {
            doc_id: doc_id.to_string(),
            kind: doc_kind,
            journey_id: None,
            with_person: Some(linked.person_id.clone()),
        };
        api.register(&store.token(&joined.server_id), &register)
            .await?;
        store.mark_registered(&register.doc_id)?;
    }
    Ok(())
}

/// Makes the store at `path` another device of the person who made the device code `code`:
/// opens it (creating it when there is none), joins, and returns it as that person's store,
/// whose journey arrives with the first sync. A store that holds a journey of its own, or
/// belongs to a person on a server, is refused before anything is sent; so is a code that
/// links two people ([`Reason::CodeForPerson`]), without being used. Nothing else may have
/// the store at `path` open meanwhile.
pub async fn join_device(
    path: impl AsRef<std::path::Path>,
    server: &str,
    code: &str,
    options: crate::store::OpenOptions,
) -> Result<(Store, Joined)> {
    let (store, api) = open_new_device(path, server, options)?;
    let joined = call_join(&store, &api, code, true).await?;
    become_device(store, &api, joined)
}

/// Brings back the account of a person whose every device is lost, onto a new store at
/// `path`, with their recovery code (shown once when they enrolled or joined, or a new one
/// from their service's operator): their other devices are removed from the account, this one
/// takes their identity, and their journey arrives with the first sync. Answers as
/// [`join_device`] does; `Joined::recovery_code` is the new code that replaces the one used —
/// show it once.
pub async fn recover(
    path: impl AsRef<std::path::Path>,
    server: &str,
    code: &str,
    options: crate::store::OpenOptions,
) -> Result<(Store, Joined)> {
    let (store, api) = open_new_device(path, server, options)?;
    let (token, _) = token(&store, &api).await?;
    let body = RecoverRequest {
        code: code.trim().to_string(),
    };
    let joined = api.recover(&token, &body).await?;
    become_device(store, &api, joined)
}

/// The store at `path` (made when there is none), which must be free to become another
/// person's device, and the API of `server`.
fn open_new_device(
    path: impl AsRef<std::path::Path>,
    server: &str,
    options: crate::store::OpenOptions,
) -> Result<(Store, Api)> {
    let tls = super::tls::client_config(options.trusted_certificates.as_deref())?;
    let api = Api::new(server, tls)?;
    let store = Store::open(path, options)?;
    store.check_may_become_a_device()?;
    Ok((store, api))
}

/// A new store made another device of the person `joined` names.
fn become_device(store: Store, api: &Api, joined: Joined) -> Result<(Store, Joined)> {
    let store = store.adopt_identity(&joined.person_id, &joined.journey_id, &joined.private_id)?;
    store.set_server(api.base().as_str(), &joined.server_id, joined.role)?;
    // The person's documents are registered already.
    for doc in store.own_documents()? {
        store.mark_registered(&doc.doc_id)?;
    }
    Ok((store, joined))
}

async fn call_join(store: &Store, api: &Api, code: &str, device: bool) -> Result<Joined> {
    let (token, _) = token(store, api).await?;
    let me = store.identity();
    api.join(
        &token,
        &JoinRequest {
            code: code.trim().to_string(),
            person_id: me.person_id.clone(),
            journey_id: me.journey_id.clone(),
            private_id: me.private_id.clone(),
            consent_text_version: CONSENT_TEXT_VERSION.to_string(),
            device,
        },
    )
    .await
}

/// Shares one of this person's documents with a linked person (`Access::Read` or `Write`).
///
/// A practitioner's own journey goes to their coach only in transformational coaching: that
/// share is checked against the coaching document and recorded in it (see
/// [`share_journey_with_coach`]).
pub async fn share(store: &Store, doc_id: &str, person_id: &str, access: Access) -> Result<()> {
    let to_coach = coaching_with(store, doc_id, person_id)?;
    if let Some(coaching) = &to_coach {
        check_journey_may_go_to_coach(store, coaching)?;
    }
    let server = joined_server(store)?;
    let api = Api::new(&server.url, store.tls()?)?;
    let body = ShareRequest {
        doc_id: doc_id.to_string(),
        person_id: person_id.to_string(),
        access,
    };
    api.share(&store.token(&server.server_id), &body).await?;
    if let Some(coaching) = to_coach {
        store.record_journey_sharing(&coaching.id, true)?;
    }
    Ok(())
}

/// Stops sharing a document with a person; the server stops syncing it to them at once. A
/// practitioner's journey withdrawn from their coach is recorded in the coaching document.
pub async fn revoke(store: &Store, doc_id: &str, person_id: &str) -> Result<()> {
    let from_coach = coaching_with(store, doc_id, person_id)?;
    let server = joined_server(store)?;
    let api = Api::new(&server.url, store.tls()?)?;
    let body = ShareRequest {
        doc_id: doc_id.to_string(),
        person_id: person_id.to_string(),
        access: Access::Read,
    };
    api.revoke(&store.token(&server.server_id), &body).await?;
    if let Some(coaching) = from_coach {
        store.record_journey_sharing(&coaching.id, false)?;
    } else if doc_id == store.identity().journey_id {
        // A client who stops sharing with their practitioner: the care document records it.
        store.record_care_withdrawn(person_id)?;
    }
    Ok(())
}

/// Who looked: when each linked person's device last synced this person's journey (or a month
/// of its check-ins), latest first, as the server recorded it (to the minute).
pub async fn access_log(store: &Store) -> Result<Vec<AccessEntry>> {
    let server = joined_server(store)?;
    let api = Api::new(&server.url, store.tls()?)?;
    api.access_log(&store.token(&server.server_id)).await
}

/// This person's devices (on their server), oldest first; `this_device` marks this one.
pub async fn devices(store: &Store) -> Result<Vec<DeviceInfo>> {
    let server = joined_server(store)?;
    let api = Api::new(&server.url, store.tls()?)?;
    api.devices(&store.token(&server.server_id)).await
}

/// Removes another of this person's devices from their account (a lost phone): the server
/// refuses it from then on and closes its connections; on its next contact it learns it was
/// removed ([`Reason::DeviceRemoved`]) and may erase what it holds
/// ([`crate::store::erase_store`]). A device cannot remove itself.
pub async fn remove_device(store: &Store, device_id: &str) -> Result<()> {
    let device_id = device_id.trim();
    if device_id.is_empty() || !device_id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(Error::invalid(
            "device_id",
            format!("{device_id:?} is not a device id"),
        ));
    }
    if device_id == store.identity().device_key {
        return Err(Error::invalid(
            "device_id",
            "this is the device you are using: remove it from another of your devices",
        ));
    }
    let server = joined_server(store)?;
    let api = Api::new(&server.url, store.tls()?)?;
    api.remove_device(&store.token(&server.server_id), device_id)
        .await
}

/// Erases this person's account on their server: their documents, devices, links, consents
/// and codes go; the people linked to them delete their copies when they next sync, and the
/// person's other devices learn it on their next contact ([`Reason::AccountErased`]) and erase
/// what they hold. Answers when (Unix seconds). This store is left as it was: close it and
/// erase it ([`crate::store::erase_store`]), as the app and the CLI do next.
pub async fn erase_account(store: &Store) -> Result<i64> {
    let server = joined_server(store)?;
    let api = Api::new(&server.url, store.tls()?)?;
    let body = EraseAccount {
        person_id: store.identity().person_id.clone(),
    };
    Ok(api
        .erase_account(&store.token(&server.server_id), &body)
        .await?
        .erased_at)
}

/// The name this device gives itself on the person's list of devices ("Sam's phone").
pub async fn name_device(store: &Store, name: &str) -> Result<()> {
    let name = tandem_protocol::api::device_name(name)
        .map_err(|problem| Error::invalid("name", problem))?;
    let server = joined_server(store)?;
    let api = Api::new(&server.url, store.tls()?)?;
    let body = NameDevice {
        name: name.to_string(),
    };
    api.name_device(&store.token(&server.server_id), &body)
        .await
}

/// When `doc_id` is this person's own journey and `person_id` their coach: the coaching
/// document between them (it must be on this device).
fn coaching_with(
    store: &Store,
    doc_id: &str,
    person_id: &str,
) -> Result<Option<crate::coaching::Coaching>> {
    if doc_id != store.identity().journey_id {
        return Ok(None);
    }
    let Some(rel) = store
        .relationships()?
        .into_iter()
        .find(|r| r.person_id == person_id && r.role == Role::Coach)
    else {
        return Ok(None);
    };
    Ok(Some(store.coaching(&rel.doc_id)?))
}

fn check_journey_may_go_to_coach(
    store: &Store,
    coaching: &crate::coaching::Coaching,
) -> Result<()> {
    if coaching.practitioner != store.identity().person_id {
        return Err(Error::NotPermitted(
            "only the practitioner shares their own journey".into(),
        ));
    }
    if coaching.condition != Some(crate::coaching::CoachingCondition::Transformational) {
        return Err(Error::NotPermitted(
            "a practitioner shares their own journey with their coach in transformational \
             coaching only: set the coaching condition first"
                .into(),
        ));
    }
    Ok(())
}

/// Connects to the server, brings every document this person may see up to date in both
/// directions, and disconnects (a one-shot sync, for `tandem sync` and background jobs).
/// `on_status` hears each step.
pub async fn sync_now(
    store: &Store,
    on_status: &(dyn Fn(SyncStatus) + Send + Sync),
) -> Result<SyncReport> {
    let server = joined_server(store)?;
    let report = |state, error: Option<String>| {
        on_status(SyncStatus {
            state,
            last_synced_at: store.server().ok().flatten().and_then(|s| s.last_synced_at),
            last_error: error,
            last_refusal: None,
        })
    };
    let events = Events {
        state: &|state| report(state, None),
        arrived: &|_| {},
    };
    let outcome = converse(store, &Target::Server(server), Mode::Once, &events).await;
    match &outcome {
        Ok(_) => report(SyncState::UpToDate, None),
        Err(e) => report(SyncState::Offline, Some(e.to_string())),
    }
    outcome
}

/// Stays connected to the server until `stop` says true: edits made here go out as they are
/// made, edits from elsewhere arrive as the server stores them (`arrived` hears the document
/// of each), and `on_state` hears each step. Returns when stopped, or with the error that
/// ended the connection (the caller reconnects).
pub async fn sync_live(
    store: &Store,
    stop: tokio::sync::watch::Receiver<bool>,
    on_state: &(dyn Fn(SyncState) + Send + Sync),
    arrived: &(dyn Fn(&DocumentId) + Send + Sync),
) -> Result<SyncReport> {
    let server = joined_server(store)?;
    let events = Events {
        state: on_state,
        arrived,
    };
    converse(store, &Target::Server(server), Mode::Live { stop }, &events).await
}

/// Syncs `doc_ids` (and, for journeys, nothing more) with a plain automerge-repo WebSocket
/// peer at `ws_url` — no Tandem server API, no token. This is how Tandem talks to any
/// automerge-repo sync server, and how interop with one is tested.
pub async fn sync_with_peer(store: &Store, ws_url: &str, doc_ids: &[String]) -> Result<SyncReport> {
    let url =
        url::Url::parse(ws_url).map_err(|e| Error::invalid("url", format!("{ws_url}: {e}")))?;
    let docs = doc_ids
        .iter()
        .map(|id| {
            id.parse::<DocumentId>()
                .map_err(|_| Error::invalid("doc_id", format!("{id} is not a document id")))
        })
        .collect::<Result<Vec<_>>>()?;
    let events = Events {
        state: &|_| {},
        arrived: &|_| {},
    };
    converse(store, &Target::Plain { url, docs }, Mode::Once, &events).await
}

/// In transformational coaching, shares this practitioner's own journey with their coach (read
/// only), by explicit opt-in: the server grants it, and the coaching document records the
/// consent. Returns the coach's person id.
pub async fn share_journey_with_coach(store: &Store, coaching_doc: &str) -> Result<String> {
    // Checked before anything is granted: refused outside transformational coaching.
    let coaching = store.coaching(coaching_doc)?;
    check_journey_may_go_to_coach(store, &coaching)?;
    let journey = store.identity().journey_id.clone();
    share(store, &journey, &coaching.coach, Access::Read).await?;
    Ok(coaching.coach)
}

/// Withdraws the practitioner's journey from their coach: the server stops syncing it to them
/// at once, and the coaching document records the withdrawal.
pub async fn withdraw_journey_from_coach(store: &Store, coaching_doc: &str) -> Result<()> {
    let coaching = store.coaching(coaching_doc)?;
    let journey = store.identity().journey_id.clone();
    revoke(store, &journey, &coaching.coach).await
}
