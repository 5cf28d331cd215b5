//! Setting a staff account's password from the one-time link mailed to its owner. A plain
//! form: it works without JavaScript.

use crate::domain::{ErrorCode, FieldError};
use crate::i18n::{error_message, t};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SetPassword() -> impl IntoView {
    let l = crate::use_locale();
    let query = use_query_map();
    let token = query.read_untracked().get("t").unwrap_or_default();
    let error = query.read_untracked().get("e");
    let problem = match error.as_deref() {
        Some("expired") => Some((
            "password",
            t(
                l,
                "ลิงก์นี้ใช้ไม่ได้แล้ว (หมดอายุหรือใช้ไปแล้ว) โปรดขอให้ผู้ดูแลระบบส่งลิงก์ใหม่จากหน้าผู้ดูแลระบบ",
                "This link no longer works (it ran out or was used). Ask an administrator to send a new one from the admin page.",
            )
            .to_string(),
        )),
        Some("short") => Some((
            "password",
            error_message(l, &FieldError::new("password", ErrorCode::TooShort { min: 12 })),
        )),
        Some("differ") => Some((
            "password_again",
            error_message(l, &FieldError::new("password_again", ErrorCode::PasswordsDiffer)),
        )),
        _ => None,
    };
    if problem.is_some() {
        crate::pages::set_status(422);
    }
    let has = |f: &str| problem.as_ref().is_some_and(|(p, _)| *p == f);
    let (pw_error, again_error) = (has("password"), has("password_again"));
    let message = problem.as_ref().map(|(_, m)| m.clone());
    view! {
        {problem.clone().map(|(field, m)| view! {
            <div class="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="error-summary-title">
                <h2 id="error-summary-title">{t(l, "มีข้อมูลที่ต้องแก้ไข", "There is a problem")}</h2>
                <ul><li><a href=format!("#{field}")>{m}</a></li></ul>
            </div>
        })}
        {crate::pages::heading(l, "ตั้ง\u{200B}รหัสผ่าน", "Set your password", error.is_some())}
        <p>{t(l, "รหัสผ่านต้องมีอย่างน้อย 12 ตัวอักษร ลิงก์นี้ใช้ได้ครั้งเดียว", "At least 12 characters. This link works once.")}</p>
        <form method="post" action="/staff/password" novalidate>
            <input type="hidden" name="t" value=token/>
            <div class="form-group" class:has-error=pw_error>
                <label class="label" for="password">{t(l, "รหัสผ่านใหม่", "New password")}</label>
                {pw_error.then(|| view! { <p class="error-message" id="password-error">{message.clone()}</p> })}
                <input class="input" id="password" name="password" type="password" autocomplete="new-password" aria-invalid=pw_error.then_some("true") aria-describedby=pw_error.then_some("password-error")/>
            </div>
            <div class="form-group" class:has-error=again_error>
                <label class="label" for="password_again">{t(l, "พิมพ์รหัสผ่านอีกครั้ง", "Type it again")}</label>
                {again_error.then(|| view! { <p class="error-message" id="password_again-error">{message.clone()}</p> })}
                <input class="input" id="password_again" name="password_again" type="password" autocomplete="new-password" aria-invalid=again_error.then_some("true") aria-describedby=again_error.then_some("password_again-error")/>
            </div>
            <button type="submit" class="button">{t(l, "ตั้งรหัสผ่าน", "Set the password")}</button>
        </form>
    }
}
