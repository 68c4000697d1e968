//! `tandem-server`: serve, or print an enrolment code for the operator.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use tandem_protocol::api::Role;
use tandem_server::server::{
    announce, backup, deactivate, enrolment_code, erase_person, recovery_code, shutdown_signal,
};
use tandem_server::{Config, Storage};

/// Tandem's sync server.
///
/// Without a subcommand it serves: it prints `listening on http://ADDR:PORT` on stdout once it
/// accepts connections, logs to stderr (filter with TANDEM_LOG or RUST_LOG, e.g. `info`,
/// `tandem_server=debug`), and stops cleanly on SIGTERM or Ctrl-C.
#[derive(Parser)]
#[command(name = "tandem-server", version, about, long_about)]
struct Cli {
    /// Where the server keeps its SQLite database (when no --database is given).
    #[arg(
        long,
        env = "TANDEM_DATA_DIR",
        default_value = "./tandem-server-data",
        global = true
    )]
    data_dir: PathBuf,
    /// A PostgreSQL database (`postgres://user:password@host:port/name`) instead of the SQLite
    /// file: several server processes may share it. `?sslmode=disable` talks plain TCP;
    /// otherwise TLS is tried (`prefer`, the default) or required (`require`).
    #[arg(
        long,
        env = "TANDEM_DATABASE_URL",
        global = true,
        hide_env_values = true
    )]
    database: Option<String>,
    /// The address to listen on.
    #[arg(long, env = "TANDEM_BIND", default_value = "127.0.0.1")]
    bind: IpAddr,
    /// The port to listen on (0: any free port; the chosen one is printed).
    #[arg(long, env = "TANDEM_PORT", default_value_t = 0)]
    port: u16,
    /// PEM certificate chain: serve HTTPS and WSS (needs --tls-key).
    #[arg(long, env = "TANDEM_TLS_CERT", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// PEM private key for --tls-cert.
    #[arg(long, env = "TANDEM_TLS_KEY", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// The oldest protocol version an app may speak here: raise it to make apps older than
    /// a release update before they sync again (they are told "update the app").
    #[arg(long, env = "TANDEM_MIN_PROTOCOL", default_value_t = tandem_server::MIN_PROTOCOL)]
    min_protocol: u32,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Print a one-time code (valid 7 days) that enrols a practitioner or a coach.
    ///
    /// Works while a server runs on the same data directory or database.
    Enrol {
        #[arg(long, value_enum)]
        role: EnrolRole,
    },
    /// Erase a person's account: their documents, devices, memberships, consents, links and
    /// codes. Only a record that an erasure happened (with the erased ids, refused from now
    /// on) is kept. The people linked to them delete the erased documents when they next sync.
    ///
    /// Check who is asking before you run this: it cannot be undone.
    Erase {
        /// The person's id (the app shows it under Settings, "Account").
        #[arg(long)]
        person: String,
    },
    /// Close the account of a practitioner or coach who left the service: their links end,
    /// their devices delete their clients' journeys (and a coach's copies of what they shared)
    /// when they next sync, and they can no longer invite or be linked to anyone. Their own
    /// journey stays theirs; erase it with `erase` when they ask.
    ///
    /// With --hand-over-to, each of their clients is offered that practitioner instead: the
    /// client's app shows who, and what agreeing shares; nothing is shared before they agree.
    Deactivate {
        /// The person's id.
        #[arg(long)]
        person: String,
        /// The id of the practitioner offered to their clients.
        #[arg(long)]
        hand_over_to: Option<String>,
        /// The name the clients see for that practitioner, until they choose their own.
        #[arg(long, requires = "hand_over_to")]
        name: Option<String>,
    },
    /// Print a new recovery code for a person whose every device is lost, replacing their old
    /// one. With it, a new device takes over their account (their other devices are removed)
    /// and their journey comes back from the server.
    ///
    /// Check who is asking before you run this: the code opens their account.
    RecoveryCode {
        /// The person's id.
        #[arg(long)]
        person: String,
    },
    /// Copy the SQLite database into a new file, safely while the server serves.
    ///
    /// Restore by stopping the server and putting the copy in place of
    /// `<data dir>/tandem-server.db` (removing its `-wal` and `-shm` files). A PostgreSQL
    /// database (--database) is backed up with `pg_dump` instead.
    Backup {
        /// The new file to write.
        #[arg(long)]
        to: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum EnrolRole {
    Practitioner,
    Coach,
}

/// jemalloc rather than the system's allocator: under 1,000 devices the server used 0.51 of a
/// core instead of 0.59 for the same edits, and 119 MB instead of 124 (server/README.md, "Load").
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// The threads the server's blocking work may use at once (see `main`).
const MAX_BLOCKING_THREADS: usize = 16;

/// What the server logs when neither `TANDEM_LOG` nor `RUST_LOG` says: its own events at info,
/// the libraries' warnings. automerge and samod open an info-level span around every sync
/// message, load and storage task (`#[instrument]`), and the log's formatter writes each
/// span's fields out as text when it opens, whether or not anything inside it is logged: under
/// 2,000 devices that was 11 % of the server's CPU (`perf`, server/README.md "Load").
const DEFAULT_LOG: &str = "info,automerge=warn,samod=warn,samod_core=warn";

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("TANDEM_LOG")
        .or_else(|_| tracing_subscriber::EnvFilter::try_from_default_env())
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(DEFAULT_LOG));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    let storage = match Storage::chosen(cli.database, &cli.data_dir) {
        Ok(storage) => storage,
        Err(e) => {
            eprintln!("tandem-server: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Every SQLite statement and automerge merge runs in `block_in_place`, which hands the
    // worker's other tasks to a thread of the blocking pool. Under load (1,000 devices) tokio's
    // default of 512 such threads were all made, each with its stack and allocator caches:
    // about 0.5 MB each, 60 % of the process's memory. They wait on the same SQLite lock, so a
    // few more than the cores serve as well.
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(MAX_BLOCKING_THREADS)
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("tandem-server: {e}");
            return ExitCode::FAILURE;
        }
    };
    match cli.command {
        Some(Command::Backup { to }) => match &storage {
            Storage::Postgres(_) => {
                eprintln!(
                    "tandem-server backup copies the SQLite file; back up a PostgreSQL database \
                     with pg_dump (server/README.md)"
                );
                ExitCode::FAILURE
            }
            Storage::Sqlite(data_dir) => match backup(data_dir, &to) {
                Ok(bytes) => {
                    eprintln!("backed up {} bytes to {}", bytes, to.display());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("tandem-server backup: {e}");
                    ExitCode::FAILURE
                }
            },
        },
        Some(Command::Erase { person }) => {
            match runtime.block_on(erase_person(&storage, &person)) {
                Ok(told) => {
                    eprintln!(
                    "erased {person}; {told} other people's devices delete their copies when they next sync"
                );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("tandem-server erase: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Some(Command::Deactivate {
            person,
            hand_over_to,
            name,
        }) => {
            let done = runtime.block_on(deactivate(
                &storage,
                &person,
                hand_over_to.as_deref(),
                name.as_deref(),
            ));
            match done {
                Ok(done) => {
                    eprintln!(
                        "deactivated {person}; {} people's devices hear of it when they next sync",
                        done.told.len()
                    );
                    if let Some(to) = &hand_over_to {
                        eprintln!(
                            "{} clients are offered {to}: each chooses in their app",
                            done.offered
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("tandem-server deactivate: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Some(Command::RecoveryCode { person }) => {
            match runtime.block_on(recovery_code(&storage, &person)) {
                Ok(code) => {
                    println!("{code}");
                    eprintln!(
                        "a recovery code for {person}: hand it over once; the old one no longer works"
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("tandem-server recovery-code: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Some(Command::Enrol { role }) => {
            let role = match role {
                EnrolRole::Practitioner => Role::Practitioner,
                EnrolRole::Coach => Role::Coach,
            };
            match runtime.block_on(enrolment_code(&storage, role)) {
                Ok((code, expires_at)) => {
                    println!("{code}");
                    let until = chrono::DateTime::from_timestamp(expires_at, 0)
                        .map(|t| t.to_rfc3339())
                        .unwrap_or_default();
                    eprintln!("a one-time code enrolling a {role}, valid until {until}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("tandem-server enrol: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        None => {
            let config = Config {
                bind: cli.bind,
                port: cli.port,
                storage,
                tls: cli.tls_cert.zip(cli.tls_key),
                min_protocol: cli.min_protocol,
            };
            match runtime.block_on(tandem_server::serve(config, announce, shutdown_signal())) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("tandem-server: {e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}
