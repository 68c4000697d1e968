package org.tandem.app

import java.nio.file.Path
import java.time.Instant
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

/** Reminders from the real core, in the words a lock screen shows. */
class ReminderTextTest {
    @TempDir
    lateinit var dir: Path

    @Test
    fun `a lock screen names no plan unless the person chose details`() {
        openStore(dir).use { store ->
            store.addPlan(dailyWalk().copy(reminder = true))
            val reminder = store.reminders(7u, Instant.now()).first()
            val neutral = reminderText(reminder, showDetails = false, strings)
            assertEquals(ReminderText("Tandem", "A plan of yours is due. Open Tandem to check in."), neutral)
            assertFalse("river" in neutral.title + neutral.body)
            assertEquals(ReminderText("Walk by the river", "Planned for 08:00"), reminderText(reminder, showDetails = true, strings))
        }
    }
}
