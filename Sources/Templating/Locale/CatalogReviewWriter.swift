import Foundation
import Typesetting

/// Writes the `review` map of a translated catalog (`caredocs locales mark-reviewed` and
/// `mark-drafted`). Only the map's text is replaced — every other byte of the file stays as it was,
/// so a review never reformats the messages — and the file is written atomically (`AtomicFile`).
/// The map has one line per key in the order of `messages` (the layout is described on
/// `LocaleCatalog`), so `git diff` shows exactly the keys a review touched and who reviewed them.
public enum CatalogReviewWriter {
    /// Sets the review metadata of `keys` (every translated key when nil) in the catalogs of
    /// `locales` (`es`, `es,fr` or `all` for every translation): `status`, `reviewer` (nil for a
    /// draft), the hash of the current English message and, for a review, the hash of the
    /// translation reviewed. Returns the keys whose metadata changed, by locale. Unknown keys, or a
    /// key missing from the English catalog or from a translation, are refused before anything is
    /// written; the catalogs are then written all or none (`AtomicFile.writeAll`).
    @discardableResult
    public static func mark(
        directory: URL,
        locale locales: String,
        keys: [String]?,
        status: LocaleCatalog.Status,
        reviewer: String?
    ) throws -> [(locale: String, keys: [String])] {
        if status == .reviewed, reviewer?.trimmingCharacters(in: .whitespaces).isEmpty ?? true {
            throw LocaleError("a review needs the reviewer's name")
        }
        let english = try LocaleCatalog.load(directory.appendingPathComponent("\(LocaleSet.reference).json"))
        var files: [(data: Data, url: URL)] = []
        var out: [(locale: String, keys: [String])] = []
        for locale in try Self.locales(locales, in: directory) {
            let (url, data, changed) = try update(
                directory: directory,
                locale: locale,
                english: english,
                keys: keys,
                status: status,
                reviewer: reviewer
            )
            if let data { files.append((data, url)) }
            out.append((locale, changed))
        }
        try AtomicFile.writeAll(files)
        return out
    }

