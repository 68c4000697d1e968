package org.tandem

import java.nio.file.Path
import java.time.DayOfWeek.FRIDAY
import java.time.DayOfWeek.MONDAY
import java.time.DayOfWeek.WEDNESDAY
import java.time.Instant
import java.time.LocalTime
import kotlin.test.assertEquals
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import uniffi.tandem_ffi.AttainmentLevel
import uniffi.tandem_ffi.CheckInInput
import uniffi.tandem_ffi.Framing
import uniffi.tandem_ffi.GoalInput
import uniffi.tandem_ffi.LifeArea
import uniffi.tandem_ffi.Metric
import uniffi.tandem_ffi.Outcome
import uniffi.tandem_ffi.Party
import uniffi.tandem_ffi.PlanInput
import uniffi.tandem_ffi.ProposedBy
import uniffi.tandem_ffi.Reason
import uniffi.tandem_ffi.Repeat
import uniffi.tandem_ffi.ReviewInput
import uniffi.tandem_ffi.Schedule
import uniffi.tandem_ffi.StrengthInput
import uniffi.tandem_ffi.SupportInput
import uniffi.tandem_ffi.SupportKind
import uniffi.tandem_ffi.ValueInput
import uniffi.tandem_ffi.Weekday

/**
 * Sam, a client, works through the four stages on their phone: what matters, a goal with
 * steps, a walking plan, two weeks of check-ins and reviews, then looks at how it went.
 */
class JourneyTest {
    @TempDir
    lateinit var dir: Path

