//! Records of the coaching and care documents, and of the private document's reflections,
//! wellbeing entries and released figures, mapped as the journey's records are ([`Record`]).

use automerge::transaction::Transactable;
use automerge::{Automerge, ReadDoc, ROOT};
use chrono::{DateTime, NaiveDate, Utc};

use super::fields::{ensure_map, map_at, write_fields, Field, Fields, MapReader};
use super::journey::{add_record, read_records, record_obj, Record};
use super::{header_str, new_item_id, Consent};
use crate::coaching::*;
use crate::error::Result;
use crate::parallel::{ReleasedFigures, SharedSummary};

fn rating(value: u8) -> Field {
    Field::Int(i64::from(value))
}

fn opt_rating(value: Option<u8>) -> Field {
    value.map_or(Field::Absent, rating)
}

/// A new condition record.
pub(crate) struct ConditionInput {
    pub condition: CoachingCondition,
    pub from: NaiveDate,
    pub set_by: String,
    pub note: Option<String>,
}

impl Record for ConditionChange {
    const COLLECTION: &'static str = "conditions";
    const NAME: &'static str = "coaching condition";
    type Input = ConditionInput;
    fn fields(input: &ConditionInput) -> Fields {
        vec![
            ("condition", Field::str(input.condition.as_str())),
            ("from", Field::date(input.from)),
            ("set_by", Field::str(&input.set_by)),
            ("note", Field::opt_str(input.note.as_deref())),
        ]
    }
    fn read<D: ReadDoc>(id: String, r: &MapReader<'_, D>) -> Option<Self> {
        Some(ConditionChange {
            id,
            condition: CoachingCondition::parse(&r.str("condition")?)?,
            from: r.date("from")?,
            set_by: r.str("set_by").unwrap_or_default(),
            note: r.str("note"),
            set_at: r
                .str("added_at")
                .and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok())
                .map(|t| t.to_utc()),
        })
    }
}

/// A session's date and agenda.
pub(crate) struct SessionInput {
    pub date: NaiveDate,
    pub agenda: String,
}

impl Record for CoachingSession {
    const COLLECTION: &'static str = "sessions";
    const NAME: &'static str = "coaching session";
    type Input = SessionInput;
    fn fields(input: &SessionInput) -> Fields {
        vec![
            ("date", Field::date(input.date)),
            ("agenda", Field::str(&input.agenda)),
        ]
    }
    fn child_maps() -> &'static [&'static str] {
        &["comments"]
    }
    fn read<D: ReadDoc>(id: String, r: &MapReader<'_, D>) -> Option<Self> {
        let mut comments: Vec<SessionComment> = r
            .entries("comments")
            .into_iter()
            .filter_map(|(id, c)| {
                Some(SessionComment {
                    id,
                    by: c.str("by")?,
                    text: c.str("text")?,
                    written_at: c.instant("written_at")?,
                })
            })
            .collect();
        comments.sort_unstable_by(|a, b| (a.written_at, &a.id).cmp(&(b.written_at, &b.id)));
        Some(CoachingSession {
            id,
            date: r.date("date")?,
            agenda: r.str("agenda")?,
            comments,
        })
    }
}

/// Adds a comment to a session; returns its id.
pub(crate) fn add_comment<T: Transactable + ReadDoc>(
    tx: &mut T,
    session_id: &str,
    by: &str,
    text: &str,
    now: DateTime<Utc>,
) -> Result<String> {
    let session = record_obj::<CoachingSession, _>(tx, session_id)?;
    let comments = ensure_map(tx, &session, "comments")?;
    let id = new_item_id();
    let obj = tx.put_object(&comments, id.as_str(), automerge::ObjType::Map)?;
    write_fields(
        tx,
        &obj,
        &vec![
            ("by", Field::str(by)),
            ("text", Field::str(text)),
            ("written_at", Field::str(now.to_rfc3339())),
        ],
    )?;
    Ok(id)
}

impl Record for CaseReview {
    const COLLECTION: &'static str = "case_reviews";
    const NAME: &'static str = "case review";
    type Input = CaseReviewInput;
    fn fields(input: &CaseReviewInput) -> Fields {
        vec![
            ("date", Field::date(input.date)),
            ("client_code", Field::str(&input.client_code)),
            ("question", Field::str(&input.question)),
            ("notes", Field::opt_str(input.notes.as_deref())),
        ]
    }
    fn read<D: ReadDoc>(id: String, r: &MapReader<'_, D>) -> Option<Self> {
        Some(CaseReview {
            id,
            date: r.date("date")?,
            client_code: r.str("client_code")?,
            question: r.str("question")?,
            notes: r.str("notes"),
        })
    }
}

