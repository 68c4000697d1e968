package org.tandem.app

import androidx.compose.foundation.background
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.height
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.selection.selectable
import androidx.compose.foundation.selection.selectableGroup
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalDensity
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.heading
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.style.TextAlign
import androidx.compose.ui.unit.dp
import androidx.compose.ui.unit.sp
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.filter
import org.tandem.StoreChange
import org.tandem.changes
import uniffi.tandem_ffi.TandemStore

/**
 * What the host remembers for the app outside the store: whether the person has seen the
 * safety notice, and the welcome (on my own, or with a code). The host keeps it where its
 * platform keeps settings (the desktop: a file beside the store; Android: SharedPreferences).
 * Called off the UI thread.
 */
interface AppSettings {
    fun safetyNoticeSeen(): Boolean
    fun setSafetyNoticeSeen()
    fun welcomeSeen(): Boolean
    fun setWelcomeSeen()

    /** Whether opening Tandem asks for a biometric or the device's PIN first (default: no). */
    fun appLock(): Boolean
    fun setAppLock(on: Boolean)

    /** Whether a reminder on the lock screen names the plan (default: no, neutral words). */
    fun reminderDetails(): Boolean
    fun setReminderDetails(show: Boolean)
}

/** Settings kept in memory only (tests, a first look). */
class MemorySettings(private var seen: Boolean = false, private var welcomed: Boolean = seen) : AppSettings {
    private var lock = false
    private var details = false
    override fun safetyNoticeSeen() = seen
    override fun setSafetyNoticeSeen() { seen = true }
    override fun welcomeSeen() = welcomed
    override fun setWelcomeSeen() { welcomed = true }
    override fun appLock() = lock
    override fun setAppLock(on: Boolean) { lock = on }
    override fun reminderDetails() = details
    override fun setReminderDetails(show: Boolean) { details = show }
}

/**
 * The whole app over an open [store]: the safety notice on first run, then Today, Journey and
 * Insights, with sync status and "Get help now" on every screen.
 *
 * The host opens the store (off the UI thread), starts its sync service if it has a server and
 * feeds [AppState.syncStatus]; [onState] hands the host the state (for back presses, tests).
 */
@Composable
fun TandemApp(
    store: TandemStore,
    strings: Strings,
    crisisLines: CrisisLines,
    settings: AppSettings,
    dark: Boolean,
    io: CoroutineDispatcher = Dispatchers.IO,
    online: Boolean = true,
    defaultServer: String = "",
    canLock: Boolean = false,
    /** The store's file, so a device code can add this device to an account (see [AppState]). */
    storePath: String? = null,
    /** Told of the store that replaced [store] when this device joined with a device code. */
    onStoreReplaced: (TandemStore) -> Unit = {},
    /** Where an export of the person's data is saved (see [AppState.exportFolder]). */
    exportFolder: String? = null,
    /** How the store's file opens again, with its key (see [StoreKeys]). */
    keys: StoreKeys = PlainKeys(),
    onCall: (CrisisLine) -> Unit = {},
    onState: (AppState) -> Unit = {},
    /** A reminder the person tapped: its plan and day (`2026-12-06`); that check-in opens. */
    openCheckIn: Pair<String, String>? = null,
) {
    val scope = rememberCoroutineScope()
    val state = remember(store) { AppState(store, scope, io, defaultServer = defaultServer, settings = settings, canLock = canLock, storePath = storePath, onStoreReplaced = onStoreReplaced, exportFolder = exportFolder, keys = keys) }
    LaunchedEffect(state) {
        onState(state)
        state.reload()
        state.openSafetyOnFirstRun(settings)
        state.openWelcomeOnFirstRun(settings)
    }
    // The sync service runs while the store has a server; joining starts it.
    LaunchedEffect(state, state.syncGeneration) { state.followSync(online) }
    LaunchedEffect(state, online) { state.setOnline(online) }
    LaunchedEffect(state, openCheckIn) { openCheckIn?.let { (plan, date) -> state.openCheckIn(plan, date) } }
    DisposableEffect(state) { onDispose { state.stopSync() } }
    // Others' edits arrive with a sync: show them without the person doing anything. (Edits
    // made here reload as they are saved.)
    LaunchedEffect(state, state.store) {
        state.store.changes().filter { it == StoreChange.Sync }.collect { state.reload() }
    }
    CompositionLocalProvider(LocalStrings provides strings) {
        TandemTheme(dark) {
            Surface(Modifier.fillMaxSize(), color = MaterialTheme.colorScheme.background) {
                if (state.safetyOpen) {
                    SafetyScreen(
                        crisisLines,
                        onCall = onCall,
                        onClose = {
                            state.safetyOpen = false
                            state.rememberSafetySeen(settings)
                        },
                    )
                } else if (state.welcomeOpen) {
                    WelcomeScreen(state, settings)
                } else {
                    Shell(state)
                }
            }
        }
    }
}

