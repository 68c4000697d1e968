package org.tandem.app

import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.performScrollTo
import java.nio.file.Path
import kotlin.test.assertEquals
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.io.TempDir
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource
import org.tandem.TandemServer
import uniffi.tandem_ffi.CoachingCondition
import uniffi.tandem_ffi.Framing
import uniffi.tandem_ffi.GoalInput
import uniffi.tandem_ffi.ProposedBy
import uniffi.tandem_ffi.TandemStore
import uniffi.tandem_ffi.WellbeingInput

/**
 * Alex shares one goal and one wellbeing entry with his coach, each on its own, and withdraws
 * them: the WHO-5 alone leaves his stress and burnout unshared; a goal is refused outside
 * transformational coaching, in the core's words. What Priya's device receives follows.
 */
class ShareAloneTest {
    @TempDir
    lateinit var dir: Path

    @ParameterizedTest
    @EnumSource(Look::class)
    fun `Alex shares a goal and a wellbeing entry alone, and withdraws them`(look: Look) {
        TandemServer.start(dir.resolve("server").also { it.toFile().mkdirs() }).use { server ->
            val priya = openStore(dir, "priya")
            val alex = openStore(dir, "alex")
            try {
                val doc = coaching(server, priya, alex)
                val today = java.time.LocalDate.now(London).toString()
                val goal = alex.addGoal(
                    GoalInput("Leave work by six", framing = Framing.APPROACH, proposedBy = ProposedBy.MYSELF, importance = 8, confidence = 5),
                )
                alex.coaching().use { it.addWellbeing(WellbeingInput(today, who5 = listOf(3, 3, 2, 3, 4), stress = 7, burnout = 6)) }
                alex.coaching().use { it.setCondition(doc, CoachingCondition.SKILLS_ACQUISITION, today, null) }

                runApp(alex, look) { state ->
                    // A goal, in skills coaching: refused beside the button, nothing shared.
                    show(state, Screen.Journey, Screen.Goal(goal))
                    tap(state, "share-goal")
                    assertTrue(alex.coaching().use { it.relationship(doc).goals }.isEmpty())
                    look("goal-share-refused", look, state)
                    alex.coaching().use { it.setCondition(doc, CoachingCondition.TRANSFORMATIONAL, today, null) }
                    state.reload()
                    settle(state)
                    tap(state, "share-goal")
                    assertEquals(listOf("Leave work by six"), alex.coaching().use { it.relationship(doc).goals.map { g -> g.text } })
                    onNodeWithTag("withdraw-goal").performScrollTo()
                    look("goal-shared", look, state)

                    // A wellbeing entry: the WHO-5 alone.
                    show(state, Screen.People)
                    tap(state, "person:${priya.identity().personId}")
                    waitUntil("the coaching screen", 10_000) {
                        runCatching { onNodeWithTag("share-who5:$today").assertExists() }.isSuccess
                    }
                    tap(state, "share-who5:$today")
                    val shared = alex.coaching().use { it.relationship(doc).wellbeing.single() }
                    assertEquals(60, shared.who5Percent)
                    assertNull(shared.stress)
                    assertNull(shared.burnout)
                    onNodeWithTag("withdraw-wellbeing:$today").performScrollTo()
                    look("wellbeing-shared", look, state)
                }
                runBlocking {
                    alex.syncNow()
                    priya.syncNow()
                }
                val seen = priya.coaching().use { it.relationship(doc) }
                assertEquals(listOf("Leave work by six"), seen.goals.map { it.text })
                assertEquals(listOf(60), seen.wellbeing.map { it.who5Percent })
                assertNull(seen.wellbeing.single().stress, "a measure not chosen reached the coach")

                runApp(alex, look) { state ->
                    show(state, Screen.Journey, Screen.Goal(goal))
                    tap(state, "withdraw-goal")
                    show(state, Screen.People)
                    tap(state, "person:${priya.identity().personId}")
                    waitUntil("the coaching screen", 10_000) {
                        runCatching { onNodeWithTag("withdraw-wellbeing:$today").assertExists() }.isSuccess
                    }
                    tap(state, "withdraw-wellbeing:$today")
                }
                runBlocking {
                    alex.syncNow()
                    priya.syncNow()
                }
                val after = priya.coaching().use { it.relationship(doc) }
                assertTrue(after.goals.isEmpty() && after.wellbeing.isEmpty(), "withdrawn, yet still with the coach")
            } finally {
                listOf(priya, alex).forEach(TandemStore::close)
            }
        }
    }
}
