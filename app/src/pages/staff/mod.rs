//! Staff pages: sign-in, the queue, the case page. The server decides what each person may
//! see; these pages only render what their server functions return.

pub mod actions;
pub mod case;
pub mod login;
pub mod queue;

use crate::i18n::{t, Locale};
use leptos::prelude::*;

/// Shown when a staff page is opened without a live session.
pub fn sign_in_first(l: Locale) -> AnyView {
    crate::pages::set_status(401);
    view! {
        <h1>{t(l, "โปรดเข้าสู่ระบบ", "Please sign in")}</h1>
        <p><a href="/staff/login" class="button">{t(l, "เข้าสู่ระบบเจ้าหน้าที่", "Staff sign-in")}</a></p>
    }
    .into_any()
}

/// The signed-in person's name and a sign-out button (a POST carrying the CSRF token).
pub fn staff_bar(l: Locale, me: &crate::api::types::StaffIdentity) -> impl IntoView {
    let roles = me
        .grants
        .iter()
        .map(|g| {
            let name = if l == Locale::Th { g.role.label_th() } else { g.role.label_en() };
            match g.region {
                Some(r) => format!("{name} {} {}", t(l, "เขต", "region"), r.number()),
                None => name.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <div class="staff-bar">
            <p><strong>{me.display_name.clone()}</strong>" · "{roles}</p>
            <form method="post" action="/staff/logout" class="inline-form">
                <input type="hidden" name="csrf" value=me.csrf_token.clone()/>
                <button type="submit" class="link-button">{t(l, "ออกจากระบบ", "Sign out")}</button>
            </form>
        </div>
    }
}
