//! Configuration from the environment, parsed once at start-up. Every setting has a safe
//! embedded default so `section41 serve` runs on a fresh machine with nothing set.

use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct Config {
    /// `LEPTOS_SITE_ADDR`, default 127.0.0.1:3000.
    pub addr: SocketAddr,
    /// `DATABASE_URL`, default a SQLite file under `DATA_DIR`.
    pub database_url: String,
    /// `DATA_DIR`, default `./data`.
    pub data_dir: PathBuf,
    /// `DOCUMENTS_DIR`, default `DATA_DIR/documents`.
    pub documents_dir: PathBuf,
    /// `MAIL_OUTBOX_DIR`, default `DATA_DIR/outbox` (used when `SMTP_URL` is unset).
    pub outbox_dir: PathBuf,
    /// `AUDIT_CHECKPOINT_FILE`: where the audit log's daily checkpoints are appended
    /// (default `$DATA_DIR/audit-checkpoints`); best on storage the database's
    /// administrators cannot write.
    pub audit_checkpoint_file: PathBuf,
    /// `AUDIT_MAILBOX`: where each checkpoint is also mailed, outside the service.
    pub audit_mailbox: Option<String>,
    /// `SMTP_URL`, e.g. `smtps://user:pass@smtp.example.org`; unset writes `.eml` files.
    pub smtp_url: Option<String>,
    /// `LEPTOS_SITE_ROOT`, default `target/site` (where cargo-leptos puts the built assets).
    pub site_root: String,
    /// `PUBLIC_URL`, the address people reach the service at (used in emails and to decide
    /// whether cookies are `Secure`), default `http://` + addr.
    pub public_url: String,
    /// `MAIL_FROM`, the sender of every email, e.g. `สปสช. มาตรา 41 <s41@nhso.go.th>`.
    pub mail_from: String,
    /// `SECRET_KEY`: the key access codes are checked and idempotent answers sealed under.
    /// Every instance of a deployment needs the same one. Unset: a key file made on first
    /// start under `DATA_DIR` (fine for one machine).
    pub secret_key: Option<Secret>,
    /// `SECRET_KEY_PREVIOUS`: retired keys (comma-separated), still accepted after a rotation.
    pub secret_key_previous: Vec<Secret>,
    /// `METRICS_TOKEN`: `/metrics` answers only `Authorization: Bearer` this; unset, nobody.
    pub metrics_token: Option<Secret>,
    /// `TRUSTED_PROXIES`: the reverse proxies (addresses or networks, comma-separated) whose
    /// `X-Forwarded-For` names the client. Unset: nobody's; the connection's address is used.
    pub trusted_proxies: app::backend::client::TrustedProxies,
    /// `MAX_CONCURRENT_WRITES`: posts (filings, uploads, sign-ins, code checks) one instance
    /// works on at once, default 64; beyond that it answers 503 with `Retry-After`.
    pub max_concurrent_writes: usize,
    /// `DRAFT_MB_PER_CLIENT`: documents one client's unsent web-form drafts may hold
    /// together, in MB; default 100 (one full draft: 10 files of 10 MB).
    pub draft_mb_per_client: usize,
    /// `RIGHTS_API_URL`: the insurer's rights service (see `section41 rights-sim` for its
    /// contract); unset, staff check rights by hand only. `RIGHTS_API_TOKEN`: its bearer token.
    pub rights_api: Option<(String, Secret)>,
}

/// A secret from the environment; `Debug` never shows it.
#[derive(Clone)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

