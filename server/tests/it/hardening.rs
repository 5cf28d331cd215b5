//! Defences found in review: writes from other sites, attachments to refused steps, audited
//! and literal searches.

use crate::common::{set_path, spawn_app, valid_petition, Backend};
use crate::on_both;
use crate::staff::staff_client;
use app::backend::entities::{audit_entry, document};
use app::domain::access::{Grant, Role};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{json, Value};

on_both!(
    writes_from_other_sites_are_refused,
    a_refused_claimant_step_keeps_no_attachment,
    searches_are_audited_and_match_literally,
    staff_open_a_case_s_documents_and_only_its_own
);

async fn writes_from_other_sites_are_refused(b: Backend) {
    let app = spawn_app(b).await;
    let form = [
        ("reference", "S41-2569-ABCD-EFGH"),
        ("access_code", "ABCD-EFGH"),
    ];
    let evil = app
        .client
        .post(app.url("/check"))
        .header("Origin", "https://evil.example")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(
        evil.status(),
        403,
        "a form on another site cannot sign anyone in"
    );
    let evil = app
        .client
        .post(app.url("/staff/login"))
        .header("Sec-Fetch-Site", "cross-site")
        .form(&[("email", "a@b.c"), ("password", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(evil.status(), 403);
    let sibling = app
        .client
        .post(app.url("/check"))
        .header("Sec-Fetch-Site", "same-site")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(sibling.status(), 403, "a sibling subdomain is another site");
    let host = app.url("").trim_end_matches('/').to_string();
    let own = app
        .client
        .post(app.url("/check"))
        .header("Origin", host)
        .header("Sec-Fetch-Site", "same-origin")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 303, "this site's own form still works");
    // What Chromium sends for this site's own forms under `Referrer-Policy: no-referrer`.
    let own = app
        .client
        .post(app.url("/check"))
        .header("Origin", "null")
        .header("Sec-Fetch-Site", "same-origin")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 303);
    app.cleanup().await;
}

async fn a_refused_claimant_step_keeps_no_attachment(b: Backend) {
    let app = spawn_app(b).await;
    let v: Value = app
        .post_claim(&valid_petition())
        .await
        .json()
        .await
        .unwrap();
    let (reference, code) = (
        v["reference"].as_str().unwrap(),
        v["access_code"].as_str().unwrap(),
    );
    let claimant = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap();
    claimant
        .post(app.url("/check"))
        .form(&[("reference", reference), ("access_code", code)])
        .send()
        .await
        .unwrap();
    // Nothing has been decided, so there is nothing to appeal: the file is not kept.
    let form = reqwest::multipart::Form::new()
        .text("text", "ขออุทธรณ์")
        .part(
            "file",
            reqwest::multipart::Part::bytes(crate::api_documents::PDF.to_vec())
                .file_name("appeal.pdf"),
        );
    let r = claimant
        .post(app.url(&format!("/claim/{reference}/appeal")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert!(r.headers()["location"]
        .to_str()
        .unwrap()
        .ends_with("?e=state"));
    assert_eq!(document::Entity::find().count(&app.db).await.unwrap(), 0);
    // The claimant's opening of the claim is in the audit log.
    let opened = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("claimant_open"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(opened, 1);
    app.cleanup().await;
}

async fn searches_are_audited_and_match_literally(b: Backend) {
    let app = spawn_app(b).await;
    let mut body = valid_petition();
    set_path(&mut body, "patient.name", json!("สมศรี ใจดี"));
    app.post_claim(&body).await;
    let hotline = staff_client(
        &app,
        "hotline@nhso.test",
        &[Grant::new(Role::Intake, None).unwrap()],
    )
    .await;
    let search = |q: &str| hotline.get(app.url("/staff")).query(&[("q", q)]).send();
    // Thai text in the middle of a name is found; a typed `%` or `_` is not a wildcard.
    assert!(search("ใจดี")
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
        .contains("data-reference="));
    for q in ["%", "_", "สม%"] {
        assert!(
            !search(q)
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
                .contains("data-reference="),
            "{q}"
        );
    }
    let id = "1101700230708";
    assert!(search(id)
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
        .contains("data-reference="));
    let searches = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("search"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(searches.len(), 5, "every search is in the audit log");
    assert!(searches.iter().all(|e| e.actor == "user:hotline@nhso.test"));
    assert!(
        searches
            .iter()
            .all(|e| !e.detail.contains(id) && !e.detail.contains("ใจดี")),
        "without the name or ID searched for"
    );
    assert!(searches
        .iter()
        .any(|e| e.detail.starts_with("national ID") && e.detail.ends_with("1 found")));
    app.cleanup().await;
}

async fn staff_open_a_case_s_documents_and_only_its_own(b: Backend) {
    let app = spawn_app(b).await;
    let mut ids = Vec::new();
    let mut refs = Vec::new();
    for province in ["50", "70"] {
        let mut body = valid_petition();
        set_path(&mut body, "service_unit.province_code", json!(province));
        let v: Value = app.post_claim(&body).await.json().await.unwrap();
        let (reference, code) = (
            v["reference"].as_str().unwrap().to_string(),
            v["access_code"].as_str().unwrap().to_string(),
        );
        let doc: Value = crate::api_documents::upload(
            &app,
            &reference,
            &code,
            "ใบรับรองแพทย์.pdf",
            crate::api_documents::PDF.to_vec(),
        )
        .await
        .json()
        .await
        .unwrap();
        ids.push(doc["id"].as_str().unwrap().to_string());
        refs.push(reference);
    }
    let intake1 = staff_client(
        &app,
        "intake1@nhso.test",
        &[Grant::new(Role::Intake, app::domain::Region::new(1)).unwrap()],
    )
    .await;
    let case = intake1
        .get(app.url(&format!("/staff/claims/{}", refs[0])))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let link = format!("/staff/claims/{}/documents/{}", refs[0], ids[0]);
    assert!(case.contains(&link), "the case page links its document");
    let r = intake1.get(app.url(&link)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("inline"));
    assert_eq!(r.headers()["cache-control"], "no-store");
    assert_eq!(r.bytes().await.unwrap().as_ref(), crate::api_documents::PDF);
    let r = intake1
        .get(app.url(&format!("{link}?download=1")))
        .send()
        .await
        .unwrap();
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    // Region 5's document: not through region 5's case, nor through region 1's.
    let other = format!("/staff/claims/{}/documents/{}", refs[1], ids[1]);
    assert_eq!(
        intake1.get(app.url(&other)).send().await.unwrap().status(),
        404
    );
    let smuggled = format!("/staff/claims/{}/documents/{}", refs[0], ids[1]);
    assert_eq!(
        intake1
            .get(app.url(&smuggled))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        reqwest::Client::new()
            .get(app.url(&link))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    let opened = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("document_opened"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(opened, 2, "each opening is audited");
    app.cleanup().await;
}
