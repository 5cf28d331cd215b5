//! The demo data set: every region and every state, one account per role that can sign in,
//! loaded once, and never where the configuration looks like production.

use crate::common::{spawn_app, Backend};
use crate::on_both;
use app::backend::demo;
use app::backend::entities::{claim, user};
use app::domain::ClaimStatus;
use sea_orm::{EntityTrait, PaginatorTrait};
use std::collections::BTreeSet;

on_both!(demo_data_covers_every_region_and_state_and_loads_once);

async fn demo_data_covers_every_region_and_state_and_loads_once(b: Backend) {
    let app = spawn_app(b).await;
    let settings = app::backend::Settings {
        documents_dir: app.dir.join("documents"),
        public_url: "http://127.0.0.1".into(),
        secure_cookies: false,
        keys: app::backend::secrets::Keys::new("a test key of at least thirty-two chars", &[]),
        metrics_token: None,
        trusted_proxies: Default::default(),
        draft_bytes_per_client: i64::MAX,
        rights: None,
    };
    assert_eq!(demo::load(&app.db, &settings, 52).await.unwrap(), 52);
    let claims = claim::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(claims.len(), 52);
    let states: BTreeSet<&str> = claims.iter().map(|c| c.status.as_str()).collect();
    assert_eq!(states.len(), ClaimStatus::ALL.len(), "every state appears");
    let regions: BTreeSet<u8> = claims.iter().map(|c| c.region.number()).collect();
    assert!(
        regions.len() >= 10 && regions.contains(&13),
        "spread over the regions: {regions:?}"
    );
    assert!(
        claims
            .iter()
            .all(|c| app::domain::NationalId::parse(&c.patient_national_id).is_ok()),
        "IDs have valid check digits"
    );
    // A second load adds nothing; every demo account signs in with the printed password.
    assert_eq!(demo::load(&app.db, &settings, 52).await.unwrap(), 0);
    assert_eq!(claim::Entity::find().count(&app.db).await.unwrap(), 52);
    assert_eq!(
        user::Entity::find().count(&app.db).await.unwrap(),
        demo::accounts().len() as u64
    );
    for (email, _, _) in demo::accounts() {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let r = client
            .post(app.url("/staff/login"))
            .form(&[("email", email), ("password", demo::PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.headers()["location"], "/staff", "{email}");
    }
    // Never into a database with real accounts (or claims).
    app::backend::staff::create_user(
        &app.db,
        "real@nhso.test",
        "real",
        "correct horse battery",
        &[app::domain::access::Grant::new(app::domain::access::Role::AppealBoard, None).unwrap()],
    )
    .await
    .unwrap();
    assert!(demo::load(&app.db, &settings, 5).await.is_err());
    assert!(demo::refusal("https://claims.nhso.go.th", false).is_some());
    assert!(demo::refusal("http://127.0.0.1:3000", true).is_some());
    assert!(demo::refusal("http://127.0.0.1:3000", false).is_none());
    app.cleanup().await;
}
