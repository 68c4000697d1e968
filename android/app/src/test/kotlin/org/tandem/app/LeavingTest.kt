package org.tandem.app

import kotlin.test.assertFalse
import uniffi.tandem_ffi.TandemStore
import org.tandem.openEncrypted
import androidx.compose.ui.test.onAllNodesWithTag
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performScrollTo
import java.nio.file.Path
import kotlin.test.assertEquals
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.io.TempDir
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource
import org.tandem.TandemServer
import uniffi.tandem_ffi.InvitationKind
import uniffi.tandem_ffi.LifeArea
import uniffi.tandem_ffi.ValueInput
import uniffi.tandem_ffi.joinDevice

/**
 * Sam leaves Tandem: he erases his account from his phone's Settings. His phone starts afresh,
 * Alex's device deletes his journey on its next sync, and his tablet erases itself the moment
 * its server tells it.
 */
class LeavingTest {
    @TempDir
    lateinit var dir: Path

    @ParameterizedTest
    @EnumSource(Look::class)
    fun `Sam erases his account, Alex's copy goes on his next sync, and Sam's tablet erases itself`(look: Look) {
        TandemServer.start(dir.resolve("server").also { it.toFile().mkdirs() }).use { server ->
            openStore(dir, "alex").use { alex ->
                // Sam's phone encrypts its store, as the Android app does (the Keystore's key).
                val vault = MemoryVault()
                val sam = runBlocking { TandemStore.openEncrypted(dir.resolve("sam.db"), vault, "sam", London) }
                val firstKey = vault.load("sam")!!
                val tablet = runBlocking {
                    alex.enrol(server.url, server.enrolmentCode("practitioner"))
                    alex.setMyName("Alex")
                    sam.join(server.url, alex.invite(InvitationKind.CLIENT).code)
                    sam.addValue(ValueInput("Mornings in the garden", LifeArea.HEALTH, 7))
                    sam.syncNow()
                    alex.syncNow()
                    val code = sam.invite(InvitationKind.DEVICE).code
                    joinDevice(dir.resolve("tablet.db").toString(), server.url, code, null).store.also { it.syncNow() }
                }
                val journey = sam.identity().journeyId
                assertEquals(journey, alex.links().single().journeyId)

                runApp(sam, look, storePath = dir.resolve("sam.db").toString(), keys = VaultKeys(vault, "sam")) { state ->
                    show(state, Screen.People)
                    tap(state, "open-settings")
                    onNodeWithTag("erase-account").performScrollTo()
                    onNodeWithText(strings[S.settings_erase_account_intro]).assertExists()
                    look("settings-leaving", look, state)
                    tap(state, "erase-account")
                    onNodeWithText(strings[S.settings_erase_account_sure]).performScrollTo().assertExists()
                    onNodeWithTag("erase-account-yes").performScrollTo()
                    look("settings-erase-account", look, state)
                    tap(state, "erase-account-yes")
                    waitUntil("Sam's phone starts afresh", 30_000) {
                        state.server == null && state.journey?.values?.isEmpty() == true
                    }
                    settle(state)
                    onNodeWithText(strings[S.sync_this_device_only]).assertExists()
                    // The new store is encrypted too, with a new key: the old one was forgotten.
                    assertTrue(state.store.isEncrypted())
                    assertFalse(firstKey.contentEquals(vault.load("sam")!!), "a new key")
                    state.store.close()
                }
                // Alex's device deletes Sam's journey and forgets him on its next sync.
                runBlocking { alex.syncNow() }
                assertTrue(alex.links().isEmpty(), "Sam is still linked on Alex's device: ${alex.links()}")
                assertTrue(alex.people(null).isEmpty())

                // Sam's tablet, told by the server, erases what it holds at once.
                tablet.use {
                    runApp(tablet, look, storePath = dir.resolve("tablet.db").toString()) { state ->
                        waitUntil("the tablet erases itself", 30_000) {
                            onAllNodesWithTag("erased-by-server").fetchSemanticsNodes().isNotEmpty() && state.server == null
                        }
                        settle(state)
                        assertNull(state.server)
                        assertEquals(emptyList(), state.journey?.values)
                        look("erased-by-server", look, state)
                    }
                }
            }
        }
    }
}
