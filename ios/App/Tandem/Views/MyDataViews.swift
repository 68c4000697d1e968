// Settings' sections about the person's data (SettingsScreen.kt's YourDevices, WhoLooked,
// YourData and Leaving): their devices with a lost one removed, who looked at their journey, a
// copy of everything saved into the app's Documents folder (visible in the Files app), and
// erasing the account or this phone, each asked once more. Each calls the
// bindings and shows what they answer; no rule of its own. NOT COMPILED here (no Swift
// toolchain on the machine it was written on).

import SwiftUI
import Tandem

@MainActor
struct DevicesSection: View {
    let store: TandemStore
    let zone: TimeZone
    @State private var devices: [Device] = []
    @State private var problem: String?
    @State private var asking: Device?

    var body: some View {
        VStack(alignment: .leading, spacing: 12) {
            Heading(L.t("settings_devices"))
            Detail(L.t("settings_devices_intro"))
            if let problem { Text(problem).foregroundStyle(.red) }
            ForEach(devices.sorted { $0.thisDevice && !$1.thisDevice }, id: \.deviceId) { device in
                let name = device.name ?? L.t("settings_device_no_name")
                Text(device.thisDevice
                     ? (device.name == nil ? L.t("settings_device_this_unnamed") : L.f("settings_device_this", name))
                     : name).font(.headline)
                let added = SyncWords.whenText(device.addedAt, zone: zone, now: Date())
                Detail(device.lastSeenAt.map {
                    L.f("settings_device_seen", added, SyncWords.whenText($0, zone: zone, now: Date()))
                } ?? L.f("settings_device_added", added))
                if !device.thisDevice {
                    if asking?.deviceId == device.deviceId {
                        Text(L.f("settings_device_remove_what", name))
                        MainButton(L.t("settings_device_remove_yes")) { remove(device) }
                        QuietButton(L.t("settings_device_remove_no")) { asking = nil }
                    } else {
                        QuietButton(L.f("settings_device_remove", name)) { asking = device }
                    }
                }
            }
        }
        .task { await load() }
    }

    private func load() async {
        do {
            devices = try await store.devices()
            problem = nil
        } catch {
            problem = L.f("settings_devices_unavailable", error.sentence)
        }
    }

    private func remove(_ device: Device) {
        Task { @MainActor in
            do {
                try await store.removeDevice(deviceId: device.deviceId)
                asking = nil
                await load()
            } catch {
                problem = error.sentence
            }
        }
    }
}

@MainActor
struct WhoLookedSection: View {
    let store: TandemStore
    let people: [LinkedPerson]
    let zone: TimeZone
    @State private var looked: [Looked]?
    @State private var problem: String?

    var body: some View {
        VStack(alignment: .leading, spacing: 12) {
            Heading(L.t("settings_looked"))
            Detail(L.t("settings_looked_intro"))
            if let problem { Text(problem).foregroundStyle(.red) }
            if let looked {
                if looked.isEmpty { Text(L.t("settings_looked_nobody")) }
                ForEach(looked, id: \.deviceId) { entry in
                    let who = people.first { $0.personId == entry.personId }
                    let name = who?.name ?? who.map { $0.role.words } ?? L.t("settings_looked_former")
                    Text(L.f("settings_looked_entry", name,
                             SyncWords.whenText(entry.lastAt, zone: zone, now: Date())))
                }
            }
        }
        .task {
            do {
                looked = try await store.accessLog()
            } catch {
                problem = L.f("settings_looked_unavailable", error.sentence)
            }
        }
    }
}

@MainActor
struct YourDataSection: View {
    let store: TandemStore
    @State private var status: String?
    @State private var running = false

    private final class Progress: ExportProgressObserver, @unchecked Sendable {
        let report: @Sendable (UInt32, UInt32) -> Void
        init(_ report: @escaping @Sendable (UInt32, UInt32) -> Void) { self.report = report }
        func onProgress(done: UInt32, total: UInt32) throws { report(done, total) }
    }

    var body: some View {
        VStack(alignment: .leading, spacing: 12) {
            Heading(L.t("settings_your_data"))
            Detail(L.t("settings_export_intro"))
            SecondButton(L.t("settings_export")) { export() }
            if let status { Text(status) }
        }
    }

    private func export() {
        guard !running,
              let documents = FileManager.default.urls(for: .documentDirectory, in: .userDomainMask).first
        else { return }
        running = true
        status = L.t("settings_export_starting")
        let folder = documents.appendingPathComponent("Tandem export", isDirectory: true)
        let progress = Progress { done, total in
            Task { @MainActor in status = L.f("settings_export_progress", Int(done), Int(total)) }
        }
        Task { @MainActor in
            defer { running = false }
            do {
                _ = try await store.exportMine(folder: folder.path, progress: progress)
                status = L.f("settings_export_done", folder.lastPathComponent)
            } catch {
                status = L.f("settings_export_failed", error.sentence)
            }
        }
    }
}

@MainActor
struct LeavingSection: View {
    @ObservedObject var model: AppModel
    @State private var asking: String?
    @State private var problem: String?

    var body: some View {
        VStack(alignment: .leading, spacing: 12) {
            Heading(L.t("settings_erase"))
            if let problem { Text(problem).foregroundStyle(.red) }
            switch asking {
            case "account":
                Text(L.t("settings_erase_account_sure"))
                MainButton(L.t("settings_erase_account_yes")) { run { await model.eraseAccount() } }
                QuietButton(L.t("settings_erase_keep")) { asking = nil }
            case "device":
                Text(L.t("settings_erase_device_sure"))
                MainButton(L.t("settings_erase_device_yes")) { run { await model.eraseThisDevice() } }
                QuietButton(L.t("settings_erase_keep")) { asking = nil }
            default:
                if model.server != nil {
                    Detail(L.t("settings_erase_account_intro"))
                    SecondButton(L.t("settings_erase_account")) { asking = "account" }
                }
                Detail(L.t(model.server != nil ? "settings_erase_device_intro" : "settings_erase_device_intro_alone"))
                QuietButton(L.t("settings_erase_device")) { asking = "device" }
            }
        }
    }

    private func run(_ erase: @escaping () async -> Result<Void, CodeProblem>) {
        Task { @MainActor in
            switch await erase() {
            case .success: asking = nil; problem = nil
            case .failure(let failure): problem = failure.words
            }
        }
    }
}
