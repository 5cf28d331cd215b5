//! Mail goes through a database outbox written in the same transaction as the change it
//! reports, and a background sender that retries with back-off until it is delivered.
//! Emails carry references and links, never health details.

use crate::views::Filed;
use super::entities::outbox;
use super::error::{AppError, AppResult};
use crate::i18n::Locale;
use chrono::{NaiveDate, Utc};
use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use sea_orm::prelude::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use std::path::PathBuf;
use std::time::Duration;
use uuid::Uuid;

/// The sender when `MAIL_FROM` is unset: fine for files in the outbox folder, but real
/// mail servers refuse a `.local` domain, so a deployment sets its own.
pub const DEFAULT_FROM: &str = "Section 41 claims <no-reply@section41.local>";
const MAX_BACKOFF_MINUTES: i64 = 60;
/// What a sent mail's body is replaced with in the outbox.
pub const SENT_BODY: &str = "(sent; the body is not kept)";

pub struct Message {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// The status page's whole address, for a mail: a person reads it away from the site.
fn check_page(public_url: &str) -> String {
    format!("{}/check", public_url.trim_end_matches('/'))
}

impl Message {
    /// "We received your petition": reference, region, where to check; no health data.
    pub fn filed(
        to: &str,
        f: &Filed,
        lang: Locale,
        expected: Option<NaiveDate>,
        public_url: &str,
    ) -> Self {
        let office = crate::domain::Region::new(f.region).map(|r| r.office());
        let (subject, body) = match lang {
            Locale::Th => (
                format!("ได้รับคำร้องขอรับเงินช่วยเหลือเบื้องต้นแล้ว เลขที่ {}", f.reference),
                format!(
                    "เราได้รับคำร้องของท่านแล้ว\n\nเลขที่อ้างอิง: {}\nยื่นเมื่อ: {}\nผู้พิจารณา: {}\n{}\nตรวจสอบสถานะได้ที่ {} โดยใช้เลขที่อ้างอิงและรหัสเข้าถึงที่แสดงหลังยื่นคำร้อง\n\nสอบถาม: สายด่วน สปสช. 1330\n",
                    f.reference,
                    lang.date(f.filed_on),
                    office.map(|o| o.name_th).unwrap_or_default(),
                    expected.map(|d| format!("คาดว่าจะทราบผลภายใน: {}\n", lang.date(d))).unwrap_or_default(),
                    check_page(public_url)
                ),
            ),
            Locale::En => (
                format!("We received your Section 41 petition {}", f.reference),
                format!(
                    "We have received your petition.\n\nReference: {}\nFiled on: {}\nDecided by: {}\n{}\nCheck its status at {} with the reference and the access code shown after filing.\n\nQuestions: NHSO hotline 1330\n",
                    f.reference,
                    lang.date(f.filed_on),
                    office.map(|o| o.name_en).unwrap_or_default(),
                    expected.map(|d| format!("Expected decision by: {}\n", lang.date(d))).unwrap_or_default(),
                    check_page(public_url)
                ),
            ),
        };
        Self {
            to: to.to_string(),
            subject,
            body,
        }
    }
}

impl Message {
    /// "Your claim's status changed": the reference and where to look; no health details.
    pub fn status_changed(
        to: &str,
        reference: &str,
        status: crate::domain::ClaimStatus,
        lang: &str,
        public_url: &str,
    ) -> Self {
        let check = check_page(public_url);
        if lang == "en" {
            Self {
                to: to.to_string(),
                subject: format!("News on your Section 41 claim {reference}"),
                body: format!("There is news on your claim {reference}: {}.\n\nSign in with your reference and access code at {check} to read it.\n\nQuestions: NHSO hotline 1330\n", status.label_en()),
            }
        } else {
            Self {
                to: to.to_string(),
                subject: format!("มีความคืบหน้าคำร้องเลขที่ {reference}"),
                body: format!("คำร้องเลขที่ {reference} มีความคืบหน้า: {}\n\nโปรดเข้าดูรายละเอียดที่ {check} ด้วยเลขที่อ้างอิงและรหัสเข้าถึง\n\nสอบถาม: สายด่วน สปสช. 1330\n", status.label_th()),
            }
        }
    }
}

impl Message {
    /// "The account for your payment was recorded": only its last four digits.
    pub fn account_given(to: &str, reference: &str, masked: &str, lang: &str) -> Self {
        let last4: String = masked.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
        if lang == "en" {
            Self {
                to: to.to_string(),
                subject: format!("The account for the payment of claim {reference} was recorded"),
                body: format!("The account the payment for your claim {reference} goes to was recorded or changed: an account ending {last4}.\n\nIf you did not give it, call the NHSO hotline 1330 at once.\n"),
            }
        } else {
            Self {
                to: to.to_string(),
                subject: format!("บันทึกบัญชีรับเงิน คำร้องเลขที่ {reference} แล้ว"),
                body: format!("มีการบันทึกหรือเปลี่ยนบัญชีที่จะรับเงินช่วยเหลือเบื้องต้นของคำร้องเลขที่ {reference} เป็นบัญชีที่ลงท้ายด้วย {last4}\n\nหากท่านไม่ได้แจ้งบัญชีนี้ โปรดโทรสายด่วน สปสช. 1330 ทันที\n"),
            }
        }
    }

