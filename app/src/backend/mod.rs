//! Server-only code: persistence, mail, documents, throttling. Compiled only with `ssr`.
//!
//! Errors: repositories return `AppError` (this module's `error`), which the HTTP layer and
//! server functions turn into responses. The domain never calls into here.

pub mod actions;
pub mod admin;
pub mod audit;
pub mod calendar;
pub mod claims;
pub mod client;
pub mod cookies;
pub mod demo;
pub mod documents;
pub mod drafts;
pub mod entities;
pub mod error;
pub mod export;
pub mod harm;
pub mod housekeeping;
pub mod identity;
pub mod letters;
pub mod listing;
pub mod mail;
pub mod meetings;
pub mod offices;
pub mod payment_accounts;
pub mod payments;
pub mod petition_schema;
pub mod queue;
pub mod reports;
pub mod rights;
pub mod secrets;
pub mod sessions;
pub mod staff;
pub mod stats;
pub mod throttle;
pub mod unit_keys;

use leptos::config::LeptosOptions;
use sea_orm::DatabaseConnection;
use std::path::PathBuf;
use std::sync::Arc;

/// Records that a background job finished a round now (the `/metrics` gauge
/// `job_last_run_timestamp_seconds`), so a stuck job shows as an old timestamp.
pub fn job_ran(job: &'static str) {
    metrics::gauge!("job_last_run_timestamp_seconds", "job" => job)
        .set(chrono::Utc::now().timestamp() as f64);
}

/// Claims the day's run of a once-a-day job: exactly one instance gets `true` per day, even
/// with several instances on one database.
pub async fn claim_daily_run(
    db: &DatabaseConnection,
    job: &str,
    today: chrono::NaiveDate,
) -> error::AppResult<bool> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let claimed = entities::job_run::Entity::update_many()
        .col_expr(entities::job_run::Column::LastRun, sea_orm::sea_query::Expr::value(today))
        .filter(entities::job_run::Column::Name.eq(job))
        .filter(entities::job_run::Column::LastRun.lt(today))
        .exec(db)
        .await?;
    Ok(claimed.rows_affected == 1)
}

/// Tells the background jobs (outbox sender, housekeeping) that the server is shutting
/// down. They finish the item in hand and stop between items.
#[derive(Clone)]
pub struct Shutdown(tokio::sync::watch::Receiver<bool>);

impl Shutdown {
    /// The signal's two ends: send `true` to begin shutting down.
    pub fn new() -> (tokio::sync::watch::Sender<bool>, Self) {
        let (tx, rx) = tokio::sync::watch::channel(false);
        (tx, Self(rx))
    }

    /// Waits `pause`, or less if shutdown begins meanwhile; `true` once shutting down.
    pub async fn wait(&mut self, pause: std::time::Duration) -> bool {
        if *self.0.borrow() {
            return true;
        }
        tokio::select! {
            _ = tokio::time::sleep(pause) => *self.0.borrow(),
            changed = self.0.changed() => changed.is_err() || *self.0.borrow(),
        }
    }
}

/// Settings the backend needs, parsed once at start-up by the server's configuration.
#[derive(Clone, Debug)]
pub struct Settings {
    pub documents_dir: PathBuf,
    /// Base URL used in emails, e.g. `http://127.0.0.1:3000`.
    pub public_url: String,
    /// Whether cookies get the `Secure` attribute (served over HTTPS).
    pub secure_cookies: bool,
    /// The server's secret keys (access codes, sealed idempotent answers).
    pub keys: secrets::Keys,
    /// `METRICS_TOKEN`: the bearer token `/metrics` answers to; unset, it answers nobody.
    pub metrics_token: Option<String>,
    /// `TRUSTED_PROXIES`: whose `X-Forwarded-For` names the client.
    pub trusted_proxies: client::TrustedProxies,
    /// `DRAFT_MB_PER_CLIENT`, in bytes: documents one client's unsent drafts may hold.
    pub draft_bytes_per_client: i64,
    /// `RIGHTS_API_URL` and `RIGHTS_API_TOKEN`: the insurer's rights service, if any.
    pub rights: Option<rights::RightsService>,
}

/// Everything a request handler or server function may use, handed to both.
#[derive(Clone, axum::extract::FromRef)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub leptos_options: LeptosOptions,
    /// Writes filings, several to a transaction under load.
    pub filings: claims::Writer,
    /// The posts one instance works on at once (`MAX_CONCURRENT_WRITES`; beyond, 503): what costs
    /// hashing, disk and mail. Taken for every post, except a staff sign-in, which takes it
    /// only once its account's delay is over (a sleeping sign-in holds none).
    pub work: Arc<tokio::sync::Semaphore>,
}

/// Starts a transaction that will write. On SQLite it takes the write lock at `BEGIN
/// IMMEDIATE`: a second writer then waits (up to the busy timeout) for the first to commit.
/// A plain deferred `BEGIN` that reads before it writes cannot wait: SQLite answers
/// "database is locked" at once when another writer got there first, and the request fails.
/// PostgreSQL ignores the mode; there, conditional updates and row locks keep writers apart.
pub async fn begin_write(
    db: &DatabaseConnection,
) -> Result<sea_orm::DatabaseTransaction, sea_orm::DbErr> {
    use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait};
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

/// Takes a claim's row lock until `txn` ends (see `lock_row`).
pub async fn lock_claim(
    txn: &impl sea_orm::ConnectionTrait,
    id: uuid::Uuid,
) -> Result<(), sea_orm::DbErr> {
    lock_row::<entities::claim::Entity>(txn, entities::claim::Column::Id, id).await
}

/// Takes the row lock of the `E` whose `key` is `id` until `txn` ends, with a no-op update:
/// on PostgreSQL whoever else locks it waits; SQLite's write transaction already excludes
/// every other writer.
pub async fn lock_row<E: sea_orm::EntityTrait>(
    txn: &impl sea_orm::ConnectionTrait,
    key: E::Column,
    id: uuid::Uuid,
) -> Result<(), sea_orm::DbErr> {
    use sea_orm::{ColumnTrait, QueryFilter};
    E::update_many()
        .col_expr(key, sea_orm::prelude::Expr::col(key))
        .filter(key.eq(id))
        .exec(txn)
        .await?;
    Ok(())
}

/// Runs several INSERTs, in one round trip where the engine takes that: PostgreSQL as one
/// statement (each but the last in a data-modifying `WITH`; all or none of their rows are
/// written, as with any statement); SQLite, in this process, one after another.
pub async fn insert_together(
    db: &impl sea_orm::ConnectionTrait,
    mut inserts: Vec<sea_orm::sea_query::InsertStatement>,
) -> Result<(), sea_orm::DbErr> {
    use sea_orm::sea_query::{Alias, CommonTableExpression, WithClause};
    if db.get_database_backend() != sea_orm::DatabaseBackend::Postgres || inserts.len() < 2 {
        for insert in &inserts {
            db.execute(insert).await?;
        }
        return Ok(());
    }
    let last = inserts.pop().expect("two or more inserts");
    let mut with = WithClause::new();
    for (i, insert) in inserts.into_iter().enumerate() {
        with.cte(
            CommonTableExpression::new()
                .query(insert)
                .table_name(Alias::new(format!("written_{i}")))
                .to_owned(),
        );
    }
    db.execute(&with.query(last)).await?;
    Ok(())
}