    /// The translated catalogs `spec` names: one tag, tags separated by commas, or `all`.
    public static func locales(_ spec: String, in directory: URL) throws -> [String] {
        if spec == "all" {
            return try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "json" && $0.lastPathComponent != "taglines.json" }
                .map { $0.deletingPathExtension().lastPathComponent }
                .filter { $0 != LocaleSet.reference && !$0.hasPrefix(".") }
                .sorted()
        }
        let tags = spec.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !tags.isEmpty else { throw LocaleError("no locale given") }
        return tags
    }

    /// One catalog's new bytes (nil when nothing changes) and the keys whose metadata changed.
    static func update(
        directory: URL,
        locale: String,
        english: LocaleCatalog,
        keys: [String]?,
        status: LocaleCatalog.Status,
        reviewer: String?
    ) throws -> (url: URL, data: Data?, changed: [String]) {
        guard locale != LocaleSet.reference else {
            throw LocaleError("\(locale) is the English source; only translations are reviewed")
        }
        let url = directory.appendingPathComponent("\(locale).json")
        guard FileManager.default.fileExists(atPath: url.path) else { throw LocaleError("no catalog \(url.path)") }
        let catalog = try LocaleCatalog.load(url)
        let chosen = keys ?? catalog.messages.keys.filter { english.messages[$0] != nil }.sorted()
        let unknown = chosen.filter { english.messages[$0] == nil || catalog.messages[$0] == nil }
        guard unknown.isEmpty else {
            throw LocaleError(
                "\(locale): no translated message for \(unknown.joined(separator: ", ")) (keys must be in en.json and \(locale).json)"
            )
        }
        var review = catalog.review ?? [:]
        var changed: [String] = []
        for key in chosen {
            let entry = LocaleCatalog.KeyReview(
                status: status,
                reviewer: status == .reviewed ? reviewer : nil,
                englishSha256: LocaleCatalog.messageHash(english.messages[key]!),
                translationSha256: status == .reviewed ? LocaleCatalog.messageHash(catalog.messages[key]!) : nil
            )
            if review[key] != entry { changed.append(key) }
            review[key] = entry
        }
        let original = try Data(contentsOf: url)
        let updated = try rewrite(original, review: review)
        return (url, updated == original ? nil : updated, changed)
    }

    /// The catalog file `data` with its `review` map set to `review` (added after the last member
    /// when the file has none). Entries follow the order of the file's `messages`; entries for keys
    /// not in `messages` follow, sorted (`locales check` reports them).
    public static func rewrite(_ data: Data, review: [String: LocaleCatalog.KeyReview]) throws -> Data {
        let bytes = [UInt8](data)
        let scanner = JSONScanner(bytes: bytes)
        let top = try scanner.members(ofObjectAt: scanner.skipWhitespace(0))
        guard let messages = top.first(where: { $0.key == "messages" }) else {
            throw LocaleError("the catalog has no messages")
        }
        let order = try scanner.members(ofObjectAt: messages.value.lowerBound).map(\.key)
        let block = Array(render(review, order: order).utf8)
        var out = bytes
        if let existing = top.first(where: { $0.key == "review" }) {
            out.replaceSubrange(existing.value, with: block)
        } else if let last = top.last {
            out.insert(contentsOf: Array(",\n  \"review\": ".utf8) + block, at: last.value.upperBound)
        }
        return Data(out)
    }

    /// The catalog file `data` with the messages of `changes` set (key → new text) and its `review`
    /// map set to `review`. A message the file has keeps its place: only its value's text is
    /// replaced, so `git diff` shows that one line. A new message is inserted on a line of its own
    /// after the message that precedes it in `order` (the English catalog's key order), with the
    /// indentation of the messages around it. Every other byte stays as it was. The result is
    /// decoded again and checked: its messages are the file's with `changes` applied.
    public static func rewrite(
        _ data: Data,
        messages changes: [String: String],
        order: [String],
        review: [String: LocaleCatalog.KeyReview]
    ) throws -> Data {
        let bytes = [UInt8](data)
        let scanner = JSONScanner(bytes: bytes)
        let top = try scanner.members(ofObjectAt: scanner.skipWhitespace(0))
        guard let messagesMember = top.first(where: { $0.key == "messages" }) else {
            throw LocaleError("the catalog has no messages")
        }
        let members = try scanner.members(ofObjectAt: messagesMember.value.lowerBound)
        guard let first = members.first else { throw LocaleError("the catalog's messages are empty") }
        var lineStart = first.keyStart
        while lineStart > 0, bytes[lineStart - 1] != UInt8(ascii: "\n") { lineStart -= 1 }
        let indent = String(decoding: bytes[lineStart..<first.keyStart], as: UTF8.self)
        let byKey = Dictionary(members.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        // Edits as (range replaced, new bytes), applied from the end of the file backwards.
        var edits: [(range: Range<Int>, bytes: [UInt8])] = []
        var inserted: [Int: [String]] = [:]
        for (key, text) in changes {
            if let member = byKey[key] {
                edits.append((member.value, Array(quote(text).utf8)))
                continue
            }
            // After the nearest earlier key (in English order) that the file has, else after the last.
            var anchor = members.last!
            if let index = order.firstIndex(of: key) {
                for earlier in order[..<index].reversed() {
                    if let m = byKey[earlier] {
                        anchor = m
                        break
                    }
                }
            }
            inserted[anchor.value.upperBound, default: []].append(key)
        }
        for (position, keys) in inserted {
            let sorted = keys.sorted { (order.firstIndex(of: $0) ?? .max, $0) < (order.firstIndex(of: $1) ?? .max, $1) }
            let text = sorted.map { ",\n\(indent)\(quote($0)): \(quote(changes[$0]!))" }.joined()
            edits.append((position..<position, Array(text.utf8)))
        }
        var out = bytes
        for edit in edits.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
            out.replaceSubrange(edit.range, with: edit.bytes)
        }
        let result = try rewrite(Data(out), review: review)
        let before = try JSONDecoder().decode(LocaleCatalog.self, from: data)
        let after = try JSONDecoder().decode(LocaleCatalog.self, from: result)
        guard after.messages == before.messages.merging(changes, uniquingKeysWith: { _, new in new }),
            after.review == review
        else {
            throw LocaleError("the catalog could not be rewritten in place (its layout is not the one expected)")
        }
        return result
    }

    /// The `review` map's text at the second level of indentation, one entry per line.
    static func render(_ review: [String: LocaleCatalog.KeyReview], order: [String]) -> String {
        let ordered = order.filter { review[$0] != nil } + review.keys.filter { !order.contains($0) }.sorted()
        guard !ordered.isEmpty else { return "{}" }
        let lines = ordered.map { key -> String in
            let r = review[key]!
            return "    \(quote(key)): {\"status\": \(quote(r.status.rawValue)), \"reviewer\": "
                + "\(r.reviewer.map(quote) ?? "null"), \"englishSha256\": \(quote(r.englishSha256))"
                + (r.translationSha256.map { ", \"translationSha256\": \(quote($0))" } ?? "") + "}"
        }
        return "{\n" + lines.joined(separator: ",\n") + "\n  }"
    }

    /// A JSON string literal as the catalogs write them: UTF-8 as is, only `"`, `\` and control
    /// characters escaped. (Care records written by `RecordJSON` use it too.)
    public static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// Just enough of a JSON reader to find where a member's value starts and ends in a file's bytes
