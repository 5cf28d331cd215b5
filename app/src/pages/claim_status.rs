//! A claim's status in plain words, its history, the next step and expected dates.

use crate::api::get_claim_status;
use crate::domain::Region;
use crate::i18n::{t, Locale};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ClaimStatusPage() -> impl IntoView {
    let l = crate::use_locale();
    let params = use_params_map();
    let status = Resource::new(move || params.read().get("reference").unwrap_or_default(), get_claim_status);
    view! {
        <Suspense fallback=move || view! { <p>{t(l, "กำลังโหลด…", "Loading…")}</p> }>
            {move || status.get().map(|r| match r {
                Err(_) => {
                    crate::pages::set_status(404);
                    view! {
                        <h1>{t(l, "โปรดยืนยันตัวตนก่อน", "Enter your details first")}</h1>
                        <p>{t(l, "เพื่อความปลอดภัยของข้อมูล โปรดกรอกเลขที่อ้างอิงและรหัสเข้าถึงอีกครั้ง", "To keep your information safe, enter your reference number and access code again.")}</p>
                        <p><a href="/check" class="button">{t(l, "ตรวจสอบสถานะคำร้อง", "Check your claim")}</a></p>
                    }.into_any()
                }
                Ok(v) => {
                    let office = Region::new(v.region).map(|r| r.office());
                    let (label, next) = match l {
                        Locale::Th => (v.status.label_th(), v.status.next_step_th()),
                        Locale::En => (v.status.label_en(), v.status.next_step_en()),
                    };
                    view! {
                        <p class="caption">{t(l, "คำร้องเลขที่ ", "Claim ")}{v.reference.clone()}</p>
                        <h1>{t(l, "สถานะคำร้อง", "Claim status")}</h1>
                        <p class="status-tag" id="status" data-status=v.status.as_str()>{label}</p>
                        <h2>{t(l, "ขั้นตอนต่อไป", "What happens next")}</h2>
                        <p>{next}</p>
                        {v.expected_decision_by.map(|d| view! {
                            <p>{t(l, "คาดว่าจะทราบผลภายใน ", "Expected decision by ")}<strong>{l.date(d)}</strong></p>
                        })}
                        <dl class="summary-list">
                            <div><dt>{t(l, "ยื่นเมื่อ", "Filed on")}</dt><dd>{l.date(v.filed_on)}</dd></div>
                            <div><dt>{t(l, "หน่วยบริการ", "Hospital or clinic")}</dt><dd>{v.service_unit_name.clone()}</dd></div>
                            <div><dt>{t(l, "ผู้พิจารณา", "Decided by")}</dt><dd>{office.map(|o| if l == Locale::Th { o.name_th } else { o.name_en })}</dd></div>
                            <div><dt>{t(l, "เอกสาร", "Documents")}</dt><dd>{
                                if v.documents.is_empty() { t(l, "ไม่มี", "None").to_string() }
                                else { v.documents.iter().map(|d| d.filename.clone()).collect::<Vec<_>>().join(", ") }
                            }</dd></div>
                        </dl>
                        <h2>{t(l, "ความคืบหน้า", "History")}</h2>
                        <ol class="timeline">
                            {v.history.iter().rev().map(|h| {
                                let when = l.date(crate::domain::bangkok_date_at(h.at.timestamp()));
                                let what = if l == Locale::Th { h.status.label_th() } else { h.status.label_en() };
                                view! { <li><strong>{what}</strong>" – "{when}{h.note.clone().map(|n| view! { <p>{n}</p> })}</li> }
                            }).collect_view()}
                        </ol>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}
