//! Device-signed tokens: how a device proves who it is to a sync server (docs/SYNC.md).
//!
//! A token names the device (its public key), the server it is for, when it was made, when it
//! expires, and a one-time nonce, signed by the device's key. Checking the signature, the server
//! and the times is here; remembering nonces (refusing replays) is the server's job.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ring::signature::{Ed25519KeyPair, KeyPair, UnparsedPublicKey, ED25519};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

/// What a token's signature covers, before the payload: so a signature made for anything else
/// can never pass as a token.
const DOMAIN: &[u8] = b"tandem-token-v1\n";
/// The longest a token may live, in seconds.
pub const MAX_LIFETIME_SECS: i64 = 600;
/// How far ahead of the server's clock a token's issue time may be, in seconds.
pub const CLOCK_SKEW_SECS: i64 = 60;
/// How long the tokens this device makes live, in seconds.
pub const LIFETIME_SECS: i64 = 300;

/// What a token says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub v: u32,
    /// The device's public key, base58.
    pub device: String,
    /// The server this token is for.
    pub server: String,
    /// Issued at, Unix seconds.
    pub iat: i64,
    /// Expires at, Unix seconds.
    pub exp: i64,
    /// Random, base58; a server accepts each nonce once.
    pub nonce: String,
}

/// Why a token was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("malformed token: {0}")]
    Malformed(String),
    #[error("the token's signature does not match its device key")]
    BadSignature,
    #[error("the token was made for another server")]
    WrongServer,
    #[error("the token is not valid yet (its clock is ahead)")]
    NotYetValid,
    #[error("the token has expired")]
    Expired,
    #[error("the token lives longer than {MAX_LIFETIME_SECS} s")]
    TooLong,
    #[error("the token was used before")]
    Replayed,
    #[error("the token's device is not known here")]
    UnknownDevice,
    #[error("this device was removed from its account: it can erase what it holds")]
    DeviceRemoved,
    #[error("this device's account was erased: it erases what it holds")]
    AccountErased,
}

impl TokenError {
    /// The word the server answers a refused token with.
    pub fn reason(&self) -> crate::api::Reason {
        use crate::api::Reason;
        match self {
            TokenError::Malformed(_) => Reason::Malformed,
            TokenError::BadSignature => Reason::BadSignature,
            TokenError::WrongServer => Reason::WrongServer,
            TokenError::NotYetValid => Reason::NotYetValid,
            TokenError::Expired => Reason::Expired,
            TokenError::TooLong => Reason::TooLong,
            TokenError::Replayed => Reason::Replayed,
            TokenError::UnknownDevice => Reason::UnknownDevice,
            TokenError::DeviceRemoved => Reason::DeviceRemoved,
            TokenError::AccountErased => Reason::AccountErased,
        }
    }
}

/// A device's signing key: Ed25519 (RFC 8032), made from a 32-byte secret seed. The seed is what
/// a store keeps (sealed); the same seed gives the same key and signatures on every platform.
/// The seed is zeroed when the key is dropped; ring's expanded copy of it is not (ring does
/// not zero its keys; ed25519-dalek, used before, zeroed its own).
pub struct DeviceKey {
    seed: Zeroizing<[u8; 32]>,
    pair: Ed25519KeyPair,
}

impl DeviceKey {
    /// A new key from the system's random source.
    pub fn generate() -> Self {
        Self::from_seed(&crate::random::bytes::<32>())
    }

    /// The key a stored seed makes.
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        let pair = Ed25519KeyPair::from_seed_unchecked(seed)
            .expect("ring makes an Ed25519 key from any 32-byte seed");
        DeviceKey {
            seed: Zeroizing::new(*seed),
            pair,
        }
    }

    /// The secret seed, for storing (sealed); zeroed when the copy is dropped.
    pub fn seed(&self) -> Zeroizing<[u8; 32]> {
        self.seed.clone()
    }

    /// The public key.
    pub fn public(&self) -> [u8; 32] {
        let mut public = [0u8; 32];
        public.copy_from_slice(self.pair.public_key().as_ref());
        public
    }

    /// The Ed25519 signature of `message`.
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        let mut signature = [0u8; 64];
        signature.copy_from_slice(self.pair.sign(message).as_ref());
        signature
    }
}

impl Clone for DeviceKey {
    fn clone(&self) -> Self {
        Self::from_seed(&self.seed)
    }
}

impl std::fmt::Debug for DeviceKey {
    // Never the seed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("DeviceKey").field(&device_id(self)).finish()
    }
}

/// The samod peer id a device must use: the server binds each connection to it.
pub fn peer_id_for(device: &str) -> String {
    format!("device-{device}")
}

/// The device id (base58 public key) of a signing key.
pub fn device_id(key: &DeviceKey) -> String {
    bs58::encode(key.public()).into_string()
}

