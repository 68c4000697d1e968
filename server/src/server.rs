//! Starting, serving and stopping the server.

use std::future::Future;
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tandem_protocol::api::Role;

use crate::api::{self, AppState};
use crate::db;
use crate::directory::{Directory, PostgresBackend, SqliteBackend};
use crate::documents::{
    DocumentStore, Durability, PostgresDocuments, SamodStorage, SqliteDocuments,
};
use crate::engine::Engine;
use crate::fanout::{Listener, Peers};
use crate::metrics::Metrics;
use crate::policy::MembershipPolicy;
use crate::postgres::{self, PostgresError};

/// How long an operator's enrolment code lives.
pub const ENROLMENT_SECS: i64 = 7 * 24 * 3600;

/// How long open HTTP requests get to finish when the server stops.
const GRACE: Duration = Duration::from_secs(5);

/// Where the server keeps documents and the directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Storage {
    /// One SQLite file in this data directory, for one server process on one machine.
    Sqlite(PathBuf),
    /// A PostgreSQL database (`postgres://…`), which several server processes may share.
    Postgres(String),
}

impl Storage {
    /// The database named by `database` (a `postgres://` URL) if any, else the SQLite file in
    /// `data_dir`.
    pub fn chosen(database: Option<String>, data_dir: &Path) -> Result<Storage, ServeError> {
        match database.filter(|url| !url.trim().is_empty()) {
            None => Ok(Storage::Sqlite(data_dir.to_path_buf())),
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Ok(Storage::Postgres(url))
            }
            Some(_) => Err(ServeError::Postgres(PostgresError::Url(
                "--database takes a postgres:// URL (without it, the server keeps its SQLite \
                 file in --data-dir)"
                    .into(),
            ))),
        }
    }

    /// Where, for the log: the data directory, or the database without its password.
    fn describe(&self) -> String {
        match self {
            Storage::Sqlite(dir) => format!("SQLite in {}", dir.display()),
            Storage::Postgres(url) => match url.parse::<tokio_postgres::Config>() {
                Ok(c) => format!(
                    "PostgreSQL database {:?} on {:?}",
                    c.get_dbname().unwrap_or_default(),
                    c.get_hosts()
                ),
                Err(_) => "PostgreSQL".into(),
            },
        }
    }

    /// The directory alone (for operator commands).
    pub async fn directory(&self) -> Result<Directory, ServeError> {
        Ok(match self {
            Storage::Sqlite(dir) => Directory::new(SqliteBackend::open(dir)?),
            Storage::Postgres(url) => {
                Directory::new(PostgresBackend::new(postgres::open(url).await?).await?)
            }
        })
    }
}

/// Where and how to serve.
#[derive(Debug, Clone)]
pub struct Config {
    pub bind: IpAddr,
    /// 0 picks any free port.
    pub port: u16,
    pub storage: Storage,
    /// PEM certificate chain and private key: serve HTTPS (and WSS) with rustls.
    pub tls: Option<(PathBuf, PathBuf)>,
    /// The oldest protocol version an app may speak here ([`MIN_PROTOCOL`] unless the operator
    /// raises it): an older one is told to update (`update_app`).
    pub min_protocol: u32,
}

/// The oldest version of Tandem's protocol this server accepts
/// (`tandem_protocol::api::PROTOCOL_VERSION` is the newest).
pub const MIN_PROTOCOL: u32 = 1;

