//! The JSON bodies of the server's HTTP API (docs/SYNC.md), shared by client and server.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::word_enum;

/// The version of Tandem's protocol (this file and docs/SYNC.md) a device speaks. Every device
/// sends it with every call and sync connection, in the header [`PROTOCOL_HEADER`]; a server
/// refuses a device whose version is below the oldest it accepts with `update_app` (426), so an
/// app too old is told to update rather than misread. Raise it when a change would damage what
/// an older app writes or reads.
pub const PROTOCOL_VERSION: u32 = 1;

/// The header that carries [`PROTOCOL_VERSION`].
pub const PROTOCOL_HEADER: &str = "tandem-protocol";

word_enum!(
    /// A person's role on a server.
    Role "role" {
        Client = "client",
        Practitioner = "practitioner",
        Coach = "coach",
    }
);

word_enum!(
    /// What an invitation code is for.
    InvitationKind "kind of invitation" {
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
    Access "access" {
        Read = "read",
        Write = "write",
    }
);

word_enum!(
    /// What a document holds, and so who may see it.
    DocumentKind "kind of document" {
        /// A person's journey through the four stages (without check-ins).
        Journey = "journey",
        /// One month of a journey's check-ins.
        CheckIns = "check_ins",
        /// A practitioner–client relationship.
        Care = "care",
        /// A coach–practitioner relationship.
        Coaching = "coaching",
        /// A person's private reflections, on their own devices only.
        Private = "private",
    }
);

/// One of a person's devices, as `GET /v1/devices` lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceInfo {
    pub device_id: String,
    /// The name the device gave itself ("Sam's phone"), if it gave one.
    pub name: Option<String>,
    /// When it joined the account (Unix seconds).
    pub added_at: i64,
    /// When it last called the server (Unix seconds, to the minute), if it has since joining.
    pub last_seen_at: Option<i64>,
    /// Whether it is the device that asked.
    pub this_device: bool,
}

/// When another person's device last received a person's journey (or a month of its
/// check-ins) from the server: `GET /v1/access-log`, for "who looked".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessEntry {
    pub person_id: String,
    pub device_id: String,
    /// Unix seconds, to the minute.
    pub last_at: i64,
}

/// `POST /v1/devices/name`: the name the calling device gives itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameDevice {
    pub name: String,
}

/// The longest name a device may give itself, in characters.
pub const MAX_DEVICE_NAME: usize = 60;

/// A device's name, trimmed, if it is one: 1 to [`MAX_DEVICE_NAME`] characters on one line;
/// otherwise the sentence that says so. The device checks it before asking, the server again.
pub fn device_name(name: &str) -> Result<&str, String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_DEVICE_NAME || name.contains(['\n', '\r']) {
        return Err(format!(
            "a device's name is 1 to {MAX_DEVICE_NAME} characters on one line"
        ));
    }
    Ok(name)
}

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
    /// The person's recovery code, shown once: it brings their account back to a new device
    /// when every device of theirs is lost (`POST /v1/recover`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery_code: Option<String>,
}

/// `POST /v1/recover`: a new device takes over the account of the person whose recovery code
/// this is; their other devices are removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoverRequest {
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationRequest {
    pub kind: InvitationKind,
    /// The name the inviter's linked people see (their choice, from their documents): the one
    /// who looks at the code before using it reads it. The server keeps it with the code and
    /// forgets it once the code is used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_name: Option<String>,
}

/// The longest `from_name` a server keeps, in characters.
pub const MAX_NAME_CHARS: usize = 60;

word_enum!(
    /// What using a code would do (see [`CodeAbout`]).
    CodeKind "kind of code" {
        /// Join the practitioner who made it, as their client.
        Client = "client",
        /// Join the coach who made it, as a practitioner they coach.
        Practitioner = "practitioner",
        /// Add this device to the account of the person who made it.
        Device = "device",
        /// Enrol as a practitioner of the service that runs this server.
        EnrolPractitioner = "enrol_practitioner",
        /// Enrol as a coach of the service that runs this server.
        EnrolCoach = "enrol_coach",
    }
);

/// The body of `POST /v1/codes/about`: the code a person typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeQuery {
    pub code: String,
}

