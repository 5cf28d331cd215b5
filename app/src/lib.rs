//! Section 41 claims: the web application (pages, server functions) and the pure domain.
//!
//! Features: `ssr` compiles the server side (backend, server-function bodies, rendering);
//! `hydrate` compiles the browser side. Never both. The domain compiles in either.
//!
//! Leptos runs in islands mode: every page is server-rendered HTML and every link and form
//! is an ordinary page load, exactly as with JavaScript off. Only the petition step forms
//! (`pages::file_claim::steps::StepForm`) are islands that hydrate, to check answers as
//! people type; `behaviour` adds the few page-wide keyboard niceties.

pub mod api;
#[cfg(feature = "ssr")]
pub mod backend;
#[cfg(feature = "hydrate")]
mod behaviour;
pub mod components;
pub mod domain;
pub mod i18n;
pub mod pages;
pub mod views;

use i18n::Locale;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// The HTML document around the app. On the server it also gives Leptos the request's CSP
/// nonce for its own scripts.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let locale = current_locale();
    #[cfg(feature = "ssr")]
    provide_csp_nonce();
    view! {
        <!DOCTYPE html>
        <html lang=locale.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                // The Thai faces, asked for with the stylesheet rather than after it: the
                // stylesheet uses them only if they arrive at once (`font-display: optional`),
                // so text never jumps when a late font swaps in.
                <link rel="preload" href=asset_url("/fonts/sarabun-thai-400-normal.woff2") r#as="font" r#type="font/woff2" crossorigin="anonymous"/>
                <link rel="preload" href=asset_url("/fonts/sarabun-thai-700-normal.woff2") r#as="font" r#type="font/woff2" crossorigin="anonymous"/>
                <BundleScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Plain path of a built file (`/pkg/section41.css`) → the hashed name the server also
/// serves it under (`/pkg/section41.3f9a2c1b7e.css`), which browsers keep for a year. The
/// server provides it to every page; without it pages link the plain names.
#[derive(Clone, Debug, Default)]
pub struct AssetUrls(pub std::sync::Arc<std::collections::HashMap<String, String>>);

impl AssetUrls {
    pub fn url(&self, plain: &str) -> String {
        self.0.get(plain).cloned().unwrap_or_else(|| plain.to_string())
    }
}

fn asset_url(plain: &str) -> String {
    use_context::<AssetUrls>().map_or_else(|| plain.to_string(), |a| a.url(plain))
}

/// Leptos's `HydrationScripts` for islands, but naming the bundle by its hashed names, so
/// a phone that has it once never downloads it again until it changes, and without
/// preloading it: the page is readable and usable without it, so it must not take a slow
/// link's bandwidth from the stylesheet and fonts. The loader script is Leptos's own
/// (`island_script.js`): once the browser is idle it imports the JS, instantiates the WASM
/// and hydrates each island.
#[component]
fn BundleScripts(options: LeptosOptions) -> impl IntoView {
    let pkg = options.site_pkg_dir.to_string();
    let name = options.output_name.to_string();
    // The loader joins `/{pkg}/{name}.js` and `/{pkg}/{name}.wasm`: give it the hashed stems.
    let stem = |ext: &str| {
        let url = asset_url(&format!("/{pkg}/{name}.{ext}"));
        url.rsplit_once('/')
            .map(|(_, file)| file)
            .unwrap_or(&url)
            .trim_end_matches(&format!(".{ext}"))
            .to_string()
    };
    let (js, wasm) = (stem("js"), stem("wasm"));
    // Islands are hydrated by the loader, not by walking the whole document.
    if let Some(sc) = Owner::current_shared_context() {
        sc.set_is_hydrating(false);
    }
    let nonce = leptos::nonce::use_nonce();
    // Its arguments: root (none), pkg dir, JS stem, WASM stem, defer (unused for islands).
    let script = format!(
        "{}(\"\", {pkg:?}, {js:?}, {wasm:?}, false);",
        include_str!("island_script.js")
    );
    view! {
        <script type="module" nonce=nonce>{script}</script>
    }
}

/// The per-request CSP nonce, made by the server's security-headers middleware (which
/// also sends the matching header) and carried in the request's extensions.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

/// Hands the middleware's nonce to Leptos, which puts it on its own scripts.
#[cfg(feature = "ssr")]
fn provide_csp_nonce() {
    if let Some(nonce) =
        use_context::<http::request::Parts>().and_then(|p| p.extensions.get::<CspNonce>().cloned())
    {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
}

/// The visitor's language: the `lang` cookie on the server, the document's `lang` in the
/// browser (which the server wrote), Thai by default.
pub fn current_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|p| {
                backend::cookies::Cookie::Lang
                    .read(&p.headers, false)
                    .and_then(Locale::parse)
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        document_locale()
    }
}

#[cfg(not(feature = "ssr"))]
fn document_locale() -> Locale {
    #[cfg(feature = "hydrate")]
    {
        leptos::prelude::document()
            .document_element()
            .and_then(|e| e.get_attribute("lang"))
            .and_then(|l| Locale::parse(&l))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        Locale::default()
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let locale = current_locale();
    provide_context(locale);
    view! {
        <Stylesheet id="leptos" href=asset_url("/pkg/section41.css")/>
        // Pages set their own title (`pages::title`); this names the service after it.
        <Title
            text=""
            formatter=move |page: String| {
                let site = i18n::t(locale, "เงินช่วยเหลือเบื้องต้น มาตรา 41 – สปสช.", "Section 41 claims – NHSO");
                if page.is_empty() { site.to_string() } else { format!("{page} – {site}") }
            }
        />
        <Router>
            <components::layout::Layout>
                <Routes fallback=|| view! { <pages::not_found::NotFound/> }>
                    <Route path=path!("/") view=pages::home::Home ssr=SsrMode::Async/>
                    <Route path=path!("/offices") view=pages::offices::Offices ssr=SsrMode::Async/>
                    <Route path=path!("/stats") view=pages::stats::Stats ssr=SsrMode::Async/>
                    <Route path=path!("/file") view=pages::file_claim::Start ssr=SsrMode::Async/>
                    <Route path=path!("/file/:draft/done") view=pages::file_claim::confirmation::Confirmation ssr=SsrMode::Async/>
                    <Route path=path!("/file/:draft/check") view=pages::file_claim::check_answers::CheckAnswers ssr=SsrMode::Async/>
                    <Route path=path!("/file/:draft/documents") view=pages::file_claim::documents::Documents ssr=SsrMode::Async/>
                    <Route path=path!("/file/:draft/:step") view=pages::file_claim::steps::StepPage ssr=SsrMode::Async/>
                    <Route path=path!("/check") view=pages::check_claim::CheckClaim ssr=SsrMode::Async/>
                    <Route path=path!("/claim/:reference") view=pages::claim_status::ClaimStatusPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/login") view=pages::staff::login::StaffLogin ssr=SsrMode::Async/>
                    <Route path=path!("/staff/password") view=pages::staff::password::SetPassword ssr=SsrMode::Async/>
                    <Route path=path!("/staff") view=pages::staff::queue::StaffQueue ssr=SsrMode::Async/>
                    <Route path=path!("/staff/claims/:reference") view=pages::staff::case::StaffCase ssr=SsrMode::Async/>
                    <Route path=path!("/staff/file") view=pages::staff::intake::StaffIntake ssr=SsrMode::Async/>
                    <Route path=path!("/staff/meetings") view=pages::staff::meetings::StaffMeetings ssr=SsrMode::Async/>
                    <Route path=path!("/staff/admin") view=pages::staff::admin::StaffAdmin ssr=SsrMode::Async/>
                    <Route path=path!("/staff/reports") view=pages::staff::reports::StaffReports ssr=SsrMode::Async/>
                    <Route path=path!("/staff/payments") view=pages::staff::payments::StaffPayments ssr=SsrMode::Async/>
                </Routes>
            </components::layout::Layout>
        </Router>
    }
}

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    behaviour::install();
    // Lets browser tests (and CSS, if ever needed) know the page is now interactive.
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}

/// The locale provided by `App` on the server; in an island (which hydrates on its own,
/// without `App`'s context) the language the server wrote on the document.
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_else(current_locale)
}
