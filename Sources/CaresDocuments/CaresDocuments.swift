/// CARES knowledge: the care record (schema v1 and v2), its validation, document kinds and their
/// requirement rules, and view models for the templates. Knows nothing of HTTP or storage.
public enum CaresDocuments {
    /// The newest schema version this build reads (it reads 1 and 2).
    public static let schemaVersion = 2
}
