// Insights (InsightsScreen.kt's twin): the last four weeks as pictures, from the core's
// `insights`: what happened week by week and for each plan (the core's counts, stacked; its rate
// in words), streaks, what got in the way, and how review ratings moved. Swift Charts draws the
// core's figures as they are; nothing here counts or rates.

import Charts
import SwiftUI
import Tandem

@MainActor
struct InsightsView: View {
    @EnvironmentObject var model: AppModel

    var body: some View {
        ScrollView {
            VStack(alignment: .leading, spacing: 12) {
                let range = model.insightsRange
                Detail(L.f("insights_range", Day.short(range.from), Day.short(range.to)))
                if let insights = model.insights, !Self.nothingYet(insights) {
                    WeeksChart(insights: insights)
                    PlanInsights(insights: insights)
                    ReasonsChart(insights: insights)
                    TrendCharts(insights: insights, goals: model.journey?.goals ?? [])
                } else {
                    ItemCard {
                        Text(L.t("insights_empty")).font(.headline)
                        Detail(L.t("insights_empty_detail"))
                    }
                }
            }
            .padding(16)
        }
    }

    private static func nothingYet(_ insights: Insights) -> Bool {
        insights.perWeek.isEmpty && insights.trends.isEmpty
            && insights.perPlan.allSatisfy { $0.completion.planned == 0 && $0.unplanned == 0 }
    }
}

/// One stacked segment: how many of a week's (or a plan's) occurrences went one way.
struct CountBar: Identifiable {
    let id: String
    let group: String
    let kind: String
    let count: Int

    /// The core's counts of one completion, as four segments.
    static func of(_ completion: Completion, id: String, group: String) -> [CountBar] {
        let counts: [(String, UInt32)] = [
            (L.t("status_done"), completion.done),
            (L.t("status_partly"), completion.partly),
            (L.t("status_not_done"), completion.notDone),
            (L.t("ios_chart_unanswered"), completion.unanswered),
        ]
        return counts.map { kind, count in
            CountBar(id: "\(id)|\(kind)", group: group, kind: kind, count: Int(count))
        }
    }
}

/// The same four colours everywhere, and never colour alone: every chart has its words beside it.
private let outcomeColours: KeyValuePairs<String, Color> = [
    L.t("status_done"): .blue,
    L.t("status_partly"): .teal,
    L.t("status_not_done"): .orange,
    L.t("ios_chart_unanswered"): .gray,
]

struct WeeksChart: View {
    let insights: Insights

    var body: some View {
        Heading(L.t("insights_weeks"))
        if insights.perWeek.isEmpty {
            EmptyNote(L.t("insights_weeks_empty"))
        } else {
            Chart(bars) { bar in
                BarMark(x: .value(L.t("ios_chart_week"), bar.group),
                        y: .value(L.t("ios_chart_times"), bar.count))
                    .foregroundStyle(by: .value(L.t("ios_chart_outcome"), bar.kind))
            }
            .chartForegroundStyleScale(outcomeColours)
            .frame(height: 200)
            ForEach(insights.perWeek, id: \.weekStart) { week in
                VStack(alignment: .leading, spacing: 2) {
                    Text(L.f("insights_week_of", Day.short(week.weekStart))).font(.headline)
                    Detail(completionWords(week.completion))
                }
            }
        }
    }

    private var bars: [CountBar] {
        insights.perWeek.flatMap { week in
            CountBar.of(week.completion, id: week.weekStart, group: Day.short(week.weekStart))
        }
    }
}

struct PlanInsights: View {
    let insights: Insights

    var body: some View {
        if !insights.perPlan.isEmpty {
            Heading(L.t("insights_plans"))
            ForEach(insights.perPlan, id: \.planId) { plan in
                ItemCard {
                    Text(plan.what).font(.headline)
                    if plan.completion.planned > 0 {
                        Chart(CountBar.of(plan.completion, id: plan.planId, group: plan.what)) { bar in
                            BarMark(x: .value(L.t("ios_chart_times"), bar.count),
                                    y: .value(L.t("ios_chart_plan"), bar.group))
                                .foregroundStyle(by: .value(L.t("ios_chart_outcome"), bar.kind))
                        }
                        .chartForegroundStyleScale(outcomeColours)
                        .chartYAxis(.hidden)
                        .chartLegend(.hidden)
                        .frame(height: 28)
                        .accessibilityHidden(true)  // the words below say it
                    }
                    Detail(completionWords(plan.completion))
                    let line = streakLine(plan)
                    if !line.isEmpty { Detail(line) }
                }
            }
        }
    }

