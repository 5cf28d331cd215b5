//! Calendar dates as people write them: Gregorian ISO for machines, Buddhist era for Thai readers.

use chrono::{Datelike, NaiveDate};

/// Asia/Bangkok is UTC+7 all year (no daylight saving).
pub const BANGKOK_OFFSET_SECONDS: i64 = 7 * 3600;

/// The Buddhist-era year is the Gregorian year plus 543.
pub const BE_OFFSET: i32 = 543;

/// The calendar date in Bangkok at a given Unix time (seconds).
pub fn bangkok_date_at(unix_seconds: i64) -> NaiveDate {
    let days = (unix_seconds + BANGKOK_OFFSET_SECONDS).div_euclid(86_400);
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch") + chrono::Duration::days(days)
}

/// A moment as people in Thailand read it: Bangkok wall-clock time (UTC+7, no daylight
/// saving), "23 พฤศจิกายน 2569 เวลา 22:35 น." in Thai, "23 November 2026, 22:35" in English.
pub fn bangkok_time(at: chrono::DateTime<chrono::Utc>, thai: bool) -> String {
    use chrono::Timelike;
    let local = at.naive_utc() + chrono::Duration::seconds(BANGKOK_OFFSET_SECONDS);
    let (date, h, m) = (local.date(), local.hour(), local.minute());
    if thai {
        format!("{} เวลา {h:02}:{m:02} น.", thai_long(date))
    } else {
        format!("{}, {h:02}:{m:02}", english_long(date))
    }
}

/// Parses `YYYY-MM-DD` (Gregorian).
pub fn parse_iso(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if s.len() != 10 {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// Builds a date from the three boxes of the form. The year may be given in the Buddhist
/// era (as most Thai people write it, e.g. 2568) or the Gregorian era (2025).
pub fn from_parts(day: &str, month: &str, year: &str) -> Option<NaiveDate> {
    let d: u32 = day.trim().parse().ok()?;
    let m: u32 = month.trim().parse().ok()?;
    let mut y: i32 = year.trim().parse().ok()?;
    if y >= 2400 {
        y -= BE_OFFSET;
    }
    if !(1900..=2200).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

/// What is wrong with three date boxes that make no date. A year of one to three digits
/// ("66" for 2566) is a common slip, so it gets its own message naming the four digits
/// wanted; anything else is simply not a real date.
pub fn parts_problem(year: &str) -> super::ErrorCode {
    let y = year.trim();
    if !y.is_empty() && y.len() < 4 && y.chars().all(|c| c.is_ascii_digit()) {
        super::ErrorCode::YearNotFourDigits
    } else {
        super::ErrorCode::DateInvalid
    }
}

pub fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub const MONTHS_TH: [&str; 12] = [
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
];
pub const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "5 มีนาคม 2569" — the Buddhist-era long form Thai readers expect.
pub fn thai_long(d: NaiveDate) -> String {
    format!(
        "{} {} {}",
        d.day(),
        MONTHS_TH[d.month0() as usize],
        d.year() + BE_OFFSET
    )
}

/// "5 March 2026".
pub fn english_long(d: NaiveDate) -> String {
    format!(
        "{} {} {}",
        d.day(),
        MONTHS_EN[d.month0() as usize],
        d.year()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bangkok_midnight_rolls_the_date_seven_hours_before_utc() {
        // 2026-11-21T17:00:00Z is 2026-11-22 00:00 in Bangkok.
        assert_eq!(
            bangkok_date_at(1_795_280_400),
            NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
        );
        assert_eq!(
            bangkok_date_at(1_795_280_399),
            NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
        );
    }

    #[test]
    fn buddhist_and_gregorian_years_are_both_accepted() {
        let d = NaiveDate::from_ymd_opt(2025, 3, 15).unwrap();
        assert_eq!(from_parts("15", "3", "2568"), Some(d));
        assert_eq!(from_parts("15", "03", "2025"), Some(d));
        assert_eq!(from_parts("31", "2", "2568"), None);
        assert_eq!(from_parts("", "2", "2568"), None);
        assert_eq!(from_parts("1", "1", "25"), None);
    }

    #[test]
    fn times_are_shown_on_bangkok_clocks() {
        use chrono::TimeZone;
        // 17:30 UTC is half past midnight the next day in Bangkok.
        let at = chrono::Utc
            .with_ymd_and_hms(2026, 11, 23, 17, 30, 0)
            .unwrap();
        assert_eq!(bangkok_time(at, true), "24 พฤศจิกายน 2569 เวลา 00:30 น.");
        assert_eq!(bangkok_time(at, false), "24 November 2026, 00:30");
    }

    #[test]
    fn long_forms() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
        assert_eq!(thai_long(d), "5 มีนาคม 2569");
        assert_eq!(english_long(d), "5 March 2026");
        assert_eq!(parse_iso("2026-03-05"), Some(d));
        assert_eq!(parse_iso("2026-3-5"), None);
    }
}
