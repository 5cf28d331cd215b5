//! `POST /api/v1/claims`: validation, routing, idempotency, malformed and oversized bodies.

use crate::common::{
    recent_date, remove_path, set_path, spawn_app, valid_petition, Backend, TestApp,
};
use crate::on_both;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};

on_both!(
    files_a_valid_claim,
    each_missing_required_field_is_named_and_nothing_is_stored,
    heir_filings_need_the_heirs_details,
    out_of_window_names_the_last_day,
    a_last_day_on_holidays_runs_to_the_next_working_day,
    all_77_provinces_route_to_their_region,
    a_retried_idempotency_key_gives_one_claim,
    concurrent_retries_give_one_claim,
    a_burst_of_filings_each_gets_its_own_claim_and_mail,
    a_key_is_scoped_by_its_request,
    a_taken_reference_is_told_from_other_clashes,
    malformed_and_oversized_bodies_store_nothing,
    openapi_describes_the_api,
);

async fn files_a_valid_claim(b: Backend) {
    let app = spawn_app(b).await;
    let resp = app.post_claim(&valid_petition()).await;
    assert_eq!(resp.status(), 201);
    let body: Value = resp.json().await.unwrap();
    assert!(
        body["reference"].as_str().unwrap().starts_with("S41-25"),
        "{body}"
    );
    assert_eq!(body["access_code"].as_str().unwrap().len(), 9);
    assert_eq!(body["region"], 1);
    assert_eq!(body["status"], "submitted");
    assert_eq!(body["filed_on"], recent_date(0));
    assert_eq!(app.claim_count().await, 1);
    assert_eq!(
        app.event_count().await,
        1,
        "the first status event is written with the claim"
    );
    app.cleanup().await;
}

const REQUIRED_FOR_SELF: [&str; 10] = [
    "filer.relation",
    "patient.name",
    "patient.national_id",
    "patient.address",
    "patient.phone",
    "service_unit.name",
    "service_unit.province_code",
    "treatment_date",
    "damage_known_date",
    "damage_description",
];

