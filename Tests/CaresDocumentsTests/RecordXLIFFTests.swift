import Foundation
import Templating
import Testing

@testable import CaresDocuments

/// A record's passages as XLIFF and back (`RecordXLIFF`): units, pre-filling, and every reason
/// an import is refused.
@Suite struct RecordXLIFFTests {
    static func record(_ name: String) throws -> CareRecord { try DocTest.load(Fixtures.record(name)) }

    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    /// The Vietnamese record's export with every empty target filled by `translate`.
    static func filled(
        _ document: XLIFFDocument,
        _ translate: (String) -> String = { "VI: " + $0 }
    ) -> XLIFFDocument {
        var d = document
        for f in d.files.indices {
            for u in d.files[f].units.indices where d.files[f].units[u].translatedText == nil {
                d.files[f].units[u].target = XLIFFText(translate(d.files[f].units[u].source.plainText))
                d.files[f].units[u].state = .translated
            }
        }
        return d
    }

    @Test func exportHasOneUnitPerPassageWithNotesAndMarkers() throws {
        let record = try Self.record("nguyen-v2-vi.json")
        let (document, summary) = try RecordXLIFF.export(record: record, language: .vietnamese, memory: [:])
        let file = try #require(document.files.first)
        #expect(document.files.count == 1)
        #expect(file.original == "CR-2026-000654")
        #expect(file.sourceLanguage == "en")
        #expect(file.targetLanguage == "vi")
        #expect(file.units.map(\.id) == RecordXLIFF.exportedPassages(record).map(\.path))
        #expect(file.units.map(\.id).contains("emergency.medications[1].frequency"))
        #expect(summary.units == file.units.count)
        #expect(summary.fromRecord == 1)
        #expect(summary.empty == file.units.count - 1)

        let asthma = try #require(file.units.first { $0.id == "emergency.diagnoses[1]" })
        #expect(asthma.target?.plainText == "Hen suyễn nhẹ")
        #expect(asthma.state == .final)
        #expect(asthma.approved == true)

        let frequency = try #require(file.units.first { $0.id == "emergency.medications[0].frequency" })
        #expect(frequency.source.plainText == "Twice a day, morning and evening")
        #expect(frequency.target == XLIFFText(""))
        #expect(frequency.state == .new)
        #expect(
            frequency.notes[0].text
                == "Printed in the care plan, the emergency plan and the aftercare plan: emergency, medication 1: frequency."
        )
        let marker = try #require(RecordXLIFF.Marker.find(in: frequency.notes))
        #expect(marker.recordId == "CR-2026-000654")
        #expect(marker.path == "emergency.medications[0].frequency")
        #expect(marker.sourceLanguage == "en" && marker.targetLanguage == "vi")
        #expect(marker.sourceHash == TranslationSegment.hash("Twice a day, morning and evening"))

