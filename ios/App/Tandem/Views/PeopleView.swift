// People (PeopleScreen.kt and CoachScreen.kt's twins): the people linked to this person, as the
// core gives them: a practitioner's clients (each with their latest check-in and this week), a
// client's practitioner, what is shared each way and the consent records (and stopping sharing);
// a practitioner's coach opens their coaching (CoachingView.swift); a client answers an alliance
// check-in about their practitioner; a client offered a new practitioner when theirs left the
// service (HandoverCard, HandoverView.swift); a coach's overview (practitioners by coaching
// condition, the summaries they chose to share: never a client; each one's sessions). On their
// own: how to join. Settings opens from here.

import SwiftUI
import Tandem

@MainActor
struct PeopleView: View {
    @EnvironmentObject var model: AppModel
    @State var problems = Problems()

    var body: some View {
        ScrollView {
            VStack(alignment: .leading, spacing: 12) {
                if let server = model.server {
                    linked(server)
                } else {
                    EmptyNote(L.t("people_alone"))
                    MainButton(L.t("people_have_code")) { model.open(.enterCode) }
                }
                SecondButton(L.t("settings_open")) { model.open(.settings) }
            }
            .padding(16)
        }
    }

    @ViewBuilder
    private func linked(_ server: ServerLink) -> some View {
        Text(model.myName.map { L.f("people_you_are", $0) } ?? L.t("people_no_name"))
        QuietButton(model.myName == nil ? L.t("people_choose_name") : L.t("people_change_name")) {
            model.open(.changeName)
        }
        FormProblem(problem: problems.other)
        switch server.role {
        case .practitioner:
            PeopleGroup(title: L.t("people_clients"), people: model.people.filter { $0.role == .client },
                        empty: L.t("people_no_clients"))
            MainButton(L.t("people_invite_client")) { invite(.client) }
            if model.people.contains(where: { $0.role == .coach }) {
                PeopleGroup(title: L.t("people_role_coach"), people: model.people.filter { $0.role == .coach },
                            empty: "")
            }
            Detail(L.t("people_coach_never"))
        case .coach:
            CoachOverviewSection()
            MainButton(L.t("people_invite_practitioner")) { invite(.practitioner) }
        case .client:
            ForEach(model.offers, id: \.toPersonId) { offer in
                HandoverCard(offer: offer)
            }
            PeopleGroup(title: L.t("people_supporters"), people: model.people, empty: L.t("people_no_supporter"))
            if model.people.isEmpty && model.offers.isEmpty {
                SecondButton(L.t("people_have_code")) { model.open(.enterCode) }
                    .accessibilityLabel(L.t("people_have_code"))
            }
        }
    }

    private func invite(_ kind: InvitationKind) {
        Task { @MainActor in
            switch await model.invite(kind) {
            case .success(let invitation):
                problems.clear()
                model.open(.invited(invitation))
            case .failure(let problem):
                problems.showOther(problem.words)
            }
        }
    }
}

struct PeopleGroup: View {
    let title: String
    let people: [LinkedPerson]
    let empty: String

    var body: some View {
        Heading(title)
        if people.isEmpty && !empty.isEmpty { EmptyNote(empty) }
        ForEach(people, id: \.personId) { person in
            PersonCard(person: person)
        }
    }
}

@MainActor
struct PersonCard: View {
    let person: LinkedPerson
    @EnvironmentObject var model: AppModel
    @State var showConsent = false

    var body: some View {
        ItemCard {
            Text(person.name ?? L.t("people_unnamed")).font(.headline)
            Detail(person.role.words)
            if let docId = coachingDoc {
                NavigationLink(value: Route.coaching(docId: docId)) {
                    Text(L.t("coaching_title") + " ›").frame(minHeight: 44)
                }
                .accessibilityLabel(L.t("coaching_title"))
            }
            if let journeyId = person.journeyId {
                if person.journeyHere {
                    Text(lastCheckIn)
                    Text(thisWeek)
                    NavigationLink(value: Route.clientJourney(journeyId: journeyId)) {
                        Text(L.t("client_journey_title") + " ›").frame(minHeight: 44)
                    }
                } else {
                    Detail(L.t("people_not_here"))
                }
            }
            Group {
                if let access = person.access {
                    Detail(access == .write ? L.t("people_they_share_write") : L.t("people_they_share_read"))
                }
                if let docId = person.relationshipDocId, mySupporter {
                    OpenButton(L.t("alliance_open_practitioner"), .addAlliance(docId: docId, aboutCoach: false))
                }
                switch person.sharesMyJourney {
                case .some(.write): Detail(L.t("people_you_share_write"))
                case .some(.read): Detail(L.t("people_you_share_read"))
                case .none:
                    if model.server?.role == .client { Detail(L.t("people_you_share_nothing")) }
                }
                if mySupporter && person.sharesMyJourney != nil { StopSharing(person: person) }
            }
            if let consent = person.consents.last {
                Detail(L.f(consentWords(consent), Day.long(consent.when, in: model.zone), consent.textVersion))
                if !consent.text.isEmpty {
                    QuietButton(showConsent ? L.t("people_hide_consent") : L.t("people_read_consent")) {
                        showConsent.toggle()
                    }
                    if showConsent {
                        ForEach(Array(consent.text.paragraphs.enumerated()), id: \.offset) { item in
                            Text(item.element).font(.callout)
                        }
                    }
                }
            }
        }
    }

