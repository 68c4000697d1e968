// Settings (SettingsScreen.kt's twin), from People: the account (on my own, or the server and my
// role), my name, the time zone plans are scheduled in (the core's sentence beside it), privacy on
// this phone (the lock; what reminders say on the lock screen), and about.

import SwiftUI
import Tandem

@MainActor
struct SettingsView: View {
    @EnvironmentObject var model: AppModel
    @EnvironmentObject var lock: AppLock
    @State var problems = Problems()
    @State var zone = ""

    var body: some View {
        ScrollView {
            VStack(alignment: .leading, spacing: 12) {
                Group {
                    Heading(L.t("settings_account"))
                    if let server = model.server {
                        Text(L.f("settings_joined", server.url, server.role.words))
                    } else {
                        Text(L.t("people_alone"))
                    }
                    Text(model.myName.map { L.f("people_you_are", $0) } ?? L.t("people_no_name"))
                    QuietButton(model.myName == nil ? L.t("people_choose_name") : L.t("people_change_name")) {
                        model.open(.changeName)
                    }
                }
                Group {
                    Heading(L.t("settings_time_zone"))
                    Detail(L.t("settings_time_zone_intro"))
                    FormProblem(problem: problems.other)
                    TextInput(label: L.t("settings_time_zone"), text: $zone, field: "time_zone",
                              problems: problems, hint: L.t("settings_time_zone_hint"), plain: true)
                    SecondButton(L.t("settings_time_zone_save")) { saveZone() }
                }
                Group {
                    Heading(L.t("settings_privacy"))
                    Toggle(L.t("settings_app_lock"), isOn: Binding(
                        get: { lock.enabled },
                        set: { on in Task { await lock.setEnabled(on) } }))
                    FieldError(problem: lock.problem)
                    Toggle(L.t("settings_reminder_details"), isOn: $model.reminderDetails)
                    Detail(model.reminderDetails
                           ? L.t("settings_reminder_details_on") : L.t("settings_reminder_details_off"))
                }
                Text(model.store?.isEncrypted() == true
                     ? L.t("settings_encrypted_on") : L.t("settings_encrypted_off"))
                if model.server != nil, let store = model.store {
                    DevicesSection(store: store, zone: model.zone)
                    WhoLookedSection(store: store, people: model.people, zone: model.zone)
                }
                if let store = model.store { YourDataSection(store: store) }
                LeavingSection(model: model)
                Group {
                    Heading(L.t("settings_about"))
                    Text(L.t("settings_about_text"))
                    Detail(measureWording().who5Credit)
                    Detail(L.t("settings_credits"))
                }
            }
            .padding(16)
        }
        .onAppear {
            if zone.isEmpty { zone = model.journey?.timeZone ?? "" }
        }
    }

    private func saveZone() {
        let zone = self.zone.trimmed
        Task { @MainActor in
            let result = await model.edit { try $0.setTimeZone(timeZone: zone) }
            _ = problems.show(result, fields: ["time_zone"])
        }
    }
}
