package org.tandem.app

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ColumnScope
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.width
import androidx.compose.foundation.layout.widthIn
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.CardDefaults
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Switch
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.foundation.relocation.BringIntoViewRequester
import androidx.compose.foundation.selection.toggleable
import androidx.compose.foundation.relocation.bringIntoViewRequester
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.remember
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateMapOf
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.geometry.Rect
import androidx.compose.ui.platform.LocalDensity
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.semantics.clearAndSetSemantics
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.error
import androidx.compose.ui.semantics.heading
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.semantics.stateDescription
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.text.input.PasswordVisualTransformation
import androidx.compose.ui.text.input.VisualTransformation
import androidx.compose.ui.unit.dp

/** The smallest height of anything a person taps: larger than the 48 dp minimum, for shaky days. */
val TouchTarget = 56.dp

/**
 * The core's refusals of one form, by the field they name. [other] holds a refusal naming a
 * field this form does not show, or any other failure, as its sentence.
 */
class FormErrors {
    private val byField = mutableStateMapOf<String, String>()
    var other by mutableStateOf<String?>(null)
        private set

    operator fun get(field: String): String? = byField[field]

    /** Shows what [edit] says; true when it was saved. [fields] are the fields the form shows. */
    fun show(edit: Edit<*>, fields: Set<String>): Boolean {
        clear()
        when (edit) {
            is Edit.Saved -> return true
            is Edit.Refused -> if (edit.field in fields) byField[edit.field] = edit.problem else other = edit.sentence
            is Edit.Failed -> other = edit.sentence
        }
        return false
    }

    /** A problem the screen found before asking the core (a number field left empty). */
    fun local(field: String, problem: String) {
        clear()
        byField[field] = problem
    }

    fun clear() {
        byField.clear()
        other = null
    }
}

/**
 * The core's sentence beside the field it names (tagged `error:<field>` for tests), after a
 * warning sign so it is not told by colour alone.
 */
@Composable
fun FieldError(field: String, errors: FormErrors) {
    val problem = errors[field] ?: return
    // Saving happens at the bottom of a form: bring the sentence, and the field above it, to
    // where the person can see them.
    val seen = remember { BringIntoViewRequester() }
    val above = with(LocalDensity.current) { 160.dp.toPx() }
    LaunchedEffect(problem) { seen.bringIntoView(Rect(0f, -above, 1f, 1f)) }
    Row(Modifier.padding(top = 4.dp).bringIntoViewRequester(seen), horizontalArrangement = Arrangement.spacedBy(6.dp)) {
        Text("⚠", color = MaterialTheme.colorScheme.error, style = MaterialTheme.typography.bodyLarge, modifier = Modifier.clearAndSetSemantics { })
        Text(
            problem,
            color = MaterialTheme.colorScheme.error,
            style = MaterialTheme.typography.bodyLarge,
            modifier = Modifier.testTag("error:$field"),
        )
    }
}

/** A refusal that names no field on this form, at the top of it. */
@Composable
fun FormProblem(errors: FormErrors) {
    val sentence = errors.other ?: return
    val seen = remember { BringIntoViewRequester() }
    LaunchedEffect(sentence) { seen.bringIntoView() }
    Card(
        colors = CardDefaults.cardColors(containerColor = MaterialTheme.colorScheme.errorContainer),
        modifier = Modifier.fillMaxWidth().bringIntoViewRequester(seen).testTag("error:form"),
    ) {
        Text(
            sentence,
            color = MaterialTheme.colorScheme.onErrorContainer,
            style = MaterialTheme.typography.bodyLarge,
            modifier = Modifier.padding(16.dp),
        )
    }
}

/**
 * A text field with its label, an optional hint, and the core's sentence for [field] beneath.
 * [singleLine] means a short answer (one line tall to start with); the text still wraps.
 */
