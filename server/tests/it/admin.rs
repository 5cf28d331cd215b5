//! Administration through the admin page's forms: policy changes take effect from a date not
//! in the past and are used from then on; accounts are added and deactivated (ending their
//! sessions); only administrators may change anything, and every change is audited.

use crate::actions::{complete_checklist, post_with_csrf};
use crate::common::{spawn_app, valid_petition, Backend, TestApp};
use crate::on_both;
use crate::staff::{staff_client, PASSWORD};
use app::backend::calendar::today_in_bangkok;
use app::backend::entities::{audit_entry, claim};
use app::domain::access::{Grant, Role};
use app::domain::Region;
use chrono::Duration;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;

on_both!(
    admins_change_policy_from_a_date_and_manage_accounts,
    privileged_accounts_need_a_second_admin_and_only_owners_know_passwords
);

/// The set-your-password link in the newest mail to `to` (ids are random: by time).
async fn link_mailed_to(app: &TestApp, to: &str) -> String {
    use app::backend::entities::outbox;
    use sea_orm::QueryOrder;
    let mail = outbox::Entity::find()
        .filter(outbox::Column::ToAddress.eq(to))
        .order_by_desc(outbox::Column::CreatedAt)
        .one(&app.db)
        .await
        .unwrap()
        .expect("a mail to the new account");
    let at = mail.body.find("/staff/password?t=").expect("a link") + "/staff/password?t=".len();
    mail.body[at..].split_whitespace().next().unwrap().to_string()
}

/// The owner sets a password from the link mailed to them (refused if short or mistyped;
/// the link works once).
pub async fn set_password_from_mail(app: &TestApp, to: &str) {
    let token = link_mailed_to(app, to).await;
    let owner = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = app.page(&owner, &format!("/staff/password?t={token}")).await;
    assert!(page.contains("name=\"password_again\""), "the link opens the form");
    let send = |pw: &'static str, again: &'static str| {
        owner
            .post(app.url("/staff/password"))
            .form(&[("t", token.as_str()), ("password", pw), ("password_again", again)])
            .send()
    };
    let to_of = |r: reqwest::Response| r.headers()["location"].to_str().unwrap().to_string();
    assert!(to_of(send("short", "short").await.unwrap()).ends_with("&e=short"));
    assert!(to_of(send(PASSWORD, "something else entirely").await.unwrap()).ends_with("&e=differ"));
    assert_eq!(to_of(send(PASSWORD, PASSWORD).await.unwrap()), "/staff/login?password=set");
    assert!(
        to_of(send(PASSWORD, PASSWORD).await.unwrap()).ends_with("&e=expired"),
        "the link works once"
    );
}

/// Every active administrator (Alice and Bob) has a mail whose subject says `what`; their
/// bodies.
async fn admins_told(app: &TestApp, what: &str) -> Vec<String> {
    use app::backend::entities::outbox;
    let mut bodies = Vec::new();
    for admin in ["alice@nhso.test", "bob@nhso.test"] {
        let told = outbox::Entity::find()
            .filter(outbox::Column::ToAddress.eq(admin))
            .all(&app.db)
            .await
            .unwrap();
        let mail = told.into_iter().find(|m| m.subject.contains(what));
        bodies.push(mail.unwrap_or_else(|| panic!("{admin} is told: {what}")).body);
    }
    bodies
}

async fn sign_in(app: &TestApp, email: &str) -> String {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(app.url("/staff/login"))
        .form(&[("email", email), ("password", PASSWORD)])
        .send()
        .await
        .unwrap()
        .headers()["location"]
        .to_str()
        .unwrap()
        .to_string()
}

