//! Defences found in review: writes from other sites, attachments to refused steps, audited
//! and literal searches.

use crate::common::{fresh_database, set_path, spawn_app, spawn_on, valid_petition, Backend};
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
    staff_open_a_case_s_documents_and_only_its_own,
    over_https_cookies_are_host_bound_and_personal_pages_are_not_stored,
    a_search_is_posted_and_its_link_is_the_searcher_s_alone,
    behind_a_proxy_that_renames_the_host_this_site_s_forms_still_work
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
    // A browser too old for `Sec-Fetch-Site` sends this site's own origin on its forms.
    let own = app
        .client
        .post(app.url("/check"))
        .header("Origin", app.url("").trim_end_matches('/'))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 303);
    // "null" is what a sandboxed frame or a `data:` page on any site sends: refused.
    let sandboxed = app
        .client
        .post(app.url("/check"))
        .header("Origin", "null")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(sandboxed.status(), 403, "Origin: null is another site");
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
    let search = |q: &'static str| crate::staff::search(&app, &hotline, q);
    // Thai text in the middle of a name is found; a typed `%` or `_` is not a wildcard.
    assert!(search("ใจดี").await.contains("data-reference="));
    for q in ["%", "_", "สม%"] {
        assert!(!search(q).await.contains("data-reference="), "{q}");
    }
    let id = "1101700230708";
    assert!(search(id).await.contains("data-reference="));
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
        .any(|e| e.detail.starts_with("national ID") && e.detail.contains("; 1 found: S41-")));
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

/// The value of the `Set-Cookie` named `name` in a response, checked to be bound to this
/// host over HTTPS (`__Host-`: Secure, the whole site, no Domain).
fn host_cookie(r: &reqwest::Response, name: &str) -> String {
    let set = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with(&format!("__Host-{name}=")))
        .unwrap_or_else(|| panic!("no __Host-{name} cookie in {:?}", r.headers()));
    assert!(
        set.contains("; Path=/;") && set.contains("; Secure") && !set.contains("Domain"),
        "{set}"
    );
    set.split(';').next().unwrap().split_once('=').unwrap().1.to_string()
}

