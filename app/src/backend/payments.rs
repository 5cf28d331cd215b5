//! Paying a region's approved claims through its bank: a regional officer makes a batch of
//! every ordered payment with an account (a case is in one open batch at most), hands the
//! bank its CSV file (layout in `domain::payments`), and takes the bank's result file back
//! in. A result file is checked in full before anything is written: each line paid (the
//! claim becomes paid, with the day and the bank's transfer reference) or failed (the claim
//! stays "payment ordered", the claimant is told why and gives an account again). The same
//! file twice, or a line already recorded the same way, changes nothing. Every step is
//! audited.

use super::audit::{self, Entry};
use super::calendar::{time_targets, today_in_bangkok};
use super::claims::{record_event, NewEvent};
use super::entities::{claim, payment_account, payment_batch, payment_import, payment_line};
use super::error::{AppError, AppResult};
use super::mail::{self, Message};
use super::payment_accounts::{failure_outstanding, FAILED, PAID, PENDING};
use crate::domain::actions::can_pay;
use crate::domain::deadlines::after_move;
use crate::domain::payments::{batch_csv, parse_results, BatchLine, LineError, Outcome};
use crate::domain::{ClaimStatus, Region, Relation};
use crate::views::{BatchSummary, Payable, PaymentsPage, StaffIdentity};
use chrono::{DateTime, Utc};
use sea_orm::prelude::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What taking a result file in did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Imported {
    Done { paid: usize, failed: usize, unchanged: usize },
    /// This very file was taken in before: nothing changed.
    Already { at: DateTime<Utc> },
    /// The file is not sound: nothing changed.
    Problems(Vec<LineError>),
}

/// The regions this person pays (their regional-officer grants), in order.
fn regions_paid(me: &StaffIdentity) -> Vec<Region> {
    Region::all().filter(|r| can_pay(&me.grants, *r)).collect()
}

fn region_of(me: &StaffIdentity, asked: Option<&str>) -> AppResult<Region> {
    let mine = regions_paid(me);
    let first = *mine.first().ok_or(AppError::NotFound)?;
    match asked.filter(|a| !a.is_empty()) {
        None => Ok(first),
        Some(a) => {
            let r = super::listing::region_asked(a)?;
            // Another region's payments look like no page at all.
            mine.contains(&r).then_some(r).ok_or(AppError::NotFound)
        }
    }
}

/// Who is paid: the heir for a person who died, otherwise the injured person.
fn payee(c: &claim::Model) -> (String, String) {
    match (c.relation, &c.filer_name, &c.filer_national_id) {
        (Relation::Heir, Some(name), Some(id)) => (name.clone(), id.clone()),
        _ => (c.patient_name.clone(), c.patient_national_id.clone()),
    }
}

/// The region's decided, unpaid claims, split into those ready for a batch (ordered, with an
/// account given since any failed transfer, and not with the bank) and those waiting for an
/// account; with the accounts of the ready ones.
async fn payable(
    db: &impl sea_orm::ConnectionTrait,
    region: Region,
    me: &StaffIdentity,
) -> AppResult<(Vec<(claim::Model, payment_account::Model)>, Vec<claim::Model>)> {
    let claims = claim::Entity::find()
        .filter(claim::Column::Region.eq(region))
        // A case the officer declared a conflict of interest in is not theirs to pay.
        .filter(super::staff::not_conflicted(&me.email))
        .filter(claim::Column::Status.is_in([
            ClaimStatus::Approved.as_str(),
            ClaimStatus::AppealDecided.as_str(),
            ClaimStatus::PaymentOrdered.as_str(),
        ]))
        .order_by_asc(claim::Column::DecidedOn)
        .order_by_asc(claim::Column::Reference)
        .all(db)
        .await?;
    let ids: Vec<uuid::Uuid> = claims.iter().map(|c| c.id).collect();
    let mut accounts: HashMap<uuid::Uuid, payment_account::Model> = HashMap::new();
    let mut lines: HashMap<uuid::Uuid, payment_line::Model> = HashMap::new();
    for chunk in ids.chunks(500) {
        for a in payment_account::Entity::find()
            .filter(payment_account::Column::ClaimId.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            accounts.insert(a.claim_id, a);
        }
        // Ascending ids: the newest line of each claim wins.
        for l in payment_line::Entity::find()
            .filter(payment_line::Column::ClaimId.is_in(chunk.to_vec()))
            .order_by_asc(payment_line::Column::Id)
            .all(db)
            .await?
        {
            lines.insert(l.claim_id, l);
        }
    }
    let (mut ready, mut waiting) = (Vec::new(), Vec::new());
    for c in claims {
        if !crate::domain::actions::payment_pending(c.status, c.decision_amount) {
            continue;
        }
        let line = lines.get(&c.id);
        if line.is_some_and(|l| l.state == PENDING) {
            continue;
        }
        let account = accounts
            .remove(&c.id)
            .filter(|a| !line.is_some_and(|l| failure_outstanding(l, Some(a))));
        match account {
            Some(a) if c.status == ClaimStatus::PaymentOrdered => ready.push((c, a)),
            Some(_) => {}
            None => waiting.push(c),
        }
    }
    Ok((ready, waiting))
}

