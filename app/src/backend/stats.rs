//! The public statistics: worked out from the claims in the background (never for a
//! request: a scan of every claim per page view would let anyone slow the service down),
//! kept in `published_stats` so every instance serves the same figures, and given as an
//! open-data CSV. Only figures `domain::stats` publishes leave here.

use super::calendar::time_targets;
use crate::domain::dates::bangkok_date_at;
use super::entities::{claim, published_stats};
use super::error::{AppError, AppResult};
use crate::domain::deadlines::time_to_decision;
use crate::domain::policy::Category;
use crate::domain::stats::{Decision, Facts, Payment, Tally, Year};
use crate::domain::Region;
use crate::views::PublicStats;
use chrono::{NaiveDate, Utc};
use futures::TryStreamExt;
use sea_orm::sea_query::OnConflict;
use sea_orm::{DatabaseConnection, EntityTrait, QuerySelect, Set};

/// The name of the public set in `published_stats`.
const PUBLIC: &str = "public";
/// Figures older than this are worked out again by the next housekeeping round.
pub const MAX_AGE_MINUTES: i64 = 60;

type Row = (
    Region,
    NaiveDate,
    Option<NaiveDate>,
    Option<NaiveDate>,
    Option<i64>,
    Option<i16>,
    Option<NaiveDate>,
    Option<NaiveDate>,
    Option<i64>,
);

/// Works the figures out from every claim, streamed, and stores them.
pub async fn refresh(db: &DatabaseConnection) -> AppResult<Vec<Year>> {
    let targets = time_targets(db).await?;
    let mut tally = Tally::default();
    let mut rows = claim::Entity::find()
        .select_only()
        .columns([
            claim::Column::Region,
            claim::Column::FiledOn,
            claim::Column::ReceivedOn,
            claim::Column::DecidedOn,
            claim::Column::DecisionAmount,
            claim::Column::DecisionCategory,
            claim::Column::ClockStart,
            claim::Column::PaidOn,
            claim::Column::PaidAmount,
        ])
        .into_tuple::<Row>()
        .stream(db)
        .await?;
    while let Some(row) = rows.try_next().await? {
        tally.add(&facts_of(row, &targets));
    }
    drop(rows);
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

fn facts_of(
    (region, filed_on, received_on, decided_on, amount, category, clock_start, paid_on, paid_amount): Row,
    targets: &[crate::domain::policy::TimeTarget],
) -> Facts {
    let decision = decided_on.map(|on| {
        let (days, target) = time_to_decision(targets, filed_on, clock_start, Some(on));
        let days = days.expect("a decision has its days");
        Decision {
            on,
            pays: amount.is_some_and(|a| a > 0),
            days,
            within_target: target.is_none_or(|t| days <= t),
        }
    });
    let payment = paid_on.zip(paid_amount).and_then(|(on, amount)| {
        let category = category.and_then(Category::from_stored)?;
        Some(Payment {
            on,
            category,
            amount,
        })
    });
    Facts {
        region,
        received_on: received_on.unwrap_or(filed_on),
        decision,
        payment,
    }
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
