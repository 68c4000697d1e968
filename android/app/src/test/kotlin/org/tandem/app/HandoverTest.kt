package org.tandem.app

import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.test.onNodeWithTag
import java.nio.file.Path
import kotlin.test.assertContains
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.io.TempDir
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource
import org.tandem.TandemServer
import uniffi.tandem_ffi.InvitationKind
import uniffi.tandem_ffi.LifeArea
import uniffi.tandem_ffi.ValueInput

/**
 * Sam's practitioner, Alex, leaves the service. The operator deactivates her and offers her
 * clients Jo. Sam's People screen says so in words; Sam reads who is offered and the consent
 * text in full, and nothing reaches Jo until he agrees. He agrees: Jo is his practitioner,
 * under the name the service gave, and his journey reaches Jo's phone.
 */
class HandoverTest {
    @TempDir
    lateinit var dir: Path

    @ParameterizedTest
    @EnumSource(Look::class)
    fun `Sam's practitioner leaves, and Sam chooses to go on with the one the service offers`(look: Look) {
        TandemServer.start(dir.resolve("server").also { it.toFile().mkdirs() }).use { server ->
            openStore(dir, "alex").use { alex ->
                openStore(dir, "jo").use { jo ->
                    openStore(dir, "sam").use { sam ->
                        runBlocking {
                            alex.enrol(server.url, server.enrolmentCode("practitioner"))
                            jo.enrol(server.url, server.enrolmentCode("practitioner"))
                            sam.join(server.url, alex.invite(InvitationKind.CLIENT).code)
                            sam.addValue(ValueInput("Mornings in the garden", LifeArea.HEALTH, 7))
                            sam.syncNow()
                        }
                        val alexId = alex.identity().personId
                        val joId = jo.identity().personId
                        val said = server.operator("deactivate", "--person", alexId, "--hand-over-to", joId, "--name", "Jo Rivers")
                        assertContains(said, "1 clients are offered")

                        runApp(sam, look) { state ->
                            waitUntil("the offer reaches Sam's app", 30_000) {
                                settle(state)
                                state.offers.isNotEmpty()
                            }
                            show(state, Screen.People)
                            onNodeWithTag("handover:$joId").assertExists()
                            assertTrue(state.people.none { it.personId == alexId }, "Alex is no longer Sam's practitioner")
                            look("people-handover", look, state)
                            tap(state, "handover-open")
                            val who = onNodeWithTag("handover-who").fetchSemanticsNode()
                                .config[SemanticsProperties.Text].joinToString()
                            assertEquals("The service offers you Jo Rivers instead.", who)
                            onNodeWithTag("consent-text").assertExists()
                            look("handover", look, state)

                            // Offered is not shared: nothing of Sam's on Jo's phone yet.
                            runBlocking { jo.syncNow() }
                            assertTrue(jo.people(null).isEmpty(), "Jo learns nothing before Sam agrees")

                            tap(state, "handover-agree")
                            waitUntil("Jo is Sam's practitioner", 30_000) {
                                settle(state)
                                state.people.any { it.personId == joId && it.name == "Jo Rivers" }
                            }
                            assertTrue(state.offers.isEmpty())
                            onNodeWithTag("person:$joId").assertExists()
                            look("people-after-handover", look, state)
                        }
                        runBlocking { jo.syncNow() }
                        val client = jo.people(null).single()
                        assertEquals(sam.identity().personId, client.personId)
                        val journey = jo.linkedJourney(client.journeyId!!).use { it.journey() }
                        assertTrue(journey.values.any { it.text == "Mornings in the garden" }, "Sam's journey reached Jo")
                    }
                }
            }
        }
    }
}
