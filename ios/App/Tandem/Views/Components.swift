// The pieces the screens are made of (Fields.kt's twins): the core's refusals beside the fields
// they name, text and 0–10 fields handed to the core as typed, choices, buttons and cards. Tall
// touch targets (at least 44 points), text that wraps rather than scrolls, words not icons.

import SwiftUI
import UIKit
import Tandem

/// The core's refusals of one form, by the field they name. `other` holds a refusal naming a
/// field this form does not show, or any other failure, as its sentence.
struct Problems {
    private(set) var byField: [String: String] = [:]
    private(set) var other: String? = nil

    subscript(_ field: String) -> String? { byField[field] }

    /// Shows what `edit` says; true when it was saved. `fields` are the fields the form shows.
    mutating func show<T>(_ edit: Edit<T>, fields: Set<String>) -> Bool {
        clear()
        switch edit {
        case .saved:
            return true
        case .refused(let field, let problem, let sentence):
            if fields.contains(field) { byField[field] = problem } else { other = sentence }
        case .failed(let sentence):
            other = sentence
        }
        return false
    }

    /// A problem the screen found before asking the core (a number field left empty).
    mutating func local(_ field: String, _ problem: String) {
        clear()
        byField[field] = problem
    }

    mutating func showOther(_ sentence: String) {
        clear()
        other = sentence
    }

    mutating func clear() {
        byField = [:]
        other = nil
    }

    /// The number typed in `field`, or a note beside it when there is none to hand on.
    mutating func number(_ field: String, _ text: String) -> Int32? {
        if let n = Int32(text.trimmed) { return n }
        local(field, L.t("field_need_number"))
        return nil
    }

    /// The same for a count (days, minutes).
    mutating func count(_ field: String, _ text: String) -> UInt32? {
        if let n = UInt32(text.trimmed) { return n }
        local(field, L.t("field_need_number"))
        return nil
    }
}

/// The core's sentence beside the field it names, after a warning sign so it is not told by
/// colour alone.
struct FieldError: View {
    let problem: String?

    var body: some View {
        if let problem {
            HStack(alignment: .firstTextBaseline, spacing: 6) {
                Text(verbatim: "⚠").accessibilityHidden(true)
                Text(problem)
            }
            .foregroundColor(Color(.systemRed))
            .font(.body)
        }
    }
}

/// A refusal that names no field of the form, at its top.
struct FormProblem: View {
    let problem: String?

    var body: some View {
        if let problem {
            Text(problem)
                .foregroundColor(Color(.systemRed))
                .padding(16)
                .frame(maxWidth: .infinity, alignment: .leading)
                .background(RoundedRectangle(cornerRadius: 12).fill(Color(.systemRed).opacity(0.12)))
        }
    }
}

/// A text field with its label, an optional hint, and the core's sentence for `field` beneath.
/// The text wraps onto more lines rather than scrolling out of sight.
struct TextInput: View {
    let label: String
    @Binding var text: String
    let field: String
    let problems: Problems
    var hint: String? = nil
    var multiline = false
    var keyboard: UIKeyboardType = .default
    /// Addresses and codes: no capitals or corrections.
    var plain = false

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            Text(label).font(.headline)
            TextField(hint ?? label, text: $text, axis: .vertical)
                .lineLimit(multiline ? 3...10 : 1...5)
                .textFieldStyle(.roundedBorder)
                .keyboardType(keyboard)
                .textInputAutocapitalization(plain ? TextInputAutocapitalization.never : .sentences)
                .autocorrectionDisabled(plain)
                .accessibilityLabel(label)
            if let hint { Text(hint).font(.footnote).foregroundColor(.secondary) }
            FieldError(problem: problems[field])
        }
    }
}

/// A 0–10 ruler: the number typed or moved with − and +, handed to the core as it is (the core
/// says when it is outside the ruler).
struct RatingField: View {
    let label: String
    @Binding var text: String
    let field: String
    let problems: Problems
    var hint: String? = nil

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            Text(label).font(.headline)
            if let hint { Text(hint).font(.footnote).foregroundColor(.secondary) }
            HStack(spacing: 8) {
                Button { step(-1) } label: { Text(verbatim: "−").font(.title2).frame(minWidth: 44, minHeight: 44) }
                    .buttonStyle(.bordered)
                    .accessibilityLabel(L.f("rating_less", label))
                TextField("", text: $text)
                    .keyboardType(.numberPad)
                    .textFieldStyle(.roundedBorder)
                    .font(.title3)
                    .frame(width: 88)
                    .accessibilityLabel(label)
                Button { step(1) } label: { Text(verbatim: "+").font(.title2).frame(minWidth: 44, minHeight: 44) }
                    .buttonStyle(.bordered)
                    .accessibilityLabel(L.f("rating_more", label))
            }
            FieldError(problem: problems[field])
        }
    }

    private func step(_ by: Int) {
        text = String((Int(text.trimmed) ?? (by < 0 ? 1 : -1)) + by)
    }
}

/// Choices among `options`, as buttons that wrap onto more rows when the text is large; the
/// chosen ones are filled and ticked. One choice or many: the caller says what a tap does.
struct Choices<T: Hashable>: View {
    let options: [T]
    let selected: Set<T>
    let label: (T) -> String
    let tap: (T) -> Void

