// Before joining (UseCodeScreen's twin): what a code does and who it is from, the consent text in
// full, the name the person gives, and their agreement. Nothing is shared before they agree.

import SwiftUI
import UIKit
import Tandem

@MainActor
struct UseCodeView: View {
    let server: String
    let code: String
    let about: CodeAbout
    @EnvironmentObject var model: AppModel
    @State var name = ""
    @State var joining = false
    @State var problems = Problems()

    var body: some View {
        ScrollView {
            VStack(alignment: .leading, spacing: 14) {
                Text(headline).font(.headline)
                Detail(L.f("use_code_expires", Day.long(about.expiresAt, in: model.zone)))
                FormProblem(problem: problems.other)
                if let consent = about.consent { ConsentCard(consent: consent) }
                if about.kind == .device {
                    Text(L.t("use_code_device_what"))
                    MainButton(L.t("use_code_device_join"), enabled: !joining) { addThisDevice() }
                    QuietButton(L.t("not_now")) { model.back() }
                } else {
                    TextInput(label: L.t("use_code_name"), text: $name, field: "name", problems: problems,
                              hint: L.t("use_code_name_hint"))
                    if about.consent != nil { Detail(L.t("use_code_nothing_yet")) }
                    MainButton(enrol ? L.t("use_code_enrol") : L.t("use_code_agree"), enabled: !joining) { use() }
                    QuietButton(L.t("not_now")) { model.back() }
                }
            }
            .padding(16)
        }
        .onAppear {
            if name.isEmpty { name = model.myName ?? "" }
        }
    }

    private var enrol: Bool { about.kind == .enrolPractitioner || about.kind == .enrolCoach }

    private var headline: String {
        let who = about.issuerName
        switch about.kind {
        case .client:
            return who.map { L.f("use_code_from_client", $0) } ?? L.t("use_code_from_client_unnamed")
        case .practitioner:
            return who.map { L.f("use_code_from_coach", $0) } ?? L.t("use_code_from_coach_unnamed")
        case .enrolPractitioner:
            return L.t("use_code_enrol_practitioner")
        case .enrolCoach:
            return L.t("use_code_enrol_coach")
        case .device:
            return L.t("use_code_device")
        }
    }

    private func addThisDevice() {
        joining = true
        Task { @MainActor in
            switch await model.addThisDevice(server: server, code: code) {
            case .success:
                model.openTab(.today)
            case .failure(let problem):
                problems.showOther(problem.words)
            }
            joining = false
        }
    }

    private func use() {
        joining = true
        Task { @MainActor in
            switch await model.useCode(server: server, code: code, about: about, name: name) {
            case .success:
                model.openTab(.people)
            case .failure(let problem):
                if problem.field == "name" {
                    problems.local("name", problem.words)
                } else {
                    problems.showOther(problem.words)
                }
            }
            joining = false
        }
    }
}
