package org.tandem.app

import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxHeight
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.ui.Modifier
import androidx.compose.ui.geometry.Size
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.test.ComposeUiTest
import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.SemanticsMatcher
import androidx.compose.ui.test.SemanticsNodeInteraction
import androidx.compose.ui.test.hasAnyAncestor
import androidx.compose.ui.test.hasTestTag
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.onRoot
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performScrollTo
import androidx.compose.ui.test.performTextInput
import androidx.compose.ui.test.performTextReplacement
import androidx.compose.ui.test.printToString
import androidx.compose.ui.test.v2.runSkikoComposeUiTest
import androidx.compose.ui.unit.Density
import java.nio.file.Path
import java.time.LocalDate
import java.time.LocalTime
import kotlin.test.assertContains
import kotlin.test.assertEquals
import kotlin.test.fail
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import org.tandem.TandemServer
import org.tandem.everyNDays
import uniffi.tandem_ffi.ConsentTopic
import uniffi.tandem_ffi.InvitationKind
import uniffi.tandem_ffi.LifeArea
import uniffi.tandem_ffi.ValueInput
import uniffi.tandem_ffi.PlanInput
import uniffi.tandem_ffi.Schedule
import uniffi.tandem_ffi.TandemStore
import uniffi.tandem_ffi.consentText

/**
 * Where people meet, through the screens of two phones side by side, each on its own real
 * store, both against a real tandem-server on 127.0.0.1: a practitioner invites a client; the
 * client's app shows who the code is from and the consent in full, the client agrees, joins
 * and checks in; the practitioner's People screen shows that check-in, with nothing restarted.
 */
class PeopleMeetTest {
    @TempDir
    lateinit var dir: Path

    @Test
    fun `Alex invites Sam, Sam reads what joining shares, agrees, checks in, and Alex sees it`() {
        TandemServer.start(dir.resolve("server").also { it.toFile().mkdirs() }).use { server ->
            openStore(dir, "alex").use { alex ->
                openStore(dir, "sam").use { sam ->
                    runBlocking {
                        alex.enrol(server.url, server.enrolmentCode("practitioner"))
                        alex.setMyName("Alex Rivera")
                    }
                    // Sam has used Tandem on their own: a daily walk, before any code.
                    sam.addPlan(dailyWalk())
                    twoPhones(alex, sam) { alexApp, samApp ->
                        // Alex makes a code for Sam.
                        tapOn(alexApp, "alex", "tab:People")
                        tapOn(alexApp, "alex", "invite-client")
                        val code = on("alex", "invitation-code").fetchSemanticsNode()
                            .config[SemanticsProperties.Text].joinToString()
                        assertEquals(14, code.length, code)
                        tapOn(alexApp, "alex", "invited-done")

                        // Sam's first run: the safety notice, then the welcome.
                        tapOn(samApp, "sam", "safety-close")
                        tapOn(samApp, "sam", "welcome-code")
                        on("sam", "field:server").performTextReplacement(server.url)
                        on("sam", "field:code").performTextInput(code.lowercase())
                        tapOn(samApp, "sam", "code-check")

                        // Before agreeing: who it is from, and the consent text in full.
                        on("sam", "use-code-headline").assertHasText(strings.format(S.use_code_from_client, "Alex Rivera"))
                        val care = consentText(ConsentTopic.CARE)
                        onSam(hasText(care.title)).assertExists()
                        care.text.split("\n\n").forEach { onSam(hasText(it)).assertExists() }
                        assertEquals(emptyList(), sam.links(), "nothing is shared before Sam agrees")

                        on("sam", "field:name").performTextInput("Sam")
                        tapOn(samApp, "sam", "use-code-agree")
                        // Sam is shown his recovery code, once, and says he has kept it.
                        waitUntil("Sam's recovery code is shown", 30_000) {
                            settleBoth(alexApp, samApp)
                            samApp.recoveryCode != null
                        }
                        on("sam", "recovery-code").assertExists()
                        tapOn(samApp, "sam", "recovery-kept")
                        // Sam's People: Alex by name, and what Sam shares.
                        waitUntil("Sam sees Alex on People", 30_000) {
                            settleBoth(alexApp, samApp)
                            samApp.people.any { it.name == "Alex Rivera" }
                        }
                        onSam(hasText("Alex Rivera")).assertExists()
                        onSam(hasText(strings[S.people_you_share_write])).assertExists()

                        // Sam checks in from Today.
                        tapOn(samApp, "sam", "tab:Today")
                        tapOn(samApp, "sam", "check-in:Walk by the river:DONE")

                        // Alex's People screen shows it, with nothing tapped on Alex's phone.
                        val expected = strings.format(
                            S.people_last_check_in,
                            strings[S.outcome_done],
                            strings.longDate(LocalDate.now(London)),
                        )
                        waitUntil("Sam's check-in reaches Alex's People screen", 60_000) {
                            settleBoth(alexApp, samApp)
                            onAllAlex(hasText(expected)).fetchSemanticsNodes().isNotEmpty()
                        }
                        onAlex(hasText("Sam")).assertExists()
                        val week = alexApp.people.single().thisWeek ?: fail("no week for Sam")
                        assertEquals(1, week.done.toInt())
                        onAlex(hasText(strings.format(S.people_week, 1, week.planned.toInt()))).assertExists()

                        // Sam stops sharing, after reading what it means; Alex's phone loses the
                        // journey's figures with nothing tapped there.
                        tapOn(samApp, "sam", "tab:People")
                        tapOn(samApp, "sam", "stop-sharing")
                        onSam(hasText(strings.format(S.people_stop_sharing_what, "Alex Rivera"))).assertExists()
                        (this as androidx.compose.ui.test.SkikoComposeUiTest).screenshot("two-phones-stop-sharing", Look.Light)
                        tapOn(samApp, "sam", "stop-sharing-yes")
                        waitUntil("Alex's People no longer shows Sam's check-ins", 60_000) {
                            settleBoth(alexApp, samApp)
                            onAllAlex(hasText(expected)).fetchSemanticsNodes().isEmpty()
                        }
                        assertEquals(null, alexApp.people.single().journeyId)
                        val today = strings.longDate(LocalDate.now(London))
                        onSam(hasText(strings.format(S.people_withdrawn_you, today))).assertExists()
                        onSam(hasText(strings[S.people_you_share_nothing])).assertExists()
                    }
                }
            }
        }
    }

