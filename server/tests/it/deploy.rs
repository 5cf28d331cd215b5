//! What a deployment leans on: instances that start together on an empty database, a
//! shutdown that lets a filing in flight finish, and mail from the configured sender.

use crate::api_documents::{upload, PDF};
use crate::common::{fresh_database, set_path, spawn_on, valid_petition, Backend};
use crate::on_both;
use crate::staff::staff_client;
use app::domain::access::{Grant, Role};
use sea_orm::{Database, EntityTrait, PaginatorTrait};
use serde_json::json;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

on_both!(
    a_crash_loses_no_acknowledged_filing_and_retries_file_once,
    metrics_count_filings_and_answer_only_the_operator,
    access_codes_hashed_with_argon2_still_open_their_claims,
    two_instances_on_one_database_share_everything,
    a_document_kept_as_a_file_is_moved_into_the_database,
    instances_started_at_once_on_an_empty_database_all_come_up,
    sigterm_lets_a_filing_in_flight_finish,
    mail_comes_from_the_configured_sender
);

/// The built files are served from memory, compressed once (brotli, else gzip, as the
/// browser accepts). Pages link them by hashed names, kept a year; the plain names are kept
/// an hour and then revalidated (304 while unchanged). The stylesheet points at the fonts'
/// hashed names; fonts (already compressed) go as they are.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn static_files_are_compressed_hashed_and_revalidated() {
    let fresh = fresh_database(Backend::Sqlite).await;
    let site = fresh.dir.join("site");
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    std::fs::create_dir_all(site.join("fonts")).unwrap();
    let js = "export function hydrate() { /* the islands */ }\n".repeat(200);
    std::fs::write(site.join("pkg/section41.js"), &js).unwrap();
    std::fs::write(site.join("pkg/section41.wasm"), b"\0asm\x01\0\0\0").unwrap();
    let css = "@font-face{src:url(/fonts/sarabun.woff2) format(\"woff2\")}\nbody{margin:0}\n".repeat(20);
    std::fs::write(site.join("pkg/section41.css"), &css).unwrap();
    let font: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
    std::fs::write(site.join("fonts/sarabun.woff2"), &font).unwrap();
    std::fs::write(site.join("favicon.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>").unwrap();
    let app = spawn_on(&fresh, &[("LEPTOS_SITE_ROOT", &site.display().to_string())]).await;
    let raw = reqwest::Client::builder()
        .no_gzip()
        .no_brotli()
        .build()
        .unwrap();
    let get = |path: String, encodings: &'static str| {
        raw.get(app.url(&path))
            .header("Accept-Encoding", encodings)
            .send()
    };

    // The page links the stylesheet by its hashed name, and its loader script is given
    // the hashed stems of the JS and the WASM (in that order).
    let home = app.client.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    let css_url = hashed_link(&home, "/pkg/section41.", ".css")
        .unwrap_or_else(|| panic!("no hashed stylesheet in {home}"));
    let stems: Vec<String> = home
        .match_indices("\"section41.")
        .filter_map(|(at, _)| hashed_link(&home[at..], "\"section41.", "\""))
        .map(|quoted| quoted.trim_matches('"').to_string())
        .collect();
    assert_eq!(stems.len(), 2, "the JS and WASM stems in {home}");
    let (js_url, wasm_url) = (format!("/pkg/{}.js", stems[0]), format!("/pkg/{}.wasm", stems[1]));

    // gzip at once; brotli as soon as it is made (in the background, for a small file
    // well under a second).
    let first = get(js_url.clone(), "gzip").await.unwrap();
    assert_eq!(first.headers()["content-encoding"], "gzip");
    let mut br = None;
    for _ in 0..100 {
        let r = get(js_url.clone(), "br, gzip").await.unwrap();
        if r.headers()["content-encoding"] == "br" {
            br = Some(r);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let r = br.expect("brotli copy made within 10 s");
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(r.headers()["vary"], "accept-encoding");
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/javascript"));
    let sent = r.bytes().await.unwrap().len();
    assert!(sent * 10 < js.len(), "{sent} bytes sent for {}", js.len());
    let identity = get(js_url.clone(), "identity").await.unwrap();
    assert!(identity.headers().get("content-encoding").is_none());
    assert_eq!(identity.text().await.unwrap(), js);

    // The plain name: an hour, then revalidated by its ETag.
    let plain = get("/pkg/section41.js".into(), "br").await.unwrap();
    assert_eq!(plain.headers()["cache-control"], "public, max-age=3600, must-revalidate");
    let etag = plain.headers()["etag"].to_str().unwrap().to_string();
    let again = raw
        .get(app.url("/pkg/section41.js"))
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert!(again.bytes().await.unwrap().is_empty());

    // The stylesheet names the font by its hash; the font goes uncompressed.
    let sheet = get(css_url, "identity").await.unwrap().text().await.unwrap();
    let font_url = hashed_link(&sheet, "/fonts/sarabun.", ".woff2")
        .unwrap_or_else(|| panic!("font not hashed in {sheet}"));
    let f = get(font_url, "br, gzip").await.unwrap();
    assert_eq!(f.headers()["content-type"], "font/woff2");
    assert!(f.headers().get("content-encoding").is_none());
    assert_eq!(f.bytes().await.unwrap().as_ref(), &font[..]);
    assert_eq!(get(wasm_url, "identity").await.unwrap().headers()["content-type"], "application/wasm");
    assert_eq!(get("/favicon.svg".into(), "identity").await.unwrap().status(), 200);
    assert_eq!(get("/pkg/nothing.js".into(), "br").await.unwrap().status(), 404);
    app.db.close().await.unwrap();
    fresh.remove().await;
}

/// The first `{stem}{10 hex}{end}` in `text`.
fn hashed_link(text: &str, stem: &str, end: &str) -> Option<String> {
    text.match_indices(stem).find_map(|(at, _)| {
        let rest = &text[at + stem.len()..];
        let hash = rest.get(..10)?;
        (hash.bytes().all(|b| b.is_ascii_hexdigit()) && rest[10..].starts_with(end))
            .then(|| format!("{stem}{hash}{end}"))
    })
}

/// The value of one metric line (`name{labels}`) in a Prometheus text page, 0 if absent.
fn metric(page: &str, series: &str) -> f64 {
    page.lines()
        .find_map(|l| l.strip_prefix(series).and_then(|v| v.trim().parse().ok()))
        .unwrap_or(0.0)
}

async fn metrics_count_filings_and_answer_only_the_operator(b: Backend) {
    let fresh = fresh_database(b).await;
    let app = spawn_on(&fresh, &[("METRICS_TOKEN", "operator-token-0123456789")]).await;
    let scrape = |token: &'static str| {
        app.client
            .get(app.url("/metrics"))
            .header("Authorization", format!("Bearer {token}"))
            .send()
    };
    assert_eq!(
        app.client
            .get(app.url("/metrics"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(scrape("guess").await.unwrap().status(), 404);
    let before = scrape("operator-token-0123456789").await.unwrap();
    assert_eq!(before.status(), 200);
    let before = before.text().await.unwrap();
    let filed = app.post_claim(&valid_petition()).await;
    assert_eq!(filed.status(), 201);
    assert!(
        filed.headers().contains_key("x-request-id"),
        "every answer names its request"
    );
    let after = scrape("operator-token-0123456789")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // The recorder is the process's: other tests file too, so the count rises by at least one.
    let series = "claims_filed_total{channel=\"api\"}";
    assert!(
        metric(&after, series) >= metric(&before, series) + 1.0,
        "{after}"
    );
    let route = "http_requests_total{route=\"/api/v1/claims\",method=\"POST\",status=\"201\"}";
    assert!(metric(&after, route) >= 1.0, "{after}");
    for name in [
        "http_request_duration_seconds_bucket",
        "outbox_unsent_messages",
        "outbox_oldest_unsent_age_seconds",
        "db_pool_connections{state=\"in_use\"}",
    ] {
        assert!(after.contains(name), "{name} missing from {after}");
    }
    app.db.close().await.unwrap();
    fresh.remove().await;
}

/// Codes are checked with HMAC under the server key now; a claim whose code was hashed with
/// argon2 before still opens with it, and its hash is brought up to date on that opening.
async fn access_codes_hashed_with_argon2_still_open_their_claims(b: Backend) {
    use app::backend::entities::claim;
    use sea_orm::{ColumnTrait, QueryFilter};
    let fresh = fresh_database(b).await;
    let app = spawn_on(&fresh, &[]).await;
    let (reference, code) = crate::api_status::file(&app).await;
    let row = || async {
        claim::Entity::find()
            .filter(claim::Column::Reference.eq(reference.clone()))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
    };
    assert!(row().await.access_code_hash.starts_with("hmac-sha256$"));
    assert!(!row().await.access_code_hash.contains(&code));
    // As stored before this release.
    claim::Entity::update_many()
        .col_expr(
            claim::Column::AccessCodeHash,
            sea_orm::prelude::Expr::value(app::backend::secrets::argon2_hash(&code)),
        )
        .filter(claim::Column::Reference.eq(reference.clone()))
        .exec(&app.db)
        .await
        .unwrap();
    let status = |c: String| {
        app.client
            .get(app.url(&format!("/api/v1/claims/{reference}")))
            .header("X-Access-Code", c)
            .send()
    };
    assert_eq!(status("WRONG-CODE".into()).await.unwrap().status(), 404);
    assert!(row().await.access_code_hash.starts_with("$argon2"));
    assert_eq!(
        status(code.to_lowercase().replace('-', ""))
            .await
            .unwrap()
            .status(),
        200
    );
    assert!(
        row().await.access_code_hash.starts_with("hmac-sha256$"),
        "re-hashed on opening"
    );
    assert_eq!(status(code.clone()).await.unwrap().status(), 200);
    app.db.close().await.unwrap();
    fresh.remove().await;
}

/// Two instances on one database, each with a documents folder of its own (as on two
/// machines): nothing a person does through one is missing from the other.
async fn two_instances_on_one_database_share_everything(b: Backend) {
    let fresh = fresh_database(b).await;
    let one = spawn_on(
        &fresh,
        &[(
            "DOCUMENTS_DIR",
            &fresh.dir.join("one").display().to_string(),
        )],
    )
    .await;
    let two = spawn_on(
        &fresh,
        &[(
            "DOCUMENTS_DIR",
            &fresh.dir.join("two").display().to_string(),
        )],
    )
    .await;
    // Filings spread over both get distinct references, and each reads the other's.
    let filings = (0..10).map(|i| {
        let app = if i % 2 == 0 { &one } else { &two };
        async move { crate::api_status::file(app).await }
    });
    let filed = futures::future::join_all(filings).await;
    let refs: std::collections::BTreeSet<_> = filed.iter().map(|(r, _)| r.clone()).collect();
    assert_eq!(refs.len(), 10);
    for (i, (reference, code)) in filed.iter().enumerate() {
        let other = if i % 2 == 0 { &two } else { &one };
        assert_eq!(
            other.api_status(reference, code).await["reference"],
            *reference
        );
    }
    // A document uploaded through one opens for staff through the other.
    let (reference, code) = &filed[0];
    let doc: serde_json::Value = upload(&one, reference, code, "id-card.pdf", PDF.to_vec())
        .await
        .json()
        .await
        .unwrap();
    let officer = staff_client(
        &one,
        "officer1@nhso.test",
        &[Grant::new(Role::RegionalOfficer, app::domain::Region::new(1)).unwrap()],
    )
    .await;
    // The staff session was made through the first instance; the second honours it.
    let opened = officer
        .get(two.url(&format!(
            "/staff/claims/{reference}/documents/{}",
            doc["id"].as_str().unwrap()
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(opened.status(), 200);
    assert_eq!(opened.bytes().await.unwrap().as_ref(), PDF);
    // One Idempotency-Key sent to both at once makes one claim.
    let send = |app: &crate::common::TestApp| {
        app.client
            .post(app.url("/api/v1/claims"))
            .header("Idempotency-Key", "hospital-7-request-1")
            .json(&valid_petition())
            .send()
    };
    let (a, b2) = tokio::join!(send(&one), send(&two));
    let (a, b2): (serde_json::Value, serde_json::Value) = (
        a.unwrap().json().await.unwrap(),
        b2.unwrap().json().await.unwrap(),
    );
    assert_eq!(a["reference"], b2["reference"]);
    assert_eq!(one.claim_count().await, 11);
    two.db.close().await.unwrap();
    one.db.close().await.unwrap();
    fresh.remove().await;
}

/// A document stored as a file before documents moved into the database still opens, and
/// `documents import` moves it in (checking its hash) and removes the file.
async fn a_document_kept_as_a_file_is_moved_into_the_database(b: Backend) {
    use app::backend::entities::document_content;
    let fresh = fresh_database(b).await;
    let docs_dir = fresh.dir.join("documents");
    let app = spawn_on(&fresh, &[]).await;
    let (reference, code) = crate::api_status::file(&app).await;
    let doc: serde_json::Value = upload(&app, &reference, &code, "scan.pdf", PDF.to_vec())
        .await
        .json()
        .await
        .unwrap();
    let id = uuid::Uuid::parse_str(doc["id"].as_str().unwrap()).unwrap();
    // As it was before migration 000011: the bytes in a file named by the document's id.
    document_content::Entity::delete_by_id(id)
        .exec(&app.db)
        .await
        .unwrap();
    std::fs::create_dir_all(&docs_dir).unwrap();
    std::fs::write(docs_dir.join(id.to_string()), PDF).unwrap();
    let officer = staff_client(
        &app,
        "officer1@nhso.test",
        &[Grant::new(Role::RegionalOfficer, app::domain::Region::new(1)).unwrap()],
    )
    .await;
    let path = format!("/staff/claims/{reference}/documents/{id}");
    let opened = officer.get(app.url(&path)).send().await.unwrap();
    assert_eq!(
        opened.bytes().await.unwrap().as_ref(),
        PDF,
        "still opens from the file"
    );
    let done = app::backend::documents::import_files(&app.db, &docs_dir)
        .await
        .unwrap();
    assert_eq!(done.moved, 1);
    assert!(!docs_dir.join(id.to_string()).exists(), "the file is gone");
    let stored = document_content::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.content, PDF);
    let opened = officer.get(app.url(&path)).send().await.unwrap();
    assert_eq!(
        opened.bytes().await.unwrap().as_ref(),
        PDF,
        "and now from the database"
    );
    // Run again: nothing left to move.
    let again = app::backend::documents::import_files(&app.db, &docs_dir)
        .await
        .unwrap();
    assert_eq!(again, app::backend::documents::Imported::default());
    app.db.close().await.unwrap();
    fresh.remove().await;
}

async fn instances_started_at_once_on_an_empty_database_all_come_up(b: Backend) {
    let fresh = fresh_database(b).await;
    let config = fresh.config(&[]);
    // Eight at the same moment: one opens and migrates, the others wait and find nothing
    // to do. (Opening a new SQLite file from several connections at once failed with
    // "database is locked" about once a run under load; eight make it likely.)
    let started = futures::future::join_all((0..8).map(|_| server::build(&config))).await;
    for started in started {
        let app = started.expect("every instance comes up");
        assert_eq!(
            app::backend::entities::claim::Entity::find()
                .count(&app.db)
                .await
                .unwrap(),
            0
        );
        app.db.close().await.unwrap();
    }
    fresh.remove().await;
}

/// `section41 backup` copies a running SQLite database; `restore` puts the copy in place
/// of a fresh one: every claim, document and audit entry is back, and the chain verifies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_backup_restores_every_claim_document_and_audit_entry() {
    use app::backend::entities::{audit_entry, document_content};
    let fresh = fresh_database(Backend::Sqlite).await;
    let app = spawn_on(&fresh, &[]).await;
    let (reference, code) = crate::api_status::file(&app).await;
    upload(&app, &reference, &code, "scan.pdf", PDF.to_vec()).await;
    crate::api_status::file(&app).await;
    let officer = staff_client(
        &app,
        "officer1@nhso.test",
        &[Grant::new(Role::RegionalOfficer, app::domain::Region::new(1)).unwrap()],
    )
    .await;
    app.page(&officer, &format!("/staff/claims/{reference}"))
        .await; // an audited opening
    let counts = |db: sea_orm::DatabaseConnection| async move {
        let c = (
            app::backend::entities::claim::Entity::find()
                .count(&db)
                .await
                .unwrap(),
            document_content::Entity::find().count(&db).await.unwrap(),
            audit_entry::Entity::find().count(&db).await.unwrap(),
        );
        db.close().await.unwrap();
        c
    };
    let before = counts(app.db.clone()).await;
    assert_eq!((before.0, before.1), (2, 1));
    assert!(before.2 >= 2);
    let cli = |url: &str, dir: &std::path::Path, args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_section41"))
            .args(args)
            .env("DATABASE_URL", url)
            .env("DATA_DIR", dir)
            .env("SECRET_KEY", crate::common::SECRET_KEY)
            .env("RUST_LOG", "warn")
            .output()
            .unwrap()
    };
    // A checkpoint of the log's head, kept outside the database.
    let anchored = cli(&fresh.url, &fresh.dir, &["audit", "checkpoint"]);
    assert!(anchored.status.success(), "{}", String::from_utf8_lossy(&anchored.stderr));
    // Online: the server is still running.
    let copy = fresh.dir.join("backup.db");
    let made = cli(&fresh.url, &fresh.dir, &["backup", copy.to_str().unwrap()]);
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let elsewhere = fresh_database(Backend::Sqlite).await;
    let put = cli(
        &elsewhere.url,
        &elsewhere.dir,
        &["restore", copy.to_str().unwrap()],
    );
    assert!(
        put.status.success(),
        "{}",
        String::from_utf8_lossy(&put.stderr)
    );
    assert_eq!(
        counts(Database::connect(&elsewhere.url).await.unwrap()).await,
        before
    );
    // The audit log's checkpoints are kept outside the database: without them the restored
    // log cannot be checked for a cut tail, and `audit verify` says so.
    let unanchored = cli(&elsewhere.url, &elsewhere.dir, &["audit", "verify"]);
    assert!(!unanchored.status.success());
    assert!(String::from_utf8_lossy(&unanchored.stderr).contains("audit-checkpoints"));
    std::fs::copy(
        fresh.dir.join("audit-checkpoints"),
        elsewhere.dir.join("audit-checkpoints"),
    )
    .unwrap();
    let verified = cli(&elsewhere.url, &elsewhere.dir, &["audit", "verify"]);
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stderr)
    );
    assert!(String::from_utf8_lossy(&verified.stdout).contains("audit log intact"));
    // A database that holds claims is not replaced by accident.
    let again = cli(
        &elsewhere.url,
        &elsewhere.dir,
        &["restore", copy.to_str().unwrap()],
    );
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    app.db.close().await.unwrap();
    fresh.remove().await;
    elsewhere.remove().await;
}

/// The server binary on `fresh`, on a free port; returns the child and its address.
fn start_binary(fresh: &crate::common::FreshDatabase) -> (std::process::Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_section41"))
        .arg("serve")
        .env("DATABASE_URL", &fresh.url)
        .env("DATA_DIR", &fresh.dir)
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("RUST_LOG", "warn")
        .env("SECRET_KEY", crate::common::SECRET_KEY)
        // Tests speak for many people through one loopback "proxy" (`X-Forwarded-For`).
        .env("TRUSTED_PROXIES", "127.0.0.1")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("the server says where it runs")
            .unwrap();
        if let Some(rest) = line.split("running at http://").nth(1) {
            break rest.trim_end_matches('/').to_string();
        }
    };
    // Keep reading what it prints so it never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (child, addr)
}

