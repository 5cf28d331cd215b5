//! A scale benchmark that prints its figures: staff queues, paging and search with a large
//! number of claims (default a million), against a fresh SQLite file or PostgreSQL database.
//!
//!     cargo run -p server --example scale -- [sqlite|postgres] [claims] [concurrency]
//!
//! One claim is filed through the API; the rest are copies of it made in SQL, spread over
//! 13 regions, every status, two years of filing times and Thai names (16⁵ surnames), so the
//! database holds what a million real claims would look like to the queue's queries. Then
//! each staff request is timed sequentially (p50/p95 of repeated runs), and the queue is hit
//! concurrently to see throughput and whether any request stalls.

mod common;

use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};

const SYLLABLES: [&str; 16] = [
    "ศรี",
    "สุข",
    "ใจ",
    "ดี",
    "วง",
    "ศักดิ์",
    "ชัย",
    "พงษ์",
    "ทอง",
    "คำ",
    "แก้ว",
    "มณี",
    "รัตน์",
    "นาค",
    "บุญ",
    "มา",
];
const GIVEN: [&str; 12] = [
    "สมชาย",
    "สมหญิง",
    "บุญมี",
    "มาลี",
    "ประเสริฐ",
    "วันเพ็ญ",
    "สุนทร",
    "อรุณี",
    "ชาตรี",
    "นภา",
    "วิชัย",
    "จันทร์เพ็ญ",
];
const STATUSES: [&str; 13] = [
    "submitted",
    "screening",
    "info_requested",
    "referred",
    "under_review",
    "approved",
    "rejected",
    "appealed",
    "appeal_decided",
    "payment_ordered",
    "paid",
    "closed",
    "withdrawn",
];

/// The surname of seeded claim `i`: five syllables picked by i's base-16 digits.
fn surname(i: u64) -> String {
    (0..5)
        .map(|k| SYLLABLES[((i >> (4 * k)) & 15) as usize])
        .collect()
}

/// The reference of seeded claim `i`: a year 2560–2563 and six base-8 symbols 2–9.
fn reference(i: u64) -> String {
    let tail: String = (0..6)
        .map(|k| (b'2' + ((i / 8u64.pow(k)) % 8) as u8) as char)
        .collect();
    format!("S41-{}-{tail}", 2560 + i / 8u64.pow(6))
}

/// A SQL CASE picking `list[(expr) % len]`.
fn pick(expr: &str, list: &[&str]) -> String {
    let arms: String = list
        .iter()
        .enumerate()
        .map(|(k, v)| format!(" WHEN {k} THEN '{v}'"))
        .collect();
    format!("(CASE ({expr}) % {}{arms} END)", list.len())
}

