//! The public statistics (issue "Letters, reports and open statistics"): per Thai fiscal
//! year and region, petitions received, decisions and their share approved, the share
//! decided within the target and the median days it took, and amounts paid by category.
//!
//! Every count goes through `disclosure::publish`, so no published figure counts 1 to 4
//! claims and no hidden one can be worked out from the totals. Figures derived from counts
//! (a share, an amount) are published only where the counts they are made of are; a
//! median is published only over a shown count (5 or more claims).

use super::disclosure::{publish, publish_list, Published};
use super::policy::Category;
use super::Region;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The Thai government's fiscal year, in the Buddhist era: 1 October to 30 September,
/// named for the year it ends in (1 October 2026 starts fiscal year 2570).
pub fn fiscal_year(d: NaiveDate) -> i32 {
    d.year() + super::BE_OFFSET + i32::from(d.month() >= 10)
}

/// What the statistics need to know of one claim, and nothing that names anyone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Facts {
    pub region: Region,
    /// The day the petition was received (filed online, or taken in at an office).
    pub received_on: NaiveDate,
    pub decision: Option<Decision>,
    pub payment: Option<Payment>,
}

/// The claim's decision (the appeal board's, once it has replaced the committee's).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decision {
    pub on: NaiveDate,
    /// A decision to pay.
    pub pays: bool,
    /// Days from a complete petition to the decision, days waiting for the claimant's
    /// information left out.
    pub days: i64,
    /// Whether `days` was within the target in force.
    pub within_target: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Payment {
    pub on: NaiveDate,
    pub category: Category,
    pub amount: i64,
}

/// Claims paid and the baht paid to them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paid {
    pub claims: u64,
    pub baht: i64,
}

/// One region's figures for a year (or the country's, with `region` `None`). `None` marks
/// a figure that is not published: too few claims, or one that would give such a figure
/// away.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    pub region: Option<u8>,
    pub received: Option<u64>,
    pub decided: Option<u64>,
    pub approved: Option<u64>,
    pub within_target: Option<u64>,
    pub median_days: Option<i64>,
    /// Paid claims by category (1 to 3), then all categories together.
    pub paid: [Option<Paid>; 3],
    pub paid_total: Option<Paid>,
}

impl Figures {
    /// Share of decisions that pay, in whole per cent.
    pub fn approved_percent(&self) -> Option<u64> {
        percent(self.approved, self.decided)
    }
    /// Share of decisions made within the target, in whole per cent.
    pub fn within_target_percent(&self) -> Option<u64> {
        percent(self.within_target, self.decided)
    }
}

fn percent(part: Option<u64>, whole: Option<u64>) -> Option<u64> {
    match (part, whole) {
        (Some(p), Some(w)) if w > 0 => Some((p * 100 + w / 2) / w),
        _ => None,
    }
}

/// A fiscal year's published figures: the 13 regions, then the country.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Year {
    pub fiscal_year: i32,
    pub regions: Vec<Figures>,
    pub country: Figures,
}

/// Columns of the decisions table: whether it pays × whether within the target.
const DECIDED: [(bool, bool); 4] = [(true, true), (true, false), (false, true), (false, false)];

/// The published figures of every fiscal year that has any, newest first.
pub fn years(facts: &[Facts]) -> Vec<Year> {
    let mut t = Tally::default();
    facts.iter().for_each(|f| t.add(f));
    t.publish()
}

const REGIONS: usize = 13;

/// Counts built up one claim, or one group of alike claims, at a time (so a million claims
/// need not be held at once, nor sent one by one from the database).
#[derive(Clone, Debug, Default)]
pub struct Tally {
    years: BTreeMap<i32, YearTally>,
}

#[derive(Clone, Debug)]
struct YearTally {
    received: Vec<u64>,
    decided: Vec<Vec<u64>>,
    paid: Vec<Vec<u64>>,
    baht: Vec<Vec<i64>>,
    /// Per region, how many decisions took each number of days.
    days: Vec<BTreeMap<i64, u64>>,
}

impl Default for YearTally {
    fn default() -> Self {
        Self {
            received: vec![0; REGIONS],
            decided: vec![vec![0; DECIDED.len()]; REGIONS],
            paid: vec![vec![0; 3]; REGIONS],
            baht: vec![vec![0; 3]; REGIONS],
            days: vec![BTreeMap::new(); REGIONS],
        }
    }
}

impl Tally {
    pub fn add(&mut self, f: &Facts) {
        self.received(f.region, f.received_on, 1);
        if let Some(d) = f.decision {
            self.decided(f.region, d, 1);
        }
        if let Some(p) = f.payment {
            self.paid(f.region, p.on, p.category, 1, p.amount);
        }
    }

    /// `n` petitions of `region` received on `on`.
    pub fn received(&mut self, region: Region, on: NaiveDate, n: u64) {
        let r = usize::from(region.number() - 1);
        self.years.entry(fiscal_year(on)).or_default().received[r] += n;
    }

