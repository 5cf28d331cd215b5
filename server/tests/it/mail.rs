//! Confirmation mail goes through the outbox and reaches the file mailer without health data.

use crate::common::{fresh_database, set_path, spawn_app, spawn_on, valid_petition, Backend};
use crate::on_both;
use sea_orm::{ConnectionTrait, EntityTrait, Statement};
use serde_json::{json, Value};

on_both!(
    confirmation_mail_carries_the_reference_and_no_health_details,
    mail_reaches_a_real_smtp_server_and_waits_while_it_is_down,
    one_address_given_twice_gets_each_message_once
);

/// An heir who gives the family's one address for the patient and for themself gets one
/// confirmation and one of each later message, not two.
async fn one_address_given_twice_gets_each_message_once(b: Backend) {
    use app::backend::entities::{claim, outbox};
    use sea_orm::{ColumnTrait, QueryFilter};
    let app = spawn_app(b).await;
    let mut body = valid_petition();
    set_path(&mut body, "patient.email", json!("family@example.org"));
    set_path(
        &mut body,
        "filer",
        json!({"relation": "heir", "name": "สมหญิง ใจดี", "national_id": "3100600123450",
               "phone": "0898765432", "email": "Family@Example.org"}),
    );
    let filed = app.post_claim(&body).await;
    assert_eq!(filed.status(), 201);
    let reference = filed.json::<Value>().await.unwrap()["reference"].as_str().unwrap().to_string();
    let c = claim::Entity::find()
        .filter(claim::Column::Reference.eq(reference.as_str()))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c.filer_email.as_deref(), Some("Family@Example.org"), "both kept as given");
    app::backend::mail::tell_claimant(&app.db, &c, |to| app::backend::mail::Message {
        to: to.to_string(),
        subject: format!("{reference}: news"),
        body: "news".into(),
    })
    .await
    .unwrap();
    let queued = outbox::Entity::find().all(&app.db).await.unwrap();
    let subjects: Vec<&str> = queued.iter().map(|m| m.subject.as_str()).collect();
    assert_eq!(queued.len(), 2, "one confirmation and one message: {subjects:?}");
    app.cleanup().await;
}

async fn confirmation_mail_carries_the_reference_and_no_health_details(b: Backend) {
    let app = spawn_app(b).await;
    let mut body = valid_petition();
    set_path(&mut body, "patient.email", json!("somchai@example.org"));
    let filed: Value = app.post_claim(&body).await.json().await.unwrap();
    let reference = filed["reference"].as_str().unwrap();
    let sent = app::backend::mail::send_due(&app.db, &app.mailer)
        .await
        .unwrap();
    assert_eq!(sent, 1);
    assert_eq!(
        app::backend::mail::send_due(&app.db, &app.mailer)
            .await
            .unwrap(),
        0,
        "sent once only"
    );
    let outbox = app.dir.join("outbox");
    let files: Vec<_> = std::fs::read_dir(&outbox)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1);
    let eml = std::fs::read_to_string(&files[0]).unwrap();
    assert!(eml.contains("somchai@example.org"));
    let decoded = decode_body(&eml);
    assert!(decoded.contains(reference), "{decoded}");
    // Once sent, the outbox keeps who and what about, not the body.
    let kept = app::backend::entities::outbox::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].body, app::backend::mail::SENT_BODY);
    assert!(kept[0].subject.contains(reference));
    for secret in [
        "แพ้ยา",
        "1101700230708",
        "ค่ารักษา",
        filed["access_code"].as_str().unwrap(),
    ] {
        assert!(
            !decoded.contains(secret) && !eml.contains(secret),
            "mail must not contain {secret}"
        );
    }
    app.cleanup().await;
}

/// A real SMTP server (Python's aiosmtpd, installed by `scripts/setup.sh --test`) that
/// keeps each message it accepts in a maildir, with the envelope's sender and recipients
/// added as `X-MailFrom` / `X-RcptTo`.
struct SmtpServer {
    child: std::process::Child,
    maildir: std::path::PathBuf,
}

