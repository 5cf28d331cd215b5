//! The consistency aid for the committee (issue "Letters, reports and open statistics"):
//! for decided cases of the same harm type, how many, the share that paid, by which
//! category, and the amounts paid, in the reviewer's own region beside the country. No
//! names or IDs reach it, and the public statistics' rule holds: no figure of 1 to 4
//! claims, nothing hidden that the others give away.

use super::disclosure::publish;
use super::policy::Category;
use serde::{Deserialize, Serialize};

/// What the panel needs of one decided case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decided {
    pub own_region: bool,
    /// The category and amount of a decision to pay; `None` for one that pays nothing.
    pub paid: Option<(Category, i64)>,
}

/// One side of the comparison. `None` marks a figure not shown.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Side {
    pub decided: Option<u64>,
    pub paying: Option<u64>,
    /// Decisions to pay in categories 1, 2 and 3.
    pub categories: [Option<u64>; 3],
    /// Lowest, median and highest amount paid, when 5 or more paid.
    pub amounts: Option<(i64, i64, i64)>,
}

impl Side {
    pub fn paying_percent(&self) -> Option<u64> {
        match (self.paying, self.decided) {
            (Some(p), Some(d)) if d > 0 => Some((p * 100 + d / 2) / d),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Panel {
    pub region: Side,
    pub country: Side,
}

const CATEGORIES: [Category; 3] = [
    Category::DeathOrPermanentDisability,
    Category::OrganLossOrDisability,
    Category::ContinuedTreatment,
];

pub fn panel(cases: &[Decided]) -> Panel {
    // Rows: the own region, the other regions. Columns: categories 1–3, then paying nothing.
    let column = |d: &Decided| match d.paid {
        Some((c, _)) => CATEGORIES.iter().position(|k| *k == c).expect("a category"),
        None => 3,
    };
    let mut counts = vec![vec![0u64; 4]; 2];
    for d in cases {
        counts[usize::from(!d.own_region)][column(d)] += 1;
    }
    let p = publish(&counts);
    let amounts = |own_only: bool| {
        let mut v: Vec<i64> = cases
            .iter()
            .filter(|d| !own_only || d.own_region)
            .filter_map(|d| d.paid.map(|(_, a)| a))
            .collect();
        v.sort_unstable();
        (v.len() as u64 >= super::disclosure::MIN_COUNT)
            .then(|| (v[0], v[(v.len() - 1) / 2], v[v.len() - 1]))
    };
    // Paying: the categories' sum, or the decisions less those paying nothing (both are
    // worked out from shown figures only).
    let paying = |cells: [Option<u64>; 3], total: Option<u64>, nothing: Option<u64>| {
        cells
            .into_iter()
            .sum::<Option<u64>>()
            .or(total.zip(nothing).map(|(t, n)| t - n))
    };
    let region_cells = [p.cells[0][0], p.cells[0][1], p.cells[0][2]];
    let country_cells = [p.column_totals[0], p.column_totals[1], p.column_totals[2]];
    let region_paying = paying(region_cells, p.row_totals[0], p.cells[0][3]);
    let country_paying = paying(country_cells, p.total, p.column_totals[3]);
    Panel {
        region: Side {
            decided: p.row_totals[0],
            paying: region_paying,
            categories: region_cells,
            amounts: region_paying.and(amounts(true)),
        },
        country: Side {
            decided: p.total,
            paying: country_paying,
            categories: country_cells,
            amounts: country_paying.and(amounts(false)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(own: bool, paid: Option<(u8, i64)>) -> Decided {
        Decided {
            own_region: own,
            paid: paid.map(|(c, a)| (Category::from_number(c).unwrap(), a)),
        }
    }

    #[test]
    fn the_region_beside_the_country_with_small_counts_hidden() {
        let mut cases = Vec::new();
        // Own region: 6 paid in category 3 (10k … 60k), 5 paid nothing.
        cases.extend((1..=6).map(|k| case(true, Some((3, k * 10_000)))));
        cases.extend((0..5).map(|_| case(true, None)));
        // Elsewhere: 20 in category 3 at 40k, 6 nothing, and 2 deaths.
        cases.extend((0..20).map(|_| case(false, Some((3, 40_000)))));
        cases.extend((0..6).map(|_| case(false, None)));
        cases.extend((0..2).map(|_| case(false, Some((1, 400_000)))));
        let p = panel(&cases);
        assert_eq!(p.region.decided, Some(11));
        assert_eq!(p.region.categories[2], Some(6));
        assert_eq!(p.region.paying, Some(6));
        assert_eq!(p.region.paying_percent(), Some(55));
        assert_eq!(p.region.amounts, Some((10_000, 30_000, 60_000)));
        assert_eq!(p.country.decided, Some(39));
        assert_eq!(p.country.categories[0], None, "two deaths are not shown");
        assert_eq!(p.country.categories[2], Some(26));
        assert_eq!(p.country.paying, Some(28), "39 decided less 11 paying nothing");
        assert_eq!(p.country.amounts, Some((10_000, 40_000, 400_000)));
    }

    #[test]
    fn too_few_cases_show_nothing_but_zeros() {
        let p = panel(&[case(true, Some((3, 5_000))), case(false, None)]);
        assert_eq!(p.region.decided, None);
        assert_eq!(p.country.decided, None);
        assert_eq!(p.region.amounts, None);
    }
}
