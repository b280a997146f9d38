import Testing

@testable import Templating

/// `XLIFFDocument.latestUnits(marker:)`: one unit per key across po2xliff's `<file>`s, the last
/// translated one winning, units without a marker refused, first-seen key order kept.
@Suite struct XLIFFLatestUnitsTests {
    /// A marker note `test key=…`.
    struct TestMarker: XLIFFUnitMarker {
        var key: String
        var unitKey: String { key }

        static func find(in notes: [XLIFFNote]) -> TestMarker? {
            for note in notes where note.text.hasPrefix("test key=") {
                return TestMarker(key: String(note.text.dropFirst("test key=".count)))
            }
            return nil
        }
    }

    func unit(_ id: String, key: String?, target: String? = nil, locations: [String] = []) -> XLIFFUnit {
        XLIFFUnit(
            id: id,
            source: XLIFFText("source of \(key ?? id)"),
            target: target.map { XLIFFText($0) },
            notes: [XLIFFNote("a note for the translator", from: "developer")]
                + (key.map { [XLIFFNote("test key=\($0)", from: "developer")] } ?? []),
            locations: locations
        )
    }

    @Test func lastFileWinsUnmarkedAreRefusedAndOrderIsKept() {
        // The template as exported, then what po2xliff -t appends: the same keys renumbered.
        let template = XLIFFFile(
            original: "template",
            sourceLanguage: "en",
            targetLanguage: "es",
            units: [
                unit("b", key: "b", target: "old b"),
                unit("a", key: "a"),
                unit("c", key: "c", target: "kept c"),
                unit("loose", key: nil, locations: ["somewhere.json"]),
            ]
        )
        let returned = XLIFFFile(
            original: "returned.po",
            sourceLanguage: "en",
            targetLanguage: "es-ES",
            units: [
                XLIFFUnit(id: "header", restype: "x-gettext-domain-header", source: ""),
                unit("1", key: "a", target: "new a"),
                unit("2", key: "b", target: "new b"),
                // No translation in the later file: the earlier translation stays.
                unit("3", key: "c"),
                unit("4", key: nil),
                unit("5", key: "d", target: "d"),
            ]
        )
        let document = XLIFFDocument(files: [template, returned])
        let (chosen, refused) = document.latestUnits(marker: TestMarker.self)

        #expect(chosen.map(\.marker.key) == ["b", "a", "c", "d"])
        #expect(chosen.map(\.unit.translatedText) == ["new b", "new a", "kept c", "d"])
        #expect(chosen.map(\.file) == [1, 1, 0, 1])
        #expect(chosen.map(\.fileTargetLanguage) == ["es-ES", "es-ES", "es", "es-ES"])
        #expect(refused == [.unmarked(template.units[3]), .unmarked(returned.units[4])])
        #expect(
            refused.map { $0.explained(unmarkedReason: "no marker").unit } == ["somewhere.json", "4"]
        )
    }

    @Test func twoTranslationsOfOneKeyInOneFileAreRefused() {
        let file = XLIFFFile(
            original: "one",
            sourceLanguage: "en",
            units: [
                unit("1", key: "a", target: "first"),
                unit("2", key: "a", target: "first"),
                unit("3", key: "a", target: "second"),
            ]
        )
        let (chosen, refused) = XLIFFDocument(files: [file]).latestUnits(marker: TestMarker.self)
        #expect(chosen.map(\.unit.id) == ["1"])
        #expect(refused == [.conflicting(key: "a")])
        #expect(
            refused.first?.explained(unmarkedReason: "no marker").reason
                == "the file gives two different translations of it"
        )
    }
}
