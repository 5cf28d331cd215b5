//! The administrative commands behind `section41 user add`, `office set-email`, `office list`
//! and `audit verify`.

use crate::config::Config;
use app::domain::access::{Grant, Role};
use app::domain::Region;

/// Parses `ROLE`, `ROLE:REGION` or `provincial_office:PP` (a province code).
pub fn parse_grant(s: &str) -> Result<Grant, String> {
    let (role, scope) = match s.split_once(':') {
        Some((r, n)) => (r, Some(n)),
        None => (s, None),
    };
    let role = Role::parse(role).ok_or_else(|| format!("unknown role '{role}'"))?;
    if role.needs_province() {
        let n = scope.ok_or_else(|| format!("{} needs a province: {}:PP", role.as_str(), role.as_str()))?;
        return Grant::provincial_office(n).ok_or_else(|| format!("'{n}' is not the code of a province with a provincial health office (11–96; Bangkok has none)"));
    }
    let region = scope
        .map(|n| {
            n.parse::<u8>()
                .ok()
                .and_then(Region::new)
                .ok_or_else(|| format!("'{n}' is not a region 1–13"))
        })
        .transpose()?;
    Grant::new(role, region).map_err(|e| match e {
        app::domain::access::GrantError::RegionRequired => {
            format!("{} needs a region: {}:N", role.as_str(), role.as_str())
        }
        app::domain::access::GrantError::RegionNotAllowed => {
            format!("{} is national and takes no region", role.as_str())
        }
        app::domain::access::GrantError::ProvinceRequired => {
            format!("{} needs a province: {}:PP", role.as_str(), role.as_str())
        }
    })
}

pub async fn user_add(config: &Config, args: &[&str]) -> Result<(), String> {
    let (mut email, mut name, mut password, mut grants) = (None, None, None, Vec::new());
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match *flag {
            "--email" => email = Some(value.to_string()),
            "--name" => name = Some(value.to_string()),
            "--password" => password = Some(value.to_string()),
            "--role" => grants.push(parse_grant(value)?),
            "--region" => {
                // `--role reviewer --region 3` is accepted too: it binds the last role.
                let last = grants.pop().ok_or("--region must follow a --role")?;
                grants.push(parse_grant(&format!("{}:{value}", last.role.as_str()))?);
            }
            other => return Err(format!("unknown option {other}")),
        }
    }
    let email = email.ok_or("--email is required")?;
    let generated = password.is_none();
    let password = password.unwrap_or_else(|| app::backend::secrets::new_token()[..20].to_string());
    let db = crate::connect(config).await?;
    crate::migrate(&db).await?;
    app::backend::staff::create_user(
        &db,
        &email,
        name.as_deref().unwrap_or(&email),
        &password,
        &grants,
    )
    .await
    .map_err(|e| e.to_string())?;
    println!("created {email}");
    if generated {
        println!("password (shown once): {password}");
    }
    Ok(())
}

/// `office set-email --region N --email ADDRESS`: where an office takes its mail.
pub async fn office_set_email(config: &Config, args: &[&str]) -> Result<(), String> {
    let (mut region, mut email) = (None, None);
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match *flag {
            "--region" => {
                region = Some(
                    value
                        .parse::<u8>()
                        .ok()
                        .and_then(Region::new)
                        .ok_or_else(|| format!("'{value}' is not a region 1–13"))?,
                )
            }
            "--email" => email = Some(value.to_string()),
            other => return Err(format!("unknown option {other}")),
        }
    }
    let (region, email) = (
        region.ok_or("--region is required")?,
        email.ok_or("--email is required")?,
    );
    let db = crate::connect(config).await?;
    crate::migrate(&db).await?;
    app::backend::offices::set_contact(&db, region, &email)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "region {} mail goes to {}",
        region.number(),
        email.trim().to_lowercase()
    );
    Ok(())
}

/// `office list`: every region's office and its mailbox, if one is set.
pub async fn office_list(config: &Config) -> Result<(), String> {
    let db = crate::connect(config).await?;
    crate::migrate(&db).await?;
    let known = app::backend::offices::contacts(&db)
        .await
        .map_err(|e| e.to_string())?;
    for region in Region::all() {
        let (n, office) = (region.number(), region.office());
        println!(
            "{n:>2}  {}  {}",
            office.name_en,
            known
                .get(&region)
                .map(String::as_str)
                .unwrap_or("(no mailbox set)")
        );
    }
    Ok(())
}

