//! People: the name this person gives the people linked to them, and those people as a screen
//! shows them (names, what is shared each way, the consent records, their latest check-in and
//! this week's completion).

use chrono::{DateTime, Duration, Utc};

use crate::document::coaching::read_consents;
use crate::document::{name_of, put_name, DocKind};
use crate::error::{Error, Result};
use crate::journey::insights::{insights, week_start};
use crate::journey::schedule::parse_time_zone;
use crate::relationships::{check_name, LinkedPerson};
use crate::sync::api::{Link, Role};
use crate::Store;

/// The consent record of a client who stopped sharing their journey.
pub const JOURNEY_WITHDRAWN: &str = "journey_withdrawn";

/// How far back [`LinkedPerson::last_check_in`] looks (its latest is by the day and time it
/// answers, then by when it was recorded).
const LAST_CHECK_IN_DAYS: i64 = 35;

/// The kind of the relationship document between this person (`mine`, their role on the
/// server, if joined) and someone whose role is `theirs`.
pub(crate) fn relationship_kind(mine: Option<Role>, theirs: Role) -> DocKind {
    match (mine, theirs) {
        (_, Role::Coach) | (Some(Role::Coach), Role::Practitioner) => DocKind::Coaching,
        _ => DocKind::Care,
    }
}

impl Store {
    /// The name this person chose for the people linked to them; `None` until they choose.
    /// Quick.
    pub fn my_name(&self) -> Result<Option<String>> {
        let me = self.identity().person_id.clone();
        let private = Self::doc_id(&self.identity().private_id)?;
        Ok(self
            .read_doc(&private, DocKind::Private, true, |doc| name_of(doc, &me))?
            .flatten())
    }

    /// Chooses the name the people linked to this person see: kept in their private document
    /// (their other devices) and written into every care or coaching document on this device
    /// (the linked people's devices, at the next sync); later invitations carry it. A blank or
    /// overlong name is refused, naming the field `name`.
    pub fn set_my_name(&self, name: &str) -> Result<()> {
        let name = check_name(name)?;
        let me = self.identity().person_id.clone();
        let private = Self::doc_id(&self.identity().private_id)?;
        self.edit_doc(&private, DocKind::Private, None, |tx| {
            put_name(tx, &me, &name)
        })?;
        let mine = self.server()?.map(|s| s.role);
        for link in self.links()? {
            let Some(doc) = &link.relationship_doc_id else {
                continue;
            };
            let kind = relationship_kind(mine, link.role);
            let id = Self::doc_id(doc)?;
            // Not here yet: it gets the name when this person next changes it.
            if self.read_doc(&id, kind, true, |_| ())?.is_none() {
                continue;
            }
            self.edit_doc(&id, kind, None, |tx| put_name(tx, &me, &name))?;
        }
        Ok(())
    }

    /// Records in the care document with `person_id` (if on this device) that this person
    /// stopped sharing their journey with them.
    pub(crate) fn record_care_withdrawn(&self, person_id: &str) -> Result<()> {
        let Some(doc) = self
            .links()?
            .into_iter()
            .find(|l| l.person_id == person_id && l.role == Role::Practitioner)
            .and_then(|l| l.relationship_doc_id)
        else {
            return Ok(());
        };
        let id = Self::doc_id(&doc)?;
        if self.read_doc(&id, DocKind::Care, true, |_| ())?.is_none() {
            return Ok(());
        }
        let me = self.identity().person_id.clone();
        let consent =
            crate::relationships::consent(None, &me, person_id, JOURNEY_WITHDRAWN, self.now());
        self.edit_doc(&id, DocKind::Care, None, |tx| {
            crate::document::record_consent(tx, &consent)
        })
    }

    /// The people linked to this person (a practitioner's clients, a client's practitioner, a
    /// coach's practitioners ...), as of the last sync, with what a screen shows of each as of
    /// `now`. Reads the last five weeks of each visible journey: call it off the UI thread.
    pub fn people(&self, now: DateTime<Utc>) -> Result<Vec<LinkedPerson>> {
        let mine = self.server()?.map(|s| s.role);
        self.links()?
            .into_iter()
            .map(|link| self.linked_person(mine, link, now))
            .collect()
    }

    fn linked_person(
        &self,
        mine: Option<Role>,
        link: Link,
        now: DateTime<Utc>,
    ) -> Result<LinkedPerson> {
        let kind = relationship_kind(mine, link.role);
        let (name, consents) = match &link.relationship_doc_id {
            Some(doc) => self
                .read_doc(&Self::doc_id(doc)?, kind, true, |doc| {
                    (name_of(doc, &link.person_id), read_consents(doc))
                })?
                .unwrap_or_default(),
            None => (None, Vec::new()),
        };
        let mut person = LinkedPerson {
            person_id: link.person_id,
            role: link.role,
            name,
            relationship_doc_id: link.relationship_doc_id,
            journey_id: link.journey_id.clone(),
            access: link.access,
            shares_my_journey: link.their_access,
            journey_here: false,
            last_check_in: None,
            this_week: None,
            consents,
        };
        person.consents.sort_by_key(|c| c.when);
        let Some(journey_id) = &link.journey_id else {
            return Ok(person);
        };
        let linked = self.linked_journey(journey_id)?;
        let journey = match linked.journey() {
            Ok(journey) => journey,
            Err(Error::NotFound { .. }) => return Ok(person),
            Err(e) => return Err(e),
        };
        let tz = parse_time_zone(&journey.time_zone)?;
        let today = now.with_timezone(&tz).date_naive();
        person.journey_here = true;
        // One read of five weeks serves both: the latest check-in, and this week's figures.
        let check_ins = linked.check_ins(today - Duration::days(LAST_CHECK_IN_DAYS), today)?;
        let monday = week_start(today);
        let this_week: Vec<_> = check_ins
            .iter()
            .filter(|c| c.date >= monday)
            .cloned()
            .collect();
        person.this_week = insights(&journey, &this_week, monday, today, now, tz)
            .per_week
            .into_iter()
            .next()
            .map(|w| w.completion);
        person.last_check_in = check_ins
            .into_iter()
            .max_by_key(|c| (c.date, c.time, c.recorded_at));
        Ok(person)
    }
}
