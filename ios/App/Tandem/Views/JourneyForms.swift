// The forms that add to the journey (WhatMattersForms.kt, GoalScreens.kt, PlanForm.kt and
// ReviewForm.kt's twins), kept minimal: what is typed is handed to the core as it is, and the
// core's sentence shows beside the field it names. A plan and a review can be written into a
// client's journey too (`journeyId`: a practitioner with write access), through the same form.
//
// Left out here, and in the Kotlin forms: a plan's place, minutes, barriers and supports; a
// goal's steps, target date and attainment scale.

import SwiftUI
import Tandem

@MainActor
struct ValueForm: View {
    @State var problems = Problems()
    @State var text = ""
    @State var area: LifeArea = .family
    @State var importance = "5"

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
        return { _ = try $0.addValue(input: input) }
    }
}

@MainActor
struct StrengthForm: View {
    @State var problems = Problems()
    @State var text = ""
    @State var example = ""

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
        return { _ = try $0.addStrength(input: input) }
    }
}

@MainActor
struct SupportForm: View {
    @State var problems = Problems()
    @State var name = ""
    @State var kind: SupportKind = .person
    @State var note = ""

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
        return { _ = try $0.addSupport(input: input) }
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

@MainActor
struct GoalForm: View {
    @EnvironmentObject var model: AppModel
    @State var problems = Problems()
    @State var text = ""
    @State var valueIds: Set<String> = []
    @State var framing: Framing = .approach
    @State var proposedBy: ProposedBy = .myself
    @State var importance = "5"
    @State var confidence = "5"

    var body: some View {
        let values = model.journey?.values ?? []
        FormScreen(intro: L.t("goal_intro"), problems: $problems,
                   fields: ["text", "value_ids", "importance", "confidence"], save: save) {
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
        }
    }

    private func save() -> Change? {
        guard let i = problems.number("importance", importance) else { return nil }
        guard let c = problems.number("confidence", confidence) else { return nil }
        let chosen = (model.journey?.values ?? []).map(\.id).filter { valueIds.contains($0) }
        let input = GoalInput(text: text, valueIds: chosen, framing: framing, proposedBy: proposedBy,
                              importance: i, confidence: c)
        return { _ = try $0.addGoal(input: input) }
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
    @State var agreedByMe = true
    @State var agreedBySupporter: Bool
    @State var reminder = true

    static let fields: Set<String> = [
        "what", "schedule.days", "schedule.every_n_days", "schedule.times", "agreed_by", "goal_id",
        "start",
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
        var parties: [Party] = []
        if agreedByMe { parties.append(.myself) }
        if agreedBySupporter { parties.append(.supporter) }
        // What this form does not show stays as the plan had it.
        let input = PlanInput(
            what: what,
            schedule: Schedule(repeat: rule, times: times.map(\.text).filter { !$0.isEmpty }),
            start: editing?.start ?? model.todayDate,
            place: editing?.place,
            durationMinutes: editing?.durationMinutes,
            goalId: goal,
            stepId: goal == editing?.goalId ? editing?.stepId : nil,
            barriers: editing?.barriers,
            supports: editing?.supports,
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
