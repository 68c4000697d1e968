//! The HTTP API of docs/SYNC.md, and the WebSocket upgrade.

use std::sync::Arc;

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::ws::{rejection::WebSocketUpgradeRejection, WebSocketUpgrade};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use samod::PeerId;
use serde::Deserialize;
use tandem_protocol::api::{
    AccountErased, ApiError, CatchUp, CodeQuery, EnrolRequest, EraseAccount, HandoverAnswer,
    Handovers, InvitationRequest, JoinRequest, NameDevice, Reason, RecoverRequest,
    RegisterDocument, ServerInfo, ShareRequest, Withdrawn,
};
use tandem_protocol::auth::peer_id_for;

use crate::auth::{authenticate, bearer, AuthError};
use crate::directory::{Caller, Directory, Person, Refusal, RefusalKind};
use crate::documents::Durability;
use crate::limits::CodeLookups;
use crate::metrics::Metrics;
use crate::notices::{ConnectionNotices, Named, NoticeSetup};
use crate::policy::MembershipPolicy;
use crate::transport::{self, MAX_MESSAGE_BYTES, READ_BUFFER_BYTES};

/// How long an invitation code lives.
pub const INVITATION_SECS: i64 = 72 * 3600;

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
    pub directory: Directory,
    pub policy: MembershipPolicy,
    /// The sync engine (`engine.rs`).
    pub engine: crate::engine::Engine,
    pub durability: Arc<Durability>,
    /// Each connection with notices, told which documents its person may see were stored
    /// (`notices::route_stored`).
    pub stored_for: Arc<crate::notices::StoredSignals>,
    pub code_lookups: Arc<CodeLookups>,
    /// How fast each device may send on its sync connections.
    pub inbound: Arc<crate::limits::InboundLimits>,
    pub metrics: Arc<Metrics>,
}

/// A refusal on the wire: a status and an [`ApiError`] body.
#[derive(Debug)]
pub struct Failure {
    pub status: StatusCode,
    pub body: ApiError,
}

impl Failure {
    fn new(status: StatusCode, reason: Reason, message: impl Into<String>) -> Self {
        Failure {
            status,
            body: ApiError::new(reason, message),
        }
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

impl From<Refusal> for Failure {
    fn from(r: Refusal) -> Self {
        let status = match r.kind {
            RefusalKind::Invalid => StatusCode::BAD_REQUEST,
            RefusalKind::Forbidden => StatusCode::FORBIDDEN,
            RefusalKind::NotFound => StatusCode::NOT_FOUND,
            RefusalKind::Conflict => StatusCode::CONFLICT,
            RefusalKind::Gone => StatusCode::GONE,
            RefusalKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        };
        Failure::new(status, r.reason, r.message)
    }
}

impl From<AuthError> for Failure {
    fn from(e: AuthError) -> Self {
        match e {
            AuthError::Token(e) => {
                Failure::new(StatusCode::UNAUTHORIZED, e.reason(), e.to_string())
            }
            AuthError::Internal(r) => r.into(),
        }
    }
}

impl From<JsonRejection> for Failure {
    fn from(r: JsonRejection) -> Self {
        Failure::new(StatusCode::BAD_REQUEST, Reason::Invalid, r.body_text())
    }
}

type Answer<T> = Result<T, Failure>;

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn authorization(headers: &HeaderMap) -> Option<&str> {
    bearer(
        headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok()),
    )
}

/// The calling device's person; a device the server does not know is refused.
async fn member(state: &AppState, headers: &HeaderMap) -> Answer<(Caller, Person)> {
    let caller = authenticate(&state.directory, authorization(headers), now(), true).await?;
    let person = caller.person.clone().expect("known_only answers a person");
    Ok((caller, person))
}

/// The calling device, known here or not (enrol, join).
async fn any_device(state: &AppState, headers: &HeaderMap) -> Answer<Caller> {
    Ok(authenticate(&state.directory, authorization(headers), now(), false).await?)
}

/// Refuses a device whose protocol version (header `tandem-protocol`) is older than `min`: 426
/// `update_app`, before anything is read or written. A request without the header (an
/// automerge-repo peer, a probe of `/health`) is served as before.
pub async fn check_protocol(
    min: u32,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let version = request
        .headers()
        .get(tandem_protocol::api::PROTOCOL_HEADER)
        .map(|v| v.to_str().ok().and_then(|v| v.trim().parse::<u32>().ok()));
    match version {
        Some(Some(v)) if v < min => Failure::new(
            StatusCode::UPGRADE_REQUIRED,
            Reason::UpdateApp,
            format!(
                "this app is too old for this server (protocol {v}; the server needs {min} or \
                 newer): update the app to sync again; nothing on this device was changed"
            ),
        )
        .into_response(),
        Some(None) => Failure::new(
            StatusCode::BAD_REQUEST,
            Reason::Invalid,
            "the tandem-protocol header must be a whole number",
        )
        .into_response(),
        _ => next.run(request).await,
    }
}

/// The router of every route in docs/SYNC.md.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/metrics", get(metrics))
        .route("/v1/server", get(server_info))
        .route("/v1/enrol", post(enrol))
        .route("/v1/invitations", post(invite))
        .route("/v1/join", post(join))
        .route("/v1/recover", post(recover))
        .route("/v1/codes/about", post(about_code))
        .route("/v1/handovers", get(handovers).post(answer_handover))
        .route("/v1/documents", post(register))
        .route("/v1/shares", post(grant).delete(revoke))
        .route("/v1/links", get(links))
        .route("/v1/devices", get(devices))
        .route("/v1/access-log", get(access_log))
        .route("/v1/withdrawn", get(withdrawn))
        .route("/v1/account/erase", post(erase_account))
        .route("/v1/devices/name", post(name_device))
        .route("/v1/devices/{device_id}", delete(remove_device))
        .route("/v1/catch-up", get(catch_up))
        .route("/v1/sync", get(sync))
        .fallback(|| async {
            Failure::new(StatusCode::NOT_FOUND, Reason::NotFound, "no such route")
        })
        .with_state(state)
}

