package org.tandem

import java.nio.file.Path
import java.time.DayOfWeek.FRIDAY
import java.time.DayOfWeek.MONDAY
import java.time.DayOfWeek.SATURDAY
import java.time.DayOfWeek.SUNDAY
import java.time.DayOfWeek.WEDNESDAY
import java.time.LocalDate
import java.time.LocalTime
import java.time.temporal.TemporalAdjusters
import kotlin.test.assertEquals
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import uniffi.tandem_ffi.PlanInput
import uniffi.tandem_ffi.Schedule

/** The app asks for a week of reminders and schedules them as local notifications. */
class RemindersTest {
    @TempDir
    lateinit var dir: Path

    @Test
    fun `on Sunday evening Sam gets the week's reminders for the plans that want them`() = runBlocking {
        dir.openStore("sam").use { sam ->
            val today = LocalDate.now(London)
            sam.addPlan(
                PlanInput(
                    "Walk round the park", Schedule.weekly(setOf(MONDAY, WEDNESDAY, FRIDAY), LocalTime.of(8, 0)),
                    today.toString(), reminder = true,
                ),
            )
            // No time of day: reminded at 09:00.
            sam.addPlan(PlanInput("Call my sister", Schedule.weekly(setOf(SATURDAY)), today.toString(), reminder = true))
            // Every morning, but Sam wants no reminder for it.
            sam.addPlan(PlanInput("Stretch", Schedule.everyNDays(1, LocalTime.of(7, 0)), today.toString()))

            val sunday = today.with(TemporalAdjusters.next(SUNDAY))
            val now = sunday.atTime(20, 0).atZone(London).toInstant()
            val reminders = sam.reminders(7u, now)

            fun at(day: LocalDate, hour: Int) = day.atTime(hour, 0).atZone(London).toInstant()
            val monday = sunday.plusDays(1)
            assertEquals(
                listOf(
                    Triple("Walk round the park", "08:00", at(monday, 8)),
                    Triple("Walk round the park", "08:00", at(monday.plusDays(2), 8)),
                    Triple("Walk round the park", "08:00", at(monday.plusDays(4), 8)),
                    Triple("Call my sister", null, at(monday.plusDays(5), 9)),
                ),
                reminders.map { Triple(it.what, it.time, it.at) },
            )
            assertEquals(listOf(monday, monday.plusDays(2), monday.plusDays(4), monday.plusDays(5)).map { it.toString() }, reminders.map { it.date })
        }
    }
}
