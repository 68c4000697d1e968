// What a coaching relationship works on, its sessions and its cases, as either of its people sees
// them (SessionsSection.kt's twin): the condition (either may change it, from today), each
// session's date, agenda and comments, newest first; the cases the practitioner brought, each by
// its client's code. The practitioner plans sessions and brings cases; both comment. Who may do
// what is the core's rule: a refusal shows here in its words.
//
// NOT COMPILED: see ios/README.md, "App".

import SwiftUI
import Tandem

/// The condition, the sessions and the cases of the coaching relationship `docId`.
@MainActor
struct SessionsSection: View {
    let docId: String
    let coaching: CoachingRelationship
    @EnvironmentObject var model: AppModel
    @State var problems = Problems()

    var body: some View {
        let practitioner = coaching.practitioner == model.me
        Group {
            Heading(L.t("sessions_condition"))
            Detail(L.t("sessions_condition_intro"))
            FormProblem(problem: problems.other)
            Choices(options: [CoachingCondition.skillsAcquisition, .transformational],
                    selected: Set([coaching.condition].compactMap { $0 }),
                    label: { conditionWords($0) }) { setCondition($0) }
        }
        Group {
            Heading(L.t("sessions_title"))
            Detail(L.t(practitioner ? "sessions_intro_practitioner" : "sessions_intro_coach"))
            if coaching.sessions.isEmpty { EmptyNote(L.t("sessions_empty")) }
            ForEach(coaching.sessions.sorted { $0.date > $1.date }, id: \.id) { session in
                SessionCard(docId: docId, session: session, coaching: coaching)
            }
            if practitioner { OpenButton(L.t("session_add"), .addSession(docId: docId)) }
        }
        CaseReviews(docId: docId, coaching: coaching, practitioner: practitioner)
    }

    private func setCondition(_ chosen: CoachingCondition) {
        let docId = self.docId
        let today = model.todayDate
        Task { @MainActor in
            let result = await model.edit {
                _ = try $0.coaching().setCondition(docId: docId, condition: chosen, from: today, note: nil)
            }
            _ = problems.show(result, fields: [])
        }
    }
}

/// One session: its date, agenda and comments (who wrote each: "You", or the person's name).
@MainActor
struct SessionCard: View {
    let docId: String
    let session: CoachingSession
    let coaching: CoachingRelationship
    @EnvironmentObject var model: AppModel

    var body: some View {
        ItemCard {
            Text(L.f("session_on", Day.long(session.date))).font(.headline)
            Text(session.agenda)
            ForEach(session.comments, id: \.id) { comment in
                Detail(L.f("session_comment_by", who(comment.by), comment.text))
            }
            NavigationLink(value: Route.commentOnSession(docId: docId, sessionId: session.id)) {
                Text(L.t("session_comment_add")).frame(minHeight: 44)
            }
            .buttonStyle(.borderless)
            .accessibilityLabel(L.f("ios_session_comment_described", Day.long(session.date)))
        }
    }

    private func who(_ person: String) -> String {
        if person == model.me { return L.t("session_you") }
        return model.people.first { $0.personId == person }?.name
            ?? L.t(person == coaching.coach ? "people_role_coach" : "people_role_practitioner")
    }
}

/// The cases the practitioner brought to skills coaching, each by its client's code (the core's
/// `clientCode`: never a name), newest first; the practitioner brings and removes them, the coach
/// reads them.
@MainActor
struct CaseReviews: View {
    let docId: String
    let coaching: CoachingRelationship
    let practitioner: Bool

    var body: some View {
        Heading(L.t("case_reviews_title"))
        Detail(L.t(practitioner ? "case_reviews_intro_practitioner" : "case_reviews_intro_coach"))
        if coaching.caseReviews.isEmpty { EmptyNote(L.t("case_reviews_empty")) }
        ForEach(coaching.caseReviews.sorted { $0.date > $1.date }, id: \.id) { review in
            ItemCard {
                Text(review.question).font(.headline)
                Detail(L.f("case_review_on", Day.long(review.date), review.clientCode))
                if let notes = review.notes { Text(notes) }
                if practitioner {
                    let docId = self.docId
                    let id = review.id
                    ItemActions(name: review.question) {
                        try $0.coaching().removeCaseReview(docId: docId, reviewId: id)
                    }
                }
            }
        }
        if practitioner { OpenButton(L.t("case_review_add"), .addCaseReview(docId: docId)) }
    }
}

/// Brings a case: which client (by name here; the coach sees only its code), the question, notes.
@MainActor
struct CaseReviewForm: View {
    let docId: String
    @EnvironmentObject var model: AppModel
    @State var problems = Problems()
    @State var client: String? = nil
    @State var question = ""
    @State var notes = ""

