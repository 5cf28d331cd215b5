//! The office's report: a region's or the country's figures for a fiscal year or a month,
//! with a chart of each month's petitions and decisions beside its table, and downloads.

use super::{sign_in_first, staff_bar};
use crate::api::staff::{staff_me, staff_report};
use crate::domain::dates::{MONTHS_EN, MONTHS_TH};
use crate::domain::intake::Channel;
use crate::domain::Relation;
use crate::i18n::{t, Locale};
use crate::pages::claim_status::format_baht;
use crate::views::ReportView;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn StaffReports() -> impl IntoView {
    let l = crate::use_locale();
    let query = use_query_map();
    let args = move || {
        let q = query.read();
        (q.get("region"), q.get("year"), q.get("month"))
    };
    let me = Resource::new(|| (), |_| staff_me());
    let report = Resource::new(args, |(region, year, month)| staff_report(region, year, month));
    view! {
        <Suspense fallback=move || view! { <p>{t(l, "กำลังโหลด…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match (me.await, report.await) {
                    (Ok(Some(me)), Ok(r)) => view! {
                        {staff_bar(l, &me)}
                        {crate::pages::heading(l, "รายงาน\u{200B}ผลการ\u{200B}ดำเนินงาน", "Office report", false)}
                        {report_view(l, r, args())}
                    }.into_any(),
                    (Ok(Some(me)), Err(_)) => view! {
                        {staff_bar(l, &me)}
                        {crate::pages::heading(l, "รายงาน\u{200B}ผลการ\u{200B}ดำเนินงาน", "Office report", false)}
                        <p>{t(l, "ไม่พบรายงานตามที่เลือก", "There is no report for that choice.")}</p>
                        <p><a href="/staff/reports">{t(l, "ดูรายงานปีงบประมาณนี้", "See this fiscal year's report")}</a></p>
                    }.into_any(),
                    _ => sign_in_first(l).into_any(),
                }
            })}
        </Suspense>
    }
}

fn month_name(l: Locale, m: u32) -> &'static str {
    let i = (m as usize).saturating_sub(1).min(11);
    match l {
        Locale::Th => MONTHS_TH[i],
        Locale::En => MONTHS_EN[i],
    }
}

