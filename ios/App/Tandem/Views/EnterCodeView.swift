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

    var body: some View {
        ScrollView {
            VStack(alignment: .leading, spacing: 14) {
                Detail(L.t("code_intro"))
                TextInput(label: L.t("code_server"), text: $server, field: "server", problems: problems,
                          hint: L.t("code_server_hint"), keyboard: .URL, plain: true)
                TextInput(label: L.t("code_field"), text: $code, field: "code", problems: problems,
                          hint: L.t("code_field_hint"), plain: true)
                FormProblem(problem: problems.other)
                MainButton(checking ? L.t("code_checking") : L.t("code_check"), enabled: !checking) { check() }
                QuietButton(L.t("cancel")) { model.back() }
            }
            .padding(16)
        }
        .onAppear {
            if server.isEmpty { server = model.server?.url ?? model.defaultServer }
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
