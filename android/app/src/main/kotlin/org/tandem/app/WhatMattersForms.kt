package org.tandem.app

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ColumnScope
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
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.launch
import uniffi.tandem_ffi.LifeArea
import uniffi.tandem_ffi.StrengthInput
import uniffi.tandem_ffi.SupportInput
import uniffi.tandem_ffi.SupportKind
import uniffi.tandem_ffi.TandemStore
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

@Composable
fun ValueForm(state: AppState) {
    val s = LocalStrings.current
    val errors = remember { FormErrors() }
    var text by remember { mutableStateOf("") }
    var area by remember { mutableStateOf(LifeArea.FAMILY) }
    var importance by remember { mutableStateOf("5") }
    Form(
        state, errors, setOf("text", "life_area", "importance"), intro = s[S.value_intro],
        save = {
            val rating = errors.number("importance", importance, s) ?: return@Form null
            val input = ValueInput(text, area, rating);
            { addValue(input) }
        },
    ) {
        TextInput(s[S.value_text], text, { text = it }, "text", errors, hint = s[S.value_text_hint])
        GroupLabel(s[S.value_area])
        ChoiceChips(LifeArea.entries, area, label = { s.lifeArea(it) }, onSelect = { area = it }, tag = "area")
        RatingField(s[S.value_importance], importance, { importance = it }, "importance", errors, hint = s[S.ruler_hint])
    }
}

@Composable
fun StrengthForm(state: AppState) {
    val s = LocalStrings.current
    val errors = remember { FormErrors() }
    var text by remember { mutableStateOf("") }
    var example by remember { mutableStateOf("") }
    Form(
        state, errors, setOf("text", "example"), intro = s[S.strength_intro],
        save = {
            val input = StrengthInput(text, example.ifEmpty { null });
            { addStrength(input) }
        },
    ) {
        TextInput(s[S.strength_text], text, { text = it }, "text", errors, hint = s[S.strength_text_hint])
        TextInput(s[S.strength_example], example, { example = it }, "example", errors, hint = s[S.strength_example_hint], singleLine = false)
    }
}

@Composable
fun SupportForm(state: AppState) {
    val s = LocalStrings.current
    val errors = remember { FormErrors() }
    var name by remember { mutableStateOf("") }
    var kind by remember { mutableStateOf(SupportKind.PERSON) }
    var note by remember { mutableStateOf("") }
    Form(
        state, errors, setOf("name", "kind", "note"), intro = s[S.support_intro],
        save = {
            val input = SupportInput(name, kind, note.ifEmpty { null });
            { addSupport(input) }
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
