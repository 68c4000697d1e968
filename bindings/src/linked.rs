//! `LinkedJourney`: another person's journey this store may see (a practitioner's client, a
//! coach's practitioner who shares their own), as far as the server shares it.

use std::sync::Arc;

use crate::convert;
use crate::error::TandemError;
use crate::input::{PlanInput, ReviewInput};
use crate::journey::{into_all, CheckIn, Journey};
use crate::store::TandemStore;
use tandem_core::Store;

/// A linked person's journey, synced to this store. Reading needs a sync to have brought it;
/// writing needs write access (a practitioner on their client's journey), and reaches the
/// person with the next sync.
#[derive(uniffi::Object)]
pub struct LinkedJourney {
    store: Arc<Store>,
    journey_id: String,
}

impl LinkedJourney {
    pub(crate) fn new(store: &TandemStore, journey_id: String) -> Result<Arc<Self>, TandemError> {
        // Checks the id now, so a bad one is refused here rather than on first use.
        store.store().linked_journey(&journey_id)?;
        Ok(Arc::new(LinkedJourney {
            store: store.store(),
            journey_id,
        }))
    }

    fn with<T>(
        &self,
        f: impl FnOnce(tandem_core::relationships::LinkedJourney<'_>) -> tandem_core::Result<T>,
    ) -> Result<T, TandemError> {
        Ok(f(self.store.linked_journey(&self.journey_id)?)?)
    }
}

#[uniffi::export]
impl LinkedJourney {
    /// The journey's document id. Quick.
    pub fn id(&self) -> String {
        self.journey_id.clone()
    }

    /// The journey as last synced; `NotFound` before a sync has brought it. Quick once loaded.
    pub fn journey(&self) -> Result<Journey, TandemError> {
        self.with(|j| j.journey()).map(Journey::from)
    }

    /// Its check-ins dated `from` to `to` (`YYYY-MM-DD`, inclusive). Reads one document per
    /// month of the range: for years, call it off the UI thread.
    pub fn check_ins(&self, from: String, to: String) -> Result<Vec<CheckIn>, TandemError> {
        let (from, to) = (convert::date("from", &from)?, convert::date("to", &to)?);
        self.with(|j| j.check_ins(from, to)).map(into_all)
    }

    /// Agrees a new action plan with the person; returns its id. Quick: one durable write.
    pub fn add_plan(&self, input: PlanInput) -> Result<String, TandemError> {
        let input = input.try_into()?;
        self.with(|j| j.add_plan(&input))
    }

    /// Changes one of the person's plans (a new schedule applies from today).
    /// Quick: one durable write.
    pub fn update_plan(&self, plan_id: String, input: PlanInput) -> Result<(), TandemError> {
        let input = input.try_into()?;
        self.with(|j| j.update_plan(&plan_id, &input))
    }

    /// Adds a review to the person's journey; returns its id. Quick: one durable write.
    pub fn add_review(&self, input: ReviewInput) -> Result<String, TandemError> {
        let input = input.try_into()?;
        self.with(|j| j.add_review(&input))
    }
}
