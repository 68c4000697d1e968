package org.tandem.app

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.text.selection.SelectionContainer
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Card
import androidx.compose.material3.CardDefaults
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
import androidx.compose.ui.semantics.heading
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.font.FontFamily
import androidx.compose.ui.unit.dp
import java.time.LocalDate
import kotlinx.coroutines.launch
import uniffi.tandem_ffi.CodeKind
import uniffi.tandem_ffi.ConsentText
import uniffi.tandem_ffi.HandoverOffer

/**
 * The welcome, on first run after the safety notice, while the store has no server: use
 * Tandem on my own (nothing leaves the device), or enter a code.
 */
@Composable
fun WelcomeScreen(state: AppState, settings: AppSettings) {
    val s = LocalStrings.current
    Column(
        verticalArrangement = Arrangement.spacedBy(16.dp),
        modifier = Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(20.dp).testTag("welcome"),
    ) {
        Text(s[S.welcome_title], style = MaterialTheme.typography.headlineMedium, modifier = Modifier.semantics { heading() })
        Text(s[S.welcome_intro], style = MaterialTheme.typography.bodyLarge)
        ItemCard(onClick = { state.closeWelcome(settings, withCode = false) }, modifier = Modifier.testTag("welcome-alone")) {
            Text(s[S.welcome_alone], style = MaterialTheme.typography.titleMedium)
            Detail(s[S.welcome_alone_detail])
        }
        ItemCard(onClick = { state.closeWelcome(settings, withCode = true) }, modifier = Modifier.testTag("welcome-code")) {
            Text(s[S.welcome_code], style = MaterialTheme.typography.titleMedium)
            Detail(s[S.welcome_code_detail])
        }
        QuietButton(s[S.get_help], onClick = { state.safetyOpen = true })
    }
}

/** The server's address and the code; checking it asks the server what it does, using nothing. */
@Composable
fun EnterCodeScreen(state: AppState) {
    val s = LocalStrings.current
    val scope = rememberCoroutineScope()
    val errors = remember { FormErrors() }
    var server by remember { mutableStateOf(state.server?.url ?: state.defaultServer) }
    var code by remember { mutableStateOf("") }
    var checking by remember { mutableStateOf(false) }
    // "I lost my phone": the code is the person's recovery code.
    var recovering by remember { mutableStateOf(false) }
    Column(
        verticalArrangement = Arrangement.spacedBy(14.dp),
        modifier = Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp),
    ) {
        Detail(s[if (recovering) S.code_recover_intro else S.code_intro])
        TextInput(s[S.code_server], server, { server = it }, "server", errors, hint = s[S.code_server_hint])
        TextInput(s[if (recovering) S.code_recovery_field else S.code_field], code, { code = it }, "code", errors, hint = s[S.code_field_hint])
        if (recovering) {
            MainButton(
                if (checking) s[S.code_checking] else s[S.code_recover],
                enabled = !checking,
                onClick = {
                    checking = true
                    scope.launch {
                        state.recover(server, code, s)
                            .onSuccess { errors.clear(); state.openTab(Screen.Today) }
                            .onFailure { e ->
                                val problem = e as? CodeProblem ?: CodeProblem(e.toString())
                                errors.local(problem.field, problem.words)
                            }
                        checking = false
                    }
                },
                modifier = Modifier.testTag("code-recover"),
            )
            QuietButton(s[S.cancel], onClick = { recovering = false; errors.clear() })
            return@Column
        }
        MainButton(
            if (checking) s[S.code_checking] else s[S.code_check],
            enabled = !checking,
            onClick = {
                checking = true
                scope.launch {
                    state.aboutCode(server, code, s)
                        .onSuccess { about ->
                            errors.clear()
                            state.open(Screen.UseCode(server.trim(), code, about))
                        }
                        .onFailure { e ->
                            val problem = e as? CodeProblem ?: CodeProblem(e.toString())
                            errors.local(problem.field, problem.words)
                        }
                    checking = false
                }
            },
            modifier = Modifier.testTag("code-check"),
        )
        QuietButton(s[S.cancel], onClick = { state.back() })
        if (state.storePath != null && state.server == null) {
            QuietButton(s[S.code_lost_phone], onClick = { recovering = true; errors.clear() }, modifier = Modifier.testTag("code-lost-phone"))
        }
    }
}

/** The recovery code the server just gave, shown once, until the person says they kept it. */
@Composable
fun RecoveryCodeScreen(state: AppState, code: String) {
    val s = LocalStrings.current
    Column(
        verticalArrangement = Arrangement.spacedBy(16.dp),
        modifier = Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp).testTag("recovery-code-screen"),
    ) {
        Text(s[S.recovery_title], style = MaterialTheme.typography.headlineMedium, modifier = Modifier.semantics { heading() })
        Text(s[S.recovery_intro], style = MaterialTheme.typography.bodyLarge)
        SelectionContainer {
            Text(
                code,
                style = MaterialTheme.typography.headlineMedium.copy(fontFamily = FontFamily.Monospace),
                // Read out letter by letter by a screen reader.
                modifier = Modifier.testTag("recovery-code").semantics { contentDescription = code.toList().joinToString(" ") },
            )
        }
        MainButton(s[S.recovery_kept], onClick = { state.recoveryCodeKept() }, modifier = Modifier.testTag("recovery-kept"))
    }
}

/**
 * What a code does and who it is from, the consent text in full, the name the person gives,
 * and their agreement. Nothing is shared before they agree.
 */
