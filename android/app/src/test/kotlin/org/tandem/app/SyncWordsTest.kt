package org.tandem.app

import java.time.Instant
import java.time.ZoneId
import kotlin.test.assertEquals
import org.junit.jupiter.api.Test
import uniffi.tandem_ffi.RefusalReason
import uniffi.tandem_ffi.Role
import uniffi.tandem_ffi.ServerLink
import uniffi.tandem_ffi.SyncState
import uniffi.tandem_ffi.SyncStatus

/** The sync status in words, from each state the bindings' SyncStatus can be in. */
class SyncWordsTest {
    private val zone = ZoneId.of("Europe/London")
    private val now = Instant.parse("2026-12-01T15:00:00Z")
    private val server = ServerLink("https://tandem.example.org/", "s1", Role.CLIENT, null)
    private fun words(status: SyncStatus?, server: ServerLink? = this.server) = syncWords(status, server, strings, zone, now)

    @Test
    fun `each state says where sync stands, in words`() {
        assertEquals("Saved on this device", words(null, server = null))
        assertEquals("Offline: your changes are saved here and will sync later", words(SyncStatus(SyncState.Offline, null, null)))
        assertEquals("Connecting…", words(SyncStatus(SyncState.Connecting, null, null)))
        assertEquals("Syncing…", words(SyncStatus(SyncState.Syncing(3u), null, null)))
        assertEquals(
            "Up to date · last synced today at 14:05",
            words(SyncStatus(SyncState.UpToDate, Instant.parse("2026-12-01T14:05:00Z"), null)),
        )
        assertEquals(
            "Up to date · changes sync as you make them",
            words(SyncStatus(SyncState.Live, Instant.parse("2026-12-01T14:05:00Z"), null)),
        )
        assertEquals(
            "Can't reach the server right now. Your changes are safe on this device and will sync when it's back · last synced yesterday at 09:30",
            words(SyncStatus(SyncState.Offline, Instant.parse("2026-11-30T09:30:00Z"), "sync: the peer closed the connection")),
        )
        assertEquals(
            "This device was removed from your account, from another of your devices. Nothing more syncs here. You can erase it in Settings.",
            words(SyncStatus(SyncState.Offline, null, "this device was removed from its account", RefusalReason.DEVICE_REMOVED)),
        )
        assertEquals(
            "This app is too old for your server: update it to sync again. Your changes are safe on this device.",
            words(SyncStatus(SyncState.Offline, null, "this app is too old for this server", RefusalReason.UPDATE_APP)),
        )
        assertEquals(
            "Your account was erased. This device's copy is being erased too.",
            words(SyncStatus(SyncState.Offline, null, "this device's account was erased", RefusalReason.ACCOUNT_ERASED)),
        )
        assertEquals(
            "Could not sync (this device belongs to nobody here). Your changes are safe on this device",
            words(SyncStatus(SyncState.Offline, null, "this device belongs to nobody here", RefusalReason.UNKNOWN_DEVICE)),
        )
    }
}
