//! Today's date in Bangkok and the holiday table.

use super::entities::{holiday, policy_amount, time_target};
use super::error::AppResult;
use crate::domain::policy::{AmountRange, Category, Clock, TimeTarget};
use crate::domain::{bangkok_date_at, Holidays};
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// The calendar date in Asia/Bangkok now.
pub fn today_in_bangkok() -> NaiveDate {
    bangkok_date_at(chrono::Utc::now().timestamp())
}

/// Holidays from `from` on (a filing window never needs older ones).
pub async fn holidays_from(db: &impl ConnectionTrait, from: NaiveDate) -> AppResult<Holidays> {
    let rows = holiday::Entity::find()
        .filter(holiday::Column::Date.gte(from))
        .all(db)
        .await?;
    Ok(Holidays::new(rows.into_iter().map(|h| h.date)))
}

/// The holidays relevant to petitions received today: their deadlines fall from about two
/// years ago onward.
pub async fn holidays_for_filing(
    db: &impl ConnectionTrait,
    today: NaiveDate,
) -> AppResult<Holidays> {
    holidays_from(db, today - chrono::Duration::days(800)).await
}

/// The holidays that can move this petition's last day (`deadline_holiday_span`): a few
/// rows, not the whole table. None when its date of knowing does not read as a date (the
/// validation then refuses it anyway).
pub async fn holidays_for_petition(
    db: &impl ConnectionTrait,
    raw: &crate::domain::petition::RawPetition,
) -> AppResult<Holidays> {
    let Some(known) = crate::domain::dates::parse_iso(&raw.damage_known_date) else {
        return Ok(Holidays::default());
    };
    let (from, to) = crate::domain::window::deadline_holiday_span(known);
    holidays_between(db, from, to).await
}

/// The holidays from `from` to `to`, both included.
pub async fn holidays_between(
    db: &impl ConnectionTrait,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Holidays> {
    let rows = holiday::Entity::find()
        .filter(holiday::Column::Date.between(from, to))
        .all(db)
        .await?;
    Ok(Holidays::new(rows.into_iter().map(|h| h.date)))
}

/// Checks a petition received through the API, reading the holiday table only when it
/// could change the answer. Holidays only ever carry a last day later, so a petition inside
/// the window without counting any is inside it with them; its exact last day is worked
/// out when it is written (`claims::write_together`). Only one that looks late is checked
/// again with the holidays that can move its last day.
pub async fn validate_api_petition(
    db: &impl ConnectionTrait,
    raw: &crate::domain::petition::RawPetition,
    today: NaiveDate,
) -> AppResult<Result<crate::domain::Petition, Vec<crate::domain::FieldError>>> {
    use crate::domain::petition::{validate, ErrorCode};
    match validate(raw, today, &Holidays::default()) {
        Err(errors)
            if errors
                .iter()
                .any(|e| matches!(e.code, ErrorCode::OutOfWindow { .. })) =>
        {
            Ok(validate(raw, today, &holidays_for_petition(db, raw).await?))
        }
        checked => Ok(checked),
    }
}

pub async fn amount_ranges(db: &impl ConnectionTrait) -> AppResult<Vec<AmountRange>> {
    Ok(policy_amount::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|r| {
            Some(AmountRange {
                category: Category::from_stored(r.category)?,
                min_baht: r.min_baht,
                max_baht: r.max_baht,
                effective_from: r.effective_from,
            })
        })
        .collect())
}

pub async fn time_targets(db: &impl ConnectionTrait) -> AppResult<Vec<TimeTarget>> {
    Ok(time_target::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|r| {
            Some(TimeTarget {
                clock: Clock::parse(&r.clock)?,
                days: i64::from(r.days),
                effective_from: r.effective_from,
            })
        })
        .collect())
}
