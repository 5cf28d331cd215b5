//! The Gold Card right check through the insurer's rights service (issue "Connected to the
//! Gold Card system"). Screening staff ask it for the injured person's right on the day of
//! treatment; the answer (right type, main service unit), when, by whom and the raw
//! response are kept with the case, and a clear answer fills the checklist's right check.
//! A service that is down or slow is said in plain words and never blocks manual checking.
//!
//! The contract (served for tests and the demo by `section41 rights-sim`):
//! `POST {RIGHTS_API_URL}/v1/rights/check`, `Authorization: Bearer {RIGHTS_API_TOKEN}`,
//! body `{"national_id": "…13 digits…", "service_date": "YYYY-MM-DD"}`. 200 answers
//! `{"right": {"code": "UCS", "name": "…"}, "main_unit": {"code": "…", "name": "…"}}`
//! (`UCS` is the Gold Card right; any other code is another scheme); 404 means nobody is
//! registered under that ID. Anything else, or no answer in 5 seconds, is "unavailable".

use super::audit::{self, Entry};
use super::entities::{claim, rights_check};
use super::error::{AppError, AppResult};
use crate::domain::screening::{Checklist, UcRight};
use crate::views::StaffIdentity;
use sea_orm::prelude::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::{Deserialize, Serialize};

/// Where the rights service is (`RIGHTS_API_URL`) and the token it wants (`RIGHTS_API_TOKEN`).
#[derive(Clone, Debug)]
pub struct RightsService {
    pub url: String,
    pub token: String,
}

/// What the service said, as the case records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    /// Holds the Gold Card (UCS) right on that day.
    Verified,
    /// Registered under another scheme (civil servants', social security, …).
    NotRightHolder,
    /// Nobody registered under that national ID.
    NotFound,
    /// No usable answer (down, slow, refused the token, answered nonsense).
    Unavailable,
}

impl Outcome {
    pub fn key(self) -> &'static str {
        match self {
            Self::Verified => "verified",
            Self::NotRightHolder => "not_right_holder",
            Self::NotFound => "not_found",
            Self::Unavailable => "unavailable",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Verified, Self::NotRightHolder, Self::NotFound, Self::Unavailable]
            .into_iter()
            .find(|o| o.key() == s)
    }
}

#[derive(Deserialize)]
struct Named {
    code: String,
    name: String,
}

#[derive(Deserialize)]
struct Answer {
    right: Named,
    main_unit: Option<Named>,
}

/// (outcome, right type, main unit, raw response)
type Checked = (Outcome, Option<String>, Option<String>, Option<String>);

/// Asks the service; never fails: a failure is `Unavailable`, with the reason as the raw text.
pub async fn ask(service: &RightsService, national_id: &str, service_date: chrono::NaiveDate) -> Checked {
    let client = match reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(5))
        .build()
    {
        Ok(c) => c,
        Err(e) => return (Outcome::Unavailable, None, None, Some(e.to_string())),
    };
    let sent = client
        .post(format!("{}/v1/rights/check", service.url.trim_end_matches('/')))
        .bearer_auth(&service.token)
        .json(&serde_json::json!({"national_id": national_id, "service_date": service_date.to_string()}))
        .send()
        .await;
    let r = match sent {
        Ok(r) => r,
        Err(e) => {
            let why = if e.is_timeout() { "no answer within 5 seconds".to_string() } else { e.to_string() };
            return (Outcome::Unavailable, None, None, Some(why));
        }
    };
    let status = r.status();
    let body = r.text().await.unwrap_or_default();
    let raw = Some(body.chars().take(4000).collect::<String>());
    if status == reqwest::StatusCode::NOT_FOUND {
        return (Outcome::NotFound, None, None, raw);
    }
    if !status.is_success() {
        return (Outcome::Unavailable, None, None, Some(format!("HTTP {status}: {}", raw.unwrap_or_default())));
    }
    match serde_json::from_str::<Answer>(&body) {
        Ok(a) => (
            if a.right.code == "UCS" { Outcome::Verified } else { Outcome::NotRightHolder },
            Some(format!("{} {}", a.right.code, a.right.name)),
            a.main_unit.map(|u| format!("{} {}", u.code, u.name)),
            raw,
        ),
        Err(e) => (Outcome::Unavailable, None, None, Some(format!("unreadable answer ({e}): {}", raw.unwrap_or_default()))),
    }
}

