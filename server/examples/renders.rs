//! Renders public and staff pages many times at once and counts the renders that took
//! over 5 seconds (goal: none). Pages once stalled for ever, about one in several thousand
//! (leptos-rs/leptos#4773, fixed by listing routes once per process); this is the check
//! at volume, against a fresh SQLite file or PostgreSQL database on this machine.
//!
//!     cargo run --release -p server --example renders -- [sqlite|postgres] [renders] [concurrency]
//!
//! Defaults: sqlite, 100000 renders, 32 at a time.

mod common;

use app::domain::access::{Grant, Role};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

const SLOW: Duration = Duration::from_secs(5);

fn petition(i: usize) -> Value {
    let today = app::backend::calendar::today_in_bangkok();
    let d = |n: i64| {
        (today - chrono::Duration::days(n))
            .format("%Y-%m-%d")
            .to_string()
    };
    json!({
        "filer": {"relation": "self"},
        "patient": {"name": format!("ผู้ป่วย {i}"), "national_id": "1101700230708", "address": "99 ถ.มหิดล", "phone": "0812345678"},
        "service_unit": {"name": "โรงพยาบาลทดสอบ", "province_code": "50"},
        "treatment_date": d(30), "damage_known_date": d(20),
        "damage_description": "ทดสอบ", "burden": "ทดสอบ"
    })
}

#[tokio::main]
async fn main() {
    let (backend, n, c) = common::args(100_000, 32);
    let fresh = common::Fresh::new("renders", &backend).await;
    let config = fresh.config();
    let running = server::spawn_local(&config).await.unwrap();
    let base = running.base.clone();
    let anonymous = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut references = Vec::new();
    for i in 0..40 {
        let v = common::file_claim(&anonymous, &base, &petition(i)).await;
        references.push(v["reference"].as_str().unwrap().to_string());
    }
    let draft = anonymous
        .post(format!("{base}/file/start"))
        .send()
        .await
        .unwrap()
        .headers()["location"]
        .to_str()
        .unwrap()
        .to_string();
    app::backend::staff::create_user(
        &running.db,
        "officer1@bench.test",
        "officer1@bench.test",
        "correct horse battery",
        &[Grant::new(Role::RegionalOfficer, app::domain::Region::new(1)).unwrap()],
    )
    .await
    .unwrap();
    let staff = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap();
    staff
        .post(format!("{base}/staff/login"))
        .form(&[
            ("email", "officer1@bench.test"),
            ("password", "correct horse battery"),
        ])
        .send()
        .await
        .unwrap();
    // Public pages (one with the draft's Resource) and staff pages (two Resources each).
    let mut pages: Vec<(bool, String)> = ["/", "/offices", "/file", "/check"]
        .iter()
        .map(|p| (false, p.to_string()))
        .collect();
    pages.push((false, draft.clone()));
    pages.push((true, "/staff".into()));
    pages.push((true, "/staff/meetings".into()));
    for r in references.iter().take(5) {
        pages.push((true, format!("/staff/claims/{r}")));
    }
    println!(
        "Section 41 render benchmark: backend={backend}, renders={n}, concurrency={c}, pages={}, build={}",
        pages.len(),
        if cfg!(debug_assertions) { "debug" } else { "release" }
    );
    let pages = Arc::new(pages);
    let (slow, failed) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let sem = Arc::new(Semaphore::new(c));
    let start = Instant::now();
    let mut handles = Vec::with_capacity(n);
    for i in 0..n {
        let permit = sem.clone().acquire_owned().await.unwrap();
        let (pages, slow, failed) = (pages.clone(), slow.clone(), failed.clone());
        let (anonymous, staff, base) = (anonymous.clone(), staff.clone(), base.clone());
        handles.push(tokio::spawn(async move {
            let _permit = permit;
            let (is_staff, path) = &pages[i % pages.len()];
            let client = if *is_staff { &staff } else { &anonymous };
            let t = Instant::now();
            let whole = match tokio::time::timeout(Duration::from_secs(60), async {
                let r = client.get(format!("{base}{path}")).send().await.ok()?;
                (r.status() == 200).then_some(())?;
                r.text().await.ok()
            })
            .await
            {
                Ok(Some(_)) => true,
                _ => false,
            };
            let took = t.elapsed();
            if !whole {
                failed.fetch_add(1, Ordering::Relaxed);
            }
            if took > SLOW {
                slow.fetch_add(1, Ordering::Relaxed);
            }
            took
        }));
    }
    let mut lat = Vec::with_capacity(n);
    for h in handles {
        lat.push(h.await.unwrap());
    }
    let wall = start.elapsed();
    lat.sort();
    let pct = |p: f64| lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)];
    println!(
        "{n} renders in {:.1} s ({:.0}/s): p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; failed {}",
        wall.as_secs_f64(),
        n as f64 / wall.as_secs_f64(),
        pct(0.5).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
        lat.last().unwrap().as_secs_f64() * 1e3,
        failed.load(Ordering::Relaxed)
    );
    let over = slow.load(Ordering::Relaxed);
    println!(
        "renders over 5 s: {over}   goal: 0   {}",
        if over == 0 && failed.load(Ordering::Relaxed) == 0 {
            "meets goal"
        } else {
            "below goal"
        }
    );
    running.db.close().await.unwrap();
    fresh.remove().await;
}
