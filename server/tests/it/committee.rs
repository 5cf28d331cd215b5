//! The committee: meetings scheduled by the region's officers with referred cases on their
//! agendas; a reviewer who declares a conflict of interest is kept off the case everywhere.

use crate::actions::{complete_checklist, post_with_csrf};
use crate::common::{spawn_app, valid_petition, Backend, TestApp};
use crate::on_both;
use crate::staff::staff_client;
use app::backend::calendar::today_in_bangkok;
use app::backend::entities::{claim, meeting};
use app::domain::access::{Grant, Role};
use app::domain::Region;
use chrono::Duration;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;

on_both!(meetings_carry_agendas_and_a_conflict_keeps_a_reviewer_off_the_case);

fn g(role: Role, region: u8) -> Grant {
    Grant::new(role, Region::new(region)).unwrap()
}

async fn csrf(app: &TestApp, client: &reqwest::Client) -> String {
    let html = client
        .get(app.url("/staff"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    crate::common::csrf_of(&html)
}

async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let token = csrf(app, client).await;
    let mut form = vec![("csrf", token.as_str())];
    form.extend_from_slice(fields);
    client.post(app.url(path)).form(&form).send().await.unwrap()
}

fn location(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_string()
}

async fn meetings_carry_agendas_and_a_conflict_keeps_a_reviewer_off_the_case(b: Backend) {
    let app = spawn_app(b).await;
    let v: Value = app
        .post_claim(&valid_petition())
        .await
        .json()
        .await
        .unwrap();
    let reference = v["reference"].as_str().unwrap().to_string();
    let intake = staff_client(&app, "intake1@nhso.test", &[g(Role::Intake, 1)]).await;
    complete_checklist(&app, &intake, &reference).await;
    post_with_csrf(&app, &intake, &reference, "act", &[("event", "refer")]).await;

    let officer1 = staff_client(&app, "officer1@nhso.test", &[g(Role::RegionalOfficer, 1)]).await;
    let officer2 = staff_client(&app, "officer2@nhso.test", &[g(Role::RegionalOfficer, 2)]).await;
    let next_week = (today_in_bangkok() + Duration::days(7)).to_string();
    let yesterday = (today_in_bangkok() - Duration::days(1)).to_string();
    let r = post(
        &app,
        &officer2,
        "/staff/meetings",
        &[("region", "1"), ("meets_on", &next_week)],
    )
    .await;
    assert!(
        location(&r).contains("e=role"),
        "another region's officer cannot schedule region 1"
    );
    let r = post(
        &app,
        &officer1,
        "/staff/meetings",
        &[("region", "1"), ("meets_on", &yesterday)],
    )
    .await;
    assert!(
        location(&r).contains("e=invalid&f=meets_on"),
        "not in the past"
    );
    let page = app.page(&officer1, &location(&r)).await;
    assert!(
        page.contains("href=\"#meeting-meets_on\"")
            && page.contains("id=\"meeting-meets_on-error\""),
        "the date field carries the message"
    );
    let r = post(
        &app,
        &officer1,
        "/staff/meetings",
        &[("region", "1"), ("meets_on", &next_week)],
    )
    .await;
    assert_eq!(location(&r), "/staff/meetings?scheduled=1");
    let m = meeting::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .expect("one meeting");
    // Only the region's officer is offered the agenda; a wrong meeting id is refused.
    let case = officer1
        .get(app.url(&format!("/staff/claims/{reference}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(case.contains(&format!("value=\"{}\"", m.id)));
    let wrong = post_with_csrf(
        &app,
        &officer1,
        &reference,
        "agenda",
        &[("meeting", "00000000-0000-0000-0000-000000000000")],
    )
    .await;
    assert!(wrong.contains("e=invalid&f=meeting"), "{wrong}");
    let done = post_with_csrf(
        &app,
        &officer1,
        &reference,
        "agenda",
        &[("meeting", &m.id.to_string())],
    )
    .await;
    assert!(done.contains("?agenda="), "{done}");
    let c = claim::Entity::find()
        .filter(claim::Column::Reference.eq(reference.clone()))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c.meeting_id, Some(m.id));

    // Both reviewers of region 1 see it on the agenda; region 2's do not.
    let alice = staff_client(&app, "alice@nhso.test", &[g(Role::Reviewer, 1)]).await;
    let bob = staff_client(&app, "bob@nhso.test", &[g(Role::Reviewer, 1)]).await;
    let carol = staff_client(&app, "carol@nhso.test", &[g(Role::Reviewer, 2)]).await;
    for (who, client, sees) in [
        ("alice", &alice, true),
        ("bob", &bob, true),
        ("carol", &carol, false),
    ] {
        let page = client
            .get(app.url("/staff/meetings"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(
            page.contains(&format!("data-reference=\"{reference}\"")),
            sees,
            "{who}'s agenda"
        );
    }
    // Agendas list names: who saw which claims on them is audited.
    let seen: Vec<String> = app::backend::entities::audit_entry::Entity::find()
        .filter(app::backend::entities::audit_entry::Column::Action.eq("agendas_viewed"))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.detail.contains(reference.as_str()))
        .map(|e| e.actor)
        .collect();
    assert_eq!(seen, ["user:alice@nhso.test", "user:bob@nhso.test"]);
    // Bob declares a conflict of interest: a reason is required, then he is kept off it.
    let r = post(
        &app,
        &bob,
        &format!("/staff/claims/{reference}/conflict"),
        &[("conflict_reason", " ")],
    )
    .await;
    assert!(location(&r).contains("e=invalid&f=conflict_reason"));
    let r = post(
        &app,
        &bob,
        &format!("/staff/claims/{reference}/conflict"),
        &[("conflict_reason", "ผู้ป่วยเป็นญาติของข้าพเจ้า")],
    )
    .await;
    assert_eq!(location(&r), "/staff?conflict=1");
    assert_eq!(
        bob.get(app.url(&format!("/staff/claims/{reference}")))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let queue = bob
        .get(app.url("/staff"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!queue.contains(&reference), "not in his queue");
    let found = bob
        .get(app.url("/staff"))
        .query(&[("q", reference.as_str())])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !found.contains(&format!("data-reference=\"{reference}\"")),
        "nor found by search"
    );
    let agenda = bob
        .get(app.url("/staff/meetings"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!agenda.contains(&reference), "nor on his agenda");
    let r = post(
        &app,
        &bob,
        &format!("/staff/claims/{reference}/act"),
        &[("event", "approve"), ("category", "3"), ("amount", "50000")],
    )
    .await;
    assert_eq!(r.status(), 404, "and he cannot decide it");
    let c = claim::Entity::find()
        .filter(claim::Column::Reference.eq(reference.clone()))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c.status.as_str(), "referred");
    // Alice sees the declaration among the internal notes and decides.
    let case = alice
        .get(app.url(&format!("/staff/claims/{reference}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        case.contains("Conflict of interest declared")
            && case.contains("bob@nhso.test")
            && case.contains("id=\"meeting-on\"")
    );
    assert!(post_with_csrf(
        &app,
        &alice,
        &reference,
        "act",
        &[("event", "approve"), ("category", "3"), ("amount", "50000")]
    )
    .await
    .ends_with("?done=approved"));
    app.cleanup().await;
}
