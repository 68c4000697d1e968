package org.tandem

import java.nio.file.Files
import java.nio.file.Path
import java.time.LocalDate
import kotlin.test.assertContains
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout
import org.junit.jupiter.api.io.TempDir
import uniffi.tandem_ffi.AllianceInput
import uniffi.tandem_ffi.CaseReviewInput
import uniffi.tandem_ffi.CheckInInput
import uniffi.tandem_ffi.CoachingCondition
import uniffi.tandem_ffi.InvitationKind
import uniffi.tandem_ffi.Outcome
import uniffi.tandem_ffi.PlanInput
import uniffi.tandem_ffi.RelationshipKind
import uniffi.tandem_ffi.Role
import uniffi.tandem_ffi.Schedule
import uniffi.tandem_ffi.SummaryChoices
import uniffi.tandem_ffi.TandemException
import uniffi.tandem_ffi.TandemStore
import uniffi.tandem_ffi.WellbeingInput
import uniffi.tandem_ffi.WellbeingMeasures
import uniffi.tandem_ffi.measureWording

/**
 * Priya coaches practitioners through a real tandem-server. Alex, one of them, keeps an eye on
 * their own wellbeing and on how coaching with Priya feels, and shares a summary of their
 * parallel view; Priya sees each practitioner's summary under their coaching condition.
 */
@Timeout(120)
class CoachingTest {
    @TempDir
    lateinit var dir: Path

    private var server: TandemServer? = null

    private fun server(): TandemServer =
        server ?: TandemServer.start(Files.createDirectory(dir.resolve("server"))).also { server = it }

    @AfterEach
    fun stopServer() {
        server?.close()
    }

    private val today: LocalDate get() = LocalDate.now(London)

    /** [practitioner] enrols and joins [coach] with a code; both sync. Returns their coaching document. */
    private suspend fun coachingBetween(coach: TandemStore, practitioner: TandemStore): String {
        val server = server()
        if (coach.server() == null) coach.enrol(server.url, server.enrolmentCode("coach"))
        practitioner.enrol(server.url, server.enrolmentCode("practitioner"))
        practitioner.join(server.url, coach.invite(InvitationKind.PRACTITIONER).code)
        practitioner.syncNow()
        coach.syncNow()
        val relationship = practitioner.coaching().relationships().single()
        assertEquals(RelationshipKind.COACHING, relationship.kind)
        assertEquals(Role.COACH, relationship.role)
        return relationship.docId
    }

