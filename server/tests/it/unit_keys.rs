//! Service units as API clients: an administrator issues a key (shown once), a filing made
//! with it is the unit's (relation and channel "service unit"), the unit lists its filings
//! with their status, paged; the public's filings and other units' are not in its list; a
//! revoked key opens nothing.

use crate::common::{csrf_of, fresh_database, spawn_on, valid_petition, Backend, TestApp};
use crate::staff::staff_client;
use app::backend::entities::claim;
use app::domain::access::{Grant, Role};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};

crate::on_both!(a_service_unit_files_and_lists_with_its_key_until_it_is_revoked);

/// Issues a key through the admin page; returns it as the page shows it (once).
async fn issue(app: &TestApp, admin: &reqwest::Client, code: &str, name: &str) -> String {
    let csrf = csrf_of(&app.page(admin, "/staff/admin").await);
    let r = admin
        .post(app.url("/staff/admin/unit_key"))
        .form(&[("csrf", csrf.as_str()), ("unit_code", code), ("unit_name", name), ("province_code", "50")])
        .send()
        .await
        .unwrap();
    let to = r.headers()["location"].to_str().unwrap().to_string();
    assert!(to.starts_with("/staff/admin?saved=unit_key&key="), "{to}");
    let page = app.page(admin, &to).await;
    let key = page
        .split("<code>")
        .nth(1)
        .and_then(|s| s.split("</code>").next())
        .unwrap_or_else(|| panic!("the key is shown:\n{page}"))
        .to_string();
    assert!(key.starts_with("s41u_"));
    // Only that once: the admin page without the sealed link does not show it.
    assert!(!app.page(admin, "/staff/admin").await.contains(&key));
    key
}

fn unit_petition() -> Value {
    let mut p = valid_petition();
    p["filer"] = json!({"relation": "service_unit", "name": "งานประกันสุขภาพ โรงพยาบาลนครพิงค์", "phone": "053999158"});
    p
}

async fn file_with(app: &TestApp, key: &str, petition: &Value) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/claims"))
        .bearer_auth(key)
        .json(petition)
        .send()
        .await
        .unwrap()
}

async fn list(app: &TestApp, key: &str, query: &str) -> reqwest::Response {
    app.client
        .get(app.url(&format!("/api/v1/claims{query}")))
        .bearer_auth(key)
        .send()
        .await
        .unwrap()
}

async fn a_service_unit_files_and_lists_with_its_key_until_it_is_revoked(b: Backend) {
    let fresh = fresh_database(b).await;
    let app = spawn_on(&fresh, &[]).await;
    let admin = staff_client(&app, "admin@nhso.test", &[Grant::new(Role::Admin, None).unwrap()]).await;
    let key = issue(&app, &admin, "10670", "โรงพยาบาลนครพิงค์").await;
    let other = issue(&app, &admin, "10671", "โรงพยาบาลอื่น").await;

    // Filed with the key: the unit's.
    let r = file_with(&app, &key, &unit_petition()).await;
    assert_eq!(r.status(), 201);
    let first: Value = r.json().await.unwrap();
    let c = claim::Entity::find()
        .filter(claim::Column::Reference.eq(first["reference"].as_str().unwrap()))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c.channel.as_str(), "service_unit");
    assert_eq!(c.relation.as_str(), "service_unit");
    assert!(c.api_key_id.is_some());
    // A unit's key files as the unit, not for a person filing for themself.
    let r = file_with(&app, &key, &valid_petition()).await;
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["errors"][0]["field"], "filer.relation");
    // The public still files without a key.
    assert_eq!(app.post_claim(&valid_petition()).await.status(), 201);

    // 51 more: the list pages by 50, newest first, the unit's own filings only.
    let mut mine = vec![first["reference"].as_str().unwrap().to_string()];
    for _ in 0..51 {
        let v: Value = file_with(&app, &key, &unit_petition()).await.json().await.unwrap();
        mine.push(v["reference"].as_str().unwrap().to_string());
    }
    let page1: Value = list(&app, &key, "").await.json().await.unwrap();
    let refs = |p: &Value| -> Vec<String> {
        p["claims"].as_array().unwrap().iter().map(|c| c["reference"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(refs(&page1).len(), 50);
    assert_eq!(page1["claims"][0]["status"], "submitted");
    assert_eq!(page1["claims"][0]["status_label"]["th"], "ได้รับคำร้องแล้ว");
    let next = page1["next"].as_str().unwrap();
    let page2: Value = list(&app, &key, &format!("?before={next}")).await.json().await.unwrap();
    assert_eq!(page2["next"], Value::Null);
    let mut listed: Vec<String> = refs(&page1).into_iter().chain(refs(&page2)).collect();
    listed.sort();
    mine.sort();
    assert_eq!(listed, mine, "every filing of the unit, once; none of the public's");
    let theirs: Value = list(&app, &other, "").await.json().await.unwrap();
    assert_eq!(theirs["claims"].as_array().unwrap().len(), 0, "another unit sees none of them");
    assert_eq!(app.client.get(app.url("/api/v1/claims")).send().await.unwrap().status(), 401, "no key, no list");

    // Revoked: the key opens nothing.
    let csrf = csrf_of(&app.page(&admin, "/staff/admin").await);
    let id = claim::Entity::find().filter(claim::Column::Id.eq(c.id)).one(&app.db).await.unwrap().unwrap().api_key_id.unwrap();
    let r = admin
        .post(app.url("/staff/admin/unit_key_revoke"))
        .form(&[("csrf", csrf), ("id", id.to_string())])
        .send()
        .await
        .unwrap();
    assert!(r.headers()["location"].to_str().unwrap().starts_with("/staff/admin?saved=unit_key_revoke"));
    assert_eq!(file_with(&app, &key, &unit_petition()).await.status(), 401);
    assert_eq!(list(&app, &key, "").await.status(), 401);
    assert_eq!(list(&app, &other, "").await.status(), 200, "other keys still work");
    fresh.remove().await;
}
