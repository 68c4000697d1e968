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
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.unit.dp
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import uniffi.tandem_ffi.Device
import uniffi.tandem_ffi.ExportProgressObserver
import uniffi.tandem_ffi.TandemException
import uniffi.tandem_ffi.measureWording
import org.tandem.sentence

/**
 * A section whose content the server gives: its [heading] and [intro], then what [load]
 * answered (null until it has), or the [unavailable] sentence with the refusal's. Loads again
 * when [key] changes.
 */
@Composable
private fun <T> fromServer(state: AppState, heading: S, intro: S, unavailable: S, key: Any?, load: suspend () -> T): T? {
    val s = LocalStrings.current
    var value by remember { mutableStateOf<T?>(null) }
    var problem by remember { mutableStateOf<String?>(null) }
    LaunchedEffect(key) {
        // Counted as work, so that the store is not swapped while it asks (AppState.replacing).
        state.work.begin()
        try {
            value = load()
            problem = null
        } catch (e: TandemException) {
            problem = s.format(unavailable, e.sentence)
        } finally {
            state.work.end()
        }
    }
    Heading(s[heading])
    Detail(s[intro])
    problem?.let { Text(it, color = MaterialTheme.colorScheme.error, style = MaterialTheme.typography.bodyLarge) }
    return value
}

/**
 * Your devices: each with its name, when it was added and last seen; another one (a lost
 * phone) removed after the person reads what that does. The list comes from the server.
 */
@Composable
private fun YourDevices(state: AppState) {
    val s = LocalStrings.current
    val scope = rememberCoroutineScope()
    var asking by remember { mutableStateOf<Device?>(null) }
    var reload by remember { mutableStateOf(0) }
    var problem by remember { mutableStateOf<String?>(null) }
    val devices = fromServer(state, S.settings_devices, S.settings_devices_intro, S.settings_devices_unavailable, state.store to reload) {
        state.store.devices()
    }
    problem?.let { Text(it, color = MaterialTheme.colorScheme.error, style = MaterialTheme.typography.bodyLarge) }
    val now = java.time.Instant.now()
    // This device first, then the others as the server lists them (oldest first).
    for (device in devices.orEmpty().sortedByDescending { it.thisDevice }) {
        val name = device.name ?: s[S.settings_device_no_name]
        Text(
            when {
                device.thisDevice && device.name == null -> s[S.settings_device_this_unnamed]
                device.thisDevice -> s.format(S.settings_device_this, name)
                else -> name
            },
            style = MaterialTheme.typography.titleMedium,
            modifier = Modifier.testTag("device:${device.name ?: device.deviceId}"),
        )
        val added = whenText(device.addedAt, state.zone, now, s)
        Detail(
            device.lastSeenAt?.let { s.format(S.settings_device_seen, added, whenText(it, state.zone, now, s)) }
                ?: s.format(S.settings_device_added, added),
        )
        if (device.thisDevice) continue
        if (asking == device) {
            Text(s.format(S.settings_device_remove_what, name), style = MaterialTheme.typography.bodyLarge)
            MainButton(s[S.settings_device_remove_yes], onClick = {
                scope.launch {
                    try {
                        state.store.removeDevice(device.deviceId)
                        asking = null
                        reload++
                    } catch (e: TandemException) {
                        problem = e.sentence
                    }
                }
            }, modifier = Modifier.testTag("remove-device-yes"))
            QuietButton(s[S.settings_device_remove_no], onClick = { asking = null })
        } else {
            QuietButton(s.format(S.settings_device_remove, name), onClick = { asking = device }, modifier = Modifier.testTag("remove-device:$name"))
        }
    }
}