/// Why the server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Open(#[from] db::OpenError),
    #[error("directory: {0}")]
    Directory(#[from] rusqlite::Error),
    #[error(transparent)]
    Postgres(#[from] PostgresError),
    #[error("network: {0}")]
    Io(#[from] std::io::Error),
    #[error("TLS: {0}")]
    Tls(String),
    #[error("the sync engine stopped")]
    Stopped,
}

/// A running server's address (announced on stdout as `listening on <scheme>://<addr>`).
#[derive(Debug, Clone, Copy)]
pub struct Listening {
    pub addr: SocketAddr,
    pub tls: bool,
}

impl std::fmt::Display for Listening {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let scheme = if self.tls { "https" } else { "http" };
        write!(f, "{scheme}://{}", self.addr)
    }
}

/// The server's parts, wired together but not yet serving.
pub struct App {
    /// Every route of docs/SYNC.md.
    pub router: axum::Router,
    /// The sync engine (`engine.rs`).
    pub engine: Engine,
    pub directory: Directory,
    pub policy: MembershipPolicy,
    pub durability: Arc<Durability>,
    pub metrics: Arc<Metrics>,
    /// On PostgreSQL: the task that hears the other processes (`fanout.rs`).
    pub listening: Option<tokio::task::AbortHandle>,
}

impl App {
    /// Opens the storage and starts the sync engine on it (on the current tokio runtime).
    pub async fn open(storage: &Storage) -> Result<App, ServeError> {
        let durability = Arc::new(Durability::default());
        match storage {
            Storage::Sqlite(data_dir) => {
                let directory = Directory::new(SqliteBackend::open(data_dir)?);
                let documents = SqliteDocuments::new(db::open(data_dir)?);
                App::start(directory, documents, durability, None).await
            }
            Storage::Postgres(url) => {
                let pool = postgres::open(url).await?;
                let directory = Directory::new(PostgresBackend::new(pool.clone()).await?);
                let peers = Peers::new(pool.clone());
                let documents = Arc::new(PostgresDocuments::new(pool, peers.origin()));
                let mut app = App::start(
                    directory,
                    documents.clone(),
                    durability.clone(),
                    Some(peers.clone()),
                )
                .await?;
                let listener = Listener {
                    url: url.clone(),
                    peers,
                    engine: app.engine.clone(),
                    policy: app.policy.clone(),
                    durability,
                    metrics: app.metrics.clone(),
                };
                app.listening = Some(tokio::spawn(listener.run()).abort_handle());
                Ok(app)
            }
        }
    }

    async fn start(
        directory: Directory,
        documents: impl DocumentStore,
        durability: Arc<Durability>,
        peers: Option<Peers>,
    ) -> Result<App, ServeError> {
        let storage = SamodStorage::new(documents, durability.clone());
        let mut policy = MembershipPolicy::new(directory.clone());
        if let Some(peers) = peers {
            policy = policy.with_peers(peers);
        }
        let engine = Engine::new(
            storage,
            policy.clone(),
            durability.clone(),
            format!("server-{}", directory.server_id()),
        );
        let metrics = Arc::new(Metrics::new(
            durability.clone(),
            engine.clone(),
            policy.connections.clone(),
        ));
        let stored_for = Arc::new(crate::notices::StoredSignals::default());
        tokio::spawn(crate::notices::route_stored(
            Arc::downgrade(&durability),
            directory.clone(),
            stored_for.clone(),
            policy.generation.clone(),
        ));
        let router = api::router(AppState {
            directory: directory.clone(),
            policy: policy.clone(),
            engine: engine.clone(),
            durability: durability.clone(),
            stored_for,
            code_lookups: Default::default(),
            inbound: Default::default(),
            metrics: metrics.clone(),
        });
        Ok(App {
            router,
            engine,
            directory,
            policy,
            durability,
            metrics,
            listening: None,
        })
    }
}

/// Serves until `shutdown` resolves, then stops accepting, stops every connection's repo
/// (each finishing its writes: `Repo::stop`) and returns.
///
/// `on_listening` hears the bound address once the socket is open.
pub async fn serve(
    config: Config,
    on_listening: impl FnOnce(Listening),
    shutdown: impl Future<Output = ()>,
) -> Result<(), ServeError> {
    let App {
        router,
        engine,
        directory,
        listening: fanout,
        ..
    } = App::open(&config.storage).await?;
    let min_protocol = config.min_protocol;
    let router = router.layer(axum::middleware::from_fn(move |request, next| {
        api::check_protocol(min_protocol, request, next)
    }));

    let listener = std::net::TcpListener::bind((config.bind, config.port))?;
    listener.set_nonblocking(true)?;
    let listening = Listening {
        addr: listener.local_addr()?,
        tls: config.tls.is_some(),
    };
    let handle = axum_server::Handle::new();
    // Each request knows its peer's address (code lookups are limited per address).
    let service = router.into_make_service_with_connect_info::<std::net::SocketAddr>();
    let mut serving = match &config.tls {
        None => tokio::spawn(
            axum_server::from_tcp(listener)?
                .handle(handle.clone())
                .serve(service),
        ),
        Some((cert, key)) => {
            // ring keeps the build light (no aws-lc); installing twice is harmless.
            let _ = rustls::crypto::ring::default_provider().install_default();
            let tls = axum_server::tls_rustls::RustlsConfig::from_pem_file(cert, key)
                .await
                .map_err(|e| ServeError::Tls(e.to_string()))?;
            tokio::spawn(
                axum_server::tls_rustls::from_tcp_rustls(listener, tls)?
                    .handle(handle.clone())
                    .serve(service),
            )
        }
    };
    tracing::info!(server_id = directory.server_id(), %listening, storage = config.storage.describe(), "serving");
    on_listening(listening);

    let outcome = tokio::select! {
        result = &mut serving => Some(result),
        () = shutdown => None,
    };
    tracing::info!("stopping");
    handle.graceful_shutdown(Some(GRACE));
    // Every connection's repo stops once its writes are stored.
    engine.stop();
    if let Some(fanout) = fanout {
        fanout.abort();
    }
    let result = match outcome {
        Some(result) => result,
        None => match tokio::time::timeout(GRACE * 2, &mut serving).await {
            Ok(result) => result,
            Err(_) => {
                serving.abort();
                Ok(Ok(()))
            }
        },
    };
    tracing::info!("stopped");
    match result {
        Ok(r) => r.map_err(ServeError::from),
        Err(join) => Err(ServeError::Io(std::io::Error::other(join))),
    }
}

/// Resolves on SIGINT (Ctrl-C) or, on Unix, SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(%e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut term) => {
                term.recv().await;
            }
            Err(e) => {
                tracing::error!(%e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => tracing::info!("interrupted"),
        () = terminate => tracing::info!("terminated"),
    }
}

