// What the screens show, as the core gives it: the journey, today's list, the insights of the last
// four weeks, the people linked to this person, a coach's overview and where sync stands. Screens
// render these records and call `edit` (or the network calls here); no rule of the protocol lives
// in Swift. Every call into the store runs off the main thread, in a detached task.
//
// The Swift twin of android/app/src/main/kotlin/org/tandem/app/AppState.kt.

import Foundation
import Network
import SwiftUI
import Tandem

/// The four tabs.
enum AppTab: Hashable, CaseIterable {
    case today, journey, insights, people
}

/// The four stages of the journey, as the Journey tab shows them.
enum Stage: Hashable, CaseIterable {
    case whatMatters, goals, plans, reviews

    var words: String {
        switch self {
        case .whatMatters: return L.t("stage_what_matters")
        case .goals: return L.t("stage_goals")
        case .plans: return L.t("stage_plans")
        case .reviews: return L.t("stage_reviews")
        }
    }
}

/// The screens pushed over a tab.
enum Route: Hashable {
    case addValue, addStrength, addSupport, writeVision, addGoal
    /// A value, strength or support of this person's journey, changed.
    case editValue(id: String), editStrength(id: String), editSupport(id: String)
    /// One goal: its steps, its plans, sharing it with a coach; and its form, changing it.
    case goal(id: String), editGoal(id: String)
    /// The check-in a tapped reminder names: that plan on that day (`YYYY-MM-DD`).
    case checkIn(planId: String, date: String)
    /// A check-in that is not on today's list.
    case unplannedCheckIn
    /// A new plan, in this person's journey or (a practitioner) in a client's, `journeyId`.
    case addPlan(goalId: String?, journeyId: String?)
    /// A plan changed, in this person's journey or in a client's (`journeyId`).
    case editPlan(planId: String, journeyId: String?)
    case addReview(journeyId: String?)
    /// A client's journey, opened by their practitioner from People.
    case clientJourney(journeyId: String)
    case enterCode
    case useCode(server: String, code: String, about: CodeAbout)
    /// A practitioner the service offers a client whose practitioner left: who, the consent
    /// text in full, and the client's answer.
    case handover(HandoverOffer)
    case invited(Invitation)
    case changeName
    case settings
    /// A practitioner's coaching with their coach (the coaching document `docId`).
    case coaching(docId: String)
    /// The sessions of a coaching relationship, on a screen of their own: the coach's way in.
    case sessions(docId: String)
    case addSession(docId: String)
    case commentOnSession(docId: String, sessionId: String)
    case addCaseReview(docId: String)
    case addWellbeing(docId: String)
    /// An alliance check-in about the other person of the relationship `docId`: a client about
    /// their practitioner (`aboutCoach` false), a practitioner about their coach.
    case addAlliance(docId: String, aboutCoach: Bool)
    case addReflection
}

/// The screens open over each tab (each tab's NavigationStack path).
struct Paths {
    var today: [Route] = []
    var journey: [Route] = []
    var insights: [Route] = []
    var people: [Route] = []

    subscript(_ tab: AppTab) -> [Route] {
        get {
            switch tab {
            case .today: return today
            case .journey: return journey
            case .insights: return insights
            case .people: return people
            }
        }
        set {
            switch tab {
            case .today: today = newValue
            case .journey: journey = newValue
            case .insights: insights = newValue
            case .people: people = newValue
            }
        }
    }
}

/// What an edit came to: saved, or refused by the core with its reason.
enum Edit<T> {
    case saved(T)
    /// The core refused the input (`TandemError.InvalidInput`): nothing was written.
    case refused(field: String, problem: String, sentence: String)
    /// Anything else the core answered (not found, storage ...), as its sentence.
    case failed(String)
}

/// An edit for a form to run: one or more store calls.
typealias Change = @Sendable (TandemStore) throws -> Void

/// Runs `work` off the main thread, in a detached task, and hands back what it gave.
func offMain<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await Task.detached(priority: .userInitiated) { try work() }.value
}

/// The same for an async call (the network calls of the bindings).
func offMainAsync<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async throws -> T {
    try await Task.detached(priority: .userInitiated) { try await work() }.value
}

/// What the app remembers outside the store, in UserDefaults.
struct AppSettings {
    private var defaults: UserDefaults { .standard }

    var safetyNoticeSeen: Bool {
        get { defaults.bool(forKey: "safetyNoticeSeen") }
        nonmutating set { defaults.set(newValue, forKey: "safetyNoticeSeen") }
    }

