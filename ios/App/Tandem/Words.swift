// The words for the core's records and enums, and the dates the core gives, from
// Localizable.strings (its keys are the names in android/app/src/main/res/values/strings.xml, one
// for one). Presentation only: no rule of the protocol lives here.

import Foundation
import Tandem

/// The app's sentences, by their strings.xml name.
enum L {
    /// The string `key`, as written.
    static func t(_ key: String) -> String {
        NSLocalizedString(key, tableName: nil, bundle: .main, value: key, comment: "")
    }

    /// The string `key` with its placeholders filled (`%1$@` takes a String, `%1$ld` an Int).
    static func f(_ key: String, _ args: CVarArg...) -> String {
        String(format: t(key), locale: Locale.current, arguments: args)
    }

    /// `one` when `count` is 1, else `other`, each filled with `count`.
    static func count(_ one: String, _ other: String, _ count: Int) -> String {
        f(count == 1 ? one : other, count)
    }
}

extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }

    /// Paragraphs separated by blank lines (consent texts).
    var paragraphs: [String] { components(separatedBy: "\n\n") }
}

// ----- the core's enums in words -----

let allReasons: [Reason] = [
    .forgot, .noTime, .tooTired, .unwell, .lowMood, .anxious, .lowMotivation, .somethingCameUp,
    .planDidNotFit, .other,
]
let allLifeAreas: [LifeArea] = [
    .relationships, .family, .work, .learning, .health, .leisure, .community, .spirituality, .home,
    .other,
]
let allSupportKinds: [SupportKind] = [.person, .service, .resource]
let allWeekdays: [Weekday] = [.mon, .tue, .wed, .thu, .fri, .sat, .sun]
let allOutcomes: [Outcome] = [.done, .partly, .notDone]

extension LifeArea {
    var words: String {
        switch self {
        case .relationships: return L.t("area_relationships")
        case .family: return L.t("area_family")
        case .work: return L.t("area_work")
        case .learning: return L.t("area_learning")
        case .health: return L.t("area_health")
        case .leisure: return L.t("area_leisure")
        case .community: return L.t("area_community")
        case .spirituality: return L.t("area_spirituality")
        case .home: return L.t("area_home")
        case .other: return L.t("area_other")
        }
    }
}

extension SupportKind {
    var words: String {
        switch self {
        case .person: return L.t("support_kind_person")
        case .service: return L.t("support_kind_service")
        case .resource: return L.t("support_kind_resource")
        }
    }
}

extension Reason {
    var words: String {
        switch self {
        case .forgot: return L.t("reason_forgot")
        case .noTime: return L.t("reason_no_time")
        case .tooTired: return L.t("reason_too_tired")
        case .unwell: return L.t("reason_unwell")
        case .lowMood: return L.t("reason_low_mood")
        case .anxious: return L.t("reason_anxious")
        case .lowMotivation: return L.t("reason_low_motivation")
        case .somethingCameUp: return L.t("reason_something_came_up")
        case .planDidNotFit: return L.t("reason_plan_did_not_fit")
        case .other: return L.t("reason_other")
        }
    }
}

extension Outcome {
    var words: String {
        switch self {
        case .done: return L.t("outcome_done")
        case .partly: return L.t("outcome_partly")
        case .notDone: return L.t("outcome_not_done")
        }
    }
}

extension OccurrenceStatus {
    var words: String {
        switch self {
        case .done: return L.t("status_done")
        case .partly: return L.t("status_partly")
        case .notDone: return L.t("status_not_done")
        case .due: return L.t("status_due")
        case .missed: return L.t("status_missed")
        }
    }
}

extension GoalStatus {
    var words: String {
        switch self {
        case .active: return L.t("goal_status_active")
        case .paused: return L.t("goal_status_paused")
        case .completed: return L.t("goal_status_completed")
        case .letGo: return L.t("goal_status_let_go")
        }
    }
}

extension Metric {
    var words: String {
        switch self {
        case .motivation: return L.t("metric_motivation")
        case .confidence: return L.t("metric_confidence")
        case .progress: return L.t("metric_progress")
        case .attainment: return L.t("metric_attainment")
        }
    }
}

extension Role {
    var words: String {
        switch self {
        case .client: return L.t("people_role_client")
        case .practitioner: return L.t("people_role_practitioner")
        case .coach: return L.t("people_role_coach")
        }
    }
}

extension Framing {
    var words: String {
        switch self {
        case .approach: return L.t("goal_framing_approach")
        case .avoidance: return L.t("goal_framing_avoidance")
        }
    }
}

extension ProposedBy {
    var words: String {
        switch self {
        case .myself: return L.t("proposed_myself")
        case .supporter: return L.t("proposed_supporter")
        case .together: return L.t("proposed_together")
        }
    }
}

