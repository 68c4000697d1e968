//! `Parallel`: the parallel-process sub-object of a store (`TandemStore.parallel()`): the
//! parallel view (a practitioner's own figures beside their clients'), the summaries of it
//! shared into coaching, a coach's overview and the research export, with their records.
//!
//! Client figures are optional throughout: none means "not enough data", because fewer than
//! three clients contributed (no figure may single a client out). Ranges are `from_date` and
//! `to_date` (`from` is a keyword in Python).

use std::sync::Arc;
use std::time::SystemTime;

use tandem_core::Store;

use tandem_core::parallel::{self as core, export as core_export};

use crate::convert::{self, date_text, system_time};
use crate::error::TandemError;
use crate::input::SummaryChoices;
use crate::journey::{ffi_enum, into_all};
use crate::relationship::{CoachOverview, CoachingCondition};
use crate::runtime::run;
use crate::store::TandemStore;
use crate::views::{Completion, ReasonCount};

/// The parallel process, for one store (see `TandemStore.parallel`). Safe to use from any
/// thread. The view (and sharing a summary of it) reads the check-ins of every client over the
/// range: call it off the UI thread. The research export is `async`.
#[derive(uniffi::Object)]
pub struct Parallel {
    store: Arc<Store>,
}

impl Parallel {
    fn store(&self) -> Arc<Store> {
        self.store.clone()
    }
}

#[uniffi::export]
impl TandemStore {
    /// The parallel view, the summaries shared from it, a coach's overview and the research
    /// export of this store. Quick.
    pub fn parallel(&self) -> Arc<Parallel> {
        Arc::new(Parallel {
            store: self.store(),
        })
    }
}

#[uniffi::export]
impl Parallel {
    /// For a coach: each practitioner's coaching relationship (with what they shared), grouped
    /// by condition; relationships not synced yet are left out. Quick once loaded.
    pub fn coach_overview(&self) -> Result<CoachOverview, TandemError> {
        Ok(self.store().coach_overview()?.into())
    }

    /// The parallel view from `from` to `to` (`YYYY-MM-DD`, inclusive) as of `now` (default:
    /// the current time): this practitioner's own figures beside their clients', from what is
    /// on this device. Client figures are none ("not enough data") where fewer than three
    /// clients contributed. Reads the check-ins of every client over the range: call it off the
    /// UI thread.
    #[uniffi::method(default(now = None))]
    pub fn parallel_view(
        &self,
        from: String,
        to: String,
        now: Option<SystemTime>,
    ) -> Result<ParallelView, TandemError> {
        let (from, to) = (convert::date("from", &from)?, convert::date("to", &to)?);
        let now = convert::instant_or_now("now", now)?;
        Ok(self.store().parallel_view(from, to, now)?.into())
    }

    /// Shares a summary of the parallel view from `from` to `to` (`YYYY-MM-DD`, inclusive)
    /// into a coaching relationship (the practitioner): rates and counts, client figures only
    /// over at least three clients, wellbeing and a note only as `choices` say. Returns its id.
    /// Computes the view first: call it off the UI thread.
    #[uniffi::method(default(now = None))]
    pub fn share_summary(
        &self,
        coaching_doc: String,
        from: String,
        to: String,
        choices: SummaryChoices,
        now: Option<SystemTime>,
    ) -> Result<String, TandemError> {
        let (from, to) = (convert::date("from", &from)?, convert::date("to", &to)?);
        let now = convert::instant_or_now("now", now)?;
        Ok(self
            .store()
            .share_summary(&coaching_doc, from, to, now, &choices.into())?)
    }

    /// Withdraws a shared summary from a coaching relationship. Quick: one durable write.
    pub fn withdraw_summary(
        &self,
        coaching_doc: String,
        summary_id: String,
    ) -> Result<(), TandemError> {
        Ok(self.store().withdraw_summary(&coaching_doc, &summary_id)?)
    }
}

#[uniffi::export]
impl Parallel {
    /// The research export over the summaries shared in this person's coaching relationships
    /// (a coach's: every practitioner's; a practitioner's: their own), for the weeks starting
    /// from `from` to `to` (`YYYY-MM-DD`, inclusive), as of `now` (default: the current time):
    /// the rows, and the same as CSV and JSON. Reads every coaching document: async.
    #[uniffi::method(default(now = None))]
    pub async fn research_export(
        &self,
        from: String,
        to: String,
        now: Option<SystemTime>,
    ) -> Result<ResearchExport, TandemError> {
        let (from, to) = (convert::date("from", &from)?, convert::date("to", &to)?);
        let now = convert::instant_or_now("now", now)?;
        let store = self.store();
        run(async move { Ok(store.research_export(from, to, now)?.into()) }).await
    }
}

ffi_enum!(
    /// What a reflection prompt was raised by.
    PromptKind = core::PromptKind {
        /// Completion fell in the practitioner's own plans and in their clients' in the same week.
        CompletionFellInBoth,
        /// Ruptures in coaching and in client relationships in the same week.
        RupturesInBoth,
        /// The practitioner's most frequent reason is also their clients'.
        SameReason,
        /// Wellbeing fell in a week completion fell.
        WellbeingFell,
    }
);

