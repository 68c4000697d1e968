//! The messages of the automerge-repo sync protocol (version "1"), as CBOR maps, and the
//! notices a Tandem server adds beside them ([`super::api::notice`]).
//!
//! Only what a device needs is read: the handshake, per-document sync messages, "unavailable",
//! errors and the notices. Anything else a peer may send (ephemeral messages, remote heads) is
//! read as [`Wire::Other`] and ignored, so a newer peer does not break an older device.

use minicbor::data::Type;
use samod::DocumentId;

/// The protocol version this device speaks.
pub const PROTOCOL_VERSION: &str = "1";

/// One message on a sync connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wire {
    /// The device's half of the handshake.
    Join { sender: String },
    /// The peer's answer to [`Wire::Join`].
    Peer { sender: String, target: String },
    /// A sync message for a document the sender does not have yet.
    Request {
        doc: String,
        sender: String,
        target: String,
        data: Vec<u8>,
    },
    /// A sync message (automerge's, encoded) for a document.
    Sync {
        doc: String,
        sender: String,
        target: String,
        data: Vec<u8>,
    },
    /// The peer does not have the document, or may not give it.
    Unavailable {
        doc: String,
        sender: String,
        target: String,
    },
    /// The peer reports a protocol error and closes.
    Error { message: String },
    /// A Tandem server's notice: these documents changed there.
    Changed { docs: Vec<String> },
    /// A Tandem server's notice: this person's links changed.
    LinksChanged,
    /// A message of a type this device does not use.
    Other { kind: String },
}

/// Why a message could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("an unreadable sync message: {0}")]
pub struct WireError(pub String);

fn bad(e: impl std::fmt::Display) -> WireError {
    WireError(e.to_string())
}

impl Wire {
    /// The CBOR bytes of this message.
    pub fn encode(&self) -> Vec<u8> {
        let mut e = minicbor::Encoder::new(Vec::new());
        // Writing to a Vec cannot fail.
        let _ = write(&mut e, self);
        e.into_writer()
    }

    /// Reads one message. Unknown fields are skipped; a missing one is an error.
    pub fn decode(bytes: &[u8]) -> Result<Wire, WireError> {
        let mut d = minicbor::Decoder::new(bytes);
        let len = d
            .map()
            .map_err(bad)?
            .ok_or_else(|| bad("an indefinite map"))?;
        let mut kind = None;
        let (mut doc, mut sender, mut target, mut data, mut message) =
            (None, None, None, None, None);
        let mut docs = None;
        for _ in 0..len {
            match d.str().map_err(bad)? {
                "type" => kind = Some(d.str().map_err(bad)?.to_string()),
                "documentId" => doc = Some(document_id(&mut d)?),
                "senderId" => sender = Some(d.str().map_err(bad)?.to_string()),
                "targetId" => target = Some(d.str().map_err(bad)?.to_string()),
                "data" => data = Some(d.bytes().map_err(bad)?.to_vec()),
                "message" => message = Some(d.str().map_err(bad)?.to_string()),
                "documentIds" => {
                    let n = d
                        .array()
                        .map_err(bad)?
                        .ok_or_else(|| bad("an indefinite array"))?;
                    let mut ids = Vec::with_capacity(n.min(1024) as usize);
                    for _ in 0..n {
                        ids.push(document_id(&mut d)?);
                    }
                    docs = Some(ids);
                }
                _ => d.skip().map_err(bad)?,
            }
        }
        if d.position() != bytes.len() {
            return Err(bad("bytes after the message"));
        }
        let need = |field: Option<String>, name: &str| {
            field.ok_or_else(|| WireError(format!("no {name}")))
        };
        let kind = need(kind, "type")?;
        Ok(match kind.as_str() {
            "join" => Wire::Join {
                sender: need(sender, "senderId")?,
            },
            "peer" => Wire::Peer {
                sender: need(sender, "senderId")?,
                target: need(target, "targetId")?,
            },
            "request" | "sync" => {
                let doc = need(doc, "documentId")?;
                let sender = need(sender, "senderId")?;
                let target = need(target, "targetId")?;
                let data = data.ok_or_else(|| bad("no data"))?;
                if kind == "request" {
                    Wire::Request {
                        doc,
                        sender,
                        target,
                        data,
                    }
                } else {
                    Wire::Sync {
                        doc,
                        sender,
                        target,
                        data,
                    }
                }
            }
            "doc-unavailable" => Wire::Unavailable {
                doc: need(doc, "documentId")?,
                sender: need(sender, "senderId")?,
                target: need(target, "targetId")?,
            },
            "error" => Wire::Error {
                message: message.unwrap_or_default(),
            },
            super::api::notice::CHANGED => Wire::Changed {
                docs: docs.ok_or_else(|| bad("no documentIds"))?,
            },
            super::api::notice::LINKS_CHANGED => Wire::LinksChanged,
            _ => Wire::Other { kind },
        })
    }
}

/// A document id, sent as text (bs58check) or as its bytes.
fn document_id(d: &mut minicbor::Decoder<'_>) -> Result<String, WireError> {
    match d.datatype().map_err(bad)? {
        Type::Bytes => {
            let raw = d.bytes().map_err(bad)?.to_vec();
            Ok(DocumentId::try_from(raw).map_err(bad)?.to_string())
        }
        _ => {
            let text = d.str().map_err(bad)?;
            text.parse::<DocumentId>()
                .map_err(|_| WireError(format!("{text:?} is not a document id")))?;
            Ok(text.to_string())
        }
    }
}