/** Header, sync status, the screen on show, and the tabs. */
@Composable
fun Shell(state: AppState) {
    val s = LocalStrings.current
    val screen = state.screen
    Column(Modifier.fillMaxSize()) {
        Header(state)
        SyncLine(state.syncStatus, state.server, state.zone)
        if (state.erasedByServer) {
            Text(
                s[S.erased_by_server],
                style = MaterialTheme.typography.bodyLarge,
                modifier = Modifier.padding(horizontal = 16.dp, vertical = 8.dp).testTag("erased-by-server"),
            )
        }
        HorizontalDivider(color = MaterialTheme.colorScheme.outlineVariant)
        Box(Modifier.weight(1f).fillMaxWidth()) {
            val problem = state.problem
            val recoveryCode = state.recoveryCode
            when {
                recoveryCode != null -> RecoveryCodeScreen(state, recoveryCode)
                state.replacing -> Text(
                    s[S.loading],
                    style = MaterialTheme.typography.bodyLarge,
                    modifier = Modifier.padding(24.dp),
                )
                problem != null && state.journey == null -> Text(
                    problem,
                    color = MaterialTheme.colorScheme.error,
                    modifier = Modifier.padding(24.dp),
                )
                state.journey == null -> Text(
                    s[S.loading],
                    style = MaterialTheme.typography.bodyLarge,
                    modifier = Modifier.padding(24.dp),
                )
                else -> ScreenContent(state, screen)
            }
        }
        if (screen.isTab && state.recoveryCode == null) Tabs(state)
    }
}

