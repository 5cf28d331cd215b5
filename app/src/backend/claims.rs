//! Filing a claim (one transaction: claim, first status event, outbox mail, idempotency
//! record, adopted draft documents) and reading it back for the claimant.

use super::calendar::time_targets;
use super::entities::{claim, claim_event, document, idempotency_key};
use super::error::{AppError, AppResult};
use super::mail::{self, Message};
use super::secrets;
use crate::domain::dates::BE_OFFSET;
use crate::domain::notice::NoticeMethod;
use crate::domain::policy::{expected_by, Clock};
use crate::domain::{ClaimStatus, Petition, Region};
use crate::i18n::Locale;
use crate::views::{ClaimStatusView, DocumentInfo, HistoryItem};
use chrono::{Datelike, NaiveDate, Utc};
use sea_orm::prelude::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QueryTrait,
};
use uuid::Uuid;

pub use crate::domain::intake::Channel;

pub use crate::views::Filed;

/// An `Idempotency-Key` and a hash of the request it came with. A key means "this request,
/// once": it is stored as a hash of key and request together, so a key names nothing but
/// its own request and one caller cannot take another's key first (the same key with
/// another body is another request). The answer's access code is kept sealed under the key
/// itself, for a retry to be given it again, only where the caller asked for that.
#[derive(Clone, Copy)]
pub struct Idempotency<'a> {
    pub key: &'a str,
    pub request_hash: &'a str,
    /// Keep the access code for a retry (the API). The web form shows it once, to the
    /// press that filed, so nothing kept anywhere can give it back.
    pub replays_code: bool,
}

impl Idempotency<'_> {
    /// The row's key: the caller's key scoped by its request.
    fn scoped(&self) -> String {
        secrets::sha256_hex(format!("{}\n{}", self.request_hash, self.key).as_bytes())
    }
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
    /// Counted against a per-client limit (the throttle key and the most filings in a
    /// window), in the transaction that writes the filing: past it, `TooManyRequests` and
    /// nothing written.
    pub limit: Option<(String, i32)>,
    /// Filed by a service unit with its API key (`unit_api_keys.id`).
    pub unit_key: Option<i32>,
}

/// The `event` of a staff-only note in a claim's history; never shown to the claimant.
pub const NOTE_EVENT: &str = "note";

/// The `event` of a document the claimant added; its `public_note` is the file's name.
pub const DOCUMENT_EVENT: &str = "document_added";

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
        status: Set(status),
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
    let Some(row) = idempotency_key::Entity::find_by_id(idem.scoped())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let mut filed: Filed = serde_json::from_str(&row.response_body).map_err(AppError::internal)?;
    filed.access_code = if idem.replays_code {
        keys.unseal(&filed.access_code, idem.key)
            .unwrap_or_default()
    } else {
        String::new()
    };
    Ok(Some(filed))
}

/// Files at most once per idempotency key, for every surface (the API and the web form): a
/// request whose key already filed gets the first answer without `file` running (`false`:
/// not fresh); and when filing fails because a twin sent at the same moment got there first,
/// the twin's answer is given. Without a key, `file` just runs.
pub async fn once<F, Fut>(
    db: &DatabaseConnection,
    keys: &secrets::Keys,
    idem: Option<Idempotency<'_>>,
    file: F,
) -> AppResult<(Filed, bool)>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = AppResult<Filed>>,
{
    if let Some(i) = &idem {
        if let Some(first) = replay(db, keys, i).await? {
            return Ok((first, false));
        }
    }
    match file().await {
        Ok(filed) => Ok((filed, true)),
        Err(e) => match &idem {
            Some(i) => replay(db, keys, i)
                .await?
                .map(|first| (first, false))
                .ok_or(e),
            None => Err(e),
        },
    }
}

