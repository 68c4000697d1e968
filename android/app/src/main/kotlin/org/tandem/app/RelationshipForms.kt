package org.tandem.app

import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import kotlinx.coroutines.launch
import uniffi.tandem_ffi.TandemStore
import uniffi.tandem_ffi.WellbeingMeasures
import uniffi.tandem_ffi.SharedWellbeing
import uniffi.tandem_ffi.WellbeingEntry
import uniffi.tandem_ffi.AllianceInput
import uniffi.tandem_ffi.Reflection
import uniffi.tandem_ffi.ReflectionInput
import uniffi.tandem_ffi.measureWording

/**
 * An alliance check-in about the other person of a relationship (a client about their
 * practitioner after a session; a practitioner about their coach): the three items in the
 * core's wording, 0–10, and "something felt off". The other person sees the answers: it says so.
 */
@Composable
fun AllianceForm(state: AppState, docId: String, aboutCoach: Boolean) {
    val s = LocalStrings.current
    val errors = remember { FormErrors() }
    val wording = remember { measureWording() }
    var goals by remember { mutableStateOf("5") }
    var tasks by remember { mutableStateOf("5") }
    var bond by remember { mutableStateOf("5") }
    var feltOff by remember { mutableStateOf(false) }
    val intro = s[if (aboutCoach) S.alliance_intro_coach else S.alliance_intro_practitioner]
    Form(state, errors, setOf("goals", "tasks", "bond"), intro = intro, save = {
        val g = errors.number("goals", goals, s) ?: return@Form null
        val t = errors.number("tasks", tasks, s) ?: return@Form null
        val b = errors.number("bond", bond, s) ?: return@Form null
        val input = AllianceInput(state.todayDate().toString(), g, t, b, feltOff);
        { coaching().use { it.addAllianceCheckIn(docId, input) } }
    }) {
        RatingField(wording.allianceItems[0], goals, { goals = it }, "goals", errors)
        RatingField(wording.allianceItems[1], tasks, { tasks = it }, "tasks", errors)
        RatingField(wording.allianceItems[2], bond, { bond = it }, "bond", errors)
        SwitchRow(wording.allianceFlag, feltOff) { feltOff = it }
    }
}

/** A private reflection: what happened, my reaction, the pattern. It stays private until shared. */
@Composable
fun ReflectionForm(state: AppState) {
    val s = LocalStrings.current
    val errors = remember { FormErrors() }
    var happened by remember { mutableStateOf("") }
    var reaction by remember { mutableStateOf("") }
    var pattern by remember { mutableStateOf("") }
    Form(state, errors, setOf("what_happened", "my_reaction", "pattern"), intro = s[S.reflection_intro], save = {
        val input = ReflectionInput(state.todayDate().toString(), happened, reaction, pattern.ifBlank { null });
        { coaching().use { it.addReflection(input) } }
    }) {
        TextInput(s[S.reflection_happened], happened, { happened = it }, "what_happened", errors, singleLine = false)
        TextInput(s[S.reflection_reaction], reaction, { reaction = it }, "my_reaction", errors, singleLine = false)
        TextInput(s[S.reflection_pattern], pattern, { pattern = it }, "pattern", errors, hint = s[S.optional], singleLine = false)
    }
}

/** A reflection on the coaching screen: shared or not, with share and withdraw in plain words. */
@Composable
fun ReflectionCard(state: AppState, reflection: Reflection, docId: String) {
    val s = LocalStrings.current
    val scope = rememberCoroutineScope()
    val errors = remember { FormErrors() }
    val shared = docId in reflection.sharedIn
    ItemCard(Modifier.testTag("reflection:${reflection.whatHappened}")) {
        Text(reflection.whatHappened, style = MaterialTheme.typography.titleMedium)
        Text(reflection.myReaction, style = MaterialTheme.typography.bodyLarge)
        reflection.pattern?.let { Detail(s.format(S.reflection_pattern_is, it)) }
        Detail(s[if (shared) S.reflection_shared else S.reflection_private])
        FormProblem(errors)
        if (shared) {
            QuietButton(s[S.reflection_withdraw], onClick = {
                scope.launch { errors.show(state.edit { coaching().use { it.withdrawReflection(reflection.id, docId) } }, emptySet()) }
            }, modifier = Modifier.testTag("withdraw:${reflection.whatHappened}"))
        } else {
            Detail(s[S.reflection_share_what])
            SecondButton(s[S.reflection_share], onClick = {
                scope.launch { errors.show(state.edit { coaching().use { it.shareReflection(reflection.id, docId) } }, emptySet()) }
            }, modifier = Modifier.testTag("share:${reflection.whatHappened}"))
        }
    }
}

/**
 * One wellbeing entry of the practitioner's, and what of it their coach sees: nothing until
 * they share it — the WHO-5 alone, or every measure — and nothing again once they withdraw it.
 */
@Composable
fun WellbeingCard(state: AppState, entry: WellbeingEntry, shared: SharedWellbeing?, docId: String) {
    val s = LocalStrings.current
    val scope = rememberCoroutineScope()
    val errors = remember { FormErrors() }
    fun run(change: TandemStore.() -> Unit) {
        scope.launch { errors.show(state.edit(change), emptySet()) }
    }
    ItemCard(Modifier.testTag("wellbeing:${entry.date}")) {
        Text(s.longDate(coreDate(entry.date)), style = MaterialTheme.typography.titleMedium)
        Detail(wellbeingLine(s, entry.who5Percent, entry.stress, entry.burnout))
        FormProblem(errors)
        if (shared != null) {
            Detail(s.format(S.wellbeing_shared_as, wellbeingLine(s, shared.who5Percent, shared.stress, shared.burnout)))
            QuietButton(s[S.wellbeing_withdraw], onClick = {
                run { coaching().use { it.withdrawWellbeing(entry.id, docId) } }
            }, modifier = Modifier.testTag("withdraw-wellbeing:${entry.date}"))
        } else {
            Detail(s[S.wellbeing_private])
            if (entry.who5Percent != null) {
                QuietButton(s[S.wellbeing_share_who5], onClick = {
                    run { coaching().use { it.shareWellbeing(entry.id, docId, WellbeingMeasures(who5 = true, stress = false, burnout = false)) } }
                }, modifier = Modifier.testTag("share-who5:${entry.date}"))
            }
            QuietButton(s[S.wellbeing_share_all], onClick = {
                run { coaching().use { it.shareWellbeing(entry.id, docId, WellbeingMeasures(who5 = true, stress = true, burnout = true)) } }
            }, modifier = Modifier.testTag("share-all:${entry.date}"))
        }
    }
}

/** A wellbeing entry's measures in words, those it has. */
private fun wellbeingLine(s: Strings, who5: Int?, stress: Int?, burnout: Int?): String =
    listOfNotNull(
        who5?.let { s.format(S.wellbeing_who5_is, it) },
        stress?.let { s.format(S.wellbeing_stress_is, it) },
        burnout?.let { s.format(S.wellbeing_burnout_is, it) },
    ).joinToString(" · ").ifEmpty { s[S.wellbeing_nothing] }
