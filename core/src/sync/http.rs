//! The server's HTTP API, from the client's side (docs/SYNC.md).

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::api::*;
use crate::error::{Error, Result};

/// Calls to one server's HTTP API.
#[derive(Clone)]
pub struct Api {
    base: url::Url,
    http: reqwest::Client,
}

impl Api {
    /// An API client for the server at `base` (`http://host:port` or `https://...`), checking
    /// its certificate with `tls` (see [`super::tls`]).
    pub fn new(base: &str, tls: std::sync::Arc<rustls::ClientConfig>) -> Result<Api> {
        crate::sync::install_crypto();
        let base = url::Url::parse(base)
            .map_err(|e| Error::invalid("server", format!("{base} is not a URL: {e}")))?;
        if !matches!(base.scheme(), "http" | "https") {
            return Err(Error::invalid(
                "server",
                "the address must start with http:// or https://",
            ));
        }
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            PROTOCOL_HEADER,
            reqwest::header::HeaderValue::from(PROTOCOL_VERSION),
        );
        let http = reqwest::Client::builder()
            .use_preconfigured_tls((*tls).clone())
            .default_headers(headers)
            .timeout(std::time::Duration::from_secs(20))
            .build()
            .map_err(|e| Error::Sync(e.to_string()))?;
        Ok(Api { base, http })
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
        let response = self.http.get(self.url("/v1/server")?).send().await;
        answer(response).await
    }

    async fn call<B: Serialize, T: DeserializeOwned>(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<&B>,
    ) -> Result<T> {
        let mut request = self
            .http
            .request(method, self.url(path)?)
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(body);
        }
        answer(request.send().await).await
    }

    pub async fn enrol(&self, token: &str, body: &EnrolRequest) -> Result<Enrolled> {
        self.call(reqwest::Method::POST, "/v1/enrol", token, Some(body))
            .await
    }

    pub async fn invite(&self, token: &str, body: &InvitationRequest) -> Result<Invitation> {
        self.call(reqwest::Method::POST, "/v1/invitations", token, Some(body))
            .await
    }

    /// What a code would do and who made it, without using it (no token: a device that has
    /// joined nothing asks).
    pub async fn about_code(&self, code: &str) -> Result<CodeAbout> {
        let body = CodeQuery {
            code: code.trim().to_string(),
        };
        let response = self
            .http
            .post(self.url("/v1/codes/about")?)
            .json(&body)
            .send()
            .await;
        answer(response).await
    }

    pub async fn join(&self, token: &str, body: &JoinRequest) -> Result<Joined> {
        self.call(reqwest::Method::POST, "/v1/join", token, Some(body))
            .await
    }

    /// The new practitioners the service offers this client ([`Handovers`]).
    pub async fn handovers(&self, token: &str) -> Result<Handovers> {
        self.call::<(), _>(reqwest::Method::GET, "/v1/handovers", token, None)
            .await
    }

    /// Agrees to an offer: linked as by a join.
    pub async fn agree_to_handover(&self, token: &str, body: &HandoverAnswer) -> Result<Joined> {
        self.call(reqwest::Method::POST, "/v1/handovers", token, Some(body))
            .await
    }

    /// Declines an offer.
    pub async fn decline_handover(&self, token: &str, body: &HandoverAnswer) -> Result<()> {
        self.call::<_, serde::de::IgnoredAny>(
            reqwest::Method::POST,
            "/v1/handovers",
            token,
            Some(body),
        )
        .await
        .map(|_| ())
    }

    /// Takes over an account with its recovery code.
    pub async fn recover(&self, token: &str, body: &RecoverRequest) -> Result<Joined> {
        self.call(reqwest::Method::POST, "/v1/recover", token, Some(body))
            .await
    }

    pub async fn register(&self, token: &str, body: &RegisterDocument) -> Result<()> {
        self.call::<_, serde::de::IgnoredAny>(
            reqwest::Method::POST,
            "/v1/documents",
            token,
            Some(body),
        )
        .await
        .map(|_| ())
    }

    pub async fn share(&self, token: &str, body: &ShareRequest) -> Result<()> {
        self.call::<_, serde::de::IgnoredAny>(
            reqwest::Method::POST,
            "/v1/shares",
            token,
            Some(body),
        )
        .await
        .map(|_| ())
    }

    pub async fn revoke(&self, token: &str, body: &ShareRequest) -> Result<()> {
        self.call::<_, serde::de::IgnoredAny>(
            reqwest::Method::DELETE,
            "/v1/shares",
            token,
            Some(body),
        )
        .await
        .map(|_| ())
    }

    pub async fn links(&self, token: &str) -> Result<Vec<Link>> {
        self.call::<(), _>(reqwest::Method::GET, "/v1/links", token, None)
            .await
    }

    /// Who looked at the person's journey ([`AccessEntry`]).
    pub async fn access_log(&self, token: &str) -> Result<Vec<AccessEntry>> {
        self.call::<(), _>(reqwest::Method::GET, "/v1/access-log", token, None)
            .await
    }

    /// The person's devices.
    pub async fn devices(&self, token: &str) -> Result<Vec<DeviceInfo>> {
        self.call::<(), _>(reqwest::Method::GET, "/v1/devices", token, None)
            .await
    }

    /// Removes one of the person's other devices.
    pub async fn remove_device(&self, token: &str, device_id: &str) -> Result<()> {
        let path = format!("/v1/devices/{device_id}");
        self.call::<(), serde::de::IgnoredAny>(reqwest::Method::DELETE, &path, token, None)
            .await
            .map(|_| ())
    }

    /// Names the calling device.
    pub async fn name_device(&self, token: &str, body: &NameDevice) -> Result<()> {
        self.call::<_, serde::de::IgnoredAny>(
            reqwest::Method::POST,
            "/v1/devices/name",
            token,
            Some(body),
        )
        .await
        .map(|_| ())
    }

    /// The documents this person's devices must delete ([`Withdrawn`]).
    pub async fn withdrawn(&self, token: &str) -> Result<Withdrawn> {
        self.call::<(), _>(reqwest::Method::GET, "/v1/withdrawn", token, None)
            .await
    }

    /// Erases the calling person's account on the server.
    pub async fn erase_account(&self, token: &str, body: &EraseAccount) -> Result<AccountErased> {
        self.call(
            reqwest::Method::POST,
            "/v1/account/erase",
            token,
            Some(body),
        )
        .await
    }

    /// Links and the documents changed since `since` ([`CatchUp`]).
    pub async fn catch_up(&self, token: &str, since: u64) -> Result<CatchUp> {
        let path = format!("/v1/catch-up?since={since}");
        self.call::<(), _>(reqwest::Method::GET, &path, token, None)
            .await
    }
}

