//! How a petition reached us, and the rules for staff filing on someone's behalf: the
//! window is counted to the day the petition was received (for mail, the postmark), and a
//! petition past the window is accepted only with a written reason, kept for the committee.

use super::dates::{from_parts, iso, parse_iso};
use super::region::ProvinceCode;
use super::petition::{raw_from_form, validate_with, ErrorCode, FieldError, Petition};
use super::window::HolidayCalendar;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The draft fields a staff-started petition carries besides the petition's own.
pub const CHANNEL_FIELD: &str = "intake.channel";
pub const RECEIVED_FIELD: &str = "intake.received_on";
pub const OVERRIDE_FIELD: &str = "intake.window_override_reason";
pub const STAFF_FIELD: &str = "intake.staff";
/// Set when a provincial health office started the draft: the only province it may file for.
pub const PROVINCE_FIELD: &str = "intake.province";
/// A received date further back than this is refused: an old date would count the window
/// to it and let a late petition through without the written reason.
pub const MAX_RECEIVED_AGE_DAYS: i64 = 60;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// The claimant, online.
    Web,
    /// A client of the JSON API.
    Api,
    /// In person at a Gold Card Center or office.
    WalkIn,
    /// By telephone to the 1330 hotline.
    Phone,
    /// By post (the postmark is the received date).
    Mail,
    /// Sent by the service unit itself.
    ServiceUnit,
}

impl Channel {
    pub const ASSISTED: [Channel; 4] = [Self::WalkIn, Self::Phone, Self::Mail, Self::ServiceUnit];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Web => "web",
            Self::Api => "api",
            Self::WalkIn => "walk_in",
            Self::Phone => "phone",
            Self::Mail => "mail",
            Self::ServiceUnit => "service_unit",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Web,
            Self::Api,
            Self::WalkIn,
            Self::Phone,
            Self::Mail,
            Self::ServiceUnit,
        ]
        .into_iter()
        .find(|c| c.as_str() == s.trim())
    }
    pub fn label(self, th: bool) -> &'static str {
        match (self, th) {
            (Self::Web, true) => "ยื่นออนไลน์",
            (Self::Web, false) => "Online",
            (Self::Api, true) => "ระบบเชื่อมต่อ (API)",
            (Self::Api, false) => "API",
            (Self::WalkIn, true) => "มายื่นด้วยตนเอง",
            (Self::WalkIn, false) => "Walk-in",
            (Self::Phone, true) => "โทรศัพท์สายด่วน 1330",
            (Self::Phone, false) => "Phone (1330 hotline)",
            (Self::Mail, true) => "ทางไปรษณีย์",
            (Self::Mail, false) => "By post",
            (Self::ServiceUnit, true) => "หน่วยบริการส่งมา",
            (Self::ServiceUnit, false) => "From the service unit",
        }
    }
}

/// What a staff-started draft says about how the petition came in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assisted {
    pub channel: Channel,
    pub received_on: NaiveDate,
    pub staff: String,
    pub override_reason: Option<String>,
    /// A provincial health office's province: its petitions must be about a service unit
    /// there.
    pub province: Option<ProvinceCode>,
}

/// The intake details of a draft, if staff started it.
pub fn assisted_of(fields: &BTreeMap<String, String>) -> Option<Assisted> {
    let channel = fields
        .get(CHANNEL_FIELD)
        .and_then(|c| Channel::parse(c))
        .filter(|c| Channel::ASSISTED.contains(c))?;
    let received_on = fields.get(RECEIVED_FIELD).and_then(|d| parse_iso(d))?;
    let staff = fields.get(STAFF_FIELD).cloned().unwrap_or_default();
    let override_reason = fields
        .get(OVERRIDE_FIELD)
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty());
    let province = fields.get(PROVINCE_FIELD).and_then(|p| ProvinceCode::parse(p));
    Some(Assisted {
        channel,
        received_on,
        staff,
        override_reason,
        province,
    })
}

