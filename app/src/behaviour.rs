//! Page-wide keyboard behaviour in the browser, on every page (islands or not).
//!
//! Without JavaScript the browser follows an error summary's `#field` link itself: it
//! scrolls the control to the top edge and focuses it, leaving its label or legend out of
//! sight. With JavaScript we do what GOV.UK's error summary does: bring the question (the
//! legend of a radio group or date, otherwise the label) into view and focus the control.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, FocusOptions, HtmlElement, MouseEvent};

pub fn install() {
    // Dropping the handle would not remove the listener; it lives as long as the page.
    let _ = window_event_listener(ev::click, on_click);
}

fn on_click(ev: MouseEvent) {
    if ev.default_prevented() || ev.button() != 0 || ev.ctrl_key() || ev.meta_key() {
        return;
    }
    let Some(link) = ev
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .and_then(|e| e.closest(".error-summary a[href^='#']").ok().flatten())
    else {
        return;
    };
    let id = link.get_attribute("href").unwrap_or_default();
    let Some(control) = document().get_element_by_id(id.trim_start_matches('#')) else {
        return;
    };
    ev.prevent_default();
    if let Some(question) = question_of(&control) {
        question.scroll_into_view();
    } else {
        control.scroll_into_view();
    }
    if let Ok(control) = control.dyn_into::<HtmlElement>() {
        let options = FocusOptions::new();
        options.set_prevent_scroll(true);
        let _ = control.focus_with_options(&options);
    }
}

/// The text that asks for this control: the legend of its group when it is one of several
/// boxes answering one question (radios, checkboxes, a date's day/month/year), otherwise
/// its own label.
fn question_of(control: &Element) -> Option<Element> {
    let grouped = matches!(
        control.get_attribute("type").as_deref(),
        Some("radio" | "checkbox")
    ) || control.closest(".date-input").ok().flatten().is_some();
    if grouped {
        if let Some(legend) = control
            .closest("fieldset")
            .ok()
            .flatten()
            .and_then(|f| f.query_selector("legend").ok().flatten())
        {
            return Some(legend);
        }
    }
    let id = control.id();
    document()
        .query_selector(&format!("label[for='{id}']"))
        .ok()
        .flatten()
}
