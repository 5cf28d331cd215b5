//! The audit log: who did or saw what, when, from where. Entries are appended under a lock
//! on the chain's head and each carries the hash of the one before, so any edit, deletion
//! or insertion shows up in `verify` (and `section41 audit verify`).

use super::entities::{audit_entry, audit_head};
use super::error::{AppError, AppResult};
use chrono::{DateTime, Utc};
use sea_orm::prelude::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use sha2::{Digest, Sha256};

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
    let head = audit_head::Entity::find_by_id(1)
        .one(txn)
        .await?
        .ok_or_else(|| AppError::internal("audit head missing"))?;
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

#[derive(Debug, PartialEq, Eq)]
pub struct Broken {
    pub id: i64,
    pub reason: String,
}

/// Walks the whole chain. `Ok(n)` when all `n` entries and the head agree.
pub async fn verify(db: &DatabaseConnection) -> AppResult<Result<u64, Broken>> {
    let mut prev = GENESIS.to_string();
    let mut expected_id = 1i64;
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
                return Ok(Err(Broken {
                    id: expected_id,
                    reason: format!("entry {expected_id} is missing"),
                }));
            }
            if row.prev_hash != prev {
                return Ok(Err(Broken {
                    id: row.id,
                    reason: "does not chain from the entry before".into(),
                }));
            }
            let e = Entry {
                actor: &row.actor,
                action: &row.action,
                claim_reference: row.claim_reference.as_deref(),
                detail: &row.detail,
                client: &row.client,
            };
            if entry_hash(&prev, row.id, row.at.timestamp_micros(), &e) != row.hash {
                return Ok(Err(Broken {
                    id: row.id,
                    reason: "its contents do not match its hash".into(),
                }));
            }
            prev = row.hash;
            expected_id += 1;
        }
    }
    let head = audit_head::Entity::find_by_id(1)
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal("audit head missing"))?;
    if head.last_id != expected_id - 1 || head.last_hash != prev {
        return Ok(Err(Broken {
            id: head.last_id,
            reason:
                "the chain's head does not match its last entry (entries removed from the end?)"
                    .into(),
        }));
    }
    Ok(Ok((expected_id - 1) as u64))
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