async fn seed(db: &DatabaseConnection, postgres: bool, template: &str, from: u64, to: u64) {
    let digit = |k: u32| {
        if postgres {
            format!("chr(50 + ((i / {}) % 8)::int)", 8u64.pow(k))
        } else {
            format!("char(50 + ((i / {}) % 8))", 8u64.pow(k))
        }
    };
    let tail: Vec<String> = (0..6).map(digit).collect();
    let surname: Vec<String> = (0..5)
        .map(|k| pick(&format!("(i / {})", 16u64.pow(k)), &SYLLABLES))
        .collect();
    let mut overrides = vec![
        (
            "id",
            if postgres {
                "gen_random_uuid()".to_string()
            } else {
                "randomblob(16)".to_string()
            },
        ),
        (
            "reference",
            format!(
                "'S41-' || (2560 + i / {}) || '-' || {}",
                8u64.pow(6),
                tail.join(" || ")
            ),
        ),
        ("region", "(1 + i % 13)".to_string()),
        ("status", pick("(i / 13)", &STATUSES)),
        // Referred to the committee on the way to its status (half the rejections were
        // declined by it, the rest turned down at screening).
        (
            "referred_at",
            format!(
                "CASE WHEN ({s}) IN ('referred', 'under_review', 'approved', 'appealed', \
                 'appeal_decided', 'payment_ordered', 'paid', 'closed') \
                 OR (({s}) = 'rejected' AND (i / 169) % 2 = 0) THEN t.created_at ELSE NULL END",
                s = pick("(i / 13)", &STATUSES)
            ),
        ),
        (
            "patient_name",
            format!("{} || ' ' || {}", pick("i", &GIVEN), surname.join(" || ")),
        ),
        ("assigned_to", "NULL".to_string()),
        ("meeting_id", "NULL".to_string()),
    ];
    if postgres {
        overrides.push((
            "patient_national_id",
            "lpad((1000000000000 + i)::text, 13, '0')".into(),
        ));
        overrides.push((
            "created_at",
            "now() - i * interval '1 minute' - (i % 997) * interval '1 microsecond'".into(),
        ));
        overrides.push(("due_on", "current_date + ((i % 61) - 30)::int".into()));
    } else {
        overrides.push((
            "patient_national_id",
            "printf('%013d', 1000000000000 + i)".into(),
        ));
        overrides.push(("created_at", "strftime('%Y-%m-%dT%H:%M:%S', 'now', '-' || i || ' minutes') || '.' || printf('%06d', 1 + i % 997) || '+00:00'".into()));
        overrides.push(("due_on", "date('now', ((i % 61) - 30) || ' days')".into()));
    }
    let columns: Vec<String> = if postgres {
        db.query_all_raw(Statement::from_string(db.get_database_backend(), "SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'claims' AND table_schema = current_schema() ORDER BY ordinal_position"))
            .await
            .unwrap()
    } else {
        db.query_all_raw(Statement::from_string(db.get_database_backend(), "SELECT name FROM pragma_table_info('claims')")).await.unwrap()
    }
    .into_iter()
    .map(|r| r.try_get::<String>("", "name").unwrap())
    .collect();
    let select: Vec<String> = columns
        .iter()
        .map(|c| {
            overrides
                .iter()
                .find(|(k, _)| k == c)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| format!("t.{c}"))
        })
        .collect();
    let series = if postgres {
        format!("generate_series({from}::bigint, {to}::bigint) AS s(i)")
    } else {
        format!("(WITH RECURSIVE s(i) AS (SELECT {from} UNION ALL SELECT i + 1 FROM s WHERE i < {to}) SELECT i FROM s) AS s")
    };
    let sql = format!(
        "INSERT INTO claims ({}) SELECT {} FROM claims t, {series} WHERE t.reference = '{template}'",
        columns.join(", "),
        select.join(", ")
    );
    db.execute_unprepared(&sql).await.unwrap();
}

struct Timing {
    name: String,
    lat: Vec<Duration>,
    rows: usize,
}

fn print(t: &Timing) {
    let mut lat = t.lat.clone();
    lat.sort();
    let pct = |p: f64| {
        lat[((lat.len() as f64 * p).ceil() as usize)
            .saturating_sub(1)
            .min(lat.len() - 1)]
    };
    println!(
        "{:<44} n={:<3} p50={:>8.1}ms  p95={:>8.1}ms  max={:>8.1}ms  listed={}",
        t.name,
        lat.len(),
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.95).as_secs_f64() * 1e3,
        lat.last().unwrap().as_secs_f64() * 1e3,
        t.rows
    );
}

/// Times `GET path` `n` times, sequentially; returns the timing and the last body.
async fn time(
    client: &reqwest::Client,
    base: &str,
    name: &str,
    path: &str,
    n: usize,
) -> (Timing, String) {
    let mut lat = Vec::new();
    let mut body = String::new();
    for _ in 0..n {
        let (took, answer) = timed_get(client, base, path).await;
        lat.push(took);
        body = answer;
    }
    let rows = listed(&body);
    let t = Timing {
        name: name.to_string(),
        lat,
        rows,
    };
    print(&t);
    (t, body)
}

