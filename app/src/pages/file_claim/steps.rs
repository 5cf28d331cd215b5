//! Steps 1–4 of the form: who is filing, the injured person, the treatment, the harm.

use super::{step_caption, with_draft};
use crate::api::types::DraftView;
use crate::components::form::{described_by, field_id, ErrorSummary, FieldMessage};
use crate::domain::intake::{assisted_of, OVERRIDE_FIELD};
use crate::domain::petition::{errors_for_step, Step};
use crate::domain::region::{provinces_by_english_name, provinces_by_thai_name};
use crate::domain::{FieldError, Relation};
use crate::i18n::{t, Locale};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use std::collections::{BTreeMap, BTreeSet};

/// What a step's fields share: the current answers, which fields the person has left
/// (so we do not shout before they finish typing), and the errors to show now.
#[derive(Clone, Copy)]
pub struct FormState {
    pub values: RwSignal<BTreeMap<String, String>>,
    pub touched: RwSignal<BTreeSet<String>>,
    pub errors: Signal<Vec<FieldError>>,
}

impl FormState {
    /// Server errors show until the person edits that field; from then on the live check
    /// (the same `validate` the server runs) decides.
    pub fn new(d: &DraftView, step: Step) -> Self {
        let values = RwSignal::new(d.fields.clone());
        let touched = RwSignal::new(BTreeSet::<String>::new());
        let server_errors = errors_for_step(&d.errors, step);
        let (today, holidays) = (d.today, d.holidays.clone());
        let errors = Signal::derive(move || {
            let touched = touched.get();
            let live = match crate::domain::intake::validate_fields(&values.get(), today, &holidays)
            {
                Ok(_) => Vec::new(),
                Err(e) => errors_for_step(&e, step),
            };
            let mut out: Vec<FieldError> = server_errors
                .iter()
                .filter(|e| !touched.contains(&e.field))
                .cloned()
                .collect();
            out.extend(live.into_iter().filter(|e| touched.contains(&e.field)));
            out.sort_by_key(|e| step.fields().iter().position(|f| *f == e.field));
            out
        });
        Self {
            values,
            touched,
            errors,
        }
    }

    /// Takes in what the boxes hold now. On a slow phone a person may type or choose before
    /// the page's script has run; the script then starts from the answers the server sent,
    /// and without this would tell them a field they have filled is empty (and the message,
    /// appearing as they press the button, would move the button from under their finger).
    #[cfg(feature = "hydrate")]
    fn take_from(self, form: &web_sys::HtmlFormElement, step: Step) {
        use wasm_bindgen::JsCast;
        use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
        let controls = form.elements();
        for i in 0..controls.length() {
            let Some(control) = controls.item(i) else {
                continue;
            };
            let (name, value) = if let Some(input) = control.dyn_ref::<HtmlInputElement>() {
                let choice = matches!(input.type_().as_str(), "radio" | "checkbox");
                if choice && !input.checked() {
                    continue;
                }
                (input.name(), input.value())
            } else if let Some(text) = control.dyn_ref::<HtmlTextAreaElement>() {
                (text.name(), text.value())
            } else if let Some(select) = control.dyn_ref::<HtmlSelectElement>() {
                (select.name(), select.value())
            } else {
                continue;
            };
            if step.owns(&name) && self.value(&name) != value {
                self.set(&name, value);
            }
        }
    }

    fn value(&self, name: &str) -> String {
        self.values
            .with_untracked(|m| m.get(name).cloned().unwrap_or_default())
    }

    fn set(&self, name: &str, v: String) {
        self.values.update(|m| {
            m.insert(name.to_string(), v);
        });
    }

    fn touch(&self, field: &str) {
        if !self.touched.with_untracked(|t| t.contains(field)) {
            self.touched.update(|t| {
                t.insert(field.to_string());
            });
        }
    }

    fn has_error(&self, field: &'static str) -> Signal<bool> {
        let errors = self.errors;
        Signal::derive(move || errors.with(|e| e.iter().any(|x| x.field == field)))
    }
}