impl Config {
    pub fn from_env() -> Result<Self, String> {
        Self::from_lookup(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let addr: SocketAddr = get("LEPTOS_SITE_ADDR")
            .unwrap_or_else(|| "127.0.0.1:3000".into())
            .parse()
            .map_err(|e| format!("LEPTOS_SITE_ADDR: {e}"))?;
        let data_dir = PathBuf::from(get("DATA_DIR").unwrap_or_else(|| "data".into()));
        let database_url = get("DATABASE_URL").unwrap_or_else(|| {
            format!(
                "sqlite://{}?mode=rwc",
                data_dir.join("section41.db").display()
            )
        });
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            return Err("DATABASE_URL must start with sqlite: or postgres://".into());
        }
        if database_url.starts_with("sqlite:") && crate::sqlite_path(&database_url).is_none() {
            // Every claim would go when the server stops, and each pooled connection (and
            // the filing writer) would see a database of its own.
            return Err("DATABASE_URL: a SQLite database in memory keeps nothing; name a file, \
                        e.g. sqlite://data/section41.db?mode=rwc"
                .into());
        }
        Ok(Self {
            addr,
            documents_dir: get("DOCUMENTS_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| data_dir.join("documents")),
            outbox_dir: get("MAIL_OUTBOX_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| data_dir.join("outbox")),
            audit_checkpoint_file: get("AUDIT_CHECKPOINT_FILE")
                .map(PathBuf::from)
                .unwrap_or_else(|| data_dir.join("audit-checkpoints")),
            audit_mailbox: get("AUDIT_MAILBOX").filter(|m| !m.trim().is_empty()),
            smtp_url: get("SMTP_URL"),
            site_root: get("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()),
            public_url: get("PUBLIC_URL")
                .unwrap_or_else(|| format!("http://{addr}"))
                .trim_end_matches('/')
                .to_string(),
            secret_key: get("SECRET_KEY").map(Secret),
            metrics_token: get("METRICS_TOKEN").map(Secret),
            max_concurrent_writes: match get("MAX_CONCURRENT_WRITES") {
                None => 64,
                Some(v) => v
                    .trim()
                    .parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or("MAX_CONCURRENT_WRITES must be a positive number")?,
            },
            draft_mb_per_client: match get("DRAFT_MB_PER_CLIENT") {
                None => 100,
                Some(v) => v
                    .trim()
                    .parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or("DRAFT_MB_PER_CLIENT must be a positive number")?,
            },
            trusted_proxies: app::backend::client::TrustedProxies::parse(
                &get("TRUSTED_PROXIES").unwrap_or_default(),
            )?,
            secret_key_previous: get("SECRET_KEY_PREVIOUS")
                .map(|v| {
                    v.split(',')
                        .map(str::trim)
                        .filter(|k| !k.is_empty())
                        .map(|k| Secret(k.to_string()))
                        .collect()
                })
                .unwrap_or_default(),
            rights_api: match (get("RIGHTS_API_URL"), get("RIGHTS_API_TOKEN")) {
                (Some(url), token) => Some((
                    url.trim_end_matches('/').to_string(),
                    Secret(token.unwrap_or_default()),
                )),
                (None, _) => None,
            },
            mail_from: get("MAIL_FROM")
                .unwrap_or_else(|| app::backend::mail::DEFAULT_FROM.to_string()),
            database_url,
            data_dir,
        })
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_need_nothing_set() {
        let c = Config::from_lookup(|_| None).unwrap();
        assert_eq!(c.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(c.database_url, "sqlite://data/section41.db?mode=rwc");
        assert_eq!(c.documents_dir, PathBuf::from("data/documents"));
        assert!(c.smtp_url.is_none());
    }

    #[test]
    fn postgres_and_bad_urls() {
        let c = Config::from_lookup(|k| {
            (k == "DATABASE_URL").then(|| "postgres://127.0.0.1/test".to_string())
        })
        .unwrap();
        assert!(!c.is_sqlite());
        assert!(
            Config::from_lookup(|k| (k == "DATABASE_URL").then(|| "mysql://x".to_string()))
                .is_err()
        );
        for memory in ["sqlite::memory:", "sqlite://x.db?mode=memory", "sqlite:"] {
            let refused =
                Config::from_lookup(|k| (k == "DATABASE_URL").then(|| memory.to_string()));
            assert!(refused.unwrap_err().contains("in memory"), "{memory}");
        }
    }
}