/// Stores a validated petition on its own. Either everything is written or nothing is.
/// Requests go through [`Writer`], which writes the filings that arrive together in one
/// transaction; this is the same write for one.
pub async fn file_claim(
    db: &DatabaseConnection,
    settings: &super::Settings,
    f: Filing<'_>,
) -> AppResult<Filed> {
    write_alone(db, &Ready::new(settings, f)).await
}

/// A checked filing with every row worked out except its id and reference, which are
/// drawn afresh at each attempt to write it (a reference can collide).
pub struct Ready {
    claim: claim::ActiveModel,
    /// When the damage became known: its last day for filing is worked out as it is
    /// written, with the holidays read once for the batch.
    damage_known: NaiveDate,
    /// The answer, its reference filled in when written.
    filed: Filed,
    channel: Channel,
    /// Filed by staff: who, and the note on a window override.
    assisted_by: Option<String>,
    override_reason: Option<String>,
    /// The audit entry of an assisted filing: (detail, client).
    audit: Option<(String, String)>,
    draft_id: Option<Uuid>,
    mail_to: Vec<String>,
    lang: Locale,
    public_url: String,
    /// (the scoped key, hash of the request, the access code sealed under the key or
    /// nothing).
    idempotency: Option<(String, String, String)>,
    limit: Option<(String, i32)>,
    client: String,
}

impl Ready {
    pub fn new(settings: &super::Settings, f: Filing<'_>) -> Self {
        let p = f.petition;
        let region: Region = p.province.region();
        let access_code = secrets::new_access_code();
        let channel = f.assisted.as_ref().map_or(f.channel, |a| a.channel);
        let filer = p.filer.as_ref();
        let claim = claim::ActiveModel {
            id: Set(Uuid::nil()),
            reference: Set(String::new()),
            access_code_hash: Set(settings.keys.hash_access_code(&access_code)),
            status: Set(ClaimStatus::Submitted),
            region: Set(region),
            province_code: Set(p.province.to_string()),
            service_unit_name: Set(p.service_unit_name.clone()),
            relation: Set(p.relation),
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
            channel: Set(channel),
            lang: Set(f.lang.code().into()),
            created_at: Set(Utc::now()),
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
            clock_start: Set(None),
            paused_on: Set(None),
            due_on: Set(None),
            meeting_id: Set(None),
            notified_on: Set(None),
            notified_how: Set(None),
            referred_at: Set(None),
            harm_type: Set(None),
            api_key_id: Set(f.unit_key),
        };
        let audit = f.assisted.as_ref().map(|a| {
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
            (detail, f.client.to_string())
        });
        Self {
            claim,
            damage_known: p.damage_known_date,
            filed: Filed {
                reference: String::new(),
                access_code: access_code.clone(),
                region: region.number(),
                status: ClaimStatus::Submitted.as_str().to_string(),
                filed_on: f.filed_on,
                filing_deadline: p.filing_deadline,
            },
            channel,
            assisted_by: f.assisted.as_ref().map(|a| a.staff.clone()),
            override_reason: f.assisted.as_ref().and_then(|a| a.override_reason.clone()),
            audit,
            draft_id: f.draft_id,
            mail_to: contact_emails(p),
            lang: f.lang,
            public_url: settings.public_url.clone(),
            idempotency: f.idempotency.as_ref().map(|i| {
                (
                    i.scoped(),
                    i.request_hash.to_string(),
                    if i.replays_code {
                        settings.keys.seal(&access_code, i.key)
                    } else {
                        String::new()
                    },
                )
            }),
            limit: f.limit,
            client: f.client.to_string(),
        }
    }
}

/// The holidays that can move the last day of any filing in the batch, in one read.
async fn holidays_for_batch(
    txn: &impl sea_orm::ConnectionTrait,
    batch: &[Ready],
) -> AppResult<crate::domain::Holidays> {
    use crate::domain::window::deadline_holiday_span;
    let spans = batch.iter().map(|r| deadline_holiday_span(r.damage_known));
    let (Some(from), Some(to)) = (
        spans.clone().map(|(f, _)| f).min(),
        spans.map(|(_, t)| t).max(),
    ) else {
        return Ok(Default::default());
    };
    super::calendar::holidays_between(txn, from, to).await
}