impl Record for Reflection {
    const COLLECTION: &'static str = "reflections";
    const NAME: &'static str = "reflection";
    type Input = ReflectionInput;
    fn fields(input: &ReflectionInput) -> Fields {
        vec![
            ("date", Field::date(input.date)),
            ("what_happened", Field::str(&input.what_happened)),
            ("my_reaction", Field::str(&input.my_reaction)),
            ("pattern", Field::opt_str(input.pattern.as_deref())),
            (
                "direction",
                Field::opt_str(input.direction.map(|d| d.as_str())),
            ),
            ("plan_ids", Field::words(&input.plan_ids)),
            ("client_codes", Field::words(&input.client_codes)),
        ]
    }
    fn child_maps() -> &'static [&'static str] {
        &["shared_in"]
    }
    fn read<D: ReadDoc>(id: String, r: &MapReader<'_, D>) -> Option<Self> {
        let mut shared_in: Vec<String> = r
            .entries("shared_in")
            .into_iter()
            .map(|(doc, _)| doc)
            .collect();
        shared_in.sort();
        Some(Reflection {
            id,
            date: r.date("date")?,
            what_happened: r.str("what_happened")?,
            my_reaction: r.str("my_reaction")?,
            pattern: r.str("pattern"),
            direction: r.str("direction").and_then(|d| Direction::parse(&d)),
            plan_ids: r.list("plan_ids"),
            client_codes: r.list("client_codes"),
            shared_in,
        })
    }
}

/// Notes in a reflection that a copy of it is in coaching document `doc` (or no longer is).
pub(crate) fn mark_shared_in<T: Transactable + ReadDoc>(
    tx: &mut T,
    reflection_id: &str,
    doc: &str,
    shared: bool,
) -> Result<()> {
    let reflection = record_obj::<Reflection, _>(tx, reflection_id)?;
    let shared_in = ensure_map(tx, &reflection, "shared_in")?;
    if shared {
        if map_at(tx, &shared_in, doc).is_none() {
            tx.put_object(&shared_in, doc, automerge::ObjType::Map)?;
        }
    } else if map_at(tx, &shared_in, doc).is_some() {
        tx.delete(&shared_in, doc)?;
    }
    Ok(())
}

impl Record for SharedReflection {
    const COLLECTION: &'static str = "reflections";
    const NAME: &'static str = "shared reflection";
    type Input = Reflection;
    fn fields(r: &Reflection) -> Fields {
        vec![
            ("source_id", Field::str(&r.id)),
            ("date", Field::date(r.date)),
            ("what_happened", Field::str(&r.what_happened)),
            ("my_reaction", Field::str(&r.my_reaction)),
            ("pattern", Field::opt_str(r.pattern.as_deref())),
            ("direction", Field::opt_str(r.direction.map(|d| d.as_str()))),
        ]
    }
    fn read<D: ReadDoc>(id: String, r: &MapReader<'_, D>) -> Option<Self> {
        Some(SharedReflection {
            id,
            source_id: r.str("source_id")?,
            date: r.date("date")?,
            what_happened: r.str("what_happened")?,
            my_reaction: r.str("my_reaction")?,
            pattern: r.str("pattern"),
            direction: r.str("direction").and_then(|d| Direction::parse(&d)),
        })
    }
}

/// An alliance check-in and who answered it.
pub(crate) struct AllianceRecord {
    pub by: String,
    pub input: AllianceInput,
}

impl Record for AllianceCheckIn {
    const COLLECTION: &'static str = "alliance_check_ins";
    const NAME: &'static str = "alliance check-in";
    type Input = AllianceRecord;
    fn fields(record: &AllianceRecord) -> Fields {
        let input = &record.input;
        vec![
            ("date", Field::date(input.date)),
            ("by", Field::str(&record.by)),
            ("goals", rating(input.goals)),
            ("tasks", rating(input.tasks)),
            ("bond", rating(input.bond)),
            ("felt_off", Field::Bool(input.felt_off)),
            ("repair_note", Field::opt_str(input.repair_note.as_deref())),
        ]
    }
    fn read<D: ReadDoc>(id: String, r: &MapReader<'_, D>) -> Option<Self> {
        Some(AllianceCheckIn {
            id,
            date: r.date("date")?,
            by: r.str("by")?,
            goals: r.rating("goals")?,
            tasks: r.rating("tasks")?,
            bond: r.rating("bond")?,
            felt_off: r.bool("felt_off").unwrap_or(false),
            repair_note: r.str("repair_note"),
        })
    }
}

/// Records a repair note on an alliance check-in.
pub(crate) fn set_repair_note<T: Transactable + ReadDoc>(
    tx: &mut T,
    check_in_id: &str,
    note: Option<&str>,
) -> Result<()> {
    let obj = record_obj::<AllianceCheckIn, _>(tx, check_in_id)?;
    write_fields(tx, &obj, &vec![("repair_note", Field::opt_str(note))])
}

