/// Why text is not JSON, and where: `offset` is the byte the parser stopped at.
struct JSONSyntaxError: Error, Sendable, Hashable {
    var offset: Int
    /// Plain English, without the location (the loader adds "line L, column C").
    var message: String
}

/// A key written twice in one object. JSON leaves the meaning open (first? last?), so the
/// record is ambiguous; the parser keeps the first value and reports this.
struct DuplicateKey: Sendable, Hashable {
    var path: JSONPath
    var key: String
    var first: TextPosition
    var repeated: TextPosition
}
