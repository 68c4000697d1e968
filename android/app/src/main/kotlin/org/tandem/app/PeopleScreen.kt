package org.tandem.app

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.text.selection.SelectionContainer
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.font.FontFamily
import androidx.compose.ui.unit.dp
import java.time.LocalDate
import kotlinx.coroutines.launch
import uniffi.tandem_ffi.Access
import uniffi.tandem_ffi.Invitation
import uniffi.tandem_ffi.InvitationKind
import uniffi.tandem_ffi.LinkedPerson
import uniffi.tandem_ffi.Role

/**
 * The people linked to this person, as the core gives them: a practitioner's clients (each
 * with their latest check-in and this week), a client's practitioner, a coach's
 * practitioners; what is shared each way and the consent records. On their own: how to join.
 */
@Composable
fun PeopleScreen(state: AppState) {
    val s = LocalStrings.current
    val scope = rememberCoroutineScope()
    val errors = remember { FormErrors() }
    val server = state.server
    Column(
        verticalArrangement = Arrangement.spacedBy(12.dp),
        modifier = Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp).testTag("people"),
    ) {
        if (server == null) {
            EmptyNote(s[S.people_alone])
            MainButton(s[S.people_have_code], onClick = { state.open(Screen.EnterCode) }, modifier = Modifier.testTag("people-code"))
            SecondButton(s[S.settings_open], onClick = { state.open(Screen.Settings) }, modifier = Modifier.testTag("open-settings"))
            return@Column
        }
        val name = state.myName
        Text(
            if (name != null) s.format(S.people_you_are, name) else s[S.people_no_name],
            style = MaterialTheme.typography.bodyLarge,
        )
        QuietButton(
            if (name != null) s[S.people_change_name] else s[S.people_choose_name],
            onClick = { state.open(Screen.ChangeName) },
        )
        FormProblem(errors)
        fun invite(kind: InvitationKind) {
            scope.launch {
                state.invite(kind, s)
                    .onSuccess { errors.clear(); state.open(Screen.Invited(it)) }
                    .onFailure { e -> errors.show(Edit.Failed((e as? CodeProblem)?.words ?: e.toString()), emptySet()) }
            }
        }
        when (server.role) {
            Role.PRACTITIONER -> {
                Group(state, s[S.people_clients], state.people.filter { it.role == Role.CLIENT }, s[S.people_no_clients])
                MainButton(s[S.people_invite_client], onClick = { invite(InvitationKind.CLIENT) }, modifier = Modifier.testTag("invite-client"))
                val coaches = state.people.filter { it.role == Role.COACH }
                if (coaches.isNotEmpty()) Group(state, s[S.people_role_coach], coaches, "")
                Detail(s[S.people_coach_never])
            }
            Role.COACH -> {
                CoachOverviewSection(state)
                MainButton(s[S.people_invite_practitioner], onClick = { invite(InvitationKind.PRACTITIONER) }, modifier = Modifier.testTag("invite-practitioner"))
            }
            Role.CLIENT -> {
                state.offers.forEach { HandoverCard(state, it) }
                Group(state, s[S.people_supporters], state.people, s[S.people_no_supporter])
                if (state.people.isEmpty() && state.offers.isEmpty()) {
                    SecondButton(s[S.people_have_code], onClick = { state.open(Screen.EnterCode) }, modifier = Modifier.testTag("people-code"))
                }
            }
        }
        SecondButton(s[S.settings_open], onClick = { state.open(Screen.Settings) }, modifier = Modifier.testTag("open-settings"))
    }
}

/** An offer of a new practitioner, waiting for the client's answer. */
@Composable
private fun HandoverCard(state: AppState, offer: uniffi.tandem_ffi.HandoverOffer) {
    val s = LocalStrings.current
    ItemCard(Modifier.testTag("handover:${offer.toPersonId}")) {
        Heading(s[S.handover_title])
        Text(s[S.handover_left], style = MaterialTheme.typography.bodyLarge)
        Text(handoverOffered(offer, s), style = MaterialTheme.typography.bodyLarge)
        Detail(s[S.handover_nothing_yet])
        MainButton(s[S.handover_read], onClick = { state.open(Screen.Handover(offer)) }, modifier = Modifier.testTag("handover-open"))
    }
}