/// The intake page's answers: a channel staff may record, and a received date (day, month,
/// year boxes; Buddhist or Gregorian year) that is not in the future.
pub fn validate_intake(
    form: &BTreeMap<String, String>,
    today: NaiveDate,
) -> Result<(Channel, NaiveDate), Vec<FieldError>> {
    let mut errors = Vec::new();
    let get = |k: &str| {
        form.get(k)
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };
    let channel = match get(CHANNEL_FIELD) {
        c if c.is_empty() => {
            errors.push(FieldError::new(CHANNEL_FIELD, ErrorCode::Required));
            None
        }
        c => {
            let ch = Channel::parse(&c).filter(|c| Channel::ASSISTED.contains(c));
            if ch.is_none() {
                errors.push(FieldError::new(CHANNEL_FIELD, ErrorCode::InvalidChoice));
            }
            ch
        }
    };
    let (d, m, y) = (
        get(&format!("{RECEIVED_FIELD}.day")),
        get(&format!("{RECEIVED_FIELD}.month")),
        get(&format!("{RECEIVED_FIELD}.year")),
    );
    let received = if d.is_empty() && m.is_empty() && y.is_empty() {
        errors.push(FieldError::new(RECEIVED_FIELD, ErrorCode::Required));
        None
    } else {
        match from_parts(&d, &m, &y) {
            None => {
                errors.push(FieldError::new(
                    RECEIVED_FIELD,
                    super::dates::parts_problem(&y),
                ));
                None
            }
            Some(date) if date > today => {
                errors.push(FieldError::new(RECEIVED_FIELD, ErrorCode::DateInFuture));
                None
            }
            Some(date) if (today - date).num_days() > MAX_RECEIVED_AGE_DAYS => {
                errors.push(FieldError::new(
                    RECEIVED_FIELD,
                    ErrorCode::TooLongAgo {
                        days: MAX_RECEIVED_AGE_DAYS,
                    },
                ));
                None
            }
            Some(date) => Some(date),
        }
    };
    match (channel, received) {
        (Some(c), Some(r)) if errors.is_empty() => Ok((c, r)),
        _ => Err(errors),
    }
}