    /// "The transfer did not go through": the claimant gives an account again. No account
    /// details and no reason in the mail; they are on the signed-in status page.
    pub fn transfer_failed(to: &str, reference: &str, lang: &str, public_url: &str) -> Self {
        let check = check_page(public_url);
        if lang == "en" {
            Self {
                to: to.to_string(),
                subject: format!("Payment for your Section 41 claim {reference} did not go through"),
                body: format!("The bank could not transfer the payment for your claim {reference}.\n\nSign in with your reference and access code at {check}, read what the bank said, and give your bank account again. The payment goes out in the next batch.\n\nQuestions: NHSO hotline 1330\n"),
            }
        } else {
            Self {
                to: to.to_string(),
                subject: format!("โอนเงินช่วยเหลือเบื้องต้น คำร้องเลขที่ {reference} ไม่สำเร็จ"),
                body: format!("ธนาคารโอนเงินช่วยเหลือเบื้องต้นสำหรับคำร้องเลขที่ {reference} ไม่สำเร็จ\n\nโปรดเข้าที่ {check} ด้วยเลขที่อ้างอิงและรหัสเข้าถึง อ่านเหตุผลจากธนาคาร และแจ้งบัญชีธนาคารอีกครั้ง เงินจะโอนในรอบถัดไป\n\nสอบถาม: สายด่วน สปสช. 1330\n"),
            }
        }
    }
}

/// Adds a message to the outbox inside the caller's transaction.
impl Message {
    /// To an office: a case moved into (or out of) its region. Bilingual; no personal data.
    pub fn rerouted(
        to: &str,
        reference: &str,
        from: crate::domain::Region,
        into: crate::domain::Region,
        incoming: bool,
    ) -> Self {
        let (th, en) = if incoming {
            (
                format!(
                    "คำร้องเลขที่ {reference} ถูกโอนมาจาก{} มายังสำนักงานของท่าน",
                    from.office().name_th
                ),
                format!(
                    "Case {reference} has been moved to your office from {}.",
                    from.office().name_en
                ),
            )
        } else {
            (
                format!(
                    "คำร้องเลขที่ {reference} ถูกโอนจากสำนักงานของท่านไปยัง{}",
                    into.office().name_th
                ),
                format!(
                    "Case {reference} has been moved from your office to {}.",
                    into.office().name_en
                ),
            )
        };
        Self {
            to: to.to_string(),
            subject: format!("โอนคำร้อง / Case moved: {reference}"),
            body: format!(
                "{th}
ประวัติ เอกสาร และกำหนดเวลาทั้งหมดโอนไปพร้อมกัน

{en}
Its history, documents and deadlines moved with it.
"
            ),
        }
    }

