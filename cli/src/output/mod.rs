//! Human-readable text for what the core returns. `--json` prints the core's types instead.

pub mod coaching;
mod journey;
mod progress;

pub use journey::{goal_line, plan_line, show, strength_line, support_line, value_line};
// What only the demo prints.
#[cfg(feature = "demo")]
pub use journey::{plan_details, summary};
pub use progress::{check_in_line, insights, reminders, today};

use std::fmt::{Display, Write};

use chrono::{Datelike, NaiveDate, NaiveTime};
use tandem_core::journey::{ActionPlan, Repeat};

/// Text being written for the person to read.
#[derive(Debug, Default)]
pub struct Page(String);

impl Page {
    pub fn line(&mut self, text: impl Display) {
        // Writing to a String cannot fail.
        let _ = writeln!(self.0, "{text}");
    }

    pub fn blank(&mut self) {
        self.0.push('\n');
    }

    /// A heading, underlined.
    pub fn heading(&mut self, text: impl Display) {
        let text = text.to_string();
        self.line(&text);
        self.line("─".repeat(text.chars().count()));
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// `[id] ` when ids are shown, so people can refer to what they see.
pub fn tag(id: &str, ids: bool) -> String {
    if ids {
        format!("[{id}] ")
    } else {
        String::new()
    }
}

/// "Wed 4 Mar 2026".
pub fn day(date: NaiveDate) -> String {
    format!("{} {} {}", date.weekday(), date.day(), date.format("%b %Y"))
}

/// "08:00", or "any time" for an occurrence without a set time.
pub fn clock(time: Option<NaiveTime>) -> String {
    time.map_or_else(|| "any time".into(), |t| t.format("%H:%M").to_string())
}

/// "75%", or "–" when nothing was planned.
pub fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "–".into(), |r| format!("{:.0}%", r * 100.0))
}

/// A ten-block bar for a rate.
pub fn bar(rate: Option<f64>) -> String {
    let filled = rate.map_or(0, |r| (r * 10.0).round().clamp(0.0, 10.0) as usize);
    format!("{}{}", "█".repeat(filled), "░".repeat(10 - filled))
}

/// When a plan happens: "Mon, Wed, Fri at 08:00 · 20 min", "every day, any time".
pub fn when(plan: &ActionPlan) -> String {
    let days = match &plan.schedule.repeat {
        Repeat::Weekly { days } if days.len() == 7 => "every day".to_string(),
        Repeat::Weekly { days } => {
            let mut days = days.clone();
            days.sort_by_key(|d| d.num_days_from_monday());
            let names: Vec<String> = days.iter().map(|d| d.to_string()).collect();
            names.join(", ")
        }
        Repeat::EveryNDays { n: 1 } => "every day".to_string(),
        Repeat::EveryNDays { n } => format!("every {n} days"),
    };
    let times = if plan.schedule.times.is_empty() {
        ", any time".to_string()
    } else {
        let times: Vec<String> = plan
            .schedule
            .times
            .iter()
            .map(|t| t.format("%H:%M").to_string())
            .collect();
        format!(" at {}", times.join(", "))
    };
    let minutes = plan
        .duration_minutes
        .map(|m| format!(" · {m} min"))
        .unwrap_or_default();
    format!("{days}{times}{minutes}")
}

/// Words shown with spaces: `low_mood` → "low mood".
pub fn spoken(word: &str) -> String {
    word.replace('_', " ")
}
