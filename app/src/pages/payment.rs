//! The payment part of a claim's page, for the claimant and for staff: the account the money
//! goes to (masked), where the transfer stands, and the form that gives the account.

use crate::domain::payments::Bank;
use crate::i18n::{t, Locale};
use crate::views::{AccountShown, PaymentView};
use leptos::prelude::*;

/// The account as given: bank, number (masked unless shown whole), holder, who gave it.
pub fn account_summary(l: Locale, a: &AccountShown) -> impl IntoView {
    let bank = Bank::by_code(&a.bank_code).map_or(a.bank_code.clone(), |b| b.name(l == Locale::Th).to_string());
    let number = a.full_number.clone().unwrap_or_else(|| a.masked.clone());
    view! {
        <dl class="summary-list" id="account">
            <div><dt>{t(l, "ธนาคาร", "Bank")}</dt><dd>{bank}</dd></div>
            <div><dt>{t(l, "เลขที่บัญชี", "Account number")}</dt><dd id="account-number" data-full=a.full_number.is_some().to_string()>{number}</dd></div>
            <div><dt>{t(l, "ชื่อบัญชี", "Name on the account")}</dt><dd>{a.holder.clone()}</dd></div>
            <div><dt>{t(l, "แจ้งโดย", "Given by")}</dt><dd>{if a.given_by_claimant { t(l, "ผู้ยื่นคำร้อง", "the claimant") } else { t(l, "เจ้าหน้าที่ (จากคำร้อง)", "staff, from the petition") }}" · "{l.time(a.given_at)}</dd></div>
        </dl>
    }
}

/// Where the transfer stands: with the bank, or failed (and why).
pub fn transfer_state(l: Locale, p: &PaymentView) -> impl IntoView {
    view! {
        {p.in_batch.clone().map(|label| view! {
            <p id="in-batch">{t(l, "ส่งรายการโอนเงินให้ธนาคารแล้ว รอผลการโอน", "The transfer has been sent to the bank; waiting for its result")}" ("{label}")"</p>
        })}
        {p.failed.clone().map(|(reason, on)| view! {
            <div class="warning-box" id="transfer-failed">
                <h3>{t(l, "โอนเงินไม่สำเร็จ", "The transfer did not go through")}</h3>
                <p>{t(l, "ธนาคารแจ้งว่า: ", "The bank said: ")}{reason}{on.map(|d| format!(" ({})", l.date(d)))}</p>
                <p>{t(l, "โปรดตรวจสอบและแจ้งบัญชีธนาคารอีกครั้ง", "Check the account and give it again.")}</p>
            </div>
        })}
    }
}

/// The three fields of an account. `error` gives a field's message, if it came back with one;
/// the number and the name are never filled back in (they are not kept in the address).
pub fn account_fields(
    l: Locale,
    prefix: &str,
    bank: Option<String>,
    error: impl Fn(&str) -> Option<String>,
) -> impl IntoView {
    let field = |name: &'static str, label: &'static str, hint: Option<&'static str>, control: AnyView| {
        let id = format!("{prefix}-{name}");
        let message = error(name);
        let has_error = message.is_some();
        view! {
            <div class="form-group" class:has-error=has_error>
                <label class="label" for=id.clone()>{label}</label>
                {hint.map(|h| view! { <p class="hint" id=format!("{id}-hint")>{h}</p> })}
                {message.map(|m| view! {
                    <p class="field-error" id=format!("{id}-error")><span class="visually-hidden">{t(l, "ข้อผิดพลาด: ", "Error: ")}</span>{m}</p>
                })}
                {control}
            </div>
        }
    };
    let invalid = |name: &str| error(name).map(|_| "true");
    let described = |name: &str, hint: bool| {
        let id = format!("{prefix}-{name}");
        let parts: Vec<String> = [hint.then(|| format!("{id}-hint")), error(name).map(|_| format!("{id}-error"))]
            .into_iter()
            .flatten()
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    };
    let thai = l == Locale::Th;
    let selected = bank.unwrap_or_default();
    view! {
        {field("bank_code", t(l, "ธนาคาร", "Bank"), None, view! {
            <select class="select" id=format!("{prefix}-bank_code") name="bank_code" aria-invalid=invalid("bank_code") aria-describedby=described("bank_code", false)>
                <option value="">{t(l, "เลือกธนาคาร", "Choose a bank")}</option>
                {Bank::ALL.iter().map(|b| view! { <option value=b.code selected=selected == b.code>{b.name(thai)}</option> }).collect_view()}
            </select>
        }.into_any())}
        {field("account_number", t(l, "เลขที่บัญชี", "Account number"), Some(t(l, "ตัวเลขตามสมุดบัญชี เช่น 123-4-56789-0", "The digits in your bank book, like 123-4-56789-0")), view! {
            <input class="input input-width-20" id=format!("{prefix}-account_number") name="account_number" type="text" inputmode="numeric" autocomplete="off" spellcheck="false"
                aria-invalid=invalid("account_number") aria-describedby=described("account_number", true)/>
        }.into_any())}
        {field("account_holder", t(l, "ชื่อบัญชี", "Name on the account"), Some(t(l, "ตามที่ปรากฏในสมุดบัญชี", "As it appears in the bank book")), view! {
            <input class="input" id=format!("{prefix}-account_holder") name="account_holder" type="text" autocomplete=if prefix == "account" { "name" } else { "off" }
                aria-invalid=invalid("account_holder") aria-describedby=described("account_holder", true)/>
        }.into_any())}
    }
}