    @Test
    fun `Alex adds his tablet with a device code, reads what it does, and his journey arrives there`() {
        TandemServer.start(dir.resolve("server").also { it.toFile().mkdirs() }).use { server ->
            openStore(dir, "alex").use { alex ->
                val code = runBlocking {
                    alex.enrol(server.url, server.enrolmentCode("practitioner"))
                    alex.addValue(ValueInput("Time outdoors", LifeArea.HEALTH, 8))
                    alex.syncNow()
                    alex.invite(InvitationKind.DEVICE).code
                }
                var joined: TandemStore? = null
                openStore(dir, "tablet").use { tablet ->
                    runApp(tablet, firstRun = true, storePath = dir.resolve("tablet.db").toString()) { state ->
                        tap(state, "safety-close")
                        tap(state, "welcome-code")
                        onNodeWithTag("field:server").performTextReplacement(server.url)
                        onNodeWithTag("field:code").performTextInput(code)
                        tap(state, "code-check")
                        // Before anything happens: what adding this device means.
                        onNode(hasText(strings[S.use_code_device])).assertExists()
                        onNode(hasText(strings[S.use_code_device_what])).assertExists()
                        screenshot("use-code-device", Look.Light)
                        assertEquals(null, tablet.server(), "nothing joined before the tap")
                        tap(state, "use-code-agree")
                        waitUntil("Alex's journey reaches the tablet", 60_000) {
                            settle(state)
                            state.journey?.values?.any { it.text == "Time outdoors" } == true
                        }
                        joined = state.store
                        assertEquals(alex.identity().personId, state.store.identity().personId)
                        // What the tablet adds goes back to Alex's phone.
                        show(state, Screen.Journey, Screen.AddValue)
                        onNodeWithTag("field:text").performTextInput("Asking for help early")
                        tap(state, "save")
                        waitUntil("the tablet's value reaches Alex's phone", 60_000) {
                            runBlocking { alex.syncNow() }
                            alex.journey().values.any { it.text == "Asking for help early" }
                        }
                    }
                }
                joined?.close()
            }
        }
    }