/// `demo [--claims N]`: loads the demo data set (default 300 claims) and prints the demo
/// accounts. Refused where the configuration looks like production.
pub async fn demo(config: &Config, args: &[&str]) -> Result<(), String> {
    if let Some(why) = app::backend::demo::refusal(&config.public_url, config.smtp_url.is_some()) {
        return Err(why.into());
    }
    let count = match args {
        [] => 300,
        ["--claims", n] => n
            .parse::<usize>()
            .map_err(|_| format!("'{n}' is not a number"))?,
        _ => return Err("usage: section41 demo [--claims N]".into()),
    };
    let db = crate::connect(config).await?;
    crate::migrate(&db).await?;
    let settings = app::backend::Settings {
        documents_dir: config.documents_dir.clone(),
        public_url: config.public_url.clone(),
        secure_cookies: false,
        // The server's own keys, so the demo claims' codes open them there.
        keys: crate::load_keys(config)?,
        metrics_token: None,
        trusted_proxies: Default::default(),
        draft_bytes_per_client: i64::MAX,
        rights: None,
    };
    let added = app::backend::demo::load(&db, &settings, count)
        .await
        .map_err(|e| e.to_string())?;
    if added == 0 {
        println!("demo data is already loaded");
    } else {
        println!("loaded {added} demo claims across all 13 regions and every state");
    }
    println!(
        "demo accounts (password for all: {}):",
        app::backend::demo::PASSWORD
    );
    for (email, _, grant) in app::backend::demo::accounts() {
        let region = match (grant.province, grant.region) {
            (Some(p), _) => format!(" {}", p.province().name_en),
            (None, Some(r)) => format!(" region {}", r.number()),
            (None, None) => String::new(),
        };
        println!("  {email:<26} {}{region}", grant.role.label_en());
    }
    Ok(())
}

/// Checks the audit log: every hash, every seal (under `SECRET_KEY` or a previous key), and
/// the latest checkpoint in `AUDIT_CHECKPOINT_FILE`.
pub async fn audit_verify(config: &Config) -> Result<(), String> {
    use app::backend::audit::{verify_with, Anchors, Checkpoint};
    let db = crate::connect(config).await?;
    let keys = crate::load_keys(config)?;
    let checkpoint = Checkpoint::latest_in(&config.audit_checkpoint_file)?;
    if checkpoint.is_none() {
        // Without its checkpoint the log cannot be checked for a cut tail: once checkpoints
        // have been written, a missing file is a failure, not "none yet".
        use sea_orm::EntityTrait;
        let written = app::backend::entities::job_run::Entity::find_by_id(
            app::backend::audit::CHECKPOINT_WRITTEN,
        )
        .one(&db)
        .await
        .map_err(|e| e.to_string())?
        .map(|j| j.last_run);
        if let Some(day) = written {
            return Err(format!(
                "checkpoints of the audit log have been written (the last on {day}), but {} holds none: \
                 restore that file (or the mailed checkpoints) to check the log for a cut tail",
                config.audit_checkpoint_file.display()
            ));
        }
    }
    let anchors = Anchors {
        keys: Some(&keys),
        checkpoint: checkpoint.clone(),
    };
    match verify_with(&db, &anchors).await.map_err(|e| e.to_string())? {
        Ok(n) => {
            println!("audit log intact: {n} entries, each sealed under the server key");
            match checkpoint {
                Some(c) => println!(
                    "  holds the latest checkpoint (entry {}, {})",
                    c.id,
                    c.at.to_rfc3339()
                ),
                None => println!(
                    "  no checkpoint yet in {}",
                    config.audit_checkpoint_file.display()
                ),
            }
            Ok(())
        }
        Err(b) => Err(format!("audit log broken at entry {}: {}", b.id, b.reason)),
    }
}

/// Seals the entries written before seals existed, once, after checking their chain (run it
/// right after upgrading to migration 000014; the server seals every new entry itself).
pub async fn audit_seal(config: &Config) -> Result<(), String> {
    let db = crate::connect(config).await?;
    crate::migrate(&db).await?;
    match app::backend::audit::verify(&db).await.map_err(|e| e.to_string())? {
        Ok(_) => {}
        Err(b) => {
            return Err(format!(
                "not sealing: the audit log is broken at entry {}: {}",
                b.id, b.reason
            ))
        }
    }
    let keys = crate::load_keys(config)?;
    let n = app::backend::audit::seal_pending(&db, &keys)
        .await
        .map_err(|e| e.to_string())?;
    println!("sealed {n} entries written before seals existed");
    Ok(())
}

/// Writes a checkpoint now (the server writes one a day).
pub async fn audit_checkpoint(config: &Config) -> Result<(), String> {
    let db = crate::connect(config).await?;
    crate::migrate(&db).await?;
    let c = app::backend::audit::checkpoint(&db, &crate::checkpoint_to(config))
        .await
        .map_err(|e| e.to_string())?;
    println!("{}", c.line());
    println!("  appended to {}", config.audit_checkpoint_file.display());
    if let Some(m) = &config.audit_mailbox {
        println!("  and mailed to {m}");
    }
    Ok(())
}

