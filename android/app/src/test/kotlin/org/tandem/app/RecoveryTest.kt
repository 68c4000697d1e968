package org.tandem.app

import kotlin.test.assertTrue
import uniffi.tandem_ffi.TandemStore
import org.tandem.openEncrypted
import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performTextInput
import androidx.compose.ui.test.performTextReplacement
import java.nio.file.Path
import kotlin.test.assertEquals
import kotlin.test.assertNotEquals
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.io.TempDir
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource
import org.tandem.TandemServer
import uniffi.tandem_ffi.InvitationKind
import uniffi.tandem_ffi.LifeArea
import uniffi.tandem_ffi.RefusalReason
import uniffi.tandem_ffi.TandemException
import uniffi.tandem_ffi.ValueInput
import kotlin.test.assertFailsWith

/**
 * Sam loses his phone. On a new one he taps "I lost my phone", types his server and the
 * recovery code he wrote down when he joined: his journey comes back, his lost phone is
 * removed, and a new recovery code is shown once.
 */
class RecoveryTest {
    @TempDir
    lateinit var dir: Path

    @ParameterizedTest
    @EnumSource(Look::class)
    fun `Sam brings his account back to a new phone with his recovery code`(look: Look) {
        TandemServer.start(dir.resolve("server").also { it.toFile().mkdirs() }).use { server ->
            openStore(dir, "alex").use { alex ->
                openStore(dir, "lost").use { lost ->
                    val code = runBlocking {
                        alex.enrol(server.url, server.enrolmentCode("practitioner"))
                        val joined = lost.join(server.url, alex.invite(InvitationKind.CLIENT).code)
                        lost.addValue(ValueInput("Mornings in the garden", LifeArea.HEALTH, 7))
                        lost.syncNow()
                        joined.recoveryCode!!
                    }
                    var recovered: uniffi.tandem_ffi.TandemStore? = null
                    // The new phone's store is encrypted, as the Android app's is (the Keystore's key).
                    val vault = MemoryVault()
                    runBlocking { TandemStore.openEncrypted(dir.resolve("new.db"), vault, "new", London) }.use { phone ->
                        runApp(phone, look, firstRun = true, storePath = dir.resolve("new.db").toString(), keys = VaultKeys(vault, "new")) { state ->
                            tap(state, "safety-close")
                            tap(state, "welcome-code")
                            tap(state, "code-lost-phone")
                            onNodeWithText(strings[S.code_recover_intro]).assertExists()
                            onNodeWithTag("field:server").performTextReplacement(server.url)
                            onNodeWithTag("field:code").performTextInput("0000-0000-0000")
                            tap(state, "code-recover")
                            // A wrong code: the server's words beside the field, nothing changed.
                            waitUntil("the wrong code is refused", 30_000) { state.store.server() == null && !state.replacing }
                            look("recover-lost-phone", look, state)
                            onNodeWithTag("field:code").performTextReplacement(code)
                            tap(state, "code-recover")
                            waitUntil("the new recovery code is shown", 30_000) {
                                settle(state)
                                state.recoveryCode != null
                            }
                            val shown = onNodeWithTag("recovery-code").fetchSemanticsNode()
                                .config[SemanticsProperties.Text].joinToString()
                            assertNotEquals(code, shown, "a new code replaces the one used")
                            look("recovery-code", look, state)
                            tap(state, "recovery-kept")
                            waitUntil("Sam's journey comes back", 60_000) {
                                settle(state)
                                state.journey?.values?.any { it.text == "Mornings in the garden" } == true
                            }
                            assertEquals(lost.identity().personId, state.store.identity().personId)
                            assertTrue(state.store.isEncrypted(), "still encrypted with the phone's key")
                            recovered = state.store
                        }
                    }
                    // The lost phone is removed from the account.
                    val refused = assertFailsWith<TandemException.Refused> { runBlocking { lost.syncNow() } }
                    assertEquals(RefusalReason.DEVICE_REMOVED, refused.reason)
                    recovered?.close()
                }
            }
        }
    }
}
