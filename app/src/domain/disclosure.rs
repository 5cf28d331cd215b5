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

    /// The shown figure to hide so that `f` is no longer given away: the smallest shown
    /// figure in an equation with it (its row or column, or its margin), or failing that
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
                .min_by_key(|g| self.value(*g))
        };
        smallest(near)
            .or_else(|| smallest(self.figures()))
            .expect("a figure given away leaves a shown one to hide")
    }
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
    // Each round hides one more figure, so it ends; with every figure hidden nothing is
    // given away.
    while let Some(&f) = t.determined().first() {
        let more = t.partner(f);
        t.hidden.push(more);
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