    /// `n` decisions of `region` alike in everything the figures read.
    pub fn decided(&mut self, region: Region, d: Decision, n: u64) {
        let r = usize::from(region.number() - 1);
        let y = self.years.entry(fiscal_year(d.on)).or_default();
        let c = DECIDED
            .iter()
            .position(|&k| k == (d.pays, d.within_target))
            .expect("every pair is a column");
        y.decided[r][c] += n;
        *y.days[r].entry(d.days).or_default() += n;
    }

    /// `n` payments of `region` in `category` on `on`, `baht` in all.
    pub fn paid(&mut self, region: Region, on: NaiveDate, category: Category, n: u64, baht: i64) {
        let r = usize::from(region.number() - 1);
        let y = self.years.entry(fiscal_year(on)).or_default();
        let c = usize::from(category.number() - 1);
        y.paid[r][c] += n;
        y.baht[r][c] += baht;
    }

    /// Every year's figures as they may be published, newest first.
    pub fn publish(&self) -> Vec<Year> {
        self.years
            .iter()
            .rev()
            .map(|(&fy, t)| t.publish(fy))
            .collect()
    }
}

impl YearTally {
    fn publish(&self, fy: i32) -> Year {
        let (received, received_total) = publish_list(&self.received);
        let decided = publish(&self.decided);
        let paid = publish(&self.paid);
        let figures = |row: Option<usize>| -> Figures {
            // A sum of published cells is published; one that needs a hidden cell is not.
            let cells = |p: &Published, columns: &[usize]| -> Option<u64> {
                match row {
                    Some(r) => columns.iter().map(|&c| p.cells[r][c]).sum(),
                    None => columns.iter().map(|&c| p.column_totals[c]).sum(),
                }
            };
            let total = |p: &Published| match row {
                Some(r) => p.row_totals[r],
                None => p.total,
            };
            let baht = |c: usize| match row {
                Some(r) => self.baht[r][c],
                None => self.baht.iter().map(|b| b[c]).sum(),
            };
            let paid_cell = |c: usize| cells(&paid, &[c]).map(|claims| Paid { claims, baht: baht(c) });
            let days: BTreeMap<i64, u64> = match row {
                Some(r) => self.days[r].clone(),
                None => self.days.iter().flatten().fold(BTreeMap::new(), |mut all, (&d, &n)| {
                    *all.entry(d).or_default() += n;
                    all
                }),
            };
            let decided_total = total(&decided);
            Figures {
                region: row.map(|r| r as u8 + 1),
                received: match row {
                    Some(r) => received[r],
                    None => received_total,
                },
                decided: decided_total,
                approved: cells(&decided, &[0, 1]),
                within_target: cells(&decided, &[0, 2]),
                median_days: decided_total.and_then(|_| median(&days)),
                paid: [paid_cell(0), paid_cell(1), paid_cell(2)],
                paid_total: total(&paid).map(|claims| Paid {
                    claims,
                    baht: (0..3).map(baht).sum(),
                }),
            }
        };
        Year {
            fiscal_year: fy,
            regions: (0..REGIONS).map(|r| figures(Some(r))).collect(),
            country: figures(None),
        }
    }
}

