//! The journey document: values, strengths, supports, visions, goals with their steps, action
//! plans and reviews, each a map of records keyed by a random id.

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjId, ReadDoc, ROOT};
use chrono::{DateTime, NaiveDate, Utc, Weekday};
use samod::DocumentId;

use super::fields::{ensure_map, map_at, parse_time, write_fields, Field, Fields, MapReader};
use super::{genesis, header_str, new_item_id, DocKind};
use crate::error::{Error, Result};
use crate::journey::*;

/// A kind of record kept in a collection of the journey document.
pub(crate) trait Record: Sized {
    /// The collection's key at the document's root.
    const COLLECTION: &'static str;
    /// What a person calls one of these, for errors: "goal", "action plan".
    const NAME: &'static str;
    /// What a person gives to add one or change one.
    type Input;
    /// The stored fields of an input.
    fn fields(input: &Self::Input) -> Fields;
    /// Fields written only when the record is added.
    fn initial_fields() -> Fields {
        Vec::new()
    }
    /// Maps inside a record, made when it is added: made later, two devices adding the first
    /// entry at once would each make one, and one map's entries would be hidden by the other.
    fn child_maps() -> &'static [&'static str] {
        &[]
    }
    /// Reads one record; `None` when the stored map lacks what the record needs.
    fn read<D: ReadDoc>(id: String, r: &MapReader<'_, D>) -> Option<Self>;
}

/// Creates a journey document for `owner`, scheduling in `time_zone`.
pub(crate) fn new_journey(
    doc_id: &DocumentId,
    owner: &str,
    time_zone: &str,
    actor: &automerge::ActorId,
    now: i64,
) -> Result<Automerge> {
    let mut doc = genesis(
        DocKind::Journey,
        doc_id,
        vec![("owner", Field::str(owner))],
        super::Made::Here(now),
        actor,
    )?;
    let mut tx = doc.transaction();
    set_time_zone(&mut tx, time_zone)?;
    tx.commit();
    Ok(doc)
}

pub(crate) fn set_time_zone<T: Transactable + ReadDoc>(tx: &mut T, time_zone: &str) -> Result<()> {
    let settings = ensure_map(tx, &ROOT, "settings")?;
    write_fields(tx, &settings, &vec![("time_zone", Field::str(time_zone))])
}

/// Reads the whole journey (check-ins aside).
pub(crate) fn read_journey(doc: &Automerge, doc_id: &DocumentId) -> Journey {
    let time_zone = time_zone(doc);
    let mut visions: Vec<(String, Vision)> = read_records_with_order(doc);
    visions.sort_unstable_by(|a, b| (a.1.written_on, &a.0).cmp(&(b.1.written_on, &b.0)));
    let mut reviews: Vec<(String, Review)> = read_records_with_order(doc);
    reviews.sort_unstable_by(|a, b| (a.1.date, &a.0).cmp(&(b.1.date, &b.0)));
    Journey {
        id: doc_id.to_string(),
        owner: header_str(doc, "owner").unwrap_or_default(),
        time_zone,
        values: read_records(doc),
        strengths: read_records(doc),
        supports: read_records(doc),
        visions: visions.into_iter().map(|(_, v)| v).collect(),
        goals: read_records(doc),
        plans: read_records(doc),
        reviews: reviews.into_iter().map(|(_, r)| r).collect(),
    }
}

/// One record, read alone (cheaper than reading the whole journey).
pub(crate) fn read_record<R: Record>(doc: &Automerge, id: &str) -> Result<R> {
    let obj = record_obj::<R, _>(doc, id)?;
    R::read(id.to_string(), &MapReader::new(doc, obj)).ok_or_else(|| Error::not_found(R::NAME, id))
}

/// The journey's time zone (IANA name).
pub(crate) fn time_zone(doc: &Automerge) -> String {
    map_at(doc, &ROOT, "settings")
        .and_then(|s| MapReader::new(doc, s).str("time_zone"))
        .unwrap_or_else(|| "UTC".to_string())
}

/// Records of a collection, in the order they were added (ties by id).
pub(crate) fn read_records<R: Record>(doc: &Automerge) -> Vec<R> {
    read_records_with_order(doc)
        .into_iter()
        .map(|(_, r)| r)
        .collect()
}