/// (JSONSerialization and JSONDecoder give values, not their places). The file is first decoded
/// in full by `LocaleCatalog.load`, so malformed input only needs to be refused, not explained.
struct JSONScanner {
    struct Member {
        var key: String
        /// Where the member's key (its string literal) starts.
        var keyStart: Int
        var value: Range<Int>
    }

    let bytes: [UInt8]

    func skipWhitespace(_ i: Int) -> Int {
        var i = i
        while i < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[i]) { i += 1 }
        return i
    }

    /// The index just past the string literal that starts at `i`.
    func endOfString(_ i: Int) throws -> Int {
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw LocaleError("JSON: expected a string") }
        var j = i + 1
        while j < bytes.count {
            switch bytes[j] {
            case UInt8(ascii: "\\"): j += 2
            case UInt8(ascii: "\""): return j + 1
            default: j += 1
            }
        }
        throw LocaleError("JSON: unterminated string")
    }

    /// The index just past the value that starts at `i`.
    func endOfValue(_ i: Int) throws -> Int {
        guard i < bytes.count else { throw LocaleError("JSON: expected a value") }
        switch bytes[i] {
        case UInt8(ascii: "\""): return try endOfString(i)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            var j = i
            while j < bytes.count {
                switch bytes[j] {
                case UInt8(ascii: "\""):
                    j = try endOfString(j)
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return j + 1 }
                default: break
                }
                j += 1
            }
            throw LocaleError("JSON: unterminated object or array")
        default:
            var j = i
            while j < bytes.count, !",}] \n\r\t".utf8.contains(bytes[j]) { j += 1 }
            return j
        }
    }

    /// The members of the object that starts at `i`, in file order.
    func members(ofObjectAt i: Int) throws -> [Member] {
        guard i < bytes.count, bytes[i] == UInt8(ascii: "{") else { throw LocaleError("JSON: expected an object") }
        var out: [Member] = []
        var j = skipWhitespace(i + 1)
        if j < bytes.count, bytes[j] == UInt8(ascii: "}") { return out }
        while j < bytes.count {
            let j0 = j
            let keyEnd = try endOfString(j)
            guard
                let key = try JSONSerialization.jsonObject(
                    with: Data(bytes[j..<keyEnd]),
                    options: .fragmentsAllowed
                ) as? String
            else { throw LocaleError("JSON: a key that is not a string") }
            j = skipWhitespace(keyEnd)
            guard j < bytes.count, bytes[j] == UInt8(ascii: ":") else { throw LocaleError("JSON: expected ':'") }
            let start = skipWhitespace(j + 1)
            let end = try endOfValue(start)
            out.append(Member(key: key, keyStart: j0, value: start..<end))
            j = skipWhitespace(end)
            guard j < bytes.count else { break }
            if bytes[j] == UInt8(ascii: "}") { return out }
            guard bytes[j] == UInt8(ascii: ",") else { throw LocaleError("JSON: expected ',' or '}'") }
            j = skipWhitespace(j + 1)
        }
        throw LocaleError("JSON: unterminated object")
    }
}
