/// RFC 4180 CSV for the mailing book, written here and read back by `mailroom import-tracking`
/// and `mailroom printed --batch`. Written by hand: it is a few lines, and the neutralising of
/// formula cells must be undone exactly when our own files come back, which a general CSV library
/// would not do.
///
/// A cell that a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a
/// carriage return: CSV injection) is written with a leading `'`, which spreadsheets show as text.
/// A cell that starts with `'` and one of those is given one more `'`, so reading strips exactly
/// one and every value comes back as it was.
public enum CSVCell {
    static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    /// `value` as one CSV field: neutralised, then quoted when it holds `,`, `"` or a line break.
    public static func field(_ value: String) -> String {
        var text = value
        if needsGuard(text) { text = "'" + text }
        guard text.contains(where: { ",\"\n\r".contains($0) }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The value a read field stood for (one neutralising `'` removed).
    public static func value(_ field: String) -> String {
        guard field.first == "'", needsGuard(String(field.dropFirst())) else { return field }
        return String(field.dropFirst())
    }

    private static func needsGuard(_ text: String) -> Bool {
        guard let first = text.first else { return false }
        if formulaStarts.contains(first) { return true }
        return first == "'" && needsGuard(String(text.dropFirst()))
    }
}

/// RFC 4180 CSV: quoted fields with doubled quotes, CRLF or LF line ends; each field's value as
/// `CSVCell.value` reads it.
public func parseCSV(_ text: String) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var quoted = false
    var chars = Array(text.unicodeScalars)[...]
    while let c = chars.popFirst() {
        if quoted {
            if c == "\"" {
                if chars.first == "\"" {
                    field.unicodeScalars.append("\"")
                    chars.removeFirst()
                } else {
                    quoted = false
                }
            } else {
                field.unicodeScalars.append(c)
            }
        } else if c == "\"" {
            quoted = true
        } else if c == "," {
            row.append(field)
            field = ""
        } else if c == "\n" || c == "\r" {
            if c == "\r", chars.first == "\n" { chars.removeFirst() }
            row.append(field)
            rows.append(row)
            row = []
            field = ""
        } else {
            field.unicodeScalars.append(c)
        }
    }
    if !field.isEmpty || !row.isEmpty {
        row.append(field)
        rows.append(row)
    }
    return rows.map { $0.map(CSVCell.value) }
}
