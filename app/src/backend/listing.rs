//! How claims are listed wherever lists of them appear (the staff queue, agendas, offices'
//! digests): one row as staff see it, and the condition for decisions nobody has proof the
//! claimant received. Below `queue`, `meetings` and `offices`, which all list claims.

use super::entities::claim;
use crate::domain::access::can_view;
use crate::domain::national_id::mask;
use crate::domain::ClaimStatus;
use crate::views::QueueItem;
use sea_orm::{ColumnTrait, Condition};

/// Decisions open to appeal with no proof that the claimant received them, past the target.
/// The target in force today sets the cut-off, so a change applies to every waiting case.
pub fn unreceived(
    targets: &[crate::domain::policy::TimeTarget],
    today: chrono::NaiveDate,
) -> Condition {
    use crate::domain::policy::{target_in_force, Clock};
    let days = target_in_force(targets, Clock::NoticeReceipt, today).map_or(0, |t| t.days);
    let decided: Vec<&str> = ClaimStatus::ALL
        .into_iter()
        .filter(|s| s.open_to_appeal())
        .map(ClaimStatus::as_str)
        .collect();
    Condition::all()
        .add(claim::Column::Status.is_in(decided))
        .add(claim::Column::NotifiedOn.is_null())
        .add(claim::Column::DecidedOn.lt(today - chrono::Duration::days(days)))
}

/// What the access rule reads of a stored claim.
pub fn case_of(c: &claim::Model) -> crate::domain::access::Case {
    crate::domain::access::Case {
        region: c.region,
        province: crate::domain::ProvinceCode::parse(&c.province_code),
        status: c.status,
        referred: c.referred_at.is_some(),
    }
}

/// A listed case as queues and agendas show it (no health details, national ID masked), if
/// the domain rule lets these grants see it: defence in depth behind every query.
pub fn item_for(
    grants: &[crate::domain::access::Grant],
    targets: &[crate::domain::policy::TimeTarget],
    c: &claim::Model,
) -> Option<QueueItem> {
    let case = case_of(c);
    let status = case.status;
    can_view(grants, case).then(|| QueueItem {
        reference: c.reference.clone(),
        status,
        region: c.region.number(),
        patient_name: c.patient_name.clone(),
        patient_national_id_masked: mask(&c.patient_national_id),
        service_unit_name: c.service_unit_name.clone(),
        filed_on: c.filed_on,
        due_by: c.due_on,
        receipt_by: crate::domain::notice::receipt_expected_by(
            targets,
            status,
            c.decided_on,
            c.notified_on.is_some(),
        ),
    })
}


/// The region a list was narrowed to (`region=N` in a queue's or report's address).
pub fn region_asked(r: &str) -> super::error::AppResult<crate::domain::Region> {
    r.parse::<u8>()
        .ok()
        .and_then(crate::domain::Region::new)
        .ok_or_else(|| super::error::AppError::BadRequest("unknown region".into()))
}

/// Where a page of claims (newest first) ended: the last one's creation time and id, so
/// the next page starts after it however many claims arrive meanwhile.
pub fn cursor_of(c: &claim::Model) -> String {
    format!("{}_{}", c.created_at.timestamp_micros(), c.id)
}

/// The claims older than a `cursor_of` (none for something that is not one).
pub fn older_than(cursor: &str) -> Option<Condition> {
    let (t, id) = cursor.split_once('_')?;
    let t = chrono::DateTime::from_timestamp_micros(t.parse().ok()?)?;
    let id = uuid::Uuid::parse_str(id).ok()?;
    Some(
        Condition::any().add(claim::Column::CreatedAt.lt(t)).add(
            Condition::all()
                .add(claim::Column::CreatedAt.eq(t))
                .add(claim::Column::Id.lt(id)),
        ),
    )
}

/// Up to `limit` claims matching `cond`, newest first, and the cursor for the page after if
/// there are more.
pub async fn newest_first(
    db: &sea_orm::DatabaseConnection,
    cond: Condition,
    limit: u64,
) -> super::error::AppResult<(Vec<claim::Model>, Option<String>)> {
    use sea_orm::{EntityTrait, QueryFilter, QueryOrder, QuerySelect};
    let mut rows = claim::Entity::find()
        .filter(cond)
        .order_by_desc(claim::Column::CreatedAt)
        .order_by_desc(claim::Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    let next = if more { rows.last().map(cursor_of) } else { None };
    Ok((rows, next))
}
