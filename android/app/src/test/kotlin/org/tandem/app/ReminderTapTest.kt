package org.tandem.app

import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.onNodeWithText
import java.nio.file.Path
import java.time.LocalDate
import kotlin.test.assertEquals
import org.junit.jupiter.api.io.TempDir
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource
import uniffi.tandem_ffi.Outcome

/**
 * Sam taps yesterday evening's reminder this morning: the app opens on that check-in — the
 * plan, that day — and one tap answers it, for that day, not today.
 */
class ReminderTapTest {
    @TempDir
    lateinit var dir: Path

    @ParameterizedTest
    @EnumSource(Look::class)
    fun `a tapped reminder opens its check-in, which is answered for its own day`(look: Look) {
        openStore(dir).use { sam ->
            sam.fillWithSamsJourney()
            val walk = sam.journey().plans.single { it.what == "Walk round the park" }
            val yesterday = LocalDate.now(London).minusDays(1).toString()
            // Unanswered, whatever the script wrote for that day.
            runCatching { sam.removeCheckIn(walk.id, yesterday, "08:00") }
            runApp(sam, look) { state ->
                // What the Android shell does with a reminder's plan and day.
                runOnUiThread { state.openCheckIn(walk.id, yesterday) }
                settle(state)
                waitUntil("the check-in is shown", 10_000) {
                    runCatching { onNodeWithTag("today:Walk round the park").assertExists() }.isSuccess
                }
                onNodeWithText(strings.longDate(LocalDate.parse(yesterday))).assertExists()
                look("reminder-check-in", look, state)
                tap(state, "check-in:Walk round the park:DONE")
                val answered = sam.today(LocalDate.parse(yesterday).atTime(12, 0).atZone(London).toInstant())
                    .single { it.occurrence.planId == walk.id }
                assertEquals(Outcome.DONE, answered.checkIn?.outcome)
                tap(state, "check-in-done")
                assertEquals(Screen.Today, state.screen)
            }
        }
    }
}
