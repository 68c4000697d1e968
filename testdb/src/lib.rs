//! A throwaway PostgreSQL for tests.
//!
//! [`cluster`] starts one PostgreSQL server per test process, on first use: `initdb` into a
//! temporary directory, listening on 127.0.0.1 on a free port (and a Unix socket in that
//! directory), trusting local connections. It stops when the test process exits — at `exit`,
//! and also if the process dies, since the server gets SIGQUIT when the thread that started it
//! ends — and its directory is removed at exit. Each test asks for a fresh database of its own
//! ([`Cluster::new_database`]); nothing connects to a database the tests did not start.
//!
//! PostgreSQL refuses to run as root: as root (CI), `initdb` and `postgres` run as the
//! `postgres` system user. The binaries come from `TANDEM_PG_BIN`, else the newest
//! `/usr/lib/postgresql/<version>/bin` (Debian's `postgresql` package), else the `PATH`.
//!
//! The server runs with `fsync=off`: the tests kill Tandem's processes, never PostgreSQL, so a
//! commit PostgreSQL acknowledged is never lost here; benchmarks that print storage figures
//! start their own server with the defaults.

use std::io;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// The environment variable that selects PostgreSQL for the server suites.
pub const BACKEND_VAR: &str = "TANDEM_TEST_DATABASE";

/// Whether the server suites run against PostgreSQL in this process
/// (`TANDEM_TEST_DATABASE=postgres`); otherwise they use SQLite.
pub fn postgres_chosen() -> bool {
    std::env::var(BACKEND_VAR).is_ok_and(|v| v.eq_ignore_ascii_case("postgres"))
}

/// How long PostgreSQL gets to start, and to stop.
const PATIENCE: Duration = Duration::from_secs(60);

/// A PostgreSQL server started by this process.
pub struct Cluster {
    /// The temporary directory: `data/` and the Unix socket.
    dir: PathBuf,
    bin: PathBuf,
    port: u16,
    pid: i32,
    exited: Arc<AtomicBool>,
    databases: AtomicU32,
}

static CLUSTER: OnceLock<Result<Cluster, String>> = OnceLock::new();

/// This process's PostgreSQL, started on first use. Panics, saying how to install PostgreSQL,
/// when it cannot start.
pub fn cluster() -> &'static Cluster {
    match CLUSTER.get_or_init(start) {
        Ok(cluster) => cluster,
        Err(why) => panic!("a throwaway PostgreSQL for the tests could not start: {why}"),
    }
}

impl Cluster {
    /// The port it listens on, on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The URL of database `name` on this server, as the `postgres` user, without TLS.
    pub fn url(&self, name: &str) -> String {
        format!(
            "postgres://postgres@127.0.0.1:{}/{name}?sslmode=disable",
            self.port
        )
    }

    /// Makes a new, empty database; its URL.
    pub fn new_database(&self) -> String {
        let n = self.databases.fetch_add(1, Ordering::Relaxed);
        let name = format!("tandem_{}_{n}", std::process::id());
        self.psql("postgres", &format!("CREATE DATABASE {name}"))
            .unwrap_or_else(|e| panic!("creating database {name}: {e}"));
        self.url(&name)
    }

    /// Runs one SQL command on database `db` with `psql`; its output.
    pub fn psql(&self, db: &str, sql: &str) -> Result<String, String> {
        let out = Command::new(self.bin.join("psql"))
            .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"])
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                "postgres",
            ])
            .args(["-d", db, "-c", sql])
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("psql: {e}"))?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    }
}

/// The directory holding `initdb` and `postgres`.
fn binaries() -> Result<PathBuf, String> {
    let has = |dir: &Path| dir.join("initdb").is_file() && dir.join("postgres").is_file();
    if let Some(dir) = std::env::var_os("TANDEM_PG_BIN").map(PathBuf::from) {
        return if has(&dir) {
            Ok(dir)
        } else {
            Err(format!(
                "TANDEM_PG_BIN={} holds no initdb and postgres",
                dir.display()
            ))
        };
    }
    let mut debian: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse().ok()?;
            Some((version, e.path().join("bin")))
        })
        .filter(|(_, dir)| has(dir))
        .collect();
    debian.sort();
    if let Some((_, dir)) = debian.pop() {
        return Ok(dir);
    }
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .find(|dir| has(dir))
        .ok_or_else(|| {
            "PostgreSQL's server programs (initdb, postgres) are not installed; on Debian or \
             Ubuntu: `apt-get install postgresql` (scripts/test installs it when run as root), \
             or name their directory in TANDEM_PG_BIN"
                .to_string()
        })
}

/// The `postgres` system user's ids, when this process runs as root.
fn server_user() -> Result<Option<(libc::uid_t, libc::gid_t)>, String> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Ok(None);
    }
    // SAFETY: a NUL-terminated name; the record is read at once, before any other call that
    // could reuse getpwnam's static buffer.
    let entry = unsafe { libc::getpwnam(c"postgres".as_ptr()) };
    if entry.is_null() {
        return Err(
            "running as root, and there is no `postgres` user to run PostgreSQL as (PostgreSQL \
             refuses root); installing Debian's `postgresql` package makes one"
                .into(),
        );
    }
    // SAFETY: getpwnam answered a valid record.
    let (uid, gid) = unsafe { ((*entry).pw_uid, (*entry).pw_gid) };
    Ok(Some((uid, gid)))
}