#[component]
pub fn StepPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let step = move || params.read().get("step").and_then(|s| Step::parse(&s));
    // "Change" on check-your-answers comes here with `?return=check`: saving goes back there.
    let returning = query.read_untracked().get("return").as_deref() == Some("check");
    move || match step() {
        Some(s @ (Step::Filer | Step::Patient | Step::Treatment | Step::Damage)) => {
            with_draft(move |d| step_page(d, s, returning)).into_any()
        }
        _ => view! { <crate::pages::not_found::NotFound/> }.into_any(),
    }
}

/// A step's heading, in Thai (word boundaries marked, see `pages::WORD_BREAK`) and English.
fn heading_of(step: Step) -> (&'static str, &'static str) {
    match step {
        Step::Filer => ("ใครเป็น\u{200B}ผู้ยื่น\u{200B}คำร้อง", "Who is applying?"),
        Step::Patient => ("ผู้ได้รับ\u{200B}ความเสียหาย", "The person who was harmed"),
        Step::Treatment => ("การรักษา\u{200B}และ\u{200B}วันที่", "The treatment and dates"),
        _ => (
            "ความเสียหาย\u{200B}และ\u{200B}ภาระ",
            "The harm and what it costs you",
        ),
    }
}

/// The page around a step: its title and back link on the server; the form is an island.
fn step_page(d: DraftView, step: Step, returning: bool) -> impl IntoView {
    let l = crate::use_locale();
    if let Some(reference) = d.reference.clone() {
        return already_sent(l, &d.id, &reference).into_any();
    }
    let (th, en) = heading_of(step);
    let title = crate::pages::title(l, th, en, !errors_for_step(&d.errors, step).is_empty());
    let back = match (returning, step.previous()) {
        (true, _) => format!("/file/{}/check", d.id),
        (false, Some(p)) => format!("/file/{}/{}", d.id, p.slug()),
        (false, None) => "/file".to_string(),
    };
    let provinces = if step == Step::Treatment {
        province_options(l)
    } else {
        Vec::new()
    };
    view! {
        {title}
        <a href=back class="back-link">{t(l, "ย้อนกลับ", "Back")}</a>
        {assisted_banner(l, &d.fields)}
        <StepForm draft=d step returning provinces/>
    }
    .into_any()
}

/// (code, name) of every province, in the order this language's readers look for them.
fn province_options(l: Locale) -> Vec<(String, String)> {
    let provinces = if l == Locale::Th {
        provinces_by_thai_name()
    } else {
        provinces_by_english_name()
    };
    provinces
        .into_iter()
        .map(|p| {
            let name = if l == Locale::Th {
                p.name_th
            } else {
                p.name_en
            };
            (format!("{:02}", p.code), name.to_string())
        })
        .collect()
}

/// One step's questions: the only part of the claimant's path that runs in the browser, to
/// check each answer as it is typed with the same rules the server applies. Everything it
/// needs comes in its props, rendered into the page.
#[island]
pub fn StepForm(
    draft: DraftView,
    step: Step,
    returning: bool,
    provinces: Vec<(String, String)>,
) -> impl IntoView {
    let l = crate::use_locale();
    let fs = FormState::new(&draft, step);
    let came_back = !errors_for_step(&draft.errors, step).is_empty();
    let action = format!("/file/{}/{}", draft.id, step.slug());
    let (th, en) = heading_of(step);
    let heading = crate::pages::h1(l, th, en, !came_back);
    let for_self = draft.fields.get("filer.relation").map(String::as_str) == Some("self");
    let form = NodeRef::<leptos::html::Form>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(form) = form.get() {
            fs.take_from(&form, step);
        }
    });
    let body = match step {
        Step::Filer => filer_step(l, fs, heading).into_any(),
        Step::Patient => patient_step(l, fs, heading, for_self).into_any(),
        Step::Treatment => {
            treatment_step(l, fs, heading, draft.service_units.clone(), provinces).into_any()
        }
        _ => damage_step(l, fs, heading).into_any(),
    };
    view! {
        <ErrorSummary errors=fs.errors focus_on_load=came_back/>
        <p class="caption">{step_caption(l, step.number())}</p>
        <form node_ref=form method="post" action=action novalidate data-step=step.slug()>
            {returning.then(|| view! { <input type="hidden" name="return_to" value="check"/> })}
            {body}
            <button type="submit" class="button">{t(l, "บันทึกและไปต่อ", "Save and continue")}</button>
        </form>
    }
}

