//! Service units as API clients (issue "Connected to the Gold Card system"): administrators
//! issue a key to a unit (code, name, province) and can revoke it. Only the key's SHA-256 is
//! stored (a key is 256 random bits, so a fast hash is enough). A filing sent with a key is
//! the unit's: its relation is the service unit, its channel "service unit", it is counted
//! against the key's own limit, and the unit can list its filings with their status.

use super::entities::{claim, unit_api_key};
use super::error::{AppError, AppResult};
use crate::domain::{ErrorCode, FieldError};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

/// Keys start with this, so a leaked one is easy to recognise.
pub const PREFIX: &str = "s41u_";
/// Filings one key may send in a throttle window.
pub const FILINGS_PER_KEY: i32 = 500;
/// Claims per page of `GET /api/v1/claims`.
pub const PAGE_SIZE: u64 = 50;

fn hash(key: &str) -> String {
    super::secrets::sha256_hex(key.as_bytes())
}

/// Issues a key (inside an administrator's change); returns the audit detail and the key,
/// which is shown once and never stored.
pub async fn issue_in(
    txn: &DatabaseTransaction,
    admin: &str,
    code: &str,
    name: &str,
    province: &str,
) -> AppResult<(String, String)> {
    let (code, name) = (code.trim(), name.trim());
    let mut errors = Vec::new();
    if code.is_empty() || code.len() > 20 || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        errors.push(FieldError::new("unit_code", if code.is_empty() { ErrorCode::Required } else { ErrorCode::InvalidChoice }));
    }
    if name.is_empty() {
        errors.push(FieldError::new("unit_name", ErrorCode::Required));
    } else if name.chars().count() > 200 {
        errors.push(FieldError::new("unit_name", ErrorCode::TooLong { max: 200 }));
    }
    let province = crate::domain::ProvinceCode::parse(province.trim());
    if province.is_none() {
        errors.push(FieldError::new("province_code", ErrorCode::UnknownProvince));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let key = format!("{PREFIX}{}", super::secrets::new_token());
    unit_api_key::Entity::insert(unit_api_key::ActiveModel {
        unit_code: Set(code.into()),
        unit_name: Set(name.into()),
        province_code: Set(province.map(|p| p.to_string()).unwrap_or_default()),
        key_hash: Set(hash(&key)),
        created_at: Set(chrono::Utc::now()),
        created_by: Set(admin.into()),
        revoked_at: Set(None),
        ..Default::default()
    })
    .exec(txn)
    .await?;
    Ok((format!("API key issued to unit {code} ({name})"), key))
}

/// Revokes key `id` (inside an administrator's change): it opens nothing from now on.
pub async fn revoke_in(txn: &DatabaseTransaction, id: &str) -> AppResult<String> {
    let id: i32 = id.trim().parse().map_err(|_| AppError::NotFound)?;
    let done = unit_api_key::Entity::update_many()
        .col_expr(unit_api_key::Column::RevokedAt, sea_orm::sea_query::Expr::value(Some(chrono::Utc::now())))
        .filter(unit_api_key::Column::Id.eq(id))
        .filter(unit_api_key::Column::RevokedAt.is_null())
        .exec(txn)
        .await?;
    if done.rows_affected != 1 {
        return Err(AppError::NotFound);
    }
    Ok(format!("API key {id} revoked"))
}

/// The live key a request's `Authorization: Bearer` names; `Unauthorized` for a key that is
/// unknown or revoked. `None` when the request sends none.
pub async fn from_header(
    db: &DatabaseConnection,
    authorization: Option<&str>,
) -> AppResult<Option<unit_api_key::Model>> {
    let Some(value) = authorization else {
        return Ok(None);
    };
    let key = value.strip_prefix("Bearer ").unwrap_or("").trim();
    if !key.starts_with(PREFIX) {
        return Err(AppError::Unauthorized);
    }
    unit_api_key::Entity::find()
        .filter(unit_api_key::Column::KeyHash.eq(hash(key)))
        .filter(unit_api_key::Column::RevokedAt.is_null())
        .one(db)
        .await?
        .map(Some)
        .ok_or(AppError::Unauthorized)
}

/// Every key, for the admin page: (id, unit code, name, province, issued, revoked).
pub async fn list(db: &DatabaseConnection) -> AppResult<Vec<unit_api_key::Model>> {
    Ok(unit_api_key::Entity::find()
        .order_by_desc(unit_api_key::Column::Id)
        .all(db)
        .await?)
}

/// A page of the claims filed with `key`, newest first, after `before` (the `next` of the
/// page before).
pub async fn filings(
    db: &DatabaseConnection,
    key: &unit_api_key::Model,
    before: Option<&str>,
) -> AppResult<(Vec<claim::Model>, Option<String>)> {
    let mut cond = Condition::all().add(claim::Column::ApiKeyId.eq(key.id));
    if let Some(before) = before.filter(|b| !b.is_empty()) {
        // Only a cursor this list gave out can be one: anything else is no page at all.
        cond = cond.add(super::listing::older_than(before).ok_or(AppError::NotFound)?);
    }
    super::listing::newest_first(db, cond, PAGE_SIZE).await
}
