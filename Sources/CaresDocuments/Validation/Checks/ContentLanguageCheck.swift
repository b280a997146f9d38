/// `contentLanguage` belongs to schema version 2: a version 1 record is written in English, and
/// a version 1 reader would not know the field.
struct ContentLanguageCheck: RecordCheck {
    func findings(in record: JSONObject) -> [Finding] {
        guard record["contentLanguage"] != nil, record["schemaVersion"]?.numberValue == 1
        else { return [] }
        return [Finding(JSONPath.root.appending("contentLanguage"), ProblemWording.contentLanguageNeedsVersion2)]
    }
}
