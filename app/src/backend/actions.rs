//! Staff actions on a case. Each is decided by the domain (who may, from which state, with
//! which amount), then written in one transaction: the claim's new state, a status event,
//! an audit entry and any mail to the claimant. A refused action changes nothing but leaves
//! an audit entry of the attempt.

use super::audit::{self, Entry};
use super::calendar::{amount_ranges, time_targets, today_in_bangkok};
use super::claims::{record_event, NewEvent};
use super::documents::{self, Checked};
use super::entities::claim;
use super::error::{AppError, AppResult};
use super::mail::{self, Message};
use crate::views::{DocumentInfo, StaffIdentity};
use crate::domain::actions::{actor_for, DECLINE_REASONS, SCREENING_REASONS};
use crate::domain::deadlines::{after_move, Clocks};
use crate::domain::policy::{range_in_force, Category};
use crate::domain::screening::{self, Checklist, UcRight};
use crate::domain::status::transition;
use crate::domain::{ClaimStatus, ErrorCode, Event, FieldError, Region};
use sea_orm::prelude::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};

/// What the case page's action forms send.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ActionInput {
    pub event: String,
    #[serde(default)]
    pub reason_code: String,
    /// Shown to the claimant (what information is needed; the reason for a decision).
    #[serde(default)]
    pub public_note: String,
    /// Staff only.
    #[serde(default)]
    pub internal_note: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub amount: String,
    /// Appeal decisions: `upheld` or `changed`.
    #[serde(default)]
    pub outcome: String,
    /// Payments: the transfer's reference and date (YYYY-MM-DD).
    #[serde(default)]
    pub payment_reference: String,
    #[serde(default)]
    pub paid_on: String,
    /// Turning a claim down: `yes` once the box confirming it is ticked.
    #[serde(default)]
    pub confirm: String,
}

/// What an action writes on the claim besides its status.
#[derive(Default)]
struct Effects {
    reason_code: Option<String>,
    decision: Option<(Category, i64)>,
    payment: Option<(chrono::NaiveDate, i64, String)>,
}

pub fn parse_event(s: &str) -> Option<Event> {
    crate::domain::actions::STAFF_EVENTS.into_iter().find(|e| {
        serde_json::to_value(e)
            .ok()
            .and_then(|v| v.as_str().map(|x| x == s))
            .unwrap_or(false)
    })
}

