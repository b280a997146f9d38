import Templating

/// Localized strings and lists for a template, built from a record and a locale catalog.
/// Data that must read left to right in any language (phones, emails, ids) is wrapped in a
/// left-to-right isolate before it goes into a sentence.
struct ViewModel {
    let record: CareRecord
    /// The document being made (it decides the addressee).
    let kind: DocumentKind
    let catalog: LocaleCatalog
    let taglines: Taglines
    let options: DocumentRenderer.Options
    /// The record's passages in this copy's language.
    let content: ContentResolver
    /// Passages printed without a text in this copy's language.
    let passages = PassageLog()
    /// Language tag → "English name (own name)", e.g. "Spanish (Español)".
    var languageNames: [String: String] = [:]

    /// Line spacing of letters and plans by locale: Noto Sans Arabic's line metrics are tall
    /// (about 1.9 em at 11 pt against Noto Sans's 1.36), so Arabic is set a little closer and a
    /// letter's body fits its sheet as it does in the other languages.
    static let lineSpacing: [String: String] = ["ar": "0.88"]

    static func isolate(_ s: String) -> String { "\u{2066}" + s + "\u{2069}" }

    /// Record data inside a line of other text: a first-strong isolate, so a bidi control in
    /// the data reorders only the data.
    static func fsi(_ s: String) -> String { "\u{2068}" + s + "\u{2069}" }

    /// Items of record data on one line, each isolated ("Asthma · Diabetes").
    static func list(_ items: [String]) -> String { items.map(fsi).joined(separator: " · ") }

    /// "City, ST 01234" with the city isolated.
    static func cityLine(_ a: Address) -> String { "\(fsi(a.city)), \(a.state) \(a.postalCode)" }

    /// A catalog sentence. Each value goes in as a first-strong isolate, so a bidi control in
    /// record data (a name ending in U+202E) reorders only the value, never the sentence around it.
    func text(_ key: String, _ values: [String: String] = [:]) throws -> String {
        try catalog.text(key, values.mapValues { "\u{2068}" + $0 + "\u{2069}" })
    }

    func date(_ d: CalendarDate) -> String {
        catalog.format(year: d.year, month: d.month, day: d.day)
    }

    var memberName: String {
        "\(record.member.firstName) \(record.member.lastName)"
    }

    /// Who this document is addressed to (`CareRecord.addressee(of:)`: the one decision shared
    /// with the mailing book, the mailroom page and the API).
    var addressee: Addressee? { record.addressee(of: kind) }

    /// The #10 window's lines, the city isolated for bidi.
    func recipientLines() -> [String] {
        addressee?.windowLines(cityLine: Self.cityLine) ?? []
    }

    var recipientName: String { addressee?.name ?? memberName }

    func contactLines(_ c: Contact?) throws -> [String] {
        var out: [String] = []
        if let phone = c?.phone {
            if let ext = c?.phoneExtension {
                out.append(
                    try text("contact.phoneExtension", ["phone": Self.isolate(phone), "extension": Self.isolate(ext)])
                )
            } else {
                out.append(try text("contact.phone", ["phone": Self.isolate(phone)]))
            }
        }
        if let email = c?.email { out.append(try text("contact.email", ["email": Self.isolate(email)])) }
        return out
    }

