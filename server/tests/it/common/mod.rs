//! `spawn_app`: the whole server bound to a free port on a database of its own.

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, EntityTrait, PaginatorTrait};
use serde_json::{json, Value};
use std::path::PathBuf;

#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Generates `name::sqlite` and `name::postgres` tests from `async fn name(Backend)`.
#[macro_export]
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() { super::$name($crate::common::Backend::Sqlite).await }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() { super::$name($crate::common::Backend::Postgres).await }
        }
    )*};
}

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub db: DatabaseConnection,
    pub dir: PathBuf,
    pub mailer: app::backend::mail::Mailer,
    /// The database's URL, for a test that opens a pool of its own.
    pub database_url: String,
    pg: Option<(String, String)>,
}

fn postgres_admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// Server warnings and errors go to the test's captured output, shown when it fails
/// (`RUST_LOG` overrides the level).
fn capture_server_logs() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let filter = tracing_subscriber::EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_test_writer()
            .try_init();
    });
}

/// An empty database of its own for one test (a SQLite file in a temp folder, or a new
/// PostgreSQL database), not yet migrated.
pub struct FreshDatabase {
    pub url: String,
    pub dir: PathBuf,
    pg: Option<(String, String)>,
}

pub async fn fresh_database(backend: Backend) -> FreshDatabase {
    let id = uuid::Uuid::new_v4().simple().to_string();
    let dir = std::env::temp_dir().join(format!("s41-test-{id}"));
    std::fs::create_dir_all(&dir).unwrap();
    let (url, pg) = match backend {
        Backend::Sqlite => (
            format!("sqlite://{}?mode=rwc", dir.join("test.db").display()),
            None,
        ),
        Backend::Postgres => {
            let admin_url = postgres_admin_url();
            let admin = Database::connect(&admin_url)
                .await
                .expect("PostgreSQL must be reachable at TEST_POSTGRES_URL");
            let name = format!("s41_test_{id}");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .unwrap();
            let base = admin_url.rsplit_once('/').unwrap().0.to_string();
            (format!("{base}/{name}"), Some((admin_url, name)))
        }
    };
    FreshDatabase { url, dir, pg }
}

/// The server key of every test server, in this process and in the binaries tests start:
/// the audit log is sealed under one key per process (`audit::install_keys`), so the servers
/// a test process runs share it, as the instances of one deployment do.
pub const SECRET_KEY: &str = "the test servers' shared key, 32+ characters";

impl FreshDatabase {
    /// A configuration for a server on this database, on a free port, with `extra` settings.
    pub fn config(&self, extra: &[(&str, &str)]) -> server::config::Config {
        let (url, dir) = (self.url.clone(), self.dir.display().to_string());
        let extra: Vec<(String, String)> = extra
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        server::config::Config::from_lookup(move |k| match k {
            "DATABASE_URL" => Some(url.clone()),
            "DATA_DIR" => Some(dir.clone()),
            "LEPTOS_SITE_ADDR" => Some("127.0.0.1:0".into()),
            _ => extra
                .iter()
                .find(|(e, _)| e == k)
                .map(|(_, v)| v.clone())
                .or_else(|| (k == "SECRET_KEY").then(|| SECRET_KEY.to_string())),
        })
        .unwrap()
    }

    /// Drops the PostgreSQL database and the temp folder.
    pub async fn remove(self) {
        if let Some((admin_url, name)) = self.pg {
            if let Ok(admin) = Database::connect(&admin_url).await {
                let _ = admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await;
            }
        }
        let _ = std::fs::remove_dir_all(self.dir);
    }
}

