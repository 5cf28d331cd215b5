//! The document store: each document's record and its bytes in the database, written in one
//! transaction, so every instance of the service opens every document and a backup holds
//! claims and documents together. Type comes from the content (magic bytes), never the name.
//!
//! Documents stored before migration 000011 may still be files under `DOCUMENTS_DIR`, named
//! by their ID: they are read from there until `section41 documents import` moves them in.

use super::entities::{document, document_content};
use super::error::{AppError, AppResult};
use super::secrets::sha256_hex;
use crate::views::DocumentInfo;
use crate::domain::{ErrorCode, FieldError};
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    TransactionTrait,
};
use std::path::Path;
use uuid::Uuid;

pub const MAX_BYTES: usize = 10 * 1024 * 1024;
pub const MAX_FILES: u64 = 10;

/// What a document belongs to.
#[derive(Clone, Copy, Debug)]
pub enum Owner {
    Claim(Uuid),
    Draft(Uuid),
}

/// PDF, JPEG or PNG by their leading bytes.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else {
        None
    }
}

/// Keeps the base name, drops control characters and path separators, bounds the length.
pub fn clean_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base.chars().filter(|c| !c.is_control()).take(150).collect();
    if cleaned.trim().is_empty() {
        "document".into()
    } else {
        cleaned.trim().to_string()
    }
}

fn doc_error(code: ErrorCode) -> AppError {
    AppError::Validation(vec![FieldError::new("documents", code)])
}

/// A document that passed every check that needs no database: its size and its type.
#[derive(Debug)]
pub struct Checked<'a> {
    pub filename: String,
    pub content_type: &'static str,
    pub bytes: &'a [u8],
}

/// Size and type (from the content), before anything is stored.
pub fn check<'a>(filename: &str, bytes: &'a [u8]) -> AppResult<Checked<'a>> {
    if bytes.len() > MAX_BYTES {
        return Err(doc_error(ErrorCode::FileTooLarge {
            max_mb: MAX_BYTES / (1024 * 1024),
        }));
    }
    let content_type = sniff(bytes).ok_or_else(|| doc_error(ErrorCode::FileType))?;
    Ok(Checked {
        filename: clean_filename(filename),
        content_type,
        bytes,
    })
}

/// Checks and stores one document of a draft, within `bytes_per_client` across the unsent
/// drafts of the client that started it; on any failure nothing is kept. (A claim's
/// documents go through `actions::claimant_add_document`, which records them in its history.)
pub async fn store_in_draft(
    db: &DatabaseConnection,
    draft_id: Uuid,
    filename: &str,
    bytes: &[u8],
    bytes_per_client: i64,
) -> AppResult<DocumentInfo> {
    let doc = check(filename, bytes)?;
    let txn = super::begin_write(db).await?;
    // Staff-started drafts have no client and are not capped.
    let client = super::entities::draft::Entity::find_by_id(draft_id)
        .one(&txn)
        .await?
        .and_then(|d| d.client_key);
    if let Some(client) = &client {
        lock_client(&txn, client).await?;
    }
    let info = store_in(&txn, Owner::Draft(draft_id), &doc, "claimant").await?;
    // What this client's unsent drafts hold now, this document included.
    let held = match &client {
        Some(client) => held_by_client(&txn, client).await?,
        None => 0,
    };
    if held > bytes_per_client {
        txn.rollback().await?;
        return Err(doc_error(ErrorCode::ClientStorageFull {
            max_mb: (bytes_per_client / (1024 * 1024)) as usize,
        }));
    }
    txn.commit().await?;
    Ok(info)
}

/// Holds, until `txn` ends, the lock on everything `client` stores in drafts: uploads into
/// that client's other drafts wait, so two at once cannot both fit under the cap. (SQLite
/// writes one transaction at a time already; PostgreSQL takes a transaction-scoped advisory
/// lock on the client.)
async fn lock_client(txn: &sea_orm::DatabaseTransaction, client: &str) -> AppResult<()> {
    use sea_orm::ConnectionTrait;
    if txn.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        return Ok(());
    }
    txn.execute_raw(sea_orm::Statement::from_sql_and_values(
        sea_orm::DatabaseBackend::Postgres,
        "SELECT pg_advisory_xact_lock(hashtext($1))",
        [format!("draft-bytes:{client}").into()],
    ))
    .await?;
    Ok(())
}