@Composable
private fun ScreenContent(state: AppState, screen: Screen) {
    when (screen) {
        Screen.Today -> TodayScreen(state)
        Screen.Journey -> JourneyScreen(state)
        Screen.Insights -> InsightsScreen(state)
        Screen.UnplannedCheckIn -> UnplannedCheckInScreen(state)
        Screen.AddValue -> ValueForm(state)
        Screen.AddStrength -> StrengthForm(state)
        Screen.AddSupport -> SupportForm(state)
        is Screen.CheckIn -> CheckInScreen(state, screen)
        is Screen.EditValue -> state.journey?.values?.firstOrNull { it.id == screen.id }
            ?.let { ValueForm(state, it) } ?: EmptyNote(LocalStrings.current[S.item_gone])
        is Screen.EditStrength -> state.journey?.strengths?.firstOrNull { it.id == screen.id }
            ?.let { StrengthForm(state, it) } ?: EmptyNote(LocalStrings.current[S.item_gone])
        is Screen.EditSupport -> state.journey?.supports?.firstOrNull { it.id == screen.id }
            ?.let { SupportForm(state, it) } ?: EmptyNote(LocalStrings.current[S.item_gone])
        Screen.WriteVision -> VisionForm(state)
        Screen.AddGoal -> GoalForm(state)
        is Screen.Goal -> GoalScreen(state, screen.id)
        is Screen.AddPlan -> PlanForm(state, screen.goalId, screen.journeyId)
        is Screen.EditPlan -> state.planOf(screen.journeyId, screen.planId)
            ?.let { PlanForm(state, it.goalId, screen.journeyId, editing = it) } ?: EmptyNote(LocalStrings.current[S.item_gone])
        is Screen.EditGoal -> state.journey?.goals?.firstOrNull { it.id == screen.id }
            ?.let { GoalForm(state, it) } ?: EmptyNote(LocalStrings.current[S.item_gone])
        is Screen.AddReview -> ReviewForm(state, screen.journeyId)
        is Screen.ClientJourney -> ClientJourneyScreen(state, screen.journeyId)
        Screen.People -> PeopleScreen(state)
        Screen.EnterCode -> EnterCodeScreen(state)
        is Screen.UseCode -> UseCodeScreen(state, screen)
        is Screen.Handover -> HandoverScreen(state, screen.offer)
        is Screen.Invited -> InvitedScreen(state, screen.invitation)
        Screen.ChangeName -> NameForm(state)
        Screen.Settings -> SettingsScreen(state)
        is Screen.Coaching -> CoachingScreen(state, screen.docId)
        is Screen.AddWellbeing -> WellbeingForm(state, screen.docId)
        is Screen.AddAlliance -> AllianceForm(state, screen.docId, screen.aboutCoach)
        Screen.AddReflection -> ReflectionForm(state)
        is Screen.Sessions -> SessionsScreen(state, screen.docId)
        is Screen.AddSession -> SessionForm(state, screen.docId)
        is Screen.AddCaseReview -> CaseReviewForm(state, screen.docId)
        is Screen.CommentOnSession -> SessionCommentForm(state, screen.docId, screen.sessionId)
    }
}

/**
 * "Get help now", always one tap away, beside the tab's title, or beside Back with the screen's
 * title under them. They wrap onto more lines when the text is large.
 */
@OptIn(ExperimentalLayoutApi::class)
@Composable
private fun Header(state: AppState) {
    val s = LocalStrings.current
    val screen = state.screen
    Column(Modifier.fillMaxWidth().padding(start = 8.dp, end = 12.dp, top = 8.dp, bottom = 4.dp)) {
        FlowRow(
            horizontalArrangement = Arrangement.SpaceBetween,
            verticalArrangement = Arrangement.spacedBy(4.dp),
            itemVerticalAlignment = Alignment.CenterVertically,
            modifier = Modifier.fillMaxWidth(),
        ) {
            if (screen.isTab) {
                Text(
                    title(screen, s),
                    style = MaterialTheme.typography.headlineSmall,
                    modifier = Modifier.padding(start = 8.dp, end = 8.dp).semantics { heading() },
                )
            } else {
                TextButton(onClick = { state.back() }, modifier = Modifier.heightIn(min = TouchTarget).testTag("back")) {
                    Text("‹ " + s[S.back], style = MaterialTheme.typography.titleMedium)
                }
            }
            OutlinedButton(
                onClick = { state.safetyOpen = true },
                modifier = Modifier.heightIn(min = TouchTarget).testTag("get-help"),
            ) {
                Text(s[S.get_help], style = MaterialTheme.typography.labelLarge, textAlign = TextAlign.Center)
            }
        }
        if (!screen.isTab) {
            Text(
                title(screen, s),
                style = MaterialTheme.typography.titleLarge,
                modifier = Modifier.padding(start = 8.dp, top = 2.dp).semantics { heading() },
            )
        }
    }
}

