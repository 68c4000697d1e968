//! The HTTP API of docs/SYNC.md, and the WebSocket upgrade.

use std::sync::Arc;

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::ws::{rejection::WebSocketUpgradeRejection, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use samod::{AcceptorHandle, PeerId};
use serde::Deserialize;
use tandem_core::auth::peer_id_for;
use tandem_core::sync::api::{
    ApiError, EnrolRequest, InvitationRequest, JoinRequest, Reason, RegisterDocument, ServerInfo,
    ShareRequest,
};

use crate::auth::{authenticate, bearer, AuthError};
use crate::directory::{Caller, Directory, Person, Refusal, RefusalKind};
use crate::documents::Durability;
use crate::policy::MembershipPolicy;
use crate::transport::{self, MAX_MESSAGE_BYTES};

/// How long an invitation code lives.
pub const INVITATION_SECS: i64 = 72 * 3600;

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
    pub directory: Arc<dyn Directory>,
    pub policy: MembershipPolicy,
    pub acceptor: AcceptorHandle,
    pub durability: Arc<Durability>,
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
fn member(state: &AppState, headers: &HeaderMap) -> Answer<(Caller, Person)> {
    let caller = authenticate(&*state.directory, authorization(headers), now(), true)?;
    let person = caller.person.clone().expect("known_only answers a person");
    Ok((caller, person))
}

/// The calling device, known here or not (enrol, join).
fn any_device(state: &AppState, headers: &HeaderMap) -> Answer<Caller> {
    Ok(authenticate(
        &*state.directory,
        authorization(headers),
        now(),
        false,
    )?)
}

/// The router of every route in docs/SYNC.md.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/v1/server", get(server_info))
        .route("/v1/enrol", post(enrol))
        .route("/v1/invitations", post(invite))
        .route("/v1/join", post(join))
        .route("/v1/documents", post(register))
        .route("/v1/shares", post(grant).delete(revoke))
        .route("/v1/links", get(links))
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
    let caller = any_device(&state, &headers)?;
    let Json(request) = body?;
    let enrolled = state.directory.enrol(&caller.device_id, &request, now())?;
    tracing::info!(person = %enrolled.person_id, role = %enrolled.role, "enrolled");
    state.policy.memberships_changed();
    Ok(Json(enrolled).into_response())
}

async fn invite(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<InvitationRequest>, JsonRejection>,
) -> Answer<Response> {
    let (_, person) = member(&state, &headers)?;
    let Json(request) = body?;
    let at = now();
    let invitation = state
        .directory
        .invite(&person, request.kind, at, at + INVITATION_SECS)?;
    tracing::info!(inviter = %person.person_id, kind = %request.kind, "invitation made");
    Ok(Json(invitation).into_response())
}

async fn join(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<JoinRequest>, JsonRejection>,
) -> Answer<Response> {
    let caller = any_device(&state, &headers)?;
    let Json(request) = body?;
    let joined = state.directory.join(&caller, &request, now())?;
    tracing::info!(person = %joined.person_id, device = %caller.device_id, "joined");
    state.policy.memberships_changed();
    Ok(Json(joined).into_response())
}

async fn register(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<RegisterDocument>, JsonRejection>,
) -> Answer<StatusCode> {
    let (_, person) = member(&state, &headers)?;
    let Json(request) = body?;
    state.directory.register(&person, &request, now())?;
    state.policy.memberships_changed();
    Ok(StatusCode::NO_CONTENT)
}

async fn grant(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<ShareRequest>, JsonRejection>,
) -> Answer<StatusCode> {
    let (_, person) = member(&state, &headers)?;
    let Json(request) = body?;
    state.directory.grant(&person, &request, now())?;
    tracing::info!(owner = %person.person_id, doc = %request.doc_id, to = %request.person_id, access = %request.access, "shared");
    state.policy.memberships_changed();
    Ok(StatusCode::NO_CONTENT)
}

async fn revoke(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<ShareRequest>, JsonRejection>,
) -> Answer<StatusCode> {
    let (_, person) = member(&state, &headers)?;
    let Json(request) = body?;
    state.directory.revoke(&person, &request, now())?;
    tracing::info!(owner = %person.person_id, doc = %request.doc_id, from = %request.person_id, "sharing revoked");
    state.policy.memberships_changed();
    Ok(StatusCode::NO_CONTENT)
}

async fn links(State(state): State<AppState>, headers: HeaderMap) -> Answer<Response> {
    let (_, person) = member(&state, &headers)?;
    Ok(Json(state.directory.links(&person)?).into_response())
}

#[derive(Deserialize)]
struct SyncQuery {
    token: Option<String>,
}

/// `GET /v1/sync?token=…`: the token is checked before the upgrade, and the connection is bound
/// to the device's peer id.
async fn sync(
    State(state): State<AppState>,
    query: Result<Query<SyncQuery>, QueryRejection>,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Answer<Response> {
    let token = query.ok().and_then(|Query(q)| q.token);
    let caller = authenticate(&*state.directory, token.as_deref(), now(), true)?;
    let upgrade = match upgrade {
        Ok(upgrade) => upgrade,
        Err(rejection) => return Ok(rejection.into_response()),
    };
    let peer_id = PeerId::from(peer_id_for(&caller.device_id));
    let person = caller.person.map(|p| p.person_id).unwrap_or_default();
    Ok(upgrade
        .max_message_size(MAX_MESSAGE_BYTES)
        .max_frame_size(MAX_MESSAGE_BYTES)
        .on_upgrade(move |socket| async move {
            tracing::info!(peer = %peer_id, %person, "sync connection");
            if transport::accept(&state.acceptor, socket, peer_id, state.durability).is_err() {
                tracing::info!("sync connection refused: the server is stopping");
            }
        }))
}
