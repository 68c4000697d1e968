// Journey (JourneyScreen.kt's twin): the four stages of the journey as the core gives them: what
// matters (values, strengths, supports, the vision), goals, plans and reviews; each with a way
// to add one (JourneyForms.swift), and each item changed or removed (ItemActions). A goal opens
// its own screen (GoalView.swift). Ending a plan is made here too.

import SwiftUI
import Tandem

@MainActor
struct JourneyView: View {
    @EnvironmentObject var model: AppModel

    var body: some View {
        ScrollView {
            VStack(alignment: .leading, spacing: 12) {
                StageSelector()
                if let journey = model.journey {
                    switch model.stage {
                    case .whatMatters: WhatMattersSection(journey: journey)
                    case .goals: GoalsSection(journey: journey)
                    case .plans: PlansSection(journey: journey)
                    case .reviews: ReviewsSection(journey: journey)
                    }
                }
            }
            .padding(16)
        }
        // Each stage opens at its top, not where the last one was scrolled to.
        .id(model.stage)
    }
}

/// The four stages as two rows of two equal buttons, numbered, the one on show filled.
@MainActor
struct StageSelector: View {
    @EnvironmentObject var model: AppModel

    var body: some View {
        LazyVGrid(columns: [GridItem(.flexible(), spacing: 8), GridItem(.flexible(), spacing: 8)], spacing: 8) {
            ForEach(Array(Stage.allCases.enumerated()), id: \.element) { item in
                ChoiceButton(text: "\(item.offset + 1)  \(item.element.words)",
                             chosen: model.stage == item.element) {
                    model.stage = item.element
                }
            }
        }
    }
}

/// Values by life area (in the order they first appear), for showing.
struct AreaGroup {
    let area: LifeArea
    let values: [Value]

    static func of(_ values: [Value]) -> [AreaGroup] {
        var order: [LifeArea] = []
        var byArea: [LifeArea: [Value]] = [:]
        for value in values {
            if byArea[value.lifeArea] == nil { order.append(value.lifeArea) }
            byArea[value.lifeArea, default: []].append(value)
        }
        return order.map { AreaGroup(area: $0, values: byArea[$0] ?? []) }
    }
}

struct WhatMattersSection: View {
    let journey: Journey

    var body: some View {
        // Four groups: a view builder takes ten views at most (before the iOS 17 SDK).
        Group {
            Heading(L.t("values_heading"))
            Detail(L.t("values_intro"))
            if journey.values.isEmpty { EmptyNote(L.t("values_empty")) }
            ForEach(AreaGroup.of(journey.values), id: \.area) { group in
                ItemCard {
                    Text(group.area.words).font(.subheadline.weight(.semibold)).foregroundColor(.accentColor)
                    ForEach(group.values, id: \.id) { value in
                        Text(value.text).font(.headline)
                        Detail(L.f("values_importance", Int(value.importance)))
                        let id = value.id
                        ItemActions(name: value.text, change: .editValue(id: id)) { try $0.removeValue(id: id) }
                    }
                }
            }
            OpenButton(L.t("values_add"), .addValue)
        }
        Group {
            Heading(L.t("strengths_heading"))
            if journey.strengths.isEmpty { EmptyNote(L.t("strengths_empty")) }
            ForEach(journey.strengths, id: \.id) { strength in
                ItemCard {
                    Text(strength.text).font(.headline)
                    if let example = strength.example { Detail(L.f("strengths_example", example)) }
                    let id = strength.id
                    ItemActions(name: strength.text, change: .editStrength(id: id)) { try $0.removeStrength(id: id) }
                }
            }
            OpenButton(L.t("strengths_add"), .addStrength)
        }
        Group {
            Heading(L.t("supports_heading"))
            if journey.supports.isEmpty { EmptyNote(L.t("supports_empty")) }
            ForEach(journey.supports, id: \.id) { support in
                ItemCard {
                    Text(support.name).font(.headline)
                    Detail(([support.kind.words] + [support.note].compactMap { $0 }).joined(separator: " · "))
                    let id = support.id
                    ItemActions(name: support.name, change: .editSupport(id: id)) { try $0.removeSupport(id: id) }
                }
            }
            OpenButton(L.t("supports_add"), .addSupport)
        }
        Group {
            Heading(L.t("vision_heading"))
            if let vision = journey.visions.last {
                ItemCard {
                    Text(vision.text)
                    Detail(L.f("vision_written", Day.short(vision.writtenOn)))
                }
            } else {
                EmptyNote(L.t("vision_empty"))
            }
            OpenButton(journey.visions.isEmpty ? L.t("vision_write") : L.t("vision_rewrite"), .writeVision)
        }
    }
}

struct GoalsSection: View {
    let journey: Journey

    var body: some View {
        Heading(L.t("goals_heading"))
        Detail(L.t("goals_intro"))
        if journey.goals.isEmpty { EmptyNote(L.t("goals_empty")) }
        ForEach(journey.goals, id: \.id) { goal in
            // The whole card opens the goal's screen: its steps, plans and changes.
            NavigationLink(value: Route.goal(id: goal.id)) {
                ItemCard {
                    Text(goal.text).font(.headline)
                    Detail(L.f("goal_ratings", Int(goal.importance), Int(goal.confidence)))
                    Detail([goal.status.words, stepsWords(goal)].joined(separator: " · "))
                    Text(L.t("goal_open")).font(.subheadline.weight(.semibold)).foregroundColor(.accentColor)
                }
                .multilineTextAlignment(.leading)
            }
            .buttonStyle(.plain)
            .accessibilityElement(children: .combine)
            .accessibilityAddTraits(.isButton)
        }
        OpenButton(L.t("goals_add"), .addGoal)
    }

