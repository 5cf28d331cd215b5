//! Payments for staff: the section of a case page (the account, masked; its whole number for
//! the region's officers, audited; the form that gives it from the petition), and a regional
//! officer's payments page (what is ready for the bank, what waits for an account, the
//! batches, their files and the bank's results).

use super::actions::{Field, Problem};
use super::{sign_in_first, staff_bar};
use crate::api::staff::{staff_me, staff_payments};
use crate::domain::payments::LineError;
use crate::i18n::{t, Locale};
use crate::pages::claim_status::format_baht;
use crate::pages::payment::{account_fields, account_summary, transfer_state};
use crate::views::{CaseView, PaymentsPage};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The case page's payment section.
pub fn case_section(l: Locale, c: &CaseView, csrf: &str, problem: Option<&Problem>, saved: bool) -> Option<AnyView> {
    let p = c.payment.as_ref()?;
    let reference = c.reference.clone();
    let error = |name: &str| {
        let f = Field::new(problem, "bank", name);
        f.has_error().then(|| problem.map(|p| p.message.clone())).flatten()
    };
    Some(view! {
        <section id="payment" aria-labelledby="payment-title">
            <h2 id="payment-title">{t(l, "การโอนเงิน", "Payment transfer")}</h2>
            {saved.then(|| view! { <div class="notice" role="status" id="account-saved" tabindex="-1" autofocus><p>{t(l, "บันทึกบัญชีแล้ว", "Account saved")}</p></div> })}
            {transfer_state(l, p)}
            {match &p.account {
                Some(a) => view! {
                    {account_summary(l, a)}
                    {(c.can_show_account && a.full_number.is_none()).then(|| view! {
                        <p><a href=format!("/staff/claims/{reference}?account=full#payment") id="show-account">{t(l, "แสดงเลขที่บัญชีเต็ม", "Show the whole account number")}</a>
                        <span class="hint">{t(l, " (การเปิดดูจะถูกบันทึก)", " (the viewing is recorded)")}</span></p>
                    })}
                }.into_any(),
                None => view! { <p id="no-account">{t(l, "ยังไม่มีบัญชีสำหรับรับเงิน", "No account has been given for the payment yet.")}</p> }.into_any(),
            }}
            {c.can_give_account.then(|| view! {
                <form method="post" action=format!("/staff/claims/{reference}/bank-account") novalidate>
                    <input type="hidden" name="csrf" value=csrf.to_string()/>
                    <fieldset class="fieldset">
                        <legend class="label">{t(l, "บันทึกบัญชีจากคำร้อง", "Record the account from the petition")}</legend>
                        {account_fields(l, "bank", None, error)}
                    </fieldset>
                    <button type="submit" class="button button-secondary" id="save-account">{t(l, "บันทึกบัญชี", "Save the account")}</button>
                </form>
            })}
        </section>
    }.into_any())
}

/// `/staff/payments`: a regional officer's batches.
#[component]
pub fn StaffPayments() -> impl IntoView {
    let l = crate::use_locale();
    let query = use_query_map();
    let q = move |k: &str| query.read_untracked().get(k);
    let me = Resource::new(|| (), |_| staff_me());
    let page = Resource::new(move || query.read().get("region"), staff_payments);
    view! {
        <Suspense fallback=move || view! { <p>{t(l, "กำลังโหลด…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match (me.await, page.await) {
                    (Ok(Some(me)), Ok(p)) => {
                        let problems: Vec<LineError> = q("problems").and_then(|j| serde_json::from_str(&j).ok()).unwrap_or_default();
                        view! {
                            {staff_bar(l, &me)}
                            {crate::pages::heading(l, "การ\u{200B}โอน\u{200B}เงิน", "Payments", !problems.is_empty() || q("e").is_some())}
                            {outcome(l, &q, &problems)}
                            {page_view(l, p, &me.csrf_token, q("for"), q("e").as_deref() == Some("nofile"))}
                        }.into_any()
                    }
                    (Ok(Some(me)), Err(_)) => view! {
                        {staff_bar(l, &me)}
                        {crate::pages::heading(l, "การ\u{200B}โอน\u{200B}เงิน", "Payments", false)}
                        <p>{t(l, "หน้านี้สำหรับเจ้าหน้าที่สำนักงานเขตที่สั่งจ่ายเงิน", "This page is for the regional officers who make payments.")}</p>
                    }.into_any(),
                    _ => sign_in_first(l).into_any(),
                }
            })}
        </Suspense>
    }
}

/// The message for a result file not chosen: in the summary and at the file box.
fn no_file(l: Locale) -> &'static str {
    t(l, "โปรดเลือกไฟล์ผลการโอนจากธนาคาร", "Choose the bank's result file.")
}

