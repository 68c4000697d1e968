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
import androidx.compose.runtime.mutableStateListOf
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.produceState
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.unit.dp
import java.time.LocalDate
import kotlin.math.roundToInt
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import org.tandem.who5
import uniffi.tandem_ffi.WellbeingEntry
import uniffi.tandem_ffi.Completion
import uniffi.tandem_ffi.CoachingRelationship
import uniffi.tandem_ffi.ParallelView
import uniffi.tandem_ffi.Reflection
import uniffi.tandem_ffi.SummaryChoices
import uniffi.tandem_ffi.WellbeingInput
import uniffi.tandem_ffi.measureWording

/**
 * A practitioner's coaching with their coach: the condition, the parallel view of the last
 * four weeks (their own plans beside their clients', "not enough data" where fewer than three
 * clients contributed, ruptures, the prompts), a wellbeing check-in, and sharing a summary,
 * saying plainly what the coach will see. Every figure comes from the core.
 */
@Composable
fun CoachingScreen(state: AppState, docId: String) {
    val s = LocalStrings.current
    val scope = rememberCoroutineScope()
    val errors = remember { FormErrors() }
    val range = state.insightsRange()
    val loaded by produceState<Triple<CoachingRelationship, ParallelView, List<Reflection>>?>(null, state.revision) {
        value = state.read {
            val view = parallel().use { it.parallelView(range.start.toString(), range.endInclusive.toString(), state.now()) }
            coaching().use { Triple(it.relationship(docId), view, it.reflections()) }
        }
    }
    val entries by produceState<List<WellbeingEntry>>(emptyList(), state.revision) {
        value = state.read { coaching().use { it.wellbeing() } }
    }
    var withWellbeing by remember { mutableStateOf(false) }
    var note by remember { mutableStateOf("") }
    Column(
        verticalArrangement = Arrangement.spacedBy(12.dp),
        modifier = Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp).testTag("coaching"),
    ) {
        val (coaching, view, reflections) = loaded ?: run {
            EmptyNote(s[S.loading])
            return@Column
        }
        SessionsSection(state, docId, coaching)
        Heading(s[S.coaching_parallel])
        Detail(s[S.coaching_parallel_intro])
        view.weeks.forEach { week ->
            ItemCard(Modifier.testTag("parallel:${week.weekStart}")) {
                Text(s.format(S.coach_week, s.shortDate(coreDate(week.weekStart))), style = MaterialTheme.typography.titleMedium)
                CompletionLine(s[S.coaching_you], week.own)
                val clients = week.clients
                if (clients == null) {
                    Detail(s[S.coaching_clients_not_enough])
                } else {
                    CompletionLine(s.format(S.coaching_clients, clients.clients.toInt()), clients.completion)
                }
                if (week.coachingRuptures > 0u) Detail(s.format(S.coaching_ruptures_coach, week.coachingRuptures.toInt()))
                week.clientRuptures?.let { Detail(s.format(S.coaching_ruptures_clients, it.ruptures.toInt(), it.clients.toInt())) }
                week.wellbeing?.who5Percent?.let { Detail(s.format(S.coaching_wellbeing_you, it.roundToInt())) }
            }
        }
        if (view.prompts.isNotEmpty()) {
            Heading(s[S.coaching_prompts])
            view.prompts.forEach { Text("• " + it.text, style = MaterialTheme.typography.bodyLarge) }
        }

        SecondButton(s[S.alliance_open_coach], onClick = { state.open(Screen.AddAlliance(docId, aboutCoach = true)) }, modifier = Modifier.testTag("add-alliance"))

        Heading(s[S.reflections])
        if (reflections.isEmpty()) EmptyNote(s[S.reflections_empty])
        reflections.forEach { ReflectionCard(state, it, docId) }
        SecondButton(s[S.reflection_add], onClick = { state.open(Screen.AddReflection) }, modifier = Modifier.testTag("add-reflection"))

        Heading(s[S.wellbeing_title])
        Detail(s[S.wellbeing_intro])
        entries.sortedByDescending { it.date }.take(6).forEach { entry ->
            WellbeingCard(state, entry, coaching.wellbeing.firstOrNull { it.sourceId == entry.id }, docId)
        }
        SecondButton(s[S.wellbeing_add], onClick = { state.open(Screen.AddWellbeing(docId)) }, modifier = Modifier.testTag("add-wellbeing"))

        Heading(s[S.coaching_share])
        Text(s[S.coaching_share_what], style = MaterialTheme.typography.bodyLarge)
        FormProblem(errors)
        SwitchRow(s[S.coaching_share_wellbeing], withWellbeing) { withWellbeing = it }
        TextInput(s[S.coaching_share_note], note, { note = it }, "note", errors, hint = s[S.optional], singleLine = false)
        val last = coaching.summaries.maxByOrNull { it.sharedAt }
        if (last != null) Detail(s.format(S.coaching_shared_last, s.longDate(LocalDate.ofInstant(last.sharedAt, state.zone))))
        MainButton(s[S.coaching_share_button], onClick = {
            scope.launch {
                val choices = SummaryChoices(includeWellbeing = withWellbeing, note = note.ifBlank { null })
                val saved = state.edit { parallel().use { it.shareSummaryNow(docId, range, choices, state) } }
                if (errors.show(saved, setOf("note"))) note = ""
            }
        }, modifier = Modifier.testTag("share-summary"))
    }
}

