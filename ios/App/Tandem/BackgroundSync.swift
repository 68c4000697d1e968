// Background refresh: iOS wakes the app now and then (BGAppRefreshTask) and it syncs once
// (`syncNow`), then schedules the reminders again, so others' edits and new plans arrive while
// the app is closed. While the app is open, the sync service's live connection does this.
//
// Info.plist: BGTaskSchedulerPermittedIdentifiers holds `identifier`; UIBackgroundModes holds
// `fetch`.

import BackgroundTasks
import Foundation

enum BackgroundSync {
    /// The task's identifier, as listed in Info.plist.
    static let identifier = "org.tandem.app.sync"

    /// Registers the handler. Call it before the app finishes launching (TandemApp.init).
    static func register(model: AppModel) {
        BGTaskScheduler.shared.register(forTaskWithIdentifier: identifier, using: nil) { task in
            guard let refresh = task as? BGAppRefreshTask else {
                task.setTaskCompleted(success: false)
                return
            }
            run(refresh, model: model)
        }
    }

    /// Asks iOS for the next refresh (it decides when; at the earliest in half an hour). Called
    /// when the app goes to the background, and from each refresh.
    static func schedule() {
        let request = BGAppRefreshTaskRequest(identifier: identifier)
        request.earliestBeginDate = Date(timeIntervalSinceNow: 30 * 60)
        do {
            try BGTaskScheduler.shared.submit(request)
        } catch {
            // Not available (the simulator, background refresh turned off): the app syncs when
            // it is next opened.
        }
    }

    private static func run(_ task: BGAppRefreshTask, model: AppModel) {
        schedule()
        let finish = Once()
        let work = Task { @MainActor in
            let ok = await model.syncInBackground()
            finish.run { task.setTaskCompleted(success: ok) }
        }
        // Out of time: say so. (The sync under way goes on in Tandem's runtime until iOS
        // suspends the app; what it sent stays sent, what it missed comes next time.)
        task.expirationHandler = {
            work.cancel()
            finish.run { task.setTaskCompleted(success: false) }
        }
    }
}

/// Runs its body once, whichever of two threads comes first.
private final class Once: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false

    func run(_ body: () -> Void) {
        lock.lock()
        defer { lock.unlock() }
        guard !done else { return }
        done = true
        body()
    }
}