/// What the last post did: a batch made, a result file taken in (or why not). A problem
/// with a batch's result file links to that batch's file box.
fn outcome(l: Locale, q: &impl Fn(&str) -> Option<String>, problems: &[LineError]) -> Option<AnyView> {
    let th = l == Locale::Th;
    let file_box = q("for").map(|id| format!("#results-{id}"));
    if !problems.is_empty() {
        let more: usize = q("more").and_then(|m| m.parse().ok()).unwrap_or(0);
        let again = t(l, "แก้ไขไฟล์แล้วนำเข้าใหม่ทั้งไฟล์", "Correct the file and take the whole file in again.");
        return Some(view! {
            <div class="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="import-errors-title" id="import-problems">
                <h2 id="import-errors-title">{t(l, "ไฟล์ผลการโอนมีข้อผิดพลาด ยังไม่ได้บันทึกรายการใด", "The result file has problems: nothing was recorded")}</h2>
                <ul class="error-summary-list">{problems.iter().map(|p| view! { <li>{p.text(th)}</li> }).collect_view()}</ul>
                {(more > 0).then(|| view! { <p>{t(l, "และอีก ", "and ")}{more}{t(l, " รายการ", " more")}</p> })}
                <p>{match file_box {
                    Some(href) => view! { <a href=href>{again}</a> }.into_any(),
                    None => again.into_any(),
                }}</p>
            </div>
        }.into_any());
    }
    if let Some(e) = q("e") {
        let message = match e.as_str() {
            "empty" => t(l, "ยังไม่มีรายการที่พร้อมโอน (สั่งจ่ายแล้วและมีบัญชี)", "No payment is ready for a batch (ordered, with an account)."),
            "nofile" => no_file(l),
            "busy" => t(l, "มีการนำเข้าไฟล์ผลของชุดนี้อีกไฟล์ในเวลาเดียวกัน ยังไม่ได้บันทึกไฟล์นี้ โปรดนำเข้าอีกครั้ง รายการที่บันทึกแล้วจะไม่เปลี่ยน", "Another result file for this batch was being taken in at the same moment, so this one was not. Take it in again: lines already recorded stay as they are."),
            _ => t(l, "ทำรายการนี้ไม่ได้", "That could not be done."),
        };
        let message = match file_box.filter(|_| e == "nofile") {
            Some(href) => view! { <ul class="error-summary-list"><li><a href=href>{message}</a></li></ul> }.into_any(),
            None => view! { <p>{message}</p> }.into_any(),
        };
        return Some(view! {
            <div class="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="payments-error-title">
                <h2 id="payments-error-title">{t(l, "มีข้อมูลที่ต้องแก้ไข", "There is a problem")}</h2>
                {message}
            </div>
        }.into_any());
    }
    let said = if q("batch").is_some() {
        t(l, "สร้างชุดรายการโอนแล้ว ดาวน์โหลดไฟล์เพื่อส่งธนาคารได้ด้านล่าง", "Batch made. Download its file for the bank below.").to_string()
    } else if let Some(counts) = q("imported") {
        let n: Vec<&str> = counts.split('.').collect();
        let get = |i: usize| n.get(i).copied().unwrap_or("0").to_string();
        if th {
            format!("นำเข้าผลการโอนแล้ว: สำเร็จ {} ไม่สำเร็จ {} ไม่เปลี่ยนแปลง {}", get(0), get(1), get(2))
        } else {
            format!("Results taken in: {} paid, {} failed, {} unchanged", get(0), get(1), get(2))
        }
    } else if let Some(at) = q("already").and_then(|s| s.parse::<i64>().ok()) {
        let when = chrono::DateTime::from_timestamp(at, 0).map(|d| l.time(d)).unwrap_or_default();
        if th {
            format!("ไฟล์นี้นำเข้าไปแล้วเมื่อ {when} ไม่มีการเปลี่ยนแปลง")
        } else {
            format!("This file was taken in on {when}: nothing changed")
        }
    } else {
        return None;
    };
    Some(view! { <div class="notice" role="status" id="payments-outcome" tabindex="-1" autofocus><p>{said}</p></div> }.into_any())
}

