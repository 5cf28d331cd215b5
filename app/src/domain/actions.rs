//! Which staff member may cause which event on a case: their grants (role and region) are
//! turned into the status machine's actors, and `transition` decides.

use super::access::{Grant, Role};
use super::region::Region;
use super::status::{transition, Actor, ClaimStatus, Event, TransitionError};
use serde::{Deserialize, Serialize};

/// The events staff can cause from the case page, in the order the page offers them.
pub const STAFF_EVENTS: [Event; 11] = [
    Event::StartScreening,
    Event::RequestInfo,
    Event::Refer,
    Event::RejectAtScreening,
    Event::StartReview,
    Event::Approve,
    Event::Decline,
    Event::DecideAppeal,
    Event::OrderPayment,
    Event::RecordPayment,
    Event::Close,
];

/// Why a rejection at screening or a decline was made.
pub const SCREENING_REASONS: [&str; 4] = [
    "out_of_window",
    "not_uc_right_holder",
    "duplicate",
    "not_treatment_harm",
];
pub const DECLINE_REASONS: [&str; 4] = [
    "natural_course_of_disease",
    "not_uc_right_holder",
    "out_of_window",
    "other",
];

pub fn reason_label(code: &str, th: bool) -> &'static str {
    match (code, th) {
        ("out_of_window", true) => "ยื่นเกินกำหนด 2 ปี",
        ("out_of_window", false) => "Filed out of time",
        ("not_uc_right_holder", true) => "ไม่ใช่ผู้มีสิทธิหลักประกันสุขภาพแห่งชาติ",
        ("not_uc_right_holder", false) => "Not a Universal Coverage right holder",
        ("duplicate", true) => "คำร้องซ้ำ",
        ("duplicate", false) => "Duplicate petition",
        ("not_treatment_harm", true) => "ไม่ใช่ความเสียหายจากการรักษา",
        ("not_treatment_harm", false) => "Not harm from treatment",
        ("natural_course_of_disease", true) => "เป็นไปตามพยาธิสภาพหรือภาวะแทรกซ้อนของโรค",
        ("natural_course_of_disease", false) => {
            "The natural course or a complication of the disease"
        }
        (_, true) => "อื่น ๆ",
        (_, false) => "Other",
    }
}

