//! Stage 1: values, strengths, supports and the vision.

use tandem_core::journey::{StrengthInput, SupportInput, ValueInput};

use super::added;
use crate::args::{StrengthCommand, SupportCommand, ValueCommand, VisionCommand};
use crate::output::{self, Page};
use crate::session::{Failure, Session};

fn list_or_none(page: &mut Page, lines: Vec<String>, none: &str) {
    if lines.is_empty() {
        page.line(none);
    }
    for line in lines {
        page.line(line);
    }
}

pub fn value(session: &Session, command: ValueCommand) -> Result<String, Failure> {
    match command {
        ValueCommand::Add {
            text,
            area,
            importance,
        } => {
            let id = session.store.add_value(&ValueInput {
                text,
                life_area: area,
                importance,
            })?;
            let journey = session.store.journey()?;
            let value = added(&journey.values, &id, |v| &v.id)?;
            session.reply(value, |page| {
                page.line(format!("Added value {}", output::value_line(value, true)))
            })
        }
        ValueCommand::List => {
            let values = session.store.journey()?.values;
            session.reply(&values, |page| {
                let lines = values.iter().map(|v| output::value_line(v, true)).collect();
                list_or_none(
                    page,
                    lines,
                    "No values yet: add one with `tandem value add`.",
                );
            })
        }
    }
}

pub fn strength(session: &Session, command: StrengthCommand) -> Result<String, Failure> {
    match command {
        StrengthCommand::Add { text, example } => {
            let id = session
                .store
                .add_strength(&StrengthInput { text, example })?;
            let journey = session.store.journey()?;
            let strength = added(&journey.strengths, &id, |s| &s.id)?;
            session.reply(strength, |page| {
                page.line(format!(
                    "Added strength {}",
                    output::strength_line(strength, true)
                ))
            })
        }
        StrengthCommand::List => {
            let strengths = session.store.journey()?.strengths;
            session.reply(&strengths, |page| {
                let lines = strengths
                    .iter()
                    .map(|s| output::strength_line(s, true))
                    .collect();
                list_or_none(
                    page,
                    lines,
                    "No strengths yet: add one with `tandem strength add`.",
                );
            })
        }
    }
}

pub fn support(session: &Session, command: SupportCommand) -> Result<String, Failure> {
    match command {
        SupportCommand::Add { name, kind, note } => {
            let id = session
                .store
                .add_support(&SupportInput { name, kind, note })?;
            let journey = session.store.journey()?;
            let support = added(&journey.supports, &id, |s| &s.id)?;
            session.reply(support, |page| {
                page.line(format!(
                    "Added support {}",
                    output::support_line(support, true)
                ))
            })
        }
        SupportCommand::List => {
            let supports = session.store.journey()?.supports;
            session.reply(&supports, |page| {
                let lines = supports
                    .iter()
                    .map(|s| output::support_line(s, true))
                    .collect();
                list_or_none(
                    page,
                    lines,
                    "No supports yet: add one with `tandem support add`.",
                );
            })
        }
    }
}

pub fn vision(session: &Session, command: VisionCommand) -> Result<String, Failure> {
    match command {
        VisionCommand::Set { text, date } => {
            let id = session.store.set_vision(&text, session.date(date))?;
            let journey = session.store.journey()?;
            let vision = added(&journey.visions, &id, |v| &v.id)?;
            session.reply(vision, |page| {
                page.line(format!("Vision written on {}:", vision.written_on));
                page.line(format!("  {}", vision.text));
            })
        }
    }
}
