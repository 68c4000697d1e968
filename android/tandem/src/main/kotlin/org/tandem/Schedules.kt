package org.tandem

import java.time.DayOfWeek
import java.time.LocalTime
import java.time.format.DateTimeFormatter
import uniffi.tandem_ffi.Repeat
import uniffi.tandem_ffi.Schedule
import uniffi.tandem_ffi.Weekday

/** A plan on these [days] of every week, at these [times] (none: once, at any time of the day). */
fun Schedule.Companion.weekly(days: Set<DayOfWeek>, vararg times: LocalTime): Schedule =
    Schedule(Repeat.Weekly(days.sorted().map { it.weekday }), times.map { it.hhmm })

/** A plan every [n] days from its start, at these [times] (none: once, at any time of the day). */
fun Schedule.Companion.everyNDays(n: Int, vararg times: LocalTime): Schedule {
    require(n > 0) { "every $n days: n must be at least 1" }
    return Schedule(Repeat.EveryNDays(n.toUInt()), times.map { it.hhmm })
}

/** Tandem's name for this day. */
val DayOfWeek.weekday: Weekday
    get() = when (this) {
        DayOfWeek.MONDAY -> Weekday.MON
        DayOfWeek.TUESDAY -> Weekday.TUE
        DayOfWeek.WEDNESDAY -> Weekday.WED
        DayOfWeek.THURSDAY -> Weekday.THU
        DayOfWeek.FRIDAY -> Weekday.FRI
        DayOfWeek.SATURDAY -> Weekday.SAT
        DayOfWeek.SUNDAY -> Weekday.SUN
    }

/** This Tandem day as Java's. */
val Weekday.dayOfWeek: DayOfWeek
    get() = when (this) {
        Weekday.MON -> DayOfWeek.MONDAY
        Weekday.TUE -> DayOfWeek.TUESDAY
        Weekday.WED -> DayOfWeek.WEDNESDAY
        Weekday.THU -> DayOfWeek.THURSDAY
        Weekday.FRI -> DayOfWeek.FRIDAY
        Weekday.SAT -> DayOfWeek.SATURDAY
        Weekday.SUN -> DayOfWeek.SUNDAY
    }

/** A time of day as Tandem takes it: `HH:MM`, 24-hour (seconds dropped). */
val LocalTime.hhmm: String
    get() = format(HH_MM)

private val HH_MM = DateTimeFormatter.ofPattern("HH:mm")
