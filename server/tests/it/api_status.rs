//! `GET /api/v1/claims/{reference}`: the right code opens it; anything else looks the same;
//! guessing is slowed down.

use crate::common::{spawn_app, valid_petition, Backend, TestApp};
use crate::on_both;
use serde_json::Value;

on_both!(
    status_with_the_right_code,
    wrong_code_and_unknown_reference_look_alike,
    repeated_wrong_codes_are_throttled,
    health_answers_when_the_database_does
);

pub async fn file(app: &TestApp) -> (String, String) {
    let v: Value = app
        .post_claim(&valid_petition())
        .await
        .json()
        .await
        .unwrap();
    (
        v["reference"].as_str().unwrap().to_string(),
        v["access_code"].as_str().unwrap().to_string(),
    )
}

async fn get(app: &TestApp, reference: &str, code: &str) -> reqwest::Response {
    app.client
        .get(app.url(&format!("/api/v1/claims/{reference}")))
        .header("X-Access-Code", code)
        .send()
        .await
        .unwrap()
}

async fn status_with_the_right_code(b: Backend) {
    let app = spawn_app(b).await;
    let (reference, code) = file(&app).await;
    let resp = get(&app, &reference, &code).await;
    assert_eq!(resp.status(), 200);
    let v: Value = resp.json().await.unwrap();
    assert_eq!(v["reference"], reference.as_str());
    assert_eq!(v["status"], "submitted");
    assert_eq!(v["status_label"]["th"], "ได้รับคำร้องแล้ว");
    assert_eq!(v["region"], 1);
    assert_eq!(v["history"].as_array().unwrap().len(), 1);
    assert_eq!(v["history"][0]["status"], "submitted");
    assert!(v["expected_decision_by"].is_string());
    // People type codes in lower case and without the dash.
    let sloppy = code.replace('-', "").to_lowercase();
    assert_eq!(
        get(&app, &reference.to_lowercase(), &sloppy).await.status(),
        200
    );
    app.cleanup().await;
}

async fn wrong_code_and_unknown_reference_look_alike(b: Backend) {
    let app = spawn_app(b).await;
    let (reference, _) = file(&app).await;
    let wrong = get(&app, &reference, "AAAA-AAAA").await;
    assert_eq!(wrong.status(), 404);
    let wrong_body = wrong.text().await.unwrap();
    let unknown = get(&app, "S41-2569-ZZZZZZ", "AAAA-AAAA").await;
    assert_eq!(unknown.status(), 404);
    assert_eq!(unknown.text().await.unwrap(), wrong_body);
    let missing = app
        .client
        .get(app.url(&format!("/api/v1/claims/{reference}")))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 400, "no code is a mistake, said so");
    app.cleanup().await;
}

async fn repeated_wrong_codes_are_throttled(b: Backend) {
    let app = spawn_app(b).await;
    let (reference, code) = file(&app).await;
    for _ in 0..app::backend::throttle::MAX_FAILURES {
        assert_eq!(get(&app, &reference, "BBBB-BBBB").await.status(), 404);
    }
    let resp = get(&app, &reference, "BBBB-BBBB").await;
    assert_eq!(resp.status(), 429);
    // While throttled, even the right code waits: guessing cannot be told from success.
    assert_eq!(get(&app, &reference, &code).await.status(), 429);
    app.cleanup().await;
}

async fn health_answers_when_the_database_does(b: Backend) {
    let app = spawn_app(b).await;
    let resp = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    app.cleanup().await;
}
