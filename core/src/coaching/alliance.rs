//! Ruptures in a working alliance.
//!
//! A check-in shows a rupture when the person flagged that something felt off, or when its
//! score (the mean of the three items) falls well below their own running level: at least
//! [`DROP_POINTS`] under the mean of their previous [`RUNNING_WINDOW`] check-ins in the same
//! relationship, once there are at least [`MIN_HISTORY`] of them. The level is the person's
//! own, so someone who always answers 6 is not in rupture at 6.

use chrono::NaiveDate;
use serde::Serialize;

use super::AllianceCheckIn;

/// How far below the running level (in points of the 0–10 score) counts as a rupture.
pub const DROP_POINTS: f64 = 2.0;
/// How many earlier check-ins make the running level.
pub const RUNNING_WINDOW: usize = 4;
/// How many earlier check-ins are needed before a drop can count.
pub const MIN_HISTORY: usize = 2;

/// One rupture, and whether it was repaired.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rupture {
    pub check_in_id: String,
    pub date: NaiveDate,
    /// The person flagged "something felt off".
    pub flagged: bool,
    pub score: f64,
    /// The running level it is compared with, when there was enough history.
    pub running_level: Option<f64>,
    /// The score fell at least [`DROP_POINTS`] below the running level.
    pub dropped: bool,
    /// A repair note was written.
    pub repaired: bool,
}

/// The ruptures among one person's check-ins in one relationship (any order), oldest first.
pub fn ruptures(check_ins: &[AllianceCheckIn]) -> Vec<Rupture> {
    let mut sorted: Vec<&AllianceCheckIn> = check_ins.iter().collect();
    sorted.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    let mut out = Vec::new();
    for (i, check_in) in sorted.iter().enumerate() {
        let earlier = &sorted[i.saturating_sub(RUNNING_WINDOW)..i];
        let running_level = (earlier.len() >= MIN_HISTORY)
            .then(|| earlier.iter().map(|c| c.score()).sum::<f64>() / earlier.len() as f64);
        let score = check_in.score();
        // A small tolerance, so 7.0 - 5.0 counts as the two points it is.
        let dropped = running_level.is_some_and(|level| score <= level - DROP_POINTS + 1e-9);
        if check_in.felt_off || dropped {
            out.push(Rupture {
                check_in_id: check_in.id.clone(),
                date: check_in.date,
                flagged: check_in.felt_off,
                score,
                running_level,
                dropped,
                repaired: check_in
                    .repair_note
                    .as_deref()
                    .is_some_and(|n| !n.trim().is_empty()),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_in(day: u32, items: (u8, u8, u8), felt_off: bool) -> AllianceCheckIn {
        AllianceCheckIn {
            id: format!("a{day:02}"),
            date: NaiveDate::from_ymd_opt(2026, 11, day).unwrap(),
            by: "c1".into(),
            goals: items.0,
            tasks: items.1,
            bond: items.2,
            felt_off,
            repair_note: None,
        }
    }

    #[test]
    fn a_flag_or_a_drop_below_the_persons_own_level_is_a_rupture() {
        let history = vec![
            check_in(2, (8, 8, 8), false),  // 8.0, no history
            check_in(9, (7, 7, 7), false),  // 7.0, one earlier: not enough
            check_in(16, (5, 5, 6), false), // 5.33, level 7.5: drop of 2.17 → rupture
            check_in(23, (6, 6, 6), true),  // flagged; level (8+7+5.33)/3 = 6.78, drop 0.78
            check_in(30, (6, 6, 6), false), // level (8+7+5.33+6)/4 = 6.58: no rupture
        ];
        let found = ruptures(&history);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].check_in_id, "a16");
        assert!(found[0].dropped && !found[0].flagged);
        assert!((found[0].running_level.unwrap() - 7.5).abs() < 1e-9);
        assert_eq!(found[1].check_in_id, "a23");
        assert!(found[1].flagged && !found[1].dropped);
    }

    #[test]
    fn someone_who_always_answers_low_is_not_in_rupture_at_their_usual_level() {
        let history: Vec<_> = (1..=6).map(|d| check_in(d, (4, 4, 4), false)).collect();
        assert!(ruptures(&history).is_empty());
    }
}
