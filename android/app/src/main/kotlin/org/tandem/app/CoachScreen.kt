package org.tandem.app

import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import java.time.LocalDate
import kotlin.math.roundToInt
import uniffi.tandem_ffi.CoachingCondition
import uniffi.tandem_ffi.CoachingRelationship
import uniffi.tandem_ffi.SharedSummary
import uniffi.tandem_ffi.SummaryWeek

/**
 * A coach's overview, as the core gives it: practitioners grouped by coaching condition, each
 * with the latest summary they shared, week by week. The core never gives a coach a client:
 * client figures come only as the summary's totals, present only over three or more clients.
 */
@Composable
fun CoachOverviewSection(state: AppState) {
    val s = LocalStrings.current
    Detail(s[S.coach_intro])
    val groups = state.coachOverview?.groups.orEmpty().filter { it.practitioners.isNotEmpty() }
    if (groups.isEmpty()) {
        Heading(s[S.people_practitioners])
        EmptyNote(s[S.people_no_practitioners])
        return
    }
    groups.forEach { group ->
        Heading(s.condition(group.condition))
        group.practitioners.forEach { PractitionerCard(state, it) }
    }
}

@Composable
private fun PractitionerCard(state: AppState, coaching: CoachingRelationship) {
    val s = LocalStrings.current
    val name = state.people.firstOrNull { it.personId == coaching.practitioner }?.name ?: s[S.people_unnamed]
    ItemCard(Modifier.testTag("practitioner:${coaching.practitioner}")) {
        Text(name, style = MaterialTheme.typography.titleMedium)
        if (coaching.journeyShared) Detail(s[S.coach_journey_shared])
        val summary = coaching.summaries.maxByOrNull { it.sharedAt }
        if (summary == null) {
            Detail(s[S.coach_no_summary])
        } else {
            SummaryLines(state, summary)
        }
        val sessions = coaching.sessions.size
        SecondButton(
            if (sessions == 0) s[S.coach_sessions_none] else s.count(S.coach_sessions_one, S.coach_sessions_other, sessions),
            onClick = { state.open(Screen.Sessions(coaching.docId)) },
            modifier = Modifier.testTag("sessions:${coaching.practitioner}"),
        )
    }
}

@Composable
private fun SummaryLines(state: AppState, summary: SharedSummary) {
    val s = LocalStrings.current
    Detail(
        s.format(
            S.coach_summary,
            s.longDate(LocalDate.ofInstant(summary.sharedAt, state.zone)),
            s.shortDate(coreDate(summary.fromDate)),
            s.shortDate(coreDate(summary.toDate)),
        ),
    )
    summary.weeks.forEach { week -> WeekLines(week) }
    summary.note?.let { Text(s.format(S.coach_note, it), style = MaterialTheme.typography.bodyLarge) }
}

@Composable
private fun WeekLines(week: SummaryWeek) {
    val s = LocalStrings.current
    Text(s.format(S.coach_week, s.shortDate(coreDate(week.weekStart))), style = MaterialTheme.typography.titleSmall)
    val own = week.ownRate
    Text(
        if (own == null || week.ownPlanned.toInt() == 0) s[S.coach_own_none] else s.format(S.coach_own, percent(own)),
        style = MaterialTheme.typography.bodyLarge,
    )
    val clients = week.clients
    val rate = week.clientsRate
    Text(
        when {
            week.weekOpen -> s[S.coach_clients_open]
            clients == null || rate == null -> s[S.coach_clients_hidden]
            else -> s.format(S.coach_clients, percent(rate), clients.toInt())
        },
        style = MaterialTheme.typography.bodyLarge,
        modifier = Modifier.testTag("summary-clients:${week.weekStart}"),
    )
    week.wellbeing?.who5Percent?.let { Detail(s.format(S.coach_wellbeing, it.roundToInt())) }
}

private fun percent(rate: Double): Int = (rate * 100).roundToInt()

/** A coaching condition in words; none yet when null. */
fun Strings.condition(condition: CoachingCondition?): String = get(
    when (condition) {
        CoachingCondition.SKILLS_ACQUISITION -> S.coach_condition_skills
        CoachingCondition.TRANSFORMATIONAL -> S.coach_condition_transformational
        null -> S.coach_condition_none
    },
)