/// What a code would do and who made it, told without using it up (so that a person sees
/// what joining shares, and with whom, before they agree).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeAbout {
    pub kind: CodeKind,
    /// The role of the person who made an invitation (none for an operator's enrolment code).
    pub issuer_role: Option<Role>,
    /// The name they gave with it, if any.
    pub issuer_name: Option<String>,
    /// When the code stops working (RFC 3339 on the wire).
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    pub code: String,
    pub kind: InvitationKind,
    /// When the code stops working (RFC 3339 on the wire).
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinRequest {
    pub code: String,
    pub person_id: String,
    pub journey_id: String,
    pub private_id: String,
    /// The version of the consent text the person agreed to.
    pub consent_text_version: String,
    /// This device means to become another device of the code's issuer (a device code);
    /// otherwise it means to link its person to them. A code of the other kind is refused
    /// without being used.
    #[serde(default)]
    pub device: bool,
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
    /// Their access to the caller's journey (what the caller shares with them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub their_access: Option<Access>,
}

/// What a device asks before it connects (`GET /v1/catch-up?since=<cursor>`): the people
/// linked to it, and which of the documents it may see the server stored changes to since
/// `since` (a cursor the server gave before; 0 for "ever").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatchUp {
    pub links: Vec<Link>,
    /// Documents this person may see with changes stored after `since`, each once.
    pub changed: Vec<String>,
    /// Where the server's change feed stands now: the next `since`.
    pub cursor: u64,
    /// Documents this person once had and must delete (see [`Withdrawn`]).
    #[serde(default)]
    pub withdrawn: Vec<WithdrawnDocument>,
}

word_enum!(
    /// Why a person's devices must delete their copy of a document.
    WithdrawnReason "reason a document was withdrawn" {
        /// Its owner stopped sharing it with this person (they ended the relationship).
        Revoked = "revoked",
        /// Its owner erased their account.
        Erased = "erased",
    }
);

/// A document a person's devices must delete: `GET /v1/withdrawn`, and in every catch-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WithdrawnDocument {
    pub doc_id: String,
    pub reason: WithdrawnReason,
    /// When (Unix seconds).
    pub at: i64,
}

/// `GET /v1/withdrawn`: the documents the calling person's devices must delete. A list that
/// only grows until the owner shares a document again; a device deletes what it still holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Withdrawn {
    pub documents: Vec<WithdrawnDocument>,
}

/// `POST /v1/account/erase`: the calling person erases their account. `person_id` must be
/// theirs: a second word for a call that cannot be undone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EraseAccount {
    pub person_id: String,
}

/// The answer to an erasure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountErased {
    /// When (Unix seconds).
    pub erased_at: i64,
}

/// Notices the server adds to a device's sync connection when the device asks for them
/// (`/v1/sync?notices=1`): CBOR maps beside automerge-repo's messages, with these types.
pub mod notice {
    /// `{type, documentIds: [text]}`: documents this person may see that changed on the server
    /// and that this connection has not synced yet.
    pub const CHANGED: &str = "tandem-changed";
    /// `{type}`: this person's links changed (a grant, a revocation, a join): fetch them again.
    pub const LINKS_CHANGED: &str = "tandem-links-changed";
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
    /// The name they gave with the code, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linked_name: Option<String>,
    /// A new person's recovery code (see [`Enrolled::recovery_code`]), shown once; after a
    /// recovery, the code that replaces the one used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery_code: Option<String>,
}

/// A new practitioner the service offers a client whose practitioner left (`GET
/// /v1/handovers`). Nothing is shared with them until the client agrees (`POST
/// /v1/handovers`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handover {
    /// The practitioner who left the service.
    pub from_person_id: String,
    /// The practitioner offered in their place.
    pub to_person_id: String,
    /// The name the operator gave for the new practitioner, if any (theirs to change once
    /// linked: names live in documents).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_name: Option<String>,
    /// When the service made the offer (RFC 3339 on the wire).
    pub offered_at: DateTime<Utc>,
}

/// `GET /v1/handovers`: the offers waiting for the calling client, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handovers {
    pub offers: Vec<Handover>,
}

