extension StringProtocol {
    /// Whether the text is empty or only white space (Unicode's White_Space: the characters
    /// Foundation's `whitespacesAndNewlines` trims, without bridging to NSString; this runs for
    /// every optional text of a record that a document shows).
    var isBlank: Bool { unicodeScalars.allSatisfy(\.properties.isWhitespace) }
}
