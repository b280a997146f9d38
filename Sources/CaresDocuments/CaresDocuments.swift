/// CARES knowledge: the care record (schema v1), its validation, document kinds and their
/// requirement rules, and view models for the templates. Knows nothing of HTTP or storage.
public enum CaresDocuments {
    /// The schema version this build implements.
    public static let schemaVersion = 1
}
