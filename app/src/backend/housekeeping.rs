//! Periodic clean-up: drafts (and unsent uploaded files) after three days, expired
//! claimant sessions, stale throttle counters and old idempotency records; the public
//! statistics are worked out again when an hour old. Claims, their
//! events and their documents are never touched here.

use super::entities::{
    claimant_session, document, draft, idempotency_key, staff_session, throttle,
};
use super::error::AppResult;
use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use std::path::Path;

/// A form left this long since its last change is deleted with its uploads (the form
/// tells people so).
pub const DRAFT_DAYS: i64 = 3;
pub const IDEMPOTENCY_DAYS: i64 = 7;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Swept {
    pub drafts: u64,
    pub documents: u64,
}

pub async fn sweep(db: &DatabaseConnection, documents_dir: &Path) -> AppResult<Swept> {
    let now = Utc::now();
    let old = now - Duration::days(DRAFT_DAYS);
    let stale: Vec<draft::Model> = draft::Entity::find()
        .filter(draft::Column::UpdatedAt.lt(old))
        .all(db)
        .await?;
    let mut swept = Swept::default();
    for d in stale {
        // Documents of a sent draft belong to the claim now (draft_id was cleared). Their
        // bytes go with them (the contents' foreign key cascades); a file from before
        // documents moved into the database goes too.
        let docs = document::Entity::find()
            .filter(document::Column::DraftId.eq(d.id))
            .all(db)
            .await?;
        for doc in &docs {
            let _ = tokio::fs::remove_file(documents_dir.join(doc.id.to_string())).await;
        }
        swept.documents += document::Entity::delete_many()
            .filter(document::Column::DraftId.eq(d.id))
            .exec(db)
            .await?
            .rows_affected;
        swept.drafts += draft::Entity::delete_by_id(d.id)
            .exec(db)
            .await?
            .rows_affected;
    }
    claimant_session::Entity::delete_many()
        .filter(claimant_session::Column::ExpiresAt.lt(now))
        .exec(db)
        .await?;
    staff_session::Entity::delete_many()
        .filter(staff_session::Column::ExpiresAt.lt(now))
        .exec(db)
        .await?;
    throttle::Entity::delete_many()
        .filter(throttle::Column::WindowStart.lt(now - Duration::days(1)))
        .exec(db)
        .await?;
    idempotency_key::Entity::delete_many()
        .filter(idempotency_key::Column::CreatedAt.lt(now - Duration::days(IDEMPOTENCY_DAYS)))
        .exec(db)
        .await?;
    Ok(swept)
}

/// Runs `sweep` and the daily jobs every `every` until the server shuts down.
pub async fn run(
    db: DatabaseConnection,
    documents_dir: std::path::PathBuf,
    every: std::time::Duration,
    mut stop: super::Shutdown,
) {
    loop {
        match sweep(&db, &documents_dir).await {
            Ok(s) if s != Swept::default() => {
                tracing::info!(drafts = s.drafts, documents = s.documents, "housekeeping")
            }
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "housekeeping"),
        }
        if let Err(e) = super::offices::run_daily(&db).await {
            tracing::error!(error = %e, "daily jobs");
        }
        match super::stats::refresh_if_stale(&db).await {
            Ok(true) => super::job_ran("public_stats"),
            Ok(false) => {}
            Err(e) => tracing::error!(error = %e, "public statistics"),
        }
        super::job_ran("housekeeping");
        if stop.wait(every).await {
            return;
        }
    }
}
