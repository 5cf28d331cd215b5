//! The action forms on a case page: only those the viewer may take in the current state.
//! Each is a plain form post carrying the session's CSRF token.

use crate::domain::actions::{reason_label, DECLINE_REASONS, SCREENING_REASONS};
use crate::domain::policy::Category;
use crate::domain::screening::{self, Checklist, UcRight};
use crate::domain::{ClaimStatus, ErrorCode, Event, FieldError};
use crate::i18n::{error_message, t, Locale};
use leptos::prelude::*;

pub fn event_label(l: Locale, e: Event) -> &'static str {
    match e {
        Event::StartScreening => t(l, "เริ่มตรวจสอบคำร้อง", "Start screening"),
        Event::RequestInfo => t(
            l,
            "ขอข้อมูลเพิ่มเติมจากผู้ยื่น",
            "Request information from the claimant",
        ),
        Event::Refer => t(l, "ส่งให้คณะอนุกรรมการ", "Refer to the committee"),
        Event::RejectAtScreening => t(l, "ไม่รับคำร้อง (ชั้นตรวจสอบ)", "Reject at screening"),
        Event::StartReview => t(l, "เริ่มพิจารณา", "Start review"),
        Event::Approve => t(l, "อนุมัติจ่ายเงิน", "Approve payment"),
        Event::Decline => t(l, "ไม่อนุมัติ", "Decline"),
        Event::DecideAppeal => t(l, "บันทึกผลอุทธรณ์", "Record the appeal decision"),
        Event::OrderPayment => t(l, "สั่งจ่ายเงิน", "Order payment"),
        Event::RecordPayment => t(l, "บันทึกการจ่ายเงิน", "Record payment"),
        Event::Close => t(l, "ปิดเรื่อง", "Close the case"),
        Event::ProvideInfo | Event::Appeal | Event::Withdraw => "",
    }
}

fn key(e: Event) -> String {
    serde_json::to_value(e)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// A field a staff form came back with: which form (`on`), which field, and what is wrong.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub form: String,
    pub field: String,
    pub message: String,
}

impl Problem {
    /// From the query a refused form redirects with: `e=invalid&f=FIELD&c=CODE&on=FORM`.
    pub fn from_query(l: Locale, query: &leptos_router::params::ParamsMap) -> Option<Self> {
        if query.get("e").as_deref() != Some("invalid") {
            return None;
        }
        let field = query.get("f")?;
        let code: ErrorCode = serde_json::from_str(&query.get("c")?).ok()?;
        Some(Self {
            form: query.get("on").unwrap_or_default(),
            message: error_message(l, &FieldError::new(&field, code)),
            field,
        })
    }

    /// What the error summary links to: the field's control, or the checklist section when
    /// the checklist as a whole is incomplete.
    pub fn anchor(&self) -> String {
        if self.field == "checklist" {
            "checklist".into()
        } else {
            dom_id(&self.form, &self.field)
        }
    }
}

/// The id of a field's control on a staff form: `FORM-FIELD`, e.g. `approve-amount`.
pub fn dom_id(form: &str, field: &str) -> String {
    format!("{form}-{field}")
}

/// One field of a staff form, with its error if the form came back with one for it.
pub(crate) struct Field {
    pub(crate) id: String,
    error: Option<String>,
}

impl Field {
    pub(crate) fn new(problem: Option<&Problem>, form: &str, field: &str) -> Self {
        Self {
            id: dom_id(form, field),
            error: problem
                .filter(|p| p.form == form && p.field == field)
                .map(|p| p.message.clone()),
        }
    }
    pub(crate) fn has_error(&self) -> bool {
        self.error.is_some()
    }
    pub(crate) fn invalid(&self) -> Option<&'static str> {
        self.has_error().then_some("true")
    }
    /// `aria-describedby`: the hint, if any, then the error.
    pub(crate) fn described_by(&self, hint: Option<&str>) -> Option<String> {
        let parts: Vec<String> = hint
            .map(str::to_string)
            .into_iter()
            .chain(self.has_error().then(|| format!("{}-error", self.id)))
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    }
    /// The error line shown between the label and the control.
    pub(crate) fn message(&self, l: Locale) -> Option<impl IntoView> {
        self.error.clone().map(|m| {
            view! {
                <p class="field-error" id=format!("{}-error", self.id)>
                    <span class="visually-hidden">{t(l, "ข้อผิดพลาด: ", "Error: ")}</span>
                    {m}
                </p>
            }
        })
    }
}

