package org.tandem.app

import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.test.onAllNodesWithTag
import androidx.compose.ui.test.onAllNodesWithText
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.onRoot
import androidx.compose.ui.test.performTextInput
import androidx.compose.ui.test.printToString
import java.nio.file.Path
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.io.TempDir
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource
import org.tandem.TandemServer
import uniffi.tandem_ffi.CoachingCondition
import uniffi.tandem_ffi.TandemStore

/**
 * Alex, a practitioner, sets what his coaching works on and plans a session with an agenda; an
 * empty agenda is refused beside the field. Priya, his coach, finds the session from her
 * overview, cannot plan one herself, and comments; Alex's device has her comment after a sync.
 * Against a real server, in three looks.
 */
class SessionsTest {
    @TempDir
    lateinit var dir: Path

    @ParameterizedTest
    @EnumSource(Look::class)
    fun `Alex plans a session with his coach and Priya comments on its agenda`(look: Look) {
        TandemServer.start(dir.resolve("server").also { it.toFile().mkdirs() }).use { server ->
            val priya = openStore(dir, "priya")
            val alex = openStore(dir, "alex")
            try {
                val doc = coaching(server, priya, alex)
                val tomorrow = java.time.LocalDate.now(London).plusDays(1).toString()
                val agenda = "Saying no to extra clients without guilt"

                runApp(alex, look) { state ->
                    show(state, Screen.People)
                    tap(state, "person:${priya.identity().personId}")
                    waitUntil("the coaching screen", 10_000) { onAllNodesWithTag("add-session").fetchSemanticsNodes().isNotEmpty() }
                    tap(state, "condition:${strings.condition(CoachingCondition.SKILLS_ACQUISITION)}")
                    assertEquals(CoachingCondition.SKILLS_ACQUISITION, alex.coaching().use { it.relationship(doc).condition })

                    tap(state, "add-session")
                    look("session-form", look, state)
                    // Nothing typed: the core's sentence beside the agenda, and nothing saved.
                    tap(state, "save")
                    val problem = onNodeWithTag("field:agenda").fetchSemanticsNode().config
                        .getOrElseNullable(SemanticsProperties.Error) { null }
                    assertTrue(problem != null && problem.startsWith(strings[S.session_agenda]), "no sentence beside the agenda: $problem")
                    assertEquals(emptyList(), alex.coaching().use { it.relationship(doc).sessions })
                    tap(state, "when:${strings[S.session_tomorrow]}")
                    onNodeWithTag("field:agenda").performTextInput(agenda)
                    tap(state, "save")
                    onNodeWithTag("session:$tomorrow").assertExists()
                    assertTrue(onAllNodesWithText(agenda).fetchSemanticsNodes().isNotEmpty())
                    look("coaching-sessions", look, state)
                }
                runBlocking {
                    alex.syncNow()
                    priya.syncNow()
                }

                runApp(priya, look) { state ->
                    show(state, Screen.People)
                    tap(state, "sessions:${alex.identity().personId}")
                    onNodeWithTag("session:$tomorrow").assertExists()
                    assertTrue(onAllNodesWithText(agenda).fetchSemanticsNodes().isNotEmpty())
                    assertTrue(onAllNodesWithTag("add-session").fetchSemanticsNodes().isEmpty(), "only the practitioner plans sessions")
                    look("coach-sessions", look, state)
                    tap(state, "comment:$tomorrow")
                    onNodeWithTag("field:text").performTextInput("Bring one case where it went well")
                    tap(state, "save")
                    val tree = onRoot().printToString(maxDepth = Int.MAX_VALUE)
                    assertTrue("${strings[S.session_you]}: Bring one case where it went well" in tree, tree)
                }
                runBlocking {
                    priya.syncNow()
                    alex.syncNow()
                }
                val session = alex.coaching().use { it.relationship(doc).sessions.single() }
                assertEquals(agenda, session.agenda)
                assertEquals(listOf("Bring one case where it went well"), session.comments.map { it.text })
                assertEquals(priya.identity().personId, session.comments.single().by)
            } finally {
                listOf(priya, alex).forEach(TandemStore::close)
            }
        }
    }
}
