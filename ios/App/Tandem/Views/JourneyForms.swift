// The forms that add to the journey (WhatMattersForms.kt, GoalScreens.kt, PlanForm.kt and
// ReviewForm.kt's twins): what is typed is handed to the core as it is, and the core's sentence
// shows beside the field it names. Values, strengths, supports, goals and plans are changed
// through the same forms filled in (`editing`). A plan and a review can be written into a
// client's journey too (`journeyId`: a practitioner with write access), through the same form.
// A goal's steps are on its own screen (GoalView.swift).

import SwiftUI
import Tandem

/// A new value, or a change to `editing` (the core's `updateValue`).
@MainActor
struct ValueForm: View {
    let editing: Value?
    @State var problems = Problems()
    @State var text: String
    @State var area: LifeArea
    @State var importance: String

    init(editing: Value? = nil) {
        self.editing = editing
        _text = State(initialValue: editing?.text ?? "")
        _area = State(initialValue: editing?.lifeArea ?? .family)
        _importance = State(initialValue: String(editing?.importance ?? 5))
    }

    var body: some View {
        FormScreen(intro: L.t("value_intro"), problems: $problems,
                   fields: ["text", "life_area", "importance"], save: save) {
            TextInput(label: L.t("value_text"), text: $text, field: "text", problems: problems,
                      hint: L.t("value_text_hint"))
            Text(L.t("value_area")).font(.headline)
            Choices(options: allLifeAreas, selected: [area], label: { $0.words }) { area = $0 }
            RatingField(label: L.t("value_importance"), text: $importance, field: "importance",
                        problems: problems, hint: L.t("ruler_hint"))
        }
    }

    private func save() -> Change? {
        guard let rating = problems.number("importance", importance) else { return nil }
        let input = ValueInput(text: text, lifeArea: area, importance: rating)
        let id = editing?.id
        return { store in
            if let id { try store.updateValue(id: id, input: input) } else { _ = try store.addValue(input: input) }
        }
    }
}

/// A new strength, or a change to `editing`.
@MainActor
struct StrengthForm: View {
    let editing: Strength?
    @State var problems = Problems()
    @State var text: String
    @State var example: String

    init(editing: Strength? = nil) {
        self.editing = editing
        _text = State(initialValue: editing?.text ?? "")
        _example = State(initialValue: editing?.example ?? "")
    }

    var body: some View {
        FormScreen(intro: L.t("strength_intro"), problems: $problems, fields: ["text", "example"],
                   save: save) {
            TextInput(label: L.t("strength_text"), text: $text, field: "text", problems: problems,
                      hint: L.t("strength_text_hint"))
            TextInput(label: L.t("strength_example"), text: $example, field: "example",
                      problems: problems, hint: L.t("strength_example_hint"), multiline: true)
        }
    }

    private func save() -> Change? {
        let input = StrengthInput(text: text, example: example.isEmpty ? nil : example)
        let id = editing?.id
        return { store in
            if let id { try store.updateStrength(id: id, input: input) } else { _ = try store.addStrength(input: input) }
        }
    }
}

/// A new support, or a change to `editing`.
@MainActor
struct SupportForm: View {
    let editing: Support?
    @State var problems = Problems()
    @State var name: String
    @State var kind: SupportKind
    @State var note: String

    init(editing: Support? = nil) {
        self.editing = editing
        _name = State(initialValue: editing?.name ?? "")
        _kind = State(initialValue: editing?.kind ?? .person)
        _note = State(initialValue: editing?.note ?? "")
    }

    var body: some View {
        FormScreen(intro: L.t("support_intro"), problems: $problems, fields: ["name", "kind", "note"],
                   save: save) {
            TextInput(label: L.t("support_name"), text: $name, field: "name", problems: problems,
                      hint: L.t("support_name_hint"))
            Text(L.t("support_kind")).font(.headline)
            Choices(options: allSupportKinds, selected: [kind], label: { $0.words }) { kind = $0 }
            TextInput(label: L.t("support_note"), text: $note, field: "note", problems: problems,
                      hint: L.t("support_note_hint"), multiline: true)
        }
    }