/// Records with their ordering key ("added at" + id), sorted by it.
fn read_records_with_order<R: Record>(doc: &Automerge) -> Vec<(String, R)> {
    let root = MapReader::new(doc, ROOT);
    let mut records: Vec<(String, R)> = root
        .entries(R::COLLECTION)
        .into_iter()
        .filter_map(|(id, r)| {
            let order = format!("{}/{id}", r.str("added_at").unwrap_or_default());
            let record = R::read(id, &r);
            if record.is_none() {
                tracing::warn!(collection = R::COLLECTION, "skipping an unreadable record");
            }
            record.map(|rec| (order, rec))
        })
        .collect();
    // Unstable where the key ends in the record's id, here and in the other lists sorted by
    // (date, id): no two records tie, so the order is the stable sort's, for a fraction of its
    // code in the mobile library (bindings/README.md, "Size").
    records.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    records
}

/// The map holding record `id` of `R`'s collection, or `NotFound`.
pub(crate) fn record_obj<R: Record, D: ReadDoc>(doc: &D, id: &str) -> Result<ObjId> {
    map_at(doc, &ROOT, R::COLLECTION)
        .and_then(|c| map_at(doc, &c, id))
        .ok_or_else(|| Error::not_found(R::NAME, id))
}

/// Adds a record and returns its new id.
pub(crate) fn add_record<R: Record, T: Transactable + ReadDoc>(
    tx: &mut T,
    input: &R::Input,
    now: DateTime<Utc>,
) -> Result<String> {
    let collection = ensure_map(tx, &ROOT, R::COLLECTION)?;
    let id = new_item_id();
    let obj = tx.put_object(&collection, id.as_str(), automerge::ObjType::Map)?;
    let mut fields = R::fields(input);
    fields.push(("added_at", Field::str(now.to_rfc3339())));
    fields.extend(R::initial_fields());
    write_fields(tx, &obj, &fields)?;
    for child in R::child_maps() {
        tx.put_object(&obj, *child, automerge::ObjType::Map)?;
    }
    Ok(id)
}

/// Changes a record to match `input`, writing only the fields that differ.
pub(crate) fn update_record<R: Record, T: Transactable + ReadDoc>(
    tx: &mut T,
    id: &str,
    input: &R::Input,
) -> Result<()> {
    let obj = record_obj::<R, _>(tx, id)?;
    write_fields(tx, &obj, &R::fields(input))
}

/// Removes a record.
pub(crate) fn remove_record<R: Record, T: Transactable + ReadDoc>(
    tx: &mut T,
    id: &str,
) -> Result<()> {
    record_obj::<R, _>(tx, id)?;
    let collection = map_at(tx, &ROOT, R::COLLECTION).expect("checked above");
    tx.delete(&collection, id)?;
    Ok(())
}

// ----- records -----

fn rating(value: u8) -> Field {
    Field::Int(i64::from(value))
}

impl Record for Value {
    const COLLECTION: &'static str = "values";
    const NAME: &'static str = "value";
    type Input = ValueInput;
    fn fields(input: &ValueInput) -> Fields {
        vec![
            ("text", Field::str(&input.text)),
            ("life_area", Field::str(input.life_area.as_str())),
            ("importance", rating(input.importance)),
        ]
    }
    fn read<D: ReadDoc>(id: String, r: &MapReader<'_, D>) -> Option<Self> {
        Some(Value {
            id,
            text: r.str("text")?,
            life_area: r
                .str("life_area")
                .and_then(|w| LifeArea::parse(&w))
                .unwrap_or(LifeArea::Other),
            importance: r.rating("importance")?,
        })
    }
}

impl Record for Strength {
    const COLLECTION: &'static str = "strengths";
    const NAME: &'static str = "strength";
    type Input = StrengthInput;
    fn fields(input: &StrengthInput) -> Fields {
        vec![
            ("text", Field::str(&input.text)),
            ("example", Field::opt_str(input.example.as_deref())),
        ]
    }
    fn read<D: ReadDoc>(id: String, r: &MapReader<'_, D>) -> Option<Self> {
        Some(Strength {
            id,
            text: r.str("text")?,
            example: r.str("example"),
        })
    }
}

