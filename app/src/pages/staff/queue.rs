use super::{sign_in_first, staff_bar};
use crate::api::staff::{staff_me, staff_queue};
use crate::domain::ClaimStatus;
use crate::i18n::{t, Locale};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The claims the signed-in person may see, newest first, with filters and search.
#[component]
pub fn StaffQueue() -> impl IntoView {
    let l = crate::use_locale();
    let query = use_query_map();
    let me = Resource::new(|| (), |_| staff_me());
    let args = move || {
        let q = query.read();
        (
            q.get("status"),
            q.get("s"),
            q.get("before"),
            q.get("due"),
            q.get("mine"),
            q.get("region"),
        )
    };
    let items = Resource::new(args, |(status, q, before, due, mine, region)| {
        staff_queue(status, q, before, due, mine, region)
    });
    view! {
        <Suspense fallback=move || view! { <p>{t(l, "กำลังโหลด…", "Loading…")}</p> }>
            {move || me.get().map(|me| match me {
                Ok(Some(me)) => {
                    let (status, _, _, due, mine, region) = args();
                    let several_regions = crate::domain::access::regions_of(&me.grants).len() > 1;
                    let today = me.today;
                    view! {
                        {staff_bar(l, &me)}
                        {crate::pages::heading(l, "รายการ\u{200B}คำร้อง", "Claims", false)}
                        {query.read_untracked().get("conflict").map(|_| view! {
                            <div class="notice" role="status" id="conflict-declared" tabindex="-1" autofocus><p>{t(l, "บันทึกการแจ้งผลประโยชน์ทับซ้อนแล้ว เรื่องนั้นจะไม่แสดงให้ท่านเห็นอีก", "Your conflict of interest is recorded. That case is no longer shown to you.")}</p></div>
                        })}
                        // Posted, so what is searched for (names, national IDs) never sits in an
                        // address: the answer is a link holding it sealed for this person.
                        <form method="post" action="/staff/search" class="filters">
                            <input type="hidden" name="csrf" value=me.csrf_token.clone()/>
                            <div class="form-group">
                                <label class="label" for="q">{t(l, "ค้นหา (เลขที่อ้างอิง ชื่อ หรือเลขประจำตัวประชาชน)", "Search (reference, name or national ID)")}</label>
                                <input class="input" id="q" name="q" type="search" autocomplete="off" value=move || items.get().and_then(|r| r.ok()).and_then(|p| p.search)/>
                            </div>
                            <div class="form-group">
                                <label class="label" for="status">{t(l, "สถานะ", "Status")}</label>
                                <select class="select" id="status" name="status">
                                    <option value="">{t(l, "ทุกสถานะ", "Any status")}</option>
                                    {ClaimStatus::ALL.into_iter().map(|s| {
                                        let selected = status.as_deref() == Some(s.as_str());
                                        view! { <option value=s.as_str() selected=selected>{if l == Locale::Th { s.label_th() } else { s.label_en() }}</option> }
                                    }).collect_view()}
                                </select>
                            </div>
                            {several_regions.then(|| view! {
                                <div class="form-group">
                                    <label class="label" for="region">{t(l, "เขต", "Region")}</label>
                                    <select class="select" id="region" name="region">
                                        <option value="">{t(l, "ทุกเขต", "All regions")}</option>
                                        {(1..=13u8).map(|n| view! { <option value=n.to_string() selected=region.as_deref() == Some(n.to_string().as_str())>{n}</option> }).collect_view()}
                                    </select>
                                </div>
                            })}
                            <div class="form-group">
                                <label class="label" for="due">{t(l, "กำหนดเวลา", "Deadline")}</label>
                                <select class="select" id="due" name="due">
                                    <option value="">{t(l, "ทั้งหมด", "Any")}</option>
                                    <option value="overdue" selected=due.as_deref() == Some("overdue")>{t(l, "เกินกำหนด", "Overdue")}</option>
                                    <option value="soon" selected=due.as_deref() == Some("soon")>{t(l, "ใกล้ครบกำหนด (5 วัน)", "Due in the next 5 days")}</option>
                                    <option value="unreceived" selected=due.as_deref() == Some("unreceived")>{t(l, "ยังไม่มีหลักฐานรับแจ้งผล", "No proof the decision was received")}</option>
                                </select>
                            </div>
                            <div class="checkbox filter-check">
                                <input type="checkbox" id="mine" name="mine" value="1" checked=mine.as_deref() == Some("1")/>
                                <label for="mine">{t(l, "เฉพาะที่ฉันรับผิดชอบ", "Only cases I am working on")}</label>
                            </div>
                            <button type="submit" class="button button-secondary">{t(l, "กรอง", "Filter")}</button>
                        </form>
                        {move || items.get().map(|r| match r {
                            Err(_) => view! { <p>{t(l, "โหลดรายการไม่ได้", "Could not load the list")}</p> }.into_any(),
                            Ok(page) if page.search_expired => view! { <p id="search-expired">{t(l, "ลิงก์ผลการค้นหานี้หมดอายุแล้ว โปรดค้นหาอีกครั้ง", "This search link has run out. Please search again.")}</p> }.into_any(),
                            Ok(page) if page.items.is_empty() => view! { <p id="queue-empty">{t(l, "ไม่มีคำร้อง", "No claims")}</p> }.into_any(),
                            Ok(page) => {
                                let next = page.next.clone();
                                let download = |format: &str| {
                                    let (status, q, _, due, mine, region) = args();
                                    let mut href = format!("/staff/export/{format}");
                                    for (k, v) in [("status", status), ("s", q), ("due", due), ("mine", mine), ("region", region)] {
                                        if let Some(v) = v.filter(|v| !v.is_empty()) {
                                            href.push(if href.contains('?') { '&' } else { '?' });
                                            href.push_str(&format!("{k}={}", crate::components::layout::urlencode(&v)));
                                        }
                                    }
                                    href
                                };
                                view! {
                                    <p class="downloads">{t(l, "ดาวน์โหลดรายการนี้ (ทุกหน้า ตามตัวกรองที่เลือก): ", "Download this list (every page, as filtered): ")}
                                        <a href=download("csv") id="export-csv" download>{t(l, "CSV", "CSV")}</a>" · "
                                        <a href=download("xlsx") id="export-xlsx" download>{t(l, "Excel (XLSX)", "Excel (XLSX)")}</a>
                                    </p>
                                    <div class="table-wrap">
                                    <table class="queue" id="queue">
                                        <caption class="visually-hidden">{t(l, "คำร้อง", "Claims")}</caption>
                                        <thead><tr>
                                            <th scope="col">{t(l, "เลขที่อ้างอิง", "Reference")}</th>
                                            <th scope="col">{t(l, "ผู้ได้รับความเสียหาย", "Injured person")}</th>
                                            <th scope="col">{t(l, "เขต", "Region")}</th>
                                            <th scope="col">{t(l, "สถานะ", "Status")}</th>
                                            <th scope="col">{t(l, "ยื่นเมื่อ", "Filed")}</th>
                                            <th scope="col">{t(l, "กำหนด", "Due")}</th>
                                        </tr></thead>
                                        <tbody>
                                            {page.items.into_iter().map(|i| view! {
                                                <tr data-reference=i.reference.clone()>
                                                    <td><a href=format!("/staff/claims/{}", i.reference)>{i.reference.clone()}</a></td>
                                                    <td>{i.patient_name}<br/><span class="muted" aria-hidden="true">{i.patient_national_id_masked.clone()}</span><span class="visually-hidden">{t(l, "เลขประจำตัวประชาชน ลงท้ายด้วย ", "National ID ending ")}{i.patient_national_id_masked.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect::<String>()}</span></td>
                                                    <td>{i.region}</td>
                                                    <td>{if l == Locale::Th { i.status.label_th() } else { i.status.label_en() }}</td>
                                                    <td>{l.date(i.filed_on)}</td>
                                                    <td>
                                                        {i.due_by.map(|d| super::due_tag(l, d, today))}
                                                        {i.receipt_by.filter(|by| *by < today).map(|by| super::receipt_tag(l, by))}
                                                    </td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                    </div>
                                    {next.map(|n| {
                                        // The next page keeps the filters.
                                        let (status, q, _, due, mine, region) = args();
                                        let mut href = format!("/staff?before={}", crate::components::layout::urlencode(&n));
                                        for (k, v) in [("status", status), ("s", q), ("due", due), ("mine", mine), ("region", region)] {
                                            if let Some(v) = v.filter(|v| !v.is_empty()) {
                                                href.push_str(&format!("&{k}={}", crate::components::layout::urlencode(&v)));
                                            }
                                        }
                                        view! { <p><a href=href id="next-page">{t(l, "หน้าถัดไป", "Next page")}</a></p> }
                                    })}
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
