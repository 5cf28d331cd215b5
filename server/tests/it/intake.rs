//! Staff filing on someone's behalf (channel, received date, a written reason to accept a
//! late petition), and the deadlines every case carries: set on filing, stopped while the
//! claimant is asked for information, flagged and filtered in the queue.

use crate::actions::{complete_checklist, post_with_csrf};
use crate::common::csrf_of;
use crate::common::{spawn_app, valid_petition, Backend, TestApp};
use crate::on_both;
use crate::staff::staff_client;
use app::backend::calendar::today_in_bangkok;
use app::backend::entities::{audit_entry, claim};
use app::domain::access::{Grant, Role};
use app::domain::Region;
use chrono::{Datelike, Duration, NaiveDate};
use sea_orm::prelude::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;

on_both!(
    staff_file_a_posted_late_petition_with_a_reason,
    deadlines_pause_for_information_and_show_in_the_queue
);

fn g(role: Role, region: u8) -> Grant {
    Grant::new(role, Region::new(region)).unwrap()
}

fn date_boxes(prefix: &str, d: NaiveDate) -> Vec<(String, String)> {
    vec![
        (format!("{prefix}.day"), d.day().to_string()),
        (format!("{prefix}.month"), d.month().to_string()),
        (format!("{prefix}.year"), (d.year() + 543).to_string()),
    ]
}

async fn post(
    client: &reqwest::Client,
    app: &TestApp,
    path: &str,
    fields: &[(String, String)],
) -> String {
    let r = client
        .post(app.url(path))
        .form(fields)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "{path}");
    r.headers()["location"].to_str().unwrap().to_string()
}

async fn due_of(app: &TestApp, reference: &str) -> Option<NaiveDate> {
    claim::Entity::find()
        .filter(claim::Column::Reference.eq(reference))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .due_on
}

fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

