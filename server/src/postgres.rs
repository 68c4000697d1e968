//! The server's PostgreSQL database, for a deployment larger than one machine: the same tables
//! as the SQLite file (`db.rs`), shared by every server process that names the database.
//!
//! Connections come from a pool (deadpool-postgres over tokio-postgres). TLS to the database
//! follows the URL's `sslmode`: `disable` talks plain TCP, `prefer` (the default) and `require`
//! use rustls with the Web PKI roots. Migrations run in one transaction under an advisory lock,
//! so processes starting together migrate once; the schema's version is the `version` of
//! `tandem_schema`.

use std::str::FromStr;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::mpsc::UnboundedReceiver;
use tokio_postgres::config::SslMode;
use tokio_postgres::{AsyncMessage, Notification};

/// Connections each server process keeps open at most.
const POOL_SIZE: usize = 16;
/// How long a call waits for a connection (from the pool, or a new one) before failing.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Advisory lock keys (`pg_advisory_xact_lock`): one per purpose.
pub const MIGRATION_LOCK: i64 = 0x7461_6e64_0001;
/// Held by every directory write, so that writes on every process happen one at a time, as
/// the directory's calls expect (SQLite's `BEGIN IMMEDIATE`).
pub const DIRECTORY_WRITE_LOCK: i64 = 0x7461_6e64_0002;

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum PostgresError {
    #[error("database URL: {0}")]
    Url(String),
    #[error("database: {}", describe(.0))]
    Postgres(#[from] tokio_postgres::Error),
    #[error("database: {0}")]
    Pool(#[from] deadpool_postgres::PoolError),
    #[error("the database has schema version {found}; this server reads up to {supported}")]
    NewerSchema { found: i64, supported: i64 },
}

/// A pool of connections to the database at `url` (`postgres://user:password@host:port/db`),
/// its schema brought up to date.
pub async fn open(url: &str) -> Result<Pool, PostgresError> {
    let config =
        tokio_postgres::Config::from_str(url).map_err(|e| PostgresError::Url(e.to_string()))?;
    let manager_config = ManagerConfig {
        recycling_method: RecyclingMethod::Fast,
    };
    let manager = match config.get_ssl_mode() {
        SslMode::Disable => Manager::from_config(config, tokio_postgres::NoTls, manager_config),
        _ => Manager::from_config(config, rustls_connector()?, manager_config),
    };
    let pool = Pool::builder(manager)
        .max_size(POOL_SIZE)
        .runtime(Runtime::Tokio1)
        .wait_timeout(Some(CONNECT_TIMEOUT))
        .create_timeout(Some(CONNECT_TIMEOUT))
        .recycle_timeout(Some(CONNECT_TIMEOUT))
        .build()
        .map_err(|e| PostgresError::Url(e.to_string()))?;
    migrate(&pool).await?;
    Ok(pool)
}

/// TLS to the database with rustls (ring) and the Web PKI roots.
fn rustls_connector() -> Result<tokio_postgres_rustls::MakeRustlsConnect, PostgresError> {
    let roots = rustls::RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| PostgresError::Url(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(tls))
}

/// A connection of its own (not pooled) that runs `listen` (`LISTEN channel; …`, a constant):
/// the notifications, as they arrive, until the connection ends (the receiver then closes).
pub async fn listen(url: &str, listen: &'static str) -> Result<Listening, PostgresError> {
    let config =
        tokio_postgres::Config::from_str(url).map_err(|e| PostgresError::Url(e.to_string()))?;
    match config.get_ssl_mode() {
        SslMode::Disable => listen_on(config.connect(tokio_postgres::NoTls).await?, listen).await,
        _ => listen_on(config.connect(rustls_connector()?).await?, listen).await,
    }
}

async fn listen_on<S, T>(
    (client, mut connection): (tokio_postgres::Client, tokio_postgres::Connection<S, T>),
    listen: &'static str,
) -> Result<Listening, PostgresError>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    T: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (heard, notifications) = tokio::sync::mpsc::unbounded_channel();
    // The connection must be polled for the client's statements to run; it forwards what the
    // database sends on its own until it ends.
    tokio::spawn(async move {
        let mut messages = futures::stream::poll_fn(move |cx| connection.poll_message(cx));
        while let Some(message) = futures::StreamExt::next(&mut messages).await {
            match message {
                Ok(AsyncMessage::Notification(n)) => {
                    if heard.send(n).is_err() {
                        return;
                    }
                }
                Ok(AsyncMessage::Notice(notice)) => {
                    tracing::debug!(message = notice.message(), "database notice")
                }
                Ok(_) => {}
                Err(err) => {
                    tracing::warn!(err = describe(&err), "the database's notifications stopped");
                    return;
                }
            }
        }
    });
    client.batch_execute(listen).await?;
    Ok(Listening {
        _client: client,
        notifications,
    })
}

/// A listening connection: its notifications, while this is kept (dropping it closes the
/// connection).
pub struct Listening {
    _client: tokio_postgres::Client,
    pub notifications: UnboundedReceiver<Notification>,
}

/// Each entry moves the schema one version up, in the batches it lists. Never edit a shipped
/// migration: add one.
const MIGRATIONS: &[&[&str]] = &[
    &[MIGRATE_1, crate::db::DOCUMENT_ACCESS_VIEW],
    // 2: the SQLite file's migration 4 (devices: name, last seen, removed).
    &[crate::db::MIGRATE_DEVICES],
    // 3: the SQLite file's migration 5 (the access log).
    &[crate::db::MIGRATE_ACCESS_LOG],
    // 4: the SQLite file's migration 6 (withdrawn documents, erased ids).
    &[crate::directory::erasure::MIGRATE_WITHDRAWN_AND_ERASED],
    // 5: the SQLite file's migration 7 (recovery codes).
    &[crate::directory::recovery::MIGRATE_RECOVERY_CODES],
    // 6: the SQLite file's migration 8 (deactivated people, handovers).
    &[crate::directory::handover::MIGRATE_DEACTIVATION],
];

/// 1: the tables of the SQLite file's migrations 1 to 3, in PostgreSQL's types (times are Unix
/// seconds as BIGINT, codes' hashes and documents' rows BYTEA; BYTEA compares byte by byte, as
/// the key ranges of `documents.rs` need). `change_feed` starts at 0. The sharing rule's view
/// is the very SQL of the SQLite file's.
const MIGRATE_1: &str = "
    CREATE TABLE kv (key BYTEA PRIMARY KEY, value BYTEA NOT NULL);
    CREATE TABLE server (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        server_id TEXT NOT NULL,
        created_at BIGINT NOT NULL
    );
    CREATE TABLE people (
        person_id TEXT PRIMARY KEY,
        role TEXT NOT NULL CHECK (role IN ('client', 'practitioner', 'coach')),
        journey_id TEXT NOT NULL,
        private_id TEXT NOT NULL,
        created_at BIGINT NOT NULL
    );
    CREATE TABLE devices (
        device_id TEXT PRIMARY KEY,
        person_id TEXT NOT NULL REFERENCES people (person_id),
        created_at BIGINT NOT NULL
    );
    CREATE INDEX devices_by_person ON devices (person_id);
    CREATE TABLE codes (
        code_hash BYTEA PRIMARY KEY,
        purpose TEXT NOT NULL CHECK (purpose IN ('enrol', 'invitation')),
        role TEXT CHECK (role IN ('practitioner', 'coach')),
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        used_at BIGINT,
        used_by TEXT
    );
    CREATE TABLE invitations (
        code_hash BYTEA PRIMARY KEY REFERENCES codes (code_hash),
        kind TEXT NOT NULL CHECK (kind IN ('client', 'practitioner', 'device')),
        inviter TEXT NOT NULL REFERENCES people (person_id),
        from_name TEXT
    );
    CREATE TABLE links (
        supporter TEXT NOT NULL REFERENCES people (person_id),
        supported TEXT NOT NULL REFERENCES people (person_id),
        kind TEXT NOT NULL CHECK (kind IN ('care', 'coaching')),
        relationship_doc TEXT,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (supporter, supported)
    );
    CREATE INDEX links_by_supported ON links (supported);
    CREATE TABLE documents (
        doc_id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('journey', 'check_ins', 'care', 'coaching', 'private')),
        owner TEXT NOT NULL REFERENCES people (person_id),
        journey_id TEXT REFERENCES documents (doc_id),
        with_person TEXT REFERENCES people (person_id),
        created_at BIGINT NOT NULL
    );
    CREATE TABLE memberships (
        doc_id TEXT NOT NULL REFERENCES documents (doc_id),
        person_id TEXT NOT NULL REFERENCES people (person_id),
        access TEXT NOT NULL CHECK (access IN ('read', 'write')),
        granted_by TEXT NOT NULL,
        granted_at BIGINT NOT NULL,
        PRIMARY KEY (doc_id, person_id)
    );
    CREATE TABLE consents (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        who TEXT NOT NULL,
        whom TEXT NOT NULL,
        what TEXT NOT NULL,
        access TEXT,
        action TEXT NOT NULL CHECK (action IN ('grant', 'revoke')),
        at BIGINT NOT NULL,
        consent_text_version TEXT
    );
    CREATE INDEX consents_by_who ON consents (who, id);
    CREATE TABLE nonces (nonce TEXT PRIMARY KEY, expires_at BIGINT NOT NULL);
    CREATE INDEX nonces_by_expiry ON nonces (expires_at);
    CREATE TABLE change_feed (id INTEGER PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL);
    INSERT INTO change_feed (id, seq) VALUES (1, 0);
    CREATE TABLE doc_changes (doc_id TEXT PRIMARY KEY, seq BIGINT NOT NULL);
    CREATE INDEX doc_changes_by_seq ON doc_changes (seq);