    var body: some View {
        let clients = model.people.filter { $0.role == .client }
        FormScreen(intro: L.t("case_review_intro"), problems: $problems,
                   fields: ["date", "client_code", "question", "notes"], save: save) {
            Text(L.t("case_review_client")).font(.headline)
            if clients.isEmpty {
                EmptyNote(L.t("case_review_no_clients"))
            } else {
                Choices(options: clients.map(\.personId), selected: [client ?? clients[0].personId],
                        label: { id in clients.first { $0.personId == id }?.name ?? L.t("people_unnamed") }) {
                    client = $0
                }
            }
            FieldError(problem: problems["client_code"])
            TextInput(label: L.t("case_review_question"), text: $question, field: "question",
                      problems: problems, multiline: true)
            TextInput(label: L.t("case_review_notes"), text: $notes, field: "notes", problems: problems,
                      hint: L.t("optional"), multiline: true)
        }
    }

    private func save() -> Change? {
        guard let chosen = client ?? model.people.first(where: { $0.role == .client })?.personId else {
            problems.local("client_code", L.t("case_review_no_clients"))
            return nil
        }
        let docId = self.docId
        let date = model.todayDate
        let asked = question
        let written = notes.trimmed.isEmpty ? nil : notes
        return { store in
            let coaching = store.coaching()
            let code = try coaching.clientCode(clientPersonId: chosen)
            _ = try coaching.addCaseReview(
                docId: docId, input: CaseReviewInput(date: date, clientCode: code, question: asked, notes: written))
        }
    }
}

/// The sessions of the coaching relationship `docId`, on a screen of their own: the coach's way in
/// (SessionsScreen in SessionsSection.kt).
@MainActor
struct SessionsView: View {
    let docId: String
    @EnvironmentObject var model: AppModel
    @State var coaching: CoachingRelationship? = nil
    @State var problem: String? = nil

    var body: some View {
        ScrollView {
            VStack(alignment: .leading, spacing: 12) {
                FormProblem(problem: problem)
                if let coaching {
                    let name = model.people.first { $0.personId == coaching.practitioner }?.name
                        ?? L.t("people_unnamed")
                    Text(L.f("sessions_with", name)).font(.title2.weight(.semibold))
                    SessionsSection(docId: docId, coaching: coaching)
                } else if problem == nil {
                    EmptyNote(L.t("loading"))
                }
            }
            .padding(16)
        }
        .task(id: model.revision) {
            let docId = self.docId
            do {
                coaching = try await model.read { try $0.coaching().relationship(docId: docId) }
                problem = nil
            } catch {
                problem = error.sentence
            }
        }
    }
}

/// Plans a session: when (today, tomorrow, in one or two weeks) and the agenda.
@MainActor
struct SessionForm: View {
    let docId: String
    @EnvironmentObject var model: AppModel
    @State var problems = Problems()
    @State var inDays = 7
    @State var agenda = ""

    private static let days: [(Int, String)] = [
        (0, "session_today"), (1, "session_tomorrow"), (7, "session_in_week"), (14, "session_in_two_weeks"),
    ]

    var body: some View {
        FormScreen(intro: L.t("session_add_intro"), problems: $problems, fields: ["date", "agenda"],
                   save: save) {
            Text(L.t("session_when")).font(.headline)
            Choices(options: Self.days.map { $0.0 }, selected: [inDays],
                    label: { n in L.t(Self.days.first { $0.0 == n }?.1 ?? "session_today") }) { inDays = $0 }
            FieldError(problem: problems["date"])
            TextInput(label: L.t("session_agenda"), text: $agenda, field: "agenda", problems: problems,
                      multiline: true)
        }
    }

    private func save() -> Change? {
        let docId = self.docId
        let date = Day.adding(days: inDays, to: model.todayDate)
        let text = agenda
        return { _ = try $0.coaching().addSession(docId: docId, date: date, agenda: text) }
    }
}

/// A comment on a session, which both people of the relationship see.
@MainActor
struct SessionCommentForm: View {
    let docId: String
    let sessionId: String
    @State var problems = Problems()
    @State var text = ""

    var body: some View {
        FormScreen(intro: L.t("session_comment_intro"), problems: $problems, fields: ["text"], save: save) {
            TextInput(label: L.t("session_comment_text"), text: $text, field: "text", problems: problems,
                      multiline: true)
        }
    }

    private func save() -> Change? {
        let docId = self.docId
        let sessionId = self.sessionId
        let comment = text
        return { _ = try $0.coaching().commentOnSession(docId: docId, sessionId: sessionId, text: comment) }
    }
}