/// The bytes of documents in `client`'s unsent drafts.
async fn held_by_client(txn: &sea_orm::DatabaseTransaction, client: &str) -> AppResult<i64> {
    use super::entities::draft;
    use sea_orm::sea_query::{Alias, Expr, Func};
    use sea_orm::{FromQueryResult, QuerySelect, QueryTrait};
    let drafts = draft::Entity::find()
        .select_only()
        .column(draft::Column::Id)
        .filter(draft::Column::ClientKey.eq(client))
        .filter(draft::Column::ClaimReference.is_null())
        .into_query();
    #[derive(FromQueryResult)]
    struct Held {
        bytes: Option<i64>,
    }
    let held = document::Entity::find()
        .select_only()
        // SUM of a bigint is a numeric on PostgreSQL: back to a bigint.
        .column_as(
            Expr::expr(Func::cast_as(
                Func::sum(Expr::col(document::Column::SizeBytes)),
                Alias::new("BIGINT"),
            )),
            "bytes",
        )
        .filter(document::Column::DraftId.in_subquery(drafts))
        .into_model::<Held>()
        .one(txn)
        .await?;
    Ok(held.and_then(|h| h.bytes).unwrap_or(0))
}

/// Stores a checked document inside the caller's write transaction, within the owner's
/// `MAX_FILES`. The owner's row is locked first, so two uploads at once cannot both take
/// the last place.
pub async fn store_in(
    txn: &sea_orm::DatabaseTransaction,
    owner: Owner,
    doc: &Checked<'_>,
    uploaded_by: &str,
) -> AppResult<DocumentInfo> {
    use super::entities::draft;
    use sea_orm::sea_query::Expr;
    let existing = match owner {
        Owner::Claim(id) => {
            super::lock_claim(txn, id).await?;
            document::Entity::find()
                .filter(document::Column::ClaimId.eq(id))
                .count(txn)
                .await?
        }
        Owner::Draft(id) => {
            draft::Entity::update_many()
                .col_expr(draft::Column::Id, Expr::col(draft::Column::Id))
                .filter(draft::Column::Id.eq(id))
                .exec(txn)
                .await?;
            document::Entity::find()
                .filter(document::Column::DraftId.eq(id))
                .count(txn)
                .await?
        }
    };
    if existing >= MAX_FILES {
        return Err(doc_error(ErrorCode::TooManyFiles {
            max: MAX_FILES as usize,
        }));
    }
    let id = Uuid::new_v4();
    let row = document::ActiveModel {
        id: Set(id),
        claim_id: Set(match owner {
            Owner::Claim(c) => Some(c),
            Owner::Draft(_) => None,
        }),
        draft_id: Set(match owner {
            Owner::Draft(d) => Some(d),
            Owner::Claim(_) => None,
        }),
        filename: Set(doc.filename.clone()),
        content_type: Set(doc.content_type.into()),
        size_bytes: Set(doc.bytes.len() as i64),
        sha256: Set(sha256_hex(doc.bytes)),
        uploaded_by: Set(uploaded_by.into()),
        created_at: Set(Utc::now()),
    };
    document::Entity::insert(row)
        .exec_without_returning(txn)
        .await?;
    document_content::Entity::insert(document_content::ActiveModel {
        document_id: Set(id),
        content: Set(doc.bytes.to_vec()),
    })
    .exec_without_returning(txn)
    .await?;
    Ok(DocumentInfo {
        id: id.to_string(),
        filename: doc.filename.clone(),
        content_type: doc.content_type.into(),
        size_bytes: doc.bytes.len() as i64,
    })
}

pub async fn of_draft(db: &DatabaseConnection, draft_id: Uuid) -> AppResult<Vec<DocumentInfo>> {
    Ok(document::Entity::find()
        .filter(document::Column::DraftId.eq(draft_id))
        .all(db)
        .await?
        .into_iter()
        .map(|d| DocumentInfo {
            id: d.id.to_string(),
            filename: d.filename,
            content_type: d.content_type,
            size_bytes: d.size_bytes,
        })
        .collect())
}