/// Another instance of the service on `fresh`'s database, with `extra` settings; its
/// `cleanup` leaves the database to `fresh`.
pub async fn spawn_on(fresh: &FreshDatabase, extra: &[(&str, &str)]) -> TestApp {
    capture_server_logs();
    let running = server::spawn_local(&fresh.config(extra)).await.unwrap();
    TestApp {
        base: running.base,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .timeout(std::time::Duration::from_secs(60))
            .build()
            .unwrap(),
        db: running.db,
        dir: fresh.dir.clone(),
        mailer: running.mailer,
        database_url: fresh.url.clone(),
        pg: None,
    }
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    capture_server_logs();
    let fresh = fresh_database(backend).await;
    let config = fresh.config(&[]);
    let FreshDatabase { dir, pg, url } = fresh;
    let running = server::spawn_local(&config).await.unwrap();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        // A request that hangs fails its test instead of holding up the whole run.
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .unwrap();
    TestApp {
        base: running.base,
        client,
        db: running.db,
        dir,
        mailer: running.mailer,
        database_url: url,
        pg,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn post_claim(&self, body: &Value) -> reqwest::Response {
        self.client
            .post(self.url("/api/v1/claims"))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// Files `petition` through the API as client number `i` (its own `X-Forwarded-For`, so
    /// the per-client filing limit does not apply; the app must trust 127.0.0.1 as a
    /// proxy) and returns the reference.
    pub async fn file_as_client(&self, i: usize, petition: &Value) -> String {
        let r = self
            .client
            .post(self.url("/api/v1/claims"))
            .header("X-Forwarded-For", format!("198.51.{}.{}", i / 250, i % 250 + 1))
            .json(petition)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        r.json::<Value>().await.unwrap()["reference"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// A valid petition for a service unit in `province`, filed as client `i`.
    pub async fn file_in(&self, i: usize, province: &str) -> String {
        let mut p = valid_petition();
        p["service_unit"]["province_code"] = json!(province);
        self.file_as_client(i, &p).await
    }

    pub async fn claim_count(&self) -> u64 {
        app::backend::entities::claim::Entity::find()
            .count(&self.db)
            .await
            .unwrap()
    }

    pub async fn event_count(&self) -> u64 {
        app::backend::entities::claim_event::Entity::find()
            .count(&self.db)
            .await
            .unwrap()
    }

    /// A browser of the claimant, signed in to their status page with the reference and code.
    pub async fn claimant(&self, reference: &str, code: &str) -> reqwest::Client {
        let claimant = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .timeout(std::time::Duration::from_secs(60))
            .build()
            .unwrap();
        let r = claimant
            .post(self.url("/check"))
            .form(&[("reference", reference), ("access_code", code)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "signed in to the status page");
        claimant
    }

    /// The claim's status as the API gives it to the holder of its access code.
    pub async fn api_status(&self, reference: &str, code: &str) -> Value {
        self.client
            .get(self.url(&format!("/api/v1/claims/{reference}")))
            .header("X-Access-Code", code)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// The text of the page at `path`, as `client` sees it.
    pub async fn page(&self, client: &reqwest::Client, path: &str) -> String {
        client
            .get(self.url(path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// Drops the PostgreSQL database and the temp folder.
    pub async fn cleanup(self) {
        let TestApp { db, pg, dir, .. } = self;
        let _ = db.close().await;
        FreshDatabase {
            url: String::new(),
            dir,
            pg,
        }
        .remove()
        .await;
    }
}

/// A complete, valid petition filed by the injured person (Chiang Mai → region 1).
pub fn valid_petition() -> Value {
    json!({
        "filer": {"relation": "self"},
        "patient": {
            "name": "สมชาย ใจดี",
            "national_id": "1101700230708",
            "address": "99 หมู่ 1 ต.สุเทพ อ.เมือง จ.เชียงใหม่ 50200",
            "phone": "081-234-5678",
            "email": ""
        },
        "service_unit": {"name": "โรงพยาบาลนครพิงค์", "province_code": "50"},
        "treatment_date": recent_date(30),
        "damage_known_date": recent_date(20),
        "damage_description": "แพ้ยาอย่างรุนแรงหลังได้รับยาฉีด",
        "burden": "ค่ารักษาต่อเนื่อง ขาดรายได้ 3 เดือน"
    })
}

/// An ISO date `days` before today in Bangkok.
pub fn recent_date(days: i64) -> String {
    let today = app::backend::calendar::today_in_bangkok();
    (today - chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

/// Sets a value at a dotted path (`patient.national_id`) in a JSON object.
pub fn set_path(v: &mut Value, path: &str, new: Value) {
    let mut cur = v;
    let parts: Vec<&str> = path.split('.').collect();
    for p in &parts[..parts.len() - 1] {
        cur = cur.get_mut(*p).unwrap();
    }
    cur.as_object_mut()
        .unwrap()
        .insert(parts[parts.len() - 1].to_string(), new);
}

pub fn remove_path(v: &mut Value, path: &str) {
    let mut cur = v;
    let parts: Vec<&str> = path.split('.').collect();
    for p in &parts[..parts.len() - 1] {
        cur = cur.get_mut(*p).unwrap();
    }
    cur.as_object_mut().unwrap().remove(parts[parts.len() - 1]);
}

/// Whether a request failed because the server closed the connection mid-upload.
pub fn cut_off(e: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            return matches!(
                io.kind(),
                std::io::ErrorKind::BrokenPipe | std::io::ErrorKind::ConnectionReset
            );
        }
        source = err.source();
    }
    false
}

/// The CSRF token in a staff page's forms.
pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let at = html.find(marker).expect("a form with a CSRF token") + marker.len();
    html[at..at + html[at..].find('"').unwrap()].to_string()
}