/** Who looked: when each linked person's device last synced this person's journey. */
@Composable
private fun WhoLooked(state: AppState) {
    val s = LocalStrings.current
    val looked = fromServer(state, S.settings_looked, S.settings_looked_intro, S.settings_looked_unavailable, state.store to state.revision) {
        state.store.accessLog()
    }
    val entries = looked ?: return
    if (entries.isEmpty()) {
        Text(s[S.settings_looked_nobody], style = MaterialTheme.typography.bodyLarge, modifier = Modifier.testTag("looked-nobody"))
    }
    val now = java.time.Instant.now()
    for (entry in entries) {
        val who = state.people.firstOrNull { it.personId == entry.personId }
        val name = who?.name ?: who?.let { s.role(it.role) } ?: s[S.settings_looked_former]
        Text(
            s.format(S.settings_looked_entry, name, whenText(entry.lastAt, state.zone, now, s)),
            style = MaterialTheme.typography.bodyLarge,
            modifier = Modifier.testTag("looked:${entry.personId}"),
        )
    }
}

/** Where an export stands: not asked, reading (done of total steps), saved, or failed. */
private sealed interface Export {
    data object Idle : Export
    data class Running(val done: Int, val total: Int) : Export
    data class Saved(val folder: String) : Export
    data class Failed(val why: String) : Export
}

/**
 * Your data: a copy of everything that is the person's own (the core's `exportMine`: a report
 * to read, JSON, CSV), saved into the host's folder, with progress while it reads.
 */
@Composable
private fun YourData(state: AppState) {
    val s = LocalStrings.current
    val scope = rememberCoroutineScope()
    var export by remember { mutableStateOf<Export>(Export.Idle) }
    Heading(s[S.settings_your_data])
    Detail(s[S.settings_export_intro])
    val folder = state.exportFolder
    if (folder == null) {
        Detail(s[S.settings_export_unavailable])
        return
    }
    SecondButton(s[S.settings_export], onClick = {
        if (export is Export.Running) return@SecondButton
        export = Export.Running(0, 0)
        scope.launch {
            export = try {
                val progress = object : ExportProgressObserver {
                    override fun onProgress(done: UInt, total: UInt) {
                        export = Export.Running(done.toInt(), total.toInt())
                    }
                }
                // The folder's own name: a whole path does not fit a phone's line at large text.
                Export.Saved(state.store.exportMine(folder, progress).folder.trimEnd('/', '\\').substringAfterLast('/').substringAfterLast('\\'))
            } catch (e: TandemException) {
                Export.Failed(e.sentence)
            }
        }
    }, modifier = Modifier.testTag("export"))
    when (val now = export) {
        Export.Idle -> Unit
        is Export.Running -> Text(
            if (now.total == 0) s[S.settings_export_starting] else s.format(S.settings_export_progress, now.done, now.total),
            style = MaterialTheme.typography.bodyLarge,
            modifier = Modifier.testTag("export-progress"),
        )
        is Export.Saved -> Text(s.format(S.settings_export_done, now.folder), style = MaterialTheme.typography.bodyLarge, modifier = Modifier.testTag("export-done"))
        is Export.Failed -> Text(s.format(S.settings_export_failed, now.why), color = MaterialTheme.colorScheme.error, style = MaterialTheme.typography.bodyLarge, modifier = Modifier.testTag("export-failed"))
    }
}

/** What leaving takes: erasing the account (with a server), erasing this device; each asked once more. */
@Composable
private fun Leaving(state: AppState) {
    val s = LocalStrings.current
    val scope = rememberCoroutineScope()
    val errors = remember { FormErrors() }
    var asking by remember { mutableStateOf<S?>(null) }
    Heading(s[S.settings_erase])
    if (state.storePath == null) {
        Detail(s[S.settings_erase_unavailable])
        return
    }
    val joined = state.server != null
    fun erase(what: suspend () -> Result<Unit>) {
        scope.launch {
            what().onSuccess { asking = null }
                .onFailure { e -> errors.show(Edit.Failed((e as? CodeProblem)?.words ?: e.toString()), emptySet()) }
        }
    }
    when (asking) {
        S.settings_erase_account -> {
            Text(s[S.settings_erase_account_sure], style = MaterialTheme.typography.bodyLarge)
            FormProblem(errors)
            MainButton(s[S.settings_erase_account_yes], onClick = { erase { state.eraseAccount(s) } }, modifier = Modifier.testTag("erase-account-yes"))
            QuietButton(s[S.settings_erase_keep], onClick = { asking = null })
        }
        S.settings_erase_device -> {
            Text(s[S.settings_erase_device_sure], style = MaterialTheme.typography.bodyLarge)
            FormProblem(errors)
            MainButton(s[S.settings_erase_device_yes], onClick = { erase { state.eraseThisDevice(s) } }, modifier = Modifier.testTag("erase-device-yes"))
            QuietButton(s[S.settings_erase_keep], onClick = { asking = null })
        }
        else -> {
            if (joined) {
                Detail(s[S.settings_erase_account_intro])
                SecondButton(s[S.settings_erase_account], onClick = { asking = S.settings_erase_account }, modifier = Modifier.testTag("erase-account"))
            }
            Detail(s[if (joined) S.settings_erase_device_intro else S.settings_erase_device_intro_alone])
            QuietButton(s[S.settings_erase_device], onClick = { asking = S.settings_erase_device }, modifier = Modifier.testTag("erase-device"))
        }
    }
}