/// Completion over all clients together (at least three).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ClientCompletion {
    /// How many clients contributed (at least three).
    pub clients: u32,
    pub completion: Completion,
    /// Most frequent first.
    pub reasons: Vec<ReasonCount>,
}

/// Ruptures over all clients' alliance check-ins (at least three clients answering).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ClientRuptures {
    /// How many clients answered alliance check-ins (at least three).
    pub clients: u32,
    pub ruptures: u32,
}

/// Weekly means of the wellbeing entries of one week.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct WellbeingPoint {
    /// 0–100.
    pub who5_percent: Option<f64>,
    /// 0–10.
    pub stress: Option<f64>,
    /// 0–10.
    pub burnout: Option<f64>,
}

/// One week (Monday first, cut by the range) of the parallel view.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ParallelWeek {
    /// The Monday of the week, `YYYY-MM-DD`.
    pub week_start: String,
    pub own: Completion,
    pub own_reasons: Vec<ReasonCount>,
    /// None: not enough data (fewer than three clients had planned occurrences that week).
    pub clients: Option<ClientCompletion>,
    /// None: not enough data (fewer than three clients answered an alliance check-in).
    pub client_ruptures: Option<ClientRuptures>,
    /// Ruptures in the practitioner's own check-ins about their coach.
    pub coaching_ruptures: u32,
    /// None: no wellbeing entry that week.
    pub wellbeing: Option<WellbeingPoint>,
}

/// A question for the practitioner to reflect on, raised by a parallel.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Prompt {
    pub kind: PromptKind,
    /// The Monday of the week it is about, `YYYY-MM-DD`; none for the range as a whole.
    pub week_start: Option<String>,
    pub text: String,
}

/// A practitioner's own figures beside the same figures over their clients, computed on
/// their device, for their eyes first.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ParallelView {
    /// The first day of the range, `YYYY-MM-DD`.
    pub from_date: String,
    /// The last day of the range (inclusive), `YYYY-MM-DD`.
    pub to_date: String,
    /// Every week of the range, oldest first.
    pub weeks: Vec<ParallelWeek>,
    /// Over the whole range.
    pub own: Completion,
    pub own_reasons: Vec<ReasonCount>,
    /// None: not enough data (fewer than three clients had planned occurrences).
    pub clients: Option<ClientCompletion>,
    /// None: not enough data (fewer than three clients answered alliance check-ins).
    pub client_ruptures: Option<ClientRuptures>,
    pub coaching_ruptures: u32,
    /// How many clients the practitioner has (for their eyes only: never shared).
    pub caseload: u32,
    /// Week by week, the range-wide ones last.
    pub prompts: Vec<Prompt>,
}

/// One week of a shared summary: rates and counts only.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SummaryWeek {
    /// `YYYY-MM-DD`.
    pub week_start: String,
    pub own_planned: u32,
    pub own_rate: Option<f64>,
    /// Present only for a week with at least three contributing clients (`clients`).
    pub clients_rate: Option<f64>,
    pub clients: Option<u32>,
    /// Present only for a week with at least three clients answering alliance check-ins
    /// (`rupture_clients`).
    pub client_ruptures: Option<u32>,
    pub rupture_clients: Option<u32>,
    /// The week had not ended when shared: its client figures wait for its end.
    pub week_open: bool,
    pub coaching_ruptures: u32,
    /// Present only when the practitioner chose to share their wellbeing.
    pub wellbeing: Option<WellbeingPoint>,
}

/// A summary of a practitioner's parallel view, as shared into a coaching document.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SharedSummary {
    /// Its id in the coaching document.
    pub id: String,
    pub shared_at: SystemTime,
    /// The first day of the range, `YYYY-MM-DD`.
    pub from_date: String,
    /// The last day of the range (inclusive), `YYYY-MM-DD`.
    pub to_date: String,
    /// The coaching condition when it was shared.
    pub condition: Option<CoachingCondition>,
    pub weeks: Vec<SummaryWeek>,
    /// The practitioner's note, if they wrote one.
    pub note: Option<String>,
    /// The practitioner agreed that the note may go into research exports.
    pub note_for_research: bool,
}

/// One practitioner-week of the research export.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ExportRow {
    /// A code for this export only ("P-" and 8 characters).
    pub practitioner: String,
    /// The coaching condition in force on the week's Monday.
    pub condition: Option<CoachingCondition>,
    /// `YYYY-MM-DD`.
    pub week_start: String,
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

/// A note a practitioner marked for research.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ExportNote {
    pub practitioner: String,
    /// The first day of the range, `YYYY-MM-DD`.
    pub from_date: String,
    /// The last day of the range (inclusive), `YYYY-MM-DD`.
    pub to_date: String,
    pub note: String,
}

