//! People: the name a person gives their linked people, the consent texts they read before
//! they share, what a code would do before it is used, and the people linked to them as a
//! screen shows them.

use std::time::SystemTime;

use tandem_core::relationships as core;
use tandem_core::sync::{api, session};

use crate::convert::{self, system_time};
use crate::error::TandemError;
use crate::journey::{ffi_enum, CheckIn};
use crate::runtime::run;
use crate::store::TandemStore;
use crate::sync::{Access, Role};
use crate::views::Completion;

ffi_enum!(
    /// What a person agrees to share.
    ConsentTopic = core::ConsentTopic {
        /// A client shares their journey with the practitioner who invited them.
        Care,
        /// A practitioner joins the coach who invited them.
        Coaching,
        /// A practitioner shares their own journey with their coach.
        JourneyToCoach,
    }
);

ffi_enum!(
    /// What using a code would do.
    CodeKind = api::CodeKind {
        /// Join the practitioner who made it, as their client (`join`).
        Client,
        /// Join the coach who made it, as a practitioner they coach (`join`).
        Practitioner,
        /// Add this device to the account of the person who made it (`join_device`).
        Device,
        /// Enrol as a practitioner of the service (`enrol`).
        EnrolPractitioner,
        /// Enrol as a coach of the service (`enrol`).
        EnrolCoach,
    }
);

/// A consent text, shown in full before a person agrees.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ConsentText {
    pub topic: ConsentTopic,
    pub version: String,
    pub title: String,
    /// Paragraphs separated by blank lines.
    pub text: String,
}

/// A consent a person gave, as recorded in a care or coaching document.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ConsentRecord {
    /// Who consented, and with whom they share (person ids).
    pub who: String,
    pub whom: String,
    /// What they share ("journey", "own_journey", ...).
    pub what: String,
    pub when: SystemTime,
    /// The version of the text they agreed to, and that text (empty in older records).
    pub text_version: String,
    pub text: String,
}

/// What a code would do and who made it, told without using it up.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CodeAbout {
    pub kind: CodeKind,
    /// The role of the person who made an invitation (none for an enrolment code).
    pub issuer_role: Option<Role>,
    /// The name they gave with it, if any.
    pub issuer_name: Option<String>,
    pub expires_at: SystemTime,
    /// The text to show in full, and agree to, before using it (none for a device or an
    /// enrolment code: they share nothing with anyone).
    pub consent: Option<ConsentText>,
}

/// A practitioner this client's service offers in place of one who left the service.
/// Nothing is shared with them before the client agrees (`answer_handover`).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct HandoverOffer {
    /// The practitioner who left.
    pub from_person_id: String,
    /// The practitioner offered.
    pub to_person_id: String,
    /// The name the service gave for them, if any.
    pub to_name: Option<String>,
    pub offered_at: SystemTime,
    /// The text to show in full, and agree to, before agreeing: the same as joining with the
    /// practitioner's own code.
    pub consent: ConsentText,
}

impl From<api::Handover> for HandoverOffer {
    fn from(h: api::Handover) -> Self {
        HandoverOffer {
            from_person_id: h.from_person_id,
            to_person_id: h.to_person_id,
            to_name: h.to_name,
            offered_at: system_time(h.offered_at),
            consent: core::consent_text(core::ConsentTopic::Care).into(),
        }
    }
}

/// A person linked to this one, as a screen shows them.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct LinkedPerson {
    pub person_id: String,
    pub role: Role,
    /// The name they chose; none until they have and it has synced here.
    pub name: Option<String>,
    pub relationship_doc_id: Option<String>,
    /// Their journey, when this person may see it (open it with `linked_journey`).
    pub journey_id: Option<String>,
    /// This person's access to their journey.
    pub access: Option<Access>,
    /// Their access to this person's journey: what this person shares with them.
    pub shares_my_journey: Option<Access>,
    /// Whether their journey has reached this device.
    pub journey_here: bool,
    /// Their latest check-in of the last five weeks.
    pub last_check_in: Option<CheckIn>,
    /// Their completion this week (Monday to today, their time zone).
    pub this_week: Option<Completion>,
    /// The consent records between the two, oldest first.
    pub consents: Vec<ConsentRecord>,
}

impl From<core::ConsentText> for ConsentText {
    fn from(t: core::ConsentText) -> Self {
        ConsentText {
            topic: t.topic,
            version: t.version.to_string(),
            title: t.title.to_string(),
            text: t.text.to_string(),
        }
    }
}

