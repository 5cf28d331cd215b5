//! Step 5: optional supporting documents (ID card or birth certificate copy, power of
//! attorney, anything else useful). One file per upload so it works without JavaScript.

use super::steps::already_sent;
use super::{step_caption, with_draft};
use crate::api::types::DraftView;
use crate::components::form::ErrorSummary;
use crate::domain::petition::Step;
use crate::i18n::{error_message, t};
use leptos::prelude::*;

#[component]
pub fn Documents() -> impl IntoView {
    with_draft(documents_page)
}

fn documents_page(d: DraftView) -> impl IntoView {
    let l = crate::use_locale();
    if let Some(reference) = d.reference.clone() {
        return already_sent(l, &d.id, &reference).into_any();
    }
    let doc_errors: Vec<_> = d
        .errors
        .iter()
        .filter(|e| e.field == "documents")
        .cloned()
        .collect();
    let has_err = !doc_errors.is_empty();
    let message = doc_errors.first().map(|e| error_message(l, e));
    let errors = Signal::stored(doc_errors);
    let upload = format!("/file/{}/documents", d.id);
    let next = format!("/file/{}/check", d.id);
    let back = format!("/file/{}/{}", d.id, Step::Damage.slug());
    let id = d.id.clone();
    view! {
        <a href=back class="back-link">{t(l, "ย้อนกลับ", "Back")}</a>
        <ErrorSummary errors/>
        <p class="caption">{step_caption(l, Step::Documents.number())}</p>
        {crate::pages::heading(l, "เอกสาร\u{200B}ประกอบ", "Supporting documents", has_err)}
        <p>{t(l,
            "แนบสำเนาบัตรประชาชนหรือสูติบัตรของผู้ได้รับความเสียหาย หนังสือมอบอำนาจ (ถ้ายื่นแทน) และเอกสารอื่นที่เป็นประโยชน์ ไม่แนบตอนนี้ก็ได้ เจ้าหน้าที่จะติดต่อขอภายหลัง",
            "Attach a copy of the harmed person's ID card or birth certificate, a power of attorney if you apply for someone, and anything else useful. You can skip this; staff will ask later.")}</p>
        {(!d.documents.is_empty()).then(|| view! {
            <h2>{t(l, "ไฟล์ที่แนบแล้ว", "Files attached")}</h2>
            <ul class="file-list">
                {d.documents.iter().map(|doc| {
                    let remove = format!("/file/{}/documents/{}/delete", id, doc.id);
                    let label = format!("{} ({} KB)", doc.filename, (doc.size_bytes + 1023) / 1024);
                    view! {
                        <li>
                            <span>{label}</span>
                            <form method="post" action=remove class="inline-form">
                                <button type="submit" class="link-button">{t(l, "ลบ", "Remove")}<span class="visually-hidden">{format!(" {}", doc.filename)}</span></button>
                            </form>
                        </li>
                    }
                }).collect_view()}
            </ul>
        })}
        <form method="post" action=upload enctype="multipart/form-data" novalidate>
            <div class="form-group" class:has-error=has_err>
                <label class="label" for="documents">{t(l, "เลือกไฟล์", "Choose a file")}</label>
                <p class="hint" id="documents-hint">{t(l, "PDF, JPG หรือ PNG ขนาดไม่เกิน 10 MB ต่อไฟล์ ไม่เกิน 10 ไฟล์", "PDF, JPG or PNG, up to 10 MB each, up to 10 files")}</p>
                {message.map(|m| view! { <p class="field-error" id="documents-error"><span class="visually-hidden">{t(l, "ข้อผิดพลาด: ", "Error: ")}</span>{m}</p> })}
                <input class="file-upload" id="documents" name="file" type="file" accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
                    aria-describedby=if has_err { "documents-hint documents-error" } else { "documents-hint" }/>
            </div>
            <button type="submit" class="button button-secondary">{t(l, "อัปโหลดไฟล์", "Upload file")}</button>
        </form>
        <p><a href=next class="button">{t(l, "ไปต่อ", "Continue")}</a></p>
    }
    .into_any()
}