    /// Streaks only once there has been one (a run of nothing is not news), and extra times.
    private func streakLine(_ plan: PlanInsight) -> String {
        var parts: [String] = []
        if plan.longestStreak > 0 {
            parts.append(L.count("insights_streak_one", "insights_streak_other", Int(plan.currentStreak)))
            parts.append(L.f("insights_best_streak", Int(plan.longestStreak)))
        }
        if plan.unplanned > 0 {
            parts.append(L.count("insights_unplanned_one", "insights_unplanned_other", Int(plan.unplanned)))
        }
        return parts.joined(separator: " · ")
    }
}

struct ReasonsChart: View {
    let insights: Insights

    var body: some View {
        if !insights.reasons.isEmpty {
            Heading(L.t("insights_reasons"))
            Detail(L.t("insights_reasons_intro"))
            Chart(insights.reasons, id: \.reason) { reason in
                BarMark(x: .value(L.t("ios_chart_times"), Int(reason.count)),
                        y: .value(L.t("ios_chart_reason"), reason.reason.words))
                    .annotation(position: .trailing) {
                        Text(L.count("insights_times_one", "insights_times_other", Int(reason.count)))
                            .font(.caption)
                    }
            }
            .frame(height: CGFloat(insights.reasons.count) * 40 + 24)
            if insights.otherTexts > 0 {
                Detail(L.count("insights_own_words_one", "insights_own_words_other", Int(insights.otherTexts)))
            }
        }
    }
}

struct TrendCharts: View {
    let insights: Insights
    let goals: [Goal]

    var body: some View {
        if !insights.trends.isEmpty {
            Heading(L.t("insights_trends"))
            ForEach(Array(insights.trends.enumerated()), id: \.offset) { item in
                TrendCard(trend: item.element, goals: goals)
            }
        }
    }
}

struct TrendCard: View {
    let trend: RatingTrend
    let goals: [Goal]

    var body: some View {
        let about = trend.goalId.flatMap { id in goals.first { $0.id == id }?.text } ?? L.t("review_whole_journey")
        let attainment = trend.metric == .attainment
        ItemCard {
            Text(trend.metric.words).font(.headline)
            Detail(about)
            Chart(Array(trend.points.enumerated()), id: \.offset) { item in
                LineMark(x: .value(L.t("ios_chart_date"), Day.plotted(item.element.date) ?? Date()),
                         y: .value(trend.metric.words, item.element.value))
                PointMark(x: .value(L.t("ios_chart_date"), Day.plotted(item.element.date) ?? Date()),
                          y: .value(trend.metric.words, item.element.value))
            }
            .chartYScale(domain: attainment ? -2.0...2.0 : 0.0...10.0)
            .frame(height: 140)
            .accessibilityLabel("\(about), \(trend.metric.words): \(words)")
            if trend.points.count > 1, let first = trend.points.first, let last = trend.points.last {
                HStack {
                    Detail(Day.short(first.date))
                    Spacer()
                    Detail(Day.short(last.date))
                }
            }
            Detail(words)
        }
    }

    /// "From 5 to 7, up 2", from the core's first, last and change.
    private var words: String {
        if trend.points.count == 1 { return L.f("trend_one", number(trend.first)) }
        if trend.change > 0 { return L.f("trend_up", number(trend.first), number(trend.last), number(trend.change)) }
        if trend.change < 0 { return L.f("trend_down", number(trend.first), number(trend.last), number(-trend.change)) }
        return L.f("trend_same", number(trend.first))
    }

    private func number(_ value: Double) -> String {
        if value.rounded() == value { return String(Int(value)) }
        return String(format: "%.1f", locale: Locale.current, value)
    }
}
