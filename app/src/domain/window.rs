//! The two-year filing window, counted as the Civil and Commercial Code counts periods.
//!
//! The day the damage became known is not counted (s.193/3); a period in years ends on the
//! day before the corresponding day (s.193/5), i.e. on the same calendar date two years on;
//! where that month has no such day (29 February) it ends on the month's last day; a last
//! day that falls on a Saturday, Sunday or public holiday runs on to the next working day
//! (s.193/8).

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The filing window in years. Older guidance said one; two is in force.
pub const FILING_WINDOW_YEARS: i32 = 2;

/// Answers whether a date is an official holiday (weekends are handled separately).
pub trait HolidayCalendar {
    fn is_holiday(&self, date: NaiveDate) -> bool;
}

/// A set of public-holiday dates, loaded from the database's holiday table.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Holidays(BTreeSet<NaiveDate>);

impl Holidays {
    pub fn new(dates: impl IntoIterator<Item = NaiveDate>) -> Self {
        Self(dates.into_iter().collect())
    }
}

impl HolidayCalendar for Holidays {
    fn is_holiday(&self, date: NaiveDate) -> bool {
        self.0.contains(&date)
    }
}

pub fn is_working_day(date: NaiveDate, cal: &impl HolidayCalendar) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !cal.is_holiday(date)
}

/// The same calendar date `years` later, or the last day of that month if it has no such day.
pub fn same_date_years_later(date: NaiveDate, years: i32) -> NaiveDate {
    let y = date.year() + years;
    NaiveDate::from_ymd_opt(y, date.month(), date.day()).unwrap_or_else(|| {
        // Only 29 February can be missing; the month's last day is the 28th.
        NaiveDate::from_ymd_opt(y, date.month(), 28).expect("28th exists in every month")
    })
}

/// The last day on which a petition may be filed, given the day the damage became known.
pub fn filing_deadline(damage_known: NaiveDate, cal: &impl HolidayCalendar) -> NaiveDate {
    let mut last = same_date_years_later(damage_known, FILING_WINDOW_YEARS);
    while !is_working_day(last, cal) {
        last = last.succ_opt().expect("date in range");
    }
    last
}

/// The days whose being a holiday can move the last day for damage known on `known`: from
/// the two-year day on, as far as any run of holidays and weekends could carry it (two
/// months; Thailand's longest run is under two weeks). A filing needs only these rows of
/// the holiday table, not all of them.
pub fn deadline_holiday_span(known: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = same_date_years_later(known, FILING_WINDOW_YEARS);
    (first, first + chrono::Duration::days(62))
}

/// Whether a petition received on `received` (a Bangkok calendar date) is within the window.
pub fn within_window(
    damage_known: NaiveDate,
    received: NaiveDate,
    cal: &impl HolidayCalendar,
) -> bool {
    received <= filing_deadline(damage_known, cal)
}

/// Thailand's fixed-date public holidays, used to seed the holiday table for a range of
/// years. Lunar holidays and substitution days vary by year and are added by an admin.
pub const FIXED_HOLIDAYS: [(u32, u32, &str, &str); 15] = [
    (1, 1, "วันขึ้นปีใหม่", "New Year's Day"),
    (4, 6, "วันจักรี", "Chakri Memorial Day"),
    (4, 13, "วันสงกรานต์", "Songkran"),
    (4, 14, "วันสงกรานต์", "Songkran"),
    (4, 15, "วันสงกรานต์", "Songkran"),
    (5, 1, "วันแรงงานแห่งชาติ", "National Labour Day"),
    (5, 4, "วันฉัตรมงคล", "Coronation Day"),
    (
        6,
        3,
        "วันเฉลิมพระชนมพรรษาสมเด็จพระราชินี",
        "Queen Suthida's Birthday",
    ),
    (
        7,
        28,
        "วันเฉลิมพระชนมพรรษาพระบาทสมเด็จพระเจ้าอยู่หัว",
        "King Vajiralongkorn's Birthday",
    ),
    (8, 12, "วันแม่แห่งชาติ", "Mother's Day"),
    (10, 13, "วันนวมินทรมหาราช", "King Bhumibol Memorial Day"),
    (10, 23, "วันปิยมหาราช", "Chulalongkorn Day"),
    (12, 5, "วันพ่อแห่งชาติ", "Father's Day"),
    (12, 10, "วันรัฐธรรมนูญ", "Constitution Day"),
    (12, 31, "วันสิ้นปี", "New Year's Eve"),
];

