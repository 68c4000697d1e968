package org.tandem.android

import android.content.Context
import org.tandem.app.AppSettings

/**
 * What the app remembers outside the store, in SharedPreferences: the first-run flags the
 * shared screens ask for ([AppSettings]), and the person's two privacy choices, the app lock and
 * whether a reminder on the lock screen may name the plan. Off the main thread, like the store.
 */
class PrefsSettings(context: Context) : AppSettings {
    private val prefs = context.applicationContext.getSharedPreferences("tandem", Context.MODE_PRIVATE)

    override fun safetyNoticeSeen(): Boolean = prefs.getBoolean(SAFETY_SEEN, false)
    override fun setSafetyNoticeSeen() = put(SAFETY_SEEN, true)
    override fun welcomeSeen(): Boolean = prefs.getBoolean(WELCOME_SEEN, false)
    override fun setWelcomeSeen() = put(WELCOME_SEEN, true)

    /** Whether opening Tandem asks for a biometric or the device's PIN first (default: no). */
    override fun appLock(): Boolean = prefs.getBoolean(APP_LOCK, false)
    override fun setAppLock(on: Boolean) = put(APP_LOCK, on)

    /** Whether a reminder shows the plan's name and time (default: no, neutral words only). */
    override fun reminderDetails(): Boolean = prefs.getBoolean(REMINDER_DETAILS, false)
    override fun setReminderDetails(show: Boolean) = put(REMINDER_DETAILS, show)

    /** Whether the app has asked once for permission to notify (Android 13+). */
    fun notificationsAsked(): Boolean = prefs.getBoolean(NOTIFICATIONS_ASKED, false)
    fun setNotificationsAsked() = put(NOTIFICATIONS_ASKED, true)

    /** How many reminder alarms are set (request codes 0 until this), so the next plan replaces them. */
    var remindersScheduled: Int
        get() = prefs.getInt(REMINDERS_SCHEDULED, 0)
        set(value) { prefs.edit().putInt(REMINDERS_SCHEDULED, value).apply() }

    private fun put(key: String, value: Boolean) {
        prefs.edit().putBoolean(key, value).apply()
    }

    private companion object {
        const val SAFETY_SEEN = "safety.notice.seen"
        const val WELCOME_SEEN = "welcome.seen"
        const val APP_LOCK = "app.lock"
        const val REMINDER_DETAILS = "reminders.details"
        const val NOTIFICATIONS_ASKED = "notifications.asked"
        const val REMINDERS_SCHEDULED = "reminders.scheduled"
    }
}
