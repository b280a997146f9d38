/// A rule of the care record that the schema cannot state: ids that must be unique, references
/// that must resolve. Checks read the parsed JSON, not the decoded record, so they run (and
/// report) alongside schema problems; they skip values the schema already reports as malformed.
protocol RecordCheck: Sendable {
    func findings(in record: JSONObject) -> [Finding]
}
