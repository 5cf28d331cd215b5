use crate::domain::Region;
use crate::i18n::{t, Locale};
use leptos::prelude::*;

/// The 13 regional offices and the provinces each decides cases for.
#[component]
pub fn Offices() -> impl IntoView {
    let l = crate::use_locale();
    view! {
        {crate::pages::heading(l, "สำนักงาน\u{200B}หลักประกัน\u{200B}สุขภาพ\u{200B}แห่งชาติ เขต 1–13", "NHSO regional offices 1–13", false)}
        <p class="lead">{t(l,
            "คำร้องจะได้รับการพิจารณาโดยสำนักงานเขตที่ดูแลจังหวัดของหน่วยบริการที่ให้การรักษา ไม่ว่าจะยื่นที่ใด",
            "A claim is decided by the regional office that covers the province of the service unit where the treatment happened, wherever it was filed.")}</p>
        {Region::all().map(|r| office_card(l, r)).collect_view()}
    }
}

fn office_card(l: Locale, r: Region) -> impl IntoView {
    let o = r.office();
    let provinces = r
        .provinces()
        .map(|p| {
            if l == Locale::Th {
                p.name_th
            } else {
                p.name_en
            }
        })
        .collect::<Vec<_>>()
        .join(if l == Locale::Th { " " } else { ", " });
    let id = format!("region-{}", r.number());
    view! {
        <section class="card" id=id aria-labelledby=format!("region-{}-title", r.number())>
            <h2 id=format!("region-{}-title", r.number())>{if l == Locale::Th { o.name_th } else { o.name_en }}</h2>
            <dl class="summary-list">
                <div><dt>{t(l, "จังหวัดที่ดูแล", "Provinces covered")}</dt><dd>{provinces}</dd></div>
                {o.address_th.map(|a| view! { <div><dt>{t(l, "ที่อยู่", "Address")}</dt><dd lang="th">{a}</dd></div> })}
                {o.phone.map(|p| view! { <div><dt>{t(l, "โทรศัพท์", "Phone")}</dt><dd>{p}</dd></div> })}
                {o.web.map(|w| view! { <div><dt>{t(l, "เว็บไซต์", "Website")}</dt><dd><a href=w rel="noopener noreferrer">{w}</a></dd></div> })}
                {o.address_th.is_none().then(|| view! { <div><dt>{t(l, "ติดต่อ", "Contact")}</dt><dd>{t(l, "สายด่วน 1330", "Hotline 1330")}</dd></div> })}
            </dl>
        </section>
    }
}