";

/// Brings the schema to version `MIGRATIONS.len()`, once, whichever process gets there first.
async fn migrate(pool: &Pool) -> Result<(), PostgresError> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS tandem_schema (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            version BIGINT NOT NULL
         );
         INSERT INTO tandem_schema (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;",
    )
    .await?;
    let found: i64 = tx
        .query_one("SELECT version FROM tandem_schema WHERE id = 1", &[])
        .await?
        .try_get(0)?;
    let supported = MIGRATIONS.len() as i64;
    if found > supported {
        return Err(PostgresError::NewerSchema { found, supported });
    }
    for step in MIGRATIONS.iter().skip(found as usize) {
        for batch in *step {
            tx.batch_execute(batch).await?;
        }
    }
    tx.execute(
        "UPDATE tandem_schema SET version = $1 WHERE id = 1",
        &[&supported],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What went wrong, in words: the database's own message and code when it answered one
/// (tokio-postgres shows only "db error" otherwise).
pub fn describe(err: &tokio_postgres::Error) -> String {
    match err.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => err.to_string(),
    }
}

/// The server's id: made by the first process to ask, read by the others.
pub async fn server_id(pool: &Pool) -> Result<String, PostgresError> {
    let client = pool.get().await?;
    let fresh = bs58::encode(rand::random::<[u8; 16]>()).into_string();
    client
        .execute(
            "INSERT INTO server (id, server_id, created_at) VALUES (1, $1, $2)
             ON CONFLICT (id) DO NOTHING",
            &[&fresh, &chrono::Utc::now().timestamp()],
        )
        .await?;
    Ok(client
        .query_one("SELECT server_id FROM server WHERE id = 1", &[])
        .await?
        .try_get(0)?)
}