extension Weekday {
    /// "Mon", in the person's language (the calendar's symbols start on Sunday).
    var short: String {
        let symbols = Calendar.current.shortWeekdaySymbols
        let index: Int
        switch self {
        case .sun: index = 0
        case .mon: index = 1
        case .tue: index = 2
        case .wed: index = 3
        case .thu: index = 4
        case .fri: index = 5
        case .sat: index = 6
        }
        return symbols.indices.contains(index) ? symbols[index] : "\(self)"
    }
}

/// A coaching condition in words; none set yet when nil.
func conditionWords(_ condition: CoachingCondition?) -> String {
    switch condition {
    case .some(.skillsAcquisition): return L.t("coach_condition_skills")
    case .some(.transformational): return L.t("coach_condition_transformational")
    case .none: return L.t("coach_condition_none")
    }
}

/// A goal-attainment level in words: "As expected (0)".
func attainmentWords(_ level: Int32) -> String {
    switch level {
    case -2: return L.f("attainment_minus_2", Int(level))
    case -1: return L.f("attainment_minus_1", Int(level))
    case 0: return L.f("attainment_0", Int(level))
    case 1: return L.f("attainment_plus_1", Int(level))
    case 2: return L.f("attainment_plus_2", Int(level))
    default: return L.f("attainment_other", Int(level))
    }
}

/// A WHO-5 answer (0 "at no time" to 5 "all of the time") in words.
func who5Answer(_ score: Int32) -> String {
    L.t("who5_\(min(max(score, 0), 5))")
}

/// A wellbeing entry's measures in words, those it has ("WHO-5 64% · stress 3 of 10").
func wellbeingLine(who5: Int32?, stress: Int32?, burnout: Int32?) -> String {
    let parts = [
        who5.map { L.f("wellbeing_who5_is", Int($0)) },
        stress.map { L.f("wellbeing_stress_is", Int($0)) },
        burnout.map { L.f("wellbeing_burnout_is", Int($0)) },
    ].compactMap { $0 }
    return parts.isEmpty ? L.t("wellbeing_nothing") : parts.joined(separator: " · ")
}

/// "Mon, Wed, Fri at 08:00" / "Every 2 days, any time", from a plan's schedule.
func scheduleWords(_ schedule: Schedule) -> String {
    let days: String
    switch schedule.`repeat` {
    case .weekly(let weekdays):
        days = weekdays.count == 7
            ? L.t("schedule_every_day") : weekdays.map(\.short).joined(separator: ", ")
    case .everyNDays(let n):
        days = n == 1 ? L.t("schedule_every_day") : L.f("schedule_every_n_days", Int(n))
    }
    if schedule.times.isEmpty { return L.f("schedule_any_time", days) }
    return L.f("schedule_at_times", days, schedule.times.joined(separator: ", "))
}

/// The core's rate (0…1) as a whole percentage, for showing.
func percent(_ rate: Double) -> Int { Int((rate * 100).rounded()) }

/// "75% · 3 of 4 done, 1 partly", from the core's completion figures.
func completionWords(_ c: Completion) -> String {
    guard let rate = c.rate else { return L.t("insights_nothing_planned") }
    var parts = [L.f("insights_done_of", Int(c.done), Int(c.planned))]
    if c.partly > 0 { parts.append(L.f("insights_partly", Int(c.partly))) }
    if c.notDone > 0 { parts.append(L.f("insights_not_done", Int(c.notDone))) }
    if c.unanswered > 0 { parts.append(L.f("insights_unanswered", Int(c.unanswered))) }
    return L.f("insights_rate", percent(rate), parts.joined(separator: ", "))
}

// ----- dates -----

