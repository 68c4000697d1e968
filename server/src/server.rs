//! Starting, serving and stopping the server.

use std::future::Future;
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use samod::{PeerId, Repo};
use tandem_protocol::api::Role;

use crate::api::{self, AppState};
use crate::db;
use crate::directory::{Directory, SqliteDirectory};
use crate::documents::{Durability, SamodStorage, SqliteDocuments};
use crate::policy::MembershipPolicy;

/// How long an operator's enrolment code lives.
pub const ENROLMENT_SECS: i64 = 7 * 24 * 3600;

/// How long open HTTP requests get to finish when the server stops.
const GRACE: Duration = Duration::from_secs(5);

/// Where and how to serve.
#[derive(Debug, Clone)]
pub struct Config {
    pub bind: IpAddr,
    /// 0 picks any free port.
    pub port: u16,
    pub data_dir: PathBuf,
    /// PEM certificate chain and private key: serve HTTPS (and WSS) with rustls.
    pub tls: Option<(PathBuf, PathBuf)>,
}

/// Why the server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Open(#[from] db::OpenError),
    #[error("directory: {0}")]
    Directory(#[from] rusqlite::Error),
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
    pub repo: Repo,
    pub acceptor: samod::AcceptorHandle,
    pub directory: Arc<dyn Directory>,
    pub policy: MembershipPolicy,
    pub durability: Arc<Durability>,
}

impl App {
    /// Opens the database in `data_dir` and starts the sync engine on it (on the current tokio
    /// runtime).
    pub async fn open(data_dir: &Path) -> Result<App, ServeError> {
        let directory: Arc<dyn Directory> = Arc::new(SqliteDirectory::open(data_dir)?);
        let durability = Arc::new(Durability::default());
        let storage = SamodStorage::new(
            SqliteDocuments::new(db::open(data_dir)?),
            durability.clone(),
        );
        let policy = MembershipPolicy::new(directory.clone());
        let server_peer = PeerId::from(format!("server-{}", directory.server_id()));
        let repo = Repo::build_tokio()
            .with_storage(storage)
            .with_peer_id(server_peer)
            .with_share_policy(policy.clone())
            .load()
            .await;
        let acceptor = repo
            .make_acceptor(samod::Url::parse("ws://tandem-server/v1/sync").expect("a valid url"))
            .map_err(|_| ServeError::Stopped)?;
        let router = api::router(AppState {
            directory: directory.clone(),
            policy: policy.clone(),
            acceptor: acceptor.clone(),
            durability: durability.clone(),
            code_lookups: Default::default(),
        });
        Ok(App {
            router,
            repo,
            acceptor,
            directory,
            policy,
            durability,
        })
    }
}

/// Serves until `shutdown` resolves, then stops accepting, closes the sync connections, lets
/// samod finish its writes (`Repo::stop`) and returns.
///
/// `on_listening` hears the bound address once the socket is open.
pub async fn serve(
    config: Config,
    on_listening: impl FnOnce(Listening),
    shutdown: impl Future<Output = ()>,
) -> Result<(), ServeError> {
    let App {
        router,
        repo,
        acceptor,
        directory,
        ..
    } = App::open(&config.data_dir).await?;
    tokio::spawn(log_connections(acceptor.clone()));

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
    tracing::info!(server_id = directory.server_id(), %listening, data_dir = %config.data_dir.display(), "serving");
    on_listening(listening);

    let outcome = tokio::select! {
        result = &mut serving => Some(result),
        () = shutdown => None,
    };
    tracing::info!("stopping");
    handle.graceful_shutdown(Some(GRACE));
    acceptor.close();
    repo.stop().await;
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

async fn log_connections(acceptor: samod::AcceptorHandle) {
    let mut events = acceptor.events();
    while let Some(event) = events.next().await {
        match event {
            samod::AcceptorEvent::ClientConnected {
                peer_info,
                connection_id,
            } => {
                tracing::info!(peer = %peer_info.peer_id, ?connection_id, "peer connected")
            }
            samod::AcceptorEvent::ClientDisconnected {
                connection_id,
                reason,
            } => tracing::info!(?connection_id, %reason, "peer disconnected"),
        }
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

/// Makes a one-time enrolment code for `role` in the server at `data_dir` (running or not),
/// valid for seven days; answers the code and its expiry (Unix seconds).
pub fn enrolment_code(data_dir: &Path, role: Role) -> Result<(String, i64), ServeError> {
    let directory = SqliteDirectory::open(data_dir)?;
    let now = chrono::Utc::now().timestamp();
    let expires_at = now + ENROLMENT_SECS;
    let code = directory
        .create_enrolment_code(role, now, expires_at)
        .map_err(|r| ServeError::Io(std::io::Error::other(r.to_string())))?;
    Ok((code, expires_at))
}

/// Prints the address line tests and scripts read.
pub fn announce(listening: Listening) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "listening on {listening}");
    let _ = out.flush();
}
