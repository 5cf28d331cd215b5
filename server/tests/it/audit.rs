//! The audit log's hash chain: intact chains verify; any edit, deletion or truncation is
//! found and named; concurrent appends extend one chain.

use crate::common::{spawn_app, Backend};
use crate::on_both;
use app::backend::audit::{append, verify, Entry};
use app::backend::entities::{audit_entry, audit_head};
use sea_orm::prelude::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

on_both!(
    edits_deletions_and_truncations_are_detected,
    concurrent_appends_make_one_chain
);

fn entry(i: usize) -> String {
    format!("detail {i}")
}

async fn edits_deletions_and_truncations_are_detected(b: Backend) {
    let app = spawn_app(b).await;
    for i in 0..6 {
        let detail = entry(i);
        append(
            &app.db,
            Entry {
                actor: "user:a@nhso.test",
                action: "note",
                claim_reference: Some("S41-2569-AAAAAA"),
                detail: &detail,
                client: "10.0.0.1",
            },
        )
        .await
        .unwrap();
    }
    assert_eq!(verify(&app.db).await.unwrap(), Ok(6));
    // Someone edits entry 3's detail in the database.
    audit_entry::Entity::update_many()
        .col_expr(audit_entry::Column::Detail, Expr::value("nothing to see"))
        .filter(audit_entry::Column::Id.eq(3))
        .exec(&app.db)
        .await
        .unwrap();
    let broken = verify(&app.db).await.unwrap().unwrap_err();
    assert_eq!(broken.id, 3);
    audit_entry::Entity::update_many()
        .col_expr(audit_entry::Column::Detail, Expr::value(entry(2)))
        .filter(audit_entry::Column::Id.eq(3))
        .exec(&app.db)
        .await
        .unwrap();
    assert_eq!(verify(&app.db).await.unwrap(), Ok(6), "restored");
    // Deleting from the middle.
    let four = audit_entry::Entity::find_by_id(4)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    audit_entry::Entity::delete_by_id(4)
        .exec(&app.db)
        .await
        .unwrap();
    assert_eq!(verify(&app.db).await.unwrap().unwrap_err().id, 4);
    audit_entry::Entity::insert(audit_entry::ActiveModel::from(four))
        .exec_without_returning(&app.db)
        .await
        .unwrap();
    assert_eq!(verify(&app.db).await.unwrap(), Ok(6));
    // Cutting off the end (and leaving the head alone) is found too.
    audit_entry::Entity::delete_by_id(6)
        .exec(&app.db)
        .await
        .unwrap();
    assert!(verify(&app.db).await.unwrap().is_err());
    // … as is rewinding the head to hide it.
    let five = audit_entry::Entity::find_by_id(5)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::LastId, Expr::value(5i64))
        .col_expr(audit_head::Column::LastHash, Expr::value(five.hash))
        .exec(&app.db)
        .await
        .unwrap();
    assert_eq!(verify(&app.db).await.unwrap(), Ok(5), "a rewound head is the one thing a chain alone cannot show; the head must be protected separately");
    app.cleanup().await;
}

async fn concurrent_appends_make_one_chain(b: Backend) {
    let app = spawn_app(b).await;
    let mut handles = Vec::new();
    for i in 0..24 {
        let db = app.db.clone();
        handles.push(tokio::spawn(async move {
            let detail = entry(i);
            append(
                &db,
                Entry {
                    actor: "system",
                    action: "tick",
                    claim_reference: None,
                    detail: &detail,
                    client: "-",
                },
            )
            .await
            .unwrap()
        }));
    }
    let mut ids: Vec<i64> = Vec::new();
    for h in handles {
        ids.push(h.await.unwrap());
    }
    ids.sort();
    assert_eq!(ids, (1..=24).collect::<Vec<_>>());
    assert_eq!(verify(&app.db).await.unwrap(), Ok(24));
    app.cleanup().await;
}
