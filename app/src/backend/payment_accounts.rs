//! The bank account a decided payment goes to: given by the claimant on their status page or
//! by the region's staff from the petition, checked (`domain::payments::parse_account`),
//! shown masked, and audited whenever given or shown whole. It cannot change while the bank
//! has the transfer; after a failed transfer it can, and must. Its number is kept sealed
//! under the server key (`secrets::Keys::seal_account`), here and in the batch lines.

use super::audit::{self, Entry};
use super::entities::{claim, payment_account, payment_batch, payment_line};
use super::error::{AppError, AppResult};
use crate::domain::actions::{payment_pending, Refusal};
use crate::domain::payments::parse_account;
use crate::domain::ClaimStatus;
use crate::views::{AccountShown, PaymentView};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

/// A line's state while the bank has it, and its answers.
pub const PENDING: &str = "pending";
pub const PAID: &str = "paid";
pub const FAILED: &str = "failed";

/// The claim's newest payment line, if any.
pub async fn last_line(
    db: &impl ConnectionTrait,
    claim_id: uuid::Uuid,
) -> AppResult<Option<payment_line::Model>> {
    Ok(payment_line::Entity::find()
        .filter(payment_line::Column::ClaimId.eq(claim_id))
        .order_by_desc(payment_line::Column::Id)
        .one(db)
        .await?)
}

/// Whether the bank has the claim's transfer now (its newest line waits for an answer).
pub async fn with_bank(db: &impl ConnectionTrait, claim_id: uuid::Uuid) -> AppResult<bool> {
    Ok(last_line(db, claim_id).await?.is_some_and(|l| l.state == PENDING))
}

/// Whether `line` is a failed transfer no account has been given since: the claim needs one
/// again before it can go in another batch.
pub fn failure_outstanding(line: &payment_line::Model, account: Option<&payment_account::Model>) -> bool {
    line.state == FAILED
        && match (account, line.resolved_at) {
            (Some(a), Some(at)) => a.given_at <= at,
            (Some(_), None) => false,
            (None, _) => true,
        }
}

/// The whole number of the claim's account, for the region's officers who ask (the caller
/// checks who asks and audits it).
pub async fn whole_number(db: &DatabaseConnection, claim_id: uuid::Uuid) -> AppResult<Option<String>> {
    payment_account::Entity::find_by_id(claim_id)
        .one(db)
        .await?
        .map(|a| opened(&a.account_number, claim_id))
        .transpose()
}

fn keys() -> AppResult<&'static super::secrets::Keys> {
    audit::sealing_keys().ok_or_else(|| AppError::internal("the server key is not installed"))
}

/// An account number as it is kept: sealed for the claim it pays.
pub fn sealed(number: &str, claim_id: uuid::Uuid) -> AppResult<String> {
    Ok(keys()?.seal_account(number, &claim_id.to_string()))
}

/// The number kept as `stored` for this claim. One that does not open (plain, tampered
/// with, or sealed under a key this server does not hold) is an error, never a wrong number.
pub fn opened(stored: &str, claim_id: uuid::Uuid) -> AppResult<String> {
    keys()?
        .open_account(stored, &claim_id.to_string())
        .ok_or_else(|| AppError::internal(format!("the account number of claim {claim_id} does not open")))
}

/// What `seal_kept` writes in place of `stored`, a number not sealed under the key in
/// force: sealed under it, if `stored` is a number kept plain by the release before numbers
/// were sealed (digits only) or sealed under a retired key; `None` if it cannot be read
/// (then logged and left as it is).
fn resealed(stored: &str, claim_id: uuid::Uuid) -> AppResult<Option<String>> {
    let plain = !super::secrets::is_sealed(stored) && !stored.is_empty() && stored.chars().all(|c| c.is_ascii_digit());
    let number = if plain { Some(stored.to_string()) } else { opened(stored, claim_id).ok() };
    match number {
        Some(number) => sealed(&number, claim_id).map(Some),
        None => {
            tracing::error!(%claim_id, "an account number does not open under the keys this server holds; left as it is");
            Ok(None)
        }
    }
}

/// Seals the account numbers kept plain (before numbers were sealed) or sealed under a
/// retired key, in the accounts and in the batch lines, under the key in force (run at
/// start; several instances may run it at once: each row changes only from the value it
/// was read with). How many it sealed. A number it cannot read is left as it is: the
/// claim's page then asks for the account again, and the bank's file for its batch is
/// refused, rather than the server not starting.
pub async fn seal_kept(db: &DatabaseConnection) -> AppResult<u64> {
    use sea_orm::sea_query::Expr;
    // Only what is not sealed under the key in force is read: once every number is, a
    // start reads nothing, however many accounts there are.
    let current = format!("{}%", keys()?.sealed_now_prefix());
    let mut sealed_now = 0;
    let accounts = payment_account::Entity::find()
        .filter(payment_account::Column::AccountNumber.not_like(current.as_str()))
        .all(db)
        .await?;
    for a in accounts {
        let Some(new) = resealed(&a.account_number, a.claim_id)? else { continue };
        sealed_now += payment_account::Entity::update_many()
            .col_expr(payment_account::Column::AccountNumber, Expr::value(new))
            .filter(payment_account::Column::ClaimId.eq(a.claim_id))
            .filter(payment_account::Column::AccountNumber.eq(a.account_number))
            .exec(db)
            .await?
            .rows_affected;
    }
    let lines = payment_line::Entity::find()
        .filter(payment_line::Column::AccountNumber.not_like(current.as_str()))
        .all(db)
        .await?;
    for l in lines {
        let Some(new) = resealed(&l.account_number, l.claim_id)? else { continue };
        sealed_now += payment_line::Entity::update_many()
            .col_expr(payment_line::Column::AccountNumber, Expr::value(new))
            .filter(payment_line::Column::Id.eq(l.id))
            .filter(payment_line::Column::AccountNumber.eq(l.account_number))
            .exec(db)
            .await?
            .rows_affected;
    }
    Ok(sealed_now)
}