fn listed(c: &claim::Model) -> Payable {
    Payable {
        reference: c.reference.clone(),
        patient_name: c.patient_name.clone(),
        amount_baht: c.decision_amount.unwrap_or(0),
        status: c.status,
    }
}

/// The payments page for one of this officer's regions (names and amounts: audited).
pub async fn page(
    db: &DatabaseConnection,
    me: &StaffIdentity,
    region: Option<&str>,
    client: &str,
) -> AppResult<PaymentsPage> {
    let region = region_of(me, region)?;
    let (ready, waiting) = payable(db, region, me).await?;
    audit::append(
        db,
        Entry {
            actor: &format!("user:{}", me.email),
            action: "payments_viewed",
            claim_reference: None,
            detail: &format!("region {}: {} ready, {} without an account", region.number(), ready.len(), waiting.len()),
            client,
        },
    )
    .await?;
    let batches = payment_batch::Entity::find()
        .filter(payment_batch::Column::Region.eq(region))
        .order_by_desc(payment_batch::Column::CreatedAt)
        .limit(50)
        .all(db)
        .await?;
    // The lines' states of all these batches, in one query.
    let states: Vec<(uuid::Uuid, String)> = payment_line::Entity::find()
        .select_only()
        .columns([payment_line::Column::BatchId, payment_line::Column::State])
        .filter(payment_line::Column::BatchId.is_in(batches.iter().map(|b| b.id).collect::<Vec<_>>()))
        .into_tuple()
        .all(db)
        .await?;
    let mut summaries = Vec::new();
    for b in batches {
        let count = |s: &str| states.iter().filter(|(id, st)| *id == b.id && st == s).count();
        summaries.push(BatchSummary {
            id: b.id.to_string(),
            pending: count(PENDING),
            paid: count(PAID),
            failed: count(FAILED),
            label: b.label,
            created_at: b.created_at,
            created_by: b.created_by,
            lines: b.lines,
            total_baht: b.total_baht,
        });
    }
    Ok(PaymentsPage {
        regions: regions_paid(me).into_iter().map(Region::number).collect(),
        region: region.number(),
        ready: ready.iter().map(|(c, _)| listed(c)).collect(),
        without_account: waiting.iter().map(listed).collect(),
        batches: summaries,
    })
}