@Composable
fun UseCodeScreen(state: AppState, screen: Screen.UseCode) {
    val s = LocalStrings.current
    val scope = rememberCoroutineScope()
    val errors = remember { FormErrors() }
    val about = screen.about
    var name by remember { mutableStateOf(state.myName.orEmpty()) }
    var joining by remember { mutableStateOf(false) }
    val who = about.issuerName
    val headline = when (about.kind) {
        CodeKind.CLIENT -> if (who != null) s.format(S.use_code_from_client, who) else s[S.use_code_from_client_unnamed]
        CodeKind.PRACTITIONER -> if (who != null) s.format(S.use_code_from_coach, who) else s[S.use_code_from_coach_unnamed]
        CodeKind.ENROL_PRACTITIONER -> s[S.use_code_enrol_practitioner]
        CodeKind.ENROL_COACH -> s[S.use_code_enrol_coach]
        CodeKind.DEVICE -> s[S.use_code_device]
    }
    Column(
        verticalArrangement = Arrangement.spacedBy(14.dp),
        modifier = Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp).testTag("use-code"),
    ) {
        Text(headline, style = MaterialTheme.typography.titleMedium, modifier = Modifier.testTag("use-code-headline"))
        Detail(s.format(S.use_code_expires, s.longDate(LocalDate.ofInstant(about.expiresAt, state.zone))))
        FormProblem(errors)
        val consent = about.consent
        if (consent != null) ConsentCard(consent)
        if (about.kind == CodeKind.DEVICE && state.storePath == null) {
            Text(s[S.code_device_here], style = MaterialTheme.typography.bodyLarge)
            QuietButton(s[S.not_now], onClick = { state.back() })
            return@Column
        }
        if (about.kind == CodeKind.DEVICE) {
            Text(s[S.use_code_device_what], style = MaterialTheme.typography.bodyLarge)
            MainButton(
                s[S.use_code_device_join],
                enabled = !joining,
                onClick = {
                    joining = true
                    scope.launch {
                        state.joinDevice(screen.server, screen.code, s)
                            .onSuccess { state.openTab(Screen.Today) }
                            .onFailure { e -> errors.show(Edit.Failed((e as? CodeProblem)?.words ?: e.toString()), emptySet()) }
                        joining = false
                    }
                },
                modifier = Modifier.testTag("use-code-agree"),
            )
            QuietButton(s[S.not_now], onClick = { state.back() })
            return@Column
        }
        TextInput(s[S.use_code_name], name, { name = it }, "name", errors, hint = s[S.use_code_name_hint])
        if (consent != null) Detail(s[S.use_code_nothing_yet])
        val enrol = about.kind == CodeKind.ENROL_PRACTITIONER || about.kind == CodeKind.ENROL_COACH
        MainButton(
            if (enrol) s[S.use_code_enrol] else s[S.use_code_agree],
            enabled = !joining,
            onClick = {
                joining = true
                scope.launch {
                    state.useCode(screen.server, screen.code, about, name, s)
                        .onSuccess { state.openTab(Screen.People) }
                        .onFailure { e -> errors.show(Edit.Failed((e as? CodeProblem)?.words ?: e.toString()), emptySet()) }
                    joining = false
                }
            },
            modifier = Modifier.testTag("use-code-agree"),
        )
        QuietButton(s[S.not_now], onClick = { state.back() })
    }
}

/** A consent text in full, with its version: what a person reads before they agree. */
@Composable
fun ConsentCard(consent: ConsentText) {
    val s = LocalStrings.current
    Card(
        colors = CardDefaults.cardColors(containerColor = MaterialTheme.colorScheme.surfaceContainerLow),
        modifier = Modifier.fillMaxWidth().testTag("consent-text"),
    ) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(10.dp)) {
            Heading(consent.title)
            consent.text.split("\n\n").forEach { paragraph ->
                Text(paragraph, style = MaterialTheme.typography.bodyLarge)
            }
            Detail(s.format(S.use_code_version, consent.version))
        }
    }
}

/**
 * A practitioner the service offers a client whose practitioner left: who, the consent text in
 * full, and the client's answer. Nothing is shared before they agree.
 */
@Composable
fun HandoverScreen(state: AppState, offer: HandoverOffer) {
    val s = LocalStrings.current
    val scope = rememberCoroutineScope()
    val errors = remember { FormErrors() }
    var answering by remember { mutableStateOf(false) }
    fun answer(agree: Boolean) {
        answering = true
        scope.launch {
            state.answerHandover(offer, agree, s)
                .onSuccess { state.openTab(Screen.People) }
                .onFailure { e -> errors.show(Edit.Failed((e as? CodeProblem)?.words ?: e.toString()), emptySet()) }
            answering = false
        }
    }
    Column(
        verticalArrangement = Arrangement.spacedBy(14.dp),
        modifier = Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp).testTag("handover"),
    ) {
        Text(s[S.handover_left], style = MaterialTheme.typography.titleMedium)
        Text(handoverOffered(offer, s), style = MaterialTheme.typography.bodyLarge, modifier = Modifier.testTag("handover-who"))
        FormProblem(errors)
        ConsentCard(offer.consent)
        Detail(s[S.handover_nothing_yet])
        MainButton(s[S.handover_agree], enabled = !answering, onClick = { answer(true) }, modifier = Modifier.testTag("handover-agree"))
        SecondButton(s[S.handover_decline], enabled = !answering, onClick = { answer(false) }, modifier = Modifier.testTag("handover-decline"))
        QuietButton(s[S.not_now], onClick = { state.back() })
    }
}

/** "The service offers you <name> instead." */
fun handoverOffered(offer: HandoverOffer, s: Strings): String =
    offer.toName?.let { s.format(S.handover_offered, it) } ?: s[S.handover_offered_unnamed]
