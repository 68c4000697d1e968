package org.tandem.app

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.heading
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import org.tandem.sentence
import uniffi.tandem_ffi.TandemException
import uniffi.tandem_ffi.TandemStore

/**
 * The passphrase of a store encrypted with one, asked before anything of it opens (a host
 * whose platform keeps the key, Android's Keystore or iOS's Keychain, never shows this). A
 * wrong passphrase is the core's sentence beside the field, and opens nothing; the right one
 * hands the open store, and how it opens again, to [onOpened]. Deriving the key takes a moment (Argon2id): the button
 * says so meanwhile.
 */
@Composable
fun UnlockScreen(
    path: String,
    strings: Strings,
    dark: Boolean,
    io: CoroutineDispatcher = Dispatchers.IO,
    onOpened: (TandemStore, StoreKeys) -> Unit,
) {
    CompositionLocalProvider(LocalStrings provides strings) {
        TandemTheme(dark) {
            Surface(Modifier.fillMaxSize(), color = MaterialTheme.colorScheme.background) {
                Unlock(path, io, onOpened)
            }
        }
    }
}

@Composable
private fun Unlock(path: String, io: CoroutineDispatcher, onOpened: (TandemStore, StoreKeys) -> Unit) {
    val s = LocalStrings.current
    val scope = rememberCoroutineScope()
    val errors = remember { FormErrors() }
    var words by remember { mutableStateOf("") }
    var opening by remember { mutableStateOf(false) }
    Column(
        verticalArrangement = Arrangement.spacedBy(16.dp),
        modifier = Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(24.dp).testTag("unlock"),
    ) {
        Text(s[S.unlock_title], style = MaterialTheme.typography.headlineMedium, modifier = Modifier.semantics { heading() })
        Text(s[S.unlock_intro], style = MaterialTheme.typography.bodyLarge)
        TextInput(s[S.unlock_field], words, { words = it }, "passphrase", errors, secret = true)
        MainButton(
            if (opening) s[S.unlock_opening] else s[S.unlock_open],
            enabled = !opening,
            onClick = {
                if (words.isEmpty()) {
                    errors.local("passphrase", s[S.unlock_empty])
                    return@MainButton
                }
                opening = true
                scope.launch {
                    val keys = PassphraseKeys(words)
                    val opened = withContext(io) {
                        try {
                            Result.success(keys.open(path))
                        } catch (e: TandemException) {
                            Result.failure(CodeProblem(e.sentence.replaceFirstChar { it.uppercase() }, "passphrase"))
                        }
                    }
                    opening = false
                    opened.onSuccess { errors.clear(); onOpened(it, keys) }
                        .onFailure { e -> errors.local("passphrase", (e as CodeProblem).words) }
                }
            },
            modifier = Modifier.testTag("unlock-open"),
        )
    }
}