/**
 * Settings: the account (on my own, or the server and my role), my name, the time zone plans
 * are scheduled in, privacy on this phone (the app lock where the host can lock, what
 * reminders say on the lock screen), the consent records (on People), and about.
 */
@Composable
fun SettingsScreen(state: AppState) {
    val s = LocalStrings.current
    val scope = rememberCoroutineScope()
    val errors = remember { FormErrors() }
    var zone by remember { mutableStateOf(state.journey?.timeZone.orEmpty()) }
    var lock by remember { mutableStateOf(false) }
    var details by remember { mutableStateOf(false) }
    LaunchedEffect(state) {
        withContext(state.io) {
            lock = state.settings.appLock()
            details = state.settings.reminderDetails()
        }
    }
    Column(
        verticalArrangement = Arrangement.spacedBy(12.dp),
        modifier = Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp).testTag("settings"),
    ) {
        Heading(s[S.settings_account])
        val server = state.server
        Text(
            if (server == null) s[S.people_alone] else s.format(S.settings_joined, server.url, s.role(server.role)),
            style = MaterialTheme.typography.bodyLarge,
        )
        val name = state.myName
        Text(if (name != null) s.format(S.people_you_are, name) else s[S.people_no_name], style = MaterialTheme.typography.bodyLarge)
        QuietButton(if (name != null) s[S.people_change_name] else s[S.people_choose_name], onClick = { state.open(Screen.ChangeName) })

        Heading(s[S.settings_time_zone])
        Detail(s[S.settings_time_zone_intro])
        TextInput(s[S.settings_time_zone], zone, { zone = it }, "time_zone", errors, hint = s[S.settings_time_zone_hint])
        SecondButton(s[S.settings_time_zone_save], onClick = {
            scope.launch { errors.show(state.edit { setTimeZone(zone.trim()) }, setOf("time_zone")) }
        }, modifier = Modifier.testTag("save-time-zone"))

        Heading(s[S.settings_privacy])
        if (state.canLock) {
            SwitchRow(s[S.settings_app_lock], lock) { on ->
                lock = on
                scope.launch { withContext(state.io) { state.settings.setAppLock(on) } }
            }
        }
        SwitchRow(s[S.settings_reminder_details], details) { show ->
            details = show
            scope.launch { withContext(state.io) { state.settings.setReminderDetails(show) } }
        }
        Detail(s[if (details) S.settings_reminder_details_on else S.settings_reminder_details_off])
        Text(
            s[if (state.store.isEncrypted()) S.settings_encrypted_on else S.settings_encrypted_off],
            style = MaterialTheme.typography.bodyLarge,
            modifier = Modifier.testTag("encryption"),
        )

        if (state.server != null) {
            YourDevices(state)
            WhoLooked(state)
        }

        YourData(state)
        Leaving(state)

        Heading(s[S.settings_about])
        Text(s[S.settings_about_text], style = MaterialTheme.typography.bodyLarge)
        Detail(measureWording().who5Credit)
        Detail(s[S.settings_credits])
    }
}