/// One `GET path`, which must answer 200: how long the whole answer took, and its body.
async fn timed_get(client: &reqwest::Client, base: &str, path: &str) -> (Duration, String) {
    let t = Instant::now();
    let r = client.get(format!("{base}{path}")).send().await.unwrap();
    assert_eq!(r.status(), 200, "{path}");
    let body = r.text().await.unwrap();
    (t.elapsed(), body)
}

/// How many claims a queue page lists.
fn listed(body: &str) -> usize {
    body.matches("data-reference=\"").count()
}

fn next_cursor(body: &str) -> Option<String> {
    let at = body.find("before=")? + "before=".len();
    let end = body[at..].find(|c: char| c == '"' || c == '&')?;
    Some(body[at..at + end].to_string())
}

/// The queue address a search leads to: the search form is posted (with the page's CSRF
/// token), and answers with a link holding the search sealed for this person.
async fn search_link(client: &reqwest::Client, base: &str, q: &str) -> String {
    // A short page (few rows), for its CSRF token.
    let page = client
        .get(format!("{base}/staff?status=withdrawn&due=soon"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let marker = "name=\"csrf\" value=\"";
    let at = page.find(marker).expect("csrf") + marker.len();
    let csrf = &page[at..at + page[at..].find('"').unwrap()];
    let r = client
        .post(format!("{base}/staff/search"))
        .form(&[("csrf", csrf), ("q", q)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    r.headers()["location"].to_str().unwrap().to_string()
}

async fn staff(
    db: &DatabaseConnection,
    base: &str,
    email: &str,
    grants: &[app::domain::access::Grant],
) -> reqwest::Client {
    app::backend::staff::create_user(db, email, email, "scale benchmark password", grants)
        .await
        .unwrap();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .timeout(Duration::from_secs(120))
        .build()
        .unwrap();
    let r = client
        .post(format!("{base}/staff/login"))
        .form(&[("email", email), ("password", "scale benchmark password")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    client
}

#[tokio::main]
async fn main() {
    use app::domain::access::{Grant, Role};
    use app::domain::Region;
    let (backend, n, concurrency) = common::args(1_000_000, 16);
    let n = n as u64;
    let postgres = backend == "postgres";
    let fresh = common::Fresh::new("scale", &backend).await;
    let config = fresh.config();
    let running = server::spawn_local(&config).await.unwrap();
    let (base, db) = (running.base.clone(), running.db.clone());
    println!(
        "Section 41 scale benchmark: backend={backend}, claims={n}, concurrency={concurrency}, build={}, cores={}",
        if cfg!(debug_assertions) { "debug" } else { "release" },
        std::thread::available_parallelism().map(|p| p.get()).unwrap_or(1)
    );

    // One real claim, then copies of it.
    let template = file_template(&base).await;
    let t = Instant::now();
    seed_all(&db, postgres, &template, n).await;
    println!(
        "seeded {} claims in {:.1}s",
        n - 1,
        t.elapsed().as_secs_f64()
    );
    // The hourly background work that reads every claim. Its figures are then dropped: the
    // server process below works them out again as it starts, as a new deployment does,
    // while its memory and the queue's p95 are measured, so that cost shows there too.
    let t = Instant::now();
    app::backend::stats::refresh(&db).await.unwrap();
    println!(
        "public statistics worked out from {n} claims in {:.2}s",
        t.elapsed().as_secs_f64()
    );
    db.execute_unprepared("DELETE FROM published_stats")
        .await
        .unwrap();

    let national = staff(
        &db,
        &base,
        "hotline@nhso.test",
        &[Grant::new(Role::Intake, None).unwrap()],
    )
    .await;
    let reviewer3 = staff(
        &db,
        &base,
        "reviewer3@nhso.test",
        &[Grant::new(Role::Reviewer, Region::new(3)).unwrap()],
    )
    .await;
    let board = staff(
        &db,
        &base,
        "board@nhso.test",
        &[Grant::new(Role::AppealBoard, None).unwrap()],
    )
    .await;
    let reps = 20;
    let mut all = Vec::new();
    let (t, first) = time(
        &national,
        &base,
        "queue, first page (national intake)",
        "/staff",
        reps,
    )
    .await;
    all.push(t);
    // Twenty pages deep, following the "next" links.
    let mut cursor = next_cursor(&first);
    let mut lat = Vec::new();
    for _ in 0..20 {
        let Some(c) = cursor else { break };
        let t = Instant::now();
        let body = national
            .get(format!("{base}/staff?before={c}"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        lat.push(t.elapsed());
        cursor = next_cursor(&body);
    }
    let deep = Timing {
        name: "queue, pages 2–21 by next link".into(),
        lat,
        rows: 50,
    };
    print(&deep);
    all.push(deep);
    for (name, client, path) in [
        (
            "queue, status=referred",
            &national,
            "/staff?status=referred".to_string(),
        ),
        (
            "queue, region 5 overdue",
            &national,
            "/staff?region=5&due=overdue".to_string(),
        ),
        (
            "queue, reviewer of region 3",
            &reviewer3,
            "/staff".to_string(),
        ),
        ("queue, appeal board", &board, "/staff".to_string()),
        (
            "search, reference",
            &national,
            search_link(&national, &base, &reference(n / 2)).await,
        ),
        (
            "search, national ID",
            &national,
            search_link(&national, &base, &format!("{:013}", 1_000_000_000_000u64 + n / 3)).await,
        ),
        (
            "search, full surname (few rows)",
            &national,
            search_link(&national, &base, &surname(n / 4)).await,
        ),
        (
            "search, one syllable (many rows)",
            &national,
            search_link(&national, &base, "รัตน์").await,
        ),
        (
            "search, no match",
            &national,
            search_link(&national, &base, "ไม่มีชื่อนี้").await,
        ),
        (
            "case page",
            &national,
            format!("/staff/claims/{}", reference(n / 2)),
        ),
    ] {
        all.push(time(client, &base, name, &path, reps).await.0);
    }

    // Concurrent queue reads: throughput, and any request that stalls (the server answers
    // 503 after 30 s) shows here.
    let total = 400;
    let sem = Arc::new(tokio::sync::Semaphore::new(concurrency));
    let start = Instant::now();
    let mut handles = Vec::new();
    for i in 0..total {
        let (sem, client, base) = (sem.clone(), national.clone(), base.clone());
        let path = if i % 2 == 0 {
            "/staff".to_string()
        } else {
            format!("/staff/claims/{}", reference(i as u64 * 997 % n))
        };
        handles.push(tokio::spawn(async move {
            let _p = sem.acquire().await.unwrap();
            let t = Instant::now();
            let status = client
                .get(format!("{base}{path}"))
                .send()
                .await
                .map(|r| r.status().as_u16())
                .unwrap_or(0);
            (t.elapsed(), status)
        }));
    }
    let mut lat = Vec::new();
    let mut failed = 0;
    for h in handles {
        let (d, s) = h.await.unwrap();
        if s != 200 {
            failed += 1;
        }
        lat.push(d);
    }
    let wall = start.elapsed();
    print(&Timing {
        name: format!("concurrent queue + case pages (x{concurrency})"),
        lat,
        rows: 0,
    });
    println!(
        "  throughput {:.1} requests/s; {failed} of {total} did not answer 200",
        total as f64 / wall.as_secs_f64()
    );

    drop(running);

    // Deployment figures: the release server as a process of its own, on this database and
    // on one of a thousand claims.
    println!("\nserver process (target/release/section41 serve):");
    let (idle, loaded, big, big_client) = process_figures(&db, &fresh, n, 32).await;
    let small = common::Fresh::new("scale_1k", &backend).await;
    let small_process = common::Process::start(&small).await;
    let template = file_template(&small_process.base).await;
    let small_db = sea_orm::Database::connect(&small.url).await.unwrap();
    seed_all(&small_db, postgres, &template, 1_000).await;
    let small_client = staff(
        &small_db,
        &small_process.base,
        "queue-1k@nhso.test",
        &[Grant::new(Role::Intake, None).unwrap()],
    )
    .await;
    time(&small_client, &small_process.base, "queue, first page at 1k (warm-up)", "/staff", 50).await;
    // The two servers are asked in turn, so both are timed under the same conditions on
    // this machine (a busy second elsewhere on it would otherwise land on one side only).
    let (at_big, at_small) = interleaved(
        (&big_client, &big.base),
        (&small_client, &small_process.base),
        "/staff",
        200,
    )
    .await;
    let (p95_big, small_p95) = (p95(&at_big), p95(&at_small));
    print(&Timing {
        name: format!("queue, first page at {n} claims"),
        lat: at_big,
        rows: 50,
    });
    print(&Timing {
        name: "queue, first page at 1k claims".into(),
        lat: at_small,
        rows: 50,
    });
    small_db.close().await.unwrap();
    drop(small_process);
    small.remove().await;
    drop(big);

    println!("\nfigure                                         measured         goal      verdict");
    let line = |name: &str, value: f64, goal: &str, ok: bool| {
        println!(
            "{name:<46} {value:>10.2}   {goal:>10}   {}",
            if ok { "meets goal" } else { "below goal" }
        )
    };
    line(&format!("server memory idle, {n} claims (MiB)"), idle, "≤ 150", idle <= 150.0);
    line("server memory, 32 connections (MiB, peak)", loaded, "≤ 300", loaded <= 300.0);
    println!(
        "  (queue first page p95: {:.1} ms at {n} claims, {:.1} ms at 1,000)",
        p95_big * 1e3,
        small_p95 * 1e3
    );
    line(
        "queue p95 at 1M ÷ at 1k",
        p95_big / small_p95,
        "≤ 1.5",
        p95_big / small_p95 <= 1.5,
    );
    fresh.remove().await;
}

/// Files the claim that the seeded ones copy; returns its reference.
async fn file_template(base: &str) -> String {
    let today = app::backend::calendar::today_in_bangkok();
    let petition = json!({
        "filer": {"relation": "self"},
        "patient": {"name": "แม่แบบ", "national_id": "1101700230708", "address": "99 ถ.มหิดล", "phone": "0812345678"},
        "service_unit": {"name": "โรงพยาบาลทดสอบ", "province_code": "10"},
        "treatment_date": (today - chrono::Duration::days(30)).to_string(), "damage_known_date": (today - chrono::Duration::days(20)).to_string(),
        "damage_description": "ทดสอบ", "burden": "ทดสอบ"
    });
    let filed = common::file_claim(&reqwest::Client::new(), base, &petition).await;
    filed["reference"].as_str().unwrap().to_string()
}

/// Copies the template until the database holds `n` claims, then refreshes the planner's
/// statistics.
async fn seed_all(db: &DatabaseConnection, postgres: bool, template: &str, n: u64) {
    let chunk = 100_000u64;
    let mut from = 1;
    while from < n {
        let to = (from + chunk - 1).min(n - 1);
        seed(db, postgres, template, from, to).await;
        from = to + 1;
    }
    db.execute_unprepared("ANALYZE").await.unwrap();
}

fn p95(lat: &[Duration]) -> f64 {
    let mut lat = lat.to_vec();
    lat.sort();
    lat[((lat.len() as f64 * 0.95).ceil() as usize).saturating_sub(1)].as_secs_f64()
}

/// The server process on `fresh`'s (seeded) database: its resident memory once it has
/// served each kind of page and gone idle, and its peak memory under `connections` clients
/// reading queues, case pages, the home page and status pages; then the process, still
/// running, and a signed-in staff client of it.
async fn process_figures(
    db: &DatabaseConnection,
    fresh: &common::Fresh,
    n: u64,
    connections: usize,
) -> (f64, f64, common::Process, reqwest::Client) {
    use app::domain::access::{Grant, Role};
    let process = common::Process::start(fresh).await;
    let base = process.base.clone();
    let client = staff(
        db,
        &base,
        "process@nhso.test",
        &[Grant::new(Role::Intake, None).unwrap()],
    )
    .await;
    for path in ["/staff", "/staff?status=referred", "/", "/check", "/file"] {
        let r = client.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (idle, _) = process.memory_mib();
    println!("  idle after serving each page once: {idle:.1} MiB resident");
    time(&client, &base, "queue, first page (warm-up)", "/staff", 50).await;

    let total = 4_000usize;
    let mut searches = Vec::new();
    for i in (3..total).step_by(4) {
        searches.push(search_link(&client, &base, &surname(i as u64)).await);
    }
    let searches = Arc::new(searches);
    // The kernel's high-water mark lags (each thread counts its pages and adds them to the
    // process's total now and then), so resident memory is also counted exactly, page by
    // page, every 100 ms while the load runs; the peak is the higher of the two.
    let pid = process.child.id();
    let sampling = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let sampler = {
        let sampling = sampling.clone();
        std::thread::spawn(move || {
            let probe = common::Pid(pid);
            let mut highest = 0f64;
            while sampling.load(std::sync::atomic::Ordering::Relaxed) {
                highest = highest.max(probe.resident_exact_mib());
                std::thread::sleep(Duration::from_millis(100));
            }
            highest
        })
    };
    let sem = Arc::new(tokio::sync::Semaphore::new(connections));
    let start = Instant::now();
    let mut handles = Vec::new();
    for i in 0..total {
        let (sem, client, base) = (sem.clone(), client.clone(), base.clone());
        let path = match i % 4 {
            0 => "/staff".to_string(),
            1 => format!("/staff/claims/{}", reference(i as u64 * 997 % n)),
            2 => "/".to_string(),
            _ => searches[i / 4].clone(),
        };
        handles.push(tokio::spawn(async move {
            let _p = sem.acquire().await.unwrap();
            client
                .get(format!("{base}{path}"))
                .send()
                .await
                .map(|r| r.status().as_u16())
                .unwrap_or(0)
        }));
    }
    let mut failed = 0;
    for h in handles {
        if h.await.unwrap() != 200 {
            failed += 1;
        }
    }
    let wall = start.elapsed();
    sampling.store(false, std::sync::atomic::Ordering::Relaxed);
    let sampled = sampler.join().unwrap();
    // The kernel's own high-water mark of resident memory, over the process's life.
    let (_, high_water) = process.memory_mib();
    let peak = high_water.max(sampled);
    println!(
        "  {total} requests, {connections} at a time: {:.0}/s, {failed} not 200; resident peak {peak:.1} MiB \
         (kernel's high-water mark {high_water:.1}, highest counted every 100 ms {sampled:.1})",
        total as f64 / wall.as_secs_f64(),
    );
    (idle, peak, process, client)
}

/// Times `GET path` `n` times on each of two servers, asking them in turn (which goes first
/// alternates); the latencies of each.
async fn interleaved(
    a: (&reqwest::Client, &str),
    b: (&reqwest::Client, &str),
    path: &str,
    n: usize,
) -> (Vec<Duration>, Vec<Duration>) {
    async fn one(client: &reqwest::Client, base: &str, path: &str) -> Duration {
        let (took, body) = timed_get(client, base, path).await;
        assert_eq!(listed(&body), 50, "{path}: a full page");
        took
    }
    let (mut at_a, mut at_b) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for i in 0..n {
        if i % 2 == 0 {
            at_a.push(one(a.0, a.1, path).await);
            at_b.push(one(b.0, b.1, path).await);
        } else {
            at_b.push(one(b.0, b.1, path).await);
            at_a.push(one(a.0, a.1, path).await);
        }
    }
    (at_a, at_b)
}