/// The claimant's payment section on their status page.
pub fn claimant_section(
    l: Locale,
    reference: &str,
    p: &PaymentView,
    errors: &[crate::domain::FieldError],
    bank: Option<String>,
    said: Option<&str>,
) -> AnyView {
    let owned = errors.to_vec();
    let message = move |name: &str| crate::components::form::message_for(l, &owned, name);
    let summary = (!errors.is_empty()).then(|| view! {
        <div class="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="account-errors-title">
            <h2 id="account-errors-title">{t(l, "มีข้อมูลที่ต้องแก้ไข", "There is a problem")}</h2>
            <ul class="error-summary-list">
                {errors.iter().map(|e| view! { <li><a href=format!("#account-{}", e.field)>{crate::i18n::error_message(l, e)}</a></li> }).collect_view()}
            </ul>
        </div>
    });
    view! {
        <section id="payment" aria-labelledby="payment-title">
            <h2 id="payment-title">{t(l, "บัญชีสำหรับรับเงิน", "Account for the payment")}</h2>
            {match said {
                Some("saved") => Some(view! { <div class="notice" role="status" id="account-saved" tabindex="-1" autofocus><p>{t(l, "บันทึกบัญชีแล้ว", "Account saved")}</p></div> }.into_any()),
                Some("held") => Some(view! { <div class="warning-box" role="alert" id="account-held" tabindex="-1" autofocus><p>{t(l, "เปลี่ยนบัญชีไม่ได้ในขณะนี้ รายการโอนอยู่ที่ธนาคารแล้ว หากบัญชีไม่ถูกต้อง โปรดโทร 1330", "The account cannot be changed now: the transfer is with the bank. If the account is wrong, call 1330.")}</p></div> }.into_any()),
                _ => None,
            }}
            {summary}
            {transfer_state(l, p)}
            {match &p.account {
                Some(a) => account_summary(l, a).into_any(),
                None if p.can_give => view! { <p id="no-account">{t(l, "โปรดแจ้งบัญชีธนาคารที่ต้องการรับเงิน เงินจะโอนเข้าบัญชีนี้เท่านั้น", "Give the bank account the money should go to. It is paid into this account only.")}</p> }.into_any(),
                None => ().into_any(),
            }}
            {p.can_give.then(|| view! {
                <form method="post" action=format!("/claim/{reference}/bank-account") novalidate>
                    {account_fields(l, "account", bank.clone(), message)}
                    <button type="submit" class="button" id="save-account">{if p.account.is_some() { t(l, "เปลี่ยนบัญชี", "Change the account") } else { t(l, "บันทึกบัญชี", "Save the account") }}</button>
                </form>
            })}
        </section>
    }
    .into_any()
}
