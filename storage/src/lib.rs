//! SQLite as both a device and the server use it: the one migration runner (`migrate`), quick
//! blocking work kept off the async executor (`blocking`), and documents stored as keys and
//! values in samod's layout (`kv`).
//!
//! Both `tandem-core` and `tandem-server` depend on this crate; it links no network code.

pub mod kv;

use rusqlite::{Connection, Transaction, TransactionBehavior};

/// Runs quick blocking work (a SQLite statement, an automerge merge) off the async executor's
/// worker: on a multi-threaded tokio runtime the worker hands its other tasks on while `f`
/// blocks; elsewhere (no runtime, or a current-thread one) `f` simply runs.
pub fn blocking<T>(f: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current().map(|h| h.runtime_flavor()) {
        Ok(tokio::runtime::RuntimeFlavor::MultiThread) => tokio::task::block_in_place(f),
        _ => f(),
    }
}

/// One step of a schema: moves it one version up.
pub type Migration = fn(&Transaction) -> rusqlite::Result<()>;

/// Why a database's schema could not be brought up to date.
#[derive(Debug, thiserror::Error)]
pub enum MigrationError {
    /// The database was written by a newer version of Tandem.
    #[error("schema version {found}; this version of Tandem reads up to {supported}")]
    Newer { found: i64, supported: i64 },
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}

/// Brings `conn`'s schema to version `migrations.len()`: each step runs once, in order, and
/// `PRAGMA user_version` counts those done. One IMMEDIATE transaction holds them all, so two
/// processes opening a fresh database at once never both run a step, and a step that fails
/// leaves the schema as it was. A database newer than `migrations` is refused untouched.
pub fn migrate(conn: &mut Connection, migrations: &[Migration]) -> Result<(), MigrationError> {
    let supported = migrations.len() as i64;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > supported {
        return Err(MigrationError::Newer {
            found: version,
            supported,
        });
    }
    for (i, step) in migrations.iter().enumerate().skip(version.max(0) as usize) {
        step(&tx)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failing_step_leaves_the_schema_as_it_was() {
        let mut conn = Connection::open_in_memory().unwrap();
        const BROKEN: &[Migration] = &[
            |tx| tx.execute_batch("CREATE TABLE first (x INTEGER)"),
            |tx| tx.execute_batch("CREATE TABLE second (x INTEGER); NOT SQL"),
        ];
        assert!(matches!(
            migrate(&mut conn, BROKEN),
            Err(MigrationError::Sqlite(_))
        ));
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, 0);
        let tables: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(tables, 0, "nothing of the first step stays");
        migrate(&mut conn, &BROKEN[..1]).unwrap();
        assert!(matches!(
            migrate(&mut conn, &[]),
            Err(MigrationError::Newer {
                found: 1,
                supported: 0
            })
        ));
    }
}
