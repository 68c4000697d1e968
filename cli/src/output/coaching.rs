//! Coaching and the parallel process, as text: the coaching document, what a coach sees,
//! alliance check-ins and ruptures, wellbeing, reflections, and the parallel view.
//!
//! People appear by the name `names` gives them: a person id on the command line ("you" for
//! oneself), a name in the demo.

use chrono::{DateTime, NaiveDate, Utc};
use tandem_core::coaching::alliance::Rupture;
use tandem_core::coaching::{
    AllianceCheckIn, CoachOverview, Coaching, CoachingCondition, ConditionGroup, Reflection,
    SharedReflection, SharedWellbeing, WellbeingEntry, ALLIANCE_FLAG, ALLIANCE_ITEMS, BURNOUT_ITEM,
    STRESS_ITEM, WHO5_CREDIT, WHO5_ITEMS,
};
use tandem_core::journey::insights::{Completion, ReasonCount};
use tandem_core::parallel::{
    ClientCompletion, ClientRuptures, ParallelView, SharedSummary, SummaryWeek, WellbeingPoint,
    MIN_CLIENTS,
};
use tandem_core::Zone;

use super::{bar, day, percent, spoken, tag, Page};

/// How people are named on a page.
pub type Names<'a> = &'a dyn Fn(&str) -> String;

/// "transformational coaching", or "no condition set yet".
pub fn condition_words(condition: Option<CoachingCondition>) -> String {
    match condition {
        Some(c) => format!("{} coaching", spoken(c.as_str())),
        None => "no condition set yet".into(),
    }
}

/// The same, as a heading: "Transformational coaching".
fn condition_heading(condition: Option<CoachingCondition>) -> String {
    match condition {
        Some(c) => {
            let words = condition_words(Some(c));
            let mut chars = words.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }
        None => "No condition set yet".into(),
    }
}