    var welcomeSeen: Bool {
        get { defaults.bool(forKey: "welcomeSeen") }
        nonmutating set { defaults.set(newValue, forKey: "welcomeSeen") }
    }

    /// Whether reminders on the lock screen name the plan (off: neutral words only).
    var reminderDetails: Bool {
        get { defaults.bool(forKey: "reminderDetails") }
        nonmutating set { defaults.set(newValue, forKey: "reminderDetails") }
    }
}

/// Everything the screens show, read from the store in one go, off the main thread.
struct Snapshot: Sendable {
    let journey: Journey
    let today: [TodayItem]
    let server: ServerLink?
    let people: [LinkedPerson]
    let myName: String?
    let coachOverview: CoachOverview?
    let insights: Insights
    let linked: [String: Journey]
    /// This person's id (who wrote a comment: "You").
    let me: String

    static func read(_ store: TandemStore, now: Date, linked ids: [String]) throws -> Snapshot {
        let journey = try store.journey()
        let zone = TimeZone(identifier: journey.timeZone) ?? .current
        let range = Day.insightsRange(now: now, zone: zone)
        let today = try store.today(now: now)
        let server = try store.server()
        let people = try store.people(now: now)
        let myName = try store.myName()
        var overview: CoachOverview?
        if server?.role == .coach {
            overview = try store.parallel().coachOverview()
        }
        let insights = try store.insights(from: range.from, to: range.to, now: now)
        var linked: [String: Journey] = [:]
        for id in ids {
            linked[id] = try? store.linkedJourney(journeyId: id).journey()
        }
        let me = try store.identity().personId
        return Snapshot(
            journey: journey, today: today, server: server, people: people, myName: myName,
            coachOverview: overview, insights: insights, linked: linked, me: me)
    }
}

@MainActor
final class AppModel: ObservableObject {
    @Published private(set) var journey: Journey? = nil
    @Published private(set) var today: [TodayItem] = []
    @Published private(set) var insights: Insights? = nil
    @Published private(set) var server: ServerLink? = nil
    /// The people linked to this person, as the core gives them (names, what is shared, ...).
    @Published private(set) var people: [LinkedPerson] = []
    /// A coach's overview: each practitioner's coaching by condition, with what they shared.
    @Published private(set) var coachOverview: CoachOverview? = nil
    @Published private(set) var myName: String? = nil
    /// For a client whose practitioner left the service: the practitioners the service offers
    /// instead, as the server last said (asked when sync comes up to date). Nothing is shared
    /// with one before the client agrees (`answerHandover`).
    @Published private(set) var offers: [HandoverOffer] = []
    /// The journeys of linked people open on screen (a practitioner's client), by id.
    @Published private(set) var linkedJourneys: [String: Journey] = [:]
    /// The latest status of the sync service; none when the store has no server.
    @Published private(set) var syncStatus: SyncStatus? = nil
    /// The sentence of the last load that failed, while it stands.
    @Published private(set) var problem: String? = nil
    /// This person's id, as the core gives it (nil until the store is read).
    @Published private(set) var me: String? = nil
    /// Counts the reloads: a screen reading more than the model holds (coaching, a day's
    /// check-ins) reads again when it changes (`.task(id: model.revision)`).
    @Published private(set) var revision = 0

    @Published var tab: AppTab = .today
    @Published var paths = Paths()
    @Published var stage: Stage = .whatMatters
    /// The safety notice: on first run, and one tap away ("Get help now") after.
    @Published var safetyOpen = false
    /// The welcome (on my own, or with a code): first run, with no server yet.
    @Published var welcomeOpen = false
    /// Reminders name the plan on the lock screen (the person chose it; off by default).
    @Published var reminderDetails: Bool {
        didSet {
            settings.reminderDetails = reminderDetails
            rescheduleReminders()
        }
    }

    let settings: AppSettings
    let crisisLines: CrisisLines
    /// The server address the code screen starts with (Info.plist `TandemDefaultServer`).
    let defaultServer: String

    private(set) var store: TandemStore?
    private var opening: Task<TandemStore, Error>?
    private var started = false
    private var sync: SyncService?
    private var changesTask: Task<Void, Never>?
    private var statusTask: Task<Void, Never>?
    private var reloadTask: Task<Void, Never>?
    private var reminderTask: Task<Void, Never>?
    private let monitor = NWPathMonitor()
    private var online = true
    private var foreground = true