/// Removes a document from a draft (before filing only), its bytes with it.
pub async fn remove_from_draft(
    db: &DatabaseConnection,
    draft_id: Uuid,
    doc_id: Uuid,
) -> AppResult<()> {
    let txn = super::begin_write(db).await?;
    let res = document::Entity::delete_many()
        .filter(document::Column::Id.eq(doc_id))
        .filter(document::Column::DraftId.eq(draft_id))
        .exec(&txn)
        .await?;
    if res.rows_affected == 1 {
        document_content::Entity::delete_by_id(doc_id)
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// A document's bytes: from the database, or (stored before migration 000011 and not yet
/// imported) from its file under `dir`.
async fn content_of(db: &DatabaseConnection, dir: &Path, id: Uuid) -> AppResult<Vec<u8>> {
    if let Some(c) = document_content::Entity::find_by_id(id).one(db).await? {
        return Ok(c.content);
    }
    tracing::warn!(document = %id, "document read from DOCUMENTS_DIR: run `section41 documents import`");
    tokio::fs::read(dir.join(id.to_string()))
        .await
        .map_err(AppError::internal)
}

/// What `import_files` did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Imported {
    /// Moved into the database (and their files removed).
    pub moved: usize,
    /// Records with neither stored bytes nor a file.
    pub missing: usize,
    /// Files whose bytes no longer match the recorded hash: left where they are.
    pub damaged: usize,
}

/// Moves documents stored as files under `dir` (before migration 000011) into the database.
/// Each file's hash is checked against its record; its file is removed only once its bytes
/// are committed. Safe to run again, and while the service runs.
pub async fn import_files(db: &DatabaseConnection, dir: &Path) -> AppResult<Imported> {
    let mut done = Imported::default();
    for doc in document::Entity::find().all(db).await? {
        if document_content::Entity::find_by_id(doc.id)
            .count(db)
            .await?
            > 0
        {
            continue;
        }
        let path = dir.join(doc.id.to_string());
        let Ok(bytes) = tokio::fs::read(&path).await else {
            done.missing += 1;
            continue;
        };
        if sha256_hex(&bytes) != doc.sha256 {
            tracing::error!(document = %doc.id, "file does not match its recorded hash; left in place");
            done.damaged += 1;
            continue;
        }
        let txn = db.begin().await?;
        document_content::Entity::insert(document_content::ActiveModel {
            document_id: Set(doc.id),
            content: Set(bytes),
        })
        .exec_without_returning(&txn)
        .await?;
        txn.commit().await?;
        tokio::fs::remove_file(&path).await?;
        done.moved += 1;
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_comes_from_content() {
        assert_eq!(sniff(b"%PDF-1.7\n"), Some("application/pdf"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(
            sniff(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0]),
            Some("image/png")
        );
        assert_eq!(sniff(b"MZ\x90\x00 pretend.pdf"), None);
        assert_eq!(clean_filename("../../etc/passwd"), "passwd");
        assert_eq!(clean_filename("C:\\scan\\บัตรประชาชน.pdf"), "บัตรประชาชน.pdf");
    }
}

/// A claim's document for a staff member allowed to see the claim: its record and bytes.
/// The opening is audited; a document of another claim, or of a claim they may not see,
/// answers "not found" (and the attempt is audited too). The stored file's hash is checked.
pub async fn open_for_staff(
    db: &DatabaseConnection,
    dir: &Path,
    me: &crate::views::StaffIdentity,
    reference: &str,
    doc_id: &str,
    client: &str,
) -> AppResult<(document::Model, Vec<u8>)> {
    let reference = crate::domain::reference::normalise_reference(reference);
    let c = super::actions::visible_case(db, me, &reference, "document", client).await?;
    let actor = format!("user:{}", me.email);
    let doc = match Uuid::parse_str(doc_id.trim()) {
        Ok(id) => {
            document::Entity::find_by_id(id)
                .filter(document::Column::ClaimId.eq(c.id))
                .one(db)
                .await?
        }
        Err(_) => None,
    };
    let Some(doc) = doc else {
        let detail = "document: not this claim's";
        super::audit::refused(db, &actor, Some(&reference), detail, client).await?;
        return Err(AppError::NotFound);
    };
    let bytes = content_of(db, dir, doc.id).await?;
    if super::secrets::sha256_hex(&bytes) != doc.sha256 {
        return Err(AppError::internal(format!(
            "document {} does not match its stored hash",
            doc.id
        )));
    }
    super::audit::append(
        db,
        super::audit::Entry {
            actor: &actor,
            action: "document_opened",
            claim_reference: Some(&reference),
            detail: &doc.id.to_string(),
            client,
        },
    )
    .await?;
    Ok((doc, bytes))
}
