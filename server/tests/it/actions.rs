//! Staff actions through the case page's forms: screening, referral and a committee
//! decision; and refusals (amount outside the range, wrong state, wrong role, wrong region)
//! that change nothing but the audit log.

use crate::common::{set_path, spawn_app, valid_petition, Backend, TestApp};
use crate::on_both;
use crate::staff::staff_client;
use app::backend::entities::{audit_entry, claim};
use app::domain::access::{Grant, Role};
use app::domain::Region;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{json, Value};

on_both!(
    screening_referral_and_a_decision,
    refused_actions_leave_only_an_audit_entry,
    the_claimant_answers_a_request_and_appeals,
    notes_stay_internal_and_rerouting_moves_the_case
);

pub fn g(role: Role, region: u8) -> Grant {
    Grant::new(role, Region::new(region)).unwrap()
}

/// Posts an action from the case page with the session's CSRF token; returns the redirect.
pub async fn act(
    app: &TestApp,
    client: &reqwest::Client,
    reference: &str,
    fields: &[(&str, &str)],
) -> String {
    post_with_csrf(app, client, reference, "act", fields).await
}

pub async fn status_of(app: &TestApp, reference: &str) -> String {
    claim::Entity::find()
        .filter(claim::Column::Reference.eq(reference))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .status
        .as_str()
        .to_string()
}

pub async fn file_in_region_1(app: &TestApp) -> (String, String) {
    let mut body = valid_petition();
    set_path(&mut body, "patient.email", json!("claimant@example.org"));
    let v: Value = app.post_claim(&body).await.json().await.unwrap();
    (
        v["reference"].as_str().unwrap().to_string(),
        v["access_code"].as_str().unwrap().to_string(),
    )
}