    @Test
    fun `Sam walks Monday Wednesday Friday for two weeks, skips a Friday, and sees it in insights`() = runBlocking {
        dir.openStore("sam").use { sam ->
            // Stage 1: strengths and values.
            val kids = sam.addValue(ValueInput("Being there for my kids", LifeArea.FAMILY, 10))
            val health = sam.addValue(ValueInput("Feeling strong in my body", LifeArea.HEALTH, 8))
            sam.addStrength(StrengthInput("I keep going", example = "Finished my course last year"))
            sam.addSupport(SupportInput("My sister Jo", SupportKind.PERSON, note = "Calls on Sundays"))
            val week1 = mondayWeeksAgo(2)
            val week2 = week1.plusWeeks(1)
            val lastSunday = week2.plusDays(6)
            sam.setVision("Well enough to take the kids to the sea every summer", week1.toString())

            // Stage 2: a goal serving both values, with steps in Sam's order.
            val walking = sam.addGoal(
                GoalInput(
                    text = "Walk three times a week",
                    valueIds = listOf(kids, health),
                    framing = Framing.APPROACH,
                    proposedBy = ProposedBy.TOGETHER,
                    targetDate = lastSunday.plusWeeks(8).toString(),
                    importance = 8,
                    confidence = 6,
                    attainmentLevels = (-2..2).map { AttainmentLevel(it, "level $it") },
                ),
            )
            val thirty = sam.addStep(walking, "Walk 30 minutes")
            val route = sam.addStep(walking, "Find a route round the park")
            sam.moveStep(walking, route, 0u)
            sam.setStepDone(walking, route, true)

            // Stage 3: the plan, agreed with the practitioner, two weeks long.
            val walk = sam.addPlan(
                PlanInput(
                    what = "Walk round the park",
                    schedule = Schedule.weekly(setOf(MONDAY, WEDNESDAY, FRIDAY), LocalTime.of(8, 0)),
                    start = week1.toString(),
                    end = lastSunday.toString(),
                    place = "Victoria Park",
                    durationMinutes = 30u,
                    goalId = walking,
                    stepId = thirty,
                    barriers = "Dark mornings",
                    supports = "Jo texts me at 7:45",
                    agreedBy = listOf(Party.MYSELF, Party.SUPPORTER),
                    reminder = true,
                ),
            )

            val journey = sam.journey()
            assertEquals(listOf("Being there for my kids", "Feeling strong in my body"), journey.values.map { it.text })
            assertEquals("I keep going", journey.strengths.single().text)
            assertEquals("My sister Jo", journey.supports.single().name)
            assertEquals("Well enough to take the kids to the sea every summer", journey.visions.last().text)
            val goal = journey.goals.single()
            assertEquals(listOf(kids, health), goal.valueIds)
            assertEquals(listOf("Find a route round the park" to true, "Walk 30 minutes" to false), goal.steps.map { it.text to it.done })
            val plan = journey.plans.single()
            assertEquals(Repeat.Weekly(listOf(Weekday.MON, Weekday.WED, Weekday.FRI)), plan.schedule.repeat)
            assertEquals(listOf("08:00"), plan.schedule.times)
            assertEquals(walking, plan.goalId)
            assertEquals(thirty, plan.stepId)

            // Stage 4: check-ins. Week 1 done, partly, not done; week 2 Monday left unanswered,
            // Wednesday and Friday done, and an extra walk on Saturday.
            fun checkIn(day: Long, outcome: Outcome, reasons: List<Reason> = listOf(), why: String? = null) =
                sam.checkIn(CheckInInput(walk, week1.plusDays(day).toString(), outcome, reasons = reasons, reasonText = why))
            val first = checkIn(0, Outcome.DONE)
            assertEquals("08:00", first.time)
            assertTrue(first.recordedAt <= Instant.now())
            checkIn(2, Outcome.PARTLY, listOf(Reason.TOO_TIRED))
            checkIn(4, Outcome.NOT_DONE, listOf(Reason.LOW_MOOD, Reason.TOO_TIRED), why = "Bad night")
            checkIn(9, Outcome.DONE)
            sam.checkIn(CheckInInput(walk, week2.plusDays(4).toString(), Outcome.DONE, time = "08:00"))
            val saturday = checkIn(12, Outcome.DONE)
            assertNull(saturday.time, "a walk on a day the plan does not plan is kept unplanned, without a time")

            sam.addReview(ReviewInput(week1.plusDays(6).toString(), 6, 5, 3, goalId = walking, attainment = -1))
            sam.addReview(ReviewInput(lastSunday.toString(), 8, 7, 6, goalId = walking, attainment = 0, note = "Easier with Jo"))
            sam.addReview(ReviewInput(lastSunday.toString(), 7, 6, 5))

            val checkIns = sam.checkIns(week1..lastSunday)
            assertEquals(6, checkIns.size)
            val friday = checkIns.single { it.outcome == Outcome.NOT_DONE }
            assertEquals(week1.plusDays(4).toString(), friday.date)
            assertEquals(listOf(Reason.LOW_MOOD, Reason.TOO_TIRED), friday.reasons)
            assertEquals("Bad night", friday.reasonText)

            // What Sam and their practitioner would check.
            val insights = sam.insights(week1..lastSunday)
            val walks = insights.perPlan.single()
            assertEquals(6u, walks.completion.planned)
            assertEquals(3u, walks.completion.done)
            assertEquals(1u, walks.completion.partly)
            assertEquals(1u, walks.completion.notDone)
            assertEquals(1u, walks.completion.unanswered, "the Monday left unanswered")
            assertEquals(3.5 / 6, walks.completion.rate!!, 1e-9) // (done + ½ partly) / planned
            assertEquals(1u, walks.unplanned, "Saturday's walk counts apart")
            assertEquals(2u, walks.currentStreak) // Wednesday and Friday of week 2
            assertEquals(2u, walks.longestStreak)

            assertEquals(walks.completion, insights.perGoal.single { it.goalId == walking }.completion)
            assertEquals(listOf(week1.toString(), week2.toString()), insights.perWeek.map { it.weekStart })
            assertEquals(listOf(0.5, 2.0 / 3), insights.perWeek.map { it.completion.rate!! })

            assertEquals(listOf(Reason.TOO_TIRED to 2u, Reason.LOW_MOOD to 1u), insights.reasons.map { it.reason to it.count })
            assertEquals(1u, insights.otherTexts)

            assertNull(insights.trends.first().goalId, "the journey as a whole comes first")
            val confidence = insights.trends.single { it.goalId == walking && it.metric == Metric.CONFIDENCE }
            assertEquals(listOf(5.0, 7.0), confidence.points.map { it.value })
            assertEquals(2.0, confidence.change)
            val attainment = insights.trends.single { it.goalId == walking && it.metric == Metric.ATTAINMENT }
            assertEquals(-1.0 to 0.0, attainment.first to attainment.last)

            // The plan has ended: nothing is due today.
            assertEquals(emptyList(), sam.today())
        }
    }
}
