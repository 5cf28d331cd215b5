//! The administrator's page: amounts and time targets with the dates they take effect,
//! coming holidays, office mailboxes, staff accounts. Every change is a plain form post.

use super::actions::{Field, Problem};
use super::{sign_in_first, staff_bar};
use crate::api::staff::{staff_admin, staff_me};
use crate::domain::access::Role;
use crate::domain::policy::Clock;
use crate::domain::Region;
use crate::i18n::{t, Locale};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

fn clock_label(l: Locale, key: &str) -> &'static str {
    match Clock::parse(key) {
        Some(Clock::RegionalDecision) => {
            t(l, "พิจารณาของคณะอนุกรรมการเขต", "Regional committee decision")
        }
        Some(Clock::AppealWindow) => t(l, "ระยะเวลายื่นอุทธรณ์", "Appeal window"),
        Some(Clock::AppealDecision) => t(l, "พิจารณาอุทธรณ์", "Appeal decision"),
        Some(Clock::Payment) => t(l, "จ่ายเงิน", "Payment"),
        Some(Clock::NoticeReceipt) => t(
            l,
            "ได้หลักฐานว่าผู้ยื่นรับแจ้งผลแล้ว",
            "Proof the claimant received the decision",
        ),
        None => "",
    }
}

#[component]
pub fn StaffAdmin() -> impl IntoView {
    let l = crate::use_locale();
    let query = use_query_map();
    let qget = move |k: &str| query.read_untracked().get(k);
    // The refused form (named by the path it posts to) shows its error by the field.
    let problem = StoredValue::new(Problem::from_query(l, &query.read_untracked()));
    let me = Resource::new(|| (), |_| staff_me());
    let key = query.read_untracked().get("key");
    let data = Resource::new(|| (), move |_| staff_admin(key.clone()));
    view! {
        <Suspense fallback=move || view! { <p>{t(l, "กำลังโหลด…", "Loading…")}</p> }>
            {move || me.get().map(|me| match me {
                Ok(Some(me)) if me.grants.iter().any(|g| g.role == Role::Admin) => {
                    let csrf = me.csrf_token.clone();
                    let me_email = me.email.clone();
                    view! {
                        {staff_bar(l, &me)}
                        {super::actions::outcome(l, qget("e"), qget("s"), problem.get_value().as_ref())}
                        {qget("saved").map(|_| view! { <div class="notice" role="status" id="admin-saved" tabindex="-1" autofocus><p>{t(l, "บันทึกแล้ว", "Saved.")}</p></div> })}
                        {crate::pages::heading(l, "ผู้ดูแลระบบ", "Administration", false)}
                        {move || data.get().map(|d| match d {
                            Err(_) => view! { <p>{t(l, "โหลดไม่ได้", "Could not load")}</p> }.into_any(),
                            Ok(d) => admin_body(l, csrf.clone(), me_email.clone(), d, problem.get_value()).into_any(),
                        })}
                    }.into_any()
                }
                Ok(Some(me)) => view! { {staff_bar(l, &me)} {crate::pages::heading(l, "ผู้ดูแลระบบ", "Administration", false)}<p>{t(l, "เฉพาะผู้ดูแลระบบ", "For administrators only.")}</p> }.into_any(),
                _ => sign_in_first(l),
            })}
        </Suspense>
    }
}

/// A text field of one admin form (`form` is the path it posts to), with its error beside it
/// when that form came back refused for it.
fn field(
    l: Locale,
    problem: Option<&Problem>,
    form: &'static str,
    name: &'static str,
    label: &'static str,
    kind: &'static str,
) -> impl IntoView {
    let x = Field::new(problem, form, name);
    view! {
        <div class="form-group" class:has-error=x.has_error()>
            <label class="label" for=x.id.clone()>{label}</label>
            {x.message(l)}
            <input class="input" id=x.id.clone() name=name type=kind aria-invalid=x.invalid() aria-describedby=x.described_by(None)/>
        </div>
    }
}