/// A number with at most one decimal: "6", "6.5".
fn number(value: f64) -> String {
    if value.fract().abs() < 0.05 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

/// "no time ×3, other ×1", or "" when there are none.
fn reasons(counts: &[ReasonCount]) -> String {
    counts
        .iter()
        .map(|r| format!("{} ×{}", spoken(r.reason.as_str()), r.count))
        .collect::<Vec<_>>()
        .join(", ")
}

/// " 65%  ███████░░░  10 planned: 6 done, 1 partly, 3 not done".
fn completion(c: &Completion) -> String {
    if c.planned == 0 {
        return "nothing planned".into();
    }
    format!(
        "{:>4}  {}  {} planned: {} done, {} partly, {} not done",
        percent(c.rate),
        bar(c.rate),
        c.planned,
        c.done,
        c.partly,
        c.not_done
    )
}

fn with_reasons(text: String, counts: &[ReasonCount]) -> String {
    match reasons(counts) {
        r if r.is_empty() => text,
        r => format!("{text} · {r}"),
    }
}

fn clients_line(clients: Option<&ClientCompletion>) -> String {
    match clients {
        Some(c) => with_reasons(
            format!("{} · over {} clients", completion(&c.completion), c.clients),
            &c.reasons,
        ),
        None => format!("not enough data (fewer than {MIN_CLIENTS} clients had plans)"),
    }
}

fn ruptures_line(clients: Option<&ClientRuptures>, coaching: u32) -> String {
    let clients = match clients {
        Some(r) => format!(
            "{} among the {} clients who answered",
            r.ruptures, r.clients
        ),
        None => format!("not enough data (fewer than {MIN_CLIENTS} clients answered)"),
    };
    format!("with clients: {clients} · with your coach: {coaching}")
}

/// "WHO-5 64% · stress 5 · burnout 4".
pub fn wellbeing_point(point: &WellbeingPoint) -> String {
    let mut parts = Vec::new();
    if let Some(who5) = point.who5_percent {
        parts.push(format!("WHO-5 {}%", number(who5)));
    }
    if let Some(stress) = point.stress {
        parts.push(format!("stress {}/10", number(stress)));
    }
    if let Some(burnout) = point.burnout {
        parts.push(format!("burnout {}/10", number(burnout)));
    }
    parts.join(" · ")
}

/// The parallel view, week by week, then the whole range and the prompts it raises.
pub fn parallel(page: &mut Page, view: &ParallelView) {
    page.line(format!(
        "Parallel view, {} – {}: your own action plans beside your clients'",
        day(view.from),
        day(view.to)
    ));
    page.line(format!(
        "(client figures appear only over at least {MIN_CLIENTS} clients; you have {} — a number for your eyes only)",
        view.caseload
    ));
    for week in &view.weeks {
        page.blank();
        let cut = if week.week_start < view.from {
            format!(" (from {})", day(view.from))
        } else {
            String::new()
        };
        page.line(format!("Week of {}{cut}", day(week.week_start)));
        page.line(format!(
            "  you           {}",
            with_reasons(completion(&week.own), &week.own_reasons)
        ));
        page.line(format!(
            "  your clients  {}",
            clients_line(week.clients.as_ref())
        ));
        page.line(format!(
            "  ruptures      {}",
            ruptures_line(week.client_ruptures.as_ref(), week.coaching_ruptures)
        ));
        if let Some(point) = &week.wellbeing {
            page.line(format!("  wellbeing     {}", wellbeing_point(point)));
        }
    }
    page.blank();
    page.line("The whole range");
    page.line(format!(
        "  you           {}",
        with_reasons(completion(&view.own), &view.own_reasons)
    ));
    page.line(format!(
        "  your clients  {}",
        clients_line(view.clients.as_ref())
    ));
    page.line(format!(
        "  ruptures      {}",
        ruptures_line(view.client_ruptures.as_ref(), view.coaching_ruptures)
    ));
    page.blank();
    if view.prompts.is_empty() {
        page.line("No parallels stand out in these weeks: nothing to prompt a reflection.");
    } else {
        page.line("To reflect on:");
        for prompt in &view.prompts {
            page.line(format!("  • {}", prompt.text));
        }
    }
    let who5 = view.weeks.iter().any(|w| {
        w.wellbeing
            .as_ref()
            .is_some_and(|p| p.who5_percent.is_some())
    });
    if who5 {
        page.blank();
        page.line(WHO5_CREDIT);
    }
}

/// One alliance check-in: "Mon 23 Nov 2026 goals 8, tasks 7, bond 9 (mean 8) · felt off".
pub fn alliance_line(check_in: &AllianceCheckIn, ids: bool) -> String {
    let off = if check_in.felt_off {
        " · something felt off"
    } else {
        ""
    };
    let repair = check_in
        .repair_note
        .as_deref()
        .map(|n| format!(" · repaired: “{n}”"))
        .unwrap_or_default();
    format!(
        "{}{} goals {}, tasks {}, bond {} (mean {}){off}{repair}",
        tag(&check_in.id, ids),
        day(check_in.date),
        check_in.goals,
        check_in.tasks,
        check_in.bond,
        number(check_in.score())
    )
}

/// The alliance items and the flag, in our own words.
pub fn alliance_items(page: &mut Page) {
    for (name, item) in ["goals", "tasks", "bond"].iter().zip(ALLIANCE_ITEMS) {
        page.line(format!("  {name:<6} {item} (0–10)"));
    }
    page.line(format!("  flag   {ALLIANCE_FLAG}"));
}

/// One rupture: why it counts, and whether it was repaired.
pub fn rupture_line(rupture: &Rupture) -> String {
    let mut why = Vec::new();
    if rupture.flagged {
        why.push("flagged: something felt off".to_string());
    }
    if rupture.dropped {
        if let Some(level) = rupture.running_level {
            why.push(format!(
                "mean {} against a usual {}",
                number(rupture.score),
                number(level)
            ));
        }
    }
    let repaired = if rupture.repaired {
        "repaired"
    } else {
        "not repaired yet"
    };
    format!(
        "{} [{}] {} · {repaired}",
        day(rupture.date),
        rupture.check_in_id,
        why.join("; ")
    )
}

/// One wellbeing entry: "[id] Mon 23 Nov 2026 WHO-5 56% (3,3,2,3,3) · stress 7/10".
pub fn wellbeing_line(entry: &WellbeingEntry, ids: bool) -> String {
    let mut parts = Vec::new();
    if let (Some(answers), Some(score)) = (entry.who5, entry.who5_percent()) {
        let answers: Vec<String> = answers.iter().map(u8::to_string).collect();
        parts.push(format!("WHO-5 {score}% ({})", answers.join(",")));
    }
    if let Some(stress) = entry.stress {
        parts.push(format!("stress {stress}/10"));
    }
    if let Some(burnout) = entry.burnout {
        parts.push(format!("burnout {burnout}/10"));
    }
    format!(
        "{}{} {}",
        tag(&entry.id, ids),
        day(entry.date),
        parts.join(" · ")
    )
}

fn shared_wellbeing_line(entry: &SharedWellbeing) -> String {
    let point = WellbeingPoint {
        who5_percent: entry.who5_percent.map(f64::from),
        stress: entry.stress.map(f64::from),
        burnout: entry.burnout.map(f64::from),
    };
    format!("{} {}", day(entry.date), wellbeing_point(&point))
}

/// The WHO-5 statements with their scale and credit, and our own stress and burnout items.
pub fn wellbeing_questions(page: &mut Page) {
    page.line("WHO-5: over the last two weeks, how often ... 0 at no time, 1 some of the time,");
    page.line("2 less than half of the time, 3 more than half of the time, 4 most of the time,");
    page.line("5 all of the time.");
    for (n, item) in WHO5_ITEMS.iter().enumerate() {
        page.line(format!("  {}. {item}", n + 1));
    }
    page.line(WHO5_CREDIT);
    page.blank();
    page.line("Our own single items, 0 (not at all) to 10 (extremely):");
    page.line(format!("  stress   {STRESS_ITEM}"));
    page.line(format!("  burnout  {BURNOUT_ITEM}"));
}

fn direction_words(direction: Option<tandem_core::coaching::Direction>) -> String {
    use tandem_core::coaching::Direction;
    match direction {
        Some(Direction::ClientToCoaching) => " (from client work to coaching)".into(),
        Some(Direction::CoachingToClient) => " (from coaching to client work)".into(),
        None => String::new(),
    }
}

/// A reflection in the practitioner's private notes, with what it links and where it is shared.
pub fn reflection(page: &mut Page, reflection: &Reflection, names: Names<'_>) {
    page.line(format!(
        "[{}] {}{}",
        reflection.id,
        day(reflection.date),
        direction_words(reflection.direction)
    ));
    page.line(format!("    what happened: {}", reflection.what_happened));
    page.line(format!("    my reaction:   {}", reflection.my_reaction));
    if let Some(pattern) = &reflection.pattern {
        page.line(format!("    pattern:       {pattern}"));
    }
    if !reflection.plan_ids.is_empty() {
        page.line(format!(
            "    my plans:      {}",
            reflection.plan_ids.join(", ")
        ));
    }
    if !reflection.client_codes.is_empty() {
        page.line(format!(
            "    clients:       {}",
            reflection.client_codes.join(", ")
        ));
    }
    if reflection.shared_in.is_empty() {
        page.line("    private: not shared");
    } else {
        let docs: Vec<String> = reflection.shared_in.iter().map(|d| names(d)).collect();
        page.line(format!("    shared in coaching: {}", docs.join(", ")));
    }
}

fn shared_reflection(page: &mut Page, shared: &SharedReflection, indent: &str) {
    page.line(format!(
        "{indent}{}{}",
        day(shared.date),
        direction_words(shared.direction)
    ));
    page.line(format!("{indent}  what happened: {}", shared.what_happened));
    page.line(format!("{indent}  reaction:      {}", shared.my_reaction));
    if let Some(pattern) = &shared.pattern {
        page.line(format!("{indent}  pattern:       {pattern}"));
    }
}

fn opt_rate(rate: Option<f64>) -> String {
    rate.map_or_else(|| "–".into(), |r| percent(Some(r)))
}

/// The columns of a shared summary's weeks.
const SUMMARY_HEADER: &str =
    "week of           own         clients       ruptures: clients · coach   wellbeing";

/// One week of a shared summary, under [`SUMMARY_HEADER`].
fn summary_week(week: &SummaryWeek) -> String {
    let own = format!("{} of {}", opt_rate(week.own_rate), week.own_planned);
    let missing = if week.week_open {
        "week open"
    } else {
        "too few"
    };
    let clients = match (week.clients_rate, week.clients) {
        (Some(rate), Some(n)) => format!("{} over {n}", opt_rate(Some(rate))),
        _ => missing.into(),
    };
    let ruptures = match (week.client_ruptures, week.rupture_clients) {
        (Some(r), Some(n)) => format!("{r} of {n}"),
        _ => missing.into(),
    };
    let wellbeing = week
        .wellbeing
        .as_ref()
        .map(wellbeing_point)
        .unwrap_or_default();
    format!(
        "{:<17} {own:<11} {clients:<13} {:<27} {wellbeing}",
        day(week.week_start),
        format!("{ruptures} · {}", week.coaching_ruptures),
    )
    .trim_end()
    .to_string()
}

/// A summary shared into a coaching document.
pub fn summary(page: &mut Page, summary: &SharedSummary, tz: Zone, indent: &str) {
    page.line(format!(
        "{indent}[{}] {} – {}, shared {} ({})",
        summary.id,
        day(summary.from),
        day(summary.to),
        instant(summary.shared_at, tz),
        condition_words(summary.condition)
    ));
    page.line(format!("{indent}  {SUMMARY_HEADER}"));
    for week in &summary.weeks {
        page.line(format!("{indent}  {}", summary_week(week)));
    }
    if summary
        .weeks
        .iter()
        .any(|w| !w.week_open && (w.clients.is_none() || w.rupture_clients.is_none()))
    {
        page.line(format!(
            "{indent}  too few: fewer than {MIN_CLIENTS} clients stood behind the figure, so there is none"
        ));
    }
    if summary.weeks.iter().any(|w| w.week_open) {
        page.line(format!(
            "{indent}  week open: client figures are shared once the week is over"
        ));
    }
    if let Some(note) = &summary.note {
        let research = if summary.note_for_research {
            " (may go into research exports)"
        } else {
            ""
        };
        page.line(format!("{indent}  note{research}: “{note}”"));
    }
    if summary.weeks.iter().any(|w| {
        w.wellbeing
            .as_ref()
            .is_some_and(|p| p.who5_percent.is_some())
    }) {
        page.line(format!("{indent}  {WHO5_CREDIT}"));
    }
}

/// "Thu 26 Nov 2026 19:30", local.
pub fn instant(at: DateTime<Utc>, tz: Zone) -> String {
    let local = at.with_timezone(&tz);
    format!("{} {}", day(local.date_naive()), local.format("%H:%M"))
}

/// Everything in a coaching document, as either of its people sees it; `today` decides the
/// condition in force.
pub fn coaching(page: &mut Page, c: &Coaching, today: NaiveDate, tz: Zone, names: Names<'_>) {
    let condition = tandem_core::coaching::condition_on(&c.conditions, today);
    page.line(format!(
        "  practitioner {}, coach {}: {}",
        names(&c.practitioner),
        names(&c.coach),
        condition_words(condition)
    ));
    details(page, c, tz, names);
}

/// A coaching document's contents below its first line.
fn details(page: &mut Page, c: &Coaching, tz: Zone, names: Names<'_>) {
    for change in &c.conditions {
        let note = change
            .note
            .as_deref()
            .map(|n| format!(": “{n}”"))
            .unwrap_or_default();
        page.line(format!(
            "  Condition: {} from {}, set by {}{note}",
            spoken(change.condition.as_str()),
            day(change.from),
            names(&change.set_by)
        ));
    }
    page.line(format!(
        "  {}'s own journey: {}",
        names(&c.practitioner),
        if c.journey_shared {
            "shared with the coach, to read"
        } else {
            "not shared"
        }
    ));
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    page.line(format!(
        "  Sessions: {}",
        if c.sessions.is_empty() {
            "none yet".into()
        } else {
            count(c.sessions.len(), "session", "sessions")
        }
    ));
    for session in &c.sessions {
        page.line(format!(
            "    [{}] {} agenda: {}",
            session.id,
            day(session.date),
            session.agenda
        ));
        for comment in &session.comments {
            page.line(format!("      {}: “{}”", names(&comment.by), comment.text));
        }
    }
    if !c.case_reviews.is_empty() {
        page.line(format!(
            "  Case reviews: {}",
            count(c.case_reviews.len(), "case", "cases")
        ));
        for review in &c.case_reviews {
            let notes = review
                .notes
                .as_deref()
                .map(|n| format!(" — {n}"))
                .unwrap_or_default();
            page.line(format!(
                "    [{}] {} client {}: {}{notes}",
                review.id,
                day(review.date),
                review.client_code,
                review.question
            ));
        }
    }
    if !c.goals.is_empty() {
        page.line("  Goals shared from their own journey:");
        for goal in &c.goals {
            let done = goal.steps.iter().filter(|s| s.done).count();
            page.line(format!(
                "    “{}” ({}, importance {}, confidence {}; {done} of {} steps done)",
                goal.text,
                goal.status.as_str(),
                goal.importance,
                goal.confidence,
                goal.steps.len()
            ));
        }
    }
    page.line(format!(
        "  Reflections shared: {}",
        if c.reflections.is_empty() {
            "none".into()
        } else {
            c.reflections.len().to_string()
        }
    ));
    for shared in &c.reflections {
        shared_reflection(page, shared, "    ");
    }
    if !c.wellbeing.is_empty() {
        page.line("  Wellbeing shared:");
        for entry in &c.wellbeing {
            page.line(format!("    {}", shared_wellbeing_line(entry)));
        }
        if c.wellbeing.iter().any(|e| e.who5_percent.is_some()) {
            page.line(format!("    {WHO5_CREDIT}"));
        }
    }
    let about_coach: Vec<&AllianceCheckIn> = c
        .alliance
        .iter()
        .filter(|a| a.by == c.practitioner)
        .collect();
    if !about_coach.is_empty() {
        page.line(format!(
            "  Alliance check-ins ({} about the coaching):",
            names(&c.practitioner)
        ));
        for check_in in about_coach {
            page.line(format!("    {}", alliance_line(check_in, false)));
        }
    }
    page.line(format!(
        "  Parallel summaries shared: {}",
        if c.summaries.is_empty() {
            "none".into()
        } else {
            c.summaries.len().to_string()
        }
    ));
    for shared in &c.summaries {
        summary(page, shared, tz, "    ");
    }
}

/// A coach's overview regrouped by the condition in force on `today` (the core groups by the
/// computer's clock; the command line's day may be `--now`'s).
pub fn by_condition(overview: CoachOverview, today: NaiveDate) -> CoachOverview {
    let mut all: Vec<Coaching> = overview
        .groups
        .into_iter()
        .flat_map(|g| g.practitioners)
        .collect();
    for coaching in &mut all {
        coaching.condition = tandem_core::coaching::condition_on(&coaching.conditions, today);
    }
    all.sort_by(|a, b| (a.condition, &a.practitioner).cmp(&(b.condition, &b.practitioner)));
    let mut groups: Vec<ConditionGroup> = Vec::new();
    for coaching in all {
        match groups.last_mut() {
            Some(g) if g.condition == coaching.condition => g.practitioners.push(coaching),
            _ => groups.push(ConditionGroup {
                condition: coaching.condition,
                practitioners: vec![coaching],
            }),
        }
    }
    CoachOverview { groups }
}

/// A coach's overview: each practitioner's coaching, grouped by the condition in force.
pub fn overview(page: &mut Page, overview: &CoachOverview, tz: Zone, names: Names<'_>) {
    let groups = &overview.groups;
    page.line("What the practitioners you coach chose to share with you, by coaching condition.");
    page.line(
        "Client figures in it are aggregates their devices computed over at least three clients;",
    );
    page.line("no client's own data ever reaches you.");
    if groups.is_empty() {
        page.blank();
        page.line("Nobody yet: invite a practitioner with `tandem invite practitioner`, then `tandem sync`.");
    }
    for group in groups {
        page.blank();
        page.heading(condition_heading(group.condition));
        for (n, coaching_doc) in group.practitioners.iter().enumerate() {
            if n > 0 {
                page.blank();
            }
            page.line(names(&coaching_doc.practitioner));
            details(page, coaching_doc, tz, names);
        }
    }
}
