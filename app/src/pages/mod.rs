//! One module per page.

pub mod check_claim;
pub mod claim_status;
pub mod file_claim;
pub mod home;
pub mod not_found;
pub mod offices;
pub mod payment;
pub mod staff;
pub mod stats;

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
    )
    .replace(WORD_BREAK, "");
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
        {h1(l, th, en, !has_errors)}
    }
}

/// Where a Thai heading may break a line. Thai is written without spaces between words and
/// the browser's dictionary breaks inside compounds ("ความเสีย|หาย"), so a heading's Thai
/// text marks its word boundaries with U+200B; between marks and spaces nothing breaks.
pub const WORD_BREAK: char = '\u{200B}';

/// A page's `<h1>`. It takes focus as the page opens (`focus`, unless an error summary or a
/// confirmation should have it instead), so a keyboard or screen-reader user starts at the
/// new page's heading after every link or form, with or without JavaScript.
pub fn h1(
    l: crate::i18n::Locale,
    th: &'static str,
    en: &'static str,
    focus: bool,
) -> impl leptos::IntoView {
    use leptos::prelude::*;
    view! { <h1 tabindex="-1" autofocus=focus>{words(crate::i18n::t(l, th, en))}</h1> }
}

/// Text with `WORD_BREAK` marks as unbreakable words with break opportunities between them;
/// text without marks as it is.
pub fn words(text: &'static str) -> leptos::prelude::AnyView {
    use leptos::prelude::*;
    if !text.contains(WORD_BREAK) {
        return text.into_any();
    }
    let mut parts = Vec::new();
    for (i, phrase) in text.split(' ').enumerate() {
        if i > 0 {
            parts.push(" ".into_any());
        }
        for (j, word) in phrase
            .split(WORD_BREAK)
            .filter(|w| !w.is_empty())
            .enumerate()
        {
            if j > 0 {
                parts.push(view! { <wbr/> }.into_any());
            }
            parts.push(view! { <span class="word">{word}</span> }.into_any());
        }
    }
    parts.into_any()
}

/// A figure withheld (too few claims, or one that would give such a figure away): a dash
/// to the eye, words to a screen reader.
pub fn withheld(words: &'static str) -> leptos::prelude::AnyView {
    use leptos::prelude::*;
    view! {
        <span aria-hidden="true">"–"</span>
        <span class="visually-hidden">{words}</span>
    }
    .into_any()
}
