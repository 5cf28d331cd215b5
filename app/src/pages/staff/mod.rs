//! Staff pages: sign-in, the queue, the case page. The server decides what each person may
//! see; these pages only render what their server functions return.

pub mod actions;
pub mod admin;
pub mod case;
pub mod consistency;
pub mod intake;
pub mod login;
pub mod meetings;
pub mod password;
pub mod payments;
pub mod queue;
pub mod reports;

use crate::i18n::{t, Locale};
use leptos::prelude::*;

/// Shown when a staff page is opened without a live session.
pub fn sign_in_first(l: Locale) -> AnyView {
    crate::pages::set_status(401);
    view! {
        {crate::pages::heading(l, "โปรด\u{200B}เข้าสู่ระบบ", "Please sign in", false)}
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
            let name = if l == Locale::Th {
                g.role.label_th()
            } else {
                g.role.label_en()
            };
            match (g.province, g.region) {
                (Some(p), _) if l == Locale::Th => format!("{name}{}", p.province().name_th),
                (Some(p), _) => format!("{name}, {}", p.province().name_en),
                (None, Some(r)) => format!("{name} {} {}", t(l, "เขต", "region"), r.number()),
                (None, None) => name.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <div class="staff-bar">
            <p><strong>{me.display_name.clone()}</strong>" · "{roles}</p>
            <nav aria-label=t(l, "เมนูเจ้าหน้าที่", "Staff menu") class="staff-nav">
                <a href="/staff">{t(l, "รายการคำร้อง", "Claims")}</a>
                {me.grants.iter().any(|g| !matches!(g.role, crate::domain::access::Role::Admin)).then(|| view! { <a href="/staff/reports">{t(l, "รายงาน", "Reports")}</a> })}
                {me.grants.iter().any(|g| matches!(g.role, crate::domain::access::Role::RegionalOfficer | crate::domain::access::Role::Reviewer)).then(|| view! { <a href="/staff/meetings">{t(l, "การประชุม", "Meetings")}</a> })}
                {crate::domain::access::filing_scope(&me.grants).is_some().then(|| view! { <a href="/staff/file" id="file-for-someone">{t(l, "ยื่นคำร้องแทนผู้ร้อง", "File for someone")}</a> })}
                {me.grants.iter().any(|g| g.role == crate::domain::access::Role::RegionalOfficer).then(|| view! { <a href="/staff/payments">{t(l, "การโอนเงิน", "Payments")}</a> })}
                {me.grants.iter().any(|g| g.role == crate::domain::access::Role::Admin).then(|| view! { <a href="/staff/admin">{t(l, "ผู้ดูแลระบบ", "Administration")}</a> })}
            </nav>
            <form method="post" action="/staff/logout" class="inline-form">
                <input type="hidden" name="csrf" value=me.csrf_token.clone()/>
                <button type="submit" class="link-button">{t(l, "ออกจากระบบ", "Sign out")}</button>
            </form>
        </div>
    }
}

/// A due date with its flag ("overdue", "due soon") in words, not colour alone.
/// A decision with no proof yet that the claimant received it, past the day it was due.
pub fn receipt_tag(l: Locale, by: chrono::NaiveDate) -> impl IntoView {
    view! {
        <p class="due-tag overdue" data-receipt-by=by.to_string()>
            <strong>{t(l, "ยังไม่มีหลักฐานรับแจ้งผล", "No proof of receipt")}</strong>
            {t(l, " ครบกำหนด ", " – due ")}{l.date(by)}
        </p>
    }
}

pub fn due_tag(l: Locale, due: chrono::NaiveDate, today: chrono::NaiveDate) -> impl IntoView {
    use crate::domain::deadlines::{flag, DueFlag};
    let (class, word) = match flag(due, today) {
        DueFlag::Overdue => ("due-tag overdue", t(l, "เกินกำหนด", "Overdue")),
        DueFlag::DueSoon => ("due-tag due-soon", t(l, "ใกล้ครบกำหนด", "Due soon")),
        DueFlag::OnTrack => ("due-tag", t(l, "กำหนด", "Due")),
    };
    view! { <p class=class data-due=due.to_string()><strong>{word}</strong>" "{l.date(due)}</p> }
}
