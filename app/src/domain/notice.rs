//! Proof that the claimant received a decision. The appeal window runs from the day they
//! received it, not from the day it was made: disputes over missed appeal deadlines turn on
//! whether the notice was delivered, so the day and the proof are recorded.
//!
//! The first receipt recorded stands. It is either the claimant opening the decision on
//! their own status page (signed in with their reference and access code, so that day
//! is known for certain), or a delivery that staff record with its evidence: a registered
//! letter's return receipt, or a notice handed over in person.

use super::petition::{ErrorCode, FieldError};
use super::policy::{expected_by, Clock, TimeTarget};
use super::status::ClaimStatus;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeMethod {
    /// The claimant opened the decision on their status page.
    StatusPage,
    /// A registered letter, received on the day its return receipt (ใบตอบรับ) shows.
    RegisteredMail,
    /// Handed to the claimant, who signed for it.
    InPerson,
}

impl NoticeMethod {
    /// Ways staff can record; the status page records itself.
    pub const STAFF: [NoticeMethod; 2] = [NoticeMethod::RegisteredMail, NoticeMethod::InPerson];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::StatusPage => "status_page",
            Self::RegisteredMail => "registered_mail",
            Self::InPerson => "in_person",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::StatusPage, Self::RegisteredMail, Self::InPerson]
            .into_iter()
            .find(|m| m.as_str() == s)
    }

    pub fn label(self, thai: bool) -> &'static str {
        match (self, thai) {
            (Self::StatusPage, true) => "ผู้ยื่นเปิดดูผลในหน้าติดตามสถานะ",
            (Self::StatusPage, false) => "the claimant opened it on their status page",
            (Self::RegisteredMail, true) => "ไปรษณีย์ลงทะเบียนตอบรับ",
            (Self::RegisteredMail, false) => "registered mail with return receipt",
            (Self::InPerson, true) => "มอบให้ด้วยตนเอง (ลงชื่อรับ)",
            (Self::InPerson, false) => "handed over in person (signed for)",
        }
    }
}

/// A delivery staff record: how, on which day, and the evidence (the return receipt's
/// tracking number, or who signed and where).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivery {
    pub method: NoticeMethod,
    pub received_on: NaiveDate,
    pub evidence: String,
}

pub const MAX_EVIDENCE: usize = 200;

/// Checks a delivery staff want to record for a decision made on `decided_on`.
pub fn validate_delivery(
    method: &str,
    received_on: &str,
    evidence: &str,
    decided_on: NaiveDate,
    today: NaiveDate,
) -> Result<Delivery, Vec<FieldError>> {
    let mut errors = Vec::new();
    let method =
        match NoticeMethod::parse(method.trim()).filter(|m| NoticeMethod::STAFF.contains(m)) {
            Some(m) => Some(m),
            None => {
                errors.push(FieldError::new(
                    "notice_method",
                    if method.trim().is_empty() {
                        ErrorCode::Required
                    } else {
                        ErrorCode::InvalidChoice
                    },
                ));
                None
            }
        };
    let received = match super::dates::parse_iso(received_on.trim()) {
        None if received_on.trim().is_empty() => {
            errors.push(FieldError::new("notice_received_on", ErrorCode::Required));
            None
        }
        None => {
            errors.push(FieldError::new(
                "notice_received_on",
                ErrorCode::DateInvalid,
            ));
            None
        }
        Some(d) if d > today => {
            errors.push(FieldError::new(
                "notice_received_on",
                ErrorCode::DateInFuture,
            ));
            None
        }
        Some(d) if d < decided_on => {
            errors.push(FieldError::new(
                "notice_received_on",
                ErrorCode::BeforeDecision { decided_on },
            ));
            None
        }
        Some(d) => Some(d),
    };
    let evidence = evidence.trim();
    if evidence.is_empty() {
        errors.push(FieldError::new("notice_evidence", ErrorCode::Required));
    } else if evidence.chars().count() > MAX_EVIDENCE {
        errors.push(FieldError::new(
            "notice_evidence",
            ErrorCode::TooLong { max: MAX_EVIDENCE },
        ));
    }
    match (method, received) {
        (Some(method), Some(received_on)) if errors.is_empty() => Ok(Delivery {
            method,
            received_on,
            evidence: evidence.to_string(),
        }),
        _ => Err(errors),
    }
}

