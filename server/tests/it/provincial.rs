//! Provincial health offices (`provincial_office:PP`): an administrator opens one's account;
//! it files on someone's behalf about its own province only, lists and opens that province's
//! petitions, reads the province's report, takes no step in a case, and sees nothing of
//! another province, even one in the same region.

use crate::common::{csrf_of, spawn_app, Backend, TestApp};
use crate::on_both;
use crate::staff::{search, staff_client, PASSWORD};
use app::backend::entities::{audit_entry, claim};
use app::domain::access::{Grant, Role};
use app::domain::ProvinceCode;
use chrono::Datelike;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

on_both!(a_provincial_office_works_its_own_province_only);

fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

async fn post(client: &reqwest::Client, app: &TestApp, path: &str, fields: &[(String, String)]) -> String {
    let r = client.post(app.url(path)).form(fields).send().await.unwrap();
    assert_eq!(r.status(), 303, "{path}");
    r.headers()["location"].to_str().unwrap().to_string()
}

fn date_boxes(prefix: &str, d: chrono::NaiveDate) -> Vec<(String, String)> {
    vec![
        (format!("{prefix}.day"), d.day().to_string()),
        (format!("{prefix}.month"), d.month().to_string()),
        (format!("{prefix}.year"), (d.year() + 543).to_string()),
    ]
}

