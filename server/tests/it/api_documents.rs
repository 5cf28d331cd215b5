//! `POST /api/v1/claims/{reference}/documents`: type from content, size and count limits.

use crate::api_status::file;
use crate::common::{spawn_app, Backend, TestApp};
use crate::on_both;
use sea_orm::EntityTrait;
use serde_json::Value;

on_both!(
    a_pdf_is_stored_and_listed,
    type_comes_from_content_not_name,
    size_and_count_limits,
    documents_need_the_access_code
);

pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

pub async fn upload(
    app: &TestApp,
    reference: &str,
    code: &str,
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    try_upload(app, reference, code, name, bytes).await.unwrap()
}

async fn try_upload(
    app: &TestApp,
    reference: &str,
    code: &str,
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::Result<reqwest::Response> {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
    let form = reqwest::multipart::Form::new().part("file", part);
    app.client
        .post(app.url(&format!("/api/v1/claims/{reference}/documents")))
        .header("X-Access-Code", code)
        .multipart(form)
        .send()
        .await
}

async fn a_pdf_is_stored_and_listed(b: Backend) {
    let app = spawn_app(b).await;
    let (reference, code) = file(&app).await;
    let resp = upload(&app, &reference, &code, "บัตรประชาชน.pdf", PDF.to_vec()).await;
    assert_eq!(resp.status(), 201);
    let doc: Value = resp.json().await.unwrap();
    assert_eq!(doc["content_type"], "application/pdf");
    assert_eq!(doc["filename"], "บัตรประชาชน.pdf");
    // The bytes are in the database, where every instance finds them; nothing on disk.
    let id = uuid::Uuid::parse_str(doc["id"].as_str().unwrap()).unwrap();
    let stored = app::backend::entities::document_content::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.content, PDF);
    assert!(!app.dir.join("documents").join(id.to_string()).exists());
    let status: Value = app
        .client
        .get(app.url(&format!("/api/v1/claims/{reference}")))
        .header("X-Access-Code", &code)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(status["documents"][0]["filename"], "บัตรประชาชน.pdf");
    app.cleanup().await;
}

async fn type_comes_from_content_not_name(b: Backend) {
    let app = spawn_app(b).await;
    let (reference, code) = file(&app).await;
    let resp = upload(
        &app,
        &reference,
        &code,
        "scan.pdf",
        b"MZ\x90\x00 this is not a pdf".to_vec(),
    )
    .await;
    assert_eq!(resp.status(), 422);
    let v: Value = resp.json().await.unwrap();
    assert_eq!(v["errors"][0]["field"], "documents");
    assert_eq!(v["errors"][0]["code"], "file_type");
    let png = [
        &[0x89u8, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A][..],
        &[0u8; 64],
    ]
    .concat();
    assert_eq!(
        upload(&app, &reference, &code, "photo.txt", png)
            .await
            .status(),
        201
    );
    app.cleanup().await;
}

async fn size_and_count_limits(b: Backend) {
    let app = spawn_app(b).await;
    let (reference, code) = file(&app).await;
    let mut big = PDF.to_vec();
    big.resize(10 * 1024 * 1024 + 1, b' ');
    match try_upload(&app, &reference, &code, "big.pdf", big).await {
        Ok(resp) => assert!(
            resp.status() == 413 || resp.status() == 422,
            "{}",
            resp.status()
        ),
        // Refused mid-upload: the server stops reading and closes the connection.
        Err(e) => assert!(crate::common::cut_off(&e), "{e:?}"),
    }
    for i in 0..10 {
        assert_eq!(
            upload(&app, &reference, &code, &format!("{i}.pdf"), PDF.to_vec())
                .await
                .status(),
            201
        );
    }
    let resp = upload(&app, &reference, &code, "eleventh.pdf", PDF.to_vec()).await;
    // The file is fine; the claim is full: a conflict with its state.
    assert_eq!(resp.status(), 409);
    let v: Value = resp.json().await.unwrap();
    assert_eq!(v["errors"][0]["code"], "too_many_files");
    app.cleanup().await;
}

async fn documents_need_the_access_code(b: Backend) {
    let app = spawn_app(b).await;
    let (reference, _) = file(&app).await;
    assert_eq!(
        upload(&app, &reference, "WRONG-CODE", "x.pdf", PDF.to_vec())
            .await
            .status(),
        404
    );
    let docs = std::fs::read_dir(app.dir.join("documents"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(docs, 0);
    app.cleanup().await;
}
