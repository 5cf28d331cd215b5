//! The Gold Card right check through the rights service, against the simulator
//! (`section41 rights-sim`, the same contract): a right holder verified and written into
//! the checklist, another scheme's member, nobody registered, and the service down or
//! refusing the token: said in plain words, recorded, and manual checking still works.

use crate::common::{csrf_of, fresh_database, spawn_on, valid_petition, Backend, TestApp};
use crate::staff::staff_client;
use app::backend::entities::{audit_entry, claim, rights_check};
use app::domain::access::{Grant, Role};
use app::domain::Region;
use sea_orm::prelude::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

crate::on_both!(staff_check_a_right_through_the_rights_service);

/// A valid national ID whose 12th digit is `twelfth` (the simulator answers by it).
fn id_with(twelfth: u32) -> String {
    let mut d: Vec<u32> = vec![1, 1, 0, 1, 7, 0, 0, 2, 3, 0, 7, twelfth];
    d.push(app::domain::national_id::check_digit(&d));
    d.into_iter().map(|x| char::from_digit(x, 10).unwrap()).collect()
}

async fn simulator(token: &str) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let at = listener.local_addr().unwrap();
    let router = server::rights_sim::router(token.to_string());
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{at}")
}

/// A claim in screening in region 1 for someone with `national_id`.
async fn in_screening(app: &TestApp, i: usize, national_id: &str) -> String {
    let mut p = valid_petition();
    p["patient"]["national_id"] = json!(national_id);
    let reference = app.file_as_client(i, &p).await;
    claim::Entity::update_many()
        .col_expr(claim::Column::Status, Expr::value("screening"))
        .filter(claim::Column::Reference.eq(reference.clone()))
        .exec(&app.db)
        .await
        .unwrap();
    reference
}

/// Presses "check the right" on the case page; where it leads.
async fn press(app: &TestApp, staff: &reqwest::Client, reference: &str) -> String {
    let page = app.page(staff, &format!("/staff/claims/{reference}")).await;
    assert!(page.contains("id=\"rights-check\""), "the button is on the checklist");
    let r = staff
        .post(app.url(&format!("/staff/claims/{reference}/rights-check")))
        .form(&[("csrf", csrf_of(&page))])
        .send()
        .await
        .unwrap();
    r.headers().get("location").map(|l| l.to_str().unwrap().to_string()).unwrap_or_else(|| r.status().to_string())
}

async fn checklist_of(app: &TestApp, reference: &str) -> Option<app::domain::screening::Checklist> {
    claim::Entity::find()
        .filter(claim::Column::Reference.eq(reference))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .screening_checklist
        .and_then(|j| serde_json::from_str(&j).ok())
}

