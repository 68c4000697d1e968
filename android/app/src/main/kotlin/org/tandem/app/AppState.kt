package org.tandem.app

import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableIntStateOf
import androidx.compose.runtime.mutableStateListOf
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.setValue
import java.time.DayOfWeek
import java.time.Instant
import java.time.LocalDate
import java.time.ZoneId
import java.time.temporal.TemporalAdjusters
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import org.tandem.insights
import org.tandem.sentence
import uniffi.tandem_ffi.Insights
import uniffi.tandem_ffi.Journey
import uniffi.tandem_ffi.ServerLink
import uniffi.tandem_ffi.SyncStatus
import uniffi.tandem_ffi.TandemException
import uniffi.tandem_ffi.TandemStore
import uniffi.tandem_ffi.TodayItem

/** What an edit came to: saved, or refused by the core with its reason. */
sealed interface Edit<out T> {
    data class Saved<T>(val value: T) : Edit<T>

    /** The core refused the input ([TandemException.InvalidInput]): nothing was written. */
    data class Refused(val field: String, val problem: String, val sentence: String) : Edit<Nothing>

    /** Anything else the core answered (not found, storage ...), as its sentence. */
    data class Failed(val sentence: String) : Edit<Nothing>
}

/** Counts work in flight (loads and edits), so tests can wait for the screens to settle. */
class Work {
    var running by mutableIntStateOf(0)
        private set
    val idle: Boolean get() = running == 0
    internal fun begin() { running++ }
    internal fun end() { running-- }
}

/**
 * What the screens show, as the core gives it: the journey, today's list, the insights of the
 * last four weeks and where sync stands. Screens render these records and call [edit]; no rule
 * of the protocol lives here. Every call into the store runs on [io], never on the UI thread.
 */
class AppState(
    val store: TandemStore,
    private val scope: CoroutineScope,
    val io: CoroutineDispatcher = Dispatchers.IO,
    private val clock: () -> Instant = Instant::now,
) {
    val work = Work()

    var journey by mutableStateOf<Journey?>(null)
        private set
    var today by mutableStateOf<List<TodayItem>?>(null)
        private set
    var insights by mutableStateOf<Insights?>(null)
        private set
    var server by mutableStateOf<ServerLink?>(null)
        private set

    /** The latest status of the host's sync service; none when the store syncs with no server. */
    var syncStatus by mutableStateOf<SyncStatus?>(null)

    /** The sentence of the last load that failed, while it stands. */
    var problem by mutableStateOf<String?>(null)
        private set

    /** The screens open, the first a tab (Today, Journey or Insights), the last on show. */
    val stack = mutableStateListOf<Screen>(Screen.Today)
    val screen: Screen get() = stack.last()

    /** The stage the Journey tab shows. */
    var stage by mutableStateOf(Stage.WhatMatters)

    /** Whether the safety notice is open on its own (first run, or "Get help" pressed). */
    var safetyOpen by mutableStateOf(false)

    fun now(): Instant = clock()

    /** The person's time zone: their journey's (where their plans are scheduled). */
    val zone: ZoneId get() = journey?.timeZone?.let { runCatching { ZoneId.of(it) }.getOrNull() } ?: ZoneId.systemDefault()

    /** Today's date where the person is. */
    fun todayDate(): LocalDate = LocalDate.ofInstant(clock(), zone)

    /** The dates the Insights tab covers: this week and the three before it, to today. */
    fun insightsRange(): ClosedRange<LocalDate> {
        val today = todayDate()
        return today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).minusWeeks(3)..today
    }

    fun open(screen: Screen) {
        stack.add(screen)
    }

    fun openTab(tab: Screen) {
        stack.clear()
        stack.add(tab)
    }

    /** Goes back one screen; false when on a tab already. */
    fun back(): Boolean {
        if (stack.size <= 1) return false
        stack.removeAt(stack.lastIndex)
        return true
    }

    /** Reads everything the screens show from the store, off the UI thread. */
    fun reload() {
        launch {
            val journey = withContext(io) { store.journey() }
            val today = withContext(io) { store.today(clock()) }
            val server = withContext(io) { store.server() }
            this.journey = journey
            this.today = today
            this.server = server
            this.insights = store.insights(insightsRange(), clock(), io)
        }
    }

    /**
     * Runs one edit of the store off the UI thread, then reloads what the screens show. A
     * refusal comes back as [Edit.Refused] with the core's field and sentence: nothing was saved.
     */
    suspend fun <T> edit(change: TandemStore.() -> T): Edit<T> {
        work.begin()
        try {
            val result = withContext(io) {
                try {
                    Edit.Saved(store.change())
                } catch (e: TandemException.InvalidInput) {
                    Edit.Refused(e.field, e.problem, e.sentence)
                } catch (e: TandemException) {
                    Edit.Failed(e.sentence)
                }
            }
            if (result is Edit.Saved) reload()
            return result
        } finally {
            work.end()
        }
    }

    /** Opens the safety notice if the person has not seen it (read off the UI thread). */
    fun openSafetyOnFirstRun(settings: AppSettings) {
        launch { if (!withContext(io) { settings.safetyNoticeSeen() }) safetyOpen = true }
    }

    /** Remembers that the person has read the safety notice. */
    fun rememberSafetySeen(settings: AppSettings) {
        launch { withContext(io) { settings.setSafetyNoticeSeen() } }
    }

    private fun launch(block: suspend () -> Unit) {
        work.begin()
        scope.launch {
            try {
                block()
                problem = null
            } catch (e: TandemException) {
                problem = e.sentence
            } finally {
                work.end()
            }
        }
    }
}

/** The four stages of the journey, as the Journey tab shows them. */
enum class Stage { WhatMatters, Goals, Plans, Reviews }

/** The screens of the app. The first three are the tabs. */
sealed interface Screen {
    data object Today : Screen
    data object Journey : Screen
    data object Insights : Screen
    data object UnplannedCheckIn : Screen
    data object AddValue : Screen
    data object AddStrength : Screen
    data object AddSupport : Screen
    data object WriteVision : Screen
    data object AddGoal : Screen
    data class Goal(val id: String) : Screen
    data class AddPlan(val goalId: String? = null) : Screen
    data object AddReview : Screen

    val isTab: Boolean get() = this == Today || this == Journey || this == Insights
}
