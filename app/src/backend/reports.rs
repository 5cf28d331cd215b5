//! The office's report for staff: a region's or the country's figures for a fiscal year or
//! a month (`domain::reports`), over exactly the claims the viewer's queue would list, and
//! as CSV or XLSX. Every viewing and download is audited (what, how many claims, who).

use super::audit::{self, Entry};
use super::calendar::time_targets;
use super::entities::{claim, claim_event};
use super::error::{AppError, AppResult};
use super::export::Format;
use crate::domain::dates::bangkok_date_at;
use crate::domain::intake::Channel;
use crate::domain::deadlines::time_to_decision;
use crate::domain::policy::Category;
use crate::domain::reports::{report, Facts, Period, Report};
use crate::domain::{ClaimStatus, Region, Relation};
use crate::i18n::{t, Locale};
use crate::views::{ReportView, StaffIdentity};
use chrono::{NaiveDate, TimeZone, Utc};
use sea_orm::sea_query::{ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};
use std::collections::HashMap;

/// The first day of a period and the day after its last.
fn bounds(p: Period) -> (NaiveDate, NaiveDate) {
    let ce = p.fiscal_year - crate::domain::dates::BE_OFFSET;
    let day = |y: i32, m: u32| NaiveDate::from_ymd_opt(y, m, 1).expect("a first of the month");
    match p.month {
        None => (day(ce - 1, 10), day(ce, 10)),
        Some(m) => {
            let y = if m >= 10 { ce - 1 } else { ce };
            let next = if m == 12 { day(y + 1, 1) } else { day(y, m + 1) };
            (day(y, m), next)
        }
    }
}

type Row = (
    uuid::Uuid,
    NaiveDate,
    Option<NaiveDate>,
    Channel,
    Relation,
    Option<NaiveDate>,
    Option<i16>,
    Option<i64>,
    Option<NaiveDate>,
    Option<NaiveDate>,
    ClaimStatus,
);

/// The report `me` may see for `region` (their only region, or any for national roles;
/// `None`: everything they may see), audited.
pub async fn for_staff(
    db: &DatabaseConnection,
    me: &StaffIdentity,
    region: Option<&str>,
    period: Period,
    client: &str,
) -> AppResult<ReportView> {
    let (view, claims) = build(db, me, region, period).await?;
    audit::append(
        db,
        Entry {
            actor: &format!("user:{}", me.email),
            action: "report_viewed",
            claim_reference: None,
            detail: &format!("{}; {claims} claims", describe(&view)),
            client,
        },
    )
    .await?;
    Ok(view)
}

fn describe(v: &ReportView) -> String {
    format!(
        "{}region={} year={} month={}",
        v.province.map_or(String::new(), |p| format!("province={p:02} ")),
        v.region.map_or("all".into(), |r| r.to_string()),
        v.report.period.fiscal_year,
        v.report.period.month.map_or("all".into(), |m| m.to_string())
    )
}

