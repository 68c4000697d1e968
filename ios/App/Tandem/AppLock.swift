// An optional lock (Settings, from People): Face ID, Touch ID or the phone's passcode
// (LocalAuthentication) each time Tandem comes back from the background. Off by default. While
// locked, "Get help now" stays one tap away.
//
// Info.plist: NSFaceIDUsageDescription.

import LocalAuthentication
import SwiftUI

@MainActor
final class AppLock: ObservableObject {
    /// The person turned the lock on.
    @Published private(set) var enabled: Bool
    /// Tandem is covered until the person unlocks it.
    @Published private(set) var locked: Bool
    /// Why the lock could not be turned on, while it stands.
    @Published private(set) var problem: String? = nil

    private static let key = "appLockEnabled"

    init() {
        let on = UserDefaults.standard.bool(forKey: Self.key)
        enabled = on
        locked = on
    }

    /// Turns the lock on (after the person proves they can unlock) or off.
    func setEnabled(_ on: Bool) async {
        problem = nil
        if on {
            let context = LAContext()
            guard context.canEvaluatePolicy(.deviceOwnerAuthentication, error: nil) else {
                problem = L.t("ios_lock_unavailable")
                return
            }
            guard await authenticate(context) else { return }
        }
        enabled = on
        UserDefaults.standard.set(on, forKey: Self.key)
        if !on { locked = false }
    }

    func unlock() async {
        let context = LAContext()
        // No passcode any more: nothing to unlock with, and a lock must not keep the person out
        // of their own journey.
        guard context.canEvaluatePolicy(.deviceOwnerAuthentication, error: nil) else {
            locked = false
            return
        }
        if await authenticate(context) { locked = false }
    }

    func scenePhaseChanged(_ phase: ScenePhase) {
        if phase == .background && enabled { locked = true }
    }

    private func authenticate(_ context: LAContext) async -> Bool {
        do {
            return try await context.evaluatePolicy(
                .deviceOwnerAuthentication, localizedReason: L.t("ios_lock_reason"))
        } catch {
            return false  // cancelled or failed: stay as it was
        }
    }
}
