//! The claim's life as a pure state machine: `transition(state, event, actor)`.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimStatus {
    Submitted,
    Screening,
    InfoRequested,
    Referred,
    UnderReview,
    Approved,
    Rejected,
    Appealed,
    AppealDecided,
    PaymentOrdered,
    Paid,
    Closed,
    Withdrawn,
}

impl ClaimStatus {
    pub const ALL: [ClaimStatus; 13] = [
        Self::Submitted,
        Self::Screening,
        Self::InfoRequested,
        Self::Referred,
        Self::UnderReview,
        Self::Approved,
        Self::Rejected,
        Self::Appealed,
        Self::AppealDecided,
        Self::PaymentOrdered,
        Self::Paid,
        Self::Closed,
        Self::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::Screening => "screening",
            Self::InfoRequested => "info_requested",
            Self::Referred => "referred",
            Self::UnderReview => "under_review",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Appealed => "appealed",
            Self::AppealDecided => "appeal_decided",
            Self::PaymentOrdered => "payment_ordered",
            Self::Paid => "paid",
            Self::Closed => "closed",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// What the claimant reads: plain Thai.
    pub fn label_th(self) -> &'static str {
        match self {
            Self::Submitted => "ได้รับคำร้องแล้ว",
            Self::Screening => "กำลังตรวจสอบคำร้อง",
            Self::InfoRequested => "ขอข้อมูลเพิ่มเติมจากท่าน",
            Self::Referred => "ส่งให้คณะอนุกรรมการพิจารณา",
            Self::UnderReview => "คณะอนุกรรมการกำลังพิจารณา",
            Self::Approved => "อนุมัติจ่ายเงินช่วยเหลือเบื้องต้น",
            Self::Rejected => "ไม่อนุมัติ",
            Self::Appealed => "ได้รับคำอุทธรณ์แล้ว",
            Self::AppealDecided => "มีคำวินิจฉัยอุทธรณ์แล้ว",
            Self::PaymentOrdered => "สั่งจ่ายเงินแล้ว",
            Self::Paid => "จ่ายเงินแล้ว",
            Self::Closed => "ปิดเรื่องแล้ว",
            Self::Withdrawn => "ถอนคำร้องแล้ว",
        }
    }

    /// What the claimant reads: plain English.
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Submitted => "Received",
            Self::Screening => "Being checked",
            Self::InfoRequested => "We need more information from you",
            Self::Referred => "Sent to the regional committee",
            Self::UnderReview => "The committee is considering it",
            Self::Approved => "Approved for payment",
            Self::Rejected => "Not approved",
            Self::Appealed => "Appeal received",
            Self::AppealDecided => "Appeal decided",
            Self::PaymentOrdered => "Payment ordered",
            Self::Paid => "Paid",
            Self::Closed => "Closed",
            Self::Withdrawn => "Withdrawn",
        }
    }

    /// The next step, in the claimant's words.
    pub fn next_step_th(self) -> &'static str {
        match self {
            Self::Submitted | Self::Screening => {
                "เจ้าหน้าที่จะตรวจสอบความครบถ้วนของคำร้องและเอกสาร หากต้องการข้อมูลเพิ่มจะแจ้งท่านในหน้านี้"
            }
            Self::InfoRequested => "โปรดส่งข้อมูลหรือเอกสารที่ขอ เมื่อได้รับแล้วจะพิจารณาต่อ",
            Self::Referred | Self::UnderReview => "คณะอนุกรรมการระดับเขตจะพิจารณาและแจ้งผลให้ท่านทราบ",
            Self::Approved => {
                "สำนักงานเขตจะดำเนินการจ่ายเงิน หากไม่เห็นด้วยกับจำนวนเงิน ท่านอุทธรณ์ได้ภายในกำหนด"
            }
            Self::Rejected => "หากไม่เห็นด้วย ท่านอุทธรณ์ได้ภายในกำหนด",
            Self::Appealed => "คณะกรรมการจะพิจารณาอุทธรณ์และแจ้งผลให้ท่านทราบ",
            Self::AppealDecided => "ผลอุทธรณ์ถือเป็นที่สุด หากได้รับเงินจะมีการสั่งจ่าย",
            Self::PaymentOrdered => "เงินจะโอนเข้าบัญชีของท่าน",
            Self::Paid | Self::Closed | Self::Withdrawn => "ไม่มีขั้นตอนที่ท่านต้องทำเพิ่ม",
        }
    }

    pub fn next_step_en(self) -> &'static str {
        match self {
            Self::Submitted | Self::Screening => "Staff will check that the petition and documents are complete. If we need more, we will ask on this page.",
            Self::InfoRequested => "Please send the information or documents we asked for. We will continue when we have them.",
            Self::Referred | Self::UnderReview => "The regional committee will decide and tell you the result.",
            Self::Approved => "The regional office will arrange payment. If you disagree with the amount you may appeal in time.",
            Self::Rejected => "If you disagree you may appeal in time.",
            Self::Appealed => "The board will decide your appeal and tell you the result.",
            Self::AppealDecided => "The appeal decision is final. If money is due, payment will be ordered.",
            Self::PaymentOrdered => "The money will be transferred to your account.",
            Self::Paid | Self::Closed | Self::Withdrawn => "There is nothing more you need to do.",
        }
    }

    /// A decision stands that the claimant may appeal (so when they received it matters),
    /// as the status machine says.
    pub fn open_to_appeal(self) -> bool {
        transition(self, Event::Appeal, Actor::Claimant).is_ok()
    }

    /// The claimant may still add documents: not once it is paid, closed or withdrawn.
    pub fn takes_documents(self) -> bool {
        !matches!(self, Self::Paid | Self::Closed | Self::Withdrawn)
    }

    /// Nothing can happen to a closed or withdrawn claim.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Closed | Self::Withdrawn)
    }
}

