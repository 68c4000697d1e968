//! What the server load benchmark (`benches/server_load.rs`) needs of processes: their memory
//! and CPU read from `/proc`, pinning to a CPU (`taskset`), the open-file limit, the JavaScript
//! automerge-repo sync server (`js/sync-server.mjs`) and a PostgreSQL server of its own, each
//! stopped when dropped.
//!
//! Linux only (`/proc`); the tools come from util-linux (`taskset`, `prlimit`, `runuser`). A
//! missing tool is reported by the caller and the figures are taken without it.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// The CPU the servers (and their database) are pinned to.
pub const SERVER_CPU: &str = "0";
/// The CPU the load generator is pinned to.
pub const GENERATOR_CPU: &str = "1";

/// A field `name` (kB) of `/proc/<pid>/status`: `VmRSS`, `VmHWM`.
fn status_kb(pid: u32, name: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|line| {
        line.strip_prefix(name)?
            .strip_prefix(':')?
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()
    })
}

/// Resident memory of `pid` now, in kB.
pub fn rss_kb(pid: u32) -> Option<u64> {
    status_kb(pid, "VmRSS")
}

/// The peak resident memory of `pid` (since it started or since [`reset_peak_rss`]), in kB.
pub fn peak_rss_kb(pid: u32) -> Option<u64> {
    status_kb(pid, "VmHWM")
}

/// Resets the peak resident memory of `pid` to what it holds now (`/proc/<pid>/clear_refs`,
/// value 5); whether the kernel allowed it.
pub fn reset_peak_rss(pid: u32) -> bool {
    std::fs::write(format!("/proc/{pid}/clear_refs"), "5").is_ok()
}

/// The proportional set size of `pid` in kB (`smaps_rollup`): its memory with pages shared
/// between processes divided among them, so that several processes' figures add up.
pub fn pss_kb(pid: u32) -> Option<u64> {
    let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    rollup.lines().find_map(|line| {
        line.strip_prefix("Pss:")?
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()
    })
}

/// User plus system CPU time `pid` has used, in clock ticks ([`clock_ticks_per_second`]).
pub fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name is in parentheses and may hold spaces: count fields after the last ')'.
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // After the name: state (3rd field of the line) is fields[0]; utime (14th) is fields[11].
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

/// The parent of `pid`.
fn parent_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(1)?.parse().ok()
}

/// `pid` and every process descended from it.
pub fn process_tree(pid: u32) -> Vec<u32> {
    let mut parents = HashMap::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        if let Some(p) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        {
            if let Some(parent) = parent_of(p) {
                parents.insert(p, parent);
            }
        }
    }
    let mut tree = vec![pid];
    let mut i = 0;
    while i < tree.len() {
        let at = tree[i];
        tree.extend(
            parents
                .iter()
                .filter(|(_, parent)| **parent == at)
                .map(|(p, _)| *p),
        );
        i += 1;
    }
    tree
}

/// Clock ticks per second of `/proc/<pid>/stat`'s times (`getconf CLK_TCK`; 100 if unknown).
pub fn clock_ticks_per_second() -> u64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100)
}

/// CPU time used by a set of processes between two readings.
#[derive(Debug, Clone, Default)]
pub struct CpuReading {
    ticks: HashMap<u32, u64>,
    at: Option<Instant>,
}

impl CpuReading {
    /// The CPU time each of `pids` has used so far.
    pub fn of(pids: &[u32]) -> CpuReading {
        CpuReading {
            ticks: pids
                .iter()
                .filter_map(|&p| cpu_ticks(p).map(|t| (p, t)))
                .collect(),
            at: Some(Instant::now()),
        }
    }

    /// The share of one core the processes of `later` used since `self` (1.0 = one core
    /// busy); a process that started in between counts from zero.
    pub fn share_until(&self, later: &CpuReading, ticks_per_second: u64) -> f64 {
        let (Some(from), Some(to)) = (self.at, later.at) else {
            return 0.0;
        };
        let ticks: u64 = later
            .ticks
            .iter()
            .map(|(pid, t)| t.saturating_sub(self.ticks.get(pid).copied().unwrap_or(0)))
            .sum();
        let seconds = to.duration_since(from).as_secs_f64().max(1e-9);
        ticks as f64 / ticks_per_second as f64 / seconds
    }
}

