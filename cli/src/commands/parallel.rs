//! Wellbeing, the parallel view and its shared summaries, and the research export.

use chrono::{Duration, NaiveDate};
use serde::Serialize;
use tandem_core::coaching::{
    WellbeingEntry, WellbeingInput, WellbeingMeasures, BURNOUT_ITEM, STRESS_ITEM, WHO5_CREDIT,
    WHO5_ITEMS,
};
use tandem_core::parallel::SummaryChoices;

use super::added;
use super::coaching::{coaching_doc, coaching_rel, local};
use crate::args::{
    ExportCommand, ExportFormat, ParallelArgs, ParallelCommand, Range, ShareSummaryArgs,
    WellbeingCommand,
};
use crate::output::coaching as out;
use crate::session::{json, note, Failure, Session};

/// How far back the parallel view looks by default, in days including today.
const PARALLEL_DAYS: i64 = 28;

/// A wellbeing entry with its WHO-5 score, and the credit whenever WHO-5 is in it.
#[derive(Serialize)]
struct Entry<'a> {
    #[serde(flatten)]
    entry: &'a WellbeingEntry,
    who5_percent: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    who5_credit: Option<&'static str>,
}

fn entry(entry: &WellbeingEntry) -> Entry<'_> {
    Entry {
        entry,
        who5_percent: entry.who5_percent(),
        who5_credit: entry.who5.map(|_| WHO5_CREDIT),
    }
}

pub fn wellbeing(session: &Session, command: WellbeingCommand) -> Result<String, Failure> {
    match command {
        WellbeingCommand::Add {
            who5,
            stress,
            burnout,
            date,
        } => {
            if who5.is_none() && stress.is_none() && burnout.is_none() {
                return Err(Failure::Refused(
                    "invalid wellbeing: give --who5, --stress or --burnout (`tandem wellbeing questions` shows them)".into(),
                ));
            }
            let id = session.store.add_wellbeing(&WellbeingInput {
                date: session.date(date),
                who5,
                stress,
                burnout,
            })?;
            let all = session.store.wellbeing()?;
            let added = added(&all, &id, |e| &e.id)?;
            session.reply(&entry(added), |page| {
                page.line(format!(
                    "Recorded wellbeing {}",
                    out::wellbeing_line(added, true)
                ));
                if added.who5.is_some() {
                    page.line(WHO5_CREDIT);
                }
                page.line(format!(
                    "It stays on your own devices (sharing your journey does not share it); share chosen measures with your coach with `tandem wellbeing share {id} --who5`."
                ));
            })
        }
        WellbeingCommand::List => {
            let all = session.store.wellbeing()?;
            #[derive(Serialize)]
            struct Listed<'a> {
                entries: Vec<Entry<'a>>,
                who5_credit: &'static str,
            }
            let listed = Listed {
                entries: all.iter().map(entry).collect(),
                who5_credit: WHO5_CREDIT,
            };
            session.reply(&listed, |page| {
                if all.is_empty() {
                    page.line("No wellbeing entries yet: `tandem wellbeing questions`, then `tandem wellbeing add`.");
                }
                for e in &all {
                    page.line(out::wellbeing_line(e, true));
                }
                if all.iter().any(|e| e.who5.is_some()) {
                    page.line(WHO5_CREDIT);
                }
            })
        }
        WellbeingCommand::Questions => {
            #[derive(Serialize)]
            struct Questions {
                who5_items: [&'static str; 5],
                who5_scale: &'static str,
                who5_credit: &'static str,
                stress: &'static str,
                burnout: &'static str,
            }
            let questions = Questions {
                who5_items: WHO5_ITEMS,
                who5_scale: "over the last two weeks: 0 at no time … 5 all of the time",
                who5_credit: WHO5_CREDIT,
                stress: STRESS_ITEM,
                burnout: BURNOUT_ITEM,
            };
            session.reply(&questions, |page| {
                out::wellbeing_questions(page);
                page.blank();
                page.line("Answer with e.g. `tandem wellbeing add --who5 3,4,2,3,4 --stress 6 --burnout 5`.");
            })
        }
        WellbeingCommand::Share {
            entry: entry_id,
            who5,
            stress,
            burnout,
            with,
        } => {
            let rel = coaching_rel(session, &with)?;
            let measures = WellbeingMeasures {
                who5,
                stress,
                burnout,
            };
            let copy = session
                .store
                .share_wellbeing(&entry_id, &rel.doc_id, measures)
                .map_err(local)?;
            #[derive(Serialize)]
            struct Shared<'a> {
                entry_id: &'a str,
                coaching_doc_id: &'a str,
                copy_id: &'a str,
                measures: WellbeingMeasures,
            }
            let coaching = coaching_doc(session, &rel.doc_id)?;
            let shared = coaching.wellbeing.iter().find(|w| w.id == copy);
            session.reply(
                &Shared {
                    entry_id: &entry_id,
                    coaching_doc_id: &rel.doc_id,
                    copy_id: &copy,
                    measures,
                },
                |page| {
                    let what: Vec<&str> = [
                        (who5, "WHO-5 score"),
                        (stress, "stress"),
                        (burnout, "burnout"),
                    ]
                    .iter()
                    .filter(|(chosen, _)| *chosen)
                    .map(|(_, name)| *name)
                    .collect();
                    page.line(format!(
                        "Shared the {} of wellbeing entry {entry_id} with {}, from the next sync.",
                        what.join(" and "),
                        rel.person_id
                    ));
                    if let Some(shared) = shared {
                        if shared.who5_percent.is_some() {
                            page.line(WHO5_CREDIT);
                        }
                    }
                    page.line(format!(
                        "Withdraw it with `tandem wellbeing withdraw {entry_id}`."
                    ));
                },
            )
        }
        WellbeingCommand::Withdraw {
            entry: entry_id,
            with,
        } => {
            let rel = coaching_rel(session, &with)?;
            session
                .store
                .withdraw_wellbeing(&entry_id, &rel.doc_id)
                .map_err(local)?;
            #[derive(Serialize)]
            struct Withdrawn<'a> {
                entry_id: &'a str,
                coaching_doc_id: &'a str,
            }
            session.reply(
                &Withdrawn {
                    entry_id: &entry_id,
                    coaching_doc_id: &rel.doc_id,
                },
                |page| {
                    page.line(format!(
                        "Withdrew wellbeing entry {entry_id} from your coaching with {}; it stays private, on your own devices.",
                        rel.person_id
                    ))
                },
            )
        }
    }
}

