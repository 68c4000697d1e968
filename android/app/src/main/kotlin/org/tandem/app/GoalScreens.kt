package org.tandem.app

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.selection.toggleable
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Checkbox
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.produceState
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import kotlinx.coroutines.launch
import uniffi.tandem_ffi.CoachingRelationship
import uniffi.tandem_ffi.AttainmentLevel
import uniffi.tandem_ffi.Framing
import uniffi.tandem_ffi.GoalInput
import uniffi.tandem_ffi.ProposedBy

/** A new goal, or a change to [editing] (its steps stay as they are). */
@Composable
fun GoalForm(state: AppState, editing: uniffi.tandem_ffi.Goal? = null) {
    val s = LocalStrings.current
    val errors = remember { FormErrors() }
    val values = state.journey?.values.orEmpty()
    val dated = editing?.targetDate
    var text by remember { mutableStateOf(editing?.text.orEmpty()) }
    var valueIds by remember { mutableStateOf(editing?.valueIds?.toSet().orEmpty()) }
    var framing by remember { mutableStateOf(editing?.framing ?: Framing.APPROACH) }
    var proposedBy by remember { mutableStateOf(editing?.proposedBy ?: ProposedBy.MYSELF) }
    var importance by remember { mutableStateOf((editing?.importance ?: 5).toString()) }
    var confidence by remember { mutableStateOf((editing?.confidence ?: 5).toString()) }
    // The target: the date it has (KEEP_DATE), none, or so many months from today.
    var months by remember { mutableStateOf(if (dated != null) KEEP_DATE else null) }
    val levels = remember {
        androidx.compose.runtime.mutableStateListOf(*LEVELS.map { level ->
            editing?.attainmentLevels?.firstOrNull { it.level == level }?.description.orEmpty()
        }.toTypedArray())
    }
    Form(
        state, errors, setOf("text", "value_ids", "importance", "confidence", "target_date") +
            (0 until 5).map { "attainment_levels[$it].description" },
        intro = s[S.goal_intro],
        save = {
            val i = errors.number("importance", importance, s) ?: return@Form null
            val c = errors.number("confidence", confidence, s) ?: return@Form null
            val input = GoalInput(
                text = text,
                valueIds = values.map { it.id }.filter { it in valueIds },
                framing = framing,
                proposedBy = proposedBy,
                importance = i,
                confidence = c,
                targetDate = when (months) {
                    KEEP_DATE -> dated
                    null -> null
                    else -> state.todayDate().plusMonths(months!!.toLong()).toString()
                },
                attainmentLevels = LEVELS.mapIndexedNotNull { k, level ->
                    levels[k].takeIf { it.isNotBlank() }?.let { AttainmentLevel(level, it) }
                },
            );
            if (editing == null) {
                { addGoal(input) }
            } else {
                { updateGoal(editing.id, input) }
            }
        },
    ) {
        TextInput(s[S.goal_text], text, { text = it }, "text", errors, hint = s[S.goal_text_hint])
        GroupLabel(s[S.goal_framing])
        ChoiceChips(Framing.entries, framing, label = {
            if (it == Framing.APPROACH) s[S.goal_framing_approach] else s[S.goal_framing_avoidance]
        }, onSelect = { framing = it })
        if (values.isNotEmpty()) {
            GroupLabel(s[S.goal_values])
            ManyChips(values.map { it.id }, valueIds, label = { id -> values.first { it.id == id }.text }, onToggle = {
                valueIds = if (it in valueIds) valueIds - it else valueIds + it
            })
            FieldError("value_ids", errors)
        }
        GroupLabel(s[S.goal_proposed_by])
        ChoiceChips(ProposedBy.entries, proposedBy, label = {
            when (it) {
                ProposedBy.MYSELF -> s[S.proposed_myself]
                ProposedBy.SUPPORTER -> s[S.proposed_supporter]
                ProposedBy.TOGETHER -> s[S.proposed_together]
            }
        }, onSelect = { proposedBy = it })
        RatingField(s[S.goal_importance], importance, { importance = it }, "importance", errors, hint = s[S.goal_importance_hint])
        RatingField(s[S.goal_confidence], confidence, { confidence = it }, "confidence", errors, hint = s[S.goal_confidence_hint])
        GroupLabel(s[S.goal_by_when])
        ChoiceChips((if (dated != null) listOf<Int?>(KEEP_DATE) else emptyList()) + listOf(null, 1, 3, 6, 12), months, label = { m ->
            when (m) {
                KEEP_DATE -> s.format(S.goal_keep_date, s.shortDate(coreDate(dated!!)))
                null -> s[S.goal_no_date]
                else -> s.count(S.goal_in_months_one, S.goal_in_months_other, m)
            }
        }, onSelect = { months = it })
        FieldError("target_date", errors)
        GroupLabel(s[S.goal_levels])
        Detail(s[S.goal_levels_intro])
        LEVELS.forEachIndexed { k, level ->
            TextInput(s.attainment(level), levels[k], { levels[k] = it }, "attainment_levels[$k].description", errors, hint = s[S.optional])
        }
    }
}

/** The goal-attainment levels a goal may describe, −2 to +2. */
private val LEVELS = listOf(-2, -1, 0, 1, 2)

/** The target-date choice that keeps the date a goal has. */
private const val KEEP_DATE = -1

