//! Official letters as PDF, read back as a person would: `pdftotext` (Debian's
//! poppler-utils) finds the reference, the name and the dates exactly; page 1 is rendered
//! with `pdftoppm` and kept as a test artifact (`target/test-artifacts/`). Who may download
//! which letter, and that each download is audited.

use crate::common::{spawn_app, valid_petition, Backend, TestApp};
use crate::staff::staff_client;
use app::backend::entities::{audit_entry, claim, claim_event};
use app::domain::access::{Grant, Role};
use app::domain::{ClaimStatus, Region};
use app::i18n::Locale;
use sea_orm::prelude::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use std::process::Command;

crate::on_both!(letters_read_back_with_the_case_facts_and_go_only_to_those_who_may_see_them);

/// The text of a PDF, as `pdftotext` gives it (layout kept, so a line is a line).
fn text_of(pdf: &[u8], name: &str, app: &TestApp) -> String {
    let path = app.dir.join(format!("{name}.pdf"));
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args(["-layout", path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (Debian's poppler-utils; scripts/setup.sh --test installs it)");
    assert!(out.status.success(), "pdftotext: {}", String::from_utf8_lossy(&out.stderr));
    // Page 1 as a picture, kept for people to look at.
    let artifacts = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/test-artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    let png = Command::new("pdftoppm")
        .args(["-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", path.to_str().unwrap()])
        .arg(artifacts.join(name))
        .status()
        .unwrap();
    assert!(png.success());
    String::from_utf8(out.stdout).unwrap()
}

/// Text with its spaces and line breaks taken out: lines break between Thai words, so a
/// phrase may be split across two lines.
fn joined(text: &str) -> String {
    text.split_whitespace().collect()
}

async fn get_pdf(client: &reqwest::Client, url: String) -> Vec<u8> {
    let r = client.get(url).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let bytes = r.bytes().await.unwrap().to_vec();
    assert!(bytes.starts_with(b"%PDF-"));
    bytes
}

async fn letters_read_back_with_the_case_facts_and_go_only_to_those_who_may_see_them(b: Backend) {
    let app = spawn_app(b).await;
    let filed: serde_json::Value = app.post_claim(&valid_petition()).await.json().await.unwrap();
    let reference = filed["reference"].as_str().unwrap().to_string();
    let code = filed["access_code"].as_str().unwrap();
    let c = claim::Entity::find()
        .filter(claim::Column::Reference.eq(reference.clone()))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();

    // The claimant, signed in to their claim, downloads the receipt.
    let claimant = app.claimant(&reference, code).await;
    let status = app.page(&claimant, &format!("/claim/{reference}")).await;
    assert!(status.contains(&format!("/claim/{reference}/letters/receipt")), "the status page offers the receipt");
    assert!(!status.contains("/letters/decision"), "no decision letter before a decision");
    let pdf = get_pdf(&claimant, app.url(&format!("/claim/{reference}/letters/receipt"))).await;
    let text = text_of(&pdf, &format!("receipt-{b:?}"), &app);
    let th = Locale::Th;
    for want in [
        reference.as_str(),
        "สมชาย ใจดี",
        "ใบรับคำร้องขอรับเงินช่วยเหลือเบื้องต้น",
        &th.date(c.received_on.unwrap()),
        &th.date(c.filing_deadline),
        &th.date(c.damage_known_date),
        "สำนักงานหลักประกันสุขภาพแห่งชาติ เขต 1",
    ] {
        assert!(joined(&text).contains(&joined(want)), "the receipt says {want:?}:\n{text}");
    }
    // Thai is shaped and comes back as typed: vowels above and below are not lost.
    assert!(text.contains("ผู้ได้รับความเสียหาย"), "{text}");

    // A decision to pay: the notice gives the amount with separators and in Thai words,
    // the reasons and the right to appeal.
    let decided = app::backend::calendar::today_in_bangkok();
    claim::Entity::update_many()
        .col_expr(claim::Column::Status, Expr::value("approved"))
        .col_expr(claim::Column::DecisionCategory, Expr::value(Some(3i16)))
        .col_expr(claim::Column::DecisionAmount, Expr::value(Some(50_000i64)))
        .col_expr(claim::Column::DecidedOn, Expr::value(Some(decided)))
        .filter(claim::Column::Id.eq(c.id))
        .exec(&app.db)
        .await
        .unwrap();
    claim_event::ActiveModel {
        claim_id: Set(c.id),
        status: Set(ClaimStatus::Approved),
        actor: Set("user:reviewer@nhso.test".into()),
        public_note: Set(Some("แพ้ยาหลังฉีดยา ต้องรักษาต่อเนื่อง".into())),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    let pdf = get_pdf(&claimant, app.url(&format!("/claim/{reference}/letters/decision"))).await;
    let text = text_of(&pdf, &format!("decision-{b:?}"), &app);
    for want in ["50,000", "ห้าหมื่นบาทถ้วน", "แพ้ยาหลังฉีดยา", "อุทธรณ์", &th.date(decided)] {
        assert!(joined(&text).contains(&joined(want)), "the decision notice says {want:?}:\n{text}");
    }

    // In English on request.
    claimant.get(app.url("/lang/en?next=/")).send().await.unwrap();
    let pdf = get_pdf(&claimant, app.url(&format!("/claim/{reference}/letters/receipt"))).await;
    let text = text_of(&pdf, &format!("receipt-en-{b:?}"), &app);
    assert!(joined(&text).contains(&joined("Receipt of a petition for preliminary assistance")), "{text}");
    assert!(joined(&text).contains(&joined(&Locale::En.date(c.filing_deadline))), "{text}");

    // Staff of region 1 download from the case page; region 5 cannot; a stranger cannot.
    let officer = staff_client(&app, "officer1@nhso.test", &[Grant::new(Role::RegionalOfficer, Region::new(1)).unwrap()]).await;
    let case = app.page(&officer, &format!("/staff/claims/{reference}")).await;
    assert!(case.contains(&format!("/staff/claims/{reference}/letters/decision")));
    get_pdf(&officer, app.url(&format!("/staff/claims/{reference}/letters/decision"))).await;
    let other = staff_client(&app, "officer5@nhso.test", &[Grant::new(Role::RegionalOfficer, Region::new(5)).unwrap()]).await;
    let r = other.get(app.url(&format!("/staff/claims/{reference}/letters/receipt"))).send().await.unwrap();
    assert_eq!(r.status(), 404);
    let r = reqwest::Client::new().get(app.url(&format!("/claim/{reference}/letters/receipt"))).send().await.unwrap();
    assert_eq!(r.status(), 404, "no session, no letter");
    let r = claimant.get(app.url(&format!("/claim/{reference}/letters/payment"))).send().await.unwrap();
    assert_eq!(r.status(), 404, "not paid yet: no payment notice");

    let audited = audit_entry::Entity::find()
        .filter(audit_entry::Column::ClaimReference.eq(reference.clone()))
        .all(&app.db)
        .await
        .unwrap();
    let downloads: Vec<(&str, &str)> = audited
        .iter()
        .filter(|e| e.action == "letter_downloaded")
        .map(|e| (e.actor.as_str(), e.detail.as_str()))
        .collect();
    assert_eq!(
        downloads,
        [("claimant", "receipt"), ("claimant", "decision"), ("claimant", "receipt"), ("user:officer1@nhso.test", "decision")]
    );
    assert!(audited.iter().any(|e| e.actor == "user:officer5@nhso.test" && e.action == "action_refused"));
    app.cleanup().await;
}
