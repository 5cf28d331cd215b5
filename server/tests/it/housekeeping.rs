//! Unsent drafts and their documents go after a week; filed claims keep their documents.

use crate::api_documents::PDF;
use crate::common::{spawn_app, Backend};
use crate::on_both;
use app::backend::entities::{document, document_content, draft};
use sea_orm::prelude::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

on_both!(
    old_unsent_drafts_and_their_files_are_swept,
    overlapping_writers_wait_their_turn
);

async fn old_unsent_drafts_and_their_files_are_swept(b: Backend) {
    let app = spawn_app(b).await;
    let start = app
        .client
        .post(app.url("/file/start"))
        .send()
        .await
        .unwrap();
    let prefix = start.headers()["location"]
        .to_str()
        .unwrap()
        .trim_end_matches("/filer")
        .to_string();
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(PDF.to_vec()).file_name("a.pdf"),
    );
    app.client
        .post(app.url(&format!("{prefix}/documents")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let doc = document::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let stored = || async {
        document_content::Entity::find_by_id(doc.id)
            .count(&app.db)
            .await
            .unwrap()
    };
    assert_eq!(stored().await, 1);
    use app::backend::housekeeping::DRAFT_DAYS;
    let last_touched = |ago: chrono::Duration| {
        draft::Entity::update_many()
            .col_expr(draft::Column::UpdatedAt, Expr::value(chrono::Utc::now() - ago))
            .filter(draft::Column::Id.is_not_null())
            .exec(&app.db)
    };
    // A draft left for not quite DRAFT_DAYS (3) survives a sweep.
    last_touched(chrono::Duration::days(DRAFT_DAYS) - chrono::Duration::hours(1))
        .await
        .unwrap();
    let swept = app::backend::housekeeping::sweep(&app.db, &app.dir.join("documents"))
        .await
        .unwrap();
    assert_eq!(swept.drafts, 0);
    // Just past them, it does not.
    last_touched(chrono::Duration::days(DRAFT_DAYS) + chrono::Duration::hours(1))
        .await
        .unwrap();
    let swept = app::backend::housekeeping::sweep(&app.db, &app.dir.join("documents"))
        .await
        .unwrap();
    assert_eq!((swept.drafts, swept.documents), (1, 1));
    assert_eq!(stored().await, 0, "the document's bytes went with it");
    assert_eq!(draft::Entity::find().count(&app.db).await.unwrap(), 0);
    assert_eq!(
        app.client
            .get(app.url(&format!("{prefix}/filer")))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    app.cleanup().await;
}

/// Every pooled SQLite connection keeps a claim through a crash (WAL, FULL sync) and waits
/// for another writer rather than failing: settings made per connection, not on the first.
#[tokio::test]
async fn every_sqlite_connection_is_durable_and_patient() {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    let app = spawn_app(Backend::Sqlite).await;
    // Four transactions held open at once: four different pooled connections answer.
    let mut txns = Vec::new();
    for _ in 0..4 {
        txns.push(sea_orm::TransactionTrait::begin(&app.db).await.unwrap());
    }
    for txn in &txns {
        let get = |name: &'static str| async move {
            let row = txn
                .query_one_raw(Statement::from_string(
                    DbBackend::Sqlite,
                    format!("PRAGMA {name}"),
                ))
                .await
                .unwrap()
                .unwrap();
            row.try_get_by_index::<i64>(0)
                .map(|v| v.to_string())
                .or_else(|_| row.try_get_by_index::<String>(0))
                .unwrap()
        };
        assert_eq!(
            (
                get("journal_mode").await,
                get("synchronous").await,
                get("busy_timeout").await
            ),
            ("wal".to_string(), "2".to_string(), "10000".to_string())
        );
    }
    for txn in txns {
        txn.rollback().await.unwrap();
    }
    app.cleanup().await;
}

/// Two staff actions or filings at the same moment each read, then write. On SQLite a writer
/// that read first used to fail at once with "database is locked" (a 500 to the user) when the
/// other wrote in between; now the second waits for the first and both land.
async fn overlapping_writers_wait_their_turn(b: Backend) {
    use app::backend::entities::holiday;
    use sea_orm::Set;
    let app = spawn_app(b).await;
    let before = holiday::Entity::find().count(&app.db).await.unwrap();
    let add = |day: u32| holiday::ActiveModel {
        date: Set(chrono::NaiveDate::from_ymd_opt(2099, 6, day).unwrap()),
        name_th: Set("ทดสอบ".into()),
        name_en: Set("test".into()),
    };
    let first = app::backend::begin_write(&app.db).await.unwrap();
    holiday::Entity::find().count(&first).await.unwrap();
    let db = app.db.clone();
    let second = tokio::spawn(async move {
        let txn = app::backend::begin_write(&db).await?;
        holiday::Entity::find().count(&txn).await?;
        holiday::Entity::insert(add(2))
            .exec_without_returning(&txn)
            .await?;
        txn.commit().await
    });
    // Give the second writer time to get as far as it can before the first writes.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    holiday::Entity::insert(add(1))
        .exec_without_returning(&first)
        .await
        .expect("the first writer is not turned away");
    first.commit().await.unwrap();
    second
        .await
        .unwrap()
        .expect("the second writer waited and then wrote");
    assert_eq!(
        holiday::Entity::find().count(&app.db).await.unwrap(),
        before + 2
    );
    app.cleanup().await;
}
