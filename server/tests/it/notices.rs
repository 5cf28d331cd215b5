//! The appeal window runs from the day the claimant received the decision, and that day is
//! recorded with its proof: the claimant opening the decision on their status page, or a
//! delivery the region's staff record with its evidence. The first receipt stands.

use crate::actions::{complete_checklist, post_with_csrf};
use crate::common::{set_path, spawn_app, valid_petition, Backend, TestApp};
use crate::on_both;
use crate::staff::staff_client;
use app::backend::entities::{audit_entry, claim};
use app::domain::access::{Grant, Role};
use app::domain::Region;
use chrono::Duration;
use sea_orm::prelude::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{json, Value};

on_both!(
    staff_record_a_delivery_with_its_evidence,
    opening_the_decision_starts_the_window_and_a_late_appeal_is_refused,
    a_decision_without_proof_of_receipt_is_flagged_and_mailed_to_the_office
);

fn g(role: Role, region: u8) -> Grant {
    Grant::new(role, Region::new(region)).unwrap()
}

async fn claim_row(app: &TestApp, reference: &str) -> claim::Model {
    claim::Entity::find()
        .filter(claim::Column::Reference.eq(reference))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

/// Files a claim in region 1 and takes it to a committee decision (`approve` or `decline`).
async fn decided(app: &TestApp, event: &str) -> (String, String) {
    let mut body = valid_petition();
    set_path(&mut body, "patient.email", json!("claimant@example.org"));
    let v: Value = app.post_claim(&body).await.json().await.unwrap();
    let (reference, code) = (
        v["reference"].as_str().unwrap().to_string(),
        v["access_code"].as_str().unwrap().to_string(),
    );
    let intake = staff_client(
        app,
        &format!("intake-{reference}@nhso.test"),
        &[g(Role::Intake, 1)],
    )
    .await;
    post_with_csrf(
        app,
        &intake,
        &reference,
        "act",
        &[("event", "start_screening")],
    )
    .await;
    complete_checklist(app, &intake, &reference).await;
    assert!(
        post_with_csrf(app, &intake, &reference, "act", &[("event", "refer")])
            .await
            .ends_with("?done=referred")
    );
    let reviewer = staff_client(
        app,
        &format!("reviewer-{reference}@nhso.test"),
        &[g(Role::Reviewer, 1)],
    )
    .await;
    let fields: &[(&str, &str)] = if event == "approve" {
        &[
            ("event", "approve"),
            ("category", "2"),
            ("amount", "150000"),
        ]
    } else {
        &[
            ("event", "decline"),
            ("reason_code", "natural_course_of_disease"),
            ("public_note", "เป็นการดำเนินไปของโรค"),
            ("confirm", "yes"),
        ]
    };
    if event == "decline" {
        // Declining cannot be taken back: the form asks for a ticked box, shown in red, and
        // without it the server refuses and changes nothing.
        let page = app
            .page(&reviewer, &format!("/staff/claims/{reference}"))
            .await;
        assert!(page.contains("name=\"confirm\" value=\"yes\""), "{page}");
        assert!(page.contains("button button-warning"), "{page}");
        let before = claim_row(app, &reference).await.status;
        let r = post_with_csrf(app, &reviewer, &reference, "act", &fields[..3]).await;
        assert!(r.contains("e=invalid&f=confirm"), "{r}");
        assert_eq!(claim_row(app, &reference).await.status, before);
    }
    let r = post_with_csrf(app, &reviewer, &reference, "act", fields).await;
    assert!(r.contains("?done="), "{r}");
    (reference, code)
}

async fn record(
    app: &TestApp,
    client: &reqwest::Client,
    reference: &str,
    method: &str,
    on: &str,
    evidence: &str,
) -> String {
    post_with_csrf(
        app,
        client,
        reference,
        "notice",
        &[
            ("notice_method", method),
            ("notice_received_on", on),
            ("notice_evidence", evidence),
        ],
    )
    .await
}

async fn staff_record_a_delivery_with_its_evidence(b: Backend) {
    let app = spawn_app(b).await;
    let (reference, code) = decided(&app, "decline").await;
    let today = app::backend::calendar::today_in_bangkok();
    let officer = staff_client(&app, "officer1@nhso.test", &[g(Role::RegionalOfficer, 1)]).await;
    let page = app
        .page(&officer, &format!("/staff/claims/{reference}"))
        .await;
    assert!(
        page.contains("id=\"notice-pending\"") && page.contains("id=\"record-notice\""),
        "no proof of receipt yet, and the officer may record one"
    );
    // Reviewers decide; they do not record deliveries, and another region's officer cannot either.
    let reviewer = staff_client(&app, "reviewer1@nhso.test", &[g(Role::Reviewer, 1)]).await;
    let page = app
        .page(&reviewer, &format!("/staff/claims/{reference}"))
        .await;
    assert!(page.contains("id=\"notice-pending\"") && !page.contains("id=\"record-notice\""));
    assert!(record(
        &app,
        &reviewer,
        &reference,
        "registered_mail",
        &today.to_string(),
        "EF123456789TH"
    )
    .await
    .contains("e=role"));
    // Bad input names the field and changes nothing.
    let r = record(
        &app,
        &officer,
        &reference,
        "registered_mail",
        &(today - Duration::days(1)).to_string(),
        "EF123456789TH",
    )
    .await;
    assert!(
        r.contains("e=invalid&f=notice_received_on") && r.contains("before_decision"),
        "not before the decision: {r}"
    );
    let page = app.page(&officer, &r).await;
    assert!(
        page.contains("ต้องไม่ก่อนวันที่มีมติ"),
        "the message says what is wrong, in Thai first"
    );
    assert!(
        page.contains("href=\"#notice-notice_received_on\"")
            && page.contains("id=\"notice-notice_received_on-error\"")
            && page.contains(
                "aria-describedby=\"notice-received-on-hint notice-notice_received_on-error\""
            ),
        "the error sits by the date field and the summary links to it"
    );
    let r = record(
        &app,
        &officer,
        &reference,
        "registered_mail",
        &(today + Duration::days(1)).to_string(),
        "EF123456789TH",
    )
    .await;
    assert!(
        r.contains("e=invalid&f=notice_received_on") && r.contains("date_in_future"),
        "{r}"
    );
    let r = record(
        &app,
        &officer,
        &reference,
        "registered_mail",
        &today.to_string(),
        " ",
    )
    .await;
    assert!(
        r.contains("e=invalid&f=notice_evidence"),
        "the evidence is required: {r}"
    );
    let r = record(
        &app,
        &officer,
        &reference,
        "status_page",
        &today.to_string(),
        "x",
    )
    .await;
    assert!(
        r.contains("e=invalid&f=notice_method"),
        "staff cannot claim the claimant saw it: {r}"
    );
    assert_eq!(
        claim_row(&app, &reference).await.notified_on,
        None,
        "refusals change nothing"
    );
    // A real delivery is recorded with its evidence, shown to staff, and starts the window.
    assert!(record(
        &app,
        &officer,
        &reference,
        "registered_mail",
        &today.to_string(),
        "EF123456789TH"
    )
    .await
    .ends_with("?notice=1"));
    let row = claim_row(&app, &reference).await;
    assert_eq!(
        (row.notified_on, row.notified_how.as_deref()),
        (Some(today), Some("registered_mail"))
    );
    let page = app
        .page(&officer, &format!("/staff/claims/{reference}"))
        .await;
    assert!(
        page.contains("id=\"notice-received\"")
            && page.contains("id=\"notice-appeal-by\"")
            && !page.contains("id=\"record-notice\"")
    );
    assert!(
        page.contains("หลักฐาน: EF123456789TH"),
        "the evidence is in the case's internal notes, in Thai first"
    );
    // The first receipt stands: a second recording, or the claimant opening the page later, does not move it.
    let r = record(
        &app,
        &officer,
        &reference,
        "registered_mail",
        &today.to_string(),
        "EF123456789TH",
    )
    .await;
    assert!(r.contains("e=stale"), "{r}");
    let claimant = app.claimant(&reference, &code).await;
    let status = app.page(&claimant, &format!("/claim/{reference}")).await;
    assert!(status.contains("id=\"appeal-by\"") && status.contains("id=\"notified-on\""));
    assert_eq!(
        claim_row(&app, &reference).await.notified_how.as_deref(),
        Some("registered_mail")
    );
    let v: Value = app.api_status(&reference, &code).await;
    assert_eq!(v["decision_received_on"], json!(today.to_string()));
    assert!(v["appeal_by"]
        .as_str()
        .is_some_and(|d| d > today.to_string().as_str()));
    let recorded = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("notice_received"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(recorded, 1);
    let n = audit_entry::Entity::find().count(&app.db).await.unwrap();
    assert_eq!(app::backend::audit::verify(&app.db).await.unwrap(), Ok(n));
    app.cleanup().await;
}

async fn opening_the_decision_starts_the_window_and_a_late_appeal_is_refused(b: Backend) {
    let app = spawn_app(b).await;
    let (reference, code) = decided(&app, "approve").await;
    let today = app::backend::calendar::today_in_bangkok();
    // Staff opening the case do not count as the claimant receiving it.
    let officer = staff_client(&app, "officer1@nhso.test", &[g(Role::RegionalOfficer, 1)]).await;
    officer
        .get(app.url(&format!("/staff/claims/{reference}")))
        .send()
        .await
        .unwrap();
    let v: Value = app.api_status(&reference, &code).await;
    assert_eq!(
        (v["decision_received_on"].clone(), v["appeal_by"].clone()),
        (Value::Null, Value::Null),
        "nor does the API"
    );
    // The claimant opens their status page: today they received it.
    let claimant = app.claimant(&reference, &code).await;
    let page = app.page(&claimant, &format!("/claim/{reference}")).await;
    assert!(page.contains("id=\"appeal-by\"") && page.contains("id=\"notified-on\""));
    let row = claim_row(&app, &reference).await;
    assert_eq!(
        (row.notified_on, row.notified_how.as_deref()),
        (Some(today), Some("status_page"))
    );
    let staff_page = app
        .page(&officer, &format!("/staff/claims/{reference}"))
        .await;
    assert!(
        staff_page.contains("id=\"notice-received\"")
            && !staff_page.contains("id=\"record-notice\""),
        "staff see the receipt; nothing left to record"
    );
    // Forty days on, the window has closed: the appeal is refused with the last day, and nothing moves.
    let backdate = |days: i64| {
        claim::Entity::update_many()
            .col_expr(
                claim::Column::NotifiedOn,
                Expr::value(Some(today - Duration::days(days))),
            )
            .filter(claim::Column::Reference.eq(reference.clone()))
            .exec(&app.db)
    };
    backdate(40).await.unwrap();
    let appeal = || reqwest::multipart::Form::new().text("text", "จำนวนเงินไม่พอค่ารักษาต่อเนื่อง");
    let r = claimant
        .post(app.url(&format!("/claim/{reference}/appeal")))
        .multipart(appeal())
        .send()
        .await
        .unwrap();
    let to = r.headers()["location"].to_str().unwrap().to_string();
    assert!(
        to.contains("e=invalid") && to.contains("appeal_window_closed"),
        "{to}"
    );
    let page = app.page(&claimant, &to).await;
    assert!(
        page.contains("เลยกำหนดอุทธรณ์แล้ว"),
        "the claimant is told the time has passed, in Thai"
    );
    assert_eq!(claim_row(&app, &reference).await.status.as_str(), "approved");
    // Received five days ago: still in time.
    backdate(5).await.unwrap();
    let r = claimant
        .post(app.url(&format!("/claim/{reference}/appeal")))
        .multipart(appeal())
        .send()
        .await
        .unwrap();
    assert!(r.headers()["location"]
        .to_str()
        .unwrap()
        .ends_with("?done=appealed"));
    let entries = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("notice_received"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(entries.len(), 1, "the receipt is in the audit log once");
    assert_eq!(
        (entries[0].actor.as_str(), entries[0].client.as_str()),
        ("claimant", "127.0.0.1")
    );
    app.cleanup().await;
}

/// Two weeks after a decision with no proof that the claimant received it, the office sees
/// it flagged (queue filter and tag, case page) and in its daily list, until a receipt is in.
async fn a_decision_without_proof_of_receipt_is_flagged_and_mailed_to_the_office(b: Backend) {
    use app::backend::entities::outbox;
    use app::backend::offices;
    let app = spawn_app(b).await;
    let (late, _) = decided(&app, "decline").await;
    let (recent, _) = decided(&app, "approve").await;
    let today = app::backend::calendar::today_in_bangkok();
    // Decided 16 days ago (the default target is 15) and 3 days ago; neither received yet.
    for (reference, days) in [(&late, 16), (&recent, 3)] {
        claim::Entity::update_many()
            .col_expr(
                claim::Column::DecidedOn,
                Expr::value(Some(today - Duration::days(days))),
            )
            .filter(claim::Column::Reference.eq(reference.clone()))
            .exec(&app.db)
            .await
            .unwrap();
    }
    let officer = staff_client(&app, "officer1@nhso.test", &[g(Role::RegionalOfficer, 1)]).await;
    let flagged = app.page(&officer, "/staff?due=unreceived").await;
    assert!(
        flagged.contains(&format!("data-reference=\"{late}\""))
            && !flagged.contains(&format!("data-reference=\"{recent}\"")),
        "only the decision past the target is listed"
    );
    let due = today - Duration::days(1);
    assert!(
        flagged.contains(&format!("data-receipt-by=\"{due}\"")),
        "the row says proof was due yesterday"
    );
    let case = app.page(&officer, &format!("/staff/claims/{late}")).await;
    assert!(
        case.contains(&format!("data-receipt-by=\"{due}\""))
            && case.contains("id=\"notice-pending\"")
    );
    let case = app.page(&officer, &format!("/staff/claims/{recent}")).await;
    assert!(!case.contains("data-receipt-by"), "not yet due: no flag");

    // The office's daily list names it, with no personal details.
    offices::set_contact(&app.db, Region::new(1).unwrap(), "region1@nhso.test")
        .await
        .unwrap();
    offices::send_overdue_digests(&app.db, today).await.unwrap();
    let mail = outbox::Entity::find()
        .filter(outbox::Column::ToAddress.eq("region1@nhso.test"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("region 1 gets its list");
    assert!(mail.subject.contains("1 unreceived"), "{}", mail.subject);
    assert!(mail.body.contains(&late) && !mail.body.contains(&recent));
    assert!(mail.body.contains("/staff?due=unreceived"));
    assert!(!mail.body.contains("สมชาย"), "no names in the list");

    // A return receipt clears it.
    let r = record(
        &app,
        &officer,
        &late,
        "registered_mail",
        &(today - Duration::days(2)).to_string(),
        "EB000000001TH",
    )
    .await;
    assert!(r.contains("notice=1"), "{r}");
    let flagged = app.page(&officer, "/staff?due=unreceived").await;
    assert!(!flagged.contains(&format!("data-reference=\"{late}\"")));
    app.cleanup().await;
}