fn report_view(
    l: Locale,
    v: ReportView,
    (region, year, month): (Option<String>, Option<String>, Option<String>),
) -> impl IntoView {
    let r = v.report.clone();
    let fy = r.period.fiscal_year;
    let this_year = crate::domain::stats::fiscal_year(v.today);
    let th = l == Locale::Th;
    let download = |format: &str| {
        let mut href = format!("/staff/reports/export/{format}");
        for (k, val) in [("region", region.clone()), ("year", year.clone()), ("month", month.clone())] {
            if let Some(val) = val.filter(|v| !v.is_empty()) {
                href.push(if href.contains('?') { '&' } else { '?' });
                href.push_str(&format!("{k}={}", crate::components::layout::urlencode(&val)));
            }
        }
        href
    };
    let (csv, xlsx) = (download("csv"), download("xlsx"));
    let only = (v.regions.len() == 1).then(|| v.regions[0]);
    let province = v
        .province
        .and_then(|p| crate::domain::ProvinceCode::parse(&format!("{p:02}")))
        .map(|p| p.province());
    let scope = match v.region.or(only) {
        _ if province.is_some() => province.map_or(String::new(), |p| {
            if l == Locale::Th { format!("จังหวัด{}", p.name_th) } else { p.name_en.to_string() }
        }),
        Some(n) => format!("{}{n}", t(l, "เขต ", "Region ")),
        None if v.regions.len() == 13 => t(l, "ทั้งประเทศ", "Whole country").to_string(),
        None => t(l, "ทุกเขตที่ท่านดูแล", "All your regions").to_string(),
    };
    let period = match r.period.month {
        Some(m) => format!("{} {}{fy}", month_name(l, m), t(l, "ปีงบประมาณ ", "fiscal year ")),
        None => format!("{}{fy}", t(l, "ปีงบประมาณ ", "Fiscal year ")),
    };
    let within = if r.decided > 0 { (r.within_target * 100 + r.decided / 2) / r.decided } else { 0 };
    let most = r.months.iter().map(|m| m.1.max(m.2)).max().unwrap_or(0).max(1);
    view! {
        <form method="get" action="/staff/reports" class="filters">
            {(v.regions.len() > 1).then(|| view! {
                <div class="form-group">
                    <label class="label" for="region">{t(l, "เขต", "Region")}</label>
                    <select class="select" id="region" name="region">
                        <option value="">{if v.regions.len() == 13 { t(l, "ทั้งประเทศ", "Whole country") } else { t(l, "ทุกเขตที่ท่านดูแล", "All your regions") }}</option>
                        {v.regions.iter().map(|n| view! { <option value=n.to_string() selected=v.region == Some(*n)>{*n}</option> }).collect_view()}
                    </select>
                </div>
            })}
            <div class="form-group">
                <label class="label" for="year">{t(l, "ปีงบประมาณ", "Fiscal year")}</label>
                <select class="select" id="year" name="year">
                    {(0..5).map(|k| this_year - k).map(|y| view! { <option value=y.to_string() selected=y == fy>{y}</option> }).collect_view()}
                </select>
            </div>
            <div class="form-group">
                <label class="label" for="month">{t(l, "เดือน", "Month")}</label>
                <select class="select" id="month" name="month">
                    <option value="">{t(l, "ทั้งปี", "Whole year")}</option>
                    {[10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9].into_iter().map(|m| view! { <option value=m.to_string() selected=r.period.month == Some(m)>{month_name(l, m)}</option> }).collect_view()}
                </select>
            </div>
            <button type="submit" class="button button-secondary">{t(l, "แสดงรายงาน", "Show report")}</button>
        </form>
        <h2 id="report-scope">{format!("{scope} · {period}")}</h2>
        <p class="downloads">{t(l, "ดาวน์โหลดรายงานนี้: ", "Download this report: ")}
            <a href=csv id="report-csv" download>"CSV"</a>" · "
            <a href=xlsx id="report-xlsx" download>"Excel (XLSX)"</a>
        </p>
        <dl class="summary-list" id="report-summary">
            <div><dt>{t(l, "คำร้องที่ได้รับ", "Petitions received")}</dt><dd id="report-received">{r.received}</dd></div>
            <div><dt>{t(l, "พิจารณาแล้ว", "Decided")}</dt><dd id="report-decided">{r.decided}{t(l, " (ไม่จ่ายเงิน ", " (not paying: ")}{r.refused}")"</dd></div>
            <div><dt>{t(l, "ระยะเวลาพิจารณา", "Days from a complete petition to the decision")}</dt>
                <dd id="report-days">{t(l, "มัธยฐาน ", "median ")}{r.median_days.map_or("–".into(), |d| d.to_string())}
                    {t(l, " วัน, เปอร์เซ็นไทล์ที่ 90 ", " days, 90th percentile ")}{r.p90_days.map_or("–".into(), |d| d.to_string())}
                    {t(l, " วัน (เป้าหมาย ", " days (target ")}{r.target_days.map_or("–".into(), |d| d.to_string())}{t(l, " วัน)", " days)")}</dd></div>
            <div><dt>{t(l, "พิจารณาเสร็จภายในเป้าหมาย", "Decided within the target")}</dt><dd>{r.within_target}" ("{within}"%)"</dd></div>
            <div><dt>{t(l, "เกินกำหนดอยู่ในขณะนี้", "Overdue now")}</dt><dd id="report-overdue">{r.overdue_now}</dd></div>
            <div><dt>{t(l, "อุทธรณ์", "Appeals")}</dt><dd id="report-appeals">{t(l, "ยื่น ", "lodged ")}{r.appeals_lodged}{t(l, ", วินิจฉัยให้จ่าย ", ", decided paying ")}{r.appeals_paying}{t(l, ", ไม่จ่าย ", ", not paying ")}{r.appeals_refused}</dd></div>
        </dl>

        <figure class="chart" id="chart-months">
            <figcaption id="chart-months-title">{t(l, "คำร้องที่ได้รับ (สีเข้ม) และที่พิจารณาแล้ว (สีอ่อน) รายเดือน", "Petitions received (dark) and decided (light), by month")}</figcaption>
            <svg viewBox=format!("0 0 320 {}", 30 * r.months.len() + 4) width="100%" role="img" aria-labelledby="chart-months-title" aria-describedby="table-months">
                {r.months.iter().enumerate().map(|(i, &(m, got, done))| {
                    let y = 30 * i + 2;
                    let w = |n: u64| (n * 200 / most) as usize;
                    view! {
                        <g>
                            <text x="0" y=y + 17 class="chart-label">{month_name(l, m)}</text>
                            <rect x="76" y=y + 3 width=w(got) height="11" class="chart-bar"></rect>
                            <text x=80 + w(got) y=y + 13 class="chart-value">{got}</text>
                            <rect x="76" y=y + 15 width=w(done) height="11" class="chart-bar-light"></rect>
                            <text x=80 + w(done) y=y + 25 class="chart-value">{done}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
        </figure>
        <div class="table-wrap" role="region" aria-labelledby="table-months-caption" tabindex="0">
            <table class="queue stats-table" id="table-months">
                <caption id="table-months-caption">{t(l, "รายเดือน", "By month")}</caption>
                <thead><tr><th scope="col">{t(l, "เดือน", "Month")}</th><th scope="col" class="num">{t(l, "ได้รับ", "Received")}</th><th scope="col" class="num">{t(l, "พิจารณาแล้ว", "Decided")}</th></tr></thead>
                <tbody>{r.months.iter().map(|&(m, got, done)| view! { <tr><th scope="row">{month_name(l, m)}</th><td class="num">{got}</td><td class="num">{done}</td></tr> }).collect_view()}</tbody>
            </table>
        </div>

        <div class="table-wrap" role="region" aria-labelledby="table-categories-caption" tabindex="0">
            <table class="queue stats-table" id="table-categories">
                <caption id="table-categories-caption">{t(l, "คำวินิจฉัยให้จ่ายเงิน แยกตามประเภท", "Decisions to pay, by category")}</caption>
                <thead><tr><th scope="col">{t(l, "ประเภท", "Category")}</th><th scope="col" class="num">{t(l, "ราย", "Claims")}</th><th scope="col" class="num">{t(l, "รวม (บาท)", "Total (baht)")}</th><th scope="col" class="num">{t(l, "มัธยฐาน (บาท)", "Median (baht)")}</th></tr></thead>
                <tbody>{r.by_category.iter().map(|c| view! {
                    <tr><th scope="row">{c.category}</th><td class="num">{c.claims}</td><td class="num">{format_baht(c.baht)}</td><td class="num">{c.median_baht.map_or("–".into(), format_baht)}</td></tr>
                }).collect_view()}</tbody>
            </table>
        </div>

        <div class="table-wrap" role="region" aria-labelledby="table-channels-caption" tabindex="0">
            <table class="queue stats-table" id="table-channels">
                <caption id="table-channels-caption">{t(l, "คำร้องที่ได้รับ แยกตามช่องทางและผู้ยื่น", "Petitions received, by channel and by filer")}</caption>
                <tbody>
                    {r.by_channel.iter().map(|(c, n)| view! { <tr><th scope="row">{Channel::parse(c).map_or(c.clone(), |c| c.label(th).to_string())}</th><td class="num">{*n}</td></tr> }).collect_view()}
                    {r.by_relation.iter().map(|(rel, n)| view! { <tr><th scope="row">{Relation::parse(rel).map_or(rel.clone(), |r| r.label(th).to_string())}</th><td class="num">{*n}</td></tr> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
