package org.tandem.app

import androidx.compose.foundation.background
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.LiveRegionMode
import androidx.compose.ui.semantics.liveRegion
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import java.time.Instant
import java.time.LocalDate
import java.time.ZoneId
import java.time.format.DateTimeFormatter
import java.time.format.FormatStyle
import uniffi.tandem_ffi.RefusalReason
import uniffi.tandem_ffi.ServerLink
import uniffi.tandem_ffi.SyncState
import uniffi.tandem_ffi.SyncStatus

/**
 * Where sync stands, in words, from the bindings' [SyncStatus] (and the [server] the store is
 * joined to, if any). [now] and [zone] say "today at 14:05" rather than a date.
 */
fun syncWords(status: SyncStatus?, server: ServerLink?, s: Strings, zone: ZoneId, now: Instant = Instant.now()): String {
    val lastSynced = status?.lastSyncedAt ?: server?.lastSyncedAt
    val last = lastSynced?.let { s.format(S.sync_last, whenText(it, zone, now, s)) }
    fun withLast(text: String) = if (last == null) text else "$text · $last"
    if (status == null) {
        return if (server == null) s[S.sync_this_device_only] else withLast(s[S.sync_not_running])
    }
    return when (val state = status.state) {
        SyncState.Offline -> {
            val error = status.lastError
            when {
                error == null -> withLast(s[S.sync_offline])
                // Not reached (no network, the server down): no need for its technical words.
                status.lastRefusal == null -> withLast(s[S.sync_unreachable])
                // Removed from the account from another device: nothing more syncs here.
                status.lastRefusal == RefusalReason.DEVICE_REMOVED -> s[S.sync_device_removed]
                status.lastRefusal == RefusalReason.ACCOUNT_ERASED -> s[S.sync_account_erased]
                status.lastRefusal == RefusalReason.UPDATE_APP -> s[S.sync_update_app]
                // Refused: the server's sentence is written for a person.
                else -> withLast(s.format(S.sync_error, error))
            }
        }
        SyncState.Connecting -> s[S.sync_connecting]
        is SyncState.Syncing -> if (state.documents > 0u) s[S.sync_syncing] else s[S.sync_connecting]
        SyncState.UpToDate -> withLast(s[S.sync_up_to_date])
        SyncState.Live -> s[S.sync_live]
    }
}

internal fun whenText(at: Instant, zone: ZoneId, now: Instant, s: Strings): String {
    val local = at.atZone(zone)
    val time = local.toLocalTime().format(DateTimeFormatter.ofLocalizedTime(FormatStyle.SHORT).withLocale(s.locale))
    val day = local.toLocalDate()
    val today = LocalDate.ofInstant(now, zone)
    return when (day) {
        today -> s.format(S.sync_today_at, time)
        today.minusDays(1) -> s.format(S.sync_yesterday_at, time)
        else -> s.format(S.sync_on_day, day.format(DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(s.locale)), time)
    }
}

/** The sync status line under the header, on every screen. */
@Composable
fun SyncLine(status: SyncStatus?, server: ServerLink?, zone: ZoneId) {
    val s = LocalStrings.current
    val failing = status?.lastError != null && status.state == SyncState.Offline
    Text(
        syncWords(status, server, s, zone),
        style = MaterialTheme.typography.bodyMedium,
        color = if (failing) MaterialTheme.colorScheme.onErrorContainer else MaterialTheme.colorScheme.onSurfaceVariant,
        modifier = Modifier
            .fillMaxWidth()
            .background(if (failing) MaterialTheme.colorScheme.errorContainer else MaterialTheme.colorScheme.surface)
            .padding(horizontal = 16.dp, vertical = 6.dp)
            .testTag("sync-status")
            .semantics { liveRegion = LiveRegionMode.Polite },
    )
}
