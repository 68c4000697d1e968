//! The readable report: one HTML file, no scripts and nothing fetched, its charts inline SVG,
//! each chart also said in words (a table or a sentence) so nothing rests on seeing colour.
//! Made for a person to read, print, or hand to their practitioner.

use std::fmt::Write;

use crate::zone::Zone;
use chrono::{Days, NaiveDate};

use super::MyData;
use crate::journey::insights::{insights, week_start, Insights, Metric, RatingTrend, WeekInsight};

/// How many weeks the completion chart shows.
const WEEKS: u64 = 12;

/// Where the report's recent insights start: the Monday `WEEKS - 1` weeks before this week's.
pub(super) fn insights_from(today: NaiveDate) -> NaiveDate {
    week_start(today)
        .checked_sub_days(Days::new(7 * (WEEKS - 1)))
        .unwrap_or(today)
}

/// Text made safe for HTML.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A word of the documents ("low_mood") as a person reads it ("low mood").
fn words(word: &str) -> String {
    word.replace('_', " ")
}

fn percent(rate: Option<f64>) -> String {
    rate.map_or("–".into(), |r| format!("{:.0} %", r * 100.0))
}

const STYLE: &str = "
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif;
  color: #1b1d21; background: #fff; margin: 0; line-height: 1.5; }
