//! The export as CSV: one file a kind of record, a header line naming the columns, one row a
//! record; several values in one cell are joined by "; ". Columns are described in
//! docs/EXPORT.md.

use chrono::{NaiveTime, Timelike};

use super::MyData;
use crate::error::{Error, Result};
use crate::journey::Repeat;

/// (file name, its content) for each kind of record.
pub(super) fn files(data: &MyData) -> Result<Vec<(&'static str, String)>> {
    let j = &data.journey;
    let plan_what = |id: &str| {
        j.plans
            .iter()
            .find(|p| p.id == id)
            .map_or(String::new(), |p| p.what.clone())
    };
    let goal_text = |id: &Option<String>| {
        id.as_deref()
            .and_then(|id| j.goal(id))
            .map_or(String::new(), |g| g.text.clone())
    };
    let mut out = Vec::new();
    out.push(table(
        "values.csv",
        &["id", "text", "life_area", "importance"],
        j.values.iter().map(|v| {
            vec![
                v.id.clone(),
                v.text.clone(),
                v.life_area.as_str().into(),
                v.importance.to_string(),
            ]
        }),
    )?);
    out.push(table(
        "strengths.csv",
        &["id", "text", "example"],
        j.strengths
            .iter()
            .map(|s| vec![s.id.clone(), s.text.clone(), opt(&s.example)]),
    )?);
    out.push(table(
        "supports.csv",
        &["id", "name", "kind", "note"],
        j.supports.iter().map(|s| {
            vec![
                s.id.clone(),
                s.name.clone(),
                s.kind.as_str().into(),
                opt(&s.note),
            ]
        }),
    )?);
    out.push(table(
        "visions.csv",
        &["id", "written_on", "text"],
        j.visions
            .iter()
            .map(|v| vec![v.id.clone(), v.written_on.to_string(), v.text.clone()]),
    )?);
    out.push(table(
        "goals.csv",
        &[
            "id",
            "text",
            "framing",
            "proposed_by",
            "importance",
            "confidence",
            "target_date",
            "status",
            "value_ids",
        ],
        j.goals.iter().map(|g| {
            vec![
                g.id.clone(),
                g.text.clone(),
                g.framing.as_str().into(),
                g.proposed_by.as_str().into(),
                g.importance.to_string(),
                g.confidence.to_string(),
                g.target_date.map(|d| d.to_string()).unwrap_or_default(),
                g.status.as_str().into(),
                g.value_ids.join("; "),
            ]
        }),
    )?);
    out.push(table(
        "steps.csv",
        &["goal_id", "position", "id", "text", "done"],
        j.goals.iter().flat_map(|g| {
            g.steps.iter().enumerate().map(|(i, s)| {
                vec![
                    g.id.clone(),
                    (i + 1).to_string(),
                    s.id.clone(),
                    s.text.clone(),
                    s.done.to_string(),
                ]
            })
        }),
    )?);
    out.push(table(
        "plans.csv",
        &[
            "id",
            "what",
            "place",
            "repeat",
            "times",
            "duration_minutes",
            "goal_id",
            "step_id",
            "barriers",
            "supports",
            "agreed_by",
            "reminder",
            "start",
            "end",
        ],
        j.plans.iter().map(|p| {
            vec![
                p.id.clone(),
                p.what.clone(),
                opt(&p.place),
                repeat(&p.schedule.repeat),
                times(&p.schedule.times),
                p.duration_minutes
                    .map(|m| m.to_string())
                    .unwrap_or_default(),
                opt(&p.goal_id),
                opt(&p.step_id),
                opt(&p.barriers),
                opt(&p.supports),
                p.agreed_by
                    .iter()
                    .map(|a| a.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
                p.reminder.to_string(),
                p.start.to_string(),
                p.end.map(|d| d.to_string()).unwrap_or_default(),
            ]
        }),
    )?);
    out.push(table(
        "check-ins.csv",
        &[
            "date",
            "time",
            "plan_id",
            "plan",
            "outcome",
            "reasons",
            "reason_text",
            "note",
            "recorded_at",
        ],
        data.check_ins.iter().map(|c| {
            vec![
                c.date.to_string(),
                c.time.map(|t| hhmm(&t)).unwrap_or_default(),
                c.plan_id.clone(),
                plan_what(&c.plan_id),
                c.outcome.as_str().into(),
                c.reasons
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
                opt(&c.reason_text),
                opt(&c.note),
                c.recorded_at.to_rfc3339(),
            ]
        }),
    )?);
    out.push(table(
        "reviews.csv",
        &[
            "id",
            "date",
            "goal_id",
            "goal",
            "motivation",
            "confidence",
            "progress",
            "attainment",
            "note",
        ],
        j.reviews.iter().map(|r| {
            vec![
                r.id.clone(),
                r.date.to_string(),
                opt(&r.goal_id),
                goal_text(&r.goal_id),
                r.motivation.to_string(),
                r.confidence.to_string(),
                r.progress.to_string(),
                r.attainment.map(|a| a.to_string()).unwrap_or_default(),
                opt(&r.note),
            ]
        }),
    )?);
    out.push(table(
        "reflections.csv",
        &[
            "id",
            "date",
            "what_happened",
            "my_reaction",
            "pattern",
            "direction",
            "shared_in",
        ],
        data.reflections.iter().map(|r| {
            vec![
                r.id.clone(),
                r.date.to_string(),
                r.what_happened.clone(),
                r.my_reaction.clone(),
                opt(&r.pattern),
                r.direction
                    .map(|d| d.as_str().to_string())
                    .unwrap_or_default(),
                r.shared_in.join("; "),
            ]
        }),
    )?);
    out.push(table(
        "wellbeing.csv",
        &[
            "id",
            "date",
            "who5_1",
            "who5_2",
            "who5_3",
            "who5_4",
            "who5_5",
            "who5_percent",
            "stress",
            "burnout",
        ],
        data.wellbeing.iter().map(|w| {
            let mut row = vec![w.id.clone(), w.date.to_string()];
            match w.who5 {
                Some(answers) => row.extend(answers.iter().map(|a| a.to_string())),
                None => row.extend(std::iter::repeat_n(String::new(), 5)),
            }
            row.push(w.who5_percent().map(|p| p.to_string()).unwrap_or_default());
            row.push(w.stress.map(|s| s.to_string()).unwrap_or_default());
            row.push(w.burnout.map(|b| b.to_string()).unwrap_or_default());
            row
        }),
    )?);
    out.push(table(
        "alliance.csv",
        &[
            "id",
            "date",
            "about",
            "about_name",
            "goals",
            "tasks",
            "bond",
            "felt_off",
            "repair_note",
        ],
        data.alliance.iter().map(|a| {
            let c = &a.check_in;
            vec![
                c.id.clone(),
                c.date.to_string(),
                a.about.clone(),
                opt(&a.about_name),
                c.goals.to_string(),
                c.tasks.to_string(),
                c.bond.to_string(),
                c.felt_off.to_string(),
                opt(&c.repair_note),
            ]
        }),
    )?);
    out.push(table(
        "consents.csv",
        &[
            "person_id",
            "name",
            "role",
            "who",
            "whom",
            "what",
            "when",
            "text_version",
            "text",
        ],
        data.people.iter().flat_map(|p| {
            p.consents.iter().map(|c| {
                vec![
                    p.person_id.clone(),
                    opt(&p.name),
                    p.role.as_str().into(),
                    c.who.clone(),
                    c.whom.clone(),
                    c.what.clone(),
                    c.when.to_rfc3339(),
                    c.text_version.clone(),
                    c.text.clone(),
                ]
            })
        }),
    )?);
    Ok(out)
}

fn opt(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

fn hhmm(t: &NaiveTime) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

fn times(times: &[NaiveTime]) -> String {
    times.iter().map(hhmm).collect::<Vec<_>>().join("; ")
}

/// A schedule's repeat in a few words: "weekly: Mon; Wed" or "every 2 days".
pub(super) fn repeat(repeat: &Repeat) -> String {
    match repeat {
        Repeat::Weekly { days } => format!(
            "weekly: {}",
            days.iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("; ")
        ),
        Repeat::EveryNDays { n: 1 } => "every day".into(),
        Repeat::EveryNDays { n } => format!("every {n} days"),
    }
}

/// One CSV file: the header, then the rows.
fn table(
    name: &'static str,
    header: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
) -> Result<(&'static str, String)> {
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    let failed = |e: ::csv::Error| Error::Io(std::io::Error::other(e));
    writer.write_record(header).map_err(failed)?;
    for row in rows {
        writer.write_record(&row).map_err(failed)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
    Ok((name, String::from_utf8_lossy(&bytes).into_owned()))
}
