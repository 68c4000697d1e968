package org.tandem.android

import android.Manifest
import android.app.AlarmManager
import android.app.NotificationChannel
import android.app.NotificationManager
import android.app.PendingIntent
import android.content.BroadcastReceiver
import android.content.Context
import android.content.Intent
import android.content.pm.PackageManager
import android.os.Build
import androidx.core.app.NotificationCompat
import androidx.core.app.NotificationManagerCompat
import androidx.core.content.ContextCompat
import java.time.Instant
import org.tandem.app.S
import org.tandem.app.reminderText
import uniffi.tandem_ffi.Reminder
import uniffi.tandem_ffi.TandemException
import uniffi.tandem_ffi.TandemStore

/**
 * Local notifications for the plans that want reminders: the core's `reminders` for the next
 * week, each an alarm. Scheduled again after every edit and sync and at boot, so each time the
 * week moves on and what changed elsewhere (a plan edited on another phone) is in it.
 */
object Reminders {
    const val EXTRA_PLAN = "org.tandem.reminder.plan"
    const val EXTRA_DATE = "org.tandem.reminder.date"
    private const val EXTRA_WHAT = "org.tandem.reminder.what"
    private const val EXTRA_TIME = "org.tandem.reminder.time"
    private const val EXTRA_AT = "org.tandem.reminder.at"
    private const val CHANNEL = "reminders"
    private const val DAYS = 7u

    /** Replaces the alarms set before with the next [DAYS] days' reminders; how many. Off the main thread. */
    fun schedule(context: Context, store: TandemStore): Int {
        val reminders = try {
            store.reminders(DAYS, Instant.now())
        } catch (_: TandemException) {
            return 0 // keep the alarms there are; the next edit, sync or boot tries again
        }
        val settings = PrefsSettings(context)
        val alarms = context.getSystemService(AlarmManager::class.java)
        repeat(settings.remindersScheduled) { i ->
            PendingIntent.getBroadcast(context, i, Intent(context, ReminderReceiver::class.java), PendingIntent.FLAG_NO_CREATE or PendingIntent.FLAG_IMMUTABLE)
                ?.let { alarms.cancel(it); it.cancel() }
        }
        reminders.forEachIndexed { i, reminder ->
            val fire = Intent(context, ReminderReceiver::class.java)
                .putExtra(EXTRA_PLAN, reminder.planId).putExtra(EXTRA_WHAT, reminder.what).putExtra(EXTRA_DATE, reminder.date)
                .putExtra(EXTRA_TIME, reminder.time).putExtra(EXTRA_AT, reminder.at.toEpochMilli())
            val pending = PendingIntent.getBroadcast(context, i, fire, PendingIntent.FLAG_UPDATE_CURRENT or PendingIntent.FLAG_IMMUTABLE)
            // Inexact but delivered in Doze (minutes late at worst), and needs no exact-alarm permission.
            alarms.setAndAllowWhileIdle(AlarmManager.RTC_WAKEUP, reminder.at.toEpochMilli(), pending)
        }
        settings.remindersScheduled = reminders.size
        return reminders.size
    }

    /** Shows [reminder]: neutral words unless the person chose details; a tap opens Today. */
    fun show(context: Context, reminder: Reminder) {
        if (Build.VERSION.SDK_INT >= 33 &&
            ContextCompat.checkSelfPermission(context, Manifest.permission.POST_NOTIFICATIONS) != PackageManager.PERMISSION_GRANTED
        ) return
        val strings = context.tandemStrings()
        val text = reminderText(reminder, PrefsSettings(context).reminderDetails(), strings)
        val manager = context.getSystemService(NotificationManager::class.java)
        manager.createNotificationChannel(NotificationChannel(CHANNEL, strings[S.plan_reminder], NotificationManager.IMPORTANCE_DEFAULT))
        val open = Intent(context, MainActivity::class.java)
            .addFlags(Intent.FLAG_ACTIVITY_NEW_TASK or Intent.FLAG_ACTIVITY_CLEAR_TOP or Intent.FLAG_ACTIVITY_SINGLE_TOP)
            .putExtra(EXTRA_PLAN, reminder.planId).putExtra(EXTRA_DATE, reminder.date)
        val id = "${reminder.planId} ${reminder.date} ${reminder.time}".hashCode()
        val notification = NotificationCompat.Builder(context, CHANNEL)
            .setSmallIcon(android.R.drawable.ic_popup_reminder) // no icon of Tandem's own yet
            .setContentTitle(text.title)
            .setContentText(text.body)
            .setCategory(NotificationCompat.CATEGORY_REMINDER)
            .setAutoCancel(true)
            .setContentIntent(PendingIntent.getActivity(context, id, open, PendingIntent.FLAG_UPDATE_CURRENT or PendingIntent.FLAG_IMMUTABLE))
            .build()
        NotificationManagerCompat.from(context).notify(id, notification)
    }

    internal fun fromExtras(intent: Intent): Reminder? = Reminder(
        planId = intent.getStringExtra(EXTRA_PLAN) ?: return null,
        what = intent.getStringExtra(EXTRA_WHAT).orEmpty(),
        date = intent.getStringExtra(EXTRA_DATE) ?: return null,
        time = intent.getStringExtra(EXTRA_TIME),
        at = Instant.ofEpochMilli(intent.getLongExtra(EXTRA_AT, 0)),
    )
}

/** An alarm [Reminders.schedule] set has come: the notification. */
class ReminderReceiver : BroadcastReceiver() {
    override fun onReceive(context: Context, intent: Intent) {
        Reminders.fromExtras(intent)?.let { Reminders.show(context, it) }
    }
}