/// By when the office should hold proof that the claimant received a decision, while it does
/// not: a decision open to appeal, with no receipt yet. `None` once received (or when nothing
/// was decided).
pub fn receipt_expected_by(
    targets: &[TimeTarget],
    status: ClaimStatus,
    decided_on: Option<NaiveDate>,
    received: bool,
) -> Option<NaiveDate> {
    if received || !status.open_to_appeal() {
        return None;
    }
    expected_by(targets, Clock::NoticeReceipt, decided_on?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn proof_of_receipt_is_expected_two_weeks_after_a_decision_until_it_comes() {
        let t = crate::domain::policy::default_time_targets();
        let decided = Some(d(11, 2));
        assert_eq!(
            receipt_expected_by(&t, ClaimStatus::Rejected, decided, false),
            Some(d(11, 17))
        );
        assert_eq!(
            receipt_expected_by(&t, ClaimStatus::Approved, decided, false),
            Some(d(11, 17))
        );
        assert_eq!(
            receipt_expected_by(&t, ClaimStatus::Approved, decided, true),
            None,
            "received"
        );
        assert_eq!(
            receipt_expected_by(&t, ClaimStatus::Appealed, decided, false),
            None,
            "an appeal shows they had it"
        );
        assert_eq!(
            receipt_expected_by(&t, ClaimStatus::Screening, None, false),
            None
        );
    }

    fn codes(r: Result<Delivery, Vec<FieldError>>) -> Vec<(String, &'static str)> {
        r.unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.code.as_str()))
            .collect()
    }

    #[test]
    fn a_return_receipt_between_the_decision_and_today_is_accepted() {
        let ok = validate_delivery(
            "registered_mail",
            "2026-11-10",
            " EF123456789TH ",
            d(11, 2),
            d(11, 23),
        )
        .unwrap();
        assert_eq!(
            ok,
            Delivery {
                method: NoticeMethod::RegisteredMail,
                received_on: d(11, 10),
                evidence: "EF123456789TH".into()
            }
        );
        assert!(validate_delivery(
            "in_person",
            "2026-11-02",
            "signed at the Gold Card Center",
            d(11, 2),
            d(11, 2)
        )
        .is_ok());
    }

    #[test]
    fn receipt_cannot_precede_the_decision_or_lie_in_the_future() {
        assert_eq!(
            codes(validate_delivery(
                "registered_mail",
                "2026-11-01",
                "EF1",
                d(11, 2),
                d(11, 23)
            )),
            vec![("notice_received_on".to_string(), "before_decision")]
        );
        assert_eq!(
            codes(validate_delivery(
                "registered_mail",
                "2026-11-24",
                "EF1",
                d(11, 2),
                d(11, 23)
            )),
            vec![("notice_received_on".to_string(), "date_in_future")]
        );
        assert_eq!(
            codes(validate_delivery(
                "registered_mail",
                "10/11/2569",
                "EF1",
                d(11, 2),
                d(11, 23)
            )),
            vec![("notice_received_on".to_string(), "date_invalid")]
        );
    }

    #[test]
    fn staff_cannot_claim_the_status_page_and_must_give_evidence() {
        assert_eq!(
            codes(validate_delivery(
                "status_page",
                "2026-11-10",
                "",
                d(11, 2),
                d(11, 23)
            )),
            vec![
                ("notice_method".to_string(), "invalid_choice"),
                ("notice_evidence".to_string(), "required")
            ]
        );
        assert_eq!(
            codes(validate_delivery("", "", "x", d(11, 2), d(11, 23))),
            vec![
                ("notice_method".to_string(), "required"),
                ("notice_received_on".to_string(), "required")
            ]
        );
        assert_eq!(
            codes(validate_delivery(
                "in_person",
                "2026-11-10",
                &"ก".repeat(201),
                d(11, 2),
                d(11, 23)
            )),
            vec![("notice_evidence".to_string(), "too_long")]
        );
    }

    #[test]
    fn methods_round_trip() {
        for m in [
            NoticeMethod::StatusPage,
            NoticeMethod::RegisteredMail,
            NoticeMethod::InPerson,
        ] {
            assert_eq!(NoticeMethod::parse(m.as_str()), Some(m));
        }
    }
}