impl Record for WellbeingEntry {
    const COLLECTION: &'static str = "wellbeing";
    const NAME: &'static str = "wellbeing entry";
    type Input = WellbeingInput;
    fn fields(input: &WellbeingInput) -> Fields {
        vec![
            ("date", Field::date(input.date)),
            (
                "who5",
                input.who5.map_or(Field::Absent, |a| Field::words(a.iter())),
            ),
            (
                "who5_credit",
                Field::opt_str(input.who5.map(|_| WHO5_CREDIT)),
            ),
            ("stress", opt_rating(input.stress)),
            ("burnout", opt_rating(input.burnout)),
        ]
    }
    fn read<D: ReadDoc>(id: String, r: &MapReader<'_, D>) -> Option<Self> {
        let answers: Vec<u8> = r
            .list("who5")
            .iter()
            .filter_map(|a| a.parse::<u8>().ok().filter(|a| *a <= 5))
            .collect();
        Some(WellbeingEntry {
            id,
            date: r.date("date")?,
            who5: <[u8; 5]>::try_from(answers).ok(),
            stress: r.rating("stress"),
            burnout: r.rating("burnout"),
        })
    }
}

impl Record for SharedWellbeing {
    const COLLECTION: &'static str = "wellbeing";
    const NAME: &'static str = "shared wellbeing entry";
    type Input = (WellbeingEntry, WellbeingMeasures);
    fn fields((entry, share): &(WellbeingEntry, WellbeingMeasures)) -> Fields {
        let who5 = entry.who5_percent().filter(|_| share.who5);
        vec![
            ("source_id", Field::str(&entry.id)),
            ("date", Field::date(entry.date)),
            ("who5_percent", who5.map_or(Field::Absent, rating)),
            ("who5_credit", Field::opt_str(who5.map(|_| WHO5_CREDIT))),
            ("stress", opt_rating(entry.stress.filter(|_| share.stress))),
            (
                "burnout",
                opt_rating(entry.burnout.filter(|_| share.burnout)),
            ),
        ]
    }
    fn read<D: ReadDoc>(id: String, r: &MapReader<'_, D>) -> Option<Self> {
        Some(SharedWellbeing {
            id,
            source_id: r.str("source_id")?,
            date: r.date("date")?,
            who5_percent: r
                .int("who5_percent")
                .and_then(|p| u8::try_from(p).ok())
                .filter(|p| *p <= 100),
            stress: r.rating("stress"),
            burnout: r.rating("burnout"),
        })
    }
}

impl Record for SharedSummary {
    const COLLECTION: &'static str = "parallel_summaries";
    const NAME: &'static str = "shared summary";
    type Input = SharedSummary;
    fn fields(s: &SharedSummary) -> Fields {
        vec![
            ("from", Field::date(s.from)),
            ("to", Field::date(s.to)),
            ("shared_at", Field::str(s.shared_at.to_rfc3339())),
            (
                "body",
                Field::str(serde_json::to_string(s).expect("a summary serializes")),
            ),
        ]
    }
    fn read<D: ReadDoc>(id: String, r: &MapReader<'_, D>) -> Option<Self> {
        let mut summary: SharedSummary = serde_json::from_str(&r.str("body")?).ok()?;
        summary.id = id;
        summary.weeks = summary
            .weeks
            .into_iter()
            .map(crate::parallel::disclosure::guard)
            .collect();
        Some(summary)
    }
}

impl Record for SharedGoal {
    const COLLECTION: &'static str = "shared_goals";
    const NAME: &'static str = "shared goal";
    type Input = SharedGoal;
    fn fields(g: &SharedGoal) -> Fields {
        vec![
            ("source_id", Field::str(&g.source_id)),
            ("shared_at", Field::str(g.shared_at.to_rfc3339())),
            (
                "body",
                Field::str(serde_json::to_string(g).expect("a goal serializes")),
            ),
        ]
    }
    fn read<D: ReadDoc>(id: String, r: &MapReader<'_, D>) -> Option<Self> {
        let mut goal: SharedGoal = serde_json::from_str(&r.str("body")?).ok()?;
        goal.id = id;
        goal.source_id = r.str("source_id")?;
        Some(goal)
    }
}

/// The client figures of one week released into one coaching document (kept in the
/// practitioner's private document; see [`ReleasedFigures`]).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ReleasedWeek {
    pub coaching_doc: String,
    pub week_start: NaiveDate,
    pub figures: ReleasedFigures,
}

