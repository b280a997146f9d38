import Foundation
import Templating
import Testing

@testable import CaresDocuments

/// The emergency plan an ED physician asks for (AAP/ACEP Emergency Information Form, schema v2):
/// weight with its date, usual vital signs, procedures to avoid, common problems with what to do,
/// advance directive, guardianship, immunizations, and the age beside the date of birth.
@Suite struct EmergencyInformationTests {
    static let name = "emergency-v2-full.json"

    static func record() throws -> CareRecord { try DocTest.load(Fixtures.record(name)) }

    // MARK: The record

    @Test func theNewFieldsDecode() throws {
        let e = try #require(try Self.record().emergency)
        #expect(e.weight == Weight(value: 27.4, unit: .kilograms, measuredOn: CalendarDate("2026-10-01")!))
        let v = try #require(e.baselineVitals)
        #expect(v.heartRate == 96 && v.respiratoryRate == 22 && v.oxygenSaturation == 97)
        #expect(v.bloodPressure == BaselineVitals.BloodPressure(systolic: 102, diastolic: 64))
        #expect(v.temperature == BaselineVitals.Temperature(value: 36.8, unit: .celsius))
        #expect(v.note == "Baseline SpO2 95-97% on room air.")
        #expect(
            e.proceduresToAvoid?.map(\.procedure) == [
                "Latex gloves and catheters", "MRI without a shunt check afterwards",
            ]
        )
        #expect(e.presentingProblems?.first?.management == "Midazolam 5 mg nasal, call 911.")
        #expect(e.advanceDirective?.status == AdvanceDirectiveStatus.none)
        #expect(e.guardianship?.status == .parents)
        #expect(e.immunizations?.status == .upToDate)
        // Encoding and decoding again gives the same record.
        let record = try Self.record()
        #expect(try JSONDecoder().decode(CareRecord.self, from: JSONEncoder().encode(record)) == record)
    }

    @Test func badMeasuresAreRefusedNamingTheField() throws {
        func problems(_ emergency: String) throws -> [String] {
            let json = """
                {"schemaVersion": 2, "member": {"id": "100234567891", "firstName": "A", "lastName": "B",
                 "dateOfBirth": "2014-03-09", "primaryLanguage": "es"}, "emergency": \(emergency)}
                """
            guard case .failure(let failure) = CareRecordLoader.load(data: Data(json.utf8)) else {
                Issue.record("accepted: \(emergency)")
                return []
            }
            return failure.problems.map(\.description)
        }
        #expect(
            try problems(#"{"weight": {"value": -3, "unit": "kg", "measuredOn": "2026-10-01"}}"#)
                == ["emergency.weight.value: must be greater than 0 (a negative or zero value is not a measurement)"]
        )
        let unit = try problems(#"{"weight": {"value": 30, "unit": "pounds", "measuredOn": "2026-10-01"}}"#)
        #expect(unit.count == 1 && unit[0].hasPrefix("emergency.weight.unit: 'pounds' is not an allowed value"))
        let date = try problems(#"{"weight": {"value": 30, "unit": "lb", "measuredOn": "2026-02-30"}}"#)
        #expect(date.count == 1 && date[0].hasPrefix("emergency.weight.measuredOn: is not a real date"))
        let written = try problems(#"{"weight": {"value": 30, "unit": "lb", "measuredOn": "10/01/2026"}}"#)
        #expect(written == ["emergency.weight.measuredOn: must be a date written YYYY-MM-DD, like 2026-03-09"])
        #expect(
            try problems(#"{"weight": {"value": 30, "unit": "lb"}}"#)
                == ["emergency.weight.measuredOn: required field 'measuredOn' is missing"]
        )
        #expect(
            try problems(#"{"baselineVitals": {"oxygenSaturation": 101}}"#)
                == ["emergency.baselineVitals.oxygenSaturation: is too large: at most 100 (check the unit)"]
        )
        // A weight's number is health information: the message does not repeat it.
        #expect(
            try problems(#"{"weight": {"value": -32.5, "unit": "kg", "measuredOn": "2026-10-01"}}"#)[0].contains("32")
                == false
        )
    }

    @Test func v1RecordsCannotUseTranslationsInTheNewFieldsButKeepWorking() throws {
        let json = """
            {"schemaVersion": 1, "member": {"id": "100234567891", "firstName": "A", "lastName": "B",
             "dateOfBirth": "2014-03-09", "primaryLanguage": "es"},
             "emergency": {"immunizations": {"status": "unknown", "note": {"en": "Ask the family."}}}}
            """
        guard case .failure(let failure) = CareRecordLoader.load(data: Data(json.utf8)) else {
            Issue.record("a translation object was accepted in a version 1 record")
            return
        }
        #expect(failure.problems.map(\.path) == ["emergency.immunizations.note"])
        let plain = json.replacingOccurrences(of: #"{"en": "Ask the family."}"#, with: #""Ask the family.""#)
        let record = try DocTest.load(Data(plain.utf8))
        #expect(record.emergency?.immunizations?.note == "Ask the family.")
    }

    // MARK: Passages

    @Test func theNewPassagesAreTranslatableWithTheirPlaces() throws {
        let record = try Self.record()
        let passages = Dictionary(uniqueKeysWithValues: record.translatablePassages.map { ($0.path, $0) })
        for path in [
            "emergency.baselineVitals.note", "emergency.proceduresToAvoid[0].procedure",
            "emergency.proceduresToAvoid[1].reason", "emergency.presentingProblems[1].problem",
            "emergency.presentingProblems[0].management", "emergency.guardianship.note", "emergency.immunizations.note",
        ] {
            let p = try #require(passages[path], "no passage at \(path)")
            #expect(p.documents == [.carePlan, .emergencyPlan], "\(path)")
        }
        #expect(passages["emergency.advanceDirective.note"]?.source == "Full treatment: do everything needed.")
        #expect(
            passages["emergency.presentingProblems[0].management"]?.fieldDescription
                == "emergency, presenting problem 1: suggested management"
        )
        #expect(
            passages["emergency.proceduresToAvoid[1].reason"]?.fieldDescription
                == "emergency, procedure to avoid 2: reason"
        )
        #expect(
            passages["emergency.baselineVitals.note"]?.translatorNote
                == "Printed in the care plan and the emergency plan: emergency, baseline vital signs: note."
        )
        #expect(passages["emergency.presentingProblems[0].problem"]?.source == "Seizure over 5 minutes")
        for language in [SupportedLanguage.english, .spanish, .arabic, .khmer] {
            #expect(record.untranslatedPassages(in: language).isEmpty, "\(language.tag)")
        }
        #expect(record.untranslatedPassages(in: .french).map(\.path).contains("emergency.guardianship.note"))
    }

    // MARK: Age

    @Test func ageIsYearsFromTwoMonthsBeforeDaysUnderAMonth() {
        func age(_ born: String, _ on: String) -> String? {
            Age(born: CalendarDate(born)!, on: CalendarDate(on)!)?.description
        }
        #expect(age("2017-06-20", "2026-11-23") == "9 years")
        #expect(age("2017-11-24", "2026-11-23") == "8 years")
        #expect(age("2017-11-23", "2026-11-23") == "9 years")
        #expect(age("2024-11-23", "2026-11-23") == "2 years")
        #expect(age("2024-11-24", "2026-11-23") == "23 months")
        #expect(age("2025-05-10", "2026-11-23") == "18 months")
        #expect(age("2025-10-23", "2025-11-23") == "1 month")
        #expect(age("2026-01-31", "2026-02-28") == "1 month")  // the last day of a shorter month
        #expect(age("2026-01-31", "2026-02-27") == "27 days")
        #expect(age("2026-11-22", "2026-11-23") == "1 day")
        #expect(age("2026-11-23", "2026-11-23") == "0 days")
        #expect(age("2016-02-29", "2026-02-28") == "10 years")
        #expect(age("2026-11-24", "2026-11-23") == nil)
    }

    @Test func pluralFormsFollowEachLanguagesRules() throws {
        #expect(
            [1, 2, 5, 21, 22, 25, 11, 12, 111].map { PluralCategory.of($0, locale: "ru") } == [
                .one, .few, .many, .one, .few, .many, .many, .many, .many,
            ]
        )
        #expect(
            [0, 1, 2, 3, 10, 11, 99, 100, 103].map { PluralCategory.of($0, locale: "ar") } == [
                .zero, .one, .two, .few, .few, .many, .many, .other, .few,
            ]
        )
        #expect(PluralCategory.of(1, locale: "km") == .other && PluralCategory.of(0, locale: "fr") == .one)
        let ru = try DocTest.catalog(.russian)
        #expect(try ru.plural("age.years", count: 21) == "21 год")
        #expect(try ru.plural("age.years", count: 3) == "3 года")
        #expect(try ru.plural("age.years", count: 9) == "9 лет")
        #expect(try ru.plural("age.months", count: 14) == "14 месяцев")
        let en = try DocTest.catalog(.english)
        #expect(try en.plural("age.months", count: 1) == "1 month")
        #expect(try en.plural("age.months", count: 18) == "18 months")
        #expect(try DocTest.catalog(.arabic).plural("age.months", count: 2) == "شهران")
        #expect(try DocTest.catalog(.khmer).plural("age.years", count: 9) == "9 ឆ្នាំ")
        // An XLIFF import of a count message checks forms, not placeholder counts (Russian has
        // four forms, English two).
        let english = "one: {count} year | other: {count} years"
        #expect(LocaleCatalog.isPluralMessage(english) && !LocaleCatalog.isPluralMessage("{count} years"))
        #expect(LocaleCatalog.pluralProblems(source: english, target: try #require(ru.messages["age.years"])) == [])
        #expect(
            LocaleCatalog.pluralProblems(source: english, target: "one: {count} год | few: {n} года") == [
                "a count message needs an 'other:' form (for example 'one: {count} year | other: {count} years')"
            ]
        )
        #expect(
            LocaleCatalog.pluralProblems(source: english, target: "one: год | other: {n} лет") == [
                "placeholder {count} of the source is missing from the target's 'other:' form",
                "placeholder {n} in the target is not in the source",
            ]
        )
        // Every catalog has an 'other' form for each age unit.
        for language in SupportedLanguage.allCases {
            let catalog = try DocTest.catalog(language)
            for unit in ["years", "months", "days"] {
                #expect(
                    LocaleCatalog.pluralForms(catalog.messages["age.\(unit)"] ?? "")[.other] != nil,
                    "\(language.tag)"
                )
            }
        }
    }

    // MARK: The PDF

    static func pageCount(_ pdf: Data) throws -> Int {
        let url = DocTest.temporaryFile("plan.pdf")
        try pdf.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let info = try DocTest.run("/usr/bin/pdfinfo", [url.path(percentEncoded: false)])
        let line = try #require(info.stdout.split(separator: "\n").first { $0.hasPrefix("Pages:") })
        return try #require(Int(line.dropFirst("Pages:".count).trimmingCharacters(in: .whitespaces)))
    }

    /// pdftotext's words with line breaks and runs of spaces made single spaces, isolates dropped.
    static func flat(_ text: String) -> String {
        text.unicodeScalars.filter { !(0x2066...0x2069).contains($0.value) }
            .map(String.init).joined()
            .split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    @Test(arguments: [
        (
            SupportedLanguage.english,
            [
                "June 20, 2017 (age 9 years)", "Last reviewed: November 10, 2026",
                "Weight: 27.4 kg (60.4 lb), measured October 1, 2026", "96/min", "22/min", "102/64 mmHg", "97%",
                "36.8 °C",
                "Baseline SpO2 95-97% on room air.", "Common problems and what to do", "Seizure over 5 minutes",
                "Midazolam 5 mg nasal, call 911.", "Procedures to avoid", "Latex gloves and catheters",
                "The magnet can change the valve setting.", "Advance directive", "Guardianship", "Parents decide",
                "Both parents share legal custody.", "Up to date", "Flu vaccine given October 2026.", "ALLERGIES",
            ]
        ),
        (
            .spanish,
            [
                "20 de junio de 2017 (9 años de edad)",
                "Peso: 27.4 kg (60.4 lb), medido el 1 de octubre de 2026", "102/64 mmHg", "97 %",
                "Problemas frecuentes y qué hacer", "Midazolam 5 mg por la nariz, llame al 911.",
                "Procedimientos que se deben evitar", "Guantes y sondas de látex", "Deciden los padres", "Al día",
                "Ninguna",
            ]
        ),
        // Arabic: poppler reorders numbers inside right-to-left lines; the words are checked.
        (
            .arabic,
            [
                "الوزن", "27.4", "كغ", "60.4", "رطل", "دقيقة", "ضغط الدم", "ملم زئبق", "نوبة تزيد عن", "الوصاية",
                "مكتملة", "سنوات",
            ]
        ),
        (.khmer, ["ទម្ងន់", "27.4 គីឡូ", "សម្ពាធឈាម", "102/64 mmHg", "ប្រកាច់លើសពី 5 នាទី", "អាណាព្យាបាល", "9 ឆ្នាំ"]),
    ])
    func thePlanPrintsTheNewPartsOnOnePage(language: SupportedLanguage, expected: [String]) throws {
        let rendered = try DocTest.render(.emergencyPlan, try Self.record(), language)
        #expect(try Self.pageCount(rendered.pdf) == 1, "\(language.tag)")
        // poppler puts spaces inside some Khmer clusters ("សម្ពា ធឈាម"): Khmer is compared without spaces.
        func comparable(_ s: String) -> String {
            language == .khmer ? Self.flat(s).replacingOccurrences(of: " ", with: "") : Self.flat(s)
        }
        let text = comparable(rendered.text)
        for phrase in expected {
            #expect(text.contains(comparable(phrase)), "\(language.tag): no '\(phrase)' in \(text)")
        }
        #expect(rendered.report.missingCharacters.isEmpty, "\(language.tag)")
    }

    @Test func allergiesComeBeforeTheNewPartsAndTheAgeIsBesideTheBirthDate() throws {
        let text = Self.flat(try DocTest.render(.emergencyPlan, try Self.record()).text)
        let order = [
            "ALLERGIES", "Weight: 27.4 kg", "Heart rate", "Medications", "Common problems and what to do",
            "Procedures to avoid", "Advance directive", "Providers most involved in care",
        ]
        let positions = order.compactMap { text.range(of: $0)?.lowerBound }
        #expect(positions.count == order.count && positions == positions.sorted(), "\(text)")
    }

    @Test func aBabysAgeIsInMonthsAndAPoundWeightShowsKilograms() throws {
        var record = try Self.record()
        record.member.dateOfBirth = CalendarDate("2025-05-10")!
        record.emergency?.weight = Weight(value: 24, unit: .pounds, measuredOn: CalendarDate("2026-11-02")!)
        record.emergency?.baselineVitals = BaselineVitals(temperature: .init(value: 98.6, unit: .fahrenheit))
        let text = Self.flat(try DocTest.render(.emergencyPlan, record).text)
        #expect(text.contains("May 10, 2025 (age 18 months)"))
        #expect(text.contains("24 lb (10.9 kg), measured November 2, 2026"))
        #expect(text.contains("98.6 °F"))
        // Columns without a value are left out.
        #expect(!text.contains("Heart rate"))
    }

    @Test func longContentFlowsOntoASecondPageWithNothingLost() throws {
        var record = try Self.record()
        let problems = (1...16).map { i in
            PresentingProblem(
                problem: .plain("Problem number \(i) that the family has seen before"),
                management: .plain(
                    "Management step \(i): call the neurosurgery fellow on call and give oxygen as needed."
                )
            )
        }
        record.emergency?.presentingProblems = problems
        let rendered = try DocTest.render(.emergencyPlan, record)
        #expect(try Self.pageCount(rendered.pdf) == 2)
        let text = Self.flat(rendered.text)
        #expect(text.contains("Management step 14"))
        #expect(text.contains("ALLERGIES"))
    }

    @Test func v1RecordsRenderAsBeforeWithoutTheNewParts() throws {
        let rendered = try DocTest.render(.emergencyPlan, try DocTest.rivera())
        #expect(try Self.pageCount(rendered.pdf) == 1)
        let text = Self.flat(rendered.text)
        #expect(text.contains("ALLERGIES"))
        #expect(text.contains("(age 12 years)"))
        for absent in ["Weight:", "Heart rate", "Procedures to avoid", "Common problems", "Guardianship"] {
            #expect(!text.contains(absent), "\(absent)")
        }
    }
}