/// The core's dates (`YYYY-MM-DD` strings, in the person's time zone) and instants, for showing.
enum Day {
    private static func isoFormatter(_ zone: TimeZone) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter
    }

    private static func patterned(_ patternKey: String, _ zone: TimeZone) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale.current
        formatter.timeZone = zone
        formatter.dateFormat = L.t(patternKey)
        return formatter
    }

    private static let utc = TimeZone(identifier: "UTC") ?? .current

    /// The date of `instant` in `zone`, as the core takes dates: `YYYY-MM-DD`.
    static func iso(_ instant: Date, in zone: TimeZone) -> String {
        isoFormatter(zone).string(from: instant)
    }

    /// A week's calendar (Monday first) in `zone`.
    static func calendar(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        calendar.firstWeekday = 2
        calendar.minimumDaysInFirstWeek = 4
        return calendar
    }

    /// What the Insights tab covers: this week and the three before it, up to today.
    static func insightsRange(now: Date, zone: TimeZone) -> (from: String, to: String) {
        let weeks = Self.calendar(zone)
        let monday = weeks.dateInterval(of: .weekOfYear, for: now)?.start ?? now
        let start = weeks.date(byAdding: .weekOfYear, value: -3, to: monday) ?? monday
        return (iso(start, in: zone), iso(now, in: zone))
    }

    /// "Tuesday 1 December", from a core date.
    static func long(_ date: String) -> String {
        guard let day = isoFormatter(utc).date(from: date) else { return date }
        return patterned("date_pattern_long", utc).string(from: day)
    }

    /// "1 Dec", from a core date.
    static func short(_ date: String) -> String {
        guard let day = isoFormatter(utc).date(from: date) else { return date }
        return patterned("date_pattern_short", utc).string(from: day)
    }

    /// "Tuesday 1 December", the day `instant` falls on in `zone`.
    static func long(_ instant: Date, in zone: TimeZone) -> String {
        patterned("date_pattern_long", zone).string(from: instant)
    }

    /// Noon of a core date in `zone`: the instant the core's `today` answers that day for.
    static func noon(_ date: String, in zone: TimeZone) -> Date? {
        let parts = date.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        return calendar(zone).date(
            from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: 12))
    }

    /// The core date `days` days after `date` (a session's day, picked as "in a week").
    static func adding(days: Int, to date: String) -> String {
        guard let day = isoFormatter(utc).date(from: date),
              let later = calendar(utc).date(byAdding: .day, value: days, to: day) else { return date }
        return iso(later, in: utc)
    }

    /// The core date `months` months after `date` (a goal's target, picked as "in 3 months").
    static func adding(months: Int, to date: String) -> String {
        guard let day = isoFormatter(utc).date(from: date),
              let later = calendar(utc).date(byAdding: .month, value: months, to: day) else { return date }
        return iso(later, in: utc)
    }

    /// A core date at noon where the phone is, for a chart's axis (which draws in that zone).
    static func plotted(_ date: String) -> Date? {
        let parts = date.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        return Calendar.current.date(
            from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: 12))
    }
}

// ----- errors -----

extension Error {
    /// The error as a sentence a person can act on ("importance: 12 is outside 0–10"), the same
    /// sentence the Kotlin app shows (org.tandem.sentence).
    var sentence: String {
        if let problem = self as? CodeProblem { return problem.words }
        guard let error = self as? TandemError else { return localizedDescription }
        switch error {
        case .InvalidInput(let field, let problem): return "\(field): \(problem)"
        case .NotFound(let what): return "\(what) not found"
        case .NotPermitted(let reason): return "Not permitted: \(reason)"
        case .Refused(_, let detail): return detail
        case .Storage(let detail): return "Storage: \(detail)"
        case .Sync(let detail): return "Sync: \(detail)"
        case .NewerVersion(let detail): return detail
        case .Damaged(let detail): return detail
        case .KeyNeeded(let detail): return detail
        case .WrongKey(let detail): return detail
        case .Internal(let detail): return "Internal error: \(detail)"
        }
    }
}

/// Words to show beside a code, and the field they belong to (`server`, `code`, `name`; none:
/// at the top of the screen).
struct CodeProblem: Error {
    let field: String?
    let words: String
}

/// The words for a failed code call, by the core's typed reason (never by matching its sentence).
func codeProblem(_ error: Error, server: String) -> CodeProblem {
    if let problem = error as? CodeProblem { return problem }
    guard let error = error as? TandemError else {
        return CodeProblem(field: nil, words: error.sentence)
    }
    switch error {
    case .Refused(let reason, let detail):
        switch reason {
        case .unknownCode: return CodeProblem(field: "code", words: L.t("code_unknown"))
        case .codeUsed: return CodeProblem(field: "code", words: L.t("code_used"))
        case .codeExpired: return CodeProblem(field: "code", words: L.t("code_expired"))
        case .tooManyRequests: return CodeProblem(field: "code", words: L.t("code_too_many"))
        case .wrongRole: return CodeProblem(field: "code", words: L.t("code_wrong_role"))
        default: return CodeProblem(field: nil, words: detail)
        }
    case .InvalidInput(let field, let problem):
        if field == "server" { return CodeProblem(field: "server", words: L.t("code_bad_server")) }
        if field == "name" { return CodeProblem(field: "name", words: problem) }
        return CodeProblem(field: nil, words: error.sentence)
    case .Sync:
        return CodeProblem(field: "server", words: L.f("code_unreachable", server.trimmed))
    default:
        return CodeProblem(field: nil, words: error.sentence)
    }
}

// ----- identities for lists -----

extension TodayItem {
    /// One occurrence: its plan, date and time.
    var key: String { "\(occurrence.planId)|\(occurrence.date)|\(occurrence.time ?? "")" }
}