/// Checks the right of claim `reference`'s injured person on the treatment day, for the
/// staff member screening it; records the answer with the case (and, when it is clear, in
/// the checklist), audited. Returns the outcome to show.
pub async fn check_for_case(
    db: &DatabaseConnection,
    service: Option<&RightsService>,
    me: &StaffIdentity,
    reference: &str,
    client: &str,
) -> AppResult<Outcome> {
    let reference = crate::domain::reference::normalise_reference(reference);
    let actor = format!("user:{}", me.email);
    let c = claim::Entity::find()
        .filter(claim::Column::Reference.eq(reference.as_str()))
        .one(db)
        .await?;
    let c = match c {
        Some(c) if super::staff::may_see(db, me, &c).await? && super::actions::screens(me, &c) => c,
        _ => {
            audit::refused(db, &actor, Some(&reference), "rights check", client).await?;
            return Err(AppError::NotFound);
        }
    };
    let Some(service) = service else {
        return Err(AppError::BadRequest("no rights service is configured".into()));
    };
    let (outcome, right, unit, raw) = ask(service, &c.patient_national_id, c.treatment_date).await;
    let now = chrono::Utc::now();
    let txn = super::begin_write(db).await?;
    rights_check::Entity::insert(rights_check::ActiveModel {
        claim_id: Set(c.id),
        checked_at: Set(now),
        checked_by: Set(me.email.clone()),
        outcome: Set(outcome.key().into()),
        right_type: Set(right.clone()),
        main_unit: Set(unit.clone()),
        raw_response: Set(raw),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    // A clear answer is the checklist's right check; the rest of the checklist stays.
    let uc = match outcome {
        Outcome::Verified => Some(UcRight::Verified),
        Outcome::NotRightHolder => Some(UcRight::NotRightHolder),
        _ => None,
    };
    if let Some(uc) = uc {
        let mut list: Checklist = c
            .screening_checklist
            .as_deref()
            .and_then(|j| serde_json::from_str(j).ok())
            .unwrap_or_default();
        list.uc_right = Some(uc);
        list.uc_method = format!(
            "ระบบตรวจสอบสิทธิ สปสช. ณ วันที่รับการรักษา {}{}",
            c.treatment_date,
            right.as_deref().map(|r| format!(" ({r})")).unwrap_or_default()
        );
        list.checked_by = me.email.clone();
        list.checked_at = now.to_rfc3339();
        claim::Entity::update_many()
            .col_expr(
                claim::Column::ScreeningChecklist,
                Expr::value(Some(serde_json::to_string(&list).map_err(AppError::internal)?)),
            )
            .filter(claim::Column::Id.eq(c.id))
            .exec(&txn)
            .await?;
    }
    audit::append_in(
        &txn,
        Entry {
            actor: &actor,
            action: "rights_checked",
            claim_reference: Some(&c.reference),
            detail: &format!("{}; {}", outcome.key(), right.unwrap_or_default()),
            client,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(outcome)
}

/// The checks made for a claim, newest first: (when, by whom, outcome key, right, main unit).
pub async fn history(
    db: &DatabaseConnection,
    claim_id: uuid::Uuid,
) -> AppResult<Vec<crate::views::RightsCheckView>> {
    Ok(rights_check::Entity::find()
        .filter(rights_check::Column::ClaimId.eq(claim_id))
        .order_by_desc(rights_check::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|r| crate::views::RightsCheckView {
            at: r.checked_at,
            by: r.checked_by,
            outcome: r.outcome,
            right: r.right_type,
            main_unit: r.main_unit,
        })
        .collect())
}