    @Test
    fun `Alex records wellbeing and alliance check-ins about coaching, and sees the ruptures`() = runBlocking<Unit> {
        dir.openStore("priya").use { priya ->
            dir.openStore("alex").use { alex ->
                val doc = coachingBetween(priya, alex)
                val coaching = alex.coaching()

                // Wellbeing, in Alex's own journey; WHO-5 scores as a percentage.
                val entry = coaching.addWellbeing(WellbeingInput.who5(today.minusDays(1), listOf(3, 3, 4, 2, 3), stress = 7))
                val recorded = coaching.wellbeing().single()
                assertEquals(entry, recorded.id)
                assertEquals(60, recorded.who5Percent)
                assertEquals(7, recorded.stress)
                assertEquals(5, measureWording().who5Items.size)

                // Four weeks of check-ins about coaching: a sharp drop, then a session that felt off.
                val items = measureWording().allianceItems
                assertEquals(3, items.size)
                coaching.addAllianceCheckIn(doc, AllianceInput(today.minusDays(21).toString(), 8, 8, 8))
                coaching.addAllianceCheckIn(doc, AllianceInput(today.minusDays(14).toString(), 8, 8, 9))
                val drop = coaching.addAllianceCheckIn(doc, AllianceInput(today.minusDays(7).toString(), 5, 6, 5))
                val off = coaching.addAllianceCheckIn(doc, AllianceInput(today.toString(), 7, 7, 7, feltOff = true))
                assertEquals(4, coaching.allianceCheckIns(doc).size)
                assertEquals(16.0 / 3, coaching.allianceCheckIns(doc)[2].score, 1e-9)

                val found = coaching.ruptures().single()
                assertEquals(doc, found.docId)
                assertEquals(RelationshipKind.COACHING, found.kind)
                assertEquals(alex.identity().personId, found.answeredBy)
                assertEquals(4u, found.checkIns)
                assertEquals(listOf(drop, off), found.ruptures.map { it.checkInId })
                val (dropped, flagged) = found.ruptures
                assertTrue(dropped.dropped && !dropped.flagged)
                assertEquals((8.0 + 25.0 / 3) / 2, dropped.runningLevel!!, 1e-9)
                assertTrue(flagged.flagged)
                assertFalse(dropped.repaired)

                // They talk it through; Alex notes the repair.
                coaching.setRepairNote(doc, drop, "We talked about the cancelled session")
                assertTrue(coaching.ruptures().single().ruptures.first().repaired)

                // Priya answers no check-ins about herself here.
                alex.syncNow()
                priya.syncNow()
                assertFailsWith<TandemException.NotPermitted> {
                    priya.coaching().addAllianceCheckIn(doc, AllianceInput(today.toString(), 9, 9, 9))
                }

                // Alex shares the WHO-5 score only; Priya sees that and nothing else.
                coaching.shareWellbeing(entry, doc, WellbeingMeasures(who5 = true))
                alex.syncNow()
                priya.syncNow()
                val shared = priya.coaching().relationship(doc).wellbeing.single()
                assertEquals(60, shared.who5Percent)
                assertNull(shared.stress)
                assertEquals(4, priya.coaching().relationship(doc).alliance.size)
            }
        }
    }

    @Test
    fun `summaries Alex and Jo share reach Priya's overview grouped by their coaching condition`() = runBlocking<Unit> {
        dir.openStore("priya").use { priya ->
            dir.openStore("alex").use { alex ->
                dir.openStore("jo").use { jo ->
                    val alexDoc = coachingBetween(priya, alex)
                    val joDoc = coachingBetween(priya, jo)
                    val from = mondayWeeksAgo(2)
                    val range = from..today

                    for ((practitioner, doneEvery) in listOf(alex to 2L, jo to 3L)) {
                        val walk = practitioner.addPlan(PlanInput("Walk at lunchtime", Schedule.everyNDays(1), from.toString()))
                        var day = from
                        while (day < today) {
                            val done = java.time.temporal.ChronoUnit.DAYS.between(from, day) % doneEvery == 0L
                            practitioner.checkIn(CheckInInput(walk, day.toString(), if (done) Outcome.DONE else Outcome.NOT_DONE))
                            day = day.plusDays(1)
                        }
                    }
                    alex.coaching().addWellbeing(WellbeingInput.who5(from.plusDays(2), listOf(4, 4, 4, 4, 4)))
                    alex.coaching().setCondition(alexDoc, CoachingCondition.TRANSFORMATIONAL, from.toString())
                    jo.coaching().setCondition(joDoc, CoachingCondition.SKILLS_ACQUISITION, from.toString(), note = "Case work first")

                    // Alex's own view first: no clients, so no client figures.
                    val view = alex.parallel().parallelView(range)
                    assertEquals(0u, view.caseload)
                    assertNull(view.clients)
                    assertTrue(view.own.planned > 0u)

                    val alexSummary = alex.parallel().shareSummary(
                        alexDoc, range, SummaryChoices(includeWellbeing = true, note = "A heavy fortnight", noteForResearch = true),
                    )
                    jo.parallel().shareSummary(joDoc, range)
                    alex.syncNow()
                    jo.syncNow()
                    priya.syncNow()

                    val overview = priya.parallel().coachOverview()
                    assertEquals(
                        listOf(CoachingCondition.SKILLS_ACQUISITION, CoachingCondition.TRANSFORMATIONAL),
                        overview.groups.map { it.condition },
                    )
                    val transformational = overview.practitionersUnder(CoachingCondition.TRANSFORMATIONAL).single()
                    assertEquals(alex.identity().personId, transformational.practitioner)
                    assertEquals(priya.identity().personId, transformational.coach)
                    val summary = transformational.summaries.single()
                    assertEquals(alexSummary, summary.id)
                    assertEquals(CoachingCondition.TRANSFORMATIONAL, summary.condition)
                    assertEquals(from.toString(), summary.fromDate)
                    assertEquals("A heavy fortnight", summary.note)
                    assertEquals(3, summary.weeks.size)
                    assertTrue(summary.weeks.all { it.clientsRate == null && it.clients == null })
                    assertEquals(0.5, summary.weeks.first().ownRate!!, 0.2)
                    assertEquals(80.0, summary.weeks.first().wellbeing?.who5Percent)

                    val skills = overview.practitionersUnder(CoachingCondition.SKILLS_ACQUISITION).single()
                    assertEquals(jo.identity().personId, skills.practitioner)
                    assertTrue(skills.summaries.single().weeks.all { it.wellbeing == null })
                    assertEquals(emptyList(), overview.practitionersUnder(null))

                    // The research export carries both, by condition, under codes for this export only.
                    val export = priya.parallel().researchExport(from..today)
                    assertEquals(6, export.rows.size)
                    assertEquals(setOf(CoachingCondition.SKILLS_ACQUISITION, CoachingCondition.TRANSFORMATIONAL), export.rows.map { it.condition }.toSet())
                    assertEquals(listOf("A heavy fortnight"), export.notes.map { it.note })
                    assertTrue(export.csv.startsWith("practitioner,condition,week_start,"))
                    assertEquals(1 + 6, export.csv.trim().lines().size)
                    assertContains(export.json, "\"transformational\"")
                    for (text in listOf(export.csv, export.json)) {
                        for (id in listOf(alex.identity().personId, jo.identity().personId, alexDoc, joDoc)) {
                            assertFalse(id in text, "the export names $id")
                        }
                    }
                    assertNotNull(export.credits.singleOrNull { "WHO-5" in it })
                }
            }
        }
    }