    /// A practitioner's coach: their coaching opens from here.
    private var coachingDoc: String? {
        guard person.role == .coach, model.server?.role == .practitioner else { return nil }
        return person.relationshipDocId
    }

    /// A client's practitioner: the client answers alliance check-ins about them and may stop
    /// sharing their journey with them.
    private var mySupporter: Bool {
        person.role == .practitioner && model.server?.role == .client
    }

    /// The key of a consent record's words: given, or withdrawn; by them, or by this person.
    private func consentWords(_ consent: ConsentRecord) -> String {
        let theirs = consent.who == person.personId
        if consent.what.hasSuffix("withdrawn") { return theirs ? "people_withdrawn_they" : "people_withdrawn_you" }
        return theirs ? "people_consent_they" : "people_consent_you"
    }

    private var lastCheckIn: String {
        guard let last = person.lastCheckIn else { return L.t("people_no_check_in") }
        return L.f("people_last_check_in", last.outcome.words, Day.long(last.date))
    }

    private var thisWeek: String {
        guard let week = person.thisWeek, week.planned > 0 else { return L.t("people_week_none") }
        return L.f("people_week", Int(week.done), Int(week.planned))
    }
}

/// A coach's overview, as the core gives it: practitioners grouped by coaching condition, each
/// with the latest summary they shared, week by week. The core never gives a coach a client:
/// client figures come only as the summary's totals, present only over three or more clients.
@MainActor
struct CoachOverviewSection: View {
    @EnvironmentObject var model: AppModel

    var body: some View {
        let groups = (model.coachOverview?.groups ?? []).filter { !$0.practitioners.isEmpty }
        Detail(L.t("coach_intro"))
        if groups.isEmpty {
            Heading(L.t("people_practitioners"))
            EmptyNote(L.t("people_no_practitioners"))
        } else {
            ForEach(Array(groups.enumerated()), id: \.offset) { item in
                Heading(conditionWords(item.element.condition))
                ForEach(item.element.practitioners, id: \.docId) { coaching in
                    PractitionerCard(coaching: coaching)
                }
            }
        }
    }
}

@MainActor
struct PractitionerCard: View {
    let coaching: CoachingRelationship
    @EnvironmentObject var model: AppModel

    var body: some View {
        let name = model.people.first { $0.personId == coaching.practitioner }?.name ?? L.t("people_unnamed")
        ItemCard {
            Text(name).font(.headline)
            if coaching.journeyShared { Detail(L.t("coach_journey_shared")) }
            if let summary = coaching.summaries.max(by: { $0.sharedAt < $1.sharedAt }) {
                Detail(L.f("coach_summary", Day.long(summary.sharedAt, in: model.zone),
                           Day.short(summary.fromDate), Day.short(summary.toDate)))
                ForEach(summary.weeks, id: \.weekStart) { week in
                    SummaryWeekLines(week: week)
                }
                if let note = summary.note { Text(L.f("coach_note", note)) }
            } else {
                Detail(L.t("coach_no_summary"))
            }
            // The sessions, the condition and the cases: on a screen of their own (SessionsView).
            let sessions = coaching.sessions.count
            OpenButton(sessions == 0 ? L.t("coach_sessions_none")
                           : L.count("coach_sessions_one", "coach_sessions_other", sessions),
                       .sessions(docId: coaching.docId))
        }
    }
}

/// "Stop sharing my journey", with what it means, asked once more before it is done.
@MainActor
struct StopSharing: View {
    let person: LinkedPerson
    @EnvironmentObject var model: AppModel
    @State var asking = false
    @State var problems = Problems()

