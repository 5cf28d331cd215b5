//! Slows down guessing: after `MAX_FAILURES` wrong tries from one client within the window,
//! further tries are refused (429) until the window passes. Kept in the database so several
//! app instances share the count.

use super::entities::throttle;
use super::error::{AppError, AppResult};
use chrono::{Duration, Utc};
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait};

pub const MAX_FAILURES: i32 = 5;
pub const WINDOW_MINUTES: i64 = 15;

/// Refuses when the key has used up its tries in the current window.
pub async fn check(db: &DatabaseConnection, key: &str) -> AppResult<()> {
    check_limit(db, key, MAX_FAILURES).await
}

/// As `check`, with a limit of the caller's choosing (a shared office IP gets more).
pub async fn check_limit(db: &DatabaseConnection, key: &str, max_failures: i32) -> AppResult<()> {
    if let Some(row) = throttle::Entity::find_by_id(key.to_string())
        .one(db)
        .await?
    {
        let fresh = row.window_start + Duration::minutes(WINDOW_MINUTES) > Utc::now();
        if fresh && row.failures >= max_failures {
            return Err(AppError::TooManyRequests);
        }
    }
    Ok(())
}

/// Counts one wrong try.
pub async fn record_failure(db: &DatabaseConnection, key: &str) -> AppResult<()> {
    let now = Utc::now();
    match throttle::Entity::find_by_id(key.to_string())
        .one(db)
        .await?
    {
        Some(row) if row.window_start + Duration::minutes(WINDOW_MINUTES) > now => {
            throttle::Entity::update(throttle::ActiveModel {
                key: Set(row.key),
                failures: Set(row.failures + 1),
                window_start: Set(row.window_start),
            })
            .exec(db)
            .await?;
        }
        Some(row) => {
            throttle::Entity::update(throttle::ActiveModel {
                key: Set(row.key),
                failures: Set(1),
                window_start: Set(now),
            })
            .exec(db)
            .await?;
        }
        None => {
            throttle::Entity::insert(throttle::ActiveModel {
                key: Set(key.to_string()),
                failures: Set(1),
                window_start: Set(now),
            })
            .exec_without_returning(db)
            .await?;
        }
    }
    Ok(())
}
