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
    concurrent_appends_make_one_chain,
    a_re_hashed_or_cut_chain_fails_against_its_seals_and_checkpoint,
    the_server_writes_one_checkpoint_a_day,
    queue_pages_and_agendas_are_audited,
    a_change_whose_audit_entry_cannot_be_written_is_not_made
);

/// A change and its audit entry are one transaction: when the entry cannot be written, the
/// change is not made either (an administrator's new account, a committee meeting).
async fn a_change_whose_audit_entry_cannot_be_written_is_not_made(b: Backend) {
    use app::backend::entities::{meeting, user};
    use app::domain::access::{Grant, Role};
    use app::domain::Region;
    use sea_orm::{ConnectionTrait, PaginatorTrait};
    let app = spawn_app(b).await;
    let admin = crate::staff::staff_client(&app, "admin@nhso.test", &[Grant::new(Role::Admin, None).unwrap()]).await;
    let officer = crate::staff::staff_client(
        &app,
        "officer1@nhso.test",
        &[Grant::new(Role::RegionalOfficer, Region::new(1)).unwrap()],
    )
    .await;
    // Each one's form token, read while pages can still be audited.
    let csrf = |c: reqwest::Client| {
        let url = app.url("/staff");
        async move { crate::common::csrf_of(&c.get(url).send().await.unwrap().text().await.unwrap()) }
    };
    let (admin_csrf, officer_csrf) = (csrf(admin.clone()).await, csrf(officer.clone()).await);
    let users_before = user::Entity::find().count(&app.db).await.unwrap();
    // From now on the audit log refuses every entry.
    let refuse = match b {
        Backend::Sqlite => vec![
            "CREATE TRIGGER audit_refuses BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'refused'); END",
        ],
        Backend::Postgres => vec![
            "CREATE FUNCTION audit_refuses() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER audit_refuses BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_refuses()",
        ],
    };
    for sql in refuse {
        app.db.execute_unprepared(sql).await.unwrap();
    }
    let made = admin
        .post(app.url("/staff/admin/user"))
        .form(&[
            ("csrf", admin_csrf.as_str()),
            ("email", "new@nhso.test"),
            ("role", "regional_officer"),
            ("region", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(made.status(), 500);
    assert_eq!(user::Entity::find().count(&app.db).await.unwrap(), users_before, "no account");
    let next_week = (app::backend::calendar::today_in_bangkok() + chrono::Duration::days(7)).to_string();
    let scheduled = officer
        .post(app.url("/staff/meetings"))
        .form(&[("csrf", officer_csrf.as_str()), ("region", "1"), ("meets_on", next_week.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(scheduled.status(), 500);
    assert_eq!(meeting::Entity::find().count(&app.db).await.unwrap(), 0, "no meeting");
    app.cleanup().await;
}

fn entry(i: usize) -> String {
    format!("detail {i}")
}

/// Six notes about one claim, in order.
async fn append_six(app: &crate::common::TestApp) {
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
}

async fn edits_deletions_and_truncations_are_detected(b: Backend) {
    let app = spawn_app(b).await;
    append_six(&app).await;
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

/// What the hash chain alone cannot show: someone with write access to the database
/// re-hashes the chain after an edit, or cuts entries off the end and rewinds the head.
/// The seals (an HMAC under the server key) and the checkpoint kept outside the database
/// show both.
async fn a_re_hashed_or_cut_chain_fails_against_its_seals_and_checkpoint(b: Backend) {
    use app::backend::audit::{checkpoint, entry_hash, verify_with, Anchors, Checkpoint, CheckpointTo};
    let app = spawn_app(b).await;
    // Entries are sealed as they are written, under the key this process installed.
    let keys = app::backend::audit::sealing_keys().expect("the server installed its key");
    append_six(&app).await;
    let file = app.dir.join("audit-checkpoints");
    let to = CheckpointTo {
        file: Some(file.clone()),
        mailbox: Some("audit@nhso.test".into()),
    };
    let made = checkpoint(&app.db, &to).await.unwrap();
    assert_eq!(made.id, 6);
    let kept = Checkpoint::latest_in(&file).unwrap().unwrap();
    assert_eq!(kept.id, 6);
    assert_eq!(kept.hash, made.hash);
    let mails = app::backend::entities::outbox::Entity::find()
        .filter(app::backend::entities::outbox::Column::ToAddress.eq("audit@nhso.test"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(mails.len(), 1);
    assert!(mails[0].body.contains(&made.line()), "the checkpoint is mailed out too");
    let anchors = |checkpoint: Option<Checkpoint>| Anchors {
        keys: Some(keys),
        checkpoint,
    };
    assert_eq!(verify_with(&app.db, &anchors(Some(kept.clone()))).await.unwrap(), Ok(6));

    // Cut entry 6 off and rewind the head: the chain alone still verifies…
    let six = audit_entry::Entity::find_by_id(6).one(&app.db).await.unwrap().unwrap();
    let five = audit_entry::Entity::find_by_id(5).one(&app.db).await.unwrap().unwrap();
    audit_entry::Entity::delete_by_id(6).exec(&app.db).await.unwrap();
    let rewind = |id: i64, hash: String| {
        audit_head::Entity::update_many()
            .col_expr(audit_head::Column::LastId, Expr::value(id))
            .col_expr(audit_head::Column::LastHash, Expr::value(hash))
            .exec(&app.db)
    };
    rewind(5, five.hash.clone()).await.unwrap();
    assert_eq!(verify(&app.db).await.unwrap(), Ok(5));
    // … but not against the checkpoint.
    let broken = verify_with(&app.db, &anchors(Some(kept.clone()))).await.unwrap().unwrap_err();
    assert_eq!(broken.id, 6, "{}", broken.reason);
    audit_entry::Entity::insert(audit_entry::ActiveModel::from(six))
        .exec_without_returning(&app.db)
        .await
        .unwrap();
    rewind(6, kept.hash.clone()).await.unwrap();
    assert_eq!(verify_with(&app.db, &anchors(Some(kept.clone()))).await.unwrap(), Ok(6));

    // Edit entry 3 and re-hash everything after it, as anyone could with SHA-256 alone.
    let mut prev = audit_entry::Entity::find_by_id(2).one(&app.db).await.unwrap().unwrap().hash;
    for id in 3..=6 {
        let row = audit_entry::Entity::find_by_id(id).one(&app.db).await.unwrap().unwrap();
        let detail = if id == 3 { "nothing to see".to_string() } else { row.detail.clone() };
        let e = Entry {
            actor: &row.actor,
            action: &row.action,
            claim_reference: row.claim_reference.as_deref(),
            detail: &detail,
            client: &row.client,
        };
        let hash = entry_hash(&prev, id, row.at.timestamp_micros(), &e);
        audit_entry::Entity::update_many()
            .col_expr(audit_entry::Column::Detail, Expr::value(detail.clone()))
            .col_expr(audit_entry::Column::PrevHash, Expr::value(prev.clone()))
            .col_expr(audit_entry::Column::Hash, Expr::value(hash.clone()))
            .filter(audit_entry::Column::Id.eq(id))
            .exec(&app.db)
            .await
            .unwrap();
        prev = hash;
    }
    rewind(6, prev).await.unwrap();
    assert_eq!(verify(&app.db).await.unwrap(), Ok(6), "the hashes alone agree again");
    let broken = verify_with(&app.db, &anchors(None)).await.unwrap().unwrap_err();
    assert_eq!((broken.id, broken.reason.contains("seal")), (3, true), "{}", broken.reason);
    // Removing the seals does not help: every entry must carry one.
    audit_entry::Entity::update_many()
        .col_expr(audit_entry::Column::Seal, Expr::value(Option::<String>::None))
        .exec(&app.db)
        .await
        .unwrap();
    let broken = verify_with(&app.db, &anchors(None)).await.unwrap().unwrap_err();
    assert_eq!(broken.id, 1, "{}", broken.reason);
    // Nor does sealing them again without the server key: another key's seals do not hold.
    let other = app::backend::secrets::Keys::new("somebody else's key, 32+ characters long", &[]);
    app::backend::audit::seal_pending(&app.db, &other).await.unwrap();
    assert_eq!(verify_with(&app.db, &anchors(None)).await.unwrap().unwrap_err().id, 1);
    // And the checkpoint (kept outside) disagrees with the re-hashed entry 6 anyway.
    let broken = verify_with(
        &app.db,
        &Anchors {
            checkpoint: Some(kept),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .unwrap_err();
    assert_eq!(broken.id, 6, "{}", broken.reason);
    app.cleanup().await;
}

/// Queue pages and agendas list people's names: each view is in the audit log, naming the
/// claims it showed (never the names).
async fn queue_pages_and_agendas_are_audited(b: Backend) {
    use app::domain::access::{Grant, Role};
    let app = spawn_app(b).await;
    let v: serde_json::Value = app
        .post_claim(&crate::common::valid_petition())
        .await
        .json()
        .await
        .unwrap();
    let reference = v["reference"].as_str().unwrap();
    let hotline = crate::staff::staff_client(
        &app,
        "hotline@nhso.test",
        &[Grant::new(Role::Intake, None).unwrap()],
    )
    .await;
    let page = app.page(&hotline, "/staff").await;
    assert!(page.contains(reference));
    let viewed = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("queue_viewed"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(viewed.len(), 1);
    assert_eq!(viewed[0].actor, "user:hotline@nhso.test");
    assert!(viewed[0].detail.contains(reference), "{}", viewed[0].detail);
    assert!(!viewed[0].detail.contains("ใจดี"), "names stay out of the log");
    app.cleanup().await;
}

/// The server's daily job writes the checkpoint once a day, whichever instance runs it
/// first, and `audit verify` finds the log holding it.
async fn the_server_writes_one_checkpoint_a_day(b: Backend) {
    use app::backend::audit::{run_checkpoints, Checkpoint, CheckpointTo};
    let app = spawn_app(b).await;
    append_six(&app).await;
    let file = app.dir.join("audit-checkpoints");
    let to = CheckpointTo {
        file: Some(file.clone()),
        mailbox: None,
    };
    // Two instances' jobs, each stopped after one round.
    for _ in 0..2 {
        let (stop, jobs) = app::backend::Shutdown::new();
        stop.send(true).unwrap();
        run_checkpoints(app.db.clone(), to.clone(), std::time::Duration::from_secs(1), jobs).await;
    }
    let lines = std::fs::read_to_string(&file).unwrap();
    assert_eq!(lines.lines().count(), 1, "one checkpoint today: {lines}");
    let kept = Checkpoint::latest_in(&file).unwrap().unwrap();
    assert_eq!(kept.id, 6);
    let anchors = app::backend::audit::Anchors {
        keys: app::backend::audit::sealing_keys(),
        checkpoint: Some(kept),
    };
    assert_eq!(app::backend::audit::verify_with(&app.db, &anchors).await.unwrap(), Ok(6));
    app.cleanup().await;
}
