//! Slows down guessing. Each try is counted under a key (a client's address, an account)
//! before the work it guards, in one atomic statement, so parallel tries cannot slip past
//! the count; a try that turns out right is taken back, so only wrong ones add up. Counts
//! live in the database, so several app instances share them, and reset after
//! `WINDOW_MINUTES`.

use super::entities::throttle;
use super::error::{AppError, AppResult};
use chrono::{Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
};

/// Wrong access codes one client may try in a window (web and API together).
pub const MAX_FAILURES: i32 = 10;
pub const WINDOW_MINUTES: i64 = crate::domain::policy::TRY_WINDOW_MINUTES;
/// Petitions one client may file through the API in a window: each costs a claim, a
/// confirmation mail to whatever address it names, and a place in the write queue. (A
/// retry answered from its `Idempotency-Key` is not a new filing and is not counted.)
pub const API_FILINGS_PER_CLIENT: i32 = 20;

/// Counts one try under `key` and says how many the current window holds, this one
/// included. A window older than `WINDOW_MINUTES` starts again at 1.
pub async fn count(db: &impl ConnectionTrait, key: &str) -> AppResult<i32> {
    let now = Utc::now();
    let fresh = Expr::col((throttle::Entity, throttle::Column::WindowStart))
        .gt(now - Duration::minutes(WINDOW_MINUTES));
    let failures = Expr::col((throttle::Entity, throttle::Column::Failures));
    let start = Expr::col((throttle::Entity, throttle::Column::WindowStart));
    let row = throttle::Entity::insert(throttle::ActiveModel {
        key: Set(key.to_string()),
        failures: Set(1),
        window_start: Set(now),
    })
    .on_conflict(
        OnConflict::column(throttle::Column::Key)
            .value(
                throttle::Column::Failures,
                Expr::case(fresh.clone(), failures.add(1)).finally(1),
            )
            .value(
                throttle::Column::WindowStart,
                Expr::case(fresh, start).finally(now),
            )
            .to_owned(),
    )
    .exec_with_returning(db)
    .await?;
    Ok(row.failures)
}

/// Counts a try from `key` and refuses it (`TooManyRequests`) past `limit`, before any
/// work is done for it. The first refusal in a window is written to the audit log, once:
/// a flood of refused tries costs one entry, not one each.
pub async fn attempt(
    db: &DatabaseConnection,
    key: &str,
    limit: i32,
    client: &str,
) -> AppResult<()> {
    let n = count(db, key).await?;
    if n <= limit {
        return Ok(());
    }
    if n == limit + 1 {
        super::audit::append(db, first_refusal(key, limit, client, &mut String::new())).await?;
    }
    Err(AppError::TooManyRequests)
}

/// `attempt` inside a transaction that writes what the try is for (the filing writer's
/// batch): the count is committed with it, not by a commit of its own. Whether the try is
/// within the limit.
pub async fn within_limit_in(
    txn: &sea_orm::DatabaseTransaction,
    key: &str,
    limit: i32,
    client: &str,
) -> AppResult<bool> {
    let n = count(txn, key).await?;
    if n == limit + 1 {
        super::audit::append_in(txn, first_refusal(key, limit, client, &mut String::new())).await?;
    }
    Ok(n <= limit)
}

/// The one audit entry of a window's refusals.
fn first_refusal<'a>(
    key: &str,
    limit: i32,
    client: &'a str,
    detail: &'a mut String,
) -> super::audit::Entry<'a> {
    tracing::warn!(%key, "tries refused for the rest of the window");
    *detail = format!(
        "{key}: {limit} tries; further tries refused for up to {WINDOW_MINUTES} minutes"
    );
    super::audit::Entry {
        actor: "system",
        action: "throttled",
        claim_reference: None,
        detail,
        client,
    }
}

/// Takes back one counted try: it was right.
pub async fn forgive(db: &impl ConnectionTrait, key: &str) -> AppResult<()> {
    throttle::Entity::update_many()
        .col_expr(
            throttle::Column::Failures,
            Expr::col(throttle::Column::Failures).sub(1),
        )
        .filter(throttle::Column::Key.eq(key))
        .filter(throttle::Column::Failures.gt(0))
        .exec(db)
        .await?;
    Ok(())
}

/// The tries counted under `key` in the current window.
pub async fn tries(db: &impl ConnectionTrait, key: &str) -> AppResult<i32> {
    Ok(throttle::Entity::find_by_id(key.to_string())
        .filter(throttle::Column::WindowStart.gt(Utc::now() - Duration::minutes(WINDOW_MINUTES)))
        .one(db)
        .await?
        .map_or(0, |r| r.failures))
}
