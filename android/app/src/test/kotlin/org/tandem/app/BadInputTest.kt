package org.tandem.app

import androidx.compose.ui.semantics.SemanticsNode
import androidx.compose.ui.test.ComposeUiTest
import androidx.compose.ui.test.assertTextEquals
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.performTextInput
import androidx.compose.ui.test.performTextReplacement
import java.nio.file.Path
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import org.tandem.everyNDays
import uniffi.tandem_ffi.Framing
import uniffi.tandem_ffi.GoalInput
import uniffi.tandem_ffi.LifeArea
import uniffi.tandem_ffi.PlanInput
import uniffi.tandem_ffi.ProposedBy
import uniffi.tandem_ffi.Repeat
import uniffi.tandem_ffi.Schedule
import uniffi.tandem_ffi.TandemException
import uniffi.tandem_ffi.TandemStore
import uniffi.tandem_ffi.ValueInput

/**
 * Bad input typed into the screens: the core's own sentence appears beside the field it names,
 * the form stays open, and nothing is saved. The sentences expected are asked of the core
 * directly (another store), so the screens are held to show exactly what it says.
 */
class BadInputTest {
    @TempDir
    lateinit var dir: Path

    @Test
    fun `a value rated 12, a goal with no words and a plan on no day are refused beside their fields`() {
        val (rating, empty, noDays) = openStore(dir, "sentences").use { it.coreSentences() }
        openStore(dir).use { store ->
            runApp(store) { state ->
                tab(state, "Journey")
                tap(state, "add-value")
                onNodeWithTag("field:text").performTextInput("Being there for my kids")
                onNodeWithTag("field:importance").performTextReplacement("12")
                tap(state, "save")
                assertBeside("importance", rating)
                assertEquals(emptyList(), store.journey().values)

                tap(state, "back")
                tap(state, "stage:${strings[S.stage_goals]}")
                tap(state, "add-goal")
                tap(state, "save")
                assertBeside("text", empty)
                assertEquals(emptyList(), store.journey().goals)

                tap(state, "back")
                tap(state, "stage:${strings[S.stage_plans]}")
                tap(state, "add-plan")
                onNodeWithTag("field:what").performTextInput("Walk round the park")
                tap(state, "save")
                assertBeside("schedule.days", noDays)
                assertEquals(emptyList(), store.journey().plans)
            }
        }
    }
}

/** What the core says to a rating of 12, an empty goal and a schedule with no days. */
private fun TandemStore.coreSentences(): Triple<String, String, String> {
    fun refusal(call: () -> Unit) = assertFailsWith<TandemException.InvalidInput> { call() }.problem
    return Triple(
        refusal { addValue(ValueInput("Being there for my kids", LifeArea.FAMILY, 12)) },
        refusal { addGoal(GoalInput("", framing = Framing.APPROACH, proposedBy = ProposedBy.MYSELF, importance = 5, confidence = 5)) },
        refusal { addPlan(PlanInput("Walk round the park", Schedule(Repeat.Weekly(emptyList()), emptyList()), java.time.LocalDate.now(London).toString())) },
    )
}

/**
 * The sentence shows under the field [field] (or the group of chips it names), within a line's
 * height of it, and the form is still open.
 */
private fun ComposeUiTest.assertBeside(field: String, sentence: String) {
    val error = onNodeWithTag("error:$field", useUnmergedTree = true)
    error.assertTextEquals(sentence)
    onNodeWithTag("save").assertExists()
    val below = error.fetchSemanticsNode()
    val above = onAllNodes(androidx.compose.ui.test.hasTestTag("field:$field")).fetchSemanticsNodes().firstOrNull()
    if (above != null) {
        val gap = below.top - above.bottom
        assertTrue(gap >= -1f && gap <= 48 * DENSITY, "the sentence for $field is ${gap}px from its field")
    }
}

private val SemanticsNode.top: Float get() = positionInWindow.y
private val SemanticsNode.bottom: Float get() = positionInWindow.y + size.height
