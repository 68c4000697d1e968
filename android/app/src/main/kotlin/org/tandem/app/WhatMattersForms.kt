package org.tandem.app

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ColumnScope
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
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
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.launch
import uniffi.tandem_ffi.LifeArea
import uniffi.tandem_ffi.Strength
import uniffi.tandem_ffi.StrengthInput
import uniffi.tandem_ffi.Support
import uniffi.tandem_ffi.SupportInput
import uniffi.tandem_ffi.SupportKind
import uniffi.tandem_ffi.TandemStore
import uniffi.tandem_ffi.Value
import uniffi.tandem_ffi.ValueInput

/**
 * A form: its fields, the refusal that names none of them on top, Save and Cancel. [save]
 * returns the edit to run; on success the form closes.
 */
@Composable
fun Form(
    state: AppState,
    errors: FormErrors,
    fields: Set<String>,
    intro: String? = null,
    save: () -> (TandemStore.() -> Any)?,
    content: @Composable ColumnScope.() -> Unit,
) {
    val s = LocalStrings.current
    val scope = rememberCoroutineScope()
    Column(
        verticalArrangement = Arrangement.spacedBy(14.dp),
        modifier = Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp),
    ) {
        if (intro != null) Detail(intro)
        FormProblem(errors)
        content()
        MainButton(s[S.save], onClick = { scope.saveForm(state, errors, fields, save) }, modifier = Modifier.testTag("save"))
        QuietButton(s[S.cancel], onClick = { state.back() })
    }
}

private fun CoroutineScope.saveForm(state: AppState, errors: FormErrors, fields: Set<String>, save: () -> (TandemStore.() -> Any)?) {
    val change = save() ?: return // the form said what is missing
    launch {
        if (errors.show(state.edit(change), fields)) state.back()
    }
}

/** A number typed in a field, or a note beside it when it is empty. */
fun FormErrors.number(field: String, text: String, s: Strings): Int? {
    val n = text.toIntOrNull()
    if (n == null) local(field, s[S.field_need_number])
    return n
}

/** A new value, or a change to [editing] (the core's `update_value`). */
@Composable
fun ValueForm(state: AppState, editing: Value? = null) {
    val s = LocalStrings.current
    val errors = remember { FormErrors() }
    var text by remember { mutableStateOf(editing?.text.orEmpty()) }
    var area by remember { mutableStateOf(editing?.lifeArea ?: LifeArea.FAMILY) }
    var importance by remember { mutableStateOf(editing?.importance?.toString() ?: "5") }
    Form(
        state, errors, setOf("text", "life_area", "importance"), intro = s[S.value_intro],
        save = {
            val rating = errors.number("importance", importance, s) ?: return@Form null
            val input = ValueInput(text, area, rating);
            { if (editing == null) addValue(input) else updateValue(editing.id, input) }
        },
    ) {
        TextInput(s[S.value_text], text, { text = it }, "text", errors, hint = s[S.value_text_hint])
        GroupLabel(s[S.value_area])
        ChoiceChips(LifeArea.entries, area, label = { s.lifeArea(it) }, onSelect = { area = it }, tag = "area")
        RatingField(s[S.value_importance], importance, { importance = it }, "importance", errors, hint = s[S.ruler_hint])
    }
}

/** A new strength, or a change to [editing]. */
@Composable
fun StrengthForm(state: AppState, editing: Strength? = null) {
    val s = LocalStrings.current
    val errors = remember { FormErrors() }
    var text by remember { mutableStateOf(editing?.text.orEmpty()) }
    var example by remember { mutableStateOf(editing?.example.orEmpty()) }
    Form(
        state, errors, setOf("text", "example"), intro = s[S.strength_intro],
        save = {
            val input = StrengthInput(text, example.ifEmpty { null });
            { if (editing == null) addStrength(input) else updateStrength(editing.id, input) }
        },
    ) {
        TextInput(s[S.strength_text], text, { text = it }, "text", errors, hint = s[S.strength_text_hint])
        TextInput(s[S.strength_example], example, { example = it }, "example", errors, hint = s[S.strength_example_hint], singleLine = false)
    }
}

/** A new support, or a change to [editing]. */
@Composable
fun SupportForm(state: AppState, editing: Support? = null) {
    val s = LocalStrings.current
    val errors = remember { FormErrors() }
    var name by remember { mutableStateOf(editing?.name.orEmpty()) }
    var kind by remember { mutableStateOf(editing?.kind ?: SupportKind.PERSON) }
    var note by remember { mutableStateOf(editing?.note.orEmpty()) }
    Form(
        state, errors, setOf("name", "kind", "note"), intro = s[S.support_intro],
        save = {
            val input = SupportInput(name, kind, note.ifEmpty { null });
            { if (editing == null) addSupport(input) else updateSupport(editing.id, input) }
        },
    ) {
        TextInput(s[S.support_name], name, { name = it }, "name", errors, hint = s[S.support_name_hint])
        GroupLabel(s[S.support_kind])
        ChoiceChips(SupportKind.entries, kind, label = { s.supportKind(it) }, onSelect = { kind = it })
        TextInput(s[S.support_note], note, { note = it }, "note", errors, hint = s[S.support_note_hint], singleLine = false)
    }
}

@Composable
fun VisionForm(state: AppState) {
    val s = LocalStrings.current
    val errors = remember { FormErrors() }
    var text by remember { mutableStateOf(state.journey?.visions?.lastOrNull()?.text.orEmpty()) }
    Form(
        state, errors, setOf("text", "written_on"), intro = s[S.vision_intro],
        save = {
            val on = state.todayDate().toString();
            { setVision(text, on) }
        },
    ) {
        TextInput(s[S.vision_text], text, { text = it }, "text", errors, singleLine = false)
    }
}

/**
 * "Change" (when [onChange] is given) and "Remove" under one item of the journey, each labelled
 * with the item's [name] for a screen reader; removing is asked once more, saying that it goes
 * from every device that shares the journey, then runs [remove] through the core.
 */
@OptIn(ExperimentalLayoutApi::class)
@Composable
fun ItemActions(state: AppState, name: String, onChange: (() -> Unit)?, remove: TandemStore.() -> Unit) {
    val s = LocalStrings.current
    val scope = rememberCoroutineScope()
    val errors = remember { FormErrors() }
    var asking by remember(name) { mutableStateOf(false) }
    if (asking) {
        Text(s.format(S.item_remove_what, name), style = MaterialTheme.typography.bodyLarge)
        FormProblem(errors)
        FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            SecondButton(s[S.item_remove_yes], onClick = {
                scope.launch { if (errors.show(state.edit(remove), emptySet())) asking = false }
            }, modifier = Modifier.testTag("remove-yes:$name"))
            QuietButton(s[S.item_keep], onClick = { asking = false })
        }
        return
    }
    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        if (onChange != null) {
            QuietButton(s[S.item_change], onClick = onChange, modifier = Modifier.testTag("change:$name")
                .semantics { contentDescription = s.format(S.item_change_described, name) })
        }
        QuietButton(s[S.item_remove], onClick = { asking = true }, modifier = Modifier.testTag("remove:$name")
            .semantics { contentDescription = s.format(S.item_remove_described, name) })
    }
}
