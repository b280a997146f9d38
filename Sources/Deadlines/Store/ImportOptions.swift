import CaresDocuments
import Foundation

/// How records are imported: an explicit confirmation of identity changes, and the day before
/// which newly derived obligations count as completed (a member already in the program).
public struct ImportOptions: Sendable, Hashable {
    /// Import a version whose member id, name or date of birth differ from the stored latest
    /// version, or whose member id is already the member of another record (audited as
    /// `identity-change`).
    public var confirmIdentityChange: Bool
    /// See `ImportPlanner.plan(…completedBefore:)`; on or before today.
    public var completedBefore: CalendarDate?
    /// The latest stored version the new one was made from (0: the record must not exist yet).
    /// Checked in the import's transaction: another version saved since throws
    /// `ImportVersionConflict` and nothing is written (the web editor's concurrent saves).
    public var basedOnVersion: Int?

    public init(confirmIdentityChange: Bool = false, completedBefore: CalendarDate? = nil, basedOnVersion: Int? = nil) {
        self.confirmIdentityChange = confirmIdentityChange
        self.completedBefore = completedBefore
        self.basedOnVersion = basedOnVersion
    }
}

/// A version made from one that is no longer the latest (`ImportOptions.basedOnVersion`).
public struct ImportVersionConflict: Error, Sendable, Hashable, CustomStringConvertible {
    public var recordId: String
    public var basedOn: Int
    /// The latest stored version (0: none).
    public var latest: Int

    public var description: String {
        "record \(recordId): made from version \(basedOn) but the latest stored version is \(latest)"
    }
}

/// Why one record of an import was not imported.
public enum ImportFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The record is not valid (every problem with its path).
    case invalid(ValidationFailure)
    /// A valid record the store refused: it would change who a stored record is about.
    case refused(ImportRefusal)

    public var problems: [ValidationProblem] {
        switch self {
        case .invalid(let f): f.problems
        case .refused(let r): r.problems
        }
    }

    public var description: String {
        switch self {
        case .invalid(let f): "the record is invalid:\n\(f.description)"
        case .refused(let r): r.description
        }
    }
}

/// A record version refused because it changes who the record is about (field paths and record
/// ids only: never a name, a date or a member id).
public struct ImportRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    public var recordId: String
    /// Identity fields that differ from the stored latest version (`member.id`, …).
    public var changedFields: [String]
    /// Other stored records whose member is this record's member.
    public var sameMemberAs: [String]
    /// The record id is another record's only because one is keyed by `recordId` and the other
    /// by `member.id`: never imported under this id.
    public var idCollision: Bool

    /// Whether an explicit confirmation imports it anyway (an id collision: never).
    public var confirmable: Bool { !idCollision }

    public var problems: [ValidationProblem] {
        if idCollision {
            return [
                ValidationProblem(
                    path: "recordId",
                    problem:
                        "record id \(recordId) is already a different record's (one has a recordId, the other is known by its member.id); give this record a recordId of its own"
                )
            ]
        }
        return changedFields.map {
            ValidationProblem(
                path: $0,
                problem:
                    "differs from the stored latest version of record \(recordId): a new version may not change who the child is unless confirmed"
            )
        }
            + (sameMemberAs.isEmpty
                ? []
                : [
                    ValidationProblem(
                        path: "member.id",
                        problem:
                            "is already the member of record \(sameMemberAs.joined(separator: ", ")): the same child under two record ids gets every letter twice; import it only if confirmed"
                    )
                ])
    }

    public var description: String {
        "record \(recordId) refused:\n" + problems.map(\.description).joined(separator: "\n")
    }
}
