//! Harm types and the committee's consistency panel: an administrator extends the list,
//! screening records a type on the checklist (an unknown one is refused and changes
//! nothing), and a reviewer deciding a referred case sees decided cases of that type, their
//! region beside the country, with small counts hidden. Others do not see the panel.

use crate::common::{csrf_of, fresh_database, spawn_on, Backend, TestApp};
use crate::staff::staff_client;
use app::backend::entities::claim;
use app::domain::access::{Grant, Role};
use app::domain::Region;
use sea_orm::prelude::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

crate::on_both!(screening_records_the_harm_and_reviewers_see_like_cases);

/// Files a claim in `province` and leaves it as given: decided (amount, category) or not.
async fn seed(
    app: &TestApp,
    i: usize,
    province: &str,
    harm: &str,
    decided: Option<Option<(i16, i64)>>,
) -> String {
    let reference = app.file_in(i, province).await;
    let mut update = claim::Entity::update_many()
        .col_expr(claim::Column::HarmType, Expr::value(Some(harm)));
    if let Some(paid) = decided {
        update = update
            .col_expr(claim::Column::Status, Expr::value(if paid.is_some() { "approved" } else { "rejected" }))
            .col_expr(claim::Column::DecidedOn, Expr::value(Some(app::backend::calendar::today_in_bangkok())))
            .col_expr(claim::Column::DecisionCategory, Expr::value(paid.map(|p| p.0)))
            .col_expr(claim::Column::DecisionAmount, Expr::value(paid.map(|p| p.1)));
    }
    update
        .filter(claim::Column::Reference.eq(reference.clone()))
        .exec(&app.db)
        .await
        .unwrap();
    reference
}