/// The payment part of a claim's page, the number masked: `None` before a payment is
/// decided.
pub async fn view_of(
    db: &DatabaseConnection,
    c: &claim::Model,
) -> AppResult<Option<PaymentView>> {
    let pending = payment_pending(c.status, c.decision_amount);
    if !pending && c.status != ClaimStatus::Paid {
        return Ok(None);
    }
    // An account whose number does not open is shown as none given: it is asked for again
    // (and sealed anew), where a wrong number would pay the wrong person.
    let account = payment_account::Entity::find_by_id(c.id)
        .one(db)
        .await?
        .and_then(|a| match opened(&a.account_number, c.id) {
            Ok(number) => Some((a, crate::domain::national_id::mask(&number))),
            Err(e) => {
                tracing::error!(claim_id = %c.id, error = %e, "account shown as none given");
                None
            }
        });
    let line = last_line(db, c.id).await?;
    let in_batch = match line.as_ref().filter(|l| l.state == PENDING) {
        Some(l) => payment_batch::Entity::find_by_id(l.batch_id)
            .one(db)
            .await?
            .map(|b| b.label),
        None => None,
    };
    let failed = line
        .as_ref()
        .filter(|l| c.status != ClaimStatus::Paid && failure_outstanding(l, account.as_ref().map(|(a, _)| a)))
        .map(|l| (l.failure_reason.clone().unwrap_or_default(), l.paid_on));
    Ok(Some(PaymentView {
        can_give: pending && in_batch.is_none(),
        account: account.map(|(a, masked)| AccountShown {
            masked,
            full_number: None,
            bank_code: a.bank_code,
            holder: a.account_holder,
            given_by_claimant: a.given_by == "claimant",
            given_at: a.given_at,
        }),
        in_batch,
        failed,
    }))
}

/// Records the account a payment goes to, replacing any earlier one. `by` is `claimant` or
/// `user:EMAIL`; the caller has checked that they may. Refused (changing nothing) unless a
/// payment is pending and the bank does not have the transfer now; a refusal is audited.
pub async fn give(
    db: &DatabaseConnection,
    c: &claim::Model,
    typed: (&str, &str, &str),
    by: &str,
    client: &str,
) -> AppResult<()> {
    let result = try_give(db, c, typed, by, client).await;
    if let Err(AppError::Refused(_)) = &result {
        let detail = format!("bank_account: {}", c.status.as_str());
        audit::refused(db, by, Some(&c.reference), &detail, client).await?;
    }
    result
}

/// The region's intake or officers give the account from the petition; any other role is
/// refused, and the refusal audited.
pub async fn give_by_staff(
    db: &DatabaseConnection,
    me: &crate::views::StaffIdentity,
    c: &claim::Model,
    typed: (&str, &str, &str),
    client: &str,
) -> AppResult<()> {
    let actor = format!("user:{}", me.email);
    if !crate::domain::actions::can_give_account(&me.grants, c.region) {
        audit::refused(db, &actor, Some(&c.reference), "bank_account: role", client).await?;
        return Err(AppError::Refused(Refusal::Role));
    }
    give(db, c, typed, &actor, client).await
}

async fn try_give(
    db: &DatabaseConnection,
    c: &claim::Model,
    typed: (&str, &str, &str),
    by: &str,
    client: &str,
) -> AppResult<()> {
    use sea_orm::ActiveValue::Set;
    if !payment_pending(c.status, c.decision_amount) {
        return Err(AppError::Refused(Refusal::State(c.status)));
    }
    let account = parse_account(typed.0, typed.1, typed.2).map_err(AppError::Validation)?;
    let txn = super::begin_write(db).await?;
    // The claim's row lock (a no-op update) keeps this and a batch being made apart on
    // PostgreSQL: the batch either has the new account or makes this wait and refuse.
    super::lock_claim(&txn, c.id).await?;
    if with_bank(&txn, c.id).await? {
        return Err(AppError::Refused(Refusal::State(c.status)));
    }
    let changed = payment_account::Entity::delete_by_id(c.id).exec(&txn).await?.rows_affected > 0;
    payment_account::Entity::insert(payment_account::ActiveModel {
        claim_id: Set(c.id),
        bank_code: Set(account.bank_code.clone()),
        account_number: Set(sealed(&account.number, c.id)?),
        account_holder: Set(account.holder.clone()),
        given_by: Set(by.to_string()),
        given_at: Set(chrono::Utc::now()),
    })
    .exec_without_returning(&txn)
    .await?;
    audit::append_in(
        &txn,
        Entry {
            actor: by,
            action: "bank_account_given",
            claim_reference: Some(&c.reference),
            detail: &format!("bank {} account {}", account.bank_code, account.masked()),
            client,
        },
    )
    .await?;
    // An account given by staff, or changed, is told to the claimant: nobody can swap where
    // the money goes unseen.
    if changed || by != "claimant" {
        super::mail::tell_claimant(&txn, c, |to| {
            super::mail::Message::account_given(to, &c.reference, &account.masked(), &c.lang)
        })
        .await?;
    }
    txn.commit().await?;
    Ok(())
}
