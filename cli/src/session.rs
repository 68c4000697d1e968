//! One run of a command against a store: where the store is, the clock, and how to answer.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use tandem_core::journey::schedule::parse_time_zone;
use tandem_core::store::seal::{self, KeySource};
use tandem_core::store::vault;
use tandem_core::Zone;
use tandem_core::{OpenOptions, Store, StoreKey};

use crate::args::Globals;
use crate::keyring::{self, Keyring};
use crate::output::Page;
use crate::parse::DateArg;

/// Why a command did not do what was asked.
#[derive(Debug)]
pub enum Failure {
    /// The input was refused and nothing was written (exit code 2).
    Refused(String),
    /// Anything else: something not found, storage trouble (exit code 1).
    Failed(String),
}

impl Failure {
    pub fn exit_code(&self) -> i32 {
        match self {
            Failure::Refused(_) => 2,
            Failure::Failed(_) => 1,
        }
    }

    pub fn message(&self) -> &str {
        match self {
            Failure::Refused(m) | Failure::Failed(m) => m,
        }
    }
}

impl From<tandem_core::Error> for Failure {
    fn from(err: tandem_core::Error) -> Self {
        match err {
            tandem_core::Error::Invalid(_) => Failure::Refused(err.to_string()),
            other => Failure::Failed(other.to_string()),
        }
    }
}

/// A failure of a call that went to the sync server: whatever the server or the network said
/// (exit code 1), after `doing` ("cannot join"). Input the command line can check is checked
/// before the call, and refused with exit code 2.
pub fn remote(doing: &str, err: tandem_core::Error) -> Failure {
    let said = match err {
        tandem_core::Error::Refused {
            reason:
                tandem_core::sync::api::Reason::DeviceRemoved
                | tandem_core::sync::api::Reason::AccountErased,
            message,
        } => format!(
            "the server answered: {message} (`tandem erase-local --yes` erases what this device holds)"
        ),
        tandem_core::Error::Refused { message, .. } => format!("the server answered: {message}"),
        tandem_core::Error::Sync(said) => said,
        other => other.to_string(),
    };
    Failure::Failed(format!("{doing}: {said}"))
}

/// What a new device says while its journey has not arrived.
pub const JOURNEY_NOT_HERE: &str = "your journey has not reached this device yet: once your \
     other device has synced (`tandem sync` there), run `tandem sync` here";

/// The time zone of the store's journey; `None` on a new device whose journey has not arrived
/// by sync yet (it joined a server, and its journey is not on disk).
pub fn journey_zone(store: &Store) -> Result<Option<String>, Failure> {
    match store.journey() {
        Ok(journey) => Ok(Some(journey.time_zone)),
        Err(tandem_core::Error::NotFound { .. }) if store.server()?.is_some() => Ok(None),
        Err(err) => Err(err.into()),
    }
}

/// A runtime for the network calls of one command (the core's sync API is async).
pub fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Failure::Failed(format!("cannot start the network runtime: {e}")))
}

/// The file name of a store inside its folder.
pub const STORE_FILE: &str = "store.db";

/// An open store and how this run answers.
pub struct Session {
    pub store: Store,
    pub json: bool,
    /// The instant the command runs at.
    pub now: DateTime<Utc>,
    /// The journey's time zone.
    pub tz: Zone,
    /// Whether this run created the store.
    pub created: bool,
    /// The key the store was opened with, to open it again.
    pub key: Option<StoreKey>,
}

