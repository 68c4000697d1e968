//! The server's HTTP API, from the client's side (docs/SYNC.md).
//!
//! One HTTP/1.1 request per connection, on hyper's connection API over tokio (and rustls for
//! https): the calls are few and far between (enrolling, joining, sharing, catching up), so
//! there is no pool to keep, and no proxy from the environment (a phone has none). Not reqwest:
//! leaving it (with the store's change of that day) took 0.62 MB off the mobile library
//! (bindings/README.md, "Size").

use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE, HOST};
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio::io::{AsyncRead, AsyncWrite};

use super::api::*;
use crate::error::{Error, Result};

/// How long one call may take, from connecting to the last byte of the answer.
const TIMEOUT: Duration = Duration::from_secs(20);

/// Calls to one server's HTTP API.
#[derive(Clone)]
pub struct Api {
    base: url::Url,
    tls: Arc<rustls::ClientConfig>,
}

/// A connection to the server, plain or in TLS.
trait Stream: AsyncRead + AsyncWrite + Send + Unpin {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin> Stream for T {}

impl Api {
    /// An API client for the server at `base` (`http://host:port` or `https://...`), checking
    /// its certificate with `tls` (see [`super::tls`]).
    pub fn new(base: &str, tls: Arc<rustls::ClientConfig>) -> Result<Api> {
        crate::sync::install_crypto();
        let base = url::Url::parse(base)
            .map_err(|e| Error::invalid("server", format!("{base} is not a URL: {e}")))?;
        if !matches!(base.scheme(), "http" | "https") || base.host_str().is_none() {
            return Err(Error::invalid(
                "server",
                "the address must start with http:// or https://",
            ));
        }
        Ok(Api { base, tls })
    }

    /// The server's address.
    pub fn base(&self) -> &url::Url {
        &self.base
    }

    fn url(&self, path: &str) -> Result<url::Url> {
        self.base
            .join(path)
            .map_err(|e| Error::Sync(format!("bad path {path}: {e}")))
    }

    pub async fn server_info(&self) -> Result<ServerInfo> {
        parse(&self.send(Method::GET, "/v1/server", None, None).await?)
    }

    async fn call<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<&B>,
    ) -> Result<T> {
        let body = body.map(json).transpose()?;
        parse(&self.send(method, path, Some(token), body).await?)
    }