    /// To an office: its overdue cases today, and its decisions with no proof that the
    /// claimant received them (references, states and dates only).
    pub fn overdue_digest(
        to: &str,
        region: crate::domain::Region,
        today: NaiveDate,
        (total, items): (u64, &[(String, crate::domain::ClaimStatus, NaiveDate)]),
        (unreceived, decided): (u64, &[(String, NaiveDate)]),
    ) -> Self {
        let more = |total: u64, listed: usize| {
            (total as usize > listed)
                .then(|| {
                    let n = total as usize - listed;
                    format!("… และอีก {n} เรื่อง / and {n} more\n")
                })
                .unwrap_or_default()
        };
        let mut body = format!("{}\n", region.office().name_th);
        if total > 0 {
            let lines: String = items
                .iter()
                .map(|(r, s, due)| format!("- {r} · {} / {} · {due}\n", s.label_th(), s.label_en()))
                .collect();
            body.push_str(&format!(
                "\nคำร้องที่เกินกำหนดเวลา ณ วันที่ {} มี {total} เรื่อง:\n{total} overdue case(s) on {today}:\n\n{lines}{}เปิดรายการ / Open the list: /staff?due=overdue\n",
                Locale::Th.date(today),
                more(total, items.len()),
            ));
        }
        if unreceived > 0 {
            let lines: String = decided
                .iter()
                .map(|(r, on)| format!("- {r} · มีมติ / decided {on}\n"))
                .collect();
            body.push_str(&format!(
                "\nคำวินิจฉัยที่ยังไม่มีหลักฐานว่าผู้ยื่นได้รับ {unreceived} เรื่อง (ระยะเวลาอุทธรณ์ยังไม่เริ่มนับ):\n{unreceived} decision(s) with no proof the claimant received them (their appeal window has not started):\n\n{lines}{}เปิดรายการ / Open the list: /staff?due=unreceived\n",
                more(unreceived, decided.len()),
            ));
        }
        Self {
            to: to.to_string(),
            subject: format!(
                "คำร้องเกินกำหนด {total} เรื่อง / {total} overdue cases · ไม่มีหลักฐานรับแจ้งผล {unreceived} / {unreceived} unreceived decisions – เขต {} ({today})",
                region.number()
            ),
            body,
        }
    }
}

pub async fn enqueue(db: &impl ConnectionTrait, m: Message) -> AppResult<()> {
    enqueue_many(db, vec![m]).await
}

/// Queues `message(address)` to each address the claim has for its claimant (the
/// patient's, then the filer's; one message when both gave the same address), with one
/// statement inside the caller's transaction.
pub async fn tell_claimant(
    db: &impl ConnectionTrait,
    c: &super::entities::claim::Model,
    message: impl Fn(&str) -> Message,
) -> AppResult<()> {
    let to = distinct([c.patient_email.as_deref(), c.filer_email.as_deref()]);
    enqueue_many(db, to.into_iter().map(message).collect()).await
}

/// The addresses given, each once (an address is the same whatever its letters' case), in
/// the order given.
pub fn distinct<'a>(addresses: impl IntoIterator<Item = Option<&'a str>>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for a in addresses.into_iter().flatten() {
        if !out.iter().any(|x| x.eq_ignore_ascii_case(a)) {
            out.push(a);
        }
    }
    out
}

/// Queues several messages with one statement (inside the caller's transaction).
pub async fn enqueue_many(db: &impl ConnectionTrait, messages: Vec<Message>) -> AppResult<()> {
    outbox_rows(messages).exec_without_returning(db).await?;
    Ok(())
}

/// The statement that queues `messages` (at least one), to run alone or with others.
pub fn outbox_rows(messages: Vec<Message>) -> sea_orm::InsertMany<outbox::ActiveModel> {
    let now = Utc::now();
    outbox::Entity::insert_many(messages.into_iter().map(|m| outbox::ActiveModel {
        id: Set(Uuid::new_v4()),
        to_address: Set(m.to),
        subject: Set(m.subject),
        body: Set(m.body),
        attempts: Set(0),
        next_attempt_at: Set(now),
        locked_until: Set(None),
        sent_at: Set(None),
        last_error: Set(None),
        created_at: Set(now),
    }))
}

/// Where mail goes (an SMTP relay, or `.eml` files in a folder) and who it is from.
#[derive(Clone)]
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
}

#[derive(Clone)]
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    File(PathBuf),
}

impl Mailer {
    pub fn from_settings(
        smtp_url: Option<&str>,
        outbox_dir: PathBuf,
        from: &str,
    ) -> Result<Self, String> {
        let from: Mailbox = from.parse().map_err(|e| format!("MAIL_FROM: {e}"))?;
        let transport = match smtp_url {
            Some(url) => AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                .map(|b| Transport::Smtp(b.build()))
                .map_err(|e| format!("SMTP_URL: {e}"))?,
            None => Transport::File(outbox_dir),
        };
        Ok(Self { transport, from })
    }

