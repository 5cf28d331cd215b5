//! The multi-step petition form. Every step is a plain HTML form that posts to the server
//! (so it works without JavaScript); when hydrated, fields are also checked as people type
//! with the same domain rules the server applies.

pub mod check_answers;
pub mod confirmation;
pub mod documents;
pub mod steps;

use crate::api::{get_draft, types::DraftView};
use crate::i18n::t;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// "Before you start": creates a draft on the server and goes to the first step.
#[component]
pub fn Start() -> impl IntoView {
    let l = crate::use_locale();
    let throttled = leptos_router::hooks::use_query_map()
        .read_untracked()
        .get("e")
        .is_some_and(|e| e == "throttled");
    if throttled {
        crate::pages::set_status(429);
    }
    view! {
        {throttled.then(|| view! {
            <div class="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="error-summary-title">
                <h2 id="error-summary-title">{t(l, "มีข้อมูลที่ต้องแก้ไข", "There is a problem")}</h2>
                <p>{t(l, "มีการเริ่มแบบฟอร์มใหม่จากเครื่องนี้หลายครั้งเกินไป โปรดรอ 15 นาทีแล้วลองใหม่ หรือโทร 1330",
                    "Too many forms were started from this device. Wait 15 minutes and try again, or call 1330.")}</p>
            </div>
        })}
        {crate::pages::heading(l, "ยื่น\u{200B}คำร้อง\u{200B}ขอรับ\u{200B}เงินช่วยเหลือ\u{200B}เบื้องต้น", "Apply for preliminary assistance", throttled)}
        <p>{t(l, "แบบฟอร์มมี 5 ขั้นตอน ท่านตรวจทานคำตอบทั้งหมดได้ก่อนส่ง", "The form has 5 steps. You can check all your answers before you send them.")}</p>
        <p>{t(l, "แบบฟอร์มที่ยังไม่ส่งจะถูกลบเมื่อไม่มีการแก้ไข 3 วัน", "Forms not sent are deleted after 3 days without changes.")}</p>
        <ol class="list list-number">
            <li>{t(l, "ผู้ยื่นคำร้อง", "Who is applying")}</li>
            <li>{t(l, "ผู้ได้รับความเสียหาย", "The person who was harmed")}</li>
            <li>{t(l, "การรักษาและวันที่", "Treatment and dates")}</li>
            <li>{t(l, "ความเสียหายและภาระ", "The harm and its burden")}</li>
            <li>{t(l, "เอกสารประกอบ", "Documents")}</li>
        </ol>
        <form method="post" action="/file/start">
            <button type="submit" class="button button-start">{t(l, "เริ่มกรอกแบบฟอร์ม", "Start the form")}</button>
        </form>
    }
}

/// Loads the draft named in the URL and renders `body` with it, or a helpful "not found".
pub fn with_draft<V, F>(body: F) -> impl IntoView
where
    F: Fn(DraftView) -> V + Send + Sync + Clone + 'static,
    V: IntoView + 'static,
{
    let params = use_params_map();
    let id = move || params.read().get("draft").unwrap_or_default();
    let draft = Resource::new(id, get_draft);
    let l = crate::use_locale();
    view! {
        <Suspense fallback=move || view! { <p>{t(l, "กำลังโหลด…", "Loading…")}</p> }>
            {move || {
                let body = body.clone();
                draft.get().map(move |r| match r {
                    Ok(d) => body(d).into_any(),
                    Err(_) => {
                        crate::pages::set_status(404);
                        view! {
                            {crate::pages::heading(l, "ไม่พบ\u{200B}แบบฟอร์ม\u{200B}นี้", "We cannot find this form", false)}
                            <p>{t(l, "แบบฟอร์มที่ยังไม่ส่งจะถูกลบเมื่อไม่มีการแก้ไข 3 วัน", "Forms not sent are deleted after 3 days without changes.")}</p>
                            <p><a href="/file">{t(l, "เริ่มใหม่", "Start again")}</a></p>
                        }.into_any()
                    }
                })
            }}
        </Suspense>
    }
}

/// A short "Step n of 5" caption.
pub fn step_caption(l: crate::i18n::Locale, n: usize) -> String {
    match l {
        crate::i18n::Locale::Th => format!("ขั้นตอนที่ {n} จาก 5"),
        crate::i18n::Locale::En => format!("Step {n} of 5"),
    }
}
