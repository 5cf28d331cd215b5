//! Pages never stall. While Leptos generates a route list it suppresses resource loading
//! for the whole process (leptos-rs/leptos#4773): a page whose data was first asked for in
//! that window waited for ever. Each server used to generate its own list when its router
//! was built, so in a process that starts several servers (these tests, the benchmarks) a
//! page being rendered while another server started could hang. The list is now made once
//! per process.

use crate::common::{spawn_app, Backend};
use crate::on_both;
use app::backend::{AppState, Settings};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

on_both!(pages_keep_rendering_while_other_servers_start);

async fn pages_keep_rendering_while_other_servers_start(b: Backend) {
    let app = spawn_app(b).await;
    // A step of the petition form: its draft is loaded through a Resource.
    let r = app
        .client
        .post(app.url("/file/start"))
        .send()
        .await
        .unwrap();
    let step = app.url(r.headers()["location"].to_str().unwrap());
    let reader = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let (stop, rendered, stalled) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicUsize::new(0)),
    );
    let readers: Vec<_> = (0..8)
        .map(|_| {
            let (reader, step) = (reader.clone(), step.clone());
            let (stop, rendered, stalled) = (stop.clone(), rendered.clone(), stalled.clone());
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    let whole = match reader.get(&step).send().await {
                        Ok(r) if r.status() == 200 => r.text().await.is_ok(),
                        _ => false,
                    };
                    if whole {
                        rendered.fetch_add(1, Ordering::Relaxed);
                    } else {
                        stalled.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    let writer = app::backend::claims::Writer::start(sea_orm::ConnectOptions::new(
        app.database_url.clone(),
    ))
    .await
    .unwrap();
    // Meanwhile, other servers start in the same process, each building its router.
    for _ in 0..40 {
        let state = AppState {
            db: app.db.clone(),
            settings: Arc::new(Settings {
                documents_dir: app.dir.join("documents"),
                public_url: app.base.clone(),
                secure_cookies: false,
                keys: app::backend::secrets::Keys::new(
                    "a test key of at least thirty-two chars",
                    &[],
                ),
                metrics_token: None,
                trusted_proxies: Default::default(),
                draft_bytes_per_client: i64::MAX,
                rights: None,
            }),
            leptos_options: leptos::config::LeptosOptions::builder()
                .output_name("section41")
                .build(),
            filings: writer.clone(),
            work: Arc::new(tokio::sync::Semaphore::new(64)),
        };
        let _router = server::http::router(state);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    stop.store(true, Ordering::Relaxed);
    for r in readers {
        r.await.unwrap();
    }
    let (rendered, stalled) = (
        rendered.load(Ordering::Relaxed),
        stalled.load(Ordering::Relaxed),
    );
    assert!(rendered > 50, "only {rendered} pages rendered");
    assert_eq!(
        stalled,
        0,
        "{stalled} of {} renders never finished",
        rendered + stalled
    );
    app.cleanup().await;
}