    async fn send(&self, m: &outbox::Model) -> Result<(), String> {
        let to: Mailbox = m.to_address.parse().map_err(|e| format!("address: {e}"))?;
        let email = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(m.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(m.body.clone())
            .map_err(|e| e.to_string())?;
        match &self.transport {
            Transport::Smtp(t) => t.send(email).await.map(|_| ()).map_err(|e| e.to_string()),
            Transport::File(dir) => {
                tokio::fs::create_dir_all(dir)
                    .await
                    .map_err(|e| e.to_string())?;
                AsyncFileTransport::<Tokio1Executor>::new(dir)
                    .send(email)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            }
        }
    }
}

/// Sends what is due, once. Rows are claimed with a short lease so several app instances on
/// one database never send the same message twice at once.
pub async fn send_due(db: &DatabaseConnection, mailer: &Mailer) -> AppResult<usize> {
    let now = Utc::now();
    let due = outbox::Entity::find()
        .filter(outbox::Column::SentAt.is_null())
        .filter(outbox::Column::NextAttemptAt.lte(now))
        .filter(
            Condition::any()
                .add(outbox::Column::LockedUntil.is_null())
                .add(outbox::Column::LockedUntil.lt(now)),
        )
        .order_by_asc(outbox::Column::NextAttemptAt)
        .limit(50)
        .all(db)
        .await?;
    let mut sent = 0;
    for m in due {
        let lease = now + chrono::Duration::minutes(5);
        let claimed = outbox::Entity::update_many()
            .col_expr(outbox::Column::LockedUntil, Expr::value(Some(lease)))
            .filter(outbox::Column::Id.eq(m.id))
            .filter(outbox::Column::SentAt.is_null())
            .filter(
                Condition::any()
                    .add(outbox::Column::LockedUntil.is_null())
                    .add(outbox::Column::LockedUntil.lt(now)),
            )
            .exec(db)
            .await?;
        if claimed.rows_affected != 1 {
            continue;
        }
        match mailer.send(&m).await {
            Ok(()) => {
                // Once it has left, the body is not kept: it may hold a one-time link (a
                // new account's set-your-password link), and a transport is no archive.
                outbox::Entity::update_many()
                    .col_expr(outbox::Column::SentAt, Expr::value(Some(Utc::now())))
                    .col_expr(outbox::Column::Body, Expr::value(SENT_BODY))
                    .col_expr(outbox::Column::Attempts, Expr::value(m.attempts + 1))
                    .col_expr(
                        outbox::Column::LockedUntil,
                        Expr::value(Option::<chrono::DateTime<Utc>>::None),
                    )
                    .filter(outbox::Column::Id.eq(m.id))
                    .exec(db)
                    .await?;
                sent += 1;
            }
            Err(e) => {
                let attempts = m.attempts + 1;
                let wait = (1i64 << attempts.min(6)).min(MAX_BACKOFF_MINUTES);
                tracing::warn!(id = %m.id, attempts, error = %e, "mail not sent; will retry");
                metrics::counter!("mail_send_failures_total").increment(1);
                outbox::Entity::update_many()
                    .col_expr(outbox::Column::Attempts, Expr::value(attempts))
                    .col_expr(outbox::Column::LastError, Expr::value(Some(e)))
                    .col_expr(
                        outbox::Column::NextAttemptAt,
                        Expr::value(Utc::now() + chrono::Duration::minutes(wait)),
                    )
                    .col_expr(
                        outbox::Column::LockedUntil,
                        Expr::value(Option::<chrono::DateTime<Utc>>::None),
                    )
                    .filter(outbox::Column::Id.eq(m.id))
                    .exec(db)
                    .await?;
            }
        }
    }
    Ok(sent)
}

/// Runs `send_due` every `every` until `stop` says the server is shutting down; a round
/// under way finishes first (its leases would otherwise hold those messages for minutes).
pub async fn run_sender(
    db: DatabaseConnection,
    mailer: Mailer,
    every: Duration,
    mut stop: super::Shutdown,
) {
    loop {
        if let Err(e) = send_due(&db, &mailer).await {
            if let AppError::Internal(cause) = &e {
                tracing::error!(%cause, "outbox sender");
            }
        }
        super::job_ran("outbox_sender");
        if stop.wait(every).await {
            return;
        }
    }
}