/// Makes a one-time enrolment code for `role` in the server's storage (whether it is serving
/// or not), valid for seven days; answers the code and its expiry (Unix seconds).
pub async fn enrolment_code(storage: &Storage, role: Role) -> Result<(String, i64), ServeError> {
    let directory = storage.directory().await?;
    let now = chrono::Utc::now().timestamp();
    let expires_at = now + ENROLMENT_SECS;
    let code = directory
        .create_enrolment_code(role, now, expires_at)
        .await
        .map_err(|r| ServeError::Io(std::io::Error::other(r.to_string())))?;
    Ok((code, expires_at))
}

/// The operator makes a new recovery code for a person whose every device is lost, after
/// checking who they are (`tandem-server recovery-code`); it replaces their old one. Works
/// whether a server is serving or not.
pub async fn recovery_code(storage: &Storage, person_id: &str) -> Result<String, ServeError> {
    let directory = storage.directory().await?;
    directory
        .reissue_recovery_code(person_id, chrono::Utc::now().timestamp())
        .await
        .map_err(|r| ServeError::Io(std::io::Error::other(r.to_string())))
}

/// The operator erases a person's account (`tandem-server erase`), whether a server is serving
/// or not; answers how many other people were linked to them or members of their documents
/// (their devices delete the erased documents when they next sync).
///
/// Server processes on PostgreSQL hear of it at once (the membership channel) and close the
/// person's connections. A server on the SQLite file does not hear of another process's
/// writes: it refuses the person's devices from their next call, and the open connections of
/// the erasure's people end when they next reconnect.
pub async fn erase_person(storage: &Storage, person_id: &str) -> Result<usize, ServeError> {
    let now = chrono::Utc::now().timestamp();
    let (directory, pool) = operator_directory(storage).await?;
    let people = directory
        .erase_person(person_id, now)
        .await
        .map_err(refusal)?;
    let told = people.len();
    tell_other_processes(pool, people, person_id).await;
    Ok(told)
}

