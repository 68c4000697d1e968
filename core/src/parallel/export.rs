//! The research export: per-practitioner summaries over a date range, by coaching condition,
//! as CSV and JSON.
//!
//! It is made from the summaries practitioners shared into coaching documents, so it holds
//! nothing they did not choose to share. It carries no names (there are none to carry), no
//! person, device or document id, and no free text unless the practitioner marked their note
//! for research. Each practitioner appears under a code made from a random salt that is used
//! for this export only and never stored, so two exports, or an export and the server's
//! records, cannot be joined.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::{SummaryWeek, WellbeingPoint};
use crate::coaching::{condition_on, Coaching, CoachingCondition};

/// One practitioner-week.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportRow {
    /// A code for this export only ("P-" and 8 characters).
    pub practitioner: String,
    /// The coaching condition in force at the end of the week (its Sunday), so a condition
    /// set during a week covers that week.
    pub condition: Option<CoachingCondition>,
    pub week_start: NaiveDate,
    pub own_planned: u32,
    pub own_rate: Option<f64>,
    pub clients_rate: Option<f64>,
    pub clients: Option<u32>,
    pub client_ruptures: Option<u32>,
    pub coaching_ruptures: u32,
    pub who5_percent: Option<f64>,
    pub stress: Option<f64>,
    pub burnout: Option<f64>,
}

/// The export: rows for the CSV, the same grouped for the JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResearchExport {
    pub generated_at: DateTime<Utc>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Credits for the measures the figures use.
    pub credits: Vec<String>,
    /// By practitioner code, then week.
    pub rows: Vec<ExportRow>,
    /// Notes practitioners marked for research, by practitioner code.
    pub notes: Vec<ExportNote>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportNote {
    pub practitioner: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub note: String,
}

/// Builds the export from coaching documents, for the weeks starting in `from..=to`. Where
/// summaries overlap, a week is taken from the most recently shared one.
pub fn research_export(
    coaching: &[Coaching],
    from: NaiveDate,
    to: NaiveDate,
    now: DateTime<Utc>,
) -> ResearchExport {
    let salt = crate::coaching::base32(&tandem_protocol::random::bytes::<16>());
    let code = |person: &str| {
        let digest = crate::document::digest(&["tandem-research-code", &salt, person]);
        format!("P-{}", crate::coaching::base32(&digest[..5]))
    };

    let mut rows = Vec::new();
    let mut notes = Vec::new();
    for doc in coaching {
        let practitioner = code(&doc.practitioner);
        let mut summaries: Vec<_> = doc.summaries.iter().collect();
        summaries.sort_by_key(|s| s.shared_at);
        let mut weeks: BTreeMap<NaiveDate, &SummaryWeek> = BTreeMap::new();
        for summary in &summaries {
            for week in &summary.weeks {
                if (from..=to).contains(&week.week_start) {
                    weeks.insert(week.week_start, week); // later summaries replace earlier
                }
            }
            if summary.note_for_research && summary.from <= to && summary.to >= from {
                if let Some(note) = &summary.note {
                    notes.push(ExportNote {
                        practitioner: practitioner.clone(),
                        from: summary.from,
                        to: summary.to,
                        note: note.clone(),
                    });
                }
            }
        }
        for (week_start, week) in weeks {
            let wellbeing = week.wellbeing.clone().unwrap_or(WellbeingPoint {
                who5_percent: None,
                stress: None,
                burnout: None,
            });
            rows.push(ExportRow {
                practitioner: practitioner.clone(),
                condition: condition_on(
                    &doc.conditions,
                    week_start
                        .checked_add_days(chrono::Days::new(6))
                        .unwrap_or(week_start),
                ),
                week_start,
                own_planned: week.own_planned,
                own_rate: week.own_rate,
                clients_rate: week.clients_rate,
                clients: week.clients,
                client_ruptures: week.client_ruptures,
                coaching_ruptures: week.coaching_ruptures,
                who5_percent: wellbeing.who5_percent,
                stress: wellbeing.stress,
                burnout: wellbeing.burnout,
            });
        }
    }
    rows.sort_by(|a, b| (&a.practitioner, a.week_start).cmp(&(&b.practitioner, b.week_start)));
    notes.sort_by(|a, b| (&a.practitioner, a.from).cmp(&(&b.practitioner, b.from)));
    ResearchExport {
        generated_at: now,
        from,
        to,
        credits: vec![crate::coaching::WHO5_CREDIT.to_string()],
        rows,
        notes,
    }
}

impl ResearchExport {
    /// The rows as CSV (a header line, then one line per practitioner-week; empty cells where a
    /// figure is not available). Rates are fractions with three decimals.
    pub fn to_csv(&self) -> String {
        let mut out = String::from(
            "practitioner,condition,week_start,own_planned,own_rate,clients_rate,clients,\
             client_ruptures,coaching_ruptures,who5_percent,stress,burnout\n",
        );
        let num = |v: Option<f64>| v.map(|v| format!("{v:.3}")).unwrap_or_default();
        let int = |v: Option<u32>| v.map(|v| v.to_string()).unwrap_or_default();
        for r in &self.rows {
            out.push_str(&format!(
                "{},{},{},{},{},{},{},{},{},{},{},{}\n",
                r.practitioner,
                r.condition.map(|c| c.as_str()).unwrap_or(""),
                r.week_start,
                r.own_planned,
                num(r.own_rate),
                num(r.clients_rate),
                int(r.clients),
                int(r.client_ruptures),
                r.coaching_ruptures,
                num(r.who5_percent),
                num(r.stress),
                num(r.burnout),
            ));
        }
        out
    }

    /// The export as JSON, grouped by condition, then practitioner.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Group<'a> {
            condition: Option<CoachingCondition>,
            practitioners: Vec<Practitioner<'a>>,
        }
        #[derive(Serialize)]
        struct Practitioner<'a> {
            practitioner: &'a str,
            weeks: Vec<&'a ExportRow>,
        }
        let mut grouped: BTreeMap<(Option<CoachingCondition>, &str), Vec<&ExportRow>> =
            BTreeMap::new();
        for row in &self.rows {
            grouped
                .entry((row.condition, row.practitioner.as_str()))
                .or_default()
                .push(row);
        }
        let mut groups: Vec<Group<'_>> = Vec::new();
        for ((condition, practitioner), weeks) in grouped {
            if groups.last().is_none_or(|g| g.condition != condition) {
                groups.push(Group {
                    condition,
                    practitioners: Vec::new(),
                });
            }
            let group = groups.last_mut().expect("pushed above");
            group.practitioners.push(Practitioner {
                practitioner,
                weeks,
            });
        }
        let body = serde_json::json!({
            "generated_at": self.generated_at,
            "from": self.from,
            "to": self.to,
            "credits": self.credits,
            "conditions": groups,
            "notes": self.notes,
        });
        serde_json::to_string_pretty(&body).expect("the export serializes")
    }
}