pub fn event_key(e: Event) -> String {
    serde_json::to_value(e)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The clock state stored on a claim.
pub fn clocks_of(c: &claim::Model) -> Clocks {
    Clocks {
        clock_start: c.clock_start.or(Some(c.filed_on)),
        paused_on: c.paused_on,
        due_on: c.due_on,
    }
}

/// A note as stored: trimmed, at most `MAX_LONG_TEXT` characters, absent when empty.
fn capped(s: &str) -> Option<String> {
    Some(s.trim()).filter(|s| !s.is_empty()).map(|s| {
        s.chars()
            .take(crate::domain::petition::MAX_LONG_TEXT)
            .collect()
    })
}

fn field(f: &str, code: ErrorCode) -> AppError {
    AppError::Validation(vec![FieldError::new(f, code)])
}

/// A category and an amount inside that category's range in force today.
async fn decision_from(db: &DatabaseConnection, input: &ActionInput) -> AppResult<(Category, i64)> {
    let category = input
        .category
        .trim()
        .parse::<u8>()
        .ok()
        .and_then(Category::from_number)
        .ok_or_else(|| field("category", ErrorCode::Required))?;
    let amount: i64 = input
        .amount
        .trim()
        .replace(',', "")
        .parse()
        .map_err(|_| field("amount", ErrorCode::Required))?;
    let ranges = amount_ranges(db).await?;
    let range = range_in_force(&ranges, category, today_in_bangkok())
        .ok_or_else(|| AppError::internal("no amount range in force"))?;
    // A decision to pay pays something: 0 would leave the case with nothing to order.
    let min = range.min_baht.max(1);
    if !(min..=range.max_baht).contains(&amount) {
        return Err(field(
            "amount",
            ErrorCode::AmountOutOfRange {
                min,
                max: range.max_baht,
            },
        ));
    }
    Ok((category, amount))
}

/// Checks the event's own inputs against the claim.
async fn check_inputs(
    db: &DatabaseConnection,
    c: &claim::Model,
    event: Event,
    input: &ActionInput,
) -> AppResult<Effects> {
    let reason = input.reason_code.trim();
    match event {
        Event::RejectAtScreening | Event::Decline => {
            let allowed: &[&str] = if event == Event::Decline {
                &DECLINE_REASONS
            } else {
                &SCREENING_REASONS
            };
            if !allowed.contains(&reason) {
                return Err(field("reason_code", ErrorCode::Required));
            }
            if input.public_note.trim().is_empty() {
                return Err(field("public_note", ErrorCode::Required));
            }
            // A refusal is told to the claimant at once and cannot be taken back.
            if input.confirm != "yes" {
                return Err(field("confirm", ErrorCode::Required));
            }
            Ok(Effects {
                reason_code: Some(reason.to_string()),
                ..Default::default()
            })
        }
        Event::RequestInfo => {
            if input.public_note.trim().is_empty() {
                return Err(field("public_note", ErrorCode::Required));
            }
            Ok(Effects::default())
        }
        Event::Refer => {
            let checklist: Option<Checklist> = c
                .screening_checklist
                .as_deref()
                .and_then(|j| serde_json::from_str(j).ok());
            let relation = Some(c.relation);
            let missing = checklist
                .as_ref()
                .map_or(screening::required(relation).len(), |k| {
                    screening::missing(k, relation).len()
                });
            if missing > 0 {
                return Err(field(
                    "checklist",
                    ErrorCode::ChecklistIncomplete { missing },
                ));
            }
            if !screening::ready_to_refer(checklist.as_ref(), relation) {
                return Err(field("uc_right", ErrorCode::UcNotVerified));
            }
            Ok(Effects::default())
        }
        Event::Approve => Ok(Effects {
            decision: Some(decision_from(db, input).await?),
            ..Default::default()
        }),
        Event::DecideAppeal => match input.outcome.as_str() {
            "upheld" => Ok(Effects {
                reason_code: Some("upheld".into()),
                ..Default::default()
            }),
            "changed" => Ok(Effects {
                reason_code: Some("changed".into()),
                decision: Some(decision_from(db, input).await?),
                ..Default::default()
            }),
            _ => Err(field("outcome", ErrorCode::Required)),
        },
        Event::OrderPayment => match c.decision_amount {
            Some(a) if a > 0 => Ok(Effects::default()),
            _ => Err(field("amount", ErrorCode::Required)),
        },
        Event::RecordPayment => {
            // A payment the bank has in a batch is recorded from the bank's result file, not
            // by hand: otherwise the claimant could be paid twice.
            if super::payment_accounts::with_bank(db, c.id).await? {
                return Err(AppError::Refused(crate::domain::actions::Refusal::State(c.status)));
            }
            let amount: i64 = input
                .amount
                .trim()
                .replace(',', "")
                .parse()
                .map_err(|_| field("amount", ErrorCode::Required))?;
            if Some(amount) != c.decision_amount {
                let due = c.decision_amount.unwrap_or(0);
                return Err(field(
                    "amount",
                    ErrorCode::AmountOutOfRange { min: due, max: due },
                ));
            }
            let paid_on = crate::domain::dates::parse_iso(&input.paid_on)
                .ok_or_else(|| field("paid_on", ErrorCode::DateInvalid))?;
            if paid_on > today_in_bangkok() {
                return Err(field("paid_on", ErrorCode::DateInFuture));
            }
            let transfer = input.payment_reference.trim();
            if transfer.is_empty() {
                return Err(field("payment_reference", ErrorCode::Required));
            }
            Ok(Effects {
                payment: Some((paid_on, amount, transfer.chars().take(100).collect())),
                ..Default::default()
            })
        }
        _ => Ok(Effects::default()),
    }
}

/// Takes a staff action. Refusals (not visible, wrong role or region, wrong state, bad
/// input, a concurrent change) are audited and change nothing else.
/// `public_url` is the site's address, for the claimant's mail.
pub async fn act(
    db: &DatabaseConnection,
    me: &StaffIdentity,
    reference: &str,
    input: &ActionInput,
    client: &str,
    public_url: &str,
) -> AppResult<ClaimStatus> {
    let actor_name = format!("user:{}", me.email);
    let reference = crate::domain::reference::normalise_reference(reference);
    let result = try_act(db, me, &reference, input, &actor_name, client, public_url).await;
    if let Err(e) = &result {
        if !matches!(e, AppError::Internal(_)) {
            let detail = format!("{}: {e}", input.event);
            audit::refused(db, &actor_name, Some(&reference), &detail, client).await?;
        }
    }
    result
}

async fn try_act(
    db: &DatabaseConnection,
    me: &StaffIdentity,
    reference: &str,
    input: &ActionInput,
    actor_name: &str,
    client: &str,
    public_url: &str,
) -> AppResult<ClaimStatus> {
    let event =
        parse_event(&input.event).ok_or_else(|| AppError::BadRequest("unknown action".into()))?;
    let c = claim::Entity::find()
        .filter(claim::Column::Reference.eq(reference))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let region = c.region;
    let state = c.status;
    if !super::staff::may_see(db, me, &c).await? {
        return Err(AppError::NotFound);
    }
    let actor = actor_for(&me.grants, region, state, event).map_err(AppError::Refused)?;
    let next = transition(state, event, actor)
        .map_err(|_| AppError::Refused(crate::domain::actions::Refusal::State(state)))?;
    let Effects {
        reason_code,
        decision,
        payment,
    } = check_inputs(db, &c, event, input).await?;
    let today = today_in_bangkok();
    // Whether a decision to pay is in force after this action (an upheld appeal keeps the one before).
    let pays = decision
        .map(|(_, a)| a)
        .or(c.decision_amount)
        .is_some_and(|a| a > 0);
    let clocks = after_move(&time_targets(db).await?, clocks_of(&c), next, today, pays);
    // Who is working the case: whoever started screening or review; nobody once it moves on.
    let assigned = match event {
        Event::StartScreening | Event::StartReview => Some(me.email.clone()),
        Event::RequestInfo => c.assigned_to.clone(),
        _ => None,
    };
    let txn = super::begin_write(db).await?;
    let mut update = claim::Entity::update_many()
        .col_expr(claim::Column::Status, Expr::value(next.as_str()))
        .col_expr(claim::Column::AssignedTo, Expr::value(assigned))
        .col_expr(claim::Column::ClockStart, Expr::value(clocks.clock_start))
        .col_expr(claim::Column::PausedOn, Expr::value(clocks.paused_on))
        .col_expr(claim::Column::DueOn, Expr::value(clocks.due_on))
        .filter(claim::Column::Id.eq(c.id))
        .filter(claim::Column::Status.eq(state.as_str()));
    if event == Event::Refer {
        // From now on the region's committee sees it (and only now).
        update = update.col_expr(claim::Column::ReferredAt, Expr::value(Some(chrono::Utc::now())));
    }
    if let Some((category, amount)) = decision {
        update = update
            .col_expr(
                claim::Column::DecisionCategory,
                Expr::value(Some(i16::from(category.number()))),
            )
            .col_expr(claim::Column::DecisionAmount, Expr::value(Some(amount)));
    }
    if decision.is_some() || next == ClaimStatus::Rejected {
        update = update.col_expr(
            claim::Column::DecidedOn,
            Expr::value(Some(today_in_bangkok())),
        );
    }
    if next.open_to_appeal() {
        // A new decision: the appeal window waits for the claimant to receive it.
        update = update
            .col_expr(
                claim::Column::NotifiedOn,
                Expr::value(Option::<chrono::NaiveDate>::None),
            )
            .col_expr(
                claim::Column::NotifiedHow,
                Expr::value(Option::<String>::None),
            );
    }
    if let Some((paid_on, amount, transfer)) = &payment {
        update = update
            .col_expr(claim::Column::PaidOn, Expr::value(Some(*paid_on)))
            .col_expr(claim::Column::PaidAmount, Expr::value(Some(*amount)))
            .col_expr(
                claim::Column::PaymentReference,
                Expr::value(Some(transfer.clone())),
            );
    }
    if update.exec(&txn).await?.rows_affected != 1 {
        return changed_meanwhile(txn).await;
    }
    let public_note = capped(&input.public_note);
    record_event(
        &txn,
        NewEvent {
            claim_id: c.id,
            status: Some(next),
            event: Some(event_key(event)),
            actor: serde_json::to_value(actor)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            public_note,
            reason_code: reason_code.clone(),
            internal_note: capped(&input.internal_note),
            actor_email: Some(me.email.clone()),
        },
    )
    .await?;
    let detail = match decision {
        Some((cat, amount)) => format!(
            "{} -> {} (category {}, {amount} THB)",
            state.as_str(),
            next.as_str(),
            cat.number()
        ),
        None => format!(
            "{} -> {}{}",
            state.as_str(),
            next.as_str(),
            reason_code.map(|r| format!(" ({r})")).unwrap_or_default()
        ),
    };
    audit::append_in(
        &txn,
        Entry {
            actor: actor_name,
            action: &format!("transition:{}", event_key(event)),
            claim_reference: Some(reference),
            detail: &detail,
            client,
        },
    )
    .await?;
    if matches!(
        next,
        ClaimStatus::InfoRequested
            | ClaimStatus::Approved
            | ClaimStatus::Rejected
            | ClaimStatus::AppealDecided
            | ClaimStatus::Paid
    ) {
        mail::tell_claimant(&txn, &c, |to| Message::status_changed(to, reference, next, &c.lang, public_url))
            .await?;
    }
    txn.commit().await?;
    Ok(next)
}

/// The claimant answers an information request, or appeals a decision, from their status
/// page. `text` is their answer or their reasons; documents are uploaded separately.
pub async fn claimant_act(
    db: &DatabaseConnection,
    c: &claim::Model,
    event: Event,
    text: &str,
    document: Option<&Checked<'_>>,
    client: &str,
) -> AppResult<ClaimStatus> {
    let result = claimant_try(db, c, event, text, document, client).await;
    audit_claimant_refusal(db, c, &event_key(event), &result, client).await?;
    result
}

/// A claimant's refused step leaves an audit entry of the attempt (and nothing else).
async fn audit_claimant_refusal<T>(
    db: &DatabaseConnection,
    c: &claim::Model,
    what: &str,
    result: &AppResult<T>,
    client: &str,
) -> AppResult<()> {
    if let Err(e) = result {
        if !matches!(e, AppError::Internal(_)) {
            let detail = format!("{what}: {e}");
            audit::refused(db, "claimant", Some(&c.reference), &detail, client).await?;
        }
    }
    Ok(())
}

/// Whether the claimant may take `event` now (its state, and for an appeal the window).
async fn claimant_may(
    db: &DatabaseConnection,
    c: &claim::Model,
    event: Event,
) -> AppResult<(ClaimStatus, ClaimStatus)> {
    let state = c.status;
    let next = transition(state, event, crate::domain::Actor::Claimant)
        .map_err(|_| AppError::Refused(crate::domain::actions::Refusal::State(state)))?;
    if event == Event::Appeal {
        // Until the claimant has received the decision, its appeal window has not started.
        let last_day = super::claims::appeal_last_day(&time_targets(db).await?, c);
        if let Some(last_day) = last_day.filter(|last| today_in_bangkok() > *last) {
            return Err(field(
                "appeal_reason",
                ErrorCode::AppealWindowClosed { last_day },
            ));
        }
    }
    Ok((state, next))
}

/// The claim as it stands inside `txn`, its row locked until the transaction ends: what a
/// document is checked against, so a claim closed meanwhile takes none.
async fn locked_status(
    txn: &sea_orm::DatabaseTransaction,
    c: &claim::Model,
) -> AppResult<ClaimStatus> {
    super::lock_claim(txn, c.id).await?;
    let now = claim::Entity::find_by_id(c.id)
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(now.status)
}

/// Stores a claimant's document on their claim inside `txn`: refused once the claim is
/// paid, closed or withdrawn; recorded in the claim's history and the audit log.
async fn add_document_in(
    txn: &sea_orm::DatabaseTransaction,
    c: &claim::Model,
    status: ClaimStatus,
    doc: &Checked<'_>,
    client: &str,
) -> AppResult<DocumentInfo> {
    if !status.takes_documents() {
        return Err(AppError::Refused(crate::domain::actions::Refusal::State(
            status,
        )));
    }
    let info = documents::store_in(txn, documents::Owner::Claim(c.id), doc, "claimant").await?;
    record_event(
        txn,
        NewEvent {
            claim_id: c.id,
            status: Some(status),
            event: Some(super::claims::DOCUMENT_EVENT.into()),
            actor: "claimant".into(),
            public_note: Some(info.filename.clone()),
            ..Default::default()
        },
    )
    .await?;
    audit::append_in(
        txn,
        Entry {
            actor: "claimant",
            action: "document_added",
            claim_reference: Some(&c.reference),
            detail: &info.id,
            client,
        },
    )
    .await?;
    Ok(info)
}

/// A claimant adds a document to their claim (the status page, or the API).
pub async fn claimant_add_document(
    db: &DatabaseConnection,
    c: &claim::Model,
    doc: &Checked<'_>,
    client: &str,
) -> AppResult<DocumentInfo> {
    let result = async {
        let txn = super::begin_write(db).await?;
        let status = locked_status(&txn, c).await?;
        let info = add_document_in(&txn, c, status, doc, client).await?;
        txn.commit().await?;
        Ok(info)
    }
    .await;
    audit_claimant_refusal(db, c, "document", &result, client).await?;
    result
}

async fn claimant_try(
    db: &DatabaseConnection,
    c: &claim::Model,
    event: Event,
    text: &str,
    document: Option<&Checked<'_>>,
    client: &str,
) -> AppResult<ClaimStatus> {
    let (state, next) = claimant_may(db, c, event).await?;
    let text_field = if event == Event::Appeal {
        "appeal_reason"
    } else {
        "answer"
    };
    let text = text.trim();
    if text.is_empty() {
        return Err(field(text_field, ErrorCode::Required));
    }
    if text.chars().count() > crate::domain::petition::MAX_LONG_TEXT {
        return Err(field(
            text_field,
            ErrorCode::TooLong {
                max: crate::domain::petition::MAX_LONG_TEXT,
            },
        ));
    }
    let clocks = after_move(
        &time_targets(db).await?,
        clocks_of(c),
        next,
        today_in_bangkok(),
        c.decision_amount.is_some_and(|a| a > 0),
    );
    let txn = super::begin_write(db).await?;
    let moved = claim::Entity::update_many()
        .col_expr(claim::Column::Status, Expr::value(next.as_str()))
        .col_expr(claim::Column::ClockStart, Expr::value(clocks.clock_start))
        .col_expr(claim::Column::PausedOn, Expr::value(clocks.paused_on))
        .col_expr(claim::Column::DueOn, Expr::value(clocks.due_on))
        .filter(claim::Column::Id.eq(c.id))
        .filter(claim::Column::Status.eq(state.as_str()))
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        txn.rollback().await?;
        return Err(AppError::Conflict(
            "The claim changed just now. Reload the page.".into(),
        ));
    }
    // The attachment goes in with the step, in the state the claimant answered: both or
    // neither are kept.
    if let Some(doc) = document {
        add_document_in(&txn, c, state, doc, client).await?;
    }
    record_event(
        &txn,
        NewEvent {
            claim_id: c.id,
            status: Some(next),
            event: Some(event_key(event)),
            actor: "claimant".into(),
            public_note: Some(text.to_string()),
            ..Default::default()
        },
    )
    .await?;
    let detail = format!("{} -> {}", state.as_str(), next.as_str());
    audit::append_in(
        &txn,
        Entry {
            actor: "claimant",
            action: &format!("transition:{}", event_key(event)),
            claim_reference: Some(&c.reference),
            detail: &detail,
            client,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(next)
}

/// Loads a case the staff member may see, or audits the refusal and answers "not found".
pub async fn visible_case(
    db: &DatabaseConnection,
    me: &StaffIdentity,
    reference: &str,
    what: &str,
    client: &str,
) -> AppResult<claim::Model> {
    let found = claim::Entity::find()
        .filter(claim::Column::Reference.eq(reference))
        .one(db)
        .await?;
    let visible = match &found {
        Some(c) => super::staff::may_see(db, me, c).await?,
        None => false,
    };
    match found.filter(|_| visible) {
        Some(c) => Ok(c),
        None => {
            let actor = format!("user:{}", me.email);
            let detail = format!("{what}: not visible");
            audit::refused(db, &actor, Some(reference), &detail, client).await?;
            Err(AppError::NotFound)
        }
    }
}

/// Appends a staff-only note to a case's history (inside the caller's transaction).
async fn record_note(
    txn: &impl sea_orm::ConnectionTrait,
    c: &claim::Model,
    status: ClaimStatus,
    me: &StaffIdentity,
    text: String,
) -> AppResult<()> {
    let note = NewEvent {
        claim_id: c.id,
        status: Some(status),
        event: Some(super::claims::NOTE_EVENT.into()),
        actor: "staff".into(),
        internal_note: Some(text),
        actor_email: Some(me.email.clone()),
        ..Default::default()
    };
    record_event(txn, note).await
}

/// Adds a staff-only note to a case (audited; never shown to the claimant).
pub async fn add_note(
    db: &DatabaseConnection,
    me: &StaffIdentity,
    reference: &str,
    text: &str,
    client: &str,
) -> AppResult<()> {
    let reference = crate::domain::reference::normalise_reference(reference);
    let c = visible_case(db, me, &reference, "note", client).await?;
    let text = text.trim();
    if text.is_empty() {
        return Err(field("internal_note", ErrorCode::Required));
    }
    let status = c.status;
    let txn = super::begin_write(db).await?;
    record_note(
        &txn,
        &c,
        status,
        me,
        text.chars()
            .take(crate::domain::petition::MAX_LONG_TEXT)
            .collect(),
    )
    .await?;
    audit::append_in(
        &txn,
        Entry {
            actor: &format!("user:{}", me.email),
            action: "note",
            claim_reference: Some(&reference),
            detail: "",
            client,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Moves an undecided case to another region's office, keeping its history, documents and
/// clocks; the claimant sees the move on their status page and by email.
pub async fn reroute(
    db: &DatabaseConnection,
    me: &StaffIdentity,
    reference: &str,
    to: &str,
    reason: &str,
    client: &str,
    public_url: &str,
) -> AppResult<Region> {
    let reference = crate::domain::reference::normalise_reference(reference);
    let c = visible_case(db, me, &reference, "reroute", client).await?;
    let actor = format!("user:{}", me.email);
    let from = c.region;
    let status = c.status;
    let target = to
        .trim()
        .parse::<u8>()
        .ok()
        .and_then(Region::new)
        .filter(|r| *r != from);
    let refusal = if !crate::domain::actions::can_reroute(&me.grants, from, status) {
        Some(AppError::Refused(crate::domain::actions::Refusal::Role))
    } else if target.is_none() {
        Some(field("region", ErrorCode::InvalidChoice))
    } else if reason.trim().is_empty() {
        Some(field("internal_note", ErrorCode::Required))
    } else {
        None
    };
    if let Some(e) = refusal {
        return refused(db, &actor, &reference, "reroute", e, client).await;
    }
    let target = target.expect("checked above");
    let txn = super::begin_write(db).await?;
    let moved = claim::Entity::update_many()
        .col_expr(
            claim::Column::Region,
            Expr::value(i16::from(target.number())),
        )
        // Off the old region's agenda; the new region schedules it.
        .col_expr(
            claim::Column::MeetingId,
            Expr::value(Option::<uuid::Uuid>::None),
        )
        .filter(claim::Column::Id.eq(c.id))
        .filter(claim::Column::Region.eq(c.region))
        .filter(claim::Column::Status.eq(c.status.clone()))
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        return changed_meanwhile(txn).await;
    }
    let public = format!("{} → {}", from.office().name_th, target.office().name_th);
    record_event(
        &txn,
        NewEvent {
            claim_id: c.id,
            status: Some(status),
            event: Some("reroute".into()),
            actor: "staff".into(),
            public_note: Some(public),
            internal_note: Some(
                reason
                    .trim()
                    .chars()
                    .take(crate::domain::petition::MAX_LONG_TEXT)
                    .collect(),
            ),
            actor_email: Some(me.email.clone()),
            ..Default::default()
        },
    )
    .await?;
    let detail = format!("region {} -> {}", from.number(), target.number());
    audit::append_in(
        &txn,
        Entry {
            actor: &format!("user:{}", me.email),
            action: "reroute",
            claim_reference: Some(&reference),
            detail: &detail,
            client,
        },
    )
    .await?;
    mail::tell_claimant(&txn, &c, |to| Message::status_changed(to, &reference, status, &c.lang, public_url))
        .await?;
    super::offices::tell_of_reroute(&txn, &reference, from, target).await?;
    txn.commit().await?;
    Ok(target)
}

/// What the screening checklist form sends.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ChecklistInput {
    pub items: Vec<String>,
    pub uc_right: String,
    pub uc_method: String,
    /// A `harm_types` key, or empty for not yet known.
    #[serde(default)]
    pub harm_type: String,
}

/// Whether this person screens this case now (and so may keep its checklist).
pub fn screens(me: &StaffIdentity, c: &claim::Model) -> bool {
    let (region, state) = (c.region, c.status);
    actor_for(&me.grants, region, state, Event::Refer).is_ok()
        || actor_for(&me.grants, region, state, Event::RejectAtScreening).is_ok()
}

/// Records the screening checklist and the UC-right check, with who checked and when.
pub async fn save_checklist(
    db: &DatabaseConnection,
    me: &StaffIdentity,
    reference: &str,
    input: &ChecklistInput,
    client: &str,
) -> AppResult<()> {
    let reference = crate::domain::reference::normalise_reference(reference);
    let c = visible_case(db, me, &reference, "checklist", client).await?;
    let actor = format!("user:{}", me.email);
    let uc_right = match input.uc_right.as_str() {
        "verified" => Some(UcRight::Verified),
        "not_right_holder" => Some(UcRight::NotRightHolder),
        _ => None,
    };
    let refusal = if !screens(me, &c) {
        Some(AppError::Refused(crate::domain::actions::Refusal::Role))
    } else if uc_right.is_some() && input.uc_method.trim().is_empty() {
        Some(field("uc_method", ErrorCode::Required))
    } else if !input.harm_type.is_empty() && !super::harm::exists(db, &input.harm_type).await? {
        Some(field("harm_type", ErrorCode::InvalidChoice))
    } else {
        None
    };
    if let Some(e) = refusal {
        return refused(db, &actor, &reference, "checklist", e, client).await;
    }
    let known: Vec<String> = screening::ITEMS
        .iter()
        .map(|(k, _, _)| k.to_string())
        .filter(|k| input.items.contains(k))
        .collect();
    let checklist = Checklist {
        items: known,
        uc_right,
        uc_method: input.uc_method.trim().chars().take(200).collect(),
        checked_by: me.email.clone(),
        checked_at: chrono::Utc::now().to_rfc3339(),
    };
    let json = serde_json::to_string(&checklist).map_err(AppError::internal)?;
    let txn = super::begin_write(db).await?;
    let saved = claim::Entity::update_many()
        .col_expr(claim::Column::ScreeningChecklist, Expr::value(Some(json)))
        .col_expr(
            claim::Column::HarmType,
            Expr::value((!input.harm_type.is_empty()).then(|| input.harm_type.clone())),
        )
        .filter(claim::Column::Id.eq(c.id))
        .filter(claim::Column::Status.eq(c.status.clone()))
        .exec(&txn)
        .await?;
    if saved.rows_affected != 1 {
        return changed_meanwhile(txn).await;
    }
    let detail = format!(
        "{} of {} items; UC right: {}; harm type: {}",
        checklist.items.len(),
        screening::ITEMS.len(),
        input.uc_right,
        input.harm_type
    );
    audit::append_in(
        &txn,
        Entry {
            actor: &actor,
            action: "checklist",
            claim_reference: Some(&reference),
            detail: &detail,
            client,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A staff member declares a conflict of interest in a case: from then on they cannot see,
/// list or act on it. The declaration is an internal note other staff see.
pub async fn declare_conflict(
    db: &DatabaseConnection,
    me: &StaffIdentity,
    reference: &str,
    reason: &str,
    client: &str,
) -> AppResult<()> {
    use super::entities::claim_conflict;
    use sea_orm::ActiveValue::Set;
    let reference = crate::domain::reference::normalise_reference(reference);
    let c = visible_case(db, me, &reference, "conflict", client).await?;
    if !crate::domain::actions::works_on(&me.grants, super::listing::case_of(&c)) {
        let e = AppError::Refused(crate::domain::actions::Refusal::Role);
        return refused(db, &format!("user:{}", me.email), &reference, "conflict", e, client).await;
    }
    let Some(reason) = capped(reason) else {
        return Err(field("conflict_reason", ErrorCode::Required));
    };
    let status = c.status;
    let txn = super::begin_write(db).await?;
    claim_conflict::Entity::insert(claim_conflict::ActiveModel {
        claim_id: Set(c.id),
        user_email: Set(me.email.clone()),
        reason: Set(reason.clone()),
        declared_at: Set(chrono::Utc::now()),
        ..Default::default()
    })
    .exec_without_returning(&txn)
    .await?;
    record_note(
        &txn,
        &c,
        status,
        me,
        format!("Conflict of interest declared; kept off this case. Reason: {reason}"),
    )
    .await?;
    if c.assigned_to.as_deref() == Some(me.email.as_str()) {
        claim::Entity::update_many()
            .col_expr(
                claim::Column::AssignedTo,
                Expr::value(Option::<String>::None),
            )
            .filter(claim::Column::Id.eq(c.id))
            .exec(&txn)
            .await?;
    }
    audit::append_in(
        &txn,
        Entry {
            actor: &format!("user:{}", me.email),
            action: "conflict_declared",
            claim_reference: Some(&reference),
            detail: "",
            client,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A conditional update found the case no longer as the form saw it: undo, and say so.
async fn changed_meanwhile<T>(txn: sea_orm::DatabaseTransaction) -> AppResult<T> {
    txn.rollback().await?;
    Err(AppError::Conflict(
        "Someone else changed this case just now. Reload it and try again.".into(),
    ))
}

/// Writes a refused attempt to the audit log, and refuses it.
async fn refused<T>(
    db: &DatabaseConnection,
    actor: &str,
    reference: &str,
    what: &str,
    e: AppError,
    client: &str,
) -> AppResult<T> {
    audit::refused(db, actor, Some(reference), &format!("{what}: {e}"), client).await?;
    Err(e)
}

/// What the notice-delivery form sends.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct NoticeInput {
    #[serde(default)]
    pub notice_method: String,
    #[serde(default)]
    pub notice_received_on: String,
    #[serde(default)]
    pub notice_evidence: String,
}

/// Records that the claimant received the decision (a registered letter's return receipt, or
/// in person), with the evidence: the appeal window runs from that day. The first receipt
/// recorded stands, whoever recorded it.
pub async fn record_notice(
    db: &DatabaseConnection,
    me: &StaffIdentity,
    reference: &str,
    input: &NoticeInput,
    client: &str,
) -> AppResult<()> {
    let reference = crate::domain::reference::normalise_reference(reference);
    let c = visible_case(db, me, &reference, "notice", client).await?;
    let actor = format!("user:{}", me.email);
    let status = c.status;
    let region = c.region;
    let today = today_in_bangkok();
    let refusal = if !crate::domain::actions::can_record_notice(&me.grants, region, status) {
        Err(AppError::Refused(if status.open_to_appeal() {
            crate::domain::actions::Refusal::Role
        } else {
            crate::domain::actions::Refusal::State(status)
        }))
    } else if c.notified_on.is_some() {
        Err(AppError::Conflict(
            "The notice's receipt is already recorded.".into(),
        ))
    } else {
        crate::domain::notice::validate_delivery(
            &input.notice_method,
            &input.notice_received_on,
            &input.notice_evidence,
            c.decided_on.unwrap_or(c.filed_on),
            today,
        )
        .map_err(AppError::Validation)
    };
    let delivery = match refusal {
        Ok(d) => d,
        Err(e) => {
            return refused(db, &actor, &reference, "notice", e, client).await;
        }
    };
    let txn = super::begin_write(db).await?;
    if !super::claims::mark_received(&txn, &c, delivery.received_on, delivery.method).await? {
        return changed_meanwhile(txn).await;
    }
    let note = format!(
        "ผู้ยื่นได้รับแจ้งผลเมื่อ {} ({}) หลักฐาน: {}\nDecision received on {} by {}. Evidence: {}",
        crate::i18n::Locale::Th.date(delivery.received_on),
        delivery.method.label(true),
        delivery.evidence,
        delivery.received_on,
        delivery.method.label(false),
        delivery.evidence
    );
    record_note(&txn, &c, status, me, note).await?;
    let detail = format!("{} on {}", delivery.method.as_str(), delivery.received_on);
    audit::append_in(
        &txn,
        Entry {
            actor: &actor,
            action: "notice_received",
            claim_reference: Some(&reference),
            detail: &detail,
            client,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
