//! Who this store belongs to: the person, this device's signing key, and their own documents.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use tandem_protocol::auth::{device_id, DeviceKey};

use super::seal::{At, Sealer};
use crate::error::Result;

/// The person and device a store belongs to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Identity {
    /// The person's id, the same on all their devices.
    pub person_id: String,
    /// This device's public signing key, base58.
    pub device_key: String,
    /// The person's journey document.
    pub journey_id: String,
    /// The person's private document (own devices only).
    pub private_id: String,
}

/// What the identity table holds, the secret key included.
pub(crate) struct StoredIdentity {
    pub identity: Identity,
    pub signing_key: DeviceKey,
}

impl StoredIdentity {
    pub fn generate(journey_id: String, private_id: String) -> Self {
        let signing_key = DeviceKey::generate();
        let person = tandem_protocol::random::bytes::<16>();
        StoredIdentity {
            identity: Identity {
                person_id: bs58::encode(person).into_string(),
                device_key: device_id(&signing_key),
                journey_id,
                private_id,
            },
            signing_key,
        }
    }

    pub fn load(conn: &Connection, sealer: &Sealer) -> Result<Option<Self>> {
        let row = conn
            .query_row(
                "SELECT person_id, device_secret_key, journey_doc, private_doc FROM identity WHERE id = 1",
                [],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, Vec<u8>>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                    ))
                },
            )
            .optional()?;
        let Some((person_id, secret, journey_id, private_id)) = row else {
            return Ok(None);
        };
        let secret = zeroize::Zeroizing::new(sealer.open_vec(At::DeviceKey, secret)?);
        let secret: [u8; 32] = secret.as_slice().try_into().map_err(|_| {
            crate::Error::damaged("the local store", "its device key has the wrong length")
        })?;
        let signing_key = DeviceKey::from_seed(&secret);
        Ok(Some(StoredIdentity {
            identity: Identity {
                person_id,
                device_key: device_id(&signing_key),
                journey_id,
                private_id,
            },
            signing_key,
        }))
    }

    pub fn save(
        &self,
        conn: &Connection,
        sealer: &Sealer,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<()> {
        let secret = self.signing_key.seed();
        conn.execute(
            "INSERT INTO identity (id, person_id, device_secret_key, journey_doc, private_doc, created_at)
             VALUES (1, ?1, ?2, ?3, ?4, ?5)",
            params![
                self.identity.person_id,
                sealer.seal(At::DeviceKey, secret.as_slice()).as_ref(),
                self.identity.journey_id,
                self.identity.private_id,
                now.to_rfc3339(),
            ],
        )?;
        Ok(())
    }
}
