//! Filing a claim (one transaction: claim, first status event, outbox mail, idempotency
//! record, adopted draft documents) and reading it back for the claimant.

use super::calendar::time_targets;
use super::entities::{claim, claim_event, document, idempotency_key};
use super::error::{AppError, AppResult};
use super::mail::{self, Message};
use super::secrets;
use crate::api::types::{ClaimStatusView, DocumentInfo, HistoryItem};
use crate::domain::dates::BE_OFFSET;
use crate::domain::notice::NoticeMethod;
use crate::domain::policy::{expected_by, Clock};
use crate::domain::{ClaimStatus, Petition, Region};
use crate::i18n::Locale;
use chrono::{Datelike, NaiveDate, Utc};
use sea_orm::prelude::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use crate::domain::intake::Channel;

/// The answer to a successful filing; also the API's 201 body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Filed {
    pub reference: String,
    pub access_code: String,
    pub region: u8,
    pub status: String,
    pub filed_on: NaiveDate,
    pub filing_deadline: NaiveDate,
}

/// An `Idempotency-Key` and a hash of the request it came with. The table keeps only a
/// hash of the key, and the answer's access code sealed under the key itself.
pub struct Idempotency<'a> {
    pub key: &'a str,
    pub request_hash: &'a str,
}

pub struct Filing<'a> {
    pub petition: &'a Petition,
    pub channel: Channel,
    pub lang: Locale,
    pub filed_on: NaiveDate,
    /// Documents uploaded to this web-form draft become the claim's.
    pub draft_id: Option<Uuid>,
    pub idempotency: Option<Idempotency<'a>>,
    /// Filed by staff on someone's behalf: the received date, who, and any reason for
    /// accepting it past the window.
    pub assisted: Option<crate::domain::intake::Assisted>,
    /// Where the request came from, for the audit log.
    pub client: &'a str,
}

/// The `event` of a staff-only note in a claim's history; never shown to the claimant.
pub const NOTE_EVENT: &str = "note";

/// Staff-only notes on a claim, oldest first: (when, who, text).
pub async fn internal_notes(
    db: &DatabaseConnection,
    claim_id: Uuid,
) -> AppResult<Vec<(chrono::DateTime<Utc>, String, String)>> {
    Ok(claim_event::Entity::find()
        .filter(claim_event::Column::ClaimId.eq(claim_id))
        .filter(claim_event::Column::InternalNote.is_not_null())
        .order_by_asc(claim_event::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|e| {
            Some((
                e.created_at,
                e.actor_email.unwrap_or_default(),
                e.internal_note?,
            ))
        })
        .collect())
}

/// One new row of a claim's append-only history.
#[derive(Default)]
pub struct NewEvent {
    pub claim_id: Uuid,
    pub status: Option<ClaimStatus>,
    pub event: Option<String>,
    /// `claimant`, `system`, or the staff role acted as.
    pub actor: String,
    /// Shown to the claimant.
    pub public_note: Option<String>,
    pub reason_code: Option<String>,
    /// Staff only.
    pub internal_note: Option<String>,
    pub actor_email: Option<String>,
}