impl Record for Support {
    const COLLECTION: &'static str = "supports";
    const NAME: &'static str = "support";
    type Input = SupportInput;
    fn fields(input: &SupportInput) -> Fields {
        vec![
            ("name", Field::str(&input.name)),
            ("kind", Field::str(input.kind.as_str())),
            ("note", Field::opt_str(input.note.as_deref())),
        ]
    }
    fn read<D: ReadDoc>(id: String, r: &MapReader<'_, D>) -> Option<Self> {
        Some(Support {
            id,
            name: r.str("name")?,
            kind: r
                .str("kind")
                .and_then(|w| SupportKind::parse(&w))
                .unwrap_or(SupportKind::Resource),
            note: r.str("note"),
        })
    }
}

/// A new vision: its text and the day it was written.
pub(crate) struct VisionInput {
    pub text: String,
    pub written_on: NaiveDate,
}

impl Record for Vision {
    const COLLECTION: &'static str = "visions";
    const NAME: &'static str = "vision";
    type Input = VisionInput;
    fn fields(input: &VisionInput) -> Fields {
        vec![
            ("text", Field::str(&input.text)),
            ("written_on", Field::date(input.written_on)),
        ]
    }
    fn read<D: ReadDoc>(id: String, r: &MapReader<'_, D>) -> Option<Self> {
        Some(Vision {
            id,
            text: r.str("text")?,
            written_on: r.date("written_on")?,
        })
    }
}

const ATTAINMENT_KEYS: [(i8, &str); 5] = [
    (-2, "attainment_minus_2"),
    (-1, "attainment_minus_1"),
    (0, "attainment_0"),
    (1, "attainment_plus_1"),
    (2, "attainment_plus_2"),
];

impl Record for Goal {
    const COLLECTION: &'static str = "goals";
    const NAME: &'static str = "goal";
    type Input = GoalInput;
    fn fields(input: &GoalInput) -> Fields {
        let mut fields = vec![
            ("text", Field::str(&input.text)),
            ("value_ids", Field::words(&input.value_ids)),
            ("framing", Field::str(input.framing.as_str())),
            ("proposed_by", Field::str(input.proposed_by.as_str())),
            ("target_date", Field::opt_date(input.target_date)),
            ("importance", rating(input.importance)),
            ("confidence", rating(input.confidence)),
        ];
        for (level, key) in ATTAINMENT_KEYS {
            let text = input
                .attainment_levels
                .iter()
                .find(|l| l.level == level)
                .map(|l| l.description.as_str());
            fields.push((key, Field::opt_str(text)));
        }
        fields
    }
    fn initial_fields() -> Fields {
        vec![("status", Field::str(GoalStatus::Active.as_str()))]
    }
    fn child_maps() -> &'static [&'static str] {
        &["steps"]
    }
    fn read<D: ReadDoc>(id: String, r: &MapReader<'_, D>) -> Option<Self> {
        let mut steps: Vec<(f64, String, Step)> = r
            .entries("steps")
            .into_iter()
            .filter_map(|(id, s)| {
                Some((
                    s.f64("position").unwrap_or(0.0),
                    id.clone(),
                    Step {
                        id,
                        text: s.str("text")?,
                        done: s.bool("done").unwrap_or(false),
                    },
                ))
            })
            .collect();
        steps.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
        Some(Goal {
            id,
            text: r.str("text")?,
            value_ids: r.list("value_ids"),
            framing: r
                .str("framing")
                .and_then(|w| Framing::parse(&w))
                .unwrap_or(Framing::Approach),
            proposed_by: r
                .str("proposed_by")
                .and_then(|w| ProposedBy::parse(&w))
                .unwrap_or(ProposedBy::Myself),
            target_date: r.date("target_date"),
            importance: r.rating("importance")?,
            confidence: r.rating("confidence")?,
            attainment_levels: ATTAINMENT_KEYS
                .iter()
                .filter_map(|(level, key)| {
                    r.str(key).map(|description| AttainmentLevel {
                        level: *level,
                        description,
                    })
                })
                .collect(),
            status: r
                .str("status")
                .and_then(|w| GoalStatus::parse(&w))
                .unwrap_or(GoalStatus::Active),
            steps: steps.into_iter().map(|(_, _, s)| s).collect(),
        })
    }
}

pub(crate) fn set_goal_status<T: Transactable + ReadDoc>(
    tx: &mut T,
    goal_id: &str,
    status: GoalStatus,
) -> Result<()> {
    let goal = record_obj::<Goal, _>(tx, goal_id)?;
    write_fields(tx, &goal, &vec![("status", Field::str(status.as_str()))])
}

