package org.tandem.app

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.produceState
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.unit.dp
import kotlinx.coroutines.launch
import uniffi.tandem_ffi.CoachingCondition
import uniffi.tandem_ffi.CaseReviewInput
import uniffi.tandem_ffi.CoachingRelationship
import uniffi.tandem_ffi.Role
import uniffi.tandem_ffi.CoachingSession

/**
 * What a coaching relationship works on and its sessions, as either of its people sees them: the
 * condition (either may change it, from today), each session's date, agenda and comments, newest
 * first. The practitioner plans sessions; both comment. Who may do what is the core's rule: a
 * refusal shows here in its words.
 */
@Composable
fun SessionsSection(state: AppState, docId: String, coaching: CoachingRelationship) {
    val s = LocalStrings.current
    val scope = rememberCoroutineScope()
    val errors = remember { FormErrors() }
    val me = remember(state.store) { state.store.identity().personId }
    val practitioner = coaching.practitioner == me
    Heading(s[S.sessions_condition])
    Detail(s[S.sessions_condition_intro])
    FormProblem(errors)
    ChoiceChips(CoachingCondition.entries, coaching.condition, { s.condition(it) }, { chosen ->
        scope.launch {
            errors.show(state.edit { coaching().use { it.setCondition(docId, chosen, state.todayDate().toString(), null) } }, emptySet())
        }
    }, tag = "condition")
    Heading(s[S.sessions_title])
    Detail(s[if (practitioner) S.sessions_intro_practitioner else S.sessions_intro_coach])
    if (coaching.sessions.isEmpty()) EmptyNote(s[S.sessions_empty])
    coaching.sessions.sortedByDescending { it.date }.forEach { SessionCard(state, docId, it, coaching, me) }
    if (practitioner) {
        SecondButton(s[S.session_add], onClick = { state.open(Screen.AddSession(docId)) }, modifier = Modifier.testTag("add-session"))
    }
    CaseReviews(state, docId, coaching, practitioner)
}

/**
 * The cases the practitioner brought to skills coaching, each by its client's code (the core's
 * `client_code`: never a name), newest first; the practitioner brings and removes them, the
 * coach reads them.
 */
@Composable
private fun CaseReviews(state: AppState, docId: String, coaching: CoachingRelationship, practitioner: Boolean) {
    val s = LocalStrings.current
    Heading(s[S.case_reviews_title])
    Detail(s[if (practitioner) S.case_reviews_intro_practitioner else S.case_reviews_intro_coach])
    if (coaching.caseReviews.isEmpty()) EmptyNote(s[S.case_reviews_empty])
    coaching.caseReviews.sortedByDescending { it.date }.forEach { review ->
        ItemCard(Modifier.testTag("case:${review.clientCode}")) {
            Text(review.question, style = MaterialTheme.typography.titleMedium)
            Detail(s.format(S.case_review_on, s.longDate(coreDate(review.date)), review.clientCode))
            review.notes?.let { Text(it, style = MaterialTheme.typography.bodyLarge) }
            if (practitioner) {
                ItemActions(state, review.question, onChange = null) { coaching().use { it.removeCaseReview(docId, review.id) } }
            }
        }
    }
    if (practitioner) {
        SecondButton(s[S.case_review_add], onClick = { state.open(Screen.AddCaseReview(docId)) }, modifier = Modifier.testTag("add-case-review"))
    }
}

/** Brings a case: which client (by name here; the coach sees only its code), the question, notes. */
@Composable
fun CaseReviewForm(state: AppState, docId: String) {
    val s = LocalStrings.current
    val errors = remember { FormErrors() }
    val clients = state.people.filter { it.role == Role.CLIENT }
    var client by remember { mutableStateOf(clients.firstOrNull()) }
    var question by remember { mutableStateOf("") }
    var notes by remember { mutableStateOf("") }
    Form(state, errors, setOf("date", "client_code", "question", "notes"), intro = s[S.case_review_intro], save = {
        val chosen = client ?: run {
            errors.local("client_code", s[S.case_review_no_clients])
            return@Form null
        }
        val date = state.todayDate().toString()
        val (asked, written) = question to notes.ifBlank { null };
        {
            coaching().use {
                it.addCaseReview(docId, CaseReviewInput(date, it.clientCode(chosen.personId), asked, written))
            }
        }
    }) {
        Text(s[S.case_review_client], style = MaterialTheme.typography.titleMedium)
        if (clients.isEmpty()) {
            EmptyNote(s[S.case_review_no_clients])
        } else {
            ChoiceChips(clients, client ?: clients.first(), { it.name ?: s[S.people_unnamed] }, { client = it }, tag = "client")
        }
        FieldError("client_code", errors)
        TextInput(s[S.case_review_question], question, { question = it }, "question", errors, singleLine = false)
        TextInput(s[S.case_review_notes], notes, { notes = it }, "notes", errors, hint = s[S.optional], singleLine = false)
    }
}

