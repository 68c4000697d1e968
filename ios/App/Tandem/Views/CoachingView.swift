// A practitioner's coaching with their coach (CoachingScreen.kt's twin): the condition, sessions
// and cases (SessionsViews.swift); the parallel view of the last four weeks as charts, their own
// plans beside their clients' week by week ("not enough data" where fewer than three clients
// contributed), the ruptures on both sides and the prompts; an alliance check-in about the coach;
// private reflections, shared or withdrawn; wellbeing, shared or withdrawn; and sharing a
// summary, saying plainly what the coach will see. Every figure comes from the core (its
// `parallelView`, its rates); Swift Charts draws them as they are, and the words beside each
// chart say the same.
//
// NOT COMPILED: see ios/README.md, "App".

import Charts
import SwiftUI
import Tandem

/// What the coaching screen shows beyond the model: read from the core, again after every change.
struct CoachingData: Sendable {
    let coaching: CoachingRelationship
    let view: ParallelView
    let reflections: [Reflection]
    let entries: [WellbeingEntry]
}

@MainActor
struct CoachingView: View {
    let docId: String
    @EnvironmentObject var model: AppModel
    @State var data: CoachingData? = nil
    @State var problem: String? = nil
    @State var problems = Problems()
    @State var withWellbeing = false
    @State var note = ""
    @State var sharing = false

    var body: some View {
        ScrollView {
            VStack(alignment: .leading, spacing: 12) {
                FormProblem(problem: problem)
                if let data {
                    SessionsSection(docId: docId, coaching: data.coaching)
                    ParallelSection(view: data.view)
                    OpenButton(L.t("alliance_open_coach"), .addAlliance(docId: docId, aboutCoach: true))
                    reflections(data)
                    wellbeing(data)
                    share(data)
                } else if problem == nil {
                    EmptyNote(L.t("loading"))
                }
            }
            .padding(16)
        }
        .task(id: model.revision) { await load() }
    }

    @ViewBuilder
    private func reflections(_ data: CoachingData) -> some View {
        Heading(L.t("reflections"))
        if data.reflections.isEmpty { EmptyNote(L.t("reflections_empty")) }
        ForEach(data.reflections, id: \.id) { reflection in
            ReflectionCard(reflection: reflection, docId: docId)
        }
        OpenButton(L.t("reflection_add"), .addReflection)
    }

    @ViewBuilder
    private func wellbeing(_ data: CoachingData) -> some View {
        Heading(L.t("wellbeing_title"))
        Detail(L.t("wellbeing_intro"))
        ForEach(Array(data.entries.sorted { $0.date > $1.date }.prefix(6)), id: \.id) { entry in
            WellbeingCard(entry: entry, shared: data.coaching.wellbeing.first { $0.sourceId == entry.id },
                          docId: docId)
        }
        OpenButton(L.t("wellbeing_add"), .addWellbeing(docId: docId))
    }

    @ViewBuilder
    private func share(_ data: CoachingData) -> some View {
        Heading(L.t("coaching_share"))
        Text(L.t("coaching_share_what"))
        FormProblem(problem: problems.other)
        Toggle(L.t("coaching_share_wellbeing"), isOn: $withWellbeing).frame(minHeight: 44)
        TextInput(label: L.t("coaching_share_note"), text: $note, field: "note", problems: problems,
                  hint: L.t("optional"), multiline: true)
        if let last = data.coaching.summaries.max(by: { $0.sharedAt < $1.sharedAt }) {
            Detail(L.f("coaching_shared_last", Day.long(last.sharedAt, in: model.zone)))
        }
        MainButton(L.t("coaching_share_button"), enabled: !sharing) { shareSummary() }
    }

    private func load() async {
        let docId = self.docId
        let range = model.insightsRange
        let from = range.from
        let to = range.to
        do {
            data = try await model.read { store -> CoachingData in
                let view = try store.parallel().parallelView(from: from, to: to, now: nil)
                let coaching = store.coaching()
                return CoachingData(
                    coaching: try coaching.relationship(docId: docId), view: view,
                    reflections: try coaching.reflections(), entries: try coaching.wellbeing())
            }
            problem = nil
        } catch {
            problem = error.sentence
        }
    }

    /// Shares the summary of the weeks on show; the core computes it (off the main thread).
    private func shareSummary() {
        let docId = self.docId
        let range = model.insightsRange
        let from = range.from
        let to = range.to
        let choices = SummaryChoices(includeWellbeing: withWellbeing, note: note.trimmed.isEmpty ? nil : note)
        sharing = true
        Task { @MainActor in
            let result = await model.edit {
                _ = try $0.parallel().shareSummary(coachingDoc: docId, from: from, to: to, choices: choices, now: nil)
            }
            sharing = false
            if problems.show(result, fields: ["note"]) { note = "" }
        }
    }
}

/// One bar of the parallel charts: a week's figure for one side (the practitioner's own plans,
/// their clients'; their ruptures with their coach, their clients').
struct ParallelBar: Identifiable {
    let id: String
    let week: String
    let side: String
    let value: Int
    /// The core gave no figure for the clients this week: fewer than three contributed.
    let notEnough: Bool
}

/// The parallel view: the charts, then each week in words, then the prompts.
struct ParallelSection: View {
    let view: ParallelView

    private static let you = L.t("coaching_you")
    private static let clients = L.t("ios_chart_your_clients")
    private static let withCoach = L.t("ios_chart_with_coach")
    private static let forClients = L.t("ios_chart_for_clients")

