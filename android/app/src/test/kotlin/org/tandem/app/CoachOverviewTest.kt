package org.tandem.app

import androidx.compose.ui.test.onAllNodesWithText
import androidx.compose.ui.test.onRoot
import androidx.compose.ui.test.printToString
import java.nio.file.Path
import java.time.DayOfWeek
import java.time.LocalDate
import java.time.temporal.TemporalAdjusters
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertTrue
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.io.TempDir
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource
import org.tandem.TandemServer
import org.tandem.everyNDays
import org.tandem.shareSummary
import uniffi.tandem_ffi.CheckInInput
import uniffi.tandem_ffi.CoachingCondition
import uniffi.tandem_ffi.InvitationKind
import uniffi.tandem_ffi.Outcome
import uniffi.tandem_ffi.PlanInput
import uniffi.tandem_ffi.Schedule
import uniffi.tandem_ffi.SummaryChoices
import uniffi.tandem_ffi.TandemStore

/**
 * Priya coaches Alex, who has three clients. Alex shares a summary of their parallel view;
 * Priya's app shows it under Alex's coaching condition, week by week, with the clients only as
 * a total over three, and no client anywhere: no name, no plan, no id. Against a real server.
 */
class CoachOverviewTest {
    @TempDir
    lateinit var dir: Path

    private val clients = listOf("Sam Okafor", "Kim Lee", "Jo Park")

    @ParameterizedTest
    @EnumSource(Look::class)
    fun `a coach's overview shows the shared summary and no client anywhere`(look: Look) {
        TandemServer.start(dir.resolve("server").also { it.toFile().mkdirs() }).use { server ->
            val stores = (listOf("priya", "alex") + clients.indices.map { "client$it" }).associateWith { openStore(dir, it) }
            try {
                val priya = stores.getValue("priya")
                val alex = stores.getValue("alex")
                val clientStores = clients.indices.map { stores.getValue("client$it") }
                val monday = LocalDate.now(London).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).minusWeeks(2)
                runBlocking {
                    priya.enrol(server.url, server.enrolmentCode("coach"))
                    priya.setMyName("Priya")
                    alex.enrol(server.url, server.enrolmentCode("practitioner"))
                    alex.setMyName("Alex Rivera")
                    alex.join(server.url, priya.invite(InvitationKind.PRACTITIONER).code)
                    clientStores.forEachIndexed { i, client ->
                        client.setMyName(clients[i])
                        client.join(server.url, alex.invite(InvitationKind.CLIENT).code)
                        client.walkedSince(monday, "${clients[i]}'s walk to the shops", every = i + 1L)
                        client.syncNow()
                    }
                    alex.walkedSince(monday, "Alex's lunchtime walk", every = 2L)
                    alex.syncNow()
                    val coaching = alex.coaching()
                    val doc = coaching.relationships().single { it.kind == uniffi.tandem_ffi.RelationshipKind.COACHING }.docId
                    coaching.setCondition(doc, CoachingCondition.SKILLS_ACQUISITION, monday.toString())
                    alex.parallel().shareSummary(doc, monday..LocalDate.now(London), SummaryChoices(note = "Three clients, a steady fortnight"))
                    alex.syncNow()
                    priya.syncNow()
                }

                runApp(priya, look) { state ->
                    show(state, Screen.People)
                    look("coach-overview", look, state)
                    val tree = onRoot().printToString(maxDepth = Int.MAX_VALUE)
                    assertTrue("Alex Rivera" in tree, tree)
                    assertTrue(strings[S.coach_condition_skills] in tree)
                    assertTrue("Three clients, a steady fortnight" in tree)
                    // The first week has ended: its client figures are a total over three.
                    val week = state.coachOverview!!.groups.single().practitioners.single().summaries.single().weeks.first()
                    assertEquals(3, week.clients?.toInt())
                    assertTrue(onAllNodesWithText("over 3 clients", substring = true).fetchSemanticsNodes().isNotEmpty(), tree)
                    // No client anywhere: not their names, their plans, their ids, their journeys.
                    val secrets = clients + clients.map { "$it's walk to the shops" } +
                        clientStores.flatMap { listOf(it.identity().personId, it.identity().journeyId) }
                    secrets.forEach { assertFalse(it in tree, "the coach's screen shows $it") }
                    assertEquals(listOf(alex.identity().personId), priya.people().map { it.personId })
                }
            } finally {
                stores.values.forEach(TandemStore::close)
            }
        }
    }
}

/** A daily [what] from [monday], done every [every] days up to yesterday, not done otherwise. */
fun TandemStore.walkedSince(monday: LocalDate, what: String, every: Long) {
    val plan = addPlan(PlanInput(what, Schedule.everyNDays(1), monday.toString()))
    var day = monday
    val today = LocalDate.now(London)
    while (day < today) {
        val done = java.time.temporal.ChronoUnit.DAYS.between(monday, day) % every == 0L
        checkIn(CheckInInput(plan, day.toString(), if (done) Outcome.DONE else Outcome.NOT_DONE))
        day = day.plusDays(1)
    }
}
