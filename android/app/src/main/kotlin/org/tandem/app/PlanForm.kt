package org.tandem.app

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.selection.toggleable
import androidx.compose.material3.Checkbox
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateListOf
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.unit.dp
import java.time.DayOfWeek
import org.tandem.dayOfWeek
import org.tandem.weekday
import uniffi.tandem_ffi.ActionPlan
import uniffi.tandem_ffi.Party
import uniffi.tandem_ffi.PlanInput
import uniffi.tandem_ffi.Repeat
import uniffi.tandem_ffi.Schedule

private enum class RepeatKind { Weekly, EveryNDays }

/**
 * A new action plan, or a change to [editing]: what, for which goal, the schedule (days of the
 * week or every N days, times), how long, where, what may get in the way and what helps, who
 * agreed, reminders. Everything is handed to the core as typed; its refusals show beside their
 * fields. A changed schedule counts from today (the core keeps the days before as they were).
 */
@Composable
fun PlanForm(state: AppState, goalId: String?, journeyId: String? = null, editing: ActionPlan? = null) {
    val s = LocalStrings.current
    val errors = remember { FormErrors() }
    val goals = state.goalsOf(journeyId)
    val repeatNow = editing?.schedule?.repeat
    var what by remember { mutableStateOf(editing?.what.orEmpty()) }
    var goal by remember { mutableStateOf(goalId) }
    var repeat by remember { mutableStateOf(if (repeatNow is Repeat.EveryNDays) RepeatKind.EveryNDays else RepeatKind.Weekly) }
    var days by remember { mutableStateOf((repeatNow as? Repeat.Weekly)?.days?.map { it.dayOfWeek }?.toSet().orEmpty()) }
    var everyN by remember { mutableStateOf((repeatNow as? Repeat.EveryNDays)?.n?.toString() ?: "1") }
    val times = remember { mutableStateListOf<String>().apply { addAll(editing?.schedule?.times.orEmpty()) } }
    var minutes by remember { mutableStateOf(editing?.durationMinutes?.toString().orEmpty()) }
    var place by remember { mutableStateOf(editing?.place.orEmpty()) }
    var barriers by remember { mutableStateOf(editing?.barriers.orEmpty()) }
    var supports by remember { mutableStateOf(editing?.supports.orEmpty()) }
    var agreedByMe by remember { mutableStateOf(editing?.agreedBy?.contains(Party.MYSELF) ?: true) }
    var agreedBySupporter by remember { mutableStateOf(editing?.agreedBy?.contains(Party.SUPPORTER) ?: (journeyId != null)) }
    var reminder by remember { mutableStateOf(editing?.reminder ?: true) }
    val fields = setOf(
        "what", "schedule.days", "schedule.every_n_days", "schedule.times", "duration_minutes", "place",
        "barriers", "supports", "agreed_by", "goal_id", "start",
    )
    Form(
        state, errors, fields, intro = s[if (editing == null) S.plan_intro else S.plan_edit_intro],
        save = {
            val scheduleRepeat = when (repeat) {
                RepeatKind.Weekly -> Repeat.Weekly(days.sorted().map { it.weekday })
                RepeatKind.EveryNDays -> Repeat.EveryNDays((errors.number("schedule.every_n_days", everyN, s) ?: return@Form null).toUInt())
            }
            val duration = if (minutes.isEmpty()) null else minutes.toIntOrNull()?.toUInt()
            val input = PlanInput(
                what = what,
                schedule = Schedule(scheduleRepeat, times.filter { it.isNotEmpty() }),
                start = editing?.start ?: state.todayDate().toString(),
                place = place.ifEmpty { null },
                durationMinutes = duration,
                goalId = goal,
                barriers = barriers.ifEmpty { null },
                supports = supports.ifEmpty { null },
                agreedBy = listOfNotNull(Party.MYSELF.takeIf { agreedByMe }, Party.SUPPORTER.takeIf { agreedBySupporter }),
                reminder = reminder,
                // What this form does not show stays as it was: the step it serves, its end.
                stepId = editing?.stepId?.takeIf { goal == editing.goalId },
                end = editing?.end,
            );
            if (editing == null) {
                { inJourney(journeyId, { addPlan(input) }, { addPlan(input) }) }
            } else {
                { inJourney(journeyId, { updatePlan(editing.id, input) }, { updatePlan(editing.id, input) }) }
            }
        },
    ) {
        TextInput(s[S.plan_what], what, { what = it }, "what", errors, hint = s[S.plan_what_hint])
        if (goals.isNotEmpty()) {
            GroupLabel(s[S.plan_goal])
            ChoiceChips(listOf<String?>(null) + goals.map { it.id }, goal, label = { id ->
                if (id == null) s[S.plan_no_goal] else goals.first { it.id == id }.text
            }, onSelect = { goal = it })
        }

        Heading(s[S.plan_when])
        ChoiceChips(RepeatKind.entries, repeat, label = {
            if (it == RepeatKind.Weekly) s[S.plan_repeat_weekly] else s[S.plan_repeat_every_n]
        }, onSelect = { repeat = it }, tag = "repeat")
        when (repeat) {
            RepeatKind.Weekly -> Column(Modifier.fillMaxWidth()) {
                GroupLabel(s[S.plan_days])
                ManyChips(
                    DayOfWeek.entries, days, label = { s.dayShort(it) },
                    onToggle = { days = if (it in days) days - it else days + it },
                    description = { s.dayLong(it) },
                )
                FieldError("schedule.days", errors)
            }
            RepeatKind.EveryNDays -> TextInput(
                s[S.plan_every_n], everyN, { everyN = it.filter(Char::isDigit).take(3) }, "schedule.every_n_days", errors,
                hint = s[S.plan_every_n_hint], keyboardType = KeyboardType.Number,
            )
        }
        GroupLabel(s[S.plan_times])
        Detail(if (times.isEmpty()) s[S.plan_times_none] else s[S.plan_times_hint])
        times.forEachIndexed { index, time ->
            Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Column(Modifier.weight(1f)) {
                    TextInput(
                        s.format(S.plan_time_n, index + 1), time, { times[index] = it.take(5) }, "schedule.times.$index", errors,
                        hint = s[S.plan_time_hint],
                    )
                }
                QuietButton(s[S.remove], onClick = { times.removeAt(index) }, modifier = Modifier.semantics {
                    contentDescription = s.format(S.plan_time_remove, index + 1)
                })
            }
        }
        FieldError("schedule.times", errors)
        SecondButton(s[S.plan_time_add], onClick = { times.add("") }, modifier = Modifier.testTag("add-time"))

        TextInput(
            s[S.plan_minutes], minutes, { minutes = it.filter(Char::isDigit).take(4) }, "duration_minutes", errors,
            hint = s[S.optional], keyboardType = KeyboardType.Number,
        )
        TextInput(s[S.plan_where], place, { place = it }, "place", errors, hint = s[S.optional])
        TextInput(s[S.plan_barriers], barriers, { barriers = it }, "barriers", errors, hint = s[S.plan_barriers_hint], singleLine = false)
        TextInput(s[S.plan_supports], supports, { supports = it }, "supports", errors, hint = s[S.plan_supports_hint], singleLine = false)

        GroupLabel(s[S.plan_agreed_by])
        CheckRow(s[S.plan_agreed_me], agreedByMe) { agreedByMe = it }
        CheckRow(s[S.plan_agreed_supporter], agreedBySupporter) { agreedBySupporter = it }
        FieldError("agreed_by", errors)
        SwitchRow(s[S.plan_reminder], reminder) { reminder = it }
    }
}

/** A labelled checkbox; the whole row is the touch target. */
@Composable
fun CheckRow(label: String, checked: Boolean, onChange: (Boolean) -> Unit) {
    Row(
        verticalAlignment = Alignment.CenterVertically,
        modifier = Modifier.fillMaxWidth().heightIn(min = TouchTarget)
            .toggleable(value = checked, role = Role.Checkbox, onValueChange = onChange),
    ) {
        Checkbox(checked = checked, onCheckedChange = null)
        Text(label, style = MaterialTheme.typography.bodyLarge, modifier = Modifier.padding(start = 8.dp))
    }
}
