package org.tandem.android

import android.Manifest
import android.annotation.SuppressLint
import android.content.ActivityNotFoundException
import android.content.Context
import android.content.Intent
import android.content.pm.PackageManager
import android.net.Uri
import android.os.Build
import android.os.Bundle
import android.telephony.TelephonyManager
import androidx.activity.compose.BackHandler
import androidx.activity.compose.setContent
import androidx.activity.enableEdgeToEdge
import androidx.activity.result.contract.ActivityResultContracts
import androidx.biometric.BiometricManager
import androidx.biometric.BiometricManager.Authenticators.BIOMETRIC_WEAK
import androidx.biometric.BiometricManager.Authenticators.DEVICE_CREDENTIAL
import androidx.biometric.BiometricPrompt
import androidx.compose.foundation.background
import androidx.compose.foundation.isSystemInDarkTheme
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.safeDrawingPadding
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import androidx.core.content.ContextCompat
import androidx.fragment.app.FragmentActivity
import androidx.lifecycle.lifecycleScope
import java.io.File
import java.util.Locale
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import kotlinx.coroutines.withContext
import org.tandem.app.AppState
import org.tandem.app.CrisisLine
import org.tandem.app.CrisisLines
import org.tandem.app.DarkColors
import org.tandem.app.LightColors
import org.tandem.app.LocalStrings
import org.tandem.app.S
import org.tandem.app.SafetyScreen
import org.tandem.app.Strings
import org.tandem.app.TandemApp
import org.tandem.app.TandemTheme
import org.tandem.changes
import org.tandem.openEncrypted
import org.tandem.sentence
import uniffi.tandem_ffi.TandemException
import org.tandem.app.StoreKeys
import org.tandem.app.VaultKeys
import uniffi.tandem_ffi.TandemStore

/** The app's one store (the core wants one per file, kept for the life of the process). */
object AppStore {
    private val lock = Mutex()
    @Volatile private var store: TandemStore? = null

    /**
     * Opens `<files>/tandem.db` the first time (off the main thread), encrypted at rest with a
     * key the Android Keystore wraps (made on first use; a plain store is encrypted in place),
     * then hands the same one.
     */
    suspend fun get(context: Context): TandemStore = store ?: lock.withLock {
        store ?: TandemStore.openEncrypted(file(context).toPath(), KeystoreVault(context), NAME).also { store = it }
    }

    /** How the store's file opens again (after joining as a device, or erasing): with the Keystore's key. */
    fun keys(context: Context): StoreKeys = VaultKeys(KeystoreVault(context), NAME)

    private const val NAME = "tandem.db"

    /** The store's file. */
    fun file(context: Context): File = File(context.applicationContext.filesDir, "tandem.db")

    /** The store that replaced the one handed out, once this phone joined with a device code. */
    fun replaced(new: TandemStore) {
        store = new
    }
}

/** The strings of `res/values/strings.xml` (and `values-xx/`), read from R.string by the names of [S]. */
@SuppressLint("DiscouragedApi") // by name on purpose: S and strings.xml are kept one for one
fun Context.tandemStrings(): Strings = Strings.fromTable(
    S.entries.associate { it.name to getString(resources.getIdentifier(it.name, "string", packageName)) },
    resources.configuration.locales[0] ?: Locale.getDefault(),
)

/**
 * The one screen: [TandemApp] over the store, in the system's light or dark theme, behind the
 * app lock when the person turned it on. Everything the app shows and decides is in the shared
 * screens and the core; this only connects them to Android.
 */
class MainActivity : FragmentActivity() {
    private val settings by lazy { PrefsSettings(applicationContext) }
    private val strings by lazy { tandemStrings() }
    private val network by lazy { Network(this) { online -> state?.setOnline(online) } }
    private var state by mutableStateOf<AppState?>(null)
    private var store by mutableStateOf<TandemStore?>(null)
    private var problem by mutableStateOf<String?>(null)
    private var crisisLines by mutableStateOf<CrisisLines?>(null)
    private var locked by mutableStateOf(true)
    private var lockOn = false
    private var authenticating = false
    /** Opened from a reminder: its plan and day, whose check-in the app opens. */
    private var reminded by mutableStateOf<Pair<String, String>?>(null)
    private val askNotifications = registerForActivityResult(ActivityResultContracts.RequestPermission()) {}
    private lateinit var prompt: BiometricPrompt

