package org.tandem.app

import androidx.compose.ui.test.onNodeWithTag
import java.nio.file.Path
import kotlin.test.assertEquals
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import uniffi.tandem_ffi.Outcome

/** A check-in tapped by mistake is taken back from Today: to nothing, or to the answer before. */
class UndoTest {
    @TempDir
    lateinit var dir: Path

    @Test
    fun `Sam taps the wrong answer and takes it back`() {
        openStore(dir).use { store ->
            store.addPlan(dailyWalk())
            val today = java.time.LocalDate.now(London).toString()
            fun answers() = store.checkIns(today, today).map { it.outcome }
            runApp(store) { state ->
                show(state, Screen.Today)
                tap(state, "check-in:Walk by the river:DONE")
                assertEquals(listOf(Outcome.DONE), answers())
                tap(state, "undo:Walk by the river")
                assertEquals(emptyList(), answers())
                onNodeWithTag("undo:Walk by the river").assertDoesNotExist()

                tap(state, "check-in:Walk by the river:PARTLY")
                tap(state, "check-in:Walk by the river:NOT_DONE")
                assertEquals(listOf(Outcome.NOT_DONE), answers())
                screenshot("today-undo", Look.Light)
                tap(state, "undo:Walk by the river")
                assertEquals(listOf(Outcome.PARTLY), answers())
            }
        }
    }
}
