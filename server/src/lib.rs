//! The Section 41 server: configuration, the HTTP surface (pages, forms, JSON API) and the
//! background jobs. `main.rs` is only the command line around `serve` and `migrate`.

pub mod cli;
pub mod config;
pub mod http;

use app::backend::mail::{self, Mailer};
use app::backend::{AppState, Settings};
use config::Config;
use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection};
use std::sync::Arc;
use std::time::Duration;

/// Connects to the database named by the configuration (creating a SQLite file's folder).
pub async fn connect(config: &Config) -> Result<DatabaseConnection, String> {
    if config.is_sqlite() {
        std::fs::create_dir_all(&config.data_dir)
            .map_err(|e| format!("creating {}: {e}", config.data_dir.display()))?;
    }
    let mut opts = ConnectOptions::new(config.database_url.clone());
    opts.sqlx_logging(false)
        .max_connections(if config.is_sqlite() { 8 } else { 16 })
        .acquire_timeout(Duration::from_secs(10));
    if config.is_sqlite() {
        // On every pooled connection, not just the first: WAL lets readers and the writer
        // proceed together; FULL sync keeps a committed claim through a crash or power cut;
        // a writer waits up to 10 s for another instead of failing at once.
        opts.map_sqlx_sqlite_opts(|o| {
            use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .busy_timeout(Duration::from_secs(10))
        });
    }
    let db = Database::connect(opts)
        .await
        .map_err(|e| format!("connecting to the database: {e}"))?;
    Ok(db)
}

pub async fn migrate(db: &DatabaseConnection) -> Result<(), String> {
    Migrator::up(db, None)
        .await
        .map_err(|e| format!("migrating: {e}"))
}

/// Everything `serve` runs, ready to bind: the router, and the outbox sender to spawn.
pub struct App {
    pub router: axum::Router,
    pub db: DatabaseConnection,
    pub mailer: Mailer,
}

pub async fn build(config: &Config) -> Result<App, String> {
    let db = connect(config).await?;
    migrate(&db).await?;
    let mailer = Mailer::from_settings(config.smtp_url.as_deref(), config.outbox_dir.clone())?;
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
        }),
        leptos_options,
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

/// Binds, starts the outbox sender, and serves until the process ends.
pub async fn serve(config: Config) -> Result<(), String> {
    let app = build(&config).await?;
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| format!("binding {}: {e}", config.addr))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    tokio::spawn(mail::run_sender(
        app.db.clone(),
        app.mailer.clone(),
        Duration::from_secs(5),
    ));
    tokio::spawn(app::backend::housekeeping::run(
        app.db.clone(),
        config.documents_dir.clone(),
        Duration::from_secs(600),
    ));
    println!("Section 41 claims is running at http://{addr}/");
    println!("  database: {}", redact(&config.database_url));
    if config.smtp_url.is_none() {
        println!("  mail: written to {}", config.outbox_dir.display());
    }
    axum::serve(
        listener,
        app.router
            .into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .await
    .map_err(|e| e.to_string())
}

/// Hides a password in a database URL for printing.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://…{}", &url[..s], &url[at..]),
        _ => url.to_string(),
    }
}
