//! A person's export of their own data (tandem-core's `mine`): everything that is theirs into
//! a folder, as JSON, CSV and a readable report (docs/EXPORT.md).

use std::sync::Arc;

use crate::error::TandemError;
use crate::runtime::run;
use crate::store::TandemStore;

/// Hears how far an export has come. Called on a background thread; return quickly.
#[uniffi::export(foreign)]
pub trait ExportProgressObserver: Send + Sync {
    /// `done` of `total` steps (months of check-ins read, then files written).
    fn on_progress(&self, done: u32, total: u32) -> Result<(), TandemError>;
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ExportWritten {
    /// The folder written into.
    pub folder: String,
    /// The files, by name: `report.html`, `tandem-export.json`, the CSV files, `README.txt`.
    pub files: Vec<String>,
    /// How many check-ins it holds.
    pub check_ins: u64,
}

#[uniffi::export]
impl TandemStore {
    /// Writes everything that is this person's own into `folder` (made if missing; an earlier
    /// export there is replaced): `report.html` to read or hand to a practitioner,
    /// `tandem-export.json` (complete), a CSV file for each kind of record, and `README.txt`.
    /// `progress` hears each month read and each file written. Disk: async, seconds for years.
    pub async fn export_mine(
        &self,
        folder: String,
        progress: Option<Arc<dyn ExportProgressObserver>>,
    ) -> Result<ExportWritten, TandemError> {
        let store = self.store();
        run(async move {
            let now = store.now();
            let written = tandem_core::store::db::blocking(|| {
                store.export_mine(std::path::Path::new(&folder), now, &mut |p| {
                    if let Some(observer) = &progress {
                        if let Err(err) = observer.on_progress(p.done, p.total) {
                            tracing::warn!(%err, "an export progress observer failed");
                        }
                    }
                })
            })?;
            Ok(ExportWritten {
                folder: written.folder.display().to_string(),
                files: written.files,
                check_ins: written.check_ins as u64,
            })
        })
        .await
    }
}