/// Makes the region's next batch of every payment ready for one. `Conflict` when there is
/// none, or when another batch took these cases at the same moment (nothing is written).
pub async fn create_batch(
    db: &DatabaseConnection,
    me: &StaffIdentity,
    region: Option<&str>,
    client: &str,
) -> AppResult<uuid::Uuid> {
    let region = region_of(me, region)?;
    let txn = super::begin_write(db).await?;
    // Hold the region's ordered payments first (a no-op update takes their row locks on
    // PostgreSQL; SQLite's write transaction already excludes everyone), then read them: an
    // account given at this moment is either in the batch, or refused because the batch
    // has the claim.
    claim::Entity::update_many()
        .col_expr(claim::Column::Status, Expr::col(claim::Column::Status).into())
        .filter(claim::Column::Region.eq(region))
        .filter(claim::Column::Status.eq(ClaimStatus::PaymentOrdered.as_str()))
        .exec(&txn)
        .await?;
    let (ready, _) = payable(&txn, region, me).await?;
    if ready.is_empty() {
        return Err(AppError::Conflict("no payment is ready for a batch".into()));
    }
    let today = today_in_bangkok();
    let be_year = crate::domain::stats::fiscal_year(today);
    let prefix = format!("PAY-{be_year}-R{:02}-", region.number());
    let earlier = payment_batch::Entity::find()
        .filter(payment_batch::Column::Label.starts_with(&prefix))
        .count(&txn)
        .await?;
    let label = format!("{prefix}{:04}", earlier + 1);
    let id = uuid::Uuid::new_v4();
    let total: i64 = ready.iter().map(|(c, _)| c.decision_amount.unwrap_or(0)).sum();
    let conflict = |e: sea_orm::DbErr| {
        if e.to_string().to_lowercase().contains("unique") {
            AppError::Conflict("another batch took these payments".into())
        } else {
            e.into()
        }
    };
    payment_batch::Entity::insert(payment_batch::ActiveModel {
        id: Set(id),
        label: Set(label.clone()),
        region: Set(region),
        created_at: Set(Utc::now()),
        created_by: Set(me.email.clone()),
        lines: Set(ready.len() as i32),
        total_baht: Set(total),
    })
    .exec_without_returning(&txn)
    .await
    .map_err(conflict)?;
    for (i, (c, a)) in ready.iter().enumerate() {
        payment_line::Entity::insert(payment_line::ActiveModel {
            batch_id: Set(id),
            line: Set(i as i32 + 1),
            claim_id: Set(c.id),
            reference: Set(c.reference.clone()),
            amount_baht: Set(c.decision_amount.unwrap_or(0)),
            bank_code: Set(a.bank_code.clone()),
            account_number: Set(a.account_number.clone()),
            account_holder: Set(a.account_holder.clone()),
            state: Set(PENDING.into()),
            open_claim_id: Set(Some(c.id)),
            ..Default::default()
        })
        .exec_without_returning(&txn)
        .await
        .map_err(conflict)?;
    }
    audit::append_in(
        &txn,
        Entry {
            actor: &format!("user:{}", me.email),
            action: "payment_batch_created",
            claim_reference: None,
            detail: &format!(
                "{label}: {} payments, {total} THB: {}",
                ready.len(),
                ready.iter().map(|(c, _)| c.reference.as_str()).collect::<Vec<_>>().join(" ")
            ),
            client,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

/// A batch this person pays, or not found.
async fn batch_for(
    db: &DatabaseConnection,
    me: &StaffIdentity,
    id: &str,
) -> AppResult<payment_batch::Model> {
    let id = uuid::Uuid::parse_str(id).map_err(|_| AppError::NotFound)?;
    let b = payment_batch::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|b| can_pay(&me.grants, b.region))
        .ok_or(AppError::NotFound)?;
    // A batch holding a case this officer declared a conflict in is another officer's to handle.
    let conflicted = claim::Entity::find()
        .filter(
            claim::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(payment_line::Column::ClaimId)
                    .from(payment_line::Entity)
                    .and_where(payment_line::Column::BatchId.eq(b.id))
                    .to_owned(),
            ),
        )
        .filter(sea_orm::Condition::all().add(super::staff::not_conflicted(&me.email)).not())
        .count(db)
        .await?;
    if conflicted > 0 {
        return Err(AppError::NotFound);
    }
    Ok(b)
}

/// The batch's file for the bank (whole account numbers: audited), with its label.
pub async fn batch_file(
    db: &DatabaseConnection,
    me: &StaffIdentity,
    id: &str,
    client: &str,
) -> AppResult<(String, Vec<u8>)> {
    let b = batch_for(db, me, id).await?;
    let lines = payment_line::Entity::find()
        .filter(payment_line::Column::BatchId.eq(b.id))
        .order_by_asc(payment_line::Column::Line)
        .all(db)
        .await?;
    let claims: HashMap<uuid::Uuid, claim::Model> = claim::Entity::find()
        .filter(claim::Column::Id.is_in(lines.iter().map(|l| l.claim_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let mut rows: Vec<BatchLine> = Vec::with_capacity(lines.len());
    for l in &lines {
        let Some(c) = claims.get(&l.claim_id) else {
            continue;
        };
        let (payee_name, national_id) = payee(c);
        rows.push(BatchLine {
            reference: l.reference.clone(),
            payee_name,
            national_id,
            bank_code: l.bank_code.clone(),
            account_number: super::payment_accounts::opened(&l.account_number, l.claim_id)?,
            account_holder: l.account_holder.clone(),
            amount_baht: l.amount_baht,
            region: c.region.number(),
        });
    }
    audit::append(
        db,
        Entry {
            actor: &format!("user:{}", me.email),
            action: "payment_batch_exported",
            claim_reference: None,
            detail: &format!("{}: {} lines (whole account numbers)", b.label, rows.len()),
            client,
        },
    )
    .await?;
    Ok((b.label.clone(), batch_csv(&b.label, &rows).into_bytes()))
}

/// What one result line will do, once the whole file is known to be sound.
enum Step {
    Pay(payment_line::Model, claim::Model, chrono::NaiveDate, String),
    Fail(payment_line::Model, claim::Model, String, Option<chrono::NaiveDate>),
    Unchanged,
}

/// Settles a pending line as `state` (paid or failed) on `on`, freeing its case for later
/// batches; the caller adds what the bank said.
fn settle(
    id: i32,
    state: &'static str,
    on: Option<chrono::NaiveDate>,
) -> sea_orm::UpdateMany<payment_line::Entity> {
    payment_line::Entity::update_many()
        .col_expr(payment_line::Column::State, Expr::value(state))
        .col_expr(payment_line::Column::OpenClaimId, Expr::value(Option::<uuid::Uuid>::None))
        .col_expr(payment_line::Column::PaidOn, Expr::value(on))
        .col_expr(payment_line::Column::ResolvedAt, Expr::value(Some(Utc::now())))
        .filter(payment_line::Column::Id.eq(id))
        // Only from pending: of two files taken in at once, the second finds the line
        // settled and stops (`settled_once`).
        .filter(payment_line::Column::State.eq(PENDING))
}

fn settled_once(r: sea_orm::UpdateResult) -> AppResult<()> {
    if r.rows_affected == 1 {
        Ok(())
    } else {
        Err(AppError::Conflict("another result file took this line in".into()))
    }
}

fn problem(line: usize, th: String, en: String) -> LineError {
    LineError { line, message_th: th, message_en: en }
}

/// Takes the bank's result file for a batch in: all of it, or (any problem) none of it.
/// `public_url` is the site's address, for the claimants' mail.
pub async fn import(
    db: &DatabaseConnection,
    me: &StaffIdentity,
    id: &str,
    bytes: &[u8],
    client: &str,
    public_url: &str,
) -> AppResult<Imported> {
    let b = batch_for(db, me, id).await?;
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Ok(Imported::Problems(vec![problem(
            1,
            "ไฟล์ต้องเป็นข้อความ UTF-8 (CSV)".into(),
            "The file must be UTF-8 text (CSV)".into(),
        )]));
    };
    let hash = super::secrets::sha256_hex(bytes);
    let results = match parse_results(text) {
        Ok(r) => r,
        Err(problems) => return Ok(Imported::Problems(problems)),
    };
    let txn = super::begin_write(db).await?;
    // One result file of a batch at a time: on PostgreSQL a second waits here, on the
    // batch's row lock, until the first commits, then reads the lines and their claims as
    // the first left them (read apart, a line still pending beside its claim already paid
    // was told to the officer as a problem although the file had been taken in).
    super::lock_row::<payment_batch::Entity>(&txn, payment_batch::Column::Id, b.id).await?;
    if let Some(before) = payment_import::Entity::find()
        .filter(payment_import::Column::BatchId.eq(b.id))
        .filter(payment_import::Column::FileSha256.eq(hash.clone()))
        .one(&txn)
        .await?
    {
        return Ok(Imported::Already { at: before.imported_at });
    }
    let lines: HashMap<String, payment_line::Model> = payment_line::Entity::find()
        .filter(payment_line::Column::BatchId.eq(b.id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|l| (l.reference.clone(), l))
        .collect();
    // Their claims, in one query.
    let claims: HashMap<uuid::Uuid, claim::Model> = claim::Entity::find()
        .filter(claim::Column::Id.is_in(lines.values().map(|l| l.claim_id).collect::<Vec<_>>()))
        .all(&txn)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let today = today_in_bangkok();
    let (mut steps, mut problems) = (Vec::new(), Vec::new());
    // What the file says is quoted back short: it goes into the page's address.
    let shown = |s: &str| s.chars().take(40).collect::<String>();
    for r in &results {
        let n = r.line;
        if r.batch_id != b.label {
            let other = shown(&r.batch_id);
            problems.push(problem(
                n,
                format!("เป็นผลของชุด {other} ไม่ใช่ชุด {}", b.label),
                format!("This is a result for batch {other}, not {}", b.label),
            ));
            continue;
        }
        let Some(line) = lines.get(&r.reference) else {
            problems.push(problem(
                n,
                format!("คำร้อง {} ไม่อยู่ในชุดนี้", shown(&r.reference)),
                format!("Claim {} is not in this batch", shown(&r.reference)),
            ));
            continue;
        };
        let c = claims.get(&line.claim_id).cloned().ok_or(AppError::NotFound)?;
        let step = match (&r.outcome, line.state.as_str()) {
            (Outcome::Paid { on, .. }, _) if *on > today => {
                problems.push(problem(n, "วันที่โอนเป็นวันในอนาคต".into(), "The transfer date is in the future".into()));
                continue;
            }
            (Outcome::Paid { on, transfer_ref }, PENDING) if c.status == ClaimStatus::PaymentOrdered => {
                Step::Pay(line.clone(), c, *on, transfer_ref.clone())
            }
            (Outcome::Failed { reason, on }, PENDING) if c.status == ClaimStatus::PaymentOrdered => {
                Step::Fail(line.clone(), c, reason.clone(), *on)
            }
            (Outcome::Paid { on, transfer_ref }, PAID)
                if line.paid_on == Some(*on) && line.transfer_ref.as_deref() == Some(transfer_ref.as_str()) =>
            {
                Step::Unchanged
            }
            (Outcome::Failed { reason, .. }, FAILED)
                if line.failure_reason.as_deref() == Some(reason.as_str()) =>
            {
                Step::Unchanged
            }
            (_, PENDING) => {
                problems.push(problem(
                    n,
                    format!("คำร้อง {} ไม่ได้รอการโอนเงินแล้ว", r.reference),
                    format!("Claim {} is no longer waiting for payment", r.reference),
                ));
                continue;
            }
            (_, done) => {
                let (th, en) = if done == PAID { ("โอนสำเร็จ", "paid") } else { ("โอนไม่สำเร็จ", "failed") };
                problems.push(problem(
                    n,
                    format!("คำร้อง {} บันทึกไว้แล้วว่า{th} ต่างจากบรรทัดนี้", r.reference),
                    format!("Claim {} is already recorded as {en}, differently from this line", r.reference),
                ));
                continue;
            }
        };
        steps.push(step);
    }
    if !problems.is_empty() {
        // Nothing was written: the transaction is dropped.
        return Ok(Imported::Problems(problems));
    }
    let actor = format!("user:{}", me.email);
    let targets = time_targets(&txn).await?;
    let (mut paid, mut failed, mut unchanged) = (0, 0, 0);
    for step in steps {
        match step {
            Step::Unchanged => unchanged += 1,
            Step::Pay(line, c, on, transfer) => {
                let clocks = after_move(&targets, super::actions::clocks_of(&c), ClaimStatus::Paid, today, true);
                let moved = claim::Entity::update_many()
                    .col_expr(claim::Column::Status, Expr::value(ClaimStatus::Paid.as_str()))
                    .col_expr(claim::Column::PaidOn, Expr::value(Some(on)))
                    .col_expr(claim::Column::PaidAmount, Expr::value(Some(line.amount_baht)))
                    .col_expr(claim::Column::PaymentReference, Expr::value(Some(transfer.clone())))
                    .col_expr(claim::Column::AssignedTo, Expr::value(Option::<String>::None))
                    .col_expr(claim::Column::ClockStart, Expr::value(clocks.clock_start))
                    .col_expr(claim::Column::PausedOn, Expr::value(clocks.paused_on))
                    .col_expr(claim::Column::DueOn, Expr::value(clocks.due_on))
                    .filter(claim::Column::Id.eq(c.id))
                    .filter(claim::Column::Status.eq(ClaimStatus::PaymentOrdered.as_str()))
                    .exec(&txn)
                    .await?;
                if moved.rows_affected != 1 {
                    return Err(AppError::Conflict("a claim changed while the file was read".into()));
                }
                settle(line.id, PAID, Some(on))
                    .col_expr(payment_line::Column::TransferRef, Expr::value(Some(transfer.clone())))
                    .exec(&txn)
                    .await
                    .map_err(AppError::from)
                    .and_then(settled_once)?;
                record_event(
                    &txn,
                    NewEvent {
                        claim_id: c.id,
                        status: Some(ClaimStatus::Paid),
                        event: Some("record_payment".into()),
                        actor: "regional_officer".into(),
                        internal_note: Some(format!("{}: {transfer}", b.label)),
                        actor_email: Some(me.email.clone()),
                        ..Default::default()
                    },
                )
                .await?;
                audit::append_in(
                    &txn,
                    Entry {
                        actor: &actor,
                        action: "transition:record_payment",
                        claim_reference: Some(&c.reference),
                        detail: &format!(
                            "payment_ordered -> paid ({} THB on {on}, transfer {transfer}, batch {})",
                            line.amount_baht, b.label
                        ),
                        client,
                    },
                )
                .await?;
                mail::tell_claimant(&txn, &c, |to| Message::status_changed(to, &c.reference, ClaimStatus::Paid, &c.lang, public_url))
                    .await?;
                paid += 1;
            }
            Step::Fail(line, c, reason, on) => {
                settle(line.id, FAILED, on)
                    .col_expr(payment_line::Column::FailureReason, Expr::value(Some(reason.clone())))
                    .exec(&txn)
                    .await
                    .map_err(AppError::from)
                    .and_then(settled_once)?;
                let th = c.lang != "en";
                record_event(
                    &txn,
                    NewEvent {
                        claim_id: c.id,
                        status: Some(c.status),
                        event: Some("payment_failed".into()),
                        actor: "regional_officer".into(),
                        public_note: Some(if th {
                            format!("โอนเงินไม่สำเร็จ: {reason} โปรดตรวจสอบและแจ้งบัญชีธนาคารอีกครั้ง")
                        } else {
                            format!("The transfer did not go through: {reason}. Check and give your bank account again.")
                        }),
                        internal_note: Some(format!("{}: {reason}", b.label)),
                        actor_email: Some(me.email.clone()),
                        ..Default::default()
                    },
                )
                .await?;
                audit::append_in(
                    &txn,
                    Entry {
                        actor: &actor,
                        action: "payment_failed",
                        claim_reference: Some(&c.reference),
                        detail: &format!("batch {}: {reason}", b.label),
                        client,
                    },
                )
                .await?;
                mail::tell_claimant(&txn, &c, |to| Message::transfer_failed(to, &c.reference, &c.lang, public_url)).await?;
                failed += 1;
            }
        }
    }
    payment_import::Entity::insert(payment_import::ActiveModel {
        batch_id: Set(b.id),
        file_sha256: Set(hash),
        imported_at: Set(Utc::now()),
        imported_by: Set(me.email.clone()),
        paid: Set(paid as i32),
        failed: Set(failed as i32),
        unchanged: Set(unchanged as i32),
        ..Default::default()
    })
    .exec_without_returning(&txn)
    .await
    .map_err(|e| {
        if e.to_string().to_lowercase().contains("unique") {
            AppError::Conflict("the same file is being taken in at this moment".into())
        } else {
            e.into()
        }
    })?;
    audit::append_in(
        &txn,
        Entry {
            actor: &actor,
            action: "payment_results_imported",
            claim_reference: None,
            detail: &format!("{}: {paid} paid, {failed} failed, {unchanged} unchanged", b.label),
            client,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(Imported::Done { paid, failed, unchanged })
}
