//! A claimant who gave the right reference and access code gets a short session (cookie
//! holding a random token; the table keeps only its hash) for their claim's status page.

use super::entities::claimant_session;
use super::error::AppResult;
use super::secrets::{new_token, sha256_hex};
use chrono::{Duration, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

pub const MINUTES: i64 = 30;

pub async fn start(db: &DatabaseConnection, claim_id: Uuid) -> AppResult<String> {
    let token = new_token();
    claimant_session::Entity::insert(claimant_session::ActiveModel {
        token_hash: Set(sha256_hex(token.as_bytes())),
        claim_id: Set(claim_id),
        expires_at: Set(Utc::now() + Duration::minutes(MINUTES)),
    })
    .exec_without_returning(db)
    .await?;
    Ok(token)
}

/// The claim a live session token opens.
pub async fn claim_of(db: &DatabaseConnection, token: &str) -> AppResult<Option<Uuid>> {
    Ok(
        claimant_session::Entity::find_by_id(sha256_hex(token.as_bytes()))
            .filter(claimant_session::Column::ExpiresAt.gt(Utc::now()))
            .one(db)
            .await?
            .map(|s| s.claim_id),
    )
}

