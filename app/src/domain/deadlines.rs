//! The staff deadline a case carries in each state, and how it moves: the regional decision
//! clock runs from filing and stops while the claimant is asked for information (the days
//! waited are added back when they answer); an appeal starts the board's clock; a decision to
//! pay starts the payment clock. Targets come from effective-dated policy data.

use super::policy::{expected_by, Clock, TimeTarget};
use super::status::ClaimStatus;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A due date is "due soon" this many days ahead.
pub const DUE_SOON_DAYS: i64 = 5;

/// The clock state stored on a claim.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Clocks {
    /// When the regional decision clock (re)started counting, pauses added back.
    pub clock_start: Option<NaiveDate>,
    /// Set while the clock is stopped for an information request.
    pub paused_on: Option<NaiveDate>,
    /// The date staff must act by in the current state, if any clock runs.
    pub due_on: Option<NaiveDate>,
}

/// The clocks of a new claim filed (recorded) on `filed_on`.
pub fn on_filing(targets: &[TimeTarget], filed_on: NaiveDate) -> Clocks {
    Clocks {
        clock_start: Some(filed_on),
        paused_on: None,
        due_on: expected_by(targets, Clock::RegionalDecision, filed_on),
    }
}

/// The clocks after a move into `next` on `today`. `pays` says whether a decision to pay is
/// in force (approval, or an appeal decided with an amount).
pub fn after_move(
    targets: &[TimeTarget],
    before: Clocks,
    next: ClaimStatus,
    today: NaiveDate,
    pays: bool,
) -> Clocks {
    use ClaimStatus as S;
    match next {
        S::InfoRequested => Clocks {
            paused_on: Some(today),
            due_on: None,
            ..before
        },
        S::Submitted | S::Screening | S::Referred | S::UnderReview => {
            // Coming back from a pause: the days waited do not count against the office.
            let start = match (before.clock_start, before.paused_on) {
                (Some(start), Some(paused)) => {
                    Some(start + (today - paused).max(chrono::Duration::zero()))
                }
                (start, _) => start,
            };
            Clocks {
                clock_start: start,
                paused_on: None,
                due_on: start.and_then(|s| expected_by(targets, Clock::RegionalDecision, s)),
            }
        }
        S::Appealed => Clocks {
            due_on: expected_by(targets, Clock::AppealDecision, today),
            paused_on: None,
            ..before
        },
        S::Approved | S::AppealDecided if pays => Clocks {
            due_on: expected_by(targets, Clock::Payment, today),
            paused_on: None,
            ..before
        },
        // The payment clock keeps running from the decision until the money is paid.
        S::PaymentOrdered => before,
        _ => Clocks {
            due_on: None,
            paused_on: None,
            ..before
        },
    }
}

/// A claim's time to decision: the regional decision clock runs from a complete petition
/// (`clock_start`, days waiting for the claimant added back; the filing day when none is
/// kept). `days` is how long the decision took (none before one), `target` the days allowed
/// by the target in force when the clock started (none if none was).
pub fn time_to_decision(
    targets: &[TimeTarget],
    filed_on: NaiveDate,
    clock_start: Option<NaiveDate>,
    decided_on: Option<NaiveDate>,
) -> (Option<i64>, Option<i64>) {
    let start = clock_start.unwrap_or(filed_on);
    let days = decided_on.map(|d| (d - start).num_days().max(0));
    let target = super::policy::target_in_force(targets, Clock::RegionalDecision, start).map(|t| t.days);
    (days, target)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DueFlag {
    Overdue,
    DueSoon,
    OnTrack,
}

pub fn flag(due: NaiveDate, today: NaiveDate) -> DueFlag {
    if due < today {
        DueFlag::Overdue
    } else if (due - today).num_days() <= DUE_SOON_DAYS {
        DueFlag::DueSoon
    } else {
        DueFlag::OnTrack
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::policy::default_time_targets;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn an_information_request_stops_the_decision_clock() {
        let t = default_time_targets();
        let filed = on_filing(&t, d(11, 1));
        assert_eq!(filed.due_on, Some(d(12, 1)));
        let waiting = after_move(&t, filed, ClaimStatus::InfoRequested, d(11, 10), false);
        assert_eq!((waiting.due_on, waiting.paused_on), (None, Some(d(11, 10))));
        // Answered 12 days later: the office still has the 21 days it had left.
        let answered = after_move(&t, waiting, ClaimStatus::Screening, d(11, 22), false);
        assert_eq!(answered.due_on, Some(d(12, 13)));
        assert_eq!(answered.paused_on, None);
        // Referral keeps the same clock.
        assert_eq!(
            after_move(&t, answered, ClaimStatus::Referred, d(11, 25), false).due_on,
            Some(d(12, 13))
        );
    }

    #[test]
    fn decisions_start_the_payment_and_appeal_clocks() {
        let t = default_time_targets();
        let c = on_filing(&t, d(10, 1));
        assert_eq!(
            after_move(&t, c, ClaimStatus::Approved, d(10, 20), true).due_on,
            Some(d(11, 19))
        );
        assert_eq!(
            after_move(&t, c, ClaimStatus::Rejected, d(10, 20), false).due_on,
            None,
            "a refusal leaves nothing for staff to do"
        );
        assert_eq!(
            after_move(&t, c, ClaimStatus::Appealed, d(10, 25), false).due_on,
            Some(d(11, 24))
        );
        assert_eq!(
            after_move(&t, c, ClaimStatus::AppealDecided, d(11, 2), false).due_on,
            None
        );
        let approved = after_move(&t, c, ClaimStatus::Approved, d(10, 20), true);
        assert_eq!(
            after_move(&t, approved, ClaimStatus::PaymentOrdered, d(10, 22), true).due_on,
            Some(d(11, 19))
        );
        assert_eq!(
            after_move(&t, approved, ClaimStatus::Paid, d(10, 30), true).due_on,
            None
        );
    }

    #[test]
    fn flags() {
        assert_eq!(flag(d(11, 1), d(11, 2)), DueFlag::Overdue);
        assert_eq!(flag(d(11, 7), d(11, 2)), DueFlag::DueSoon);
        assert_eq!(flag(d(11, 8), d(11, 2)), DueFlag::OnTrack);
    }
}
