package org.tandem.desktop

import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.unit.DpSize
import androidx.compose.ui.unit.dp
import androidx.compose.ui.window.Window
import androidx.compose.ui.window.application
import androidx.compose.ui.window.rememberWindowState
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import kotlin.system.exitProcess
import org.tandem.app.AppState
import org.tandem.app.CrisisLines
import org.tandem.app.S
import org.tandem.app.Strings
import org.tandem.app.TandemApp
import org.tandem.app.UnlockScreen
import org.tandem.app.PassphraseKeys
import org.tandem.app.PlainKeys
import org.tandem.app.StoreKeys
import org.tandem.app.VaultKeys
import uniffi.tandem_ffi.KeyVault
import uniffi.tandem_ffi.TandemStore
import uniffi.tandem_ffi.isStoreEncrypted

/** What the command line asked for. */
data class Options(val store: Path, val dark: Boolean, val crisisLines: Path?, val region: String?, val offline: Boolean = false)

const val USAGE = """usage: tandem-desktop STORE [--dark] [--offline] [--crisis-lines FILE] [--region CC]
  STORE               the store file to open (created if missing), e.g. a demo's client.db
  --dark              the dark theme
  --offline           do not sync, as a phone with no network (a store joined to a server)
  --crisis-lines FILE the crisis lines to list (the format of crisis-lines.tsv)
  --region CC         whose crisis lines come first (ISO country code; default: this computer's)"""

/** Reads the command line; null when it does not make sense (the caller prints [USAGE]). */
fun parseOptions(args: List<String>): Options? {
    var store: Path? = null
    var dark = false
    var crisisLines: Path? = null
    var region: String? = null
    var offline = false
    val rest = args.iterator()
    while (rest.hasNext()) {
        when (val arg = rest.next()) {
            "--dark" -> dark = true
            "--offline" -> offline = true
            "--crisis-lines" -> crisisLines = Paths.get(if (rest.hasNext()) rest.next() else return null)
            "--region" -> region = if (rest.hasNext()) rest.next() else return null
            else -> if (arg.startsWith("-") || store != null) return null else store = Paths.get(arg)
        }
    }
    return Options(store ?: return null, dark, crisisLines, region, offline)
}

/** An open store, and how the app opens its file again (after joining as a device, or erasing). */
data class Opened(val store: TandemStore, val keys: StoreKeys)

/**
 * The store at [path], opened as the command line opens it: with [passphrase] when one is
 * given (`TANDEM_PASSPHRASE`); with the key the desktop's keyring ([vault]) keeps for it, made
 * now for a new store; plain when it is plain. Null when it is encrypted with a passphrase not
 * given here: the window asks for it (UnlockScreen).
 */
fun openStore(path: Path, passphrase: String?, vault: KeyVault?): Opened? {
    val name = path.toAbsolutePath().toString()
    val keys = when {
        !passphrase.isNullOrEmpty() -> PassphraseKeys(passphrase)
        vault != null && (!Files.exists(path) || vault.load(name) != null) -> VaultKeys(vault, name)
        isStoreEncrypted(name) -> return null
        else -> PlainKeys()
    }
    return Opened(keys.open(name), keys)
}

/** Opens the app in a window on the store given as the first argument. */
fun main(args: Array<String>) {
    val options = parseOptions(args.toList()) ?: run {
        System.err.println(USAGE)
        exitProcess(2)
    }
    val strings = Strings.load()
    val region = options.region ?: java.util.Locale.getDefault().country
    val crisisLines = options.crisisLines?.let { file ->
        CrisisLines(file.toFile().inputStream().use(CrisisLines::parse), region.uppercase())
    } ?: CrisisLines.default(region)
    // Opening reads the journey from disk: before the window, off any UI thread.
    val path = options.store.toAbsolutePath()
    val opened: Opened? = openStore(path, System.getenv("TANDEM_PASSPHRASE"), SecretServiceVault.reach())
    val settings = FileSettings.beside(options.store.toAbsolutePath())

    application {
        val window = rememberWindowState(size = DpSize(440.dp, 900.dp))
        var state: AppState? = null
        var store by remember { mutableStateOf(opened) }
        Window(
            onCloseRequest = {
                state?.stopSync()
                (state?.store ?: store?.store)?.close()
                exitApplication()
            },
            title = strings[S.app_name],
            state = window,
        ) {
            val unlocked = store
            if (unlocked == null) {
                UnlockScreen(path.toString(), strings, options.dark) { it, keys -> store = Opened(it, keys) }
            } else TandemApp(
                store = unlocked.store,
                keys = unlocked.keys,
                strings = strings,
                crisisLines = crisisLines,
                settings = settings,
                dark = options.dark,
                // The computer is taken to be online unless told otherwise; the sync service
                // (the app runs it while the store has a server) retries and says so when it
                // cannot reach the server.
                online = !options.offline,
                storePath = options.store.toAbsolutePath().toString(),
                // Beside the store: build/demo/client.db saves into build/demo/client-export.
                exportFolder = path.resolveSibling(path.fileName.toString().removeSuffix(".db") + "-export").toString(),
                onCall = { line -> println("${line.name}: ${line.number}") },
                onState = { state = it },
            )
        }
    }
}