async fn screening_records_the_harm_and_reviewers_see_like_cases(b: Backend) {
    let fresh = fresh_database(b).await;
    let app = spawn_on(&fresh, &[("TRUSTED_PROXIES", "127.0.0.1")]).await;

    // An administrator adds a type; the same English name again is refused.
    let admin = staff_client(&app, "admin@nhso.test", &[Grant::new(Role::Admin, None).unwrap()]).await;
    let page = app.page(&admin, "/staff/admin").await;
    let csrf = csrf_of(&page);
    let add = |th: &'static str, en: &'static str| {
        let (admin, url, csrf) = (admin.clone(), app.url("/staff/admin/harm_type"), csrf.clone());
        async move {
            admin
                .post(url)
                .form(&[("csrf", csrf.as_str()), ("label_th", th), ("label_en", en)])
                .send()
                .await
                .unwrap()
                .headers()["location"]
                .to_str()
                .unwrap()
                .to_string()
        }
    };
    assert_eq!(add("การให้เลือด", "Blood transfusion").await, "/staff/admin?saved=harm_type#harm_type");
    assert!(add("ซ้ำ", "Blood  transfusion!").await.contains("e="), "a second 'blood_transfusion' is refused");
    let page = app.page(&admin, "/staff/admin").await;
    assert!(page.contains("การให้เลือด"));
    assert_eq!(page.matches("การให้เลือด").count(), 1);

    // Screening (a region-1 officer) records the type on the checklist.
    let case = seed(&app, 1, "50", "other", None).await;
    claim::Entity::update_many()
        .col_expr(claim::Column::Status, Expr::value("screening"))
        .col_expr(claim::Column::HarmType, Expr::value(Option::<String>::None))
        .filter(claim::Column::Reference.eq(case.clone()))
        .exec(&app.db)
        .await
        .unwrap();
    let officer = staff_client(&app, "officer1@nhso.test", &[Grant::new(Role::RegionalOfficer, Region::new(1)).unwrap()]).await;
    let page = app.page(&officer, &format!("/staff/claims/{case}")).await;
    assert!(page.contains("name=\"harm_type\""), "the checklist asks for the type");
    assert!(!page.contains("id=\"consistency\""), "an officer does not decide: no panel");
    let csrf = csrf_of(&page);
    let post = |harm: &'static str| {
        let (officer, url, csrf) = (officer.clone(), app.url(&format!("/staff/claims/{case}/checklist")), csrf.clone());
        async move {
            officer
                .post(url)
                .form(&[("csrf", csrf.as_str()), ("uc_right", ""), ("uc_method", ""), ("harm_type", harm)])
                .send()
                .await
                .unwrap()
                .headers()["location"]
                .to_str()
                .unwrap()
                .to_string()
        }
    };
    let stored = |app: &TestApp| {
        let (db, case) = (app.db.clone(), case.clone());
        async move {
            claim::Entity::find()
                .filter(claim::Column::Reference.eq(case))
                .one(&db)
                .await
                .unwrap()
                .unwrap()
                .harm_type
        }
    };
    assert!(post("made_up").await.contains("e="), "an unknown type is a field error");
    assert_eq!(stored(&app).await, None, "and changes nothing");
    assert!(post("surgery").await.ends_with("?checked=1"));
    assert_eq!(stored(&app).await.as_deref(), Some("surgery"));

    // Decided surgery cases: region 1 has 6 paid (10,000 … 60,000) and 5 refused; other
    // regions 20 paid at 40,000, 6 refused and 2 deaths. Medication cases do not count.
    let mut i = 10;
    let mut next = || {
        i += 1;
        i
    };
    for k in 1..=6 {
        seed(&app, next(), "50", "surgery", Some(Some((3, k * 10_000)))).await;
    }
    for _ in 0..5 {
        seed(&app, next(), "50", "surgery", Some(None)).await;
    }
    for _ in 0..20 {
        seed(&app, next(), "10", "surgery", Some(Some((3, 40_000)))).await;
    }
    for _ in 0..6 {
        seed(&app, next(), "70", "surgery", Some(None)).await;
    }
    for _ in 0..2 {
        seed(&app, next(), "10", "surgery", Some(Some((1, 400_000)))).await;
    }
    for _ in 0..7 {
        seed(&app, next(), "50", "medication", Some(Some((2, 150_000)))).await;
    }
    claim::Entity::update_many()
        .col_expr(claim::Column::Status, Expr::value("referred"))
        .col_expr(claim::Column::ReferredAt, Expr::value(Some(chrono::Utc::now())))
        .filter(claim::Column::Reference.eq(case.clone()))
        .exec(&app.db)
        .await
        .unwrap();

    let reviewer = staff_client(&app, "reviewer1@nhso.test", &[Grant::new(Role::Reviewer, Region::new(1)).unwrap()]).await;
    app.page(&reviewer, "/lang/en?next=/").await;
    let page = app.page(&reviewer, &format!("/staff/claims/{case}")).await;
    let panel = page
        .split("id=\"consistency\"")
        .nth(1)
        .unwrap_or_else(|| panic!("the reviewer sees the panel:\n{page}"));
    let panel = panel.split("</section>").next().unwrap();
    assert!(panel.contains("Surgery"));
    let rows: Vec<&str> = panel.split("<tr>").skip(2).collect();
    let cells = |row: &str| -> Vec<String> {
        row.split("<td class=\"num\">")
            .skip(1)
            .map(|c| c.split("</td>").next().unwrap().to_string())
            .collect()
    };
    let region = cells(rows[0]);
    assert_eq!(region[0], "11");
    assert_eq!(region[1], "55%");
    assert_eq!(region[4], "6");
    assert!(region[5].starts_with("10,000 – 60,000 (median 30,000)"), "{region:?}");
    let country = cells(rows[1]);
    assert_eq!(country[0], "39", "surgery only, all regions");
    assert_eq!(country[1], "72%", "28 of 39 paid");
    assert!(country[2].contains("not shown"), "two deaths are not shown: {country:?}");
    assert!(!panel.contains("สมชาย") && !panel.contains("1101700230708"), "no names, no IDs");
    fresh.remove().await;
}