/// An administrator alone cannot give anyone national access to personal data, or make
/// another administrator: such an account stays closed until a second administrator
/// approves it. Nobody but the owner knows a password, and every grant is mailed to all
/// administrators.
async fn privileged_accounts_need_a_second_admin_and_only_owners_know_passwords(b: Backend) {
    let app = spawn_app(b).await;
    let admin = Grant::new(Role::Admin, None).unwrap();
    let alice = staff_client(&app, "alice@nhso.test", &[admin]).await;
    let bob = staff_client(&app, "bob@nhso.test", &[admin]).await;
    let admin_page = app.page(&alice, "/staff/admin").await;
    assert!(!admin_page.contains("name=\"password\""), "admins set no passwords");
    assert!(post(&app, &alice, "user", &[("email", "hotline@nhso.test"), ("role", "intake"), ("region", "")])
        .await
        .contains("saved=user"));
    for body in admins_told(&app, "account hotline@nhso.test created by alice@nhso.test").await {
        assert!(body.contains("approves"), "they are told it waits for approval: {body}");
    }
    // The owner sets a password, but the account is closed until a second admin approves.
    set_password_from_mail(&app, "hotline@nhso.test").await;
    assert_eq!(sign_in(&app, "hotline@nhso.test").await, "/staff/login?e=wrong");
    assert!(app.page(&alice, "/staff/admin").await.contains("id=\"awaiting-hotline@nhso.test\""));
    let own = post(&app, &alice, "approve", &[("email", "hotline@nhso.test")]).await;
    assert!(own.contains("e="), "the requester cannot approve it: {own}");
    assert_eq!(sign_in(&app, "hotline@nhso.test").await, "/staff/login?e=wrong");
    assert!(post(&app, &bob, "approve", &[("email", "hotline@nhso.test")])
        .await
        .contains("saved=approve"));
    assert_eq!(sign_in(&app, "hotline@nhso.test").await, "/staff");
    admins_told(&app, "account hotline@nhso.test approved by bob@nhso.test").await;
    // Another administrator is privileged too; a regional account is not.
    post(&app, &bob, "user", &[("email", "carol@nhso.test"), ("role", "admin"), ("region", "")]).await;
    set_password_from_mail(&app, "carol@nhso.test").await;
    assert_eq!(sign_in(&app, "carol@nhso.test").await, "/staff/login?e=wrong");
    post(&app, &bob, "user", &[("email", "officer@nhso.test"), ("role", "regional_officer"), ("region", "2")]).await;
    // The first link got lost: an admin sends a new one, and the old one stops working.
    let lost = link_mailed_to(&app, "officer@nhso.test").await;
    assert!(post(&app, &alice, "relink", &[("email", "officer@nhso.test")])
        .await
        .contains("saved=relink"));
    assert_ne!(link_mailed_to(&app, "officer@nhso.test").await, lost);
    admins_told(&app, "new password link for officer@nhso.test, by alice@nhso.test").await;
    let r = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(app.url("/staff/password"))
        .form(&[("t", lost.as_str()), ("password", PASSWORD), ("password_again", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert!(r.headers()["location"].to_str().unwrap().ends_with("&e=expired"));
    set_password_from_mail(&app, "officer@nhso.test").await;
    assert_eq!(sign_in(&app, "officer@nhso.test").await, "/staff");
    assert!(post(&app, &alice, "deactivate", &[("email", "officer@nhso.test")])
        .await
        .contains("saved=deactivate"));
    admins_told(&app, "account officer@nhso.test deactivated by alice@nhso.test").await;
    let approvals = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("admin:approve"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(approvals.len(), 1);
    assert_eq!(approvals[0].actor, "user:bob@nhso.test");
    assert!(approvals[0].detail.contains("requested by alice@nhso.test"));
    app.cleanup().await;
}

pub async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    what: &str,
    fields: &[(&str, &str)],
) -> String {
    let html = client
        .get(app.url("/staff"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = crate::common::csrf_of(&html);
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    let r = client
        .post(app.url(&format!("/staff/admin/{what}")))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "{what}");
    r.headers()["location"].to_str().unwrap().to_string()
}

async fn admins_change_policy_from_a_date_and_manage_accounts(b: Backend) {
    let app = spawn_app(b).await;
    let admin = staff_client(
        &app,
        "admin@nhso.test",
        &[Grant::new(Role::Admin, None).unwrap()],
    )
    .await;
    let officer = staff_client(
        &app,
        "officer1@nhso.test",
        &[Grant::new(Role::RegionalOfficer, Region::new(1)).unwrap()],
    )
    .await;
    let today = today_in_bangkok().to_string();
    let yesterday = (today_in_bangkok() - Duration::days(1)).to_string();
    // Only an administrator.
    let r = post(
        &app,
        &officer,
        "target",
        &[
            ("clock", "regional_decision"),
            ("days", "45"),
            ("effective_from", &today),
        ],
    )
    .await;
    assert!(r.contains("e=role"), "{r}");
    // Not backdated: decisions and deadlines already made stay as they were.
    let r = post(
        &app,
        &admin,
        "target",
        &[
            ("clock", "regional_decision"),
            ("days", "45"),
            ("effective_from", &yesterday),
        ],
    )
    .await;
    assert!(r.contains("e=invalid&f=effective_from"), "{r}");
    // The refused form's own date field carries the message; the other form's does not.
    let page = app.page(&admin, &r).await;
    assert!(
        page.contains("href=\"#target-effective_from\"")
            && page.contains("id=\"target-effective_from-error\"")
            && !page.contains("id=\"amount-effective_from-error\""),
        "{page}"
    );
    assert!(post(
        &app,
        &admin,
        "target",
        &[
            ("clock", "regional_decision"),
            ("days", "45"),
            ("effective_from", &today)
        ]
    )
    .await
    .contains("saved=target"));
    let v: Value = app
        .post_claim(&valid_petition())
        .await
        .json()
        .await
        .unwrap();
    let reference = v["reference"].as_str().unwrap().to_string();
    let c = claim::Entity::find()
        .filter(claim::Column::Reference.eq(reference.clone()))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        c.due_on,
        Some(today_in_bangkok() + Duration::days(45)),
        "a claim filed now gets the new target"
    );
    // A wider range for category 2 from today lets a reviewer approve 250,000.
    let r = post(
        &app,
        &admin,
        "amount",
        &[
            ("category", "2"),
            ("min_baht", "300000"),
            ("max_baht", "100000"),
            ("effective_from", &today),
        ],
    )
    .await;
    assert!(r.contains("e=invalid&f=max_baht"), "{r}");
    assert!(post(
        &app,
        &admin,
        "amount",
        &[
            ("category", "2"),
            ("min_baht", "100000"),
            ("max_baht", "300,000"),
            ("effective_from", &today)
        ]
    )
    .await
    .contains("saved=amount"));
    let intake = staff_client(
        &app,
        "intake1@nhso.test",
        &[Grant::new(Role::Intake, Region::new(1)).unwrap()],
    )
    .await;
    complete_checklist(&app, &intake, &reference).await;
    post_with_csrf(&app, &intake, &reference, "act", &[("event", "refer")]).await;
    let reviewer = staff_client(
        &app,
        "reviewer1@nhso.test",
        &[Grant::new(Role::Reviewer, Region::new(1)).unwrap()],
    )
    .await;
    let zero = post_with_csrf(
        &app,
        &reviewer,
        &reference,
        "act",
        &[("event", "approve"), ("category", "3"), ("amount", "0")],
    )
    .await;
    assert!(
        zero.contains("e=invalid&f=amount"),
        "a decision to pay pays something: {zero}"
    );
    assert!(post_with_csrf(
        &app,
        &reviewer,
        &reference,
        "act",
        &[
            ("event", "approve"),
            ("category", "2"),
            ("amount", "250000")
        ]
    )
    .await
    .ends_with("?done=approved"));
    // One rule per day: a second range for category 2 from today is refused.
    let r = post(
        &app,
        &admin,
        "amount",
        &[
            ("category", "2"),
            ("min_baht", "100000"),
            ("max_baht", "200000"),
            ("effective_from", &today),
        ],
    )
    .await;
    assert!(r.contains("e=invalid&f=effective_from"), "{r}");
    // Holidays: added once.
    // The first day from three days ahead that is not a holiday already.
    let mut day = today_in_bangkok() + Duration::days(3);
    while app::backend::entities::holiday::Entity::find_by_id(day)
        .one(&app.db)
        .await
        .unwrap()
        .is_some()
    {
        day += Duration::days(1);
    }
    let special = day.to_string();
    assert!(post(
        &app,
        &admin,
        "holiday",
        &[
            ("date", &special),
            ("name_th", "วันหยุดพิเศษ"),
            ("name_en", "Special holiday")
        ]
    )
    .await
    .contains("saved=holiday"));
    assert!(post(
        &app,
        &admin,
        "holiday",
        &[("date", &special), ("name_th", "ซ้ำ")]
    )
    .await
    .contains("e=invalid&f=date"));
    assert!(
        post(
            &app,
            &admin,
            "holiday",
            &[("date", &yesterday), ("name_th", "ย้อนหลัง")]
        )
        .await
        .contains("e=invalid&f=date"),
        "not in the past"
    );
    let page = admin
        .get(app.url("/staff/admin"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("วันหยุดพิเศษ") && page.contains("300,000"));
    // A service unit added here is suggested on the petition form; a second copy is refused.
    assert!(post(
        &app,
        &admin,
        "service_unit",
        &[
            ("name", "โรงพยาบาลสมเด็จพระยุพราชสว่างแดนดิน"),
            ("province_code", "47")
        ]
    )
    .await
    .contains("saved=service_unit"));
    assert!(post(
        &app,
        &admin,
        "service_unit",
        &[
            ("name", "โรงพยาบาลสมเด็จพระยุพราชสว่างแดนดิน"),
            ("province_code", "47")
        ]
    )
    .await
    .contains("e=invalid&f=name"));
    let start = app
        .client
        .post(app.url("/file/start"))
        .send()
        .await
        .unwrap();
    let filer = start.headers()["location"].to_str().unwrap().to_string();
    let step = app
        .client
        .get(app.url(&filer.replace("/filer", "/treatment")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        step.contains("<datalist id=\"service-units\">")
            && step.contains("value=\"โรงพยาบาลสมเด็จพระยุพราชสว่างแดนดิน\"")
    );
    // Accounts: the admin names the account; its owner sets the password from a mailed link.
    assert!(post(
        &app,
        &admin,
        "user",
        &[
            ("email", "new@nhso.test"),
            ("role", "reviewer"),
            ("region", "4"),
        ]
    )
    .await
    .contains("saved=user"));
    set_password_from_mail(&app, "new@nhso.test").await;
    let newbie = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap();
    let r = newbie
        .post(app.url("/staff/login"))
        .form(&[("email", "new@nhso.test"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["location"], "/staff");
    assert_eq!(
        newbie.get(app.url("/staff")).send().await.unwrap().status(),
        200
    );
    assert!(
        post(&app, &admin, "deactivate", &[("email", "new@nhso.test")])
            .await
            .contains("saved=deactivate")
    );
    assert_eq!(
        newbie.get(app.url("/staff")).send().await.unwrap().status(),
        401,
        "the session ended"
    );
    // The only administrator cannot be deactivated.
    assert!(
        post(&app, &admin, "deactivate", &[("email", "admin@nhso.test")])
            .await
            .contains("e=invalid&f=email")
    );
    assert_eq!(
        admin
            .get(app.url("/staff/admin"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let audited = audit_entry::Entity::find()
        .filter(audit_entry::Column::Actor.eq("user:admin@nhso.test"))
        .all(&app.db)
        .await
        .unwrap();
    assert!(
        audited
            .iter()
            .filter(|e| e.action.starts_with("admin:"))
            .count()
            >= 5
    );
    app.cleanup().await;
}