async fn health(State(state): State<AppState>) -> Response {
    let failures = state.durability.failures();
    if failures == 0 {
        Json(serde_json::json!({"status": "ok"})).into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({"status": "storage_failing", "storage_failures": failures})),
        )
            .into_response()
    }
}

/// `GET /metrics`: for the operator's monitoring (see `metrics.rs`). Like `/health` it is not
/// authenticated: it names no person and no document, only counts.
async fn metrics(State(state): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, crate::metrics::CONTENT_TYPE)],
        state.metrics.encode(),
    )
        .into_response()
}

async fn server_info(State(state): State<AppState>) -> Json<ServerInfo> {
    Json(ServerInfo {
        server_id: state.directory.server_id().to_string(),
    })
}

async fn enrol(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<EnrolRequest>, JsonRejection>,
) -> Answer<Response> {
    let caller = any_device(&state, &headers).await?;
    let Json(request) = body?;
    let enrolled = state
        .directory
        .enrol(&caller.device_id, &request, now())
        .await?;
    tracing::info!(person = %enrolled.person_id, role = %enrolled.role, "enrolled");
    state.policy.announce(&[&enrolled.person_id]).await;
    Ok(Json(enrolled).into_response())
}

async fn invite(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<InvitationRequest>, JsonRejection>,
) -> Answer<Response> {
    let (_, person) = member(&state, &headers).await?;
    let Json(request) = body?;
    let at = now();
    let invitation = state
        .directory
        .invite(
            &person,
            request.kind,
            request.from_name.as_deref(),
            at,
            at + INVITATION_SECS,
        )
        .await?;
    tracing::info!(inviter = %person.person_id, kind = %request.kind, "invitation made");
    Ok(Json(invitation).into_response())
}

/// Refuses a code lookup past this address's allowance (`limits.rs`). The address is the TCP
/// peer's: behind a proxy, every device shares the proxy's allowance (docs/SYNC.md says so).
fn allow_code_lookup(state: &AppState, extensions: &axum::http::Extensions) -> Answer<()> {
    let address = extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip())
        .unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
    if !state.code_lookups.allow(address) {
        return Err(Failure::new(
            StatusCode::TOO_MANY_REQUESTS,
            Reason::TooManyRequests,
            "too many code lookups from this address: wait a minute and try again",
        ));
    }
    Ok(())
}