/** One goal: its ratings, its steps (add, reorder, mark done) and a way to plan for it. */
@OptIn(ExperimentalLayoutApi::class)
@Composable
fun GoalScreen(state: AppState, goalId: String) {
    val s = LocalStrings.current
    val scope = rememberCoroutineScope()
    val errors = remember { FormErrors() }
    val journey = state.journey ?: return
    val goal = journey.goals.firstOrNull { it.id == goalId }
    Column(
        verticalArrangement = Arrangement.spacedBy(12.dp),
        modifier = Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp),
    ) {
        if (goal == null) {
            EmptyNote(s[S.goal_gone])
            return@Column
        }
        Text(goal.text, style = MaterialTheme.typography.headlineSmall)
        Detail(s.format(S.goal_ratings, goal.importance, goal.confidence))
        val served = goal.valueIds.mapNotNull { id -> journey.values.firstOrNull { it.id == id }?.text }
        if (served.isNotEmpty()) Detail(s.format(S.goal_serves, served.joinToString(", ")))
        goal.targetDate?.let { Detail(s.format(S.goal_target, s.longDate(coreDate(it)))) }
        goal.attainmentLevels.sortedBy { it.level }.forEach { Detail(s.attainment(it.level) + ": " + it.description) }
        FormProblem(errors)

        Heading(s[S.steps_heading])
        if (goal.steps.isEmpty()) EmptyNote(s[S.steps_empty])
        goal.steps.forEachIndexed { index, step ->
            ItemCard {
                Row(
                    verticalAlignment = Alignment.CenterVertically,
                    modifier = Modifier.fillMaxWidth().heightIn(min = TouchTarget).toggleable(
                        value = step.done,
                        role = Role.Checkbox,
                        onValueChange = { done -> scope.launch { errors.show(state.edit { setStepDone(goal.id, step.id, done) }, emptySet()) } },
                    ),
                ) {
                    Checkbox(checked = step.done, onCheckedChange = null)
                    Text(step.text, style = MaterialTheme.typography.bodyLarge, modifier = Modifier.padding(start = 8.dp))
                }
                FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    if (index > 0) {
                        QuietButton(s[S.step_up], onClick = {
                            scope.launch { errors.show(state.edit { moveStep(goal.id, step.id, (index - 1).toUInt()) }, emptySet()) }
                        }, modifier = Modifier.semantics { contentDescription = s.format(S.step_up_description, step.text) })
                    }
                    if (index < goal.steps.lastIndex) {
                        QuietButton(s[S.step_down], onClick = {
                            scope.launch { errors.show(state.edit { moveStep(goal.id, step.id, (index + 1).toUInt()) }, emptySet()) }
                        }, modifier = Modifier.semantics { contentDescription = s.format(S.step_down_description, step.text) })
                    }
                }
            }
        }
        var newStep by remember { mutableStateOf("") }
        TextInput(s[S.step_new], newStep, { newStep = it }, "text", errors)
        SecondButton(s[S.step_add], onClick = {
            scope.launch {
                if (errors.show(state.edit { addStep(goal.id, newStep) }, setOf("text"))) newStep = ""
            }
        }, modifier = Modifier.testTag("add-step"))

        Heading(s[S.goal_plans_heading])
        val plans = journey.plans.filter { it.goalId == goal.id }
        if (plans.isEmpty()) EmptyNote(s[S.goal_plans_empty])
        plans.forEach { plan ->
            ItemCard {
                Text(plan.what, style = MaterialTheme.typography.titleMedium)
                Detail(s.schedule(plan))
            }
        }
        MainButton(s[S.goal_make_plan], onClick = { state.open(Screen.AddPlan(goal.id)) }, modifier = Modifier.testTag("plan-for-goal"))
        WithCoach(state, goal.id)
        ItemActions(state, goal.text, onChange = { state.open(Screen.EditGoal(goal.id)) }) { removeGoal(goal.id) }
    }
}

/**
 * A practitioner's own goal and their coach: share it alone (its steps and plans, as of now;
 * transformational coaching only, which the core checks) or withdraw it.
 */
@Composable
private fun WithCoach(state: AppState, goalId: String) {
    val s = LocalStrings.current
    val scope = rememberCoroutineScope()
    val errors = remember { FormErrors() }
    val docId = state.people.firstOrNull { it.role == uniffi.tandem_ffi.Role.COACH }?.relationshipDocId ?: return
    if (state.server?.role != uniffi.tandem_ffi.Role.PRACTITIONER) return
    val coaching by produceState<CoachingRelationship?>(null, state.revision) {
        value = runCatching { state.read { coaching().use { it.relationship(docId) } } }.getOrNull()
    }
    val shared = coaching?.goals?.any { it.sourceId == goalId } ?: return
    Heading(s[S.goal_with_coach])
    FormProblem(errors)
    if (shared) {
        Detail(s[S.goal_shared_with_coach])
        QuietButton(s[S.goal_withdraw_from_coach], onClick = {
            scope.launch { errors.show(state.edit { coaching().use { it.withdrawGoal(goalId, docId) } }, emptySet()) }
        }, modifier = Modifier.testTag("withdraw-goal"))
    } else {
        Detail(s[S.goal_share_what])
        SecondButton(s[S.goal_share_with_coach], onClick = {
            scope.launch { errors.show(state.edit { coaching().use { it.shareGoal(goalId, docId, null) } }, emptySet()) }
        }, modifier = Modifier.testTag("share-goal"))
    }
}