/// What went wrong with the last post, from the query string the form handler redirected
/// with: an error summary at the top of the page, which takes focus as it opens.
pub fn outcome(
    l: Locale,
    e: Option<String>,
    s: Option<String>,
    problem: Option<&Problem>,
) -> Option<AnyView> {
    let message = match e.as_deref()? {
        "role" => t(
            l,
            "บทบาทหรือเขตของท่านทำรายการนี้ไม่ได้ ความพยายามนี้ถูกบันทึกไว้",
            "Your role or region does not allow this. The attempt has been recorded.",
        )
        .to_string(),
        "state" => {
            let st = s
                .and_then(|s| ClaimStatus::parse(&s))
                .map(|s| {
                    if l == Locale::Th {
                        s.label_th()
                    } else {
                        s.label_en()
                    }
                })
                .unwrap_or("");
            format!(
                "{}{st}",
                t(
                    l,
                    "ทำรายการนี้ไม่ได้ในสถานะปัจจุบัน: ",
                    "This is not possible in the current state: "
                )
            )
        }
        "stale" => t(
            l,
            "มีผู้อื่นเปลี่ยนแปลงเรื่องนี้ไปก่อน โปรดโหลดหน้าใหม่แล้วลองอีกครั้ง",
            "Someone else changed this case just now. Reload it and try again.",
        )
        .to_string(),
        "invalid" => {
            // The summary links to the field, which shows the same message beside it.
            let p = problem?;
            return Some(view! {
                <div class="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="error-summary-title" id="action-error">
                    <h2 id="error-summary-title">{t(l, "มีข้อมูลที่ต้องแก้ไข", "There is a problem")}</h2>
                    <ul><li><a href=format!("#{}", p.anchor())>{p.message.clone()}</a></li></ul>
                </div>
            }.into_any());
        }
        _ => return None,
    };
    Some(view! {
        <div class="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="error-summary-title" id="action-error">
            <h2 id="error-summary-title">{t(l, "ทำรายการไม่สำเร็จ", "That action was not taken")}</h2>
            <p>{message}</p>
        </div>
    }.into_any())
}