/// Whether `taskset` runs here.
pub fn taskset_available() -> bool {
    Command::new("taskset")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// How many CPUs this process may run on.
pub fn cpus() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Pins every thread of `pid` to `cpu` (`taskset -a -p -c`); threads it starts later inherit
/// the pinning of the thread that starts them.
pub fn pin(pid: u32, cpu: &str) -> Result<(), String> {
    let out = Command::new("taskset")
        .args(["-a", "-p", "-c", cpu, &pid.to_string()])
        .output()
        .map_err(|e| format!("taskset: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

/// This process's open-file limit: (soft, hard), from `/proc/self/limits`.
pub fn open_files_limit() -> Option<(u64, u64)> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    let mut numbers = line["Max open files".len()..].split_whitespace().map(|w| {
        if w == "unlimited" {
            Some(u64::MAX)
        } else {
            w.parse().ok()
        }
    });
    Some((numbers.next()??, numbers.next()??))
}

/// Raises this process's soft open-file limit to its hard limit (`prlimit`), so that the
/// servers it starts inherit it too; the limits after.
pub fn raise_open_files() -> Result<(u64, u64), String> {
    let (soft, hard) = open_files_limit().ok_or("no /proc/self/limits")?;
    if soft < hard {
        let limit = if hard == u64::MAX {
            "unlimited".to_string()
        } else {
            hard.to_string()
        };
        let out = Command::new("prlimit")
            .arg("--pid")
            .arg(std::process::id().to_string())
            .arg(format!("--nofile={limit}:{limit}"))
            .output()
            .map_err(|e| format!("prlimit: {e}"))?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
        }
    }
    open_files_limit().ok_or_else(|| "no /proc/self/limits".into())
}

/// A command run under `taskset -c cpu` when `cpu` is given.
fn pinned_command(cpu: Option<&str>, program: impl AsRef<std::ffi::OsStr>) -> Command {
    match cpu {
        Some(cpu) => {
            let mut command = Command::new("taskset");
            command.args(["-c", cpu]).arg(program);
            command
        }
        None => Command::new(program),
    }
}

/// Reads `child`'s stdout until a line starts with `prefix`; the rest of that line. Its stdout
/// is drained in the background afterwards. `None` if the child ended first.
fn wait_for_line(child: &mut Child, prefix: &str) -> Option<String> {
    let stdout = child.stdout.take()?;
    let mut lines = BufReader::new(stdout).lines();
    let found = loop {
        match lines.next() {
            Some(Ok(line)) => {
                if let Some(rest) = line.trim().strip_prefix(prefix) {
                    break Some(rest.trim().to_string());
                }
            }
            _ => break None,
        }
    };
    std::thread::spawn(move || for _ in lines {});
    found
}

/// The JavaScript automerge-repo sync server (`tests/js/sync-server.mjs`) on 127.0.0.1, with
/// its documents in `data_dir`; killed when dropped.
pub struct JsSyncServer {
    child: Child,
    /// Closing it tells the server to stop, should this process die without dropping it.
    _stdin: Option<ChildStdin>,
    /// `ws://127.0.0.1:PORT`.
    pub url: String,
}

impl JsSyncServer {
    /// Starts `node sync-server.mjs` in `js_dir` (pinned to `cpu` if given) and waits until it
    /// listens.
    pub fn start(js_dir: &Path, data_dir: &Path, cpu: Option<&str>) -> Result<Self, String> {
        std::fs::create_dir_all(data_dir).map_err(|e| e.to_string())?;
        let mut child = pinned_command(cpu, "node")
            .arg("sync-server.mjs")
            .arg(data_dir)
            .current_dir(js_dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("node does not start: {e}"))?;
        let stdin = child.stdin.take();
        let mut stderr = child.stderr.take();
        match wait_for_line(&mut child, "listening on ") {
            Some(url) => {
                // Keep draining stderr so that the server never blocks on a full pipe.
                if let Some(mut stderr) = stderr {
                    std::thread::spawn(move || {
                        let _ = std::io::copy(&mut stderr, &mut std::io::sink());
                    });
                }
                Ok(JsSyncServer {
                    child,
                    _stdin: stdin,
                    url: url.trim_end_matches('/').to_string(),
                })
            }
            None => {
                let _ = child.kill();
                let _ = child.wait();
                let mut why = String::new();
                if let Some(stderr) = stderr.as_mut() {
                    let _ = stderr.read_to_string(&mut why);
                }
                Err(format!(
                    "sync-server.mjs exited before listening: {}",
                    why.trim()
                ))
            }
        }
    }

    /// The server's process id (node's: `taskset` runs it in its own place).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for JsSyncServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A PostgreSQL server this process starts for itself with PostgreSQL's default settings
/// (durable commits: `fsync` and `synchronous_commit` on), on 127.0.0.1 and a free port, in a
/// directory of its own; stopped, and its directory removed, when dropped.
///
/// The tests' shared one (`tandem-testdb`) runs with `fsync=off`, which suits tests but not a
/// benchmark of storage. As root, PostgreSQL runs as the `postgres` user (`runuser`).
pub struct Postgres {
    child: Child,
    dir: PathBuf,
    bin: PathBuf,
    port: u16,
    databases: AtomicU32,
}

/// The directory holding `initdb`, `postgres` and `psql`: `TANDEM_PG_BIN`, else the newest
/// `/usr/lib/postgresql/<version>/bin`, else the `PATH`.
pub fn postgres_binaries() -> Option<PathBuf> {
    let has = |dir: &Path| dir.join("initdb").is_file() && dir.join("postgres").is_file();
    if let Some(dir) = std::env::var_os("TANDEM_PG_BIN").map(PathBuf::from) {
        return has(&dir).then_some(dir);
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
        return Some(dir);
    }
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .find(|dir| has(dir))
}

/// Whether this process runs as root (`/proc/self/status`).
fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Uid:"))
                .and_then(|ids| ids.split_whitespace().nth(1).map(|e| e == "0"))
        })
        .unwrap_or(false)
}

