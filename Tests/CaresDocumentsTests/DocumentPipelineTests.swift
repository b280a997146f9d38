import Foundation
import Testing
import Typesetting

@testable import CaresDocuments

/// The one path from a record to PDF bytes: language choice, typed failures, every copy or none.
@Suite struct DocumentPipelineTests {
    private static let pipeline: Result<DocumentPipelineBox, any Error> = Result {
        DocumentPipelineBox(try DocumentPipeline(renderer: DocTest.renderer()))
    }

    private func render(_ request: DocumentRequest, _ record: CareRecord) throws -> [DocumentCopy] {
        let box = try Self.pipeline.get()
        return try box.lock.withLock { try box.pipeline.render(request, record: record) }
    }

    @Test func languageSelectionFollowsTheKindAndTheRecord() throws {
        let rivera = try DocTest.rivera()
        let primary = try #require(rivera.letterLanguage)
        #expect(primary != .english)
        #expect(try LanguageSelection.kindDefault.resolve(kind: .enrollmentLetter, record: rivera) == [primary])
        #expect(try LanguageSelection.kindDefault.resolve(kind: .emergencyPlan, record: rivera) == [.english])
        #expect(try LanguageSelection.kindDefault.resolve(kind: .ccmNotice, record: rivera) == [.english])
        #expect(try LanguageSelection.primary.resolve(kind: .emergencyPlan, record: rivera) == [primary])
        #expect(try LanguageSelection.bilingual.resolve(kind: .carePlan, record: rivera) == [.english, primary])
        #expect(try LanguageSelection(language: "km").resolve(kind: .carePlan, record: rivera) == [.khmer])
        #expect(try LanguageSelection(language: "english") == .english)
        #expect(try LanguageSelection(language: nil) == .kindDefault)
        #expect(throws: DocumentFailure.unsupportedLanguage("tlh")) { try LanguageSelection(language: "tlh") }
        #expect(throws: DocumentFailure.conflictingOptions("bilingual and a language: choose one")) {
            try LanguageSelection(language: "es", bilingual: true)
        }
        #expect(throws: DocumentFailure.unsupportedLanguage("xx")) { try LanguageSelection(tags: ["es", "xx"]) }
    }

    @Test func aFamilyThatReadsEnglishGetsOneBilingualCopy() throws {
        var record = try DocTest.rivera()
        record.member.primaryLanguage = "en"
        record.guardians = record.guardians?.map {
            var guardian = $0
            guardian.preferredLanguage = nil
            return guardian
        }
        #expect(try LanguageSelection.bilingual.resolve(kind: .carePlan, record: record) == [.english])
    }

    @Test func rendersEveryCopyInOrder() throws {
        let rivera = try DocTest.rivera()
        let request = DocumentRequest(kind: .enrollmentLetter, languages: .bilingual, letterDate: DocTest.letterDate)
        let copies = try render(request, rivera)
        #expect(copies.map(\.language) == [.english, try #require(rivera.letterLanguage)])
        for copy in copies {
            #expect(copy.pdf.starts(with: Data("%PDF-".utf8)))
            #expect(copy.report.pages >= 1)
        }
    }

    @Test func failuresAreTypedValues() throws {
        let box = try Self.pipeline.get()
        #expect(throws: DocumentFailure.unknownKind("welcome-letter")) { try DocumentKind.named("welcome-letter") }
        // Invalid JSON: every problem with its path, never a crash.
        do {
            _ = try box.lock.withLock {
                try box.pipeline.render(DocumentRequest(kind: .enrollmentLetter), json: Data("{\"member\": 1}".utf8))
            }
            Issue.record("an invalid record rendered")
        } catch DocumentFailure.invalidRecord(let problems) {
            #expect(!problems.isEmpty)
            #expect(problems.contains { $0.path.hasPrefix("member") })
        }
        // Missing content: refused with paths and clauses, for the kind asked for.
        var record = try DocTest.rivera()
        record.removal = nil
        do {
            _ = try render(DocumentRequest(kind: .terminationLetter), record)
            Issue.record("a termination letter without a removal rendered")
        } catch DocumentFailure.refused(let kind, let problems) {
            #expect(kind == .terminationLetter)
            #expect(problems.contains { $0.path == "removal.date" && !$0.clause.isEmpty })
        }
    }

    @Test func largePrintFollowsTheRecordUnlessAsked() throws {
        let large = try DocTest.largePrint()
        #expect(DocumentRequest(kind: .enrollmentLetter).largePrint(for: large))
        #expect(!DocumentRequest(kind: .enrollmentLetter, largePrint: false).largePrint(for: large))
        #expect(!DocumentRequest(kind: .enrollmentLetter).largePrint(for: try DocTest.rivera()))
    }
}

/// A pipeline owns an engine: one caller at a time.
private final class DocumentPipelineBox: @unchecked Sendable {
    let pipeline: DocumentPipeline
    let lock = NSLock()
    init(_ pipeline: DocumentPipeline) { self.pipeline = pipeline }
}
