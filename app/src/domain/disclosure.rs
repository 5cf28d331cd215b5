//! Small-cell suppression for published figures (issue "Letters, reports and open
//! statistics"): no published figure counts fewer than `MIN_COUNT` claims, and nothing
//! hidden can be worked out from what is shown.
//!
//! A table of counts is published with its row, column and grand totals. Every figure of
//! 1 to 4 is hidden (a 0 is shown: it is about nobody). The totals tie the figures together
//! (each row's cells add up to its total, and so on), so a hidden figure may still follow
//! from the shown ones: then one more figure beside it is hidden, and so on, until every
//! hidden figure is free — the shown figures' equations allow more than one value for it.
//! What stays knowable is a range, never a value.

/// The fewest claims a published figure may count.
pub const MIN_COUNT: u64 = 5;

/// Whether a count may be published on its own.
pub fn shown(n: u64) -> bool {
    n == 0 || n >= MIN_COUNT
}

/// A table as published: `None` where a figure is hidden.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Published {
    pub cells: Vec<Vec<Option<u64>>>,
    pub row_totals: Vec<Option<u64>>,
    pub column_totals: Vec<Option<u64>>,
    pub total: Option<u64>,
}

/// One figure of a published table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Figure {
    Cell(usize, usize),
    Row(usize),
    Column(usize),
    Total,
}

/// A table and which of its figures are hidden.
struct Table<'a> {
    counts: &'a [Vec<u64>],
    rows: usize,
    columns: usize,
    hidden: Vec<Figure>,
}

