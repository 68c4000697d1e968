//! Relationships and sharing: the care and coaching relationships a person is in, a linked
//! person's journey as their practitioner reads it, and what people agree to: the name a person gives their linked people, the texts of
//! consent they read before they share, and who they are linked to, in words a screen shows.
//!
//! A person's name lives in documents, never in the server's tables: their private document
//! (their own devices) and each care or coaching document they are in (the other person's
//! devices). The consent texts are Tandem's own, versioned; the version a person agreed to and
//! the whole text are stored with their consent record.

mod linked;
mod people;
mod relationship;

pub use linked::LinkedJourney;
pub(crate) use relationship::kind_name;
pub use relationship::Relationship;

use serde::Serialize;

use crate::document::Consent;
use crate::error::{Error, Result};
use crate::journey::insights::Completion;
use crate::journey::CheckIn;
use crate::sync::api::{Access, Role, MAX_NAME_CHARS};
use tandem_protocol::word_enum;

/// The version of the consent texts this build shows (all three change together).
pub const CONSENT_TEXT_VERSION: &str = "2026-12";

word_enum!(
    /// What a person agrees to share.
    ConsentTopic "consent topic" {
        /// A client shares their journey with the practitioner who invited them.
        Care = "care",
        /// A practitioner joins the coach who invited them.
        Coaching = "coaching",
        /// A practitioner shares their own journey with their coach.
        JourneyToCoach = "journey_to_coach",
    }
);

/// A consent text, shown in full before a person agrees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsentText {
    pub topic: ConsentTopic,
    pub version: &'static str,
    pub title: &'static str,
    /// Paragraphs separated by blank lines.
    pub text: &'static str,
}

/// The consent text of `topic`, as of [`CONSENT_TEXT_VERSION`].
pub fn consent_text(topic: ConsentTopic) -> ConsentText {
    let (title, text) = match topic {
        ConsentTopic::Care => (
            "Sharing your journey with your practitioner",
            "If you join, your practitioner sees your whole Tandem journey: what matters to \
             you, your strengths and supports, your goals and steps, your action plans, every \
             check-in with its reasons and notes, and your reviews. They can add to it too: \
             agree or change a plan with you, or add a review. What they add shows on your \
             phone.\n\n\
             What you write reaches them when your phone syncs: within seconds while you are \
             online, later if you are offline. Nobody watches Tandem as it happens. It is not \
             monitored and it is not an emergency service: if you need help now, use \
             \"Get help now\".\n\n\
             Your practitioner's coach never sees your journey. If your practitioner shares \
             figures about their work with their coach, they are totals over three or more \
             clients, never yours alone.\n\n\
             You can stop sharing at any time. What their devices received before stays on \
             them.",
        ),
        ConsentTopic::Coaching => (
            "Being coached in Tandem",
            "If you join, you and your coach share a coaching record: the coaching condition, \
             your sessions and their agendas, and what you choose to put in it: a reflection, a \
             goal, a wellbeing check-in, a summary of your work. Each is shared only when you \
             choose, and you can withdraw it.\n\n\
             Your own journey is not shared with your coach unless you choose to share it, and \
             only in transformational coaching.\n\n\
             Your clients' data never reaches your coach. A summary you share holds only totals \
             over three or more clients, and a week's figures, once shared, never change.\n\n\
             Tandem is not monitored and is not an emergency service.",
        ),
        ConsentTopic::JourneyToCoach => (
            "Sharing your own journey with your coach",
            "Your coach will see your own Tandem journey (what matters to you, your goals, \
             plans, check-ins and reviews) as it is now and as it changes, until you withdraw \
             it. They cannot change it.\n\n\
             Your clients' journeys are never shared with your coach.",
        ),
    };
    ConsentText {
        topic,
        version: CONSENT_TEXT_VERSION,
        title,
        text,
    }
}

/// A consent record made now: agreed to the text of `topic` as of this build, or, with none, a
/// withdrawal (no text: nothing was agreed to).
pub(crate) fn consent(
    topic: Option<ConsentTopic>,
    who: &str,
    whom: &str,
    what: &str,
    when: chrono::DateTime<chrono::Utc>,
) -> Consent {
    Consent {
        who: who.to_string(),
        whom: whom.to_string(),
        what: what.to_string(),
        when,
        text_version: CONSENT_TEXT_VERSION.to_string(),
        text: topic.map_or_else(String::new, |t| consent_text(t).text.to_string()),
    }
}

/// Checks a name a person gives themselves: 1 to [`MAX_NAME_CHARS`] characters, no control
/// characters; answers it trimmed.
pub fn check_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::invalid("name", "is empty"));
    }
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(Error::invalid(
            "name",
            format!("is {chars} characters long; the most is {MAX_NAME_CHARS}"),
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(Error::invalid("name", "contains control characters"));
    }
    Ok(name.to_string())
}

/// A person linked to this one, as a screen shows them (see [`crate::Store::people`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkedPerson {
    pub person_id: String,
    pub role: Role,
    /// The name they chose for the people linked to them; `None` until they have chosen one
    /// and it has synced here.
    pub name: Option<String>,
    /// The care or coaching document between the two.
    pub relationship_doc_id: Option<String>,
    /// Their journey, when this person may see it.
    pub journey_id: Option<String>,
    /// This person's access to their journey.
    pub access: Option<Access>,
    /// Their access to this person's journey: what this person shares with them.
    pub shares_my_journey: Option<Access>,
    /// Whether their journey has reached this device (false until a sync brings it).
    pub journey_here: bool,
    /// Their latest check-in of the last five weeks (the one for the latest day and time, then
    /// the last recorded), when their journey is here.
    pub last_check_in: Option<CheckIn>,
    /// Their completion this week (Monday to today, in their time zone), when their journey is
    /// here.
    pub this_week: Option<Completion>,
    /// The consent records between the two, oldest first, each with the text agreed to.
    pub consents: Vec<Consent>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_consent_text_is_of_this_version_and_says_what_is_shared() {
        for topic in ConsentTopic::ALL {
            let text = consent_text(*topic);
            assert_eq!(text.version, CONSENT_TEXT_VERSION);
            assert!(!text.title.is_empty() && text.text.len() > 100, "{topic}");
            assert!(!text.text.contains("  "), "{topic}: doubled spaces");
        }
        let care = consent_text(ConsentTopic::Care).text;
        assert!(care.contains("coach never sees your journey"));
        assert!(care.contains("not monitored"));
        let coaching = consent_text(ConsentTopic::Coaching).text;
        assert!(coaching.contains("clients' data never reaches your coach"));
    }

    #[test]
    fn a_name_is_trimmed_and_refused_when_empty_long_or_controlled() {
        assert_eq!(check_name("  Alex Rivera ").unwrap(), "Alex Rivera");
        let problem = |n: &str| match check_name(n) {
            Err(Error::Invalid(i)) => (i.field, i.problem),
            other => panic!("{other:?}"),
        };
        assert_eq!(problem("   "), ("name".into(), "is empty".into()));
        assert!(problem(&"x".repeat(61)).1.contains("61 characters"));
        assert!(problem("a\u{7}b").1.contains("control"));
    }
}