    private func save() -> Change? {
        let input = SupportInput(name: name, kind: kind, note: note.isEmpty ? nil : note)
        let id = editing?.id
        return { store in
            if let id { try store.updateSupport(id: id, input: input) } else { _ = try store.addSupport(input: input) }
        }
    }
}

@MainActor
struct VisionForm: View {
    @EnvironmentObject var model: AppModel
    @State var problems = Problems()
    @State var text = ""

    var body: some View {
        FormScreen(intro: L.t("vision_intro"), problems: $problems, fields: ["text", "written_on"],
                   save: save) {
            TextInput(label: L.t("vision_text"), text: $text, field: "text", problems: problems,
                      multiline: true)
        }
        .onAppear {
            if text.isEmpty { text = model.journey?.visions.last?.text ?? "" }
        }
    }

    private func save() -> Change? {
        let text = self.text
        let on = model.todayDate
        return { _ = try $0.setVision(text: text, writtenOn: on) }
    }
}

/// The target-date choices of the goal form: the date a goal has, none, or so many months from
/// today.
enum TargetChoice: Hashable {
    case keep, noDate, months(Int)
}

/// The goal-attainment levels a goal may describe, −2 to +2.
let attainmentScale: [Int32] = [-2, -1, 0, 1, 2]

/// A new goal, or a change to `editing` (its steps stay as they are): its words, the values it
/// serves, framing, who proposed it, ratings, a target date and what would count as reaching it.
@MainActor
struct GoalForm: View {
    let editing: Goal?
    @EnvironmentObject var model: AppModel
    @State var problems = Problems()
    @State var text: String
    @State var valueIds: Set<String>
    @State var framing: Framing
    @State var proposedBy: ProposedBy
    @State var importance: String
    @State var confidence: String
    @State var target: TargetChoice
    @State var levels: [String]

    init(editing: Goal? = nil) {
        self.editing = editing
        _text = State(initialValue: editing?.text ?? "")
        _valueIds = State(initialValue: Set(editing?.valueIds ?? []))
        _framing = State(initialValue: editing?.framing ?? .approach)
        _proposedBy = State(initialValue: editing?.proposedBy ?? .myself)
        _importance = State(initialValue: String(editing?.importance ?? 5))
        _confidence = State(initialValue: String(editing?.confidence ?? 5))
        _target = State(initialValue: editing?.targetDate != nil ? .keep : .noDate)
        _levels = State(initialValue: attainmentScale.map { level in
            editing?.attainmentLevels.first { $0.level == level }?.description ?? ""
        })
    }

    static let fields: Set<String> = Set(["text", "value_ids", "importance", "confidence", "target_date"]
        + (0..<5).map { "attainment_levels[\($0)].description" })

    var body: some View {
        let values = model.journey?.values ?? []
        FormScreen(intro: L.t("goal_intro"), problems: $problems, fields: Self.fields, save: save) {
            TextInput(label: L.t("goal_text"), text: $text, field: "text", problems: problems,
                      hint: L.t("goal_text_hint"))
            Text(L.t("goal_framing")).font(.headline)
            Choices(options: [Framing.approach, .avoidance], selected: [framing], label: { $0.words }) {
                framing = $0
            }
            if !values.isEmpty {
                Text(L.t("goal_values")).font(.headline)
                Choices(options: values.map(\.id), selected: valueIds,
                        label: { id in values.first { $0.id == id }?.text ?? id }) { id in
                    if valueIds.contains(id) { valueIds.remove(id) } else { valueIds.insert(id) }
                }
                FieldError(problem: problems["value_ids"])
            }
            Text(L.t("goal_proposed_by")).font(.headline)
            Choices(options: [ProposedBy.myself, .supporter, .together], selected: [proposedBy],
                    label: { $0.words }) { proposedBy = $0 }
            RatingField(label: L.t("goal_importance"), text: $importance, field: "importance",
                        problems: problems, hint: L.t("goal_importance_hint"))
            RatingField(label: L.t("goal_confidence"), text: $confidence, field: "confidence",
                        problems: problems, hint: L.t("goal_confidence_hint"))
            Group {
                Text(L.t("goal_by_when")).font(.headline)
                Choices(options: targetChoices, selected: [target], label: targetWords) { target = $0 }
                FieldError(problem: problems["target_date"])
            }
            Group {
                Text(L.t("goal_levels")).font(.headline)
                Detail(L.t("goal_levels_intro"))
                ForEach(Array(attainmentScale.enumerated()), id: \.offset) { item in
                    TextInput(label: attainmentWords(item.element), text: $levels[item.offset],
                              field: "attainment_levels[\(item.offset)].description", problems: problems,
                              hint: L.t("optional"))
                }
            }
        }
    }

