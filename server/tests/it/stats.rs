//! The public statistics (`/stats`, `/stats.csv`) against a seeded set whose answers are
//! worked out by hand below: the figures are right, and region 5's two claims cannot be
//! read or worked out from anything published.

use crate::common::{fresh_database, spawn_on, Backend, TestApp};
use app::backend::entities::claim;
use chrono::NaiveDate;
use sea_orm::prelude::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

crate::on_both!(published_figures_are_right_and_small_counts_stay_hidden);

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// One claim filed through the API for a service unit in `province`, then given (straight
/// in the database, as the staff workflow would leave it) a decision `days` after a complete
/// petition, on 1 March 2026 (fiscal year 2569), and maybe a payment.
async fn seed(app: &TestApp, i: usize, province: &str, days: i64, pay: Option<(i16, i64)>) {
    let reference = app.file_in(i, province).await;
    let decided = d(2026, 3, 1);
    let start = decided - chrono::Duration::days(days);
    let mut update = claim::Entity::update_many()
        .col_expr(claim::Column::FiledOn, Expr::value(start))
        .col_expr(claim::Column::ReceivedOn, Expr::value(Some(start)))
        .col_expr(claim::Column::ClockStart, Expr::value(Some(start)))
        .col_expr(claim::Column::DecidedOn, Expr::value(Some(decided)))
        .col_expr(
            claim::Column::Status,
            Expr::value(if pay.is_some() { "paid" } else { "rejected" }),
        );
    if let Some((category, amount)) = pay {
        update = update
            .col_expr(claim::Column::DecisionCategory, Expr::value(Some(category)))
            .col_expr(claim::Column::DecisionAmount, Expr::value(Some(amount)))
            .col_expr(claim::Column::PaidOn, Expr::value(Some(d(2026, 4, 1))))
            .col_expr(claim::Column::PaidAmount, Expr::value(Some(amount)));
    }
    update
        .filter(claim::Column::Reference.eq(reference))
        .exec(&app.db)
        .await
        .unwrap();
}

async fn published_figures_are_right_and_small_counts_stay_hidden(b: Backend) {
    let fresh = fresh_database(b).await;
    let app = spawn_on(&fresh, &[("TRUSTED_PROXIES", "127.0.0.1")]).await;
    let page = app.page(&app.client, "/stats").await;
    assert!(page.contains("ยังไม่มีสถิติ"), "no figures before any are worked out");

    let mut i = 0;
    let mut next = || {
        i += 1;
        i
    };
    // Region 1 (Chiang Mai): 8 paid in category 3, decided in 10 days; 6 refused after 45.
    for _ in 0..8 {
        seed(&app, next(), "50", 10, Some((3, 50_000))).await;
    }
    for _ in 0..6 {
        seed(&app, next(), "50", 45, None).await;
    }
    // Region 13 (Bangkok): 7 paid in category 2 after 20 days; 5 refused after 45.
    for _ in 0..7 {
        seed(&app, next(), "10", 20, Some((2, 150_000))).await;
    }
    for _ in 0..5 {
        seed(&app, next(), "10", 45, None).await;
    }
    // Region 5 (Ratchaburi): two people, paid in category 1.
    for _ in 0..2 {
        seed(&app, next(), "70", 20, Some((1, 300_000))).await;
    }
    app::backend::stats::refresh(&app.db).await.unwrap();

    let csv = app
        .client
        .get(app.url("/stats.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let csv = csv.text().await.unwrap();
    assert!(csv.starts_with('\u{feff}'), "a byte-order mark, for spreadsheet programs");
    let line = |region: &str| -> Vec<String> {
        csv.lines()
            .find(|l| l.starts_with(&format!("2569,{region},")))
            .unwrap_or_else(|| panic!("a 2569 line for {region} in\n{csv}"))
            .split(',')
            .map(str::to_string)
            .collect()
    };
    // fiscal_year, region, received, decided, approved, approved %, within target,
    // within %, median days, then claims and baht paid for categories 1–3 and in all.
    assert_eq!(
        line("1"),
        ["2569", "1", "14", "14", "8", "57", "8", "57", "10", "0", "0", "0", "0", "8", "400000", "8", "400000"]
            .map(String::from)
            .to_vec(),
        "region 1, every figure large enough to publish"
    );
    let r13 = line("13");
    assert_eq!(&r13[3..9], ["12", "7", "58", "7", "58", "20"], "region 13's decisions");
    assert_eq!(&r13[11..13], ["7", "1050000"], "region 13's category 2 payments");
    let r5 = line("5");
    for (column, value) in r5.iter().enumerate().skip(2) {
        assert!(
            value.is_empty() || value == "0",
            "region 5's column {column} gives its 2 claims away: {r5:?}"
        );
    }
    // Received: region 5's 2 alone would be the country's 28 less the rest, so a second
    // region's figure is hidden with it.
    let received_hidden = (1..=13)
        .filter(|r| line(&r.to_string())[2].is_empty())
        .count();
    assert!(received_hidden >= 2, "{csv}");
    let country = line("all");
    assert_eq!(&country[2..9], ["28", "28", "17", "61", "17", "61", "20"], "the country");
    // The country's decisions less the shown regions' are spread over two hidden ones.
    let shown: u64 = (1..=13)
        .filter_map(|r| line(&r.to_string())[3].parse::<u64>().ok())
        .sum();
    let hidden = (1..=13)
        .filter(|r| line(&r.to_string())[3].is_empty())
        .count();
    assert!(28 - shown == 0 || hidden >= 2, "{csv}");

    // The page shows the same figures, the hidden ones as "not published".
    app.client
        .get(app.url("/lang/en?next=/stats"))
        .send()
        .await
        .unwrap();
    let page = app.page(&app.client, "/stats?year=2569").await;
    assert!(page.contains("Fiscal year 2569"), "{page}");
    assert!(page.contains("not published"));
    assert!(page.contains("57%"));
    assert!(page.contains("1,050,000"));
    assert!(page.contains("<svg"), "charts drawn on the server");
    fresh.remove().await;
}