/// On a petition staff are filing for someone: how it came in and the date it was received.
pub fn assisted_banner(l: Locale, fields: &BTreeMap<String, String>) -> Option<impl IntoView> {
    assisted_of(fields).map(|a| view! {
        <div class="notice" id="assisted">
            <p>{t(l, "เจ้าหน้าที่ยื่นแทนผู้ร้อง – ช่องทาง: ", "Staff filing on someone's behalf – channel: ")}<strong>{a.channel.label(l == Locale::Th)}</strong>
            {t(l, " วันที่รับคำร้อง: ", "; received: ")}<strong>{l.date(a.received_on)}</strong></p>
        </div>
    })
}

pub fn already_sent(l: Locale, draft_id: &str, reference: &str) -> impl IntoView {
    view! {
        {crate::pages::heading(l, "ส่ง\u{200B}คำร้อง\u{200B}นี้\u{200B}แล้ว", "This petition has been sent", false)}
        <p>{t(l, "เลขที่อ้างอิง: ", "Reference: ")}<strong>{reference.to_string()}</strong></p>
        <p><a href=format!("/file/{draft_id}/done")>{t(l, "ดูหน้ายืนยัน", "See the confirmation page")}</a></p>
    }
}

fn filer_step(l: Locale, fs: FormState, heading: impl IntoView) -> impl IntoView {
    let is_self = move || {
        fs.values
            .with(|v| v.get("filer.relation").map(String::as_str) == Some("self"))
    };
    let options: Vec<(Relation, &str)> = vec![
        (
            Relation::Myself,
            t(l, "ฉันเป็นผู้ได้รับความเสียหาย", "I am the person who was harmed"),
        ),
        (
            Relation::Heir,
            t(
                l,
                "ฉันเป็นทายาทของผู้ได้รับความเสียหาย",
                "I am an heir of the person who was harmed",
            ),
        ),
        (
            Relation::Caretaker,
            t(
                l,
                "ฉันเป็นผู้อุปการะหรือผู้ดูแล",
                "I am their caretaker or dependant-carer",
            ),
        ),
        (
            Relation::ServiceUnit,
            t(
                l,
                "หน่วยบริการที่ให้การรักษา",
                "The service unit that gave the treatment",
            ),
        ),
        (
            Relation::Proxy,
            t(
                l,
                "ผู้รับมอบอำนาจ (แนบหนังสือมอบอำนาจในขั้นตอนเอกสาร)",
                "Someone with a power of attorney (attach it in the documents step)",
            ),
        ),
    ];
    let has_err = fs.has_error("filer.relation");
    view! {
        <fieldset class="fieldset" class:has-error=has_err aria-describedby=move || described_by("filer.relation", false, has_err.get())>
            <legend>{heading}</legend>
            <FieldMessage field="filer.relation" errors=fs.errors/>
            <div class="radios">
                {options
                    .into_iter()
                    .enumerate()
                    .map(|(i, (r, label))| {
                        // The first radio carries the question's id: the error summary links there.
                        let id = if i == 0 { field_id("filer.relation") } else { format!("relation-{}", r.as_str()) };
                        let checked = fs.value("filer.relation") == r.as_str();
                        view! {
                            <div class="radio">
                                <input type="radio" id=id.clone() name="filer.relation" value=r.as_str() checked=checked
                                    on:change=move |_| {
                                        fs.set("filer.relation", r.as_str().to_string());
                                        fs.touch("filer.relation");
                                    }/>
                                <label for=id>{label}</label>
                            </div>
                        }
                    })
                    .collect_view()}
            </div>
        </fieldset>
        <fieldset class="fieldset" class:hidden=is_self>
            <legend><h2>{t(l, "ข้อมูลผู้ยื่นคำร้อง", "About you, the person applying")}</h2></legend>
            <p class="hint">{t(l, "ไม่ต้องกรอกหากท่านเป็นผู้ได้รับความเสียหายเอง", "Leave this blank if you are the person who was harmed.")}</p>
            <TextField fs name="filer.name" label=t(l, "ชื่อ-นามสกุล หรือชื่อหน่วยบริการ", "Full name, or the service unit's name") autocomplete="name"/>
            <TextField fs name="filer.national_id" label=t(l, "เลขประจำตัวประชาชน 13 หลัก", "13-digit national ID number")
                hint=t(l, "หน่วยบริการไม่ต้องกรอก", "Not needed for a service unit") inputmode="numeric" class="width-13"/>
            <TextField fs name="filer.phone" label=t(l, "เบอร์โทรศัพท์", "Phone number") kind="tel" autocomplete="tel" class="width-13"/>
            <TextField fs name="filer.email" label=t(l, "อีเมล (ถ้ามี)", "Email (optional)") kind="email" autocomplete="email"
                hint=t(l, "เราจะส่งเลขที่อ้างอิงไปที่อีเมลนี้ โดยไม่มีข้อมูลสุขภาพ", "We will send the reference number here. It will not contain health details.")/>
        </fieldset>
    }
}

