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

    private fun set(key: String) {
        properties.setProperty(key, "true")
        Files.newOutputStream(file).use { properties.store(it, "Tandem desktop: settings of this store's app") }
    }

    companion object {
        private const val SAFETY_SEEN = "safety.notice.seen"
        private const val WELCOME_SEEN = "welcome.seen"

        fun beside(store: Path): FileSettings = FileSettings(store.resolveSibling("${store.fileName}.app"))
    }
}