/// Writes one filing, drawing a new reference if the first collides with an existing one
/// (about 1 in 10⁸ per year). Any other failure is answered at once.
pub async fn write_alone(db: &DatabaseConnection, ready: &Ready) -> AppResult<Filed> {
    let mut attempts = 0;
    loop {
        attempts += 1;
        match write_together(db, std::slice::from_ref(ready)).await {
            Ok(mut filed) => return filed.remove(0),
            Err(Failed::ReferenceTaken(e)) if attempts == 3 => return Err(e),
            Err(Failed::ReferenceTaken(_)) => continue,
            Err(Failed::Other(e)) => return Err(e),
        }
    }
}

/// Why a write failed: a drawn reference was already taken (draw again), or anything else.
enum Failed {
    ReferenceTaken(AppError),
    Other(AppError),
}

impl<E: Into<AppError>> From<E> for Failed {
    fn from(e: E) -> Self {
        Self::Other(e.into())
    }
}

impl Failed {
    fn into_error(self) -> AppError {
        match self {
            Self::ReferenceTaken(e) | Self::Other(e) => e,
        }
    }
}

/// Writes several filings in one transaction: each claim, its first history event, any
/// assisted-filing audit entry, its draft's documents, its mail and its idempotency record.
/// All of them are written or none is; answers come in the order given. A filing past its
/// client's limit is answered `TooManyRequests` and left out; its count is written with
/// the others.
async fn write_together(
    db: &DatabaseConnection,
    batch: &[Ready],
) -> Result<Vec<AppResult<Filed>>, Failed> {
    // The filings' per-client counts, in one statement for the batch.
    let limited: Vec<(usize, (&str, i32, &str))> = batch
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            r.limit
                .as_ref()
                .map(|(key, most)| (i, (key.as_str(), *most, r.client.as_str())))
        })
        .collect();
    let tries: Vec<_> = limited.iter().map(|(_, t)| *t).collect();
    // The transaction and its counts on one connection while the time targets and holidays
    // are read on others: a round trip waited for once, not three times. (Read committed:
    // a read just beside the transaction sees what one inside it would.)
    let counted = async {
        let txn = super::begin_write(db).await?;
        let within = super::throttle::within_limits_in(&txn, &tries).await?;
        Ok::<_, AppError>((txn, within))
    };
    let (targets, holidays) = (time_targets(db), holidays_for_batch(db, batch));
    let ((txn, within), targets, holidays) = tokio::try_join!(counted, targets, holidays)?;
    let mut refused = vec![false; batch.len()];
    for ((i, _), ok) in limited.iter().zip(within) {
        refused[*i] = !ok;
    }
    let written: Vec<&Ready> = batch
        .iter()
        .zip(&refused)
        .filter(|(_, refused)| !**refused)
        .map(|(r, _)| r)
        .collect();
    if written.is_empty() {
        // Every filing was past its limit: only the counts are written.
        txn.commit().await?;
        return Ok(batch.iter().map(|_| Err(AppError::TooManyRequests)).collect());
    }
    let now = Utc::now();
    let mut claims = Vec::with_capacity(batch.len());
    let mut events = Vec::with_capacity(batch.len());
    let mut mails = Vec::new();
    let mut keys = Vec::new();
    let mut answers = Vec::with_capacity(batch.len());
    for r in &written {
        let id = Uuid::new_v4();
        let filed_on = r.filed.filed_on;
        let reference = secrets::new_reference(filed_on.year() + BE_OFFSET);
        let filing_deadline = crate::domain::filing_deadline(r.damage_known, &holidays);
        let filed = Filed {
            reference: reference.clone(),
            filing_deadline,
            ..r.filed.clone()
        };
        let clocks = crate::domain::deadlines::on_filing(&targets, filed_on);
        let mut row = r.claim.clone();
        row.id = Set(id);
        row.reference = Set(reference.clone());
        row.created_at = Set(now);
        row.filing_deadline = Set(filing_deadline);
        row.clock_start = Set(clocks.clock_start);
        row.paused_on = Set(clocks.paused_on);
        row.due_on = Set(clocks.due_on);
        claims.push(row);
        events.push(claim_event::ActiveModel {
            claim_id: Set(id),
            status: Set(ClaimStatus::Submitted),
            event: Set(None),
            actor: Set(if r.assisted_by.is_some() {
                "intake"
            } else {
                "claimant"
            }
            .into()),
            public_note: Set(None),
            created_at: Set(now),
            reason_code: Set(None),
            internal_note: Set(r
                .override_reason
                .as_ref()
                .map(|r| format!("รับคำร้องที่เกินกำหนด 2 ปี / Accepted past the 2-year window: {r}"))),
            actor_email: Set(r.assisted_by.clone()),
            ..Default::default()
        });
        for to in &r.mail_to {
            mails.push(Message::filed(
                to,
                &filed,
                r.lang,
                clocks.due_on,
                &r.public_url,
            ));
        }
        if let Some((key, request_hash, sealed)) = &r.idempotency {
            let stored = Filed {
                access_code: sealed.clone(),
                ..filed.clone()
            };
            keys.push(idempotency_key::ActiveModel {
                key: Set(key.clone()),
                request_hash: Set(request_hash.clone()),
                status_code: Set(201),
                response_body: Set(serde_json::to_string(&stored).map_err(AppError::internal)?),
                created_at: Set(now),
            });
        }
        answers.push((id, filed));
    }
    // The claims first, then the rows that can only fail with them, in one statement where
    // the engine takes that (PostgreSQL checks the events' and mail's references to the
    // claims at the end of the statement, when every row of it is in).
    let mut rows = vec![
        claim::Entity::insert_many(claims).into_query(),
        claim_event::Entity::insert_many(events).into_query(),
    ];
    if !mails.is_empty() {
        rows.push(mail::outbox_rows(mails).into_query());
    }
    if !keys.is_empty() {
        rows.push(idempotency_key::Entity::insert_many(keys).into_query());
    }
    super::insert_together(&txn, rows).await.map_err(|e| {
        if reference_taken(&e) {
            Failed::ReferenceTaken(e.into())
        } else {
            Failed::Other(e.into())
        }
    })?;
    for (r, (id, filed)) in written.iter().zip(&answers) {
        if let (Some((detail, client)), Some(staff)) = (&r.audit, &r.assisted_by) {
            super::audit::append_in(
                &txn,
                super::audit::Entry {
                    actor: &format!("user:{staff}"),
                    action: "assisted_filing",
                    claim_reference: Some(&filed.reference),
                    detail,
                    client,
                },
            )
            .await?;
        }
        if let Some(draft_id) = r.draft_id {
            document::Entity::update_many()
                .col_expr(document::Column::ClaimId, Expr::value(Some(*id)))
                .col_expr(document::Column::DraftId, Expr::value(Option::<Uuid>::None))
                .filter(document::Column::DraftId.eq(draft_id))
                .exec(&txn)
                .await?;
        }
    }
    txn.commit().await?;
    for r in &written {
        metrics::counter!("claims_filed_total", "channel" => r.channel.as_str()).increment(1);
    }
    let mut filed = answers.into_iter().map(|(_, f)| f);
    Ok(refused
        .iter()
        .map(|refused| match refused {
            true => Err(AppError::TooManyRequests),
            false => Ok(filed.next().expect("one answer per filing written")),
        })
        .collect())
}

