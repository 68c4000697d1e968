package org.tandem.app

import androidx.compose.ui.test.onAllNodesWithTag
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.onRoot
import androidx.compose.ui.test.performScrollTo
import androidx.compose.ui.test.performTextInput
import androidx.compose.ui.test.printToString
import java.nio.file.Path
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertTrue
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.io.TempDir
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource
import org.tandem.TandemServer
import uniffi.tandem_ffi.CoachingCondition
import uniffi.tandem_ffi.InvitationKind
import uniffi.tandem_ffi.TandemStore

/**
 * Alex brings a case about his client Sam to skills coaching with Priya: he picks Sam by name,
 * and what reaches Priya names Sam only by a code. In transformational coaching the core says
 * no, beside the form. A real server, three looks.
 */
class CaseReviewTest {
    @TempDir
    lateinit var dir: Path

    @ParameterizedTest
    @EnumSource(Look::class)
    fun `Alex brings a case about Sam and Priya reads it by code, never by name`(look: Look) {
        TandemServer.start(dir.resolve("server").also { it.toFile().mkdirs() }).use { server ->
            val priya = openStore(dir, "priya")
            val alex = openStore(dir, "alex")
            val sam = openStore(dir, "sam")
            try {
                val doc = coaching(server, priya, alex)
                runBlocking {
                    sam.setMyName("Sam Okafor")
                    sam.join(server.url, alex.invite(InvitationKind.CLIENT).code)
                    sam.syncNow()
                    alex.syncNow()
                }
                val question = "He cancels whenever the plan gets harder"

                runApp(alex, look) { state ->
                    show(state, Screen.People)
                    tap(state, "person:${priya.identity().personId}")
                    waitUntil("the coaching screen", 10_000) { onAllNodesWithTag("add-case-review").fetchSemanticsNodes().isNotEmpty() }
                    // Transformational coaching: the core refuses a case review, in its words.
                    tap(state, "condition:${strings.condition(CoachingCondition.TRANSFORMATIONAL)}")
                    tap(state, "add-case-review")
                    onNodeWithTag("field:question").performTextInput(question)
                    tap(state, "save")
                    assertTrue(alex.coaching().use { it.relationship(doc).caseReviews }.isEmpty(), "nothing saved")
                    assertTrue(onAllNodesWithTag("save").fetchSemanticsNodes().isNotEmpty(), "the form stays open")
                    look("case-review-refused", look, state)
                    runOnUiThread { state.back() }
                    settle(state)

                    tap(state, "condition:${strings.condition(CoachingCondition.SKILLS_ACQUISITION)}")
                    tap(state, "add-case-review")
                    tap(state, "client:Sam Okafor")
                    onNodeWithTag("field:question").performTextInput(question)
                    tap(state, "save")
                    val code = alex.coaching().use { it.relationship(doc).caseReviews.single().clientCode }
                    onNodeWithTag("case:$code").performScrollTo()
                    look("case-reviews", look, state)
                }
                runBlocking {
                    alex.syncNow()
                    priya.syncNow()
                }
                runApp(priya, look) { state ->
                    show(state, Screen.People)
                    tap(state, "sessions:${alex.identity().personId}")
                    val review = priya.coaching().use { it.relationship(doc).caseReviews.single() }
                    assertEquals(question, review.question)
                    onNodeWithTag("case:${review.clientCode}").performScrollTo().assertExists()
                    assertTrue(onAllNodesWithTag("add-case-review").fetchSemanticsNodes().isEmpty(), "only the practitioner brings cases")
                    val tree = onRoot().printToString(maxDepth = Int.MAX_VALUE)
                    assertFalse("Sam" in tree, "the client's name reached the coach's screen")
                    look("coach-case-reviews", look, state)
                }
            } finally {
                listOf(priya, alex, sam).forEach(TandemStore::close)
            }
        }
    }
}