/// `no_file`: the batch `for_batch` was sent without its result file; its box says so.
fn page_view(l: Locale, p: PaymentsPage, csrf: &str, for_batch: Option<String>, no_file_sent: bool) -> impl IntoView {
    let region = p.region;
    let total: i64 = p.ready.iter().map(|r| r.amount_baht).sum();
    let status = |s: crate::domain::ClaimStatus| if l == Locale::Th { s.label_th() } else { s.label_en() };
    view! {
        {(p.regions.len() > 1).then(|| view! {
            <form method="get" action="/staff/payments" class="filters">
                <div class="form-group">
                    <label class="label" for="region">{t(l, "เขต", "Region")}</label>
                    <select class="select" id="region" name="region">{p.regions.iter().map(|n| view! { <option value=n.to_string() selected=*n == region>{*n}</option> }).collect_view()}</select>
                </div>
                <button type="submit" class="button button-secondary">{t(l, "แสดง", "Show")}</button>
            </form>
        })}
        <p class="caption">{t(l, "เขต ", "Region ")}{region}</p>
        <h2>{t(l, "พร้อมส่งธนาคาร", "Ready for the bank")}</h2>
        <p id="ready-count">{p.ready.len()}{t(l, " รายการ รวม ", " payments, ")}{format_baht(total)}{t(l, " บาท", " baht in all")}</p>
        {(!p.ready.is_empty()).then(|| view! {
            <div class="table-wrap" role="region" aria-labelledby="ready-caption" tabindex="0"><table class="queue" id="ready">
                <caption id="ready-caption" class="visually-hidden">{t(l, "รายการที่พร้อมโอน", "Payments ready")}</caption>
                <thead><tr><th scope="col">{t(l, "เลขที่คำร้อง", "Reference")}</th><th scope="col">{t(l, "ผู้ได้รับความเสียหาย", "Injured person")}</th><th scope="col" class="numeric">{t(l, "จำนวนเงิน (บาท)", "Amount (baht)")}</th></tr></thead>
                <tbody>{p.ready.iter().map(|r| view! {
                    <tr data-reference=r.reference.clone()><td><a href=format!("/staff/claims/{}", r.reference)>{r.reference.clone()}</a></td><td>{r.patient_name.clone()}</td><td class="numeric">{format_baht(r.amount_baht)}</td></tr>
                }).collect_view()}</tbody>
            </table></div>
            <form method="post" action="/staff/payments/batches">
                <input type="hidden" name="csrf" value=csrf.to_string()/>
                <input type="hidden" name="region" value=region.to_string()/>
                <button type="submit" class="button" id="make-batch">{t(l, "สร้างชุดรายการโอน", "Make a batch for the bank")}</button>
            </form>
        })}
        <h2>{t(l, "รอบัญชีสำหรับรับเงิน", "Waiting for an account")}</h2>
        {if p.without_account.is_empty() {
            view! { <p id="waiting-none">{t(l, "ไม่มี", "None.")}</p> }.into_any()
        } else {
            view! {
                <ul class="list" id="waiting">{p.without_account.iter().map(|r| view! {
                    <li data-reference=r.reference.clone()><a href=format!("/staff/claims/{}#payment", r.reference)>{r.reference.clone()}</a>" · "{r.patient_name.clone()}" · "{status(r.status)}</li>
                }).collect_view()}</ul>
            }.into_any()
        }}
        <h2>{t(l, "ชุดรายการโอน", "Batches")}</h2>
        {if p.batches.is_empty() {
            view! { <p>{t(l, "ยังไม่มี", "None yet.")}</p> }.into_any()
        } else {
            p.batches.iter().map(|b| {
                let id = b.id.clone();
                let file_id = format!("results-{id}");
                let open = b.pending > 0;
                let highlighted = for_batch.as_deref() == Some(id.as_str());
                let missing = highlighted && no_file_sent;
                let described = if missing { format!("{file_id}-error {file_id}-hint") } else { format!("{file_id}-hint") };
                view! {
                    <section class="batch" id=format!("batch-{id}") data-label=b.label.clone() data-highlight=highlighted.to_string()>
                        <h3>{b.label.clone()}</h3>
                        <p>{l.time(b.created_at)}" · "{b.created_by.clone()}" · "{b.lines}{t(l, " รายการ ", " payments, ")}{format_baht(b.total_baht)}{t(l, " บาท", " baht")}</p>
                        <p class="batch-states">
                            {t(l, "รอผล ", "Waiting ")}<strong data-pending=b.pending>{b.pending}</strong>
                            {t(l, " · สำเร็จ ", " · paid ")}<strong data-paid=b.paid>{b.paid}</strong>
                            {t(l, " · ไม่สำเร็จ ", " · failed ")}<strong data-failed=b.failed>{b.failed}</strong>
                        </p>
                        <p><a href=format!("/staff/payments/batches/{id}/file") download>{t(l, "ดาวน์โหลดไฟล์ส่งธนาคาร (CSV)", "Download the file for the bank (CSV)")}<span class="visually-hidden">" "{b.label.clone()}</span></a></p>
                        {open.then(|| view! {
                            <form method="post" action=format!("/staff/payments/batches/{id}/results") enctype="multipart/form-data">
                                <input type="hidden" name="csrf" value=csrf.to_string()/>
                                <input type="hidden" name="region" value=region.to_string()/>
                                <div class="form-group" class:has-error=missing>
                                    <label class="label" for=file_id.clone()>{t(l, "ไฟล์ผลการโอนจากธนาคาร (CSV)", "The bank's result file (CSV)")}<span class="visually-hidden">" "{b.label.clone()}</span></label>
                                    <p class="hint" id=format!("{file_id}-hint")>{t(l, "คอลัมน์ batch_id, reference, result, date, transfer_ref, reason", "Columns batch_id, reference, result, date, transfer_ref, reason")}</p>
                                    {missing.then(|| view! {
                                        <p class="field-error" id=format!("{file_id}-error")><span class="visually-hidden">{t(l, "ข้อผิดพลาด: ", "Error: ")}</span>{no_file(l)}</p>
                                    })}
                                    <input class="file-upload" id=file_id.clone() name="file" type="file" accept=".csv,text/csv" aria-invalid=missing.to_string() aria-describedby=described/>
                                </div>
                                <button type="submit" class="button button-secondary">{t(l, "นำเข้าผลการโอน", "Take the results in")}</button>
                            </form>
                        })}
                    </section>
                }
            }).collect_view().into_any()
        }}
    }
}
