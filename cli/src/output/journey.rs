//! A journey as text, stage by stage.

use tandem_core::journey::{
    ActionPlan, CheckIn, Goal, Journey, ProposedBy, Review, Strength, Support, Value,
};

use super::{check_in_line, tag, when, Page};

pub fn value_line(value: &Value, ids: bool) -> String {
    format!(
        "{}{} — {}, importance {}/10",
        tag(&value.id, ids),
        value.text,
        value.life_area,
        value.importance
    )
}

pub fn strength_line(strength: &Strength, ids: bool) -> String {
    let example = strength
        .example
        .as_deref()
        .map(|e| format!(" — e.g. {e}"))
        .unwrap_or_default();
    format!("{}{}{example}", tag(&strength.id, ids), strength.text)
}

pub fn support_line(support: &Support, ids: bool) -> String {
    let note = support
        .note
        .as_deref()
        .map(|n| format!(" — {n}"))
        .unwrap_or_default();
    format!(
        "{}{} ({}){note}",
        tag(&support.id, ids),
        support.name,
        support.kind
    )
}

/// A goal's first line: text, status and ratings.
pub fn goal_line(goal: &Goal, ids: bool) -> String {
    let status = match goal.status.as_str() {
        "active" => String::new(),
        other => format!(" ({})", super::spoken(other)),
    };
    format!(
        "{}{}{status} — importance {}/10, confidence {}/10",
        tag(&goal.id, ids),
        goal.text,
        goal.importance,
        goal.confidence
    )
}

/// A goal with its links, steps and attainment levels.
fn goal_details(page: &mut Page, goal: &Goal, journey: &Journey, ids: bool) {
    page.line(format!("  {}", goal_line(goal, ids)));
    let serves: Vec<&str> = goal
        .value_ids
        .iter()
        .filter_map(|id| journey.values.iter().find(|v| &v.id == id))
        .map(|v| v.text.as_str())
        .collect();
    let mut about = vec![
        format!("{} goal", goal.framing),
        match goal.proposed_by {
            ProposedBy::Myself => "proposed by me".to_string(),
            ProposedBy::Supporter => "proposed by a supporter".to_string(),
            ProposedBy::Together => "proposed together".to_string(),
        },
    ];
    if let Some(target) = goal.target_date {
        about.push(format!("target {target}"));
    }
    if !serves.is_empty() {
        about.push(format!("serves: {}", serves.join("; ")));
    }
    page.line(format!("      {}", about.join(" · ")));
    for (place, step) in goal.steps.iter().enumerate() {
        let mark = if step.done { "x" } else { " " };
        page.line(format!(
            "      {}. [{mark}] {}{}",
            place + 1,
            tag(&step.id, ids),
            step.text
        ));
    }
    let mut levels = goal.attainment_levels.clone();
    levels.sort_by_key(|l| l.level);
    for level in levels {
        page.line(format!("      {:+} {}", level.level, level.description));
    }
}

/// A plan's first line: what and when.
pub fn plan_line(plan: &ActionPlan, ids: bool) -> String {
    format!("{}{} — {}", tag(&plan.id, ids), plan.what, when(plan))
}

/// A plan with when, where, what it works toward, barriers, supports and who agreed.
pub fn plan_details(page: &mut Page, plan: &ActionPlan, journey: &Journey, ids: bool) {
    page.line(format!("  {}", plan_line(plan, ids)));
    let mut about = vec![match plan.end {
        Some(end) => format!("{} to {end}", plan.start),
        None => format!("from {}", plan.start),
    }];
    if let Some(goal) = plan.goal_id.as_deref().and_then(|id| journey.goal(id)) {
        let step = plan
            .step_id
            .as_deref()
            .and_then(|id| goal.steps.iter().find(|s| s.id == id))
            .map(|s| format!(" (step: {})", s.text))
            .unwrap_or_default();
        about.push(format!("toward: {}{step}", goal.text));
    }
    if plan.reminder {
        about.push("reminder on".into());
    }
    page.line(format!("      {}", about.join(" · ")));
    let details = [
        ("where", plan.place.as_deref()),
        ("barriers", plan.barriers.as_deref()),
        ("supports", plan.supports.as_deref()),
    ];
    for (label, text) in details {
        if let Some(text) = text {
            page.line(format!("      {label}: {text}"));
        }
    }
    if !plan.agreed_by.is_empty() {
        let parties: Vec<&str> = plan.agreed_by.iter().map(|p| p.as_str()).collect();
        page.line(format!("      agreed by: {}", parties.join(", ")));
    }
}

