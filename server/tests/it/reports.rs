//! The office report against a seeded set whose answers are known: a region-5 officer's
//! figures count region 5's claims only, a national account's count the country, another
//! region's report is refused, and every download is audited.

use crate::common::{fresh_database, spawn_on, Backend, TestApp};
use crate::staff::staff_client;
use app::backend::entities::{audit_entry, claim, claim_event};
use app::domain::access::{Grant, Role};
use app::domain::{ClaimStatus, Region};
use chrono::{NaiveDate, TimeZone, Utc};
use sea_orm::prelude::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use std::collections::HashMap;

crate::on_both!(the_report_counts_a_known_set_within_the_viewers_scope);

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

async fn file(app: &TestApp, i: usize, province: &str) -> uuid::Uuid {
    let reference = app.file_in(i, province).await;
    claim::Entity::find()
        .filter(claim::Column::Reference.eq(reference))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// Sets a claim's dates and decision as the staff workflow would have left them.
async fn shape(
    app: &TestApp,
    id: uuid::Uuid,
    received: NaiveDate,
    decided: Option<(NaiveDate, Option<i64>)>,
    status: ClaimStatus,
    due: Option<NaiveDate>,
) {
    claim::Entity::update_many()
        .col_expr(claim::Column::FiledOn, Expr::value(received))
        .col_expr(claim::Column::ReceivedOn, Expr::value(Some(received)))
        .col_expr(claim::Column::ClockStart, Expr::value(Some(received)))
        .col_expr(claim::Column::DecidedOn, Expr::value(decided.map(|d| d.0)))
        .col_expr(
            claim::Column::DecisionCategory,
            Expr::value(decided.and_then(|d| d.1).map(|_| 3i16)),
        )
        .col_expr(claim::Column::DecisionAmount, Expr::value(decided.and_then(|d| d.1)))
        .col_expr(claim::Column::Status, Expr::value(status.as_str()))
        .col_expr(claim::Column::DueOn, Expr::value(due))
        .filter(claim::Column::Id.eq(id))
        .exec(&app.db)
        .await
        .unwrap();
}

async fn event(app: &TestApp, id: uuid::Uuid, status: ClaimStatus, on: NaiveDate) {
    claim_event::ActiveModel {
        claim_id: Set(id),
        status: Set(status),
        actor: Set("system".into()),
        created_at: Set(Utc.from_utc_datetime(&on.and_hms_opt(5, 0, 0).unwrap())),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
}

/// The report's (figure, value) lines, as the English CSV download gives them.
async fn figures(app: &TestApp, client: &reqwest::Client, query: &str) -> HashMap<String, String> {
    let r = client
        .get(app.url(&format!("/staff/reports/export/csv?{query}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{query}");
    let text = r.text().await.unwrap();
    text.trim_start_matches('\u{feff}')
        .lines()
        .filter_map(|l| {
            let (name, value) = l.rsplit_once(',')?;
            Some((name.trim_matches('"').to_string(), value.to_string()))
        })
        .collect()
}

async fn the_report_counts_a_known_set_within_the_viewers_scope(b: Backend) {
    let fresh = fresh_database(b).await;
    let app = spawn_on(&fresh, &[("TRUSTED_PROXIES", "127.0.0.1")]).await;
    let yesterday = app::backend::calendar::today_in_bangkok() - chrono::Duration::days(1);
    // Region 5, fiscal year 2569 (October 2025 to September 2026).
    let a = file(&app, 1, "70").await;
    let b5 = file(&app, 2, "70").await;
    let c = file(&app, 3, "70").await;
    let dd = file(&app, 4, "70").await;
    let e = file(&app, 5, "70").await;
    shape(&app, a, d(2026, 1, 10), Some((d(2026, 1, 20), Some(50_000))), ClaimStatus::Paid, None).await;
    shape(&app, b5, d(2026, 1, 10), Some((d(2026, 1, 30), Some(70_000))), ClaimStatus::Approved, None).await;
    shape(&app, c, d(2026, 1, 10), Some((d(2026, 2, 19), None)), ClaimStatus::AppealDecided, None).await;
    event(&app, c, ClaimStatus::Appealed, d(2026, 3, 1)).await;
    event(&app, c, ClaimStatus::AppealDecided, d(2026, 4, 1)).await;
    shape(&app, dd, d(2026, 2, 1), None, ClaimStatus::Screening, Some(yesterday)).await;
    // Received the year before: not counted.
    shape(&app, e, d(2025, 9, 15), None, ClaimStatus::Screening, None).await;
    // Region 3: two more decisions in the same year.
    for i in 6..8 {
        let id = file(&app, i, "60").await;
        shape(&app, id, d(2026, 1, 10), Some((d(2026, 1, 15), Some(90_000))), ClaimStatus::Approved, None).await;
    }

    let officer = staff_client(
        &app,
        "officer5@nhso.test",
        &[Grant::new(Role::RegionalOfficer, Region::new(5)).unwrap()],
    )
    .await;
    officer.get(app.url("/lang/en?next=/")).send().await.unwrap();
    let f = figures(&app, &officer, "year=2569").await;
    let want = [
        ("Petitions received", "4"),
        ("Channel: API", "4"),
        ("Filed by: The harmed person, for themself", "4"),
        ("Decided", "3"),
        ("Not paying", "1"),
        ("Category 3: claims", "2"),
        ("Category 3: total (baht)", "120000"),
        ("Category 3: median (baht)", "50000"),
        ("Category 1: claims", "0"),
        ("Days to decision, median", "20"),
        ("Days to decision, 90th percentile", "40"),
        ("Target (days)", "30"),
        ("Decided within the target", "2"),
        ("Overdue now", "1"),
        ("Appeals lodged", "1"),
        ("Appeals decided: paying", "0"),
        ("Appeals decided: not paying", "1"),
    ];
    for (name, value) in want {
        assert_eq!(f.get(name).map(String::as_str), Some(value), "{name} in {f:?}");
    }
    // January alone.
    let jan = figures(&app, &officer, "year=2569&month=1").await;
    assert_eq!(jan["Petitions received"], "3");
    assert_eq!(jan["Decided"], "2");
    // Region 3 is not theirs: refused, like a case of another region.
    let r = officer
        .get(app.url("/staff/reports/export/xlsx?year=2569&region=3"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    // The page shows the same figures.
    let page = app.page(&officer, "/staff/reports?year=2569").await;
    assert!(page.contains("id=\"report-received\">4<"), "{page}");
    assert!(page.contains("<svg"), "the monthly chart");

    // A national account sees the country: region 3's two decisions are added.
    let national = staff_client(&app, "intake@nhso.test", &[Grant::new(Role::Intake, None).unwrap()]).await;
    national.get(app.url("/lang/en?next=/")).send().await.unwrap();
    let country = figures(&app, &national, "year=2569").await;
    assert_eq!(country["Decided"], "5");
    assert_eq!(country["Category 3: total (baht)"], "300000");
    let only3 = figures(&app, &national, "year=2569&region=3").await;
    assert_eq!(only3["Decided"], "2");

    // Every viewing and download is audited, with who and what.
    let audited = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.is_in(["report_exported", "report_viewed"]))
        .all(&app.db)
        .await
        .unwrap();
    let officer5 = audited.iter().filter(|e| e.actor == "user:officer5@nhso.test").count();
    assert_eq!(officer5, 3, "two downloads and one page: {audited:?}");
    assert!(audited
        .iter()
        .any(|e| e.action == "report_exported" && e.detail.starts_with("csv region=all year=2569 month=all; ")));
    fresh.remove().await;
}
