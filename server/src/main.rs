//! The `section41` command line. Configuration comes from the environment (README).
//!
//!     section41 serve                 migrate, then serve
//!     section41 migrate               only migrate
//!     section41 user add --email E --role ROLE[:REGION] [--role …] [--name N] [--password P]
//!     section41 office set-email --region N --email E
//!     section41 office list
//!     section41 demo [--claims N]     load demo claims and accounts (never in production)
//!     section41 audit verify          check the audit log's chain, seals and checkpoint
//!     section41 audit checkpoint      write a checkpoint of the audit log now
//!     section41 audit seal            seal entries from before seals existed (once)
//!     section41 documents import      move documents kept as files into the database
//!     section41 backup FILE           copy the SQLite database while it runs
//!     section41 restore FILE [--force]  put such a copy in place
//!     section41 rights-sim            a stand-in for the insurer's rights service

use server::config::Config;

const USAGE: &str = "usage:
  section41 serve
  section41 migrate
  section41 user add --email E --role ROLE[:REGION] [--role ...] [--name NAME] [--password P]
      roles: intake[:N], regional_officer:N, reviewer:N, appeal_board, admin
      without --password a random one is generated and printed once
  section41 office set-email --region N --email ADDRESS   (re-routing notices, daily overdue list)
  section41 office list
  section41 demo [--claims N]      demo claims and one account per role (refused with an https PUBLIC_URL or SMTP_URL)
  section41 audit verify           check the audit log's chain, seals and latest checkpoint
  section41 audit checkpoint       write a checkpoint of the audit log now
  section41 audit seal             seal the entries written before seals existed (once, after upgrading)
  section41 documents import       move documents kept as files under DOCUMENTS_DIR into the database
  section41 backup FILE            a consistent copy of the SQLite database, while it runs
  section41 restore FILE [--force] put a backup in place (service stopped)
  section41 rights-sim             a stand-in rights service (RIGHTS_SIM_ADDR, default 127.0.0.1:8041)";

/// Stack for each async worker. A debug build renders the deepest staff page (the admin
/// page) in just over tokio's default 2 MiB once the request passes the tracing, metrics
/// and compression layers, and overflowed; release builds need far less.
const WORKER_STACK: usize = 8 * 1024 * 1024;

fn main() {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(WORKER_STACK)
        .build()
        .expect("the async runtime starts")
        .block_on(start());
}

async fn start() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn".into());
    // LOG_FORMAT=json: one JSON object a line, for a log collector.
    if std::env::var("LOG_FORMAT").is_ok_and(|f| f == "json") {
        tracing_subscriber::fmt()
            .json()
            .with_env_filter(filter)
            .init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match Config::from_env() {
        Err(e) => Err(e),
        Ok(config) => run(config, &args).await,
    };
    if let Err(e) = result {
        eprintln!("section41: {e}");
        std::process::exit(1);
    }
}

async fn run(config: Config, args: &[String]) -> Result<(), String> {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    match words.as_slice() {
        [] | ["serve"] => server::serve(config).await,
        ["migrate"] => {
            let db = server::connect(&config).await?;
            server::migrate(&db).await?;
            println!("database is up to date");
            Ok(())
        }
        ["user", "add", rest @ ..] => server::cli::user_add(&config, rest).await,
        ["audit", "verify"] => server::cli::audit_verify(&config).await,
        ["audit", "checkpoint"] => server::cli::audit_checkpoint(&config).await,
        ["audit", "seal"] => server::cli::audit_seal(&config).await,
        ["documents", "import"] => server::cli::documents_import(&config).await,
        ["backup", rest @ ..] => server::cli::backup(&config, rest).await,
        ["restore", rest @ ..] => server::cli::restore(&config, rest).await,
        ["office", "set-email", rest @ ..] => server::cli::office_set_email(&config, rest).await,
        ["office", "list"] => server::cli::office_list(&config).await,
        ["demo", rest @ ..] => server::cli::demo(&config, rest).await,
        ["rights-sim"] => {
            let addr = std::env::var("RIGHTS_SIM_ADDR").unwrap_or_else(|_| "127.0.0.1:8041".into());
            let token = std::env::var("RIGHTS_API_TOKEN")
                .unwrap_or_else(|_| server::rights_sim::DEFAULT_TOKEN.into());
            server::rights_sim::run(&addr, token).await
        }
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown command\n{USAGE}")),
    }
}
