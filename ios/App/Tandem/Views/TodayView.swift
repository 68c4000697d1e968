// Today (TodayScreen.kt's twin): today's planned occurrences from the core's `today`, each checked
// in with one tap. Partly and not done then offer reasons and a note (all optional); Undo puts
// back the answer before (or none). The status words ("Still to do", "Its time has passed") are
// the core's statuses in words: nothing here works out what is due or missed.

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