@Composable
fun TextInput(
    label: String,
    value: String,
    onValueChange: (String) -> Unit,
    field: String,
    errors: FormErrors,
    hint: String? = null,
    singleLine: Boolean = true,
    keyboardType: KeyboardType = KeyboardType.Text,
    /** A passphrase: shown as dots, and kept out of the keyboard's suggestions. */
    secret: Boolean = false,
) {
    val problem = errors[field]
    Column(Modifier.fillMaxWidth()) {
        OutlinedTextField(
            value = value,
            onValueChange = onValueChange,
            label = { Text(label) },
            supportingText = hint?.let { { Text(it) } },
            isError = problem != null,
            // Never one scrolling line: long words wrap, so nothing typed is hidden at large text.
            singleLine = false,
            minLines = if (singleLine) 1 else 3,
            visualTransformation = if (secret) PasswordVisualTransformation() else VisualTransformation.None,
            keyboardOptions = KeyboardOptions(keyboardType = if (secret) KeyboardType.Password else keyboardType),
            modifier = Modifier.fillMaxWidth().testTag("field:$field").semantics {
                if (problem != null) error("$label: $problem")
            },
        )
        FieldError(field, errors)
    }
}

/**
 * A 0–10 ruler: the number typed or moved with − and +, passed to the core as it is (the core
 * says when it is outside the ruler). Digits only.
 */
@Composable
fun RatingField(
    label: String,
    value: String,
    onValueChange: (String) -> Unit,
    field: String,
    errors: FormErrors,
    hint: String? = null,
) {
    val s = LocalStrings.current
    val problem = errors[field]
    Column(Modifier.fillMaxWidth(), verticalArrangement = Arrangement.spacedBy(4.dp)) {
        Text(label, style = MaterialTheme.typography.titleMedium)
        if (hint != null) {
            Text(hint, style = MaterialTheme.typography.bodyMedium, color = MaterialTheme.colorScheme.onSurfaceVariant)
        }
        Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            val number = value.toIntOrNull()
            OutlinedButton(
                onClick = { onValueChange(((number ?: 1) - 1).coerceAtLeast(0).toString()) },
                modifier = Modifier.heightIn(min = TouchTarget).semantics { contentDescription = s.format(S.rating_less, label) },
            ) { Text("−", style = MaterialTheme.typography.titleLarge) }
            OutlinedTextField(
                value = value,
                onValueChange = { typed -> onValueChange(typed.filter(Char::isDigit).take(3)) },
                singleLine = true,
                isError = problem != null,
                keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Number),
                textStyle = MaterialTheme.typography.titleMedium,
                modifier = Modifier.width(96.dp).testTag("field:$field").semantics {
                    contentDescription = label
                    if (problem != null) error("$label: $problem")
                },
            )
            OutlinedButton(
                onClick = { onValueChange(((number ?: -1) + 1).toString()) },
                modifier = Modifier.heightIn(min = TouchTarget).semantics { contentDescription = s.format(S.rating_more, label) },
            ) { Text("+", style = MaterialTheme.typography.titleLarge) }
        }
        FieldError(field, errors)
    }
}

/** One choice among [options], as chips that wrap onto more lines when the text is large. */
@OptIn(ExperimentalLayoutApi::class)
@Composable
fun <T> ChoiceChips(options: List<T>, selected: T?, label: (T) -> String, onSelect: (T) -> Unit, tag: String? = null) {
    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
        options.forEach { option ->
            val text = label(option)
            FilterChip(
                selected = option == selected,
                onClick = { onSelect(option) },
                label = { Text(text, modifier = Modifier.padding(vertical = 8.dp)) },
                leadingIcon = chosenMark(option == selected),
                modifier = Modifier.heightIn(min = TouchTarget).let { if (tag != null) it.testTag("$tag:$text") else it },
            )
        }
    }
}

/** Any number of choices among [options], as chips. */
@OptIn(ExperimentalLayoutApi::class)
@Composable
fun <T> ManyChips(options: List<T>, selected: Set<T>, label: (T) -> String, onToggle: (T) -> Unit, description: ((T) -> String)? = null) {
    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
        options.forEach { option ->
            FilterChip(
                selected = option in selected,
                onClick = { onToggle(option) },
                label = { Text(label(option), modifier = Modifier.padding(vertical = 8.dp)) },
                leadingIcon = chosenMark(option in selected),
                modifier = Modifier.heightIn(min = TouchTarget).widthIn(min = TouchTarget).semantics {
                    if (description != null) contentDescription = description(option)
                },
            )
        }
    }
}

