//! Confirmation mail goes through the outbox and reaches the file mailer without health data.

use crate::common::{set_path, spawn_app, valid_petition, Backend};
use crate::on_both;
use serde_json::{json, Value};

on_both!(confirmation_mail_carries_the_reference_and_no_health_details);

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
