//! `section41 serve` migrates the database and serves the app; `section41 migrate` only
//! migrates. Configuration comes from the environment (see `config.rs` and the README).

use server::config::Config;

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn".into()))
        .init();
    let command = std::env::args().nth(1).unwrap_or_else(|| "serve".into());
    let result = match Config::from_env() {
        Err(e) => Err(e),
        Ok(config) => match command.as_str() {
            "serve" => server::serve(config).await,
            "migrate" => match server::connect(&config).await {
                Ok(db) => server::migrate(&db).await.map(|_| println!("database is up to date")),
                Err(e) => Err(e),
            },
            "help" | "--help" | "-h" => {
                println!("usage: section41 [serve|migrate]");
                Ok(())
            }
            other => Err(format!("unknown command '{other}' (try: serve, migrate)")),
        },
    };
    if let Err(e) = result {
        eprintln!("section41: {e}");
        std::process::exit(1);
    }
}