async fn staff_file_a_posted_late_petition_with_a_reason(b: Backend) {
    let app = spawn_app(b).await;
    let intake = staff_client(&app, "intake9@nhso.test", &[g(Role::Intake, 9)]).await;
    let page = intake
        .get(app.url("/staff/file"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_of(&page);
    // The intake page wants a channel and a received date that is not in the future.
    let tomorrow = today_in_bangkok() + Duration::days(1);
    let mut fields = owned(&[("csrf", &csrf)]);
    fields.extend(date_boxes("intake.received_on", tomorrow));
    let back = post(&intake, &app, "/staff/file", &fields).await;
    assert!(back.starts_with("/staff/file?e="), "{back}");
    let html = intake
        .get(app.url(&back))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("โปรดเลือกช่องทางที่รับคำร้อง") && html.contains("วันที่รับคำร้อง ต้องไม่เป็นวันในอนาคต"),
        "field-level messages"
    );
    // A petition posted 20 days ago; the harm became known 2 years and 40 days ago.
    let postmark = today_in_bangkok() - Duration::days(20);
    let known = today_in_bangkok() - Duration::days(2 * 365 + 40);
    let mut fields = owned(&[("csrf", &csrf), ("intake.channel", "mail")]);
    fields.extend(date_boxes("intake.received_on", postmark));
    let first = post(&intake, &app, "/staff/file", &fields).await;
    assert!(
        first.starts_with("/file/") && first.ends_with("/filer"),
        "{first}"
    );
    let prefix = first.trim_end_matches("/filer").to_string();
    assert_eq!(
        post(
            &intake,
            &app,
            &format!("{prefix}/filer"),
            &owned(&[("filer.relation", "self")])
        )
        .await,
        format!("{prefix}/patient")
    );
    let patient = owned(&[
        ("patient.name", "นางสาวจดหมาย ส่งไปรษณีย์"),
        ("patient.national_id", "1101700230708"),
        ("patient.address", "1 ถ.ราชดำเนิน นครราชสีมา"),
        ("patient.phone", "0812345678"),
    ]);
    assert_eq!(
        post(&intake, &app, &format!("{prefix}/patient"), &patient).await,
        format!("{prefix}/treatment")
    );
    let mut treatment = owned(&[
        ("service_unit.name", "โรงพยาบาลมหาราชนครราชสีมา"),
        ("service_unit.province_code", "30"),
    ]);
    treatment.extend(date_boxes("treatment_date", known));
    treatment.extend(date_boxes("damage_known_date", known));
    // Past the window even by its postmark: staff must give a reason.
    assert_eq!(
        post(&intake, &app, &format!("{prefix}/treatment"), &treatment).await,
        format!("{prefix}/treatment")
    );
    let html = intake
        .get(app.url(&format!("{prefix}/treatment")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("id=\"assisted\"") && html.contains("ทางไปรษณีย์"),
        "the steps say it is an assisted filing"
    );
    assert!(
        html.contains("โปรดกรอกเหตุผลที่รับคำร้องที่เกินกำหนด 2 ปี"),
        "the reason is asked for"
    );
    let reason = "ผู้ป่วยอยู่ในภาวะไม่รู้สึกตัวจนถึงเดือนที่แล้ว";
    treatment.push(("intake.window_override_reason".into(), reason.into()));
    assert_eq!(
        post(&intake, &app, &format!("{prefix}/treatment"), &treatment).await,
        format!("{prefix}/damage")
    );
    post(
        &intake,
        &app,
        &format!("{prefix}/damage"),
        &owned(&[
            ("damage_description", "ติดเชื้อหลังผ่าตัด"),
            ("burden", "ขาดรายได้"),
        ]),
    )
    .await;
    // Only the staff member who started it can send it; the draft link alone cannot.
    let anon = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    assert_eq!(
        post(&anon, &app, &format!("{prefix}/submit"), &[]).await,
        "/staff/login"
    );
    assert_eq!(app.claim_count().await, 0);
    assert_eq!(
        post(&intake, &app, &format!("{prefix}/submit"), &[]).await,
        format!("{prefix}/done")
    );
    let done = intake
        .get(app.url(&format!("{prefix}/done")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        done.contains("id=\"access-code\""),
        "staff can hand the claimant their tracking code"
    );
    let c = claim::Entity::find().one(&app.db).await.unwrap().unwrap();
    assert_eq!(
        (
            c.channel.as_str(),
            c.received_on,
            c.filed_by.as_deref(),
            c.region.number()
        ),
        ("mail", Some(postmark), Some("intake9@nhso.test"), 9)
    );
    assert_eq!(c.window_override_reason.as_deref(), Some(reason));
    let audited = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("assisted_filing"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(
        audited.detail.contains("window overridden") && audited.actor == "user:intake9@nhso.test"
    );
    // The committee sees the reason on the case.
    complete_checklist(&app, &intake, &c.reference).await;
    post_with_csrf(&app, &intake, &c.reference, "act", &[("event", "refer")]).await;
    let reviewer = staff_client(&app, "reviewer9@nhso.test", &[g(Role::Reviewer, 9)]).await;
    let case = reviewer
        .get(app.url(&format!("/staff/claims/{}", c.reference)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(case.contains("id=\"window-override\"") && case.contains(reason));
    // Staff without the intake role cannot start one.
    let officer = staff_client(&app, "officer9@nhso.test", &[g(Role::RegionalOfficer, 9)]).await;
    let csrf = csrf_of(
        &officer
            .get(app.url("/staff"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );
    let r = officer
        .post(app.url("/staff/file"))
        .form(&[("csrf", csrf.as_str()), ("intake.channel", "walk_in")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    app.cleanup().await;
}

async fn deadlines_pause_for_information_and_show_in_the_queue(b: Backend) {
    let app = spawn_app(b).await;
    let today = today_in_bangkok();
    let v: Value = app
        .post_claim(&valid_petition())
        .await
        .json()
        .await
        .unwrap();
    let (reference, code) = (
        v["reference"].as_str().unwrap().to_string(),
        v["access_code"].as_str().unwrap().to_string(),
    );
    let other: Value = app
        .post_claim(&valid_petition())
        .await
        .json()
        .await
        .unwrap();
    let other = other["reference"].as_str().unwrap().to_string();
    assert_eq!(
        due_of(&app, &reference).await,
        Some(today + Duration::days(30)),
        "the regional decision target in force"
    );
    let intake = staff_client(&app, "intake1@nhso.test", &[g(Role::Intake, 1)]).await;
    post_with_csrf(
        &app,
        &intake,
        &reference,
        "act",
        &[
            ("event", "request_info"),
            ("public_note", "โปรดส่งเวชระเบียน"),
        ],
    )
    .await;
    assert_eq!(
        due_of(&app, &reference).await,
        None,
        "the clock stops while the claimant is asked"
    );
    // Twelve days pass before the claimant answers.
    claim::Entity::update_many()
        .col_expr(
            claim::Column::PausedOn,
            Expr::value(Some(today - Duration::days(12))),
        )
        .filter(claim::Column::Reference.eq(reference.clone()))
        .exec(&app.db)
        .await
        .unwrap();
    let claimant = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap();
    claimant
        .post(app.url("/check"))
        .form(&[
            ("reference", reference.as_str()),
            ("access_code", code.as_str()),
        ])
        .send()
        .await
        .unwrap();
    let r = claimant
        .post(app.url(&format!("/claim/{reference}/respond")))
        .multipart(reqwest::multipart::Form::new().text("text", "ส่งแล้ว"))
        .send()
        .await
        .unwrap();
    assert!(r.headers()["location"]
        .to_str()
        .unwrap()
        .ends_with("?done=screening"));
    assert_eq!(
        due_of(&app, &reference).await,
        Some(today + Duration::days(42)),
        "the days waited are added back"
    );
    let page = claimant
        .get(app.url(&format!("/claim/{reference}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("id=\"expected-decision\""),
        "the claimant sees the expected date"
    );
    // The other case is overdue: flagged, and found by the filter; the first is not.
    claim::Entity::update_many()
        .col_expr(
            claim::Column::DueOn,
            Expr::value(Some(today - Duration::days(1))),
        )
        .filter(claim::Column::Reference.eq(other.clone()))
        .exec(&app.db)
        .await
        .unwrap();
    let overdue = intake
        .get(app.url("/staff?due=overdue"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        overdue.contains(&format!("data-reference=\"{other}\""))
            && !overdue.contains(&format!("data-reference=\"{reference}\""))
    );
    assert!(overdue.contains("due-tag overdue"));
    // "Assigned to me": the case intake started screening (the answer returned it to screening).
    post_with_csrf(
        &app,
        &intake,
        &other,
        "act",
        &[("event", "start_screening")],
    )
    .await;
    let mine = intake
        .get(app.url("/staff?mine=1"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        mine.contains(&format!("data-reference=\"{other}\""))
            && !mine.contains(&format!("data-reference=\"{reference}\""))
    );
    assert_eq!(
        claim::Entity::find()
            .filter(claim::Column::AssignedTo.eq("intake1@nhso.test"))
            .count(&app.db)
            .await
            .unwrap(),
        1
    );
    app.cleanup().await;
}