/// Whether a write failed only because a drawn claim id or reference was taken: a claim's
/// only unique values (any other unique value, such as an `Idempotency-Key` sent twice at
/// once, is another failure). The constraint is named in PostgreSQL's message and the
/// column in SQLite's.
pub fn reference_taken(e: &sea_orm::DbErr) -> bool {
    match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(m)) => [
            "claims_reference_key",
            "claims_pkey",
            "claims.reference",
            "claims.id",
        ]
        .iter()
        .any(|c| m.contains(c)),
        _ => false,
    }
}

/// Writes the filings that arrive while an earlier write is committing together, in one
/// transaction. A durable commit costs one flush to disk whether it holds one claim or
/// fifty, so under load a filing waits for about one commit instead of queueing behind
/// every other filing's; alone, a filing is written at once as before. A batch that fails
/// (a reference collision, or one `Idempotency-Key` sent twice at once) is written again one
/// filing at a time, so no filing fails because of another. Each request is answered only
/// after the commit that holds its claim.
#[derive(Clone)]
pub struct Writer {
    tx: tokio::sync::mpsc::Sender<Job>,
}

type Job = (Ready, tokio::sync::oneshot::Sender<AppResult<Filed>>);

impl Writer {
    /// The most filings one transaction holds.
    pub const MAX_BATCH: usize = 64;

