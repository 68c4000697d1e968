package org.tandem.android

import android.content.BroadcastReceiver
import android.content.Context
import android.content.Intent
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import uniffi.tandem_ffi.TandemException

/**
 * Alarms do not outlive a restart or an update of the app: set the week's reminders again then
 * (and the periodic sync, in case it was never set).
 */
class BootReceiver : BroadcastReceiver() {
    override fun onReceive(context: Context, intent: Intent) {
        if (intent.action != Intent.ACTION_BOOT_COMPLETED && intent.action != Intent.ACTION_MY_PACKAGE_REPLACED) return
        val app = context.applicationContext
        SyncWork.schedule(app)
        val pending = goAsync()
        CoroutineScope(Dispatchers.IO).launch {
            try {
                Reminders.schedule(app, AppStore.get(app))
            } catch (_: TandemException) {
                // The store did not open: the app says why when the person opens it.
            } finally {
                pending.finish()
            }
        }
    }
}