/// `for_self`: the person filing is the one who was harmed, so the browser may offer their
/// own name and address (WCAG 1.3.5); for anyone else it must not.
fn patient_step(l: Locale, fs: FormState, heading: impl IntoView, for_self: bool) -> impl IntoView {
    let own = move |token: &'static str| if for_self { token } else { "off" };
    view! {
        {heading}
        <TextField fs name="patient.name" label=t(l, "ชื่อ-นามสกุล", "Full name") autocomplete=own("name")/>
        <TextField fs name="patient.national_id" label=t(l, "เลขประจำตัวประชาชน 13 หลัก", "13-digit national ID number")
            hint=t(l, "ดูได้จากบัตรประชาชนหรือสูติบัตร เช่น 1 1017 00230 70 8", "On the ID card or birth certificate, for example 1 1017 00230 70 8") inputmode="numeric" class="width-13"/>
        <TextArea fs name="patient.address" label=t(l, "ที่อยู่ที่ติดต่อได้สะดวก", "Address where they can readily be reached") rows=3 autocomplete=own("street-address")/>
        <TextField fs name="patient.phone" label=t(l, "เบอร์โทรศัพท์", "Phone number") kind="tel" autocomplete=own("tel") class="width-13"
            hint=t(l, "จำเป็นหากท่านยื่นคำร้องเอง", "Needed if you are applying for yourself")/>
        <TextField fs name="patient.email" label=t(l, "อีเมล (ถ้ามี)", "Email (optional)") kind="email" autocomplete=own("email")
            hint=t(l, "เราจะส่งเลขที่อ้างอิงไปที่อีเมลนี้ โดยไม่มีข้อมูลสุขภาพ", "We will send the reference number here. It will not contain health details.")/>
    }
}

