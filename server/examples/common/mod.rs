//! What the benchmark examples share: a fresh database of their own (a SQLite file in a
//! temp folder, or a new PostgreSQL database from `TEST_POSTGRES_URL`) and its removal.
#![allow(dead_code)] // each example uses its own part of it

use sea_orm::{ConnectionTrait, Database};
use std::path::PathBuf;

pub struct Fresh {
    pub url: String,
    pub dir: PathBuf,
    /// (admin URL, database name) when the database is PostgreSQL.
    pg: Option<(String, String)>,
}

impl Fresh {
    /// A new empty database named after the benchmark (`name`), on `backend`.
    pub async fn new(name: &str, backend: &str) -> Self {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let dir = std::env::temp_dir().join(format!("s41-{name}-{id}"));
        std::fs::create_dir_all(&dir).unwrap();
        if backend == "postgres" {
            let admin = std::env::var("TEST_POSTGRES_URL")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
            let db_name = format!("s41_{name}_{id}");
            let db = Database::connect(&admin).await.unwrap();
            db.execute_unprepared(&format!("CREATE DATABASE {db_name}"))
                .await
                .unwrap();
            let url = format!("{}/{db_name}", admin.rsplit_once('/').unwrap().0);
            Self {
                url,
                dir,
                pg: Some((admin, db_name)),
            }
        } else {
            let url = format!(
                "sqlite://{}?mode=rwc",
                dir.join(format!("{name}.db")).display()
            );
            Self { url, dir, pg: None }
        }
    }

    /// A server configuration on this database, on a free port; the site (browser bundle)
    /// from `LEPTOS_SITE_ROOT` if set, else `target/site` under the current folder.
    pub fn config(&self) -> server::config::Config {
        let (url, dir) = (self.url.clone(), self.dir.display().to_string());
        server::config::Config::from_lookup(move |k| match k {
            "DATABASE_URL" => Some(url.clone()),
            "DATA_DIR" => Some(dir.clone()),
            "LEPTOS_SITE_ADDR" => Some("127.0.0.1:0".into()),
            "LEPTOS_SITE_ROOT" => std::env::var("LEPTOS_SITE_ROOT").ok(),
            // The benchmarks stand in for many people: each filing says who it is from
            // (`client_address`), as a proxy in front would.
            "TRUSTED_PROXIES" => Some("127.0.0.1".into()),
            _ => None,
        })
        .unwrap()
    }

    /// Drops the PostgreSQL database and the temp folder.
    pub async fn remove(self) {
        if let Some((admin, name)) = self.pg {
            let db = Database::connect(&admin).await.unwrap();
            let _ = db
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await;
        }
        let _ = std::fs::remove_dir_all(self.dir);
    }
}

/// The command line every benchmark takes: `[sqlite|postgres] [count] [concurrency]`, each
/// defaulted when absent.
pub fn args(count: usize, concurrency: usize) -> (String, usize, usize) {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |i: usize, default: usize| args.get(i).and_then(|s| s.parse().ok()).unwrap_or(default);
    let backend = args.first().cloned().unwrap_or_else(|| "sqlite".into());
    (backend, number(1, count), number(2, concurrency))
}

/// The release server binary (`target/release/section41`) beside this example's folder.
pub fn server_binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let bin = exe
        .parent()
        .and_then(|examples| examples.parent())
        .unwrap()
        .join("section41");
    assert!(
        bin.exists(),
        "{} is missing: build it first (cargo build --release -p server --bin section41)",
        bin.display()
    );
    bin
}

/// A running process, to read its memory from /proc.
#[derive(Clone, Copy)]
pub struct Pid(pub u32);

impl Pid {
    /// Resident memory now, in MiB, counted page by page (`smaps_rollup`): exact, where
    /// `VmRSS` and `VmHWM` come from counters each thread adds to the total only now and
    /// then. 0 once the process is gone.
    pub fn resident_exact_mib(self) -> f64 {
        let rollup = std::fs::read_to_string(format!("/proc/{}/smaps_rollup", self.0))
            .unwrap_or_default();
        mib_field(&rollup, "Rss:")
    }
}

/// The `name` line of a /proc file (`Rss:   12345 kB`), in MiB; 0 if it is not there.
fn mib_field(text: &str, name: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(name))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .unwrap_or(0.0)
        / 1024.0
}

/// The server as a process of its own on a fresh database, as deployed: its memory is its
/// own to measure.
pub struct Process {
    pub child: std::process::Child,
    pub base: String,
}

impl Process {
    pub async fn start(fresh: &Fresh) -> Process {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut cmd = std::process::Command::new(server_binary());
        cmd.arg("serve")
            .env("DATABASE_URL", &fresh.url)
            .env("DATA_DIR", &fresh.dir)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("RUST_LOG", "warn")
            .env("TRUSTED_PROXIES", "127.0.0.1")
            .stdout(std::process::Stdio::null());
        if let Ok(site) = std::env::var("LEPTOS_SITE_ROOT") {
            cmd.env("LEPTOS_SITE_ROOT", site);
        }
        let mut child = cmd.spawn().unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        for _ in 0..600 {
            if let Ok(r) = client.get(format!("{base}/healthz")).send().await {
                if r.status() == 200 {
                    return Process { child, base };
                }
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("the server did not answer /healthz within 60 s");
    }

    /// (resident now, highest resident so far), in MiB, from /proc.
    pub fn memory_mib(&self) -> (f64, f64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        (mib_field(&status, "VmRSS:"), mib_field(&status, "VmHWM:"))
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A client address for the `i`th simulated person (sent as `X-Forwarded-For`, which the
/// server believes from 127.0.0.1 here): one person files a claim or two, as in life, so
/// the per-client limits see many clients, not one.
pub fn client_address(i: usize) -> String {
    format!("10.{}.{}.{}", (i >> 16) & 255, (i >> 8) & 255, i & 255)
}

/// Files `petition` through the JSON API; the answer (reference, access code, …).
pub async fn file_claim(
    client: &reqwest::Client,
    base: &str,
    petition: &serde_json::Value,
) -> serde_json::Value {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let who = client_address(NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
    let r = client
        .post(format!("{base}/api/v1/claims"))
        .header("X-Forwarded-For", who)
        .json(petition)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "filing refused");
    r.json().await.unwrap()
}