/**
 * A tick on a chosen chip, so that what is chosen never shows by colour alone; a screen reader
 * hears the chip's own "selected" instead.
 */
private fun chosenMark(chosen: Boolean): (@Composable () -> Unit)? = if (!chosen) null else {
    { Text("✓", style = MaterialTheme.typography.titleMedium, modifier = Modifier.clearAndSetSemantics {}) }
}

/** A labelled switch; the whole row is the touch target (and one node for a screen reader). */
@Composable
fun SwitchRow(label: String, checked: Boolean, onChange: (Boolean) -> Unit) {
    val s = LocalStrings.current
    Row(
        verticalAlignment = Alignment.CenterVertically,
        modifier = Modifier
            .fillMaxWidth()
            .heightIn(min = TouchTarget)
            .toggleable(value = checked, role = Role.Switch, onValueChange = onChange)
            .semantics { stateDescription = if (checked) s[S.on] else s[S.off] },
    ) {
        Text(label, style = MaterialTheme.typography.bodyLarge, modifier = Modifier.weight(1f).padding(end = 12.dp))
        Switch(checked = checked, onCheckedChange = null)
    }
}

/** A section heading. */
@Composable
fun Heading(text: String, modifier: Modifier = Modifier) {
    Text(
        text,
        style = MaterialTheme.typography.titleLarge,
        modifier = modifier.padding(top = 8.dp).semantics { heading() },
    )
}

/** A field's label above a group of chips or switches. */
@Composable
fun GroupLabel(text: String) {
    Text(text, style = MaterialTheme.typography.titleMedium, modifier = Modifier.padding(top = 4.dp))
}

/** The main action of a screen: full width, tall. */
@Composable
fun MainButton(text: String, onClick: () -> Unit, modifier: Modifier = Modifier, enabled: Boolean = true) {
    Button(onClick = onClick, enabled = enabled, modifier = modifier.fillMaxWidth().heightIn(min = TouchTarget)) {
        Text(text, style = MaterialTheme.typography.labelLarge)
    }
}

/** A quieter action. */
@Composable
fun SecondButton(text: String, onClick: () -> Unit, modifier: Modifier = Modifier, enabled: Boolean = true) {
    OutlinedButton(onClick = onClick, enabled = enabled, modifier = modifier.heightIn(min = TouchTarget)) {
        Text(text, style = MaterialTheme.typography.labelLarge)
    }
}

/** The quietest action: text only, still a full touch target. */
@Composable
fun QuietButton(text: String, onClick: () -> Unit, modifier: Modifier = Modifier) {
    TextButton(onClick = onClick, modifier = modifier.heightIn(min = TouchTarget)) {
        Text(text, style = MaterialTheme.typography.labelLarge)
    }
}

/** A card holding one thing of the journey; the whole card is the touch target when [onClick] is given. */
@Composable
fun ItemCard(modifier: Modifier = Modifier, onClick: (() -> Unit)? = null, content: @Composable ColumnScope.() -> Unit) {
    val colors = CardDefaults.cardColors(containerColor = MaterialTheme.colorScheme.surfaceContainerLow)
    if (onClick != null) {
        Card(onClick = onClick, colors = colors, modifier = modifier.fillMaxWidth()) {
            Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(6.dp), content = content)
        }
    } else {
        Card(colors = colors, modifier = modifier.fillMaxWidth()) {
            Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(6.dp), content = content)
        }
    }
}

/** What an empty list says, so a screen is never blank. */
@Composable
fun EmptyNote(text: String) {
    Text(
        text,
        style = MaterialTheme.typography.bodyLarge,
        color = MaterialTheme.colorScheme.onSurfaceVariant,
        modifier = Modifier.padding(vertical = 8.dp),
    )
}

/** Secondary text under a title. */
@Composable
fun Detail(text: String, modifier: Modifier = Modifier) {
    Text(text, style = MaterialTheme.typography.bodyMedium, color = MaterialTheme.colorScheme.onSurfaceVariant, modifier = modifier)
}