/// SIGKILL in the middle of concurrent filings, then a restart: every filing that was
/// answered 201 is there, and sending every request again with its Idempotency-Key gives
/// exactly one claim per key (the answered ones with the reference first given).
async fn a_crash_loses_no_acknowledged_filing_and_retries_file_once(b: Backend) {
    use std::sync::{Arc, Mutex};
    let fresh = fresh_database(b).await;
    let (mut child, addr) = start_binary(&fresh);
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let acked: Arc<Mutex<Vec<(String, String, String)>>> = Arc::default();
    let tried: Arc<Mutex<Vec<String>>> = Arc::default();
    // Each request from its own person (address), as the filings of many people would be:
    // one client's 20 filings a window is not what this test is about.
    let file = |client: reqwest::Client, addr: String, key: String| async move {
        let n = key
            .bytes()
            .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
        client
            .post(format!("http://{addr}/api/v1/claims"))
            .header(
                "X-Forwarded-For",
                format!("10.{}.{}.{}", (n >> 16) & 255, (n >> 8) & 255, n & 255),
            )
            .header("Idempotency-Key", key)
            .json(&valid_petition())
            .send()
            .await
    };
    let writers: Vec<_> = (0..8)
        .map(|w| {
            let (client, addr, acked, tried) =
                (client.clone(), addr.clone(), acked.clone(), tried.clone());
            tokio::spawn(async move {
                for i in 0.. {
                    let key = format!("crash-{w}-{i}");
                    tried.lock().unwrap().push(key.clone());
                    match file(client.clone(), addr.clone(), key.clone()).await {
                        Ok(r) if r.status() == 201 => {
                            let v: serde_json::Value = r.json().await.unwrap();
                            let (reference, code) = (
                                v["reference"].as_str().unwrap().to_string(),
                                v["access_code"].as_str().unwrap().to_string(),
                            );
                            acked.lock().unwrap().push((key, reference, code));
                        }
                        _ => return, // the server is gone
                    }
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(Command::new("kill")
        .args(["-KILL", &child.id().to_string()])
        .status()
        .unwrap()
        .success());
    let _ = child.wait();
    for w in writers {
        w.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    let tried = tried.lock().unwrap().clone();
    assert!(
        acked.len() > 10,
        "only {} filings before the crash",
        acked.len()
    );
    let (mut child, addr) = start_binary(&fresh);
    for (_, reference, code) in &acked {
        let r = client
            .get(format!("http://{addr}/api/v1/claims/{reference}"))
            .header("X-Access-Code", code)
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            200,
            "acknowledged claim {reference} survived the crash"
        );
    }
    for key in &tried {
        let r = file(client.clone(), addr.clone(), key.clone())
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{key}");
        let v: serde_json::Value = r.json().await.unwrap();
        if let Some((_, reference, _)) = acked.iter().find(|(k, _, _)| k == key) {
            assert_eq!(
                v["reference"].as_str().unwrap(),
                reference,
                "{key} answered as before"
            );
        }
    }
    let db = Database::connect(&fresh.url).await.unwrap();
    let claims = app::backend::entities::claim::Entity::find()
        .count(&db)
        .await
        .unwrap();
    assert_eq!(
        claims as usize,
        tried.len(),
        "one claim per key, no more, no fewer"
    );
    db.close().await.unwrap();
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
    fresh.remove().await;
}

async fn sigterm_lets_a_filing_in_flight_finish(b: Backend) {
    let fresh = fresh_database(b).await;
    let (mut child, addr) = start_binary(&fresh);
    let body = serde_json::to_vec(&valid_petition()).unwrap();
    let (first, rest) = body.split_at(body.len() / 2);
    // A filing is under way: headers and half the body sent...
    let mut conn = std::net::TcpStream::connect(&addr).unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        conn,
        "POST /api/v1/claims HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    conn.write_all(first).unwrap();
    conn.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    // ...when the service manager asks the server to stop.
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    std::thread::sleep(Duration::from_millis(500));
    // New connections are no longer taken; the one in flight still is.
    assert!(
        std::net::TcpStream::connect(&addr).is_err(),
        "a stopping server takes no new connections"
    );
    conn.write_all(rest).unwrap();
    let mut answer = String::new();
    conn.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    let status = child.wait().unwrap();
    assert!(status.success(), "the server exits cleanly: {status}");
    // The acknowledged claim is in the database.
    let db = Database::connect(&fresh.url).await.unwrap();
    assert_eq!(
        app::backend::entities::claim::Entity::find()
            .count(&db)
            .await
            .unwrap(),
        1
    );
    db.close().await.unwrap();
    fresh.remove().await;
}

async fn mail_comes_from_the_configured_sender(b: Backend) {
    let fresh = fresh_database(b).await;
    let config = fresh.config(&[("MAIL_FROM", "NHSO Section 41 <s41@nhso.example>")]);
    let running = server::spawn_local(&config).await.unwrap();
    let mut body = valid_petition();
    set_path(&mut body, "patient.email", json!("somchai@example.org"));
    let r = reqwest::Client::new()
        .post(format!("{}/api/v1/claims", running.base))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(
        app::backend::mail::send_due(&running.db, &running.mailer)
            .await
            .unwrap(),
        1
    );
    let eml = std::fs::read_dir(fresh.dir.join("outbox"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .next()
        .unwrap();
    assert!(
        eml.contains("From: \"NHSO Section 41\" <s41@nhso.example>")
            || eml.contains("From: NHSO Section 41 <s41@nhso.example>"),
        "{eml}"
    );
    running.db.close().await.unwrap();
    fresh.remove().await;
}
