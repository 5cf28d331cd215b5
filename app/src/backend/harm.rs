//! Harm types (the list screening picks from, which administrators extend) and the
//! committee's consistency panel: decided cases of the same harm type, anonymous and
//! counted under the 5-claim rule (`domain::consistency`).

use super::entities::{claim, harm_type};
use super::error::{AppError, AppResult};
use crate::domain::access::Role;
use crate::domain::consistency::{panel, Decided, Panel};
use crate::domain::policy::Category;
use crate::domain::Region;
use crate::views::StaffIdentity;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

/// (key, Thai label, English label), in the order screening lists them.
pub async fn list(db: &DatabaseConnection) -> AppResult<Vec<(String, String, String)>> {
    Ok(harm_type::Entity::find()
        .order_by_asc(harm_type::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|h| (h.key, h.label_th, h.label_en))
        .collect())
}

/// Adds a harm type (an administrator's change, inside its transaction); its key is made
/// from the English label. Returns what the audit entry says.
pub async fn add_in(
    txn: &sea_orm::DatabaseTransaction,
    label_th: &str,
    label_en: &str,
) -> AppResult<String> {
    use crate::domain::{ErrorCode, FieldError};
    let (th, en) = (label_th.trim(), label_en.trim());
    let mut errors = Vec::new();
    for (name, v) in [("label_th", th), ("label_en", en)] {
        if v.is_empty() {
            errors.push(FieldError::new(name, ErrorCode::Required));
        } else if v.chars().count() > 60 {
            errors.push(FieldError::new(name, ErrorCode::TooLong { max: 60 }));
        }
    }
    let key: String = en
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect::<String>()
        .split('_')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("_");
    if errors.is_empty() && key.is_empty() {
        errors.push(FieldError::new("label_en", ErrorCode::InvalidChoice));
    }
    if errors.is_empty() && harm_type::Entity::find_by_id(key.clone()).count(txn).await? > 0 {
        errors.push(FieldError::new("label_en", ErrorCode::AlreadyExists));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let last = harm_type::Entity::find()
        .order_by_desc(harm_type::Column::Position)
        .one(txn)
        .await?
        .map_or(0, |h| h.position);
    harm_type::Entity::insert(harm_type::ActiveModel {
        key: Set(key.clone()),
        label_th: Set(th.into()),
        label_en: Set(en.into()),
        position: Set(last + 10),
    })
    .exec(txn)
    .await?;
    Ok(format!("harm type {key}: {th} / {en}"))
}

/// Whether `key` names a harm type.
pub async fn exists(db: &DatabaseConnection, key: &str) -> AppResult<bool> {
    Ok(harm_type::Entity::find_by_id(key.to_string()).count(db).await? > 0)
}

/// Who sees the panel: those who decide (committee reviewers and the appeal board).
pub fn decides(me: &StaffIdentity) -> bool {
    me.grants
        .iter()
        .any(|g| matches!(g.role, Role::Reviewer | Role::AppealBoard))
}

/// Decided cases of `c`'s harm type across all regions (not `c` itself), `c`'s region
/// beside the country.
pub async fn consistency(db: &DatabaseConnection, c: &claim::Model) -> AppResult<Option<Panel>> {
    let Some(kind) = &c.harm_type else {
        return Ok(None);
    };
    let rows: Vec<(Region, Option<i16>, Option<i64>)> = claim::Entity::find()
        .select_only()
        .columns([
            claim::Column::Region,
            claim::Column::DecisionCategory,
            claim::Column::DecisionAmount,
        ])
        .filter(claim::Column::HarmType.eq(kind.as_str()))
        .filter(claim::Column::DecidedOn.is_not_null())
        .filter(claim::Column::Id.ne(c.id))
        .into_tuple()
        .all(db)
        .await?;
    let cases: Vec<Decided> = rows
        .into_iter()
        .map(|(region, category, amount)| Decided {
            own_region: region == c.region,
            paid: category
                .and_then(Category::from_stored)
                .zip(amount.filter(|a| *a > 0)),
        })
        .collect();
    Ok(Some(panel(&cases)))
}