/// The actions the viewer may take now. After an action (`done`, the status it led to) the
/// section opens with what happened and takes focus, so the next action is a Tab away
/// rather than a walk from the top of the page.
pub fn action_forms(
    l: Locale,
    reference: &str,
    csrf: &str,
    allowed: &[Event],
    problem: Option<&Problem>,
    done: Option<ClaimStatus>,
) -> impl IntoView {
    let action = format!("/staff/claims/{reference}/act");
    let reason_select = move |reasons: &'static [&'static str], x: Field| {
        view! {
            <div class="form-group" class:has-error=x.has_error()>
                <label class="label" for=x.id.clone()>{t(l, "เหตุผล", "Reason")}</label>
                {x.message(l)}
                <select class="select" id=x.id.clone() name="reason_code" aria-invalid=x.invalid() aria-describedby=x.described_by(None)>
                    <option value="">{t(l, "เลือกเหตุผล", "Choose a reason")}</option>
                    {reasons.iter().map(|r| view! { <option value=*r>{reason_label(r, l == Locale::Th)}</option> }).collect_view()}
                </select>
            </div>
        }
    };
    let note = move |x: Field, label: &'static str| {
        view! {
            <div class="form-group" class:has-error=x.has_error()>
                <label class="label" for=x.id.clone()>{label}</label>
                {x.message(l)}
                <textarea class="textarea" id=x.id.clone() name="public_note" rows="3" aria-invalid=x.invalid() aria-describedby=x.described_by(None)></textarea>
            </div>
        }
    };
    // Turning a claim down cannot be taken back: it asks for a ticked confirmation (checked
    // on the server, so it holds without JavaScript) and its button is red.
    let confirm = move |x: Field, label: &'static str| {
        view! {
            <div class="form-group" class:has-error=x.has_error()>
                {x.message(l)}
                <div class="checkbox">
                    <input type="checkbox" id=x.id.clone() name="confirm" value="yes" aria-invalid=x.invalid() aria-describedby=x.described_by(None)/>
                    <label for=x.id.clone()>{label}</label>
                </div>
            </div>
        }
    };
    view! {
        <h2>{t(l, "การดำเนินการ", "Actions")}</h2>
        {done.map(|status| {
            let label = if l == Locale::Th { status.label_th() } else { status.label_en() };
            view! { <div class="notice" role="status" id="action-done" tabindex="-1" autofocus><p>{t(l, "บันทึกแล้ว สถานะตอนนี้: ", "Done. The status is now: ")}<strong>{label}</strong></p></div> }
        })}
        {allowed.is_empty().then(|| view! { <p>{t(l, "ไม่มีรายการที่ท่านทำได้ในสถานะนี้", "There is nothing you can do in this state.")}</p> })}
        {allowed.iter().map(|e| {
            let k = key(*e);
            let x = |field: &str| Field::new(problem, &k, field);
            let extra = match e {
                Event::RequestInfo => note(x("public_note"), t(l, "ต้องการข้อมูลหรือเอกสารอะไร (ผู้ยื่นจะเห็นข้อความนี้)", "What is needed (the claimant sees this)")).into_any(),
                Event::RejectAtScreening => view! { {reason_select(&SCREENING_REASONS, x("reason_code"))}{note(x("public_note"), t(l, "เหตุผลถึงผู้ยื่น", "Reason, for the claimant"))}{confirm(x("confirm"), t(l, "ฉันยืนยันว่าจะไม่รับคำร้องนี้ ผู้ยื่นจะได้รับแจ้งพร้อมเหตุผล", "I confirm this petition is rejected. The claimant will be told, with the reason."))} }.into_any(),
                Event::Decline => view! { {reason_select(&DECLINE_REASONS, x("reason_code"))}{note(x("public_note"), t(l, "เหตุผลถึงผู้ยื่น", "Reason, for the claimant"))}{confirm(x("confirm"), t(l, "ฉันยืนยันว่าไม่อนุมัติจ่ายเงิน ผู้ยื่นจะได้รับแจ้งพร้อมเหตุผลและสิทธิอุทธรณ์", "I confirm payment is declined. The claimant will be told, with the reason and their right to appeal."))} }.into_any(),
                Event::Approve | Event::DecideAppeal => {
                    let (outcome, category, amount) = (x("outcome"), x("category"), x("amount"));
                    view! {
                    {(*e == Event::DecideAppeal).then(|| view! {
                        <div class="form-group" class:has-error=outcome.has_error()>
                            <label class="label" for=outcome.id.clone()>{t(l, "ผลอุทธรณ์", "Outcome")}</label>
                            {outcome.message(l)}
                            <select class="select" id=outcome.id.clone() name="outcome" aria-invalid=outcome.invalid() aria-describedby=outcome.described_by(None)>
                                <option value="">{t(l, "เลือกผล", "Choose the outcome")}</option>
                                <option value="upheld">{t(l, "ยืนตามมติเดิม", "Uphold the decision")}</option>
                                <option value="changed">{t(l, "เปลี่ยนแปลงมติ (ระบุประเภทและจำนวนเงิน)", "Change it (give category and amount)")}</option>
                            </select>
                        </div>
                        {note(x("public_note"), t(l, "เหตุผลถึงผู้ยื่น", "Reason, for the claimant"))}
                    })}
                    <div class="form-group" class:has-error=category.has_error()>
                        <label class="label" for=category.id.clone()>{t(l, "ประเภทความเสียหาย", "Category")}</label>
                        {category.message(l)}
                        <select class="select" id=category.id.clone() name="category" aria-invalid=category.invalid() aria-describedby=category.described_by(None)>
                            <option value="">{t(l, "เลือกประเภท", "Choose a category")}</option>
                            {[Category::DeathOrPermanentDisability, Category::OrganLossOrDisability, Category::ContinuedTreatment].into_iter().map(|c| view! {
                                <option value=c.number().to_string()>{format!("{}. {}", c.number(), if l == Locale::Th { c.label_th() } else { c.label_en() })}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="form-group" class:has-error=amount.has_error()>
                        <label class="label" for=amount.id.clone()>{t(l, "จำนวนเงิน (บาท)", "Amount (baht)")}</label>
                        {amount.message(l)}
                        <input class="input width-13" id=amount.id.clone() name="amount" type="text" inputmode="numeric" aria-invalid=amount.invalid() aria-describedby=amount.described_by(None)/>
                    </div>
                }.into_any()
                }
                Event::RecordPayment => {
                    let (amount, paid_on, transfer) = (x("amount"), x("paid_on"), x("payment_reference"));
                    view! {
                    <div class="form-group" class:has-error=amount.has_error()>
                        <label class="label" for=amount.id.clone()>{t(l, "จำนวนเงินที่โอน (บาท)", "Amount transferred (baht)")}</label>
                        {amount.message(l)}
                        <input class="input width-13" id=amount.id.clone() name="amount" type="text" inputmode="numeric" aria-invalid=amount.invalid() aria-describedby=amount.described_by(None)/>
                    </div>
                    <div class="form-group" class:has-error=paid_on.has_error()>
                        <label class="label" for=paid_on.id.clone()>{t(l, "วันที่โอน (ค.ศ. ปปปป-ดด-วว)", "Date transferred (YYYY-MM-DD)")}</label>
                        {paid_on.message(l)}
                        <input class="input width-13" id=paid_on.id.clone() name="paid_on" type="text" inputmode="numeric" aria-invalid=paid_on.invalid() aria-describedby=paid_on.described_by(None)/>
                    </div>
                    <div class="form-group" class:has-error=transfer.has_error()>
                        <label class="label" for=transfer.id.clone()>{t(l, "เลขที่อ้างอิงการโอน", "Transfer reference")}</label>
                        {transfer.message(l)}
                        <input class="input width-13" id=transfer.id.clone() name="payment_reference" type="text" aria-invalid=transfer.invalid() aria-describedby=transfer.described_by(None)/>
                    </div>
                }.into_any()
                }
                _ => ().into_any(),
            };
            view! {
                <form method="post" action=action.clone() class="action-form" data-event=k.clone()>
                    <input type="hidden" name="csrf" value=csrf.to_string()/>
                    <input type="hidden" name="event" value=k.clone()/>
                    {extra}
                    <button type="submit" class=if matches!(e, Event::RejectAtScreening | Event::Decline) { "button button-warning" } else { "button button-secondary" }>{event_label(l, *e)}</button>
                </form>
            }
        }).collect_view()}
    }
}

/// Staff-only notes (never shown to the claimant), adding one, and, for those who work on
/// the case, declaring a conflict of interest and, where allowed, moving the case to
/// another region.
#[allow(clippy::too_many_arguments)]
pub fn notes_and_reroute(
    l: Locale,
    reference: &str,
    csrf: &str,
    notes: &[(chrono::DateTime<chrono::Utc>, String, String)],
    works_on: bool,
    can_reroute: bool,
    region: u8,
    problem: Option<&Problem>,
) -> impl IntoView {
    let note_action = format!("/staff/claims/{reference}/note");
    let reroute_action = format!("/staff/claims/{reference}/reroute");
    let note = Field::new(problem, "note", "internal_note");
    let (to, why) = (
        Field::new(problem, "reroute", "region"),
        Field::new(problem, "reroute", "internal_note"),
    );
    let conflict = Field::new(problem, "conflict", "conflict_reason");
    view! {
        <h2>{t(l, "บันทึกภายใน (ผู้ยื่นไม่เห็น)", "Internal notes (not shown to the claimant)")}</h2>
        <ul class="notes" id="internal-notes">
            {notes.iter().map(|(at, who, text)| view! {
                <li><span class="muted">{format!("{} · {who}", l.time(*at))}</span><p class="pre-line">{text.clone()}</p></li>
            }).collect_view()}
        </ul>
        <form method="post" action=note_action>
            <input type="hidden" name="csrf" value=csrf.to_string()/>
            <div class="form-group" class:has-error=note.has_error()>
                <label class="label" for=note.id.clone()>{t(l, "เพิ่มบันทึก", "Add a note")}</label>
                {note.message(l)}
                <textarea class="textarea" id=note.id.clone() name="internal_note" rows="3" aria-invalid=note.invalid() aria-describedby=note.described_by(None)></textarea>
            </div>
            <button type="submit" class="button button-secondary">{t(l, "บันทึก", "Save note")}</button>
        </form>
        {can_reroute.then(|| view! {
            <h2>{t(l, "ส่งต่อไปยังสำนักงานเขตอื่น", "Move to another regional office")}</h2>
            <form method="post" action=reroute_action.clone()>
                <input type="hidden" name="csrf" value=csrf.to_string()/>
                <div class="form-group" class:has-error=to.has_error()>
                    <label class="label" for=to.id.clone()>{t(l, "สำนักงานเขตปลายทาง", "Region to move it to")}</label>
                    {to.message(l)}
                    <select class="select" id=to.id.clone() name="region" aria-invalid=to.invalid() aria-describedby=to.described_by(None)>
                        <option value="">{t(l, "เลือกเขต", "Choose a region")}</option>
                        {crate::domain::Region::all().filter(|r| r.number() != region).map(|r| view! {
                            <option value=r.number().to_string()>{if l == Locale::Th { r.office().name_th } else { r.office().name_en }}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="form-group" class:has-error=why.has_error()>
                    <label class="label" for=why.id.clone()>{t(l, "เหตุผล", "Reason")}</label>
                    {why.message(l)}
                    <textarea class="textarea" id=why.id.clone() name="internal_note" rows="2" aria-invalid=why.invalid() aria-describedby=why.described_by(None)></textarea>
                </div>
                <button type="submit" class="button button-secondary">{t(l, "ส่งต่อ", "Move the case")}</button>
            </form>
        })}
        {works_on.then(|| view! {
        <h2>{t(l, "ผลประโยชน์ทับซ้อน", "Conflict of interest")}</h2>
        <form method="post" action=format!("/staff/claims/{reference}/conflict")>
            <input type="hidden" name="csrf" value=csrf.to_string()/>
            <div class="form-group" class:has-error=conflict.has_error()>
                <label class="label" for=conflict.id.clone()>{t(l, "เหตุผลที่มีส่วนได้เสียในเรื่องนี้", "Why you have an interest in this case")}</label>
                <p class="hint" id="conflict-reason-hint">{t(l, "เมื่อแจ้งแล้ว ท่านจะไม่เห็นและไม่สามารถพิจารณาเรื่องนี้ได้อีก", "Once you declare it, you will no longer see or act on this case.")}</p>
                {conflict.message(l)}
                <textarea class="textarea" id=conflict.id.clone() name="conflict_reason" rows="2" aria-invalid=conflict.invalid() aria-describedby=conflict.described_by(Some("conflict-reason-hint"))></textarea>
            </div>
            <button type="submit" class="button button-secondary" id="declare-conflict">{t(l, "แจ้งผลประโยชน์ทับซ้อน", "Declare a conflict of interest")}</button>
        </form>
        })}
    }
}

/// The screening checklist: a form for whoever screens the case now, a record for others.
pub fn checklist_section(
    l: Locale,
    reference: &str,
    csrf: &str,
    checklist: Option<Checklist>,
    relation: Option<crate::domain::Relation>,
    editable: bool,
    saved: bool,
    problem: Option<&Problem>,
    (harm, harm_types): (Option<String>, &[(String, String, String)]),
    (rights_service, rights_checks, rights_said): (bool, &[crate::views::RightsCheckView], Option<String>),
) -> impl IntoView {
    let outcome_words = |o: &str| match o {
        "verified" => t(l, "เป็นผู้มีสิทธิหลักประกันสุขภาพแห่งชาติ (บัตรทอง) ในวันที่รับการรักษา บันทึกในรายการตรวจสอบแล้ว", "Holds the Gold Card right on the day of treatment; recorded in the checklist."),
        "not_right_holder" => t(l, "ไม่ใช่สิทธิบัตรทอง (ใช้สิทธิอื่น) บันทึกในรายการตรวจสอบแล้ว", "Not a Gold Card right holder (another scheme); recorded in the checklist."),
        "not_found" => t(l, "ไม่พบข้อมูลสิทธิของเลขประจำตัวนี้ โปรดตรวจสอบเลขประจำตัวหรือตรวจสอบสิทธิด้วยวิธีอื่น", "No registration found for this national ID. Check the ID, or check the right another way."),
        _ => t(l, "ระบบตรวจสอบสิทธิไม่ตอบในขณะนี้ ท่านยังตรวจสอบสิทธิด้วยวิธีอื่นและบันทึกด้านล่างได้", "The rights service is not answering now. You can still check the right another way and record it below."),
    };
    // What the rights service answered, for every viewer of the checklist.
    let rights_record = |checks: &[crate::views::RightsCheckView]| {
        (!checks.is_empty()).then(|| view! {
            <ul class="checklist-record" id="rights-checks">
                {checks.iter().map(|r| view! {
                    <li>{l.time(r.at)}" · "{r.by.clone()}": "<strong>{outcome_words(&r.outcome)}</strong>
                        {r.right.clone().map(|x| format!(" {} {x}", t(l, "สิทธิ:", "Right:")))}
                        {r.main_unit.clone().map(|x| format!(" · {} {x}", t(l, "หน่วยบริการประจำ:", "Main unit:")))}</li>
                }).collect_view()}
            </ul>
        })
    };
    let rights_block = view! {
        {rights_said.map(|o| view! { <div class="notice" role="status" id="rights-said" tabindex="-1" autofocus><p>{outcome_words(&o)}</p></div> })}
        {rights_service.then(|| view! {
            <form method="post" action=format!("/staff/claims/{reference}/rights-check") class="inline-form">
                <input type="hidden" name="csrf" value=csrf.to_string()/>
                <button type="submit" class="button button-secondary" id="rights-check">{t(l, "ตรวจสอบสิทธิผ่านระบบ สปสช.", "Check the right with the NHSO rights service")}</button>
            </form>
        })}
        {rights_record(rights_checks)}
    };
    let th = l == Locale::Th;
    let harm_label = |key: &str| {
        harm_types
            .iter()
            .find(|(k, _, _)| k == key)
            .map_or(key.to_string(), |(_, th_label, en)| if th { th_label.clone() } else { en.clone() })
    };
    let harm_field = Field::new(problem, "checklist", "harm_type");
    let (uc_right, uc_method) = (
        Field::new(problem, "checklist", "uc_right"),
        Field::new(problem, "checklist", "uc_method"),
    );
    let c = checklist.clone().unwrap_or_default();
    let ticked = |k: &str| c.items.iter().any(|i| i == k);
    let required = screening::required(relation);
    let uc = c.uc_right;
    let recorded = checklist.as_ref().map(|k| view! {
        <p class="muted" id="checklist-by">{t(l, "บันทึกล่าสุดโดย ", "Last saved by ")}{k.checked_by.clone()}" · "{chrono::DateTime::parse_from_rfc3339(&k.checked_at).map(|at| l.time(at.to_utc())).unwrap_or_else(|_| k.checked_at.clone())}</p>
    });
    let ready = screening::ready_to_refer(checklist.as_ref(), relation);
    if !editable {
        return checklist.map(|k| view! {
            <section id="checklist" aria-labelledby="checklist-title">
                <h2 id="checklist-title">{t(l, "ผลการตรวจสอบคำร้อง", "Screening checklist")}</h2>
                <ul class="checklist-record">
                    {screening::ITEMS.iter().filter(|(key, _, _)| required.contains(key)).map(|(key, _, _)| {
                        let done = k.items.iter().any(|i| i == key);
                        view! { <li>{if done { "✓ " } else { "✗ " }}{screening::label(key, th)}</li> }
                    }).collect_view()}
                </ul>
                <p>{t(l, "สิทธิหลักประกันสุขภาพ: ", "UC right: ")}<strong>{uc_label(l, k.uc_right)}</strong>{(!k.uc_method.is_empty()).then(|| format!(" ({})", k.uc_method))}</p>
                {rights_record(rights_checks)}
                <p id="harm-type">{t(l, "ประเภทความเสียหาย: ", "Type of harm: ")}<strong>{harm.as_deref().map_or(t(l, "ยังไม่ระบุ", "Not recorded").to_string(), harm_label)}</strong></p>
                {recorded}
            </section>
        }.into_any());
    }
    let action = format!("/staff/claims/{reference}/checklist");
    Some(view! {
        <section id="checklist" aria-labelledby="checklist-title">
            <h2 id="checklist-title">{t(l, "ตรวจสอบคำร้อง", "Screening checklist")}</h2>
            {saved.then(|| view! { <div class="notice" role="status" id="checklist-saved" tabindex="-1" autofocus><p>{t(l, "บันทึกรายการตรวจสอบแล้ว", "Checklist saved.")}</p></div> })}
            <p>{if ready { t(l, "ครบถ้วน ส่งให้คณะอนุกรรมการได้", "Complete: the case can go to the committee.") } else { t(l, "ต้องครบทุกรายการและยืนยันสิทธิก่อนส่งให้คณะอนุกรรมการ", "Every item must be ticked and the right verified before the case goes to the committee.") }}</p>
            {rights_block}
            <form method="post" action=action>
                <input type="hidden" name="csrf" value=csrf.to_string()/>
                <fieldset class="fieldset form-group">
                    <legend class="label">{t(l, "คำร้องมีข้อมูลและเอกสารต่อไปนี้", "The petition has these")}</legend>
                    <div class="checkboxes">
                        {screening::ITEMS.iter().filter(|(key, _, _)| required.contains(key)).map(|(key, _, _)| {
                            let id = format!("item-{key}");
                            view! {
                                <div class="checkbox">
                                    <input type="checkbox" id=id.clone() name="items" value=*key checked=ticked(key)/>
                                    <label for=id>{screening::label(key, th)}</label>
                                </div>
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
                <fieldset class="fieldset form-group" class:has-error=uc_right.has_error() aria-describedby=uc_right.described_by(None)>
                    <legend class="label">{t(l, "ตรวจสอบสิทธิหลักประกันสุขภาพแห่งชาติ (UC) ของผู้ได้รับความเสียหาย", "The injured person's Universal Coverage (UC) right")}</legend>
                    {uc_right.message(l)}
                    <div class="radios">
                        {[("", None), ("verified", Some(UcRight::Verified)), ("not_right_holder", Some(UcRight::NotRightHolder))].into_iter().map(|(v, r)| {
                            // The first choice carries the id the error summary links to.
                            let id = if v.is_empty() { uc_right.id.clone() } else { format!("uc-{v}") };
                            view! {
                                <div class="radio">
                                    <input type="radio" id=id.clone() name="uc_right" value=v checked=uc == r/>
                                    <label for=id>{uc_label(l, r)}</label>
                                </div>
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
                <div class="form-group" class:has-error=uc_method.has_error()>
                    <label class="label" for=uc_method.id.clone()>{t(l, "ตรวจสอบสิทธิด้วยวิธีใด", "How was the right checked?")}</label>
                    <p class="hint" id="uc_method-hint">{t(l, "เช่น ระบบตรวจสอบสิทธิของ สปสช. ณ วันที่รับการรักษา", "For example, the NHSO eligibility system, for the treatment date")}</p>
                    {uc_method.message(l)}
                    <input class="input" id=uc_method.id.clone() name="uc_method" type="text" value=c.uc_method.clone() aria-invalid=uc_method.invalid() aria-describedby=uc_method.described_by(Some("uc_method-hint"))/>
                </div>
                <div class="form-group" class:has-error=harm_field.has_error()>
                    <label class="label" for=harm_field.id.clone()>{t(l, "ประเภทความเสียหาย", "Type of harm")}</label>
                    <p class="hint" id="harm_type-hint">{t(l, "ใช้เทียบกับคำร้องที่พิจารณาแล้วซึ่งมีความเสียหายประเภทเดียวกัน", "Used to compare this case with decided ones of the same kind")}</p>
                    {harm_field.message(l)}
                    <select class="select" id=harm_field.id.clone() name="harm_type" aria-invalid=harm_field.invalid() aria-describedby=harm_field.described_by(Some("harm_type-hint"))>
                        <option value="">{t(l, "ยังไม่ระบุ", "Not recorded yet")}</option>
                        {harm_types.iter().map(|(key, th_label, en)| view! {
                            <option value=key.clone() selected=harm.as_deref() == Some(key.as_str())>{if th { th_label.clone() } else { en.clone() }}</option>
                        }).collect_view()}
                    </select>
                </div>
                {recorded}
                <button type="submit" class="button button-secondary" id="save-checklist">{t(l, "บันทึกรายการตรวจสอบ", "Save the checklist")}</button>
            </form>
        </section>
    }.into_any())
}

fn uc_label(l: Locale, r: Option<UcRight>) -> &'static str {
    match r {
        None => t(l, "ยังไม่ได้ตรวจสอบ", "Not checked yet"),
        Some(UcRight::Verified) => t(l, "ยืนยันแล้ว เป็นผู้มีสิทธิ", "Verified: holds the right"),
        Some(UcRight::NotRightHolder) => t(l, "ไม่ใช่ผู้มีสิทธิ", "Does not hold the right"),
    }
}

/// Which meeting the case is on, and (for the region's officers) a form to put it on one.
pub fn agenda_section(
    l: Locale,
    reference: &str,
    csrf: &str,
    meeting_on: Option<chrono::NaiveDate>,
    options: &[(String, chrono::NaiveDate)],
    saved: bool,
) -> impl IntoView {
    let on = meeting_on.map(|d| view! { <p id="meeting-on">{t(l, "อยู่ในวาระการประชุมวันที่ ", "On the agenda of the meeting on ")}<strong>{l.date(d)}</strong></p> });
    let form = (!options.is_empty()).then(|| view! {
        <form method="post" action=format!("/staff/claims/{reference}/agenda") class="inline-group">
            <input type="hidden" name="csrf" value=csrf.to_string()/>
            <div class="form-group">
                <label class="label" for="agenda-meeting">{t(l, "บรรจุเข้าวาระการประชุม", "Put on the agenda of")}</label>
                <select class="select" id="agenda-meeting" name="meeting">
                    {options.iter().map(|(id, d)| view! { <option value=id.clone() selected=meeting_on == Some(*d)>{l.date(*d)}</option> }).collect_view()}
                </select>
            </div>
            <button type="submit" class="button button-secondary" id="put-on-agenda">{t(l, "บรรจุวาระ", "Add to agenda")}</button>
        </form>
    });
    (on.is_some() || form.is_some()).then(|| view! {
        <section id="agenda" aria-labelledby="agenda-title">
            <h2 id="agenda-title">{t(l, "การประชุมคณะอนุกรรมการ", "Committee meeting")}</h2>
            {saved.then(|| view! { <div class="notice" role="status" tabindex="-1" autofocus><p>{t(l, "บรรจุวาระแล้ว", "Added to the agenda.")}</p></div> })}
            {on}
            {form}
        </section>
    })
}

/// When and how the claimant received the decision (the appeal window runs from that day),
/// and for the region's staff, the form to record a delivery with its evidence.
#[allow(clippy::too_many_arguments)]
pub fn notice_section(
    l: Locale,
    reference: &str,
    csrf: &str,
    decided_on: Option<chrono::NaiveDate>,
    notified: Option<(chrono::NaiveDate, crate::domain::notice::NoticeMethod)>,
    appeal_by: Option<chrono::NaiveDate>,
    receipt_overdue: Option<chrono::NaiveDate>,
    can_record: bool,
    saved: bool,
    problem: Option<&Problem>,
) -> impl IntoView {
    use crate::domain::notice::NoticeMethod;
    let (method, received_on, evidence) = (
        Field::new(problem, "notice", "notice_method"),
        Field::new(problem, "notice", "notice_received_on"),
        Field::new(problem, "notice", "notice_evidence"),
    );
    let thai = l == Locale::Th;
    let state = match notified {
        Some((on, how)) => view! {
            <p id="notice-received">
                {t(l, "ผู้ยื่นได้รับแจ้งผลเมื่อ ", "The claimant received the decision on ")}<strong>{l.date(on)}</strong>" ("{how.label(thai)}")"
                {appeal_by.map(|last| view! { {t(l, " อุทธรณ์ได้ถึงวันที่ ", ". They can appeal until ")}<strong id="notice-appeal-by">{l.date(last)}</strong> })}
            </p>
        }
        .into_any(),
        None => view! {
            {receipt_overdue.map(|by| super::receipt_tag(l, by))}
            <p id="notice-pending">
                {t(l, "ยังไม่มีหลักฐานว่าผู้ยื่นได้รับแจ้งผล ระยะเวลาอุทธรณ์จะเริ่มนับเมื่อผู้ยื่นเปิดดูผลในหน้าติดตามสถานะ หรือเมื่อบันทึกการรับหนังสือด้านล่าง",
                   "There is no proof yet that the claimant received the decision. The appeal window starts when they open it on their status page, or on the day recorded below.")}
            </p>
        }
        .into_any(),
    };
    let form = can_record.then(|| view! {
        <form method="post" action=format!("/staff/claims/{reference}/notice") novalidate>
            <input type="hidden" name="csrf" value=csrf.to_string()/>
            <fieldset class="fieldset">
                <legend class="label">{t(l, "บันทึกการรับหนังสือแจ้งผล", "Record delivery of the decision notice")}</legend>
                <div class="form-group" class:has-error=method.has_error()>
                    <label class="label" for=method.id.clone()>{t(l, "วิธีส่ง", "How it was delivered")}</label>
                    {method.message(l)}
                    <select class="select" id=method.id.clone() name="notice_method" aria-invalid=method.invalid() aria-describedby=method.described_by(None)>
                        <option value="">{t(l, "เลือกวิธีส่ง", "Choose")}</option>
                        {NoticeMethod::STAFF.into_iter().map(|m| view! { <option value=m.as_str()>{m.label(thai)}</option> }).collect_view()}
                    </select>
                </div>
                <div class="form-group" class:has-error=received_on.has_error()>
                    <label class="label" for=received_on.id.clone()>{t(l, "วันที่ผู้ยื่นได้รับ (ตามใบตอบรับหรือวันที่ลงชื่อรับ)", "The day the claimant received it (from the return receipt, or the day they signed)")}</label>
                    <p class="hint" id="notice-received-on-hint">
                        {t(l, "ตั้งแต่วันที่มีมติ", "On or after the day of the decision")}
                        {decided_on.map(|d| view! { " ("{l.date(d)}")" })}
                    </p>
                    {received_on.message(l)}
                    <input class="input width-13" id=received_on.id.clone() name="notice_received_on" type="date" aria-invalid=received_on.invalid() aria-describedby=received_on.described_by(Some("notice-received-on-hint"))/>
                </div>
                <div class="form-group" class:has-error=evidence.has_error()>
                    <label class="label" for=evidence.id.clone()>{t(l, "หลักฐาน (เลขพัสดุลงทะเบียน หรือผู้ลงชื่อรับและสถานที่)", "Evidence (the registered item's number, or who signed and where)")}</label>
                    {evidence.message(l)}
                    <input class="input" id=evidence.id.clone() name="notice_evidence" type="text" maxlength="200" aria-invalid=evidence.invalid() aria-describedby=evidence.described_by(None)/>
                </div>
            </fieldset>
            <button type="submit" class="button button-secondary" id="record-notice">{t(l, "บันทึกการรับ", "Record delivery")}</button>
        </form>
    });
    view! {
        <section id="notice" aria-labelledby="notice-title">
            <h2 id="notice-title">{t(l, "การแจ้งผลแก่ผู้ยื่น", "Telling the claimant")}</h2>
            {saved.then(|| view! { <div class="notice" role="status" tabindex="-1" autofocus><p>{t(l, "บันทึกการรับหนังสือแล้ว", "Delivery recorded.")}</p></div> })}
            {state}
            {form}
        </section>
    }
}
