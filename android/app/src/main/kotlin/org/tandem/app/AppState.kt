package org.tandem.app

import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableIntStateOf
import androidx.compose.runtime.mutableStateListOf
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.setValue
import androidx.compose.runtime.snapshotFlow
import java.time.DayOfWeek
import java.time.Instant
import java.time.LocalDate
import java.time.ZoneId
import java.time.temporal.TemporalAdjusters
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import org.tandem.insights
import org.tandem.sentence
import org.tandem.statuses
import uniffi.tandem_ffi.CodeAbout
import uniffi.tandem_ffi.CoachOverview
import uniffi.tandem_ffi.Role
import uniffi.tandem_ffi.CodeKind
import uniffi.tandem_ffi.InvitationKind
import uniffi.tandem_ffi.HandoverOffer
import uniffi.tandem_ffi.Insights
import uniffi.tandem_ffi.Invitation
import uniffi.tandem_ffi.JoinedDevice
import uniffi.tandem_ffi.Journey
import uniffi.tandem_ffi.LinkedJourney
import uniffi.tandem_ffi.LinkedPerson
import uniffi.tandem_ffi.RefusalReason
import uniffi.tandem_ffi.ServerLink
import uniffi.tandem_ffi.SyncService
import uniffi.tandem_ffi.SyncState
import uniffi.tandem_ffi.SyncStatus
import uniffi.tandem_ffi.StoreKey
import uniffi.tandem_ffi.TandemException
import uniffi.tandem_ffi.TandemStore
import uniffi.tandem_ffi.TodayItem
import uniffi.tandem_ffi.eraseStore

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
    store: TandemStore,
    private val scope: CoroutineScope,
    val io: CoroutineDispatcher = Dispatchers.IO,
    private val clock: () -> Instant = Instant::now,
    /** The server address the code screen starts with (the host's: a build setting, a flag). */
    val defaultServer: String = "",
    /** Where the host keeps the app's own settings (read and written off the UI thread). */
    val settings: AppSettings = MemorySettings(),
    /** Whether the host can lock the app (the platform's biometric or PIN prompt). */
    val canLock: Boolean = false,
    /**
     * Where the store's file is, so that a device code can make it another device of the
     * person who made the code ([joinDevice]); none when the host does not say (a device code
     * is then explained, not used).
     */
    val storePath: String? = null,
    /** Told of the store that replaced the one given, after [joinDevice] (the host's holder). */
    private val onStoreReplaced: (TandemStore) -> Unit = {},
    /**
     * The folder the host saves an export of the person's data into (made if missing); none
     * when the host has nowhere to put one (Settings then says so).
     */
    val exportFolder: String? = null,
    /** How the store's file opens again after [joinDevice], [recover] or an erasure: with its key. */
    private val keys: StoreKeys = PlainKeys(),
) {
    val work = Work()

    /** The store the screens show: another one once this device joins with a device code. */
    var store by mutableStateOf(store)
        private set

    var journey by mutableStateOf<Journey?>(null)
        private set
    var today by mutableStateOf<List<TodayItem>?>(null)
        private set
    var insights by mutableStateOf<Insights?>(null)
        private set
    var server by mutableStateOf<ServerLink?>(null)
        private set
    /** The people linked to this person, as the core gives them (names, what is shared, ...). */
    var people by mutableStateOf<List<LinkedPerson>>(emptyList())
        private set
    /** A coach's overview: each practitioner's coaching by condition, with what they shared. */
    var coachOverview by mutableStateOf<CoachOverview?>(null)
        private set
    /** Counts reloads, so screens that read more than [AppState] holds read again. */
    var revision by mutableIntStateOf(0)
        private set

    /** The journeys of linked people opened on screen (a practitioner's client), by id. */
    val linkedJourneys = androidx.compose.runtime.mutableStateMapOf<String, Journey>()
    /** The name this person chose for the people linked to them. */
    var myName by mutableStateOf<String?>(null)
        private set

    /**
     * For a client whose practitioner left the service: the practitioners the service offers
     * instead, as the server last said (asked when sync comes up to date). Nothing is shared
     * with one before the client agrees ([answerHandover]).
     */
    var offers by mutableStateOf<List<HandoverOffer>>(emptyList())
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

    /** Whether the welcome (on my own, or with a code) is open: first run, with no server yet. */
    var welcomeOpen by mutableStateOf(false)

    /** Changes when the store joins a server, so the sync service starts ([followSync]). */
    var syncGeneration by mutableIntStateOf(0)
        private set
    private var sync: SyncService? = null

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
        if (screen is Screen.ClientJourney) reload()
    }

    /** The goals a form offers: of this person's journey, or of the linked journey [journeyId]. */
    fun goalsOf(journeyId: String?): List<uniffi.tandem_ffi.Goal> =
        (if (journeyId == null) journey else linkedJourneys[journeyId])?.goals.orEmpty()

    /** The plan [planId] of the person's own journey ([journeyId] null) or of a linked one. */
    fun planOf(journeyId: String?, planId: String): uniffi.tandem_ffi.ActionPlan? =
        (if (journeyId == null) journey else linkedJourneys[journeyId])?.plans?.firstOrNull { it.id == planId }

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
        if (replacing) return
        launch {
            val journey = withContext(io) { store.journey() }
            val today = withContext(io) { store.today(clock()) }
            val server = withContext(io) { store.server() }
            val people = withContext(io) { store.people(clock()) }
            val myName = withContext(io) { store.myName() }
            val overview = withContext(io) {
                if (server?.role == Role.COACH) store.parallel().use { it.coachOverview() } else null
            }
            this.journey = journey
            this.today = today
            this.server = server
            this.people = people
            this.myName = myName
            this.coachOverview = overview
            val open = stack.mapNotNull { (it as? Screen.ClientJourney)?.journeyId }.toSet()
            linkedJourneys.keys.retainAll(open)
            open.forEach { id -> linkedJourneys[id] = withContext(io) { store.linkedJourney(id).use { it.journey() } } }
            revision++
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

    /**
     * What [code] would do on [server] and who made it, without using it; a refusal or a
     * failure comes back as a [CodeProblem] with the words to show beside the code.
     */
    suspend fun aboutCode(server: String, code: String, s: Strings): Result<CodeAbout> =
        network(server, s) { store.aboutCode(server.trim(), code) }

    /**
     * Uses a code the person agreed to after reading what it does: joins their practitioner
     * or coach, or enrols, under the name they gave; then the sync service starts.
     */
    suspend fun useCode(server: String, code: String, about: CodeAbout, name: String, s: Strings): Result<Unit> {
        val result = network(server, s) {
            when (about.kind) {
                CodeKind.DEVICE -> throw CodeProblem(s[S.code_device_here])
                CodeKind.CLIENT, CodeKind.PRACTITIONER -> {
                    if (name.isNotBlank()) store.setMyName(name)
                    store.join(server.trim(), code).recoveryCode
                }
                CodeKind.ENROL_PRACTITIONER, CodeKind.ENROL_COACH -> {
                    store.enrol(server.trim(), code).recoveryCode.also {
                        if (name.isNotBlank()) store.setMyName(name)
                    }
                }
            }
        }
        result.getOrNull()?.let { recoveryCode = it }
        if (result.isSuccess) {
            syncGeneration++
            reload()
        }
        return result.map {}
    }

    /**
     * The person's recovery code, just given by their server (they joined, enrolled or
     * recovered): shown once, until they say they have kept it ([recoveryCodeKept]).
     */
    var recoveryCode by mutableStateOf<String?>(null)
        private set

    fun recoveryCodeKept() {
        recoveryCode = null
    }

    /**
     * Brings back the account of a person whose every device is lost onto this device, with
     * their recovery code: as [joinDevice], and the new recovery code is shown once.
     */
    suspend fun recover(server: String, code: String, s: Strings): Result<Unit> =
        becomeDevice(server, s) { path, key -> uniffi.tandem_ffi.recover(path, server.trim(), code, key, null) }

    /**
     * Makes this device another device of the person who made the device [code] (the person
     * agreed after reading what it does): the store is closed, made theirs by the core at
     * [storePath], and opened again; their journey arrives with the first sync. A refusal
     * (this device already has a journey of its own, a used code ...) leaves the store as it
     * was, opened again, and comes back as the words to show.
     */
    suspend fun joinDevice(server: String, code: String, s: Strings): Result<Unit> =
        becomeDevice(server, s) { path, key -> uniffi.tandem_ffi.joinDevice(path, server.trim(), code, key, null) }

    /** The store closed, made another's device by [call] on its file, and opened again. */
    private suspend fun becomeDevice(server: String, s: Strings, call: suspend (String, StoreKey?) -> JoinedDevice): Result<Unit> {
        val path = storePath ?: return Result.failure(CodeProblem(s[S.code_device_here]))
        work.begin()
        try {
            stopSync()
            val old = store
            val joined = withContext(io) {
                old.close() // the core must not hold the file open twice
                try {
                    Result.success(call(path, keys.key()))
                } catch (e: TandemException) {
                    Result.failure(CodeProblem(codeProblem(e, server, s), "code"))
                }
            }
            joined.getOrNull()?.joined?.recoveryCode?.let { recoveryCode = it }
            store = joined.map { it.store }.getOrElse {
                try {
                    withContext(io) { keys.open(path) }
                } catch (e: TandemException) {
                    problem = e.sentence // the store cannot be opened again: say so
                    return Result.failure(CodeProblem(e.sentence, "code"))
                }
            }
            onStoreReplaced(store)
            syncGeneration++
            reload()
            return joined.map {}
        } finally {
            work.end()
        }
    }

    /** A one-time code for a client (a practitioner) or a practitioner (a coach). */
    /** Asks the server for the practitioners offered to this client; offline, keeps what it had. */
    fun refreshOffers() {
        launch {
            val server = withContext(io) { store.server() }
            if (server?.role != Role.CLIENT) return@launch
            runCatching { withContext(io) { store.handovers() } }.onSuccess { offers = it }
        }
    }

    /**
     * The client answers [offer] after reading its consent text in full: agreeing links them
     * to the new practitioner as joining with their code would; declining forgets the offer.
     */
    suspend fun answerHandover(offer: HandoverOffer, agree: Boolean, s: Strings): Result<Unit> {
        val server = this.server?.url.orEmpty()
        val result = network(server, s) { store.answerHandover(offer.toPersonId, agree) }
        if (result.isSuccess) {
            offers = offers.filter { it.toPersonId != offer.toPersonId }
            reload()
        } else {
            // Answered from another device, or withdrawn: show what the server has now.
            refreshOffers()
        }
        return result.map {}
    }

    suspend fun invite(kind: InvitationKind, s: Strings): Result<Invitation> =
        network(server?.url.orEmpty(), s) { store.invite(kind) }

    /** Stops sharing this person's journey with [personId] (their practitioner): at once, on the server. */
    suspend fun stopSharing(personId: String, s: Strings): Result<Unit> {
        val result = network(server?.url.orEmpty(), s) { store.revoke(store.identity().journeyId, personId) }
        if (result.isSuccess) reload()
        return result
    }

    /**
     * Erases this person's account on their server — their documents, devices, links and
     * consents — then everything this device holds ([eraseThisDevice]).
     */
    suspend fun eraseAccount(s: Strings): Result<Unit> {
        if (storePath == null) return Result.failure(CodeProblem(s[S.settings_erase_unavailable]))
        // This device's own sync would hear of the erasure too, and start erasing on its own.
        stopSync()
        return network(server?.url.orEmpty(), s) { store.eraseAccount() }.fold(
            onSuccess = { eraseThisDevice(s) },
            onFailure = {
                syncGeneration++ // not erased: sync again
                Result.failure(it)
            },
        )
    }

    /**
     * Erases everything this device holds (a device removed from its account, an account
     * erased, a phone handed on) and opens a new, empty store in its place: the app starts
     * again as on its first run.
     */
    suspend fun eraseThisDevice(s: Strings): Result<Unit> {
        val path = storePath ?: return Result.failure(CodeProblem(s[S.settings_erase_unavailable]))
        // In the app's scope: the screen that asked steps aside meanwhile (its scope ends).
        return scope.async { eraseHere(path) }.await()
    }

    private suspend fun eraseHere(path: String): Result<Unit> {
        if (replacing) return Result.success(Unit) // erasing already
        work.begin()
        try {
            // The screens step aside and every call still out on the old store comes back
            // before it is closed: a call on a closed store would end the app.
            replacing = true
            stopSync()
            snapshotFlow { work.running }.first { it <= 1 }
            val old = store
            val (erased, fresh) = withContext(io) {
                old.close() // the core refuses to erase a store it holds open
                val erased = try {
                    eraseStore(path)
                    keys.forget() // a new store gets a new key
                    Result.success(Unit)
                } catch (e: TandemException) {
                    Result.failure(CodeProblem(e.sentence))
                }
                erased to keys.open(path)
            }
            store = fresh
            onStoreReplaced(fresh)
            syncStatus = null
            syncGeneration++
            replacing = false
            reload()
            return erased
        } finally {
            replacing = false
            work.end()
        }
    }

    /** The store is being swapped for another ([eraseThisDevice]): the screens wait. */
    var replacing by mutableStateOf(false)
        private set

    /**
     * A reminder was tapped: Today, with that plan's check-in of that day open on top of it
     * (a reminder tapped the next morning still opens yesterday's).
     */
    fun openCheckIn(planId: String, date: String) {
        openTab(Screen.Today)
        open(Screen.CheckIn(planId, date))
    }

    /** What was planned on [date] (`2026-12-06`), with what was answered: as Today shows a day. */
    suspend fun dayOf(date: String): List<TodayItem> {
        val noon = LocalDate.parse(date).atTime(12, 0).atZone(zone).toInstant()
        return withContext(io) { store.today(noon) }
    }

    /** Whether this device's account was erased (it learnt so from its server) and its store with it. */
    var erasedByServer by mutableStateOf(false)
        private set

    /** Changes the name linked people see; a refusal names the field `name`. */
    suspend fun setMyName(name: String): Edit<Unit> = edit { setMyName(name) }

    /** Reads something a screen shows beyond what [AppState] holds, off the UI thread (counted as work). */
    suspend fun <T> read(block: TandemStore.() -> T): T {
        work.begin()
        try {
            return withContext(io) { store.block() }
        } finally {
            work.end()
        }
    }

    /** Runs a call to [server] off the UI thread; a failure becomes the words to show. */
    private suspend fun <T> network(server: String, s: Strings, call: suspend () -> T): Result<T> {
        work.begin()
        return try {
            Result.success(withContext(io) { call() })
        } catch (e: TandemException) {
            val onServer = (e as? TandemException.InvalidInput)?.field == "server" || e is TandemException.Sync
            Result.failure(CodeProblem(codeProblem(e, server, s), if (onServer) "server" else "code"))
        } catch (e: CodeProblem) {
            Result.failure(e)
        } finally {
            work.end()
        }
    }

    /**
     * Runs the store's sync service while the store has a server, feeding [syncStatus]; started
     * again when [syncGeneration] changes (the store joined a server). [online] is the host's
     * word on the network.
     */
    suspend fun followSync(online: Boolean) {
        stopSync()
        val service = withContext(io) { if (store.server() != null) store.syncService() else null } ?: return
        sync = service
        withContext(io) { service.setOnline(online) }
        service.statuses().collect { status ->
            // A sync that has just come up to date may have brought new links (a person who
            // joined, a share withdrawn): read them again.
            val settled = status.state is SyncState.Live || status.state is SyncState.UpToDate
            val was = syncStatus?.state.let { it is SyncState.Live || it is SyncState.UpToDate }
            syncStatus = status
            if (settled && !was) {
                reload()
                refreshOffers()
            }
            // The account was erased (from another device, or by the service): so is this
            // device's copy, at once.
            val path = storePath
            if (status.lastRefusal == RefusalReason.ACCOUNT_ERASED && path != null && !replacing) {
                erasedByServer = true
                scope.launch { eraseHere(path) }
                return@collect
            }
        }
    }

    /** The network came or went (the host's network callback). */
    fun setOnline(online: Boolean) {
        val service = sync ?: return
        scope.launch { withContext(io) { service.setOnline(online) } }
    }

    /** Stops the sync service (the app is closing). */
    fun stopSync() {
        sync?.let { it.stop(); it.close() }
        sync = null
    }

    /** Opens the welcome if this store has no server and the person has not chosen yet. */
    fun openWelcomeOnFirstRun(settings: AppSettings) {
        launch {
            val show = withContext(io) { store.server() == null && !settings.welcomeSeen() }
            if (show) welcomeOpen = true
        }
    }

    /** The person chose: on their own, or with a code. */
    fun closeWelcome(settings: AppSettings, withCode: Boolean) {
        welcomeOpen = false
        if (withCode) {
            openTab(Screen.People)
            open(Screen.EnterCode)
        }
        launch { withContext(io) { settings.setWelcomeSeen() } }
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
    /** One planned check-in, as a reminder names it (a plan, a day: `2026-12-06`). */
    data class CheckIn(val planId: String, val date: String) : Screen
    data class EditValue(val id: String) : Screen
    data class EditStrength(val id: String) : Screen
    data class EditSupport(val id: String) : Screen
    data object WriteVision : Screen
    data object AddGoal : Screen
    data class Goal(val id: String) : Screen
    /** A new plan, in this person's journey or (a practitioner) in a client's, [journeyId]. */
    data class AddPlan(val goalId: String? = null, val journeyId: String? = null) : Screen
    /** A plan changed: in the person's own journey, or in a linked one they may write to. */
    data class EditPlan(val planId: String, val journeyId: String? = null) : Screen
    data class EditGoal(val id: String) : Screen
    data class AddReview(val journeyId: String? = null) : Screen
    /** A client's journey, opened by their practitioner from People. */
    data class ClientJourney(val journeyId: String) : Screen
    data object People : Screen
    data object EnterCode : Screen
    data class UseCode(val server: String, val code: String, val about: CodeAbout) : Screen
    data class Invited(val invitation: Invitation) : Screen
    data class Handover(val offer: HandoverOffer) : Screen
    data object ChangeName : Screen
    data object Settings : Screen
    /** A practitioner's coaching with their coach: the parallel view, wellbeing, a summary. */
    data class Coaching(val docId: String) : Screen
    data class AddWellbeing(val docId: String) : Screen
    /** An alliance check-in about the other person of the care or coaching document [docId]. */
    data class AddAlliance(val docId: String, val aboutCoach: Boolean) : Screen
    data object AddReflection : Screen
    /** The sessions of a coaching relationship: how a coach opens them from the overview. */
    data class Sessions(val docId: String) : Screen
    /** Planning a session in the coaching relationship [docId] (the practitioner). */
    data class AddSession(val docId: String) : Screen
    data class AddCaseReview(val docId: String) : Screen
    /** A comment on session [sessionId] of the coaching relationship [docId] (either person). */
    data class CommentOnSession(val docId: String, val sessionId: String) : Screen

    val isTab: Boolean get() = this == Today || this == Journey || this == Insights || this == People
}

/**
 * Words to show beside a code: why it cannot be used, or why the server was not reached;
 * [field] is the field they belong beside ("code" or "server").
 */
class CodeProblem(val words: String, val field: String = "code") : Exception(words)

/** The words for a failed code call, by the core's reason (never by matching its sentence). */
fun codeProblem(e: Throwable, server: String, s: Strings): String = when (e) {
    is CodeProblem -> e.words
    is TandemException.Refused -> when (e.reason) {
        RefusalReason.UNKNOWN_CODE -> s[S.code_unknown]
        RefusalReason.CODE_USED -> s[S.code_used]
        RefusalReason.CODE_EXPIRED -> s[S.code_expired]
        RefusalReason.TOO_MANY_REQUESTS -> s[S.code_too_many]
        RefusalReason.WRONG_ROLE -> s[S.code_wrong_role]
        else -> e.detail
    }
    is TandemException.InvalidInput -> if (e.field == "server") s[S.code_bad_server] else e.sentence
    is TandemException.Sync -> s.format(S.code_unreachable, server.trim())
    is TandemException -> e.sentence
    else -> e.message ?: e.toString()
}

/** Runs [own] on this person's journey, or [linked] on the linked journey [journeyId]. */
fun <T> TandemStore.inJourney(journeyId: String?, own: TandemStore.() -> T, linked: LinkedJourney.() -> T): T =
    if (journeyId == null) own() else linkedJourney(journeyId).use { it.linked() }