async fn assert_rejected_naming(app: &TestApp, body: &Value, field: &str, code: &str) {
    let resp = app.post_claim(body).await;
    assert_eq!(resp.status(), 422, "{field}");
    let errs: Value = resp.json().await.unwrap();
    let named: Vec<(&str, &str)> = errs["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(named, vec![(field, code)], "only {field} fails");
    assert!(!errs["errors"][0]["message"].as_str().unwrap().is_empty());
    assert!(!errs["errors"][0]["message_th"].as_str().unwrap().is_empty());
}

async fn each_missing_required_field_is_named_and_nothing_is_stored(b: Backend) {
    let app = spawn_app(b).await;
    for field in REQUIRED_FOR_SELF.iter().chain(["burden"].iter()) {
        let mut body = valid_petition();
        remove_path(&mut body, field);
        assert_rejected_naming(&app, &body, field, "required").await;
        let mut blank = valid_petition();
        set_path(&mut blank, field, json!("   "));
        assert_rejected_naming(&app, &blank, field, "required").await;
    }
    // Everything missing at once: every field is named in one answer.
    let resp = app.post_claim(&json!({})).await;
    assert_eq!(resp.status(), 422);
    let errs: Value = resp.json().await.unwrap();
    assert!(errs["errors"].as_array().unwrap().len() >= 10);
    assert_eq!(app.claim_count().await, 0);
    assert_eq!(app.event_count().await, 0);
    app.cleanup().await;
}

async fn heir_filings_need_the_heirs_details(b: Backend) {
    let app = spawn_app(b).await;
    let mut body = valid_petition();
    set_path(&mut body, "filer.relation", json!("heir"));
    remove_path(&mut body, "patient.phone");
    let resp = app.post_claim(&body).await;
    assert_eq!(resp.status(), 422);
    let errs: Value = resp.json().await.unwrap();
    let fields: Vec<&str> = errs["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        vec!["filer.name", "filer.national_id", "filer.phone"]
    );
    set_path(&mut body, "filer.name", json!("สมหญิง ใจดี"));
    set_path(&mut body, "filer.national_id", json!("3101001234565"));
    set_path(&mut body, "filer.phone", json!("0899999999"));
    assert_eq!(app.post_claim(&body).await.status(), 201);
    // A bad check digit is named as such.
    let mut bad = valid_petition();
    set_path(&mut bad, "patient.national_id", json!("1101700230705"));
    assert_rejected_naming(&app, &bad, "patient.national_id", "national_id_checksum").await;
    assert_eq!(app.claim_count().await, 1);
    app.cleanup().await;
}

async fn out_of_window_names_the_last_day(b: Backend) {
    let app = spawn_app(b).await;
    let mut body = valid_petition();
    // Known more than two years and a week ago: certainly out of time.
    set_path(&mut body, "treatment_date", json!(recent_date(800)));
    set_path(&mut body, "damage_known_date", json!(recent_date(760)));
    let resp = app.post_claim(&body).await;
    assert_eq!(resp.status(), 422);
    let errs: Value = resp.json().await.unwrap();
    assert_eq!(errs["errors"][0]["field"], "damage_known_date");
    assert_eq!(errs["errors"][0]["code"], "out_of_window");
    let known = chrono::NaiveDate::parse_from_str(&recent_date(760), "%Y-%m-%d").unwrap();
    let holidays = app::backend::calendar::holidays_for_filing(
        &app.db,
        app::backend::calendar::today_in_bangkok(),
    )
    .await
    .unwrap();
    let last = app::domain::filing_deadline(known, &holidays);
    assert!(
        errs["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains(&app::domain::dates::english_long(last)),
        "{errs}"
    );
    assert!(
        errs["errors"][0]["message_th"]
            .as_str()
            .unwrap()
            .contains(&app::domain::dates::thai_long(last)),
        "{errs}"
    );
    assert_eq!(app.claim_count().await, 0);
    app.cleanup().await;
}

/// Holidays carry a last day on: a petition whose two-year day fell on holidays is taken
/// until the next working day, and the answer and the stored claim give that day, both for
/// one still in time without them and for one in time only because of them.
async fn a_last_day_on_holidays_runs_to_the_next_working_day(b: Backend) {
    use app::backend::entities::{claim, holiday};
    use chrono::{Duration, NaiveDate};
    use sea_orm::sea_query::OnConflict;
    let app = spawn_app(b).await;
    let today = app::backend::calendar::today_in_bangkok();
    // Yesterday, today and the next four days are holidays (an admin's long break).
    let days: Vec<NaiveDate> = (-1..=4).map(|d| today + Duration::days(d)).collect();
    holiday::Entity::insert_many(days.iter().map(|d| holiday::ActiveModel {
        date: sea_orm::ActiveValue::Set(*d),
        name_th: sea_orm::ActiveValue::Set("วันหยุดทดสอบ".into()),
        name_en: sea_orm::ActiveValue::Set("Test holiday".into()),
    }))
    .on_conflict(
        OnConflict::column(holiday::Column::Date)
            .do_nothing()
            .to_owned(),
    )
    .try_insert()
    .exec(&app.db)
    .await
    .unwrap();
    let all = app::backend::calendar::holidays_for_filing(&app.db, today)
        .await
        .unwrap();
    for years_ago_plus in [0, 1] {
        // Known two years ago today (its two-year day is today), or a day before that
        // (its two-year day was yesterday: late, but for the holidays).
        let known =
            app::domain::window::same_date_years_later(today, -2) - Duration::days(years_ago_plus);
        let last = app::domain::filing_deadline(known, &all);
        assert!(last > today + Duration::days(4), "{known}: {last}");
        let mut body = valid_petition();
        set_path(&mut body, "treatment_date", json!(known.to_string()));
        set_path(&mut body, "damage_known_date", json!(known.to_string()));
        let resp = app.post_claim(&body).await;
        let status = resp.status();
        let filed: Value = resp.json().await.unwrap();
        assert_eq!(status, 201, "{known}: {filed}");
        assert_eq!(filed["filing_deadline"], last.to_string(), "{known}");
        let stored = claim::Entity::find()
            .filter(claim::Column::Reference.eq(filed["reference"].as_str().unwrap()))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.filing_deadline, last);
    }
    app.cleanup().await;
}

async fn all_77_provinces_route_to_their_region(b: Backend) {
    // One filing from each province's hospital, each from its own address.
    let fresh = crate::common::fresh_database(b).await;
    let app = crate::common::spawn_on(&fresh, &[("TRUSTED_PROXIES", "127.0.0.1")]).await;
    let csv = include_str!("../../../app/src/domain/provinces.csv");
    let mut seen = 0;
    for line in csv.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split(',').collect();
        let (code, region): (&str, u64) = (f[0], f[f.len() - 1].trim().parse().unwrap());
        let mut body = valid_petition();
        set_path(&mut body, "service_unit.province_code", json!(code));
        let resp = app
            .client
            .post(app.url("/api/v1/claims"))
            .header("X-Forwarded-For", format!("192.0.2.{seen}"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 201, "province {code}");
        let filed: Value = resp.json().await.unwrap();
        assert_eq!(filed["region"], region, "province {code} ({})", f[2]);
        seen += 1;
    }
    assert_eq!(seen, 77);
    assert_eq!(app.claim_count().await, 77);
    app.db.close().await.unwrap();
    fresh.remove().await;
}

async fn a_retried_idempotency_key_gives_one_claim(b: Backend) {
    let app = spawn_app(b).await;
    let send = || {
        app.client
            .post(app.url("/api/v1/claims"))
            .header("Idempotency-Key", "hospital-42-req-1")
            .json(&valid_petition())
            .send()
    };
    let first = send().await.unwrap();
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let second = send().await.unwrap();
    assert_eq!(second.status(), 201);
    assert_eq!(second.headers().get("idempotent-replayed").unwrap(), "true");
    let second: Value = second.json().await.unwrap();
    assert_eq!(first, second);
    assert_eq!(app.claim_count().await, 1);
    // The database keeps neither the access code nor the key readable.
    let code = first["access_code"].as_str().unwrap();
    let stored = app::backend::entities::idempotency_key::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    for row in stored {
        assert!(
            !row.response_body.contains(code) && !row.key.contains("hospital-42"),
            "{row:?}"
        );
    }
    let claim = app::backend::entities::claim::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(
        claim.access_code_hash.starts_with("hmac-sha256$")
            && !claim.access_code_hash.contains(code)
    );
    app.cleanup().await;
}

async fn concurrent_retries_give_one_claim(b: Backend) {
    let app = spawn_app(b).await;
    let body = valid_petition();
    let sends = (0..6).map(|_| {
        app.client
            .post(app.url("/api/v1/claims"))
            .header("Idempotency-Key", "burst-1")
            .json(&body)
            .send()
    });
    let answers = futures_join_all(sends).await;
    let mut refs = std::collections::BTreeSet::new();
    for a in answers {
        let a = a.unwrap();
        let status = a.status();
        let text = a.text().await.unwrap();
        assert_eq!(status, 201, "{text}");
        let v: Value = serde_json::from_str(&text).unwrap();
        refs.insert(v["reference"].as_str().unwrap().to_string());
    }
    assert_eq!(refs.len(), 1, "every retry got the same reference");
    assert_eq!(app.claim_count().await, 1);
    app.cleanup().await;
}

/// Filings that arrive together are written together; each is still its own claim, with
/// its own answer, history, mail and reference. A key sent several times within the burst
/// still makes one claim, and its copies do not make the others fail.
async fn a_burst_of_filings_each_gets_its_own_claim_and_mail(b: Backend) {
    use app::backend::entities::{claim, outbox};
    // 32 people, each from their own address (through the proxy in front).
    let fresh = crate::common::fresh_database(b).await;
    let app = crate::common::spawn_on(&fresh, &[("TRUSTED_PROXIES", "127.0.0.1")]).await;
    let petition = |i: usize| {
        let mut p = valid_petition();
        set_path(&mut p, "patient.name", json!(format!("ผู้ป่วยคนที่ {i}")));
        set_path(
            &mut p,
            "patient.email",
            json!(format!("patient{i}@example.org")),
        );
        p
    };
    // 32 different people, 8 copies of one request retried with the same key.
    let sends = (0..40).map(|i| {
        let req = app
            .client
            .post(app.url("/api/v1/claims"))
            .header("X-Forwarded-For", format!("198.51.100.{i}"));
        let req = if i < 32 {
            req.header("Idempotency-Key", format!("burst-{i}"))
                .json(&petition(i))
        } else {
            req.header("Idempotency-Key", "burst-shared")
                .json(&petition(99))
        };
        req.send()
    });
    let mut answers = Vec::new();
    for a in futures_join_all(sends).await {
        let a = a.unwrap();
        let status = a.status();
        let text = a.text().await.unwrap();
        assert_eq!(status, 201, "{text}");
        answers.push(serde_json::from_str::<Value>(&text).unwrap());
    }
    let reference = |v: &Value| v["reference"].as_str().unwrap().to_string();
    let shared: std::collections::BTreeSet<_> = answers[32..].iter().map(reference).collect();
    assert_eq!(
        shared.len(),
        1,
        "every copy of one request got the same reference"
    );
    let all: std::collections::BTreeSet<_> = answers.iter().map(reference).collect();
    assert_eq!(all.len(), 33, "each person's filing got its own reference");
    assert_eq!(app.claim_count().await, 33);
    assert_eq!(app.event_count().await, 33);

    let mails = outbox::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(mails.len(), 33, "one confirmation per claim");
    for (i, answer) in answers.iter().enumerate().take(33) {
        let who = if i < 32 { i } else { 99 };
        let r = reference(answer);
        let row = claim::Entity::find()
            .filter(claim::Column::Reference.eq(r.clone()))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.patient_name, format!("ผู้ป่วยคนที่ {who}"), "{r}");
        let to = format!("patient{who}@example.org");
        let theirs: Vec<_> = mails.iter().filter(|m| m.to_address == to).collect();
        assert_eq!(theirs.len(), 1, "{to}");
        assert!(
            theirs[0].subject.contains(&r),
            "{to} was told {}",
            theirs[0].subject
        );
        // The answer's access code opens that claim and no other.
        let status = app
            .api_status(&r, answer["access_code"].as_str().unwrap())
            .await;
        assert_eq!(status["reference"], r.as_str());
    }
    app.db.close().await.unwrap();
    fresh.remove().await;
}

