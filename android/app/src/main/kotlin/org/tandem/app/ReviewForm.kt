package org.tandem.app

import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import uniffi.tandem_ffi.ReviewInput

/** A review of the journey as a whole or of one goal: motivation, confidence, progress, attainment. */
@Composable
fun ReviewForm(state: AppState, journeyId: String? = null) {
    val s = LocalStrings.current
    val errors = remember { FormErrors() }
    val goals = state.goalsOf(journeyId)
    var goalId by remember { mutableStateOf<String?>(null) }
    var motivation by remember { mutableStateOf("5") }
    var confidence by remember { mutableStateOf("5") }
    var progress by remember { mutableStateOf("5") }
    var attainment by remember { mutableStateOf<Int?>(null) }
    var note by remember { mutableStateOf("") }
    Form(
        state, errors, setOf("motivation", "confidence", "progress", "attainment", "note", "goal_id"), intro = s[S.review_intro],
        save = {
            val m = errors.number("motivation", motivation, s) ?: return@Form null
            val c = errors.number("confidence", confidence, s) ?: return@Form null
            val p = errors.number("progress", progress, s) ?: return@Form null
            val input = ReviewInput(
                date = state.todayDate().toString(),
                motivation = m,
                confidence = c,
                progress = p,
                goalId = goalId,
                attainment = if (goalId == null) null else attainment,
                note = note.ifEmpty { null },
            );
            { inJourney(journeyId, { addReview(input) }, { addReview(input) }) }
        },
    ) {
        if (goals.isNotEmpty()) {
            GroupLabel(s[S.review_about])
            ChoiceChips(listOf<String?>(null) + goals.map { it.id }, goalId, label = { id ->
                if (id == null) s[S.review_whole_journey] else goals.first { it.id == id }.text
            }, onSelect = { goalId = it })
        }
        RatingField(s[S.review_motivation], motivation, { motivation = it }, "motivation", errors, hint = s[S.review_motivation_hint])
        RatingField(s[S.review_confidence], confidence, { confidence = it }, "confidence", errors, hint = s[S.review_confidence_hint])
        RatingField(s[S.review_progress], progress, { progress = it }, "progress", errors, hint = s[S.review_progress_hint])
        if (goalId != null) {
            GroupLabel(s[S.review_attainment])
            ChoiceChips(listOf<Int?>(null, -2, -1, 0, 1, 2), attainment, label = {
                if (it == null) s[S.review_attainment_skip] else s.attainment(it)
            }, onSelect = { attainment = it })
            FieldError("attainment", errors)
        }
        TextInput(s[S.review_note], note, { note = it }, "note", errors, hint = s[S.optional], singleLine = false)
    }
}