impl Table<'_> {
    fn value(&self, f: Figure) -> u64 {
        match f {
            Figure::Cell(r, c) => self.counts[r][c],
            Figure::Row(r) => self.counts[r].iter().sum(),
            Figure::Column(c) => self.counts.iter().map(|row| row[c]).sum(),
            Figure::Total => self.counts.iter().flatten().sum(),
        }
    }

    fn figures(&self) -> Vec<Figure> {
        let mut all: Vec<Figure> = (0..self.rows)
            .flat_map(|r| (0..self.columns).map(move |c| Figure::Cell(r, c)))
            .collect();
        all.extend((0..self.rows).map(Figure::Row));
        all.extend((0..self.columns).map(Figure::Column));
        all.push(Figure::Total);
        all
    }

    /// The equations that tie the figures: each row's cells less its total, each column's,
    /// the row totals less the grand total, the column totals less it. Written over the
    /// hidden figures only (the shown ones are constants), one coefficient per hidden figure.
    fn equations(&self) -> Vec<Vec<f64>> {
        let coefficient = |f: Figure, terms: &[(Figure, f64)]| {
            terms.iter().find(|(t, _)| *t == f).map_or(0.0, |(_, k)| *k)
        };
        let mut lines: Vec<Vec<(Figure, f64)>> = Vec::new();
        for r in 0..self.rows {
            let mut l: Vec<_> = (0..self.columns).map(|c| (Figure::Cell(r, c), 1.0)).collect();
            l.push((Figure::Row(r), -1.0));
            lines.push(l);
        }
        for c in 0..self.columns {
            let mut l: Vec<_> = (0..self.rows).map(|r| (Figure::Cell(r, c), 1.0)).collect();
            l.push((Figure::Column(c), -1.0));
            lines.push(l);
        }
        let mut l: Vec<_> = (0..self.rows).map(|r| (Figure::Row(r), 1.0)).collect();
        l.push((Figure::Total, -1.0));
        lines.push(l);
        let mut l: Vec<_> = (0..self.columns).map(|c| (Figure::Column(c), 1.0)).collect();
        l.push((Figure::Total, -1.0));
        lines.push(l);
        lines
            .iter()
            .map(|l| self.hidden.iter().map(|&f| coefficient(f, l)).collect())
            .collect()
    }

    /// The hidden figures the shown ones determine: in the reduced row echelon form of the
    /// equations, a pivot whose row has no other non-zero entry.
    fn determined(&self) -> Vec<Figure> {
        let mut m = self.equations();
        let width = self.hidden.len();
        let mut pivots = Vec::new();
        let mut row = 0;
        for col in 0..width {
            let Some(p) = (row..m.len()).find(|&i| m[i][col].abs() > 1e-9) else {
                continue;
            };
            m.swap(row, p);
            let lead = m[row][col];
            m[row].iter_mut().for_each(|v| *v /= lead);
            for i in 0..m.len() {
                if i != row && m[i][col].abs() > 1e-9 {
                    let f = m[i][col];
                    for k in 0..width {
                        m[i][k] -= f * m[row][k];
                    }
                }
            }
            pivots.push((row, col));
            row += 1;
        }
        pivots
            .into_iter()
            .filter(|&(i, col)| (0..width).all(|k| k == col || m[i][k].abs() < 1e-9))
            .map(|(_, col)| self.hidden[col])
            .collect()
    }

    /// The shown figures to hide so that `f` is no longer given away. A cell takes the
    /// cheapest rectangle of hidden cells it is a corner of (each row and column of the
    /// rectangle then holds two unknowns, so none of them follows from its total); a row
    /// or column total takes another total whose row or column already hides a cell. What
    /// is still given away after that is found by the next round.
    fn partners(&self, f: Figure) -> Vec<Figure> {
        let shown = |g: &Figure| !self.hidden.contains(g);
        let hides_a_cell = |g: Figure| match g {
            Figure::Row(r) => (0..self.columns).any(|c| !shown(&Figure::Cell(r, c))),
            Figure::Column(c) => (0..self.rows).any(|r| !shown(&Figure::Cell(r, c))),
            _ => false,
        };
        // Fewest people's figures hidden: the smallest sum; then the smallest totals of the
        // rows and columns it reaches into (the next rounds may have to hide those); then
        // the fewest zeros.
        let cheapest = |candidates: Vec<Vec<Figure>>| {
            candidates
                .into_iter()
                .map(|set| set.into_iter().filter(shown).collect::<Vec<_>>())
                .filter(|set| !set.is_empty())
                .min_by_key(|set| {
                    let sum: u64 = set.iter().map(|g| self.value(*g)).sum();
                    let margins: u64 = set
                        .iter()
                        .map(|g| match *g {
                            Figure::Cell(r, c) => {
                                self.value(Figure::Row(r)) + self.value(Figure::Column(c))
                            }
                            other => self.value(other),
                        })
                        .sum();
                    let zeros = set.iter().filter(|g| self.value(**g) == 0).count();
                    (sum, margins, zeros)
                })
        };
        let found = match f {
            Figure::Cell(r, c) => cheapest(
                (0..self.rows)
                    .filter(|&r2| r2 != r)
                    .flat_map(|r2| {
                        (0..self.columns).filter(move |&c2| c2 != c).map(move |c2| {
                            vec![Figure::Cell(r, c2), Figure::Cell(r2, c), Figure::Cell(r2, c2)]
                        })
                    })
                    .collect(),
            ),
            Figure::Row(r) => cheapest(
                (0..self.rows)
                    .filter(|&r2| r2 != r && hides_a_cell(Figure::Row(r2)))
                    .map(|r2| vec![Figure::Row(r2)])
                    .collect(),
            ),
            Figure::Column(c) => cheapest(
                (0..self.columns)
                    .filter(|&c2| c2 != c && hides_a_cell(Figure::Column(c2)))
                    .map(|c2| vec![Figure::Column(c2)])
                    .collect(),
            ),
            Figure::Total => None,
        };
        found.unwrap_or_else(|| vec![self.partner(f)])
    }

    /// One shown figure to hide when no rectangle or total serves: the smallest shown
    /// non-zero figure in an equation with it (its row or column, or its margin), or failing that
    /// the smallest shown figure anywhere.
    fn partner(&self, f: Figure) -> Figure {
        let near: Vec<Figure> = match f {
            Figure::Cell(r, c) => (0..self.columns)
                .map(|c2| Figure::Cell(r, c2))
                .chain((0..self.rows).map(|r2| Figure::Cell(r2, c)))
                .chain([Figure::Row(r), Figure::Column(c)])
                .collect(),
            Figure::Row(r) => (0..self.rows)
                .map(Figure::Row)
                .chain((0..self.columns).map(|c| Figure::Cell(r, c)))
                .chain([Figure::Total])
                .collect(),
            Figure::Column(c) => (0..self.columns)
                .map(Figure::Column)
                .chain((0..self.rows).map(|r| Figure::Cell(r, c)))
                .chain([Figure::Total])
                .collect(),
            Figure::Total => (0..self.rows)
                .map(Figure::Row)
                .chain((0..self.columns).map(Figure::Column))
                .collect(),
        };
        let smallest = |candidates: Vec<Figure>| {
            candidates
                .into_iter()
                .filter(|g| !self.hidden.contains(g))
                // A hidden 0 seldom protects anything (a row of zeros shows its 0 total)
                // and a shown 0 tells readers there were none: zeros go last.
                .min_by_key(|g| (self.value(*g) == 0, self.value(*g)))
        };
        smallest(near)
            .or_else(|| smallest(self.figures()))
            .expect("a figure given away leaves a shown one to hide")
    }
}

