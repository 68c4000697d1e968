// The welcome (FirstRunScreens.kt's twin), on first run after the safety notice, while the store
// has no server: use Tandem on my own (nothing leaves the device), or enter a code.

import SwiftUI

@MainActor
struct WelcomeView: View {
    @EnvironmentObject var model: AppModel

    var body: some View {
        ScrollView {
            VStack(alignment: .leading, spacing: 16) {
                Text(L.t("welcome_title"))
                    .font(.largeTitle.weight(.bold))
                    .accessibilityAddTraits(.isHeader)
                Text(L.t("welcome_intro"))
                Button { model.closeWelcome(withCode: false) } label: {
                    ItemCard {
                        Text(L.t("welcome_alone")).font(.headline)
                        Detail(L.t("welcome_alone_detail"))
                    }
                }
                .buttonStyle(.plain)
                Button { model.closeWelcome(withCode: true) } label: {
                    ItemCard {
                        Text(L.t("welcome_code")).font(.headline)
                        Detail(L.t("welcome_code_detail"))
                    }
                }
                .buttonStyle(.plain)
                QuietButton(L.t("get_help")) { model.safetyOpen = true }
            }
            .padding(20)
        }
    }
}