impl From<tandem_core::document::Consent> for ConsentRecord {
    fn from(c: tandem_core::document::Consent) -> Self {
        ConsentRecord {
            who: c.who,
            whom: c.whom,
            what: c.what,
            when: system_time(c.when),
            text_version: c.text_version,
            text: c.text,
        }
    }
}

impl From<api::CodeAbout> for CodeAbout {
    fn from(c: api::CodeAbout) -> Self {
        let topic = match c.kind {
            api::CodeKind::Client => Some(core::ConsentTopic::Care),
            api::CodeKind::Practitioner => Some(core::ConsentTopic::Coaching),
            _ => None,
        };
        CodeAbout {
            kind: c.kind,
            issuer_role: c.issuer_role,
            issuer_name: c.issuer_name,
            expires_at: system_time(c.expires_at),
            consent: topic.map(|t| core::consent_text(t).into()),
        }
    }
}

impl From<core::LinkedPerson> for LinkedPerson {
    fn from(p: core::LinkedPerson) -> Self {
        LinkedPerson {
            person_id: p.person_id,
            role: p.role,
            name: p.name,
            relationship_doc_id: p.relationship_doc_id,
            journey_id: p.journey_id,
            access: p.access,
            shares_my_journey: p.shares_my_journey,
            journey_here: p.journey_here,
            last_check_in: p.last_check_in.map(CheckIn::from),
            this_week: p.this_week.map(Completion::from),
            consents: p.consents.into_iter().map(ConsentRecord::from).collect(),
        }
    }
}

/// The consent text of `topic` this build shows (its version is `consent_text_version()`).
/// Quick.
#[uniffi::export]
pub fn consent_text(topic: ConsentTopic) -> ConsentText {
    core::consent_text(topic).into()
}

#[uniffi::export]
impl TandemStore {
    /// The name this person chose for the people linked to them; none until they choose.
    /// Quick.
    pub fn my_name(&self) -> Result<Option<String>, TandemError> {
        Ok(self.store().my_name()?)
    }

    /// Chooses the name linked people see (kept in documents they sync, and sent with the
    /// invitations this person makes). Blank or over 60 characters: `InvalidInput` naming
    /// `name`. Quick (one durable write per relationship).
    pub fn set_my_name(&self, name: String) -> Result<(), TandemError> {
        Ok(self.store().set_my_name(&name)?)
    }

    /// The people linked to this person as of the last sync, with names, what is shared each
    /// way, consent records, and for a journey this person may see its latest check-in and this
    /// week's completion, as of `now` (default: the current time). Reads five weeks of each
    /// visible journey: call it off the main thread.
    #[uniffi::method(default(now = None))]
    pub fn people(&self, now: Option<SystemTime>) -> Result<Vec<LinkedPerson>, TandemError> {
        let now = convert::instant_or_now("now", now)?;
        Ok(crate::journey::into_all(self.store().people(now)?))
    }
}

#[uniffi::export]
impl TandemStore {
    /// What the code `code` would do on `server` and who made it, without using it, with the
    /// consent text to show before it is used. Unknown, used or expired codes are refused as
    /// `join` refuses them; too many lookups from one address: `Refused(TOO_MANY_REQUESTS)`.
    /// Network: async.
    pub async fn about_code(&self, server: String, code: String) -> Result<CodeAbout, TandemError> {
        let store = self.store();
        run(async move { Ok(session::about_code(&store, &server, &code).await?.into()) }).await
    }

    /// The practitioners this client's service offers them because their practitioner left
    /// it, oldest offer first (usually none). Network: async.
    pub async fn handovers(&self) -> Result<Vec<HandoverOffer>, TandemError> {
        let store = self.store();
        run(async move { Ok(crate::journey::into_all(session::handovers(&store).await?)) }).await
    }

    /// Answers the offer of the practitioner `to_person_id`. Agreeing (after the offer's
    /// consent text was shown in full) links this client to them as `join` would, sharing their
    /// journey; declining forgets the offer and shares nothing (none). An offer answered
    /// already, or withdrawn: `Refused(NO_HANDOVER)`. Network: async.
    pub async fn answer_handover(
        &self,
        to_person_id: String,
        agree: bool,
    ) -> Result<Option<crate::sync::Joined>, TandemError> {
        let store = self.store();
        run(async move {
            Ok(session::answer_handover(&store, &to_person_id, agree)
                .await?
                .map(Into::into))
        })
        .await
    }
}
