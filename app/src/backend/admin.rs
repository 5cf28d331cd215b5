//! Administration: effective-dated amounts and time targets (a change takes effect from a
//! date not in the past, so no decision or deadline already made changes under anyone),
//! holidays, office mailboxes, and staff accounts. Admins see no claim's personal data;
//! everything they change is audited.

use super::audit::{self, Entry};
use super::calendar::{amount_ranges, time_targets, today_in_bangkok};
use super::entities::{
    holiday, policy_amount, service_unit, staff_session, time_target, user, user_role,
};
use super::error::{AppError, AppResult};
use crate::views::{AdminView, StaffIdentity, UserRow};
use crate::domain::access::{Grant, Role};
use crate::domain::policy::{Category, Clock};
use crate::domain::{ErrorCode, FieldError, Region};
use sea_orm::prelude::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};
use std::collections::BTreeMap;

fn invalid(field: &str, code: ErrorCode) -> AppError {
    AppError::Validation(vec![FieldError::new(field, code)])
}

fn is_admin(me: &StaffIdentity) -> bool {
    me.grants.iter().any(|g| g.role == Role::Admin)
}

/// Everything the admin page shows.
pub async fn overview(db: &DatabaseConnection, me: &StaffIdentity) -> AppResult<AdminView> {
    if !is_admin(me) {
        return Err(AppError::Refused(crate::domain::actions::Refusal::Role));
    }
    let today = today_in_bangkok();
    let mut amounts: Vec<_> = amount_ranges(db)
        .await?
        .into_iter()
        .map(|a| {
            (
                a.category.number(),
                a.min_baht,
                a.max_baht,
                a.effective_from,
            )
        })
        .collect();
    amounts.sort_by_key(|a| (a.0, a.3));
    let mut targets: Vec<_> = time_targets(db)
        .await?
        .into_iter()
        .map(|t| (t.clock.key().to_string(), t.days, t.effective_from))
        .collect();
    targets.sort();
    let holidays = holiday::Entity::find()
        .filter(holiday::Column::Date.gte(today))
        .filter(holiday::Column::Date.lt(today + chrono::Duration::days(400)))
        .order_by_asc(holiday::Column::Date)
        .all(db)
        .await?
        .into_iter()
        .map(|h| (h.date, h.name_th, h.name_en))
        .collect();
    let contacts = super::offices::contacts(db).await?;
    let offices = Region::all()
        .map(|r| (r.number(), contacts.get(&r).cloned()))
        .collect();
    let mut roles: BTreeMap<uuid::Uuid, Vec<String>> = BTreeMap::new();
    for r in user_role::Entity::find().all(db).await? {
        roles.entry(r.user_id).or_default().push(match (r.province, r.region) {
            (Some(p), _) => format!("{}:{p:02}", r.role.as_str()),
            (None, Some(n)) => format!("{}:{}", r.role.as_str(), n.number()),
            (None, None) => r.role.as_str().to_string(),
        });
    }
    let users = user::Entity::find()
        .order_by_asc(user::Column::Email)
        .all(db)
        .await?
        .into_iter()
        .map(|u| UserRow {
            roles: roles.remove(&u.id).unwrap_or_default(),
            awaiting: u.requested_by.clone().filter(|_| u.approved_by.is_none()),
            email: u.email,
            display_name: u.display_name,
            active: u.active,
        })
        .collect();
    let service_units = service_units(db).await?;
    Ok(AdminView {
        amounts,
        targets,
        holidays,
        offices,
        users,
        today,
        service_units,
        harm_types: super::harm::list(db).await?,
        unit_keys: super::unit_keys::list(db)
            .await?
            .into_iter()
            .map(|k| crate::views::UnitKeyRow {
                id: k.id,
                unit_code: k.unit_code,
                unit_name: k.unit_name,
                province_code: k.province_code,
                issued_on: crate::domain::dates::bangkok_date_at(k.created_at.timestamp()),
                revoked: k.revoked_at.is_some(),
            })
            .collect(),
        new_key: None,
    })
}

