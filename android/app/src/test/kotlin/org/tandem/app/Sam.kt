package org.tandem.app

import java.time.DayOfWeek
import java.time.LocalDate
import java.time.LocalTime
import java.time.temporal.TemporalAdjusters
import org.tandem.everyNDays
import org.tandem.weekly
import uniffi.tandem_ffi.CheckInInput
import uniffi.tandem_ffi.Framing
import uniffi.tandem_ffi.GoalInput
import uniffi.tandem_ffi.LifeArea
import uniffi.tandem_ffi.Outcome
import uniffi.tandem_ffi.Party
import uniffi.tandem_ffi.PlanInput
import uniffi.tandem_ffi.ProposedBy
import uniffi.tandem_ffi.Reason
import uniffi.tandem_ffi.ReviewInput
import uniffi.tandem_ffi.Schedule
import uniffi.tandem_ffi.StrengthInput
import uniffi.tandem_ffi.SupportInput
import uniffi.tandem_ffi.SupportKind
import uniffi.tandem_ffi.TandemStore
import uniffi.tandem_ffi.ValueInput

/**
 * Three weeks of Sam's journey, written through the store (not the screens), for pictures of
 * screens that have something to show: values, a strength, a support, a vision, a goal with
 * steps, a daily walk and a weekly call, check-ins good and bad, two reviews.
 */
fun TandemStore.fillWithSamsJourney() {
    val today = LocalDate.now(London)
    val start = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).minusWeeks(2)
    val kids = addValue(ValueInput("Being there for my kids", LifeArea.FAMILY, 10))
    val body = addValue(ValueInput("Feeling strong in my body", LifeArea.HEALTH, 8))
    addValue(ValueInput("Learning to cook properly", LifeArea.LEARNING, 6))
    addStrength(StrengthInput("I keep going", example = "Finished my course last year, through a hard winter"))
    addSupport(SupportInput("My sister Jo", SupportKind.PERSON, note = "Calls on Sundays"))
    addSupport(SupportInput("The walking group", SupportKind.SERVICE, note = "Saturdays, 10:00, by the library"))
    setVision("Well enough to take the kids to the sea every summer, and to enjoy it", start.toString())

    val walking = addGoal(
        GoalInput(
            "Walk three times a week", valueIds = listOf(kids, body), framing = Framing.APPROACH,
            proposedBy = ProposedBy.TOGETHER, importance = 8, confidence = 6,
        ),
    )
    addStep(walking, "Find a route round the park").also { setStepDone(walking, it, true) }
    addStep(walking, "Walk 30 minutes without stopping")

    val walk = addPlan(
        PlanInput(
            "Walk round the park", Schedule.everyNDays(1, LocalTime.of(8, 0)), start.toString(),
            place = "Victoria Park", durationMinutes = 30u, goalId = walking, barriers = "Dark mornings",
            supports = "Jo texts me at 7:45", agreedBy = listOf(Party.MYSELF, Party.SUPPORTER), reminder = true,
        ),
    )
    addPlan(PlanInput("Call Jo", Schedule.weekly(setOf(DayOfWeek.SUNDAY)), start.toString(), reminder = false))

    // Most days done, some partly or not, a few left unanswered.
    var day = start
    var n = 0
    while (day.isBefore(today)) {
        val outcome = when (n % 7) {
            2 -> Outcome.PARTLY
            4 -> Outcome.NOT_DONE
            6 -> null
            else -> Outcome.DONE
        }
        if (outcome != null) {
            val reasons = when (outcome) {
                Outcome.PARTLY -> listOf(Reason.TOO_TIRED)
                Outcome.NOT_DONE -> if (n % 2 == 0) listOf(Reason.LOW_MOOD, Reason.TOO_TIRED) else listOf(Reason.SOMETHING_CAME_UP)
                else -> emptyList()
            }
            checkIn(CheckInInput(walk, day.toString(), outcome, reasons = reasons))
        }
        day = day.plusDays(1)
        n++
    }
    addReview(ReviewInput(start.plusDays(6).toString(), 6, 5, 3, goalId = walking, attainment = -1))
    addReview(ReviewInput(today.minusDays(1).toString(), 8, 7, 5, goalId = walking, attainment = 0, note = "Easier with Jo"))
    addReview(ReviewInput(start.plusDays(6).toString(), 5, 5, 3))
    addReview(ReviewInput(today.minusDays(1).toString(), 7, 6, 5))
}