async fn staff_check_a_right_through_the_rights_service(b: Backend) {
    let url = simulator("t0k3n").await;
    let fresh = fresh_database(b).await;
    let app = spawn_on(
        &fresh,
        &[("TRUSTED_PROXIES", "127.0.0.1"), ("RIGHTS_API_URL", url.as_str()), ("RIGHTS_API_TOKEN", "t0k3n")],
    )
    .await;
    let officer = staff_client(&app, "officer1@nhso.test", &[Grant::new(Role::RegionalOfficer, Region::new(1)).unwrap()]).await;

    // A Gold Card holder: verified, written into the checklist with how it was checked.
    let holder = in_screening(&app, 1, &id_with(0)).await;
    let to = press(&app, &officer, &holder).await;
    assert!(to.ends_with("?rights=verified#checklist"), "{to}");
    let page = app.page(&officer, &to.replace("#checklist", "")).await;
    assert!(page.contains("เป็นผู้มีสิทธิหลักประกันสุขภาพแห่งชาติ (บัตรทอง)"), "said in plain words");
    assert!(page.contains("10670 โรงพยาบาลนครพิงค์"), "the main service unit is shown");
    let list = checklist_of(&app, &holder).await.unwrap();
    assert_eq!(list.uc_right, Some(app::domain::screening::UcRight::Verified));
    assert!(list.uc_method.contains("ระบบตรวจสอบสิทธิ สปสช."), "{}", list.uc_method);
    assert_eq!(list.checked_by, "officer1@nhso.test");
    let rows = rights_check::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].outcome, "verified");
    assert_eq!(rows[0].checked_by, "officer1@nhso.test");
    assert!(rows[0].right_type.as_deref().unwrap().starts_with("UCS"));
    assert!(rows[0].raw_response.as_deref().unwrap().contains("\"main_unit\""), "the raw answer is kept");

    // Once the case has moved on, the checklist is read-only and still shows the answer.
    claim::Entity::update_many()
        .col_expr(claim::Column::Status, Expr::value("referred"))
        .filter(claim::Column::Reference.eq(holder.clone()))
        .exec(&app.db)
        .await
        .unwrap();
    let page = app.page(&officer, &format!("/staff/claims/{holder}")).await;
    assert!(!page.contains("id=\"rights-check\""), "no button once screening is over");
    assert!(page.contains("10670 โรงพยาบาลนครพิงค์"), "the answer stays on the record");
    claim::Entity::update_many()
        .col_expr(claim::Column::Status, Expr::value("screening"))
        .filter(claim::Column::Reference.eq(holder.clone()))
        .exec(&app.db)
        .await
        .unwrap();

    // Another scheme's member, and someone not registered.
    let sss = in_screening(&app, 2, &id_with(7)).await;
    assert!(press(&app, &officer, &sss).await.ends_with("?rights=not_right_holder#checklist"));
    assert_eq!(checklist_of(&app, &sss).await.unwrap().uc_right, Some(app::domain::screening::UcRight::NotRightHolder));
    let nobody = in_screening(&app, 3, &id_with(9)).await;
    assert!(press(&app, &officer, &nobody).await.ends_with("?rights=not_found#checklist"));
    assert_eq!(checklist_of(&app, &nobody).await, None, "no answer to write into the checklist");

    // Another region's officer cannot check (and it is audited).
    let other = staff_client(&app, "officer5@nhso.test", &[Grant::new(Role::RegionalOfficer, Region::new(5)).unwrap()]).await;
    let csrf5 = csrf_of(&app.page(&other, "/staff").await);
    let r = other
        .post(app.url(&format!("/staff/claims/{holder}/rights-check")))
        .form(&[("csrf", csrf5)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let audited = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("rights_checked"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(audited.len(), 3);
    fresh.remove().await;

    // The service down, or refusing the token: said plainly, recorded, nothing blocked.
    for (name, service, token) in [("down", "http://127.0.0.1:9", "t0k3n"), ("wrong token", url.as_str(), "nope")] {
        let fresh = fresh_database(b).await;
        let app = spawn_on(&fresh, &[("RIGHTS_API_URL", service), ("RIGHTS_API_TOKEN", token)]).await;
        let officer = staff_client(&app, "officer1@nhso.test", &[Grant::new(Role::RegionalOfficer, Region::new(1)).unwrap()]).await;
        let reference = in_screening(&app, 1, &id_with(0)).await;
        let to = press(&app, &officer, &reference).await;
        assert!(to.ends_with("?rights=unavailable#checklist"), "{name}: {to}");
        let page = app.page(&officer, &to.replace("#checklist", "")).await;
        assert!(page.contains("ระบบตรวจสอบสิทธิไม่ตอบในขณะนี้"), "{name}: said in plain words");
        let rows = rights_check::Entity::find().all(&app.db).await.unwrap();
        assert_eq!(rows[0].outcome, "unavailable", "{name}");
        assert_eq!(checklist_of(&app, &reference).await, None);
        // Manual checking still works.
        let r = officer
            .post(app.url(&format!("/staff/claims/{reference}/checklist")))
            .form(&[("csrf", csrf_of(&page).as_str()), ("uc_right", "verified"), ("uc_method", "บัตรทองฉบับจริง"), ("harm_type", "")])
            .send()
            .await
            .unwrap();
        assert!(r.headers()["location"].to_str().unwrap().ends_with("?checked=1"), "{name}");
        assert_eq!(checklist_of(&app, &reference).await.unwrap().uc_method, "บัตรทองฉบับจริง");
        fresh.remove().await;
    }
}