/// Runs futures concurrently on the runtime and collects their results in order.
async fn futures_join_all<F, T>(futs: impl Iterator<Item = F>) -> Vec<T>
where
    F: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let handles: Vec<_> = futs.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

/// A key names its own request only: a stranger who sends someone's key first, with their
/// own body, neither takes that key nor blocks or learns the other's filing.
async fn a_key_is_scoped_by_its_request(b: Backend) {
    let app = spawn_app(b).await;
    let post = |body: Value| {
        app.client
            .post(app.url("/api/v1/claims"))
            .header("Idempotency-Key", "k-1")
            .json(&body)
            .send()
    };
    let mut stranger = valid_petition();
    set_path(&mut stranger, "burden", json!("คำร้องของคนอื่น"));
    let first = post(stranger).await.unwrap();
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    // The owner of the key files with it: their own claim, not the stranger's answer.
    let mine = post(valid_petition()).await.unwrap();
    assert_eq!(mine.status(), 201);
    assert!(mine.headers().get("idempotent-replayed").is_none());
    let mine: Value = mine.json().await.unwrap();
    assert_ne!(mine["reference"], first["reference"]);
    assert_eq!(app.claim_count().await, 2);
    // And their retry is answered as the first time, access code and all.
    let again = post(valid_petition()).await.unwrap();
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["reference"], mine["reference"]);
    assert_eq!(again["access_code"], mine["access_code"]);
    assert_eq!(app.claim_count().await, 2);
    app.cleanup().await;
}