fn actor_of(role: Role) -> Option<Actor> {
    match role {
        Role::Intake => Some(Actor::Intake),
        Role::RegionalOfficer => Some(Actor::RegionalOfficer),
        Role::Reviewer => Some(Actor::Reviewer),
        Role::AppealBoard => Some(Actor::AppealBoard),
        Role::Admin | Role::ProvincialOffice => None,
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refusal {
    /// Nothing can make this event happen in the current state.
    State(ClaimStatus),
    /// It could happen, but not by this person (role, or region).
    Role,
}

/// The actor this person acts as to cause `event` on a case in `region` and `state`, or why
/// they cannot.
pub fn actor_for(
    grants: &[Grant],
    region: Region,
    state: ClaimStatus,
    event: Event,
) -> Result<Actor, Refusal> {
    let mut any_state_ok = false;
    for g in grants {
        let Some(actor) = actor_of(g.role) else {
            continue;
        };
        match transition(state, event, actor) {
            Ok(_) => {
                any_state_ok = true;
                // Region-bound grants act only in their region; national ones anywhere.
                if g.region.is_none_or(|r| r == region) {
                    return Ok(actor);
                }
            }
            Err(TransitionError::WrongActor { .. }) => any_state_ok = true,
            Err(TransitionError::NotAllowedFrom { .. }) => {}
        }
    }
    if any_state_ok {
        Err(Refusal::Role)
    } else {
        Err(Refusal::State(state))
    }
}

/// The events this person may cause now: what the case page offers, and nothing else.
pub fn allowed_events(grants: &[Grant], region: Region, state: ClaimStatus) -> Vec<Event> {
    STAFF_EVENTS
        .into_iter()
        .filter(|e| actor_for(grants, region, state, *e).is_ok())
        .collect()
}

/// Re-routing moves an undecided case to another region: intake staff covering its region,
/// or its own regional office, may do it.
pub fn can_reroute(grants: &[Grant], region: Region, state: ClaimStatus) -> bool {
    use ClaimStatus as S;
    matches!(
        state,
        S::Submitted | S::Screening | S::InfoRequested | S::Referred | S::UnderReview
    ) && grants.iter().any(|g| {
        matches!(g.role, Role::Intake | Role::RegionalOfficer)
            && g.region.is_none_or(|r| r == region)
    })
}

/// Whether these grants work on `case`, and so may declare a conflict of interest in it
/// (and be kept off it). A grant must see the case and be one that handles cases (intake,
/// the region's officers, its committee, the appeal board); a provincial health office
/// follows its province's cases (and may note something on one) but does not work on
/// them, and administrators see none.
pub fn works_on(grants: &[Grant], case: crate::domain::access::Case) -> bool {
    grants
        .iter()
        .any(|g| actor_of(g.role).is_some() && g.can_view(case))
}

/// Whether a payment is decided and not yet made, so its bank account is wanted: approved,
/// ordered, or an appeal decided with an amount.
pub fn payment_pending(state: ClaimStatus, amount: Option<i64>) -> bool {
    use ClaimStatus as S;
    match state {
        S::Approved | S::PaymentOrdered => true,
        S::AppealDecided => amount.is_some_and(|a| a > 0),
        _ => false,
    }
}

/// Whether these grants may give a claim's bank account from the petition: the region's
/// intake and officers.
pub fn can_give_account(grants: &[Grant], region: Region) -> bool {
    grants.iter().any(|g| {
        matches!(g.role, Role::Intake | Role::RegionalOfficer) && g.region.is_none_or(|r| r == region)
    })
}

/// Whether these grants pay the region's claims: send batches to the bank, take its results
/// in, and see an account's whole number. The region's officers only.
pub fn can_pay(grants: &[Grant], region: Region) -> bool {
    grants
        .iter()
        .any(|g| g.role == Role::RegionalOfficer && g.region == Some(region))
}

/// Whether these grants may record that the claimant received a decision: the region's
/// intake and officers, who send the letters, while the decision is open to appeal.
pub fn can_record_notice(grants: &[Grant], region: Region, state: ClaimStatus) -> bool {
    state.open_to_appeal()
        && grants.iter().any(|g| {
            matches!(g.role, Role::Intake | Role::RegionalOfficer)
                && g.region.is_none_or(|r| r == region)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(role: Role, region: Option<u8>) -> Grant {
        Grant::new(role, region.and_then(Region::new)).unwrap()
    }

    #[test]
    fn those_who_handle_a_case_work_on_it_and_a_provincial_office_only_follows_it() {
        use crate::domain::access::Case;
        let chiang_mai = crate::domain::ProvinceCode::parse("50").unwrap();
        let case = Case {
            region: Region::new(1).unwrap(),
            province: Some(chiang_mai),
            status: ClaimStatus::Referred,
            referred: true,
        };
        assert!(works_on(&[g(Role::Intake, Some(1))], case));
        assert!(works_on(&[g(Role::RegionalOfficer, Some(1))], case));
        assert!(works_on(&[g(Role::Reviewer, Some(1))], case));
        assert!(!works_on(&[g(Role::RegionalOfficer, Some(2))], case), "another region's");
        assert!(!works_on(&[g(Role::AppealBoard, None)], case), "not appealed");
        assert!(!works_on(&[g(Role::Admin, None)], case));
        let office = Grant::provincial(chiang_mai);
        assert!(crate::domain::access::can_view(&[office], case), "it sees the case");
        assert!(!works_on(&[office], case), "and only follows it");
    }

    #[test]
    fn offers_follow_role_region_and_state() {
        let r1 = Region::new(1).unwrap();
        let r2 = Region::new(2).unwrap();
        let intake1 = [g(Role::Intake, Some(1))];
        assert_eq!(
            allowed_events(&intake1, r1, ClaimStatus::Submitted),
            vec![
                Event::StartScreening,
                Event::RequestInfo,
                Event::Refer,
                Event::RejectAtScreening
            ]
        );
        assert!(allowed_events(&intake1, r2, ClaimStatus::Submitted).is_empty());
        let reviewer1 = [g(Role::Reviewer, Some(1))];
        assert_eq!(
            allowed_events(&reviewer1, r1, ClaimStatus::Referred),
            vec![Event::StartReview, Event::Approve, Event::Decline]
        );
        assert!(allowed_events(&[g(Role::Admin, None)], r1, ClaimStatus::Submitted).is_empty());
    }

    #[test]
    fn rerouting_is_for_the_case_s_own_region_before_a_decision() {
        let r1 = Region::new(1).unwrap();
        assert!(can_reroute(
            &[g(Role::RegionalOfficer, Some(1))],
            r1,
            ClaimStatus::Screening
        ));
        assert!(can_record_notice(
            &[g(Role::RegionalOfficer, Some(1))],
            r1,
            ClaimStatus::Rejected
        ));
        assert!(
            !can_record_notice(
                &[g(Role::RegionalOfficer, Some(2))],
                r1,
                ClaimStatus::Rejected
            ),
            "another region's officer"
        );
        assert!(
            !can_record_notice(&[g(Role::Reviewer, Some(1))], r1, ClaimStatus::Approved),
            "reviewers decide, offices deliver"
        );
        assert!(
            !can_record_notice(&[g(Role::Intake, None)], r1, ClaimStatus::Appealed),
            "once appealed, the notice no longer matters"
        );
        assert!(!can_reroute(
            &[g(Role::RegionalOfficer, Some(2))],
            r1,
            ClaimStatus::Screening
        ));
        assert!(!can_reroute(
            &[g(Role::Reviewer, Some(1))],
            r1,
            ClaimStatus::Referred
        ));
        assert!(!can_reroute(
            &[g(Role::Intake, None)],
            r1,
            ClaimStatus::Approved
        ));
        assert!(can_reroute(
            &[g(Role::Intake, None)],
            r1,
            ClaimStatus::Submitted
        ));
    }

    #[test]
    fn refusals_say_whether_it_is_the_state_or_the_person() {
        let r1 = Region::new(1).unwrap();
        let reviewer2 = [g(Role::Reviewer, Some(2))];
        assert_eq!(
            actor_for(&reviewer2, r1, ClaimStatus::Referred, Event::Approve),
            Err(Refusal::Role)
        );
        assert_eq!(
            actor_for(
                &[g(Role::Intake, None)],
                r1,
                ClaimStatus::Referred,
                Event::Approve
            ),
            Err(Refusal::Role)
        );
        assert_eq!(
            actor_for(
                &[g(Role::Reviewer, Some(1))],
                r1,
                ClaimStatus::Submitted,
                Event::Approve
            ),
            Err(Refusal::State(ClaimStatus::Submitted))
        );
        assert_eq!(
            actor_for(
                &[g(Role::Reviewer, Some(1))],
                r1,
                ClaimStatus::Referred,
                Event::Approve
            ),
            Ok(Actor::Reviewer)
        );
    }
}
