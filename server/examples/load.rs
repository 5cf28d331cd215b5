//! A load benchmark that prints its figures: files claims through the JSON API with a given
//! concurrency, then reads their status back and renders the home page, against a fresh
//! SQLite file or PostgreSQL database, all on this machine's loopback.
//!
//!     cargo run -p server --example load -- [sqlite|postgres] [claims] [concurrency]
//!
//! Defaults: sqlite, 400 claims, 16 at a time. Add `--release` for production-like figures.
//! Run it from the repository root after a build, so `target/site` holds the bundle.
//!
//! It ends with the deployment figures (issue "Ready to deploy"), each measured in the same
//! run and printed beside its goal:
//! - durable filings/s through the API, 32 at a time, ÷ raw durable single-row commits/s of the same
//!   database on the same disk (SQLite: WAL, synchronous=FULL, 1 KB rows, 4 writers;
//!   PostgreSQL: single-row INSERT transactions, 8 clients) — goal ≥ 0.5;
//! - the server-rendered home page's req/s ÷ `/healthz`'s, 32 at a time — goal ≥ 0.5;
//!   static files ÷ `/healthz` — goal ≥ 1.0;
//! - the claim form's WASM + JS as transferred (brotli) — goal ≤ 350 KB.

mod common;

use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

fn petition(i: usize) -> Value {
    let today = app::backend::calendar::today_in_bangkok();
    let d = |n: i64| {
        (today - chrono::Duration::days(n))
            .format("%Y-%m-%d")
            .to_string()
    };
    let province = app::domain::region::all_provinces()[i % 77].code;
    json!({
        "filer": {"relation": "self"},
        "patient": {"name": format!("ผู้ป่วย {i}"), "national_id": "1101700230708", "address": "99 ถ.มหิดล", "phone": "0812345678"},
        "service_unit": {"name": "โรงพยาบาลทดสอบ", "province_code": format!("{province:02}")},
        "treatment_date": d(30), "damage_known_date": d(20),
        "damage_description": "ทดสอบภาระ", "burden": "ทดสอบ"
    })
}

fn summary(name: &str, mut lat: Vec<Duration>, wall: Duration) {
    lat.sort();
    let pct = |p: f64| {
        lat[((lat.len() as f64 * p).ceil() as usize)
            .saturating_sub(1)
            .min(lat.len() - 1)]
    };
    println!(
        "{name:<28} n={:<5} throughput={:>7.1}/s  p50={:>7.1}ms  p95={:>7.1}ms  p99={:>7.1}ms  max={:>7.1}ms",
        lat.len(),
        lat.len() as f64 / wall.as_secs_f64(),
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.95).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
        lat.last().unwrap().as_secs_f64() * 1e3
    );
}

async fn run<F, Fut>(n: usize, concurrency: usize, f: F) -> (Vec<Duration>, Duration, Vec<Value>)
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Value> + Send,
{
    let sem = Arc::new(Semaphore::new(concurrency));
    let f = Arc::new(f);
    let start = Instant::now();
    let mut handles = Vec::new();
    for i in 0..n {
        let (sem, f) = (sem.clone(), f.clone());
        handles.push(tokio::spawn(async move {
            let _permit = sem.acquire().await.unwrap();
            let t = Instant::now();
            let v = f(i).await;
            (t.elapsed(), v)
        }));
    }
    let mut lat = Vec::new();
    let mut out = Vec::new();
    for h in handles {
        let (d, v) = h.await.unwrap();
        lat.push(d);
        out.push(v);
    }
    (lat, start.elapsed(), out)
}

