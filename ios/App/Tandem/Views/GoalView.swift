// One goal (GoalScreen in GoalScreens.kt's twin): its ratings, the values it serves, its target
// and what would count as reaching it; its steps (add, reorder, mark done), the plans toward it
// and a way to plan for it; for a practitioner, sharing it alone with their coach; changing and
// removing it. Every edit is the core's; its refusal shows here in its words.
//
// NOT COMPILED: see ios/README.md, "App".

import SwiftUI
import Tandem

@MainActor
struct GoalView: View {
    let goalId: String
    @EnvironmentObject var model: AppModel
    @State var problems = Problems()
    @State var newStep = ""
    /// The practitioner's coaching relationship, for sharing this goal (none for anyone else).
    @State var coaching: CoachingRelationship? = nil

    var body: some View {
        ScrollView {
            VStack(alignment: .leading, spacing: 12) {
                if let journey = model.journey, let goal = journey.goals.first(where: { $0.id == goalId }) {
                    about(goal, journey)
                    steps(goal)
                    plans(goal, journey)
                    if let docId = coachingDoc, let coaching {
                        GoalWithCoach(goalId: goal.id, docId: docId, coaching: coaching)
                    }
                    let id = goal.id
                    ItemActions(name: goal.text, change: .editGoal(id: id)) { try $0.removeGoal(id: id) }
                } else {
                    EmptyNote(L.t("goal_gone"))
                }
            }
            .padding(16)
        }
        .task(id: model.revision) { await loadCoaching() }
    }

    /// A practitioner's coaching with their coach, where a goal of theirs may be shared.
    private var coachingDoc: String? {
        guard model.server?.role == .practitioner else { return nil }
        return model.people.first { $0.role == .coach }?.relationshipDocId
    }

    private func loadCoaching() async {
        guard let docId = coachingDoc else { return }
        coaching = try? await model.read { try $0.coaching().relationship(docId: docId) }
    }

    @ViewBuilder
    private func about(_ goal: Goal, _ journey: Journey) -> some View {
        Text(goal.text).font(.title2.weight(.semibold))
        Detail(L.f("goal_ratings", Int(goal.importance), Int(goal.confidence)))
        let served = goal.valueIds.compactMap { id in journey.values.first { $0.id == id }?.text }
        if !served.isEmpty { Detail(L.f("goal_serves", served.joined(separator: ", "))) }
        if let target = goal.targetDate { Detail(L.f("goal_target", Day.long(target))) }
        ForEach(goal.attainmentLevels.sorted { $0.level < $1.level }, id: \.level) { level in
            Detail(L.f("ios_described", attainmentWords(level.level), level.description))
        }
        FormProblem(problem: problems.other)
    }

    @ViewBuilder
    private func steps(_ goal: Goal) -> some View {
        Heading(L.t("steps_heading"))
        if goal.steps.isEmpty { EmptyNote(L.t("steps_empty")) }
        ForEach(Array(goal.steps.enumerated()), id: \.element.id) { item in
            let step = item.element
            let index = item.offset
            ItemCard {
                Toggle(isOn: Binding(get: { step.done }, set: { done in
                    run { try $0.setStepDone(goalId: goal.id, stepId: step.id, done: done) }
                })) {
                    Text(step.text)
                }
                .frame(minHeight: 44)
                .accessibilityLabel(step.text)
                HStack(spacing: 16) {
                    if index > 0 {
                        QuietButton(L.t("step_up")) {
                            run { try $0.moveStep(goalId: goal.id, stepId: step.id, index: UInt32(index - 1)) }
                        }
                        .accessibilityLabel(L.f("step_up_description", step.text))
                    }
                    if index < goal.steps.count - 1 {
                        QuietButton(L.t("step_down")) {
                            run { try $0.moveStep(goalId: goal.id, stepId: step.id, index: UInt32(index + 1)) }
                        }
                        .accessibilityLabel(L.f("step_down_description", step.text))
                    }
                }
            }
        }
        TextInput(label: L.t("step_new"), text: $newStep, field: "text", problems: problems)
        SecondButton(L.t("step_add")) { addStep(goal.id) }
    }

    @ViewBuilder
    private func plans(_ goal: Goal, _ journey: Journey) -> some View {
        Heading(L.t("goal_plans_heading"))
        let plans = journey.plans.filter { $0.goalId == goal.id }
        if plans.isEmpty { EmptyNote(L.t("goal_plans_empty")) }
        ForEach(plans, id: \.id) { plan in
            ItemCard {
                Text(plan.what).font(.headline)
                Detail(scheduleWords(plan.schedule))
            }
        }
        NavigationLink(value: Route.addPlan(goalId: goal.id, journeyId: nil)) {
            Text(L.t("goal_make_plan")).font(.headline).frame(maxWidth: .infinity, minHeight: 44)
        }
        .buttonStyle(.borderedProminent)
    }

    /// One edit of the goal's steps; a refusal shows at the top.
    private func run(_ change: @escaping @Sendable (TandemStore) throws -> Void) {
        Task { @MainActor in
            let result = await model.edit(change)
            _ = problems.show(result, fields: [])
        }
    }

    private func addStep(_ goalId: String) {
        let text = newStep
        Task { @MainActor in
            let result = await model.edit { try $0.addStep(goalId: goalId, text: text) }
            if problems.show(result, fields: ["text"]) { newStep = "" }
        }
    }
}

/// A practitioner's own goal and their coach (WithCoach in GoalScreens.kt): share it alone (its
/// steps and plans, as of now; transformational coaching only, which the core checks, its refusal
/// shown here) or withdraw it. Nothing for anyone else.
@MainActor
struct GoalWithCoach: View {
    let goalId: String
    let docId: String
    let coaching: CoachingRelationship
    @EnvironmentObject var model: AppModel
    @State var problems = Problems()

    var body: some View {
        let shared = coaching.goals.contains { $0.sourceId == goalId }
        let docId = self.docId
        Heading(L.t("goal_with_coach"))
        FormProblem(problem: problems.other)
        if shared {
            Detail(L.t("goal_shared_with_coach"))
            QuietButton(L.t("goal_withdraw_from_coach")) {
                let goalId = self.goalId
                run { try $0.coaching().withdrawGoal(goalId: goalId, coachingDoc: docId) }
            }
        } else {
            Detail(L.t("goal_share_what"))
            SecondButton(L.t("goal_share_with_coach")) {
                let goalId = self.goalId
                run { _ = try $0.coaching().shareGoal(goalId: goalId, coachingDoc: docId, now: nil) }
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
