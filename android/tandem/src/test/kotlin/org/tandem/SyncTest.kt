package org.tandem

import java.nio.file.Files
import java.nio.file.Path
import java.time.DayOfWeek.FRIDAY
import java.time.DayOfWeek.MONDAY
import java.time.DayOfWeek.WEDNESDAY
import java.time.LocalDate
import java.time.LocalTime
import kotlin.test.assertEquals
import kotlin.test.assertNotNull
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.yield
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout
import org.junit.jupiter.api.io.TempDir
import uniffi.tandem_ffi.Access
import uniffi.tandem_ffi.CheckInInput
import uniffi.tandem_ffi.Framing
import uniffi.tandem_ffi.GoalInput
import uniffi.tandem_ffi.InvitationKind
import uniffi.tandem_ffi.LifeArea
import uniffi.tandem_ffi.Outcome
import uniffi.tandem_ffi.PlanInput
import uniffi.tandem_ffi.ProposedBy
import uniffi.tandem_ffi.Reason
import uniffi.tandem_ffi.ReviewInput
import uniffi.tandem_ffi.Role
import uniffi.tandem_ffi.Schedule
import uniffi.tandem_ffi.SyncState
import uniffi.tandem_ffi.ValueInput

/**
 * Alex, a practitioner, enrols on a real server and invites Sam, who has used the app offline
 * for a week; Sam joins, both sync, and Alex sees Sam's journey — and Sam sees Alex's review.
 */
@Timeout(120)
class SyncTest {
    @TempDir
    lateinit var dir: Path

    private lateinit var server: TandemServer

    @BeforeEach
    fun startServer() {
        Host.requireLibrary()
        server = TandemServer.start(Files.createDirectory(dir.resolve("server")))
    }

    @AfterEach
    fun stopServer() {
        if (::server.isInitialized) server.close()
    }

    @Test
    fun `Alex invites Sam, Sam joins and syncs, and Alex sees Sam's week of walks`() = runBlocking {
        dir.openStore("alex").use { alex ->
            dir.openStore("sam").use { sam ->
                val enrolled = alex.enrol(server.url, server.enrolmentCode("practitioner"))
                assertEquals(Role.PRACTITIONER, enrolled.role)
                val invitation = alex.invite(InvitationKind.CLIENT)

                // Sam's week, offline.
                val monday = mondayWeeksAgo(1)
                val kids = sam.addValue(ValueInput("Being there for my kids", LifeArea.FAMILY, 10))
                val goal = sam.addGoal(
                    GoalInput("Walk three times a week", listOf(kids), Framing.APPROACH, ProposedBy.TOGETHER, importance = 8, confidence = 6),
                )
                val walk = sam.addPlan(
                    PlanInput(
                        "Walk round the park", Schedule.weekly(setOf(MONDAY, WEDNESDAY, FRIDAY), LocalTime.of(8, 0)),
                        monday.toString(), goalId = goal,
                    ),
                )
                sam.checkIn(CheckInInput(walk, monday.toString(), Outcome.DONE))
                sam.checkIn(CheckInInput(walk, monday.plusDays(2).toString(), Outcome.NOT_DONE, reasons = listOf(Reason.ANXIOUS)))

                // Joining with Alex's code is Sam's consent to share their journey with Alex.
                val joined = sam.join(server.url, invitation.code)
                assertEquals(Role.CLIENT, joined.role)
                assertEquals(alex.identity().personId, joined.linked?.personId)

                // Sam's phone syncs in the background once online, and stays connected.
                sam.syncService().use { service ->
                    service.setOnline(true)
                    val synced = withTimeout(60.seconds) { service.statuses().first { it.state == SyncState.Live } }
                    assertNotNull(synced.lastSyncedAt)
                    service.stop()
                }

                alex.syncNow()
                val link = alex.links().single { it.personId == sam.identity().personId }
                assertEquals(Role.CLIENT, link.role)
                assertEquals(Access.WRITE, link.access)
                assertEquals(sam.identity().journeyId, link.journeyId)

                alex.linkedJourney(link.journeyId!!).use { samsJourney ->
                    val seen = samsJourney.journey()
                    assertEquals(listOf("Being there for my kids"), seen.values.map { it.text })
                    assertEquals(listOf("Walk three times a week"), seen.goals.map { it.text })
                    assertEquals(listOf("Walk round the park"), seen.plans.map { it.what })
                    val checkIns = samsJourney.checkIns(monday..LocalDate.now(London))
                    assertEquals(
                        listOf(monday.toString() to Outcome.DONE, monday.plusDays(2).toString() to Outcome.NOT_DONE),
                        checkIns.map { it.date to it.outcome },
                    )
                    assertEquals(listOf(Reason.ANXIOUS), checkIns[1].reasons)

                    // In their session Alex adds a review to Sam's journey.
                    samsJourney.addReview(
                        ReviewInput(LocalDate.now(London).toString(), 7, 5, 4, goalId = goal, note = "Mornings are hard; try lunchtime"),
                    )
                }
                alex.syncNow()

                // Sam's screen hears that a sync brought something, and shows Alex's review.
                val heard = Channel<StoreChange>(Channel.UNLIMITED)
                val screen = launch(start = CoroutineStart.UNDISPATCHED) { sam.changes().collect { heard.send(it) } }
                yield()
                sam.syncNow()
                assertEquals(StoreChange.Sync, withTimeout(10.seconds) { heard.receive() })
                screen.cancel()
                assertEquals(listOf("Mornings are hard; try lunchtime"), sam.journey().reviews.map { it.note })
            }
        }
    }
}
