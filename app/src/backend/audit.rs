//! The audit log: who did or saw what, when, from where. Entries are appended under a lock
//! on the chain's head and each carries the hash of the one before, so any edit, deletion
//! or insertion shows up in `verify` (and `section41 audit verify`). Each entry is sealed as
//! it is written (an HMAC of its hash under the server key, `install_keys`), so the chain
//! cannot be re-hashed by someone who can write to the database but does not hold the key;
//! and once a day the head goes to a checkpoint outside the database, so cutting entries off
//! the end shows too.

use super::entities::{audit_entry, audit_head};
use super::error::{AppError, AppResult};
use chrono::{DateTime, Utc};
use sea_orm::prelude::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use sha2::{Digest, Sha256};

/// The keys entries are sealed under: the server's, installed once at start-up (`serve` and
/// every command that opens the database). One process serves one key; a second,
/// different key installed later is refused (and logged), so a process never seals under
/// two keys.
static KEYS: std::sync::OnceLock<super::secrets::Keys> = std::sync::OnceLock::new();

/// Installs the server's keys for sealing (see `KEYS`).
pub fn install_keys(keys: super::secrets::Keys) {
    let id = keys.current_id().to_string();
    if KEYS.set(keys).is_err() && KEYS.get().map(|k| k.current_id()) != Some(id.as_str()) {
        tracing::warn!("audit: this process already seals under another key; keeping it");
    }
}

/// The keys entries are sealed under in this process, if installed.
pub fn sealing_keys() -> Option<&'static super::secrets::Keys> {
    KEYS.get()
}

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened. `actor` is `user:<email>`, `claimant` or `system`.
#[derive(Clone, Debug)]
pub struct Entry<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub claim_reference: Option<&'a str>,
    pub detail: &'a str,
    pub client: &'a str,
}

/// SHA-256 over the previous hash and every field, length-prefixed so no two different
/// entries serialise alike.
pub fn entry_hash(prev: &str, id: i64, at_micros: i64, e: &Entry<'_>) -> String {
    let mut h = Sha256::new();
    for part in [
        prev,
        &id.to_string(),
        &at_micros.to_string(),
        e.actor,
        e.action,
        e.claim_reference.unwrap_or("\u{0}"),
        e.detail,
        e.client,
    ] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

/// The chain's head: its last entry's number and hash.
async fn head(db: &impl ConnectionTrait) -> AppResult<audit_head::Model> {
    audit_head::Entity::find_by_id(1)
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal("audit head missing"))
}

/// Appends inside the caller's transaction (so the entry commits or rolls back with the
/// change it records).
pub async fn append_in(txn: &impl ConnectionTrait, e: Entry<'_>) -> AppResult<i64> {
    // Take the head row's write lock first: concurrent appenders queue here.
    audit_head::Entity::update_many()
        .col_expr(
            audit_head::Column::LastId,
            Expr::col(audit_head::Column::LastId),
        )
        .filter(audit_head::Column::Id.eq(1))
        .exec(txn)
        .await?;
    let head = head(txn).await?;
    let id = head.last_id + 1;
    let now = Utc::now();
    let at_micros = now.timestamp_micros();
    let at = DateTime::<Utc>::from_timestamp_micros(at_micros).expect("valid time");
    let hash = entry_hash(&head.last_hash, id, at_micros, &e);
    audit_entry::Entity::insert(audit_entry::ActiveModel {
        id: Set(id),
        at: Set(at),
        actor: Set(e.actor.to_string()),
        action: Set(e.action.to_string()),
        claim_reference: Set(e.claim_reference.map(str::to_string)),
        detail: Set(e.detail.to_string()),
        client: Set(e.client.to_string()),
        prev_hash: Set(head.last_hash.clone()),
        seal: Set(KEYS.get().map(|k| k.audit_seal(&hash))),
        hash: Set(hash.clone()),
    })
    .exec_without_returning(txn)
    .await?;
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::LastId, Expr::value(id))
        .col_expr(audit_head::Column::LastHash, Expr::value(hash))
        .filter(audit_head::Column::Id.eq(1))
        .exec(txn)
        .await?;
    Ok(id)
}

/// Appends in a transaction of its own.
pub async fn append(db: &DatabaseConnection, e: Entry<'_>) -> AppResult<i64> {
    let txn = super::begin_write(db).await?;
    let id = append_in(&txn, e).await?;
    txn.commit().await?;
    Ok(id)
}

/// Records an action refused to `actor` (its role, region or state did not allow it, or a
/// field was invalid), as the `action_refused` entry every refusal writes.
pub async fn refused(
    db: &DatabaseConnection,
    actor: &str,
    claim_reference: Option<&str>,
    detail: &str,
    client: &str,
) -> AppResult<()> {
    append(
        db,
        Entry {
            actor,
            action: "action_refused",
            claim_reference,
            detail,
            client,
        },
    )
    .await
    .map(|_| ())
}