/// Durable single-row commits per second on the same database engine and disk, measured
/// for 3 seconds: SQLite in WAL with synchronous=FULL, 1 KB rows, 4 writers; PostgreSQL
/// single-row INSERT transactions from 8 clients.
async fn raw_commits_per_second(backend: &str, url: &str, dir: &std::path::Path) -> f64 {
    use sea_orm::sqlx;
    let row = "x".repeat(1024);
    let count = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    // `writers` tasks, each committing one row at a time for 3 seconds.
    macro_rules! hammer {
        ($pool:expr, $writers:expr, $insert:expr) => {
            (0..$writers)
                .map(|_| {
                    let (pool, row, count) = ($pool.clone(), row.clone(), count.clone());
                    tokio::spawn(async move {
                        let start = Instant::now();
                        while start.elapsed() < Duration::from_secs(3) {
                            sqlx::query($insert)
                                .bind(&row)
                                .execute(&pool)
                                .await
                                .unwrap();
                            count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        }
                    })
                })
                .collect::<Vec<_>>()
        };
    }
    let tasks = if backend == "postgres" {
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(8)
            .connect(url)
            .await
            .unwrap();
        sqlx::query("CREATE TABLE raw_commits (id BIGSERIAL PRIMARY KEY, v TEXT NOT NULL)")
            .execute(&pool)
            .await
            .unwrap();
        hammer!(pool, 8, "INSERT INTO raw_commits (v) VALUES ($1)")
    } else {
        use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
        let opts = SqliteConnectOptions::new()
            .filename(dir.join("raw-commits.db"))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(10));
        let pool = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(opts)
            .await
            .unwrap();
        sqlx::query("CREATE TABLE raw_commits (id INTEGER PRIMARY KEY, v TEXT NOT NULL)")
            .execute(&pool)
            .await
            .unwrap();
        hammer!(pool, 4, "INSERT INTO raw_commits (v) VALUES (?)")
    };
    let start = Instant::now();
    for t in tasks {
        t.await.unwrap();
    }
    count.load(std::sync::atomic::Ordering::Relaxed) as f64 / start.elapsed().as_secs_f64()
}

