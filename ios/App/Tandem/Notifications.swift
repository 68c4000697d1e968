// Reminders as local notifications (UNUserNotificationCenter), so they go off offline. The core
// says which occurrences to remind of and when (`reminders(days:now:)`); this file only hands
// them to iOS. They are scheduled again for the next seven days after every edit, every sync and
// every launch (AppModel.reload, AppModel.syncInBackground). A tapped reminder opens its
// check-in: that plan on that day (ReminderTaps, AppModel.openCheckIn).
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
    /// A reminder's plan and day (`YYYY-MM-DD`), in its `userInfo`.
    static let planKey = "planId"
    static let dateKey = "date"

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
            // What a tap opens: that plan's check-in of that day (ReminderTaps). Not shown.
            content.userInfo = [planKey: reminder.planId, dateKey: reminder.date]
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

/// Told of a tapped reminder by iOS: Today opens with that plan's check-in of that day on top of
/// it (a reminder tapped the next morning still opens yesterday's). A reminder that arrives while
/// Tandem is open shows as a banner. Set as the notification centre's delegate before launch
/// ends (TandemApp.init), so a tap that launches the app is heard.
final class ReminderTaps: NSObject, UNUserNotificationCenterDelegate {
    static let shared = ReminderTaps()

    /// The app's model (it lives as long as the app).
    @MainActor weak var model: AppModel?

    func userNotificationCenter(
        _ center: UNUserNotificationCenter, didReceive response: UNNotificationResponse,
        withCompletionHandler completionHandler: @escaping () -> Void
    ) {
        let info = response.notification.request.content.userInfo
        if let planId = info[Notifications.planKey] as? String, let date = info[Notifications.dateKey] as? String {
            Task { @MainActor in
                self.model?.openCheckIn(planId: planId, date: date)
                completionHandler()
            }
        } else {
            completionHandler()
        }
    }

    func userNotificationCenter(
        _ center: UNUserNotificationCenter, willPresent notification: UNNotification,
        withCompletionHandler completionHandler: @escaping (UNNotificationPresentationOptions) -> Void
    ) {
        completionHandler([.banner, .sound])
    }
}
