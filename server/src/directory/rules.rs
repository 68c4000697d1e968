//! The sharing rules of docs/DESIGN.md and docs/SYNC.md, independent of storage.

use tandem_protocol::api::{CodeKind, DocumentKind, InvitationKind, Reason, Role, MAX_NAME_CHARS};

use super::{Document, LinkKind, Person, Refusal, Result};

/// A practitioner invites clients, a coach invites practitioners, anyone adds their own devices.
pub fn may_invite(inviter: Role, kind: InvitationKind) -> Result<()> {
    match (kind, inviter) {
        (InvitationKind::Device, _)
        | (InvitationKind::Client, Role::Practitioner)
        | (InvitationKind::Practitioner, Role::Coach) => Ok(()),
        (InvitationKind::Client, _) => Err(Refusal::forbidden(
            Reason::WrongRole,
            "only a practitioner invites clients",
        )),
        (InvitationKind::Practitioner, _) => Err(Refusal::forbidden(
            Reason::WrongRole,
            "only a coach invites practitioners",
        )),
    }
}

/// The role an invitation gives the person who accepts it, and the link it makes; `None` for a
/// device invitation.
pub fn joining(kind: InvitationKind) -> Option<(Role, LinkKind)> {
    match kind {
        InvitationKind::Client => Some((Role::Client, LinkKind::Care)),
        InvitationKind::Practitioner => Some((Role::Practitioner, LinkKind::Coaching)),
        InvitationKind::Device => None,
    }
}

/// What an invitation code does, as told before it is used.
pub fn invitation_kind(kind: InvitationKind) -> CodeKind {
    match kind {
        InvitationKind::Client => CodeKind::Client,
        InvitationKind::Practitioner => CodeKind::Practitioner,
        InvitationKind::Device => CodeKind::Device,
    }
}

/// What an enrolment code for `role` does.
pub fn enrolment_kind(role: Option<Role>) -> Result<CodeKind> {
    match role {
        Some(Role::Practitioner) => Ok(CodeKind::EnrolPractitioner),
        Some(Role::Coach) => Ok(CodeKind::EnrolCoach),
        _ => Err(Refusal::internal("an enrolment code without a role")),
    }
}

/// The name an inviter gives with a code, trimmed; none when blank. Refused when longer than
/// [`MAX_NAME_CHARS`] or holding control characters.
pub fn given_name(name: Option<&str>) -> Result<Option<String>> {
    let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) else {
        return Ok(None);
    };
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(Refusal::invalid(format!(
            "from_name is longer than {MAX_NAME_CHARS} characters"
        )));
    }
    if name.chars().any(char::is_control) {
        return Err(Refusal::invalid("from_name holds control characters"));
    }
    Ok(Some(name.to_string()))
}

/// The link a relationship document needs between its two people.
pub fn relationship_link(kind: DocumentKind) -> Option<LinkKind> {
    match kind {
        DocumentKind::Care => Some(LinkKind::Care),
        DocumentKind::Coaching => Some(LinkKind::Coaching),
        DocumentKind::Journey | DocumentKind::CheckIns | DocumentKind::Private => None,
    }
}

/// Whether `owner` may let `target` sync `doc`, given the link between them.
///
/// Only a person's journey is shared by choice: a private document stays on its owner's
/// devices, a month follows its journey, and a care or coaching document belongs to its two
/// people. Sharing needs a link, and a client's data never reaches a coach.
pub fn may_share(
    doc: &Document,
    owner: &Person,
    target: &Person,
    link: Option<LinkKind>,
) -> Result<()> {
    if target.person_id == owner.person_id {
        return Err(Refusal::invalid("a person cannot share with themselves"));
    }
    if target.role == Role::Coach && (owner.role == Role::Client || doc.kind == DocumentKind::Care)
    {
        return Err(Refusal::forbidden(
            Reason::ClientData,
            "a client's documents are never shared with a coach",
        ));
    }
    match doc.kind {
        DocumentKind::Journey => {}
        DocumentKind::Private => {
            return Err(Refusal::forbidden(
                Reason::PrivateDocument,
                "a private document stays on its owner's devices",
            ))
        }
        DocumentKind::CheckIns => {
            return Err(Refusal::invalid(
                "a month of check-ins follows its journey: share the journey",
            ))
        }
        DocumentKind::Care | DocumentKind::Coaching => {
            return Err(Refusal::forbidden(
                Reason::RelationshipDocument,
                "a care or coaching document belongs to its two people",
            ))
        }
    }
    if link.is_none() {
        return Err(Refusal::forbidden(
            Reason::NotLinked,
            "documents are shared only with a linked person (accept an invitation first)",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: &str, role: Role) -> Person {
        Person {
            person_id: id.into(),
            role,
            journey_id: format!("{id}-journey"),
            private_id: format!("{id}-private"),
        }
    }

    fn doc(owner: &Person, kind: DocumentKind) -> Document {
        Document {
            doc_id: "d".into(),
            kind,
            owner: owner.person_id.clone(),
            journey_id: None,
            with_person: None,
        }
    }

    #[test]
    fn only_practitioners_invite_clients_and_only_coaches_invite_practitioners() {
        use InvitationKind::*;
        for role in Role::ALL {
            assert!(may_invite(*role, Device).is_ok());
        }
        assert!(may_invite(Role::Practitioner, Client).is_ok());
        assert!(may_invite(Role::Coach, Practitioner).is_ok());
        for (role, kind) in [
            (Role::Client, Client),
            (Role::Coach, Client),
            (Role::Client, Practitioner),
            (Role::Practitioner, Practitioner),
        ] {
            assert_eq!(
                may_invite(role, kind).unwrap_err().reason.as_str(),
                "wrong_role"
            );
        }
    }

    #[test]
    fn a_clients_documents_never_reach_a_coach_even_when_linked() {
        let client = person("c", Role::Client);
        let practitioner = person("p", Role::Practitioner);
        let coach = person("k", Role::Coach);
        for kind in DocumentKind::ALL {
            let refused = may_share(&doc(&client, *kind), &client, &coach, Some(LinkKind::Care));
            assert_eq!(
                refused.unwrap_err().reason.as_str(),
                "client_data",
                "{kind}"
            );
        }
        let care = doc(&practitioner, DocumentKind::Care);
        assert_eq!(
            may_share(&care, &practitioner, &coach, Some(LinkKind::Coaching))
                .unwrap_err()
                .reason
                .as_str(),
            "client_data"
        );
    }

    #[test]
    fn a_journey_is_shared_with_linked_people_and_nothing_else_is_shared_at_all() {
        let practitioner = person("p", Role::Practitioner);
        let coach = person("k", Role::Coach);
        let journey = doc(&practitioner, DocumentKind::Journey);
        assert!(may_share(&journey, &practitioner, &coach, Some(LinkKind::Coaching)).is_ok());
        assert_eq!(
            may_share(&journey, &practitioner, &coach, None)
                .unwrap_err()
                .reason
                .as_str(),
            "not_linked"
        );
        assert_eq!(
            may_share(&journey, &practitioner, &practitioner, None)
                .unwrap_err()
                .reason
                .as_str(),
            "invalid"
        );
        for (kind, word) in [
            (DocumentKind::Private, "private_document"),
            (DocumentKind::CheckIns, "invalid"),
            (DocumentKind::Coaching, "relationship_document"),
        ] {
            let refused = may_share(
                &doc(&practitioner, kind),
                &practitioner,
                &coach,
                Some(LinkKind::Coaching),
            );
            assert_eq!(refused.unwrap_err().reason.as_str(), word, "{kind}");
        }
    }
}
