//! What a deployment leans on: instances that start together on an empty database, a
//! shutdown that lets a filing in flight finish, and mail from the configured sender.

use crate::common::{fresh_database, set_path, valid_petition, Backend};
use crate::on_both;
use sea_orm::{Database, EntityTrait, PaginatorTrait};
use serde_json::json;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

on_both!(
    instances_started_at_once_on_an_empty_database_all_come_up,
    sigterm_lets_a_filing_in_flight_finish,
    mail_comes_from_the_configured_sender
);

async fn instances_started_at_once_on_an_empty_database_all_come_up(b: Backend) {
    let fresh = fresh_database(b).await;
    let config = fresh.config(&[]);
    // Three at the same moment: one migrates, the others wait and find nothing to do.
    let (a, b2, c) = tokio::join!(
        server::build(&config),
        server::build(&config),
        server::build(&config)
    );
    for started in [a, b2, c] {
        let app = started.expect("every instance comes up");
        assert_eq!(
            app::backend::entities::claim::Entity::find()
                .count(&app.db)
                .await
                .unwrap(),
            0
        );
        app.db.close().await.unwrap();
    }
    fresh.remove().await;
}

/// The server binary on `fresh`, on a free port; returns the child and its address.
fn start_binary(fresh: &crate::common::FreshDatabase) -> (std::process::Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_section41"))
        .arg("serve")
        .env("DATABASE_URL", &fresh.url)
        .env("DATA_DIR", &fresh.dir)
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("the server says where it runs")
            .unwrap();
        if let Some(rest) = line.split("running at http://").nth(1) {
            break rest.trim_end_matches('/').to_string();
        }
    };
    // Keep reading what it prints so it never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (child, addr)
}

async fn sigterm_lets_a_filing_in_flight_finish(b: Backend) {
    let fresh = fresh_database(b).await;
    let (mut child, addr) = start_binary(&fresh);
    let body = serde_json::to_vec(&valid_petition()).unwrap();
    let (first, rest) = body.split_at(body.len() / 2);
    // A filing is under way: headers and half the body sent...
    let mut conn = std::net::TcpStream::connect(&addr).unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        conn,
        "POST /api/v1/claims HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    conn.write_all(first).unwrap();
    conn.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    // ...when the service manager asks the server to stop.
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    std::thread::sleep(Duration::from_millis(500));
    // New connections are no longer taken; the one in flight still is.
    assert!(
        std::net::TcpStream::connect(&addr).is_err(),
        "a stopping server takes no new connections"
    );
    conn.write_all(rest).unwrap();
    let mut answer = String::new();
    conn.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    let status = child.wait().unwrap();
    assert!(status.success(), "the server exits cleanly: {status}");
    // The acknowledged claim is in the database.
    let db = Database::connect(&fresh.url).await.unwrap();
    assert_eq!(
        app::backend::entities::claim::Entity::find()
            .count(&db)
            .await
            .unwrap(),
        1
    );
    db.close().await.unwrap();
    fresh.remove().await;
}

async fn mail_comes_from_the_configured_sender(b: Backend) {
    let fresh = fresh_database(b).await;
    let config = fresh.config(&[("MAIL_FROM", "NHSO Section 41 <s41@nhso.example>")]);
    let running = server::spawn_local(&config).await.unwrap();
    let mut body = valid_petition();
    set_path(&mut body, "patient.email", json!("somchai@example.org"));
    let r = reqwest::Client::new()
        .post(format!("{}/api/v1/claims", running.base))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(
        app::backend::mail::send_due(&running.db, &running.mailer)
            .await
            .unwrap(),
        1
    );
    let eml = std::fs::read_dir(fresh.dir.join("outbox"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .next()
        .unwrap();
    assert!(
        eml.contains("From: \"NHSO Section 41\" <s41@nhso.example>")
            || eml.contains("From: NHSO Section 41 <s41@nhso.example>"),
        "{eml}"
    );
    running.db.close().await.unwrap();
    fresh.remove().await;
}
