// The forms and cards of a relationship (RelationshipForms.kt and CoachingScreen.kt's twins): an
// alliance check-in about the other person (a client about their practitioner after a session, a
// practitioner about their coach), a private reflection and its sharing, and the practitioner's
// wellbeing (WHO-5 with its credit, stress and burnout) with what of it their coach sees. The
// items are worded by the core (`measureWording()`); what is typed is handed to it as it is.
//
// NOT COMPILED: see ios/README.md, "App".

import SwiftUI
import Tandem

/// The core's wording of the measures: the alliance items and flag, WHO-5, stress, burnout.
let measureWords: MeasureWording = measureWording()

/// An alliance check-in about the other person of the relationship `docId`: the three items in
/// the core's wording, 0–10, and "something felt off". The other person sees the answers: the
/// intro says so.
@MainActor
struct AllianceForm: View {
    let docId: String
    let aboutCoach: Bool
    @EnvironmentObject var model: AppModel
    @State var problems = Problems()
    @State var goals = "5"
    @State var tasks = "5"
    @State var bond = "5"
    @State var feltOff = false

    var body: some View {
        let items = measureWords.allianceItems
        FormScreen(intro: L.t(aboutCoach ? "alliance_intro_coach" : "alliance_intro_practitioner"),
                   problems: $problems, fields: ["goals", "tasks", "bond"], save: save) {
            RatingField(label: item(items, 0), text: $goals, field: "goals", problems: problems)
            RatingField(label: item(items, 1), text: $tasks, field: "tasks", problems: problems)
            RatingField(label: item(items, 2), text: $bond, field: "bond", problems: problems)
            Toggle(measureWords.allianceFlag, isOn: $feltOff)
                .frame(minHeight: 44)
                .accessibilityLabel(measureWords.allianceFlag)
        }
    }

    private func item(_ items: [String], _ index: Int) -> String {
        items.indices.contains(index) ? items[index] : L.t("alliance_title")
    }

    private func save() -> Change? {
        guard let g = problems.number("goals", goals) else { return nil }
        guard let t = problems.number("tasks", tasks) else { return nil }
        guard let b = problems.number("bond", bond) else { return nil }
        let input = AllianceInput(date: model.todayDate, goals: g, tasks: t, bond: b, feltOff: feltOff)
        let docId = self.docId
        return { _ = try $0.coaching().addAllianceCheckIn(relationshipDoc: docId, input: input) }
    }
}

/// A private reflection: what happened, my reaction, the pattern. It stays private until shared.
@MainActor
struct ReflectionForm: View {
    @EnvironmentObject var model: AppModel
    @State var problems = Problems()
    @State var happened = ""
    @State var reaction = ""
    @State var pattern = ""

    var body: some View {
        FormScreen(intro: L.t("reflection_intro"), problems: $problems,
                   fields: ["what_happened", "my_reaction", "pattern"], save: save) {
            TextInput(label: L.t("reflection_happened"), text: $happened, field: "what_happened",
                      problems: problems, multiline: true)
            TextInput(label: L.t("reflection_reaction"), text: $reaction, field: "my_reaction",
                      problems: problems, multiline: true)
            TextInput(label: L.t("reflection_pattern"), text: $pattern, field: "pattern",
                      problems: problems, hint: L.t("optional"), multiline: true)
        }
    }

    private func save() -> Change? {
        let input = ReflectionInput(
            date: model.todayDate, whatHappened: happened, myReaction: reaction,
            pattern: pattern.trimmed.isEmpty ? nil : pattern)
        return { _ = try $0.coaching().addReflection(input: input) }
    }
}

/// A reflection on the coaching screen: private or shared, with share and withdraw saying
/// plainly what the coach will see.
@MainActor
struct ReflectionCard: View {
    let reflection: Reflection
    let docId: String
    @EnvironmentObject var model: AppModel
    @State var problems = Problems()

    var body: some View {
        let shared = reflection.sharedIn.contains(docId)
        ItemCard {
            Text(reflection.whatHappened).font(.headline)
            Text(reflection.myReaction)
            if let pattern = reflection.pattern { Detail(L.f("reflection_pattern_is", pattern)) }
            Detail(L.t(shared ? "reflection_shared" : "reflection_private"))
            FormProblem(problem: problems.other)
            let id = reflection.id
            let docId = self.docId
            if shared {
                QuietButton(L.t("reflection_withdraw")) {
                    run { try $0.coaching().withdrawReflection(id: id, coachingDoc: docId) }
                }
                .accessibilityLabel(L.f("ios_described", L.t("reflection_withdraw"), reflection.whatHappened))
            } else {
                Detail(L.t("reflection_share_what"))
                SecondButton(L.t("reflection_share")) {
                    run { _ = try $0.coaching().shareReflection(id: id, coachingDoc: docId) }
                }
                .accessibilityLabel(L.f("ios_described", L.t("reflection_share"), reflection.whatHappened))
            }
        }
    }