    private var targetChoices: [TargetChoice] {
        (editing?.targetDate != nil ? [.keep] : []) + [.noDate, .months(1), .months(3), .months(6), .months(12)]
    }

    private func targetWords(_ choice: TargetChoice) -> String {
        switch choice {
        case .keep: return L.f("goal_keep_date", Day.short(editing?.targetDate ?? ""))
        case .noDate: return L.t("goal_no_date")
        case .months(let n): return L.count("goal_in_months_one", "goal_in_months_other", n)
        }
    }

    private func save() -> Change? {
        guard let i = problems.number("importance", importance) else { return nil }
        guard let c = problems.number("confidence", confidence) else { return nil }
        let chosen = (model.journey?.values ?? []).map(\.id).filter { valueIds.contains($0) }
        let targetDate: String?
        switch target {
        case .keep: targetDate = editing?.targetDate
        case .noDate: targetDate = nil
        case .months(let n): targetDate = Day.adding(months: n, to: model.todayDate)
        }
        let described = zip(attainmentScale, levels).compactMap { level, words in
            words.trimmed.isEmpty ? nil : AttainmentLevel(level: level, description: words)
        }
        let input = GoalInput(text: text, valueIds: chosen, framing: framing, proposedBy: proposedBy,
                              targetDate: targetDate, importance: i, confidence: c,
                              attainmentLevels: described)
        let id = editing?.id
        return { store in
            if let id { try store.updateGoal(id: id, input: input) } else { _ = try store.addGoal(input: input) }
        }
    }
}

/// One time of day typed in the plan form.
struct TimeEntry: Identifiable {
    let id = UUID()
    var text = ""
}

/// A new action plan, or a change to `editing`: what, for which goal, the schedule (days of the
/// week or every N days, times), who agreed, reminders. A changed schedule counts from today.
@MainActor
struct PlanForm: View {
    let goalId: String?
    let journeyId: String?
    let editing: ActionPlan?
    @EnvironmentObject var model: AppModel
    @State var problems = Problems()
    @State var what = ""
    @State var goal: String?
    @State var weekly = true
    @State var days: Set<Weekday> = []
    @State var everyN = "1"
    @State var times: [TimeEntry] = []
    @State var minutes = ""
    @State var place = ""
    @State var barriers = ""
    @State var supports = ""
    @State var agreedByMe = true
    @State var agreedBySupporter: Bool
    @State var reminder = true

    static let fields: Set<String> = [
        "what", "schedule.days", "schedule.every_n_days", "schedule.times", "duration_minutes", "place",
        "barriers", "supports", "agreed_by", "goal_id", "start",
    ]

    init(goalId: String?, journeyId: String?, editing: ActionPlan? = nil) {
        self.goalId = goalId
        self.journeyId = journeyId
        self.editing = editing
        _goal = State(initialValue: goalId)
        // A practitioner writing into a client's journey agrees the plan with them.
        _agreedBySupporter = State(initialValue: editing.map { $0.agreedBy.contains(.supporter) } ?? (journeyId != nil))
        if let editing {
            _what = State(initialValue: editing.what)
            switch editing.schedule.repeat {
            case .weekly(let days):
                _weekly = State(initialValue: true)
                _days = State(initialValue: Set(days))
            case .everyNDays(let n):
                _weekly = State(initialValue: false)
                _everyN = State(initialValue: String(n))
            }
            _times = State(initialValue: editing.schedule.times.map { TimeEntry(text: $0) })
            _minutes = State(initialValue: editing.durationMinutes.map { String($0) } ?? "")
            _place = State(initialValue: editing.place ?? "")
            _barriers = State(initialValue: editing.barriers ?? "")
            _supports = State(initialValue: editing.supports ?? "")
            _agreedByMe = State(initialValue: editing.agreedBy.contains(.myself))
            _reminder = State(initialValue: editing.reminder)
        }
    }