/// The days a range covers: by default the four weeks up to today.
fn days(session: &Session, range: &Range) -> Result<(NaiveDate, NaiveDate), Failure> {
    let to = session.date(range.to);
    let from = range
        .from
        .map_or(to - Duration::days(PARALLEL_DAYS - 1), |f| {
            f.resolve(session.today())
        });
    if to < from {
        return Err(Failure::Refused(format!(
            "invalid range: --to {to} is before --from {from}"
        )));
    }
    Ok((from, to))
}

pub fn parallel(session: &Session, args: ParallelArgs) -> Result<String, Failure> {
    match args.command {
        None => {
            let (from, to) = days(session, &args.range)?;
            let view = session.store.parallel_view(from, to, session.now)?;
            session.reply(&view, |page| {
                out::parallel(page, &view);
                page.blank();
                page.line("Share a summary with your coach with `tandem parallel share` (rates and counts only).");
            })
        }
        Some(ParallelCommand::Share(share)) => share_summary(session, share),
        Some(ParallelCommand::Withdraw { summary, with }) => {
            let rel = coaching_rel(session, &with)?;
            session
                .store
                .withdraw_summary(&rel.doc_id, &summary)
                .map_err(local)?;
            #[derive(Serialize)]
            struct Withdrawn<'a> {
                summary_id: &'a str,
                coaching_doc_id: &'a str,
            }
            session.reply(
                &Withdrawn {
                    summary_id: &summary,
                    coaching_doc_id: &rel.doc_id,
                },
                |page| {
                    page.line(format!(
                        "Withdrew summary {summary} from your coaching with {}.",
                        rel.person_id
                    ))
                },
            )
        }
    }
}