/// What a code would do and who made it, without using it; limited per address (see
/// [`crate::limits`]).
async fn about_code(
    State(state): State<AppState>,
    extensions: axum::http::Extensions,
    body: Result<Json<CodeQuery>, JsonRejection>,
) -> Answer<Response> {
    allow_code_lookup(&state, &extensions)?;
    let Json(query) = body?;
    Ok(Json(state.directory.about_code(&query.code, now()).await?).into_response())
}

/// `POST /v1/recover`: a new device takes over the account of the person whose recovery code
/// it gives; their other devices are removed (their connections close, on every process).
/// Limited per address like code lookups: a recovery code never expires, so it must not be
/// guessable by asking.
async fn recover(
    State(state): State<AppState>,
    extensions: axum::http::Extensions,
    headers: HeaderMap,
    body: Result<Json<RecoverRequest>, JsonRejection>,
) -> Answer<Response> {
    allow_code_lookup(&state, &extensions)?;
    let caller = any_device(&state, &headers).await?;
    let Json(request) = body?;
    let (joined, removed) = state.directory.recover(&caller, &request, now()).await?;
    tracing::info!(person = %joined.person_id, device = %caller.device_id, removed = removed.len(), "account recovered");
    for device in &removed {
        state.policy.connections.close_device(device);
    }
    state.policy.announce(&[&joined.person_id]).await;
    Ok(Json(joined).into_response())
}

async fn join(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<JoinRequest>, JsonRejection>,
) -> Answer<Response> {
    let caller = any_device(&state, &headers).await?;
    let Json(request) = body?;
    let joined = state.directory.join(&caller, &request, now()).await?;
    tracing::info!(person = %joined.person_id, device = %caller.device_id, "joined");
    let mut people = vec![joined.person_id.as_str()];
    people.extend(joined.linked.as_ref().map(|l| l.person_id.as_str()));
    state.policy.announce(&people).await;
    Ok(Json(joined).into_response())
}

/// `GET /v1/handovers`: the new practitioners the service offers the calling client.
async fn handovers(State(state): State<AppState>, headers: HeaderMap) -> Answer<Response> {
    let (_, person) = member(&state, &headers).await?;
    let offers = state.directory.handovers(&person).await?;
    Ok(Json(Handovers { offers }).into_response())
}

/// `POST /v1/handovers`: the calling client agrees to an offer (answered as a join) or
/// declines it (204).
async fn answer_handover(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<HandoverAnswer>, JsonRejection>,
) -> Answer<Response> {
    let (_, person) = member(&state, &headers).await?;
    let Json(answer) = body?;
    let joined = state
        .directory
        .answer_handover(&person, &answer, state.directory.server_id(), now())
        .await?;
    tracing::info!(client = %person.person_id, to = %answer.to_person_id, agree = answer.agree, "handover answered");
    let Some(joined) = joined else {
        return Ok(StatusCode::NO_CONTENT.into_response());
    };
    state
        .policy
        .announce(&[&person.person_id, &answer.to_person_id])
        .await;
    Ok(Json(joined).into_response())
}

async fn register(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<RegisterDocument>, JsonRejection>,
) -> Answer<StatusCode> {
    let (_, person) = member(&state, &headers).await?;
    let Json(request) = body?;
    state.directory.register(&person, &request, now()).await?;
    let mut people = vec![person.person_id.as_str()];
    people.extend(request.with_person.as_deref());
    // Whoever may see the journey a month belongs to may see the month now: the decisions
    // about the document look again, whoever's they are.
    state
        .policy
        .announce_about(&people, &[request.doc_id.as_str()])
        .await;
    Ok(StatusCode::NO_CONTENT)
}

async fn grant(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<ShareRequest>, JsonRejection>,
) -> Answer<StatusCode> {
    let (_, person) = member(&state, &headers).await?;
    let Json(request) = body?;
    state.directory.grant(&person, &request, now()).await?;
    tracing::info!(owner = %person.person_id, doc = %request.doc_id, to = %request.person_id, access = %request.access, "shared");
    state
        .policy
        .announce(&[&person.person_id, &request.person_id])
        .await;
    Ok(StatusCode::NO_CONTENT)
}