/// The fixed-date holidays of the given years, as (date, Thai name, English name).
pub fn fixed_holidays(
    years: std::ops::RangeInclusive<i32>,
) -> Vec<(NaiveDate, &'static str, &'static str)> {
    years
        .flat_map(|y| {
            FIXED_HOLIDAYS.iter().filter_map(move |(m, d, th, en)| {
                NaiveDate::from_ymd_opt(y, *m, *d).map(|date| (date, *th, *en))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn no_holidays() -> Holidays {
        Holidays::default()
    }

    fn thai_fixed() -> Holidays {
        Holidays::new(fixed_holidays(2000..=2100).into_iter().map(|(d, _, _)| d))
    }

    #[test]
    fn plain_weekday_is_the_same_date_two_years_on() {
        // 2024-03-11 (Mon) known → 2026-03-11 is a Wednesday.
        assert_eq!(
            filing_deadline(d(2024, 3, 11), &no_holidays()),
            d(2026, 3, 11)
        );
    }

    #[test]
    fn twenty_ninth_of_february_ends_on_the_twenty_eighth() {
        // 2024-02-29 known → 2026-02-28 is a Saturday → Monday 2 March 2026.
        assert_eq!(same_date_years_later(d(2024, 2, 29), 2), d(2026, 2, 28));
        assert_eq!(
            filing_deadline(d(2024, 2, 29), &no_holidays()),
            d(2026, 3, 2)
        );
        // 2028-02-29 known → 2030-02-28 is a Thursday.
        assert_eq!(
            filing_deadline(d(2028, 2, 29), &no_holidays()),
            d(2030, 2, 28)
        );
        // 2020-02-29 → 2022-02-28 is a Monday.
        assert_eq!(
            filing_deadline(d(2020, 2, 29), &no_holidays()),
            d(2022, 2, 28)
        );
    }

    #[test]
    fn weekend_moves_to_monday() {
        // 2026-11-21 is a Saturday, 2026-11-22 a Sunday.
        assert_eq!(
            filing_deadline(d(2024, 11, 21), &no_holidays()),
            d(2026, 11, 23)
        );
        assert_eq!(
            filing_deadline(d(2024, 11, 22), &no_holidays()),
            d(2026, 11, 23)
        );
    }

    #[test]
    fn holidays_and_weekends_chain() {
        // 2027-04-13..15 Songkran (Tue–Thu); 2025-04-13 known → runs to Friday 16 April 2027.
        assert_eq!(
            filing_deadline(d(2025, 4, 13), &thai_fixed()),
            d(2027, 4, 16)
        );
        // 2026-12-31 (Thu) → 2028-12-31 is a Sunday → 1 Jan 2029 (Mon) holiday → 2 Jan.
        assert_eq!(
            filing_deadline(d(2026, 12, 31), &thai_fixed()),
            d(2029, 1, 2)
        );
        // Without the table only the weekend moves it.
        assert_eq!(
            filing_deadline(d(2026, 12, 31), &no_holidays()),
            d(2029, 1, 1)
        );
    }

    #[test]
    fn the_last_day_is_inside_and_the_next_is_outside() {
        let known = d(2024, 6, 3);
        let last = filing_deadline(known, &thai_fixed());
        assert!(within_window(known, last, &thai_fixed()));
        assert!(!within_window(
            known,
            last.succ_opt().unwrap(),
            &thai_fixed()
        ));
    }

    #[test]
    fn every_leap_day_from_2000_to_2096() {
        for y in (2000..=2096).step_by(4) {
            let known = d(y, 2, 29);
            let last = filing_deadline(known, &no_holidays());
            let base = d(y + 2, 2, 28);
            assert!(
                last >= base && (last - base).num_days() <= 2,
                "{known}: {last}"
            );
            assert!(is_working_day(last, &no_holidays()));
        }
    }

    proptest! {
        #[test]
        fn deadline_is_a_working_day_at_most_a_long_weekend_after_the_anniversary(days in 0i64..40_000) {
            let known = d(2000, 1, 1) + chrono::Duration::days(days);
            let cal = thai_fixed();
            let last = filing_deadline(known, &cal);
            let anniversary = same_date_years_later(known, 2);
            prop_assert!(is_working_day(last, &cal));
            prop_assert!(last >= anniversary);
            // Every day between the anniversary and the deadline is a non-working day.
            let mut x = anniversary;
            while x < last { prop_assert!(!is_working_day(x, &cal)); x = x.succ_opt().unwrap(); }
            // Songkran plus a weekend is the longest run of days off in the fixed table.
            prop_assert!((last - anniversary).num_days() <= 5);
        }

        /// Only the holidays in `deadline_holiday_span` can move the last day: with every
        /// other holiday dropped it is the same, whatever runs of extra days off (up to
        /// three weeks, with substitution days) an admin adds around it.
        #[test]
        fn only_the_span_s_holidays_move_the_last_day(
            days in 0i64..40_000,
            runs in proptest::collection::vec((0i64..800, 1i64..21), 0..12),
        ) {
            let known = d(2000, 1, 1) + chrono::Duration::days(days);
            let anniversary = same_date_years_later(known, 2);
            let mut all: BTreeSet<NaiveDate> = thai_fixed().0;
            for (offset, len) in runs {
                // Runs from a year before the anniversary to a year after it.
                let start = anniversary + chrono::Duration::days(offset - 400);
                all.extend((0..len).map(|i| start + chrono::Duration::days(i)));
            }
            let (from, to) = deadline_holiday_span(known);
            let span: BTreeSet<NaiveDate> = all.iter().copied().filter(|h| (from..=to).contains(h)).collect();
            prop_assert_eq!(
                filing_deadline(known, &Holidays(all)),
                filing_deadline(known, &Holidays(span))
            );
        }

        #[test]
        fn anniversary_keeps_month_and_day_except_leap_day(days in 0i64..40_000) {
            let known = d(2000, 1, 1) + chrono::Duration::days(days);
            let a = same_date_years_later(known, 2);
            prop_assert_eq!(a.year(), known.year() + 2);
            prop_assert_eq!(a.month(), known.month());
            if known.month() == 2 && known.day() == 29 { prop_assert_eq!(a.day(), 28); } else { prop_assert_eq!(a.day(), known.day()); }
        }
    }
}
