//! One module per page.

pub mod check_claim;
pub mod claim_status;
pub mod file_claim;
pub mod home;
pub mod not_found;
pub mod offices;
pub mod staff;

/// Sets the HTTP status of the page being rendered (server only; a no-op in the browser).
pub fn set_status(_code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(r), Ok(s)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(_code),
    ) {
        r.set_status(s);
    }
}

/// The page's own `<title>` (WCAG 2.4.2: each page says what it is); the site name is added by
/// `App`'s formatter. A page showing an error summary says so first, as GOV.UK pages do, so a
/// screen-reader user hears at once that the form came back.
pub fn title(
    l: crate::i18n::Locale,
    th: &str,
    en: &str,
    has_errors: bool,
) -> impl leptos::IntoView {
    let text: String = format!(
        "{}{}",
        if has_errors {
            crate::i18n::t(l, "ข้อผิดพลาด: ", "Error: ")
        } else {
            ""
        },
        if l == crate::i18n::Locale::Th { th } else { en }
    );
    leptos::view! { <leptos_meta::Title text=text/> }
}

/// A page's `<h1>` and its matching `<title>` (see `title`), from one pair of strings so the
/// two cannot drift apart.
pub fn heading(
    l: crate::i18n::Locale,
    th: &'static str,
    en: &'static str,
    has_errors: bool,
) -> impl leptos::IntoView {
    use leptos::prelude::*;
    view! {
        {title(l, th, en, has_errors)}
        <h1>{crate::i18n::t(l, th, en)}</h1>
    }
}