async fn a_provincial_office_works_its_own_province_only(b: Backend) {
    let app = spawn_app(b).await;
    // The administrator opens the Chiang Mai office's account: a province is required.
    let admin = staff_client(&app, "admin@nhso.test", &[Grant::new(Role::Admin, None).unwrap()]).await;
    let no_province = crate::admin::post(
        &app,
        &admin,
        "user",
        &[("email", "pho50@nhso.test"), ("role", "provincial_office"), ("region", ""), ("province", "")],
    )
    .await;
    assert!(no_province.contains("f=province"), "{no_province}");
    let made = crate::admin::post(
        &app,
        &admin,
        "user",
        &[("email", "pho50@nhso.test"), ("role", "provincial_office"), ("region", ""), ("province", "50")],
    )
    .await;
    assert!(made.contains("saved=user"), "{made}");
    let users = app.page(&admin, "/staff/admin").await;
    assert!(users.contains("provincial_office:50"), "the accounts table names the province");
    crate::admin::set_password_from_mail(&app, "pho50@nhso.test").await;
    let pho = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap();
    let r = pho
        .post(app.url("/staff/login"))
        .form(&[("email", "pho50@nhso.test"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "a provincial office is not a privileged grant: no approval wait");

    // Petitions about Chiang Mai (50) and Lamphun (51), both decided by region 1.
    let mut chiang_mai = Vec::new();
    let mut lamphun = Vec::new();
    for i in 0..3 {
        chiang_mai.push(app.file_in(i, "50").await);
        lamphun.push(app.file_in(10 + i, "51").await);
    }
    let queue = app.page(&pho, "/staff").await;
    assert!(queue.contains("สำนักงานสาธารณสุขจังหวัดเชียงใหม่"), "the staff bar names the office");
    for r in &chiang_mai {
        assert!(queue.contains(r.as_str()), "its province's petition {r} is listed");
        let page = pho.get(app.url(&format!("/staff/claims/{r}"))).send().await.unwrap();
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(html.contains("1101700230708"), "the case page opens in full");
        assert!(!html.contains("name=\"event\""), "but offers no step in the case");
    }
    for r in &lamphun {
        assert!(!queue.contains(r.as_str()), "Lamphun's {r} is not listed");
        let page = pho.get(app.url(&format!("/staff/claims/{r}"))).send().await.unwrap();
        assert_eq!(page.status(), 404, "nor opened");
        let found = search(&app, &pho, r).await;
        assert!(!found.contains(&format!("data-reference=\"{r}\"")), "nor found by search");
        let letter = pho
            .get(app.url(&format!("/staff/claims/{r}/letters/receipt")))
            .send()
            .await
            .unwrap();
        assert_eq!(letter.status(), 404, "nor its letters");
    }
    let refused = audit_entry::Entity::find()
        .filter(audit_entry::Column::Actor.eq("user:pho50@nhso.test"))
        .filter(audit_entry::Column::Action.eq("open_case_refused"))
        .all(&app.db)
        .await
        .unwrap();
    assert!(refused.len() >= 3, "each refused opening is audited");

    // A step in a case is refused and changes nothing.
    let case_page = app.page(&pho, &format!("/staff/claims/{}", chiang_mai[0])).await;
    let csrf = csrf_of(&case_page);
    pho.post(app.url(&format!("/staff/claims/{}/act", chiang_mai[0])))
        .form(&[("csrf", csrf.as_str()), ("event", "start_screening")])
        .send()
        .await
        .unwrap();
    let c = claim::Entity::find()
        .filter(claim::Column::Reference.eq(chiang_mai[0].as_str()))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c.status, app::domain::ClaimStatus::Submitted);
    // It follows the case and does not work on it, so it has no conflict of interest to
    // declare: the page offers none, and one posted is refused (it would write a note into
    // the case's history and keep the office off its own province's case) and audited.
    assert!(!case_page.contains("id=\"declare-conflict\""), "no conflict form");
    let declared = pho
        .post(app.url(&format!("/staff/claims/{}/conflict", chiang_mai[0])))
        .form(&[("csrf", csrf.as_str()), ("conflict_reason", "ญาติของผู้ร้อง")])
        .send()
        .await
        .unwrap();
    assert_eq!(declared.status(), 303, "back to the case, with the refusal");
    let conflicts = app::backend::entities::claim_conflict::Entity::find()
        .filter(app::backend::entities::claim_conflict::Column::ClaimId.eq(c.id))
        .all(&app.db)
        .await
        .unwrap();
    assert!(conflicts.is_empty(), "no conflict declared");
    assert!(
        app::backend::claims::internal_notes(&app.db, c.id).await.unwrap().is_empty(),
        "nothing written into the case's history"
    );
    assert!(
        audit_entry::Entity::find()
            .filter(audit_entry::Column::Actor.eq("user:pho50@nhso.test"))
            .filter(audit_entry::Column::Action.eq("action_refused"))
            .all(&app.db)
            .await
            .unwrap()
            .iter()
            .any(|e| e.detail
                == format!("conflict: {}", app::backend::error::AppError::Refused(app::domain::actions::Refusal::Role))),
        "the refusal, for the office's role (it sees the case), is audited"
    );
    // Its note, though, is kept: it takes petitions in and may pass on what it knows.
    let noted = pho
        .post(app.url(&format!("/staff/claims/{}/note", chiang_mai[0])))
        .form(&[("csrf", csrf.as_str()), ("internal_note", "ผู้ร้องมายื่นที่ สสจ. พร้อมญาติ")])
        .send()
        .await
        .unwrap();
    assert_eq!(noted.status(), 303);
    assert_eq!(app::backend::claims::internal_notes(&app.db, c.id).await.unwrap().len(), 1);

    // The province's report: three petitions received, the province named; another region's
    // report is not there.
    let report = app.page(&pho, "/staff/reports").await;
    assert!(report.contains("จังหวัดเชียงใหม่"), "the report is the province's");
    assert!(report.contains("id=\"report-received\">3<"), "three received");
    let csv = pho.get(app.url("/staff/reports/export/csv")).send().await.unwrap();
    assert_eq!(csv.status(), 200);
    let csv = csv.text().await.unwrap();
    assert!(csv.contains("คำร้องที่ได้รับ,3\r\n"), "3 received, not 6:\n{csv}");
    let other = pho.get(app.url("/staff/reports/export/csv?region=2")).send().await.unwrap();
    assert_eq!(other.status(), 404);

    // Assisted intake: a Lamphun hospital is refused on the province field; a Chiang Mai one
    // is filed, attributed to the office, and joins its queue.
    let page = app.page(&pho, "/staff/file").await;
    let csrf = csrf_of(&page);
    let today = app::backend::calendar::today_in_bangkok();
    let mut fields = owned(&[("csrf", &csrf), ("intake.channel", "walk_in")]);
    fields.extend(date_boxes("intake.received_on", today));
    let first = post(&pho, &app, "/staff/file", &fields).await;
    assert!(first.ends_with("/filer"), "{first}");
    let prefix = first.trim_end_matches("/filer").to_string();
    post(&pho, &app, &format!("{prefix}/filer"), &owned(&[("filer.relation", "self")])).await;
    post(
        &pho,
        &app,
        &format!("{prefix}/patient"),
        &owned(&[
            ("patient.name", "นายเดินมา ยื่นเอง"),
            ("patient.national_id", "1101700230708"),
            ("patient.address", "5 ถ.ห้วยแก้ว เชียงใหม่"),
            ("patient.phone", "0812345678"),
        ]),
    )
    .await;
    let known = today - chrono::Duration::days(30);
    let mut treatment = owned(&[("service_unit.name", "โรงพยาบาลลำพูน"), ("service_unit.province_code", "51")]);
    treatment.extend(date_boxes("treatment_date", known));
    treatment.extend(date_boxes("damage_known_date", known));
    assert_eq!(
        post(&pho, &app, &format!("{prefix}/treatment"), &treatment).await,
        format!("{prefix}/treatment"),
        "a Lamphun hospital: back to the step"
    );
    let step = app.page(&pho, &format!("{prefix}/treatment")).await;
    assert!(
        step.contains("สำนักงานสาธารณสุขจังหวัดรับคำร้องได้เฉพาะหน่วยบริการในจังหวัดเชียงใหม่"),
        "the field says why"
    );
    // Sending from the check page is refused too, and files nothing.
    let before = app.claim_count().await;
    post(&pho, &app, &format!("{prefix}/submit"), &[]).await;
    assert_eq!(app.claim_count().await, before);
    let mut treatment = owned(&[("service_unit.name", "โรงพยาบาลนครพิงค์"), ("service_unit.province_code", "50")]);
    treatment.extend(date_boxes("treatment_date", known));
    treatment.extend(date_boxes("damage_known_date", known));
    assert_eq!(
        post(&pho, &app, &format!("{prefix}/treatment"), &treatment).await,
        format!("{prefix}/damage")
    );
    post(
        &pho,
        &app,
        &format!("{prefix}/damage"),
        &owned(&[("damage_description", "แพ้ยาหลังฉีด"), ("burden", "ค่าเดินทางรักษาต่อ")]),
    )
    .await;
    assert_eq!(post(&pho, &app, &format!("{prefix}/submit"), &[]).await, format!("{prefix}/done"));
    let filed = claim::Entity::find()
        .filter(claim::Column::PatientName.eq("นายเดินมา ยื่นเอง"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the office's filing");
    assert_eq!(filed.province_code, "50");
    assert_eq!(filed.region.number(), 1);
    assert_eq!(filed.filed_by.as_deref(), Some("pho50@nhso.test"));
    assert!(app.page(&pho, "/staff").await.contains(filed.reference.as_str()));

    // A regional officer of region 1 still sees both provinces.
    let officer = staff_client(&app, "officer1@nhso.test", &[Grant::new(Role::RegionalOfficer, app::domain::Region::new(1)).unwrap()]).await;
    let queue = app.page(&officer, "/staff").await;
    assert!(chiang_mai.iter().chain(&lamphun).all(|r| queue.contains(r.as_str())));
    let _ = ProvinceCode::parse("50");
    app.cleanup().await;
}