main { max-width: 46rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
h1 { font-size: 1.8rem; margin: 0 0 .25rem; }
h2 { font-size: 1.3rem; margin: 2.5rem 0 .5rem; border-bottom: 2px solid #d7dbe0; padding-bottom: .25rem; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 .25rem; }
.meta { color: #4a5058; margin: 0; }
.note { background: #f3f5f7; border-left: 4px solid #3d5a80; padding: .75rem 1rem; margin: 1rem 0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .95rem; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #e3e6ea; vertical-align: top; }
th { font-weight: 600; color: #33383f; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
ul { padding-left: 1.25rem; }
.empty { color: #4a5058; font-style: italic; }
svg { display: block; max-width: 100%; height: auto; margin: .5rem 0; }
svg text { font-family: inherit; font-size: 12px; fill: #33383f; }
@media print { h2 { break-after: avoid; } section { break-inside: avoid-page; } }
";

/// The report of `data`.
pub(super) fn html(data: &MyData) -> String {
    let j = &data.journey;
    let tz: Zone = j.time_zone.parse().unwrap_or_else(|_| Zone::utc());
    let today = data.exported_at.with_timezone(&tz).date_naive();
    let first = data
        .check_ins
        .first()
        .map(|c| c.date)
        .into_iter()
        .chain(j.reviews.first().map(|r| r.date))
        .min()
        .unwrap_or(today)
        .min(today);
    let whole = insights(j, &data.check_ins, first, today, data.exported_at, tz);
    // The last weeks, from the first one with a check-in or a plan.
    let started = j
        .plans
        .iter()
        .map(|p| p.start)
        .chain([first])
        .min()
        .unwrap_or(first);
    let from = insights_from(today).max(week_start(started)).min(today);
    let recent = insights(j, &data.check_ins, from, today, data.exported_at, tz);

    let mut h = String::new();
    let title = match &data.name {
        Some(name) => format!("{}'s Tandem journey", esc(name)),
        None => "My Tandem journey".to_string(),
    };
    let _ = write!(
        h,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><style>{STYLE}</style></head><body><main>\
         <h1>{title}</h1>\
         <p class=\"meta\">Exported {} · time zone {} · {} check-ins since {}</p>\
         <p class=\"note\">This report holds personal things. Keep it somewhere safe, and share \
         it only with people you choose. Tandem is not monitored and is not an emergency \
         service.</p>",
        data.exported_at
            .with_timezone(&tz)
            .format("%-d %B %Y, %H:%M"),
        esc(&j.time_zone),
        data.check_ins.len(),
        first.format("%-d %B %Y"),
    );

    // Stage 1: values, strengths, supports, vision.
    h.push_str("<section><h2>What matters to me</h2>");
    if let Some(vision) = j.visions.last() {
        let _ = write!(
            h,
            "<h3>My vision</h3><p>{}</p><p class=\"meta\">Written {}</p>",
            esc(&vision.text),
            vision.written_on.format("%-d %B %Y")
        );
    }
    list(
        &mut h,
        "Values",
        j.values.iter().map(|v| {
            format!(
                "{} <span class=\"meta\">({}, importance {}/10)</span>",
                esc(&v.text),
                esc(&words(v.life_area.as_str())),
                v.importance
            )
        }),
    );
    list(
        &mut h,
        "Strengths",
        j.strengths.iter().map(|s| match &s.example {
            Some(example) => format!("{} — <i>{}</i>", esc(&s.text), esc(example)),
            None => esc(&s.text),
        }),
    );
    list(
        &mut h,
        "Supports",
        j.supports.iter().map(|s| match &s.note {
            Some(note) => format!(
                "{} ({}) — {}",
                esc(&s.name),
                esc(&words(s.kind.as_str())),
                esc(note)
            ),
            None => format!("{} ({})", esc(&s.name), esc(&words(s.kind.as_str()))),
        }),
    );
    h.push_str("</section>");

    // Stage 2: goals.
    h.push_str("<section><h2>My goals</h2>");
    if j.goals.is_empty() {
        h.push_str("<p class=\"empty\">No goals yet.</p>");
    }
    for g in &j.goals {
        let _ = write!(
            h,
            "<h3>{}</h3><p class=\"meta\">{} · importance {}/10 · confidence {}/10{}</p>",
            esc(&g.text),
            esc(&words(g.status.as_str())),
            g.importance,
            g.confidence,
            g.target_date
                .map(|d| format!(" · by {}", d.format("%-d %B %Y")))
                .unwrap_or_default()
        );
        if !g.steps.is_empty() {
            h.push_str("<ul>");
            for s in &g.steps {
                let mark = if s.done { "✓ done" } else { "to do" };
                let _ = write!(
                    h,
                    "<li>{} <span class=\"meta\">({mark})</span></li>",
                    esc(&s.text)
                );
            }
            h.push_str("</ul>");
        }
    }
    h.push_str("</section>");

    // Stage 3: action plans.
    h.push_str("<section><h2>My action plans</h2>");
    if j.plans.is_empty() {
        h.push_str("<p class=\"empty\">No action plans yet.</p>");
    } else {
        h.push_str("<table><tr><th>Plan</th><th>When</th><th>Since</th></tr>");
        for p in &j.plans {
            let times: Vec<String> = p
                .schedule
                .times
                .iter()
                .map(|t| t.format("%H:%M").to_string())
                .collect();
            let when = format!(
                "{}{}",
                super::csv::repeat(&p.schedule.repeat),
                if times.is_empty() {
                    String::new()
                } else {
                    format!(" at {}", times.join(", "))
                }
            );
            let since = match p.end {
                Some(end) => format!(
                    "{} – {} (ended)",
                    p.start.format("%-d %b %Y"),
                    end.format("%-d %b %Y")
                ),
                None => p.start.format("%-d %b %Y").to_string(),
            };
            let _ = write!(
                h,
                "<tr><td>{}{}</td><td>{}</td><td>{}</td></tr>",
                esc(&p.what),
                p.place
                    .as_deref()
                    .map(|w| format!(" <span class=\"meta\">at {}</span>", esc(w)))
                    .unwrap_or_default(),
                esc(&when),
                since
            );
        }
        h.push_str("</table>");
    }
    h.push_str("</section>");

    // Stage 4: how it went.
    let _ = write!(
        h,
        "<section><h2>How it went, week by week</h2><p class=\"meta\">{} to {} (at most the \
         last {WEEKS} weeks)</p>",
        from.format("%-d %B %Y"),
        today.format("%-d %B %Y")
    );
    weeks_chart(&mut h, &recent.per_week);
    plans_table(&mut h, &recent);
    reasons(&mut h, &recent);
    h.push_str("</section>");

    h.push_str("<section><h2>Reviews</h2>");
    // The journey as a whole first, then each goal reviewed, as the core orders them.
    let mut reviewed: Vec<Option<&str>> = Vec::new();
    for t in &whole.trends {
        if !reviewed.contains(&t.goal_id.as_deref()) {
            reviewed.push(t.goal_id.as_deref());
        }
    }
    for (n, goal) in reviewed.into_iter().enumerate() {
        let of = match goal {
            None => "the whole journey".to_string(),
            Some(id) => j.goal(id).map_or("a goal".to_string(), |g| g.text.clone()),
        };
        let lines: Vec<&RatingTrend> = whole
            .trends
            .iter()
            .filter(|t| t.goal_id.as_deref() == goal && t.metric != Metric::Attainment)
            .collect();
        trends_chart(&mut h, n, &of, &lines);
    }
    if j.reviews.is_empty() {
        h.push_str("<p class=\"empty\">No reviews yet.</p>");
    } else {
        h.push_str(
            "<table><tr><th>Date</th><th>Of</th><th class=\"n\">Motivation</th>\
             <th class=\"n\">Confidence</th><th class=\"n\">Progress</th><th>Note</th></tr>",
        );
        for r in j.reviews.iter().rev() {
            let of = r
                .goal_id
                .as_deref()
                .and_then(|id| j.goal(id))
                .map_or("the whole journey".to_string(), |g| g.text.clone());
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
                 <td class=\"n\">{}</td><td>{}</td></tr>",
                r.date.format("%-d %b %Y"),
                esc(&of),
                r.motivation,
                r.confidence,
                r.progress,
                esc(r.note.as_deref().unwrap_or(""))
            );
        }
        h.push_str("</table>");
    }
    h.push_str("</section>");

    if !data.wellbeing.is_empty() {
        h.push_str(
            "<section><h2>Wellbeing</h2><p class=\"meta\">WHO-5 Well-Being Index © World Health \
             Organization (0–100, higher is better); stress and burnout 0–10.</p>\
             <table><tr><th>Date</th><th class=\"n\">WHO-5</th><th class=\"n\">Stress</th>\
             <th class=\"n\">Burnout</th></tr>",
        );
        for w in data.wellbeing.iter().rev() {
            let show = |v: Option<u8>| v.map_or("–".to_string(), |v| v.to_string());
            let _ = write!(
                h,
                "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                w.date.format("%-d %b %Y"),
                show(w.who5_percent()),
                show(w.stress),
                show(w.burnout)
            );
        }
        h.push_str("</table></section>");
    }

    if !data.reflections.is_empty() {
        h.push_str("<section><h2>My reflections</h2>");
        for r in data.reflections.iter().rev() {
            let shared = if r.shared_in.is_empty() {
                "private"
            } else {
                "shared with my coach"
            };
            let _ = write!(
                h,
                "<h3>{}</h3><p>{}</p><p><i>{}</i></p>{}",
                r.date.format("%-d %B %Y"),
                esc(&r.what_happened),
                esc(&r.my_reaction),
                format_args!(
                    "<p class=\"meta\">{}{}</p>",
                    r.pattern
                        .as_deref()
                        .map(|p| format!("Pattern: {} · ", esc(p)))
                        .unwrap_or_default(),
                    shared
                )
            );
        }
        h.push_str("</section>");
    }

    h.push_str("<section><h2>People and what I agreed to share</h2>");
    if data.people.is_empty() {
        h.push_str("<p class=\"empty\">I use Tandem on my own: nothing is shared.</p>");
    }
    for p in &data.people {
        let who = p
            .name
            .clone()
            .unwrap_or_else(|| format!("someone ({})", words(p.role.as_str())));
        let _ = write!(
            h,
            "<h3>{} <span class=\"meta\">({})</span></h3>",
            esc(&who),
            esc(&words(p.role.as_str()))
        );
        if p.consents.is_empty() {
            h.push_str("<p class=\"empty\">No consent records.</p>");
        }
        for c in &p.consents {
            let said = consent_words(&c.what, c.who == data.person_id, &who);
            let _ = write!(
                h,
                "<p>{}: {} (consent text version {})</p>{}",
                c.when.with_timezone(&tz).format("%-d %B %Y"),
                esc(&said),
                esc(&c.text_version),
                if c.text.is_empty() {
                    String::new()
                } else {
                    format!("<p class=\"note\">{}</p>", esc(&c.text))
                }
            );
        }
    }
    if !data.alliance.is_empty() {
        h.push_str(
            "<h3>How our work together felt</h3><table><tr><th>Date</th><th>With</th>\
             <th class=\"n\">Goals</th><th class=\"n\">Tasks</th><th class=\"n\">Bond</th><th>Felt off</th></tr>",
        );
        for a in data.alliance.iter().rev() {
            let c = &a.check_in;
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
                 <td class=\"n\">{}</td><td>{}</td></tr>",
                c.date.format("%-d %b %Y"),
                esc(a.about_name.as_deref().unwrap_or("–")),
                c.goals,
                c.tasks,
                c.bond,
                if c.felt_off { "yes" } else { "no" }
            );
        }
        h.push_str("</table>");
    }
    h.push_str("</section>");
    h.push_str(
        "<p class=\"meta\">Made by Tandem. Everything in it is also in tandem-export.json and the \
         CSV files beside it.</p></main></body></html>\n",
    );
    h
}

/// A consent record in a sentence: who agreed to share (or stopped sharing) what.
fn consent_words(what: &str, by_me: bool, other: &str) -> String {
    let thing = words(what.trim_end_matches("_withdrawn"));
    match (what.ends_with("_withdrawn"), by_me) {
        (true, true) => format!("I stopped sharing my {thing} with {other}"),
        (true, false) => format!("{other} stopped sharing their {thing} with me"),
        (false, true) => format!("I agreed to share my {thing} with {other}"),
        (false, false) => format!("{other} agreed to share their {thing} with me"),
    }
}

fn list(h: &mut String, heading: &str, items: impl Iterator<Item = String>) {
    let items: Vec<String> = items.collect();
    let _ = write!(h, "<h3>{heading}</h3>");
    if items.is_empty() {
        let _ = write!(h, "<p class=\"empty\">None yet.</p>");
        return;
    }
    h.push_str("<ul>");
    for item in items {
        let _ = write!(h, "<li>{item}</li>");
    }
    h.push_str("</ul>");
}

// Colours: the primary for done, a lighter shade with stripes for partly (not colour alone:
// each bar is also labelled, and the table says the same).
const DONE: &str = "#3d5a80";
const PARTLY: &str = "#98b4d4";
const GRID: &str = "#d7dbe0";

/// Bars of each week's completion: done, then partly, out of what was planned.
fn weeks_chart(h: &mut String, weeks: &[WeekInsight]) {
    if weeks.iter().all(|w| w.completion.planned == 0) {
        h.push_str("<p class=\"empty\">Nothing was planned in these weeks.</p>");
        return;
    }
    let (bar, gap, top, height) = (40.0, 14.0, 20.0, 160.0);
    let width = 40.0 + weeks.len() as f64 * (bar + gap);
    let total_height = top + height + 40.0;
    let _ = write!(
        h,
        "<svg viewBox=\"0 0 {width} {total_height}\" width=\"{width}\" role=\"img\" \
         aria-labelledby=\"weeks-title\"><title id=\"weeks-title\">Each week: the share of \
         planned times done (dark) and partly done (striped)</title>\
         <defs><pattern id=\"stripes\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" \
         patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"{PARTLY}\"/>\
         <line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#fff\" stroke-width=\"2\"/></pattern></defs>"
    );
    for pct in [0, 50, 100] {
        let y = top + height * (1.0 - pct as f64 / 100.0);
        let _ = write!(
            h,
            "<line x1=\"36\" x2=\"{width}\" y1=\"{y}\" y2=\"{y}\" stroke=\"{GRID}\"/>\
             <text x=\"32\" y=\"{}\" text-anchor=\"end\">{pct}%</text>",
            y + 4.0
        );
    }
    for (i, w) in weeks.iter().enumerate() {
        let c = &w.completion;
        let x = 40.0 + i as f64 * (bar + gap) + gap / 2.0;
        let planned = c.planned.max(1) as f64;
        let done_h = height * c.done as f64 / planned;
        let partly_h = height * c.partly as f64 / planned / 2.0;
        let base = top + height;
        let _ = write!(
            h,
            "<rect x=\"{x}\" y=\"{}\" width=\"{bar}\" height=\"{done_h}\" fill=\"{DONE}\"/>\
             <rect x=\"{x}\" y=\"{}\" width=\"{bar}\" height=\"{partly_h}\" fill=\"url(#stripes)\"/>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            base - done_h,
            base - done_h - partly_h,
            x + bar / 2.0,
            base - done_h - partly_h - 5.0,
            percent(c.rate),
            x + bar / 2.0,
            base + 16.0,
            w.week_start.format("%-d %b"),
        );
    }
    h.push_str("</svg>");
    h.push_str(
        "<table><tr><th>Week of</th><th class=\"n\">Planned</th><th class=\"n\">Done</th>\
         <th class=\"n\">Partly</th><th class=\"n\">Not done</th><th class=\"n\">No answer</th>\
         <th class=\"n\">Completion</th></tr>",
    );
    for w in weeks {
        let c = &w.completion;
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            w.week_start.format("%-d %b %Y"),
            c.planned,
            c.done,
            c.partly,
            c.not_done,
            c.unanswered,
            percent(c.rate)
        );
    }
    h.push_str("</table>");
}

fn plans_table(h: &mut String, recent: &Insights) {
    if recent.per_plan.is_empty() {
        return;
    }
    h.push_str(
        "<h3>Each plan</h3><table><tr><th>Plan</th><th class=\"n\">Completion</th>\
         <th class=\"n\">Streak now</th><th class=\"n\">Longest streak</th></tr>",
    );
    for p in &recent.per_plan {
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&p.what),
            percent(p.completion.rate),
            p.current_streak,
            p.longest_streak
        );
    }
    h.push_str("</table>");
}

fn reasons(h: &mut String, recent: &Insights) {
    if recent.reasons.is_empty() {
        return;
    }
    let most = recent
        .reasons
        .iter()
        .map(|r| r.count)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let row = 26.0;
    let height = recent.reasons.len() as f64 * row + 8.0;
    let _ = write!(
        h,
        "<h3>What got in the way</h3><svg viewBox=\"0 0 560 {height}\" width=\"560\" role=\"img\" \
         aria-labelledby=\"reasons-title\"><title id=\"reasons-title\">Reasons given when a plan \
         was partly or not done, with how often</title>"
    );
    for (i, r) in recent.reasons.iter().enumerate() {
        let y = 4.0 + i as f64 * row;
        let w = 300.0 * r.count as f64 / most;
        let _ = write!(
            h,
            "<text x=\"170\" y=\"{}\" text-anchor=\"end\">{}</text>\
             <rect x=\"180\" y=\"{y}\" width=\"{w}\" height=\"18\" fill=\"{DONE}\"/>\
             <text x=\"{}\" y=\"{}\">{}</text>",
            y + 13.0,
            esc(&words(r.reason.as_str())),
            186.0 + w,
            y + 13.0,
            r.count
        );
    }
    h.push_str("</svg>");
    let _ = write!(
        h,
        "<p class=\"meta\">{}</p>",
        recent
            .reasons
            .iter()
            .map(|r| format!("{}: {}", esc(&words(r.reason.as_str())), r.count))
            .collect::<Vec<_>>()
            .join(" · ")
    );
}

/// Lines of the review ratings (motivation, confidence, progress, 0–10) of `of`; `n` makes
/// the chart's ids unique in the page.
fn trends_chart(h: &mut String, n: usize, of: &str, lines: &[&RatingTrend]) {
    let Some(first) = lines
        .iter()
        .flat_map(|t| t.points.first())
        .map(|p| p.date)
        .min()
    else {
        return;
    };
    let last = lines
        .iter()
        .flat_map(|t| t.points.last())
        .map(|p| p.date)
        .max()
        .unwrap_or(first);
    let span = (last - first).num_days().max(1) as f64;
    let (left, top, width, height) = (40.0, 14.0, 480.0, 150.0);
    // Each line its own dash as well as its own colour.
    let looks = [("#3d5a80", ""), ("#b5541c", "6 4"), ("#2f7a4b", "2 3")];
    let _ = write!(
        h,
        "<h3>Reviews of {}</h3><svg viewBox=\"0 0 {} {}\" width=\"{}\" role=\"img\" \
         aria-labelledby=\"trends-{n}\"><title id=\"trends-{n}\">Motivation, confidence and \
         progress at each review, 0 to 10</title>",
        esc(of),
        left + width + 20.0,
        top + height + 60.0,
        left + width + 20.0
    );
    for v in [0, 5, 10] {
        let y = top + height * (1.0 - v as f64 / 10.0);
        let _ = write!(
            h,
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"{GRID}\"/>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"end\">{v}</text>",
            left + width,
            left - 6.0,
            y + 4.0
        );
    }
    let _ = write!(
        h,
        "<text x=\"{left}\" y=\"{}\">{}</text><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
        top + height + 16.0,
        first.format("%-d %b %Y"),
        left + width,
        top + height + 16.0,
        last.format("%-d %b %Y")
    );
    let mut said = Vec::new();
    for (i, t) in lines.iter().enumerate() {
        let (colour, dash) = looks[i % looks.len()];
        let points: Vec<String> = t
            .points
            .iter()
            .map(|p| {
                let x = left + width * (p.date - first).num_days() as f64 / span;
                let y = top + height * (1.0 - p.value / 10.0);
                format!("{x:.1},{y:.1}")
            })
            .collect();
        let _ = write!(
            h,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2.5\" \
             stroke-dasharray=\"{dash}\"/>",
            points.join(" ")
        );
        for p in &points {
            let (x, y) = p.split_once(',').unwrap_or(("0", "0"));
            let _ = write!(
                h,
                "<circle cx=\"{x}\" cy=\"{y}\" r=\"3\" fill=\"{colour}\"/>"
            );
        }
        let ly = top + height + 36.0;
        let lx = left + i as f64 * 150.0;
        let _ = write!(
            h,
            "<line x1=\"{lx}\" x2=\"{}\" y1=\"{ly}\" y2=\"{ly}\" stroke=\"{colour}\" stroke-width=\"2.5\" \
             stroke-dasharray=\"{dash}\"/><text x=\"{}\" y=\"{}\">{}</text>",
            lx + 24.0,
            lx + 30.0,
            ly + 4.0,
            words(t.metric.as_str())
        );
        said.push(format!(
            "{} from {} to {}",
            words(t.metric.as_str()),
            t.first,
            t.last
        ));
    }
    h.push_str("</svg>");
    let _ = write!(h, "<p class=\"meta\">{}.</p>", said.join("; "));
}