    override fun onCreate(savedInstanceState: Bundle?) {
        enableEdgeToEdge()
        super.onCreate(savedInstanceState)
        if (savedInstanceState == null) reminded = reminderOf(intent)
        // Made here, as BiometricPrompt asks (it must outlive a rotation); used only with the lock on.
        prompt = BiometricPrompt(
            this,
            ContextCompat.getMainExecutor(this),
            object : BiometricPrompt.AuthenticationCallback() {
                override fun onAuthenticationSucceeded(result: BiometricPrompt.AuthenticationResult) {
                    authenticating = false
                    locked = false
                }

                override fun onAuthenticationError(errorCode: Int, errString: CharSequence) {
                    authenticating = false // stays on the safety notice; closing it asks again
                }
            },
        )
        lifecycleScope.launch { load() }
        SyncWork.schedule(this)
        setContent {
            val dark = isSystemInDarkTheme()
            BackHandler(enabled = (state?.stack?.size ?: 0) > 1) { state?.back() }
            val colors = if (dark) DarkColors else LightColors
            Box(Modifier.fillMaxSize().background(colors.background).safeDrawingPadding()) {
                val open = store
                val lines = crisisLines
                val failed = problem
                when {
                    failed != null -> TandemTheme(dark) {
                        Text(failed, color = MaterialTheme.colorScheme.error, modifier = Modifier.padding(24.dp))
                    }
                    open == null || lines == null -> Unit // opening: a moment, on the background colour
                    // Locked: only the safety notice, crisis lines first (the app itself is not even
                    // composed, so nothing of it reaches the screen or a screen reader); closing asks.
                    locked -> CompositionLocalProvider(LocalStrings provides strings) {
                        TandemTheme(dark) { SafetyScreen(lines, onCall = ::dial, onClose = ::unlock) }
                    }
                    else -> TandemApp(
                        store = open,
                        strings = strings,
                        crisisLines = lines,
                        settings = settings,
                        dark = dark,
                        online = network.online,
                        canLock = true,
                        storePath = AppStore.file(this@MainActivity).path,
                        onStoreReplaced = AppStore::replaced,
                        // Joined as a device or erased, the store opens again with the Keystore's key.
                        keys = AppStore.keys(this@MainActivity),
                        // The app's own folder on shared storage (Android/data/…/files), which a
                        // file manager or a computer over USB can reach; not the store's folder.
                        exportFolder = getExternalFilesDir(null)?.resolve("Tandem export")?.path,
                        onCall = ::dial,
                        onState = { state = it },
                        openCheckIn = reminded,
                    )
                }
            }
        }
    }

    /** Opens the store and reads the settings off the main thread; then keeps reminders current. */
    private suspend fun load() {
        val opened = try {
            AppStore.get(applicationContext)
        } catch (e: TandemException) {
            problem = e.sentence // e.g. a store written by a newer Tandem
            return
        }
        lockOn = withContext(Dispatchers.IO) { settings.appLock() }
        crisisLines = withContext(Dispatchers.IO) { CrisisLines.default(region()) }
        // With the lock on, the list of recent apps shows no picture of Tandem either.
        if (lockOn && Build.VERSION.SDK_INT >= 33) setRecentsScreenshotEnabled(false)
        locked = lockOn
        store = opened
        if (locked) unlock()
        // Now, and after every edit here and every change a sync brings: the next week's reminders.
        suspend fun reschedule() {
            if (withContext(Dispatchers.IO) { Reminders.schedule(applicationContext, opened) } > 0) askForNotifications()
        }
        reschedule()
        opened.changes().collect { reschedule() }
    }

    override fun onNewIntent(intent: Intent) {
        super.onNewIntent(intent)
        setIntent(intent)
        reminderOf(intent)?.let { reminded = it }
    }

    /** The plan and day of the reminder that opened the app, if one did. */
    private fun reminderOf(intent: Intent): Pair<String, String>? {
        val plan = intent.getStringExtra(Reminders.EXTRA_PLAN) ?: return null
        val date = intent.getStringExtra(Reminders.EXTRA_DATE) ?: return null
        return plan to date
    }

    override fun onStart() {
        super.onStart()
        network.start()
        if (locked && store != null) unlock()
    }

    override fun onStop() {
        network.stop() // the sync service goes offline while no one is looking; SyncWork syncs
        if (lockOn && !authenticating) {
            locked = true
            state = null // the app leaves the composition; unlocking starts it afresh on Today
        }
        super.onStop()
    }

    /** Asks for the app lock: a biometric, or the device's PIN, pattern or password. */
    private fun unlock() {
        if (!locked || authenticating) return
        val allowed = BIOMETRIC_WEAK or DEVICE_CREDENTIAL
        // No way to unlock on this device (its screen lock was removed): do not lock the person out.
        if (BiometricManager.from(this).canAuthenticate(allowed) != BiometricManager.BIOMETRIC_SUCCESS) {
            locked = false
            return
        }
        authenticating = true
        prompt.authenticate(
            BiometricPrompt.PromptInfo.Builder().setTitle(strings[S.app_name]).setAllowedAuthenticators(allowed).build(),
        )
    }

    /** Once, when the person first has a plan that wants reminders (Android 13+ asks). */
    private fun askForNotifications() {
        if (Build.VERSION.SDK_INT < 33 || settings.notificationsAsked()) return
        if (ContextCompat.checkSelfPermission(this, Manifest.permission.POST_NOTIFICATIONS) == PackageManager.PERMISSION_GRANTED) return
        settings.setNotificationsAsked()
        askNotifications.launch(Manifest.permission.POST_NOTIFICATIONS)
    }

    /** The phone app with the crisis line's number in it: the person presses call. */
    private fun dial(line: CrisisLine) {
        try {
            startActivity(Intent(Intent.ACTION_DIAL, Uri.fromParts("tel", line.number, null)))
        } catch (_: ActivityNotFoundException) {
            // No phone app (a tablet): the number stays on screen to call from another phone.
        }
    }

    /** Whose crisis lines come first: the network's country, else the device's region. */
    private fun region(): String =
        getSystemService(TelephonyManager::class.java)?.networkCountryIso?.takeIf { it.isNotEmpty() }
            ?: Locale.getDefault().country
}
