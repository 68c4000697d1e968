//! A real `tandem-server` process on 127.0.0.1 for end-to-end tests: started on a free port
//! with its own data directory, and always stopped (killed and reaped) when dropped.
//!
//! With `TANDEM_TEST_DATABASE=postgres` the server keeps its data in PostgreSQL instead of its
//! SQLite file: a database of its own on the test process's throwaway PostgreSQL
//! (`tandem-testdb`), named in `<data dir>/database-url` so that a server restarted on the same
//! data directory finds the same database.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The `tandem-server` binary built beside the running test (cargo puts test executables in
/// `target/<profile>/deps/` and binaries in `target/<profile>/`).
pub fn server_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("the test knows where it runs");
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("tests run from target/<profile>/deps");
    let binary = dir.join(format!("tandem-server{}", std::env::consts::EXE_SUFFIX));
    assert!(
        binary.exists(),
        "{} is missing: run the tests with `cargo test --workspace` so it is built",
        binary.display()
    );
    binary
}

/// Where a server's log goes: the file named by `TANDEM_TEST_SERVER_LOG` (appended to, so a
/// restarted server adds to it), else nowhere.
fn server_log() -> Stdio {
    std::env::var_os("TANDEM_TEST_SERVER_LOG")
        .and_then(|path| {
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .ok()
        })
        .map_or_else(Stdio::null, Stdio::from)
}

/// `--database <url>` for a server on `data_dir`: the database named in the data directory
/// (see [`ServerProcess::start_on_database`]), or, when the tests run on PostgreSQL, one made
/// for it on first use. Nothing otherwise (the server's SQLite file).
pub fn database_args(data_dir: &Path) -> Vec<String> {
    let named = data_dir.join("database-url");
    let url = match std::fs::read_to_string(&named) {
        Ok(url) => url,
        Err(_) if tandem_testdb::postgres_chosen() => {
            let url = tandem_testdb::cluster().new_database();
            std::fs::create_dir_all(data_dir).expect("the data directory can be made");
            std::fs::write(&named, &url).expect("the database's url can be written");
            url
        }
        Err(_) => return Vec::new(),
    };
    vec!["--database".into(), url.trim().to_string()]
}

/// A running server; killed when dropped.
pub struct ServerProcess {
    child: Child,
    pub url: String,
    pub data_dir: PathBuf,
}

impl ServerProcess {
    /// Starts a server on a free loopback port with `data_dir` and waits until it listens.
    pub fn start(data_dir: &Path) -> ServerProcess {
        ServerProcess::start_on(data_dir, 0)
    }

    /// Starts a server on a free loopback port with its data in the PostgreSQL database at
    /// `url` (which other servers may share), remembered in `data_dir`.
    pub fn start_on_database(data_dir: &Path, url: &str) -> ServerProcess {
        std::fs::create_dir_all(data_dir).expect("the data directory can be made");
        std::fs::write(data_dir.join("database-url"), url).expect("the url can be written");
        ServerProcess::start(data_dir)
    }

    /// Starts a server on loopback port `port` (0: a free one) with `data_dir` — the same
    /// port again restarts a server where its devices look for it.
    pub fn start_on(data_dir: &Path, port: u16) -> ServerProcess {
        ServerProcess::start_with(data_dir, port, &[])
    }

    /// Starts a server on loopback port `port` with `data_dir` and these further arguments
    /// (`--tls-cert`, say).
    pub fn start_with(data_dir: &Path, port: u16, more: &[&std::ffi::OsStr]) -> ServerProcess {
        let mut child = Command::new(server_binary())
            .args(database_args(data_dir))
            .args([
                "--bind",
                "127.0.0.1",
                "--port",
                &port.to_string(),
                "--data-dir",
            ])
            .arg(data_dir)
            .args(more)
            .stdout(Stdio::piped())
            .stderr(server_log())
            .spawn()
            .expect("tandem-server starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut lines = BufReader::new(stdout).lines();
        let url = loop {
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some(url) = line.trim().strip_prefix("listening on ") {
                        break url.trim_end_matches('/').to_string();
                    }
                }
                _ => {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!("tandem-server exited before listening");
                }
            }
        };
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        ServerProcess {
            child,
            url,
            data_dir: data_dir.to_path_buf(),
        }
    }

    /// Runs `tandem-server enrol --role ROLE` on this server's data directory; the code.
    pub fn enrol_code(&self, role: &str) -> String {
        let output = Command::new(server_binary())
            .args(database_args(&self.data_dir))
            .args(["enrol", "--role", role, "--data-dir"])
            .arg(&self.data_dir)
            .output()
            .expect("tandem-server enrol runs");
        assert!(
            output.status.success(),
            "enrol failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout)
            .expect("the code is text")
            .split_whitespace()
            .last()
            .expect("enrol prints a code")
            .to_string()
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.url
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .expect("the url ends with a port")
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Asks the server to stop (SIGTERM) and waits for it; its exit status.
    #[cfg(unix)]
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(sent.success(), "SIGTERM was not delivered");
        self.child.wait().expect("the server is reaped")
    }

    /// Kills the server at once (no clean shutdown), as a crash would.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
