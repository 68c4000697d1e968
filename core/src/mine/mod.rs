//! A person's own data, all of it, to take with them (GDPR Art. 15 and 20; the Australian
//! Privacy Principles 12): their journey, every month of check-ins, reviews, reflections,
//! wellbeing, the alliance check-ins they answered, and the consent records between them and
//! each linked person.
//!
//! [`Store::my_data`] gathers it (reading every month, with progress); [`write_export`] writes
//! it into a folder as JSON (the whole, [`MyData`], documented in docs/EXPORT.md), as CSV (one
//! file a kind of record, `csv.rs`) and as a readable report in HTML with its charts as inline
//! SVG (`report.rs`), which a person can open in a browser or hand to their practitioner.
//! Nothing here leaves the device: the export is written where the person says.

mod csv;
mod report;

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::coaching::{AllianceCheckIn, Reflection, WellbeingEntry};
use crate::document::{Consent, DocKind};
use crate::error::{Error, Result};
use crate::journey::{CheckIn, Journey};
use crate::sync::api::Role;
use crate::Store;

/// The export's format name and version, in [`MyData`] and docs/EXPORT.md.
pub const FORMAT: &str = "tandem-export";
pub const FORMAT_VERSION: u32 = 1;

/// Everything that is the person's own, as of one moment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MyData {
    /// Always [`FORMAT`].
    pub format: &'static str,
    /// [`FORMAT_VERSION`].
    pub version: u32,
    pub exported_at: DateTime<Utc>,
    pub person_id: String,
    /// The name the person chose for the people linked to them.
    pub name: Option<String>,
    /// Values, strengths, supports, visions, goals with steps, action plans, reviews.
    pub journey: Journey,
    /// Every check-in, oldest first.
    pub check_ins: Vec<CheckIn>,
    /// Private reflections (a practitioner's), each with where it was shared.
    pub reflections: Vec<Reflection>,
    /// Wellbeing check-ins (WHO-5, stress, burnout).
    pub wellbeing: Vec<WellbeingEntry>,
    /// The alliance check-ins this person answered, with whom.
    pub alliance: Vec<AllianceAnswer>,
    /// The people linked to this person, each with the consent records between them.
    pub people: Vec<LinkedRecord>,
}

/// An alliance check-in this person answered about someone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AllianceAnswer {
    /// The person it was about.
    pub about: String,
    pub about_name: Option<String>,
    #[serde(flatten)]
    pub check_in: AllianceCheckIn,
}

/// A linked person and the consent records between the two.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkedRecord {
    pub person_id: String,
    pub role: Role,
    pub name: Option<String>,
    /// Oldest first, each with the text agreed to.
    pub consents: Vec<Consent>,
}

/// How far an export has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportProgress {
    /// Steps done (months of check-ins read, then the files written).
    pub done: u32,
    /// Steps in all.
    pub total: u32,
}

/// What [`write_export`] wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportWritten {
    pub folder: PathBuf,
    /// The files, by name.
    pub files: Vec<String>,
    pub check_ins: usize,
}

/// The files an export writes besides the CSV ones.
const JSON_FILE: &str = "tandem-export.json";
const REPORT_FILE: &str = "report.html";
const README_FILE: &str = "README.txt";

impl Store {
    /// Everything that is this person's own, as of `now`; `progress` hears each month read.
    /// Reads every month of check-ins: call it off the UI thread.
    pub fn my_data(
        &self,
        now: DateTime<Utc>,
        progress: &mut dyn FnMut(ExportProgress),
    ) -> Result<MyData> {
        let journey = self.journey()?;
        let months: Vec<String> = self
            .read_doc(
                &self.journey_id.clone(),
                DocKind::Journey,
                true,
                crate::document::journey::check_in_periods,
            )?
            .unwrap_or_default();
        let total = months.len() as u32;
        let mut check_ins = Vec::new();
        for (done, month) in months.iter().enumerate() {
            if let Some((first, last)) = month_days(month) {
                check_ins.extend(self.check_ins(first, last)?);
            }
            progress(ExportProgress {
                done: done as u32 + 1,
                total,
            });
        }
        check_ins.sort_by(|a, b| (a.date, a.time, &a.plan_id).cmp(&(b.date, b.time, &b.plan_id)));
        let people = self.people(now)?;
        let mut alliance = Vec::new();
        for person in &people {
            let Some(doc) = &person.relationship_doc_id else {
                continue;
            };
            // A relationship whose document has not arrived yet has nothing to export.
            let answered = match self.alliance_check_ins(doc) {
                Ok(all) => all,
                Err(Error::NotFound { .. }) => continue,
                Err(err) => return Err(err),
            };
            alliance.extend(answered.into_iter().filter(|c| c.by == self.me()).map(|c| {
                AllianceAnswer {
                    about: person.person_id.clone(),
                    about_name: person.name.clone(),
                    check_in: c,
                }
            }));
        }
        Ok(MyData {
            format: FORMAT,
            version: FORMAT_VERSION,
            exported_at: now,
            person_id: self.me().to_string(),
            name: self.my_name()?,
            journey,
            check_ins,
            reflections: self.reflections()?,
            wellbeing: self.wellbeing()?,
            alliance,
            people: people
                .into_iter()
                .map(|p| LinkedRecord {
                    person_id: p.person_id,
                    role: p.role,
                    name: p.name,
                    consents: p.consents,
                })
                .collect(),
        })
    }