@Composable
private fun Group(state: AppState, title: String, people: List<LinkedPerson>, empty: String) {
    Heading(title)
    if (people.isEmpty()) EmptyNote(empty)
    people.forEach { PersonCard(state, it) }
}

@Composable
private fun PersonCard(state: AppState, person: LinkedPerson) {
    val s = LocalStrings.current
    var showConsent by remember(person.personId) { mutableStateOf(false) }
    val journeyId = person.journeyId
    val coachingDoc = person.relationshipDocId.takeIf { person.role == Role.COACH && state.server?.role == Role.PRACTITIONER }
    val open = when {
        coachingDoc != null -> ({ state.open(Screen.Coaching(coachingDoc)) })
        journeyId != null && person.journeyHere -> ({ state.open(Screen.ClientJourney(journeyId)) })
        else -> null
    }
    ItemCard(Modifier.testTag("person:${person.personId}"), onClick = open) {
        Text(person.name ?: s[S.people_unnamed], style = MaterialTheme.typography.titleMedium, modifier = Modifier.testTag("person-name"))
        Detail(s.role(person.role))
        if (person.journeyId != null) {
            if (!person.journeyHere) {
                Detail(s[S.people_not_here])
            } else {
                val last = person.lastCheckIn
                Text(
                    if (last == null) {
                        s[S.people_no_check_in]
                    } else {
                        s.format(S.people_last_check_in, s.outcome(last.outcome), s.longDate(coreDate(last.date)))
                    },
                    style = MaterialTheme.typography.bodyLarge,
                    modifier = Modifier.testTag("person-last-check-in"),
                )
                val week = person.thisWeek
                Text(
                    if (week == null || week.planned.toInt() == 0) {
                        s[S.people_week_none]
                    } else {
                        s.format(S.people_week, week.done.toInt(), week.planned.toInt())
                    },
                    style = MaterialTheme.typography.bodyLarge,
                    modifier = Modifier.testTag("person-week"),
                )
            }
        }
        person.access?.let { Detail(s[if (it == Access.WRITE) S.people_they_share_write else S.people_they_share_read]) }
        val careDoc = person.relationshipDocId
        val mySupporter = person.role == Role.PRACTITIONER && state.server?.role == Role.CLIENT
        if (careDoc != null && mySupporter) {
            SecondButton(s[S.alliance_open_practitioner], onClick = { state.open(Screen.AddAlliance(careDoc, aboutCoach = false)) }, modifier = Modifier.testTag("add-alliance"))
        }
        when (person.sharesMyJourney) {
            Access.WRITE -> Detail(s[S.people_you_share_write])
            Access.READ -> Detail(s[S.people_you_share_read])
            null -> if (state.server?.role == Role.CLIENT) Detail(s[S.people_you_share_nothing])
        }
        if (mySupporter && person.sharesMyJourney != null) StopSharing(state, person)
        val consent = person.consents.lastOrNull() ?: return@ItemCard
        val day = s.longDate(LocalDate.ofInstant(consent.`when`, state.zone))
        val theirs = consent.who == person.personId
        val words = when {
            consent.what.endsWith("withdrawn") -> if (theirs) S.people_withdrawn_they else S.people_withdrawn_you
            theirs -> S.people_consent_they
            else -> S.people_consent_you
        }
        Detail(s.format(words, day, consent.textVersion))
        if (consent.text.isNotEmpty()) {
            QuietButton(
                s[if (showConsent) S.people_hide_consent else S.people_read_consent],
                onClick = { showConsent = !showConsent },
            )
            if (showConsent) {
                consent.text.split("\n\n").forEach { Text(it, style = MaterialTheme.typography.bodyMedium) }
            }
        }
    }
}

/**
 * A linked person's journey (a practitioner's client): their plans and reviews, and, with
 * write access, agreeing a plan with them and adding a review together. What it shows comes
 * from the core; the forms are the person's own, writing into this journey.
 */