/// The draft fields that record a validated intake page.
pub fn intake_fields(
    channel: Channel,
    received_on: NaiveDate,
    staff: &str,
    province: Option<ProvinceCode>,
) -> BTreeMap<String, String> {
    [
        (CHANNEL_FIELD, channel.as_str().to_string()),
        (RECEIVED_FIELD, iso(received_on)),
        (STAFF_FIELD, staff.to_string()),
    ]
    .into_iter()
    .chain(province.map(|p| (PROVINCE_FIELD, format!("{:02}", p.code()))))
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// The petition rules as they apply to a draft. A claimant's draft is checked against
/// `today`. A staff-started one is checked against the day it was received; past the window
/// it needs a written reason, and with one it is accepted.
pub fn validate_fields(
    fields: &BTreeMap<String, String>,
    today: NaiveDate,
    cal: &impl HolidayCalendar,
) -> Result<Petition, Vec<FieldError>> {
    let raw = raw_from_form(fields);
    let Some(a) = assisted_of(fields) else {
        return validate_with(&raw, today, cal, false);
    };
    // Checked on its own, so the treatment step says it before the later steps are filled.
    let outside = match (a.province, ProvinceCode::parse(&raw.service_unit.province_code)) {
        (Some(office), Some(p)) if p != office => Some(FieldError::new(
            "service_unit.province_code",
            ErrorCode::OutsideProvince {
                province: office.code(),
            },
        )),
        _ => None,
    };
    match validate_with(&raw, a.received_on, cal, a.override_reason.is_some()) {
        Ok(p) => match outside {
            Some(e) => Err(vec![e]),
            None => Ok(p),
        },
        Err(mut errors) => {
            errors.extend(outside);
            if errors
                .iter()
                .any(|e| matches!(e.code, ErrorCode::OutOfWindow { .. }))
            {
                errors.push(FieldError::new(OVERRIDE_FIELD, ErrorCode::Required));
            }
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::window::Holidays;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn petition_fields(known: NaiveDate) -> BTreeMap<String, String> {
        let mut f: BTreeMap<String, String> = [
            ("filer.relation", "self"),
            ("patient.name", "สมหญิง รักดี"),
            ("patient.national_id", "1101700230708"),
            ("patient.address", "99 ถ.มหิดล"),
            ("patient.phone", "0812345678"),
            ("service_unit.name", "รพ.ตัวอย่าง"),
            ("service_unit.province_code", "50"),
            ("damage_description", "ติดเชื้อ"),
            ("burden", "ขาดรายได้"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        for k in ["treatment_date", "damage_known_date"] {
            f.insert(format!("{k}.day"), known.format("%d").to_string());
            f.insert(format!("{k}.month"), known.format("%m").to_string());
            f.insert(format!("{k}.year"), known.format("%Y").to_string());
        }
        f
    }

    #[test]
    fn a_posted_petition_counts_to_its_postmark() {
        // Known 1 March 2024: the window ended on Monday 2 March 2026 (1 March was a Sunday).
        let known = d(2024, 3, 1);
        let today = d(2026, 11, 22);
        let cal = Holidays::default();
        let mut f = petition_fields(known);
        assert!(
            validate_fields(&f, today, &cal).is_err(),
            "too late if received today"
        );
        f.extend(intake_fields(
            Channel::Mail,
            d(2026, 2, 27),
            "intake@nhso.test",
            None,
        ));
        assert!(
            validate_fields(&f, today, &cal).is_ok(),
            "in time by its postmark"
        );
    }

    #[test]
    fn a_provincial_office_files_only_about_its_province() {
        let cal = Holidays::default();
        let today = d(2026, 11, 22);
        let chiang_mai = ProvinceCode::parse("50");
        let mut f = petition_fields(d(2026, 10, 1));
        f.extend(intake_fields(Channel::WalkIn, today, "pho50@nhso.test", chiang_mai));
        assert_eq!(assisted_of(&f).unwrap().province, chiang_mai);
        assert!(validate_fields(&f, today, &cal).is_ok(), "a Chiang Mai hospital");
        f.insert("service_unit.province_code".into(), "51".into());
        let errs = validate_fields(&f, today, &cal).unwrap_err();
        assert_eq!(
            errs,
            vec![FieldError::new(
                "service_unit.province_code",
                ErrorCode::OutsideProvince { province: 50 }
            )],
            "a Lamphun hospital is refused, on the province field"
        );
    }

    #[test]
    fn staff_accept_a_late_petition_only_with_a_reason() {
        let cal = Holidays::default();
        let today = d(2026, 11, 22);
        let mut f = petition_fields(d(2023, 1, 10));
        f.extend(intake_fields(Channel::WalkIn, today, "intake@nhso.test", None));
        let errs = validate_fields(&f, today, &cal).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["damage_known_date", OVERRIDE_FIELD]);
        f.insert(OVERRIDE_FIELD.into(), "  ".into());
        assert!(
            validate_fields(&f, today, &cal).is_err(),
            "a blank reason is no reason"
        );
        f.insert(OVERRIDE_FIELD.into(), "ผู้ป่วยอยู่ในภาวะโคม่าจนถึงเดือนที่แล้ว".into());
        assert!(validate_fields(&f, today, &cal).is_ok());
        // A claimant's own draft cannot use a reason to get past the window.
        f.remove(CHANNEL_FIELD);
        assert!(validate_fields(&f, today, &cal).is_err());
    }

    #[test]
    fn the_intake_page_needs_a_channel_and_a_past_received_date() {
        let today = d(2026, 11, 22);
        let form = |c: &str, day: &str, m: &str, y: &str| -> BTreeMap<String, String> {
            [
                (CHANNEL_FIELD, c),
                ("intake.received_on.day", day),
                ("intake.received_on.month", m),
                ("intake.received_on.year", y),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
        };
        assert_eq!(
            validate_intake(&form("mail", "20", "11", "2569"), today),
            Ok((Channel::Mail, d(2026, 11, 20)))
        );
        let errs = validate_intake(&form("web", "23", "11", "2569"), today).unwrap_err();
        assert_eq!(
            errs,
            vec![
                FieldError::new(CHANNEL_FIELD, ErrorCode::InvalidChoice),
                FieldError::new(RECEIVED_FIELD, ErrorCode::DateInFuture)
            ]
        );
        assert_eq!(
            validate_intake(&form("", "", "", ""), today)
                .unwrap_err()
                .len(),
            2
        );
        let old = validate_intake(&form("mail", "1", "9", "2569"), today).unwrap_err();
        assert_eq!(
            old,
            vec![FieldError::new(
                RECEIVED_FIELD,
                ErrorCode::TooLongAgo {
                    days: MAX_RECEIVED_AGE_DAYS
                }
            )],
            "83 days back is too far"
        );
    }
}
