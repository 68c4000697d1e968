package org.tandem.android

import android.content.Context
import androidx.work.CoroutineWorker
import androidx.work.ExistingPeriodicWorkPolicy
import androidx.work.PeriodicWorkRequestBuilder
import androidx.work.WorkManager
import androidx.work.WorkerParameters
import java.time.Duration
import uniffi.tandem_ffi.TandemException

/**
 * Background sync: every few hours, while the app is not open, the store's one-shot `syncNow`
 * (this device's edits out, everyone else's in), then the week's reminders again, so they follow
 * a plan changed elsewhere and the week moving on. Runs with or without a network: offline the
 * sync fails, says nothing, and the reminders still move on.
 */
class SyncWork(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {
    override suspend fun doWork(): Result {
        val store = try {
            AppStore.get(applicationContext)
        } catch (_: TandemException) {
            return Result.failure() // the app shows why when it opens
        }
        try {
            if (store.server() != null) store.syncNow()
        } catch (_: TandemException) {
            // Not reached, or refused: nothing is lost, the next run (or the app) syncs again.
        }
        Reminders.schedule(applicationContext, store)
        return Result.success()
    }

    companion object {
        private const val NAME = "sync"

        /** Sets the periodic sync once (kept across restarts by WorkManager). */
        fun schedule(context: Context) {
            val request = PeriodicWorkRequestBuilder<SyncWork>(Duration.ofHours(4)).build()
            WorkManager.getInstance(context).enqueueUniquePeriodicWork(NAME, ExistingPeriodicWorkPolicy.KEEP, request)
        }
    }
}