/// Steps are ordered by a position number: moving a step writes only its own position, so
/// concurrent moves on two devices converge without duplicating or losing steps.
fn step_positions<D: ReadDoc>(doc: &D, goal: &ObjId) -> Vec<(String, f64)> {
    let goal = MapReader::new(doc, goal.clone());
    let mut steps: Vec<(String, f64)> = goal
        .entries("steps")
        .into_iter()
        .map(|(id, s)| (id, s.f64("position").unwrap_or(0.0)))
        .collect();
    steps.sort_unstable_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    steps
}

fn step_obj<D: ReadDoc>(doc: &D, goal: &ObjId, step_id: &str) -> Result<ObjId> {
    map_at(doc, goal, "steps")
        .and_then(|steps| map_at(doc, &steps, step_id))
        .ok_or_else(|| Error::not_found("step", step_id))
}

pub(crate) fn add_step<T: Transactable + ReadDoc>(
    tx: &mut T,
    goal_id: &str,
    text: &str,
) -> Result<String> {
    let goal = record_obj::<Goal, _>(tx, goal_id)?;
    let last = step_positions(tx, &goal).last().map_or(0.0, |s| s.1);
    let steps = ensure_map(tx, &goal, "steps")?;
    let id = new_item_id();
    let step = tx.put_object(&steps, id.as_str(), automerge::ObjType::Map)?;
    write_fields(
        tx,
        &step,
        &vec![
            ("text", Field::str(text)),
            ("done", Field::Bool(false)),
            ("position", Field::F64(last + 1.0)),
        ],
    )?;
    Ok(id)
}

pub(crate) fn update_step<T: Transactable + ReadDoc>(
    tx: &mut T,
    goal_id: &str,
    step_id: &str,
    text: Option<&str>,
    done: Option<bool>,
) -> Result<()> {
    let goal = record_obj::<Goal, _>(tx, goal_id)?;
    let step = step_obj(tx, &goal, step_id)?;
    let mut fields = Vec::new();
    if let Some(text) = text {
        fields.push(("text", Field::str(text)));
    }
    if let Some(done) = done {
        fields.push(("done", Field::Bool(done)));
    }
    write_fields(tx, &step, &fields)
}

/// Moves a step to `index` (0 = first) among its goal's steps.
pub(crate) fn move_step<T: Transactable + ReadDoc>(
    tx: &mut T,
    goal_id: &str,
    step_id: &str,
    index: usize,
) -> Result<()> {
    let goal = record_obj::<Goal, _>(tx, goal_id)?;
    let step = step_obj(tx, &goal, step_id)?;
    let others: Vec<f64> = step_positions(tx, &goal)
        .into_iter()
        .filter(|(id, _)| id != step_id)
        .map(|(_, p)| p)
        .collect();
    if index > others.len() {
        return Err(Error::invalid(
            "index",
            format!("{index} is past the last place ({})", others.len()),
        ));
    }
    let before = index.checked_sub(1).map(|i| others[i]);
    let after = others.get(index).copied();
    let position = match (before, after) {
        (None, None) => 1.0,
        (Some(b), None) => b + 1.0,
        (None, Some(a)) => a - 1.0,
        (Some(b), Some(a)) => (a + b) / 2.0,
    };
    write_fields(tx, &step, &vec![("position", Field::F64(position))])
}

pub(crate) fn remove_step<T: Transactable + ReadDoc>(
    tx: &mut T,
    goal_id: &str,
    step_id: &str,
) -> Result<()> {
    let goal = record_obj::<Goal, _>(tx, goal_id)?;
    step_obj(tx, &goal, step_id)?;
    let steps = map_at(tx, &goal, "steps").expect("checked above");
    tx.delete(&steps, step_id)?;
    Ok(())
}

fn weekday_word(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "mon",
        Weekday::Tue => "tue",
        Weekday::Wed => "wed",
        Weekday::Thu => "thu",
        Weekday::Fri => "fri",
        Weekday::Sat => "sat",
        Weekday::Sun => "sun",
    }
}

