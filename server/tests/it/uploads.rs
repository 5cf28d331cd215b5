//! A claimant's documents on a filed claim (the status page's reply and the API): checked
//! before anything is stored, kept only with the step they came with, recorded in the
//! claim's history and the audit log, refused once the claim is settled, and never more
//! than ten, however many arrive at once.

use crate::actions::{act, claimant_post, file_in_region_1, g, status_of};
use crate::api_documents::{upload, PDF};
use crate::common::{spawn_app, Backend, TestApp};
use crate::on_both;
use crate::staff::staff_client;
use app::backend::entities::{audit_entry, claim, document};
use app::domain::access::Role;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;

on_both!(
    a_refused_reply_keeps_no_document,
    each_document_is_in_the_history_and_the_audit_log,
    a_settled_claim_takes_no_documents,
    ten_documents_at_most_however_many_arrive_at_once
);

async fn documents_of(app: &TestApp, reference: &str) -> u64 {
    let c = claim::Entity::find()
        .filter(claim::Column::Reference.eq(reference))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    document::Entity::find()
        .filter(document::Column::ClaimId.eq(c.id))
        .count(&app.db)
        .await
        .unwrap()
}

async fn audited(app: &TestApp, reference: &str, action: &str) -> u64 {
    audit_entry::Entity::find()
        .filter(audit_entry::Column::ClaimReference.eq(reference))
        .filter(audit_entry::Column::Action.eq(action))
        .count(&app.db)
        .await
        .unwrap()
}

/// A claim the region-1 intake officer has asked more information about.
async fn info_requested(app: &TestApp) -> (String, String) {
    let (reference, code) = file_in_region_1(app).await;
    let intake = staff_client(app, "intake1@nhso.test", &[g(Role::Intake, 1)]).await;
    act(
        app,
        &intake,
        &reference,
        &[("event", "request_info"), ("public_note", "โปรดส่งใบเสร็จ")],
    )
    .await;
    (reference, code)
}

async fn a_refused_reply_keeps_no_document(b: Backend) {
    let app = spawn_app(b).await;
    let (reference, code) = info_requested(&app).await;
    let claimant = app.claimant(&reference, &code).await;
    // An answer too long to take, with a good document: the step is refused, and so is
    // the document that came with it.
    let long = "ก".repeat(app::domain::petition::MAX_LONG_TEXT + 1);
    let back = claimant_post(&app, &claimant, &reference, "respond", &long, Some(PDF)).await;
    assert!(back.contains("?e=invalid"), "{back}");
    assert_eq!(documents_of(&app, &reference).await, 0, "nothing stored");
    assert_eq!(status_of(&app, &reference).await, "info_requested");
    // A file that is not a document refuses the answer too: nothing moves.
    let back = claimant_post(
        &app,
        &claimant,
        &reference,
        "respond",
        "แนบใบเสร็จแล้ว",
        Some(b"MZ\x90\x00 not a pdf"),
    )
    .await;
    assert!(back.contains("?e=documents"), "{back}");
    assert_eq!(documents_of(&app, &reference).await, 0);
    assert_eq!(status_of(&app, &reference).await, "info_requested");
    // An appeal before there is a decision is refused, with its document.
    let back = claimant_post(&app, &claimant, &reference, "appeal", "ไม่เห็นด้วย", Some(PDF)).await;
    assert!(back.contains("?e=state"), "{back}");
    assert_eq!(documents_of(&app, &reference).await, 0);
    app.cleanup().await;
}

async fn each_document_is_in_the_history_and_the_audit_log(b: Backend) {
    let app = spawn_app(b).await;
    let (reference, code) = info_requested(&app).await;
    let r = upload(&app, &reference, &code, "ใบเสร็จ.pdf", PDF.to_vec()).await;
    assert_eq!(r.status(), 201);
    let claimant = app.claimant(&reference, &code).await;
    let done = claimant_post(&app, &claimant, &reference, "respond", "ส่งแล้ว", Some(PDF)).await;
    assert!(done.ends_with("?done=screening"), "{done}");

    let v: Value = app.api_status(&reference, &code).await;
    let history: Vec<(&str, Option<&str>)> = v["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["status"].as_str().unwrap(), h["document"].as_str()))
        .collect();
    assert_eq!(
        history,
        vec![
            ("submitted", None),
            ("info_requested", None),
            ("info_requested", Some("ใบเสร็จ.pdf")),
            ("info_requested", Some("evidence.pdf")),
            ("screening", None),
        ]
    );
    assert_eq!(audited(&app, &reference, "document_added").await, 2);
    // The claimant's page and the staff timeline say so in words.
    let page = app.page(&claimant, &format!("/claim/{reference}")).await;
    assert!(
        page.contains("เพิ่มเอกสาร"),
        "the claimant sees the document added"
    );
    assert!(page.contains("ใบเสร็จ.pdf"));
    let n = audit_entry::Entity::find().count(&app.db).await.unwrap();
    assert_eq!(app::backend::audit::verify(&app.db).await.unwrap(), Ok(n));
    app.cleanup().await;
}

async fn a_settled_claim_takes_no_documents(b: Backend) {
    let app = spawn_app(b).await;
    let (reference, code) = file_in_region_1(&app).await;
    let intake = staff_client(&app, "intake1@nhso.test", &[g(Role::Intake, 1)]).await;
    act(
        &app,
        &intake,
        &reference,
        &[
            ("event", "reject_at_screening"),
            ("reason_code", "duplicate"),
            ("public_note", "ยื่นซ้ำกับคำร้องเดิม"),
            ("confirm", "yes"),
        ],
    )
    .await;
    // Turned down, it may still be appealed: evidence is still welcome.
    let r = upload(&app, &reference, &code, "appeal-evidence.pdf", PDF.to_vec()).await;
    assert_eq!(r.status(), 201);
    let officer = staff_client(&app, "officer1@nhso.test", &[g(Role::RegionalOfficer, 1)]).await;
    act(&app, &officer, &reference, &[("event", "close")]).await;
    assert_eq!(status_of(&app, &reference).await, "closed");
    let r = upload(&app, &reference, &code, "late.pdf", PDF.to_vec()).await;
    assert_eq!(r.status(), 403);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"], "refused");
    assert_eq!(
        documents_of(&app, &reference).await,
        1,
        "nothing more stored"
    );
    assert_eq!(
        audited(&app, &reference, "action_refused").await,
        1,
        "the attempt is audited"
    );
    app.cleanup().await;
}

async fn ten_documents_at_most_however_many_arrive_at_once(b: Backend) {
    let app = spawn_app(b).await;
    let (reference, code) = file_in_region_1(&app).await;
    for i in 0..6 {
        let r = upload(
            &app,
            &reference,
            &code,
            &format!("scan-{i}.pdf"),
            PDF.to_vec(),
        )
        .await;
        assert_eq!(r.status(), 201);
    }
    // Ten at once for the last four places (ten: a client's code checks in flight at most).
    let tries = (6..16).map(|i| {
        let (app, reference, code) = (&app, &reference, &code);
        async move {
            upload(app, reference, code, &format!("scan-{i}.pdf"), PDF.to_vec())
                .await
                .status()
                .as_u16()
        }
    });
    let mut answers = futures::future::join_all(tries).await;
    answers.sort();
    assert_eq!(answers, [vec![201; 4], vec![409; 6]].concat());
    assert_eq!(documents_of(&app, &reference).await, 10);
    app.cleanup().await;
}
