//! A claim's status in plain words, its history, the next step and expected dates.

use crate::api::get_claim_status;
use crate::domain::Region;
use crate::domain::{ClaimStatus, ErrorCode, FieldError};
use crate::i18n::error_message;
use crate::i18n::{t, Locale};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ClaimStatusPage() -> impl IntoView {
    let l = crate::use_locale();
    let params = use_params_map();
    let query = use_query_map();
    let (done, err, code) = (
        query.read_untracked().get("done"),
        query.read_untracked().get("e"),
        query.read_untracked().get("c"),
    );
    // The bank account form that came back: its errors by field, and the bank chosen.
    let account_errors: Vec<FieldError> = query
        .read_untracked()
        .get("account_errors")
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default();
    let account_bank = query.read_untracked().get("bank");
    let account_said = query.read_untracked().get("account");
    let status = Resource::new(
        move || params.read().get("reference").unwrap_or_default(),
        get_claim_status,
    );
    view! {
        <Suspense fallback=move || view! { <p>{t(l, "กำลังโหลด…", "Loading…")}</p> }>
            {move || status.get().map(|r| match r {
                Err(_) => {
                    crate::pages::set_status(404);
                    view! {
                        {crate::pages::heading(l, "โปรด\u{200B}ยืนยัน\u{200B}ตัวตน\u{200B}ก่อน", "Enter your details first", false)}
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
                    let info_request = (v.status == ClaimStatus::InfoRequested)
                        .then(|| v.history.iter().rev().find(|h| h.status == ClaimStatus::InfoRequested && h.document.is_none()).and_then(|h| h.note.clone()))
                        .flatten();
                    let decision_note = matches!(v.status, ClaimStatus::Approved | ClaimStatus::Rejected | ClaimStatus::AppealDecided)
                        .then(|| v.history.iter().rev().find(|h| h.document.is_none()).and_then(|h| h.note.clone()))
                        .flatten();
                    let outcome = outcome(l, done.clone(), err.clone(), code.clone());
                    let respond = format!("/claim/{}/respond", v.reference);
                    let appeal = format!("/claim/{}/appeal", v.reference);
                    view! {
                        {outcome}
                        <p class="caption">{t(l, "คำร้องเลขที่ ", "Claim ")}{v.reference.clone()}</p>
                        // The title says a form came back; the heading takes focus unless a
                        // notice or error summary below should.
                        {crate::pages::title(l, "สถานะ\u{200B}คำร้อง", "Claim status", err.is_some() || !account_errors.is_empty() || account_said.as_deref() == Some("held"))}
                        {crate::pages::h1(l, "สถานะ\u{200B}คำร้อง", "Claim status", err.is_none() && account_errors.is_empty() && account_said.is_none())}
                        <p class="status-tag" id="status" data-status=v.status.as_str()>{label}</p>
                        {v.decision.map(|(cat, amount)| view! {
                            <p id="decision">{t(l, "จำนวนเงินช่วยเหลือเบื้องต้นที่อนุมัติ: ", "Preliminary assistance approved: ")}<strong>{format_baht(amount)}{t(l, " บาท", " baht")}</strong>
                            {format!(" ({} {cat})", t(l, "ประเภท", "category"))}</p>
                        })}
                        {decision_note.map(|n| view! { <p class="pre-line" id="decision-reason">{n}</p> })}
                        {v.paid.map(|(on, amount)| view! {
                            <p id="paid">{t(l, "โอนเงินแล้ว ", "Paid ")}<strong>{format_baht(amount)}{t(l, " บาท", " baht")}</strong>{t(l, " เมื่อ ", " on ")}{l.date(on)}</p>
                        })}
                        <h2>{t(l, "ขั้นตอนต่อไป", "What happens next")}</h2>
                        <p>{next}</p>
                        {v.payment.as_ref().map(|p| crate::pages::payment::claimant_section(l, &v.reference, p, &account_errors, account_bank.clone(), account_said.as_deref()))}
                        {info_request.map(|ask| view! {
                            <div class="notice" id="info-request">
                                <h2>{t(l, "ข้อมูลที่ต้องการจากท่าน", "What we need from you")}</h2>
                                <p class="pre-line">{ask}</p>
                            </div>
                            <form method="post" action=respond.clone() enctype="multipart/form-data" novalidate>
                                <div class="form-group">
                                    <label class="label" for="answer">{t(l, "คำตอบของท่าน", "Your answer")}</label>
                                    <textarea class="textarea" id="answer" name="text" rows="4"></textarea>
                                </div>
                                <div class="form-group">
                                    <label class="label" for="answer-file">{t(l, "แนบเอกสาร (ถ้ามี)", "Attach a document (optional)")}</label>
                                    <p class="hint" id="answer-file-hint">{t(l, "PDF, JPG หรือ PNG ไม่เกิน 10 MB", "PDF, JPG or PNG, up to 10 MB")}</p>
                                    <input class="file-upload" id="answer-file" name="file" type="file" aria-describedby="answer-file-hint" accept=".pdf,.jpg,.jpeg,.png"/>
                                </div>
                                <button type="submit" class="button">{t(l, "ส่งข้อมูล", "Send")}</button>
                            </form>
                        })}
                        {v.appeal_by.map(|last| view! {
                            <h2>{t(l, "อุทธรณ์", "Appeal")}</h2>
                            <p id="appeal-by">{t(l, "หากไม่เห็นด้วย อุทธรณ์ได้ถึงวันที่ ", "If you disagree, you can appeal until ")}<strong>{l.date(last)}</strong></p>
                            {v.notified.map(|(on, _)| view! {
                                <p class="hint" id="notified-on">{t(l, "นับจากวันที่ท่านได้รับแจ้งผล คือ ", "That is counted from the day you received the decision: ")}{l.date(on)}</p>
                            })}
                            <form method="post" action=appeal.clone() enctype="multipart/form-data" novalidate>
                                <div class="form-group">
                                    <label class="label" for="appeal-reason">{t(l, "เหตุผลที่อุทธรณ์", "Why you are appealing")}</label>
                                    <textarea class="textarea" id="appeal-reason" name="text" rows="4"></textarea>
                                </div>
                                <div class="form-group">
                                    <label class="label" for="appeal-file">{t(l, "แนบเอกสาร (ถ้ามี)", "Attach a document (optional)")}</label>
                                    <input class="file-upload" id="appeal-file" name="file" type="file" accept=".pdf,.jpg,.jpeg,.png"/>
                                </div>
                                <button type="submit" class="button">{t(l, "ยื่นอุทธรณ์", "Appeal")}</button>
                            </form>
                        })}
                        {v.expected_decision_by.map(|d| view! {
                            <p id="expected-decision">{t(l, "คาดว่าจะทราบผลภายใน ", "Expected decision by ")}<strong>{l.date(d)}</strong></p>
                        })}
                        {v.expected_payment_by.map(|d| view! {
                            <p id="expected-payment">{t(l, "คาดว่าจะได้รับเงินภายใน ", "Expected payment by ")}<strong>{l.date(d)}</strong></p>
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
                        <h2>{t(l, "หนังสือจากสำนักงาน", "Letters from the office")}</h2>
                        <ul class="list" id="letters">
                            {v.letters.iter().map(|k| view! {
                                <li><a href=format!("/claim/{}/letters/{}", v.reference, k.key()) download>{k.title(l)}" (PDF)"</a></li>
                            }).collect_view()}
                        </ul>
                        <h2>{t(l, "ความคืบหน้า", "History")}</h2>
                        <ol class="timeline">
                            {v.history.iter().rev().map(|h| {
                                let when = l.date(crate::domain::bangkok_date_at(h.at.timestamp()));
                                view! { <li><strong>{h.heading(l)}</strong>" – "{when}{h.detail().map(|n| view! { <p>{n}</p> })}</li> }
                            }).collect_view()}
                        </ol>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}

/// 150000 → "150,000".
pub fn format_baht(n: i64) -> String {
    crate::domain::money::with_separators(n)
}

fn outcome(
    l: Locale,
    done: Option<String>,
    e: Option<String>,
    code: Option<String>,
) -> Option<AnyView> {
    if let Some(s) = done.and_then(|d| ClaimStatus::parse(&d)) {
        let label = if l == Locale::Th {
            s.label_th()
        } else {
            s.label_en()
        };
        return Some(view! { <div class="notice" role="status" id="claimant-done" tabindex="-1" autofocus><p>{t(l, "ได้รับแล้ว สถานะตอนนี้: ", "Received. The status is now: ")}<strong>{label}</strong></p></div> }.into_any());
    }
    let message = match e.as_deref()? {
        f @ ("answer" | "appeal_reason") => error_message(l, &FieldError::new(f, ErrorCode::Required)),
        f @ ("documents" | "invalid") => {
            let c: ErrorCode = serde_json::from_str(&code?).ok()?;
            error_message(l, &FieldError::new(if f == "documents" { "documents" } else { "appeal_reason" }, c))
        }
        _ => t(l, "ทำรายการนี้ไม่ได้แล้ว อาจเลยกำหนดหรือสถานะเปลี่ยนไป โปรดโทร 1330", "This can no longer be done: the time may have passed or the status changed. Call 1330.").to_string(),
    };
    Some(view! {
        <div class="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="error-summary-title">
            <h2 id="error-summary-title">{t(l, "มีข้อมูลที่ต้องแก้ไข", "There is a problem")}</h2>
            <p>{message}</p>
        </div>
    }.into_any())
}

#[cfg(test)]
mod tests {
    #[test]
    fn baht_has_thousands_separators() {
        assert_eq!(super::format_baht(150_000), "150,000");
        assert_eq!(super::format_baht(999), "999");
        assert_eq!(super::format_baht(1_000), "1,000");
    }
}
