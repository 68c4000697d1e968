// Today (TodayScreen.kt's twin): today's planned occurrences from the core's `today`, each checked
// in with one tap. Partly and not done then offer reasons and a note (all optional); Undo puts
// back the answer before (or none). The status words ("Still to do", "Its time has passed") are
// the core's statuses in words: nothing here works out what is due or missed. A tapped reminder
// opens its check-in (CheckInView); something not on the list is noted on its own
// (UnplannedCheckInView).

import SwiftUI
import Tandem

@MainActor
struct TodayView: View {
    @EnvironmentObject var model: AppModel

    var body: some View {
        ScrollView {
            VStack(alignment: .leading, spacing: 12) {
                Text(Day.long(model.todayDate)).font(.title3)
                if model.today.isEmpty {
                    ItemCard {
                        Text(L.t("today_empty")).font(.headline)
                        Detail(L.t("today_empty_detail"))
                        SecondButton(L.t("today_make_plan")) {
                            model.stage = .plans
                            model.openTab(.journey)
                            model.open(.addPlan(goalId: nil, journeyId: nil))
                        }
                    }
                } else {
                    ForEach(model.today, id: \.key) { item in
                        TodayCard(item: item)
                    }
                }
                if !(model.journey?.plans.isEmpty ?? true) {
                    OpenButton(L.t("today_unplanned"), .unplannedCheckIn)
                }
            }
            .padding(16)
        }
    }
}

/// What Undo puts back: the answer before (none: the occurrence had none) and the one stored.
struct Undo {
    let before: CheckIn?
    let stored: CheckIn
}

@MainActor
struct TodayCard: View {
    let item: TodayItem
    @EnvironmentObject var model: AppModel
    @State var problems = Problems()
    /// After a one-tap partly or not done: reasons and a note are offered.
    @State var askWhy = false
    @State var reasons: Set<Reason> = []
    @State var reasonText = ""
    @State var note = ""
    /// The answer a one-tap check-in replaced, while Undo is offered.
    @State var undo: Undo? = nil

    var body: some View {
        let answered = item.checkIn?.outcome
        ItemCard {
            Text(item.what).font(.title3.weight(.semibold))
            Detail([item.occurrence.time.map { L.f("today_at", $0) } ?? L.t("today_any_time"),
                    item.status.words].joined(separator: " · "))
            FormProblem(problem: problems.other)
            LazyVGrid(columns: [GridItem(.adaptive(minimum: 100), spacing: 8)], spacing: 8) {
                ForEach(allOutcomes, id: \.self) { outcome in
                    ChoiceButton(text: outcome.words, chosen: answered == outcome) {
                        checkIn(outcome, withDetails: false)
                    }
                    .accessibilityLabel(L.f("today_check_in_as", item.what, outcome.words))
                }
            }
            if let undo, answered != nil {
                HStack {
                    Detail(L.f("today_saved_as", undo.stored.outcome.words))
                    Spacer()
                    QuietButton(L.t("today_undo")) { takeBack(undo) }
                }
            }
            if let answered, !askWhy {
                if !details.isEmpty { Detail(details) }
                QuietButton(answered == .done ? L.t("today_add_note") : L.t("today_say_why")) { askWhy = true }
            }
            if let answered, askWhy {
                if answered != .done {
                    Text(L.t("today_why")).font(.headline)
                    Choices(options: allReasons, selected: reasons, label: { $0.words }) { reason in
                        if reasons.contains(reason) { reasons.remove(reason) } else { reasons.insert(reason) }
                    }
                    if reasons.contains(.other) {
                        TextInput(label: L.t("today_own_words"), text: $reasonText, field: "reason_text",
                                  problems: problems)
                    }
                }
                TextInput(label: L.t("today_note"), text: $note, field: "note", problems: problems,
                          hint: L.t("optional"), multiline: true)
                FieldError(problem: problems["reasons"])
                HStack {
                    MainButton(L.t("save")) { checkIn(answered, withDetails: true) }
                    QuietButton(L.t("not_now")) { askWhy = false }
                }
            }
        }
        .onAppear { fill(from: item.checkIn) }
        .onChange(of: item.checkIn) { checkIn in fill(from: checkIn) }
    }

    /// The reasons and note of the answer, in words.
    private var details: String {
        guard let checkIn = item.checkIn else { return "" }
        let words = checkIn.reasons.map(\.words) + [checkIn.reasonText, checkIn.note].compactMap { $0 }
        return words.joined(separator: " · ")
    }

    private func fill(from checkIn: CheckIn?) {
        reasons = Set(checkIn?.reasons ?? [])
        reasonText = checkIn?.reasonText ?? ""
        note = checkIn?.note ?? ""
    }

