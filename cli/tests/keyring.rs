//! The store's key in the desktop's keyring: a real Secret Service (GNOME Keyring's daemon on
//! a D-Bus session bus of the test's own, with its keyrings in a temporary folder), the real
//! `tandem` binary, and `secret-tool` (libsecret's own client) to look at what was kept.
//! `scripts/test` installs the three (Debian: dbus, gnome-keyring, libsecret-tools).

mod support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use support::store_files_hold;

const NOW: &str = "2026-03-04T19:00:00Z";

/// A session bus and a Secret Service on it, both stopped when this is dropped.
struct SecretService {
    bus: Child,
    daemon: Child,
    address: String,
    home: tempfile::TempDir,
}

fn program(name: &str) -> Command {
    let found = std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|dir| dir.join(name).is_file()))
        .unwrap_or(false);
    assert!(
        found,
        "{name} is missing: the keyring tests need dbus-daemon, gnome-keyring-daemon and \
         secret-tool (Debian: apt-get install dbus gnome-keyring libsecret-tools; \
         scripts/test installs them)"
    );
    Command::new(name)
}

impl SecretService {
    fn start() -> SecretService {
        let home = tempfile::tempdir().expect("a temporary folder");
        let runtime = home.path().join("run");
        std::fs::create_dir(&runtime).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700)).unwrap();
        // The bus's socket in the test's own folder, gone with it (not left in /tmp).
        let mut bus = program("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .arg(format!(
                "--address=unix:path={}",
                runtime.join("bus").display()
            ))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon starts");
        let mut address = String::new();
        {
            use std::io::BufRead;
            let stdout = bus.stdout.take().unwrap();
            std::io::BufReader::new(stdout)
                .read_line(&mut address)
                .expect("dbus-daemon prints its address");
        }
        let address = address.trim().to_string();
        assert!(address.starts_with("unix:"), "a bus address: {address:?}");
        let mut daemon = program("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_RUNTIME_DIR", &runtime)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("gnome-keyring-daemon starts");
        // The login keyring's password, on stdin: the keyring is made and unlocked with it.
        let mut stdin = daemon.stdin.take().unwrap();
        stdin.write_all(b"the test's keyring").unwrap();
        drop(stdin);
        let service = SecretService {
            bus,
            daemon,
            address,
            home,
        };
        service.wait_for_the_service();
        service
    }

    /// Until the daemon owns org.freedesktop.secrets on the bus (a minute at most).
    fn wait_for_the_service(&self) {
        for _ in 0..600 {
            let out = program("dbus-send")
                .args([
                    "--session",
                    "--print-reply",
                    "--dest=org.freedesktop.DBus",
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus.NameHasOwner",
                    "string:org.freedesktop.secrets",
                ])
                .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
                .output()
                .expect("dbus-send runs");
            if String::from_utf8_lossy(&out.stdout).contains("boolean true") {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("the Secret Service never appeared on the test's bus");
    }

    fn runtime(&self) -> PathBuf {
        self.home.path().join("run")
    }

    /// `tandem` on `store`, able to reach the keyring.
    fn tandem(&self, store: &Path, args: &[&str]) -> Command {
        let mut command = tandem(store, args);
        command
            .env_remove("TANDEM_KEYRING")
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .env("XDG_RUNTIME_DIR", self.runtime());
        command
    }

    /// The secret kept for `name`, as libsecret's own client reads it.
    fn lookup(&self, name: &str) -> Option<String> {
        let out = program("secret-tool")
            .args(["lookup", "service", "org.tandem.store", "username", name])
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .env("XDG_RUNTIME_DIR", self.runtime())
            .output()
            .expect("secret-tool runs");
        out.status
            .success()
            .then(|| String::from_utf8(out.stdout).unwrap())
            .filter(|s| !s.is_empty())
    }
}

impl Drop for SecretService {
    fn drop(&mut self) {
        for child in [&mut self.daemon, &mut self.bus] {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// `tandem` on `store` with no keyring to reach (no session bus) and no passphrase.
fn tandem(store: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tandem"));
    command
        .arg("--store")
        .arg(store)
        .args(["--tz", "Europe/London"])
        .args(args)
        .env("TANDEM_NOW", NOW)
        .env("TANDEM_KEYRING", "off")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env_remove("TANDEM_PASSPHRASE")
        .env_remove("TANDEM_NEW_PASSPHRASE")
        .stdin(Stdio::null());
    command
}

fn ok(mut command: Command) -> Output {
    let out = command.output().expect("the tandem binary runs");
    assert!(
        out.status.success(),
        "{command:?} failed ({:?}):\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn add_value(command: impl Fn(&[&str]) -> Command, word: &str) -> Output {
    ok(command(&[
        "value",
        "add",
        word,
        "--area",
        "health",
        "--importance",
        "7",
    ]))
}

/// The keyring's name for a store: its absolute path.
fn name_of(store: &Path) -> String {
    std::path::absolute(store).unwrap().display().to_string()
}

fn key_bytes(secret: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(secret.trim())
        .expect("the secret is base64")
}

#[test]
fn a_new_store_is_encrypted_with_a_key_the_desktop_keyring_keeps() {
    let keyring = SecretService::start();
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store.db");
    let word = "Kite-over-the-allotments";

    let created = add_value(|args| keyring.tandem(&store, args), word);
    let said = String::from_utf8_lossy(&created.stderr);
    assert!(
        said.contains("encrypted: its key is kept in your desktop's keyring"),
        "{said}"
    );
    assert!(!store_files_hold(dir.path(), word), "nothing readable");
    let secret = keyring
        .lookup(&name_of(&store))
        .expect("a key in the keyring");
    assert_eq!(key_bytes(&secret).len(), 32, "a 32-byte key");
    let status = stdout(&ok(keyring.tandem(&store, &["--json", "key", "status"])));
    assert!(status.contains("\"key\": \"keyring\""), "{status}");
    let shown = stdout(&ok(keyring.tandem(&store, &["show"])));
    assert!(shown.contains(word), "the keyring opens it: {shown}");

    // With no keyring to reach: a clear refusal, and the store's files untouched.
    let before = std::fs::read(&store).unwrap();
    let locked = tandem(&store, &["show"])
        .env("XDG_RUNTIME_DIR", dir.path())
        .output()
        .unwrap();
    assert_eq!(locked.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&locked.stderr);
    assert!(
        stderr.contains(
            "kept in the desktop's keyring (the Secret Service), which cannot be reached"
        ),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&store).unwrap(), before, "nothing written");

    // A new key: kept in place of the old one, and the store opens with it alone.
    ok(keyring.tandem(&store, &["key", "change"]));
    let rotated = keyring.lookup(&name_of(&store)).expect("the new key");
    assert_ne!(key_bytes(&rotated), key_bytes(&secret), "a new key");
    assert!(
        keyring
            .lookup(&format!("{}.next", name_of(&store)))
            .is_none(),
        "no key left waiting"
    );
    let shown = stdout(&ok(keyring.tandem(&store, &["show"])));
    assert!(shown.contains(word), "{shown}");
    assert!(!store_files_hold(dir.path(), word));

    // Erasing the store forgets its key.
    ok(keyring.tandem(&store, &["erase-local", "--yes"]));
    assert!(!store.exists());
    assert!(
        keyring.lookup(&name_of(&store)).is_none(),
        "the key is gone"
    );
}

#[test]
fn a_plain_store_takes_a_keyring_key_or_a_passphrase_when_asked() {
    let keyring = SecretService::start();
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store.db");
    let word = "Swifts-above-the-chapel";
    // Made where no keyring answers: plain, and the word is there to find.
    add_value(|args| tandem(&store, args), word);
    assert!(store_files_hold(dir.path(), word), "the check can fail");
    let status = stdout(&ok(keyring.tandem(&store, &["key", "status"])));
    assert!(status.contains("is not encrypted"), "{status}");
    assert!(keyring.lookup(&name_of(&store)).is_none());

    let said = stdout(&ok(keyring.tandem(&store, &["key", "set"])));
    assert!(
        said.contains("its key is kept in your desktop's keyring"),
        "{said}"
    );
    assert!(!store_files_hold(dir.path(), word), "encrypted in place");
    assert!(keyring.lookup(&name_of(&store)).is_some());
    let shown = stdout(&ok(keyring.tandem(&store, &["show"])));
    assert!(shown.contains(word), "{shown}");

    // `--passphrase` chooses a passphrase even where a keyring answers; nothing is kept there.
    let other_dir = tempfile::tempdir().unwrap();
    let other = other_dir.path().join("store.db");
    add_value(|args| tandem(&other, args), word);
    let mut set = keyring.tandem(&other, &["key", "set", "--passphrase"]);
    set.env("TANDEM_NEW_PASSPHRASE", "rain on the skylight");
    ok(set);
    assert!(keyring.lookup(&name_of(&other)).is_none());
    let status = stdout(&ok(keyring.tandem(&other, &["--json", "key", "status"])));
    assert!(status.contains("\"key\": \"passphrase\""), "{status}");
    let refused = keyring.tandem(&other, &["show"]).output().unwrap();
    assert_eq!(refused.status.code(), Some(1), "the passphrase is needed");
    let mut open = keyring.tandem(&other, &["show"]);
    open.env("TANDEM_PASSPHRASE", "rain on the skylight");
    assert!(stdout(&ok(open)).contains(word));
}