    private func stepsWords(_ goal: Goal) -> String {
        if goal.steps.isEmpty { return L.t("goal_no_steps") }
        return L.f("goal_steps_done", goal.steps.filter(\.done).count, goal.steps.count)
    }
}

struct PlansSection: View {
    let journey: Journey

    var body: some View {
        Heading(L.t("plans_heading"))
        Detail(L.t("plans_intro"))
        if journey.plans.isEmpty { EmptyNote(L.t("plans_empty")) }
        ForEach(journey.plans, id: \.id) { plan in
            PlanCard(plan: plan, goal: journey.goals.first { $0.id == plan.goalId })
        }
        OpenButton(L.t("plans_add"), .addPlan(goalId: nil, journeyId: nil))
    }
}

@MainActor
struct PlanCard: View {
    let plan: ActionPlan
    let goal: Goal?
    @EnvironmentObject var model: AppModel
    @State var confirmEnd = false
    @State var problems = Problems()

    var body: some View {
        ItemCard {
            Text(plan.what).font(.headline)
            Detail(scheduleWords(plan.schedule))
            Detail(details)
            if let goal { Detail(L.f("plan_for_goal", goal.text)) }
            FormProblem(problem: problems.other)
            if let end = plan.end {
                Detail(L.f("plan_ends", Day.short(end)))
            } else if !confirmEnd {
                QuietButton(L.t("plan_end")) { confirmEnd = true }
            } else {
                Text(L.t("plan_end_confirm"))
                SecondButton(L.t("plan_end_yes")) { endPlan() }
                QuietButton(L.t("plan_end_no")) { confirmEnd = false }
            }
            if !confirmEnd {
                let id = plan.id
                ItemActions(name: plan.what, change: plan.end == nil ? .editPlan(planId: id, journeyId: nil) : nil) {
                    try $0.removePlan(id: id)
                }
            }
        }
    }

    private var details: String {
        var parts: [String] = []
        if let place = plan.place { parts.append(L.f("plan_where_detail", place)) }
        if let minutes = plan.durationMinutes { parts.append(L.f("plan_minutes_detail", Int(minutes))) }
        parts.append(plan.reminder ? L.t("plan_reminder_on") : L.t("plan_reminder_off"))
        return parts.joined(separator: " · ")
    }

    private func endPlan() {
        let id = plan.id
        let today = model.todayDate
        Task { @MainActor in
            let result = await model.edit { try $0.endPlan(id: id, lastDay: today) }
            if problems.show(result, fields: []) { confirmEnd = false }
        }
    }
}

struct ReviewsSection: View {
    let journey: Journey

    var body: some View {
        Heading(L.t("reviews_heading"))
        Detail(L.t("reviews_intro"))
        if journey.reviews.isEmpty { EmptyNote(L.t("reviews_empty")) }
        ForEach(journey.reviews.reversed(), id: \.id) { review in
            ReviewCard(review: review, goals: journey.goals)
        }
        OpenButton(L.t("reviews_add"), .addReview(journeyId: nil))
    }
}

struct ReviewCard: View {
    let review: Review
    let goals: [Goal]

    var body: some View {
        ItemCard {
            Text(review.goalId.flatMap { id in goals.first { $0.id == id }?.text } ?? L.t("review_whole_journey"))
                .font(.headline)
            Detail(Day.short(review.date))
            Detail(L.f("review_ratings", Int(review.motivation), Int(review.confidence), Int(review.progress)))
            if let attainment = review.attainment {
                Detail(L.f("review_attainment_detail", attainmentWords(attainment)))
            }
            if let note = review.note { Text(note) }
        }
    }
}

/// "Change" (when `change` is given) and "Remove" under one item (ItemActions in
/// WhatMattersForms.kt), each labelled with the item's name for VoiceOver; removing is asked once
/// more, saying it goes from every device that shares the journey, then the core removes it.
/// NOT COMPILED here.
@MainActor
struct ItemActions: View {
    let name: String
    var change: Route? = nil
    let remove: @Sendable (TandemStore) throws -> Void
    @EnvironmentObject var model: AppModel
    @State var asking = false
    @State var problems = Problems()

    var body: some View {
        if asking {
            Text(L.f("item_remove_what", name))
            FormProblem(problem: problems.other)
            SecondButton(L.t("item_remove_yes")) {
                let remove = self.remove
                Task { @MainActor in
                    let result = await model.edit { try remove($0) }
                    if problems.show(result, fields: []) { asking = false }
                }
            }
            QuietButton(L.t("item_keep")) { asking = false }
        } else {
            HStack(spacing: 16) {
                if let change {
                    NavigationLink(value: change) { Text(L.t("item_change")).frame(minHeight: 44) }
                        .buttonStyle(.borderless)
                        .accessibilityLabel(L.f("item_change_described", name))
                }
                QuietButton(L.t("item_remove")) { asking = true }
                    .accessibilityLabel(L.f("item_remove_described", name))
            }
        }
    }
}
