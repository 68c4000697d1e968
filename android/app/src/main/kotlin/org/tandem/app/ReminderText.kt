package org.tandem.app

import uniffi.tandem_ffi.Reminder

/** What a reminder notification says: its title and its line. */
data class ReminderText(val title: String, val body: String)

/**
 * The words of a reminder notification, for both shells (Android's notifications, iOS's
 * UNUserNotificationCenter). A lock screen is seen by others: unless the person chose to show
 * details, it names no plan ("Walk to the AA meeting" would tell a passer-by too much).
 */
fun reminderText(reminder: Reminder, showDetails: Boolean, strings: Strings): ReminderText =
    if (!showDetails) {
        ReminderText(strings[S.reminder_neutral_title], strings[S.reminder_neutral_body])
    } else {
        val time = reminder.time
        ReminderText(
            reminder.what,
            if (time != null) strings.format(S.reminder_at, time) else strings[S.reminder_today],
        )
    }