async fn revoke(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<ShareRequest>, JsonRejection>,
) -> Answer<StatusCode> {
    let (_, person) = member(&state, &headers).await?;
    let Json(request) = body?;
    state.directory.revoke(&person, &request, now()).await?;
    tracing::info!(owner = %person.person_id, doc = %request.doc_id, from = %request.person_id, "sharing revoked");
    state
        .policy
        .announce(&[&person.person_id, &request.person_id])
        .await;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /v1/withdrawn`: the documents the caller's devices must delete (their owner stopped
/// sharing them, or erased their account).
async fn withdrawn(State(state): State<AppState>, headers: HeaderMap) -> Answer<Response> {
    let (_, person) = member(&state, &headers).await?;
    let documents = state.directory.withdrawn(&person).await?;
    Ok(Json(Withdrawn { documents }).into_response())
}

/// `POST /v1/account/erase`: the caller erases their account. Every open connection of their
/// devices closes, on every process; the people linked to them hear that their links changed
/// and their devices delete the erased documents.
async fn erase_account(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<EraseAccount>, JsonRejection>,
) -> Answer<Response> {
    let (_, person) = member(&state, &headers).await?;
    let Json(request) = body?;
    if request.person_id != person.person_id {
        return Err(Failure::new(
            StatusCode::BAD_REQUEST,
            Reason::WrongPerson,
            "an erasure names the person erased: your own person id",
        ));
    }
    let erased_at = now();
    erase_person(&state, &person.person_id, erased_at).await?;
    Ok(Json(AccountErased { erased_at }).into_response())
}

/// Erases a person and tells everyone concerned, here and on the other processes.
pub async fn erase_person(state: &AppState, person_id: &str, at: i64) -> Answer<()> {
    let mut people = state.directory.erase_person(person_id, at).await?;
    tracing::info!(person = %person_id, told = people.len(), "account erased");
    people.push(person_id.to_string());
    let people: Vec<&str> = people.iter().map(String::as_str).collect();
    state.policy.announce(&people).await;
    Ok(())
}

async fn links(State(state): State<AppState>, headers: HeaderMap) -> Answer<Response> {
    let (_, person) = member(&state, &headers).await?;
    Ok(Json(state.directory.links(&person).await?).into_response())
}

/// `GET /v1/access-log`: who looked — when each other person's device last synced the
/// caller's journey or its check-ins.
async fn access_log(State(state): State<AppState>, headers: HeaderMap) -> Answer<Response> {
    let (_, person) = member(&state, &headers).await?;
    Ok(Json(state.directory.access_log(&person).await?).into_response())
}

/// `GET /v1/devices`: the calling person's devices.
async fn devices(State(state): State<AppState>, headers: HeaderMap) -> Answer<Response> {
    let (caller, person) = member(&state, &headers).await?;
    Ok(Json(state.directory.devices(&caller.device_id, &person).await?).into_response())
}

/// `DELETE /v1/devices/{device_id}`: removes one of the caller's other devices (a lost phone).
/// Its open sync connections close at once, on every process, and its tokens are refused as
/// `device_removed` from now on.
async fn remove_device(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(device_id): Path<String>,
) -> Answer<Response> {
    let (caller, person) = member(&state, &headers).await?;
    state
        .directory
        .remove_device(&caller.device_id, &person, &device_id, now())
        .await?;
    tracing::info!(person = %person.person_id, device = %device_id, "device removed");
    state.policy.connections.close_device(&device_id);
    state.policy.announce(&[&person.person_id]).await;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST /v1/devices/name`: the name the calling device gives itself.
async fn name_device(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<NameDevice>, JsonRejection>,
) -> Answer<Response> {
    let (caller, _) = member(&state, &headers).await?;
    let Json(request) = body?;
    state
        .directory
        .name_device(&caller.device_id, &request.name)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// A change feed cursor from a query string: a whole number; `None` when absent.
fn cursor_param(value: Option<&str>) -> Answer<Option<u64>> {
    match value {
        None => Ok(None),
        Some(text) => text.parse::<u64>().map(Some).map_err(|_| {
            Failure::new(
                StatusCode::BAD_REQUEST,
                Reason::Invalid,
                format!(
                    "since must be a whole number: a cursor the server answered before, or 0; \
                     not {text:?}"
                ),
            )
        }),
    }
}

#[derive(Deserialize)]
struct CatchUpQuery {
    since: Option<String>,
}

/// `GET /v1/catch-up?since=N`: the caller's links, and the documents they may see with changes
/// stored after `N`, with the cursor to ask from next.
async fn catch_up(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<CatchUpQuery>, QueryRejection>,
) -> Answer<Response> {
    let (_, person) = member(&state, &headers).await?;
    let since = query.ok().and_then(|Query(q)| q.since);
    let since = cursor_param(since.as_deref())?.ok_or_else(|| {
        Failure::new(
            StatusCode::BAD_REQUEST,
            Reason::Invalid,
            "catch-up needs ?since=<cursor>: the cursor of the last catch-up, or 0 for everything",
        )
    })?;
    let changed = state
        .directory
        .changed_since(&person.person_id, since)
        .await?;
    let links = state.directory.links(&person).await?;
    let withdrawn = state.directory.withdrawn(&person).await?;
    Ok(Json(CatchUp {
        links,
        changed: changed.doc_ids,
        cursor: changed.cursor,
        withdrawn,
    })
    .into_response())
}

#[derive(Deserialize)]
struct SyncQuery {
    token: Option<String>,
    notices: Option<String>,
    since: Option<String>,
}

/// `GET /v1/sync?token=…[&notices=1[&since=N]]`: the token is checked before the upgrade, and
/// the connection is bound to the device's peer id. With `notices=1` the connection also
/// carries this person's notices (`notices.rs`), from the change feed's cursor `since` (the
/// last catch-up's) or from now.
async fn sync(
    State(state): State<AppState>,
    query: Result<Query<SyncQuery>, QueryRejection>,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Answer<Response> {
    let query = query.ok().map(|Query(q)| q);
    let (token, notices, since) = match query {
        Some(q) => (q.token, q.notices, q.since),
        None => (None, None, None),
    };
    let caller = authenticate(&state.directory, token.as_deref(), now(), true).await?;
    let notices = match notices.as_deref() {
        None | Some("0") => false,
        Some("1") => true,
        Some(other) => {
            return Err(Failure::new(
                StatusCode::BAD_REQUEST,
                Reason::Invalid,
                format!("notices is 1 (send them) or 0 (do not), not {other:?}"),
            ))
        }
    };
    let since = cursor_param(since.as_deref())?;
    let upgrade = match upgrade {
        Ok(upgrade) => upgrade,
        Err(rejection) => return Ok(rejection.into_response()),
    };
    let peer_id = PeerId::from(peer_id_for(&caller.device_id));
    let person = caller.person.expect("known_only answers a person");
    let notices = if notices {
        let setup = NoticeSetup {
            directory: state.directory.clone(),
            person: person.clone(),
            named: Named::default(),
            stored: state.stored_for.watch(&person.person_id),
            links: state.policy.watch_links(&person.person_id),
            since,
        };
        Some(ConnectionNotices::start(setup).await?)
    } else {
        None
    };
    let person_id = person.person_id;
    let registered = state
        .policy
        .connections
        .register(&caller.device_id, &person_id);
    Ok(upgrade
        .max_message_size(MAX_MESSAGE_BYTES)
        .max_frame_size(MAX_MESSAGE_BYTES)
        .read_buffer_size(READ_BUFFER_BYTES)
        .on_upgrade(move |socket| {
            tracing::info!(peer = %peer_id, person = %registered.person_id, notices = notices.is_some(), "sync connection");
            let serving = transport::Serving {
                durability: state.durability,
                metrics: state.metrics,
                inbound: state.inbound,
                directory: state.directory.clone(),
            };
            // Boxed: the connection's task holds only this.
            Box::pin(async move {
                transport::serve(&state.engine, socket, peer_id, notices, registered, serving).await
            })
        }))
}