fn review_line(review: &Review, journey: &Journey) -> String {
    let about = match review.goal_id.as_deref().and_then(|id| journey.goal(id)) {
        Some(goal) => goal.text.as_str(),
        None => "the journey as a whole",
    };
    let attainment = review
        .attainment
        .map(|a| format!(", attainment {a:+}"))
        .unwrap_or_default();
    let note = review
        .note
        .as_deref()
        .map(|n| format!("\n      “{n}”"))
        .unwrap_or_default();
    format!(
        "{} {about}: motivation {}, confidence {}, progress {}{attainment}{note}",
        review.date, review.motivation, review.confidence, review.progress
    )
}

/// Lines under a sub-heading, or "none yet".
fn list<T>(page: &mut Page, title: &str, items: &[T], line: impl Fn(&T) -> String) {
    page.line(format!("  {title}:"));
    if items.is_empty() {
        page.line("    none yet");
    }
    for item in items {
        page.line(format!("    {}", line(item)));
    }
}

/// The whole journey, by stage, with ids; `check_ins` are the recent ones to list.
pub fn show(page: &mut Page, journey: &Journey, check_ins: &[CheckIn]) {
    page.line(format!("Journey (time zone {})", journey.time_zone));
    page.blank();
    page.heading("1. Strengths and values");
    list(page, "Values", &journey.values, |v| value_line(v, true));
    list(page, "Strengths", &journey.strengths, |s| {
        strength_line(s, true)
    });
    list(page, "Supports", &journey.supports, |s| {
        support_line(s, true)
    });
    match journey.current_vision() {
        Some(vision) => page.line(format!(
            "  Vision ({}):\n    {}",
            vision.written_on, vision.text
        )),
        None => page.line("  Vision:\n    none yet"),
    }
    page.blank();
    page.heading("2. Goals");
    if journey.goals.is_empty() {
        page.line("  none yet");
    }
    for goal in &journey.goals {
        goal_details(page, goal, journey, true);
    }
    page.blank();
    page.heading("3. Action plans");
    if journey.plans.is_empty() {
        page.line("  none yet");
    }
    for plan in &journey.plans {
        plan_details(page, plan, journey, true);
    }
    page.blank();
    page.heading("4. Review and monitoring");
    list(page, "Reviews", &journey.reviews, |r| {
        review_line(r, journey)
    });
    list(page, "Check-ins, last two weeks", check_ins, |c| {
        check_in_line(c, journey)
    });
}

/// A short account of a journey without ids: values, vision, goals and plans.
#[cfg(feature = "demo")]
pub fn summary(page: &mut Page, journey: &Journey) {
    let values: Vec<String> = journey
        .values
        .iter()
        .map(|v| format!("{} ({}, {}/10)", v.text, v.life_area, v.importance))
        .collect();
    page.line(format!("Values:  {}", values.join("; ")));
    if let Some(vision) = journey.current_vision() {
        page.line(format!("Vision:  {}", vision.text));
    }
    for goal in &journey.goals {
        let done = goal.steps.iter().filter(|s| s.done).count();
        let steps = match goal.steps.len() {
            0 => String::new(),
            n => format!(" ({done} of {n} steps done)"),
        };
        page.line(format!("Goal:    {}{steps}", goal_line(goal, false)));
    }
    for plan in &journey.plans {
        let reminder = if plan.reminder { " · reminder" } else { "" };
        page.line(format!("Plan:    {}{reminder}", plan_line(plan, false)));
    }
}