fn treatment_step(
    l: Locale,
    fs: FormState,
    heading: impl IntoView,
    units: Vec<(String, u8)>,
    provinces: Vec<(String, String)>,
) -> impl IntoView {
    view! {
        {heading}
        <TextField fs name="service_unit.name" label=t(l, "ชื่อโรงพยาบาลหรือสถานพยาบาลที่ให้การรักษา", "Name of the hospital or clinic that gave the treatment") autocomplete="off" list="service-units"/>
        // Known units as suggestions; any name may still be typed.
        <datalist id="service-units">
            {units.into_iter().map(|(name, _)| view! { <option value=name/> }).collect_view()}
        </datalist>
        <ProvinceSelect fs provinces/>
        <DateField fs name="treatment_date" legend=t(l, "วันที่รับการรักษา", "Date of treatment")/>
        <DateField fs name="damage_known_date" legend=t(l, "วันที่ทราบความเสียหาย", "Date the harm became known")
            hint=t(l, "วันที่ท่านหรือครอบครัวทราบว่าเกิดความเสียหาย ต้องยื่นคำร้องภายใน 2 ปีนับจากวันที่ทราบนั้น", "The day you or your family learned of the harm. You must apply within 2 years of it.")/>
        {(!fs.value(crate::domain::intake::CHANNEL_FIELD).is_empty()).then(|| view! {
            <TextArea fs name=OVERRIDE_FIELD label=t(l, "เหตุผลที่รับคำร้องที่เกินกำหนด 2 ปี (เฉพาะเจ้าหน้าที่)", "Reason to accept a petition past the 2-year window (staff only)")
                hint=t(l, "กรอกเฉพาะเมื่อคำร้องเกินกำหนด เหตุผลนี้จะแสดงต่อคณะอนุกรรมการ", "Only if the petition is past the window. The committee will see this reason.") rows=3/>
        })}
    }
}

fn damage_step(l: Locale, fs: FormState, heading: impl IntoView) -> impl IntoView {
    view! {
        {heading}
        <TextArea fs name="damage_description" label=t(l, "เกิดความเสียหายอะไรขึ้นจากการรักษา", "What harm did the treatment cause?")
            hint=t(l, "เล่าด้วยคำของท่านเอง เช่น อาการที่เกิดขึ้น และผลต่อร่างกาย", "In your own words: what happened and how it affects the body.") rows=6/>
        <TextArea fs name="burden" label=t(l, "ภาระที่ต้องรับผิดชอบตอนนี้", "What burden do you now carry?")
            hint=t(l, "เช่น ค่ารักษาต่อเนื่อง รายได้ที่ขาดไป ผู้ที่ต้องดูแล การดูแลระยะยาว", "For example ongoing treatment costs, lost income, dependants, long-term care.") rows=5/>
    }
}

#[component]
fn TextField(
    fs: FormState,
    name: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] class: Option<&'static str>,
    #[prop(optional)] list: Option<&'static str>,
) -> impl IntoView {
    let id = field_id(name);
    let has_err = fs.has_error(name);
    view! {
        <div class="form-group" class:has-error=has_err>
            <label class="label" for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=format!("{}-hint", field_id(name))>{h}</p> })}
            <FieldMessage field=name errors=fs.errors/>
            <input class=format!("input {}", class.unwrap_or("")) id=id name=name type=kind value=fs.value(name)
                autocomplete=autocomplete inputmode=inputmode spellcheck="false" list=list
                aria-invalid=move || has_err.get().to_string()
                aria-describedby=move || described_by(name, hint.is_some(), has_err.get())
                on:input=move |ev| fs.set(name, event_target_value(&ev))
                on:blur=move |_| fs.touch(name)/>
        </div>
    }
}

#[component]
fn TextArea(
    fs: FormState,
    name: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = 4)] rows: u32,
    #[prop(optional)] autocomplete: Option<&'static str>,
) -> impl IntoView {
    let id = field_id(name);
    let has_err = fs.has_error(name);
    view! {
        <div class="form-group" class:has-error=has_err>
            <label class="label" for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=format!("{}-hint", field_id(name))>{h}</p> })}
            <FieldMessage field=name errors=fs.errors/>
            <textarea class="textarea" id=id name=name rows=rows autocomplete=autocomplete
                aria-invalid=move || has_err.get().to_string()
                aria-describedby=move || described_by(name, hint.is_some(), has_err.get())
                on:input=move |ev| fs.set(name, event_target_value(&ev))
                on:blur=move |_| fs.touch(name)>{textarea_text(fs.value(name))}</textarea>
        </div>
    }
}