async fn screening_referral_and_a_decision(b: Backend) {
    let app = spawn_app(b).await;
    let (reference, code) = file_in_region_1(&app).await;
    let intake = staff_client(&app, "intake1@nhso.test", &[g(Role::Intake, 1)]).await;
    let case = app
        .page(&intake, &format!("/staff/claims/{reference}"))
        .await;
    assert!(
        case.contains("data-event=\"start_screening\"") && !case.contains("data-event=\"approve\""),
        "intake is offered screening, not decisions; the page was:\n{case}"
    );
    assert!(
        case.contains(&format!("<title>คำร้อง {reference} – ")),
        "the browser tab names the case"
    );
    assert!(
        act(&app, &intake, &reference, &[("event", "start_screening")])
            .await
            .ends_with("?done=screening")
    );
    // A request for information needs a message for the claimant.
    let r = act(&app, &intake, &reference, &[("event", "request_info")]).await;
    assert!(r.contains("e=invalid&f=public_note"), "{r}");
    // Nothing goes to the committee before the checklist is complete and the right verified.
    let r = act(&app, &intake, &reference, &[("event", "refer")]).await;
    assert!(r.contains("e=invalid&f=checklist"), "{r}");
    let partial: Vec<(&str, &str)> = SIX_AND_ID.iter().map(|k| ("items", *k)).collect();
    assert!(
        post_with_csrf(&app, &intake, &reference, "checklist", &partial)
            .await
            .ends_with("?checked=1")
    );
    let r = act(&app, &intake, &reference, &[("event", "refer")]).await;
    assert!(r.contains("e=invalid&f=uc_right"), "{r}");
    let r = post_with_csrf(
        &app,
        &intake,
        &reference,
        "checklist",
        &[("uc_right", "verified")],
    )
    .await;
    assert!(
        r.contains("e=invalid&f=uc_method"),
        "how the right was checked is recorded: {r}"
    );
    assert_eq!(status_of(&app, &reference).await, "screening");
    complete_checklist(&app, &intake, &reference).await;
    let case = app
        .page(&intake, &format!("/staff/claims/{reference}"))
        .await;
    assert!(
        case.contains("id=\"checklist-by\"") && case.contains("intake1@nhso.test"),
        "who checked is shown"
    );
    assert!(
        case.contains(" น.</") && !case.contains(" UTC"),
        "times are on Bangkok clocks, as the office reads them"
    );
    assert!(
        case.contains("ผู้ได้รับความเสียหายยื่นเอง"),
        "who filed is said in words, not as a code"
    );
    assert!(act(&app, &intake, &reference, &[("event", "refer")])
        .await
        .ends_with("?done=referred"));
    let reviewer = staff_client(&app, "reviewer1@nhso.test", &[g(Role::Reviewer, 1)]).await;
    let case = app
        .page(&reviewer, &format!("/staff/claims/{reference}"))
        .await;
    assert!(
        case.contains("ยืนยันแล้ว เป็นผู้มีสิทธิ") && !case.contains("id=\"save-checklist\""),
        "the committee sees the checklist, read-only"
    );
    let done = act(
        &app,
        &reviewer,
        &reference,
        &[
            ("event", "approve"),
            ("category", "2"),
            ("amount", "150,000"),
        ],
    )
    .await;
    assert!(done.ends_with("?done=approved"), "{done}");
    let c = claim::Entity::find()
        .filter(claim::Column::Reference.eq(reference.clone()))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (c.status.as_str(), c.decision_category, c.decision_amount),
        ("approved", Some(2), Some(150_000))
    );
    let case = app
        .page(&reviewer, &format!("/staff/claims/{reference}"))
        .await;
    assert!(case.contains("150,000"), "amounts are grouped in thousands");
    // The claimant sees it, in plain words, with the whole history.
    let v: Value = app.api_status(&reference, &code).await;
    assert_eq!(v["status"], "approved");
    let history: Vec<&str> = v["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        history,
        vec!["submitted", "screening", "referred", "approved"]
    );
    // The decision was mailed (without health details) and the audit chain holds.
    let outbox = app::backend::entities::outbox::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    assert!(outbox.iter().any(|m| m.subject.contains(&reference)
        && m.body.contains("อนุมัติ")
        && !m.body.contains("แพ้ยา")));
    // Read away from the site, the mail names the status page's whole address.
    let news: Vec<_> = outbox.iter().filter(|m| m.subject.contains("มีความคืบหน้า")).collect();
    assert!(!news.is_empty());
    for m in news {
        assert!(m.body.contains("ที่ http://127.0.0.1:0/check ด้วย"), "{}", m.body);
    }
    let n = audit_entry::Entity::find().count(&app.db).await.unwrap();
    assert_eq!(app::backend::audit::verify(&app.db).await.unwrap(), Ok(n));
    app.cleanup().await;
}

