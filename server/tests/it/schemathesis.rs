//! A client nobody here wrote: schemathesis (PyPI, installed by `scripts/setup.sh --test`)
//! reads `/api/v1/openapi.json`, generates requests from it (valid ones, invalid ones, and
//! chains that follow the document's links: file, then read, then upload) and runs all its
//! checks against the real server: no server error, every status and body as documented,
//! every schema-valid request accepted and every invalid one refused. The hooks in
//! `tests/schemathesis/hooks.py` give generated petitions the two rules a schema cannot
//! state (the ID check digit, dates against today) and nothing else.

use crate::common::{fresh_database, spawn_on, Backend};
use crate::on_both;

on_both!(the_api_does_what_its_document_says);

async fn the_api_does_what_its_document_says(b: Backend) {
    let fresh = fresh_database(b).await;
    // Each generated request comes from its own address (see the hooks).
    let app = spawn_on(&fresh, &[("TRUSTED_PROXIES", "127.0.0.1")]).await;
    // A service unit's key, for listing its filings.
    let txn = app::backend::begin_write(&app.db).await.unwrap();
    let (_, unit_key) = app::backend::unit_keys::issue_in(&txn, "admin@nhso.test", "10670", "โรงพยาบาลนครพิงค์", "50")
        .await
        .unwrap();
    txn.commit().await.unwrap();
    let hooks = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemathesis");
    let url = app.url("/api/v1/openapi.json");
    let out = tokio::process::Command::new("python3")
        .args([
            "-c",
            "from schemathesis.cli import schemathesis; schemathesis()",
        ])
        .arg("--config-file")
        .arg(hooks.join("schemathesis.toml"))
        .args(["--no-color", "run", &url, "--checks", "all"])
        .env("PYTHONPATH", &hooks)
        .env("SCHEMATHESIS_HOOKS", "hooks")
        .env("SECTION41_UNIT_KEY", &unit_key)
        // Its example database and reports stay in the test's own folder.
        .current_dir(&fresh.dir)
        .output()
        .await
        .expect("python3 with schemathesis (scripts/setup.sh --test installs it)");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "schemathesis found failures:\n{report}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // It really ran: every phase, and the links from a filing to its reading and upload.
    assert!(report.contains("Selected: 4/4"), "{report}");
    assert!(report.contains("2 covered / 2 selected"), "{report}");
    assert!(!report.contains("❌"), "{report}");
    app.cleanup().await;
    fresh.remove().await;
}