    /// Starts the writer on a thread of its own, with its own runtime and connections
    /// (`opts`): a batch's statements are each answered by the database in well under a
    /// millisecond, and a writer sharing the request runtime would wait behind every request
    /// in hand before it noticed, and so hold its transaction open that much longer. It
    /// stops once every clone of the `Writer` is gone and the filings already handed over
    /// are written.
    pub async fn start(opts: sea_orm::ConnectOptions) -> Result<Self, String> {
        let (tx, rx) = tokio::sync::mpsc::channel::<Job>(4 * Self::MAX_BATCH);
        let (started, ready) = tokio::sync::oneshot::channel::<Result<(), String>>();
        std::thread::Builder::new()
            .name("filing-writer".into())
            .spawn(move || {
                match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime.block_on(run_writer(opts, rx, started)),
                    Err(e) => {
                        let _ = started.send(Err(e.to_string()));
                    }
                }
            })
            .map_err(|e| format!("starting the filing writer: {e}"))?;
        ready
            .await
            .unwrap_or_else(|_| Err("it stopped as it started".into()))
            .map_err(|e| format!("starting the filing writer: {e}"))?;
        Ok(Self { tx })
    }

    /// The connections the writer needs: each batch reads on two while the third holds its
    /// transaction (see `write_together`). One batch is written at a time, on either engine:
    /// the filings that arrive meanwhile make the next one. (A second batch written beside
    /// the first made smaller batches and fewer filings a second on PostgreSQL, once the
    /// driver stopped holding back the second packet of a long statement: sqlx 0.9.1's
    /// TCP_NODELAY.)
    pub const CONNECTIONS: u32 = 3;

    /// Files a checked petition: the claim is on disk when this answers.
    pub async fn file(&self, settings: &super::Settings, f: Filing<'_>) -> AppResult<Filed> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let stopped = || AppError::internal("the filing writer has stopped");
        self.tx
            .send((Ready::new(settings, f), reply))
            .await
            .map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

/// The writer's thread: connects, says whether it could, then writes batches until every
/// `Writer` is gone and what they handed over is written.
async fn run_writer(
    opts: sea_orm::ConnectOptions,
    rx: tokio::sync::mpsc::Receiver<Job>,
    started: tokio::sync::oneshot::Sender<Result<(), String>>,
) {
    let db = match sea_orm::Database::connect(opts).await {
        Ok(db) => db,
        Err(e) => {
            let _ = started.send(Err(format!("connecting: {e}")));
            return;
        }
    };
    let _ = started.send(Ok(()));
    write_batches(&db, rx).await;
    let _ = db.close().await;
}

async fn write_batches(db: &DatabaseConnection, mut rx: tokio::sync::mpsc::Receiver<Job>) {
    loop {
        let mut jobs = Vec::new();
        match rx.recv().await {
            Some(job) => jobs.push(job),
            None => return,
        }
        while jobs.len() < Writer::MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        // A request that was abandoned before its turn (the client went away) is not filed.
        jobs.retain(|(_, reply)| !reply.is_closed());
        if jobs.is_empty() {
            continue;
        }
        let db = db.clone();
        // Its own task, so a panic fails this batch's requests, not the writer.
        let _ = tokio::spawn(async move {
            let (ready, replies): (Vec<Ready>, Vec<_>) = jobs.into_iter().unzip();
            metrics::histogram!("claims_filing_batch_size").record(ready.len() as f64);
            let together = if ready.len() > 1 {
                match write_together(&db, &ready).await.map_err(Failed::into_error) {
                    Ok(filed) => Some(filed),
                    Err(e) => {
                        tracing::info!(filings = ready.len(), error = %e, "a batch of filings failed; writing each alone");
                        None
                    }
                }
            } else {
                None
            };
            match together {
                Some(filed) => {
                    for (reply, f) in replies.into_iter().zip(filed) {
                        let _ = reply.send(f);
                    }
                }
                None => {
                    for (reply, r) in replies.into_iter().zip(&ready) {
                        let _ = reply.send(write_alone(&db, r).await);
                    }
                }
            }
        })
        .await;
    }
}

/// Every distinct email address the petition gave, patient's first.
fn contact_emails(p: &Petition) -> Vec<String> {
    let filer = p.filer.as_ref().and_then(|f| f.email.as_deref());
    super::mail::distinct([p.patient_email.as_deref(), filer])
        .into_iter()
        .map(str::to_string)
        .collect()
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
///
/// Each try is counted for its client before the code is checked (`TooManyRequests` past
/// `throttle::MAX_FAILURES` in the window, the web form and the API together), and taken
/// back when the code was right, so only wrong codes add up.
pub async fn open_with_code(
    db: &DatabaseConnection,
    keys: &secrets::Keys,
    reference: &str,
    code: &str,
    client: super::client::ClientIp,
) -> AppResult<claim::Model> {
    let tries = format!("code:{}", client.key());
    let client = &client.to_string();
    super::throttle::attempt(db, &tries, super::throttle::MAX_FAILURES, client).await?;
    let opened = check_code(db, keys, reference, code, client).await;
    if opened.is_ok() {
        super::throttle::forgive(db, &tries).await?;
    }
    opened
}

async fn check_code(
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
    c.notified_on
        .filter(|_| c.status.open_to_appeal())
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
    if c.notified_on.is_some() || !c.status.open_to_appeal() {
        return Ok(c);
    }
    let today = super::calendar::today_in_bangkok();
    let txn = super::begin_write(db).await?;
    if mark_received(&txn, &c, today, NoticeMethod::StatusPage).await? {
        let status = c.status;
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
    let history: Vec<crate::views::HistoryItem> = events
        .into_iter()
        .filter(|e| e.event.as_deref() != Some(NOTE_EVENT))
        .map(|e| {
            let document = e.event.as_deref() == Some(DOCUMENT_EVENT);
            HistoryItem {
                status: e.status,
                at: e.created_at,
                note: e.public_note.clone().filter(|_| !document),
                document: e.public_note.filter(|_| document),
            }
        })
        .collect();
    let status = c.status;
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
        region: c.region.number(),
        service_unit_name: c.service_unit_name.clone(),
        filed_on: c.filed_on,
        expected_decision_by,
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
        payment: super::payment_accounts::view_of(db, c).await?,
        letters: crate::views::LetterKind::reached(
            &history.iter().map(|h| h.status).collect::<Vec<_>>(),
            c.decided_on.is_some(),
            c.paid_on.is_some(),
        ),
        history,
    })
}