/// The operator closes the account of a practitioner (or coach) who left the service
/// (`tandem-server deactivate`), and offers each of their clients `hand_over_to`, another
/// practitioner, under the name `to_name`; answers what it did. The clients choose: nothing of
/// theirs reaches the new practitioner before they agree in the app. Other processes hear of
/// it as of an erasure (see [`erase_person`]).
pub async fn deactivate(
    storage: &Storage,
    person_id: &str,
    hand_over_to: Option<&str>,
    to_name: Option<&str>,
) -> Result<crate::directory::Deactivated, ServeError> {
    let now = chrono::Utc::now().timestamp();
    let (directory, pool) = operator_directory(storage).await?;
    let done = directory
        .deactivate(person_id, hand_over_to, to_name, now)
        .await
        .map_err(refusal)?;
    tell_other_processes(pool, done.told.clone(), person_id).await;
    Ok(done)
}

fn refusal(r: crate::directory::Refusal) -> ServeError {
    ServeError::Io(std::io::Error::other(r.to_string()))
}

/// The directory for an operator's command, and the PostgreSQL pool through which the
/// serving processes hear of its changes.
async fn operator_directory(
    storage: &Storage,
) -> Result<(Directory, Option<deadpool_postgres::Pool>), ServeError> {
    Ok(match storage {
        Storage::Sqlite(dir) => (Directory::new(SqliteBackend::open(dir)?), None),
        Storage::Postgres(url) => {
            let pool = postgres::open(url).await?;
            (
                Directory::new(PostgresBackend::new(pool.clone()).await?),
                Some(pool),
            )
        }
    })
}

/// Tells the serving processes on PostgreSQL that the memberships of `people` and `person_id`
/// changed; they close or renew those connections.
async fn tell_other_processes(
    pool: Option<deadpool_postgres::Pool>,
    mut people: Vec<String>,
    person_id: &str,
) {
    if let Some(pool) = pool {
        people.push(person_id.to_string());
        let people: Vec<&str> = people.iter().map(String::as_str).collect();
        crate::fanout::Peers::new(pool)
            .memberships_changed(&people, &[])
            .await;
    }
}

/// Copies the SQLite database in `data_dir` into a new file `to`, consistent as of one moment,
/// while a server may be serving from it (SQLite's `VACUUM INTO`, which reads in one
/// transaction and writes a compact copy); the copy's size in bytes. A PostgreSQL database is
/// backed up with PostgreSQL's own tools (`pg_dump`; see server/README.md).
pub fn backup(data_dir: &Path, to: &Path) -> Result<u64, ServeError> {
    if to.exists() {
        return Err(ServeError::Io(std::io::Error::other(format!(
            "{} exists already: a backup goes into a new file",
            to.display()
        ))));
    }
    let from = data_dir.join(db::DB_FILE);
    if !from.exists() {
        return Err(ServeError::Io(std::io::Error::other(format!(
            "there is no server database in {}",
            data_dir.display()
        ))));
    }
    let conn = db::open(data_dir)?;
    let target = to.to_str().ok_or_else(|| {
        ServeError::Io(std::io::Error::other(
            "the backup's path is not valid UTF-8",
        ))
    })?;
    conn.execute("VACUUM INTO ?1", [target])?;
    Ok(std::fs::metadata(to)?.len())
}

/// Prints the address line tests and scripts read.
pub fn announce(listening: Listening) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "listening on {listening}");
    let _ = out.flush();
}