async fn build(
    db: &DatabaseConnection,
    me: &StaffIdentity,
    region: Option<&str>,
    period: Period,
) -> AppResult<(ReportView, usize)> {
    if !(2500..=2700).contains(&period.fiscal_year) || period.month.is_some_and(|m| !(1..=12).contains(&m)) {
        return Err(AppError::BadRequest("unknown period".into()));
    }
    let region = region
        .filter(|r| !r.is_empty())
        .map(super::listing::region_asked)
        .transpose()?;
    let choices: Vec<u8> = crate::domain::access::regions_of(&me.grants)
        .into_iter()
        .map(Region::number)
        .collect();
    if region.is_some_and(|r| !choices.contains(&r.number())) {
        // Another region's report looks like no report at all.
        return Err(AppError::NotFound);
    }
    let mut scope = Condition::all().add(super::staff::visible_claims(&me.grants));
    if let Some(r) = region {
        scope = scope.add(claim::Column::Region.eq(i16::from(r.number())));
    }
    let (from, to) = bounds(period);
    let today = super::calendar::today_in_bangkok();
    let at = |d: NaiveDate| Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight")) - chrono::Duration::hours(7);
    let appeals = [ClaimStatus::Appealed.as_str(), ClaimStatus::AppealDecided.as_str()];
    // Only the claims the period touches: received or decided in it, appealed in it, or
    // overdue now.
    let touched = Condition::any()
        .add(claim::Column::FiledOn.gte(from).and(claim::Column::FiledOn.lt(to)))
        .add(claim::Column::ReceivedOn.gte(from).and(claim::Column::ReceivedOn.lt(to)))
        .add(claim::Column::DecidedOn.gte(from).and(claim::Column::DecidedOn.lt(to)))
        .add(claim::Column::DueOn.lt(today))
        .add(
            claim::Column::Id.in_subquery(
                Query::select()
                    .column(claim_event::Column::ClaimId)
                    .from(claim_event::Entity)
                    .and_where(claim_event::Column::Status.is_in(appeals))
                    .and_where(claim_event::Column::CreatedAt.gte(at(from)))
                    .and_where(claim_event::Column::CreatedAt.lt(at(to)))
                    .to_owned(),
            ),
        );
    let rows: Vec<Row> = claim::Entity::find()
        .select_only()
        .columns([
            claim::Column::Id,
            claim::Column::FiledOn,
            claim::Column::ReceivedOn,
            claim::Column::Channel,
            claim::Column::Relation,
            claim::Column::DecidedOn,
            claim::Column::DecisionCategory,
            claim::Column::DecisionAmount,
            claim::Column::ClockStart,
            claim::Column::DueOn,
            claim::Column::Status,
        ])
        .filter(scope)
        .filter(touched)
        .into_tuple()
        .all(db)
        .await?;
    let ids: Vec<uuid::Uuid> = rows.iter().map(|r| r.0).collect();
    // Appeal events in the period, for these claims.
    let mut appealed: HashMap<uuid::Uuid, NaiveDate> = HashMap::new();
    let mut appeal_decided: HashMap<uuid::Uuid, NaiveDate> = HashMap::new();
    for chunk in ids.chunks(500) {
        let events: Vec<(uuid::Uuid, ClaimStatus, chrono::DateTime<Utc>)> = claim_event::Entity::find()
            .select_only()
            .columns([
                claim_event::Column::ClaimId,
                claim_event::Column::Status,
                claim_event::Column::CreatedAt,
            ])
            .filter(claim_event::Column::ClaimId.is_in(chunk.to_vec()))
            .filter(claim_event::Column::Status.is_in(appeals))
            .into_tuple()
            .all(db)
            .await?;
        for (id, status, at) in events {
            let on = bangkok_date_at(at.timestamp());
            let map = if status == ClaimStatus::Appealed { &mut appealed } else { &mut appeal_decided };
            map.entry(id).and_modify(|d| *d = Ord::min(*d, on)).or_insert(on);
        }
    }
    let targets = time_targets(db).await?;
    let facts: Vec<Facts> = rows
        .iter()
        .map(|&(id, filed_on, received_on, channel, relation, decided_on, category, amount, clock_start, due_on, status)| {
            let pays = amount.is_some_and(|a| a > 0);
            let (days, target_days) = time_to_decision(&targets, filed_on, clock_start, decided_on);
            Facts {
                received_on: received_on.unwrap_or(filed_on),
                channel,
                relation,
                decided_on,
                category: category.and_then(Category::from_stored),
                amount,
                days,
                target_days,
                overdue: due_on.is_some_and(|d| d < today) && !status.is_final(),
                appealed_on: appealed.get(&id).copied(),
                appeal_decided: appeal_decided.get(&id).map(|d| (*d, pays)),
            }
        })
        .collect();
    Ok((
        ReportView {
            region: region.map(|r| r.number()),
            province: crate::domain::access::only_province(&me.grants).map(|p| p.code()),
            regions: choices,
            report: report(&facts, period),
            today,
        },
        facts.len(),
    ))
}

/// The report as a file, audited like a viewing.
pub async fn export(
    db: &DatabaseConnection,
    me: &StaffIdentity,
    region: Option<&str>,
    period: Period,
    format: Format,
    l: Locale,
    client: &str,
) -> AppResult<Vec<u8>> {
    let (view, claims) = build(db, me, region, period).await?;
    let lines = lines(l, &view.report);
    let bytes = match format {
        Format::Csv => {
            let mut out = String::from(crate::domain::csv::BOM);
            for (name, value) in &lines {
                out.push_str(&crate::domain::csv::line(&[name, value]));
            }
            out.into_bytes()
        }
        Format::Xlsx => {
            use rust_xlsxwriter::{Format as Cell, Workbook};
            let err = super::export::xlsx_failed;
            let mut book = Workbook::new();
            let sheet = book.add_worksheet();
            sheet.set_name(t(l, "รายงาน", "Report")).map_err(err)?;
            let bold = Cell::new().set_bold();
            sheet.set_column_width(0, 60).map_err(err)?;
            sheet.set_column_width(1, 16).map_err(err)?;
            for (r, (name, value)) in lines.iter().enumerate() {
                let r = r as u32;
                if r == 0 {
                    sheet.write_with_format(r, 0, name, &bold).map_err(err)?;
                    sheet.write_with_format(r, 1, value, &bold).map_err(err)?;
                    continue;
                }
                sheet.write(r, 0, name).map_err(err)?;
                match value.parse::<f64>() {
                    Ok(n) => sheet.write(r, 1, n).map_err(err)?,
                    Err(_) => sheet.write(r, 1, value).map_err(err)?,
                };
            }
            book.save_to_buffer().map_err(err)?
        }
    };
    audit::append(
        db,
        Entry {
            actor: &format!("user:{}", me.email),
            action: "report_exported",
            claim_reference: None,
            detail: &format!("{} {}; {claims} claims", format.extension(), describe(&view)),
            client,
        },
    )
    .await?;
    Ok(bytes)
}

