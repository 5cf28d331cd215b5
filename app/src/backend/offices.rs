//! Regional offices' mailboxes, and the mail they get: a case moved into or out of their
//! region, and once a day the list of their overdue cases. Office mail names references,
//! states and dates, never a claimant's name or health details.

use super::calendar::today_in_bangkok;
use super::entities::{claim, office_contact};
use super::error::{AppError, AppResult};
use super::mail::{self, Message};
use crate::domain::{ClaimStatus, Region};
use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use std::collections::BTreeMap;

/// At most this many references are listed in one digest (the count is always exact).
pub const DIGEST_LIST_MAX: u64 = 200;

pub async fn set_contact(db: &impl ConnectionTrait, region: Region, email: &str) -> AppResult<()> {
    let email = email.trim().to_lowercase();
    if !crate::domain::petition::is_plausible_email(&email) {
        return Err(AppError::BadRequest(format!(
            "'{email}' is not an email address"
        )));
    }
    office_contact::Entity::insert(office_contact::ActiveModel {
        region: Set(region),
        email: Set(email),
        updated_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::column(office_contact::Column::Region)
            .update_columns([
                office_contact::Column::Email,
                office_contact::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Every office that has a mailbox, by region number.
pub async fn contacts(db: &impl ConnectionTrait) -> AppResult<BTreeMap<Region, String>> {
    Ok(office_contact::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.region, c.email))
        .collect())
}

/// Tells both offices that a case moved between them (inside the move's transaction).
pub async fn tell_of_reroute(
    db: &impl ConnectionTrait,
    reference: &str,
    from: Region,
    to: Region,
) -> AppResult<()> {
    let known = contacts(db).await?;
    for (region, incoming) in [(from, false), (to, true)] {
        if let Some(address) = known.get(&region) {
            mail::enqueue(
                db,
                Message::rerouted(address, reference, from, to, incoming),
            )
            .await?;
        }
    }
    Ok(())
}

/// Mails each office with a mailbox its overdue cases, if any. Returns the mails queued.
pub async fn send_overdue_digests(db: &DatabaseConnection, today: NaiveDate) -> AppResult<usize> {
    let targets = super::calendar::time_targets(db).await?;
    let mut sent = 0;
    for (region, address) in contacts(db).await? {
        let overdue = claim::Entity::find()
            .filter(claim::Column::Region.eq(region))
            .filter(claim::Column::DueOn.lt(today));
        let total = sea_orm::PaginatorTrait::count(overdue.clone(), db).await?;
        // Decisions nobody can show the claimant received: their appeal window has not begun.
        let unreceived = claim::Entity::find()
            .filter(claim::Column::Region.eq(region))
            .filter(super::listing::unreceived(&targets, today));
        let unreceived_total = sea_orm::PaginatorTrait::count(unreceived.clone(), db).await?;
        if total == 0 && unreceived_total == 0 {
            continue;
        }
        let unreceived_items: Vec<(String, NaiveDate)> = unreceived
            .order_by_asc(claim::Column::DecidedOn)
            .limit(DIGEST_LIST_MAX)
            .all(db)
            .await?
            .into_iter()
            .filter_map(|c| Some((c.reference, c.decided_on?)))
            .collect();
        let rows = overdue
            .order_by_asc(claim::Column::DueOn)
            .limit(DIGEST_LIST_MAX)
            .all(db)
            .await?;
        let items: Vec<(String, ClaimStatus, NaiveDate)> = rows
            .into_iter()
            .filter_map(|c| Some((c.reference, c.status, c.due_on?)))
            .collect();
        mail::enqueue(
            db,
            Message::overdue_digest(
                &address,
                region,
                today,
                (total, &items),
                (unreceived_total, &unreceived_items),
            ),
        )
        .await?;
        sent += 1;
    }
    Ok(sent)
}

/// The daily jobs, run by whichever instance claims the day first.
pub async fn run_daily(db: &DatabaseConnection) -> AppResult<()> {
    let today = today_in_bangkok();
    if super::claim_daily_run(db, "overdue_digest", today).await? {
        let n = send_overdue_digests(db, today).await?;
        tracing::info!(mails = n, "overdue digests queued");
    }
    Ok(())
}
