//! The web form without a browser: post each step as a no-JavaScript browser would, then
//! check the pages people see. (Browser journeys are in e2e/.)

use crate::api_documents::PDF;
use crate::common::{spawn_app, Backend, TestApp};
use crate::on_both;
use sea_orm::EntityTrait;
use serde_json::Value;

on_both!(
    the_form_files_a_claim_and_the_status_page_shows_it,
    a_step_with_errors_comes_back_with_messages_and_the_typed_values,
    pressing_send_twice_files_once,
    pages_carry_security_headers_and_escape_user_text,
    wrong_check_answers_look_alike_and_are_throttled,
    every_page_names_itself_in_its_title,
);

fn location(resp: &reqwest::Response) -> String {
    resp.headers()
        .get("location")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string()
}

async fn post_form(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .form(fields)
        .send()
        .await
        .unwrap()
}

async fn page(app: &TestApp, path: &str) -> (u16, String) {
    let r = app.client.get(app.url(path)).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// Walks steps 1–4 with valid answers; returns the draft's path prefix.
async fn fill_form(app: &TestApp, patient_name: &str) -> String {
    let start = post_form(app, "/file/start", &[]).await;
    assert_eq!(start.status(), 303);
    let first = location(&start);
    assert!(first.ends_with("/filer"));
    let prefix = first.trim_end_matches("/filer").to_string();
    let known = app::backend::calendar::today_in_bangkok() - chrono::Duration::days(10);
    let be_year = (chrono::Datelike::year(&known) + 543).to_string();
    let (day, month) = (
        chrono::Datelike::day(&known).to_string(),
        chrono::Datelike::month(&known).to_string(),
    );
    let steps: Vec<(&str, Vec<(&str, &str)>, &str)> = vec![
        ("filer", vec![("filer.relation", "self")], "/patient"),
        (
            "patient",
            vec![
                ("patient.name", patient_name),
                ("patient.national_id", "1 1017 00230 70 8"),
                ("patient.address", "99 ถ.มหิดล เชียงใหม่"),
                ("patient.phone", "0812345678"),
            ],
            "/treatment",
        ),
        (
            "treatment",
            vec![
                ("service_unit.name", "โรงพยาบาลตัวอย่าง"),
                ("service_unit.province_code", "90"),
                ("treatment_date.day", &day),
                ("treatment_date.month", &month),
                ("treatment_date.year", &be_year),
                ("damage_known_date.day", &day),
                ("damage_known_date.month", &month),
                ("damage_known_date.year", &be_year),
            ],
            "/damage",
        ),
        (
            "damage",
            vec![
                ("damage_description", "ติดเชื้อหลังผ่าตัด"),
                ("burden", "ขาดรายได้"),
            ],
            "/documents",
        ),
    ];
    for (step, fields, next) in steps {
        let r = post_form(app, &format!("{prefix}/{step}"), &fields).await;
        assert_eq!(r.status(), 303, "{step}");
        assert_eq!(location(&r), format!("{prefix}{next}"), "{step} goes on");
    }
    prefix
}

async fn the_form_files_a_claim_and_the_status_page_shows_it(b: Backend) {
    let app = spawn_app(b).await;
    let prefix = fill_form(&app, "สมหญิง รักดี").await;
    // Attach a document (multipart, as a browser without JavaScript sends it).
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(PDF.to_vec()).file_name("id-card.pdf"),
    );
    let r = app
        .client
        .post(app.url(&format!("{prefix}/documents")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), format!("{prefix}/documents"));
    let (_, docs) = page(&app, &format!("{prefix}/documents")).await;
    assert!(docs.contains("id-card.pdf"));
    let (status, check) = page(&app, &format!("{prefix}/check")).await;
    assert_eq!(status, 200);
    assert!(
        check.contains("สมหญิง รักดี") && check.contains("สงขลา"),
        "check-your-answers lists the answers"
    );
    assert!(check.contains("เขต 12"), "and names the deciding office");
    let r = post_form(&app, &format!("{prefix}/submit"), &[]).await;
    assert_eq!(location(&r), format!("{prefix}/done"));
    let (status, done) = page(&app, &format!("{prefix}/done")).await;
    assert_eq!(status, 200, "{done}");
    let reference = element_text(&done, "id=\"reference\"");
    let code = element_text(&done, "id=\"access-code\"");
    assert!(reference.starts_with("S41-"), "{done}");
    assert_eq!(code.len(), 9);
    assert!(done.contains("สำนักงานหลักประกันสุขภาพแห่งชาติ เขต 12 สงขลา"));
    // Only the browser that filed sees the code; anyone else with the link does not.
    let elsewhere = reqwest::Client::new()
        .get(app.url(&format!("{prefix}/done")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(elsewhere.contains(&reference) && !elsewhere.contains(&code));
    // Nor can anyone reading the database (and the server's secret) get it back: the
    // record that stops a second press filing twice keeps no copy, sealed or not.
    let records = app::backend::entities::idempotency_key::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(records.len(), 1);
    let kept: Value = serde_json::from_str(&records[0].response_body).unwrap();
    assert_eq!(kept["reference"], reference.as_str());
    assert_eq!(kept["access_code"], "", "no copy of the code is kept");
    // The draft forgot the answers: its link (say, in a shared computer's history) shows no
    // personal data any more.
    for step in ["patient", "check", "done"] {
        let html = reqwest::Client::new()
            .get(app.url(&format!("{prefix}/{step}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            !html.contains("สมหญิง รักดี") && !html.contains("1101700230708"),
            "{step} after filing"
        );
    }
    // Check my claim → status page.
    let r = post_form(
        &app,
        "/check",
        &[("reference", &reference), ("access_code", &code)],
    )
    .await;
    assert_eq!(location(&r), format!("/claim/{reference}"));
    let set_cookie = r
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"));
    let (status, claim) = page(&app, &format!("/claim/{reference}")).await;
    assert_eq!(status, 200);
    assert!(claim.contains("data-status=\"submitted\""));
    assert!(claim.contains("ได้รับคำร้องแล้ว"));
    assert!(
        claim.contains("id-card.pdf"),
        "the draft's documents became the claim's"
    );
    // Another client without the session cannot open it.
    let stranger = reqwest::Client::new()
        .get(app.url(&format!("/claim/{reference}")))
        .send()
        .await
        .unwrap();
    assert_eq!(stranger.status(), 404);
    assert!(!stranger.text().await.unwrap().contains("ได้รับคำร้องแล้ว"));
    app.cleanup().await;
}

/// The text of the element carrying `marker` (e.g. `id="reference"`).
/// The text of the first element opening with `marker` (e.g. `<h1`), its inner tags (a Thai
/// heading's word spans) removed.
fn element_text(s: &str, marker: &str) -> String {
    let at = s.find(marker).unwrap_or_else(|| {
        panic!(
            "{marker} not in page: {}",
            &s[s.find("<main").unwrap_or(0)..]
        )
    });
    let open = at + s[at..].find('>').unwrap() + 1;
    // An element named by its tag ends at its closing tag; one named by an attribute at the
    // next tag.
    let end = match marker.strip_prefix('<') {
        Some(tag) => s[open..].find(&format!("</{tag}")),
        None => s[open..].find('<'),
    };
    let inner = &s[open..open + end.unwrap()];
    let mut text = String::new();
    let mut in_tag = false;
    for c in inner.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

async fn a_step_with_errors_comes_back_with_messages_and_the_typed_values(b: Backend) {
    let app = spawn_app(b).await;
    let start = post_form(&app, "/file/start", &[]).await;
    let prefix = location(&start).trim_end_matches("/filer").to_string();
    let r = post_form(
        &app,
        &format!("{prefix}/patient"),
        &[
            ("patient.name", "ทดสอบ"),
            ("patient.national_id", "1101700230705"),
        ],
    )
    .await;
    assert_eq!(
        location(&r),
        format!("{prefix}/patient"),
        "stays on the step"
    );
    let (_, html) = page(&app, &format!("{prefix}/patient")).await;
    assert!(html.contains("class=\"error-summary\""));
    assert_eq!(
        title_of(&html),
        "ข้อผิดพลาด: ผู้ได้รับความเสียหาย – เงินช่วยเหลือเบื้องต้น มาตรา 41 – สปสช.",
        "the tab and a screen reader say at once that the form came back"
    );
    assert!(
        html.contains("href=\"#patient-national_id\""),
        "the summary links to the field"
    );
    assert!(html.contains("เลขประจำตัวประชาชนของผู้ได้รับความเสียหาย ไม่ถูกต้อง"));
    assert!(
        html.contains("value=\"1101700230705\""),
        "what was typed is kept"
    );
    assert!(html.contains("โปรดกรอกที่อยู่ที่ติดต่อได้"));
    // The same page in English after switching language.
    let r = app
        .client
        .get(app.url(&format!("/lang/en?next={prefix}/patient")))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), format!("{prefix}/patient"));
    let (_, html) = page(&app, &format!("{prefix}/patient")).await;
    assert!(html.contains("<html lang=\"en\""));
    assert_eq!(
        title_of(&html),
        "Error: The person who was harmed – Section 41 claims – NHSO"
    );
    assert!(html.contains("Enter an address where they can be reached"));
    // Out-of-window date names the last day, in English here.
    let r = post_form(
        &app,
        &format!("{prefix}/treatment"),
        &[
            ("damage_known_date.day", "1"),
            ("damage_known_date.month", "1"),
            ("damage_known_date.year", "2566"),
            ("treatment_date.day", "1"),
            ("treatment_date.month", "1"),
            ("treatment_date.year", "2566"),
        ],
    )
    .await;
    assert_eq!(location(&r), format!("{prefix}/treatment"));
    let (_, html) = page(&app, &format!("{prefix}/treatment")).await;
    assert!(
        html.contains("The last day to file was 2 January 2025"),
        "1 Jan 2025 is New Year's Day, so the window runs to Thursday 2 January"
    );
    assert_eq!(app.claim_count().await, 0);
    app.cleanup().await;
}

async fn pressing_send_twice_files_once(b: Backend) {
    let app = spawn_app(b).await;
    let prefix = fill_form(&app, "กดสองครั้ง").await;
    let url = app.url(&format!("{prefix}/submit"));
    let (a, b2) = tokio::join!(app.client.post(&url).send(), app.client.post(&url).send());
    assert_eq!(a.unwrap().status(), 303);
    assert_eq!(b2.unwrap().status(), 303);
    assert_eq!(
        post_form(&app, &format!("{prefix}/submit"), &[])
            .await
            .status(),
        303
    );
    assert_eq!(app.claim_count().await, 1);
    app.cleanup().await;
}

async fn pages_carry_security_headers_and_escape_user_text(b: Backend) {
    let app = spawn_app(b).await;
    let r = app.client.get(app.url("/")).send().await.unwrap();
    let csp = r
        .headers()
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("script-src 'self' 'nonce-")
            && csp.contains("frame-ancestors 'none'")
            && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(
        r.headers().get("x-content-type-options").unwrap(),
        "nosniff"
    );
    assert_eq!(r.headers().get("referrer-policy").unwrap(), "same-origin");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap()
        .to_string();
    let html = r.text().await.unwrap();
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "Leptos's scripts carry the header's nonce"
    );
    for s in html
        .match_indices("<script")
        .map(|(i, _)| &html[i..i + html[i..].find('>').unwrap()])
    {
        assert!(
            s.contains(&format!("nonce=\"{nonce}\"")),
            "every script has the nonce: {s}"
        );
    }
    let prefix = fill_form(&app, "<script>alert(1)</script>").await;
    let (_, check) = page(&app, &format!("{prefix}/check")).await;
    assert!(!check.contains("<script>alert(1)</script>"));
    assert!(check.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    // A textarea's answer goes back into its box as typed: an entity stays an entity and a
    // closing tag does not end the box (Leptos writes a textarea's content unescaped).
    let typed = "R&amp;D </textarea><h1>injected</h1>";
    let r = post_form(
        &app,
        &format!("{prefix}/damage"),
        &[("damage_description", typed), ("burden", "ขาดรายได้")],
    )
    .await;
    assert_eq!(r.status(), 303);
    let (_, damage) = page(&app, &format!("{prefix}/damage")).await;
    assert!(!damage.contains("<h1>injected"), "{damage}");
    assert!(
        damage.contains(">R&amp;amp;D &lt;/textarea>&lt;h1>injected&lt;/h1></textarea>"),
        "{damage}"
    );
    let (status, offices) = page(&app, "/offices").await;
    assert_eq!(status, 200);
    assert_eq!(offices.matches("class=\"card\"").count(), 13);
    assert_eq!(page(&app, "/no-such-page").await.0, 404);
    app.cleanup().await;
}

async fn wrong_check_answers_look_alike_and_are_throttled(b: Backend) {
    let app = spawn_app(b).await;
    let (reference, _) = crate::api_status::file(&app).await;
    let wrong = post_form(
        &app,
        "/check",
        &[("reference", &reference), ("access_code", "AAAA-AAAA")],
    )
    .await;
    let unknown = post_form(
        &app,
        "/check",
        &[
            ("reference", "S41-2569-ZZZZZZ"),
            ("access_code", "AAAA-AAAA"),
        ],
    )
    .await;
    assert!(location(&wrong).starts_with("/check?e=nomatch"));
    assert!(location(&unknown).starts_with("/check?e=nomatch"));
    for _ in 2..app::backend::throttle::MAX_FAILURES {
        post_form(
            &app,
            "/check",
            &[("reference", &reference), ("access_code", "CCCC-CCCC")],
        )
        .await;
    }
    let r = post_form(
        &app,
        "/check",
        &[("reference", &reference), ("access_code", "CCCC-CCCC")],
    )
    .await;
    assert_eq!(location(&r), "/check?e=throttled");
    let slowed = app.client.get(app.url(&location(&r))).send().await.unwrap();
    assert_eq!(slowed.status(), 429);
    app.cleanup().await;
}

fn title_of(html: &str) -> String {
    element_text(html, "<title")
}

/// WCAG 2.4.2: each page's title says what the page is (its heading), then the service, so
/// browser tabs, history and screen readers tell pages apart.
async fn every_page_names_itself_in_its_title(b: Backend) {
    let app = spawn_app(b).await;
    let start = post_form(&app, "/file/start", &[]).await;
    let prefix = location(&start).trim_end_matches("/filer").to_string();
    let staff = crate::staff::staff_client(
        &app,
        "titles@nhso.test",
        &[app::domain::access::Grant {
            role: app::domain::access::Role::Intake,
            region: Some(app::domain::Region::new(1).unwrap()),
            province: None,
        }],
    )
    .await;
    let mut pages: Vec<(String, String)> = Vec::new();
    for path in [
        "/".to_string(),
        "/offices".into(),
        "/file".into(),
        format!("{prefix}/filer"),
        format!("{prefix}/patient"),
        format!("{prefix}/treatment"),
        format!("{prefix}/damage"),
        format!("{prefix}/documents"),
        format!("{prefix}/check"),
        "/check".into(),
        "/staff/login".into(),
        "/no-such-page".into(),
    ] {
        let (_, html) = page(&app, &path).await;
        pages.push((path, html));
    }
    for path in ["/staff", "/staff/file", "/staff/meetings"] {
        pages.push((path.into(), app.page(&staff, path).await));
    }
    let mut seen = std::collections::BTreeMap::new();
    for (path, html) in &pages {
        let title = title_of(html);
        let heading = element_text(html, "<h1");
        // A page that came back with an error summary says so first.
        let error = if html.contains("class=\"error-summary\"") {
            "ข้อผิดพลาด: "
        } else {
            ""
        };
        assert_eq!(
            title,
            format!("{error}{heading} – เงินช่วยเหลือเบื้องต้น มาตรา 41 – สปสช."),
            "{path}"
        );
        if let Some(other) = seen.insert(title.clone(), path.clone()) {
            panic!("{path} and {other} share the title {title}");
        }
    }
    app.cleanup().await;
}
