/// Values from the input quoted in messages: never more than `limit` characters (a care team id
/// of several megabytes must not come back whole in an error, a log line or an HTTP answer),
/// control and format characters (bidi overrides, zero-width joiners…) shown as `<U+XXXX>` so a
/// message cannot be reordered or hidden by its own quotation. Every message that echoes input
/// goes through here.
public enum Quote {
    /// At most this many characters of any value appear in a message.
    public static let limit = 80

    /// `'value'`, shortened to `limit` characters with `…'` when cut.
    public static func value(_ text: String, limit: Int = Quote.limit) -> String {
        "'" + shortened(text, limit: limit) + "'"
    }

    /// The value without quotes, shortened to `limit` characters with `…` when cut.
    public static func shortened(_ text: String, limit: Int = Quote.limit) -> String {
        var shown = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count == limit { return shown + "…" }
            count += 1
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
                || scalar.properties.generalCategory == .format
            {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                shown += "<U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ">"
            } else {
                shown.unicodeScalars.append(scalar)
            }
        }
        return shown
    }

    /// A list of values for a message: each shortened, at most `items` of them (then "and N more").
    public static func list(_ values: [String], items: Int = 12) -> String {
        let shown = values.prefix(items).map { shortened($0) }.joined(separator: ", ")
        return values.count > items ? "\(shown) and \(values.count - items) more" : shown
    }
}
