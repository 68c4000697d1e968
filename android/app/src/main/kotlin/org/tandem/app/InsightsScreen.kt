package org.tandem.app

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.unit.dp
import kotlin.math.roundToInt
import uniffi.tandem_ffi.Completion
import uniffi.tandem_ffi.Insights
import uniffi.tandem_ffi.Metric
import uniffi.tandem_ffi.RatingTrend

/**
 * The last four weeks as pictures, from the core's `insights`: completion week by week, each
 * plan's rate and streak, what got in the way, and how review ratings moved.
 */
@Composable
fun InsightsScreen(state: AppState) {
    val s = LocalStrings.current
    val insights = state.insights
    Column(
        verticalArrangement = Arrangement.spacedBy(12.dp),
        modifier = Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp),
    ) {
        val range = state.insightsRange()
        Detail(s.format(S.insights_range, s.shortDate(range.start), s.shortDate(range.endInclusive)))
        if (insights == null || (insights.perWeek.isEmpty() && insights.trends.isEmpty() && insights.perPlan.all { it.completion.planned == 0u && it.unplanned == 0u })) {
            ItemCard {
                Text(s[S.insights_empty], style = MaterialTheme.typography.titleMedium)
                Detail(s[S.insights_empty_detail])
            }
            return@Column
        }
        Weeks(insights)
        Plans(insights)
        Reasons(insights)
        Trends(insights, state)
    }
}

/** "3 of 4 done, 1 partly" and the same as a percentage, from the core's completion figures. */
private fun Strings.completion(c: Completion): String {
    val rate = c.rate ?: return get(S.insights_nothing_planned)
    val parts = mutableListOf(format(S.insights_done_of, c.done.toInt(), c.planned.toInt()))
    if (c.partly > 0u) parts += format(S.insights_partly, c.partly.toInt())
    if (c.notDone > 0u) parts += format(S.insights_not_done, c.notDone.toInt())
    if (c.unanswered > 0u) parts += format(S.insights_unanswered, c.unanswered.toInt())
    return format(S.insights_rate, (rate * 100).roundToInt(), parts.joinToString(", "))
}

private fun Completion.doneShare(): Float = if (planned == 0u) 0f else done.toFloat() / planned.toFloat()
private fun Completion.partlyShare(): Float = if (planned == 0u) 0f else partly.toFloat() / planned.toFloat()

@Composable
private fun Weeks(insights: Insights) {
    val s = LocalStrings.current
    Heading(s[S.insights_weeks])
    if (insights.perWeek.isEmpty()) EmptyNote(s[S.insights_weeks_empty])
    Column(verticalArrangement = Arrangement.spacedBy(10.dp), modifier = Modifier.testTag("chart:weeks")) {
        insights.perWeek.forEach { week ->
            val label = s.format(S.insights_week_of, s.shortDate(coreDate(week.weekStart)))
            val words = s.completion(week.completion)
            Column(verticalArrangement = Arrangement.spacedBy(4.dp)) {
                Text(label, style = MaterialTheme.typography.titleMedium)
                CompletionBar(week.completion.doneShare(), week.completion.partlyShare(), "$label: $words", Modifier.testTag("bar:week:${week.weekStart}"))
                Detail(words)
            }
        }
    }
}

@Composable
private fun Plans(insights: Insights) {
    val s = LocalStrings.current
    if (insights.perPlan.isEmpty()) return
    Heading(s[S.insights_plans])
    insights.perPlan.forEach { plan ->
        ItemCard(Modifier.testTag("insight:plan:${plan.what}")) {
            Text(plan.what, style = MaterialTheme.typography.titleMedium)
            val words = s.completion(plan.completion)
            CompletionBar(plan.completion.doneShare(), plan.completion.partlyShare(), "${plan.what}: $words")
            Detail(words)
            // A run of nothing is not news: say streaks only once there has been one.
            val streaks = if (plan.longestStreak > 0u) {
                listOf(
                    s.count(S.insights_streak_one, S.insights_streak_other, plan.currentStreak.toInt()),
                    s.format(S.insights_best_streak, plan.longestStreak.toInt()),
                )
            } else {
                emptyList()
            }
            val extra = if (plan.unplanned > 0u) s.count(S.insights_unplanned_one, S.insights_unplanned_other, plan.unplanned.toInt()) else null
            val line = (streaks + listOfNotNull(extra)).joinToString(" · ")
            if (line.isNotEmpty()) Detail(line)
        }
    }
}

@Composable
private fun Reasons(insights: Insights) {
    val s = LocalStrings.current
    if (insights.reasons.isEmpty()) return
    Heading(s[S.insights_reasons])
    Detail(s[S.insights_reasons_intro])
    val largest = insights.reasons.maxOf { it.count.toInt() }
    insights.reasons.forEach { reason ->
        val label = s.reason(reason.reason)
        val times = s.count(S.insights_times_one, S.insights_times_other, reason.count.toInt())
        Column(verticalArrangement = Arrangement.spacedBy(4.dp)) {
            Text("$label · $times", style = MaterialTheme.typography.bodyLarge)
            CountBar(reason.count.toInt(), largest, "$label: $times")
        }
    }
    if (insights.otherTexts > 0u) Detail(s.count(S.insights_own_words_one, S.insights_own_words_other, insights.otherTexts.toInt()))
}

@Composable
private fun Trends(insights: Insights, state: AppState) {
    val s = LocalStrings.current
    if (insights.trends.isEmpty()) return
    Heading(s[S.insights_trends])
    val goals = state.journey?.goals.orEmpty()
    insights.trends.forEach { trend ->
        val about = trend.goalId?.let { id -> goals.firstOrNull { it.id == id }?.text } ?: s[S.review_whole_journey]
        val metric = s.metric(trend.metric)
        val words = s.trendWords(trend)
        ItemCard {
            Text(metric, style = MaterialTheme.typography.titleMedium)
            Detail(about)
            val (low, high) = if (trend.metric == Metric.ATTAINMENT) -2.0 to 2.0 else 0.0 to 10.0
            TrendLine(
                trend.points.map { it.value }, low, high,
                lowLabel = if (trend.metric == Metric.ATTAINMENT) "−2" else "0",
                highLabel = if (trend.metric == Metric.ATTAINMENT) "+2" else "10",
                description = "$about, $metric: $words",
                tag = "trend:${trend.goalId ?: "journey"}:${trend.metric}",
            )
            if (trend.points.size > 1) {
                Row(Modifier.fillMaxWidth(), horizontalArrangement = Arrangement.SpaceBetween) {
                    Detail(s.shortDate(coreDate(trend.points.first().date)))
                    Detail(s.shortDate(coreDate(trend.points.last().date)))
                }
            }
            Detail(words)
        }
    }
}

/** "From 5 to 7, up 2", from the core's first, last and change. */
private fun Strings.trendWords(t: RatingTrend): String {
    fun n(v: Double) = if (v % 1.0 == 0.0) v.toInt().toString() else String.format(locale, "%.1f", v)
    if (t.points.size == 1) return format(S.trend_one, n(t.first))
    return when {
        t.change > 0 -> format(S.trend_up, n(t.first), n(t.last), n(t.change))
        t.change < 0 -> format(S.trend_down, n(t.first), n(t.last), n(-t.change))
        else -> format(S.trend_same, n(t.first))
    }
}