    init() {
        let settings = AppSettings()
        self.settings = settings
        reminderDetails = settings.reminderDetails
        crisisLines = CrisisLines.bundled()
        defaultServer = Bundle.main.object(forInfoDictionaryKey: "TandemDefaultServer") as? String ?? ""
    }

    // ----- what the screens read -----

    /// The person's time zone: their journey's (where their plans are scheduled).
    var zone: TimeZone { journey.flatMap { TimeZone(identifier: $0.timeZone) } ?? .current }

    /// Today's date where the person is, `YYYY-MM-DD`.
    var todayDate: String { Day.iso(Date(), in: zone) }

    /// The dates the Insights tab covers: this week and the three before it, to today.
    var insightsRange: (from: String, to: String) { Day.insightsRange(now: Date(), zone: zone) }

    /// The goals a form offers: of this person's journey, or of the linked journey `journeyId`.
    func goals(of journeyId: String?) -> [Goal] {
        guard let journeyId else { return journey?.goals ?? [] }
        return linkedJourneys[journeyId]?.goals ?? []
    }

    /// The plan `planId` of this person's journey (`journeyId` nil) or of a linked one.
    func plan(_ planId: String, of journeyId: String?) -> ActionPlan? {
        let plans = journeyId.map { linkedJourneys[$0]?.plans ?? [] } ?? journey?.plans ?? []
        return plans.first { $0.id == planId }
    }

    // ----- navigation -----

    func open(_ route: Route) {
        paths[tab].append(route)
        if case .clientJourney(let id) = route { loadLinkedJourney(id) }
    }

    /// A reminder was tapped: Today, with that plan's check-in of that day open on top of it (a
    /// reminder tapped the next morning still opens yesterday's).
    func openCheckIn(planId: String, date: String) {
        openTab(.today)
        open(.checkIn(planId: planId, date: date))
    }

    func back() {
        if !paths[tab].isEmpty { paths[tab].removeLast() }
    }

    func openTab(_ next: AppTab) {
        tab = next
        paths[next] = []
    }

    func closeSafety() {
        safetyOpen = false
        settings.safetyNoticeSeen = true
    }

    /// The person chose: on their own, or with a code.
    func closeWelcome(withCode: Bool) {
        welcomeOpen = false
        settings.welcomeSeen = true
        if withCode {
            openTab(.people)
            open(.enterCode)
        }
    }

    // ----- opening the store -----

    /// Opens the store (once; off the main actor), follows its changes, starts sync if it has a
    /// server, and reads what the screens show. Called when the window appears.
    func start() async {
        guard !started else { return }
        started = true
        safetyOpen = !settings.safetyNoticeSeen
        watchNetwork()
        do {
            let store = try await openStore()
            let hasServer = try await offMain { try store.server() != nil }
            welcomeOpen = !hasServer && !settings.welcomeSeen
            await followChanges(store)
            await startSync()
            reload()
        } catch {
            problem = error.sentence
        }
    }

    /// The store, opened off the main actor on first use (the window, or a background refresh
    /// that launched the app).
    func openStore() async throws -> TandemStore {
        if let store { return store }
        if let opening { return try await opening.value }
        let task = Task.detached(priority: .userInitiated) { try StoreFile.open() }
        opening = task
        do {
            let opened = try await task.value
            store = opened
            return opened
        } catch {
            opening = nil
            throw error
        }
    }

    /// Every change to the store (an edit here, or a sync that stored others' edits) reloads
    /// what the screens show and schedules the reminders again. Edits are not reloaded by hand:
    /// the change they make comes back through here.
    private func followChanges(_ store: TandemStore) async {
        do {
            let changes = try await offMain { try store.changes() }
            changesTask = Task { [weak self] in
                for await _ in changes {
                    self?.reload()
                }
            }
        } catch {
            problem = error.sentence
        }
    }

    /// Reads everything the screens show from the store, off the main thread; one read at a time,
    /// in order. Then schedules the reminders of the next seven days again.
    func reload() {
        guard let store else { return }
        let ids = openLinkedJourneys
        let previous = reloadTask
        reloadTask = Task { [weak self] in
            await previous?.value
            do {
                let now = Date()
                let snapshot = try await offMain { try Snapshot.read(store, now: now, linked: ids) }
                self?.apply(snapshot)
            } catch {
                self?.problem = error.sentence
            }
            self?.rescheduleReminders()
        }
    }