/// Who is acting on the claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    Claimant,
    Intake,
    RegionalOfficer,
    Reviewer,
    AppealBoard,
    System,
}

/// Something that happens to a claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    StartScreening,
    RequestInfo,
    ProvideInfo,
    RejectAtScreening,
    Refer,
    StartReview,
    Approve,
    Decline,
    Appeal,
    DecideAppeal,
    OrderPayment,
    RecordPayment,
    Close,
    Withdraw,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("{event:?} is not allowed while the claim is {from:?}")]
    NotAllowedFrom { from: ClaimStatus, event: Event },
    #[error("{actor:?} may not {event:?}")]
    WrongActor { actor: Actor, event: Event },
}

/// Who may cause each event.
fn allowed_actors(event: Event) -> &'static [Actor] {
    use Actor::*;
    match event {
        Event::StartScreening | Event::RequestInfo | Event::RejectAtScreening | Event::Refer => {
            &[Intake, RegionalOfficer]
        }
        Event::ProvideInfo | Event::Appeal => &[Claimant],
        Event::Withdraw => &[Claimant, Intake],
        Event::StartReview | Event::Approve | Event::Decline => &[Reviewer],
        Event::DecideAppeal => &[AppealBoard],
        Event::OrderPayment | Event::RecordPayment => &[RegionalOfficer],
        Event::Close => &[RegionalOfficer, System],
    }
}

