import CaresDocuments

/// Who a stored record is about, as the member index keeps its latest version: the fields a new
/// version may not change without an explicit confirmation.
public struct MemberIdentity: Sendable, Hashable {
    public var memberId: String
    public var firstName: String
    public var lastName: String
    public var dateOfBirth: String

    public init(memberId: String, firstName: String, lastName: String, dateOfBirth: String) {
        self.memberId = memberId
        self.firstName = firstName
        self.lastName = lastName
        self.dateOfBirth = dateOfBirth
    }

    public init(_ record: CareRecord) {
        let m = record.member
        self.init(
            memberId: m.id,
            firstName: m.firstName,
            lastName: m.lastName,
            dateOfBirth: m.dateOfBirth.description
        )
    }
}

/// The rules that keep one record about one child (pure: the store reads, these decide).
public enum RecordIdentity {
    /// The identity fields that differ between the stored version and `new`, as JSON paths
    /// (never the values).
    public static func changedFields(stored: MemberIdentity, new: MemberIdentity) -> [String] {
        var paths: [String] = []
        if stored.memberId != new.memberId { paths.append("member.id") }
        if stored.firstName != new.firstName { paths.append("member.firstName") }
        if stored.lastName != new.lastName { paths.append("member.lastName") }
        if stored.dateOfBirth != new.dateOfBirth { paths.append("member.dateOfBirth") }
        return paths
    }

    /// Whether `new` and the stored record share a record id only because one is keyed by its
    /// `recordId` and the other by its `member.id` (the queue keys a record without `recordId`
    /// by its member id): two different records, refused whatever the confirmation.
    /// `storedHasRecordId` is whether the stored latest version has a `recordId`.
    public static func idsCollide(stored: MemberIdentity, storedHasRecordId: Bool, new: CareRecord) -> Bool {
        (new.recordId != nil) != storedHasRecordId && stored.memberId != new.member.id
    }
}