/// The stored fields of a schedule (a plan's, or one it had before).
fn schedule_fields(schedule: &Schedule) -> Fields {
    let (repeat, days, every_n) = match &schedule.repeat {
        Repeat::Weekly { days } => (
            "weekly",
            Field::words(days.iter().map(|d| weekday_word(*d))),
            Field::Absent,
        ),
        Repeat::EveryNDays { n } => ("every_n_days", Field::Absent, Field::Int(i64::from(*n))),
    };
    let mut times = schedule.times.clone();
    times.sort();
    vec![
        ("repeat", Field::str(repeat)),
        ("days", days),
        ("every_n_days", every_n),
        ("times", Field::words(times.into_iter().map(Field::time))),
    ]
}

fn read_schedule<D: ReadDoc>(r: &MapReader<'_, D>) -> Option<Schedule> {
    let repeat = match r.str("repeat")?.as_str() {
        "weekly" => Repeat::Weekly {
            days: r
                .list("days")
                .iter()
                .filter_map(|d| d.parse::<Weekday>().ok())
                .collect(),
        },
        "every_n_days" => Repeat::EveryNDays {
            n: u32::try_from(r.int("every_n_days")?)
                .ok()
                .filter(|n| *n > 0)?,
        },
        _ => return None,
    };
    Some(Schedule {
        repeat,
        times: r
            .list("times")
            .iter()
            .filter_map(|t| parse_time(t))
            .collect(),
    })
}

/// Keeps `schedule` as the one a plan followed up to and including `until`, so that changing
/// a plan's days or times does not rewrite its history.
pub(crate) fn add_earlier_schedule<T: Transactable + ReadDoc>(
    tx: &mut T,
    plan_id: &str,
    until: NaiveDate,
    schedule: &Schedule,
) -> Result<()> {
    let plan = record_obj::<ActionPlan, _>(tx, plan_id)?;
    let earlier = ensure_map(tx, &plan, "earlier_schedules")?;
    let entry = tx.put_object(&earlier, new_item_id().as_str(), automerge::ObjType::Map)?;
    let mut fields = schedule_fields(schedule);
    fields.push(("until", Field::date(until)));
    write_fields(tx, &entry, &fields)
}

impl Record for ActionPlan {
    const COLLECTION: &'static str = "plans";
    const NAME: &'static str = "action plan";
    type Input = PlanInput;
    fn fields(input: &PlanInput) -> Fields {
        let mut fields = vec![
            ("what", Field::str(&input.what)),
            ("place", Field::opt_str(input.place.as_deref())),
        ];
        fields.extend(schedule_fields(&input.schedule));
        fields.extend([
            (
                "duration_minutes",
                input
                    .duration_minutes
                    .map_or(Field::Absent, |m| Field::Int(i64::from(m))),
            ),
            ("goal_id", Field::opt_str(input.goal_id.as_deref())),
            ("step_id", Field::opt_str(input.step_id.as_deref())),
            ("barriers", Field::opt_str(input.barriers.as_deref())),
            ("supports", Field::opt_str(input.supports.as_deref())),
            ("agreed_by", Field::words(&input.agreed_by)),
            ("reminder", Field::Bool(input.reminder)),
            ("start", Field::date(input.start)),
            ("end", Field::opt_date(input.end)),
        ]);
        fields
    }
    fn child_maps() -> &'static [&'static str] {
        &["earlier_schedules"]
    }
    fn read<D: ReadDoc>(id: String, r: &MapReader<'_, D>) -> Option<Self> {
        let mut earlier_schedules: Vec<EarlierSchedule> = r
            .entries("earlier_schedules")
            .iter()
            .filter_map(|(_, e)| {
                Some(EarlierSchedule {
                    until: e.date("until")?,
                    schedule: read_schedule(e)?,
                })
            })
            .collect();
        earlier_schedules.sort_by_key(|e| e.until);
        Some(ActionPlan {
            id,
            what: r.str("what")?,
            place: r.str("place"),
            schedule: read_schedule(r)?,
            earlier_schedules,
            duration_minutes: r
                .int("duration_minutes")
                .and_then(|m| u32::try_from(m).ok()),
            goal_id: r.str("goal_id"),
            step_id: r.str("step_id"),
            barriers: r.str("barriers"),
            supports: r.str("supports"),
            agreed_by: r
                .list("agreed_by")
                .iter()
                .filter_map(|w| Party::parse(w))
                .collect(),
            reminder: r.bool("reminder").unwrap_or(false),
            start: r.date("start")?,
            end: r.date("end"),
        })
    }
}

