//! Committee meetings of the viewer's regions: officers schedule them; everyone on the
//! region's side sees each meeting's agenda (the cases they may see).

use super::{sign_in_first, staff_bar};
use crate::api::staff::{staff_me, staff_meetings};
use crate::i18n::{t, Locale};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn StaffMeetings() -> impl IntoView {
    let l = crate::use_locale();
    let query = use_query_map();
    let qget = move |k: &str| query.read_untracked().get(k);
    let problem = StoredValue::new(super::actions::Problem::from_query(
        l,
        &query.read_untracked(),
    ));
    let me = Resource::new(|| (), |_| staff_me());
    let meetings = Resource::new(|| (), |_| staff_meetings());
    view! {
        <Suspense fallback=move || view! { <p>{t(l, "กำลังโหลด…", "Loading…")}</p> }>
            {move || me.get().map(|me| match me {
                Ok(Some(me)) => {
                    let csrf = me.csrf_token.clone();
                    let today = me.today;
                    view! {
                        {staff_bar(l, &me)}
                        {super::actions::outcome(l, qget("e"), qget("s"), problem.get_value().as_ref())}
                        {qget("scheduled").map(|_| view! { <div class="notice" role="status" id="meeting-scheduled" tabindex="-1" autofocus><p>{t(l, "นัดประชุมแล้ว", "The meeting is scheduled.")}</p></div> })}
                        {crate::pages::heading(l, "การประชุม\u{200B}คณะอนุกรรมการ", "Committee meetings", false)}
                        {move || meetings.get().map(|m| match m {
                            Err(_) => view! { <p>{t(l, "โหลดไม่ได้", "Could not load the meetings")}</p> }.into_any(),
                            Ok(page) => {
                                let csrf = csrf.clone();
                                view! {
                                    {page.meetings.is_empty().then(|| view! { <p id="no-meetings">{t(l, "ยังไม่มีการประชุมที่นัดไว้", "No meetings are scheduled.")}</p> })}
                                    {page.meetings.into_iter().map(|m| view! {
                                        <section class="card" data-meeting=m.id.clone()>
                                            <h2>{t(l, "ประชุมวันที่ ", "Meeting on ")}{l.date(m.meets_on)}{t(l, " · เขต ", " · region ")}{m.region}</h2>
                                            {if m.cases.is_empty() {
                                                view! { <p>{t(l, "ยังไม่มีเรื่องในวาระ", "Nothing on the agenda yet.")}</p> }.into_any()
                                            } else {
                                                view! {
                                                    <ol class="agenda">
                                                        {m.cases.into_iter().map(|c| view! {
                                                            <li data-reference=c.reference.clone()>
                                                                <a href=format!("/staff/claims/{}", c.reference)>{c.reference.clone()}</a>" – "{c.patient_name}
                                                                " · "{if l == Locale::Th { c.status.label_th() } else { c.status.label_en() }}
                                                                {c.due_by.map(|d| super::due_tag(l, d, today))}
                                                            </li>
                                                        }).collect_view()}
                                                    </ol>
                                                }.into_any()
                                            }}
                                        </section>
                                    }).collect_view()}
                                    {(!page.can_schedule.is_empty()).then(|| {
                                        let p = problem.get_value();
                                        let (region, meets_on) = (
                                            super::actions::Field::new(p.as_ref(), "meeting", "region"),
                                            super::actions::Field::new(p.as_ref(), "meeting", "meets_on"),
                                        );
                                        view! {
                                        <h2>{t(l, "นัดประชุมใหม่", "Schedule a meeting")}</h2>
                                        <form method="post" action="/staff/meetings">
                                            <input type="hidden" name="csrf" value=csrf.clone()/>
                                            <div class="form-group" class:has-error=region.has_error()>
                                                <label class="label" for=region.id.clone()>{t(l, "เขต", "Region")}</label>
                                                {region.message(l)}
                                                <select class="select" id=region.id.clone() name="region" aria-invalid=region.invalid() aria-describedby=region.described_by(None)>
                                                    {page.can_schedule.iter().map(|r| view! { <option value=r.to_string()>{r.to_string()}</option> }).collect_view()}
                                                </select>
                                            </div>
                                            <div class="form-group" class:has-error=meets_on.has_error()>
                                                <label class="label" for=meets_on.id.clone()>{t(l, "วันประชุม", "Meeting date")}</label>
                                                {meets_on.message(l)}
                                                <input class="input width-13" id=meets_on.id.clone() name="meets_on" type="date" aria-invalid=meets_on.invalid() aria-describedby=meets_on.described_by(None)/>
                                            </div>
                                            <button type="submit" class="button button-secondary" id="schedule-meeting">{t(l, "นัดประชุม", "Schedule")}</button>
                                        </form>
                                    }})}
                                }.into_any()
                            }
                        })}
                    }.into_any()
                }
                _ => sign_in_first(l),
            })}
        </Suspense>
    }
}
