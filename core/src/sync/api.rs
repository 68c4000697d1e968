//! The JSON bodies of the server's HTTP API (docs/SYNC.md), shared by client and server.

use serde::{Deserialize, Serialize};

use crate::journey::word_enum;

word_enum!(
    /// A person's role on a server.
    Role {
        Client = "client",
        Practitioner = "practitioner",
        Coach = "coach",
    }
);

word_enum!(
    /// What an invitation code is for.
    InvitationKind {
        /// A practitioner invites a client.
        Client = "client",
        /// A coach invites a practitioner.
        Practitioner = "practitioner",
        /// A person adds one of their own devices.
        Device = "device",
    }
);

word_enum!(
    /// How a member may use a document.
    Access {
        Read = "read",
        Write = "write",
    }
);

/// The kinds of document a server registers: the same as the core's.
pub use crate::document::DocKind as DocumentKind;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerInfo {
    pub server_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolRequest {
    pub code: String,
    pub person_id: String,
    pub journey_id: String,
    pub private_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolled {
    pub server_id: String,
    pub person_id: String,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationRequest {
    pub kind: InvitationKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    pub code: String,
    pub kind: InvitationKind,
    /// RFC 3339.
    pub expires_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinRequest {
    pub code: String,
    pub person_id: String,
    pub journey_id: String,
    pub private_id: String,
    /// The version of the consent text the person agreed to.
    pub consent_text_version: String,
}

/// Another person linked to the caller, and what they share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub person_id: String,
    pub role: Role,
    /// Their journey, when the caller may sync it.
    pub journey_id: Option<String>,
    /// The care or coaching document between the two, once registered.
    pub relationship_doc_id: Option<String>,
    /// The caller's access to their journey.
    pub access: Option<Access>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Joined {
    pub server_id: String,
    pub person_id: String,
    pub role: Role,
    pub journey_id: String,
    pub private_id: String,
    /// For a client or practitioner code: the person who invited.
    pub linked: Option<Link>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterDocument {
    pub doc_id: String,
    pub kind: DocumentKind,
    /// For a month of check-ins: its journey (whose members it follows).
    pub journey_id: Option<String>,
    /// For a care or coaching document: the other person in it.
    pub with_person: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareRequest {
    pub doc_id: String,
    pub person_id: String,
    pub access: Access,
}

/// The body of every refusal: a word a program can act on and a sentence a person can read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub error: String,
    pub message: String,
}