async fn malformed_and_oversized_bodies_store_nothing(b: Backend) {
    let app = spawn_app(b).await;
    let resp = app
        .client
        .post(app.url("/api/v1/claims"))
        .header("content-type", "application/json")
        .body("{\"filer\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let v: Value = resp.json().await.unwrap();
    assert!(
        v["message"].as_str().unwrap().contains("not valid JSON"),
        "{v}"
    );
    let mut huge = valid_petition();
    set_path(&mut huge, "burden", json!("ก".repeat(70_000)));
    let sent = app
        .client
        .post(app.url("/api/v1/claims"))
        .json(&huge)
        .send()
        .await;
    match sent {
        Ok(resp) => assert_eq!(resp.status(), 413),
        // The server refuses from the Content-Length alone and closes the connection, so a
        // client still writing the body may see the pipe break before it reads the 413.
        Err(e) => assert!(crate::common::cut_off(&e), "{e:?}"),
    }
    // Long but under the body limit: named as too long.
    let mut long = valid_petition();
    set_path(&mut long, "damage_description", json!("x".repeat(5001)));
    assert_rejected_naming(&app, &long, "damage_description", "too_long").await;
    assert_eq!(app.claim_count().await, 0);
    app.cleanup().await;
}

async fn openapi_describes_the_api(b: Backend) {
    let app = spawn_app(b).await;
    let spec: Value = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(spec["openapi"], "3.1.0");
    for path in [
        "/api/v1/claims",
        "/api/v1/claims/{reference}",
        "/api/v1/claims/{reference}/documents",
    ] {
        assert!(spec["paths"][path].is_object(), "{path}");
    }
    // Each documented shape of petition (one per kind of filer) has exactly the fields the
    // server reads.
    let raw = serde_json::to_value(app::domain::RawPetition::default()).unwrap();
    let keys = |v: &Value| -> std::collections::BTreeSet<String> {
        v.as_object().unwrap().keys().cloned().collect()
    };
    let shapes = spec["components"]["schemas"]["Petition"]["oneOf"]
        .as_array()
        .unwrap();
    assert_eq!(shapes.len(), 3);
    for shape in shapes {
        let props = &shape["properties"];
        assert_eq!(keys(props), keys(&raw), "{}", shape["title"]);
        for group in ["filer", "patient", "service_unit"] {
            assert_eq!(
                keys(&props[group]["properties"]),
                keys(&raw[group]),
                "{} {group}",
                shape["title"]
            );
        }
    }
    // The limits are documented with when to come back.
    let filing = &spec["paths"]["/api/v1/claims"]["post"]["responses"];
    for status in ["201", "400", "413", "422", "429", "503"] {
        assert!(filing[status].is_object(), "{status}");
    }
    assert!(filing["429"]["headers"]["Retry-After"].is_object());
    let reading = &spec["paths"]["/api/v1/claims/{reference}"]["get"];
    let code = reading["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "X-Access-Code")
        .unwrap();
    assert_eq!(code["required"], true);
    assert!(
        code["schema"]["pattern"].is_string(),
        "a blank code is not a code"
    );
    app.cleanup().await;
}

/// A batch of filings is written as one statement on PostgreSQL, so which unique value
/// clashed is read from the engine's error: a claim's id or reference (drawn again), or
/// anything else, such as an `Idempotency-Key` (answered from the first filing's record).
async fn a_taken_reference_is_told_from_other_clashes(b: Backend) {
    use app::backend::claims::reference_taken;
    use app::backend::entities::{claim, idempotency_key};
    use sea_orm::{ActiveValue::Set, IntoActiveModel};
    let app = spawn_app(b).await;
    let resp = app
        .client
        .post(app.url("/api/v1/claims"))
        .header("Idempotency-Key", "2b0f3c1e-0d6a-4f51-9a53-8f7e7c1d2a11")
        .json(&valid_petition())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    let filed = claim::Entity::find().one(&app.db).await.unwrap().unwrap();
    let again = |change: fn(&mut claim::ActiveModel)| {
        let mut row = filed.clone().into_active_model();
        change(&mut row);
        claim::Entity::insert(row).exec_without_returning(&app.db)
    };
    let same_reference = again(|r| r.id = Set(uuid::Uuid::new_v4())).await.unwrap_err();
    assert!(reference_taken(&same_reference), "{same_reference}");
    let same_id = again(|r| r.reference = Set("S41-2569-ZZZZZZ".into())).await.unwrap_err();
    assert!(reference_taken(&same_id), "{same_id}");
    let key = idempotency_key::Entity::find().one(&app.db).await.unwrap().unwrap();
    let same_key = idempotency_key::Entity::insert(key.into_active_model())
        .exec_without_returning(&app.db)
        .await
        .unwrap_err();
    assert!(!reference_taken(&same_key), "{same_key}");
    assert_eq!(app.claim_count().await, 1);
    app.cleanup().await;
}