fn share_summary(session: &Session, args: ShareSummaryArgs) -> Result<String, Failure> {
    let (from, to) = days(session, &args.range)?;
    let rel = coaching_rel(session, &args.with)?;
    let choices = SummaryChoices {
        include_wellbeing: args.include_wellbeing,
        note: args.note,
        note_for_research: args.note_for_research,
    };
    let id = session
        .store
        .share_summary(&rel.doc_id, from, to, session.now, &choices)
        .map_err(local)?;
    let coaching = coaching_doc(session, &rel.doc_id)?;
    let shared = added(&coaching.summaries, &id, |s| &s.id)?;
    session.reply(shared, |page| {
        page.line(format!(
            "Shared a summary of your parallel view with {}, from their next sync:",
            rel.person_id
        ));
        out::summary(page, shared, session.tz, "  ");
        page.line("Rates and counts only: no client's name, id, plan or words; client figures only over");
        page.line(format!(
            "at least three clients; your wellbeing {}. Withdraw it with `tandem parallel withdraw {id}`.",
            if choices.include_wellbeing { "included, as you chose" } else { "left out" }
        ));
    })
}

/// `tandem export mine --out FOLDER`: progress on stderr, what was written on stdout.
fn export_mine(session: &Session, folder: &std::path::Path) -> Result<String, Failure> {
    let mut shown = 0;
    let written = session
        .store
        .export_mine(folder, session.now, &mut |p| {
            // A line at each tenth, so a long history shows it is moving.
            let tenth = p.done * 10 / p.total.max(1);
            if tenth > shown || p.done == p.total {
                shown = tenth;
                note(&format!("exporting: {} of {} steps", p.done, p.total));
            }
        })
        .map_err(|e| Failure::Failed(format!("cannot export into {}: {e}", folder.display())))?;
    session.reply(&written, |page| {
        page.line(format!(
            "Exported {} check-ins and everything else that is yours into {}:",
            written.check_ins,
            folder.display()
        ));
        for file in &written.files {
            page.line(format!("  {file}"));
        }
        page.line("Open report.html in a browser to read it. It is private: keep it safe.");
    })
}

pub fn export(session: &Session, command: ExportCommand) -> Result<String, Failure> {
    let (from, to, format, file) = match command {
        ExportCommand::Mine { out } => return export_mine(session, &out),
        ExportCommand::Research {
            from,
            to,
            format,
            out,
        } => (from, to, format, out),
    };
    let (from, to) = (from.resolve(session.today()), to.resolve(session.today()));
    if to < from {
        return Err(Failure::Refused(format!(
            "invalid range: --to {to} is before --from {from}"
        )));
    }
    let format = match (format, session.json, &file) {
        (Some(ExportFormat::Csv), true, None) => {
            return Err(Failure::Refused(
                "--json prints JSON, and --format csv asks for CSV: drop one, or write the CSV to a file with --out FILE".into(),
            ))
        }
        (Some(format), _, _) => format,
        (None, true, None) => ExportFormat::Json,
        (None, _, _) => ExportFormat::Csv,
    };
    let export = session.store.research_export(from, to, session.now)?;
    let body = match format {
        ExportFormat::Csv => export.to_csv(),
        ExportFormat::Json => export.to_json() + "\n",
    };
    if export.rows.is_empty() {
        note(&format!(
            "no shared summary has a week starting {from} – {to}: the export has no rows"
        ));
    }
    let Some(file) = file else {
        if format == ExportFormat::Csv && export.rows.iter().any(|r| r.who5_percent.is_some()) {
            note(WHO5_CREDIT);
        }
        return Ok(body);
    };
    std::fs::write(&file, &body)
        .map_err(|e| Failure::Failed(format!("cannot write {}: {e}", file.display())))?;
    #[derive(Serialize)]
    struct Written {
        path: String,
        format: &'static str,
        rows: usize,
        notes: usize,
        from: NaiveDate,
        to: NaiveDate,
        credits: Vec<String>,
    }
    let written = Written {
        path: file.display().to_string(),
        format: match format {
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
        },
        rows: export.rows.len(),
        notes: export.notes.len(),
        from,
        to,
        credits: export.credits.clone(),
    };
    if session.json {
        return json(&written);
    }
    session.reply(&written, |page| {
        page.line(format!(
            "Wrote the research export ({}, weeks starting {from} – {to}: {} practitioner-weeks, {} notes marked for research) to {}.",
            written.format, written.rows, written.notes, written.path
        ));
        page.line("It holds no names, no person, device or document ids, and no free text but notes marked");
        page.line("for research; practitioners appear under codes made for this export only.");
        for credit in &written.credits {
            page.line(credit);
        }
    })
}