    var body: some View {
        LazyVGrid(columns: [GridItem(.adaptive(minimum: 130), spacing: 8, alignment: .leading)],
                  alignment: .leading, spacing: 8) {
            ForEach(options, id: \.self) { option in
                ChoiceButton(text: label(option), chosen: selected.contains(option)) { tap(option) }
            }
        }
    }
}

struct ChoiceButton: View {
    let text: String
    let chosen: Bool
    let action: () -> Void

    var body: some View {
        if chosen {
            Button(action: action) {
                Text("✓ " + text).frame(maxWidth: .infinity, minHeight: 44)
            }
            .buttonStyle(.borderedProminent)
            .accessibilityLabel(text)
            .accessibilityAddTraits(.isSelected)
        } else {
            Button(action: action) {
                Text(text).frame(maxWidth: .infinity, minHeight: 44)
            }
            .buttonStyle(.bordered)
        }
    }
}

/// The main action of a screen: full width, tall.
struct MainButton: View {
    let title: String
    var enabled = true
    let action: () -> Void

    init(_ title: String, enabled: Bool = true, action: @escaping () -> Void) {
        self.title = title
        self.enabled = enabled
        self.action = action
    }

    var body: some View {
        Button(action: action) {
            Text(title).font(.headline).frame(maxWidth: .infinity, minHeight: 44)
        }
        .buttonStyle(.borderedProminent)
        .disabled(!enabled)
    }
}

/// A quieter action.
struct SecondButton: View {
    let title: String
    var enabled = true
    let action: () -> Void

    init(_ title: String, enabled: Bool = true, action: @escaping () -> Void) {
        self.title = title
        self.enabled = enabled
        self.action = action
    }

    var body: some View {
        Button(action: action) { Text(title).frame(minHeight: 44) }
            .buttonStyle(.bordered)
            .disabled(!enabled)
    }
}

/// The quietest action: text only, still a full touch target.
struct QuietButton: View {
    let title: String
    let action: () -> Void

    init(_ title: String, action: @escaping () -> Void) {
        self.title = title
        self.action = action
    }

    var body: some View {
        Button(action: action) { Text(title).frame(minHeight: 44) }
            .buttonStyle(.borderless)
    }
}

/// A quieter action that opens a screen over the tab.
struct OpenButton: View {
    let title: String
    let route: Route

    init(_ title: String, _ route: Route) {
        self.title = title
        self.route = route
    }

    var body: some View {
        NavigationLink(value: route) { Text(title).frame(minHeight: 44) }
            .buttonStyle(.bordered)
    }
}

/// A card holding one thing of the journey.
struct ItemCard<Content: View>: View {
    @ViewBuilder let content: () -> Content

    var body: some View {
        VStack(alignment: .leading, spacing: 6, content: content)
            .frame(maxWidth: .infinity, alignment: .leading)
            .padding(16)
            .background(RoundedRectangle(cornerRadius: 12).fill(Color(.secondarySystemBackground)))
    }
}

/// A consent text in full, with its version: what a person reads before they agree (joining
/// with a code, or a new practitioner offered when theirs left).
struct ConsentCard: View {
    let consent: ConsentText

    var body: some View {
        VStack(alignment: .leading, spacing: 10) {
            Heading(consent.title)
            ForEach(Array(consent.text.paragraphs.enumerated()), id: \.offset) { item in
                Text(item.element)
            }
            Detail(L.f("use_code_version", consent.version))
        }
        .padding(16)
        .frame(maxWidth: .infinity, alignment: .leading)
        .background(RoundedRectangle(cornerRadius: 12).fill(Color(.secondarySystemBackground)))
        .accessibilityElement(children: .contain)
    }
}

/// A section heading.
struct Heading: View {
    let text: String
    init(_ text: String) { self.text = text }

    var body: some View {
        Text(text).font(.title2.weight(.semibold)).padding(.top, 8).accessibilityAddTraits(.isHeader)
    }
}

/// Secondary text under a title.
struct Detail: View {
    let text: String
    init(_ text: String) { self.text = text }

    var body: some View {
        Text(text).font(.subheadline).foregroundColor(.secondary)
    }
}

/// What an empty list says, so a screen is never blank.
struct EmptyNote: View {
    let text: String
    init(_ text: String) { self.text = text }

    var body: some View {
        Text(text).foregroundColor(.secondary).padding(.vertical, 8)
    }
}

/// A form: its fields, the refusal that names none of them on top, Save and Cancel. `save`
/// gives the edit to run (nil: the form said what is missing); once saved, the form closes.
@MainActor
struct FormScreen<Content: View>: View {
    var intro: String? = nil
    @Binding var problems: Problems
    let fields: Set<String>
    let save: @MainActor () -> Change?
    @ViewBuilder let content: () -> Content

    // Not private: a private stored property would make the memberwise initializer private too.
    @EnvironmentObject var model: AppModel
    @State var saving = false

    var body: some View {
        ScrollView {
            VStack(alignment: .leading, spacing: 16) {
                if let intro { Detail(intro) }
                FormProblem(problem: problems.other)
                content()
                MainButton(L.t("save"), enabled: !saving) { run() }
                QuietButton(L.t("cancel")) { model.back() }
            }
            .padding(16)
        }
    }

    private func run() {
        guard let change = save() else { return }
        saving = true
        Task { @MainActor in
            let result = await model.edit(change)
            saving = false
            if problems.show(result, fields: fields) { model.back() }
        }
    }
}