impl Record for ReleasedWeek {
    const COLLECTION: &'static str = "released_figures";
    const NAME: &'static str = "released figures";
    type Input = ReleasedWeek;
    fn fields(r: &ReleasedWeek) -> Fields {
        vec![
            ("coaching_doc", Field::str(&r.coaching_doc)),
            ("week_start", Field::date(r.week_start)),
            (
                "figures",
                Field::str(serde_json::to_string(&r.figures).expect("figures serialize")),
            ),
        ]
    }
    fn read<D: ReadDoc>(_id: String, r: &MapReader<'_, D>) -> Option<Self> {
        Some(ReleasedWeek {
            coaching_doc: r.str("coaching_doc")?,
            week_start: r.date("week_start")?,
            figures: serde_json::from_str(&r.str("figures")?).ok()?,
        })
    }
}

/// Remembers what was released for a week, replacing what was remembered before.
pub(crate) fn remember_release<T: Transactable + ReadDoc>(
    tx: &mut T,
    release: &ReleasedWeek,
    now: DateTime<Utc>,
) -> Result<()> {
    let existing: Vec<String> = MapReader::new(tx, ROOT)
        .entries(ReleasedWeek::COLLECTION)
        .into_iter()
        .filter(|(_, r)| {
            r.str("coaching_doc").as_deref() == Some(release.coaching_doc.as_str())
                && r.date("week_start") == Some(release.week_start)
        })
        .map(|(id, _)| id)
        .collect();
    match existing.first() {
        Some(id) => super::journey::update_record::<ReleasedWeek, _>(tx, id, release),
        None => add_record::<ReleasedWeek, _>(tx, release, now).map(|_| ()),
    }
}

/// Consent records for the practitioner's own journey shared with their coach.
pub(crate) const JOURNEY_SHARED: &str = "own_journey";
pub(crate) const JOURNEY_WITHDRAWN: &str = "own_journey_withdrawn";

/// Every consent record of a care or coaching document.
pub(crate) fn read_consents(doc: &Automerge) -> Vec<Consent> {
    MapReader::new(doc, ROOT)
        .entries("consents")
        .into_iter()
        .filter_map(|(_, c)| {
            Some(Consent {
                who: c.str("who")?,
                whom: c.str("whom")?,
                what: c.str("what")?,
                when: c.instant("when")?,
                text_version: c.str("text_version").unwrap_or_default(),
                text: c.str("text").unwrap_or_default(),
            })
        })
        .collect()
}

/// Reads a whole coaching document.
pub(crate) fn read_coaching(doc: &Automerge, id: &str, today: NaiveDate) -> Coaching {
    let conditions: Vec<ConditionChange> = read_records(doc);
    let mut sessions: Vec<CoachingSession> = read_records(doc);
    sessions.sort_unstable_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    let mut case_reviews: Vec<CaseReview> = read_records(doc);
    case_reviews.sort_unstable_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    let mut alliance: Vec<AllianceCheckIn> = read_records(doc);
    alliance.sort_unstable_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    let mut summaries: Vec<SharedSummary> = read_records(doc);
    summaries.sort_unstable_by(|a, b| (a.shared_at, &a.id).cmp(&(b.shared_at, &b.id)));
    let practitioner = header_str(doc, "practitioner").unwrap_or_default();
    let mut journey_consents: Vec<Consent> = read_consents(doc)
        .into_iter()
        .filter(|c| {
            c.who == practitioner && (c.what == JOURNEY_SHARED || c.what == JOURNEY_WITHDRAWN)
        })
        .collect();
    journey_consents.sort_by_key(|c| c.when);
    Coaching {
        id: id.to_string(),
        coach: header_str(doc, "coach").unwrap_or_default(),
        practitioner,
        condition: condition_on(&conditions, today),
        conditions,
        sessions,
        case_reviews,
        reflections: read_records(doc),
        wellbeing: read_records(doc),
        goals: read_records(doc),
        alliance,
        summaries,
        journey_shared: journey_consents
            .last()
            .is_some_and(|c| c.what == JOURNEY_SHARED),
    }
}

/// Adds a shared copy of `input` unless `R`'s collection already has one with the same
/// `source_id`, which is then brought up to date. Returns the copy's id.
pub(crate) fn put_copy<R: Record, T: Transactable + ReadDoc>(
    tx: &mut T,
    source_id: &str,
    input: &R::Input,
    now: DateTime<Utc>,
) -> Result<String> {
    match copies_of::<R, _>(tx, source_id).into_iter().next() {
        Some(existing) => {
            super::journey::update_record::<R, _>(tx, &existing, input)?;
            Ok(existing)
        }
        None => add_record::<R, _>(tx, input, now),
    }
}

/// The ids of the copies in `R`'s collection made from `source_id`.
pub(crate) fn copies_of<R: Record, D: ReadDoc>(doc: &D, source_id: &str) -> Vec<String> {
    MapReader::new(doc, ROOT)
        .entries(R::COLLECTION)
        .into_iter()
        .filter(|(_, r)| r.str("source_id").as_deref() == Some(source_id))
        .map(|(id, _)| id)
        .collect()
}
