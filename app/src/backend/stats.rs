//! The public statistics: worked out from the claims in the background (never for a
//! request: a scan of every claim per page view would let anyone slow the service down),
//! kept in `published_stats` so every instance serves the same figures, and given as an
//! open-data CSV. Only figures `domain::stats` publishes leave here.

use super::calendar::time_targets;
use crate::domain::dates::bangkok_date_at;
use super::entities::published_stats;
use super::error::{AppError, AppResult};
use crate::domain::deadlines::time_to_decision;
use crate::domain::policy::Category;
use crate::domain::stats::{Decision, Tally, Year};
use crate::domain::Region;
use crate::views::PublicStats;
use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, Set, Statement};

/// The name of the public set in `published_stats`.
const PUBLIC: &str = "public";
/// Figures older than this are worked out again by the next housekeeping round.
pub const MAX_AGE_MINUTES: i64 = 60;

/// Works the figures out from every claim and stores them. The database counts alike
/// claims together (three grouped queries over a covering index on SQLite), so a million
/// claims arrive as a few thousand rows: sending them one by one took about 10 s of CPU,
/// most of it handing rows between threads, and slowed every page meanwhile.
pub async fn refresh(db: &DatabaseConnection) -> AppResult<Vec<Year>> {
    let targets = time_targets(db).await?;
    let mut tally = Tally::default();
    let grouped = |sql: &str| {
        db.query_all_raw(Statement::from_string(db.get_database_backend(), sql))
    };
    // Petitions received: on the day taken in at an office, else the day filed.
    for row in grouped(
        "SELECT region, received_on, filed_on, COUNT(*) AS n FROM claims \
         GROUP BY region, received_on, filed_on",
    )
    .await?
    {
        let region: Region = row.try_get_by_index(0)?;
        let received: Option<NaiveDate> = row.try_get_by_index(1)?;
        let filed: NaiveDate = row.try_get_by_index(2)?;
        tally.received(region, received.unwrap_or(filed), count(&row, 3)?);
    }
    // Decisions (the appeal board's, once it has replaced the committee's): the days they
    // took, and so whether within the target, follow from when the clock started.
    for row in grouped(
        "SELECT region, filed_on, clock_start, decided_on, \
         CASE WHEN decision_amount > 0 THEN 1 ELSE 0 END AS pays, COUNT(*) AS n \
         FROM claims WHERE decided_on IS NOT NULL \
         GROUP BY region, filed_on, clock_start, decided_on, \
         CASE WHEN decision_amount > 0 THEN 1 ELSE 0 END",
    )
    .await?
    {
        let region: Region = row.try_get_by_index(0)?;
        let filed: NaiveDate = row.try_get_by_index(1)?;
        let clock_start: Option<NaiveDate> = row.try_get_by_index(2)?;
        let on: NaiveDate = row.try_get_by_index(3)?;
        let pays: i32 = row.try_get_by_index(4)?;
        let (days, target) = time_to_decision(&targets, filed, clock_start, Some(on));
        let days = days.expect("a decision has its days");
        let decision = Decision {
            on,
            pays: pays == 1,
            days,
            within_target: target.is_none_or(|t| days <= t),
        };
        tally.decided(region, decision, count(&row, 5)?);
    }
    // Payments, by the category decided.
    for row in grouped(
        "SELECT region, paid_on, decision_category, COUNT(*) AS n, \
         CAST(SUM(paid_amount) AS BIGINT) AS baht FROM claims \
         WHERE paid_on IS NOT NULL AND paid_amount IS NOT NULL \
         GROUP BY region, paid_on, decision_category",
    )
    .await?
    {
        let region: Region = row.try_get_by_index(0)?;
        let on: NaiveDate = row.try_get_by_index(1)?;
        let category: Option<i16> = row.try_get_by_index(2)?;
        let baht: i64 = row.try_get_by_index(4)?;
        if let Some(category) = category.and_then(Category::from_stored) {
            tally.paid(region, on, category, count(&row, 3)?, baht);
        }
    }
    let years = tally.publish();
    let body = serde_json::to_string(&years).map_err(AppError::internal)?;
    published_stats::Entity::insert(published_stats::ActiveModel {
        name: Set(PUBLIC.into()),
        body: Set(body),
        computed_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::column(published_stats::Column::Name)
            .update_columns([published_stats::Column::Body, published_stats::Column::ComputedAt])
            .to_owned(),
    )
    .exec(db)
    .await?;
    Ok(years)
}

/// A group's `COUNT(*)`.
fn count(row: &sea_orm::QueryResult, at: usize) -> AppResult<u64> {
    let n: i64 = row.try_get_by_index(at)?;
    u64::try_from(n).map_err(AppError::internal)
}

/// The figures as last worked out, if they have been.
pub async fn published(db: &DatabaseConnection) -> AppResult<Option<PublicStats>> {
    let Some(row) = published_stats::Entity::find_by_id(PUBLIC).one(db).await? else {
        return Ok(None);
    };
    let years: Vec<Year> = serde_json::from_str(&row.body).map_err(AppError::internal)?;
    Ok(Some(PublicStats {
        as_of: bangkok_date_at(row.computed_at.timestamp()),
        years,
    }))
}

/// Works the figures out again if they are missing or older than `MAX_AGE_MINUTES`. Two
/// instances may both do it; each writes the same figures.
pub async fn refresh_if_stale(db: &DatabaseConnection) -> AppResult<bool> {
    let fresh = published_stats::Entity::find_by_id(PUBLIC)
        .one(db)
        .await?
        .is_some_and(|r| Utc::now() - r.computed_at < chrono::Duration::minutes(MAX_AGE_MINUTES));
    if fresh {
        return Ok(false);
    }
    refresh(db).await?;
    Ok(true)
}

/// The open-data CSV: one line per fiscal year and region, then the country; a figure
/// that is not published is left empty. UTF-8 with a byte-order mark.
pub fn csv(years: &[Year]) -> String {
    let mut out = String::from("\u{feff}fiscal_year_be,region,received,decided,approved,approved_percent,decided_within_target,within_target_percent,median_days_to_decision,paid_category_1_claims,paid_category_1_baht,paid_category_2_claims,paid_category_2_baht,paid_category_3_claims,paid_category_3_baht,paid_claims,paid_baht\r\n");
    let n = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
    for y in years {
        for f in y.regions.iter().chain([&y.country]) {
            let mut cells = vec![
                y.fiscal_year.to_string(),
                f.region.map_or("all".into(), |r| r.to_string()),
                n(f.received),
                n(f.decided),
                n(f.approved),
                n(f.approved_percent()),
                n(f.within_target),
                n(f.within_target_percent()),
                f.median_days.map(|d| d.to_string()).unwrap_or_default(),
            ];
            for p in f.paid.iter().chain([&f.paid_total]) {
                cells.push(n(p.map(|p| p.claims)));
                cells.push(p.map(|p| p.baht.to_string()).unwrap_or_default());
            }
            out.push_str(&crate::domain::csv::line(&cells));
        }
    }
    out
}