async fn answer<T: DeserializeOwned>(
    response: std::result::Result<reqwest::Response, reqwest::Error>,
) -> Result<T> {
    let response = response.map_err(|e| {
        // reqwest's own text hides the cause: walk the chain for it.
        let mut detail = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(cause) = source {
            detail = format!("{detail}: {cause}");
            source = cause.source();
        }
        if super::tls::is_certificate_error(&detail) {
            let server = e
                .url()
                .map(|u| u.origin().ascii_serialization())
                .unwrap_or_default();
            super::tls::untrusted(&server, &detail)
        } else {
            Error::Sync(format!("cannot reach the server: {detail}"))
        }
    })?;
    let status = response.status();
    let bytes = response
        .bytes()
        .await
        .map_err(|e| Error::Sync(format!("the server's answer broke off: {e}")))?;
    if status.is_success() {
        let body: &[u8] = if bytes.is_empty() { b"null" } else { &bytes };
        return serde_json::from_slice(body)
            .map_err(|e| Error::Sync(format!("unexpected answer from the server: {e}")));
    }
    // Every refusal of a Tandem server carries its reason word; anything else is not Tandem's.
    match serde_json::from_slice::<ApiError>(&bytes) {
        Ok(refusal) => Err(Error::refused(refusal.reason(), refusal.message)),
        Err(_) => Err(Error::Sync(format!(
            "the server answered {status}: {}",
            String::from_utf8_lossy(&bytes)
                .chars()
                .take(200)
                .collect::<String>()
        ))),
    }
}
