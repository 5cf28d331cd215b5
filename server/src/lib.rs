//! The Section 41 server: configuration, the HTTP surface (pages, forms, JSON API) and the
//! background jobs. `main.rs` is only the command line around `serve` and `migrate`.

pub mod cli;
pub mod config;
pub mod http;
pub mod rights_sim;

/// mimalloc instead of glibc's malloc, for everything that links the server (the binary, the
/// benchmarks and the tests alike): a page render makes many small short-lived allocations,
/// and under glibc about a quarter of a render's time went to malloc and free. Measured with
/// wrk, 32 connections, SQLite, release build: the home page went from about 10,200-10,700
/// renders/s to 13,500-15,000 while `/healthz` stayed near 21,000-22,500 (home ÷ `/healthz`
/// 0.48-0.50 before, 0.63-0.67 after).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use app::backend::mail::{self, Mailer};
use app::backend::{AppState, Settings};
use config::Config;
use migrations::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement,
    TransactionTrait,
};
use std::sync::Arc;
use std::time::Duration;

/// Connects to the database named by the configuration (creating a SQLite file's folder).
pub async fn connect(config: &Config) -> Result<DatabaseConnection, String> {
    // Whatever this process writes to the audit log is sealed under the server key.
    app::backend::audit::install_keys(load_keys(config)?);
    if config.is_sqlite() {
        std::fs::create_dir_all(&config.data_dir)
            .map_err(|e| format!("creating {}: {e}", config.data_dir.display()))?;
    }
    let opts = connect_options(config);
    // Several instances opening a new SQLite file at once each switch it to WAL on their
    // first connection; two doing so together can deadlock in SQLite's locking, which
    // answers "database is locked" at once, whatever the busy timeout. Open one at a time
    // (the lock migrations take, released before they take it).
    let _opening = match sqlite_path(&config.database_url) {
        Some(file) => Some(sqlite_lock(&file).await?),
        None => None,
    };
    let db = Database::connect(opts)
        .await
        .map_err(|e| format!("connecting to the database: {e}"))?;
    Ok(db)
}

/// How every pool of this process connects (the request pool and the filing writer's).
fn connect_options(config: &Config) -> ConnectOptions {
    let mut opts = ConnectOptions::new(config.database_url.clone());
    opts.sqlx_logging(false)
        .max_connections(if config.is_sqlite() { 8 } else { 16 })
        .acquire_timeout(Duration::from_secs(10))
        // A connection is checked with a ping (a round trip) before it is handed out only
        // when it has sat idle: under load, every statement would otherwise wait for two.
        .test_before_acquire_if_idle_for(Duration::from_secs(30));
    if config.is_sqlite() {
        // On every pooled connection, not just the first: WAL lets readers and the writer
        // proceed together; FULL sync keeps a committed claim through a crash or power cut;
        // a writer waits up to 10 s for another instead of failing at once.
        opts.map_sqlx_sqlite_opts(|o| {
            use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .busy_timeout(Duration::from_secs(10))
                // 8 MB of pages per connection (SQLite's default is 2 MB): a filing's
                // inserts touch the claims table's indexes, which then stay in memory.
                .pragma("cache_size", "-8192")
        });
    }
    opts
}

/// The file a `sqlite:` URL names, or `None` for another engine or a database in memory.
pub(crate) fn sqlite_path(url: &str) -> Option<String> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or("");
    (!path.is_empty() && !path.contains(":memory:") && !url.contains("mode=memory"))
        .then(|| path.to_string())
}

/// Brings the schema up to date. Several instances (or a command beside a running server)
/// may start at once: one migrates while the others wait, then find nothing left to do.
/// PostgreSQL: a transaction-scoped advisory lock, held on one pooled connection while the
/// migrations run on others. SQLite: an exclusive lock on a file beside the database.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), String> {
    let err = |e: sea_orm::DbErr| format!("migrating: {e}");
    match db.get_database_backend() {
        DbBackend::Postgres => {
            let lock = db.begin().await.map_err(err)?;
            lock.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
                .await
                .map_err(err)?;
            let done = Migrator::up(db, None).await.map_err(err);
            lock.commit().await.map_err(err)?;
            done
        }
        _ => {
            let _lock = match sqlite_file(db).await.map_err(err)? {
                Some(file) => Some(sqlite_lock(&file).await?),
                None => None,
            };
            Migrator::up(db, None).await.map_err(err)
        }
    }
}

/// The advisory-lock key migrations take on PostgreSQL ("s41" in ASCII).
const MIGRATION_LOCK: i64 = 0x733431;

