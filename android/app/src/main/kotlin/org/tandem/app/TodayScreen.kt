package org.tandem.app

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.key
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.selected
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import java.time.LocalDate
import kotlinx.coroutines.launch
import uniffi.tandem_ffi.CheckIn
import uniffi.tandem_ffi.CheckInInput
import uniffi.tandem_ffi.Outcome
import uniffi.tandem_ffi.Reason
import uniffi.tandem_ffi.TodayItem

/** Today's planned occurrences, from the core's `today`, each checked in with one tap. */
@Composable
fun TodayScreen(state: AppState) {
    val s = LocalStrings.current
    val items = state.today.orEmpty()
    Column(
        verticalArrangement = Arrangement.spacedBy(12.dp),
        modifier = Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp),
    ) {
        Text(s.longDate(state.todayDate()), style = MaterialTheme.typography.titleMedium)
        if (items.isEmpty()) {
            ItemCard {
                Text(s[S.today_empty], style = MaterialTheme.typography.titleMedium)
                Detail(s[S.today_empty_detail])
                SecondButton(s[S.today_make_plan], onClick = {
                    state.stage = Stage.Plans
                    state.openTab(Screen.Journey)
                    state.open(Screen.AddPlan())
                })
            }
        } else {
            items.forEach { item ->
                key(item.occurrence.planId, item.occurrence.date, item.occurrence.time) { TodayCard(state, item) }
            }
        }
        if (state.journey?.plans.orEmpty().isNotEmpty()) {
            SecondButton(s[S.today_unplanned], onClick = { state.open(Screen.UnplannedCheckIn) }, modifier = Modifier.testTag("unplanned"))
        }
    }
}

/**
 * The check-in a reminder named: that plan on that day, answered with one tap as on Today
 * (reasons, a note and undo too); read again after every edit.
 */
@Composable
fun CheckInScreen(state: AppState, screen: Screen.CheckIn) {
    val s = LocalStrings.current
    var item by remember(screen) { mutableStateOf<TodayItem?>(null) }
    var looked by remember(screen) { mutableStateOf(false) }
    LaunchedEffect(screen, state.revision) {
        item = runCatching { state.dayOf(screen.date) }.getOrNull()?.firstOrNull { it.occurrence.planId == screen.planId }
        looked = true
    }
    Column(
        verticalArrangement = Arrangement.spacedBy(12.dp),
        modifier = Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp),
    ) {
        Text(s.longDate(LocalDate.parse(screen.date)), style = MaterialTheme.typography.titleMedium)
        val shown = item
        when {
            shown != null -> key(shown.occurrence.planId, shown.occurrence.date, shown.occurrence.time) { TodayCard(state, shown) }
            looked -> EmptyNote(s[S.check_in_not_planned])
        }
        QuietButton(s[S.check_in_to_today], onClick = { state.back() }, modifier = Modifier.testTag("check-in-done"))
    }
}

