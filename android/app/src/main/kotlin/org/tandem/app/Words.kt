package org.tandem.app

import java.time.DayOfWeek
import java.time.LocalDate
import java.time.format.DateTimeFormatter
import java.time.format.TextStyle
import uniffi.tandem_ffi.ActionPlan
import uniffi.tandem_ffi.GoalStatus
import uniffi.tandem_ffi.LifeArea
import uniffi.tandem_ffi.Metric
import uniffi.tandem_ffi.OccurrenceStatus
import uniffi.tandem_ffi.Outcome
import uniffi.tandem_ffi.Reason
import uniffi.tandem_ffi.Repeat
import uniffi.tandem_ffi.SupportKind
import org.tandem.dayOfWeek

// The words for the core's enums and records, from the strings table. Presentation only.

fun Strings.lifeArea(area: LifeArea): String = get(
    when (area) {
        LifeArea.RELATIONSHIPS -> S.area_relationships
        LifeArea.FAMILY -> S.area_family
        LifeArea.WORK -> S.area_work
        LifeArea.LEARNING -> S.area_learning
        LifeArea.HEALTH -> S.area_health
        LifeArea.LEISURE -> S.area_leisure
        LifeArea.COMMUNITY -> S.area_community
        LifeArea.SPIRITUALITY -> S.area_spirituality
        LifeArea.HOME -> S.area_home
        LifeArea.OTHER -> S.area_other
    },
)

fun Strings.supportKind(kind: SupportKind): String = get(
    when (kind) {
        SupportKind.PERSON -> S.support_kind_person
        SupportKind.SERVICE -> S.support_kind_service
        SupportKind.RESOURCE -> S.support_kind_resource
    },
)

fun Strings.reason(reason: Reason): String = get(
    when (reason) {
        Reason.FORGOT -> S.reason_forgot
        Reason.NO_TIME -> S.reason_no_time
        Reason.TOO_TIRED -> S.reason_too_tired
        Reason.UNWELL -> S.reason_unwell
        Reason.LOW_MOOD -> S.reason_low_mood
        Reason.ANXIOUS -> S.reason_anxious
        Reason.LOW_MOTIVATION -> S.reason_low_motivation
        Reason.SOMETHING_CAME_UP -> S.reason_something_came_up
        Reason.PLAN_DID_NOT_FIT -> S.reason_plan_did_not_fit
        Reason.OTHER -> S.reason_other
    },
)

fun Strings.outcome(outcome: Outcome): String = get(
    when (outcome) {
        Outcome.DONE -> S.outcome_done
        Outcome.PARTLY -> S.outcome_partly
        Outcome.NOT_DONE -> S.outcome_not_done
    },
)

fun Strings.status(status: OccurrenceStatus): String = get(
    when (status) {
        OccurrenceStatus.DONE -> S.status_done
        OccurrenceStatus.PARTLY -> S.status_partly
        OccurrenceStatus.NOT_DONE -> S.status_not_done
        OccurrenceStatus.DUE -> S.status_due
        OccurrenceStatus.MISSED -> S.status_missed
    },
)

fun Strings.goalStatus(status: GoalStatus): String = get(
    when (status) {
        GoalStatus.ACTIVE -> S.goal_status_active
        GoalStatus.PAUSED -> S.goal_status_paused
        GoalStatus.COMPLETED -> S.goal_status_completed
        GoalStatus.LET_GO -> S.goal_status_let_go
    },
)

fun Strings.metric(metric: Metric): String = get(
    when (metric) {
        Metric.MOTIVATION -> S.metric_motivation
        Metric.CONFIDENCE -> S.metric_confidence
        Metric.PROGRESS -> S.metric_progress
        Metric.ATTAINMENT -> S.metric_attainment
    },
)

fun Strings.dayShort(day: DayOfWeek): String = day.getDisplayName(TextStyle.SHORT, locale)
fun Strings.dayLong(day: DayOfWeek): String = day.getDisplayName(TextStyle.FULL, locale)

/** "Mon, Wed, Fri at 08:00" / "Every 2 days" / "Every day, any time". */
fun Strings.schedule(plan: ActionPlan): String {
    val repeat = when (val r = plan.schedule.repeat) {
        is Repeat.Weekly ->
            if (r.days.size == 7) get(S.schedule_every_day) else r.days.joinToString(", ") { dayShort(it.dayOfWeek) }
        is Repeat.EveryNDays -> if (r.n == 1u) get(S.schedule_every_day) else format(S.schedule_every_n_days, r.n.toInt())
    }
    val times = plan.schedule.times
    return if (times.isEmpty()) format(S.schedule_any_time, repeat) else format(S.schedule_at_times, repeat, times.joinToString(", "))
}

/** "Tuesday 1 December". */
fun Strings.longDate(date: LocalDate): String = date.format(DateTimeFormatter.ofPattern(get(S.date_pattern_long), locale))

/** "1 Dec". */
fun Strings.shortDate(date: LocalDate): String = date.format(DateTimeFormatter.ofPattern(get(S.date_pattern_short), locale))

/** Reads a `YYYY-MM-DD` date the core gave. */
fun coreDate(text: String): LocalDate = LocalDate.parse(text)
