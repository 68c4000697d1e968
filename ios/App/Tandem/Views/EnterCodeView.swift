// The server's address and the code (EnterCodeScreen's twin); checking it asks the server what
// it does (`aboutCode`), using nothing up.

import SwiftUI
import Tandem

@MainActor
struct EnterCodeView: View {
    @EnvironmentObject var model: AppModel
    @State var server = ""
    @State var code = ""
    @State var checking = false
    @State var problems = Problems()
    /// "I lost my phone": the code is the person's recovery code.
    @State var recovering = false

    var body: some View {
        ScrollView {
            VStack(alignment: .leading, spacing: 14) {
                Detail(L.t(recovering ? "code_recover_intro" : "code_intro"))
                TextInput(label: L.t("code_server"), text: $server, field: "server", problems: problems,
                          hint: L.t("code_server_hint"), keyboard: .URL, plain: true)
                TextInput(label: L.t(recovering ? "code_recovery_field" : "code_field"), text: $code,
                          field: "code", problems: problems, hint: L.t("code_field_hint"), plain: true)
                FormProblem(problem: problems.other)
                if recovering {
                    MainButton(checking ? L.t("code_checking") : L.t("code_recover"), enabled: !checking) { recover() }
                    QuietButton(L.t("cancel")) { recovering = false; problems.clear() }
                } else {
                    MainButton(checking ? L.t("code_checking") : L.t("code_check"), enabled: !checking) { check() }
                    QuietButton(L.t("cancel")) { model.back() }
                    if model.server == nil {
                        QuietButton(L.t("code_lost_phone")) { recovering = true; problems.clear() }
                    }
                }
            }
            .padding(16)
        }
        .onAppear {
            if server.isEmpty { server = model.server?.url ?? model.defaultServer }
        }
    }

    private func recover() {
        checking = true
        Task { @MainActor in
            switch await model.recoverAccount(server: server, code: code) {
            case .success:
                problems.clear()
                model.openTab(.today)
            case .failure(let problem):
                problems.local(problem.field ?? "code", problem.words)
            }
            checking = false
        }
    }

    private func check() {
        checking = true
        Task { @MainActor in
            switch await model.aboutCode(server: server, code: code) {
            case .success(let about):
                problems.clear()
                model.open(.useCode(server: server.trimmed, code: code, about: about))
            case .failure(let problem):
                problems.local(problem.field ?? "code", problem.words)
            }
            checking = false
        }
    }
}

/// The recovery code the server just gave, shown once, until the person says they kept it
/// (FirstRunScreens.kt's RecoveryCodeScreen). NOT COMPILED here.
struct RecoveryCodeView: View {
    @EnvironmentObject var model: AppModel
    let code: String

    var body: some View {
        ScrollView {
            VStack(alignment: .leading, spacing: 16) {
                Text(L.t("recovery_title")).font(.title).accessibilityAddTraits(.isHeader)
                Text(L.t("recovery_intro"))
                Text(code).font(.system(.title, design: .monospaced)).textSelection(.enabled)
                    .accessibilityLabel(code.map(String.init).joined(separator: " "))
                MainButton(L.t("recovery_kept")) { model.recoveryCode = nil }
            }
            .padding(16)
        }
    }
}
