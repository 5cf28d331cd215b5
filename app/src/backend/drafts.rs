//! Web-form petitions in progress. Each step posts here; the values (even invalid ones) and
//! the step's errors are kept so the page can show them back (post/redirect/get).

use super::entities::draft;
use super::error::{AppError, AppResult};
use crate::domain::FieldError;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, DatabaseConnection, EntityTrait, IntoActiveModel,
};
use std::collections::BTreeMap;
use uuid::Uuid;

pub type Fields = BTreeMap<String, String>;

/// Forms one client may start in a throttle window (`throttle::WINDOW_MINUTES`).
pub const PER_CLIENT: i32 = 20;

/// Carries `{draft_id}:{access_code}` (`Cookie::NewCode`) from the filing request to the
/// confirmation page, in the filer's browser only (HttpOnly, one hour), so the database
/// never holds the code.
pub fn access_code_cookie(draft_id: uuid::Uuid, code: &str, secure: bool) -> String {
    super::cookies::Cookie::NewCode.set(&format!("{draft_id}:{code}"), 3600, secure)
}

/// A new draft, started by `client_key` (`None`: started by signed-in staff).
pub async fn create(db: &DatabaseConnection, client_key: Option<String>) -> AppResult<Uuid> {
    let id = Uuid::new_v4();
    let now = Utc::now();
    draft::Entity::insert(draft::ActiveModel {
        id: Set(id),
        fields: Set("{}".into()),
        errors: Set("[]".into()),
        claim_reference: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        submitted_at: Set(None),
        client_key: Set(client_key),
    })
    .exec_without_returning(db)
    .await?;
    Ok(id)
}

pub async fn get(db: &DatabaseConnection, id: Uuid) -> AppResult<draft::Model> {
    draft::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

pub fn fields_of(d: &draft::Model) -> Fields {
    serde_json::from_str(&d.fields).unwrap_or_default()
}

pub fn errors_of(d: &draft::Model) -> Vec<FieldError> {
    serde_json::from_str(&d.errors).unwrap_or_default()
}

/// Merges one step's answers into the draft and records that step's errors.
pub async fn save_step(
    db: &DatabaseConnection,
    d: draft::Model,
    answers: Fields,
    errors: &[FieldError],
) -> AppResult<()> {
    let mut fields = fields_of(&d);
    fields.extend(answers);
    let mut am = d.into_active_model();
    am.fields = Set(serde_json::to_string(&fields).map_err(AppError::internal)?);
    am.errors = Set(serde_json::to_string(errors).map_err(AppError::internal)?);
    am.updated_at = Set(Utc::now());
    am.update(db).await?;
    Ok(())
}

/// Links the draft to its claim and forgets the answers: from now on the claim holds them,
/// behind its access code, and a draft link left in a shared computer's history shows
/// nothing. The access code is not kept here either: it reaches the confirmation page only
/// through the filer's own browser (see `ACCESS_CODE_COOKIE`).
pub async fn mark_submitted(
    db: &DatabaseConnection,
    d: draft::Model,
    reference: &str,
) -> AppResult<()> {
    let mut am = d.into_active_model();
    am.claim_reference = Set(Some(reference.into()));
    am.fields = Set("{}".into());
    am.errors = Set("[]".into());
    am.submitted_at = Set(Some(Utc::now()));
    am.update(db).await?;
    Ok(())
}
