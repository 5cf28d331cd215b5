//! GOV.UK-style form parts: an error summary that links to each field, and fields that show
//! their own error beside them. Field IDs are the dotted API paths with dots as dashes.

use crate::domain::FieldError;
use crate::i18n::{error_message, t, Locale};
use leptos::prelude::*;

pub fn field_id(field: &str) -> String {
    field.replace('.', "-")
}

/// A live map of field → message, shared by a form's fields and its summary.
pub type ErrorMap = Signal<Vec<FieldError>>;

pub fn message_for(l: Locale, errors: &[FieldError], field: &str) -> Option<String> {
    errors
        .iter()
        .find(|e| e.field == field)
        .map(|e| error_message(l, e))
}

/// The list of problems at the top of a form. `focus_on_load`: the page came back from the
/// server with these errors, so the summary takes focus as the page opens (GOV.UK), with or
/// without JavaScript; a summary that appears while someone types never takes focus.
#[component]
pub fn ErrorSummary(errors: ErrorMap, #[prop(optional)] focus_on_load: bool) -> impl IntoView {
    let l = crate::use_locale();
    move || {
        let errs = errors.get();
        (!errs.is_empty()).then(|| {
            view! {
                <div class="error-summary" role="alert" tabindex="-1" autofocus=focus_on_load aria-labelledby="error-summary-title">
                    <h2 id="error-summary-title">{t(l, "มีข้อมูลที่ต้องแก้ไข", "There is a problem")}</h2>
                    <ul>
                        {errs
                            .iter()
                            .map(|e| {
                                let href = format!("#{}", field_id(&e.field));
                                view! { <li><a href=href>{error_message(l, e)}</a></li> }
                            })
                            .collect_view()}
                    </ul>
                </div>
            }
        })
    }
}

/// The error line shown above a field's input.
#[component]
pub fn FieldMessage(field: &'static str, errors: ErrorMap) -> impl IntoView {
    let l = crate::use_locale();
    let id = format!("{}-error", field_id(field));
    move || {
        message_for(l, &errors.get(), field).map(|m| {
            view! {
                <p class="field-error" id=id.clone()>
                    <span class="visually-hidden">{t(l, "ข้อผิดพลาด: ", "Error: ")}</span>
                    {m}
                </p>
            }
        })
    }
}

/// `aria-describedby` for a field: its hint and, when present, its error.
pub fn described_by(field: &str, has_hint: bool, has_error: bool) -> String {
    let id = field_id(field);
    let mut parts = Vec::new();
    if has_hint {
        parts.push(format!("{id}-hint"));
    }
    if has_error {
        parts.push(format!("{id}-error"));
    }
    parts.join(" ")
}
