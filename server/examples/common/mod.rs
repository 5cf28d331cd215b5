//! What the benchmark examples share: a fresh database of their own (a SQLite file in a
//! temp folder, or a new PostgreSQL database from `TEST_POSTGRES_URL`) and its removal.

use sea_orm::{ConnectionTrait, Database};
use std::path::PathBuf;

pub struct Fresh {
    pub url: String,
    pub dir: PathBuf,
    /// (admin URL, database name) when the database is PostgreSQL.
    pg: Option<(String, String)>,
}

impl Fresh {
    /// A new empty database named after the benchmark (`name`), on `backend`.
    pub async fn new(name: &str, backend: &str) -> Self {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let dir = std::env::temp_dir().join(format!("s41-{name}-{id}"));
        std::fs::create_dir_all(&dir).unwrap();
        if backend == "postgres" {
            let admin = std::env::var("TEST_POSTGRES_URL")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
            let db_name = format!("s41_{name}_{id}");
            let db = Database::connect(&admin).await.unwrap();
            db.execute_unprepared(&format!("CREATE DATABASE {db_name}"))
                .await
                .unwrap();
            let url = format!("{}/{db_name}", admin.rsplit_once('/').unwrap().0);
            Self {
                url,
                dir,
                pg: Some((admin, db_name)),
            }
        } else {
            let url = format!(
                "sqlite://{}?mode=rwc",
                dir.join(format!("{name}.db")).display()
            );
            Self { url, dir, pg: None }
        }
    }

    /// A server configuration on this database, on a free port; the site (browser bundle)
    /// from `LEPTOS_SITE_ROOT` if set, else `target/site` under the current folder.
    pub fn config(&self) -> server::config::Config {
        let (url, dir) = (self.url.clone(), self.dir.display().to_string());
        server::config::Config::from_lookup(move |k| match k {
            "DATABASE_URL" => Some(url.clone()),
            "DATA_DIR" => Some(dir.clone()),
            "LEPTOS_SITE_ADDR" => Some("127.0.0.1:0".into()),
            "LEPTOS_SITE_ROOT" => std::env::var("LEPTOS_SITE_ROOT").ok(),
            _ => None,
        })
        .unwrap()
    }

    /// Drops the PostgreSQL database and the temp folder.
    pub async fn remove(self) {
        if let Some((admin, name)) = self.pg {
            let db = Database::connect(&admin).await.unwrap();
            let _ = db
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await;
        }
        let _ = std::fs::remove_dir_all(self.dir);
    }
}