/// Writes a consistent copy of the SQLite database (claims, documents, audit log, every
/// table) to `file` while the service keeps running (`VACUUM INTO`). PostgreSQL is backed up
/// with its own tools (README).
pub async fn backup(config: &Config, args: &[&str]) -> Result<(), String> {
    let [file] = args else {
        return Err("usage: section41 backup FILE".into());
    };
    if !config.is_sqlite() {
        return Err("for PostgreSQL use pg_dump (see the README's Backups)".into());
    }
    if std::path::Path::new(file).exists() {
        return Err(format!("{file} already exists; name a new file"));
    }
    let db = crate::connect(config).await?;
    use sea_orm::ConnectionTrait;
    db.execute_raw(sea_orm::Statement::from_sql_and_values(
        sea_orm::DbBackend::Sqlite,
        "VACUUM INTO ?",
        [file.to_string().into()],
    ))
    .await
    .map_err(|e| format!("backing up: {e}"))?;
    println!("backed up to {file}");
    Ok(())
}

/// Puts a backup made by `backup` in place as the configured SQLite database, after
/// checking it. Refuses to replace a database that holds claims unless `--force` is given;
/// the service must be stopped.
pub async fn restore(config: &Config, args: &[&str]) -> Result<(), String> {
    let (file, force) = match args {
        [file] => (*file, false),
        [file, "--force"] | ["--force", file] => (*file, true),
        _ => return Err("usage: section41 restore FILE [--force]".into()),
    };
    if !config.is_sqlite() {
        return Err("for PostgreSQL use pg_restore (see the README's Backups)".into());
    }
    // The backup must be a sound database of this service.
    let backup = sea_orm::Database::connect(format!("sqlite://{file}?mode=ro"))
        .await
        .map_err(|e| format!("opening {file}: {e}"))?;
    use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait};
    let ok = backup
        .query_one_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Sqlite,
            "PRAGMA integrity_check",
        ))
        .await
        .map_err(|e| format!("reading {file}: {e}"))?
        .and_then(|r| r.try_get::<String>("", "integrity_check").ok());
    if ok.as_deref() != Some("ok") {
        return Err(format!("{file} is damaged: {}", ok.unwrap_or_default()));
    }
    let claims = app::backend::entities::claim::Entity::find()
        .count(&backup)
        .await
        .map_err(|e| format!("{file} is not a Section 41 database: {e}"))?;
    backup.close().await.map_err(|e| e.to_string())?;
    // The database the server would open (a new, empty one if there is none yet).
    let current = crate::connect(config).await?;
    let target = crate::sqlite_file(&current)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("DATABASE_URL does not name a SQLite file")?;
    let existing = app::backend::entities::claim::Entity::find()
        .count(&current)
        .await
        .unwrap_or(0);
    current.close().await.map_err(|e| e.to_string())?;
    if existing > 0 && !force {
        return Err(format!(
            "{target} holds {existing} claims; stop the service and add --force to replace it"
        ));
    }
    let partial = format!("{target}.restoring");
    std::fs::copy(file, &partial).map_err(|e| format!("copying {file}: {e}"))?;
    for stale in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{target}{stale}"));
    }
    std::fs::rename(&partial, &target).map_err(|e| format!("replacing {target}: {e}"))?;
    println!("restored {claims} claims from {file} into {target}");
    Ok(())
}

/// Moves documents kept as files under `DOCUMENTS_DIR` (before they were stored in the
/// database) into the database; each file is removed once its bytes are committed.
pub async fn documents_import(config: &Config) -> Result<(), String> {
    let db = crate::connect(config).await?;
    crate::migrate(&db).await?;
    let done = app::backend::documents::import_files(&db, &config.documents_dir)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "documents moved into the database: {}; missing (no bytes anywhere): {}; damaged (left in {}): {}",
        done.moved,
        done.missing,
        config.documents_dir.display(),
        done.damaged
    );
    if done.damaged > 0 {
        return Err("some files do not match their recorded hash".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grants_from_the_command_line() {
        assert_eq!(
            parse_grant("reviewer:3")
                .unwrap()
                .region
                .map(|r| r.number()),
            Some(3)
        );
        assert!(parse_grant("reviewer").is_err());
        assert!(parse_grant("admin:2").is_err());
        assert!(parse_grant("intake").unwrap().region.is_none());
        assert!(parse_grant("reviewer:14").is_err());
        assert!(parse_grant("boss").is_err());
        let pho = parse_grant("provincial_office:50").unwrap();
        assert_eq!(pho.province.map(|p| p.code()), Some(50));
        assert_eq!(pho.region.map(|r| r.number()), Some(1), "Chiang Mai is in region 1");
        assert!(parse_grant("provincial_office").is_err());
        assert!(parse_grant("provincial_office:99").is_err());
        assert!(parse_grant("provincial_office:10").is_err(), "Bangkok has no provincial office");
    }
}