/// The research export: per-practitioner weeks by coaching condition, with no names, no ids
/// and no free text the practitioner did not mark for research. Practitioner codes hold for
/// this export only.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ResearchExport {
    pub generated_at: SystemTime,
    /// The first day of the range, `YYYY-MM-DD`.
    pub from_date: String,
    /// The last day of the range (inclusive), `YYYY-MM-DD`.
    pub to_date: String,
    /// Credits for the measures the figures use (show or save them with the data).
    pub credits: Vec<String>,
    /// By practitioner code, then week.
    pub rows: Vec<ExportRow>,
    pub notes: Vec<ExportNote>,
    /// The rows as CSV: a header line, then one line per row; empty cells where a figure is
    /// not available; rates as fractions with three decimals.
    pub csv: String,
    /// The whole export as JSON, grouped by condition, then practitioner.
    pub json: String,
}

// ----- from the core -----

impl From<core::ClientCompletion> for ClientCompletion {
    fn from(c: core::ClientCompletion) -> Self {
        ClientCompletion {
            clients: c.clients,
            completion: c.completion.into(),
            reasons: into_all(c.reasons),
        }
    }
}

impl From<core::ClientRuptures> for ClientRuptures {
    fn from(r: core::ClientRuptures) -> Self {
        ClientRuptures {
            clients: r.clients,
            ruptures: r.ruptures,
        }
    }
}

impl From<core::WellbeingPoint> for WellbeingPoint {
    fn from(w: core::WellbeingPoint) -> Self {
        WellbeingPoint {
            who5_percent: w.who5_percent,
            stress: w.stress,
            burnout: w.burnout,
        }
    }
}

impl From<core::ParallelWeek> for ParallelWeek {
    fn from(w: core::ParallelWeek) -> Self {
        ParallelWeek {
            week_start: date_text(w.week_start),
            own: w.own.into(),
            own_reasons: into_all(w.own_reasons),
            clients: w.clients.map(ClientCompletion::from),
            client_ruptures: w.client_ruptures.map(ClientRuptures::from),
            coaching_ruptures: w.coaching_ruptures,
            wellbeing: w.wellbeing.map(WellbeingPoint::from),
        }
    }
}

impl From<core::Prompt> for Prompt {
    fn from(p: core::Prompt) -> Self {
        Prompt {
            kind: p.kind,
            week_start: p.week_start.map(date_text),
            text: p.text,
        }
    }
}

impl From<core::ParallelView> for ParallelView {
    fn from(v: core::ParallelView) -> Self {
        ParallelView {
            from_date: date_text(v.from),
            to_date: date_text(v.to),
            weeks: into_all(v.weeks),
            own: v.own.into(),
            own_reasons: into_all(v.own_reasons),
            clients: v.clients.map(ClientCompletion::from),
            client_ruptures: v.client_ruptures.map(ClientRuptures::from),
            coaching_ruptures: v.coaching_ruptures,
            caseload: v.caseload,
            prompts: into_all(v.prompts),
        }
    }
}

impl From<core::SummaryWeek> for SummaryWeek {
    fn from(w: core::SummaryWeek) -> Self {
        SummaryWeek {
            week_start: date_text(w.week_start),
            own_planned: w.own_planned,
            own_rate: w.own_rate,
            clients_rate: w.clients_rate,
            clients: w.clients,
            client_ruptures: w.client_ruptures,
            rupture_clients: w.rupture_clients,
            week_open: w.week_open,
            coaching_ruptures: w.coaching_ruptures,
            wellbeing: w.wellbeing.map(WellbeingPoint::from),
        }
    }
}

impl From<core::SharedSummary> for SharedSummary {
    fn from(s: core::SharedSummary) -> Self {
        SharedSummary {
            id: s.id,
            shared_at: system_time(s.shared_at),
            from_date: date_text(s.from),
            to_date: date_text(s.to),
            condition: s.condition,
            weeks: into_all(s.weeks),
            note: s.note,
            note_for_research: s.note_for_research,
        }
    }
}

impl From<core_export::ExportRow> for ExportRow {
    fn from(r: core_export::ExportRow) -> Self {
        ExportRow {
            practitioner: r.practitioner,
            condition: r.condition,
            week_start: date_text(r.week_start),
            own_planned: r.own_planned,
            own_rate: r.own_rate,
            clients_rate: r.clients_rate,
            clients: r.clients,
            client_ruptures: r.client_ruptures,
            coaching_ruptures: r.coaching_ruptures,
            who5_percent: r.who5_percent,
            stress: r.stress,
            burnout: r.burnout,
        }
    }
}

impl From<core_export::ExportNote> for ExportNote {
    fn from(n: core_export::ExportNote) -> Self {
        ExportNote {
            practitioner: n.practitioner,
            from_date: date_text(n.from),
            to_date: date_text(n.to),
            note: n.note,
        }
    }
}

impl From<core_export::ResearchExport> for ResearchExport {
    fn from(e: core_export::ResearchExport) -> Self {
        let (csv, json) = (e.to_csv(), e.to_json());
        ResearchExport {
            generated_at: system_time(e.generated_at),
            from_date: date_text(e.from),
            to_date: date_text(e.to),
            credits: e.credits,
            rows: into_all(e.rows),
            notes: into_all(e.notes),
            csv,
            json,
        }
    }
}
