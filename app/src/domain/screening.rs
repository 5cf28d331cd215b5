//! The screening checklist: the six things a petition must contain (booklet p.38), the
//! evidence (a copy of the ID card or birth certificate; a power of attorney for a proxy),
//! and the check of the injured person's Universal Coverage right. A case goes to the
//! committee only when all of it is ticked and the right is verified.

use super::petition::Relation;
use serde::{Deserialize, Serialize};

/// (key, Thai, English), in the order staff check them.
pub const ITEMS: [(&str, &str, &str); 8] = [
    (
        "patient_name",
        "ชื่อผู้รับบริการที่ได้รับความเสียหาย",
        "Name of the injured person",
    ),
    (
        "damage",
        "ความเสียหายที่เกิดจากการรักษา",
        "The harm the treatment caused",
    ),
    (
        "service_unit",
        "ชื่อหน่วยบริการที่ให้การรักษา",
        "Name of the service unit",
    ),
    (
        "dates",
        "วันที่รับการรักษาและวันที่ทราบความเสียหาย",
        "Date of treatment and date the harm became known",
    ),
    ("contact", "ที่อยู่หรือช่องทางที่ติดต่อได้", "Address or contact"),
    (
        "burden",
        "ภาระที่ผู้รับบริการต้องรับผิดชอบ",
        "The burden the injured person bears",
    ),
    (
        "id_document",
        "สำเนาบัตรประชาชนหรือสูติบัตร",
        "Copy of the ID card or birth certificate",
    ),
    (
        "power_of_attorney",
        "หนังสือมอบอำนาจ (กรณีผู้รับมอบอำนาจ)",
        "Power of attorney (when filed by a proxy)",
    ),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UcRight {
    /// Checked and found to hold the Universal Coverage right on the treatment date.
    Verified,
    /// Checked and found not to hold it.
    NotRightHolder,
}

/// What screening recorded, with who checked and when (set by the server).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checklist {
    pub items: Vec<String>,
    pub uc_right: Option<UcRight>,
    /// How the right was checked (e.g. the NHSO eligibility system, a printout).
    pub uc_method: String,
    pub checked_by: String,
    pub checked_at: String,
}

/// The items a petition filed with this relation must have ticked.
pub fn required(relation: Option<Relation>) -> Vec<&'static str> {
    ITEMS
        .iter()
        .map(|(k, _, _)| *k)
        .filter(|k| *k != "power_of_attorney" || relation == Some(Relation::Proxy))
        .collect()
}

/// The required items not yet ticked.
pub fn missing(c: &Checklist, relation: Option<Relation>) -> Vec<&'static str> {
    required(relation)
        .into_iter()
        .filter(|k| !c.items.iter().any(|i| i == k))
        .collect()
}

/// Whether the case may go to the committee.
pub fn ready_to_refer(c: Option<&Checklist>, relation: Option<Relation>) -> bool {
    c.is_some_and(|c| missing(c, relation).is_empty() && c.uc_right == Some(UcRight::Verified))
}

pub fn label(key: &str, th: bool) -> &'static str {
    ITEMS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, t, e)| if th { *t } else { *e })
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ticked(keys: &[&str], uc: Option<UcRight>) -> Checklist {
        Checklist {
            items: keys.iter().map(|k| k.to_string()).collect(),
            uc_right: uc,
            ..Default::default()
        }
    }

    #[test]
    fn a_proxy_needs_the_power_of_attorney_and_everyone_needs_the_right_verified() {
        let six = [
            "patient_name",
            "damage",
            "service_unit",
            "dates",
            "contact",
            "burden",
            "id_document",
        ];
        assert!(ready_to_refer(
            Some(&ticked(&six, Some(UcRight::Verified))),
            Some(Relation::Myself)
        ));
        assert!(!ready_to_refer(
            Some(&ticked(&six, Some(UcRight::Verified))),
            Some(Relation::Proxy)
        ));
        assert_eq!(
            missing(&ticked(&six, None), Some(Relation::Proxy)),
            vec!["power_of_attorney"]
        );
        assert!(!ready_to_refer(
            Some(&ticked(&six, Some(UcRight::NotRightHolder))),
            Some(Relation::Myself)
        ));
        assert!(!ready_to_refer(
            Some(&ticked(&six, None)),
            Some(Relation::Myself)
        ));
        assert!(!ready_to_refer(
            Some(&ticked(&six[1..], Some(UcRight::Verified))),
            Some(Relation::Myself)
        ));
        assert!(!ready_to_refer(None, Some(Relation::Myself)));
    }
}
