use crate::i18n::t;
use crate::use_locale;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Header with the service name and the language switch, the main region, and a footer
/// with the hotline.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let l = use_locale();
    let location = use_location();
    let switch_href = move || {
        let path = location.pathname.get();
        let query = location.search.get();
        let next = if query.is_empty() {
            path
        } else {
            format!("{path}?{query}")
        };
        format!("/lang/{}?next={}", l.other().code(), urlencode(&next))
    };
    view! {
        <a href="#main" class="skip-link">{t(l, "ข้ามไปยังเนื้อหาหลัก", "Skip to main content")}</a>
        <header class="site-header">
            <div class="wrap header-row">
                <a href="/" class="service-name">{t(l, "เงินช่วยเหลือเบื้องต้น มาตรา 41", "Section 41 preliminary assistance")}</a>
                <nav aria-label=t(l, "เมนูหลัก", "Main menu") class="header-nav">
                    <a href="/file">{t(l, "ยื่นคำร้อง", "File a claim")}</a>
                    <a href="/check">{t(l, "ตรวจสอบสถานะ", "Check a claim")}</a>
                    <a href="/offices">{t(l, "สำนักงานเขต", "Regional offices")}</a>
                    <a href=switch_href class="lang-switch" lang=l.other().code() hreflang=l.other().code()>
                        {t(l, "English", "ภาษาไทย")}
                    </a>
                </nav>
            </div>
        </header>
        <main id="main" class="wrap" tabindex="-1">{children()}</main>
        <footer class="site-footer">
            <div class="wrap">
                <p>
                    {t(l, "สอบถามหรือขอคำแนะนำ: สายด่วน สปสช. ", "Questions or advice: NHSO hotline ")}
                    <a href="tel:1330">"1330"</a>
                    {t(l, " (โทรฟรี ตลอด 24 ชั่วโมง)", " (free, 24 hours)")}
                </p>
                <p><a href="/stats">{t(l, "สถิติคำร้องมาตรา 41 และข้อมูลเปิด", "Section 41 statistics and open data")}</a></p>
                <p class="muted">{t(l, "ข้อมูลสุขภาพของท่านได้รับการคุ้มครองตาม พ.ร.บ. คุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562", "Your health information is protected under the Personal Data Protection Act B.E. 2562 (2019).")}</p>
            </div>
        </footer>
    }
}

/// Percent-encodes a path for use as a query value.
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
