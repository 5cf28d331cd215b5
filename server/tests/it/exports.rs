//! Staff exports: a region-5 officer's CSV and XLSX hold exactly the rows their queue shows
//! (every page of it, with its filters), no region-3 row, and each export is audited.

use crate::common::{fresh_database, spawn_on, valid_petition, Backend, TestApp};
use crate::staff::staff_client;
use app::backend::entities::{audit_entry, claim};
use app::domain::access::{Grant, Role};
use app::domain::Region;
use calamine::Reader;
use sea_orm::prelude::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;
use std::collections::BTreeSet;

crate::on_both!(an_export_holds_exactly_the_queue_it_was_asked_for);

async fn file(app: &TestApp, i: usize, province: &str) -> String {
    let mut p = valid_petition();
    p["service_unit"]["province_code"] = json!(province);
    p["patient"]["name"] = json!(format!("ผู้ป่วย ทดสอบ{i}"));
    app.file_as_client(i, &p).await
}

/// The references on every page of the queue at `path`, following "next page".
async fn queue(app: &TestApp, client: &reqwest::Client, path: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut next = Some(path.to_string());
    while let Some(path) = next.take() {
        let page = app.page(client, &path).await;
        for part in page.split("data-reference=\"").skip(1) {
            seen.insert(part.split('"').next().unwrap().to_string());
        }
        next = page
            .split("id=\"next-page\"")
            .next()
            .filter(|_| page.contains("id=\"next-page\""))
            .and_then(|before| before.rsplit("href=\"").next())
            .map(|href| href.split('"').next().unwrap().replace("&amp;", "&"));
    }
    seen
}

async fn download(app: &TestApp, client: &reqwest::Client, path: &str) -> reqwest::Response {
    let r = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(r.status(), 200, "{path}");
    r
}

async fn an_export_holds_exactly_the_queue_it_was_asked_for(b: Backend) {
    let fresh = fresh_database(b).await;
    let app = spawn_on(&fresh, &[("TRUSTED_PROXIES", "127.0.0.1")]).await;
    // 55 claims in region 5 (more than one queue page of 50), 3 in region 3.
    let mut region5 = BTreeSet::new();
    for i in 0..55 {
        region5.insert(file(&app, i, "70").await);
    }
    for i in 55..58 {
        file(&app, i, "60").await;
    }
    // 7 of region 5's are in screening.
    let screening: Vec<String> = region5.iter().take(7).cloned().collect();
    claim::Entity::update_many()
        .col_expr(claim::Column::Status, Expr::value("screening"))
        .filter(claim::Column::Reference.is_in(screening.clone()))
        .exec(&app.db)
        .await
        .unwrap();

    let officer = staff_client(
        &app,
        "officer5@nhso.test",
        &[Grant::new(Role::RegionalOfficer, Region::new(5)).unwrap()],
    )
    .await;
    let shown = queue(&app, &officer, "/staff").await;
    assert_eq!(shown, region5, "the queue: region 5's claims, over two pages");

    // CSV: the same references, every row region 5, Thai headers, a byte-order mark.
    let r = download(&app, &officer, "/staff/export/csv").await;
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment; filename=\"section41-claims-"));
    let bytes = r.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xef\xbb\xbf");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    let mut lines = text.split("\r\n").filter(|l| !l.is_empty());
    assert!(lines.next().unwrap().starts_with("เลขที่อ้างอิง,ผู้ได้รับความเสียหาย,"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let csv_refs: BTreeSet<String> = rows.iter().map(|r| r[0].to_string()).collect();
    assert_eq!(csv_refs, shown, "the CSV holds exactly the queue's rows");
    assert_eq!(rows.len(), shown.len(), "each once");
    assert!(rows.iter().all(|r| r[3] == "5"), "no region-3 row");
    assert!(rows.iter().all(|r| r[2] == "•••••••••0708"), "national IDs masked");

    // XLSX with a filter: the same rows as the queue filtered the same way.
    let filtered = queue(&app, &officer, "/staff?status=screening").await;
    assert_eq!(filtered, screening.iter().cloned().collect());
    let r = download(&app, &officer, "/staff/export/xlsx?status=screening").await;
    assert_eq!(
        r.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = r.bytes().await.unwrap().to_vec();
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range("คำร้อง").unwrap();
    let mut sheet_rows = sheet.rows();
    assert_eq!(sheet_rows.next().unwrap()[0].to_string(), "เลขที่อ้างอิง");
    let xlsx: Vec<_> = sheet_rows.collect();
    let xlsx_refs: BTreeSet<String> = xlsx.iter().map(|r| r[0].to_string()).collect();
    assert_eq!(xlsx_refs, filtered, "the XLSX holds exactly the filtered queue");
    let today = app::backend::calendar::today_in_bangkok();
    for row in &xlsx {
        assert_eq!(row[3].to_string(), "5");
        assert_eq!(row[5].to_string(), "กำลังตรวจสอบคำร้อง", "status in Thai");
        let calamine::Data::DateTime(filed) = &row[6] else {
            panic!("the filing date is a date cell: {:?}", row[6]);
        };
        // Spreadsheet serial days count from 30 December 1899.
        let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
        assert_eq!(epoch + chrono::Duration::days(filed.as_f64() as i64), today);
    }

    // Both exports are audited: who, which format and filters, how many rows, which claims.
    let entries = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("queue_exported"))
        .order_by_asc(audit_entry::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].actor, "user:officer5@nhso.test");
    assert!(entries[0].detail.starts_with("csv []; 55 rows: "), "{}", entries[0].detail);
    assert!(entries[1].detail.starts_with("xlsx [status=screening]; 7 rows: "), "{}", entries[1].detail);
    for reference in &screening {
        assert!(entries[1].detail.contains(reference.as_str()));
    }

    // Signed out: nothing.
    let stranger = reqwest::Client::new();
    let r = stranger.get(app.url("/staff/export/csv")).send().await.unwrap();
    assert_eq!(r.status(), 401);
    fresh.remove().await;
}