    /// Sends one request and reads the whole answer: its body when the status is a success;
    /// otherwise the server's refusal, in its words.
    async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Vec<u8>>,
    ) -> Result<Bytes> {
        let url = self.url(path)?;
        let (status, bytes) =
            tokio::time::timeout(TIMEOUT, self.exchange(method, &url, token, body))
                .await
                .map_err(|_| {
                    Error::Sync(format!(
                        "cannot reach the server: no answer within {} s",
                        TIMEOUT.as_secs()
                    ))
                })??;
        if status.is_success() {
            return Ok(bytes);
        }
        Err(refusal(&bytes, format!("the server answered {status}")))
    }

    /// Connects, sends, and reads the status and the whole body.
    async fn exchange(
        &self,
        method: Method,
        url: &url::Url,
        token: Option<&str>,
        body: Option<Vec<u8>>,
    ) -> Result<(StatusCode, Bytes)> {
        let unreachable = |e: &dyn std::error::Error| {
            let detail = chain(e);
            if super::tls::is_certificate_error(&detail) {
                super::tls::untrusted(&url.origin().ascii_serialization(), &detail)
            } else {
                Error::Sync(format!("cannot reach the server: {detail}"))
            }
        };
        let host = url.host_str().unwrap_or_default();
        let port = url.port_or_known_default().unwrap_or(80);
        // An IPv6 literal comes bracketed in URLs, bare to the resolver and in TLS.
        let bare = host.trim_matches(['[', ']']);
        let tcp = tokio::net::TcpStream::connect((bare, port))
            .await
            .map_err(|e| unreachable(&e))?;
        let _ = tcp.set_nodelay(true);
        let stream: Box<dyn Stream> = if url.scheme() == "https" {
            let name = rustls::pki_types::ServerName::try_from(bare)
                .map_err(|e| Error::invalid("server", format!("{host}: {e}")))?
                .to_owned();
            let tls = tokio_rustls::TlsConnector::from(self.tls.clone())
                .connect(name, tcp)
                .await
                .map_err(|e| unreachable(&e))?;
            Box::new(tls)
        } else {
            Box::new(tcp)
        };
        let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| unreachable(&e))?;
        // The connection runs beside the request and ends when the answer has been read.
        tokio::spawn(async move {
            let _ = connection.await;
        });
        let mut target = url.path().to_string();
        if let Some(query) = url.query() {
            target = format!("{target}?{query}");
        }
        let authority = match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_string(),
        };
        let mut request = Request::builder()
            .method(method)
            .uri(target)
            .header(HOST, authority)
            .header(PROTOCOL_HEADER, HeaderValue::from(PROTOCOL_VERSION));
        if let Some(token) = token {
            request = request.header(AUTHORIZATION, format!("Bearer {token}"));
        }
        if body.is_some() {
            request = request.header(CONTENT_TYPE, "application/json");
        }
        let request = request
            .body(Full::new(Bytes::from(body.unwrap_or_default())))
            .map_err(|e| Error::Sync(format!("cannot make the request: {e}")))?;
        let response = sender
            .send_request(request)
            .await
            .map_err(|e| unreachable(&e))?;
        let status = response.status();
        let bytes = response
            .into_body()
            .collect()
            .await
            .map_err(|e| Error::Sync(format!("the server's answer broke off: {}", chain(&e))))?
            .to_bytes();
        Ok((status, bytes))
    }

    pub async fn enrol(&self, token: &str, body: &EnrolRequest) -> Result<Enrolled> {
        self.call(Method::POST, "/v1/enrol", token, Some(body))
            .await
    }

    pub async fn invite(&self, token: &str, body: &InvitationRequest) -> Result<Invitation> {
        self.call(Method::POST, "/v1/invitations", token, Some(body))
            .await
    }

    /// What a code would do and who made it, without using it (no token: a device that has
    /// joined nothing asks).
    pub async fn about_code(&self, code: &str) -> Result<CodeAbout> {
        let body = CodeQuery {
            code: code.trim().to_string(),
        };
        parse(
            &self
                .send(Method::POST, "/v1/codes/about", None, Some(json(&body)?))
                .await?,
        )
    }

    pub async fn join(&self, token: &str, body: &JoinRequest) -> Result<Joined> {
        self.call(Method::POST, "/v1/join", token, Some(body)).await
    }

    /// The new practitioners the service offers this client ([`Handovers`]).
    pub async fn handovers(&self, token: &str) -> Result<Handovers> {
        self.call::<(), _>(Method::GET, "/v1/handovers", token, None)
            .await
    }

    /// Agrees to an offer: linked as by a join.
    pub async fn agree_to_handover(&self, token: &str, body: &HandoverAnswer) -> Result<Joined> {
        self.call(Method::POST, "/v1/handovers", token, Some(body))
            .await
    }

    /// Declines an offer.
    pub async fn decline_handover(&self, token: &str, body: &HandoverAnswer) -> Result<()> {
        self.call::<_, serde::de::IgnoredAny>(Method::POST, "/v1/handovers", token, Some(body))
            .await
            .map(|_| ())
    }

    /// Takes over an account with its recovery code.
    pub async fn recover(&self, token: &str, body: &RecoverRequest) -> Result<Joined> {
        self.call(Method::POST, "/v1/recover", token, Some(body))
            .await
    }

    pub async fn register(&self, token: &str, body: &RegisterDocument) -> Result<()> {
        self.call::<_, serde::de::IgnoredAny>(Method::POST, "/v1/documents", token, Some(body))
            .await
            .map(|_| ())
    }

    pub async fn share(&self, token: &str, body: &ShareRequest) -> Result<()> {
        self.call::<_, serde::de::IgnoredAny>(Method::POST, "/v1/shares", token, Some(body))
            .await
            .map(|_| ())
    }

    pub async fn revoke(&self, token: &str, body: &ShareRequest) -> Result<()> {
        self.call::<_, serde::de::IgnoredAny>(Method::DELETE, "/v1/shares", token, Some(body))
            .await
            .map(|_| ())
    }

    pub async fn links(&self, token: &str) -> Result<Vec<Link>> {
        self.call::<(), _>(Method::GET, "/v1/links", token, None)
            .await
    }

    /// Who looked at the person's journey ([`AccessEntry`]).
    pub async fn access_log(&self, token: &str) -> Result<Vec<AccessEntry>> {
        self.call::<(), _>(Method::GET, "/v1/access-log", token, None)
            .await
    }

    /// The person's devices.
    pub async fn devices(&self, token: &str) -> Result<Vec<DeviceInfo>> {
        self.call::<(), _>(Method::GET, "/v1/devices", token, None)
            .await
    }

    /// Removes one of the person's other devices.
    pub async fn remove_device(&self, token: &str, device_id: &str) -> Result<()> {
        let path = format!("/v1/devices/{device_id}");
        self.call::<(), serde::de::IgnoredAny>(Method::DELETE, &path, token, None)
            .await
            .map(|_| ())
    }

    /// Names the calling device.
    pub async fn name_device(&self, token: &str, body: &NameDevice) -> Result<()> {
        self.call::<_, serde::de::IgnoredAny>(Method::POST, "/v1/devices/name", token, Some(body))
            .await
            .map(|_| ())
    }

    /// The documents this person's devices must delete ([`Withdrawn`]).
    pub async fn withdrawn(&self, token: &str) -> Result<Withdrawn> {
        self.call::<(), _>(Method::GET, "/v1/withdrawn", token, None)
            .await
    }

    /// Erases the calling person's account on the server.
    pub async fn erase_account(&self, token: &str, body: &EraseAccount) -> Result<AccountErased> {
        self.call(Method::POST, "/v1/account/erase", token, Some(body))
            .await
    }

    /// Links and the documents changed since `since` ([`CatchUp`]).
    pub async fn catch_up(&self, token: &str, since: u64) -> Result<CatchUp> {
        let path = format!("/v1/catch-up?since={since}");
        self.call::<(), _>(Method::GET, &path, token, None).await
    }
}