@Composable
private fun SessionCard(state: AppState, docId: String, session: CoachingSession, coaching: CoachingRelationship, me: String) {
    val s = LocalStrings.current
    ItemCard(Modifier.testTag("session:${session.date}")) {
        Text(s.format(S.session_on, s.longDate(coreDate(session.date))), style = MaterialTheme.typography.titleMedium)
        Text(session.agenda, style = MaterialTheme.typography.bodyLarge)
        session.comments.forEach { comment ->
            val who = when (comment.by) {
                me -> s[S.session_you]
                else -> state.people.firstOrNull { it.personId == comment.by }?.name
                    ?: s[if (comment.by == coaching.coach) S.people_role_coach else S.people_role_practitioner]
            }
            Detail(s.format(S.session_comment_by, who, comment.text))
        }
        QuietButton(s[S.session_comment_add], onClick = { state.open(Screen.CommentOnSession(docId, session.id)) }, modifier = Modifier.testTag("comment:${session.date}"))
    }
}

/** The sessions of the coaching relationship [docId], on a screen of their own: the coach's way in. */
@Composable
fun SessionsScreen(state: AppState, docId: String) {
    val s = LocalStrings.current
    val coaching by produceState<CoachingRelationship?>(null, state.revision) {
        value = state.read { coaching().use { it.relationship(docId) } }
    }
    Column(
        verticalArrangement = Arrangement.spacedBy(12.dp),
        modifier = Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp).testTag("sessions"),
    ) {
        val loaded = coaching
        if (loaded == null) {
            EmptyNote(s[S.loading])
        } else {
            val practitioner = state.people.firstOrNull { it.personId == loaded.practitioner }?.name ?: s[S.people_unnamed]
            Text(s.format(S.sessions_with, practitioner), style = MaterialTheme.typography.titleLarge)
            SessionsSection(state, docId, loaded)
        }
    }
}

/** Plans a session: when (today, tomorrow, in one or two weeks) and the agenda. */
@Composable
fun SessionForm(state: AppState, docId: String) {
    val s = LocalStrings.current
    val errors = remember { FormErrors() }
    val days = listOf(0L to S.session_today, 1L to S.session_tomorrow, 7L to S.session_in_week, 14L to S.session_in_two_weeks)
    var inDays by remember { mutableStateOf(7L) }
    var agenda by remember { mutableStateOf("") }
    Form(state, errors, setOf("date", "agenda"), intro = s[S.session_add_intro], save = {
        val date = state.todayDate().plusDays(inDays).toString()
        val text = agenda;
        { coaching().use { it.addSession(docId, date, text) } }
    }) {
        Text(s[S.session_when], style = MaterialTheme.typography.titleMedium)
        ChoiceChips(days, days.first { it.first == inDays }, { s[it.second] }, { inDays = it.first }, tag = "when")
        FieldError("date", errors)
        TextInput(s[S.session_agenda], agenda, { agenda = it }, "agenda", errors, singleLine = false)
    }
}

/** A comment on a session, which both people of the relationship see. */
@Composable
fun SessionCommentForm(state: AppState, docId: String, sessionId: String) {
    val s = LocalStrings.current
    val errors = remember { FormErrors() }
    var text by remember { mutableStateOf("") }
    Form(state, errors, setOf("text"), intro = s[S.session_comment_intro], save = {
        val comment = text;
        { coaching().use { it.commentOnSession(docId, sessionId, comment) } }
    }) {
        TextInput(s[S.session_comment_text], text, { text = it }, "text", errors, singleLine = false)
    }
}