/** Shares the summary on the calling (IO) thread: [AppState.edit] already left the UI thread. */
private fun uniffi.tandem_ffi.Parallel.shareSummaryNow(
    docId: String,
    range: ClosedRange<LocalDate>,
    choices: SummaryChoices,
    state: AppState,
): String = shareSummary(docId, range.start.toString(), range.endInclusive.toString(), choices, state.now())

@Composable
private fun CompletionLine(who: String, completion: Completion) {
    val s = LocalStrings.current
    val planned = completion.planned.toInt()
    val rate = completion.rate
    val words = if (planned == 0 || rate == null) {
        s.format(S.coaching_nothing_planned, who)
    } else {
        s.format(S.coaching_rate, who, (rate * 100).roundToInt(), completion.done.toInt(), planned)
    }
    Text(words, style = MaterialTheme.typography.bodyLarge)
    if (planned > 0) {
        CompletionBar(completion.done.toFloat() / planned, completion.partly.toFloat() / planned, words)
    }
}

/** WHO-5: the five statements as the core words them, each answered 0 to 5, with its credit. */
@Composable
fun WellbeingForm(state: AppState, docId: String) {
    val s = LocalStrings.current
    val errors = remember { FormErrors() }
    val wording = remember { measureWording() }
    val answers = remember { mutableStateListOf<Int?>(null, null, null, null, null) }
    Form(state, errors, setOf("who5", "stress", "burnout", "date"), intro = s[S.wellbeing_form_intro], save = {
        val given = answers.filterNotNull()
        if (given.size < answers.size) {
            errors.local("who5", s[S.wellbeing_answer_all])
            return@Form null
        }
        val input = WellbeingInput.who5(state.todayDate(), given);
        { coaching().use { it.addWellbeing(input) } }
    }) {
        wording.who5Items.forEachIndexed { i, item ->
            GroupLabel(item)
            ChoiceChips((0..5).toList(), answers[i], label = { s.who5Answer(it) }, onSelect = { answers[i] = it }, tag = "who5-$i")
        }
        FieldError("who5", errors)
        Detail(wording.who5Credit)
    }
}

/** A WHO-5 answer in words. */
fun Strings.who5Answer(score: Int): String = get(
    when (score) {
        0 -> S.who5_0
        1 -> S.who5_1
        2 -> S.who5_2
        3 -> S.who5_3
        4 -> S.who5_4
        else -> S.who5_5
    },
)
