//! Offices' mail: both offices hear of a re-routed case, and each office with a mailbox gets
//! one overdue list a day, however many instances run the daily job.

use crate::actions::post_with_csrf;
use crate::common::{set_path, spawn_app, valid_petition, Backend};
use crate::on_both;
use crate::staff::staff_client;
use app::backend::calendar::today_in_bangkok;
use app::backend::entities::{claim, outbox};
use app::backend::offices;
use app::domain::access::{Grant, Role};
use app::domain::Region;
use chrono::Duration;
use sea_orm::prelude::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};

on_both!(both_offices_hear_of_a_move_and_overdue_lists_go_out_once_a_day);

async fn both_offices_hear_of_a_move_and_overdue_lists_go_out_once_a_day(b: Backend) {
    let app = spawn_app(b).await;
    let r = |n| Region::new(n).unwrap();
    offices::set_contact(&app.db, r(1), "Region1@NHSO.test")
        .await
        .unwrap();
    offices::set_contact(&app.db, r(3), "region3@nhso.test")
        .await
        .unwrap();
    assert!(offices::set_contact(&app.db, r(4), "not an address")
        .await
        .is_err());
    let mut body = valid_petition();
    set_path(&mut body, "patient.name", json!("นายทดสอบ ย้ายเขต"));
    let v: Value = app.post_claim(&body).await.json().await.unwrap();
    let reference = v["reference"].as_str().unwrap().to_string();
    let officer1 = staff_client(
        &app,
        "officer1@nhso.test",
        &[Grant::new(Role::RegionalOfficer, Some(r(1))).unwrap()],
    )
    .await;
    let moved = post_with_csrf(
        &app,
        &officer1,
        &reference,
        "reroute",
        &[("region", "3"), ("internal_note", "หน่วยบริการอยู่ในเขต 3")],
    )
    .await;
    assert_eq!(moved, "/staff?moved=3");
    let mails = outbox::Entity::find().all(&app.db).await.unwrap();
    let to = |addr: &str| {
        mails
            .iter()
            .filter(|m| m.to_address == addr)
            .collect::<Vec<_>>()
    };
    assert_eq!(to("region1@nhso.test").len(), 1, "the old office is told");
    assert_eq!(to("region3@nhso.test").len(), 1, "the new office is told");
    assert!(
        to("region3@nhso.test")[0].body.contains(&reference)
            && to("region3@nhso.test")[0]
                .body
                .contains("moved to your office")
    );
    assert!(
        mails
            .iter()
            .all(|m| !m.body.contains("ย้ายเขต") && !m.body.contains("หน่วยบริการอยู่ในเขต 3")),
        "no names, no internal notes"
    );

    // The moved case is now overdue in region 3; region 1 has nothing overdue.
    let today = today_in_bangkok();
    claim::Entity::update_many()
        .col_expr(
            claim::Column::DueOn,
            Expr::value(Some(today - Duration::days(2))),
        )
        .filter(claim::Column::Reference.eq(reference.clone()))
        .exec(&app.db)
        .await
        .unwrap();
    let before = outbox::Entity::find().all(&app.db).await.unwrap().len();
    // Two instances run the daily job on the same day: one list goes out.
    offices::run_daily(&app.db).await.unwrap();
    offices::run_daily(&app.db).await.unwrap();
    let mails = outbox::Entity::find().all(&app.db).await.unwrap();
    let digests: Vec<_> = mails
        .iter()
        .filter(|m| m.subject.contains("overdue"))
        .collect();
    assert_eq!(mails.len() - before, 1);
    assert_eq!(digests.len(), 1);
    assert_eq!(digests[0].to_address, "region3@nhso.test");
    assert!(digests[0].body.contains(&reference) && digests[0].subject.contains("1 overdue"));
    assert!(!digests[0].body.contains("ย้ายเขต"), "no names in the list");
    // Tomorrow it runs again.
    assert!(
        app::backend::claim_daily_run(&app.db, "overdue_digest", today + Duration::days(1))
            .await
            .unwrap()
    );
    app.cleanup().await;
}