/// A textarea's answer as the page carries it. This Leptos writes a textarea's content as
/// it is (escaping it came later upstream, leptos-rs/leptos#4821; drop this with that
/// upgrade), so an answer holding `&amp;` came back as `&` and one holding `</textarea>`
/// ended the box and put the rest into the page as markup. In the browser the island does
/// not touch the server's text (a textarea's children are not hydrated).
fn textarea_text(answer: String) -> String {
    if cfg!(feature = "ssr") {
        answer.replace('&', "&amp;").replace('<', "&lt;")
    } else {
        answer
    }
}

#[component]
fn ProvinceSelect(fs: FormState, provinces: Vec<(String, String)>) -> impl IntoView {
    let l = crate::use_locale();
    let name = "service_unit.province_code";
    let current = fs.value(name);
    let has_err = fs.has_error(name);
    view! {
        <div class="form-group" class:has-error=has_err>
            <label class="label" for=field_id(name)>{t(l, "จังหวัดของหน่วยบริการ", "Province of the hospital or clinic")}</label>
            <p class="hint" id=format!("{}-hint", field_id(name))>{t(l, "ใช้เพื่อส่งคำร้องไปยังสำนักงานเขตที่รับผิดชอบ", "We use it to send your claim to the regional office that decides it.")}</p>
            <FieldMessage field=name errors=fs.errors/>
            <select class="select" id=field_id(name) name=name
                aria-invalid=move || has_err.get().to_string()
                aria-describedby=move || described_by(name, true, has_err.get())
                on:change=move |ev| { fs.set(name, event_target_value(&ev)); fs.touch(name); }>
                <option value="" selected=current.is_empty()>{t(l, "เลือกจังหวัด", "Choose a province")}</option>
                {provinces
                    .into_iter()
                    .map(|(code, province)| {
                        let selected = code == current;
                        view! { <option value=code selected=selected>{province}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// Day, month and year boxes. The year may be Buddhist era (2568) or Gregorian (2025).
#[component]
fn DateField(
    fs: FormState,
    name: &'static str,
    legend: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let l = crate::use_locale();
    let has_err = fs.has_error(name);
    let example = t(
        l,
        "เช่น 27 3 2568 (ปี พ.ศ. หรือ ค.ศ. ก็ได้)",
        "For example 27 3 2025 (Buddhist or Gregorian year)",
    );
    let part = move |suffix: &'static str, label: &'static str, width: &'static str| {
        let key = format!("{name}.{suffix}");
        let id = if suffix == "day" {
            field_id(name)
        } else {
            format!("{}-{suffix}", field_id(name))
        };
        let value = fs.value(&key);
        let key2 = key.clone();
        view! {
            <div class="date-part">
                <label class="label" for=id.clone()>{label}</label>
                <input class=format!("input {width}") id=id name=key type="text" inputmode="numeric" value=value
                    aria-invalid=move || has_err.get().to_string()
                    on:input=move |ev| fs.set(&key2, event_target_value(&ev))
                    on:blur=move |_| fs.touch(name)/>
            </div>
        }
    };
    view! {
        <fieldset class="fieldset form-group" class:has-error=has_err role="group"
            aria-describedby=move || format!("{}-example {}", field_id(name), described_by(name, hint.is_some(), has_err.get()))>
            <legend class="label">{legend}</legend>
            {hint.map(|h| view! { <p class="hint" id=format!("{}-hint", field_id(name))>{h}</p> })}
            <p class="hint" id=format!("{}-example", field_id(name))>{example}</p>
            <FieldMessage field=name errors=fs.errors/>
            <div class="date-input">
                {part("day", t(l, "วัน", "Day"), "width-2")}
                {part("month", t(l, "เดือน", "Month"), "width-2")}
                {part("year", t(l, "ปี", "Year"), "width-4")}
            </div>
        </fieldset>
    }
}