impl Session {
    /// Opens the store `cli` points at, creating it (in `--tz` or this computer's time zone)
    /// when there is none; with `announce`, says so on stderr.
    ///
    /// A new device's journey arrives by sync, once another of the person's devices has sent
    /// it to the server. Until then only commands that need no journey (`before_journey`:
    /// sync, status, invite) open the store; the others say what to do.
    pub fn open(cli: &Globals, announce: bool, before_journey: bool) -> Result<Session, Failure> {
        if let Some(tz) = &cli.tz {
            parse_time_zone(tz)?;
        }
        let path = store_file(cli.store.as_deref())?;
        let created = !path.exists();
        let time_zone = match (&cli.tz, created) {
            (Some(tz), _) => Some(tz.clone()),
            (None, true) => Some(system_time_zone()),
            (None, false) => None,
        };
        // `--now` is the instant the person's day is read at (today, insights, a check-in's
        // time); the store keeps the system's clock, since tokens for the server must be true.
        let trusted_certificates = match &cli.trust_cert {
            Some(file) => Some(std::fs::read_to_string(file).map_err(|e| {
                Failure::Refused(format!("--trust-cert: cannot read {}: {e}", file.display()))
            })?),
            None => None,
        };
        let encrypted = seal::is_encrypted(&path)?;
        let key = store_key(&path, created)?;
        let options = OpenOptions {
            time_zone,
            trusted_certificates,
            key: key.clone(),
            ..OpenOptions::default()
        };
        if key.is_some() && !created && !encrypted {
            note("encrypting this store (once; it may take a moment)");
        }
        let store = Store::open(&path, options)?;
        let tz = match journey_zone(&store)? {
            Some(journey_zone) => {
                if created && announce {
                    note(&format!(
                        "created a new store at {} (time zone {journey_zone}){}",
                        path.display(),
                        match &key {
                            Some(StoreKey::Key(_)) =>
                                ", encrypted: its key is kept in your desktop's keyring",
                            Some(StoreKey::Passphrase(_)) => ", encrypted with your passphrase",
                            None => "",
                        }
                    ));
                } else if cli.tz.as_deref().is_some_and(|asked| asked != journey_zone) {
                    note(&format!(
                        "--tz is used only when a store is created; this journey is scheduled in {journey_zone}"
                    ));
                }
                parse_time_zone(&journey_zone)?
            }
            // Until the journey brings its zone, dates show in --tz or this computer's zone.
            None if before_journey => {
                parse_time_zone(&cli.tz.clone().unwrap_or_else(system_time_zone))?
            }
            None => return Err(Failure::Failed(JOURNEY_NOT_HERE.into())),
        };
        Ok(Session {
            store,
            json: cli.json,
            now: cli.now.unwrap_or_else(Utc::now),
            tz,
            created,
            key,
        })
    }

    /// Today's date in the journey's time zone.
    pub fn today(&self) -> NaiveDate {
        self.now.with_timezone(&self.tz).date_naive()
    }

    /// The date typed, or today when none was.
    pub fn date(&self, arg: Option<DateArg>) -> NaiveDate {
        arg.unwrap_or(DateArg::TODAY).resolve(self.today())
    }

    /// `value` as JSON with `--json`, otherwise the page `human` writes.
    pub fn reply<T: Serialize + ?Sized>(
        &self,
        value: &T,
        human: impl FnOnce(&mut Page),
    ) -> Result<String, Failure> {
        if self.json {
            json(value)
        } else {
            let mut page = Page::default();
            human(&mut page);
            Ok(page.into_string())
        }
    }
}

/// `value` as pretty JSON with a final line break.
pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<String, Failure> {
    serde_json::to_string_pretty(value)
        .map(|s| s + "\n")
        .map_err(|e| Failure::Failed(format!("cannot write JSON: {e}")))
}

/// A remark about the run, on stderr so that stdout stays the answer.
pub fn note(text: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "tandem: {text}");
}

/// The passphrase in `TANDEM_PASSPHRASE`.
pub const PASSPHRASE_VAR: &str = "TANDEM_PASSPHRASE";
/// A new passphrase, for `tandem key set` and `tandem key change` run without a terminal.
pub const NEW_PASSPHRASE_VAR: &str = "TANDEM_NEW_PASSPHRASE";