/// `POST /v1/handovers`: a client's answer to an offer. Agreeing links them to the new
/// practitioner exactly as joining with their code would (the answer is a [`Joined`]);
/// declining forgets the offer (the answer is 204).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoverAnswer {
    pub to_person_id: String,
    pub agree: bool,
    /// The version of the consent text the client agreed to (when `agree`).
    #[serde(default)]
    pub consent_text_version: String,
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

word_enum!(
    /// Why the server refused a call: the `error` word of its answer (docs/SYNC.md, "Errors"),
    /// the one list both the server and the devices use.
    Reason "refusal reason" {
        /// The request was not well formed (a bad body, a bad id).
        Invalid = "invalid",
        /// The token is not a token (or there was none).
        Malformed = "malformed",
        /// The token's signature does not match its device key.
        BadSignature = "bad_signature",
        /// The token was made for another server.
        WrongServer = "wrong_server",
        /// The token is from the future: the device's clock is wrong.
        NotYetValid = "not_yet_valid",
        /// The token has expired: the device's clock may be wrong.
        Expired = "expired",
        /// The token lives longer than the server allows.
        TooLong = "too_long",
        /// The token was used before.
        Replayed = "replayed",
        /// This device belongs to nobody on this server (not enrolled or joined).
        UnknownDevice = "unknown_device",
        /// This device was removed from its person's account (a lost phone): the server
        /// refuses it from now on, and it may erase what it holds.
        DeviceRemoved = "device_removed",
        /// This device's account was erased: the server refuses it from now on, and the
        /// device erases what it holds.
        AccountErased = "account_erased",
        /// The document was erased with its owner's account: it cannot be uploaded again.
        Erased = "erased",
        /// No such person on this server.
        UnknownPerson = "unknown_person",
        /// No such invitation or enrolment code: mistyped, or from another server.
        UnknownCode = "unknown_code",
        /// The code was used already.
        CodeUsed = "code_used",
        /// The code has expired: ask for a new one.
        CodeExpired = "code_expired",
        /// The code adds a device to its issuer's account; it was given where a person joins.
        CodeForDevice = "code_for_device",
        /// The code links two people; it was given where a device is added.
        CodeForPerson = "code_for_person",
        /// A client's data may not go to a coach.
        ClientData = "client_data",
        /// This device belongs to someone already.
        DeviceKnown = "device_known",
        /// The document id belongs to someone else.
        DocumentTaken = "document_taken",
        /// The two people are not linked.
        NotLinked = "not_linked",
        /// The caller is not a member of that document.
        NotMember = "not_member",
        /// Only the document's owner may do that.
        NotOwner = "not_owner",
        /// The person is on this server already.
        PersonExists = "person_exists",
        /// A private document is never shared.
        PrivateDocument = "private_document",
        /// A care or coaching document is shared by its two people only.
        RelationshipDocument = "relationship_document",
        /// No such document on this server.
        UnknownDocument = "unknown_document",
        /// The call names a person it may not (someone else's documents).
        WrongPerson = "wrong_person",
        /// The person's role does not allow this (a client inviting a client ...).
        WrongRole = "wrong_role",
        /// The person's account was closed by their service (a practitioner who left): they
        /// can no longer invite, join or be offered to anyone.
        Deactivated = "deactivated",
        /// No such offer of a new practitioner waits for this person.
        NoHandover = "no_handover",
        /// The app speaks an older protocol than this server accepts: update the app.
        UpdateApp = "update_app",
        /// Too many requests from this address in a short time: wait a minute.
        TooManyRequests = "too_many_requests",
        /// No such route on this server (an older or newer server).
        NotFound = "not_found",
        /// The server failed; try again later.
        Internal = "internal",
        /// A word this version of Tandem does not know (a newer server): read the message.
        Unknown = "unknown",
    }
);

/// The body of every refusal: a word a program can act on and a sentence a person can read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    /// A [`Reason`] word.
    pub error: String,
    pub message: String,
}

impl ApiError {
    /// A refusal for `reason`, with the sentence a person reads.
    pub fn new(reason: Reason, message: impl Into<String>) -> Self {
        ApiError {
            error: reason.as_str().to_string(),
            message: message.into(),
        }
    }

    /// Why, typed; [`Reason::Unknown`] for a word this version does not know.
    pub fn reason(&self) -> Reason {
        Reason::parse(&self.error).unwrap_or(Reason::Unknown)
    }
}