    var body: some View {
        let goals = model.goals(of: journeyId)
        FormScreen(intro: L.t(editing == nil ? "plan_intro" : "plan_edit_intro"), problems: $problems,
                   fields: Self.fields, save: save) {
            TextInput(label: L.t("plan_what"), text: $what, field: "what", problems: problems,
                      hint: L.t("plan_what_hint"))
            if !goals.isEmpty {
                Text(L.t("plan_goal")).font(.headline)
                Choices(options: [nil] + goals.map { Optional($0.id) }, selected: [goal],
                        label: { id in goalText(id, goals) }) { goal = $0 }
            }
            Group {
                Heading(L.t("plan_when"))
                Choices(options: [true, false], selected: [weekly],
                        label: { $0 ? L.t("plan_repeat_weekly") : L.t("plan_repeat_every_n") }) { weekly = $0 }
                if weekly {
                    Text(L.t("plan_days")).font(.headline)
                    Choices(options: allWeekdays, selected: days, label: { $0.short }) { day in
                        if days.contains(day) { days.remove(day) } else { days.insert(day) }
                    }
                    FieldError(problem: problems["schedule.days"])
                } else {
                    TextInput(label: L.t("plan_every_n"), text: $everyN, field: "schedule.every_n_days",
                              problems: problems, hint: L.t("plan_every_n_hint"), keyboard: .numberPad)
                }
            }
            Group {
                Text(L.t("plan_times")).font(.headline)
                Detail(times.isEmpty ? L.t("plan_times_none") : L.t("plan_times_hint"))
                ForEach($times) { $entry in
                    let number = (times.firstIndex { $0.id == entry.id } ?? 0) + 1
                    HStack(alignment: .bottom) {
                        TextInput(label: L.f("plan_time_n", number), text: $entry.text, field: "schedule.times",
                                  problems: Problems(), hint: L.t("plan_time_hint"),
                                  keyboard: .numbersAndPunctuation, plain: true)
                        QuietButton(L.t("remove")) { times.removeAll { $0.id == entry.id } }
                            .accessibilityLabel(L.f("plan_time_remove", number))
                    }
                }
                FieldError(problem: problems["schedule.times"])
                SecondButton(L.t("plan_time_add")) { times.append(TimeEntry()) }
            }
            Group {
                TextInput(label: L.t("plan_minutes"), text: $minutes, field: "duration_minutes",
                          problems: problems, hint: L.t("optional"), keyboard: .numberPad)
                TextInput(label: L.t("plan_where"), text: $place, field: "place", problems: problems,
                          hint: L.t("optional"))
                TextInput(label: L.t("plan_barriers"), text: $barriers, field: "barriers", problems: problems,
                          hint: L.t("plan_barriers_hint"), multiline: true)
                TextInput(label: L.t("plan_supports"), text: $supports, field: "supports", problems: problems,
                          hint: L.t("plan_supports_hint"), multiline: true)
            }
            Group {
                Text(L.t("plan_agreed_by")).font(.headline)
                Toggle(L.t("plan_agreed_me"), isOn: $agreedByMe)
                Toggle(L.t("plan_agreed_supporter"), isOn: $agreedBySupporter)
                FieldError(problem: problems["agreed_by"])
                Toggle(L.t("plan_reminder"), isOn: $reminder)
            }
        }
    }

    private func goalText(_ id: String?, _ goals: [Goal]) -> String {
        guard let id else { return L.t("plan_no_goal") }
        return goals.first { $0.id == id }?.text ?? id
    }