@OptIn(ExperimentalLayoutApi::class)
@Composable
private fun TodayCard(state: AppState, item: TodayItem) {
    val s = LocalStrings.current
    val scope = rememberCoroutineScope()
    val errors = remember { FormErrors() }
    val answered = item.checkIn?.outcome
    // After a one-tap check-in, partly and not done offer reasons and a note (all optional).
    var askWhy by remember { mutableStateOf(false) }
    var reasons by remember(item.checkIn) { mutableStateOf(item.checkIn?.reasons.orEmpty().toSet()) }
    var reasonText by remember(item.checkIn) { mutableStateOf(item.checkIn?.reasonText.orEmpty()) }
    var note by remember(item.checkIn) { mutableStateOf(item.checkIn?.note.orEmpty()) }
    // The answer a one-tap check-in replaced (none: there was none), while Undo is offered.
    var undo by remember { mutableStateOf<Undo?>(null) }

    fun checkIn(outcome: Outcome, withDetails: Boolean) {
        val before = item.checkIn
        scope.launch {
            val input = CheckInInput(
                planId = item.occurrence.planId,
                date = item.occurrence.date,
                outcome = outcome,
                time = item.occurrence.time,
                reasons = if (withDetails && outcome != Outcome.DONE) reasons.toList() else emptyList(),
                reasonText = if (withDetails && Reason.OTHER in reasons) reasonText.ifEmpty { null } else null,
                note = if (withDetails) note.ifEmpty { null } else null,
            )
            val saved = state.edit { checkIn(input) }
            if (errors.show(saved, setOf("reasons", "reason_text", "note"))) {
                askWhy = !withDetails && outcome != Outcome.DONE
                if (!withDetails) undo = Undo(before, (saved as Edit.Saved).value)
            }
        }
    }

    fun takeBack(u: Undo) {
        scope.launch {
            val edit = state.edit {
                val earlier = u.before
                if (earlier == null) {
                    removeCheckIn(u.stored.planId, u.stored.date, u.stored.time)
                } else {
                    checkIn(CheckInInput(earlier.planId, earlier.date, earlier.outcome, earlier.time, earlier.reasons, earlier.reasonText, earlier.note))
                }
            }
            if (errors.show(edit, emptySet())) {
                undo = null
                askWhy = false
            }
        }
    }

    val time = item.occurrence.time
    ItemCard(Modifier.testTag("today:${item.what}")) {
        Text(item.what, style = MaterialTheme.typography.titleLarge)
        Detail(
            listOf(
                if (time != null) s.format(S.today_at, time) else s[S.today_any_time],
                s.status(item.status),
            ).joinToString(" · "),
        )
        FormProblem(errors)
        FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            listOf(Outcome.DONE, Outcome.PARTLY, Outcome.NOT_DONE).forEach { outcome ->
                val label = s.outcome(outcome)
                val description = s.format(S.today_check_in_as, item.what, label)
                val modifier = Modifier.heightIn(min = TouchTarget).testTag("check-in:${item.what}:$outcome").semantics {
                    contentDescription = description
                    selected = answered == outcome
                }
                if (answered == outcome) {
                    Button(onClick = { checkIn(outcome, withDetails = false) }, modifier = modifier) {
                        Text("✓ $label", style = MaterialTheme.typography.labelLarge)
                    }
                } else {
                    OutlinedButton(onClick = { checkIn(outcome, withDetails = false) }, modifier = modifier) {
                        Text(label, style = MaterialTheme.typography.labelLarge)
                    }
                }
            }
        }
        undo?.takeIf { answered != null }?.let { u ->
            Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Detail(s.format(S.today_saved_as, s.outcome(u.stored.outcome)), modifier = Modifier.weight(1f))
                QuietButton(s[S.today_undo], onClick = { takeBack(u) }, modifier = Modifier.testTag("undo:${item.what}"))
            }
        }
        if (answered != null && !askWhy) {
            val details = item.checkIn?.let { c -> (c.reasons.map { s.reason(it) } + listOfNotNull(c.reasonText, c.note)) }.orEmpty()
            if (details.isNotEmpty()) Detail(details.joinToString(" · "))
            QuietButton(
                if (answered == Outcome.DONE) s[S.today_add_note] else s[S.today_say_why],
                onClick = { askWhy = true },
            )
        }
        if (answered != null && askWhy) {
            if (answered != Outcome.DONE) {
                GroupLabel(s[S.today_why])
                ManyChips(
                    options = Reason.entries,
                    selected = reasons,
                    label = { s.reason(it) },
                    onToggle = { reasons = if (it in reasons) reasons - it else reasons + it },
                )
                if (Reason.OTHER in reasons) {
                    TextInput(s[S.today_own_words], reasonText, { reasonText = it }, "reason_text", errors)
                }
            }
            TextInput(s[S.today_note], note, { note = it }, "note", errors, hint = s[S.optional], singleLine = false)
            FieldError("reasons", errors)
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Button(
                    onClick = { checkIn(answered, withDetails = true) },
                    modifier = Modifier.heightIn(min = TouchTarget).testTag("save-why:${item.what}"),
                ) { Text(s[S.save], style = MaterialTheme.typography.labelLarge) }
                QuietButton(s[S.not_now], onClick = { askWhy = false })
            }
        }
    }
}

/** What Undo puts back: the answer before (none: the occurrence had none) and the one stored. */
private data class Undo(val before: CheckIn?, val stored: CheckIn)
