//! Staff sign-in, sessions, and the role × region × state view matrix: every staff member
//! sees exactly the cases the domain rule allows, in the queue and on case pages, and every
//! opening (or refused attempt) is in the audit log.

use crate::common::{set_path, spawn_app, valid_petition, Backend, TestApp};
use crate::on_both;
use app::backend::entities::{audit_entry, claim};
use app::domain::access::{can_view, Case, Grant, Role};
use app::domain::{ClaimStatus, Region};
use sea_orm::prelude::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};

on_both!(
    the_view_matrix_holds_for_queues_and_case_pages,
    sign_in_is_throttled_and_sign_out_needs_the_csrf_token
);

pub const PASSWORD: &str = "correct horse battery";

pub async fn staff_client(app: &TestApp, email: &str, grants: &[Grant]) -> reqwest::Client {
    app::backend::staff::create_user(&app.db, email, email, PASSWORD, grants)
        .await
        .unwrap();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .unwrap();
    let r = client
        .post(app.url("/staff/login"))
        .form(&[("email", email), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["location"], "/staff", "{email} signs in");
    client
}

/// Searches the queue as a person would: the search form is posted with the page's CSRF
/// token, and the queue it leads to is read. What was searched for is never in the address.
pub async fn search(app: &TestApp, client: &reqwest::Client, q: &str) -> String {
    let page = app.page(client, "/staff").await;
    let csrf = crate::common::csrf_of(&page);
    let r = client
        .post(app.url("/staff/search"))
        .form(&[("csrf", csrf.as_str()), ("q", q)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let to = r.headers()["location"].to_str().unwrap().to_string();
    assert!(
        to.starts_with("/staff?s=") && !to.contains(&app::components::layout::urlencode(q)),
        "{to}"
    );
    app.page(client, &to).await
}

/// Files a claim in the province's region and moves it to `status`, referred to the
/// committee on the way or not (fixture set-up).
async fn claim_in(app: &TestApp, province: &str, status: ClaimStatus, referred: bool) -> String {
    let mut body = valid_petition();
    set_path(&mut body, "service_unit.province_code", json!(province));
    let v: Value = app.post_claim(&body).await.json().await.unwrap();
    let reference = v["reference"].as_str().unwrap().to_string();
    claim::Entity::update_many()
        .col_expr(claim::Column::Status, Expr::value(status.as_str()))
        .col_expr(
            claim::Column::ReferredAt,
            Expr::value(referred.then(chrono::Utc::now)),
        )
        .filter(claim::Column::Reference.eq(reference.clone()))
        .exec(&app.db)
        .await
        .unwrap();
    reference
}

fn g(role: Role, region: Option<u8>) -> Grant {
    Grant::new(role, region.and_then(Region::new)).unwrap()
}

async fn the_view_matrix_holds_for_queues_and_case_pages(b: Backend) {
    let app = spawn_app(b).await;
    // Region 3 (Nakhon Sawan, 60) and region 5 (Ratchaburi, 70), in states on both sides of
    // each role's line: a rejection at screening and its appeal never went to the committee,
    // a rejection by the committee did.
    let states = [
        (ClaimStatus::Submitted, false),
        (ClaimStatus::Referred, true),
        (ClaimStatus::Rejected, false),
        (ClaimStatus::Rejected, true),
        (ClaimStatus::Appealed, false),
        (ClaimStatus::Paid, true),
    ];
    let mut claims = Vec::new();
    for (province, region) in [("60", 3u8), ("70", 5u8)] {
        for (status, referred) in states {
            claims.push((
                claim_in(&app, province, status, referred).await,
                Case {
                    region: Region::new(region).unwrap(),
                    province: app::domain::ProvinceCode::parse(province),
                    status,
                    referred,
                },
            ));
        }
    }
    // The committee of region 3 sees exactly the three region-3 claims referred to it.
    let reviewer3_sees: Vec<&str> = claims
        .iter()
        .filter(|(_, case)| can_view(&[g(Role::Reviewer, Some(3))], *case))
        .map(|(reference, _)| reference.as_str())
        .collect();
    assert_eq!(
        reviewer3_sees,
        vec![
            claims[1].0.as_str(),
            claims[3].0.as_str(),
            claims[5].0.as_str()
        ]
    );
    let people = [
        ("reviewer3@nhso.test", vec![g(Role::Reviewer, Some(3))]),
        (
            "officer3@nhso.test",
            vec![g(Role::RegionalOfficer, Some(3))],
        ),
        ("intake5@nhso.test", vec![g(Role::Intake, Some(5))]),
        ("hotline@nhso.test", vec![g(Role::Intake, None)]),
        ("board@nhso.test", vec![g(Role::AppealBoard, None)]),
        ("admin@nhso.test", vec![g(Role::Admin, None)]),
        (
            "pho60@nhso.test",
            vec![app::domain::access::Grant::provincial(
                app::domain::ProvinceCode::parse("60").unwrap(),
            )],
        ),
        (
            "two-hats@nhso.test",
            vec![g(Role::Reviewer, Some(5)), g(Role::AppealBoard, None)],
        ),
    ];
    for (email, grants) in &people {
        let client = staff_client(&app, email, grants).await;
        let queue = client.get(app.url("/staff")).send().await.unwrap();
        assert_eq!(queue.status(), 200);
        let queue = queue.text().await.unwrap();
        for (reference, case) in &claims {
            let (region, status) = (case.region, case.status);
            let allowed = can_view(grants, *case);
            assert_eq!(
                queue.contains(reference.as_str()),
                allowed,
                "{email} listing {reference} (region {}, {status:?})",
                region.number()
            );
            let page = client
                .get(app.url(&format!("/staff/claims/{reference}")))
                .send()
                .await
                .unwrap();
            assert_eq!(
                page.status() == 200,
                allowed,
                "{email} opening {reference} (region {}, {status:?})",
                region.number()
            );
            let html = page.text().await.unwrap();
            assert_eq!(
                html.contains("1101700230708"),
                allowed,
                "{email}: the full national ID only where allowed"
            );
        }
        // Searching cannot reach past the scope either.
        for (reference, case) in &claims {
            let found = search(&app, &client, reference).await;
            assert_eq!(
                found.contains(&format!("data-reference=\"{reference}\"")),
                can_view(grants, *case),
                "{email} searching {reference}"
            );
        }
    }
    // Every opening and every refusal left an audit entry.
    let entries = audit_entry::Entity::find()
        .filter(audit_entry::Column::Actor.eq("user:reviewer3@nhso.test"))
        .all(&app.db)
        .await
        .unwrap();
    let opened = entries.iter().filter(|e| e.action == "open_case").count();
    let refused = entries
        .iter()
        .filter(|e| e.action == "open_case_refused")
        .count();
    let allowed = claims
        .iter()
        .filter(|(_, case)| can_view(&[g(Role::Reviewer, Some(3))], *case))
        .count();
    assert_eq!((opened, refused), (allowed, claims.len() - allowed));
    assert!(entries.iter().all(|e| e.client == "127.0.0.1"));
    assert_eq!(
        app::backend::audit::verify(&app.db).await.unwrap(),
        Ok(entries_total(&app).await)
    );
    // A national role narrows its queue to one region.
    let hotline = staff_client(&app, "hotline2@nhso.test", &[g(Role::Intake, None)]).await;
    let region5 = hotline
        .get(app.url("/staff?region=5"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for (reference, case) in &claims {
        assert_eq!(
            region5.contains(&format!("data-reference=\"{reference}\"")),
            case.region.number() == 5,
            "region filter on {reference}"
        );
    }
    // Without a session there is nothing to see.
    let anon = reqwest::Client::new()
        .get(app.url(&format!("/staff/claims/{}", claims[0].0)))
        .send()
        .await
        .unwrap();
    assert_eq!(anon.status(), 401);
    app.cleanup().await;
}

async fn entries_total(app: &TestApp) -> u64 {
    use sea_orm::PaginatorTrait;
    audit_entry::Entity::find().count(&app.db).await.unwrap()
}

async fn sign_in_is_throttled_and_sign_out_needs_the_csrf_token(b: Backend) {
    let app = spawn_app(b).await;
    let client = staff_client(
        &app,
        "officer1@nhso.test",
        &[g(Role::RegionalOfficer, Some(1))],
    )
    .await;
    let page = client
        .get(app.url("/staff"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let marker = "name=\"csrf\" value=\"";
    let at = page
        .find(marker)
        .expect("the sign-out form carries a CSRF token")
        + marker.len();
    let csrf = &page[at..at + page[at..].find('"').unwrap()];
    // A forged sign-out (wrong token) is refused and the session lives on.
    let forged = client
        .post(app.url("/staff/logout"))
        .form(&[("csrf", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    assert_eq!(
        client.get(app.url("/staff")).send().await.unwrap().status(),
        200
    );
    let out = client
        .post(app.url("/staff/logout"))
        .form(&[("csrf", csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(out.headers()["location"], "/staff/login");
    assert_eq!(
        client.get(app.url("/staff")).send().await.unwrap().status(),
        401,
        "the session has ended"
    );
    // Wrong passwords from another browser do not lock the owner out: the right password
    // still signs in (a browser new to the account first waits a moment).
    let other = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let login = |email: String, password: &'static str| {
        other
            .post(app.url("/staff/login"))
            .form(&[("email", email.as_str()), ("password", password)])
            .send()
    };
    let officer = || "officer1@nhso.test".to_string();
    for _ in 0..5 {
        let r = login(officer(), "wrong password!").await.unwrap();
        assert_eq!(r.headers()["location"], "/staff/login?e=wrong");
    }
    let r = login(officer(), PASSWORD).await.unwrap();
    assert_eq!(r.headers()["location"], "/staff");
    // One client's wrong passwords are refused past the client limit, whatever the account
    // (its five above count; its right one does not).
    for i in 5..app::backend::staff::CLIENT_TRIES {
        let r = login(format!("nobody{i}@nhso.test"), "wrong password!").await.unwrap();
        assert_eq!(r.headers()["location"], "/staff/login?e=wrong");
    }
    let r = login(officer(), PASSWORD).await.unwrap();
    assert_eq!(r.headers()["location"], "/staff/login?e=throttled");
    assert!(r.headers().get("set-cookie").is_none(), "no session while throttled");
    app.cleanup().await;
}
