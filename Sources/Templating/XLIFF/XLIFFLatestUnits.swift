/// A marker note by which a returned unit finds its way home (`RecordXLIFF.Marker`,
/// `CatalogXLIFF.Marker`): translate-toolkit renumbers units, so the marker, not the unit's id,
/// says which passage or message key a unit is.
public protocol XLIFFUnitMarker: Sendable, Hashable {
    /// The marker in a unit's notes, `nil` when it has none.
    static func find(in notes: [XLIFFNote]) -> Self?
    /// What the unit is (a record passage's path, a catalog's message key): units with the same
    /// key are the same unit returned more than once.
    var unitKey: String { get }
}

extension XLIFFDocument {
    /// The unit kept for a key, with its marker and the `target-language` of its `<file>`.
    public struct LatestUnit<Marker: XLIFFUnitMarker>: Sendable, Hashable {
        public var unit: XLIFFUnit
        public var marker: Marker
        /// The `<file>`'s `target-language`, for units that do not say their own.
        public var fileTargetLanguage: String?
        /// Index of the `<file>` the unit came from.
        public var file: Int

        public init(unit: XLIFFUnit, marker: Marker, fileTargetLanguage: String?, file: Int) {
            self.unit = unit
            self.marker = marker
            self.fileTargetLanguage = fileTargetLanguage
            self.file = file
        }
    }

    /// A unit `latestUnits` did not keep, and why.
    public enum RefusedUnit: Sendable, Hashable {
        /// The unit carries no marker note: it cannot be checked.
        case unmarked(XLIFFUnit)
        /// One `<file>` gives two different translations for the key.
        case conflicting(key: String)

        /// Whom a refusal names and why: an unmarked unit by its first location (a PO `#:`
        /// reference) or else its id, with `unmarkedReason`; a conflict by its key.
        public func explained(unmarkedReason: String) -> (unit: String, reason: String) {
            switch self {
            case .unmarked(let unit): (unit.locations.first ?? unit.id, unmarkedReason)
            case .conflicting(let key): (key, "the file gives two different translations of it")
            }
        }
    }

    /// The units of a returned file, one per key (`Marker.unitKey`), in the order the keys first
    /// appear, and the units refused, in document order. The PO header unit po2xliff writes
    /// (`restype="x-gettext-domain-header"`) is neither.
    ///
    /// A later `<file>` replaces an earlier one's unit for a key (po2xliff `-t` appends the
    /// translated units after the template's untouched ones), unless the later one has no
    /// translation and the earlier one has. Within one `<file>`, the first unit of a key stays;
    /// a repeat with a different translation is refused as `.conflicting`.
    public func latestUnits<Marker: XLIFFUnitMarker>(
        marker: Marker.Type
    ) -> (chosen: [LatestUnit<Marker>], refused: [RefusedUnit]) {
        var chosen: [String: LatestUnit<Marker>] = [:]
        var order: [String] = []
        var refused: [RefusedUnit] = []
        for (fileIndex, file) in files.enumerated() {
            for unit in file.units where unit.restype != "x-gettext-domain-header" {
                guard let found = Marker.find(in: unit.notes) else {
                    refused.append(.unmarked(unit))
                    continue
                }
                let key = found.unitKey
                let candidate = LatestUnit(
                    unit: unit,
                    marker: found,
                    fileTargetLanguage: file.targetLanguage,
                    file: fileIndex
                )
                guard let previous = chosen[key] else {
                    chosen[key] = candidate
                    order.append(key)
                    continue
                }
                if previous.file == fileIndex {
                    if previous.unit.translatedText != unit.translatedText {
                        refused.append(.conflicting(key: key))
                    }
                } else if unit.translatedText != nil || previous.unit.translatedText == nil {
                    chosen[key] = candidate
                }
            }
        }
        return (order.compactMap { chosen[$0] }, refused)
    }
}
