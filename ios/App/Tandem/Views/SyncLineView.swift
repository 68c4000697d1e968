// Where sync stands, in words, under the title of every screen (SyncLine.kt's twin), from the
// bindings' SyncStatus and the server the store is joined to, if any.

import SwiftUI
import UIKit
import Tandem

enum SyncWords {
    /// "Up to date · last synced today at 14:05", "Saved on this device", ...
    static func words(_ status: SyncStatus?, _ server: ServerLink?, zone: TimeZone, now: Date) -> String {
        let lastSynced = status?.lastSyncedAt ?? server?.lastSyncedAt
        let last = lastSynced.map { L.f("sync_last", whenText($0, zone: zone, now: now)) }
        func withLast(_ text: String) -> String {
            guard let last else { return text }
            return "\(text) · \(last)"
        }
        guard let status else {
            return server == nil ? L.t("sync_this_device_only") : withLast(L.t("sync_not_running"))
        }
        switch status.state {
        case .offline:
            guard let error = status.lastError else { return withLast(L.t("sync_offline")) }
            // Not reached (no network, the server down): no need for its technical words.
            if status.lastRefusal == nil { return withLast(L.t("sync_unreachable")) }
            if status.lastRefusal == .deviceRemoved { return L.t("sync_device_removed") }
            if status.lastRefusal == .accountErased { return L.t("sync_account_erased") }
            if status.lastRefusal == .updateApp { return L.t("sync_update_app") }
            // Refused: the server's sentence is written for a person.
            return withLast(L.f("sync_error", error))
        case .connecting:
            return L.t("sync_connecting")
        case .syncing(let documents):
            return documents > 0 ? L.t("sync_syncing") : L.t("sync_connecting")
        case .upToDate:
            return withLast(L.t("sync_up_to_date"))
        case .live:
            return L.t("sync_live")
        }
    }

    /// "today at 14:05", "yesterday at 09:10", "1 Dec 2026 at 08:00".
    static func whenText(_ at: Date, zone: TimeZone, now: Date) -> String {
        var calendar = Calendar.current
        calendar.timeZone = zone
        let time = DateFormatter()
        time.timeZone = zone
        time.dateStyle = .none
        time.timeStyle = .short
        let clock = time.string(from: at)
        if calendar.isDate(at, inSameDayAs: now) { return L.f("sync_today_at", clock) }
        if let yesterday = calendar.date(byAdding: .day, value: -1, to: now),
           calendar.isDate(at, inSameDayAs: yesterday) {
            return L.f("sync_yesterday_at", clock)
        }
        let day = DateFormatter()
        day.timeZone = zone
        day.dateStyle = .medium
        day.timeStyle = .none
        return L.f("sync_on_day", day.string(from: at), clock)
    }
}

struct SyncLineView: View {
    let status: SyncStatus?
    let server: ServerLink?
    let zone: TimeZone

    var body: some View {
        let failing = status?.lastError != nil && status?.state == .offline
        Text(SyncWords.words(status, server, zone: zone, now: Date()))
            .font(.subheadline)
            .foregroundColor(failing ? Color(.systemRed) : .secondary)
            .frame(maxWidth: .infinity, alignment: .leading)
            .padding(.horizontal, 16)
            .padding(.vertical, 6)
            .background(failing ? Color(.systemRed).opacity(0.12) : Color(.systemBackground))
            .accessibilityAddTraits(.updatesFrequently)
    }
}