async fn over_https_cookies_are_host_bound_and_personal_pages_are_not_stored(b: Backend) {
    let fresh = fresh_database(b).await;
    let app = spawn_on(&fresh, &[("PUBLIC_URL", "https://claims.example")]).await;
    // Cookies are handled by hand here: a client keeps no Secure cookie over plain HTTP.
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let filed = app.post_claim(&valid_petition()).await;
    assert_eq!(filed.headers()["cache-control"], "no-store", "the answer holds the code");
    let v: Value = filed.json().await.unwrap();
    let (reference, code) = (
        v["reference"].as_str().unwrap(),
        v["access_code"].as_str().unwrap(),
    );
    let r = plain
        .post(app.url("/check"))
        .form(&[("reference", reference), ("access_code", code)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let token = host_cookie(&r, "s41_claim");
    let status_page = |cookie: String| {
        plain
            .get(app.url(&format!("/claim/{reference}")))
            .header("Cookie", cookie)
            .send()
    };
    let page = status_page(format!("__Host-s41_claim={token}")).await.unwrap();
    assert_eq!(page.headers()["cache-control"], "no-store");
    assert!(page.text().await.unwrap().contains("id=\"status\""));
    // The same token under the unprefixed name (which a sibling subdomain could have set)
    // opens nothing.
    let page = status_page(format!("s41_claim={token}")).await.unwrap();
    assert!(!page.text().await.unwrap().contains("id=\"status\""));
    let api = app
        .client
        .get(app.url(&format!("/api/v1/claims/{reference}")))
        .header("X-Access-Code", code)
        .send()
        .await
        .unwrap();
    assert_eq!(api.headers()["cache-control"], "no-store");

    let grant = Grant::new(Role::Intake, None).unwrap();
    app::backend::staff::create_user(&app.db, "hotline@nhso.test", "Hotline", crate::staff::PASSWORD, &[grant])
        .await
        .unwrap();
    let r = plain
        .post(app.url("/staff/login"))
        .form(&[("email", "hotline@nhso.test"), ("password", crate::staff::PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["location"], "/staff");
    let session = host_cookie(&r, "s41_staff");
    host_cookie(&r, "s41_device");
    let queue = plain
        .get(app.url("/staff"))
        .header("Cookie", format!("__Host-s41_staff={session}"))
        .send()
        .await
        .unwrap();
    assert_eq!(queue.headers()["cache-control"], "no-store");
    assert!(queue.text().await.unwrap().contains(reference), "signed in, the queue lists it");
    let case = plain
        .get(app.url(&format!("/staff/claims/{reference}")))
        .header("Cookie", format!("__Host-s41_staff={session}"))
        .send()
        .await
        .unwrap();
    assert_eq!(case.status(), 200);
    assert_eq!(case.headers()["cache-control"], "no-store");
    app.cleanup().await;
}

/// A search by national ID leaves the ID in no address: the form is posted, and the queue it
/// leads to holds the search sealed for the searcher, which nobody else can use.
async fn a_search_is_posted_and_its_link_is_the_searcher_s_alone(b: Backend) {
    let app = spawn_app(b).await;
    app.post_claim(&valid_petition()).await;
    let national = [Grant::new(Role::Intake, None).unwrap()];
    let hotline = staff_client(&app, "hotline@nhso.test", &national).await;
    let page = app.page(&hotline, "/staff").await;
    assert!(page.contains("method=\"post\" action=\"/staff/search\""));
    let csrf = {
        crate::common::csrf_of(&page)
    };
    let r = hotline
        .post(app.url("/staff/search"))
        .form(&[("csrf", csrf.as_str()), ("q", "1101700230708"), ("status", "submitted")])
        .send()
        .await
        .unwrap();
    let link = r.headers()["location"].to_str().unwrap().to_string();
    assert!(link.contains("status=submitted") && link.contains("&s="), "{link}");
    assert!(!link.contains("1101700230708") && !link.contains("70230708"), "{link}");
    let found = app.page(&hotline, &link).await;
    assert!(found.contains("data-reference="), "the searcher gets the result");
    assert!(found.contains("value=\"1101700230708\""), "and sees what they searched for");
    // Another staff member given the link (in a shared browser history, say) gets nothing.
    let other = staff_client(&app, "hotline2@nhso.test", &national).await;
    let theirs = app.page(&other, &link).await;
    assert!(theirs.contains("id=\"search-expired\"") && !theirs.contains("data-reference="));
    // A search posted without the page's CSRF token is refused.
    let r = hotline
        .post(app.url("/staff/search"))
        .form(&[("csrf", "nope"), ("q", "1101700230708")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    app.cleanup().await;
}

/// A browser too old for `Sec-Fetch-Site` is judged by `Origin`: behind a proxy that passes
/// on a host of its own, this site's forms still carry `PUBLIC_URL`'s host, and are taken.
async fn behind_a_proxy_that_renames_the_host_this_site_s_forms_still_work(b: Backend) {
    let fresh = fresh_database(b).await;
    let app = spawn_on(&fresh, &[("PUBLIC_URL", "https://claims.example")]).await;
    let post = |origin: &'static str| {
        app.client
            .post(app.url("/check"))
            .header("Host", "backend.internal:8080")
            .header("Origin", origin)
            .form(&[("reference", "S41-2569-ABCD-EFGH"), ("access_code", "ABCD-EFGH")])
            .send()
    };
    assert_eq!(post("https://claims.example").await.unwrap().status(), 303);
    assert_eq!(post("https://evil.example").await.unwrap().status(), 403);
    app.db.close().await.unwrap();
    fresh.remove().await;
}