@Composable
fun ClientJourneyScreen(state: AppState, journeyId: String) {
    val s = LocalStrings.current
    val person = state.people.firstOrNull { it.journeyId == journeyId }
    val journey = state.linkedJourneys[journeyId]
    Column(
        verticalArrangement = Arrangement.spacedBy(12.dp),
        modifier = Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp).testTag("client-journey"),
    ) {
        Text(person?.name ?: s[S.people_unnamed], style = MaterialTheme.typography.headlineSmall)
        if (journey == null) {
            EmptyNote(s[S.loading])
            return@Column
        }
        val writable = person?.access == Access.WRITE
        Heading(s[S.client_plans])
        val plans = journey.plans.filter { it.end == null }
        if (plans.isEmpty()) EmptyNote(s[S.client_no_plans])
        plans.forEach { plan ->
            ItemCard(Modifier.testTag("client-plan:${plan.what}")) {
                Text(plan.what, style = MaterialTheme.typography.titleMedium)
                Detail(s.schedule(plan))
                if (writable) {
                    QuietButton(
                        s[S.item_change], onClick = { state.open(Screen.EditPlan(plan.id, journeyId)) },
                        modifier = Modifier.testTag("change:${plan.what}")
                            .semantics { contentDescription = s.format(S.item_change_described, plan.what) },
                    )
                }
            }
        }
        if (writable) MainButton(s[S.client_agree_plan], onClick = { state.open(Screen.AddPlan(journeyId = journeyId)) }, modifier = Modifier.testTag("client-add-plan"))
        Heading(s[S.client_reviews])
        if (journey.reviews.isEmpty()) EmptyNote(s[S.client_no_reviews])
        journey.reviews.asReversed().forEach { ReviewCard(journey, it) }
        if (writable) SecondButton(s[S.client_add_review], onClick = { state.open(Screen.AddReview(journeyId)) }, modifier = Modifier.testTag("client-add-review"))
    }
}

/** "Stop sharing my journey", with what it means, asked once more before it is done. */
@Composable
private fun StopSharing(state: AppState, person: LinkedPerson) {
    val s = LocalStrings.current
    val scope = rememberCoroutineScope()
    val errors = remember { FormErrors() }
    var asking by remember(person.personId) { mutableStateOf(false) }
    val name = person.name ?: s[S.people_role_practitioner]
    if (!asking) {
        QuietButton(s[S.people_stop_sharing], onClick = { asking = true }, modifier = Modifier.testTag("stop-sharing"))
        return
    }
    Text(s.format(S.people_stop_sharing_what, name), style = MaterialTheme.typography.bodyLarge)
    FormProblem(errors)
    SecondButton(s[S.people_stop_sharing_yes], onClick = {
        scope.launch {
            state.stopSharing(person.personId, s)
                .onSuccess { asking = false }
                .onFailure { e -> errors.show(Edit.Failed((e as? CodeProblem)?.words ?: e.toString()), emptySet()) }
        }
    }, modifier = Modifier.testTag("stop-sharing-yes"))
    QuietButton(s[S.not_now], onClick = { asking = false })
}

/** A code just made, to read out or send, with how long it works. */
@Composable
fun InvitedScreen(state: AppState, invitation: Invitation) {
    val s = LocalStrings.current
    val until = s.longDate(LocalDate.ofInstant(invitation.expiresAt, state.zone))
    Column(
        verticalArrangement = Arrangement.spacedBy(16.dp),
        modifier = Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp),
    ) {
        Text(s.format(S.invited_intro, until), style = MaterialTheme.typography.bodyLarge)
        SelectionContainer {
            Text(
                invitation.code,
                style = MaterialTheme.typography.headlineMedium.copy(fontFamily = FontFamily.Monospace),
                // Read out letter by letter by a screen reader.
                modifier = Modifier.testTag("invitation-code").semantics { contentDescription = invitation.code.toList().joinToString(" ") },
            )
        }
        state.server?.let { Detail(s.format(S.invited_server, it.url)) }
        MainButton(s[S.invited_done], onClick = { state.back() }, modifier = Modifier.testTag("invited-done"))
    }
}

/** The name linked people see; the core checks it. */
@Composable
fun NameForm(state: AppState) {
    val s = LocalStrings.current
    val errors = remember { FormErrors() }
    var name by remember { mutableStateOf(state.myName.orEmpty()) }
    Form(state, errors, setOf("name"), intro = s[S.name_intro], save = { { setMyName(name) } }) {
        TextInput(s[S.name_field], name, { name = it }, "name", errors)
    }
}

/** A role in words. */
fun Strings.role(role: Role): String = get(
    when (role) {
        Role.CLIENT -> S.people_role_client
        Role.PRACTITIONER -> S.people_role_practitioner
        Role.COACH -> S.people_role_coach
    },
)