    @Test
    fun `with the server gone, the app says it cannot sync and edits keep working`() {
        val server = TandemServer.start(dir.resolve("server").also { it.toFile().mkdirs() })
        openStore(dir, "alex").use { alex ->
            runBlocking {
                alex.enrol(server.url, server.enrolmentCode("practitioner"))
            }
            runApp(alex) { state ->
                waitUntil("Alex's app is live", 30_000) { state.syncStatus?.state is uniffi.tandem_ffi.SyncState.Live }
                server.close()
                waitUntil("the app notices the server is gone", 60_000) {
                    state.syncStatus?.state !is uniffi.tandem_ffi.SyncState.Live
                }
                waitUntil("the app says it cannot sync", 60_000) {
                    settle(state)
                    state.syncStatus?.lastError != null
                }
                screenshot("server-gone", Look.Light)
                val words = onNodeWithTag("sync-status").fetchSemanticsNode().config[SemanticsProperties.Text].joinToString()
                assertEquals(syncWords(state.syncStatus, state.server, strings, state.zone), words)
                assertContains(words, strings[S.sync_unreachable])
                // Edits work offline, saved on the device.
                show(state, Screen.Journey, Screen.AddValue)
                onNodeWithTag("field:text").performTextInput("Rest when I need to")
                tap(state, "save")
                assertEquals(listOf("Rest when I need to"), alex.journey().values.map { it.text })
            }
        }
    }
}

/** Every day at 08:00, from a week ago. */
fun dailyWalk(): PlanInput = PlanInput(
    "Walk by the river",
    Schedule.everyNDays(1, LocalTime.of(8, 0)),
    start = LocalDate.now(London).minusDays(7).toString(),
)

/** Two phones side by side, 400 dp each: [alex] on the left, [sam] on the right. */
@OptIn(ExperimentalTestApi::class)
fun twoPhones(alex: TandemStore, sam: TandemStore, block: ComposeUiTest.(AppState, AppState) -> Unit) =
    runSkikoComposeUiTest(Size(2 * WIDTH_DP * DENSITY, HEIGHT_DP * DENSITY), Density(DENSITY, 1f)) {
        var alexApp: AppState? = null
        var samApp: AppState? = null
        setContent {
            Row(Modifier.fillMaxSize()) {
                Box(Modifier.weight(1f).fillMaxHeight().testTag("phone:alex")) {
                    TandemApp(alex, strings, CrisisLines.default("GB"), MemorySettings(seen = true), dark = false, onState = { alexApp = it })
                }
                Box(Modifier.weight(1f).fillMaxHeight().testTag("phone:sam")) {
                    TandemApp(sam, strings, CrisisLines.default("GB"), MemorySettings(seen = false), dark = false, onState = { samApp = it })
                }
            }
        }
        waitUntil("both apps started", 10_000) { alexApp != null && samApp != null }
        settleBoth(alexApp!!, samApp!!)
        block(alexApp!!, samApp!!)
    }

fun ComposeUiTest.settleBoth(a: AppState, b: AppState) {
    settle(a)
    settle(b)
}

private fun onPhone(phone: String) = hasAnyAncestor(hasTestTag("phone:$phone"))

fun ComposeUiTest.on(phone: String, tag: String): SemanticsNodeInteraction = onNode(hasTestTag(tag) and onPhone(phone))
fun ComposeUiTest.onSam(matcher: SemanticsMatcher): SemanticsNodeInteraction = onNode(matcher and onPhone("sam"))
fun ComposeUiTest.onAlex(matcher: SemanticsMatcher): SemanticsNodeInteraction = onNode(matcher and onPhone("alex"))
fun ComposeUiTest.onAllAlex(matcher: SemanticsMatcher) = onAllNodes(matcher and onPhone("alex"))

/** Taps the node tagged [tag] on [phone] (scrolled to first, as a person would). */
fun ComposeUiTest.tapOn(state: AppState, phone: String, tag: String) {
    if (onAllNodes(hasTestTag(tag) and onPhone(phone)).fetchSemanticsNodes().isEmpty()) {
        fail("no node tagged $tag on $phone's screen:\n" + onRoot().printToString())
    }
    val node = on(phone, tag)
    if (node.fetchSemanticsNode().inScrollingList()) node.performScrollTo()
    node.performClick()
    settle(state)
}

private fun SemanticsNodeInteraction.assertHasText(text: String) {
    val shown = fetchSemanticsNode().config[SemanticsProperties.Text].joinToString()
    assertEquals(text, shown)
}
