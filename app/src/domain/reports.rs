//! The office's report (issue "Letters, reports and open statistics"): for a region or the
//! country, a fiscal year or one month of it, what came in, what was decided and paid, how
//! long decisions took against the target, what is overdue, and how appeals went. Staff see
//! the cases behind these figures anyway, so nothing is suppressed here; who may see which
//! region is the queue's rule, applied before the facts reach this module.

use super::intake::Channel;
use super::policy::Category;
use super::stats::fiscal_year;
use super::Relation;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// What the report needs of one claim.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Facts {
    pub received_on: NaiveDate,
    pub channel: Channel,
    pub relation: Relation,
    /// The decision: its day, category and amount when it pays, and the days it took.
    pub decided_on: Option<NaiveDate>,
    pub category: Option<Category>,
    pub amount: Option<i64>,
    pub days: Option<i64>,
    pub target_days: Option<i64>,
    pub overdue: bool,
    pub appealed_on: Option<NaiveDate>,
    /// The appeal board's decision: its day, and whether it pays.
    pub appeal_decided: Option<(NaiveDate, bool)>,
}

/// A fiscal year (BE), or one calendar month of it (1–12).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub fiscal_year: i32,
    pub month: Option<u32>,
}

impl Period {
    pub fn holds(&self, d: NaiveDate) -> bool {
        fiscal_year(d) == self.fiscal_year && self.month.is_none_or(|m| d.month() == m)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryFigures {
    pub category: u8,
    pub claims: u64,
    pub baht: i64,
    pub median_baht: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub period: Period,
    pub received: u64,
    /// (channel key, claims), every channel listed.
    pub by_channel: Vec<(String, u64)>,
    /// (relation key, claims), every relation listed.
    pub by_relation: Vec<(String, u64)>,
    pub decided: u64,
    pub refused: u64,
    pub by_category: Vec<CategoryFigures>,
    pub median_days: Option<i64>,
    pub p90_days: Option<i64>,
    /// The target most decisions were measured against (the latest in force).
    pub target_days: Option<i64>,
    pub within_target: u64,
    /// Open now with a deadline passed (whatever the period).
    pub overdue_now: u64,
    pub appeals_lodged: u64,
    pub appeals_paying: u64,
    pub appeals_refused: u64,
    /// Per month of the fiscal year (October first): received, decided.
    pub months: Vec<(u32, u64, u64)>,
}

/// The value at `share` (0–1) of sorted values, nearest rank.
fn rank(sorted: &[i64], share: f64) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let i = ((sorted.len() as f64 * share).ceil() as usize).clamp(1, sorted.len()) - 1;
    Some(sorted[i])
}

pub fn report(facts: &[Facts], period: Period) -> Report {
    let received: Vec<&Facts> = facts.iter().filter(|f| period.holds(f.received_on)).collect();
    let decided: Vec<&Facts> = facts
        .iter()
        .filter(|f| f.decided_on.is_some_and(|d| period.holds(d)))
        .collect();
    let channels = [
        Channel::Web,
        Channel::Api,
        Channel::WalkIn,
        Channel::Phone,
        Channel::Mail,
        Channel::ServiceUnit,
    ];
    let by_channel = channels
        .iter()
        .map(|c| {
            let n = received.iter().filter(|f| f.channel == *c).count() as u64;
            (c.as_str().to_string(), n)
        })
        .collect();
    let by_relation = Relation::ALL
        .iter()
        .map(|r| {
            let n = received.iter().filter(|f| f.relation == *r).count() as u64;
            (r.as_str().to_string(), n)
        })
        .collect();
    let by_category = [
        Category::DeathOrPermanentDisability,
        Category::OrganLossOrDisability,
        Category::ContinuedTreatment,
    ]
    .into_iter()
    .map(|c| {
        let mut amounts: Vec<i64> = decided
            .iter()
            .filter(|f| f.category == Some(c) && f.amount.is_some_and(|a| a > 0))
            .filter_map(|f| f.amount)
            .collect();
        amounts.sort_unstable();
        CategoryFigures {
            category: c.number(),
            claims: amounts.len() as u64,
            baht: amounts.iter().sum(),
            median_baht: rank(&amounts, 0.5),
        }
    })
    .collect::<Vec<_>>();
    let paying: u64 = by_category.iter().map(|c| c.claims).sum();
    let mut days: Vec<i64> = decided.iter().filter_map(|f| f.days).collect();
    days.sort_unstable();
    let within_target = decided
        .iter()
        .filter(|f| match (f.days, f.target_days) {
            (Some(d), Some(t)) => d <= t,
            (Some(_), None) => true,
            _ => false,
        })
        .count() as u64;
    let appeals_decided: Vec<bool> = facts
        .iter()
        .filter_map(|f| f.appeal_decided)
        .filter(|(on, _)| period.holds(*on))
        .map(|(_, pays)| pays)
        .collect();
    // October, November, … September: the fiscal year's order.
    let months = [10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9]
        .into_iter()
        .filter(|m| period.month.is_none_or(|p| p == *m))
        .map(|m| {
            let within = |d: NaiveDate| fiscal_year(d) == period.fiscal_year && d.month() == m;
            (
                m,
                facts.iter().filter(|f| within(f.received_on)).count() as u64,
                facts.iter().filter(|f| f.decided_on.is_some_and(within)).count() as u64,
            )
        })
        .collect();
    Report {
        period,
        received: received.len() as u64,
        by_channel,
        by_relation,
        decided: decided.len() as u64,
        refused: decided.len() as u64 - paying,
        by_category,
        median_days: rank(&days, 0.5),
        p90_days: rank(&days, 0.9),
        target_days: facts.iter().rev().find_map(|f| f.target_days),
        within_target,
        overdue_now: facts.iter().filter(|f| f.overdue).count() as u64,
        appeals_lodged: facts
            .iter()
            .filter(|f| f.appealed_on.is_some_and(|d| period.holds(d)))
            .count() as u64,
        appeals_paying: appeals_decided.iter().filter(|p| **p).count() as u64,
        appeals_refused: appeals_decided.iter().filter(|p| !**p).count() as u64,
        months,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn fact(received: NaiveDate, decided: Option<(i64, Option<(u8, i64)>)>) -> Facts {
        Facts {
            received_on: received,
            channel: Channel::Web,
            relation: Relation::Myself,
            decided_on: decided.map(|(days, _)| received + chrono::Duration::days(days)),
            category: decided.and_then(|(_, p)| p).and_then(|(c, _)| Category::from_number(c)),
            amount: decided.and_then(|(_, p)| p).map(|(_, a)| a),
            days: decided.map(|(days, _)| days),
            target_days: Some(30),
            overdue: false,
            appealed_on: None,
            appeal_decided: None,
        }
    }

    #[test]
    fn a_year_and_a_month_count_what_happened_in_them() {
        let mut facts = vec![
            fact(d(2025, 10, 3), Some((10, Some((3, 50_000))))),
            fact(d(2025, 10, 5), Some((20, Some((3, 70_000))))),
            fact(d(2025, 11, 1), Some((40, None))),
            fact(d(2025, 12, 1), Some((35, Some((1, 300_000))))),
            fact(d(2026, 9, 30), None),
            fact(d(2026, 10, 1), None), // the next fiscal year
        ];
        facts[1].channel = Channel::Phone;
        facts[2].appealed_on = Some(d(2025, 12, 20));
        facts[2].appeal_decided = Some((d(2026, 1, 15), true));
        facts[4].overdue = true;
        let year = report(&facts, Period { fiscal_year: 2569, month: None });
        assert_eq!(year.received, 5);
        assert_eq!(year.decided, 4);
        assert_eq!(year.refused, 1);
        assert_eq!(year.by_category[2].claims, 2);
        assert_eq!(year.by_category[2].baht, 120_000);
        assert_eq!(year.by_category[2].median_baht, Some(50_000));
        assert_eq!(year.by_category[0].median_baht, Some(300_000));
        assert_eq!(year.median_days, Some(20), "10, 20, 35, 40");
        assert_eq!(year.p90_days, Some(40));
        assert_eq!(year.within_target, 2);
        assert_eq!(year.overdue_now, 1);
        assert_eq!((year.appeals_lodged, year.appeals_paying, year.appeals_refused), (1, 1, 0));
        assert!(year.by_channel.contains(&("phone".into(), 1)));
        assert_eq!(year.months[0], (10, 2, 2), "October: 2 received, 2 decided");
        assert_eq!(year.months[2], (12, 1, 1), "December: 1 received, 1 decided");
        let october = report(&facts, Period { fiscal_year: 2569, month: Some(10) });
        assert_eq!((october.received, october.decided), (2, 2));
        assert_eq!(october.months.len(), 1);
    }
}