    @Test
    fun `refused coaching input reads as a sentence naming the field, and nothing is written`() = runBlocking<Unit> {
        dir.openStore("alex").use { alex ->
            val coaching = alex.coaching()
            val four = assertFailsWith<TandemException.InvalidInput> {
                coaching.addWellbeing(WellbeingInput.who5(today, listOf(3, 3, 3, 3)))
            }
            assertEquals("who5", four.field)
            assertEquals("who5: needs all 5 answers, one per statement, not 4", four.sentence)

            val six = assertFailsWith<TandemException.InvalidInput> {
                coaching.addWellbeing(WellbeingInput.who5(today, listOf(3, 6, 3, 3, 3)))
            }
            assertEquals("who5[1]: 6 is outside 0–5", six.sentence)

            val bond = assertFailsWith<TandemException.InvalidInput> {
                coaching.addAllianceCheckIn("any-relationship", AllianceInput(today.toString(), 7, 7, 12))
            }
            assertEquals("bond", bond.field)
            assertEquals("bond: 12 is outside 0–10", bond.sentence)
            assertEquals(emptyList(), coaching.wellbeing())
        }
    }

    @Test
    fun `case reviews are refused in transformational coaching, as a sentence saying why`() = runBlocking<Unit> {
        dir.openStore("priya").use { priya ->
            dir.openStore("alex").use { alex ->
                val doc = coachingBetween(priya, alex)
                alex.coaching().setCondition(doc, CoachingCondition.TRANSFORMATIONAL, today.minusDays(7).toString())
                val refused = assertFailsWith<TandemException.NotPermitted> {
                    alex.coaching().addCaseReview(doc, CaseReviewInput(today.toString(), "C-7K2M9QXA", "Why does Sam keep cancelling?"))
                }
                assertContains(refused.sentence, "Not permitted: case reviews belong to skills-acquisition coaching")
                assertEquals(emptyList(), alex.coaching().relationship(doc).caseReviews)
            }
        }
    }
}
