// Reminders as local notifications (UNUserNotificationCenter), so they go off offline. The core
// says which occurrences to remind of and when (`reminders(days:now:)`); this file only hands
// them to iOS. They are scheduled again for the next seven days after every edit, every sync and
// every launch (AppModel.reload, AppModel.syncInBackground).
//
// A lock screen is seen by others: unless the person chose to show details (People, "On this
// phone"), a reminder names no plan ("Walk to the AA meeting" would tell a passer-by too much).

import Foundation
import Tandem
import UserNotifications

/// What a reminder notification says: its title and its line (ReminderText.kt's twin).
struct ReminderText: Equatable {
    let title: String
    let body: String

    init(_ reminder: Reminder, showDetails: Bool) {
        if !showDetails {
            title = L.t("reminder_neutral_title")
            body = L.t("reminder_neutral_body")
        } else {
            title = reminder.what
            body = reminder.time.map { L.f("reminder_at", $0) } ?? L.t("reminder_today")
        }
    }
}

enum Notifications {
    /// How far ahead reminders are scheduled.
    static let days: UInt32 = 7
    /// iOS keeps at most 64 pending local notifications for an app; the core orders reminders
    /// by time, so the first ones are kept.
    static let limit = 60
    /// Our notifications' identifiers start with this (others are left alone).
    static let prefix = "org.tandem.reminder."

    /// Replaces the scheduled reminders with the core's reminders of the next `days` days. Asks
    /// the person for permission the first time there is something to remind them of.
    static func reschedule(store: TandemStore, showDetails: Bool) async {
        let center = UNUserNotificationCenter.current()
        let reminders: [Reminder]
        do {
            reminders = try await offMain { try store.reminders(days: days, now: nil) }
        } catch {
            return  // the store could not say: keep what is scheduled
        }
        var settings = await center.notificationSettings()
        if settings.authorizationStatus == .notDetermined && !reminders.isEmpty {
            _ = try? await center.requestAuthorization(options: [.alert, .sound])
            settings = await center.notificationSettings()
        }
        let pending = await center.pendingNotificationRequests()
        center.removePendingNotificationRequests(
            withIdentifiers: pending.map(\.identifier).filter { $0.hasPrefix(prefix) })
        let allowed: [UNAuthorizationStatus] = [.authorized, .provisional, .ephemeral]
        guard allowed.contains(settings.authorizationStatus) else { return }
        for reminder in reminders.prefix(limit) {
            let seconds = reminder.at.timeIntervalSinceNow
            guard seconds >= 1 else { continue }
            let text = ReminderText(reminder, showDetails: showDetails)
            let content = UNMutableNotificationContent()
            content.title = text.title
            content.body = text.body
            content.sound = .default
            let request = UNNotificationRequest(
                identifier: identifier(of: reminder),
                content: content,
                trigger: UNTimeIntervalNotificationTrigger(timeInterval: seconds, repeats: false))
            try? await center.add(request)
        }
    }

    /// One occurrence of one plan.
    private static func identifier(of reminder: Reminder) -> String {
        "\(prefix)\(reminder.planId).\(reminder.date).\(reminder.time ?? "day")"
    }
}