#[tokio::main]
async fn main() {
    let (backend, n, c) = common::args(400, 16);
    let fresh = common::Fresh::new("load", &backend).await;
    let config = fresh.config();
    let base = server::spawn_local(&config).await.unwrap().base;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(c)
        .build()
        .unwrap();
    println!(
        "Section 41 load benchmark: backend={backend}, claims={n}, concurrency={c}, build={}, cores={}",
        if cfg!(debug_assertions) { "debug" } else { "release" },
        std::thread::available_parallelism().map(|p| p.get()).unwrap_or(1)
    );

    // A server makes its brotli copies of the built files once, on a background thread,
    // right after it starts; every figure here is for the steady state after that.
    let raw_client = reqwest::Client::builder()
        .no_gzip()
        .no_brotli()
        .build()
        .unwrap();
    let compressed = Instant::now();
    for file in ["/pkg/section41.css", "/pkg/section41.js", "/pkg/section41.wasm"] {
        loop {
            let r = raw_client
                .get(format!("{base}{file}"))
                .header("Accept-Encoding", "br")
                .send()
                .await
                .unwrap();
            if r.headers().get("content-encoding").is_some_and(|e| e == "br") {
                break;
            }
            assert!(
                compressed.elapsed() < Duration::from_secs(120),
                "{file} never came brotli-compressed"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    println!(
        "(waited {:.1} s for the server's brotli copies of the built files)",
        compressed.elapsed().as_secs_f64()
    );

    let (cl, b) = (client.clone(), base.clone());
    let (lat, wall, filed) = run(n, c, move |i| {
        let (cl, b) = (cl.clone(), b.clone());
        async move {
            let r = cl
                .post(format!("{b}/api/v1/claims"))
                .header("X-Forwarded-For", common::client_address(i))
                .json(&petition(i))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 201);
            r.json::<Value>().await.unwrap()
        }
    })
    .await;
    summary("POST /api/v1/claims", lat, wall);

    let filed = Arc::new(filed);
    let (cl, b, f2) = (client.clone(), base.clone(), filed.clone());
    // Every code check is counted for its client before it is made (so parallel guesses
    // cannot slip past the limit), so one address has at most `MAX_FAILURES` in flight.
    let readers = c.min(app::backend::throttle::MAX_FAILURES as usize);
    let (lat, wall, _) = run(n, readers, move |i| {
        let (cl, b, f) = (cl.clone(), b.clone(), f2.clone());
        async move {
            let r = cl
                .get(format!(
                    "{b}/api/v1/claims/{}",
                    f[i]["reference"].as_str().unwrap()
                ))
                .header("X-Access-Code", f[i]["access_code"].as_str().unwrap())
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
            Value::Null
        }
    })
    .await;
    summary(&format!("GET /api/v1/claims/{{ref}} ({readers} at a time)"), lat, wall);

    let (cl, b) = (client.clone(), base.clone());
    let (lat, wall, _) = run(n, c, move |_| {
        let (cl, b) = (cl.clone(), b.clone());
        async move {
            let r = cl.get(format!("{b}/")).send().await.unwrap();
            assert_eq!(r.status(), 200);
            r.text().await.unwrap();
            Value::Null
        }
    })
    .await;
    summary("GET / (server-rendered page)", lat, wall);

    // ---- the deployment figures, each beside its goal ----

    let raw = raw_commits_per_second(&backend, &fresh.url, &fresh.dir).await;
    // 32 filers at a time, like the page figures below, and enough filings to last a few
    // seconds whatever the first phase's count.
    let filings = {
        let (cl, b) = (client.clone(), base.clone());
        let (lat, wall, _) = run(n.max(4000), 32, move |i| {
            let (cl, b) = (cl.clone(), b.clone());
            async move {
                let r = cl
                    .post(format!("{b}/api/v1/claims"))
                    .header("X-Forwarded-For", common::client_address(i + 1_000_000))
                    .json(&petition(i + 1_000_000))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 201);
                Value::Null
            }
        })
        .await;
        lat.len() as f64 / wall.as_secs_f64()
    };
    let per_second = |path: &'static str| {
        let (cl, b) = (client.clone(), base.clone());
        async move {
            let reps = 4000;
            let (lat, wall, _) = run(reps, 32, move |_| {
                let (cl, b) = (cl.clone(), b.clone());
                async move {
                    let r = cl.get(format!("{b}{path}")).send().await.unwrap();
                    assert_eq!(r.status(), 200, "{path}");
                    r.bytes().await.unwrap();
                    Value::Null
                }
            })
            .await;
            lat.len() as f64 / wall.as_secs_f64()
        }
    };
    let healthz = per_second("/healthz").await;
    let home = per_second("/").await;
    let css = per_second("/pkg/section41.css").await;
    let favicon = per_second("/favicon.svg").await;
    let mut bundle = 0usize;
    for file in ["/pkg/section41.wasm", "/pkg/section41.js"] {
        let r = raw_client
            .get(format!("{base}{file}"))
            .header("Accept-Encoding", "br, gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            200,
            "{file}: run from the repository root after a build"
        );
        bundle += r.bytes().await.unwrap().len();
    }
    println!("\nfigure                                         measured         goal      verdict");
    let line = |name: &str, value: f64, goal: &str, ok: bool| {
        println!(
            "{name:<46} {value:>10.2}   {goal:>10}   {}",
            if ok { "meets goal" } else { "below goal" }
        )
    };
    println!("  (raw durable single-row commits: {raw:.0}/s; API filings, 32 at a time: {filings:.1}/s)");
    line(
        "durable filings/s ÷ raw durable commits/s",
        filings / raw,
        "≥ 0.5",
        filings / raw >= 0.5,
    );
    println!("  (32 at a time: /healthz {healthz:.0}/s, / {home:.0}/s, /pkg/section41.css {css:.0}/s, /favicon.svg {favicon:.0}/s)");
    line(
        "home page req/s ÷ /healthz req/s",
        home / healthz,
        "≥ 0.5",
        home / healthz >= 0.5,
    );
    line(
        "static file req/s ÷ /healthz req/s (css)",
        css / healthz,
        "≥ 1.0",
        css >= healthz,
    );
    line(
        "static file req/s ÷ /healthz req/s (favicon)",
        favicon / healthz,
        "≥ 1.0",
        favicon >= healthz,
    );
    line(
        "form WASM + JS transferred, KB (brotli)",
        bundle as f64 / 1024.0,
        "≤ 350",
        bundle <= 350 * 1024,
    );

    drop(filed);
    fresh.remove().await;
}