    private func apply(_ snapshot: Snapshot) {
        journey = snapshot.journey
        today = snapshot.today
        server = snapshot.server
        people = snapshot.people
        myName = snapshot.myName
        coachOverview = snapshot.coachOverview
        insights = snapshot.insights
        linkedJourneys = snapshot.linked
        me = snapshot.me
        problem = nil
        revision += 1
    }

    /// The linked journeys on screen: the client journeys open over any tab.
    private var openLinkedJourneys: [String] {
        AppTab.allCases.flatMap { paths[$0] }.compactMap { route in
            if case .clientJourney(let id) = route { return id }
            return nil
        }
    }

    /// Reads a linked person's journey (a practitioner opening a client's), off the main thread.
    func loadLinkedJourney(_ id: String) {
        guard let store else { return }
        Task { [weak self] in
            do {
                let journey = try await offMain { try store.linkedJourney(journeyId: id).journey() }
                self?.linkedJourneys[id] = journey
            } catch {
                self?.problem = error.sentence
            }
        }
    }

    /// Reads something a screen shows beyond what the model holds (coaching, a day), off the
    /// main thread; waits for the store when the app has just been opened (by a reminder).
    func read<T: Sendable>(_ block: @escaping @Sendable (TandemStore) throws -> T) async throws -> T {
        let store = try await openStore()
        return try await offMain { try block(store) }
    }

    /// What was planned on `date` (`YYYY-MM-DD`), with what was answered: as Today shows a day
    /// (the core's `today` at noon of that day, in the person's time zone).
    func day(_ date: String) async throws -> [TodayItem] {
        let noon = Day.noon(date, in: zone) ?? Date()
        return try await read { try $0.today(now: noon) }
    }

    // ----- edits -----

    /// Runs one edit of the store off the main thread. A refusal comes back as `.refused` with
    /// the core's field and sentence: nothing was saved. (What the screens show reloads when
    /// the store reports the change.)
    func edit<T: Sendable>(_ change: @escaping @Sendable (TandemStore) throws -> T) async -> Edit<T> {
        guard let store else { return .failed(L.t("loading")) }
        do {
            return .saved(try await offMain { try change(store) })
        } catch TandemError.InvalidInput(let field, let problem) {
            return .refused(field: field, problem: problem, sentence: "\(field): \(problem)")
        } catch {
            return .failed(error.sentence)
        }
    }

    // ----- codes and invitations (network) -----

    /// What `code` would do on `server` and who made it, without using it.
    func aboutCode(server: String, code: String) async -> Result<CodeAbout, CodeProblem> {
        let address = server.trimmed
        return await network(server) { try await $0.aboutCode(server: address, code: code) }
    }

    /// Uses a code the person agreed to after reading what it does: joins their practitioner
    /// or coach, or enrols, under the name they gave; then the sync service starts.
    func useCode(server: String, code: String, about: CodeAbout, name: String) async
        -> Result<Void, CodeProblem>
    {
        let address = server.trimmed
        let named = !name.trimmed.isEmpty
        let kind = about.kind
        let result: Result<String?, CodeProblem> = await network(server) { store in
            switch kind {
            case .device:
                // Not here: it replaces the store (addThisDevice).
                throw CodeProblem(field: nil, words: L.t("code_device_here"))
            case .client, .practitioner:
                if named { try store.setMyName(name: name) }
                return try await store.join(server: address, code: code).recoveryCode
            case .enrolPractitioner, .enrolCoach:
                let enrolled = try await store.enrol(server: address, code: code)
                if named { try store.setMyName(name: name) }
                return enrolled.recoveryCode
            }
        }
        if case .success(let code) = result {
            recoveryCode = code
            await startSync()
            reload()
        }
        return result.map { _ in () }
    }

    /// The person's recovery code, just given by their server: shown once (RecoveryCodeView),
    /// until they say they have kept it.
    @Published var recoveryCode: String? = nil

    /// Brings back the account of a person whose every device is lost onto this phone with
    /// their recovery code (as addThisDevice); the new recovery code is shown once.
    func recoverAccount(server: String, code: String) async -> Result<Void, CodeProblem> {
        let address = server.trimmed
        return await becomeDevice(server: server) { path in
            try await recover(path: path, server: address, code: code, key: StoreFile.key(), trustedCertificates: nil)
        }
    }