    private func run(_ change: @escaping @Sendable (TandemStore) throws -> Void) {
        Task { @MainActor in
            let result = await model.edit(change)
            _ = problems.show(result, fields: [])
        }
    }
}

/// One wellbeing entry of the practitioner's, and what of it their coach sees: nothing until they
/// share it (the WHO-5 alone, or every measure) and nothing again once they withdraw it.
@MainActor
struct WellbeingCard: View {
    let entry: WellbeingEntry
    /// The copy in the coaching relationship, when shared.
    let shared: SharedWellbeing?
    let docId: String
    @EnvironmentObject var model: AppModel
    @State var problems = Problems()

    var body: some View {
        let day = Day.long(entry.date)
        ItemCard {
            Text(day).font(.headline)
            Detail(wellbeingLine(who5: entry.who5Percent, stress: entry.stress, burnout: entry.burnout))
            FormProblem(problem: problems.other)
            let id = entry.id
            let docId = self.docId
            if let shared {
                Detail(L.f("wellbeing_shared_as",
                           wellbeingLine(who5: shared.who5Percent, stress: shared.stress, burnout: shared.burnout)))
                QuietButton(L.t("wellbeing_withdraw")) {
                    run { try $0.coaching().withdrawWellbeing(entryId: id, coachingDoc: docId) }
                }
                .accessibilityLabel(L.f("ios_described", L.t("wellbeing_withdraw"), day))
            } else {
                Detail(L.t("wellbeing_private"))
                if entry.who5Percent != nil {
                    QuietButton(L.t("wellbeing_share_who5")) {
                        run {
                            _ = try $0.coaching().shareWellbeing(
                                entryId: id, coachingDoc: docId,
                                measures: WellbeingMeasures(who5: true, stress: false, burnout: false))
                        }
                    }
                    .accessibilityLabel(L.f("ios_described", L.t("wellbeing_share_who5"), day))
                }
                QuietButton(L.t("wellbeing_share_all")) {
                    run {
                        _ = try $0.coaching().shareWellbeing(
                            entryId: id, coachingDoc: docId,
                            measures: WellbeingMeasures(who5: true, stress: true, burnout: true))
                    }
                }
                .accessibilityLabel(L.f("ios_described", L.t("wellbeing_share_all"), day))
            }
        }
    }

    private func run(_ change: @escaping @Sendable (TandemStore) throws -> Void) {
        Task { @MainActor in
            let result = await model.edit(change)
            _ = problems.show(result, fields: [])
        }
    }
}

/// WHO-5: the five statements as the core words them, each answered 0 to 5, with its credit;
/// then stress and burnout, 0–10, each left out when empty. Only the person sees it until they
/// share it (WellbeingCard).
@MainActor
struct WellbeingForm: View {
    let docId: String
    @EnvironmentObject var model: AppModel
    @State var problems = Problems()
    @State var answers: [Int32?] = [nil, nil, nil, nil, nil]
    @State var stress = ""
    @State var burnout = ""

    var body: some View {
        FormScreen(intro: L.t("wellbeing_form_intro"), problems: $problems,
                   fields: ["who5", "stress", "burnout", "date"], save: save) {
            ForEach(Array(measureWords.who5Items.enumerated()), id: \.offset) { item in
                Text(item.element).font(.headline)
                Choices(options: Array(Int32(0)...Int32(5)), selected: Set([answers[item.offset]].compactMap { $0 }),
                        label: who5Answer) { answers[item.offset] = $0 }
                    .accessibilityElement(children: .contain)
                    .accessibilityLabel(item.element)
            }
            FieldError(problem: problems["who5"])
            Detail(measureWords.who5Credit)
            RatingField(label: measureWords.stressItem, text: $stress, field: "stress", problems: problems,
                        hint: L.t("optional"))
            RatingField(label: measureWords.burnoutItem, text: $burnout, field: "burnout", problems: problems,
                        hint: L.t("optional"))
        }
    }

    private func save() -> Change? {
        let given = answers.compactMap { $0 }
        guard given.count == answers.count else {
            problems.local("who5", L.t("wellbeing_answer_all"))
            return nil
        }
        var stressScore: Int32? = nil
        if !stress.trimmed.isEmpty {
            guard let n = problems.number("stress", stress) else { return nil }
            stressScore = n
        }
        var burnoutScore: Int32? = nil
        if !burnout.trimmed.isEmpty {
            guard let n = problems.number("burnout", burnout) else { return nil }
            burnoutScore = n
        }
        let input = WellbeingInput(date: model.todayDate, who5: given, stress: stressScore, burnout: burnoutScore)
        return { _ = try $0.coaching().addWellbeing(input: input) }
    }
}
