//! `TandemStore`: a person's store, opened at a path, and the four stages of their journey.
//!
//! Edits are one durable SQLite write each (the budget: p50 ≤ 0.5 ms, p99 ≤ 2 ms on our
//! machines), reads of the journey come from memory: both are fine on a UI thread. Calls that
//! read many months of check-ins say so; network calls are `async` (in `sync.rs`).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::SystemTime;

use tandem_core::journey as core;
use tandem_core::{OpenOptions, Store};

use crate::convert;
use crate::error::TandemError;
use crate::input::*;
use crate::journey::*;
use crate::observe::{self, ChangeObserver, Subscription};
use crate::views::{Insights, Reminder, TodayItem};

/// The person and device a store belongs to.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Identity {
    /// The person's id, the same on all their devices.
    pub person_id: String,
    /// This device's public signing key (base58).
    pub device_key: String,
    /// The person's journey document (what `share` takes to share it).
    pub journey_id: String,
    /// The person's private document, kept on their own devices only.
    pub private_id: String,
}

impl From<tandem_core::Identity> for Identity {
    fn from(i: tandem_core::Identity) -> Self {
        Identity {
            person_id: i.person_id,
            device_key: i.device_key,
            journey_id: i.journey_id,
            private_id: i.private_id,
        }
    }
}

/// A person's local store: their journey through the four stages (strengths and values,
/// goals, action plans, review and monitoring), their check-ins, and sync with their server.
///
/// Everything works offline. Open one per store file and keep it for the life of the app; it
/// is safe to use from any thread.
#[derive(uniffi::Object)]
pub struct TandemStore {
    inner: Arc<Store>,
}

impl TandemStore {
    pub(crate) fn new(store: Store) -> Arc<Self> {
        Arc::new(TandemStore {
            inner: Arc::new(store),
        })
    }

    /// The core store, for one call (or to move into an async one).
    pub(crate) fn store(&self) -> Arc<Store> {
        self.inner.clone()
    }
}

