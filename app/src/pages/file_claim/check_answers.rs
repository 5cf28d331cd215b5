//! Check your answers: everything on one page, each with a "Change" link, then send.

use super::steps::already_sent;
use super::with_draft;
use crate::api::types::DraftView;
use crate::domain::dates::parse_iso;
use crate::domain::petition::{raw_from_form, Step};
use crate::domain::{ProvinceCode, Relation};
use crate::i18n::{error_message, t, Locale};
use leptos::prelude::*;

#[component]
pub fn CheckAnswers() -> impl IntoView {
    with_draft(check_page)
}

fn relation_label(l: Locale, r: &str) -> String {
    Relation::parse(r)
        .map(|r| r.label(l == Locale::Th))
        .unwrap_or_default()
        .to_string()
}

fn check_page(d: DraftView) -> impl IntoView {
    let l = crate::use_locale();
    if let Some(reference) = d.reference.clone() {
        return already_sent(l, &d.id, &reference).into_any();
    }
    let raw = raw_from_form(&d.fields);
    let result = crate::domain::intake::validate_fields(&d.fields, d.today, &d.holidays);
    let errors = result.as_ref().err().cloned().unwrap_or_default();
    let region_line = ProvinceCode::parse(&raw.service_unit.province_code).map(|p| {
        let o = p.region().office();
        let province = if l == Locale::Th {
            p.province().name_th
        } else {
            p.province().name_en
        };
        (
            province.to_string(),
            if l == Locale::Th {
                o.name_th
            } else {
                o.name_en
            },
        )
    });
    let date = |s: &str| parse_iso(s).map(|x| l.date(x)).unwrap_or_default();
    let id = d.id.clone();
    // Each answer's "Change" link comes back here once that step is saved.
    let change = move |step: Step| format!("/file/{}/{}?return=check", id, step.slug());
    let rows: Vec<(Step, &'static str, String)> = vec![
        (
            Step::Filer,
            t(l, "ผู้ยื่นคำร้อง", "Who is applying"),
            relation_label(l, &raw.filer.relation),
        ),
        (
            Step::Filer,
            t(l, "ชื่อผู้ยื่น", "Applicant's name"),
            raw.filer.name.clone(),
        ),
        (
            Step::Filer,
            t(l, "เบอร์โทรศัพท์ผู้ยื่น", "Applicant's phone"),
            raw.filer.phone.clone(),
        ),
        (
            Step::Filer,
            t(l, "อีเมลผู้ยื่น", "Applicant's email"),
            raw.filer.email.clone(),
        ),
        (
            Step::Patient,
            t(l, "ชื่อผู้ได้รับความเสียหาย", "Name of the harmed person"),
            raw.patient.name.clone(),
        ),
        (
            Step::Patient,
            t(l, "เลขประจำตัวประชาชน", "National ID number"),
            raw.patient.national_id.clone(),
        ),
        (
            Step::Patient,
            t(l, "ที่อยู่", "Address"),
            raw.patient.address.clone(),
        ),
        (
            Step::Patient,
            t(l, "เบอร์โทรศัพท์", "Phone"),
            raw.patient.phone.clone(),
        ),
        (
            Step::Patient,
            t(l, "อีเมล", "Email"),
            raw.patient.email.clone(),
        ),
        (
            Step::Treatment,
            t(l, "หน่วยบริการ", "Hospital or clinic"),
            raw.service_unit.name.clone(),
        ),
        (
            Step::Treatment,
            t(l, "จังหวัด", "Province"),
            region_line
                .as_ref()
                .map(|r| r.0.clone())
                .unwrap_or_default(),
        ),
        (
            Step::Treatment,
            t(l, "วันที่รับการรักษา", "Date of treatment"),
            date(&raw.treatment_date),
        ),
        (
            Step::Treatment,
            t(l, "วันที่ทราบความเสียหาย", "Date the harm became known"),
            date(&raw.damage_known_date),
        ),
        (
            Step::Damage,
            t(l, "ความเสียหาย", "The harm"),
            raw.damage_description.clone(),
        ),
        (
            Step::Damage,
            t(l, "ภาระที่ต้องรับผิดชอบ", "The burden now"),
            raw.burden.clone(),
        ),
    ];
    let mut rows = rows;
    if let Some(a) = crate::domain::intake::assisted_of(&d.fields) {
        if let Some(reason) = a.override_reason {
            rows.push((
                Step::Treatment,
                t(
                    l,
                    "เหตุผลที่รับคำร้องที่เกินกำหนด",
                    "Reason to accept past the window",
                ),
                reason,
            ));
        }
    }
    let submit = format!("/file/{}/submit", d.id);
    let docs = d.documents.clone();
    view! {
        <a href=format!("/file/{}/{}", d.id, Step::Documents.slug()) class="back-link">{t(l, "ย้อนกลับ", "Back")}</a>
        {(!errors.is_empty()).then(|| view! {
            <div class="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="error-summary-title">
                <h2 id="error-summary-title">{t(l, "ยังส่งไม่ได้ มีข้อมูลที่ต้องแก้ไข", "You cannot send this yet – there is a problem")}</h2>
                <ul>
                    {errors.iter().map(|e| {
                        let step = Step::owning(&e.field).unwrap_or(Step::Filer);
                        view! { <li><a href=change(step)>{error_message(l, e)}</a></li> }
                    }).collect_view()}
                </ul>
            </div>
        })}
        {super::steps::assisted_banner(l, &d.fields)}
        {crate::pages::heading(l, "ตรวจสอบ\u{200B}คำตอบ\u{200B}ก่อน\u{200B}ส่ง", "Check your answers before sending", !errors.is_empty())}
        <dl class="summary-list">
            {rows.into_iter().filter(|r| !r.2.trim().is_empty() || r.0 != Step::Filer).map(|(step, label, value)| view! {
                <div>
                    <dt>{label}</dt>
                    <dd class="pre-line">{value}</dd>
                    <dd class="actions"><a href=change(step)>{t(l, "แก้ไข", "Change")}<span class="visually-hidden">{format!(" {label}")}</span></a></dd>
                </div>
            }).collect_view()}
            <div>
                <dt>{t(l, "เอกสาร", "Documents")}</dt>
                <dd>{if docs.is_empty() { t(l, "ไม่มี", "None").to_string() } else { docs.iter().map(|x| x.filename.clone()).collect::<Vec<_>>().join(", ") }}</dd>
                <dd class="actions"><a href=change(Step::Documents)>{t(l, "แก้ไข", "Change")}<span class="visually-hidden">{t(l, " เอกสาร", " documents")}</span></a></dd>
            </div>
        </dl>
        {region_line.map(|(_, office)| view! {
            <p>{t(l, "คำร้องนี้จะส่งไปพิจารณาที่ ", "This claim will be decided by ")}<strong>{office}</strong></p>
        })}
        <h2>{t(l, "ส่งคำร้อง", "Send your petition")}</h2>
        <p>{t(l, "เมื่อกดส่ง ท่านยืนยันว่าข้อมูลถูกต้องตามที่ทราบ", "By sending this you confirm the information is correct to the best of your knowledge.")}</p>
        <form method="post" action=submit>
            <button type="submit" class="button" id="submit-petition">{t(l, "ยืนยันและส่งคำร้อง", "Accept and send")}</button>
        </form>
    }
    .into_any()
}
