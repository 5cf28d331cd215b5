use crate::i18n::t;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    let l = crate::use_locale();
    super::set_status(404);
    view! {
        {crate::pages::heading(l, "ไม่พบ\u{200B}หน้า\u{200B}นี้", "Page not found", false)}
        <p>{t(l, "หากพิมพ์ที่อยู่เว็บเอง โปรดตรวจสอบว่าถูกต้อง", "If you typed the web address, check it is correct.")}</p>
        <p><a href="/">{t(l, "กลับหน้าแรก", "Go to the start page")}</a></p>
    }
}
