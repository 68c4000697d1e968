package org.tandem.desktop

import java.nio.file.Files
import java.nio.file.Path
import java.util.Properties
import org.tandem.app.AppSettings

/**
 * The desktop's app settings: a small properties file beside the store (`<store>.app`), so
 * each store (a demo's client, practitioner, coach) remembers its own first run.
 */
class FileSettings(private val file: Path) : AppSettings {
    private val properties = Properties().apply {
        if (Files.exists(file)) Files.newInputStream(file).use { load(it) }
    }

    override fun safetyNoticeSeen(): Boolean = properties.getProperty(SAFETY_SEEN) == "true"

    override fun setSafetyNoticeSeen() = set(SAFETY_SEEN)

    override fun welcomeSeen(): Boolean = properties.getProperty(WELCOME_SEEN) == "true"

    override fun setWelcomeSeen() = set(WELCOME_SEEN)

    /** The desktop cannot lock the app (it says so by not offering it): kept, not acted on. */
    override fun appLock(): Boolean = properties.getProperty(APP_LOCK) == "true"

    override fun setAppLock(on: Boolean) = set(APP_LOCK, on)

    override fun reminderDetails(): Boolean = properties.getProperty(REMINDER_DETAILS) == "true"

    override fun setReminderDetails(show: Boolean) = set(REMINDER_DETAILS, show)

    private fun set(key: String, value: Boolean = true) {
        properties.setProperty(key, value.toString())
        Files.newOutputStream(file).use { properties.store(it, "Tandem desktop: settings of this store's app") }
    }

    companion object {
        private const val SAFETY_SEEN = "safety.notice.seen"
        private const val WELCOME_SEEN = "welcome.seen"
        private const val APP_LOCK = "app.lock"
        private const val REMINDER_DETAILS = "reminders.details"

        fun beside(store: Path): FileSettings = FileSettings(store.resolveSibling("${store.fileName}.app"))
    }
}