type Enc = minicbor::Encoder<Vec<u8>>;
type EncResult = Result<(), minicbor::encode::Error<std::convert::Infallible>>;

fn fields(e: &mut Enc, kind: &str, n: u64) -> EncResult {
    e.map(n)?.str("type")?.str(kind)?;
    Ok(())
}

fn write(e: &mut Enc, message: &Wire) -> EncResult {
    {
        match message {
            Wire::Join { sender } => {
                fields(e, "join", 4)?;
                e.str("senderId")?.str(sender)?;
                e.str("supportedProtocolVersions")?
                    .array(1)?
                    .str(PROTOCOL_VERSION)?;
                // Not ephemeral: this device comes back with what it stored.
                e.str("peerMetadata")?
                    .map(1)?
                    .str("isEphemeral")?
                    .bool(false)?;
            }
            Wire::Peer { sender, target } => {
                fields(e, "peer", 4)?;
                e.str("senderId")?.str(sender)?;
                e.str("targetId")?.str(target)?;
                e.str("selectedProtocolVersion")?.str(PROTOCOL_VERSION)?;
            }
            Wire::Request {
                doc,
                sender,
                target,
                data,
            }
            | Wire::Sync {
                doc,
                sender,
                target,
                data,
            } => {
                let kind = if matches!(message, Wire::Request { .. }) {
                    "request"
                } else {
                    "sync"
                };
                fields(e, kind, 5)?;
                e.str("documentId")?.str(doc)?;
                e.str("senderId")?.str(sender)?;
                e.str("targetId")?.str(target)?;
                e.str("data")?.bytes(data)?;
            }
            Wire::Unavailable {
                doc,
                sender,
                target,
            } => {
                fields(e, "doc-unavailable", 4)?;
                e.str("documentId")?.str(doc)?;
                e.str("senderId")?.str(sender)?;
                e.str("targetId")?.str(target)?;
            }
            Wire::Error { message } => {
                fields(e, "error", 2)?;
                e.str("message")?.str(message)?;
            }
            Wire::Changed { docs } => {
                fields(e, super::api::notice::CHANGED, 2)?;
                e.str("documentIds")?.array(docs.len() as u64)?;
                for doc in docs {
                    e.str(doc)?;
                }
            }
            Wire::LinksChanged => fields(e, super::api::notice::LINKS_CHANGED, 1)?,
            Wire::Other { kind } => fields(e, kind, 1)?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> String {
        DocumentId::try_from(vec![9u8; 16]).unwrap().to_string()
    }

    #[test]
    fn every_message_reads_back_as_written() {
        let messages = [
            Wire::Join {
                sender: "device-a".into(),
            },
            Wire::Peer {
                sender: "server-b".into(),
                target: "device-a".into(),
            },
            Wire::Request {
                doc: doc(),
                sender: "device-a".into(),
                target: "server-b".into(),
                data: vec![1, 2, 3],
            },
            Wire::Sync {
                doc: doc(),
                sender: "device-a".into(),
                target: "server-b".into(),
                data: vec![],
            },
            Wire::Unavailable {
                doc: doc(),
                sender: "server-b".into(),
                target: "device-a".into(),
            },
            Wire::Error {
                message: "no".into(),
            },
            Wire::Changed {
                docs: vec![doc(), doc()],
            },
            Wire::LinksChanged,
            Wire::Other {
                kind: "ephemeral".into(),
            },
        ];
        for message in messages {
            assert_eq!(Wire::decode(&message.encode()), Ok(message));
        }
    }

    #[test]
    fn junk_and_missing_fields_are_errors_not_panics() {
        for junk in [&b""[..], b"\xff", b"hello", &[0xa1, 0x61], &[0xa0]] {
            assert!(Wire::decode(junk).is_err(), "{junk:?}");
        }
        let mut e = minicbor::Encoder::new(Vec::new());
        e.map(2).unwrap().str("type").unwrap().str("sync").unwrap();
        e.str("documentId").unwrap().str("not an id").unwrap();
        assert!(Wire::decode(&e.into_writer()).is_err());
        let mut e = minicbor::Encoder::new(Vec::new());
        e.map(1).unwrap().str("type").unwrap().str("sync").unwrap();
        assert_eq!(
            Wire::decode(&e.into_writer()),
            Err(WireError("no documentId".into()))
        );
    }

    #[test]
    fn a_document_id_sent_as_bytes_is_read() {
        let id = DocumentId::try_from(vec![9u8; 16]).unwrap();
        let mut e = minicbor::Encoder::new(Vec::new());
        e.map(4)
            .unwrap()
            .str("type")
            .unwrap()
            .str("doc-unavailable")
            .unwrap();
        e.str("documentId").unwrap().bytes(&[9u8; 16]).unwrap();
        e.str("senderId").unwrap().str("s").unwrap();
        e.str("targetId").unwrap().str("t").unwrap();
        assert_eq!(
            Wire::decode(&e.into_writer()).unwrap(),
            Wire::Unavailable {
                doc: id.to_string(),
                sender: "s".into(),
                target: "t".into()
            }
        );
    }
}