/// The middle value of counted days (the lower of the two middle ones for an even count).
fn median(days: &BTreeMap<i64, u64>) -> Option<i64> {
    let n: u64 = days.values().sum();
    if n == 0 {
        return None;
    }
    let mut seen = 0;
    days.iter().find_map(|(&d, &k)| {
        seen += k;
        (seen > (n - 1) / 2).then_some(d)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn fiscal_years_start_in_october() {
        assert_eq!(fiscal_year(d(2026, 9, 30)), 2569);
        assert_eq!(fiscal_year(d(2026, 10, 1)), 2570);
        assert_eq!(fiscal_year(d(2026, 12, 6)), 2570);
        assert_eq!(fiscal_year(d(2027, 1, 1)), 2570);
    }

    fn decided(region: u8, on: NaiveDate, pays: bool, days: i64) -> Facts {
        Facts {
            region: Region::new(region).unwrap(),
            received_on: on - chrono::Duration::days(days),
            decision: Some(Decision {
                on,
                pays,
                days,
                within_target: days <= 30,
            }),
            payment: None,
        }
    }

    #[test]
    fn regions_with_enough_claims_show_them_and_a_small_one_hides() {
        let on = d(2026, 11, 2);
        let mut facts = Vec::new();
        // (region, approved within target, rejected late)
        for (region, approved, rejected) in [(3, 2, 0), (5, 6, 5), (6, 20, 9), (7, 30, 12)] {
            facts.extend((0..approved).map(|i| decided(region, on, true, 10 + i)));
            facts.extend((0..rejected).map(|i| decided(region, on, false, 40 + i)));
        }
        let y = &years(&facts)[0];
        assert_eq!(y.fiscal_year, 2570);
        let r7 = &y.regions[6];
        assert_eq!(r7.decided, Some(42));
        assert_eq!(r7.approved, Some(30));
        assert_eq!(r7.within_target, Some(21), "10..=30 days of a 30-day target");
        assert_eq!(r7.within_target_percent(), Some(50));
        assert_eq!(r7.approved_percent(), Some(71));
        assert_eq!(r7.median_days, Some(30), "10..=39 and 40..=51: the 21st of 42");
        let r3 = &y.regions[2];
        assert_eq!((r3.decided, r3.approved, r3.median_days), (None, None, None));
        // The country's approvals less the shown regions' would give region 3's 2 away:
        // so either the country's figure is hidden, or another region's is too.
        let hidden = y.regions.iter().filter(|r| r.approved.is_none()).count();
        assert!(y.country.approved.is_none() || hidden >= 2);
        // Regions with no decisions show 0, which is about nobody (unless a 0 is hidden to
        // protect region 3).
        assert!(y.regions.iter().filter(|r| r.decided == Some(0)).count() >= 8);
    }

    #[test]
    fn amounts_are_published_with_their_counts_only() {
        let on = d(2026, 3, 1);
        let pay = |region: u8, category: u8, amount: i64| Facts {
            region: Region::new(region).unwrap(),
            received_on: on,
            decision: None,
            payment: Some(Payment {
                on,
                category: Category::from_number(category).unwrap(),
                amount,
            }),
        };
        let mut facts: Vec<Facts> = (0..5).map(|_| pay(13, 3, 50_000)).collect();
        facts.push(pay(13, 1, 400_000));
        facts.push(pay(12, 1, 400_000));
        let y = years(&facts);
        assert_eq!(y.len(), 1);
        let r13 = &y[0].regions[12];
        assert_eq!(
            r13.paid[2],
            Some(Paid {
                claims: 5,
                baht: 250_000
            })
        );
        assert_eq!(r13.paid[0], None, "one death benefit is not published");
    }

    fn any_facts() -> impl Strategy<Value = Vec<Facts>> {
        let fact = (1u8..=13, 0i64..900, proptest::option::of((0i64..120, any::<bool>())), proptest::option::of((1u8..=3, 1i64..400_000)));
        proptest::collection::vec(fact, 0..200).prop_map(|v| {
            v.into_iter()
                .map(|(region, day, decision, payment)| {
                    let received_on = d(2025, 1, 1) + chrono::Duration::days(day);
                    let decision = decision.map(|(days, pays)| Decision {
                        on: received_on + chrono::Duration::days(days),
                        pays,
                        days,
                        within_target: days <= 30,
                    });
                    Facts {
                        region: Region::new(region).unwrap(),
                        received_on,
                        decision,
                        payment: payment.zip(decision).filter(|(_, d)| d.pays).map(|((c, amount), d)| Payment {
                            on: d.on + chrono::Duration::days(10),
                            category: Category::from_number(c).unwrap(),
                            amount,
                        }),
                    }
                })
                .collect()
        })
    }

    proptest! {
        /// Counting alike claims together (as the database groups them) publishes exactly
        /// what counting them one by one does.
        #[test]
        fn counting_alike_claims_together_changes_nothing(facts in any_facts(), times in 1u64..4) {
            let mut one_by_one = Tally::default();
            let mut grouped = Tally::default();
            for f in &facts {
                for _ in 0..times {
                    one_by_one.add(f);
                }
                grouped.received(f.region, f.received_on, times);
                if let Some(d) = f.decision {
                    grouped.decided(f.region, d, times);
                }
                if let Some(p) = f.payment {
                    grouped.paid(f.region, p.on, p.category, times, p.amount * times as i64);
                }
            }
            prop_assert_eq!(one_by_one.publish(), grouped.publish());
        }
    }

    proptest! {
        /// Whatever the claims, no published count is 1 to 4, a shown share is made of
        /// shown counts, and every shown figure is the true one.
        #[test]
        fn no_published_figure_counts_fewer_than_five(facts in any_facts()) {
            for y in years(&facts) {
                for f in y.regions.iter().chain([&y.country]) {
                    let counts = [f.received, f.decided, f.approved, f.within_target]
                        .into_iter()
                        .chain(f.paid.iter().chain([&f.paid_total]).map(|p| p.map(|p| p.claims)));
                    for n in counts.flatten() {
                        prop_assert!(n == 0 || n >= 5, "published {n}");
                    }
                    if f.median_days.is_some() {
                        prop_assert!(f.decided.is_some_and(|n| n >= 5));
                    }
                    let in_year = |on: NaiveDate| fiscal_year(on) == y.fiscal_year;
                    let mine = |x: &&Facts| f.region.is_none_or(|r| x.region.number() == r);
                    if let Some(n) = f.received {
                        prop_assert_eq!(n, facts.iter().filter(mine).filter(|x| in_year(x.received_on)).count() as u64);
                    }
                    if let Some(n) = f.approved {
                        prop_assert_eq!(n, facts.iter().filter(mine).filter(|x| x.decision.is_some_and(|d| in_year(d.on) && d.pays)).count() as u64);
                    }
                }
            }
        }
    }
}
