// Tandem for iPhone: a SwiftUI app over the Swift package in ios/ (the bindings uniffi generates
// from tandem-ffi, and Sources/Tandem/Tandem+Async.swift). Every piece of logic lives in the
// Rust core; this app shows what the core gives and calls it.
//
// NOT COMPILED: there is no Swift toolchain where this was written (see ios/README.md, "App").

import SwiftUI
import Tandem
import UserNotifications

@main
@MainActor
struct TandemApp: App {
    @StateObject private var model: AppModel
    @StateObject private var lock = AppLock()
    @Environment(\.scenePhase) private var scenePhase

    init() {
        let model = AppModel()
        _model = StateObject(wrappedValue: model)
        // Background tasks must be registered before launch ends.
        BackgroundSync.register(model: model)
        // So must the notification centre's delegate, to hear the tap that launched the app.
        ReminderTaps.shared.model = model
        UNUserNotificationCenter.current().delegate = ReminderTaps.shared
    }

    var body: some Scene {
        WindowGroup {
            RootView()
                .environmentObject(model)
                .environmentObject(lock)
                .task { await model.start() }
        }
        .onChange(of: scenePhase) { phase in
            model.scenePhaseChanged(phase)
            lock.scenePhaseChanged(phase)
        }
    }
}

/// Where the store lives: `Application Support/Tandem/tandem.db` in the app's container.
///
/// Files there have iOS's default protection (complete until first user authentication), so a
/// background refresh can open the store once the phone has been unlocked after a restart.
enum StoreFile {
    static func url() throws -> URL {
        let support = try FileManager.default.url(
            for: .applicationSupportDirectory, in: .userDomainMask, appropriateFor: nil, create: true)
        let folder = support.appendingPathComponent("Tandem", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent("tandem.db")
    }

    /// Opens the store, creating it (with a new device key and journey, scheduled in the phone's
    /// time zone) if there is none, encrypted at rest with a key the Keychain keeps (made on
    /// first use; a plain store is encrypted in place). Reads the journey from disk: call it off
    /// the main actor.
    static func open() throws -> TandemStore {
        try openStoreWithVault(
            path: url().path, vault: KeychainVault(), name: name,
            timeZone: TimeZone.current.identifier)
    }

    /// The name the Keychain keeps the store's key under.
    static let name = "tandem.db"

    /// The store's key, for the core to open the file with while it makes this phone another
    /// device of its person (joinDevice, recover).
    static func key() throws -> StoreKey? {
        try KeychainVault().load(name: name).map { StoreKey.key(bytes: $0) }
    }

    /// Forgets the key of an erased store: the next open makes a new one.
    static func forgetKey() throws {
        try KeychainVault().remove(name: name)
        try KeychainVault().remove(name: name + ".next")
    }
}
