package org.tandem.app

import androidx.compose.ui.test.onAllNodesWithTag
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performScrollTo
import java.nio.file.Path
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.io.TempDir
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource
import org.tandem.TandemServer
import uniffi.tandem_ffi.InvitationKind
import uniffi.tandem_ffi.RefusalReason
import uniffi.tandem_ffi.TandemException
import uniffi.tandem_ffi.joinDevice

/** Alex loses his tablet and removes it from his phone's Settings: it is cut off at once. */
class DevicesTest {
    @TempDir
    lateinit var dir: Path

    @ParameterizedTest
    @EnumSource(Look::class)
    fun `Alex sees his devices and removes the lost tablet, which the server then refuses`(look: Look) {
        TandemServer.start(dir.resolve("server").also { it.toFile().mkdirs() }).use { server ->
            openStore(dir, "alex").use { phone ->
                val tablet = runBlocking {
                    phone.enrol(server.url, server.enrolmentCode("practitioner"))
                    phone.syncNow()
                    val code = phone.invite(InvitationKind.DEVICE).code
                    val tablet = joinDevice(dir.resolve("tablet.db").toString(), server.url, code, null).store
                    phone.nameDevice("Alex's phone")
                    tablet.nameDevice("Alex's tablet")
                    tablet
                }
                tablet.use {
                    runApp(phone, look) { state ->
                        show(state, Screen.People)
                        tap(state, "open-settings")
                        waitUntil("the devices are listed", 30_000) {
                            onAllNodesWithTag("device:Alex's tablet").fetchSemanticsNodes().isNotEmpty()
                        }
                        onNodeWithText(strings.format(S.settings_device_this, "Alex's phone")).performScrollTo().assertExists()
                        onNodeWithTag("device:Alex's tablet").performScrollTo()
                        look("settings-devices", look, state)
                        tap(state, "remove-device:Alex's tablet")
                        onNodeWithText(strings.format(S.settings_device_remove_what, "Alex's tablet")).performScrollTo().assertExists()
                        onNodeWithTag("remove-device-yes").performScrollTo()
                        look("settings-device-remove", look, state)
                        tap(state, "remove-device-yes")
                        waitUntil("the tablet is gone from the list", 30_000) {
                            onAllNodesWithTag("device:Alex's tablet").fetchSemanticsNodes().isEmpty()
                        }
                    }
                    // The tablet, on its next contact, is told it was removed.
                    val refused = assertFailsWith<TandemException.Refused> { runBlocking { tablet.syncNow() } }
                    assertEquals(RefusalReason.DEVICE_REMOVED, refused.reason)
                    assertEquals(1, runBlocking { phone.devices() }.size)
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Look::class)
    fun `Sam reads in Settings when Alex's device last synced his journey`(look: Look) {
        TandemServer.start(dir.resolve("server").also { it.toFile().mkdirs() }).use { server ->
            openStore(dir, "alex").use { alex ->
                openStore(dir, "sam").use { sam ->
                    runBlocking {
                        alex.enrol(server.url, server.enrolmentCode("practitioner"))
                        alex.setMyName("Alex")
                        val code = alex.invite(InvitationKind.CLIENT).code
                        sam.join(server.url, code)
                        sam.syncNow()
                        alex.syncNow()
                        sam.syncNow()
                    }
                    runApp(sam, look) { state ->
                        show(state, Screen.People)
                        tap(state, "open-settings")
                        waitUntil("Sam sees that Alex's device synced his journey", 30_000) {
                            onAllNodesWithTag("looked:${alex.identity().personId}").fetchSemanticsNodes().isNotEmpty()
                        }
                        onNodeWithTag("looked:${alex.identity().personId}").performScrollTo()
                        onNodeWithText("Alex: last synced", substring = true).assertExists()
                        look("settings-who-looked", look, state)
                    }
                }
            }
        }
    }
}
