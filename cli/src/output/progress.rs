//! How things are going, as text: today's list, reminders, check-ins and insights.

use tandem_core::journey::insights::{Insights, RatingTrend};
use tandem_core::journey::schedule::{Reminder, TodayItem};
use tandem_core::journey::{CheckIn, Journey, Reason};
use tandem_core::Zone;

use super::{bar, clock, day, percent, spoken, Page};

/// "not done (low mood, no time): “Couldn't face it”".
fn outcome_words(outcome: &str, reasons: &[Reason], why: Option<&str>) -> String {
    let mut text = spoken(outcome);
    if !reasons.is_empty() {
        let reasons: Vec<String> = reasons.iter().map(|r| spoken(r.as_str())).collect();
        text.push_str(&format!(" ({})", reasons.join(", ")));
    }
    if let Some(why) = why {
        text.push_str(&format!(": “{why}”"));
    }
    text
}

/// One check-in: when, what, how it went.
pub fn check_in_line(check_in: &CheckIn, journey: &Journey) -> String {
    let what = journey
        .plan(&check_in.plan_id)
        .map_or(check_in.plan_id.as_str(), |p| p.what.as_str());
    let note = check_in
        .note
        .as_deref()
        .map(|n| format!(" — {n}"))
        .unwrap_or_default();
    format!(
        "{} {:<8} {what}: {}{note}",
        day(check_in.date),
        clock(check_in.time),
        outcome_words(
            check_in.outcome.as_str(),
            &check_in.reasons,
            check_in.reason_text.as_deref()
        )
    )
}

/// Today's occurrences; with `ids`, each line ends with its plan's id for `check-in`.
pub fn today(page: &mut Page, date: chrono::NaiveDate, items: &[TodayItem], ids: bool) {
    page.line(format!("Today, {}", day(date)));
    if items.is_empty() {
        page.line("  nothing planned");
    }
    for item in items {
        let status = match &item.check_in {
            Some(c) => outcome_words(c.outcome.as_str(), &c.reasons, c.reason_text.as_deref()),
            None => item.status.as_str().to_string(),
        };
        let id = if ids {
            format!("  [{}]", item.occurrence.plan_id)
        } else {
            String::new()
        };
        page.line(format!(
            "  {:<9} {:<32} {status}{id}",
            clock(item.occurrence.time),
            item.what
        ));
    }
}

/// Upcoming reminders, at local time in `tz`.
pub fn reminders(page: &mut Page, reminders: &[Reminder], days: u32, tz: Zone, ids: bool) {
    page.line(format!(
        "Reminders, next {days} day{}",
        if days == 1 { "" } else { "s" }
    ));
    if reminders.is_empty() {
        page.line("  none: no plan with reminders falls in these days");
    }
    for reminder in reminders {
        let at = reminder.at.with_timezone(&tz);
        let untimed = if reminder.time.is_none() {
            " (no set time)"
        } else {
            ""
        };
        let id = if ids {
            format!("  [{}]", reminder.plan_id)
        } else {
            String::new()
        };
        page.line(format!(
            "  {:<15} {}  {}{untimed}{id}",
            day(at.date_naive()),
            at.format("%H:%M"),
            reminder.what
        ));
    }
}

fn number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

fn trend_text(trend: &RatingTrend) -> String {
    if trend.points.len() == 1 {
        return format!("{} {}", trend.metric, number(trend.last));
    }
    format!(
        "{} {} → {} ({}{})",
        trend.metric,
        number(trend.first),
        number(trend.last),
        if trend.change >= 0.0 { "+" } else { "" },
        number(trend.change)
    )
}

/// Completion per plan, goal and week, streaks, reasons and rating trends.
pub fn insights(
    page: &mut Page,
    insights: &Insights,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    journey: &Journey,
) {
    page.line(format!("Insights, {} – {}", day(from), day(to)));
    page.line("  Plans:");
    if insights.per_plan.is_empty() {
        page.line("    no plan was active in these days");
    }
    for plan in &insights.per_plan {
        page.line(format!("    {}", plan.what));
        page.line(format!(
            "      {:>4}  {}  {} planned: {} done, {} partly, {} not done, {} unanswered",
            percent(plan.completion.rate),
            bar(plan.completion.rate),
            plan.completion.planned,
            plan.completion.done,
            plan.completion.partly,
            plan.completion.not_done,
            plan.completion.unanswered
        ));
        let unplanned = if plan.unplanned > 0 {
            format!("; {} extra, unplanned", plan.unplanned)
        } else {
            String::new()
        };
        page.line(format!(
            "      streak {} now, longest {}{unplanned}",
            plan.current_streak, plan.longest_streak
        ));
    }
    let goals: Vec<_> = insights
        .per_goal
        .iter()
        .filter(|g| g.completion.planned > 0)
        .collect();
    if !goals.is_empty() {
        page.line("  Goals:");
        for goal in goals {
            page.line(format!(
                "    {:>4}  {} ({} planned)",
                percent(goal.completion.rate),
                goal.text,
                goal.completion.planned
            ));
        }
    }
    if !insights.per_week.is_empty() {
        page.line("  Week by week:");
        for week in &insights.per_week {
            page.line(format!(
                "    week of {:<16} {:>4}  {}  {} planned, {} done, {} partly, {} not done",
                day(week.week_start),
                percent(week.completion.rate),
                bar(week.completion.rate),
                week.completion.planned,
                week.completion.done,
                week.completion.partly,
                week.completion.not_done
            ));
        }
    }
    page.line("  Reasons given:");
    if insights.reasons.is_empty() {
        page.line("    none");
    } else {
        let counted: Vec<String> = insights
            .reasons
            .iter()
            .map(|r| format!("{} ×{}", spoken(r.reason.as_str()), r.count))
            .collect();
        page.line(format!("    {}", counted.join(", ")));
    }
    if insights.other_texts > 0 {
        page.line(format!("    {} in their own words", insights.other_texts));
    }
    if !insights.trends.is_empty() {
        page.line("  Reviews:");
        let mut about: Option<Option<&str>> = None;
        let mut line = Vec::new();
        let mut flush = |about: Option<Option<&str>>, line: &mut Vec<String>| {
            if let Some(goal_id) = about {
                let name = goal_id
                    .and_then(|id| journey.goal(id))
                    .map_or("the journey as a whole", |g| g.text.as_str());
                page.line(format!("    {name}: {}", line.join(", ")));
                line.clear();
            }
        };
        for trend in &insights.trends {
            let goal_id = trend.goal_id.as_deref();
            if about != Some(goal_id) {
                flush(about, &mut line);
                about = Some(goal_id);
            }
            line.push(trend_text(trend));
        }
        flush(about, &mut line);
    }
}
