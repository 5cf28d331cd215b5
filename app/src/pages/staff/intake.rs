//! Filing on someone's behalf: staff record how the petition came in and the day it was
//! received, then go through the same steps a claimant does (the window is counted to the
//! received date; a late petition needs a written reason on the treatment step).

use super::{sign_in_first, staff_bar};
use crate::api::staff::staff_me;
use crate::components::form::field_id;
use crate::domain::intake::{Channel, CHANNEL_FIELD, RECEIVED_FIELD};
use crate::domain::FieldError;
use crate::i18n::{error_message, t, Locale};
use chrono::Datelike;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn StaffIntake() -> impl IntoView {
    let l = crate::use_locale();
    let query = use_query_map();
    let me = Resource::new(|| (), |_| staff_me());
    view! {
        <Suspense fallback=move || view! { <p>{t(l, "กำลังโหลด…", "Loading…")}</p> }>
            {move || me.get().map(|me| match me {
                Ok(Some(me)) if crate::domain::access::filing_scope(&me.grants).is_some() => {
                    let q = query.read_untracked();
                    let errors: Vec<FieldError> = q.get("e").and_then(|e| serde_json::from_str(&e).ok()).unwrap_or_default();
                    let today = me.today;
                    let value = |k: &str, default: String| q.get(k).unwrap_or(default);
                    let channel = q.get("channel").unwrap_or_default();
                    let msg = |f: &str| errors.iter().find(|e| e.field == f).map(|e| error_message(l, e));
                    let (ch_err, date_err) = (msg(CHANNEL_FIELD), msg(RECEIVED_FIELD));
                    let date_box = |suffix: &'static str, label: &'static str, width: &'static str, default: String| {
                        let name = format!("{RECEIVED_FIELD}.{suffix}");
                        let id = if suffix == "day" { field_id(RECEIVED_FIELD) } else { format!("{}-{suffix}", field_id(RECEIVED_FIELD)) };
                        view! {
                            <div class="date-part">
                                <label class="label" for=id.clone()>{label}</label>
                                <input class=format!("input {width}") id=id name=name.clone() type="text" inputmode="numeric" value=value(&name, default)/>
                            </div>
                        }
                    };
                    view! {
                        {staff_bar(l, &me)}
                        <a href="/staff" class="back-link">{t(l, "กลับไปที่รายการ", "Back to the list")}</a>
                        {(!errors.is_empty()).then(|| view! {
                            <div class="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="error-summary-title">
                                <h2 id="error-summary-title">{t(l, "มีข้อมูลที่ต้องแก้ไข", "There is a problem")}</h2>
                                <ul>{errors.iter().map(|e| view! { <li><a href=format!("#{}", field_id(&e.field))>{error_message(l, e)}</a></li> }).collect_view()}</ul>
                            </div>
                        })}
                        {crate::pages::heading(l, "ยื่น\u{200B}คำร้อง\u{200B}แทน\u{200B}ผู้ร้อง", "File a petition for someone", !errors.is_empty())}
                        <p>{t(l, "บันทึกช่องทางและวันที่รับคำร้อง แล้วกรอกคำร้องตามขั้นตอนเดียวกับผู้ร้อง เมื่อส่งแล้วให้มอบเลขที่อ้างอิงและรหัสติดตามแก่ผู้ร้อง",
                            "Record how the petition came in and when, then fill it in with the same steps a claimant uses. When it is sent, give the claimant the reference and tracking code.")}</p>
                        <form method="post" action="/staff/file" novalidate>
                            <input type="hidden" name="csrf" value=me.csrf_token.clone()/>
                            <fieldset class="fieldset form-group" class:has-error=ch_err.is_some()>
                                <legend class="label">{t(l, "รับคำร้องทางช่องทางใด", "How did the petition come in?")}</legend>
                                {ch_err.clone().map(|m| view! { <p class="field-error" id="intake-channel-error"><span class="visually-hidden">{t(l, "ข้อผิดพลาด: ", "Error: ")}</span>{m}</p> })}
                                <div class="radios" id=field_id(CHANNEL_FIELD)>
                                    {Channel::ASSISTED.into_iter().map(|c| {
                                        let id = format!("channel-{}", c.as_str());
                                        view! {
                                            <div class="radio">
                                                <input type="radio" id=id.clone() name=CHANNEL_FIELD value=c.as_str() checked=channel == c.as_str()/>
                                                <label for=id>{c.label(l == Locale::Th)}</label>
                                            </div>
                                        }
                                    }).collect_view()}
                                </div>
                            </fieldset>
                            <fieldset class="fieldset form-group" class:has-error=date_err.is_some() role="group" aria-describedby="intake-received_on-hint">
                                <legend class="label">{t(l, "วันที่รับคำร้อง", "Date the petition was received")}</legend>
                                <p class="hint" id="intake-received_on-hint">{t(l, "ทางไปรษณีย์ ให้ใช้วันที่ประทับตราไปรษณีย์ ปี พ.ศ. หรือ ค.ศ. ก็ได้", "For a posted petition, the postmark date. Buddhist or Gregorian year.")}</p>
                                {date_err.clone().map(|m| view! { <p class="field-error"><span class="visually-hidden">{t(l, "ข้อผิดพลาด: ", "Error: ")}</span>{m}</p> })}
                                <div class="date-input">
                                    {date_box("day", t(l, "วัน", "Day"), "width-2", today.day().to_string())}
                                    {date_box("month", t(l, "เดือน", "Month"), "width-2", today.month().to_string())}
                                    {date_box("year", t(l, "ปี", "Year"), "width-4", (today.year() + crate::domain::dates::BE_OFFSET).to_string())}
                                </div>
                            </fieldset>
                            <button type="submit" class="button">{t(l, "เริ่มกรอกคำร้อง", "Start the petition")}</button>
                        </form>
                    }.into_any()
                }
                Ok(Some(me)) => view! {
                    {staff_bar(l, &me)}
                    {crate::pages::heading(l, "ยื่น\u{200B}คำร้อง\u{200B}แทน\u{200B}ผู้ร้อง", "File a petition for someone", false)}
                    <p>{t(l, "เฉพาะเจ้าหน้าที่รับเรื่องเท่านั้น", "Only intake staff can do this.")}</p>
                }.into_any(),
                _ => sign_in_first(l),
            })}
        </Suspense>
    }
}