    /// What every letter has: letterhead, window address, date, reference, closing, taglines.
    func letterFrame(title: String, subject: String) throws -> [String: Any] {
        let p = record.provider
        var m: [String: Any] = [
            "lang": catalog.locale,
            "dir": catalog.isRightToLeft ? "rtl" : "ltr",
            "baseSize": isLargePrint ? "18" : "11",
            "largePrint": isLargePrint,
            "lineSpacing": Self.lineSpacing[catalog.locale] ?? "1",
            "title": title,
            "subject": subject,
            "reference": record.recordId ?? record.member.id,
            "pageLabel": try text("frame.page"),
            "providerName": p?.name ?? "",
            "recipientLines": recipientLines(),
            "letterDate": date(options.letterDate),
            "about": try text("frame.about", ["memberName": memberName, "memberId": Self.isolate(record.member.id)]),
            "dear": try text("frame.dear", ["name": recipientName]),
            "sincerely": try text("frame.sincerely"),
            "languageHelpTitle": try text("frame.languageHelpTitle"),
        ]
        try proofFrame(
            &m,
            title: title,
            keywords:
                "CARES for Kids, \(subject), language: \(catalog.locale), translation: \(catalog.status.rawValue), letter date: \(options.letterDate)"
        )
        if let d = p?.department, !d.isEmpty { m["providerDepartment"] = d }
        if let a = p?.address {
            m["providerAddressLine"] = Self.isolate(
                Self.list([a.line1, a.line2, Self.cityLine(a)].compactMap { $0 }.filter { !$0.isEmpty })
            )
        }
        if let phone = p?.phone { m["providerPhone"] = Self.isolate(phone) }
        if let onCall = p?.onCallPhone {
            // Beside the window the line wraps: the number never does (no-break spaces).
            let phone = Self.isolate(onCall.replacingOccurrences(of: " ", with: "\u{00A0}"))
            m["onCall"] = try text("frame.onCall", ["phone": phone])
        }
        let phone = p?.phone ?? p?.onCallPhone ?? ""
        m["hasTaglines"] = true
        m["taglines"] = taglines.taglines.map { t -> [String: String] in
            [
                "language": t.language, "name": t.name,
                "text": LocaleCatalogFill.fill(t.text, ["phone": Self.isolate(phone)]),
            ]
        }
        return m
    }

    func enrollmentLetter() throws -> [String: Any] {
        let title = try text("enrollment.title")
        var m = try letterFrame(title: title, subject: "Enrollment letter")
        let e = record.enrollment!
        let manager = record.careTeam!.first { $0.id == e.designatedCareManagerId }!
        m["signerName"] = manager.name
        m["careManagerContacts"] = try contactLines(manager.contact)
        m["enrollment"] =
            [
                "title": title,
                "intro": try text(
                    "enrollment.intro",
                    [
                        "memberName": memberName, "providerName": record.provider!.name,
                        "effectiveDate": date(e.effectiveDate!),
                    ]
                ),
                "careManagerTitle": try text("enrollment.careManagerTitle"),
                "careManager": try text("enrollment.careManager", ["name": manager.name]),
                "servicesTitle": try text("enrollment.servicesTitle"),
                "services": try ["coordination", "onCall", "school", "transitions", "social", "benefits"].map {
                    try text("enrollment.service.\($0)")
                },
                "benefitsReminder": try text("enrollment.benefitsReminder"),
                "nextSteps": try text("enrollment.nextSteps"),
            ] as [String: Any]
        return m
    }

    func terminationLetter() throws -> [String: Any] {
        let title = try text("termination.title")
        var m = try letterFrame(title: title, subject: "Termination letter")
        let removal = record.removal!
        let provider = record.provider!
        m["providerContacts"] = try contactLines(Contact(phone: provider.phone, email: provider.email))
        var t: [String: Any] = [
            "title": title,
            "intro": try text(
                "termination.intro",
                ["memberName": memberName, "providerName": provider.name, "terminationDate": date(removal.date)]
            ),
            "reasonTitle": try text("termination.reasonTitle"),
            "reason": try text("termination.reason.\(removal.reason.rawValue)"),
            "questionsTitle": try text("termination.questionsTitle"),
            "questions": try text("termination.questions", ["providerName": provider.name]),
            "benefitsReminder": try text("termination.benefitsReminder"),
        ]
        if let detail = passage(removal.reasonDetailText, "removal.reasonDetail") {
            t["reasonDetail"] = try text("termination.reasonDetail", ["detail": detail])
        }
        m["termination"] = t
        return m
    }
}
