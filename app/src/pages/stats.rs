//! The public statistics (`/stats`): per fiscal year and region, petitions received and
//! decided, the share approved, time to decision and amounts paid. Charts are SVG drawn on
//! the server, each beside the table that holds its numbers; nothing needs JavaScript.

use crate::api::public_stats;
use crate::domain::policy::Category;
use crate::domain::stats::{Figures, Paid, Year};
use crate::i18n::{t, Locale};
use crate::pages::claim_status::format_baht;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn Stats() -> impl IntoView {
    let l = crate::use_locale();
    let query = use_query_map();
    let stats = Resource::new(|| (), |_| public_stats());
    view! {
        {crate::pages::heading(l, "สถิติ\u{200B}คำร้อง มาตรา 41", "Section 41 statistics", false)}
        <Suspense fallback=move || view! { <p>{t(l, "กำลังโหลด…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                let wanted = query.read_untracked().get("year").and_then(|y| y.parse::<i32>().ok());
                match stats.await {
                    Ok(Some(s)) if !s.years.is_empty() => {
                        let year = wanted
                            .and_then(|w| s.years.iter().find(|y| y.fiscal_year == w))
                            .unwrap_or(&s.years[0])
                            .clone();
                        let fys: Vec<i32> = s.years.iter().map(|y| y.fiscal_year).collect();
                        view! {
                            <p class="lead">{t(l,
                                "ตัวเลขตามปีงบประมาณ (1 ตุลาคม ถึง 30 กันยายน) แยกตามสำนักงาน สปสช. เขตที่พิจารณาคำร้อง",
                                "Figures by Thai fiscal year (1 October to 30 September), by the NHSO regional office that decides the claims.")}</p>
                            <p>{t(l, "ข้อมูล ณ วันที่ ", "Figures as of ")}{l.date(s.as_of)}
                                {t(l, " (ปรับปรุงทุกชั่วโมง)", " (updated every hour)")}</p>
                            {year_links(l, &fys, year.fiscal_year)}
                            {year_view(l, year)}
                            <h2>{t(l, "ข้อมูลเปิด", "Open data")}</h2>
                            <p><a href="/stats.csv" download="section41-stats.csv">{t(l, "ดาวน์โหลดตัวเลขทุกปีเป็นไฟล์ CSV", "Download every year's figures as CSV")}</a>
                                {t(l, " (UTF-8 ช่องว่างคือตัวเลขที่ไม่เปิดเผย)", " (UTF-8; an empty cell is a figure not published)")}</p>
                            {suppression_note(l)}
                        }
                        .into_any()
                    }
                    Ok(_) => view! {
                        <p>{t(l, "ยังไม่มีสถิติ ตัวเลขจะปรากฏภายในหนึ่งชั่วโมงหลังมีคำร้อง", "There are no figures yet. They appear within an hour of the first claims.")}</p>
                    }
                    .into_any(),
                    Err(_) => view! {
                        <p>{t(l, "ขออภัย แสดงสถิติไม่ได้ในขณะนี้ โปรดลองใหม่ภายหลัง", "Sorry, the figures cannot be shown right now. Please try again later.")}</p>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

fn year_links(l: Locale, years: &[i32], current: i32) -> impl IntoView {
    view! {
        <nav aria-label=t(l, "ปีงบประมาณ", "Fiscal year") class="year-links">
            <ul>
                {years.iter().map(|&y| {
                    let label = format!("{}{y}", t(l, "ปีงบประมาณ ", "Fiscal year "));
                    if y == current {
                        view! { <li><a href=format!("/stats?year={y}") aria-current="page"><strong>{label}</strong></a></li> }.into_any()
                    } else {
                        view! { <li><a href=format!("/stats?year={y}")>{label}</a></li> }.into_any()
                    }
                }).collect_view()}
            </ul>
        </nav>
    }
}

fn region_name(l: Locale, region: Option<u8>) -> String {
    match region {
        Some(n) => format!("{}{n}", t(l, "เขต ", "Region ")),
        None => t(l, "ทั้งประเทศ", "Whole country").to_string(),
    }
}

fn hidden(l: Locale) -> AnyView {
    crate::pages::withheld(t(l, "ไม่เปิดเผย", "not published"))
}

fn count(l: Locale, n: Option<u64>) -> AnyView {
    match n {
        Some(n) => format_baht(n as i64).into_any(),
        None => hidden(l),
    }
}

fn percent(l: Locale, p: Option<u64>) -> AnyView {
    match p {
        Some(p) => format!("{p}%").into_any(),
        None => hidden(l),
    }
}

fn year_view(l: Locale, y: Year) -> impl IntoView {
    let fy = y.fiscal_year;
    let c = y.country.clone();
    let rows: Vec<Figures> = y.regions.iter().cloned().chain([c.clone()]).collect();
    let received: Vec<(String, Option<u64>)> = y
        .regions
        .iter()
        .map(|f| (region_name(l, f.region), f.received))
        .collect();
    let approved: Vec<(String, Option<u64>)> = y
        .regions
        .iter()
        .map(|f| (region_name(l, f.region), f.approved_percent()))
        .collect();
    view! {
        <h2>{format!("{}{fy}", t(l, "ภาพรวมทั้งประเทศ ปีงบประมาณ ", "The whole country, fiscal year "))}</h2>
        <dl class="summary-list stats-summary" id="country-summary">
            <div><dt>{t(l, "คำร้องที่ได้รับ", "Petitions received")}</dt><dd>{count(l, c.received)}</dd></div>
            <div><dt>{t(l, "พิจารณาแล้ว", "Decided")}</dt><dd>{count(l, c.decided)}</dd></div>
            <div><dt>{t(l, "จ่ายเงินช่วยเหลือ (ร้อยละของที่พิจารณา)", "Paying assistance (share of those decided)")}</dt><dd>{percent(l, c.approved_percent())}</dd></div>
            <div><dt>{t(l, "พิจารณาเสร็จภายในเวลาที่กำหนด", "Decided within the target time")}</dt><dd>{percent(l, c.within_target_percent())}</dd></div>
            <div><dt>{t(l, "ระยะเวลาพิจารณา (มัธยฐาน)", "Time to decision (median)")}</dt><dd>{days(l, c.median_days)}</dd></div>
            <div><dt>{t(l, "จ่ายเงินแล้ว", "Paid")}</dt><dd>{paid_text(l, c.paid_total)}</dd></div>
        </dl>

        {bar_chart(l, "chart-received", t(l, "คำร้องที่ได้รับ แยกตามเขต", "Petitions received, by region"), &received, false, "table-regions")}
        {bar_chart(l, "chart-approved", t(l, "ร้อยละของคำร้องที่พิจารณาแล้วซึ่งได้รับเงินช่วยเหลือ แยกตามเขต", "Share of decided petitions paying assistance, by region"), &approved, true, "table-regions")}

        <h2 id="table-regions-title">{t(l, "คำร้องและการพิจารณา แยกตามเขต", "Petitions and decisions, by region")}</h2>
        <div class="table-wrap" role="region" aria-labelledby="table-regions-title" tabindex="0">
            <table class="queue stats-table" id="table-regions">
                <caption class="visually-hidden">{format!("{}{fy}", t(l, "คำร้องและการพิจารณา แยกตามเขต ปีงบประมาณ ", "Petitions and decisions by region, fiscal year "))}</caption>
                <thead><tr>
                    <th scope="col">{t(l, "เขต", "Region")}</th>
                    <th scope="col" class="num">{t(l, "ได้รับ", "Received")}</th>
                    <th scope="col" class="num">{t(l, "พิจารณาแล้ว", "Decided")}</th>
                    <th scope="col" class="num">{t(l, "จ่ายเงิน", "Paying")}</th>
                    <th scope="col" class="num">{t(l, "ร้อยละที่จ่าย", "Share paying")}</th>
                    <th scope="col" class="num">{t(l, "ร้อยละภายในเวลา", "Share within target")}</th>
                    <th scope="col" class="num">{t(l, "มัธยฐาน (วัน)", "Median (days)")}</th>
                </tr></thead>
                <tbody>
                    {rows.iter().map(|f| view! {
                        <tr class=if f.region.is_none() { "total-row" } else { "" }>
                            <th scope="row">{region_name(l, f.region)}</th>
                            <td class="num">{count(l, f.received)}</td>
                            <td class="num">{count(l, f.decided)}</td>
                            <td class="num">{count(l, f.approved)}</td>
                            <td class="num">{percent(l, f.approved_percent())}</td>
                            <td class="num">{percent(l, f.within_target_percent())}</td>
                            <td class="num">{match f.median_days { Some(d) => d.to_string().into_any(), None => hidden(l) }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>

        <h2 id="table-paid-title">{t(l, "เงินช่วยเหลือที่จ่ายแล้ว แยกตามประเภทความเสียหาย", "Assistance paid, by category of harm")}</h2>
        <ul class="list">
            {[Category::DeathOrPermanentDisability, Category::OrganLossOrDisability, Category::ContinuedTreatment].into_iter().map(|c| view! {
                <li>{format!("{} {}: {}", t(l, "ประเภท", "Category"), c.number(), if l == Locale::Th { c.label_th() } else { c.label_en() })}</li>
            }).collect_view()}
        </ul>
        <div class="table-wrap" role="region" aria-labelledby="table-paid-title" tabindex="0">
            <table class="queue stats-table" id="table-paid">
                <caption class="visually-hidden">{format!("{}{fy}", t(l, "จำนวนราย และจำนวนเงิน (บาท) ที่จ่าย ปีงบประมาณ ", "Claims and baht paid, fiscal year "))}</caption>
                <thead><tr>
                    <th scope="col">{t(l, "เขต", "Region")}</th>
                    {(1..=3).map(|n| view! { <th scope="col" class="num">{format!("{} {n}", t(l, "ประเภท", "Category"))}</th> }).collect_view()}
                    <th scope="col" class="num">{t(l, "รวม", "Total")}</th>
                </tr></thead>
                <tbody>
                    {rows.iter().map(|f| view! {
                        <tr class=if f.region.is_none() { "total-row" } else { "" }>
                            <th scope="row">{region_name(l, f.region)}</th>
                            {f.paid.iter().map(|p| view! { <td class="num">{paid_cell(l, *p)}</td> }).collect_view()}
                            <td class="num">{paid_cell(l, f.paid_total)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

fn days(l: Locale, d: Option<i64>) -> AnyView {
    match d {
        Some(d) => format!("{d}{}", t(l, " วัน", " days")).into_any(),
        None => hidden(l),
    }
}

fn paid_text(l: Locale, p: Option<Paid>) -> AnyView {
    match p {
        Some(p) => format!(
            "{} {} {} {}",
            format_baht(p.claims as i64),
            t(l, "ราย รวม", "claims,"),
            format_baht(p.baht),
            t(l, "บาท", "baht")
        )
        .into_any(),
        None => hidden(l),
    }
}

fn paid_cell(l: Locale, p: Option<Paid>) -> AnyView {
    match p {
        Some(p) => view! {
            {format_baht(p.claims as i64)}{t(l, " ราย", " claims")}<br/>
            {format_baht(p.baht)}{t(l, " บาท", " baht")}
        }
        .into_any(),
        None => hidden(l),
    }
}

/// A horizontal bar chart, one bar per region, drawn to fit a 360 px screen. The numbers
/// are in the table `table`, which the chart names as its description.
fn bar_chart(
    l: Locale,
    id: &'static str,
    title: &'static str,
    bars: &[(String, Option<u64>)],
    percent: bool,
    table: &'static str,
) -> impl IntoView {
    const WIDTH: u32 = 320;
    const LABEL: u32 = 64;
    const ROW: u32 = 22;
    const VALUE: u32 = 56;
    let most = if percent {
        100
    } else {
        bars.iter().filter_map(|b| b.1).max().unwrap_or(0).max(1)
    };
    let span = WIDTH - LABEL - VALUE;
    let height = ROW * bars.len() as u32 + 4;
    let title_id = format!("{id}-title");
    view! {
        <figure class="chart" id=id>
            <figcaption id=title_id.clone()>{title}</figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {height}") width="100%" role="img"
                aria-labelledby=title_id aria-describedby=table preserveAspectRatio="xMinYMin meet">
                {bars.iter().enumerate().map(|(i, (label, value))| {
                    let y = i as u32 * ROW + 2;
                    let w = value.map_or(0, |v| (v * u64::from(span) / most) as u32);
                    let shown = match value {
                        Some(v) if percent => format!("{v}%"),
                        Some(v) => v.to_string(),
                        None => t(l, "ไม่เปิดเผย", "not shown").to_string(),
                    };
                    view! {
                        <g>
                            <text x="0" y=y + 15 class="chart-label">{label.clone()}</text>
                            <rect x=LABEL y=y + 3 width=w height=ROW - 6 class="chart-bar"></rect>
                            <text x=LABEL + w + 4 y=y + 15 class="chart-value">{shown}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
        </figure>
    }
}

fn suppression_note(l: Locale) -> impl IntoView {
    view! {
        <h2>{t(l, "ตัวเลขที่ไม่เปิดเผย", "Figures not published")}</h2>
        <p>{t(l,
            "เพื่อคุ้มครองข้อมูลส่วนบุคคล ตัวเลขที่นับได้ 1 ถึง 4 ราย จะไม่เปิดเผย (แสดงเป็น –) และตัวเลขอื่นบางตัวก็ไม่เปิดเผยด้วย เพื่อไม่ให้คำนวณย้อนหาตัวเลขที่ซ่อนไว้จากยอดรวมได้ ร้อยละและจำนวนเงินแสดงเฉพาะเมื่อจำนวนรายที่ใช้คำนวณเปิดเผยได้",
            "To protect personal data, a figure counting 1 to 4 claims is not published (shown as –), and some other figures are held back too, so that a hidden figure cannot be worked out from the totals. A share or an amount is shown only where the counts it is made of are.")}</p>
        <p>{t(l,
            "ระยะเวลาพิจารณานับจากวันที่ได้รับคำร้องครบถ้วนถึงวันที่มีคำวินิจฉัย ไม่นับวันที่รอเอกสารเพิ่มเติมจากผู้ยื่น คำวินิจฉัยของคณะกรรมการอุทธรณ์แทนที่คำวินิจฉัยของเขต",
            "Time to decision runs from a complete petition to the decision, leaving out days spent waiting for information from the claimant. An appeal board's decision replaces the region's.")}</p>
    }
}