#[derive(Debug, PartialEq, Eq)]
pub struct Broken {
    pub id: i64,
    pub reason: String,
}

/// Walks the whole chain. `Ok(n)` when all `n` entries and the head agree. (The hashes
/// alone: `verify_with` also checks the seals and the latest checkpoint.)
pub async fn verify(db: &DatabaseConnection) -> AppResult<Result<u64, Broken>> {
    verify_with(db, &Anchors::default()).await
}

/// What the chain is checked against besides itself.
#[derive(Default)]
pub struct Anchors<'a> {
    /// The server's keys: every entry must carry a seal made under one of them.
    pub keys: Option<&'a super::secrets::Keys>,
    /// The latest checkpoint kept outside the database: the chain must still hold that
    /// entry, with that hash.
    pub checkpoint: Option<Checkpoint>,
}

/// The chain's head at one moment, written outside the database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    pub id: i64,
    pub hash: String,
    pub at: DateTime<Utc>,
}

impl Checkpoint {
    /// One line of the checkpoint file: `ID HASH TIME`.
    pub fn line(&self) -> String {
        format!("{} {} {}", self.id, self.hash, self.at.to_rfc3339())
    }

    pub fn parse(line: &str) -> Option<Self> {
        let mut parts = line.split_whitespace();
        Some(Self {
            id: parts.next()?.parse().ok()?,
            hash: parts.next()?.to_string(),
            at: DateTime::parse_from_rfc3339(parts.next()?)
                .ok()?
                .with_timezone(&Utc),
        })
    }

    /// The last checkpoint in a checkpoint file (`None` if there is none yet).
    pub fn latest_in(file: &std::path::Path) -> Result<Option<Self>, String> {
        match std::fs::read_to_string(file) {
            Ok(text) => match text.lines().rev().find(|l| !l.trim().is_empty()) {
                None => Ok(None),
                Some(l) => Self::parse(l)
                    .map(Some)
                    .ok_or_else(|| format!("{}: unreadable line {l:?}", file.display())),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("reading {}: {e}", file.display())),
        }
    }
}

/// Walks the whole chain, checking each entry's hash and place, its seal (with `keys`), and
/// that it still holds the checkpoint.
pub async fn verify_with(
    db: &DatabaseConnection,
    anchors: &Anchors<'_>,
) -> AppResult<Result<u64, Broken>> {
    let mut prev = GENESIS.to_string();
    let mut expected_id = 1i64;
    let mut checkpoint_seen = false;
    let broken = |id: i64, reason: &str| {
        Ok(Err(Broken {
            id,
            reason: reason.to_string(),
        }))
    };
    loop {
        let page = audit_entry::Entity::find()
            .filter(audit_entry::Column::Id.gte(expected_id))
            .order_by_asc(audit_entry::Column::Id)
            .limit(1000)
            .all(db)
            .await?;
        if page.is_empty() {
            break;
        }
        for row in page {
            if row.id != expected_id {
                return broken(expected_id, &format!("entry {expected_id} is missing"));
            }
            if row.prev_hash != prev {
                return broken(row.id, "does not chain from the entry before");
            }
            let e = Entry {
                actor: &row.actor,
                action: &row.action,
                claim_reference: row.claim_reference.as_deref(),
                detail: &row.detail,
                client: &row.client,
            };
            if entry_hash(&prev, row.id, row.at.timestamp_micros(), &e) != row.hash {
                return broken(row.id, "its contents do not match its hash");
            }
            if let Some(keys) = anchors.keys {
                let sealed = row
                    .seal
                    .as_deref()
                    .is_some_and(|seal| keys.audit_seal_holds(&row.hash, seal));
                if !sealed {
                    return broken(
                        row.id,
                        "not sealed under the server key (re-hashed, or its seal removed?)",
                    );
                }
            }
            if let Some(c) = &anchors.checkpoint {
                if c.id == row.id {
                    if c.hash != row.hash {
                        return broken(row.id, "differs from the checkpoint kept outside the database");
                    }
                    checkpoint_seen = true;
                }
            }
            prev = row.hash;
            expected_id += 1;
        }
    }
    // A checkpoint of the empty log (entry 0) names the genesis hash.
    let genesis = |c: &&Checkpoint| c.id == 0 && c.hash == GENESIS;
    if let Some(c) = anchors
        .checkpoint
        .as_ref()
        .filter(|c| !checkpoint_seen && !genesis(c))
    {
        return broken(
            c.id,
            "the checkpoint's entry is gone (entries removed from the end?)",
        );
    }
    let head = head(db).await?;
    if head.last_id != expected_id - 1 || head.last_hash != prev {
        return broken(
            head.last_id,
            "the chain's head does not match its last entry (entries removed from the end?)",
        );
    }
    Ok(Ok((expected_id - 1) as u64))
}