        let reaction = try #require(file.units.first { $0.id == "emergency.allergies[0].reaction" })
        #expect(reaction.source.plainText == "Hives & swelling of the lips")
        let xml = try XLIFFWriter.string(document)
        #expect(xml.contains("<source>Hives &amp; swelling of the lips</source>"))
    }

    @Test func exportPrefillsFromTheMemory() throws {
        let record = try Self.record("nguyen-v2-vi.json")
        func segment(_ source: String, _ target: String, _ status: SegmentStatus) -> TranslationSegment {
            TranslationSegment(
                sourceLanguage: .english,
                sourceText: source,
                targetLanguage: .vietnamese,
                targetText: target,
                status: status,
                reviewer: status == .reviewed ? "rev" : nil,
                updatedAt: Self.now
            )
        }
        let memory = [
            "Nasal": segment("Nasal", "Qua mũi", .reviewed),
            "By mouth": segment("By mouth", "Uống", .drafted),
        ]
        let (document, summary) = try RecordXLIFF.export(record: record, language: .vietnamese, memory: memory)
        #expect(summary.fromMemory == 2)
        let nasal = try #require(document.units.first { $0.id == "emergency.medications[1].route" })
        #expect(nasal.target?.plainText == "Qua mũi")
        #expect(nasal.state == .final)
        #expect(nasal.approved == true)
        #expect(nasal.alternatives.first?.origin == "caredocs-translation-memory")
        #expect(nasal.notes.contains { $0.text.contains("translation memory (reviewed)") })
        let mouth = try #require(document.units.first { $0.id == "emergency.medications[0].route" })
        #expect(mouth.state == .translated)
        #expect(mouth.approved == nil)
    }

    @Test func exportIntoTheContentLanguageIsRefused() throws {
        let record = try Self.record("sok-v2-km.json")
        #expect(throws: RecordXLIFF.ExportError.sameLanguage(.khmer)) {
            try RecordXLIFF.export(record: record, language: .khmer, memory: [:])
        }
        let (document, summary) = try RecordXLIFF.export(record: record, language: .english, memory: [:])
        #expect(
            Set(document.units.filter { $0.translatedText == nil }.map(\.id)) == [
                "emergency.medications[1].route", "emergency.medications[1].frequency", "emergency.diagnoses[1]",
                "emergency.devices[0]",
            ]
        )
        #expect(summary.empty == 4)
    }

    @Test func importPlansSegmentsReviewedOnlyWithAReviewer() throws {
        let record = try Self.record("nguyen-v2-vi.json")
        let exported = try RecordXLIFF.export(record: record, language: .vietnamese, memory: [:]).document
        let document = Self.filled(exported)
        let drafted = RecordXLIFF.plan(
            document,
            record: record,
            memory: [:],
            translator: "tr",
            reviewer: nil,
            now: Self.now
        )
        #expect(drafted.refusals.isEmpty)
        #expect(drafted.targetLanguage == .vietnamese)
        #expect(drafted.segments.count == document.units.count)
        #expect(drafted.segments.allSatisfy { $0.status == .drafted && $0.reviewer == nil && $0.translator == "tr" })
        let baseline = try #require(drafted.segments.first { $0.sourceText.hasPrefix("Talks and walks") })
        #expect(baseline.targetText == "VI: Talks and walks normally; tired for about 1 hour after a seizure.")

        let reviewed = RecordXLIFF.plan(
            document,
            record: record,
            memory: [:],
            translator: nil,
            reviewer: "rv",
            now: Self.now
        )
        #expect(reviewed.segments.allSatisfy { $0.status == .reviewed && $0.reviewer == "rv" })

        // What the memory already has is unchanged; drafted → reviewed is a change.
        var memory: [String: TranslationSegment] = [:]
        for s in drafted.segments { memory[s.sourceText] = s }
        let again = RecordXLIFF.plan(
            document,
            record: record,
            memory: memory,
            translator: "tr",
            reviewer: nil,
            now: Self.now
        )
        #expect(again.segments.isEmpty)
        #expect(again.unchanged == document.units.count)
        let upgrade = RecordXLIFF.plan(
            document,
            record: record,
            memory: memory,
            translator: "tr",
            reviewer: "rv",
            now: Self.now
        )
        #expect(upgrade.segments.count == document.units.count)

        // A unit the file marks unfinished stays drafted even with a reviewer.
        var marked = document
        marked.files[0].units[0].state = .needsReviewTranslation
        let partly = RecordXLIFF.plan(
            marked,
            record: record,
            memory: [:],
            translator: nil,
            reviewer: "rv",
            now: Self.now
        )
        #expect(partly.draftedAsMarked == 1)
        #expect(partly.segments.filter { $0.status == .drafted }.count == 1)
    }

    @Test func untranslatedUnitsAreSkipped() throws {
        let record = try Self.record("nguyen-v2-vi.json")
        let exported = try RecordXLIFF.export(record: record, language: .vietnamese, memory: [:]).document
        let plan = RecordXLIFF.plan(
            exported,
            record: record,
            memory: [:],
            translator: nil,
            reviewer: nil,
            now: Self.now
        )
        #expect(plan.refusals.isEmpty)
        #expect(plan.segments.count == 1, "only the record's own Vietnamese text")
        #expect(plan.untranslated == exported.units.count - 1)
    }

    @Test func importIsRefusedWhenTheSourceChanged() throws {
        let data = try Fixtures.record("nguyen-v2-vi.json")
        let record = try DocTest.load(data)
        let document = Self.filled(try RecordXLIFF.export(record: record, language: .vietnamese, memory: [:]).document)
        let changedJSON = String(decoding: data, as: UTF8.self)
            .replacingOccurrences(of: "Seizure alarm watch", with: "Seizure alarm watch and bed sensor")
            .replacingOccurrences(of: ", \"Keep the lights dim after a seizure.\"", with: "")
        let changed = try DocTest.load(Data(changedJSON.utf8))
        let plan = RecordXLIFF.plan(
            document,
            record: changed,
            memory: [:],
            translator: nil,
            reviewer: "rv",
            now: Self.now
        )
        #expect(
            plan.refusals.map(\.description) == [
                "emergency.accommodations[1]: the passage no longer exists in the record",
                "emergency.devices[0]: the source text changed since export: translate the new text (export again)",
            ]
        )
    }

    @Test func importRefusesPlaceholderMismatchesLanguagesAndEditedSources() throws {
        let record = try Self.record("nguyen-v2-vi.json")
        var document = Self.filled(try RecordXLIFF.export(record: record, language: .vietnamese, memory: [:]).document)
        func index(_ id: String) -> Int { document.files[0].units.firstIndex { $0.id == id }! }
        document.files[0].units[index("emergency.baseline")].target = "Bình thường {name}"
        document.files[0].units[index("emergency.devices[0]")].targetLanguage = "km"
        document.files[0].units[index("emergency.medications[0].purpose")].source = "Prevents all seizures"
        let plan = RecordXLIFF.plan(
            document,
            record: record,
            memory: [:],
            translator: nil,
            reviewer: nil,
            now: Self.now
        )
        #expect(
            Set(plan.refusals.map(\.description)) == [
                "emergency.baseline: placeholder {name} in the target is not in the source",
                "emergency.devices[0]: the target language is km, but the unit was exported for vi",
                "emergency.medications[0].purpose: the source text in the file was edited: it must stay as exported",
            ]
        )

        var wrongFile = Self.filled(try RecordXLIFF.export(record: record, language: .vietnamese, memory: [:]).document)
        wrongFile.files[0].targetLanguage = "ar"
        let wrong = RecordXLIFF.plan(
            wrongFile,
            record: record,
            memory: [:],
            translator: nil,
            reviewer: nil,
            now: Self.now
        )
        #expect(wrong.refusals.count == wrongFile.units.count)
        #expect(wrong.refusals.allSatisfy { $0.reason.contains("target language is ar") })

        let asked = RecordXLIFF.plan(
            Self.filled(try RecordXLIFF.export(record: record, language: .vietnamese, memory: [:]).document),
            record: record,
            memory: [:],
            translator: nil,
            reviewer: nil,
            expectedLanguage: .arabic,
            now: Self.now
        )
        #expect(asked.refusals.map(\.description) == ["(file): the file translates into vi, not ar as asked"])

        let other = try Self.record("sok-v2-km.json")
        let otherPlan = RecordXLIFF.plan(
            document,
            record: other,
            memory: [:],
            translator: nil,
            reviewer: nil,
            now: Self.now
        )
        #expect(otherPlan.refusals.map(\.unit) == ["(file)", "(file)"])
        #expect(otherPlan.segments.isEmpty)
    }

    @Test func aFileWithoutMarkersIsNotOurs() throws {
        let record = try Self.record("nguyen-v2-vi.json")
        let foreign = XLIFFDocument(files: [
            XLIFFFile(
                original: "x",
                sourceLanguage: "en",
                targetLanguage: "vi",
                units: [XLIFFUnit(id: "1", source: "a", target: "b")]
            )
        ])
        let plan = RecordXLIFF.plan(foreign, record: record, memory: [:], translator: nil, reviewer: nil, now: Self.now)
        #expect(plan.refusals.count == 1)
        #expect(plan.refusals[0].reason.contains("no unit carries a caredocs marker"))
    }

    @Test func passageDescriptions() throws {
        #expect(PassagePlaces.describe("goals[0].actions[1].description") == "goal 1, action 2: description")
        #expect(PassagePlaces.describe("healthSummary.medicalHistory") == "health summary: medical history")
        #expect(PassagePlaces.describe("education.plan504") == "education: 504 plan")
        #expect(PassagePlaces.describe("removal.referrals[0].name") == "disenrollment, referral 1: name")
        #expect(PassagePlaces.documents("removal.reasonDetail") == [.terminationLetter, .aftercarePlan])
        #expect(PassagePlaces.documents("member.pronouns") == [.emergencyPlan])
    }
}
