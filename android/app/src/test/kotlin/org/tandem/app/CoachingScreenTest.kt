package org.tandem.app

import androidx.compose.ui.test.onAllNodesWithText
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.onRoot
import androidx.compose.ui.test.performTextInput
import androidx.compose.ui.test.performTextReplacement
import androidx.compose.ui.test.printToString
import java.nio.file.Path
import java.time.DayOfWeek
import java.time.LocalDate
import java.time.temporal.TemporalAdjusters
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.io.TempDir
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource
import org.tandem.TandemServer
import uniffi.tandem_ffi.InvitationKind
import uniffi.tandem_ffi.RelationshipKind
import uniffi.tandem_ffi.TandemStore
import uniffi.tandem_ffi.measureWording

/**
 * Alex, a practitioner with three clients, opens coaching with Priya: the parallel view week by
 * week, a WHO-5 check-in, and a summary shared with wellbeing, which reaches Priya. Against a
 * real server, in three looks.
 */
class CoachingScreenTest {
    @TempDir
    lateinit var dir: Path

    @ParameterizedTest
    @EnumSource(Look::class)
    fun `Alex sees their work beside their clients', checks in on wellbeing and shares a summary`(look: Look) {
        TandemServer.start(dir.resolve("server").also { it.toFile().mkdirs() }).use { server ->
            val stores = listOf("priya", "alex", "c0", "c1", "c2").associateWith { openStore(dir, it) }
            try {
                val priya = stores.getValue("priya")
                val alex = stores.getValue("alex")
                val monday = LocalDate.now(London).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).minusWeeks(3)
                runBlocking {
                    priya.enrol(server.url, server.enrolmentCode("coach"))
                    priya.setMyName("Priya")
                    alex.enrol(server.url, server.enrolmentCode("practitioner"))
                    alex.join(server.url, priya.invite(InvitationKind.PRACTITIONER).code)
                    listOf("c0", "c1", "c2").forEachIndexed { i, name ->
                        val client = stores.getValue(name)
                        client.join(server.url, alex.invite(InvitationKind.CLIENT).code)
                        client.walkedSince(monday, "A walk", every = i + 1L)
                        client.syncNow()
                    }
                    alex.walkedSince(monday, "Lunchtime walk", every = 2L)
                    alex.syncNow()
                }
                val doc = alex.coaching().use { c -> c.relationships().single { it.kind == RelationshipKind.COACHING }.docId }

                runApp(alex, look) { state ->
                    show(state, Screen.People)
                    tap(state, "person:${priya.identity().personId}")
                    waitUntil("the parallel view", 10_000) { onAllNodesWithText(strings[S.coaching_you], substring = true).fetchSemanticsNodes().isNotEmpty() }
                    look("coaching", look, state)
                    val tree = onRoot().printToString(maxDepth = Int.MAX_VALUE)
                    assertTrue("Your clients (3)" in tree, tree)

                    tap(state, "add-wellbeing")
                    look("wellbeing", look, state)
                    (0 until 5).forEach { tap(state, "who5-$it:${strings[S.who5_4]}") }
                    tap(state, "save")
                    assertEquals(80, alex.coaching().use { it.wellbeing().single().who5Percent })

                    onNodeWithTag("coaching").assertExists()
                    // How coaching feels, and a private reflection shared with Priya.
                    tap(state, "add-alliance")
                    onNodeWithTag("field:bond").performTextReplacement("4")
                    tapText(state, measureWording().allianceFlag)
                    tap(state, "save")
                    tap(state, "add-reflection")
                    look("reflection", look, state)
                    onNodeWithTag("field:what_happened").performTextInput("I rushed a client's plan")
                    onNodeWithTag("field:my_reaction").performTextInput("Felt I had to fix it fast")
                    tap(state, "save")
                    assertEquals(emptyList(), alex.coaching().use { it.reflections().single().sharedIn })
                    tap(state, "share:I rushed a client's plan")
                    assertEquals(listOf(doc), alex.coaching().use { it.reflections().single().sharedIn })
                    tapText(state, strings[S.coaching_share_wellbeing])
                    tap(state, "share-summary")
                    look("coaching-shared", look, state)
                }
                runBlocking {
                    alex.syncNow()
                    priya.syncNow()
                }
                val summary = priya.coaching().use { it.relationship(doc).summaries.single() }
                assertTrue(summary.weeks.any { it.wellbeing?.who5Percent == 80.0 }, summary.toString())
                assertTrue(summary.weeks.any { it.clients == 3u })
                val coaching = priya.coaching().use { it.relationship(doc) }
                assertEquals(listOf("I rushed a client's plan"), coaching.reflections.map { it.whatHappened })
                assertEquals(listOf(4), coaching.alliance.map { it.bond })
                assertTrue(coaching.alliance.single().feltOff)
            } finally {
                stores.values.forEach(TandemStore::close)
            }
        }
    }
}