    var body: some View {
        if asking {
            Text(L.f("people_stop_sharing_what", person.name ?? L.t("people_role_practitioner")))
            FormProblem(problem: problems.other)
            SecondButton(L.t("people_stop_sharing_yes")) {
                let personId = person.personId
                Task { @MainActor in
                    switch await model.stopSharing(personId) {
                    case .success:
                        problems.clear()
                        asking = false
                    case .failure(let problem):
                        problems.showOther(problem.words)
                    }
                }
            }
            QuietButton(L.t("not_now")) { asking = false }
        } else {
            QuietButton(L.t("people_stop_sharing")) { asking = true }
        }
    }
}

struct SummaryWeekLines: View {
    let week: SummaryWeek

    var body: some View {
        Text(L.f("coach_week", Day.short(week.weekStart))).font(.subheadline.weight(.semibold))
        Text(own)
        Text(clients)
        if let who5 = week.wellbeing?.who5Percent {
            Detail(L.f("coach_wellbeing", Int(who5.rounded())))
        }
    }

    private var own: String {
        guard let rate = week.ownRate, week.ownPlanned > 0 else { return L.t("coach_own_none") }
        return L.f("coach_own", percent(rate))
    }

    private var clients: String {
        if week.weekOpen { return L.t("coach_clients_open") }
        guard let clients = week.clients, let rate = week.clientsRate else { return L.t("coach_clients_hidden") }
        return L.f("coach_clients", percent(rate), Int(clients))
    }
}

/// A linked person's journey (a practitioner's client): their plans and reviews, and, with write
/// access, agreeing a plan with them and adding a review together, through the forms people use
/// on their own journey.
@MainActor
struct ClientJourneyView: View {
    let journeyId: String
    @EnvironmentObject var model: AppModel

    var body: some View {
        let person = model.people.first { $0.journeyId == journeyId }
        ScrollView {
            VStack(alignment: .leading, spacing: 12) {
                Text(person?.name ?? L.t("people_unnamed")).font(.title2.weight(.semibold))
                if let journey = model.linkedJourneys[journeyId] {
                    let writable = person?.access == .write
                    Heading(L.t("client_plans"))
                    let plans = journey.plans.filter { $0.end == nil }
                    if plans.isEmpty { EmptyNote(L.t("client_no_plans")) }
                    ForEach(plans, id: \.id) { plan in
                        ItemCard {
                            Text(plan.what).font(.headline)
                            Detail(scheduleWords(plan.schedule))
                            if writable {
                                NavigationLink(value: Route.editPlan(planId: plan.id, journeyId: journeyId)) {
                                    Text(L.t("item_change")).frame(minHeight: 44)
                                }
                                .buttonStyle(.borderless)
                                .accessibilityLabel(L.f("item_change_described", plan.what))
                            }
                        }
                    }
                    if writable {
                        OpenButton(L.t("client_agree_plan"), .addPlan(goalId: nil, journeyId: journeyId))
                    }
                    Heading(L.t("client_reviews"))
                    if journey.reviews.isEmpty { EmptyNote(L.t("client_no_reviews")) }
                    ForEach(journey.reviews.reversed(), id: \.id) { review in
                        ReviewCard(review: review, goals: journey.goals)
                    }
                    if writable {
                        OpenButton(L.t("client_add_review"), .addReview(journeyId: journeyId))
                    }
                } else {
                    EmptyNote(L.t("loading"))
                }
            }
            .padding(16)
        }
    }
}

/// A code just made, to read out or send, with how long it works.
@MainActor
struct InvitedView: View {
    let invitation: Invitation
    @EnvironmentObject var model: AppModel

    var body: some View {
        ScrollView {
            VStack(alignment: .leading, spacing: 16) {
                Text(L.f("invited_intro", Day.long(invitation.expiresAt, in: model.zone)))
                Text(invitation.code)
                    .font(.system(.largeTitle, design: .monospaced))
                    .textSelection(.enabled)
                    // Read out letter by letter by VoiceOver.
                    .accessibilityLabel(invitation.code.map(String.init).joined(separator: " "))
                if let server = model.server { Detail(L.f("invited_server", server.url)) }
                MainButton(L.t("invited_done")) { model.back() }
            }
            .padding(16)
        }
    }
}

/// The name linked people see; the core checks it.
@MainActor
struct NameForm: View {
    @EnvironmentObject var model: AppModel
    @State var problems = Problems()
    @State var name = ""

    var body: some View {
        FormScreen(intro: L.t("name_intro"), problems: $problems, fields: ["name"], save: save) {
            TextInput(label: L.t("name_field"), text: $name, field: "name", problems: problems)
        }
        .onAppear {
            if name.isEmpty { name = model.myName ?? "" }
        }
    }

    private func save() -> Change? {
        let name = self.name
        return { try $0.setMyName(name: name) }
    }
}
