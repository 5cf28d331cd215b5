//! Committee meetings: a region's officers schedule them and put referred cases on their
//! agendas; the region's officers and reviewers see the agendas (without the cases they may
//! not see, or declared a conflict in).

use super::audit::{self, Entry};
use super::calendar::today_in_bangkok;
use super::entities::{claim, meeting};
use super::error::{AppError, AppResult};
use crate::views::{MeetingView, MeetingsPage, StaffIdentity};
use crate::domain::access::Role;
use crate::domain::{ClaimStatus, ErrorCode, FieldError, Region};
use sea_orm::prelude::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

/// Regions whose meetings this person schedules.
pub fn schedules(me: &StaffIdentity) -> Vec<Region> {
    me.grants
        .iter()
        .filter(|g| g.role == Role::RegionalOfficer)
        .filter_map(|g| g.region)
        .collect()
}

/// Regions whose agendas this person reads.
fn reads(me: &StaffIdentity) -> Vec<Region> {
    me.grants
        .iter()
        .filter(|g| matches!(g.role, Role::RegionalOfficer | Role::Reviewer))
        .filter_map(|g| g.region)
        .collect()
}

fn invalid(field: &str, code: ErrorCode) -> AppError {
    AppError::Validation(vec![FieldError::new(field, code)])
}

pub async fn schedule(
    db: &DatabaseConnection,
    me: &StaffIdentity,
    region: &str,
    meets_on: &str,
    client: &str,
) -> AppResult<()> {
    let actor = format!("user:{}", me.email);
    let region = region.trim().parse::<u8>().ok().and_then(Region::new);
    let date = crate::domain::dates::parse_iso(meets_on.trim());
    let refusal = match (region, date) {
        (Some(r), _) if !schedules(me).contains(&r) => {
            Some(AppError::Refused(crate::domain::actions::Refusal::Role))
        }
        (None, _) => Some(invalid("region", ErrorCode::InvalidChoice)),
        (_, None) => Some(invalid("meets_on", ErrorCode::DateInvalid)),
        (_, Some(d)) if d < today_in_bangkok() => Some(invalid("meets_on", ErrorCode::DateInvalid)),
        _ => None,
    };
    if let Some(e) = refusal {
        audit::refused(db, &actor, None, &format!("schedule meeting: {e}"), client).await?;
        return Err(e);
    }
    let (region, date) = (region.expect("checked"), date.expect("checked"));
    // The meeting and its audit entry are written together.
    let txn = super::begin_write(db).await?;
    meeting::Entity::insert(meeting::ActiveModel {
        id: Set(Uuid::new_v4()),
        region: Set(region),
        meets_on: Set(date),
        created_by: Set(me.email.clone()),
        created_at: Set(chrono::Utc::now()),
    })
    .exec_without_returning(&txn)
    .await?;
    audit::append_in(
        &txn,
        Entry {
            actor: &actor,
            action: "meeting_scheduled",
            claim_reference: None,
            detail: &format!("region {} on {date}", region.number()),
            client,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Upcoming meetings (from today) of the viewer's regions, soonest first, with their agendas.
pub async fn page(db: &DatabaseConnection, me: &StaffIdentity) -> AppResult<MeetingsPage> {
    let regions: Vec<i16> = reads(me).iter().map(|r| i16::from(r.number())).collect();
    let found = meeting::Entity::find()
        .filter(meeting::Column::Region.is_in(regions))
        .filter(meeting::Column::MeetsOn.gte(today_in_bangkok()))
        .order_by_asc(meeting::Column::MeetsOn)
        .all(db)
        .await?;
    let targets = super::calendar::time_targets(db).await?;
    let mut meetings = Vec::new();
    for m in found {
        let rows = claim::Entity::find()
            .filter(claim::Column::MeetingId.eq(m.id))
            .filter(super::staff::not_conflicted(&me.email))
            .order_by_asc(claim::Column::DueOn)
            .all(db)
            .await?;
        let cases = rows
            .iter()
            .filter_map(|c| super::listing::item_for(&me.grants, &targets, c))
            .collect();
        meetings.push(MeetingView {
            id: m.id.to_string(),
            region: m.region.number(),
            meets_on: m.meets_on,
            cases,
        });
    }
    Ok(MeetingsPage {
        meetings,
        can_schedule: schedules(me).iter().map(|r| r.number()).collect(),
    })
}

/// The meetings a case could be put on by this person: its region's upcoming ones, if the
/// person schedules that region and the case awaits the committee.
pub async fn options_for(
    db: &DatabaseConnection,
    me: &StaffIdentity,
    c: &claim::Model,
) -> AppResult<Vec<(String, chrono::NaiveDate)>> {
    let awaiting = matches!(c.status, ClaimStatus::Referred | ClaimStatus::UnderReview);
    if !awaiting || !schedules(me).contains(&c.region) {
        return Ok(Vec::new());
    }
    Ok(meeting::Entity::find()
        .filter(meeting::Column::Region.eq(c.region))
        .filter(meeting::Column::MeetsOn.gte(today_in_bangkok()))
        .order_by_asc(meeting::Column::MeetsOn)
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id.to_string(), m.meets_on))
        .collect())
}

pub async fn meeting_date(
    db: &DatabaseConnection,
    id: Option<Uuid>,
) -> AppResult<Option<chrono::NaiveDate>> {
    Ok(match id {
        Some(id) => meeting::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|m| m.meets_on),
        None => None,
    })
}

/// Puts a case on a meeting's agenda (moving it from another, if it was on one).
pub async fn put_on_agenda(
    db: &DatabaseConnection,
    me: &StaffIdentity,
    reference: &str,
    meeting_id: &str,
    client: &str,
) -> AppResult<chrono::NaiveDate> {
    let reference = crate::domain::reference::normalise_reference(reference);
    let actor = format!("user:{}", me.email);
    let c = super::actions::visible_case(db, me, &reference, "agenda", client).await?;
    let options = options_for(db, me, &c).await?;
    let chosen = options.into_iter().find(|(id, _)| id == meeting_id.trim());
    let Some((id, on)) = chosen else {
        let e = if schedules(me).is_empty() {
            AppError::Refused(crate::domain::actions::Refusal::Role)
        } else {
            invalid("meeting", ErrorCode::InvalidChoice)
        };
        audit::refused(db, &actor, Some(&reference), &format!("agenda: {e}"), client).await?;
        return Err(e);
    };
    let id = Uuid::parse_str(&id).map_err(AppError::internal)?;
    let txn = super::begin_write(db).await?;
    claim::Entity::update_many()
        .col_expr(claim::Column::MeetingId, Expr::value(Some(id)))
        .filter(claim::Column::Id.eq(c.id))
        .exec(&txn)
        .await?;
    audit::append_in(
        &txn,
        Entry {
            actor: &actor,
            action: "agenda",
            claim_reference: Some(&reference),
            detail: &format!("meeting on {on}"),
            client,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(on)
}