/// One admin change from the admin page's forms (`what` names the form). Returns what must
/// be shown once and never stored (a service unit's new API key).
pub async fn change(
    db: &DatabaseConnection,
    me: &StaffIdentity,
    what: &str,
    form: &BTreeMap<String, String>,
    public_url: &str,
    client: &str,
) -> AppResult<Option<String>> {
    let actor = format!("user:{}", me.email);
    let get = |k: &str| form.get(k).map(String::as_str).unwrap_or("");
    // The change and its audit entry are written together, or neither is.
    let result = if is_admin(me) {
        let txn = super::begin_write(db).await?;
        let applied = match what {
            "unit_key" => super::unit_keys::issue_in(&txn, &me.email, get("unit_code"), get("unit_name"), get("province_code"))
                .await
                .map(|(detail, key)| (detail, Some(key))),
            "unit_key_revoke" => super::unit_keys::revoke_in(&txn, get("id")).await.map(|d| (d, None)),
            _ => apply(&txn, me, public_url, what, form).await.map(|d| (d, None)),
        };
        match applied {
            Ok((detail, shown_once)) => {
                audit::append_in(
                    &txn,
                    Entry {
                        actor: &actor,
                        action: &format!("admin:{what}"),
                        claim_reference: None,
                        detail: &detail,
                        client,
                    },
                )
                .await?;
                txn.commit().await?;
                Ok(shown_once)
            }
            Err(e) => {
                txn.rollback().await?;
                Err(e)
            }
        }
    } else {
        Err(AppError::Refused(crate::domain::actions::Refusal::Role))
    };
    if let Err(e) = &result {
        if !matches!(e, AppError::Internal(_)) {
            audit::refused(db, &actor, None, &format!("admin {what}: {e}"), client).await?;
        }
    }
    result
}

/// The accounts that hold the admin role, active or not.
async fn admin_ids(db: &sea_orm::DatabaseTransaction) -> AppResult<Vec<uuid::Uuid>> {
    Ok(user_role::Entity::find()
        .filter(user_role::Column::Role.eq(Role::Admin.as_str()))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.user_id)
        .collect())
}

/// The active administrators' addresses: every change to who may do what is mailed to them.
async fn active_admins(db: &sea_orm::DatabaseTransaction) -> AppResult<Vec<String>> {
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(admin_ids(db).await?))
        .filter(user::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|u| u.email)
        .collect())
}

/// Tells every active administrator about a change to who may do what (in the change's
/// transaction: mailed if and only if it happened).
async fn tell_admins(db: &sea_orm::DatabaseTransaction, subject: &str, body: &str) -> AppResult<()> {
    let mails = active_admins(db)
        .await?
        .into_iter()
        .map(|to| super::mail::Message {
            to,
            subject: subject.to_string(),
            body: body.to_string(),
        })
        .collect();
    super::mail::enqueue_many(db, mails).await
}

/// The account a form names by email (an error on its `email` field if there is none).
async fn account_named(
    db: &sea_orm::DatabaseTransaction,
    email: &str,
) -> AppResult<(String, user::Model)> {
    let email = email.trim().to_lowercase();
    let u = user::Entity::find()
        .filter(user::Column::Email.eq(email.clone()))
        .one(db)
        .await?
        .ok_or_else(|| invalid("email", ErrorCode::InvalidChoice))?;
    Ok((email, u))
}

/// Mails the account's owner a one-time link to set its password.
async fn mail_password_link(
    db: &sea_orm::DatabaseTransaction,
    user_id: uuid::Uuid,
    email: &str,
    public_url: &str,
    awaiting_approval: bool,
) -> AppResult<()> {
    let link = super::staff::new_password_link(db, user_id, public_url).await?;
    super::mail::enqueue(
        db,
        super::mail::Message {
            to: email.to_string(),
            subject: "บัญชีเจ้าหน้าที่ระบบคำร้องมาตรา 41 / Your Section 41 staff account".into(),
            body: format!(
                "โปรดตั้งรหัสผ่านของบัญชีเจ้าหน้าที่ ({email}) ที่ลิงก์นี้ภายใน {h} ชั่วโมง (ใช้ได้ครั้งเดียว):\n\
                 Set the password of your staff account ({email}) here within {h} hours (the link works once):\n\n{link}\n\n{wait}",
                h = super::staff::PASSWORD_LINK_HOURS,
                wait = if awaiting_approval {
                    "บัญชีนี้จะใช้ได้เมื่อผู้ดูแลระบบอีกคนอนุมัติ / It opens once a second administrator approves it.\n"
                } else {
                    ""
                }
            ),
        },
    )
    .await
}