    /// Makes this phone another device of the person who made the device `code` (the person
    /// agreed after reading what it does): the store is let go, made theirs by the core
    /// (`joinDevice`), and opened again; their journey arrives with the first sync. A refusal
    /// (this phone already has a journey of its own, a used code ...) leaves the store as it
    /// was, opened again, and comes back as the words to show.
    func addThisDevice(server: String, code: String) async -> Result<Void, CodeProblem> {
        let address = server.trimmed
        return await becomeDevice(server: server) { path in
            try await joinDevice(path: path, server: address, code: code, key: StoreFile.key(), trustedCertificates: nil)
        }
    }

    /// The store let go, made another's device by `call` on its file, and opened again.
    private func becomeDevice(
        server: String, _ call: @escaping @Sendable (String) async throws -> JoinedDevice
    ) async -> Result<Void, CodeProblem> {
        stopSync()
        changesTask?.cancel()
        changesTask = nil
        // The core must not hold the file open twice: let go of this store first.
        store = nil
        opening = nil
        var result: Result<Void, CodeProblem> = .success(())
        do {
            let path = try StoreFile.url().path
            let joined = try await offMainAsync { try await call(path) }
            store = joined.store
            if let code = joined.joined.recoveryCode { recoveryCode = code }
        } catch {
            result = .failure(codeProblem(error, server: server))
        }
        do {
            let reopened = try await openStore()
            await followChanges(reopened)
            await startSync()
            reload()
        } catch {
            problem = error.sentence
        }
        return result
    }

    /// Whether this device's account was erased (its server said so) and its store with it.
    @Published private(set) var erasedByServer = false
    private var erasing = false

    /// Erases the person's account on their server, then everything on this phone
    /// (AppState.eraseAccount): the words to show when the server refuses.
    func eraseAccount() async -> Result<Void, CodeProblem> {
        stopSync() // this phone's own sync would hear of the erasure and start erasing too
        let erased = await network(server?.url ?? "") { try await $0.eraseAccount() }
        switch erased {
        case .success: return await eraseThisDevice()
        case .failure(let problem):
            await startSync()
            return .failure(problem)
        }
    }

    /// Erases everything on this phone and opens a new, empty store: the app starts again as
    /// on its first run (AppState.eraseThisDevice).
    func eraseThisDevice() async -> Result<Void, CodeProblem> {
        if erasing { return .success(()) }
        erasing = true
        defer { erasing = false }
        stopSync()
        changesTask?.cancel()
        changesTask = nil
        store = nil // the core refuses to erase a store it holds open
        opening = nil
        var result: Result<Void, CodeProblem> = .success(())
        do {
            let path = try StoreFile.url().path
            try await offMain {
                try eraseStore(path: path)
                try StoreFile.forgetKey() // the new store gets a new key
            }
        } catch {
            result = .failure(CodeProblem(field: nil, words: error.sentence))
        }
        do {
            let reopened = try await openStore()
            await followChanges(reopened)
            syncStatus = nil
            offers = []
            reload()
        } catch {
            problem = error.sentence
        }
        return result
    }

    /// Stops sharing this person's journey with `personId` (a client's practitioner): their
    /// devices delete their copy when they next sync; recorded with the consent records.
    func stopSharing(_ personId: String) async -> Result<Void, CodeProblem> {
        let result = await network(server?.url ?? "") { store in
            try await store.revoke(docId: try store.identity().journeyId, personId: personId)
        }
        if case .success = result { reload() }
        return result
    }

    /// Asks the server for the practitioners offered to this client, off the main thread;
    /// offline (or refused), keeps what it had.
    func refreshOffers() {
        guard let store else { return }
        Task { [weak self] in
            guard let client = try? await offMain({ try store.server()?.role == .client }), client else { return }
            if let offers = try? await offMainAsync({ try await store.handovers() }) {
                self?.offers = offers
            }
        }
    }

    /// The client answers `offer` after reading its consent text in full: agreeing links them
    /// to the new practitioner as joining with their code would; declining forgets the offer.
    func answerHandover(_ offer: HandoverOffer, agree: Bool) async -> Result<Void, CodeProblem> {
        let to = offer.toPersonId
        let result: Result<Void, CodeProblem> = await network(server?.url ?? "") { store in
            _ = try await store.answerHandover(toPersonId: to, agree: agree)
        }
        if case .success = result {
            offers.removeAll { $0.toPersonId == to }
            reload()
        }
        return result
    }