    var body: some View {
        Heading(L.t("coaching_parallel"))
        Detail(L.t("coaching_parallel_intro"))
        if !view.weeks.isEmpty {
            completionChart
            if hasRuptures { ruptureChart }
        }
        ForEach(view.weeks, id: \.weekStart) { week in
            ParallelWeekCard(week: week)
        }
        if !view.prompts.isEmpty {
            Heading(L.t("coaching_prompts"))
            ForEach(Array(view.prompts.enumerated()), id: \.offset) { item in
                HStack(alignment: .firstTextBaseline, spacing: 8) {
                    Text(verbatim: "•").accessibilityHidden(true)
                    Text(item.element.text)
                }
            }
        }
    }

    /// The core's rate of each week, as a percentage: own plans beside the clients'.
    private var completionChart: some View {
        Chart(completionBars) { bar in
            BarMark(x: .value(L.t("ios_chart_week"), bar.week),
                    y: .value(L.t("ios_chart_done_percent"), bar.value))
                .foregroundStyle(by: .value(L.t("ios_chart_whose"), bar.side))
                .position(by: .value(L.t("ios_chart_whose"), bar.side))
                .annotation(position: .top) {
                    if bar.notEnough {
                        Text(L.t("ios_chart_not_enough"))
                            .font(.caption2)
                            .multilineTextAlignment(.center)
                            .frame(width: 64)
                    }
                }
        }
        .chartForegroundStyleScale([Self.you: Color.blue, Self.clients: Color.orange])
        .chartYScale(domain: 0...100)
        .frame(height: 220)
        .accessibilityHidden(true)  // each week's card below says it in words
    }

    private var completionBars: [ParallelBar] {
        view.weeks.flatMap { week -> [ParallelBar] in
            let label = Day.short(week.weekStart)
            let own = week.own.rate.map(percent) ?? 0
            let theirs = week.clients?.completion.rate.map(percent) ?? 0
            return [
                ParallelBar(id: week.weekStart + "|own", week: label, side: Self.you, value: own, notEnough: false),
                ParallelBar(id: week.weekStart + "|clients", week: label, side: Self.clients, value: theirs,
                            notEnough: week.clients == nil),
            ]
        }
    }

    private var hasRuptures: Bool {
        view.weeks.contains { $0.coachingRuptures > 0 || ($0.clientRuptures?.ruptures ?? 0) > 0 }
    }

    /// How often something felt off, each week: with the coach (the practitioner's own check-ins)
    /// beside their clients' (a total over three or more clients, or not enough data).
    @ViewBuilder
    private var ruptureChart: some View {
        Text(L.t("ios_chart_ruptures")).font(.headline)
        Chart(ruptureBars) { bar in
            BarMark(x: .value(L.t("ios_chart_week"), bar.week),
                    y: .value(L.t("ios_chart_ruptures"), bar.value))
                .foregroundStyle(by: .value(L.t("ios_chart_side"), bar.side))
                .position(by: .value(L.t("ios_chart_side"), bar.side))
                .annotation(position: .top) {
                    if bar.notEnough {
                        Text(L.t("ios_chart_not_enough"))
                            .font(.caption2)
                            .multilineTextAlignment(.center)
                            .frame(width: 64)
                    }
                }
        }
        .chartForegroundStyleScale([Self.withCoach: Color.purple, Self.forClients: Color.teal])
        .frame(height: 180)
        .accessibilityHidden(true)  // each week's card below says it in words
    }

    private var ruptureBars: [ParallelBar] {
        view.weeks.flatMap { week -> [ParallelBar] in
            let label = Day.short(week.weekStart)
            return [
                ParallelBar(id: week.weekStart + "|coach", week: label, side: Self.withCoach,
                            value: Int(week.coachingRuptures), notEnough: false),
                ParallelBar(id: week.weekStart + "|clients", week: label, side: Self.forClients,
                            value: Int(week.clientRuptures?.ruptures ?? 0), notEnough: week.clientRuptures == nil),
            ]
        }
    }
}

/// One week of the parallel view in words: own plans, clients' (or not enough data), ruptures on
/// both sides, wellbeing.
struct ParallelWeekCard: View {
    let week: ParallelWeek

    var body: some View {
        ItemCard {
            Text(L.f("coach_week", Day.short(week.weekStart))).font(.headline)
            Text(completionLine(L.t("coaching_you"), week.own))
            if let clients = week.clients {
                Text(completionLine(L.f("coaching_clients", Int(clients.clients)), clients.completion))
            } else {
                Detail(L.t("coaching_clients_not_enough"))
            }
            if week.coachingRuptures > 0 {
                Detail(L.f("coaching_ruptures_coach", Int(week.coachingRuptures)))
            }
            if let theirs = week.clientRuptures {
                Detail(L.f("coaching_ruptures_clients", Int(theirs.ruptures), Int(theirs.clients)))
            }
            if let who5 = week.wellbeing?.who5Percent {
                Detail(L.f("coaching_wellbeing_you", Int(who5.rounded())))
            }
        }
        .accessibilityElement(children: .combine)
    }

    /// "You: 75% done (3 of 4)", from the core's completion; "nothing planned" when it gives no rate.
    private func completionLine(_ who: String, _ completion: Completion) -> String {
        guard completion.planned > 0, let rate = completion.rate else {
            return L.f("coaching_nothing_planned", who)
        }
        return L.f("coaching_rate", who, percent(rate), Int(completion.done), Int(completion.planned))
    }
}