async fn apply(
    db: &sea_orm::DatabaseTransaction,
    me: &StaffIdentity,
    public_url: &str,
    what: &str,
    f: &BTreeMap<String, String>,
) -> AppResult<String> {
    let get = |k: &str| f.get(k).map(|s| s.trim().to_string()).unwrap_or_default();
    let today = today_in_bangkok();
    let from = || {
        crate::domain::dates::parse_iso(&get("effective_from"))
            .filter(|d| *d >= today)
            .ok_or_else(|| invalid("effective_from", ErrorCode::DateInvalid))
    };
    let baht = |k: &str| {
        get(k)
            .replace(',', "")
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .ok_or_else(|| invalid(k, ErrorCode::Required))
    };
    match what {
        "harm_type" => super::harm::add_in(db, &get("label_th"), &get("label_en")).await,
        "amount" => {
            let category = get("category")
                .parse::<u8>()
                .ok()
                .and_then(Category::from_number)
                .ok_or_else(|| invalid("category", ErrorCode::InvalidChoice))?;
            let (min, max) = (baht("min_baht")?, baht("max_baht")?);
            if min > max {
                return Err(invalid(
                    "max_baht",
                    ErrorCode::AmountOutOfRange { min, max: i64::MAX },
                ));
            }
            let from = from()?;
            let same_day = policy_amount::Entity::find()
                .filter(policy_amount::Column::Category.eq(i16::from(category.number())))
                .filter(policy_amount::Column::EffectiveFrom.eq(from))
                .one(db)
                .await?;
            if same_day.is_some() {
                // Two ranges from one day would leave which is in force to row order.
                return Err(invalid("effective_from", ErrorCode::InvalidChoice));
            }
            policy_amount::Entity::insert(policy_amount::ActiveModel {
                category: Set(i16::from(category.number())),
                min_baht: Set(min),
                max_baht: Set(max),
                effective_from: Set(from),
                ..Default::default()
            })
            .exec_without_returning(db)
            .await?;
            Ok(format!(
                "category {} {min}–{max} THB from {from}",
                category.number()
            ))
        }
        "target" => {
            let clock = Clock::parse(&get("clock"))
                .ok_or_else(|| invalid("clock", ErrorCode::InvalidChoice))?;
            let days = get("days")
                .parse::<i32>()
                .ok()
                .filter(|d| (1..=365).contains(d))
                .ok_or_else(|| invalid("days", ErrorCode::Required))?;
            let from = from()?;
            let same_day = time_target::Entity::find()
                .filter(time_target::Column::Clock.eq(clock.key()))
                .filter(time_target::Column::EffectiveFrom.eq(from))
                .one(db)
                .await?;
            if same_day.is_some() {
                return Err(invalid("effective_from", ErrorCode::InvalidChoice));
            }
            time_target::Entity::insert(time_target::ActiveModel {
                clock: Set(clock.key().into()),
                days: Set(days),
                effective_from: Set(from),
                ..Default::default()
            })
            .exec_without_returning(db)
            .await?;
            Ok(format!("{} {days} days from {from}", clock.key()))
        }
        "holiday" => {
            // Not in the past: past holidays move filing deadlines already told to people.
            let date = crate::domain::dates::parse_iso(&get("date"))
                .filter(|d| *d >= today)
                .ok_or_else(|| invalid("date", ErrorCode::DateInvalid))?;
            let (th, en) = (get("name_th"), get("name_en"));
            if th.is_empty() {
                return Err(invalid("name_th", ErrorCode::Required));
            }
            if holiday::Entity::find_by_id(date).one(db).await?.is_some() {
                return Err(invalid("date", ErrorCode::InvalidChoice));
            }
            holiday::Entity::insert(holiday::ActiveModel {
                date: Set(date),
                name_th: Set(th.clone()),
                name_en: Set(if en.is_empty() { th.clone() } else { en }),
            })
            .exec_without_returning(db)
            .await?;
            Ok(format!("holiday {date} {th}"))
        }
        "office" => {
            let region = get("region")
                .parse::<u8>()
                .ok()
                .and_then(Region::new)
                .ok_or_else(|| invalid("region", ErrorCode::InvalidChoice))?;
            super::offices::set_contact(db, region, &get("email"))
                .await
                .map_err(|_| invalid("email", ErrorCode::Email))?;
            Ok(format!(
                "region {} mailbox {}",
                region.number(),
                get("email").to_lowercase()
            ))
        }
        "user" => {
            let email = get("email").to_lowercase();
            let role = Role::parse(&get("role"))
                .ok_or_else(|| invalid("role", ErrorCode::InvalidChoice))?;
            let region = match get("region").as_str() {
                "" => None,
                n => Some(
                    n.parse::<u8>()
                        .ok()
                        .and_then(Region::new)
                        .ok_or_else(|| invalid("region", ErrorCode::InvalidChoice))?,
                ),
            };
            let grant = if role.needs_province() {
                Grant::provincial_office(&get("province"))
                    .ok_or_else(|| invalid("province", ErrorCode::Required))?
            } else {
                Grant::new(role, region).map_err(|_| invalid("region", ErrorCode::InvalidChoice))?
            };
            let name = if get("display_name").is_empty() {
                email.clone()
            } else {
                get("display_name")
            };
            // A privileged grant waits for a second administrator; nobody but the account's
            // owner ever knows its password (they set it through a link mailed to them).
            let privileged = grant.is_privileged();
            let id = super::staff::create_user_in(
                db,
                super::staff::NewAccount {
                    email: &email,
                    display_name: &name,
                    password: None,
                    grants: &[grant],
                    requested_by: privileged.then_some(me.email.as_str()),
                },
            )
            .await
            .map_err(|e| match e {
                AppError::BadRequest(_) | AppError::Conflict(_) => invalid("email", ErrorCode::Email),
                other => other,
            })?;
            mail_password_link(db, id, &email, public_url, privileged).await?;
            let what = format!("{email} as {}", grant.label());
            tell_admins(
                db,
                &format!("Section 41: account {email} created by {}", me.email),
                &format!(
                    "{} created the account {what}.\n{}",
                    me.email,
                    if privileged {
                        "It has national access to personal data (or administers the service): it stays closed until another administrator approves it on the admin page."
                    } else {
                        "Its owner sets its password through a link mailed to them."
                    }
                ),
            )
            .await?;
            Ok(format!(
                "user {what}{}",
                if privileged { ", awaiting a second administrator" } else { "" }
            ))
        }
        "relink" => {
            // A new set-your-password link, when the first ran out or was lost (or the owner
            // forgot the password): earlier links stop working.
            let (email, u) = account_named(db, &get("email")).await?;
            super::entities::password_link::Entity::delete_many()
                .filter(super::entities::password_link::Column::UserId.eq(u.id))
                .exec(db)
                .await?;
            let waiting = u.requested_by.is_some() && u.approved_by.is_none();
            mail_password_link(db, u.id, &email, public_url, waiting).await?;
            tell_admins(
                db,
                &format!("Section 41: new password link for {email}, by {}", me.email),
                &format!("{} sent {email} a new link to set its password.\n", me.email),
            )
            .await?;
            Ok(format!("new password link for {email}"))
        }
        "approve" => {
            let email = get("email").to_lowercase();
            let u = user::Entity::find()
                .filter(user::Column::Email.eq(email.clone()))
                .filter(user::Column::RequestedBy.is_not_null())
                .filter(user::Column::ApprovedBy.is_null())
                .one(db)
                .await?
                .ok_or_else(|| invalid("email", ErrorCode::InvalidChoice))?;
            // The second pair of eyes must be another administrator's.
            if u.requested_by.as_deref() == Some(me.email.as_str()) {
                return Err(AppError::Refused(crate::domain::actions::Refusal::Role));
            }
            let approved = user::Entity::update_many()
                .col_expr(user::Column::Active, Expr::value(true))
                .col_expr(user::Column::ApprovedBy, Expr::value(Some(me.email.clone())))
                .filter(user::Column::Id.eq(u.id))
                .filter(user::Column::ApprovedBy.is_null())
                .exec(db)
                .await?;
            // Approved by someone else just now: once is enough.
            if approved.rows_affected != 1 {
                return Err(invalid("email", ErrorCode::InvalidChoice));
            }
            tell_admins(
                db,
                &format!("Section 41: account {email} approved by {}", me.email),
                &format!(
                    "{} approved the account {email}, created by {}. It is open now.\n",
                    me.email,
                    u.requested_by.clone().unwrap_or_default()
                ),
            )
            .await?;
            Ok(format!(
                "approved {email} (requested by {})",
                u.requested_by.unwrap_or_default()
            ))
        }
        "service_unit" => {
            let name = get("name");
            if name.is_empty() {
                return Err(invalid("name", ErrorCode::Required));
            }
            let province = crate::domain::ProvinceCode::parse(&get("province_code"))
                .ok_or_else(|| invalid("service_unit.province_code", ErrorCode::UnknownProvince))?;
            let exists = service_unit::Entity::find()
                .filter(service_unit::Column::ProvinceCode.eq(i16::from(province.code())))
                .filter(service_unit::Column::Name.eq(name.clone()))
                .one(db)
                .await?
                .is_some();
            if exists {
                return Err(invalid("name", ErrorCode::InvalidChoice));
            }
            service_unit::Entity::insert(service_unit::ActiveModel {
                name: Set(name.clone()),
                province_code: Set(i16::from(province.code())),
                created_at: Set(chrono::Utc::now()),
                ..Default::default()
            })
            .exec_without_returning(db)
            .await?;
            Ok(format!("service unit {name} ({})", province.code()))
        }
        "deactivate" => {
            let (email, u) = account_named(db, &get("email")).await?;
            // Never the last active administrator: nobody could run this page any more. The
            // administrators' rows are locked first, so two deactivating each other at once
            // are taken in turn and the second sees the first's change.
            user::Entity::update_many()
                .col_expr(user::Column::Active, Expr::col(user::Column::Active))
                .filter(user::Column::Id.is_in(admin_ids(db).await?))
                .exec(db)
                .await?;
            let admins = active_admins(db).await?;
            if admins.contains(&u.email) && admins.len() <= 1 {
                return Err(invalid("email", ErrorCode::InvalidChoice));
            }
            // A privileged account refused before its approval stays refused: it is marked
            // so that nobody approves it afterwards.
            let refused = u.requested_by.is_some() && u.approved_by.is_none();
            user::Entity::update_many()
                .col_expr(user::Column::Active, Expr::value(false))
                .col_expr(
                    user::Column::ApprovedBy,
                    Expr::value(if refused {
                        Some(format!("refused by {}", me.email))
                    } else {
                        u.approved_by.clone()
                    }),
                )
                .filter(user::Column::Id.eq(u.id))
                .exec(db)
                .await?;
            // Their sessions end now, not when they expire.
            staff_session::Entity::delete_many()
                .filter(staff_session::Column::UserId.eq(u.id))
                .exec(db)
                .await?;
            tell_admins(
                db,
                &format!("Section 41: account {email} deactivated by {}", me.email),
                &format!("{} deactivated the account {email}.\n", me.email),
            )
            .await?;
            Ok(format!("deactivated {email}"))
        }
        _ => Err(AppError::NotFound),
    }
}

/// The service-unit list, by province then name: (name, province code).
pub async fn service_units(db: &DatabaseConnection) -> AppResult<Vec<(String, u8)>> {
    Ok(service_unit::Entity::find()
        .order_by_asc(service_unit::Column::ProvinceCode)
        .order_by_asc(service_unit::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.name, u.province_code as u8))
        .collect())
}