/// The state a claim moves to when `actor` causes `event` in `state`, or why it cannot.
pub fn transition(
    state: ClaimStatus,
    event: Event,
    actor: Actor,
) -> Result<ClaimStatus, TransitionError> {
    use ClaimStatus as S;
    let next = match (state, event) {
        (S::Submitted, Event::StartScreening) => S::Screening,
        (S::Submitted | S::Screening, Event::RequestInfo) => S::InfoRequested,
        (S::InfoRequested, Event::ProvideInfo) => S::Screening,
        (S::Submitted | S::Screening | S::InfoRequested, Event::RejectAtScreening) => S::Rejected,
        (S::Submitted | S::Screening, Event::Refer) => S::Referred,
        (S::Referred, Event::StartReview) => S::UnderReview,
        (S::Referred | S::UnderReview, Event::Approve) => S::Approved,
        (S::Referred | S::UnderReview, Event::Decline) => S::Rejected,
        (S::Approved | S::Rejected, Event::Appeal) => S::Appealed,
        (S::Appealed, Event::DecideAppeal) => S::AppealDecided,
        (S::Approved | S::AppealDecided, Event::OrderPayment) => S::PaymentOrdered,
        (S::PaymentOrdered, Event::RecordPayment) => S::Paid,
        (S::Rejected | S::AppealDecided | S::Paid, Event::Close) => S::Closed,
        (s, Event::Withdraw)
            if !s.is_final() && !matches!(s, S::Approved | S::PaymentOrdered | S::Paid) =>
        {
            S::Withdrawn
        }
        (from, event) => return Err(TransitionError::NotAllowedFrom { from, event }),
    };
    if !allowed_actors(event).contains(&actor) {
        return Err(TransitionError::WrongActor { actor, event });
    }
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn only_a_committee_decision_is_open_to_appeal() {
        let open: Vec<ClaimStatus> = ClaimStatus::ALL
            .into_iter()
            .filter(|s| s.open_to_appeal())
            .collect();
        assert_eq!(open, vec![ClaimStatus::Approved, ClaimStatus::Rejected]);
    }

    const EVENTS: [Event; 14] = [
        Event::StartScreening,
        Event::RequestInfo,
        Event::ProvideInfo,
        Event::RejectAtScreening,
        Event::Refer,
        Event::StartReview,
        Event::Approve,
        Event::Decline,
        Event::Appeal,
        Event::DecideAppeal,
        Event::OrderPayment,
        Event::RecordPayment,
        Event::Close,
        Event::Withdraw,
    ];
    const ACTORS: [Actor; 6] = [
        Actor::Claimant,
        Actor::Intake,
        Actor::RegionalOfficer,
        Actor::Reviewer,
        Actor::AppealBoard,
        Actor::System,
    ];

    #[test]
    fn the_whole_happy_path_with_an_appeal() {
        let mut s = ClaimStatus::Submitted;
        for (e, a) in [
            (Event::StartScreening, Actor::Intake),
            (Event::RequestInfo, Actor::Intake),
            (Event::ProvideInfo, Actor::Claimant),
            (Event::Refer, Actor::Intake),
            (Event::StartReview, Actor::Reviewer),
            (Event::Approve, Actor::Reviewer),
            (Event::Appeal, Actor::Claimant),
            (Event::DecideAppeal, Actor::AppealBoard),
            (Event::OrderPayment, Actor::RegionalOfficer),
            (Event::RecordPayment, Actor::RegionalOfficer),
        ] {
            s = transition(s, e, a).unwrap();
        }
        assert_eq!(s, ClaimStatus::Paid);
    }

    #[test]
    fn refusals_say_why() {
        assert_eq!(
            transition(ClaimStatus::Submitted, Event::Approve, Actor::Reviewer),
            Err(TransitionError::NotAllowedFrom {
                from: ClaimStatus::Submitted,
                event: Event::Approve
            })
        );
        assert_eq!(
            transition(ClaimStatus::Referred, Event::Approve, Actor::Intake),
            Err(TransitionError::WrongActor {
                actor: Actor::Intake,
                event: Event::Approve
            })
        );
    }

    #[test]
    fn every_status_has_labels_and_round_trips() {
        for s in ClaimStatus::ALL {
            assert_eq!(ClaimStatus::parse(s.as_str()), Some(s));
            assert!(!s.label_th().is_empty() && !s.label_en().is_empty());
            assert!(!s.next_step_th().is_empty() && !s.next_step_en().is_empty());
        }
    }

    proptest! {
        #[test]
        fn final_states_never_move(si in 0usize..13, ei in 0usize..14, ai in 0usize..6) {
            let s = ClaimStatus::ALL[si];
            if s.is_final() {
                prop_assert!(transition(s, EVENTS[ei], ACTORS[ai]).is_err());
            }
        }

        #[test]
        fn a_permitted_move_always_lands_in_a_different_state(si in 0usize..13, ei in 0usize..14, ai in 0usize..6) {
            if let Ok(next) = transition(ClaimStatus::ALL[si], EVENTS[ei], ACTORS[ai]) {
                prop_assert_ne!(next, ClaimStatus::ALL[si]);
            }
        }
    }
}