/// The key for the store at `path`: the passphrase in `TANDEM_PASSPHRASE` (which also
/// encrypts a plain store in place); else the key the desktop's keyring keeps for it — made
/// now for a store being `created`, so that a new store is encrypted wherever a keyring is;
/// else, for a store encrypted with a passphrase, the passphrase asked for on the terminal.
/// `None` for a plain store without either.
pub fn store_key(path: &Path, created: bool) -> Result<Option<StoreKey>, Failure> {
    if let Some(words) = std::env::var_os(PASSPHRASE_VAR).filter(|v| !v.is_empty()) {
        let words = words
            .into_string()
            .map_err(|_| Failure::Refused(format!("{PASSPHRASE_VAR} is not valid text")))?;
        return Ok(Some(StoreKey::passphrase(words)?));
    }
    let source = seal::key_source(path)?;
    if source != Some(KeySource::Passphrase) {
        if let Some(keyring) = Keyring::reach() {
            let name = keyring::name_of(path);
            return vault::key_from_vault(path, &keyring, &name, created);
        }
    }
    match source {
        None => Ok(None),
        Some(KeySource::Key) => Err(Failure::Failed(format!(
            "this store's key is kept in the desktop's keyring (the Secret Service), which \
             cannot be reached now: unlock your keyring{}, and run this again",
            if std::env::var(keyring::KEYRING_VAR).is_ok_and(|v| v.eq_ignore_ascii_case("off")) {
                format!(" (and unset {})", keyring::KEYRING_VAR)
            } else {
                String::new()
            }
        ))),
        Some(KeySource::Passphrase) => {
            let words = read_passphrase(
                "Passphrase for this store: ",
                &format!("this store is encrypted: set {PASSPHRASE_VAR} to its passphrase, or run in a terminal to be asked"),
            )?;
            Ok(Some(StoreKey::passphrase(words.as_str())?))
        }
    }
}

/// A passphrase typed on the terminal after `prompt` (not echoed); without a terminal, the
/// failure `instead` (what to do instead).
pub fn read_passphrase(prompt: &str, instead: &str) -> Result<zeroize::Zeroizing<String>, Failure> {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() {
        return Err(Failure::Failed(instead.to_string()));
    }
    rpassword::prompt_password(prompt)
        .map(zeroize::Zeroizing::new)
        .map_err(|e| Failure::Failed(format!("cannot read the passphrase: {e}")))
}

/// The store file: `--store` (a folder, or a `.db` file), else the data folder's store.db.
pub fn store_file(flag: Option<&Path>) -> Result<PathBuf, Failure> {
    if let Some(path) = flag {
        let is_file = path.is_file() || path.extension().is_some_and(|e| e == "db");
        return Ok(if is_file {
            path.to_path_buf()
        } else {
            path.join(STORE_FILE)
        });
    }
    data_dir().map(|dir| dir.join(STORE_FILE)).ok_or_else(|| {
        Failure::Failed(
            "no folder for the store: set TANDEM_HOME or HOME, or pass --store PATH".into(),
        )
    })
}

/// `$TANDEM_HOME`, else `$XDG_DATA_HOME/tandem`, else `~/.local/share/tandem`.
fn data_dir() -> Option<PathBuf> {
    let var = |name| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(home) = var("TANDEM_HOME") {
        return Some(home);
    }
    // The XDG spec says to ignore a relative XDG_DATA_HOME.
    if let Some(data) = var("XDG_DATA_HOME").filter(|p| p.is_absolute()) {
        return Some(data.join("tandem"));
    }
    var("HOME").map(|home| home.join(".local").join("share").join("tandem"))
}

/// This computer's time zone, or UTC (with a note) when it cannot be told.
fn system_time_zone() -> String {
    match iana_time_zone::get_timezone() {
        Ok(name) if parse_time_zone(&name).is_ok() => name,
        Ok(name) => {
            note(&format!("this computer's time zone {name:?} is not known here; using UTC (choose one with --tz)"));
            "UTC".into()
        }
        Err(_) => {
            note("cannot tell this computer's time zone; using UTC (choose one with --tz)");
            "UTC".into()
        }
    }
}