#[uniffi::export]
impl TandemStore {
    /// Opens the store at `path` (a file, e.g. `<app files>/tandem.db`), creating it with a new
    /// device key, journey and private document if there is none.
    ///
    /// `time_zone` (IANA name, e.g. "Europe/London") is the zone a new journey's plans are
    /// scheduled in: pass the device's. It is ignored when the store exists (see
    /// `set_time_zone`); none means UTC.
    ///
    /// `trusted_certificates` (PEM) are certificates this device trusts for its server
    /// besides the public web's roots: a service's own certificate authority, or the server's
    /// own certificate, pinned. A server whose certificate is trusted by neither is refused
    /// (`Network`, "…has a certificate this device does not trust…"); PEM with no certificate
    /// in it is refused at the first network call.
    ///
    /// `key` opens an encrypted store, and encrypts a plain one in place (see
    /// `open_store_with_vault` for a key the platform keeps); an encrypted store opened without
    /// it, or with another, is refused (`KeyNeeded`, `WrongKey`) and nothing is written.
    ///
    /// Reads the journey from disk: tens of milliseconds for years of daily use. Open it once,
    /// off the UI thread, and keep it.
    #[uniffi::constructor(
        name = "new",
        default(time_zone = None, trusted_certificates = None, key = None)
    )]
    pub fn open(
        path: String,
        time_zone: Option<String>,
        trusted_certificates: Option<String>,
        key: Option<crate::keys::StoreKey>,
    ) -> Result<Arc<Self>, TandemError> {
        let options = OpenOptions {
            time_zone,
            trusted_certificates,
            key: key.map(TryInto::try_into).transpose()?,
            ..OpenOptions::default()
        };
        Ok(TandemStore::new(Store::open(PathBuf::from(path), options)?))
    }

    /// Whether the store is encrypted at rest. Quick.
    pub fn is_encrypted(&self) -> bool {
        self.store().is_encrypted()
    }

    /// The person and device this store belongs to. Quick.
    pub fn identity(&self) -> Result<Identity, TandemError> {
        Ok(self.store().identity().clone().into())
    }

    /// The person's whole journey: values, strengths, supports, visions, goals with their
    /// steps, action plans and reviews (check-ins are read with `check_ins`).
    /// Quick: the journey is held in memory.
    pub fn journey(&self) -> Result<Journey, TandemError> {
        Ok(self.store().journey()?.into())
    }

    /// Changes the time zone plans are scheduled in (IANA name, e.g. "Europe/London"), as when
    /// the person moves. Quick: one durable write.
    pub fn set_time_zone(&self, time_zone: String) -> Result<(), TandemError> {
        Ok(self.store().set_time_zone(&time_zone)?)
    }

    // ----- stage 1: strengths and values, supports, vision -----

    /// Adds a value; returns its id. Quick: one durable write.
    pub fn add_value(&self, input: ValueInput) -> Result<String, TandemError> {
        Ok(self.store().add_value(&input.try_into()?)?)
    }

    /// Changes a value. Quick: one durable write.
    pub fn update_value(&self, id: String, input: ValueInput) -> Result<(), TandemError> {
        Ok(self.store().update_value(&id, &input.try_into()?)?)
    }

    /// Removes a value, and its links from goals. Quick: one durable write.
    pub fn remove_value(&self, id: String) -> Result<(), TandemError> {
        Ok(self.store().remove_value(&id)?)
    }

    /// Adds a strength; returns its id. Quick: one durable write.
    pub fn add_strength(&self, input: StrengthInput) -> Result<String, TandemError> {
        Ok(self.store().add_strength(&input.into())?)
    }

    /// Changes a strength. Quick: one durable write.
    pub fn update_strength(&self, id: String, input: StrengthInput) -> Result<(), TandemError> {
        Ok(self.store().update_strength(&id, &input.into())?)
    }

    /// Removes a strength. Quick: one durable write.
    pub fn remove_strength(&self, id: String) -> Result<(), TandemError> {
        Ok(self.store().remove_strength(&id)?)
    }

    /// Adds a support or resource; returns its id. Quick: one durable write.
    pub fn add_support(&self, input: SupportInput) -> Result<String, TandemError> {
        Ok(self.store().add_support(&input.into())?)
    }

    /// Changes a support. Quick: one durable write.
    pub fn update_support(&self, id: String, input: SupportInput) -> Result<(), TandemError> {
        Ok(self.store().update_support(&id, &input.into())?)
    }

    /// Removes a support. Quick: one durable write.
    pub fn remove_support(&self, id: String) -> Result<(), TandemError> {
        Ok(self.store().remove_support(&id)?)
    }

    /// Writes a new vision dated `written_on` (`YYYY-MM-DD`); earlier visions are kept.
    /// Returns its id. Quick: one durable write.
    pub fn set_vision(&self, text: String, written_on: String) -> Result<String, TandemError> {
        let written_on = convert::date("written_on", &written_on)?;
        Ok(self.store().set_vision(&text, written_on)?)
    }

    // ----- stage 2: goals and their steps -----

    /// Adds a goal (active, without steps); returns its id. Quick: one durable write.
    pub fn add_goal(&self, input: GoalInput) -> Result<String, TandemError> {
        Ok(self.store().add_goal(&input.try_into()?)?)
    }

    /// Changes a goal (its steps and status stay). Quick: one durable write.
    pub fn update_goal(&self, id: String, input: GoalInput) -> Result<(), TandemError> {
        Ok(self.store().update_goal(&id, &input.try_into()?)?)
    }

    /// Pauses, completes, lets go of or reactivates a goal. Quick: one durable write.
    pub fn set_goal_status(&self, id: String, status: GoalStatus) -> Result<(), TandemError> {
        Ok(self.store().set_goal_status(&id, status)?)
    }

    /// Removes a goal; its action plans stay, unlinked from it. Quick: one durable write.
    pub fn remove_goal(&self, id: String) -> Result<(), TandemError> {
        Ok(self.store().remove_goal(&id)?)
    }

    /// Adds a step at the end of a goal's steps; returns its id. Quick: one durable write.
    pub fn add_step(&self, goal_id: String, text: String) -> Result<String, TandemError> {
        Ok(self.store().add_step(&goal_id, &text)?)
    }

    /// Renames a step. Quick: one durable write.
    pub fn rename_step(
        &self,
        goal_id: String,
        step_id: String,
        text: String,
    ) -> Result<(), TandemError> {
        Ok(self.store().rename_step(&goal_id, &step_id, &text)?)
    }

    /// Marks a step done or not done. Quick: one durable write.
    pub fn set_step_done(
        &self,
        goal_id: String,
        step_id: String,
        done: bool,
    ) -> Result<(), TandemError> {
        Ok(self.store().set_step_done(&goal_id, &step_id, done)?)
    }

    /// Moves a step to place `index` among its goal's steps (0 = first); a place past the
    /// last is refused. Quick: one durable write.
    pub fn move_step(
        &self,
        goal_id: String,
        step_id: String,
        index: u32,
    ) -> Result<(), TandemError> {
        let index = usize::try_from(index).unwrap_or(usize::MAX);
        Ok(self.store().move_step(&goal_id, &step_id, index)?)
    }

    /// Removes a step. Quick: one durable write.
    pub fn remove_step(&self, goal_id: String, step_id: String) -> Result<(), TandemError> {
        Ok(self.store().remove_step(&goal_id, &step_id)?)
    }

    // ----- stage 3: action plans -----

    /// Adds an action plan; returns its id. Quick: one durable write.
    pub fn add_plan(&self, input: PlanInput) -> Result<String, TandemError> {
        Ok(self.store().add_plan(&input.try_into()?)?)
    }

    /// Changes a plan. A new schedule applies from today: earlier days keep the schedule they
    /// had, so their check-ins still match. Quick: one durable write.
    pub fn update_plan(&self, id: String, input: PlanInput) -> Result<(), TandemError> {
        Ok(self.store().update_plan(&id, &input.try_into()?)?)
    }

    /// Ends a plan after `last_day` (`YYYY-MM-DD`, inclusive); its check-ins stay.
    /// Quick: one durable write.
    pub fn end_plan(&self, id: String, last_day: String) -> Result<(), TandemError> {
        let last_day = convert::date("last_day", &last_day)?;
        Ok(self.store().end_plan(&id, last_day)?)
    }

    /// Removes a plan; its check-ins no longer count. Quick: one durable write.
    pub fn remove_plan(&self, id: String) -> Result<(), TandemError> {
        Ok(self.store().remove_plan(&id)?)
    }

    // ----- stage 4: review and monitoring -----

    /// Records how an occurrence of a plan went (checking in again on the same occurrence
    /// replaces the first answer). The time may be left out when the plan happens once that
    /// day; a day the plan does not fall on is kept as unplanned. Returns the check-in as
    /// stored. Quick: one or two durable writes.
    pub fn check_in(&self, input: CheckInInput) -> Result<CheckIn, TandemError> {
        let input: core::CheckInInput = input.try_into()?;
        Ok(self.store().check_in(&input)?.into())
    }

    /// Takes back a check-in (undo): the occurrence of `plan_id` on `date` (`YYYY-MM-DD`) at
    /// `time` (`HH:MM`, as the check-in was stored; none for a plan with no set time) has no
    /// answer again. To undo an answer that replaced another, check in the earlier one again.
    /// `NotFound` when it has no check-in. Quick: one durable write.
    pub fn remove_check_in(
        &self,
        plan_id: String,
        date: String,
        time: Option<String>,
    ) -> Result<(), TandemError> {
        let date = convert::date("date", &date)?;
        let time = time.map(|t| convert::time("time", &t)).transpose()?;
        Ok(self.store().remove_check_in(&plan_id, date, time)?)
    }

    /// Adds a review; returns its id. Quick: one durable write.
    pub fn add_review(&self, input: ReviewInput) -> Result<String, TandemError> {
        Ok(self.store().add_review(&input.try_into()?)?)
    }

    /// Removes a review. Quick: one durable write.
    pub fn remove_review(&self, id: String) -> Result<(), TandemError> {
        Ok(self.store().remove_review(&id)?)
    }

    /// Check-ins dated `from` to `to` (`YYYY-MM-DD`, inclusive), by date, time and plan.
    /// Reads one document per month of the range: a few months are quick; for years, call it
    /// off the UI thread.
    pub fn check_ins(&self, from: String, to: String) -> Result<Vec<CheckIn>, TandemError> {
        let (from, to) = (convert::date("from", &from)?, convert::date("to", &to)?);
        Ok(into_all(self.store().check_ins(from, to)?))
    }

    /// Today's occurrences (due, done, missed ...) in the journey's time zone, as of `now`
    /// (default: the current time). Quick: reads this month only.
    #[uniffi::method(default(now = None))]
    pub fn today(&self, now: Option<SystemTime>) -> Result<Vec<TodayItem>, TandemError> {
        let now = convert::instant_or_now("now", now)?;
        Ok(into_all(self.store().today(now)?))
    }

    /// The reminders due after `now` (default: the current time) over the next `days` days
    /// (at most 366), ordered by time: schedule them as local notifications, so they go off
    /// offline. Ask for a week or two and ask again later. Quick.
    #[uniffi::method(default(now = None))]
    pub fn reminders(
        &self,
        days: u32,
        now: Option<SystemTime>,
    ) -> Result<Vec<Reminder>, TandemError> {
        let now = convert::instant_or_now("now", now)?;
        Ok(into_all(self.store().reminders(now, days)?))
    }

    /// Completion, streaks, reasons and rating trends from `from` to `to` (`YYYY-MM-DD`,
    /// inclusive), as of `now` (default: the current time). Reads the check-ins of the range:
    /// for more than a few months, call it off the UI thread.
    #[uniffi::method(default(now = None))]
    pub fn insights(
        &self,
        from: String,
        to: String,
        now: Option<SystemTime>,
    ) -> Result<Insights, TandemError> {
        let (from, to) = (convert::date("from", &from)?, convert::date("to", &to)?);
        let now = convert::instant_or_now("now", now)?;
        Ok(self.store().insights(from, to, now)?.into())
    }

    /// Calls `observer` after every change to the store: `on_change(true)` after an edit made
    /// here (through any object of this store), `on_change(false)` after something from
    /// elsewhere: others' edits a sync stored, or the people linked to this person changing
    /// (someone joined, a share granted or withdrawn). Calls come on a background thread, one at a time;
    /// return quickly and reload on the UI thread. The subscription follows the store across
    /// `join`; it stops when cancelled or dropped. Quick.
    pub fn subscribe_changes(
        &self,
        observer: Arc<dyn ChangeObserver>,
    ) -> Result<Arc<Subscription>, TandemError> {
        observe::follow_changes(&self.inner, observer)
    }
}