    /// Writes everything that is this person's own into `folder` (created if missing; files
    /// of an earlier export there are replaced): the JSON, the CSV files, the report, and a
    /// README saying what each is. `progress` hears each month read and each file written.
    pub fn export_mine(
        &self,
        folder: &Path,
        now: DateTime<Utc>,
        progress: &mut dyn FnMut(ExportProgress),
    ) -> Result<ExportWritten> {
        let mut read = 0;
        let data = self.my_data(now, &mut |p| {
            read = p.total;
            progress(ExportProgress {
                done: p.done,
                total: p.total + FILES_STEPS,
            })
        })?;
        write_export(folder, &data, &mut |step| {
            progress(ExportProgress {
                done: read + step,
                total: read + FILES_STEPS,
            })
        })
    }
}

/// The steps of writing the files, for progress.
const FILES_STEPS: u32 = 3;

/// The first and last days of a month named `YYYY-MM`.
fn month_days(month: &str) -> Option<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").ok()?;
    let last = first
        .checked_add_months(chrono::Months::new(1))?
        .pred_opt()?;
    Some((first, last))
}

/// Writes `data` into `folder`: JSON, CSV, the report and a README. `step` hears 1, 2, 3 as
/// the JSON, the CSV files and the report are written.
pub fn write_export(
    folder: &Path,
    data: &MyData,
    step: &mut dyn FnMut(u32),
) -> Result<ExportWritten> {
    std::fs::create_dir_all(folder)?;
    let mut files = Vec::new();
    let json =
        serde_json::to_string_pretty(data).map_err(|e| Error::Io(std::io::Error::other(e)))?;
    write_file(folder, JSON_FILE, json.as_bytes(), &mut files)?;
    step(1);
    for (name, content) in csv::files(data)? {
        write_file(folder, name, content.as_bytes(), &mut files)?;
    }
    step(2);
    let html = report::html(data);
    write_file(folder, REPORT_FILE, html.as_bytes(), &mut files)?;
    write_file(folder, README_FILE, readme(&files).as_bytes(), &mut files)?;
    step(3);
    Ok(ExportWritten {
        folder: folder.to_path_buf(),
        files,
        check_ins: data.check_ins.len(),
    })
}

/// Writes a file whole or not at all: into a temporary file beside it, then renamed.
fn write_file(folder: &Path, name: &str, bytes: &[u8], files: &mut Vec<String>) -> Result<()> {
    let path = folder.join(name);
    let partial = folder.join(format!(".{name}.partial"));
    std::fs::write(&partial, bytes)?;
    std::fs::rename(&partial, &path)?;
    files.push(name.to_string());
    Ok(())
}

fn readme(files: &[String]) -> String {
    let mut text = String::from(
        "Your Tandem data\n\
         ================\n\n\
         Everything that is yours in Tandem, as of the moment you exported it. It is private:\n\
         keep it somewhere safe, and share it only with people you choose.\n\n\
         report.html          a readable report with charts: open it in a web browser\n\
         tandem-export.json   everything, complete, in one file (the format is described in\n\
         \x20                    Tandem's docs/EXPORT.md)\n\
         *.csv                the same records as tables, one file a kind, for a spreadsheet\n\n\
         Files:\n",
    );
    for file in files {
        text.push_str(&format!("  {file}\n"));
    }
    text.push_str(&format!("  {README_FILE}\n"));
    text
}

#[cfg(test)]
mod tests;
