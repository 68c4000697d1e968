// The whole app over the model (App.kt's twin): the safety notice on first run (and one tap away
// after), the welcome while there is no server, then Today, Journey, Insights and People, with
// the sync line and "Get help now" on every screen; the lock over it all when it is on.

import SwiftUI
import UIKit
import Tandem

@MainActor
struct RootView: View {
    @EnvironmentObject var model: AppModel
    @EnvironmentObject var lock: AppLock
    @Environment(\.scenePhase) var scenePhase

    var body: some View {
        ZStack {
            if let code = model.recoveryCode {
                RecoveryCodeView(code: code)
            } else if model.welcomeOpen {
                WelcomeView()
            } else {
                MainTabs()
            }
            if lock.locked {
                LockView()
            } else if lock.enabled && scenePhase != .active {
                // What the app switcher shows of a locked app: nothing of the journey.
                Color(.systemBackground).ignoresSafeArea()
            }
        }
        .fullScreenCover(isPresented: $model.safetyOpen) {
            SafetyView(lines: model.crisisLines, onClose: { model.closeSafety() })
        }
    }
}

/// Today, Journey, Insights, People: four tabs with words, no icons to guess at; each its own
/// stack of screens.
@MainActor
struct MainTabs: View {
    @EnvironmentObject var model: AppModel

    var body: some View {
        TabView(selection: $model.tab) {
            NavigationStack(path: $model.paths.today) {
                Loaded { TodayView() }.chrome(L.t("tab_today")).routes()
            }
            .tabItem { Text(L.t("tab_today")) }
            .tag(AppTab.today)

            NavigationStack(path: $model.paths.journey) {
                Loaded { JourneyView() }.chrome(L.t("tab_journey")).routes()
            }
            .tabItem { Text(L.t("tab_journey")) }
            .tag(AppTab.journey)

            NavigationStack(path: $model.paths.insights) {
                Loaded { InsightsView() }.chrome(L.t("tab_insights")).routes()
            }
            .tabItem { Text(L.t("tab_insights")) }
            .tag(AppTab.insights)

            NavigationStack(path: $model.paths.people) {
                Loaded { PeopleView() }.chrome(L.t("tab_people")).routes()
            }
            .tabItem { Text(L.t("tab_people")) }
            .tag(AppTab.people)
        }
    }
}

/// A tab's screen once the journey has been read; until then, what is happening.
@MainActor
struct Loaded<Content: View>: View {
    @ViewBuilder let content: () -> Content
    @EnvironmentObject var model: AppModel

    var body: some View {
        if model.journey != nil {
            content()
        } else if let problem = model.problem {
            Text(problem).foregroundColor(Color(.systemRed)).padding(24)
        } else {
            Text(L.t("loading")).padding(24)
        }
    }
}

/// The title, the sync line under it and "Get help now" beside it, on every screen. (A view, not
/// a ViewModifier: a view's body is the main actor's in every SDK.)
@MainActor
struct ScreenChrome<Content: View>: View {
    let title: String
    @ViewBuilder let content: () -> Content
    @EnvironmentObject var model: AppModel

    var body: some View {
        content()
            .navigationTitle(title)
            .navigationBarTitleDisplayMode(.inline)
            .safeAreaInset(edge: .top, spacing: 0) {
                VStack(alignment: .leading, spacing: 4) {
                    SyncLineView(status: model.syncStatus, server: model.server, zone: model.zone)
                    if model.erasedByServer { Text(L.t("erased_by_server")).padding(.horizontal) }
                }
            }
            .toolbar {
                ToolbarItem(placement: .navigationBarTrailing) {
                    Button(L.t("get_help")) { model.safetyOpen = true }
                        .buttonStyle(.bordered)
                }
            }
    }
}

extension View {
    @MainActor
    func chrome(_ title: String) -> some View {
        ScreenChrome(title: title) { self }
    }

    /// The screens a tab's stack can push (declared once, on the tab's first screen).
    @MainActor
    func routes() -> some View {
        navigationDestination(for: Route.self) { route in RouteView(route: route) }
    }
}

/// A screen pushed over a tab.
@MainActor
struct RouteView: View {
    let route: Route

