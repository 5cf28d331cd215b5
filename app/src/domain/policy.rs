//! Payment categories, the amount ranges in force and the service time targets.
//!
//! Amounts and targets are policy data with effective dates, held in the database so an
//! administrator can change them; the defaults below only seed it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Category {
    /// 1. Death, or permanent disability.
    DeathOrPermanentDisability = 1,
    /// 2. Loss of an organ, or disability.
    OrganLossOrDisability = 2,
    /// 3. Injury or illness needing continued treatment.
    ContinuedTreatment = 3,
}

impl Category {
    pub fn from_number(n: u8) -> Option<Self> {
        match n {
            1 => Some(Self::DeathOrPermanentDisability),
            2 => Some(Self::OrganLossOrDisability),
            3 => Some(Self::ContinuedTreatment),
            _ => None,
        }
    }
    /// The category a stored number names (the database keeps it as a small integer).
    pub fn from_stored(n: i16) -> Option<Self> {
        u8::try_from(n).ok().and_then(Self::from_number)
    }
    pub fn number(self) -> u8 {
        self as u8
    }
    pub fn label_th(self) -> &'static str {
        match self {
            Self::DeathOrPermanentDisability => "เสียชีวิต หรือทุพพลภาพอย่างถาวร",
            Self::OrganLossOrDisability => "สูญเสียอวัยวะ หรือพิการ",
            Self::ContinuedTreatment => "บาดเจ็บหรือเจ็บป่วยต่อเนื่อง",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            Self::DeathOrPermanentDisability => "Death or permanent disability",
            Self::OrganLossOrDisability => "Loss of an organ or disability",
            Self::ContinuedTreatment => "Injury or illness needing continued treatment",
        }
    }
}

/// One effective-dated amount range for a category, in whole baht.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AmountRange {
    pub category: Category,
    pub min_baht: i64,
    pub max_baht: i64,
    pub effective_from: NaiveDate,
}

/// The range in force on a date: the one with the latest `effective_from` not after it.
pub fn range_in_force(
    ranges: &[AmountRange],
    category: Category,
    on: NaiveDate,
) -> Option<&AmountRange> {
    ranges
        .iter()
        .filter(|r| r.category == category && r.effective_from <= on)
        .max_by_key(|r| r.effective_from)
}

/// Whether an amount may be awarded in a category on a date.
pub fn amount_allowed(
    ranges: &[AmountRange],
    category: Category,
    on: NaiveDate,
    baht: i64,
) -> bool {
    range_in_force(ranges, category, on).is_some_and(|r| (r.min_baht..=r.max_baht).contains(&baht))
}

/// The amounts in force per NHSO public material, used to seed the policy table.
pub fn default_amounts() -> Vec<AmountRange> {
    let from = NaiveDate::from_ymd_opt(2012, 1, 1).expect("valid");
    vec![
        AmountRange {
            category: Category::DeathOrPermanentDisability,
            min_baht: 240_000,
            max_baht: 400_000,
            effective_from: from,
        },
        AmountRange {
            category: Category::OrganLossOrDisability,
            min_baht: 100_000,
            max_baht: 240_000,
            effective_from: from,
        },
        AmountRange {
            category: Category::ContinuedTreatment,
            min_baht: 0,
            max_baht: 100_000,
            effective_from: from,
        },
    ]
}

/// The service clocks the claimant is shown as expected dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Clock {
    /// From a complete petition to the regional committee's decision.
    RegionalDecision,
    /// From the claimant receiving the decision to the last day to appeal.
    AppealWindow,
    /// From the appeal to the board's decision.
    AppealDecision,
    /// From a decision to pay (the committee's, or the board's) to the money being paid.
    Payment,
    /// From a decision to proof that the claimant received it (their status page, a return
    /// receipt, a signature). Until then the appeal window has not started.
    NoticeReceipt,
}

impl Clock {
    pub const ALL: [Clock; 5] = [
        Self::RegionalDecision,
        Self::AppealWindow,
        Self::AppealDecision,
        Self::Payment,
        Self::NoticeReceipt,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::RegionalDecision => "regional_decision",
            Self::AppealWindow => "appeal_window",
            Self::AppealDecision => "appeal_decision",
            Self::Payment => "payment",
            Self::NoticeReceipt => "notice_receipt",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.key() == s)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeTarget {
    pub clock: Clock,
    pub days: i64,
    pub effective_from: NaiveDate,
}

pub fn target_in_force(targets: &[TimeTarget], clock: Clock, on: NaiveDate) -> Option<&TimeTarget> {
    targets
        .iter()
        .filter(|t| t.clock == clock && t.effective_from <= on)
        .max_by_key(|t| t.effective_from)
}

/// The date a clock started on `start` is expected to end, if a target is in force.
pub fn expected_by(targets: &[TimeTarget], clock: Clock, start: NaiveDate) -> Option<NaiveDate> {
    target_in_force(targets, clock, start).map(|t| start + chrono::Duration::days(t.days))
}

pub fn default_time_targets() -> Vec<TimeTarget> {
    let from = NaiveDate::from_ymd_opt(2012, 1, 1).expect("valid");
    Clock::ALL
        .into_iter()
        .map(|clock| TimeTarget {
            clock,
            // A registered letter's return receipt is usually back within two weeks.
            days: if clock == Clock::NoticeReceipt {
                15
            } else {
                30
            },
            effective_from: from,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn amounts_follow_the_range_in_force() {
        let mut ranges = default_amounts();
        let c2 = Category::OrganLossOrDisability;
        assert!(amount_allowed(&ranges, c2, d(2026, 1, 1), 150_000));
        assert!(!amount_allowed(&ranges, c2, d(2026, 1, 1), 240_001));
        assert!(!amount_allowed(&ranges, c2, d(2026, 1, 1), 99_999));
        ranges.push(AmountRange {
            category: c2,
            min_baht: 120_000,
            max_baht: 300_000,
            effective_from: d(2027, 1, 1),
        });
        assert!(amount_allowed(&ranges, c2, d(2026, 12, 31), 100_000));
        assert!(!amount_allowed(&ranges, c2, d(2027, 1, 1), 100_000));
        assert!(amount_allowed(&ranges, c2, d(2027, 1, 1), 300_000));
        assert!(
            !amount_allowed(&ranges, c2, d(2011, 1, 1), 150_000),
            "nothing in force before the first range"
        );
    }

    #[test]
    fn expected_dates_come_from_targets() {
        let t = default_time_targets();
        assert_eq!(
            expected_by(&t, Clock::RegionalDecision, d(2026, 11, 22)),
            Some(d(2026, 12, 22))
        );
        assert_eq!(Clock::parse("appeal_window"), Some(Clock::AppealWindow));
    }
}

/// Tries (sign-ins, access codes, API filings) are counted per client or account in windows
/// of this many minutes; one refused may come back when its window ends.
pub const TRY_WINDOW_MINUTES: i64 = 15;