/// Appends to a claim's history (inside the caller's transaction).
pub async fn record_event(db: &impl sea_orm::ConnectionTrait, e: NewEvent) -> AppResult<()> {
    let status = e
        .status
        .ok_or_else(|| AppError::internal("an event needs the status it leaves the claim in"))?;
    claim_event::Entity::insert(claim_event::ActiveModel {
        claim_id: Set(e.claim_id),
        status: Set(status.as_str().into()),
        event: Set(e.event),
        actor: Set(e.actor),
        public_note: Set(e.public_note),
        created_at: Set(Utc::now()),
        reason_code: Set(e.reason_code),
        internal_note: Set(e.internal_note),
        actor_email: Set(e.actor_email),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// The first answer given to the same idempotency key, if any.
pub async fn replay(
    db: &DatabaseConnection,
    keys: &secrets::Keys,
    idem: &Idempotency<'_>,
) -> AppResult<Option<Filed>> {
    match idempotency_key::Entity::find_by_id(secrets::sha256_hex(idem.key.as_bytes()))
        .one(db)
        .await?
    {
        None => Ok(None),
        Some(row) if row.request_hash == idem.request_hash => {
            let mut filed: Filed =
                serde_json::from_str(&row.response_body).map_err(AppError::internal)?;
            filed.access_code = keys
                .unseal(&filed.access_code, idem.key)
                .unwrap_or_default();
            Ok(Some(filed))
        }
        Some(_) => Err(AppError::Conflict(
            "This Idempotency-Key was already used with a different request.".into(),
        )),
    }
}

/// Stores a validated petition. Either everything is written or nothing is.
pub async fn file_claim(
    db: &DatabaseConnection,
    settings: &super::Settings,
    f: Filing<'_>,
) -> AppResult<Filed> {
    let p = f.petition;
    let region: Region = p.province.region();
    let access_code = secrets::new_access_code();
    let access_code_hash = settings.keys.hash_access_code(&access_code);
    let targets = time_targets(db).await?;
    let clocks = crate::domain::deadlines::on_filing(&targets, f.filed_on);
    let channel = f.assisted.as_ref().map_or(f.channel, |a| a.channel);

    // A random reference can collide with an existing one (about 1 in 10⁸ per year); retry.
    let mut last_err = None;
    for _ in 0..3 {
        let id = Uuid::new_v4();
        let reference = secrets::new_reference(f.filed_on.year() + BE_OFFSET);
        let filed = Filed {
            reference: reference.clone(),
            access_code: access_code.clone(),
            region: region.number(),
            status: ClaimStatus::Submitted.as_str().to_string(),
            filed_on: f.filed_on,
            filing_deadline: p.filing_deadline,
        };
        let now = Utc::now();
        let txn = super::begin_write(db).await?;
        let filer = p.filer.as_ref();
        let inserted = claim::Entity::insert(claim::ActiveModel {
            id: Set(id),
            reference: Set(reference.clone()),
            access_code_hash: Set(access_code_hash.clone()),
            status: Set(ClaimStatus::Submitted.as_str().into()),
            region: Set(i16::from(region.number())),
            province_code: Set(p.province.to_string()),
            service_unit_name: Set(p.service_unit_name.clone()),
            relation: Set(p.relation.as_str().into()),
            filer_name: Set(filer.map(|c| c.name.clone())),
            filer_national_id: Set(
                filer.and_then(|c| c.national_id.as_ref().map(|n| n.as_str().to_string()))
            ),
            filer_phone: Set(filer.and_then(|c| c.phone.clone())),
            filer_email: Set(filer.and_then(|c| c.email.clone())),
            patient_name: Set(p.patient_name.clone()),
            patient_national_id: Set(p.patient_national_id.as_str().into()),
            patient_address: Set(p.patient_address.clone()),
            patient_phone: Set(p.patient_phone.clone()),
            patient_email: Set(p.patient_email.clone()),
            treatment_date: Set(p.treatment_date),
            damage_known_date: Set(p.damage_known_date),
            damage_description: Set(p.damage_description.clone()),
            burden: Set(p.burden.clone()),
            filed_on: Set(f.filed_on),
            filing_deadline: Set(p.filing_deadline),
            channel: Set(channel.as_str().into()),
            lang: Set(f.lang.code().into()),
            created_at: Set(now),
            decision_category: Set(None),
            decision_amount: Set(None),
            decided_on: Set(None),
            paid_on: Set(None),
            paid_amount: Set(None),
            payment_reference: Set(None),
            received_on: Set(Some(
                f.assisted.as_ref().map_or(f.filed_on, |a| a.received_on),
            )),
            window_override_reason: Set(f
                .assisted
                .as_ref()
                .and_then(|a| a.override_reason.clone())),
            filed_by: Set(f.assisted.as_ref().map(|a| a.staff.clone())),
            assigned_to: Set(None),
            screening_checklist: Set(None),
            clock_start: Set(clocks.clock_start),
            paused_on: Set(clocks.paused_on),
            due_on: Set(clocks.due_on),
            meeting_id: Set(None),
            notified_on: Set(None),
            notified_how: Set(None),
        })
        .exec_without_returning(&txn)
        .await;
        if let Err(e) = inserted {
            txn.rollback().await?;
            last_err = Some(e);
            continue;
        }
        let first = match &f.assisted {
            None => NewEvent {
                claim_id: id,
                status: Some(ClaimStatus::Submitted),
                actor: "claimant".into(),
                ..Default::default()
            },
            Some(a) => NewEvent {
                claim_id: id,
                status: Some(ClaimStatus::Submitted),
                actor: "intake".into(),
                actor_email: Some(a.staff.clone()),
                internal_note: a.override_reason.as_ref().map(|r| {
                    format!("รับคำร้องที่เกินกำหนด 2 ปี / Accepted past the 2-year window: {r}")
                }),
                ..Default::default()
            },
        };
        record_event(&txn, first).await?;
        if let Some(a) = &f.assisted {
            let detail = format!(
                "channel {}; received {}{}",
                a.channel.as_str(),
                a.received_on,
                if a.override_reason.is_some() {
                    "; window overridden"
                } else {
                    ""
                }
            );
            super::audit::append_in(
                &txn,
                super::audit::Entry {
                    actor: &format!("user:{}", a.staff),
                    action: "assisted_filing",
                    claim_reference: Some(&reference),
                    detail: &detail,
                    client: f.client,
                },
            )
            .await?;
        }
        if let Some(draft_id) = f.draft_id {
            document::Entity::update_many()
                .col_expr(document::Column::ClaimId, Expr::value(Some(id)))
                .col_expr(document::Column::DraftId, Expr::value(Option::<Uuid>::None))
                .filter(document::Column::DraftId.eq(draft_id))
                .exec(&txn)
                .await?;
        }
        let expected = clocks.due_on;
        for to in contact_emails(p) {
            mail::enqueue(
                &txn,
                Message::filed(&to, &filed, f.lang, expected, &settings.public_url),
            )
            .await?;
        }
        if let Some(idem) = &f.idempotency {
            let stored = Filed {
                access_code: settings.keys.seal(&filed.access_code, idem.key),
                ..filed.clone()
            };
            idempotency_key::Entity::insert(idempotency_key::ActiveModel {
                key: Set(secrets::sha256_hex(idem.key.as_bytes())),
                request_hash: Set(idem.request_hash.to_string()),
                status_code: Set(201),
                response_body: Set(serde_json::to_string(&stored).map_err(AppError::internal)?),
                created_at: Set(now),
            })
            .exec_without_returning(&txn)
            .await?;
        }
        txn.commit().await?;
        metrics::counter!("claims_filed_total", "channel" => channel.as_str()).increment(1);
        return Ok(filed);
    }
    Err(AppError::internal(format!(
        "could not store claim: {last_err:?}"
    )))
}

/// Every distinct email address the petition gave, patient's first.
fn contact_emails(p: &Petition) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for e in [
        p.patient_email.clone(),
        p.filer.as_ref().and_then(|f| f.email.clone()),
    ]
    .into_iter()
    .flatten()
    {
        if !out.iter().any(|x| x.eq_ignore_ascii_case(&e)) {
            out.push(e);
        }
    }
    out
}

pub async fn find_by_reference(
    db: &DatabaseConnection,
    reference: &str,
) -> AppResult<Option<claim::Model>> {
    Ok(claim::Entity::find()
        .filter(claim::Column::Reference.eq(reference))
        .one(db)
        .await?)
}

/// The claim a reference and access code open. An unknown reference and a wrong code are
/// indistinguishable to the caller, in answer and (roughly) in time.
/// Every opening is written to the audit log (actor `claimant`, from `client`).
pub async fn open_with_code(
    db: &DatabaseConnection,
    keys: &secrets::Keys,
    reference: &str,
    code: &str,
    client: &str,
) -> AppResult<claim::Model> {
    let reference = crate::domain::reference::normalise_reference(reference);
    let code = crate::domain::reference::normalise_access_code(code);
    let found = if crate::domain::reference::looks_like_reference(&reference) {
        find_by_reference(db, &reference).await?
    } else {
        None
    };
    let checked = match &found {
        Some(c) => keys.check_access_code(&code, &c.access_code_hash).await,
        None => {
            // The same work as a real check, so an unknown reference answers in the same time.
            keys.check_access_code(&code, &keys.hash_access_code(""))
                .await
        }
    };
    match found {
        Some(c) if checked.matches => {
            if checked.outdated {
                // An argon2 hash (or one under a retired key) is replaced by one under the key
                // in force, once, on this first good opening.
                claim::Entity::update_many()
                    .col_expr(
                        claim::Column::AccessCodeHash,
                        sea_orm::prelude::Expr::value(keys.hash_access_code(&code)),
                    )
                    .filter(claim::Column::Id.eq(c.id))
                    .filter(claim::Column::AccessCodeHash.eq(c.access_code_hash.clone()))
                    .exec(db)
                    .await?;
            }
            super::audit::append(
                db,
                super::audit::Entry {
                    actor: "claimant",
                    action: "claimant_open",
                    claim_reference: Some(&c.reference),
                    detail: "",
                    client,
                },
            )
            .await?;
            Ok(c)
        }
        _ => Err(AppError::NotFound),
    }
}

pub async fn documents_of(db: &DatabaseConnection, claim_id: Uuid) -> AppResult<Vec<DocumentInfo>> {
    Ok(document::Entity::find()
        .filter(document::Column::ClaimId.eq(claim_id))
        .order_by_asc(document::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|d| DocumentInfo {
            id: d.id.to_string(),
            filename: d.filename,
            content_type: d.content_type,
            size_bytes: d.size_bytes,
        })
        .collect())
}

/// Records that the claimant received the decision on `on`, if no receipt is recorded yet
/// and the claim is still in the state it was read in. Whether it was recorded.
pub async fn mark_received(
    txn: &impl sea_orm::ConnectionTrait,
    c: &claim::Model,
    on: NaiveDate,
    how: NoticeMethod,
) -> AppResult<bool> {
    let set = claim::Entity::update_many()
        .col_expr(claim::Column::NotifiedOn, Expr::value(Some(on)))
        .col_expr(claim::Column::NotifiedHow, Expr::value(Some(how.as_str())))
        .filter(claim::Column::Id.eq(c.id))
        .filter(claim::Column::Status.eq(c.status.clone()))
        .filter(claim::Column::NotifiedOn.is_null())
        .exec(txn)
        .await?;
    Ok(set.rows_affected == 1)
}

/// The last day to appeal the decision now open to appeal: counted from the day the claimant
/// received it; `None` until then (opening the status page as the claimant records that
/// day: see `note_seen`).
pub fn appeal_last_day(
    targets: &[crate::domain::policy::TimeTarget],
    c: &claim::Model,
) -> Option<NaiveDate> {
    ClaimStatus::parse(&c.status)
        .filter(|s| s.open_to_appeal())
        .and(c.notified_on)
        .and_then(|d| expected_by(targets, Clock::AppealWindow, d))
}

/// The claimant, signed in to their own status page, is looking at a decision they have not
/// been recorded as receiving: today is the day they received it, and their appeal window
/// starts. Returns the claim as it now stands. Only the first receipt counts.
pub async fn note_seen(
    db: &DatabaseConnection,
    c: claim::Model,
    client: &str,
) -> AppResult<claim::Model> {
    if c.notified_on.is_some()
        || !ClaimStatus::parse(&c.status).is_some_and(ClaimStatus::open_to_appeal)
    {
        return Ok(c);
    }
    let today = super::calendar::today_in_bangkok();
    let txn = super::begin_write(db).await?;
    if mark_received(&txn, &c, today, NoticeMethod::StatusPage).await? {
        let status = ClaimStatus::parse(&c.status).expect("checked above");
        // Thai first for the office, English after, as the office mails are.
        let note = format!(
            "ผู้ยื่นเปิดดูผลในหน้าติดตามสถานะเมื่อ {} (จาก {client}) ระยะเวลาอุทธรณ์นับจากวันนี้\nDecision received on {today}: the claimant opened it on their status page (from {client}). The appeal window runs from this day.",
            crate::i18n::Locale::Th.date(today)
        );
        record_event(
            &txn,
            NewEvent {
                claim_id: c.id,
                status: Some(status),
                event: Some(NOTE_EVENT.into()),
                actor: "claimant".into(),
                internal_note: Some(note),
                ..Default::default()
            },
        )
        .await?;
        super::audit::append_in(
            &txn,
            super::audit::Entry {
                actor: "claimant",
                action: "notice_received",
                claim_reference: Some(&c.reference),
                detail: "status_page",
                client,
            },
        )
        .await?;
    }
    txn.commit().await?;
    Ok(claim::Entity::find_by_id(c.id).one(db).await?.unwrap_or(c))
}

/// The claimant's view: status in plain words, history, documents, expected dates.
pub async fn status_view(db: &DatabaseConnection, c: &claim::Model) -> AppResult<ClaimStatusView> {
    status_view_with(db, c, &time_targets(db).await?).await
}

/// `status_view` with the time targets already loaded (the staff case page needs them too).
pub async fn status_view_with(
    db: &DatabaseConnection,
    c: &claim::Model,
    targets: &[crate::domain::policy::TimeTarget],
) -> AppResult<ClaimStatusView> {
    let events = claim_event::Entity::find()
        .filter(claim_event::Column::ClaimId.eq(c.id))
        .order_by_asc(claim_event::Column::Id)
        .all(db)
        .await?;
    let history = events
        .into_iter()
        .filter(|e| e.event.as_deref() != Some(NOTE_EVENT))
        .filter_map(|e| {
            Some(HistoryItem {
                status: ClaimStatus::parse(&e.status)?,
                at: e.created_at,
                note: e.public_note,
            })
        })
        .collect();
    let status = ClaimStatus::parse(&c.status)
        .ok_or_else(|| AppError::internal(format!("unknown status {}", c.status)))?;
    // The staff deadline is what the claimant is told to expect: a decision (the committee's
    // or the board's), or the payment.
    let expected_decision_by = match status {
        ClaimStatus::Submitted
        | ClaimStatus::Screening
        | ClaimStatus::Referred
        | ClaimStatus::UnderReview
        | ClaimStatus::Appealed => c.due_on,
        _ => None,
    };
    let expected_payment_by = match status {
        ClaimStatus::Approved | ClaimStatus::AppealDecided | ClaimStatus::PaymentOrdered => {
            c.due_on
        }
        _ => None,
    };
    let appeal_by = appeal_last_day(targets, c);
    Ok(ClaimStatusView {
        reference: c.reference.clone(),
        status,
        region: c.region as u8,
        service_unit_name: c.service_unit_name.clone(),
        filed_on: c.filed_on,
        expected_decision_by,
        history,
        documents: documents_of(db, c.id).await?,
        decision: c
            .decision_category
            .zip(c.decision_amount)
            .map(|(cat, amount)| (cat as u8, amount)),
        appeal_by,
        notified: c
            .notified_on
            .zip(c.notified_how.as_deref().and_then(NoticeMethod::parse))
            .filter(|_| status.open_to_appeal()),
        expected_payment_by,
        paid: c.paid_on.zip(c.paid_amount),
    })
}
