package org.tandem.app

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.unit.dp
import kotlinx.coroutines.launch
import uniffi.tandem_ffi.CheckInInput
import uniffi.tandem_ffi.Outcome
import uniffi.tandem_ffi.Reason

/**
 * A check-in that is not on today's list: something done on a day its plan does not plan, or
 * extra. The core decides whether it answers one of today's occurrences or is kept as unplanned.
 */
@Composable
fun UnplannedCheckInScreen(state: AppState) {
    val s = LocalStrings.current
    val scope = rememberCoroutineScope()
    val errors = remember { FormErrors() }
    val plans = state.journey?.plans.orEmpty()
    var planId by remember { mutableStateOf(plans.singleOrNull()?.id) }
    var outcome by remember { mutableStateOf(Outcome.DONE) }
    var reasons by remember { mutableStateOf(emptySet<Reason>()) }
    var note by remember { mutableStateOf("") }
    Column(
        verticalArrangement = Arrangement.spacedBy(12.dp),
        modifier = Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp),
    ) {
        Detail(s[S.unplanned_intro])
        FormProblem(errors)
        if (plans.isEmpty()) {
            EmptyNote(s[S.unplanned_no_plans])
            SecondButton(s[S.today_make_plan], onClick = {
                state.stage = Stage.Plans
                state.openTab(Screen.Journey)
                state.open(Screen.AddPlan())
            })
            return@Column
        }
        GroupLabel(s[S.unplanned_which_plan])
        ChoiceChips(plans.map { it.id }, planId, label = { id -> plans.first { it.id == id }.what }, onSelect = { planId = it }, tag = "plan")
        GroupLabel(s[S.unplanned_how])
        ChoiceChips(listOf(Outcome.DONE, Outcome.PARTLY, Outcome.NOT_DONE), outcome, label = { s.outcome(it) }, onSelect = { outcome = it })
        if (outcome != Outcome.DONE) {
            GroupLabel(s[S.today_why])
            ManyChips(Reason.entries.filter { it != Reason.OTHER }, reasons, { s.reason(it) }, { reasons = if (it in reasons) reasons - it else reasons + it })
        }
        TextInput(s[S.today_note], note, { note = it }, "note", errors, hint = s[S.optional], singleLine = false)
        MainButton(
            s[S.save],
            enabled = planId != null,
            modifier = Modifier.testTag("save"),
            onClick = {
                val plan = planId ?: return@MainButton
                scope.launch {
                    val input = CheckInInput(
                        planId = plan,
                        date = state.todayDate().toString(),
                        outcome = outcome,
                        reasons = if (outcome == Outcome.DONE) emptyList() else reasons.toList(),
                        note = note.ifEmpty { null },
                    )
                    if (errors.show(state.edit { checkIn(input) }, setOf("note", "reasons"))) state.back()
                }
            },
        )
    }
}
