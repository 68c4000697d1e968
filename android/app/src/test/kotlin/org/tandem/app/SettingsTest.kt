package org.tandem.app

import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.test.onAllNodesWithTag
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performScrollTo
import androidx.compose.ui.test.performTextReplacement
import java.nio.file.Path
import kotlin.io.path.exists
import kotlin.io.path.readText
import kotlin.test.assertContains
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import org.tandem.openEncrypted
import uniffi.tandem_ffi.KeyVault
import uniffi.tandem_ffi.TandemStore
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource
import org.junit.jupiter.api.io.TempDir

/** Settings: a time zone the core refuses shows its sentence beside the field; choices kept. */
class SettingsTest {
    @TempDir
    lateinit var dir: Path

    @ParameterizedTest
    @EnumSource(Look::class)
    fun `Sam sets a time zone and keeps reminders neutral or not`(look: Look) {
        openStore(dir).use { store ->
            runApp(store, look) { state ->
                show(state, Screen.People)
                tap(state, "open-settings")
                look("settings", look, state)
                onNodeWithTag("field:time_zone").performTextReplacement("Mars/Olympus")
                tap(state, "save-time-zone")
                val problem = onNodeWithTag("error:time_zone").fetchSemanticsNode().config[SemanticsProperties.Text].joinToString()
                assertEquals("\"Mars/Olympus\" is not a known IANA time zone, e.g. Europe/London", problem)
                assertEquals("Europe/London", store.journey().timeZone)
                look("settings-refused", look, state)
                onNodeWithTag("field:time_zone").performTextReplacement("Australia/Sydney")
                tap(state, "save-time-zone")
                onNodeWithTag("error:time_zone").assertDoesNotExist()
                assertEquals("Australia/Sydney", store.journey().timeZone)

                onNodeWithText(strings[S.settings_reminder_details]).performScrollTo().performClick()
                settle(state)
                waitUntil("the choice is kept", 5_000) { state.settings.reminderDetails() }
                onNodeWithText(strings[S.settings_reminder_details_on]).assertExists()
                // The desktop host cannot lock the app: it does not offer to.
                onNodeWithText(strings[S.settings_app_lock]).assertDoesNotExist()
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Look::class)
    fun `Sam saves a copy of all his data from Settings and reads it`(look: Look) {
        val folder = dir.resolve("Sam's Tandem data")
        openStore(dir).use { store ->
            store.fillWithSamsJourney()
            runApp(store, look, exportFolder = folder.toString()) { state ->
                show(state, Screen.People)
                tap(state, "open-settings")
                onNodeWithText(strings[S.settings_encrypted_off]).performScrollTo().assertExists()
                onNodeWithTag("export").performScrollTo()
                look("settings-your-data", look, state)
                tap(state, "export")
                waitUntil("the copy is saved", 20_000) { onAllNodesWithTag("export-done").fetchSemanticsNodes().isNotEmpty() }
                onNodeWithTag("export-done").performScrollTo()
                onNodeWithText(strings.format(S.settings_export_done, "Sam's Tandem data")).assertExists()
                look("settings-export-saved", look, state)
            }
        }
        // What a person finds in the folder: the report, with their words in it.
        val report = folder.resolve("report.html").readText()
        assertContains(report, "Being there for my kids")
        assertContains(report, "<svg")
        assertTrue(folder.resolve("check-ins.csv").exists() && folder.resolve("tandem-export.json").exists())
    }

    @Test
    fun `a store encrypted on this device says so in Settings`() {
        val vault = object : KeyVault {
            val keys = mutableMapOf<String, ByteArray>()
            override fun load(name: String) = keys[name]
            override fun save(name: String, key: ByteArray) { keys[name] = key }
            override fun remove(name: String) { keys.remove(name) }
        }
        openStore(dir).close()
        runBlocking { TandemStore.openEncrypted(dir.resolve("sam.db"), vault, "sam", London) }.use { store ->
            runApp(store) { state ->
                show(state, Screen.People)
                tap(state, "open-settings")
                onNodeWithText(strings[S.settings_encrypted_on]).performScrollTo().assertExists()
                onNodeWithText(strings[S.settings_export_unavailable]).performScrollTo().assertExists()
            }
        }
    }
}