/// The server's refusal in `body`, in its words: every refusal of a Tandem server carries its
/// reason word. A body that is not one is shown after `what`, its start only.
pub(crate) fn refusal(body: &[u8], what: String) -> Error {
    match serde_json::from_slice::<ApiError>(body) {
        Ok(refusal) => Error::refused(refusal.reason(), refusal.message),
        Err(_) => {
            let start: String = String::from_utf8_lossy(body).chars().take(200).collect();
            Error::Sync(format!("{what}: {start}"))
        }
    }
}

/// A request's body: `body` as JSON.
fn json<B: Serialize>(body: &B) -> Result<Vec<u8>> {
    serde_json::to_vec(body).map_err(|e| Error::Sync(format!("cannot write the request: {e}")))
}

/// A successful answer's body, read as `T` (an empty body as JSON `null`).
fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T> {
    let body: &[u8] = if bytes.is_empty() { b"null" } else { bytes };
    serde_json::from_slice(body)
        .map_err(|e| Error::Sync(format!("unexpected answer from the server: {e}")))
}

/// An error and its causes, in one line: the libraries' own texts hide the cause.
fn chain(error: &dyn std::error::Error) -> String {
    let mut detail = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        detail = format!("{detail}: {cause}");
        source = cause.source();
    }
    detail
}
