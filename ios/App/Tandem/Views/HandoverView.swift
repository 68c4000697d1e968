// A new practitioner (HandoverScreen's twin, FirstRunScreens.kt): the service offers a client whose
// practitioner left another one. Who is offered, the consent text in full, and the client's
// answer: agreeing shares their journey with them as joining with their code would; saying no
// shares nothing. Nothing is shared before they agree. Not compiled.

import SwiftUI
import Tandem

@MainActor
struct HandoverView: View {
    let offer: HandoverOffer
    @EnvironmentObject var model: AppModel
    @State var answering = false
    @State var problems = Problems()

    var body: some View {
        ScrollView {
            VStack(alignment: .leading, spacing: 14) {
                Text(L.t("handover_left")).font(.headline)
                Text(handoverOffered(offer))
                FormProblem(problem: problems.other)
                ConsentCard(consent: offer.consent)
                Detail(L.t("handover_nothing_yet"))
                MainButton(L.t("handover_agree"), enabled: !answering) { answer(true) }
                    .accessibilityLabel(L.t("handover_agree"))
                SecondButton(L.t("handover_decline"), enabled: !answering) { answer(false) }
                    .accessibilityLabel(L.t("handover_decline"))
                QuietButton(L.t("not_now")) { model.back() }
                    .accessibilityLabel(L.t("not_now"))
            }
            .padding(16)
        }
    }

    private func answer(_ agree: Bool) {
        answering = true
        Task { @MainActor in
            switch await model.answerHandover(offer, agree: agree) {
            case .success:
                problems.clear()
                model.openTab(.people)
            case .failure(let problem):
                problems.showOther(problem.words)
            }
            answering = false
        }
    }
}

/// An offer of a new practitioner on People, waiting for the client's answer (PeopleScreen.kt's
/// HandoverCard).
@MainActor
struct HandoverCard: View {
    let offer: HandoverOffer
    @EnvironmentObject var model: AppModel

    var body: some View {
        ItemCard {
            Heading(L.t("handover_title"))
            Text(L.t("handover_left"))
            Text(handoverOffered(offer))
            Detail(L.t("handover_nothing_yet"))
            MainButton(L.t("handover_read")) { model.open(.handover(offer)) }
                .accessibilityLabel(L.t("handover_read"))
        }
    }
}

/// "The service offers you <name> instead."
func handoverOffered(_ offer: HandoverOffer) -> String {
    offer.toName.map { L.f("handover_offered", $0) } ?? L.t("handover_offered_unnamed")
}