impl SmtpServer {
    async fn start(port: u16, maildir: &std::path::Path) -> SmtpServer {
        let mut child = std::process::Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(maildir)
            .spawn()
            .expect("python3 -m aiosmtpd (scripts/setup.sh --test installs it)");
        for _ in 0..200 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return SmtpServer {
                    child,
                    maildir: maildir.to_path_buf(),
                };
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("aiosmtpd did not start listening on {port}");
    }

    fn messages(&self) -> Vec<String> {
        std::fs::read_dir(self.maildir.join("new"))
            .map(|d| {
                d.map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// With `SMTP_URL` set, the confirmation goes over SMTP from `MAIL_FROM` to the claimant.
/// While the relay is down nothing is lost: the mail stays queued with the error noted,
/// and goes once the relay is back.
async fn mail_reaches_a_real_smtp_server_and_waits_while_it_is_down(b: Backend) {
    let fresh = fresh_database(b).await;
    let port = free_port();
    let smtp_url = format!("smtp://127.0.0.1:{port}");
    let app = spawn_on(
        &fresh,
        &[
            ("SMTP_URL", smtp_url.as_str()),
            ("MAIL_FROM", "สปสช. <claims@nhso.example>"),
        ],
    )
    .await;
    let mut body = valid_petition();
    set_path(&mut body, "patient.email", json!("somchai@example.org"));
    let filed: Value = app.post_claim(&body).await.json().await.unwrap();
    let reference = filed["reference"].as_str().unwrap().to_string();

    // The relay is not running yet.
    let sent = app::backend::mail::send_due(&app.db, &app.mailer).await.unwrap();
    assert_eq!(sent, 0, "nothing can be sent while the relay is down");
    let row = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT attempts, last_error, sent_at IS NULL AS unsent FROM outbox",
        ))
        .await
        .unwrap()
        .expect("the mail is still queued");
    assert_eq!(row.try_get::<i32>("", "attempts").unwrap(), 1);
    assert!(row.try_get::<Option<String>>("", "last_error").unwrap().is_some());
    assert!(row.try_get::<bool>("", "unsent").unwrap());

    let smtp = SmtpServer::start(port, &fresh.dir.join("maildir")).await;
    // Due again now (a real run waits for the back-off to pass).
    app.db
        .execute_unprepared("UPDATE outbox SET next_attempt_at = created_at")
        .await
        .unwrap();
    let sent = app::backend::mail::send_due(&app.db, &app.mailer).await.unwrap();
    assert_eq!(sent, 1);
    let messages = smtp.messages();
    assert_eq!(messages.len(), 1, "one message reached the relay");
    let eml = &messages[0];
    assert!(eml.contains("X-MailFrom: claims@nhso.example"), "{eml}");
    assert!(eml.contains("X-RcptTo: somchai@example.org"), "{eml}");
    assert!(eml.contains("claims@nhso.example>"), "From header names MAIL_FROM: {eml}");
    assert!(decode_body(&eml.replace("\r\n", "\n").replace('\n', "\r\n")).contains(&reference));
    assert_eq!(
        app::backend::mail::send_due(&app.db, &app.mailer).await.unwrap(),
        0,
        "sent once only"
    );
    drop(smtp);
    app.cleanup().await;
    fresh.remove().await;
}

/// The message body, decoding base64 or quoted-printable transfer encodings.
fn decode_body(eml: &str) -> String {
    let (headers, body) = eml.split_once("\r\n\r\n").unwrap_or((eml, ""));
    let lower = headers.to_ascii_lowercase();
    if lower.contains("content-transfer-encoding: base64") {
        let joined: String = body.split_whitespace().collect();
        String::from_utf8(base64_decode(&joined)).unwrap_or_default()
    } else if lower.contains("quoted-printable") {
        let mut out = Vec::new();
        let b = body.replace("=\r\n", "");
        let bytes = b.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'=' && i + 2 < bytes.len() {
                if let Ok(v) = u8::from_str_radix(&b[i + 1..i + 3], 16) {
                    out.push(v);
                    i += 3;
                    continue;
                }
            }
            out.push(bytes[i]);
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    } else {
        body.to_string()
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let mut buf = 0u32;
    let mut bits = 0;
    for c in s.bytes().filter(|c| *c != b'=') {
        let Some(v) = alphabet.iter().position(|a| *a == c) else {
            continue;
        };
        buf = (buf << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
        }
    }
    out
}
