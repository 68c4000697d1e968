package org.tandem

import java.nio.file.Path
import java.time.LocalDate
import kotlin.test.assertContains
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import uniffi.tandem_ffi.CheckInInput
import uniffi.tandem_ffi.Framing
import uniffi.tandem_ffi.GoalInput
import uniffi.tandem_ffi.LifeArea
import uniffi.tandem_ffi.Outcome
import uniffi.tandem_ffi.PlanInput
import uniffi.tandem_ffi.ProposedBy
import uniffi.tandem_ffi.Schedule
import uniffi.tandem_ffi.TandemException
import uniffi.tandem_ffi.ValueInput

/** Bad input reaches Kotlin as a typed exception an app can show next to the field; nothing is written. */
class ErrorsTest {
    @TempDir
    lateinit var dir: Path

    @Test
    fun `a value rated 12 is refused naming importance, and nothing is written`() = runBlocking {
        dir.openStore("sam").use { sam ->
            val refused = assertFailsWith<TandemException.InvalidInput> {
                sam.addValue(ValueInput("Being there for my kids", LifeArea.FAMILY, 12))
            }
            assertEquals("importance", refused.field)
            assertEquals("importance: 12 is outside 0–10", refused.sentence)
            assertEquals(emptyList(), sam.journey().values)
        }
    }

    @Test
    fun `a goal with confidence 11 is refused naming confidence`() = runBlocking {
        dir.openStore("sam").use { sam ->
            val refused = assertFailsWith<TandemException.InvalidInput> {
                sam.addGoal(GoalInput("Walk more", framing = Framing.APPROACH, proposedBy = ProposedBy.MYSELF, importance = 7, confidence = 11))
            }
            assertEquals("confidence", refused.field)
            assertContains(refused.problem, "11")
            assertEquals(emptyList(), sam.journey().goals)
        }
    }

    @Test
    fun `a step for a goal that does not exist is NotFound`() = runBlocking {
        dir.openStore("sam").use { sam ->
            val missing = assertFailsWith<TandemException.NotFound> { sam.addStep("no-such-goal", "Find a route") }
            assertContains(missing.what, "no-such-goal")
        }
    }

    @Test
    fun `dates that are not dates, and check-ins in the future, are refused naming the field`() = runBlocking {
        dir.openStore("sam").use { sam ->
            val today = LocalDate.now(London)
            val walk = sam.addPlan(PlanInput("Walk round the park", Schedule.everyNDays(1), today.minusDays(3).toString()))

            val notADate = assertFailsWith<TandemException.InvalidInput> {
                sam.checkIn(CheckInInput(walk, "31/03/2026", Outcome.DONE))
            }
            assertEquals("date", notADate.field)

            val tomorrow = assertFailsWith<TandemException.InvalidInput> {
                sam.checkIn(CheckInInput(walk, today.plusDays(1).toString(), Outcome.DONE))
            }
            assertEquals("date", tomorrow.field)

            val badStart = assertFailsWith<TandemException.InvalidInput> {
                sam.addPlan(PlanInput("Stretch", Schedule.everyNDays(1), "next monday"))
            }
            assertEquals("start", badStart.field)
            assertEquals(1, sam.journey().plans.size)
            assertEquals(emptyList(), sam.checkIns(today.minusDays(3)..today))
        }
    }
}