async fn refused_actions_leave_only_an_audit_entry(b: Backend) {
    let app = spawn_app(b).await;
    let (reference, _) = file_in_region_1(&app).await;
    let reviewer = staff_client(&app, "reviewer1@nhso.test", &[g(Role::Reviewer, 1)]).await;
    let intake = staff_client(&app, "intake1@nhso.test", &[g(Role::Intake, 1)]).await;
    let other_region = staff_client(&app, "reviewer2@nhso.test", &[g(Role::Reviewer, 2)]).await;
    let events_before = app::backend::entities::claim_event::Entity::find()
        .count(&app.db)
        .await
        .unwrap();
    let refusals = || async {
        audit_entry::Entity::find()
            .filter(audit_entry::Column::Action.eq("action_refused"))
            .count(&app.db)
            .await
            .unwrap()
    };

    // Wrong state: a decision on a claim nobody has referred.
    let intake_case = intake
        .get(app.url(&format!("/staff/claims/{reference}")))
        .send()
        .await
        .unwrap();
    assert_eq!(intake_case.status(), 200);
    complete_checklist(&app, &intake, &reference).await;
    assert!(act(&app, &intake, &reference, &[("event", "refer")])
        .await
        .ends_with("?done=referred"));
    let events_after_refer = app::backend::entities::claim_event::Entity::find()
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(events_after_refer, events_before + 1);

    // Wrong role: intake may not decide.
    let r = act(
        &app,
        &intake,
        &reference,
        &[
            ("event", "approve"),
            ("category", "2"),
            ("amount", "150000"),
        ],
    )
    .await;
    assert!(r.ends_with("?e=role"), "{r}");
    // Amount outside the category's range in force (category 2: 100,000–240,000).
    let r = act(
        &app,
        &reviewer,
        &reference,
        &[
            ("event", "approve"),
            ("category", "2"),
            ("amount", "250000"),
        ],
    )
    .await;
    assert!(r.contains("e=invalid&f=amount"), "{r}");
    let page = app.page(&reviewer, &r).await;
    assert!(
        page.contains("100000") && page.contains("240000"),
        "the message names the range"
    );
    // GOV.UK pattern: the summary links to the field, which carries the message beside it.
    assert!(page.contains("href=\"#approve-amount\""), "{page}");
    let field = &page[page
        .find("id=\"approve-amount-error\"")
        .expect("message by the field")..];
    assert!(field[..field.find("</p>").unwrap()].contains("240000"));
    assert!(page.contains("aria-describedby=\"approve-amount-error\""));
    assert!(page.contains("aria-invalid=\"true\""));
    // Wrong state: paying a claim that is only referred.
    let r = act(&app, &reviewer, &reference, &[("event", "record_payment")]).await;
    assert!(
        r.contains("?e=state&s=referred") || r.ends_with("?e=role"),
        "{r}"
    );
    // Wrong region: a region-2 reviewer cannot even see it; a forged post is refused too.
    assert_eq!(
        other_region
            .get(app.url(&format!("/staff/claims/{reference}")))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let page = app
        .page(&reviewer, &format!("/staff/claims/{reference}"))
        .await;
    let marker = "name=\"csrf\" value=\"";
    assert!(page.contains(marker));
    let forged = other_region
        .post(app.url(&format!("/staff/claims/{reference}/act")))
        .form(&[
            ("csrf", "not-theirs"),
            ("event", "approve"),
            ("category", "2"),
            ("amount", "150000"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        forged.status(),
        403,
        "a token from another session is refused"
    );
    // With their own valid token, the attempt is refused as if the case did not exist.
    let own = app.page(&other_region, "/staff").await;
    let at = own.find(marker).unwrap() + marker.len();
    let csrf = own[at..at + own[at..].find('"').unwrap()].to_string();
    let attempt = other_region
        .post(app.url(&format!("/staff/claims/{reference}/act")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("event", "approve"),
            ("category", "2"),
            ("amount", "150000"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(attempt.status(), 404);

    // Nothing changed but the audit log.
    assert_eq!(status_of(&app, &reference).await, "referred");
    assert_eq!(
        app::backend::entities::claim_event::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        events_after_refer
    );
    assert_eq!(
        refusals().await,
        4,
        "wrong role, amount, state and region were each recorded"
    );
    let n = audit_entry::Entity::find().count(&app.db).await.unwrap();
    assert_eq!(app::backend::audit::verify(&app.db).await.unwrap(), Ok(n));
    app.cleanup().await;
}

pub async fn claimant_post(
    app: &TestApp,
    claimant: &reqwest::Client,
    reference: &str,
    what: &str,
    text: &str,
    file: Option<&[u8]>,
) -> String {
    let mut form = reqwest::multipart::Form::new().text("text", text.to_string());
    if let Some(bytes) = file {
        form = form.part(
            "file",
            reqwest::multipart::Part::bytes(bytes.to_vec()).file_name("evidence.pdf"),
        );
    }
    let r = claimant
        .post(app.url(&format!("/claim/{reference}/{what}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    r.headers()["location"].to_str().unwrap().to_string()
}

async fn the_claimant_answers_a_request_and_appeals(b: Backend) {
    let app = spawn_app(b).await;
    let (reference, code) = file_in_region_1(&app).await;
    let intake = staff_client(&app, "intake1@nhso.test", &[g(Role::Intake, 1)]).await;
    act(
        &app,
        &intake,
        &reference,
        &[
            ("event", "request_info"),
            ("public_note", "โปรดส่งสำเนาเวชระเบียน"),
        ],
    )
    .await;
    let claimant = app.claimant(&reference, &code).await;
    let page = app.page(&claimant, &format!("/claim/{reference}")).await;
    assert!(
        page.contains("โปรดส่งสำเนาเวชระเบียน"),
        "the request is on the status page"
    );
    // An empty answer moves nothing; a real one (with a document) sends the case back to screening.
    assert!(
        claimant_post(&app, &claimant, &reference, "respond", " ", None)
            .await
            .ends_with("?e=answer")
    );
    assert_eq!(status_of(&app, &reference).await, "info_requested");
    let done = claimant_post(
        &app,
        &claimant,
        &reference,
        "respond",
        "แนบเวชระเบียนแล้ว",
        Some(crate::api_documents::PDF),
    )
    .await;
    assert!(done.ends_with("?done=screening"), "{done}");
    // Another person's session cannot answer for this claim.
    let stranger = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = stranger
        .post(app.url(&format!("/claim/{reference}/appeal")))
        .multipart(reqwest::multipart::Form::new().text("text", "x"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    complete_checklist(&app, &intake, &reference).await;
    act(&app, &intake, &reference, &[("event", "refer")]).await;
    let reviewer = staff_client(&app, "reviewer1@nhso.test", &[g(Role::Reviewer, 1)]).await;
    act(
        &app,
        &reviewer,
        &reference,
        &[
            ("event", "approve"),
            ("category", "2"),
            ("amount", "150000"),
        ],
    )
    .await;
    let page = app.page(&claimant, &format!("/claim/{reference}")).await;
    assert!(page.contains("150,000"), "the claimant sees the amount");
    assert!(
        page.contains("id=\"appeal-by\""),
        "and the last day to appeal"
    );
    let done = claimant_post(
        &app,
        &claimant,
        &reference,
        "appeal",
        "จำนวนเงินไม่พอค่ารักษาต่อเนื่อง",
        None,
    )
    .await;
    assert!(done.ends_with("?done=appealed"), "{done}");
    let v: Value = app.api_status(&reference, &code).await;
    let history: Vec<&str> = v["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["document"].is_null())
        .map(|h| h["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        history,
        vec![
            "submitted",
            "info_requested",
            "screening",
            "referred",
            "approved",
            "appealed"
        ]
    );
    assert_eq!(
        v["documents"].as_array().unwrap().len(),
        1,
        "the answer's document is on the claim"
    );
    // The board changes the amount; the region orders and records the payment.
    let board = staff_client(
        &app,
        "board@nhso.test",
        &[Grant::new(Role::AppealBoard, None).unwrap()],
    )
    .await;
    let r = act(
        &app,
        &board,
        &reference,
        &[
            ("event", "decide_appeal"),
            ("outcome", "changed"),
            ("category", "2"),
            ("amount", "200000"),
            ("public_note", "เพิ่มค่ารักษาต่อเนื่อง"),
        ],
    )
    .await;
    assert!(r.ends_with("?done=appeal_decided"), "{r}");
    let officer = staff_client(&app, "officer1@nhso.test", &[g(Role::RegionalOfficer, 1)]).await;
    assert!(
        act(&app, &officer, &reference, &[("event", "order_payment")])
            .await
            .ends_with("?done=payment_ordered")
    );
    let today = app::backend::calendar::today_in_bangkok()
        .format("%Y-%m-%d")
        .to_string();
    let wrong = act(
        &app,
        &officer,
        &reference,
        &[
            ("event", "record_payment"),
            ("amount", "150000"),
            ("paid_on", &today),
            ("payment_reference", "KTB-001"),
        ],
    )
    .await;
    assert!(
        wrong.contains("e=invalid&f=amount"),
        "the amount paid must be the amount decided: {wrong}"
    );
    let paid = act(
        &app,
        &officer,
        &reference,
        &[
            ("event", "record_payment"),
            ("amount", "200000"),
            ("paid_on", &today),
            ("payment_reference", "KTB-001"),
        ],
    )
    .await;
    assert!(paid.ends_with("?done=paid"), "{paid}");
    let page = app.page(&claimant, &format!("/claim/{reference}")).await;
    assert!(
        page.contains("data-status=\"paid\"")
            && page.contains("id=\"paid\"")
            && page.contains("200,000")
    );
    let n = audit_entry::Entity::find().count(&app.db).await.unwrap();
    assert_eq!(app::backend::audit::verify(&app.db).await.unwrap(), Ok(n));
    app.cleanup().await;
}

/// The six required items and the ID copy (a claimant filing for themselves needs no power of attorney).
const SIX_AND_ID: [&str; 7] = [
    "patient_name",
    "damage",
    "service_unit",
    "dates",
    "contact",
    "burden",
    "id_document",
];

/// Ticks the whole screening checklist and records the UC right as verified.
pub async fn complete_checklist(app: &TestApp, client: &reqwest::Client, reference: &str) {
    let mut fields: Vec<(&str, &str)> = SIX_AND_ID.iter().map(|k| ("items", *k)).collect();
    fields.extend([
        ("uc_right", "verified"),
        ("uc_method", "ระบบตรวจสอบสิทธิ สปสช."),
    ]);
    let r = post_with_csrf(app, client, reference, "checklist", &fields).await;
    assert!(r.ends_with("?checked=1"), "{r}");
}

pub async fn post_with_csrf(
    app: &TestApp,
    client: &reqwest::Client,
    reference: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> String {
    let page = app
        .page(&client, &format!("/staff/claims/{reference}"))
        .await;
    let csrf = crate::common::csrf_of(&page);
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    let r = client
        .post(app.url(&format!("/staff/claims/{reference}/{path}")))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    r.headers()["location"].to_str().unwrap().to_string()
}

async fn notes_stay_internal_and_rerouting_moves_the_case(b: Backend) {
    let app = spawn_app(b).await;
    let (reference, code) = file_in_region_1(&app).await;
    let officer1 = staff_client(&app, "officer1@nhso.test", &[g(Role::RegionalOfficer, 1)]).await;
    let officer3 = staff_client(&app, "officer3@nhso.test", &[g(Role::RegionalOfficer, 3)]).await;
    assert!(post_with_csrf(
        &app,
        &officer1,
        &reference,
        "note",
        &[("internal_note", "โทรยืนยันกับญาติแล้ว")]
    )
    .await
    .ends_with("?noted=1"));
    let case = app
        .page(&officer1, &format!("/staff/claims/{reference}"))
        .await;
    assert!(case.contains("โทรยืนยันกับญาติแล้ว"), "staff see the note");
    let v: Value = app.api_status(&reference, &code).await;
    assert!(
        !v.to_string().contains("โทรยืนยันกับญาติแล้ว"),
        "the claimant never does"
    );
    assert_eq!(v["history"].as_array().unwrap().len(), 1);
    // A reason is needed; then the case moves to region 3 with its history.
    assert!(
        post_with_csrf(&app, &officer1, &reference, "reroute", &[("region", "3")])
            .await
            .contains("e=invalid&f=internal_note")
    );
    let moved = post_with_csrf(
        &app,
        &officer1,
        &reference,
        "reroute",
        &[
            ("region", "3"),
            ("internal_note", "หน่วยบริการตั้งอยู่ในนครสวรรค์"),
        ],
    )
    .await;
    assert_eq!(moved, "/staff?moved=3");
    assert_eq!(
        officer1
            .get(app.url(&format!("/staff/claims/{reference}")))
            .send()
            .await
            .unwrap()
            .status(),
        404,
        "region 1 no longer sees it"
    );
    let case = app
        .page(&officer3, &format!("/staff/claims/{reference}"))
        .await;
    assert!(
        case.contains("โทรยืนยันกับญาติแล้ว") && case.contains("หน่วยบริการตั้งอยู่ในนครสวรรค์"),
        "notes and the reason travel with it"
    );
    let v: Value = app.api_status(&reference, &code).await;
    assert_eq!(v["region"], 3);
    assert!(
        v["history"][1]["note"].as_str().unwrap().contains("เขต 3"),
        "the claimant sees the move: {v}"
    );
    assert!(
        !v.to_string().contains("หน่วยบริการตั้งอยู่ในนครสวรรค์"),
        "but not the internal reason"
    );
    let n = audit_entry::Entity::find().count(&app.db).await.unwrap();
    assert_eq!(app::backend::audit::verify(&app.db).await.unwrap(), Ok(n));
    app.cleanup().await;
}
