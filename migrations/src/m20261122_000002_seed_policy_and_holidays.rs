//! Seeds the policy tables with the figures in force and the holiday table with Thailand's
//! fixed-date public holidays for 2020–2040. Admins edit both later; code never hard-codes them.

use chrono::NaiveDate;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (month, day, Thai name, English name). Kept here, not imported from the app crate, so a
/// migration stays what it was when it ran even if the app's table changes.
const FIXED: [(u32, u32, &str, &str); 15] = [
    (1, 1, "วันขึ้นปีใหม่", "New Year's Day"),
    (4, 6, "วันจักรี", "Chakri Memorial Day"),
    (4, 13, "วันสงกรานต์", "Songkran"),
    (4, 14, "วันสงกรานต์", "Songkran"),
    (4, 15, "วันสงกรานต์", "Songkran"),
    (5, 1, "วันแรงงานแห่งชาติ", "National Labour Day"),
    (5, 4, "วันฉัตรมงคล", "Coronation Day"),
    (
        6,
        3,
        "วันเฉลิมพระชนมพรรษาสมเด็จพระราชินี",
        "Queen Suthida's Birthday",
    ),
    (
        7,
        28,
        "วันเฉลิมพระชนมพรรษาพระบาทสมเด็จพระเจ้าอยู่หัว",
        "King Vajiralongkorn's Birthday",
    ),
    (8, 12, "วันแม่แห่งชาติ", "Mother's Day"),
    (10, 13, "วันนวมินทรมหาราช", "King Bhumibol Memorial Day"),
    (10, 23, "วันปิยมหาราช", "Chulalongkorn Day"),
    (12, 5, "วันพ่อแห่งชาติ", "Father's Day"),
    (12, 10, "วันรัฐธรรมนูญ", "Constitution Day"),
    (12, 31, "วันสิ้นปี", "New Year's Eve"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let from = NaiveDate::from_ymd_opt(2012, 1, 1).expect("valid date");
        let mut amounts = Query::insert()
            .into_table("policy_amounts")
            .columns(["category", "min_baht", "max_baht", "effective_from"])
            .to_owned();
        for (c, lo, hi) in [
            (1i16, 240_000i64, 400_000i64),
            (2, 100_000, 240_000),
            (3, 0, 100_000),
        ] {
            amounts.values_panic([c.into(), lo.into(), hi.into(), from.into()]);
        }
        m.exec_stmt(amounts).await?;

        let mut targets = Query::insert()
            .into_table("time_targets")
            .columns(["clock", "days", "effective_from"])
            .to_owned();
        for clock in ["regional_decision", "appeal_window", "appeal_decision"] {
            targets.values_panic([clock.into(), 30i32.into(), from.into()]);
        }
        m.exec_stmt(targets).await?;

        let mut holidays = Query::insert()
            .into_table("holidays")
            .columns(["date", "name_th", "name_en"])
            .to_owned();
        for y in 2020..=2040 {
            for (mo, d, th, en) in FIXED {
                let date =
                    NaiveDate::from_ymd_opt(y, mo, d).expect("fixed holidays exist every year");
                holidays.values_panic([date.into(), th.into(), en.into()]);
            }
        }
        m.exec_stmt(holidays).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["holidays", "time_targets", "policy_amounts"] {
            m.exec_stmt(Query::delete().from_table(t).to_owned())
                .await?;
        }
        Ok(())
    }
}
