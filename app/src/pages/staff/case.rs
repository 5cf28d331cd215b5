use super::{sign_in_first, staff_bar};
use crate::api::staff::{staff_case, staff_me};
use crate::domain::Region;
use crate::i18n::{t, Locale};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Everything about one case, for staff allowed to see it.
#[component]
pub fn StaffCase() -> impl IntoView {
    let l = crate::use_locale();
    let params = use_params_map();
    let query = use_query_map();
    let qget = move |k: &str| query.read_untracked().get(k);
    // Copy, so every re-render reads it; the form that came back shows its error inline.
    let problem = StoredValue::new(super::actions::Problem::from_query(
        l,
        &query.read_untracked(),
    ));
    let me = Resource::new(|| (), |_| staff_me());
    let case = Resource::new(
        move || {
            (
                params.read().get("reference").unwrap_or_default(),
                query.read().get("account").as_deref() == Some("full"),
            )
        },
        |(reference, show_account)| staff_case(reference, show_account),
    );
    view! {
        <Suspense fallback=move || view! { <p>{t(l, "กำลังโหลด…", "Loading…")}</p> }>
            {move || me.get().map(|me| match me {
                Ok(Some(me)) => {
                    let csrf = me.csrf_token.clone();
                    view! {
                    {staff_bar(l, &me)}
                    {super::actions::outcome(l, qget("e"), qget("s"), problem.get_value().as_ref())}
                    <a href="/staff" class="back-link">{t(l, "กลับไปที่รายการ", "Back to the list")}</a>
                    {move || case.get().map(|c| match c {
                        Err(_) => {
                            crate::pages::set_status(404);
                            view! { {crate::pages::heading(l, "ไม่พบ\u{200B}คำร้อง หรือ\u{200B}ท่าน\u{200B}ไม่มี\u{200B}สิทธิ์\u{200B}ดู", "No such claim, or you may not see it", false)} }.into_any()
                        }
                        Ok(c) => {
                            let office = Region::new(c.region).map(|r| if l == Locale::Th { r.office().name_th } else { r.office().name_en });
                            let row = |k: &'static str, v: String| view! { <div><dt>{k}</dt><dd class="pre-line">{v}</dd></div> };
                            view! {
                                <p class="caption">{office}</p>
                                {crate::pages::title(l, &format!("คำร้อง {}", c.reference), &format!("Claim {}", c.reference), qget("e").is_some())}
                                // The heading takes focus as the page opens, unless what the last post did should.
                                <h1 tabindex="-1" autofocus=["e", "done", "checked", "notice", "agenda", "account"].iter().all(|k| qget(k).is_none())>{c.reference.clone()}</h1>
                                <p class="status-tag" id="status" data-status=c.status.as_str()>{if l == Locale::Th { c.status.label_th() } else { c.status.label_en() }}</p>
                                {c.due_on.map(|due| super::due_tag(l, due, me.today))}
                                {c.window_override_reason.clone().map(|reason| view! {
                                    <div class="warning-box" id="window-override">
                                        <h2>{t(l, "รับคำร้องที่เกินกำหนด 2 ปี", "Accepted past the 2-year window")}</h2>
                                        <p>{t(l, "กำหนดยื่นสิ้นสุด ", "The window ended on ")}{l.date(c.filing_deadline)}{t(l, " เจ้าหน้าที่บันทึกเหตุผลไว้ว่า:", ". The staff member recorded this reason:")}</p>
                                        <p class="pre-line">{reason}</p>
                                    </div>
                                })}
                                <h2>{t(l, "คำร้อง", "Petition")}</h2>
                                <dl class="summary-list">
                                    {row(t(l, "ผู้ได้รับความเสียหาย", "Injured person"), c.patient_name.clone())}
                                    {row(t(l, "เลขประจำตัวประชาชน", "National ID"), c.patient_national_id.clone())}
                                    {row(t(l, "ที่อยู่", "Address"), c.patient_address.clone())}
                                    {row(t(l, "โทรศัพท์", "Phone"), c.patient_phone.clone().unwrap_or_default())}
                                    {row(t(l, "ผู้ยื่น", "Filed by"), {
                                        let who = c.relation.label(l == Locale::Th);
                                        match c.filer_name.clone() { Some(name) => format!("{who}: {name}"), None => who.to_string() }
                                    })}
                                    {row(t(l, "หน่วยบริการ", "Service unit"), c.service_unit_name.clone())}
                                    {row(t(l, "วันที่รับการรักษา", "Treatment date"), l.date(c.treatment_date))}
                                    {row(t(l, "วันที่ทราบความเสียหาย", "Damage known"), l.date(c.damage_known_date))}
                                    {row(t(l, "ยื่นเมื่อ / กำหนดยื่น", "Filed / window ends"), format!("{} / {}", l.date(c.filed_on), l.date(c.filing_deadline)))}
                                    {row(t(l, "ความเสียหาย", "Harm"), c.damage_description.clone())}
                                    {row(t(l, "ภาระ", "Burden"), c.burden.clone())}
                                    {row(t(l, "ช่องทาง", "Channel"), c.channel.label(l == Locale::Th).to_string())}
                                    {row(t(l, "วันที่รับคำร้อง", "Received"), l.date(c.received_on))}
                                    {c.filed_by.clone().map(|who| row(t(l, "เจ้าหน้าที่ผู้ยื่นแทน", "Filed for them by"), who))}
                                    {c.assigned_to.clone().map(|who| row(t(l, "ผู้รับผิดชอบ", "Being worked by"), who))}
                                </dl>
                                <h2>{t(l, "เอกสาร", "Documents")}</h2>
                                {if c.documents.is_empty() {
                                    view! { <p>{t(l, "ไม่มีเอกสารแนบ", "No documents attached.")}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="documents" id="documents">
                                            {c.documents.iter().map(|d| {
                                                let href = format!("/staff/claims/{}/documents/{}", c.reference, d.id);
                                                view! {
                                                    <li>
                                                        <a href=href.clone() target="_blank" rel="noopener">{d.filename.clone()}</a>
                                                        " ("{format!("{:.0} KB", d.size_bytes as f64 / 1024.0)}") · "
                                                        <a href=format!("{href}?download=1")>{t(l, "ดาวน์โหลด", "Download")}<span class="visually-hidden">" "{d.filename.clone()}</span></a>
                                                    </li>
                                                }
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                                <h2>{t(l, "หนังสือ", "Letters")}</h2>
                                <ul class="list" id="letters">
                                    {c.letters.iter().map(|k| view! {
                                        <li><a href=format!("/staff/claims/{}/letters/{}", c.reference, k.key()) download>{k.title(l)}" (PDF)"</a></li>
                                    }).collect_view()}
                                </ul>
                                // The working sections, type-erased: one view type this deep overflows the compiler.
                                {view! {
                                {c.decision.map(|(cat, amount)| view! {
                                    <p id="decision">{t(l, "มติ: ประเภท ", "Decision: category ")}{cat}{t(l, " จำนวน ", ", ")}{crate::pages::claim_status::format_baht(amount)}{t(l, " บาท", " baht")}</p>
                                })}
                                {c.status.open_to_appeal().then(|| super::actions::notice_section(l, &c.reference, &csrf, c.decided_on, c.notified, c.appeal_by, c.receipt_by.filter(|by| *by < me.today), c.can_record_notice, qget("notice").is_some(), problem.get_value().as_ref()).into_any())}
                                {super::actions::checklist_section(l, &c.reference, &csrf, c.checklist.clone(), Some(c.relation), c.can_screen, qget("checked").is_some(), problem.get_value().as_ref(), (c.harm_type.clone(), &c.harm_types), (c.rights_service, &c.rights_checks, qget("rights"))).into_any()}
                                {c.consistency.clone().map(|p| super::consistency::panel(l, p, c.harm_type.as_deref(), &c.harm_types, c.region))}
                                {super::payments::case_section(l, &c, &csrf, problem.get_value().as_ref(), qget("account").as_deref() == Some("saved"))}
                                {super::actions::agenda_section(l, &c.reference, &csrf, c.meeting_on, &c.agenda_options, qget("agenda").is_some()).into_any()}
                                {super::actions::action_forms(l, &c.reference, &csrf, &c.allowed_events, problem.get_value().as_ref(), qget("done").and_then(|d| crate::domain::ClaimStatus::parse(&d))).into_any()}
                                {super::actions::notes_and_reroute(l, &c.reference, &csrf, &c.internal_notes, c.works_on, c.can_reroute, c.region, problem.get_value().as_ref()).into_any()}
                                }.into_any()}
                                <h2>{t(l, "ความเคลื่อนไหว", "Timeline")}</h2>
                                <ol class="timeline">
                                    {c.history.iter().map(|h| view! {
                                        <li><strong>{h.heading(l)}</strong>" – "{l.time(h.at)}{h.detail().map(|n| view! { <p class="pre-line">{n}</p> })}</li>
                                    }).collect_view()}
                                </ol>
                            }.into_any()
                        }
                    })}
                }.into_any()
                }
                _ => sign_in_first(l),
            })}
        </Suspense>
    }
}
