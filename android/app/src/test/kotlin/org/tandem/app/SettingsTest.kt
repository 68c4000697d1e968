package org.tandem.app

import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performScrollTo
import androidx.compose.ui.test.performTextReplacement
import java.nio.file.Path
import kotlin.test.assertEquals
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
}