/// The file behind a SQLite database, or `None` for one in memory.
pub async fn sqlite_file(db: &DatabaseConnection) -> Result<Option<String>, sea_orm::DbErr> {
    let row = db
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT file FROM pragma_database_list WHERE name = 'main'",
        ))
        .await?;
    Ok(row
        .and_then(|r| r.try_get::<String>("", "file").ok())
        .filter(|f| !f.is_empty()))
}

/// The lock that opening and migrating a SQLite database take: a file beside it.
async fn sqlite_lock(file: &str) -> Result<std::fs::File, String> {
    lock_file(format!("{file}.migrate-lock")).await
}

/// Waits for, then holds, an exclusive lock on `path` until the returned file is dropped.
async fn lock_file(path: String) -> Result<std::fs::File, String> {
    tokio::task::spawn_blocking(move || {
        let f = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| format!("opening {path}: {e}"))?;
        f.lock().map_err(|e| format!("locking {path}: {e}"))?;
        Ok(f)
    })
    .await
    .map_err(|e| e.to_string())?
}

/// The server's secret keys: `SECRET_KEY` (and retired ones from `SECRET_KEY_PREVIOUS`), or
/// the key file under `DATA_DIR`, made with a random key on first start and kept.
/// Where the audit log's checkpoints go.
pub fn checkpoint_to(config: &Config) -> app::backend::audit::CheckpointTo {
    app::backend::audit::CheckpointTo {
        file: Some(config.audit_checkpoint_file.clone()),
        mailbox: config.audit_mailbox.clone(),
    }
}

pub fn load_keys(config: &Config) -> Result<app::backend::secrets::Keys, String> {
    let current = match &config.secret_key {
        Some(k) if k.0.chars().count() >= 32 => k.0.clone(),
        Some(_) => return Err("SECRET_KEY must be at least 32 characters".into()),
        None => {
            if !config.is_sqlite() {
                // Several instances on one PostgreSQL database need one key: each making its
                // own file would leave claims filed through one unopenable through another.
                tracing::warn!("SECRET_KEY is unset: using a key file under DATA_DIR; every instance on this database must use the same key");
            }
            key_file(&config.data_dir.join("secret.key"))?
        }
    };
    let previous: Vec<String> = config
        .secret_key_previous
        .iter()
        .map(|k| k.0.clone())
        .collect();
    Ok(app::backend::secrets::Keys::new(&current, &previous))
}

/// Reads the key file, or makes it (readable by this user only). Two instances starting
/// at once on one machine agree: only one can create it, the other reads it.
fn key_file(path: &std::path::Path) -> Result<String, String> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let read = |path: &std::path::Path| {
        std::fs::read_to_string(path)
            .map(|k| k.trim().to_string())
            .map_err(|e| format!("reading {}: {e}", path.display()))
    };
    if path.exists() {
        return read(path);
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    }
    let key = app::backend::secrets::new_token();
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(mut f) => {
            f.write_all(key.as_bytes())
                .and_then(|()| f.sync_all())
                .map_err(|e| format!("writing {}: {e}", path.display()))?;
            tracing::info!(file = %path.display(), "made a new secret key; keep it with the database backups");
            Ok(key)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => read(path),
        Err(e) => Err(format!("creating {}: {e}", path.display())),
    }
}

/// Everything `serve` runs, ready to bind: the router, and the outbox sender to spawn.
pub struct App {
    pub router: axum::Router,
    pub db: DatabaseConnection,
    pub mailer: Mailer,
}

pub async fn build(config: &Config) -> Result<App, String> {
    // Installed before anything is counted, so nothing counted is lost.
    http::metrics::recorder();
    let db = connect(config).await?;
    migrate(&db).await?;
    // Account numbers kept plain (before they were sealed) or sealed under a retired key
    // are sealed under the key in force; when there are none, this reads nothing.
    let sealed = app::backend::payment_accounts::seal_kept(&db)
        .await
        .map_err(|e| format!("sealing the account numbers kept plain: {e}"))?;
    if sealed > 0 {
        tracing::info!(sealed, "account numbers kept plain are now sealed");
    }
    let mailer = Mailer::from_settings(
        config.smtp_url.as_deref(),
        config.outbox_dir.clone(),
        &config.mail_from,
    )?;
    let leptos_options = leptos::config::LeptosOptions::builder()
        .output_name("section41")
        .site_root(config.site_root.clone())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        .build();
    let state = AppState {
        db: db.clone(),
        settings: Arc::new(Settings {
            documents_dir: config.documents_dir.clone(),
            public_url: config.public_url.clone(),
            secure_cookies: config.public_url.starts_with("https://"),
            keys: load_keys(config)?,
            metrics_token: config.metrics_token.as_ref().map(|t| t.0.clone()),
            trusted_proxies: config.trusted_proxies.clone(),
            draft_bytes_per_client: config.draft_mb_per_client as i64 * 1024 * 1024,
            rights: config.rights_api.as_ref().map(|(url, token)| app::backend::rights::RightsService {
                url: url.clone(),
                token: token.0.clone(),
            }),
        }),
        leptos_options,
        filings: {
            use app::backend::claims::Writer;
            let mut opts = connect_options(config);
            opts.max_connections(Writer::CONNECTIONS);
            Writer::start(opts).await?
        },
        work: Arc::new(tokio::sync::Semaphore::new(config.max_concurrent_writes)),
    };
    Ok(App {
        router: http::router(state),
        db,
        mailer,
    })
}