    private func save() -> Change? {
        let rule: Repeat
        if weekly {
            rule = .weekly(days: allWeekdays.filter { days.contains($0) })
        } else {
            guard let n = problems.count("schedule.every_n_days", everyN) else { return nil }
            rule = .everyNDays(n: n)
        }
        var duration: UInt32? = nil
        if !minutes.trimmed.isEmpty {
            guard let n = problems.count("duration_minutes", minutes) else { return nil }
            duration = n
        }
        var parties: [Party] = []
        if agreedByMe { parties.append(.myself) }
        if agreedBySupporter { parties.append(.supporter) }
        // What this form does not show stays as the plan had it: the step it serves, its end.
        let input = PlanInput(
            what: what,
            schedule: Schedule(repeat: rule, times: times.map(\.text).filter { !$0.isEmpty }),
            start: editing?.start ?? model.todayDate,
            place: place.isEmpty ? nil : place,
            durationMinutes: duration,
            goalId: goal,
            stepId: goal == editing?.goalId ? editing?.stepId : nil,
            barriers: barriers.isEmpty ? nil : barriers,
            supports: supports.isEmpty ? nil : supports,
            agreedBy: parties,
            reminder: reminder,
            end: editing?.end)
        let journeyId = self.journeyId
        let planId = editing?.id
        return { store in
            switch (journeyId, planId) {
            case (let journeyId?, let planId?):
                try store.linkedJourney(journeyId: journeyId).updatePlan(planId: planId, input: input)
            case (let journeyId?, nil):
                _ = try store.linkedJourney(journeyId: journeyId).addPlan(input: input)
            case (nil, let planId?):
                try store.updatePlan(id: planId, input: input)
            case (nil, nil):
                _ = try store.addPlan(input: input)
            }
        }
    }
}

/// A review of the journey as a whole or of one goal: motivation, confidence, progress, attainment.
@MainActor
struct ReviewForm: View {
    let journeyId: String?
    @EnvironmentObject var model: AppModel
    @State var problems = Problems()
    @State var goalId: String? = nil
    @State var motivation = "5"
    @State var confidence = "5"
    @State var progress = "5"
    @State var attainment: Int32? = nil
    @State var note = ""

    var body: some View {
        let goals = model.goals(of: journeyId)
        FormScreen(intro: L.t("review_intro"), problems: $problems,
                   fields: ["motivation", "confidence", "progress", "attainment", "note", "goal_id"],
                   save: save) {
            if !goals.isEmpty {
                Text(L.t("review_about")).font(.headline)
                Choices(options: [nil] + goals.map { Optional($0.id) }, selected: [goalId],
                        label: { id in goalText(id, goals) }) { goalId = $0 }
            }
            RatingField(label: L.t("review_motivation"), text: $motivation, field: "motivation",
                        problems: problems, hint: L.t("review_motivation_hint"))
            RatingField(label: L.t("review_confidence"), text: $confidence, field: "confidence",
                        problems: problems, hint: L.t("review_confidence_hint"))
            RatingField(label: L.t("review_progress"), text: $progress, field: "progress",
                        problems: problems, hint: L.t("review_progress_hint"))
            if goalId != nil {
                Text(L.t("review_attainment")).font(.headline)
                Choices(options: [nil, -2, -1, 0, 1, 2] as [Int32?], selected: [attainment],
                        label: { $0.map(attainmentWords) ?? L.t("review_attainment_skip") }) { attainment = $0 }
                FieldError(problem: problems["attainment"])
            }
            TextInput(label: L.t("review_note"), text: $note, field: "note", problems: problems,
                      hint: L.t("optional"), multiline: true)
        }
    }

    private func goalText(_ id: String?, _ goals: [Goal]) -> String {
        guard let id else { return L.t("review_whole_journey") }
        return goals.first { $0.id == id }?.text ?? id
    }

    private func save() -> Change? {
        guard let m = problems.number("motivation", motivation) else { return nil }
        guard let c = problems.number("confidence", confidence) else { return nil }
        guard let p = problems.number("progress", progress) else { return nil }
        let input = ReviewInput(
            date: model.todayDate, motivation: m, confidence: c, progress: p, goalId: goalId,
            attainment: goalId == nil ? nil : attainment, note: note.isEmpty ? nil : note)
        let journeyId = self.journeyId
        return { store in
            if let journeyId {
                _ = try store.linkedJourney(journeyId: journeyId).addReview(input: input)
            } else {
                _ = try store.addReview(input: input)
            }
        }
    }
}