/// Seals the entries written before seals existed (migration 000014), oldest first, under
/// the current key: `section41 audit seal`, run once after that upgrade, after checking the
/// chain. It trusts the chain as it stands, so it is never run on its own by the server:
/// every entry written since is sealed as it is written.
pub async fn seal_pending(
    db: &DatabaseConnection,
    keys: &super::secrets::Keys,
) -> AppResult<u64> {
    let mut sealed = 0;
    loop {
        let rows = audit_entry::Entity::find()
            .filter(audit_entry::Column::Seal.is_null())
            .order_by_asc(audit_entry::Column::Id)
            .limit(500)
            .all(db)
            .await?;
        if rows.is_empty() {
            return Ok(sealed);
        }
        let txn = super::begin_write(db).await?;
        for row in &rows {
            audit_entry::Entity::update_many()
                .col_expr(audit_entry::Column::Seal, Expr::value(keys.audit_seal(&row.hash)))
                .filter(audit_entry::Column::Id.eq(row.id))
                .filter(audit_entry::Column::Seal.is_null())
                .exec(&txn)
                .await?;
        }
        txn.commit().await?;
        sealed += rows.len() as u64;
    }
}

/// Where checkpoints go: appended to a file the database's administrators cannot write,
/// and mailed (through the outbox) to an audit mailbox outside the service.
#[derive(Clone, Debug, Default)]
pub struct CheckpointTo {
    pub file: Option<std::path::PathBuf>,
    pub mailbox: Option<String>,
}

/// Writes the head as a checkpoint: a line appended to the file and a mail to the mailbox.
/// The `job_runs` row that holds the day a checkpoint was last written to a file (not just
/// due: the daily job claims its day before it writes).
pub const CHECKPOINT_WRITTEN: &str = "audit_checkpoint_written";

pub async fn checkpoint(db: &DatabaseConnection, to: &CheckpointTo) -> AppResult<Checkpoint> {
    let head = head(db).await?;
    let c = Checkpoint {
        id: head.last_id,
        hash: head.last_hash,
        at: Utc::now(),
    };
    if let Some(file) = &to.file {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(file)?;
        writeln!(f, "{}", c.line())?;
        f.sync_all()?;
        // Recorded once the line is on disk: from now on `audit verify` refuses to pass
        // without a checkpoint file.
        use super::entities::job_run;
        job_run::Entity::insert(job_run::ActiveModel {
            name: sea_orm::Set(CHECKPOINT_WRITTEN.to_string()),
            last_run: sea_orm::Set(super::calendar::today_in_bangkok()),
        })
        .on_conflict(
            sea_orm::sea_query::OnConflict::column(job_run::Column::Name)
                .update_column(job_run::Column::LastRun)
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    }
    if let Some(mailbox) = &to.mailbox {
        let txn = super::begin_write(db).await?;
        super::mail::enqueue(
            &txn,
            super::mail::Message {
                to: mailbox.clone(),
                subject: format!("Section 41 audit checkpoint: entry {}", c.id),
                body: format!(
                    "The audit log's head at {}:\n\n{}\n\nKeep this mail. `section41 audit verify` checks the log against the latest checkpoint.\n",
                    c.at.to_rfc3339(),
                    c.line()
                ),
            },
        )
        .await?;
        txn.commit().await?;
    }
    Ok(c)
}

/// Writes one checkpoint a day (whichever instance gets there first), checking every
/// `every` whether today's is written.
pub async fn run_checkpoints(
    db: DatabaseConnection,
    to: CheckpointTo,
    every: std::time::Duration,
    mut stop: super::Shutdown,
) {
    loop {
        let today = super::calendar::today_in_bangkok();
        match super::claim_daily_run(&db, "audit_checkpoint", today).await {
            Ok(true) => match checkpoint(&db, &to).await {
                Ok(c) => tracing::info!(id = c.id, "audit checkpoint written"),
                Err(e) => tracing::error!(error = %e, "audit checkpoint"),
            },
            Ok(false) => {}
            Err(e) => tracing::error!(error = %e, "audit checkpoint"),
        }
        super::job_ran("audit_checkpoint");
        if stop.wait(every).await {
            return;
        }
    }
}

/// Entries about one claim, newest first (for the case page's audit tab).
pub async fn for_claim(
    db: &DatabaseConnection,
    reference: &str,
) -> AppResult<Vec<audit_entry::Model>> {
    Ok(audit_entry::Entity::find()
        .filter(audit_entry::Column::ClaimReference.eq(reference))
        .order_by_desc(audit_entry::Column::Id)
        .limit(200)
        .all(db)
        .await?)
}
