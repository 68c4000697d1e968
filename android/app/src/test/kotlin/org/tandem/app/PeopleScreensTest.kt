package org.tandem.app

import androidx.compose.ui.test.hasContentDescription
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performScrollTo
import androidx.compose.ui.test.performTextInput
import androidx.compose.ui.test.performTextReplacement
import java.nio.file.Path
import java.time.LocalDate
import kotlin.test.assertEquals
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.io.TempDir
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource
import org.tandem.TandemServer
import uniffi.tandem_ffi.CheckInInput
import uniffi.tandem_ffi.InvitationKind
import uniffi.tandem_ffi.Outcome

/**
 * The screens where people meet, light, dark and at twice the font size, against a real
 * tandem-server: the welcome, entering a code (and a code refused), what a code does with the
 * consent in full, a practitioner's People with a client's check-in, an invitation code, and a
 * client's People with the consent record. Each checked (labels, nothing cut off) and written
 * to build/screenshots/.
 */
class PeopleScreensTest {
    @TempDir
    lateinit var dir: Path

    @ParameterizedTest
    @EnumSource(Look::class)
    fun `where people meet, every screen reads well`(look: Look) {
        TandemServer.start(dir.resolve("server").also { it.toFile().mkdirs() }).use { server ->
            openStore(dir, "alex").use { alex ->
                openStore(dir, "sam").use { sam ->
                    runBlocking {
                        alex.enrol(server.url, server.enrolmentCode("practitioner"))
                        alex.setMyName("Alex Rivera")
                        val code = alex.invite(InvitationKind.CLIENT).code
                        sam.setMyName("Sam")
                        sam.join(server.url, code)
                        val walk = sam.addPlan(dailyWalk())
                        val today = LocalDate.now(London)
                        sam.checkIn(CheckInInput(walk, today.toString(), Outcome.DONE, time = "08:00", note = "Round the lake"))
                        sam.checkIn(CheckInInput(walk, today.minusDays(1).toString(), Outcome.PARTLY, time = "08:00"))
                        sam.syncNow()
                        alex.syncNow()
                    }
                    assertEquals("Sam", alex.people().single().name)

                    runApp(alex, look) { state ->
                        show(state, Screen.People)
                        look("people-practitioner", look, state)
                        tap(state, "invite-client")
                        look("invitation", look, state)

                        // Alex opens Sam's journey and agrees a plan with Sam.
                        tap(state, "invited-done")
                        tap(state, "person:${sam.identity().personId}")
                        look("client-journey", look, state)
                        tap(state, "client-add-plan")
                        onNodeWithTag("field:what").performTextInput("Text Jo before the walk")
                        onNode(hasContentDescription(LocalDate.now(London).dayOfWeek.getDisplayName(java.time.format.TextStyle.FULL, java.util.Locale.UK))).performScrollTo().performClick()
                        tap(state, "save")
                        val journeyId = sam.identity().journeyId
                        val plans = alex.linkedJourney(journeyId).use { it.journey() }.plans.map { it.what }
                        assertEquals(listOf("Walk by the river", "Text Jo before the walk"), plans)
                        onNodeWithText("Text Jo before the walk").assertExists()

                        // Together they move Sam's walk to the evening.
                        tap(state, "change:Walk by the river")
                        look("client-plan-change", look, state)
                        onNodeWithTag("field:schedule.times.0").performScrollTo().performTextReplacement("18:30")
                        tap(state, "save")
                        val walk = alex.linkedJourney(journeyId).use { it.journey() }.plans.single { it.what == "Walk by the river" }
                        assertEquals(listOf("18:30"), walk.schedule.times)
                        runBlocking { alex.syncNow(); sam.syncNow() }
                        assertEquals(listOf("18:30"), sam.journey().plans.single { it.what == "Walk by the river" }.schedule.times)
                    }
                    runApp(sam, look) { state ->
                        show(state, Screen.People)
                        tapText(state, strings[S.people_read_consent])
                        look("people-client", look, state)
                        // After a session, Sam says how it went with Alex.
                        tap(state, "add-alliance")
                        look("alliance-client", look, state)
                        onNodeWithTag("field:goals").performTextReplacement("8")
                        tap(state, "save")
                        val care = sam.people().single().relationshipDocId!!
                        assertEquals(listOf(8), sam.coaching().use { it.allianceCheckIns(care) }.map { it.goals })
                    }
                    // Someone new, with a code from Alex.
                    val code = runBlocking { alex.invite(InvitationKind.CLIENT).code }
                    openStore(dir, "kim").use { kim ->
                        runApp(kim, look, firstRun = true) { state ->
                            tap(state, "safety-close")
                            look("welcome", look, state)
                            tap(state, "welcome-code")
                            onNodeWithTag("field:server").performTextReplacement(server.url)
                            onNodeWithTag("field:code").performTextInput("ABCD-EFGH-JKMN")
                            tap(state, "code-check")
                            onNodeWithTag("error:code").assertExists()
                            look("enter-code-refused", look, state)
                            onNodeWithTag("field:code").performTextReplacement(code)
                            tap(state, "code-check")
                            look("use-code-client", look, state)
                        }
                    }
                }
            }
        }
    }
}

/** Taps the node showing [text] (scrolled to first, as a person would). */
fun androidx.compose.ui.test.ComposeUiTest.tapText(state: AppState, text: String) {
    val node = onNodeWithText(text)
    if (node.fetchSemanticsNode().inScrollingList()) node.performScrollTo()
    node.performClick()
    settle(state)
}
