//! A practitioner's own goal shared into a coaching document (transformational coaching
//! only), and withdrawn.

use chrono::{DateTime, Utc};

use crate::coaching::*;
use crate::document::coaching::{self as cdoc};
use crate::document::DocKind;
use crate::error::{Error, Result};
use crate::Store;

impl Store {
    /// Shares one of the practitioner's own goals (with its steps and the plans toward it) into
    /// a coaching document: a part of their journey, in transformational coaching only. Sharing
    /// it again brings the copy up to date; returns the copy's id.
    pub fn share_goal(
        &self,
        goal_id: &str,
        coaching_doc: &str,
        now: DateTime<Utc>,
    ) -> Result<String> {
        self.require_part(
            coaching_doc,
            DocKind::Coaching,
            "practitioner",
            "shares their goals",
        )?;
        let coaching = self.coaching(coaching_doc)?;
        if condition_on(&coaching.conditions, now.date_naive())
            != Some(CoachingCondition::Transformational)
        {
            return Err(Error::NotPermitted(
                "a practitioner shares parts of their own journey in transformational coaching only"
                    .into(),
            ));
        }
        let journey = self.journey()?;
        let goal = journey
            .goal(goal_id)
            .ok_or_else(|| Error::not_found("goal", goal_id))?;
        let copy = SharedGoal {
            id: String::new(),
            source_id: goal.id.clone(),
            shared_at: now,
            text: goal.text.clone(),
            status: goal.status,
            importance: goal.importance,
            confidence: goal.confidence,
            target_date: goal.target_date,
            steps: goal
                .steps
                .iter()
                .map(|s| SharedStep {
                    text: s.text.clone(),
                    done: s.done,
                })
                .collect(),
            plans: journey
                .plans
                .iter()
                .filter(|p| p.goal_id.as_deref() == Some(goal_id))
                .map(|p| p.what.clone())
                .collect(),
        };
        self.edit_relationship(coaching_doc, DocKind::Coaching, |tx| {
            cdoc::put_copy::<SharedGoal, _>(tx, goal_id, &copy, self.now())
        })
    }

    /// Withdraws a shared goal from a coaching document.
    pub fn withdraw_goal(&self, goal_id: &str, coaching_doc: &str) -> Result<()> {
        self.require_part(
            coaching_doc,
            DocKind::Coaching,
            "practitioner",
            "withdraws their goals",
        )?;
        self.remove_copies::<SharedGoal>(coaching_doc, goal_id)
    }
}