impl Record for Review {
    const COLLECTION: &'static str = "reviews";
    const NAME: &'static str = "review";
    type Input = ReviewInput;
    fn fields(input: &ReviewInput) -> Fields {
        vec![
            ("date", Field::date(input.date)),
            ("goal_id", Field::opt_str(input.goal_id.as_deref())),
            ("motivation", rating(input.motivation)),
            ("confidence", rating(input.confidence)),
            ("progress", rating(input.progress)),
            (
                "attainment",
                input
                    .attainment
                    .map_or(Field::Absent, |a| Field::Int(i64::from(a))),
            ),
            ("note", Field::opt_str(input.note.as_deref())),
        ]
    }
    fn read<D: ReadDoc>(id: String, r: &MapReader<'_, D>) -> Option<Self> {
        Some(Review {
            id,
            date: r.date("date")?,
            goal_id: r.str("goal_id"),
            motivation: r.rating("motivation")?,
            confidence: r.rating("confidence")?,
            progress: r.rating("progress")?,
            attainment: r
                .int("attainment")
                .and_then(|a| i8::try_from(a).ok())
                .filter(|a| (-2..=2).contains(a)),
            note: r.str("note"),
        })
    }
}

/// The months ("2026-11") whose check-in documents a journey lists, in order. (Each month's
/// document id is stored too, for peers; we derive it rather than trust it.)
pub(crate) fn check_in_periods(doc: &Automerge) -> Vec<String> {
    map_at(doc, &ROOT, "check_in_periods")
        .map(|periods| doc.keys(&periods).collect())
        .unwrap_or_default()
}

pub(crate) fn list_check_in_period<T: Transactable + ReadDoc>(
    tx: &mut T,
    period: &str,
    doc_id: &DocumentId,
) -> Result<()> {
    let periods = ensure_map(tx, &ROOT, "check_in_periods")?;
    tx.put(&periods, period, doc_id.to_string())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::{ActorId, ObjType};

    #[test]
    fn strings_a_javascript_peer_wrote_as_text_are_read() {
        let id = super::super::new_doc_id();
        let mut doc = new_journey(&id, "p1", "UTC", &ActorId::random(), 0).unwrap();
        let mut tx = doc.transaction();
        let values = map_at(&tx, &ROOT, "values").unwrap();
        let value = tx.put_object(&values, "v1", ObjType::Map).unwrap();
        let text = tx.put_object(&value, "text", ObjType::Text).unwrap();
        tx.splice_text(&text, 0, 0, "Being outdoors").unwrap();
        tx.put(&value, "life_area", "health").unwrap();
        tx.put(&value, "importance", 7_u64).unwrap();
        let plans = map_at(&tx, &ROOT, "plans").unwrap();
        let plan = tx.put_object(&plans, "p1", ObjType::Map).unwrap();
        let what = tx.put_object(&plan, "what", ObjType::Text).unwrap();
        tx.splice_text(&what, 0, 0, "Swim").unwrap();
        tx.put(&plan, "repeat", "weekly").unwrap();
        let days = tx.put_object(&plan, "days", ObjType::List).unwrap();
        let sat = tx.insert_object(&days, 0, ObjType::Text).unwrap();
        tx.splice_text(&sat, 0, 0, "sat").unwrap();
        tx.put(&plan, "start", "2026-11-01").unwrap();
        tx.commit();

        let journey = read_journey(&doc, &id);
        assert_eq!(journey.values[0].text, "Being outdoors");
        assert_eq!(journey.values[0].importance, 7);
        assert_eq!(journey.plans[0].what, "Swim");
        assert_eq!(
            journey.plans[0].schedule.repeat,
            Repeat::Weekly {
                days: vec![Weekday::Sat]
            }
        );
    }

    #[test]
    fn a_record_a_peer_left_incomplete_is_skipped_not_fatal() {
        let id = super::super::new_doc_id();
        let mut doc = new_journey(&id, "p1", "UTC", &ActorId::random(), 0).unwrap();
        let mut tx = doc.transaction();
        let goals = map_at(&tx, &ROOT, "goals").unwrap();
        let goal = tx.put_object(&goals, "g1", ObjType::Map).unwrap();
        tx.put(&goal, "text", "No ratings").unwrap();
        tx.put(&goal, "importance", 99).unwrap();
        tx.commit();
        assert!(read_journey(&doc, &id).goals.is_empty());
    }
}
