use crate::i18n::t;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn StaffLogin() -> impl IntoView {
    let l = crate::use_locale();
    let error = use_query_map().read_untracked().get("e");
    let password_set = use_query_map().read_untracked().get("password").is_some();
    let message = match error.as_deref() {
        Some("throttled") => {
            crate::pages::set_status(429);
            Some(t(
                l,
                "ลองผิดหลายครั้งเกินไป โปรดรอ 15 นาที",
                "Too many tries. Wait 15 minutes.",
            ))
        }
        Some(_) => Some(t(
            l,
            "อีเมลหรือรหัสผ่านไม่ถูกต้อง",
            "The email or password is not right",
        )),
        None => None,
    };
    view! {
        {message.map(|m| view! {
            <div class="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="error-summary-title">
                <h2 id="error-summary-title">{t(l, "มีข้อมูลที่ต้องแก้ไข", "There is a problem")}</h2>
                <ul><li><a href="#email">{m}</a></li></ul>
            </div>
        })}
        {password_set.then(|| view! { <div class="notice" role="status" id="password-set"><p>{t(l, "ตั้งรหัสผ่านแล้ว เข้าสู่ระบบได้เลย", "Your password is set. You can sign in now.")}</p></div> })}
        {crate::pages::heading(l, "เข้าสู่ระบบ\u{200B}เจ้าหน้าที่", "Staff sign-in", error.is_some())}
        <form method="post" action="/staff/login" novalidate>
            <div class="form-group">
                <label class="label" for="email">{t(l, "อีเมล", "Email")}</label>
                <input class="input" id="email" name="email" type="email" autocomplete="username" spellcheck="false"/>
            </div>
            <div class="form-group">
                <label class="label" for="password">{t(l, "รหัสผ่าน", "Password")}</label>
                <input class="input" id="password" name="password" type="password" autocomplete="current-password"/>
            </div>
            <button type="submit" class="button">{t(l, "เข้าสู่ระบบ", "Sign in")}</button>
        </form>
    }
}
