//! Staff accounts, roles, sign-in and server-side sessions, and what each may see.

use super::entities::{claim, staff_session, user, user_role};
use super::error::{AppError, AppResult};
use super::secrets::{new_token, sha256_hex};
use super::throttle;
use crate::views::StaffIdentity;
use crate::domain::access::{Grant, Role};
use crate::domain::ClaimStatus;
use chrono::{Duration, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter,
};
use uuid::Uuid;

/// Sessions end after this long without being renewed by a new sign-in.
pub const SESSION_HOURS: i64 = 8;
pub const MIN_PASSWORD: usize = 12;
/// Wrong passwords for one account in a window before browsers new to it must wait.
pub const ACCOUNT_TRIES: i32 = 5;
pub const MAX_ACCOUNT_DELAY_SECS: u64 = 4;
/// Wrong passwords one client may try in a window, whatever the accounts.
pub const CLIENT_TRIES: i32 = 20;

/// Passwords get the same salted argon2id hash as access codes.
pub fn hash_password(password: &str) -> String {
    super::secrets::argon2_hash(password)
}

fn verify_password(password: &str, hash: &str) -> bool {
    super::secrets::argon2_verifies(password, hash)
}

/// Creates an account with its roles. Email is stored lower-case.
pub async fn create_user(
    db: &DatabaseConnection,
    email: &str,
    display_name: &str,
    password: &str,
    grants: &[Grant],
) -> AppResult<Uuid> {
    let txn = super::begin_write(db).await?;
    let id = create_user_in(
        &txn,
        NewAccount {
            email,
            display_name,
            password: Some(password),
            grants,
            requested_by: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

/// An account to create.
pub struct NewAccount<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    /// `None`: the owner sets it through a one-time link (`new_password_link`).
    pub password: Option<&'a str>,
    pub grants: &'a [Grant],
    /// A privileged account made by this admin: inactive until another admin approves it.
    pub requested_by: Option<&'a str>,
}

/// Hours a set-your-password link works.
pub const PASSWORD_LINK_HOURS: i64 = 72;

/// A one-time link for the account's owner to set its password (the table keeps its hash).
pub async fn new_password_link(
    txn: &impl sea_orm::ConnectionTrait,
    user_id: Uuid,
    public_url: &str,
) -> AppResult<String> {
    use super::entities::password_link;
    let token = super::secrets::new_token();
    password_link::Entity::insert(password_link::ActiveModel {
        token_hash: Set(sha256_hex(token.as_bytes())),
        user_id: Set(user_id),
        expires_at: Set(Utc::now() + Duration::hours(PASSWORD_LINK_HOURS)),
    })
    .exec_without_returning(txn)
    .await?;
    Ok(format!(
        "{}/staff/password?t={token}",
        public_url.trim_end_matches('/')
    ))
}

/// The owner of a set-your-password link sets the account's password: the link works once.
/// Returns the account's email. An unknown or expired link is `NotFound`.
pub async fn set_password(
    db: &DatabaseConnection,
    token: &str,
    password: &str,
    again: &str,
    client: &str,
) -> AppResult<String> {
    use super::entities::password_link;
    if password.chars().count() < MIN_PASSWORD {
        return Err(AppError::Validation(vec![crate::domain::FieldError::new(
            "password",
            crate::domain::ErrorCode::TooShort { min: MIN_PASSWORD },
        )]));
    }
    if password != again {
        return Err(AppError::Validation(vec![crate::domain::FieldError::new(
            "password_again",
            crate::domain::ErrorCode::PasswordsDiffer,
        )]));
    }
    let hash = hash_password(password);
    let txn = super::begin_write(db).await?;
    let Some(link) = password_link::Entity::find_by_id(sha256_hex(token.trim().as_bytes()))
        .filter(password_link::Column::ExpiresAt.gt(Utc::now()))
        .one(&txn)
        .await?
    else {
        return Err(AppError::NotFound);
    };
    let u = user::Entity::find_by_id(link.user_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, sea_orm::prelude::Expr::value(hash))
        .filter(user::Column::Id.eq(u.id))
        .exec(&txn)
        .await?;
    // Every link of the account is used up: the first one used counts. Taking this link is
    // the claim on it: of two posts with it at once, only one deletes it.
    let taken = password_link::Entity::delete_by_id(link.token_hash.clone())
        .exec(&txn)
        .await?;
    if taken.rows_affected != 1 {
        return Err(AppError::NotFound);
    }
    password_link::Entity::delete_many()
        .filter(password_link::Column::UserId.eq(u.id))
        .exec(&txn)
        .await?;
    super::audit::append_in(
        &txn,
        super::audit::Entry {
            actor: &format!("user:{}", u.email),
            action: "password_set",
            claim_reference: None,
            detail: "",
            client,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(u.email)
}

/// `create_user` inside the caller's transaction (with the audit entry that records it).
pub async fn create_user_in(txn: &sea_orm::DatabaseTransaction, a: NewAccount<'_>) -> AppResult<Uuid> {
    let NewAccount {
        email,
        display_name,
        password,
        grants,
        requested_by,
    } = a;
    let email = email.trim().to_lowercase();
    if !crate::domain::petition::is_plausible_email(&email) {
        return Err(AppError::BadRequest(format!(
            "'{email}' is not an email address"
        )));
    }
    if password.is_some_and(|p| p.chars().count() < MIN_PASSWORD) {
        return Err(AppError::BadRequest(format!(
            "the password must be at least {MIN_PASSWORD} characters"
        )));
    }
    if grants.is_empty() {
        return Err(AppError::BadRequest(
            "give the account at least one role".into(),
        ));
    }
    let id = Uuid::new_v4();
    user::Entity::insert(user::ActiveModel {
        id: Set(id),
        email: Set(email.clone()),
        display_name: Set(display_name.trim().to_string()),
        // Without a password the account opens to nothing until its owner sets one.
        password_hash: Set(password.map_or_else(|| "!".to_string(), hash_password)),
        active: Set(requested_by.is_none()),
        requested_by: Set(requested_by.map(str::to_string)),
        approved_by: Set(None),
        created_at: Set(Utc::now()),
    })
    .exec_without_returning(txn)
    .await
    .map_err(|e| {
        if e.to_string().to_lowercase().contains("unique") {
            AppError::Conflict(format!("{email} already has an account"))
        } else {
            e.into()
        }
    })?;
    for g in grants {
        user_role::Entity::insert(user_role::ActiveModel {
            user_id: Set(id),
            role: Set(g.role),
            region: Set(g.region),
            province: Set(g.province.map(|p| i16::from(p.code()))),
            ..Default::default()
        })
        .exec_without_returning(txn)
        .await?;
    }
    Ok(id)
}

pub async fn grants_of(db: &DatabaseConnection, user_id: Uuid) -> AppResult<Vec<Grant>> {
    Ok(user_role::Entity::find()
        .filter(user_role::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        // Rows are written from `Grant`s, so each is a grant the domain allows.
        .filter_map(|r| {
            let province = r
                .province
                .and_then(|p| crate::domain::ProvinceCode::parse(&format!("{p:02}")));
            Grant::stored(r.role, r.region, province).ok()
        })
        .collect())
}

#[derive(Debug, PartialEq, Eq)]
pub enum SignIn {
    /// The session token for the cookie, and the browser's known-device mark.
    Ok { session: String, device: String },
    Wrong,
    /// This client has made too many wrong tries; it may try again later.
    Throttled,
    /// The instance has as many posts in hand as it takes (`AppState::work`): try again soon.
    Busy,
}

/// Who is signing in, from where.
pub struct Attempt<'a> {
    pub email: &'a str,
    pub password: &'a str,
    pub client: super::client::ClientIp,
    /// The known-device mark the browser sent, if any.
    pub device: Option<&'a str>,
    /// The instance's work cap: a place is taken for the password check, after the delay.
    pub work: &'a tokio::sync::Semaphore,
}

/// How long a browser not known to the account waits before its password is checked, once
/// the account has had `ACCOUNT_TRIES` wrong passwords in the window: one second, doubling
/// with each further wrong one, at most `MAX_ACCOUNT_DELAY_SECS`.
pub fn account_delay(failures: i32) -> std::time::Duration {
    let beyond = failures - ACCOUNT_TRIES;
    if beyond < 0 {
        return std::time::Duration::ZERO;
    }
    std::time::Duration::from_secs((1u64 << beyond.min(8)).min(MAX_ACCOUNT_DELAY_SECS))
}

/// Checks a password. Nobody can lock an account's owner out: wrong passwords are refused
/// per client (`CLIENT_TRIES` in the window, counted before the check, so parallel tries
/// cannot slip past), and per account they only slow down browsers the account has not
/// signed in from before; a right password always gets through.
pub async fn sign_in(
    db: &DatabaseConnection,
    keys: &super::secrets::Keys,
    a: Attempt<'_>,
) -> AppResult<SignIn> {
    let email = a.email.trim().to_lowercase();
    let acct_key = format!("login-acct:{email}");
    let client_key = format!("login-ip:{}", a.client.key());
    let client = &a.client.to_string();
    if let Err(AppError::TooManyRequests) =
        throttle::attempt(db, &client_key, CLIENT_TRIES, client).await
    {
        return Ok(SignIn::Throttled);
    }
    // Counted before the check, in one statement, as the client's tries are: tries sent
    // at once each see the ones before them, and wait accordingly.
    let tries = throttle::count(db, &acct_key).await?;
    let known = a.device.is_some_and(|m| keys.is_device_mark(&email, m));
    if !known {
        let wait = account_delay(tries - 1);
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }
    // Slept without a place in the work cap, so sleeping tries cannot crowd out others.
    let Ok(_place) = a.work.try_acquire() else {
        // Not a try: nothing was checked. Neither count keeps it.
        throttle::forgive(db, &acct_key).await?;
        throttle::forgive(db, &client_key).await?;
        return Ok(SignIn::Busy);
    };
    let found = user::Entity::find()
        .filter(user::Column::Email.eq(email.clone()))
        .filter(user::Column::Active.eq(true))
        .one(db)
        .await?;
    // Same effort for unknown accounts; off the async workers either way.
    // An account whose owner has not set a password yet costs the same as an unknown one.
    let hash = found
        .as_ref()
        .map(|u| u.password_hash.clone())
        .filter(|h| h.starts_with("$argon2"))
        .unwrap_or_else(|| super::secrets::dummy_hash().to_string());
    let pw = a.password.to_string();
    let matches = tokio::task::spawn_blocking(move || verify_password(&pw, &hash))
        .await
        .unwrap_or(false);
    match (matches, found) {
        (true, Some(u)) => {
            // Only this right try is taken back: the account's count of wrong passwords
            // stands until its window ends, so the owner signing in does not give a
            // guesser a fresh start.
            throttle::forgive(db, &acct_key).await?;
            throttle::forgive(db, &client_key).await?;
            Ok(SignIn::Ok {
                session: start_session(db, u.id).await?,
                device: keys.device_mark(&email),
            })
        }
        _ => {
            // Once per window: right tries taken back mean no wrong one may hold exactly
            // number ACCOUNT_TRIES, so the first wrong one at or past it writes the entry.
            if tries >= ACCOUNT_TRIES
                && throttle::count(db, &format!("login-guessed:{email}")).await? == 1
            {
                super::audit::append(
                    db,
                    super::audit::Entry {
                        actor: &format!("user:{email}"),
                        action: "account_guessed",
                        claim_reference: None,
                        detail: &format!(
                            "{ACCOUNT_TRIES} wrong passwords within {} minutes; browsers new to the account now wait before each try",
                            throttle::WINDOW_MINUTES
                        ),
                        client,
                    },
                )
                .await?;
            }
            Ok(SignIn::Wrong)
        }
    }
}

/// The `Cookie::Device` mark marking a browser that signed in to an account, in seconds.
pub const DEVICE_SECONDS: i64 = 180 * 24 * 3600;

async fn start_session(db: &DatabaseConnection, user_id: Uuid) -> AppResult<String> {
    let token = new_token();
    let now = Utc::now();
    staff_session::Entity::insert(staff_session::ActiveModel {
        token_hash: Set(sha256_hex(token.as_bytes())),
        user_id: Set(user_id),
        csrf_token: Set(new_token()),
        created_at: Set(now),
        expires_at: Set(now + Duration::hours(SESSION_HOURS)),
    })
    .exec_without_returning(db)
    .await?;
    Ok(token)
}

/// The signed-in staff member a session token belongs to, if the session is live.
pub async fn identify(
    db: &DatabaseConnection,
    token: &str,
) -> AppResult<Option<(Uuid, StaffIdentity)>> {
    let Some(s) = staff_session::Entity::find_by_id(sha256_hex(token.as_bytes()))
        .filter(staff_session::Column::ExpiresAt.gt(Utc::now()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(u) = user::Entity::find_by_id(s.user_id)
        .filter(user::Column::Active.eq(true))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let grants = grants_of(db, u.id).await?;
    Ok(Some((
        u.id,
        StaffIdentity {
            email: u.email,
            display_name: u.display_name,
            grants,
            csrf_token: s.csrf_token,
            today: super::calendar::today_in_bangkok(),
        },
    )))
}

pub async fn sign_out(db: &DatabaseConnection, token: &str) -> AppResult<()> {
    staff_session::Entity::delete_by_id(sha256_hex(token.as_bytes()))
        .exec(db)
        .await?;
    Ok(())
}


/// The SQL condition selecting exactly the claims `grants` may see (the same rule as
/// `domain::access::Grant::can_view`, which the tests hold it to).
pub fn visible_claims(grants: &[Grant]) -> Condition {
    use ClaimStatus as S;
    let mut any = Condition::any();
    // An empty `any` matches everything in sea-query; start from a condition that is false.
    any = any.add(claim::Column::Id.is_null());
    for g in grants {
        let in_region = |c: Condition| match g.region {
            Some(r) => c.add(claim::Column::Region.eq(i16::from(r.number()))),
            None => c,
        };
        match g.role {
            Role::Intake | Role::RegionalOfficer => {
                any = any.add(in_region(
                    Condition::all().add(claim::Column::Id.is_not_null()),
                ))
            }
            Role::Reviewer => {
                any = any.add(in_region(
                    Condition::all().add(claim::Column::ReferredAt.is_not_null()),
                ))
            }
            Role::AppealBoard => {
                any = any.add(
                    claim::Column::Status.is_in([S::Appealed.as_str(), S::AppealDecided.as_str()]),
                )
            }
            Role::Admin => {}
            Role::ProvincialOffice => {
                // Its own province's petitions; a grant without one sees nothing.
                if let Some(p) = g.province {
                    any = any.add(claim::Column::ProvinceCode.eq(format!("{:02}", p.code())))
                }
            }
        }
    }
    any
}

/// Cases this person has declared a conflict of interest in: kept out of everything they list.
pub fn not_conflicted(email: &str) -> Condition {
    use super::entities::claim_conflict;
    use sea_orm::sea_query::Query;
    Condition::all().add(
        claim::Column::Id.not_in_subquery(
            Query::select()
                .column(claim_conflict::Column::ClaimId)
                .from(claim_conflict::Entity)
                .and_where(claim_conflict::Column::UserEmail.eq(email))
                .to_owned(),
        ),
    )
}

/// Whether this person declared a conflict of interest in the case.
pub async fn kept_off(db: &DatabaseConnection, claim_id: Uuid, email: &str) -> AppResult<bool> {
    use super::entities::claim_conflict;
    use sea_orm::PaginatorTrait;
    Ok(claim_conflict::Entity::find()
        .filter(claim_conflict::Column::ClaimId.eq(claim_id))
        .filter(claim_conflict::Column::UserEmail.eq(email))
        .count(db)
        .await?
        > 0)
}

/// The one rule for whether this person may see this case: their grants allow its region
/// and state, and they have not declared a conflict of interest in it.
pub async fn may_see(
    db: &DatabaseConnection,
    me: &StaffIdentity,
    c: &claim::Model,
) -> AppResult<bool> {
    let allowed = crate::domain::access::can_view(&me.grants, super::listing::case_of(c));
    Ok(allowed && !kept_off(db, c.id, &me.email).await?)
}