    private func checkIn(_ outcome: Outcome, withDetails: Bool) {
        let before = item.checkIn
        let chosen = allReasons.filter { reasons.contains($0) }
        let input = CheckInInput(
            planId: item.occurrence.planId,
            date: item.occurrence.date,
            outcome: outcome,
            time: item.occurrence.time,
            reasons: withDetails && outcome != .done ? chosen : [],
            reasonText: withDetails && reasons.contains(.other) && !reasonText.isEmpty ? reasonText : nil,
            note: withDetails && !note.isEmpty ? note : nil)
        Task { @MainActor in
            let saved = await model.edit { try $0.checkIn(input: input) }
            if problems.show(saved, fields: ["reasons", "reason_text", "note"]) {
                askWhy = !withDetails && outcome != .done
                if !withDetails, case .saved(let stored) = saved {
                    undo = Undo(before: before, stored: stored)
                }
            }
        }
    }

    private func takeBack(_ undo: Undo) {
        Task { @MainActor in
            let result: Edit<Void> = await model.edit { store in
                if let earlier = undo.before {
                    _ = try store.checkIn(input: CheckInInput(
                        planId: earlier.planId, date: earlier.date, outcome: earlier.outcome,
                        time: earlier.time, reasons: earlier.reasons, reasonText: earlier.reasonText,
                        note: earlier.note))
                } else {
                    try store.removeCheckIn(planId: undo.stored.planId, date: undo.stored.date,
                                            time: undo.stored.time)
                }
            }
            if problems.show(result, fields: []) {
                self.undo = nil
                askWhy = false
            }
        }
    }
}

/// The check-in a reminder named: that plan on that day, answered with one tap as on Today
/// (reasons, a note and undo too); read again after every edit (CheckInScreen in TodayScreen.kt).
@MainActor
struct CheckInView: View {
    let planId: String
    let date: String
    @EnvironmentObject var model: AppModel
    @State var item: TodayItem? = nil
    @State var looked = false

    var body: some View {
        ScrollView {
            VStack(alignment: .leading, spacing: 12) {
                Text(Day.long(date)).font(.title3)
                if let item {
                    TodayCard(item: item).id(item.key)
                } else if looked {
                    EmptyNote(L.t("check_in_not_planned"))
                }
                QuietButton(L.t("check_in_to_today")) { model.back() }
            }
            .padding(16)
        }
        .task(id: model.revision) {
            let day = try? await model.day(date)
            item = day?.first { $0.occurrence.planId == planId }
            looked = true
        }
    }
}

/// A check-in that is not on today's list: something done on a day its plan does not plan, or
/// extra. The core decides whether it answers one of today's occurrences or is kept as unplanned
/// (UnplannedCheckInScreen.kt's twin).
@MainActor
struct UnplannedCheckInView: View {
    @EnvironmentObject var model: AppModel
    @State var problems = Problems()
    @State var planId: String? = nil
    @State var outcome: Outcome = .done
    @State var reasons: Set<Reason> = []
    @State var note = ""
    @State var saving = false

    var body: some View {
        let plans = model.journey?.plans ?? []
        ScrollView {
            VStack(alignment: .leading, spacing: 12) {
                Detail(L.t("unplanned_intro"))
                FormProblem(problem: problems.other)
                if plans.isEmpty {
                    EmptyNote(L.t("unplanned_no_plans"))
                    SecondButton(L.t("today_make_plan")) {
                        model.stage = .plans
                        model.openTab(.journey)
                        model.open(.addPlan(goalId: nil, journeyId: nil))
                    }
                } else {
                    Text(L.t("unplanned_which_plan")).font(.headline)
                    Choices(options: plans.map(\.id), selected: Set([planId].compactMap { $0 }),
                            label: { id in plans.first { $0.id == id }?.what ?? id }) { planId = $0 }
                    Text(L.t("unplanned_how")).font(.headline)
                    Choices(options: allOutcomes, selected: [outcome], label: { $0.words }) { outcome = $0 }
                    if outcome != .done {
                        Text(L.t("today_why")).font(.headline)
                        Choices(options: allReasons.filter { $0 != .other }, selected: reasons,
                                label: { $0.words }) { reason in
                            if reasons.contains(reason) { reasons.remove(reason) } else { reasons.insert(reason) }
                        }
                        FieldError(problem: problems["reasons"])
                    }
                    TextInput(label: L.t("today_note"), text: $note, field: "note", problems: problems,
                              hint: L.t("optional"), multiline: true)
                    MainButton(L.t("save"), enabled: planId != nil && !saving) { save() }
                    QuietButton(L.t("cancel")) { model.back() }
                }
            }
            .padding(16)
        }
        .onAppear {
            if planId == nil, plans.count == 1 { planId = plans.first?.id }
        }
    }

    private func save() {
        guard let planId else { return }
        let input = CheckInInput(
            planId: planId,
            date: model.todayDate,
            outcome: outcome,
            reasons: outcome == .done ? [] : allReasons.filter { reasons.contains($0) },
            note: note.isEmpty ? nil : note)
        saving = true
        Task { @MainActor in
            let result = await model.edit { try $0.checkIn(input: input) }
            saving = false
            if problems.show(result, fields: ["note", "reasons"]) { model.back() }
        }
    }
}