fn admin_body(
    l: Locale,
    csrf: String,
    me_email: String,
    d: crate::api::types::AdminView,
    problem: Option<Problem>,
) -> impl IntoView {
    let p = problem.as_ref();
    let hidden = move || view! { <input type="hidden" name="csrf" value=csrf.clone()/> };
    let baht = |n: i64| crate::pages::claim_status::format_baht(n);
    view! {
        <section id="amount" aria-labelledby="amount-title">
            <h2 id="amount-title">{t(l, "อัตราเงินช่วยเหลือ", "Amounts by category")}</h2>
            <div class="table-wrap"><table class="queue">
                <thead><tr><th scope="col">{t(l, "ประเภท", "Category")}</th><th scope="col">{t(l, "ต่ำสุด", "From")}</th><th scope="col">{t(l, "สูงสุด", "To")}</th><th scope="col">{t(l, "ใช้ตั้งแต่", "In force from")}</th></tr></thead>
                <tbody>{d.amounts.iter().map(|(c, lo, hi, from)| view! { <tr><td>{*c}</td><td>{baht(*lo)}</td><td>{baht(*hi)}</td><td>{l.date(*from)}</td></tr> }).collect_view()}</tbody>
            </table></div>
            <form method="post" action="/staff/admin/amount" class="filters">
                {hidden()}
                <div class="form-group"><label class="label" for="amount-category">{t(l, "ประเภท", "Category")}</label>
                    <select class="select" id="amount-category" name="category"><option value="1">"1"</option><option value="2">"2"</option><option value="3">"3"</option></select></div>
                {field(l, p, "amount", "min_baht", t(l, "ต่ำสุด (บาท)", "From (baht)"), "text")}
                {field(l, p, "amount", "max_baht", t(l, "สูงสุด (บาท)", "To (baht)"), "text")}
                {field(l, p, "amount", "effective_from", t(l, "ใช้ตั้งแต่", "In force from"), "date")}
                <button type="submit" class="button button-secondary">{t(l, "เพิ่มอัตรา", "Add the amounts")}</button>
            </form>
        </section>
        <section id="target" aria-labelledby="target-title">
            <h2 id="target-title">{t(l, "กำหนดเวลาให้บริการ", "Time targets")}</h2>
            <div class="table-wrap"><table class="queue">
                <thead><tr><th scope="col">{t(l, "กำหนดเวลา", "Clock")}</th><th scope="col">{t(l, "วัน", "Days")}</th><th scope="col">{t(l, "ใช้ตั้งแต่", "In force from")}</th></tr></thead>
                <tbody>{d.targets.iter().map(|(k, days, from)| view! { <tr><td>{clock_label(l, k)}</td><td>{*days}</td><td>{l.date(*from)}</td></tr> }).collect_view()}</tbody>
            </table></div>
            <form method="post" action="/staff/admin/target" class="filters">
                {hidden()}
                <div class="form-group"><label class="label" for="target-clock">{t(l, "กำหนดเวลา", "Clock")}</label>
                    <select class="select" id="target-clock" name="clock">
                        {Clock::ALL.into_iter().map(|c| view! { <option value=c.key()>{clock_label(l, c.key())}</option> }).collect_view()}
                    </select></div>
                {field(l, p, "target", "days", t(l, "จำนวนวัน", "Days"), "text")}
                {field(l, p, "target", "effective_from", t(l, "ใช้ตั้งแต่", "In force from"), "date")}
                <button type="submit" class="button button-secondary">{t(l, "เพิ่มกำหนดเวลา", "Add the target")}</button>
            </form>
        </section>
        <section id="holiday" aria-labelledby="holiday-title">
            <h2 id="holiday-title">{t(l, "วันหยุดราชการที่จะถึง", "Coming public holidays")}</h2>
            <ul class="checklist-record">{d.holidays.iter().map(|(date, th, en)| view! { <li>{l.date(*date)}" – "{if l == Locale::Th { th.clone() } else { en.clone() }}</li> }).collect_view()}</ul>
            <form method="post" action="/staff/admin/holiday" class="filters">
                {hidden()}
                {field(l, p, "holiday", "date", t(l, "วันที่", "Date"), "date")}
                {field(l, p, "holiday", "name_th", t(l, "ชื่อ (ไทย)", "Name (Thai)"), "text")}
                {field(l, p, "holiday", "name_en", t(l, "ชื่อ (อังกฤษ)", "Name (English)"), "text")}
                <button type="submit" class="button button-secondary">{t(l, "เพิ่มวันหยุด", "Add the holiday")}</button>
            </form>
        </section>
        <section id="office" aria-labelledby="office-title">
            <h2 id="office-title">{t(l, "อีเมลสำนักงานเขต", "Regional office mailboxes")}</h2>
            <ul class="checklist-record">{d.offices.iter().map(|(n, email)| {
                let name = Region::new(*n).map(|r| if l == Locale::Th { r.office().name_th } else { r.office().name_en }).unwrap_or("");
                view! { <li>{name}": "{email.clone().unwrap_or_else(|| t(l, "(ยังไม่ได้ตั้ง)", "(not set)").to_string())}</li> }
            }).collect_view()}</ul>
            <form method="post" action="/staff/admin/office" class="filters">
                {hidden()}
                <div class="form-group"><label class="label" for="office-region">{t(l, "เขต", "Region")}</label>
                    <select class="select" id="office-region" name="region">{(1..=13u8).map(|n| view! { <option value=n.to_string()>{n}</option> }).collect_view()}</select></div>
                {field(l, p, "office", "email", t(l, "อีเมล", "Email"), "email")}
                <button type="submit" class="button button-secondary">{t(l, "บันทึก", "Save")}</button>
            </form>
        </section>
        <section id="service_unit" aria-labelledby="units-title">
            <h2 id="units-title">{t(l, "รายชื่อหน่วยบริการ", "Service units")}</h2>
            <p>{t(l, "แสดงเป็นตัวเลือกในแบบฟอร์มคำร้อง ผู้ร้องยังพิมพ์ชื่ออื่นได้", "Offered as suggestions on the petition form; claimants can still type another name.")}</p>
            <ul class="checklist-record" id="service-unit-list">{d.service_units.iter().map(|(name, code)| {
                let province = crate::domain::ProvinceCode::parse(&code.to_string()).map(|p| if l == Locale::Th { p.province().name_th } else { p.province().name_en }).unwrap_or("");
                view! { <li>{name.clone()}" – "{province}</li> }
            }).collect_view()}</ul>
            <form method="post" action="/staff/admin/service_unit" class="filters">
                {hidden()}
                {field(l, p, "service_unit", "name", t(l, "ชื่อหน่วยบริการ", "Name"), "text")}
                <div class="form-group"><label class="label" for="service_unit-province_code">{t(l, "จังหวัด", "Province")}</label>
                    <select class="select" id="service_unit-province_code" name="province_code">
                        {crate::domain::region::provinces_by_thai_name().into_iter().map(|p| view! { <option value=format!("{:02}", p.code)>{if l == Locale::Th { p.name_th } else { p.name_en }}</option> }).collect_view()}
                    </select></div>
                <button type="submit" class="button button-secondary">{t(l, "เพิ่มหน่วยบริการ", "Add the service unit")}</button>
            </form>
        </section>
        <section id="unit_key" aria-labelledby="keys-title">
            <h2 id="keys-title">{t(l, "กุญแจ API ของหน่วยบริการ", "Service units' API keys")}</h2>
            {d.new_key.clone().map(|k| view! {
                <div class="notice" role="status" id="new-key">
                    <p>{t(l, "กุญแจใหม่ แสดงครั้งนี้ครั้งเดียว โปรดส่งให้หน่วยบริการทางช่องทางที่ปลอดภัย:", "The new key, shown this once; pass it to the unit securely:")}</p>
                    <p class="access-code"><code>{k}</code></p>
                </div>
            })}
            <div class="table-wrap"><table class="queue" id="unit-keys">
                <thead><tr><th scope="col">{t(l, "รหัสหน่วยบริการ", "Unit code")}</th><th scope="col">{t(l, "ชื่อ", "Name")}</th><th scope="col">{t(l, "จังหวัด", "Province")}</th><th scope="col">{t(l, "ออกเมื่อ", "Issued")}</th><th scope="col">{t(l, "สถานะ", "State")}</th></tr></thead>
                <tbody>{d.unit_keys.iter().map(|k| view! {
                    <tr>
                        <td>{k.unit_code.clone()}</td><td>{k.unit_name.clone()}</td><td>{k.province_code.clone()}</td><td>{l.date(k.issued_on)}</td>
                        <td>{if k.revoked { t(l, "ยกเลิกแล้ว", "Revoked").into_any() } else { view! {
                            <form method="post" action="/staff/admin/unit_key_revoke" class="inline-form">
                                {hidden()}
                                <input type="hidden" name="id" value=k.id.to_string()/>
                                <button type="submit" class="link-button">{t(l, "ยกเลิกกุญแจ", "Revoke")}<span class="visually-hidden">" "{k.unit_code.clone()}</span></button>
                            </form>
                        }.into_any() }}</td>
                    </tr>
                }).collect_view()}</tbody>
            </table></div>
            <form method="post" action="/staff/admin/unit_key" class="filters">
                {hidden()}
                {field(l, p, "unit_key", "unit_code", t(l, "รหัสหน่วยบริการ", "Unit code"), "text")}
                {field(l, p, "unit_key", "unit_name", t(l, "ชื่อหน่วยบริการ", "Unit name"), "text")}
                <div class="form-group"><label class="label" for="unit_key-province_code">{t(l, "จังหวัด", "Province")}</label>
                    <select class="select" id="unit_key-province_code" name="province_code">
                        {crate::domain::region::provinces_by_thai_name().into_iter().map(|p| view! { <option value=format!("{:02}", p.code)>{if l == Locale::Th { p.name_th } else { p.name_en }}</option> }).collect_view()}
                    </select></div>
                <button type="submit" class="button button-secondary">{t(l, "ออกกุญแจ", "Issue a key")}</button>
            </form>
        </section>
        <section id="harm_type" aria-labelledby="harm-title">
            <h2 id="harm-title">{t(l, "ประเภทความเสียหาย", "Types of harm")}</h2>
            <p>{t(l, "ผู้ตรวจสอบคำร้องเลือกจากรายการนี้ คณะอนุกรรมการใช้เทียบกับคำร้องที่พิจารณาแล้วประเภทเดียวกัน", "Screening picks from this list; the committee compares a case with decided ones of the same type.")}</p>
            <ul class="checklist-record" id="harm-type-list">{d.harm_types.iter().map(|(_, th, en)| view! { <li>{if l == Locale::Th { th.clone() } else { en.clone() }}</li> }).collect_view()}</ul>
            <form method="post" action="/staff/admin/harm_type" class="filters">
                {hidden()}
                {field(l, p, "harm_type", "label_th", t(l, "ชื่อ (ไทย)", "Name (Thai)"), "text")}
                {field(l, p, "harm_type", "label_en", t(l, "ชื่อ (อังกฤษ)", "Name (English)"), "text")}
                <button type="submit" class="button button-secondary">{t(l, "เพิ่มประเภท", "Add the type")}</button>
            </form>
        </section>
        <section id="user" aria-labelledby="user-title">
            <h2 id="user-title">{t(l, "บัญชีเจ้าหน้าที่", "Staff accounts")}</h2>
            <div class="table-wrap"><table class="queue" id="users">
                <thead><tr><th scope="col">{t(l, "อีเมล", "Email")}</th><th scope="col">{t(l, "ชื่อ", "Name")}</th><th scope="col">{t(l, "บทบาท", "Roles")}</th><th scope="col">{t(l, "สถานะ", "State")}</th></tr></thead>
                <tbody>{d.users.iter().map(|u| {
                    let email = u.email.clone();
                    view! {
                        <tr data-user=u.email.clone()><td>{u.email.clone()}</td><td>{u.display_name.clone()}</td><td>{u.roles.join(", ")}</td>
                        <td>{if let Some(by) = u.awaiting.clone() {
                            let mine = by == me_email;
                            view! {
                                <span class="tag" id=format!("awaiting-{}", u.email)>{t(l, "รออนุมัติ (สร้างโดย ", "Awaiting approval (made by ")}{by.clone()}")"</span>
                                {(!mine).then(|| view! {
                                    <form method="post" action="/staff/admin/approve" class="inline-form">
                                        {hidden()}
                                        <input type="hidden" name="email" value=email.clone()/>
                                        <button type="submit" class="link-button">{t(l, "อนุมัติ", "Approve")}<span class="visually-hidden">" "{email.clone()}</span></button>
                                    </form>
                                })}
                            }.into_any()
                        } else if u.active {
                            view! {
                                <form method="post" action="/staff/admin/relink" class="inline-form">
                                    {hidden()}
                                    <input type="hidden" name="email" value=email.clone()/>
                                    <button type="submit" class="link-button">{t(l, "ส่งลิงก์ตั้งรหัสผ่านใหม่", "Send a new password link")}<span class="visually-hidden">" "{email.clone()}</span></button>
                                </form>
                                " · "
                                <form method="post" action="/staff/admin/deactivate" class="inline-form">
                                    {hidden()}
                                    <input type="hidden" name="email" value=email.clone()/>
                                    <button type="submit" class="link-button">{t(l, "ระงับบัญชี", "Deactivate")}<span class="visually-hidden">" "{email.clone()}</span></button>
                                </form>
                            }.into_any()
                        } else { view! { {t(l, "ระงับแล้ว", "Deactivated")} }.into_any() }}</td></tr>
                    }
                }).collect_view()}</tbody>
            </table></div>
            <h3>{t(l, "เพิ่มบัญชี", "Add an account")}</h3>
            <form method="post" action="/staff/admin/user">
                {hidden()}
                {field(l, p, "user", "email", t(l, "อีเมล", "Email"), "email")}
                {field(l, p, "user", "display_name", t(l, "ชื่อที่แสดง", "Display name"), "text")}
                <div class="form-group"><label class="label" for="user-role">{t(l, "บทบาท", "Role")}</label>
                    <select class="select" id="user-role" name="role">{Role::ALL.into_iter().map(|r| view! { <option value=r.as_str()>{if l == Locale::Th { r.label_th() } else { r.label_en() }}</option> }).collect_view()}</select></div>
                <div class="form-group"><label class="label" for="user-region">{t(l, "เขต (สำหรับบทบาทประจำเขต)", "Region (for region-bound roles)")}</label>
                    <select class="select" id="user-region" name="region"><option value="">{t(l, "ระดับประเทศ", "National")}</option>{(1..=13u8).map(|n| view! { <option value=n.to_string()>{n}</option> }).collect_view()}</select></div>
                {let x = Field::new(p, "user", "province"); view! {
                <div class="form-group" class:has-error=x.has_error()><label class="label" for=x.id.clone()>{t(l, "จังหวัด (สำหรับสำนักงานสาธารณสุขจังหวัด)", "Province (for a provincial health office)")}</label>
                    {x.message(l)}
                    <select class="select" id=x.id.clone() name="province" aria-invalid=x.invalid() aria-describedby=x.described_by(None)><option value="">{t(l, "ไม่ระบุ", "None")}</option>
                        {(if l == Locale::Th { crate::domain::region::provinces_by_thai_name() } else { crate::domain::region::provinces_by_english_name() }).into_iter().filter(|p| p.code != 10).map(|p| view! { <option value=format!("{:02}", p.code)>{if l == Locale::Th { p.name_th } else { p.name_en }}</option> }).collect_view()}</select></div>
                }}
                <p class="hint">{t(l, "ผู้ใช้ตั้งรหัสผ่านเองผ่านลิงก์ที่ส่งทางอีเมล บัญชีผู้ดูแลระบบ และบัญชีที่เห็นข้อมูลทั้งประเทศ (รับเรื่องระดับประเทศ คณะกรรมการอุทธรณ์) ต้องให้ผู้ดูแลระบบอีกคนอนุมัติก่อนใช้งาน", "The owner sets the password through a link mailed to them. Administrator accounts and accounts that see the whole country (national intake, the appeal board) open only once another administrator approves them.")}</p>
                <button type="submit" class="button button-secondary" id="add-user">{t(l, "เพิ่มบัญชี", "Add the account")}</button>
            </form>
        </section>
    }
}