/// The report as (what, value) lines, in the reader's language.
pub fn lines(l: Locale, r: &Report) -> Vec<(String, String)> {
    let th = l == Locale::Th;
    let mut out = vec![(t(l, "รายการ", "Figure").to_string(), t(l, "จำนวน", "Value").to_string())];
    let mut add = |name: String, v: String| out.push((name, v));
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    add(t(l, "คำร้องที่ได้รับ", "Petitions received").into(), r.received.to_string());
    for (c, n) in &r.by_channel {
        let label = Channel::parse(c).map_or(c.as_str(), |c| c.label(th));
        add(format!("{}: {label}", t(l, "ช่องทาง", "Channel")), n.to_string());
    }
    for (rel, n) in &r.by_relation {
        let label = Relation::parse(rel).map_or(rel.as_str(), |r| r.label(th));
        add(format!("{}: {label}", t(l, "ผู้ยื่น", "Filed by")), n.to_string());
    }
    add(t(l, "พิจารณาแล้ว", "Decided").into(), r.decided.to_string());
    add(t(l, "ไม่จ่ายเงินช่วยเหลือ", "Not paying").into(), r.refused.to_string());
    for c in &r.by_category {
        let name = format!("{} {}", t(l, "ประเภท", "Category"), c.category);
        add(format!("{name}: {}", t(l, "จำนวนราย", "claims")), c.claims.to_string());
        add(format!("{name}: {}", t(l, "รวมเงิน (บาท)", "total (baht)")), c.baht.to_string());
        add(format!("{name}: {}", t(l, "มัธยฐาน (บาท)", "median (baht)")), opt(c.median_baht));
    }
    add(t(l, "ระยะเวลาพิจารณา มัธยฐาน (วัน)", "Days to decision, median").into(), opt(r.median_days));
    add(t(l, "ระยะเวลาพิจารณา เปอร์เซ็นไทล์ที่ 90 (วัน)", "Days to decision, 90th percentile").into(), opt(r.p90_days));
    add(t(l, "เป้าหมาย (วัน)", "Target (days)").into(), opt(r.target_days));
    add(t(l, "พิจารณาเสร็จภายในเป้าหมาย", "Decided within the target").into(), r.within_target.to_string());
    add(t(l, "เกินกำหนดอยู่ในขณะนี้", "Overdue now").into(), r.overdue_now.to_string());
    add(t(l, "อุทธรณ์ที่ยื่น", "Appeals lodged").into(), r.appeals_lodged.to_string());
    add(t(l, "อุทธรณ์: จ่ายเงิน", "Appeals decided: paying").into(), r.appeals_paying.to_string());
    add(t(l, "อุทธรณ์: ไม่จ่ายเงิน", "Appeals decided: not paying").into(), r.appeals_refused.to_string());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_run_october_to_september() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(bounds(Period { fiscal_year: 2570, month: None }), (d(2026, 10, 1), d(2027, 10, 1)));
        assert_eq!(bounds(Period { fiscal_year: 2570, month: Some(12) }), (d(2026, 12, 1), d(2027, 1, 1)));
        assert_eq!(bounds(Period { fiscal_year: 2570, month: Some(3) }), (d(2027, 3, 1), d(2027, 4, 1)));
    }
}

/// The period asked for in a page's address: `year` (BE; this fiscal year when empty) and
/// `month` (1–12; the whole year when empty).
pub fn period_of(year: Option<&str>, month: Option<&str>) -> AppResult<Period> {
    let bad = || AppError::BadRequest("unknown period".into());
    let fiscal_year = match year.filter(|y| !y.is_empty()) {
        Some(y) => y.parse().map_err(|_| bad())?,
        None => crate::domain::stats::fiscal_year(super::calendar::today_in_bangkok()),
    };
    let month = match month.filter(|m| !m.is_empty()) {
        Some(m) => Some(m.parse().map_err(|_| bad())?),
        None => None,
    };
    Ok(Period { fiscal_year, month })
}
