//! Checking a device's token (docs/SYNC.md, "Tokens"): form, signature, server and times by
//! `tandem_protocol::auth::verify_token`, then the nonce (each accepted once, remembered until the
//! token expires), then, for most calls, that the device is known here.

use tandem_protocol::auth::{verify_token, TokenError};

use crate::directory::{Caller, Directory, Refusal};

/// Why a call was not authenticated.
#[derive(Debug)]
pub enum AuthError {
    /// Refused with 401 and the token error's reason.
    Token(TokenError),
    /// The directory failed (500).
    Internal(Refusal),
}

impl From<TokenError> for AuthError {
    fn from(e: TokenError) -> Self {
        AuthError::Token(e)
    }
}

impl From<Refusal> for AuthError {
    fn from(e: Refusal) -> Self {
        AuthError::Internal(e)
    }
}

/// Checks `token` as of `now` (Unix seconds). With `known_only`, the device must belong to a
/// person here; otherwise (enrol, join) a new device is let through with `person: None`.
pub async fn authenticate(
    directory: &Directory,
    token: Option<&str>,
    now: i64,
    known_only: bool,
) -> Result<Caller, AuthError> {
    let token = token.ok_or_else(|| TokenError::Malformed("no token".into()))?;
    let claims = verify_token(token, directory.server_id(), now)?;
    if !directory
        .remember_nonce(&claims.nonce, claims.exp, now)
        .await?
    {
        return Err(TokenError::Replayed.into());
    }
    let person = directory.device_person(&claims.device).await?;
    if person.is_none() {
        // A removed device is told so, whatever it asks (it may not join again either).
        if directory.device_removed_at(&claims.device).await?.is_some() {
            return Err(TokenError::DeviceRemoved.into());
        }
        // So is a device of an erased account: it erases what it holds.
        if directory.erased_at(&claims.device).await?.is_some() {
            return Err(TokenError::AccountErased.into());
        }
        if known_only {
            return Err(TokenError::UnknownDevice.into());
        }
    } else {
        directory.touch_device(&claims.device, now).await?;
    }
    Ok(Caller {
        device_id: claims.device,
        person,
    })
}

/// The token of an `Authorization: Bearer <token>` header value.
pub fn bearer(header: Option<&str>) -> Option<&str> {
    let (scheme, token) = header?.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}