/// Makes a token for `server`, issued at `now` (Unix seconds), living `lifetime` seconds.
pub fn make_token(key: &DeviceKey, server: &str, now: i64, lifetime: i64) -> String {
    let nonce = crate::random::bytes::<16>();
    let claims = Claims {
        v: 1,
        device: device_id(key),
        server: server.to_string(),
        iat: now,
        exp: now + lifetime,
        nonce: bs58::encode(nonce).into_string(),
    };
    let payload = serde_json::to_vec(&claims).expect("claims serialize");
    let signature = key.sign(&[DOMAIN, &payload].concat());
    format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(&payload),
        URL_SAFE_NO_PAD.encode(signature)
    )
}

/// Checks a token's form, signature, server and times as of `now` (Unix seconds).
/// Replays are for the caller to refuse, by remembering `nonce` until `exp`.
pub fn verify_token(token: &str, server: &str, now: i64) -> Result<Claims, TokenError> {
    let malformed = |what: &str| TokenError::Malformed(what.to_string());
    if token.len() > 2048 {
        return Err(malformed("too long"));
    }
    let (payload, signature) = token.split_once('.').ok_or_else(|| malformed("no '.'"))?;
    let payload = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| malformed("payload is not base64url"))?;
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| malformed("signature is not base64url"))?;
    let claims: Claims =
        serde_json::from_slice(&payload).map_err(|e| TokenError::Malformed(e.to_string()))?;
    if claims.v != 1 {
        return Err(malformed("unknown version"));
    }
    let key: [u8; 32] = bs58::decode(&claims.device)
        .into_vec()
        .ok()
        .and_then(|k| k.try_into().ok())
        .ok_or_else(|| malformed("device is not a key"))?;
    // ring refuses a key that is not a point on the curve and a signature that is not 64
    // bytes (or not canonical) alike: both are a signature that does not match.
    UnparsedPublicKey::new(&ED25519, key)
        .verify(&[DOMAIN, &payload].concat(), &signature)
        .map_err(|_| TokenError::BadSignature)?;
    if claims.server != server {
        return Err(TokenError::WrongServer);
    }
    if claims.exp - claims.iat > MAX_LIFETIME_SECS {
        return Err(TokenError::TooLong);
    }
    if claims.iat > now + CLOCK_SKEW_SECS {
        return Err(TokenError::NotYetValid);
    }
    if claims.exp <= now {
        return Err(TokenError::Expired);
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> DeviceKey {
        DeviceKey::generate()
    }

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn a_seed_gives_the_key_and_signature_of_rfc_8032() {
        // RFC 8032, section 7.1, TEST 1 (the empty message): the keys stores made before keep
        // their public key and sign alike.
        let seed: [u8; 32] =
            hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
                .try_into()
                .unwrap();
        let key = DeviceKey::from_seed(&seed);
        assert_eq!(
            key.public().to_vec(),
            hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
        );
        assert_eq!(
            key.sign(b"").to_vec(),
            hex(concat!(
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555",
                "fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
            ))
        );
        assert_eq!(*key.seed(), seed);
        // Debug names the device, never the seed.
        assert_eq!(
            format!("{key:?}"),
            format!("DeviceKey({:?})", device_id(&key))
        );
    }

    #[test]
    fn a_fresh_token_for_this_server_passes_and_names_its_device() {
        let k = key();
        let token = make_token(&k, "server-a", 1_000, LIFETIME_SECS);
        let claims = verify_token(&token, "server-a", 1_010).unwrap();
        assert_eq!(claims.device, device_id(&k));
    }

    #[test]
    fn expired_early_wrong_server_overlong_forged_and_malformed_tokens_are_refused() {
        let k = key();
        let token = make_token(&k, "server-a", 1_000, LIFETIME_SECS);
        assert_eq!(
            verify_token(&token, "server-a", 1_300),
            Err(TokenError::Expired)
        );
        assert_eq!(
            verify_token(&token, "server-a", 900),
            Err(TokenError::NotYetValid)
        );
        assert_eq!(
            verify_token(&token, "server-b", 1_010),
            Err(TokenError::WrongServer)
        );
        let long = make_token(&k, "server-a", 1_000, 3_600);
        assert_eq!(
            verify_token(&long, "server-a", 1_010),
            Err(TokenError::TooLong)
        );

        // Someone else's key signing a payload that names this device.
        let (payload, _) = token.split_once('.').unwrap();
        let forged_sig = key().sign(&[DOMAIN, &URL_SAFE_NO_PAD.decode(payload).unwrap()].concat());
        let forged = format!("{payload}.{}", URL_SAFE_NO_PAD.encode(forged_sig));
        assert_eq!(
            verify_token(&forged, "server-a", 1_010),
            Err(TokenError::BadSignature)
        );

        // A payload changed after signing.
        let mut claims: Claims =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
        claims.exp += 10_000;
        let changed = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap()),
            token.split_once('.').unwrap().1
        );
        assert_eq!(
            verify_token(&changed, "server-a", 1_010),
            Err(TokenError::BadSignature)
        );

        for bad in ["", "abc", "a.b", "!!!.???", &"x".repeat(5000)] {
            assert!(matches!(
                verify_token(bad, "server-a", 1_010),
                Err(TokenError::Malformed(_))
            ));
        }
    }
}