fn free_port() -> Result<u16, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}

/// `program` as the `postgres` user when `as_postgres` (this process is root), pinned to `cpu`
/// if given.
fn server_user_command(as_postgres: bool, cpu: Option<&str>, program: PathBuf) -> Command {
    if as_postgres {
        let mut command = pinned_command(cpu, "runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        pinned_command(cpu, program)
    }
}

impl Postgres {
    /// initdb, then `postgres` (pinned to `cpu` if given); waits until it answers.
    pub fn start(cpu: Option<&str>) -> Result<Postgres, String> {
        let bin = postgres_binaries().ok_or(
            "PostgreSQL's server programs (initdb, postgres) are not installed (Debian: \
             `apt-get install postgresql`; or name their directory in TANDEM_PG_BIN)",
        )?;
        let dir = std::env::temp_dir().join(format!(
            "tandem-load-postgres-{}-{}",
            std::process::id(),
            rand::random::<u32>()
        ));
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let started = Postgres::start_in(&dir, bin, is_root(), cpu);
        if started.is_err() {
            let _ = std::fs::remove_dir_all(&dir);
        }
        started
    }

    fn start_in(
        dir: &Path,
        bin: PathBuf,
        as_postgres: bool,
        cpu: Option<&str>,
    ) -> Result<Postgres, String> {
        if as_postgres {
            let chown = Command::new("chown")
                .arg("postgres:postgres")
                .arg(dir)
                .status()
                .map_err(|e| format!("chown: {e}"))?;
            if !chown.success() {
                return Err("cannot give the database directory to the postgres user".into());
            }
        }
        let data = dir.join("data");
        let out = server_user_command(as_postgres, None, bin.join("initdb"))
            .arg("-D")
            .arg(&data)
            .args(["-U", "postgres", "--auth", "trust", "-E", "UTF8"])
            .current_dir(dir)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("initdb: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "initdb failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        let port = free_port()?;
        let child = server_user_command(as_postgres, cpu, bin.join("postgres"))
            .arg("-D")
            .arg(&data)
            .arg("-k")
            .arg(dir)
            .args(["-h", "127.0.0.1", "-p", &port.to_string()])
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("postgres: {e}"))?;
        // From here on, dropping it stops the server and removes the directory.
        let mut postgres = Postgres {
            child,
            dir: dir.to_path_buf(),
            bin,
            port,
            databases: AtomicU32::new(0),
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(Some(status)) = postgres.child.try_wait() {
                return Err(format!("postgres exited while starting ({status})"));
            }
            if postgres.psql("postgres", "SELECT 1").is_ok() {
                return Ok(postgres);
            }
            if Instant::now() > deadline {
                return Err("postgres did not answer within a minute".into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Runs one SQL command on database `db` with `psql`; its output.
    pub fn psql(&self, db: &str, sql: &str) -> Result<String, String> {
        let out = Command::new(self.bin.join("psql"))
            .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"])
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U"])
            .args(["postgres", "-d", db, "-c", sql])
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("psql: {e}"))?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    }

    /// Makes a new, empty database; its URL (plain TCP, as `postgres`).
    pub fn new_database(&self) -> String {
        let n = self.databases.fetch_add(1, Ordering::Relaxed);
        let name = format!("tandem_load_{n}");
        self.psql("postgres", &format!("CREATE DATABASE {name}"))
            .unwrap_or_else(|e| panic!("creating database {name}: {e}"));
        format!(
            "postgres://postgres@127.0.0.1:{}/{name}?sslmode=disable",
            self.port
        )
    }

    /// The postmaster's process id (from `postmaster.pid`).
    pub fn postmaster(&self) -> Option<u32> {
        std::fs::read_to_string(self.dir.join("data/postmaster.pid"))
            .ok()?
            .lines()
            .next()?
            .trim()
            .parse()
            .ok()
    }

    /// The postmaster and every process it started (its backends, one per connection).
    pub fn pids(&self) -> Vec<u32> {
        self.postmaster().map(process_tree).unwrap_or_default()
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        // A fast shutdown (SIGINT to the postmaster), then whatever started it.
        if let Some(pid) = self.postmaster() {
            let _ = Command::new("kill")
                .args(["-INT", &pid.to_string()])
                .status();
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
