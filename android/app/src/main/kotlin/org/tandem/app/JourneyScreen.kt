package org.tandem.app

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.key
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.selected
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.style.TextAlign
import androidx.compose.material3.ButtonDefaults
import androidx.compose.material3.OutlinedButton
import androidx.compose.foundation.layout.IntrinsicSize
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxHeight
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.height
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.selection.selectableGroup
import androidx.compose.ui.unit.dp
import kotlinx.coroutines.launch
import uniffi.tandem_ffi.Journey

/** The four stages of the journey: what matters, goals, plans, reviews. */
@Composable
fun JourneyScreen(state: AppState) {
    val s = LocalStrings.current
    val journey = state.journey ?: return
    // Each stage opens at its top, not where the last one was scrolled to.
    val scroll = key(state.stage) { rememberScrollState() }
    Column(
        verticalArrangement = Arrangement.spacedBy(12.dp),
        modifier = Modifier.fillMaxSize().verticalScroll(scroll).padding(16.dp),
    ) {
        StageSelector(state)
        when (state.stage) {
            Stage.WhatMatters -> WhatMatters(state, journey)
            Stage.Goals -> Goals(state, journey)
            Stage.Plans -> Plans(state, journey)
            Stage.Reviews -> Reviews(state, journey)
        }
    }
}

/** The four stages as two rows of two equal buttons, numbered, the one on show filled. */
@Composable
private fun StageSelector(state: AppState) {
    val s = LocalStrings.current
    Column(verticalArrangement = Arrangement.spacedBy(8.dp), modifier = Modifier.selectableGroup()) {
        Stage.entries.chunked(2).forEach { pair ->
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp), modifier = Modifier.fillMaxWidth().height(IntrinsicSize.Min)) {
                pair.forEach { stage ->
                    val selected = state.stage == stage
                    val label = "${stage.ordinal + 1}  ${s.stageName(stage)}"
                    val colors = if (selected) {
                        ButtonDefaults.buttonColors(
                            containerColor = MaterialTheme.colorScheme.secondaryContainer,
                            contentColor = MaterialTheme.colorScheme.onSecondaryContainer,
                        )
                    } else {
                        ButtonDefaults.outlinedButtonColors()
                    }
                    OutlinedButton(
                        onClick = { state.stage = stage },
                        colors = colors,
                        shape = MaterialTheme.shapes.medium,
                        modifier = Modifier.weight(1f).fillMaxHeight().heightIn(min = TouchTarget)
                            .semantics { this.selected = selected }
                            .testTag("stage:${s.stageName(stage)}"),
                    ) {
                        Text(if (selected) "✓ $label" else label, style = MaterialTheme.typography.labelLarge, textAlign = TextAlign.Center)
                    }
                }
            }
        }
    }
}

fun Strings.stageName(stage: Stage): String = get(
    when (stage) {
        Stage.WhatMatters -> S.stage_what_matters
        Stage.Goals -> S.stage_goals
        Stage.Plans -> S.stage_plans
        Stage.Reviews -> S.stage_reviews
    },
)

@Composable
private fun WhatMatters(state: AppState, journey: Journey) {
    val s = LocalStrings.current
    Heading(s[S.values_heading])
    Detail(s[S.values_intro])
    if (journey.values.isEmpty()) EmptyNote(s[S.values_empty])
    journey.values.groupBy { it.lifeArea }.forEach { (area, values) ->
        ItemCard {
            Text(s.lifeArea(area), style = MaterialTheme.typography.labelLarge, color = MaterialTheme.colorScheme.primary)
            values.forEach { value ->
                Text(value.text, style = MaterialTheme.typography.titleMedium)
                Detail(s.format(S.values_importance, value.importance))
                ItemActions(state, value.text, onChange = { state.open(Screen.EditValue(value.id)) }) { removeValue(value.id) }
            }
        }
    }
    SecondButton(s[S.values_add], onClick = { state.open(Screen.AddValue) }, modifier = Modifier.testTag("add-value"))

    Heading(s[S.strengths_heading])
    if (journey.strengths.isEmpty()) EmptyNote(s[S.strengths_empty])
    journey.strengths.forEach { strength ->
        ItemCard {
            Text(strength.text, style = MaterialTheme.typography.titleMedium)
            strength.example?.let { Detail(s.format(S.strengths_example, it)) }
            ItemActions(state, strength.text, onChange = { state.open(Screen.EditStrength(strength.id)) }) { removeStrength(strength.id) }
        }
    }
    SecondButton(s[S.strengths_add], onClick = { state.open(Screen.AddStrength) }, modifier = Modifier.testTag("add-strength"))

    Heading(s[S.supports_heading])
    if (journey.supports.isEmpty()) EmptyNote(s[S.supports_empty])
    journey.supports.forEach { support ->
        ItemCard {
            Text(support.name, style = MaterialTheme.typography.titleMedium)
            Detail(listOfNotNull(s.supportKind(support.kind), support.note).joinToString(" · "))
            ItemActions(state, support.name, onChange = { state.open(Screen.EditSupport(support.id)) }) { removeSupport(support.id) }
        }
    }
    SecondButton(s[S.supports_add], onClick = { state.open(Screen.AddSupport) }, modifier = Modifier.testTag("add-support"))

    Heading(s[S.vision_heading])
    val vision = journey.visions.lastOrNull()
    if (vision == null) {
        EmptyNote(s[S.vision_empty])
    } else {
        ItemCard {
            Text(vision.text, style = MaterialTheme.typography.bodyLarge)
            Detail(s.format(S.vision_written, s.shortDate(coreDate(vision.writtenOn))))
        }
    }
    SecondButton(
        if (vision == null) s[S.vision_write] else s[S.vision_rewrite],
        onClick = { state.open(Screen.WriteVision) },
        modifier = Modifier.testTag("write-vision"),
    )
}