    /// A one-time code for a client (a practitioner) or a practitioner (a coach).
    func invite(_ kind: InvitationKind) async -> Result<Invitation, CodeProblem> {
        await network(server?.url ?? "") { try await $0.invite(kind: kind) }
    }

    /// Runs a call to `server` off the main thread; a failure becomes the words to show.
    private func network<T: Sendable>(
        _ server: String, _ call: @escaping @Sendable (TandemStore) async throws -> T
    ) async -> Result<T, CodeProblem> {
        guard let store else { return .failure(CodeProblem(field: nil, words: L.t("loading"))) }
        do {
            return .success(try await offMainAsync { try await call(store) })
        } catch {
            return .failure(codeProblem(error, server: server))
        }
    }

    // ----- sync -----

    /// Runs the store's sync service while the store has a server, feeding `syncStatus`.
    func startSync() async {
        stopSync()
        guard let store else { return }
        do {
            let service: SyncService? = try await offMain {
                if try store.server() == nil { return nil }
                return try store.syncService()
            }
            guard let service else { return }
            sync = service
            let up = online && foreground
            try await offMain { service.setOnline(online: up) }
            let statuses = try await offMain { try service.statuses() }
            statusTask = Task { [weak self] in
                for await status in statuses {
                    self?.show(status)
                }
            }
        } catch {
            problem = error.sentence
        }
    }

    /// A sync that has just come up to date may have brought new links (a person who joined, a
    /// share withdrawn): read them again, and ask for offers of a new practitioner (a client).
    private func show(_ status: SyncStatus) {
        let was = syncStatus.map { Self.settled($0.state) } ?? false
        syncStatus = status
        if Self.settled(status.state) && !was {
            reload()
            refreshOffers()
        }
        // The account was erased (from another device, or by the service): so is this copy.
        if status.lastRefusal == .accountErased && !erasing {
            erasedByServer = true
            Task { _ = await eraseThisDevice() }
        }
    }

    private static func settled(_ state: SyncState) -> Bool {
        switch state {
        case .live, .upToDate: return true
        default: return false
        }
    }

    func stopSync() {
        statusTask?.cancel()
        statusTask = nil
        if let service = sync {
            Task.detached { service.stop() }
        }
        sync = nil
    }

    /// The network came or went (NWPathMonitor), or the app moved to or from the background:
    /// the service is online only while both say so (offline in the background closes the
    /// connection; background refresh syncs once instead).
    private func applyOnline() {
        guard let service = sync else { return }
        let up = online && foreground
        Task.detached { service.setOnline(online: up) }
    }

    private func watchNetwork() {
        monitor.pathUpdateHandler = Self.networkHandler(for: self)
        monitor.start(queue: DispatchQueue(label: "org.tandem.app.network"))
    }

    /// Called on the monitor's queue, not the main actor: it hops there. (The model lives as
    /// long as the app, so holding it here is no leak.)
    private nonisolated static func networkHandler(for model: AppModel) -> @Sendable (NWPath) -> Void {
        return { path in
            let up = path.status == .satisfied
            Task { @MainActor in model.networkChanged(up) }
        }
    }

    private func networkChanged(_ up: Bool) {
        online = up
        applyOnline()
    }

    func scenePhaseChanged(_ phase: ScenePhase) {
        switch phase {
        case .active:
            foreground = true
            applyOnline()
            reload()  // the day may have turned; others' edits may have come
        case .background:
            foreground = false
            applyOnline()
            BackgroundSync.schedule()
        default:
            break
        }
    }

    /// One sync, for a background refresh: opens the store if the app was launched for it, syncs
    /// once, and schedules the reminders again. True when it went through.
    func syncInBackground() async -> Bool {
        do {
            let store = try await openStore()
            let hasServer = try await offMain { try store.server() != nil }
            if hasServer {
                _ = try await offMainAsync { try await store.syncNow() }
            }
            rescheduleReminders()
            await reminderTask?.value
            return true
        } catch {
            return false
        }
    }

    // ----- reminders -----

    /// Schedules the core's reminders of the next seven days as local notifications, replacing
    /// the ones scheduled before; one scheduling at a time, in order.
    func rescheduleReminders() {
        guard let store else { return }
        let details = reminderDetails
        let previous = reminderTask
        reminderTask = Task {
            await previous?.value
            await Notifications.reschedule(store: store, showDetails: details)
        }
    }
}
