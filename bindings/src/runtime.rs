//! The one tokio runtime of the bindings: the core's sync runs on tokio, and observers are
//! tasks on it.

use std::future::Future;
use std::sync::OnceLock;

use tokio::runtime::Runtime;

use crate::error::TandemError;

/// Two workers: sync sessions are network-bound, observers wait on channels.
const WORKERS: usize = 2;

/// The runtime, started on first use and kept for the life of the process.
pub(crate) fn runtime() -> Result<&'static Runtime, TandemError> {
    static RUNTIME: OnceLock<Result<Runtime, String>> = OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(WORKERS)
                .thread_name("tandem")
                .enable_all()
                .build()
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| TandemError::internal(format!("cannot start Tandem's runtime: {e}")))
}

/// Runs `work` on the runtime and waits for it, whatever executor the caller awaits on. The
/// work goes on if the caller stops waiting (what it sent the server stays sent).
pub(crate) async fn run<T, F>(work: F) -> Result<T, TandemError>
where
    F: Future<Output = Result<T, TandemError>> + Send + 'static,
    T: Send + 'static,
{
    runtime()?
        .spawn(work)
        .await
        .map_err(|e| TandemError::internal(format!("the work stopped: {e}")))?
}
