//! Slows down guessing. Each try is counted under a key (a client's address, an account)
//! before the work it guards, in one atomic statement, so parallel tries cannot slip past
//! the count; a try that turns out right is taken back, so only wrong ones add up. Counts
//! live in the database, so several app instances share them, and reset after
//! `WINDOW_MINUTES`.

use super::entities::throttle;
use super::error::{AppError, AppResult};
use chrono::{Duration, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict};
use std::collections::BTreeMap;
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
    let counted = count_many(db, &BTreeMap::from([(key.to_string(), 1)])).await?;
    Ok(counted.get(key).copied().unwrap_or(1))
}

/// `count` for several keys at once, `tries[key]` tries each, in one statement (keys in
/// order, so two transactions counting the same keys wait for each other rather than
/// deadlock). Returns each key's count in the window, these tries included.
pub async fn count_many(
    db: &impl ConnectionTrait,
    tries: &BTreeMap<String, i32>,
) -> AppResult<BTreeMap<String, i32>> {
    if tries.is_empty() {
        return Ok(BTreeMap::new());
    }
    let now = Utc::now();
    let fresh = Expr::col((throttle::Entity, throttle::Column::WindowStart))
        .gt(now - Duration::minutes(WINDOW_MINUTES));
    let failures = Expr::col((throttle::Entity, throttle::Column::Failures));
    let start = Expr::col((throttle::Entity, throttle::Column::WindowStart));
    // The row that was to be inserted: its count is this statement's tries for the key.
    let these = Expr::col((Alias::new("excluded"), throttle::Column::Failures));
    let rows = throttle::Entity::insert_many(tries.iter().map(|(key, n)| throttle::ActiveModel {
        key: Set(key.clone()),
        failures: Set(*n),
        window_start: Set(now),
    }))
    .on_conflict(
        OnConflict::column(throttle::Column::Key)
            .value(
                throttle::Column::Failures,
                Expr::case(fresh.clone(), failures.add(these.clone())).finally(these),
            )
            .value(
                throttle::Column::WindowStart,
                Expr::case(fresh, start).finally(now),
            )
            .to_owned(),
    )
    .exec_with_returning(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.key, r.failures)).collect())
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
        let detail = first_refusal(key, limit);
        super::audit::append(db, refusal_entry(&detail, client)).await?;
    }
    Err(AppError::TooManyRequests)
}

/// `attempt` for several tries at once, inside the transaction that writes what they are
/// for (the filing writer's batch): the counts are committed with it, in one statement, not
/// by commits of their own. `tries` are (key, limit, client), in the order they came; the
/// answer says, in that order, whether each is within its limit.
pub async fn within_limits_in(
    txn: &sea_orm::DatabaseTransaction,
    tries: &[(&str, i32, &str)],
) -> AppResult<Vec<bool>> {
    let mut per_key: BTreeMap<String, i32> = BTreeMap::new();
    for (key, _, _) in tries {
        *per_key.entry(key.to_string()).or_default() += 1;
    }
    let totals = count_many(txn, &per_key).await?;
    // The window's count before these tries, per key; each try then takes the next number.
    let mut before: BTreeMap<&str, i32> = per_key
        .iter()
        .map(|(k, n)| (k.as_str(), totals.get(k).copied().unwrap_or(*n) - n))
        .collect();
    let mut within = Vec::with_capacity(tries.len());
    for (key, limit, client) in tries {
        let n = before.get_mut(key).expect("every key was counted");
        *n += 1;
        if *n == limit + 1 {
            let detail = first_refusal(key, *limit);
            super::audit::append_in(txn, refusal_entry(&detail, client)).await?;
        }
        within.push(*n <= *limit);
    }
    Ok(within)
}

/// What the one audit entry of a window's refusals says (and the log line it makes).
fn first_refusal(key: &str, limit: i32) -> String {
    tracing::warn!(%key, "tries refused for the rest of the window");
    format!("{key}: {limit} tries; further tries refused for up to {WINDOW_MINUTES} minutes")
}

fn refusal_entry<'a>(detail: &'a str, client: &'a str) -> super::audit::Entry<'a> {
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