/// A server running in this process on a free loopback port (tests and the benchmark).
pub struct Running {
    pub base: String,
    pub db: DatabaseConnection,
    pub mailer: Mailer,
}

/// Builds the app from `config` and serves it in the background on 127.0.0.1:<free port>.
/// No background jobs run, so tests drive the outbox and housekeeping themselves.
pub async fn spawn_local(config: &Config) -> Result<Running, String> {
    let app = build(config).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let base = format!(
        "http://{}",
        listener.local_addr().map_err(|e| e.to_string())?
    );
    let router = app.router;
    tokio::spawn(async move {
        let _ = axum::serve(
            listener,
            router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await;
    });
    Ok(Running {
        base,
        db: app.db,
        mailer: app.mailer,
    })
}

/// Binds, starts the background jobs, and serves until SIGTERM or SIGINT. Then it stops
/// accepting connections, lets requests in flight finish (for at most `SHUTDOWN_GRACE`),
/// and lets the jobs stop between items: a filing that was answered was committed first.
pub async fn serve(config: Config) -> Result<(), String> {
    let app = build(&config).await?;
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| format!("binding {}: {e}", config.addr))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let (stop, jobs_stop) = app::backend::Shutdown::new();
    let jobs = [
        tokio::spawn(mail::run_sender(
            app.db.clone(),
            app.mailer.clone(),
            Duration::from_secs(5),
            jobs_stop.clone(),
        )),
        tokio::spawn(app::backend::housekeeping::run(
            app.db.clone(),
            config.documents_dir.clone(),
            Duration::from_secs(600),
            jobs_stop.clone(),
        )),
        tokio::spawn(app::backend::audit::run_checkpoints(
            app.db.clone(),
            checkpoint_to(&config),
            Duration::from_secs(600),
            jobs_stop,
        )),
    ];
    println!("Section 41 claims is running at http://{addr}/");
    println!("  database: {}", redact(&config.database_url));
    if config.smtp_url.is_none() {
        println!("  mail: written to {}", config.outbox_dir.display());
    }
    let (begin_shutdown, shutting_down) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(
            listener,
            app.router
                .into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            let _ = shutting_down.await;
        })
        .await
    });
    let signal = shutdown_signal().await;
    tracing::info!(%signal, "shutting down: no new connections; finishing requests in flight");
    let _ = begin_shutdown.send(());
    let _ = stop.send(true);
    match tokio::time::timeout(SHUTDOWN_GRACE, server).await {
        Ok(Ok(Ok(()))) => {}
        Ok(Ok(Err(e))) => return Err(e.to_string()),
        Ok(Err(e)) => return Err(e.to_string()),
        Err(_) => tracing::warn!("requests still running after {SHUTDOWN_GRACE:?} were cut off"),
    }
    for job in jobs {
        let _ = tokio::time::timeout(SHUTDOWN_GRACE, job).await;
    }
    app.db.close().await.map_err(|e| e.to_string())?;
    tracing::info!("stopped");
    Ok(())
}

/// How long requests in flight (and the background jobs) get to finish at shutdown.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(20);

/// Waits for SIGTERM (systemd, container runtimes) or SIGINT (Ctrl-C); names the one seen.
async fn shutdown_signal() -> &'static str {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
    tokio::select! {
        _ = term.recv() => "SIGTERM",
        _ = tokio::signal::ctrl_c() => "SIGINT",
    }
}

/// Hides a password in a database URL for printing.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://…{}", &url[..s], &url[at..]),
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sqlite_urls_name_their_file() {
        use super::sqlite_path;
        assert_eq!(sqlite_path("sqlite://data/s41.db?mode=rwc").as_deref(), Some("data/s41.db"));
        assert_eq!(sqlite_path("sqlite:/tmp/x.db").as_deref(), Some("/tmp/x.db"));
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://h/db"), None);
    }
}
