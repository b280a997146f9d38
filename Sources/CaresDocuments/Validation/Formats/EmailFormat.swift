/// JSON Schema `format: email`, checked the way a mail form would: one `@`, a sensible part
/// before it, and a domain name with a dot after it. Quoted local parts and IP-address domains
/// (legal in RFC 5321, never used for families and clinics) are refused; non-ASCII letters
/// (internationalized addresses) are allowed.
enum EmailFormat {
    private static let localSymbols = Set("!#$%&'*+/=?^_`{|}~-.".unicodeScalars)

    /// Why `text` is not an email address, or `nil` when it is one.
    static func problem(in text: String) -> String? {
        if isPlainASCIIAddress(text.utf8) { return nil }
        return reason(text).map { "is not a valid email address: \($0)" }
    }

    /// The rules of `reason` for an all-ASCII address, on its bytes: true only when `reason`
    /// finds nothing (anything else, and every non-ASCII address, goes to `reason` for its
    /// words). Most addresses are plain ASCII; checking them with Unicode properties and sets
    /// of scalars was a tenth of reading a record.
    static func isPlainASCIIAddress(_ bytes: String.UTF8View) -> Bool {
        var at: String.UTF8View.Index?
        for index in bytes.indices where bytes[index] == UInt8(ascii: "@") {
            guard at == nil else { return false }
            at = index
        }
        guard let at else { return false }
        let local = bytes[..<at]
        let domain = bytes[bytes.index(after: at)...]
        guard !local.isEmpty, local.count <= 64, local.first != UInt8(ascii: "."), local.last != UInt8(ascii: ".")
        else { return false }
        var previous: UInt8 = 0
        for byte in local {
            guard isLetterOrDigit(byte) || asciiLocalSymbols.contains(byte) else { return false }
            if byte == UInt8(ascii: "."), previous == UInt8(ascii: ".") { return false }
            previous = byte
        }
        var labels = 0
        var labelLength = 0
        var labelFirst: UInt8 = 0
        var labelDigitsOnly = true
        previous = 0
        for byte in domain {
            if byte == UInt8(ascii: ".") {
                guard labelLength > 0, previous != UInt8(ascii: "-") else { return false }
                labels += 1
                labelLength = 0
                labelDigitsOnly = true
            } else {
                guard isLetterOrDigit(byte) || byte == UInt8(ascii: "-") else { return false }
                if labelLength == 0 { labelFirst = byte }
                labelLength += 1
                guard labelLength <= 63, labelFirst != UInt8(ascii: "-") else { return false }
                if !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { labelDigitsOnly = false }
            }
            previous = byte
        }
        // The last label: not empty, no '-' at its end, a name of two letters or more.
        guard labelLength >= 2, previous != UInt8(ascii: "-"), !labelDigitsOnly else { return false }
        return labels + 1 >= 2
    }

    private static let asciiLocalSymbols = Set("!#$%&'*+/=?^_`{|}~-.".utf8)

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    static func reason(_ text: String) -> String? {
        if text.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 }) {
            return "it contains a space or an invisible character"
        }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            return parts.count < 2 ? "it has no '@'" : "it has more than one '@'"
        }
        let (local, domain) = (parts[0], parts[1])
        if local.isEmpty { return "there is nothing before the '@'" }
        if local.utf8.count > 64 { return "the part before the '@' is longer than 64 characters" }
        if local.hasPrefix(".") || local.hasSuffix(".") || local.contains("..") {
            return "the part before the '@' must not start or end with a dot, or have two dots in a row"
        }
        if let bad = local.unicodeScalars.first(where: { !isLocalCharacter($0) }) {
            return "the part before the '@' cannot contain '\(bad)'"
        }
        if domain.isEmpty { return "there is nothing after the '@'" }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return "the domain after the '@' has no dot (like example.org)" }
        if labels.contains(where: \.isEmpty) {
            return "the domain after the '@' has an empty part (two dots in a row, or a dot at an end)"
        }
        for label in labels {
            if label.hasPrefix("-") || label.hasSuffix("-") {
                return "a part of the domain starts or ends with '-'"
            }
            if label.utf8.count > 63 { return "a part of the domain is longer than 63 characters" }
            if let bad = label.unicodeScalars.first(where: { !isDomainCharacter($0) }) {
                return "the domain after the '@' cannot contain '\(bad)'"
            }
        }
        if let last = labels.last, last.count < 2 || last.allSatisfy(\.isNumber) {
            return "the domain must end in a name such as .org or .com"
        }
        return nil
    }

    private static func isLocalCharacter(_ scalar: Unicode.Scalar) -> Bool {
        isASCIILetterOrDigit(scalar) || localSymbols.contains(scalar)
            || (!scalar.isASCII && scalar.properties.isAlphabetic)
    }

    private static func isDomainCharacter(_ scalar: Unicode.Scalar) -> Bool {
        isASCIILetterOrDigit(scalar) || scalar == "-"
            || (!scalar.isASCII && (scalar.properties.isAlphabetic || scalar.properties.numericType != nil))
    }

    private static func isASCIILetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }
}