private fun title(screen: Screen, s: Strings): String = when (screen) {
    Screen.Today -> s[S.tab_today]
    Screen.Journey -> s[S.tab_journey]
    Screen.Insights -> s[S.tab_insights]
    Screen.UnplannedCheckIn -> s[S.unplanned_title]
    Screen.AddValue -> s[S.value_add_title]
    Screen.AddStrength -> s[S.strength_add_title]
    Screen.AddSupport -> s[S.support_add_title]
    is Screen.CheckIn -> s[S.check_in_title]
    is Screen.EditValue -> s[S.value_edit_title]
    is Screen.EditStrength -> s[S.strength_edit_title]
    is Screen.EditSupport -> s[S.support_edit_title]
    Screen.WriteVision -> s[S.vision_title]
    Screen.AddGoal -> s[S.goal_add_title]
    is Screen.Goal -> s[S.goal_title]
    is Screen.AddPlan -> s[S.plan_add_title]
    is Screen.EditPlan -> s[S.plan_edit_title]
    is Screen.EditGoal -> s[S.goal_edit_title]
    is Screen.AddReview -> s[S.review_add_title]
    is Screen.ClientJourney -> s[S.client_journey_title]
    Screen.People -> s[S.tab_people]
    Screen.EnterCode -> s[S.code_title]
    is Screen.UseCode -> s[S.use_code_title]
    is Screen.Handover -> s[S.handover_title]
    is Screen.Invited -> s[S.invited_title]
    Screen.ChangeName -> s[S.name_title]
    Screen.Settings -> s[S.settings_title]
    is Screen.Coaching -> s[S.coaching_title]
    is Screen.AddWellbeing -> s[S.wellbeing_title]
    is Screen.AddAlliance -> s[S.alliance_title]
    Screen.AddReflection -> s[S.reflection_title]
    is Screen.Sessions -> s[S.coaching_title]
    is Screen.AddSession -> s[S.session_add_title]
    is Screen.AddCaseReview -> s[S.case_review_add]
    is Screen.CommentOnSession -> s[S.session_comment_title]
}

/** Today, Journey, Insights, People: four tall tabs with words, no icons to guess at. */
@Composable
private fun Tabs(state: AppState) {
    val s = LocalStrings.current
    HorizontalDivider(color = MaterialTheme.colorScheme.outlineVariant)
    Row(
        Modifier.fillMaxWidth().background(MaterialTheme.colorScheme.surfaceContainer).selectableGroup(),
    ) {
        listOf(Screen.Today to S.tab_today, Screen.Journey to S.tab_journey, Screen.Insights to S.tab_insights, Screen.People to S.tab_people)
            .forEach { (tab, label) ->
                val selected = state.stack.first() == tab
                Box(
                    contentAlignment = Alignment.Center,
                    modifier = Modifier
                        .weight(1f)
                        .heightIn(min = 64.dp)
                        .selectable(selected = selected, role = Role.Tab, onClick = { state.openTab(tab) })
                        .background(if (selected) MaterialTheme.colorScheme.secondaryContainer else MaterialTheme.colorScheme.surfaceContainer)
                        .testTag("tab:${tab}"),
                ) {
                    // The tab on show: a bar along its top as well as its colour.
                    if (selected) {
                        Box(Modifier.align(Alignment.TopCenter).fillMaxWidth().height(4.dp).background(MaterialTheme.colorScheme.primary))
                    }
                    Text(
                        s[label],
                        style = MaterialTheme.typography.labelLarge.copy(fontSize = tabLabelSize()),
                        color = if (selected) MaterialTheme.colorScheme.onSecondaryContainer else MaterialTheme.colorScheme.onSurface,
                        textAlign = TextAlign.Center,
                        modifier = Modifier.padding(horizontal = 2.dp, vertical = 8.dp),
                    )
                }
            }
    }
}

/**
 * The tabs' label size: 14 sp, growing with the person's font scale up to 1.3 times, so four
 * one-word labels still fit a phone's width whole (as Android's own navigation bars do); the
 * screens above them scale fully.
 */
@Composable
private fun tabLabelSize(): androidx.compose.ui.unit.TextUnit {
    val density = LocalDensity.current
    val scale = minOf(density.fontScale, MAX_TAB_FONT_SCALE)
    return with(density) { (14f * scale).dp.toSp() }
}

private const val MAX_TAB_FONT_SCALE = 1.3f

/** A content description for a node that only draws (charts), so a screen reader can say it. */
fun Modifier.describedAs(text: String): Modifier = semantics { contentDescription = text }
