package org.tandem

import kotlinx.coroutines.channels.awaitClose
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.callbackFlow
import kotlinx.coroutines.flow.conflate
import uniffi.tandem_ffi.ChangeObserver
import uniffi.tandem_ffi.Subscription
import uniffi.tandem_ffi.SyncService
import uniffi.tandem_ffi.SyncStatus
import uniffi.tandem_ffi.SyncStatusObserver
import uniffi.tandem_ffi.TandemStore

/** Why a store changed. */
enum class StoreChange {
    /** An edit made on this device. */
    Edit,

    /** Sync stored an edit made elsewhere (live: as it arrives). */
    Sync,
}

/**
 * The store's changes, as they happen: collect it to reload what a screen shows.
 *
 * Each collection subscribes on its own and unsubscribes when the collector is cancelled. The
 * flow is conflated: a slow collector gets the latest change, which is all it needs to reload.
 */
fun TandemStore.changes(): Flow<StoreChange> = callbackFlow {
    val subscription = subscribeChanges(
        object : ChangeObserver {
            // Called on one of Tandem's threads: hand over and return at once.
            override fun onChange(local: Boolean) {
                trySend(if (local) StoreChange.Edit else StoreChange.Sync)
            }
        },
    )
    awaitClose { subscription.end() }
}.conflate()

/**
 * Where the background sync stands: the status now, then each change (offline, connecting,
 * syncing, up to date, the last error). Conflated, like [changes]; it unsubscribes when the
 * collector is cancelled, and stays silent once the service has stopped.
 */
fun SyncService.statuses(): Flow<SyncStatus> = callbackFlow {
    val subscription = subscribeStatus(
        object : SyncStatusObserver {
            override fun onStatus(status: SyncStatus) {
                trySend(status)
            }
        },
    )
    awaitClose { subscription.end() }
}.conflate()

/** Stops the observer being called, then frees the handle. */
private fun Subscription.end() {
    cancel()
    close()
}
