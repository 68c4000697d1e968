// The safety notice (SafetyScreen.kt's twin): Tandem is not monitored and not an emergency
// service; who sees what, and when; and where to get help now. Shown on first run, and one tap
// away ("Get help now") on every screen after, even while Tandem is locked.
//
// The crisis lines come from the one data file all the apps share,
// android/app/src/main/resources/org/tandem/app/crisis-lines.tsv, added to the app target as a
// bundle resource (see ios/README.md); the person's region's lines come first.

import SwiftUI
import UIKit

/// A line to call for help now. `region` is an ISO country code, or `*` for anywhere.
struct CrisisLine: Hashable {
    let region: String
    let name: String
    let number: String
    let note: String?

    /// What to dial: the first number written ("112 or 999" dials 112), digits and + only.
    var dialable: String {
        let first = number.components(separatedBy: " or ").first ?? number
        return first.filter { $0.isNumber || $0 == "+" }
    }
}

struct CrisisRegion: Hashable {
    let region: String
    let lines: [CrisisLine]
}

struct CrisisLines {
    static let anywhere = "*"

    let lines: [CrisisLine]
    let region: String

    /// The lines of `region`, then the ones for anywhere.
    var here: [CrisisLine] {
        lines.filter { $0.region == region } + lines.filter { $0.region == Self.anywhere }
    }

    /// Every other region's lines, by region, in the file's order.
    var elsewhere: [CrisisRegion] {
        var order: [String] = []
        var byRegion: [String: [CrisisLine]] = [:]
        for line in lines where line.region != region && line.region != Self.anywhere {
            if byRegion[line.region] == nil { order.append(line.region) }
            byRegion[line.region, default: []].append(line)
        }
        return order.map { CrisisRegion(region: $0, lines: byRegion[$0] ?? []) }
    }

    /// The file bundled with the app, for the phone's region.
    static func bundled(region: String = Locale.current.region?.identifier ?? "") -> CrisisLines {
        let text = Bundle.main.url(forResource: "crisis-lines", withExtension: "tsv")
            .flatMap { try? String(contentsOf: $0, encoding: .utf8) }
        guard let text else {
            // The file is part of the build (ios/README.md): without it, say at least this much.
            assertionFailure("crisis-lines.tsv is not in the app bundle")
            return CrisisLines(
                lines: [CrisisLine(region: anywhere, name: "Emergency services", number: "112",
                                   note: "If you or someone else is in danger now")],
                region: region.uppercased())
        }
        return CrisisLines(lines: parse(text), region: region.uppercased())
    }

    /// Reads the tab-separated format; `#` starts a comment line.
    static func parse(_ text: String) -> [CrisisLine] {
        text.components(separatedBy: .newlines)
            .filter { !$0.trimmed.isEmpty && !$0.hasPrefix("#") }
            .compactMap { (line: String) -> CrisisLine? in
                let cells = line.components(separatedBy: "\t").map(\.trimmed)
                guard cells.count >= 3 else { return nil }
                let note = cells.count > 3 && !cells[3].isEmpty ? cells[3] : nil
                return CrisisLine(region: cells[0].uppercased(), name: cells[1], number: cells[2], note: note)
            }
    }
}

struct SafetyView: View {
    let lines: CrisisLines
    let onClose: () -> Void
    @State var showElsewhere = false
    @Environment(\.openURL) var openURL

    var body: some View {
        ScrollView {
            VStack(alignment: .leading, spacing: 12) {
                Text(L.t("safety_title"))
                    .font(.largeTitle.weight(.bold))
                    .accessibilityAddTraits(.isHeader)
                VStack(alignment: .leading, spacing: 8) {
                    Text(L.t("safety_not_monitored")).font(.headline)
                    Text(L.t("safety_who_sees"))
                }
                .padding(16)
                .frame(maxWidth: .infinity, alignment: .leading)
                .background(RoundedRectangle(cornerRadius: 12).fill(Color(.systemYellow).opacity(0.18)))
                Text(L.t("safety_help_now")).font(.headline)
                ForEach(lines.here, id: \.self) { line in
                    CrisisLineCard(line: line) { call(line) }
                }
                if !lines.elsewhere.isEmpty {
                    QuietButton(showElsewhere ? L.t("safety_hide_elsewhere") : L.t("safety_show_elsewhere")) {
                        showElsewhere.toggle()
                    }
                    if showElsewhere {
                        ForEach(lines.elsewhere, id: \.self) { group in
                            Heading(Locale.current.localizedString(forRegionCode: group.region) ?? group.region)
                            ForEach(group.lines, id: \.self) { line in
                                CrisisLineCard(line: line) { call(line) }
                            }
                        }
                    }
                }
                MainButton(L.t("safety_close"), action: onClose).padding(.top, 8)
            }
            .padding(20)
        }
    }

    private func call(_ line: CrisisLine) {
        if let url = URL(string: "tel:\(line.dialable)") { openURL(url) }
    }
}

struct CrisisLineCard: View {
    let line: CrisisLine
    let call: () -> Void

    var body: some View {
        ItemCard {
            Text(line.name).font(.headline)
            if let note = line.note { Detail(note) }
            Button(action: call) {
                Text(L.f("safety_call_short", line.number)).font(.headline).frame(minHeight: 44)
            }
            .buttonStyle(.borderedProminent)
            .accessibilityLabel(L.f("safety_call", line.number, line.name))
        }
    }
}