    var body: some View {
        switch route {
        case .addValue:
            ValueForm().chrome(L.t("value_add_title"))
        case .addStrength:
            StrengthForm().chrome(L.t("strength_add_title"))
        case .addSupport:
            SupportForm().chrome(L.t("support_add_title"))
        case .writeVision:
            VisionForm().chrome(L.t("vision_title"))
        case .addGoal:
            GoalForm().chrome(L.t("goal_add_title"))
        case .addPlan(let goalId, let journeyId):
            PlanForm(goalId: goalId, journeyId: journeyId).chrome(L.t("plan_add_title"))
        case .editPlan(let planId, let journeyId):
            EditPlanRoute(planId: planId, journeyId: journeyId)
        case .addReview(let journeyId):
            ReviewForm(journeyId: journeyId).chrome(L.t("review_add_title"))
        case .clientJourney(let journeyId):
            ClientJourneyView(journeyId: journeyId).chrome(L.t("client_journey_title"))
        case .enterCode:
            EnterCodeView().chrome(L.t("code_title"))
        case .useCode(let server, let code, let about):
            UseCodeView(server: server, code: code, about: about).chrome(L.t("use_code_title"))
        case .handover(let offer):
            HandoverView(offer: offer).chrome(L.t("handover_title"))
        case .invited(let invitation):
            InvitedView(invitation: invitation).chrome(L.t("invited_title"))
        case .changeName:
            NameForm().chrome(L.t("name_title"))
        case .settings:
            SettingsView().chrome(L.t("settings_title"))
        default:
            MoreRouteView(route: route)
        }
    }
}

/// The rest of the screens pushed over a tab: changing what was written, a goal, check-ins off
/// Today's list, and coaching. (A second switch: a view builder's switch grows slow to check.)
@MainActor
struct MoreRouteView: View {
    let route: Route
    @EnvironmentObject var model: AppModel

    var body: some View {
        switch route {
        case .editValue(let id):
            if let value = model.journey?.values.first(where: { $0.id == id }) {
                ValueForm(editing: value).chrome(L.t("value_edit_title"))
            } else {
                EmptyNote(L.t("item_gone")).chrome(L.t("value_edit_title"))
            }
        case .editStrength(let id):
            if let strength = model.journey?.strengths.first(where: { $0.id == id }) {
                StrengthForm(editing: strength).chrome(L.t("strength_edit_title"))
            } else {
                EmptyNote(L.t("item_gone")).chrome(L.t("strength_edit_title"))
            }
        case .editSupport(let id):
            if let support = model.journey?.supports.first(where: { $0.id == id }) {
                SupportForm(editing: support).chrome(L.t("support_edit_title"))
            } else {
                EmptyNote(L.t("item_gone")).chrome(L.t("support_edit_title"))
            }
        case .goal(let id):
            GoalView(goalId: id).chrome(L.t("goal_title"))
        case .editGoal(let id):
            if let goal = model.journey?.goals.first(where: { $0.id == id }) {
                GoalForm(editing: goal).chrome(L.t("goal_edit_title"))
            } else {
                EmptyNote(L.t("item_gone")).chrome(L.t("goal_edit_title"))
            }
        case .checkIn(let planId, let date):
            CheckInView(planId: planId, date: date).chrome(L.t("check_in_title"))
        case .unplannedCheckIn:
            UnplannedCheckInView().chrome(L.t("unplanned_title"))
        case .coaching(let docId):
            CoachingView(docId: docId).chrome(L.t("coaching_title"))
        case .sessions(let docId):
            SessionsView(docId: docId).chrome(L.t("coaching_title"))
        case .addSession(let docId):
            SessionForm(docId: docId).chrome(L.t("session_add_title"))
        case .commentOnSession(let docId, let sessionId):
            SessionCommentForm(docId: docId, sessionId: sessionId).chrome(L.t("session_comment_title"))
        case .addCaseReview(let docId):
            CaseReviewForm(docId: docId).chrome(L.t("case_review_add"))
        case .addWellbeing(let docId):
            WellbeingForm(docId: docId).chrome(L.t("wellbeing_title"))
        case .addAlliance(let docId, let aboutCoach):
            AllianceForm(docId: docId, aboutCoach: aboutCoach).chrome(L.t("alliance_title"))
        case .addReflection:
            ReflectionForm().chrome(L.t("reflection_title"))
        default:
            EmptyNote(L.t("item_gone"))
        }
    }
}

/// Over everything while Tandem is locked: unlock, or get help (never behind the lock).
@MainActor
struct LockView: View {
    @EnvironmentObject var model: AppModel
    @EnvironmentObject var lock: AppLock

    var body: some View {
        VStack(spacing: 20) {
            Spacer()
            Text(L.t("ios_locked")).font(.title2.weight(.semibold))
            MainButton(L.t("ios_unlock")) { Task { await lock.unlock() } }
            QuietButton(L.t("get_help")) { model.safetyOpen = true }
            Spacer()
        }
        .padding(24)
        .frame(maxWidth: .infinity, maxHeight: .infinity)
        .background(Color(.systemBackground).ignoresSafeArea())
        .task { await lock.unlock() }
    }
}

/// The plan form on a plan that exists (gone: said so).
@MainActor
struct EditPlanRoute: View {
    let planId: String
    let journeyId: String?
    @EnvironmentObject var model: AppModel

    var body: some View {
        if let plan = model.plan(planId, of: journeyId) {
            PlanForm(goalId: plan.goalId, journeyId: journeyId, editing: plan).chrome(L.t("plan_edit_title"))
        } else {
            EmptyNote(L.t("item_gone")).chrome(L.t("plan_edit_title"))
        }
    }
}
