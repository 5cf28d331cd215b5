//! Confirmation: reference, one-time access code, the deciding office, what happens next.

use crate::api::get_confirmation;
use crate::domain::Region;
use crate::i18n::{t, Locale};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn Confirmation() -> impl IntoView {
    let l = crate::use_locale();
    let params = use_params_map();
    let conf = Resource::new(
        move || params.read().get("draft").unwrap_or_default(),
        get_confirmation,
    );
    view! {
        <Suspense fallback=move || view! { <p>{t(l, "กำลังโหลด…", "Loading…")}</p> }>
            {move || conf.get().map(|r| match r {
                Err(_) => {
                    crate::pages::set_status(404);
                    view! { <crate::pages::not_found::NotFound/> }.into_any()
                }
                Ok(c) => {
                    let office = Region::new(c.region).map(|r| r.office());
                    view! {
                        <div class="panel-confirmation">
                            {crate::pages::heading(l, "ส่ง\u{200B}คำร้อง\u{200B}เรียบร้อย\u{200B}แล้ว", "Petition sent", false)}
                            <p>{t(l, "เลขที่อ้างอิงของท่าน", "Your reference number")}<br/><strong class="reference" id="reference">{c.reference.clone()}</strong></p>
                        </div>
                        {match c.access_code.clone() {
                            Some(code) => view! {
                                <div class="notice">
                                    <h2>{t(l, "รหัสเข้าถึง", "Access code")}</h2>
                                    <p class="access-code" id="access-code">{code}</p>
                                    <p>{t(l, "จดหรือถ่ายภาพเลขที่อ้างอิงและรหัสนี้ไว้ ใช้ตรวจสอบสถานะคำร้อง เราเก็บรหัสนี้ในรูปที่อ่านย้อนไม่ได้ หลังจากปิดหน้านี้ไป 1 ชั่วโมงจะแสดงรหัสนี้อีกไม่ได้", "Write down or photograph the reference and this code. You need both to check your claim. We keep the code in a form we cannot read back, so after an hour we cannot show it again.")}</p>
                                </div>
                                <p><a href=format!("/file/{}/receipt", params.read_untracked().get("draft").unwrap_or_default()) id="receipt-pdf" download>{t(l, "ดาวน์โหลดใบรับคำร้อง (PDF)", "Download the receipt of your petition (PDF)")}</a></p>
                            }.into_any(),
                            None => view! { <p>{t(l, "รหัสเข้าถึงแสดงเฉพาะบนอุปกรณ์ที่ยื่นคำร้อง ภายใน 1 ชั่วโมง หากไม่มีรหัส โปรดโทร 1330", "The access code is shown only on the device that filed, for one hour. If you do not have it, call 1330.")}</p> }.into_any(),
                        }}
                        <h2>{t(l, "ขั้นตอนต่อไป", "What happens next")}</h2>
                        <p>
                            {t(l, "คำร้องของท่านถูกส่งไปยัง ", "Your claim has been sent to ")}
                            <strong id="office">{office.map(|o| if l == Locale::Th { o.name_th } else { o.name_en })}</strong>
                            {office.and_then(|o| o.phone).map(|p| format!(" ({} {p})", t(l, "โทร", "phone")))}
                        </p>
                        <ol class="list list-number">
                            <li>{t(l, "เจ้าหน้าที่ตรวจสอบคำร้องและเอกสาร หากต้องการข้อมูลเพิ่มจะแจ้งในหน้าสถานะ", "Staff check the petition and documents. If they need more, they will ask on your status page.")}</li>
                            <li>{t(l, "คณะอนุกรรมการระดับเขตพิจารณาและแจ้งผล", "The regional committee decides and tells you the result.")}</li>
                            <li>{t(l, "หากไม่เห็นด้วยกับผล อุทธรณ์ได้ภายใน 30 วันนับจากวันที่ได้รับแจ้ง", "If you disagree, you can appeal within 30 days of being told.")}</li>
                        </ol>
                        {c.expected_decision_by.map(|d| view! {
                            <p>{t(l, "คาดว่าจะทราบผลการพิจารณาภายใน ", "We expect a decision by ")}<strong>{l.date(d)}</strong></p>
                        })}
                        {c.email_to.map(|_| view! { <p>{t(l, "เราส่งอีเมลยืนยันพร้อมเลขที่อ้างอิงให้แล้ว (ไม่มีข้อมูลสุขภาพ)", "We have emailed you the reference (with no health details).")}</p> })}
                        <p><a href="/check" class="button">{t(l, "ตรวจสอบสถานะคำร้อง", "Check your claim")}</a></p>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}