/// Makes `command` run as `user` (if any), and get `death_signal` when the thread that spawned
/// it ends (if any).
fn run_as(
    command: &mut Command,
    user: Option<(libc::uid_t, libc::gid_t)>,
    death_signal: Option<i32>,
) {
    // SAFETY: the closure runs between fork and exec and calls only async-signal-safe
    // functions (setgroups, setgid, setuid, prctl).
    unsafe {
        command.pre_exec(move || {
            if let Some((uid, gid)) = user {
                if libc::setgroups(0, std::ptr::null()) != 0
                    || libc::setgid(gid) != 0
                    || libc::setuid(uid) != 0
                {
                    return Err(io::Error::last_os_error());
                }
            }
            // After setuid, which clears it.
            if let Some(signal) = death_signal {
                if libc::prctl(libc::PR_SET_PDEATHSIG, signal as libc::c_ulong) != 0 {
                    return Err(io::Error::last_os_error());
                }
            }
            Ok(())
        });
    }
}

fn free_port() -> Result<u16, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}

fn start() -> Result<Cluster, String> {
    let bin = binaries()?;
    let user = server_user()?;
    let dir = tempfile::Builder::new()
        .prefix("tandem-postgres-")
        .tempdir()
        .map_err(|e| format!("a temporary directory: {e}"))?
        .keep();
    if let Some((uid, gid)) = user {
        std::os::unix::fs::chown(&dir, Some(uid), Some(gid))
            .map_err(|e| format!("giving {} to postgres: {e}", dir.display()))?;
    }
    let data = dir.join("data");
    let mut initdb = Command::new(bin.join("initdb"));
    initdb
        .arg("-D")
        .arg(&data)
        .args([
            "-U",
            "postgres",
            "--auth",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
        ])
        .current_dir(&dir)
        .stdin(Stdio::null());
    run_as(&mut initdb, user, None);
    let out = initdb.output().map_err(|e| format!("initdb: {e}"))?;
    if !out.status.success() {
        let _ = std::fs::remove_dir_all(&dir);
        return Err(format!(
            "initdb failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }

    let port = free_port()?;
    let mut postgres = Command::new(bin.join("postgres"));
    postgres
        .arg("-D")
        .arg(&data)
        .arg("-k")
        .arg(&dir)
        .args(["-h", "127.0.0.1", "-p", &port.to_string()])
        .args(["-c", "fsync=off", "-c", "max_connections=300"])
        .current_dir(&dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Some(log) = std::env::var_os("TANDEM_TEST_POSTGRES_LOG") {
        if let Ok(file) = std::fs::File::create(log) {
            postgres.stderr(file);
        }
    }
    run_as(&mut postgres, user, Some(libc::SIGQUIT));
    // The thread that starts PostgreSQL waits for it, so it lives exactly as long as the
    // server: its end (the process's end) sends the server SIGQUIT.
    let exited = Arc::new(AtomicBool::new(false));
    let (started, pid) = std::sync::mpsc::channel();
    let flag = exited.clone();
    std::thread::Builder::new()
        .name("postgres".into())
        .spawn(move || match postgres.spawn() {
            Ok(mut child) => {
                let _ = started.send(Ok(child.id() as i32));
                let _ = child.wait();
                flag.store(true, Ordering::SeqCst);
            }
            Err(e) => {
                let _ = started.send(Err(format!("postgres: {e}")));
                flag.store(true, Ordering::SeqCst);
            }
        })
        .map_err(|e| e.to_string())?;
    let pid = pid.recv().map_err(|e| e.to_string())??;
    let cluster = Cluster {
        dir,
        bin,
        port,
        pid,
        exited,
        databases: AtomicU32::new(0),
    };
    let deadline = Instant::now() + PATIENCE;
    loop {
        if cluster.exited.load(Ordering::SeqCst) {
            let _ = std::fs::remove_dir_all(&cluster.dir);
            return Err(
                "postgres exited while starting (set TANDEM_TEST_POSTGRES_LOG=<file> for its log)"
                    .into(),
            );
        }
        if cluster.psql("postgres", "SELECT 1").is_ok() {
            break;
        }
        if Instant::now() > deadline {
            stop(&cluster);
            return Err("postgres did not accept connections within a minute".into());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    // SAFETY: registering a plain `extern "C"` function.
    unsafe { libc::atexit(stop_at_exit) };
    Ok(cluster)
}

/// Stops the server (fast shutdown: connections are closed, nothing waits for them) and
/// removes its directory.
fn stop(cluster: &Cluster) {
    // SAFETY: signalling our own child.
    unsafe { libc::kill(cluster.pid, libc::SIGINT) };
    let deadline = Instant::now() + PATIENCE;
    while !cluster.exited.load(Ordering::SeqCst) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = std::fs::remove_dir_all(&cluster.dir);
}

extern "C" fn stop_at_exit() {
    if let Some(Ok(cluster)) = CLUSTER.get() {
        stop(cluster);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_throwaway_server_answers_on_loopback_with_databases_of_its_own() {
        let cluster = cluster();
        let first = cluster.new_database();
        let second = cluster.new_database();
        assert_ne!(first, second);
        assert!(first.starts_with(&format!(
            "postgres://postgres@127.0.0.1:{}/",
            cluster.port()
        )));
        let name = first.rsplit('/').next().unwrap().split('?').next().unwrap();
        cluster
            .psql(
                name,
                "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (41 + 1)",
            )
            .unwrap();
        assert_eq!(cluster.psql(name, "SELECT x FROM t").unwrap(), "42");
        assert_eq!(
            cluster.psql("postgres", "SHOW listen_addresses").unwrap(),
            "127.0.0.1"
        );
    }
}