@Composable
private fun Goals(state: AppState, journey: Journey) {
    val s = LocalStrings.current
    Heading(s[S.goals_heading])
    Detail(s[S.goals_intro])
    if (journey.goals.isEmpty()) EmptyNote(s[S.goals_empty])
    journey.goals.forEach { goal ->
        ItemCard(Modifier.testTag("goal:${goal.text}"), onClick = { state.open(Screen.Goal(goal.id)) }) {
            Text(goal.text, style = MaterialTheme.typography.titleMedium)
            Detail(s.format(S.goal_ratings, goal.importance, goal.confidence))
            val done = goal.steps.count { it.done }
            Detail(
                listOf(
                    s.goalStatus(goal.status),
                    if (goal.steps.isEmpty()) s[S.goal_no_steps] else s.format(S.goal_steps_done, done, goal.steps.size),
                ).joinToString(" · "),
            )
            Text(s[S.goal_open], style = MaterialTheme.typography.labelLarge, color = MaterialTheme.colorScheme.primary)
        }
    }
    SecondButton(s[S.goals_add], onClick = { state.open(Screen.AddGoal) }, modifier = Modifier.testTag("add-goal"))
}

@Composable
private fun Plans(state: AppState, journey: Journey) {
    val s = LocalStrings.current
    val scope = rememberCoroutineScope()
    Heading(s[S.plans_heading])
    Detail(s[S.plans_intro])
    if (journey.plans.isEmpty()) EmptyNote(s[S.plans_empty])
    journey.plans.forEach { plan ->
        var confirmEnd by remember(plan.id) { mutableStateOf(false) }
        ItemCard(Modifier.testTag("plan:${plan.what}")) {
            Text(plan.what, style = MaterialTheme.typography.titleMedium)
            Detail(s.schedule(plan))
            val details = listOfNotNull(
                plan.place?.let { s.format(S.plan_where_detail, it) },
                plan.durationMinutes?.let { s.format(S.plan_minutes_detail, it.toInt()) },
                if (plan.reminder) s[S.plan_reminder_on] else s[S.plan_reminder_off],
            )
            Detail(details.joinToString(" · "))
            plan.goalId?.let { id -> journey.goals.firstOrNull { it.id == id } }?.let { Detail(s.format(S.plan_for_goal, it.text)) }
            val end = plan.end
            if (end != null) {
                Detail(s.format(S.plan_ends, s.shortDate(coreDate(end))))
            } else if (!confirmEnd) {
                QuietButton(s[S.plan_end], onClick = { confirmEnd = true })
            } else {
                Text(s[S.plan_end_confirm], style = MaterialTheme.typography.bodyLarge)
                SecondButton(s[S.plan_end_yes], onClick = {
                    scope.launch { state.edit { endPlan(plan.id, state.todayDate().toString()) } }
                })
                QuietButton(s[S.plan_end_no], onClick = { confirmEnd = false })
            }
            if (!confirmEnd) {
                ItemActions(state, plan.what, onChange = { state.open(Screen.EditPlan(plan.id)) }.takeIf { end == null }) {
                    removePlan(plan.id)
                }
            }
        }
    }
    SecondButton(s[S.plans_add], onClick = { state.open(Screen.AddPlan()) }, modifier = Modifier.testTag("add-plan"))
}

@Composable
private fun Reviews(state: AppState, journey: Journey) {
    val s = LocalStrings.current
    Heading(s[S.reviews_heading])
    Detail(s[S.reviews_intro])
    if (journey.reviews.isEmpty()) EmptyNote(s[S.reviews_empty])
    journey.reviews.asReversed().forEach { ReviewCard(journey, it) }
    SecondButton(s[S.reviews_add], onClick = { state.open(Screen.AddReview()) }, modifier = Modifier.testTag("add-review"))
}

/** One review of [journey]: what it is about, when, the ratings, attainment and note. */
@Composable
fun ReviewCard(journey: Journey, review: uniffi.tandem_ffi.Review) {
    val s = LocalStrings.current
    ItemCard {
        val about = review.goalId?.let { id -> journey.goals.firstOrNull { it.id == id }?.text } ?: s[S.review_whole_journey]
        Text(about, style = MaterialTheme.typography.titleMedium)
        Detail(s.shortDate(coreDate(review.date)))
        Detail(s.format(S.review_ratings, review.motivation, review.confidence, review.progress))
        review.attainment?.let { Detail(s.format(S.review_attainment_detail, s.attainment(it))) }
        review.note?.let { Text(it, style = MaterialTheme.typography.bodyLarge) }
    }
}

/** A goal-attainment level in words: "as expected (0)". */
fun Strings.attainment(level: Int): String = format(
    when (level) {
        -2 -> S.attainment_minus_2
        -1 -> S.attainment_minus_1
        0 -> S.attainment_0
        1 -> S.attainment_plus_1
        2 -> S.attainment_plus_2
        else -> S.attainment_other
    },
    level,
)