/// A list of counts and its total as they may be published: figures of 1 to 4 hidden and,
/// if that hides only one, the smallest other non-zero figure too, so the total less the
/// shown figures is a sum of two unknowns, never one figure. The total is shown when it
/// counts 5 or more (or none).
pub fn publish_list(counts: &[u64]) -> (Vec<Option<u64>>, Option<u64>) {
    let total: u64 = counts.iter().sum();
    let mut hidden: Vec<bool> = counts.iter().map(|&n| !shown(n)).collect();
    if shown(total) && hidden.iter().filter(|h| **h).count() == 1 {
        if let Some(i) = (0..counts.len())
            .filter(|&i| !hidden[i] && counts[i] > 0)
            .min_by_key(|&i| counts[i])
        {
            hidden[i] = true;
        }
    }
    let cells = counts
        .iter()
        .zip(&hidden)
        .map(|(&n, &h)| (!h).then_some(n))
        .collect();
    // A lone hidden figure with nothing else non-zero to hide beside it: the total goes.
    let lone = hidden.iter().filter(|h| **h).count() == 1;
    (cells, (shown(total) && !lone).then_some(total))
}

/// The table `counts` (rows of equal length) as it may be published.
pub fn publish(counts: &[Vec<u64>]) -> Published {
    let rows = counts.len();
    let columns = counts.first().map_or(0, Vec::len);
    assert!(counts.iter().all(|r| r.len() == columns), "a rectangular table");
    let mut t = Table {
        counts,
        rows,
        columns,
        hidden: Vec::new(),
    };
    t.hidden = t.figures().into_iter().filter(|f| !shown(t.value(*f))).collect();
    // Each round hides at least one more figure, so it ends; with every figure hidden nothing is
    // given away.
    // Cells first: their rectangles give the totals' partners (rows and columns that hide
    // a cell) to choose from.
    while let Some(f) = {
        let given = t.determined();
        given
            .iter()
            .find(|f| matches!(f, Figure::Cell(..)))
            .or(given.first())
            .copied()
    } {
        let more = t.partners(f);
        t.hidden.extend(more);
    }
    let show = |f: Figure| (!t.hidden.contains(&f)).then(|| t.value(f));
    Published {
        cells: (0..rows)
            .map(|r| (0..columns).map(|c| show(Figure::Cell(r, c))).collect())
            .collect(),
        row_totals: (0..rows).map(|r| show(Figure::Row(r))).collect(),
        column_totals: (0..columns).map(|c| show(Figure::Column(c))).collect(),
        total: show(Figure::Total),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_list_with_one_small_figure_hides_a_second() {
        let (cells, total) = publish_list(&[40, 3, 0, 9, 12]);
        assert_eq!(cells, vec![Some(40), None, Some(0), None, Some(12)]);
        assert_eq!(total, Some(64));
        // Nothing else to hide beside it: the total goes instead.
        assert_eq!(publish_list(&[3, 0, 0]), (vec![None, Some(0), Some(0)], None));
        assert_eq!(publish_list(&[5, 6]), (vec![Some(5), Some(6)], Some(11)));
    }

    proptest! {
        /// No shown figure of 1 to 4, and never exactly one unknown in the total's equation.
        #[test]
        fn a_published_list_gives_no_figure_away(counts in proptest::collection::vec(prop_oneof![0u64..6, 0u64..40], 0..14)) {
            let (cells, total) = publish_list(&counts);
            for (c, n) in cells.iter().zip(&counts) {
                prop_assert!(c.is_none_or(|v| v == *n && shown(v)));
            }
            prop_assert!(total.is_none_or(|t| shown(t) && t == counts.iter().sum::<u64>()));
            if total.is_some() {
                prop_assert_ne!(cells.iter().filter(|c| c.is_none()).count(), 1);
            }
        }
    }

    /// An independent check of what the shown figures give away: a hidden figure is
    /// determined exactly when its unit vector lies in the span of the equations over the
    /// hidden figures, that is, when adding it does not raise their rank. (The code under
    /// test reads the reduced row echelon form instead.)
    fn given_away(p: &Published) -> Vec<String> {
        let rows = p.cells.len();
        let columns = p.column_totals.len();
        // The hidden figures, named as the test prints them.
        let mut hidden: Vec<String> = Vec::new();
        for r in 0..rows {
            for c in 0..columns {
                if p.cells[r][c].is_none() {
                    hidden.push(format!("cell {r},{c}"));
                }
            }
        }
        hidden.extend((0..rows).filter(|&r| p.row_totals[r].is_none()).map(|r| format!("row {r}")));
        hidden.extend(
            (0..columns)
                .filter(|&c| p.column_totals[c].is_none())
                .map(|c| format!("column {c}")),
        );
        if p.total.is_none() {
            hidden.push("total".into());
        }
        let at = |name: &str| hidden.iter().position(|h| h == name);
        let mut equations: Vec<Vec<f64>> = Vec::new();
        let mut add = |terms: Vec<(String, f64)>| {
            let mut e = vec![0.0; hidden.len()];
            for (name, k) in terms {
                if let Some(i) = at(&name) {
                    e[i] += k;
                }
            }
            equations.push(e);
        };
        for r in 0..rows {
            let mut t: Vec<_> = (0..columns).map(|c| (format!("cell {r},{c}"), 1.0)).collect();
            t.push((format!("row {r}"), -1.0));
            add(t);
        }
        for c in 0..columns {
            let mut t: Vec<_> = (0..rows).map(|r| (format!("cell {r},{c}"), 1.0)).collect();
            t.push((format!("column {c}"), -1.0));
            add(t);
        }
        let mut t: Vec<_> = (0..rows).map(|r| (format!("row {r}"), 1.0)).collect();
        t.push(("total".into(), -1.0));
        add(t);
        let mut t: Vec<_> = (0..columns).map(|c| (format!("column {c}"), 1.0)).collect();
        t.push(("total".into(), -1.0));
        add(t);
        let rank = |mut m: Vec<Vec<f64>>| {
            let (mut rank, width) = (0, hidden.len());
            for col in 0..width {
                let Some(p) = (rank..m.len()).find(|&i| m[i][col].abs() > 1e-9) else {
                    continue;
                };
                m.swap(rank, p);
                for i in 0..m.len() {
                    if i != rank && m[i][col].abs() > 1e-9 {
                        let f = m[i][col] / m[rank][col];
                        for k in 0..width {
                            m[i][k] -= f * m[rank][k];
                        }
                    }
                }
                rank += 1;
            }
            rank
        };
        let base = rank(equations.clone());
        (0..hidden.len())
            .filter(|&i| {
                let mut with = equations.clone();
                let mut unit = vec![0.0; hidden.len()];
                unit[i] = 1.0;
                with.push(unit);
                rank(with) == base
            })
            .map(|i| hidden[i].clone())
            .collect()
    }

    fn table() -> impl Strategy<Value = Vec<Vec<u64>>> {
        (1usize..6, 1usize..6).prop_flat_map(|(rows, columns)| {
            proptest::collection::vec(
                proptest::collection::vec(prop_oneof![0u64..5, 0u64..20], columns),
                rows,
            )
        })
    }

    fn published_figures(p: &Published) -> Vec<u64> {
        p.cells
            .iter()
            .flatten()
            .chain(&p.row_totals)
            .chain(&p.column_totals)
            .chain([&p.total])
            .flatten()
            .copied()
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn no_published_figure_counts_one_to_four_claims(counts in table()) {
            let p = publish(&counts);
            for n in published_figures(&p) {
                prop_assert!(shown(n), "{n} published: {p:?}");
            }
        }

        #[test]
        fn nothing_hidden_can_be_worked_out_from_what_is_shown(counts in table()) {
            let p = publish(&counts);
            let away = given_away(&p);
            prop_assert!(away.is_empty(), "{away:?} of {counts:?} can be worked out: {p:?}");
        }

        #[test]
        fn what_is_shown_is_true(counts in table()) {
            let p = publish(&counts);
            for (r, row) in p.cells.iter().enumerate() {
                for (c, v) in row.iter().enumerate() {
                    if let Some(n) = v {
                        prop_assert_eq!(*n, counts[r][c]);
                    }
                }
                if let Some(n) = p.row_totals[r] {
                    prop_assert_eq!(n, counts[r].iter().sum::<u64>());
                }
            }
        }
    }

    #[test]
    fn a_lone_small_cell_takes_partners_so_it_cannot_be_worked_out() {
        let p = publish(&[vec![3, 10, 12], vec![8, 9, 20], vec![15, 16, 30]]);
        assert_eq!(p.cells[0][0], None, "3 is hidden");
        assert!(p.cells[0].iter().filter(|v| v.is_none()).count() >= 2, "{p:?}");
        assert!(p.cells.iter().filter(|r| r[0].is_none()).count() >= 2, "{p:?}");
        assert!(given_away(&p).is_empty());
        assert_eq!(p.total, Some(123));
    }

    #[test]
    fn a_region_with_few_claims_does_not_show_through_the_totals() {
        // Region 3 had 3 claims in the year: its total is hidden, and so is enough else
        // that the grand total less the other regions does not give it.
        let p = publish(&[vec![20, 10], vec![15, 9], vec![2, 1]]);
        assert_eq!(p.row_totals[2], None);
        assert!(given_away(&p).is_empty(), "{p:?}");
    }

    #[test]
    fn a_year_by_region_and_month_is_published_safely() {
        // 13 regions × 12 months, many of them small, as a quiet year would be.
        let counts: Vec<Vec<u64>> = (0..13u64)
            .map(|r| (0..12u64).map(|m| (r * 7 + m * 5) % 11).collect())
            .collect();
        let p = publish(&counts);
        assert!(given_away(&p).is_empty(), "{p:?}");
        assert!(published_figures(&p).into_iter().all(shown));
        assert!(p.cells.iter().flatten().any(Option::is_some), "not everything is hidden");
    }

    #[test]
    fn a_table_of_large_counts_is_published_whole() {
        let p = publish(&[vec![5, 6], vec![7, 0]]);
        assert_eq!(p.cells, vec![vec![Some(5), Some(6)], vec![Some(7), Some(0)]]);
        assert_eq!(p.total, Some(18));
    }
}
