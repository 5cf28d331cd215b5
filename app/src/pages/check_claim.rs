//! "Check my claim": reference and access code open the claim's status page. A wrong code
//! and an unknown reference get the same answer.

use crate::i18n::t;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CheckClaim() -> impl IntoView {
    let l = crate::use_locale();
    let q = use_query_map();
    let error = q.read_untracked().get("e");
    let reference = q.read_untracked().get("ref").unwrap_or_default();
    let message = match error.as_deref() {
        Some("throttled") => {
            super::set_status(429);
            Some(t(
                l,
                "ลองผิดหลายครั้งเกินไป โปรดรอ 15 นาทีแล้วลองใหม่ หรือโทร 1330",
                "Too many tries. Wait 15 minutes and try again, or call 1330.",
            ))
        }
        Some("missing") => Some(t(
            l,
            "โปรดกรอกเลขที่อ้างอิงและรหัสเข้าถึง",
            "Enter the reference number and the access code",
        )),
        Some(_) => Some(t(
            l,
            "เลขที่อ้างอิงหรือรหัสเข้าถึงไม่ถูกต้อง โปรดตรวจสอบอีกครั้ง",
            "The reference number or access code is not right. Check them and try again.",
        )),
        None => None,
    };
    let has_err = message.is_some();
    view! {
        {message.map(|m| view! {
            <div class="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="error-summary-title">
                <h2 id="error-summary-title">{t(l, "มีข้อมูลที่ต้องแก้ไข", "There is a problem")}</h2>
                <ul><li><a href="#reference">{m}</a></li></ul>
            </div>
        })}
        {crate::pages::heading(l, "ตรวจสอบ\u{200B}สถานะ\u{200B}คำร้อง", "Check your claim", has_err)}
        <p>{t(l, "ใช้เลขที่อ้างอิงและรหัสเข้าถึงที่ได้รับเมื่อยื่นคำร้อง", "Use the reference number and access code you got when you applied.")}</p>
        <form method="post" action="/check" novalidate>
            <div class="form-group" class:has-error=has_err>
                <label class="label" for="reference">{t(l, "เลขที่อ้างอิง", "Reference number")}</label>
                <p class="hint" id="reference-hint">{t(l, "เช่น S41-2569-7KQ4M2", "For example S41-2569-7KQ4M2")}</p>
                <input class="input width-13" id="reference" name="reference" type="text" value=reference autocomplete="off" spellcheck="false"
                    autocapitalize="characters" aria-describedby="reference-hint" aria-invalid=has_err.to_string()/>
            </div>
            <div class="form-group" class:has-error=has_err>
                <label class="label" for="access_code">{t(l, "รหัสเข้าถึง", "Access code")}</label>
                <p class="hint" id="access_code-hint">{t(l, "8 ตัวอักษร เช่น 7KQ4-M2XD", "8 characters, for example 7KQ4-M2XD")}</p>
                <input class="input width-13" id="access_code" name="access_code" type="text" autocomplete="off" spellcheck="false"
                    autocapitalize="characters" aria-describedby="access_code-hint" aria-invalid=has_err.to_string()/>
            </div>
            <button type="submit" class="button">{t(l, "ตรวจสอบ", "Check")}</button>
        </form>
        <p>{t(l, "ลืมรหัสเข้าถึง? โทร 1330", "Lost your access code? Call 1330.")}</p>
    }
}
