//! The consistency panel on a case page, for those who decide: decided cases of the same
//! harm type, the case's region beside the whole country. Counts only; no names, no IDs;
//! figures of 1 to 4 claims (and any that would give one away) are not shown.

use crate::domain::consistency::{Panel, Side};
use crate::i18n::{t, Locale};
use crate::pages::claim_status::format_baht;
use leptos::prelude::*;

fn hidden(l: Locale) -> AnyView {
    crate::pages::withheld(t(l, "ไม่แสดง (น้อยกว่า 5 ราย)", "not shown (fewer than 5)"))
}

fn count(l: Locale, n: Option<u64>) -> AnyView {
    n.map_or_else(|| hidden(l), |n| n.to_string().into_any())
}

pub fn panel(
    l: Locale,
    p: Panel,
    harm: Option<&str>,
    harm_types: &[(String, String, String)],
    region: u8,
) -> impl IntoView {
    let kind = harm
        .and_then(|k| harm_types.iter().find(|(key, _, _)| key == k))
        .map(|(_, th, en)| if l == Locale::Th { th.clone() } else { en.clone() })
        .unwrap_or_default();
    let row = |name: String, s: &Side| {
        view! {
            <tr>
                <th scope="row">{name}</th>
                <td class="num">{count(l, s.decided)}</td>
                <td class="num">{s.paying_percent().map_or_else(|| hidden(l), |p| format!("{p}%").into_any())}</td>
                {s.categories.iter().map(|c| view! { <td class="num">{count(l, *c)}</td> }).collect_view()}
                <td class="num">{s.amounts.map_or_else(|| hidden(l), |(lo, mid, hi)| format!("{} – {} ({} {})", format_baht(lo), format_baht(hi), t(l, "มัธยฐาน", "median"), format_baht(mid)).into_any())}</td>
            </tr>
        }
    };
    view! {
        <section id="consistency" aria-labelledby="consistency-title" class="card">
            <h2 id="consistency-title">{t(l, "เทียบกับคำร้องที่พิจารณาแล้ว ประเภทเดียวกัน", "Decided cases of the same kind")}</h2>
            <p>{t(l, "ประเภทความเสียหาย: ", "Type of harm: ")}<strong>{kind}</strong>
               {t(l, " — ตัวเลขรวม ไม่มีชื่อหรือเลขประจำตัว ตัวเลขที่น้อยกว่า 5 รายไม่แสดง", " — totals only, no names or IDs; figures under 5 are not shown")}</p>
            <div class="table-wrap" role="region" aria-labelledby="consistency-title" tabindex="0">
                <table class="queue stats-table" id="consistency-table">
                    <caption class="visually-hidden">{t(l, "คำร้องที่พิจารณาแล้ว เขตนี้เทียบกับทั้งประเทศ", "Decided cases, this region beside the country")}</caption>
                    <thead><tr>
                        <th scope="col"><span class="visually-hidden">{t(l, "พื้นที่", "Area")}</span></th>
                        <th scope="col" class="num">{t(l, "พิจารณาแล้ว", "Decided")}</th>
                        <th scope="col" class="num">{t(l, "จ่ายเงิน", "Paying")}</th>
                        <th scope="col" class="num">{t(l, "ประเภท 1", "Category 1")}</th>
                        <th scope="col" class="num">{t(l, "ประเภท 2", "Category 2")}</th>
                        <th scope="col" class="num">{t(l, "ประเภท 3", "Category 3")}</th>
                        <th scope="col" class="num">{t(l, "จำนวนเงิน (บาท)", "Amount (baht)")}</th>
                    </tr></thead>
                    <tbody>
                        {row(format!("{}{region}", t(l, "เขต ", "Region ")), &p.region)}
                        {row(t(l, "ทั้งประเทศ", "Whole country").to_string(), &p.country)}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
