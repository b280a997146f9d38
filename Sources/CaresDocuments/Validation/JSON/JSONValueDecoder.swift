/// Decodes a `Decodable` from the tree the loader already parsed for validation (`JSONValue`), so
/// that a record is read once: `JSONDecoder` would scan the bytes again and build a dictionary
/// of every object's keys for each keyed container (a third of the record stage).
///
/// Written by hand because Foundation's decoders read only bytes or property lists. It follows
/// `JSONDecoder`'s default strategies, which the records were decoded with before: keys as
/// written; a string only from a string, a Boolean only from `true`/`false`; an integer from
/// any number with an integral value in range (`2`, `2.0`, `20E-1`), refusing a fraction or an
/// overflow; a floating-point number from any finite number; `null` only where the type is
/// optional (`decodeIfPresent` gives nil for an absent key or `null`). Errors are
/// `DecodingError`s with the coding path, as `JSONDecoder`'s are.
struct JSONValueDecoder {
    static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try T(from: TreeDecoder(value: value, codingPath: []))
    }
}

private struct TreeDecoder: Decoder, SingleValueDecodingContainer {
    let value: JSONValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let object) = value else {
            throw mismatch([String: Any].self, value, codingPath)
        }
        return KeyedDecodingContainer(KeyedTreeContainer<Key>(object: object, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let items) = value else { throw mismatch([Any].self, value, codingPath) }
        return UnkeyedTreeContainer(items: items, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    // SingleValueDecodingContainer
    func decodeNil() -> Bool { value == .null }
    func decode(_ type: Bool.Type) throws -> Bool { try scalar(Bool.self, value, codingPath) }
    func decode(_ type: String.Type) throws -> String { try scalar(String.self, value, codingPath) }
    func decode(_ type: Double.Type) throws -> Double { try scalar(Double.self, value, codingPath) }
    func decode(_ type: Float.Type) throws -> Float { try floatingPoint(value, codingPath) }
    func decode(_ type: Int.Type) throws -> Int { try scalar(Int.self, value, codingPath) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(value, codingPath) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(value, codingPath) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(value, codingPath) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(value, codingPath) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(value, codingPath) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(value, codingPath) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(value, codingPath) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(value, codingPath) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(value, codingPath) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeValue(T.self, value, codingPath) }
}

/// A value of type `T` from `value`: scalars directly (no decoder made for them), anything else
/// through its `init(from:)`. The coding path is made only when it is needed — for a nested
/// decoder, or an error — not for every scalar member (an array for each was a tenth of the
/// record stage).
private func decodeValue<T: Decodable>(
    _ type: T.Type,
    _ value: JSONValue,
    _ path: @autoclosure () -> [any CodingKey]
) throws -> T {
    if T.self == String.self || T.self == Int.self || T.self == Bool.self || T.self == Double.self {
        return try scalar(T.self, value, path())
    }
    return try T(from: TreeDecoder(value: value, codingPath: path()))
}

private func scalar<T>(_ type: T.Type, _ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) throws -> T {
    switch value {
    case .string(let text) where T.self == String.self: return text as! T
    case .bool(let flag) where T.self == Bool.self: return flag as! T
    case .number where T.self == Int.self: return try integer(value, path()) as Int as! T
    case .number where T.self == Double.self: return try floatingPoint(value, path()) as Double as! T
    default: throw mismatch(T.self, value, path())
    }
}

private func integer<T: FixedWidthInteger>(_ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) throws -> T {
    guard case .number(let text) = value else { throw mismatch(T.self, value, path()) }
    if let exact = T(text) { return exact }
    // `2.0`, `20E-1`: an integral value written as a floating-point number, as JSONDecoder reads it.
    if let number = Double(text), number.isFinite, number.rounded(.towardZero) == number,
        let exact = T(exactly: number)
    {
        return exact
    }
    throw DecodingError.dataCorrupted(
        .init(codingPath: path(), debugDescription: "Parsed JSON number <\(text)> does not fit in \(T.self).")
    )
}

private func floatingPoint<T: BinaryFloatingPoint & LosslessStringConvertible>(
    _ value: JSONValue,
    _ path: @autoclosure () -> [any CodingKey]
) throws -> T {
    guard case .number(let text) = value else { throw mismatch(T.self, value, path()) }
    guard let number = T(text), number.isFinite else {
        throw DecodingError.dataCorrupted(
            .init(codingPath: path(), debugDescription: "Parsed JSON number <\(text)> does not fit in \(T.self).")
        )
    }
    return number
}

private func mismatch(_ type: Any.Type, _ value: JSONValue, _ path: [any CodingKey]) -> DecodingError {
    let found: String
    switch value {
    case .object: found = "a dictionary"
    case .array: found = "an array"
    case .string: found = "a string"
    case .number: found = "a number"
    case .bool: found = "bool"
    case .null:
        return DecodingError.valueNotFound(
            type,
            .init(codingPath: path, debugDescription: "Cannot get value of type \(type) -- found null value instead")
        )
    }
    return DecodingError.typeMismatch(
        type,
        .init(codingPath: path, debugDescription: "Expected to decode \(type) but found \(found) instead.")
    )
}

private struct KeyedTreeContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let object: JSONObject
    let codingPath: [any CodingKey]

    var allKeys: [Key] { object.members.compactMap { Key(stringValue: $0.key) } }

    func contains(_ key: Key) -> Bool { object[key.stringValue] != nil }

    private func member(_ key: Key) throws -> JSONValue {
        guard let value = object[key.stringValue] else {
            throw DecodingError.keyNotFound(
                key,
                .init(
                    codingPath: codingPath,
                    debugDescription: "No value associated with key \(key) (\"\(key.stringValue)\")."
                )
            )
        }
        return value
    }

    func decodeNil(forKey key: Key) throws -> Bool { try member(key) == .null }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decodeValue(T.self, try member(key), codingPath + [key])
    }

    // One look-up for an optional member (the default implementation asks three times).
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let value = object[key.stringValue], value != .null else { return nil }
        return try decodeValue(T.self, value, codingPath + [key])
    }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try optional(type, key) }
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try optional(type, key) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try optional(type, key) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try optional(type, key) }

    private func optional<T>(_ type: T.Type, _ key: Key) throws -> T? {
        guard let value = object[key.stringValue], value != .null else { return nil }
        return try scalar(T.self, value, codingPath + [key])
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type,
        forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try TreeDecoder(value: try member(key), codingPath: codingPath + [key]).container(keyedBy: NestedKey.self)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try TreeDecoder(value: try member(key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        TreeDecoder(value: object["super"] ?? .null, codingPath: codingPath + [IndexKey(stringValue: "super")])
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        TreeDecoder(value: object[key.stringValue] ?? .null, codingPath: codingPath + [key])
    }
}

private struct UnkeyedTreeContainer: UnkeyedDecodingContainer {
    let items: [JSONValue]
    let codingPath: [any CodingKey]
    var currentIndex = 0

    init(items: [JSONValue], codingPath: [any CodingKey]) {
        self.items = items
        self.codingPath = codingPath
    }

    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private var currentPath: [any CodingKey] { codingPath + [IndexKey(index: currentIndex)] }

    private func next(_ type: Any.Type) throws -> JSONValue {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                type,
                .init(codingPath: currentPath, debugDescription: "Unkeyed container is at end.")
            )
        }
        return items[currentIndex]
    }

    mutating func decodeNil() throws -> Bool {
        guard try next(Any?.self) == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let value = try decodeValue(T.self, try next(T.self), currentPath)
        currentIndex += 1
        return value
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        let container = try TreeDecoder(value: try next([String: Any].self), codingPath: currentPath)
            .container(keyedBy: NestedKey.self)
        currentIndex += 1
        return container
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let container = try TreeDecoder(value: try next([Any].self), codingPath: currentPath).unkeyedContainer()
        currentIndex += 1
        return container
    }

    mutating func superDecoder() throws -> any Decoder {
        let decoder = TreeDecoder(value: try next(Any.self), codingPath: currentPath)
        currentIndex += 1
        return decoder
    }
}

/// A coding path's array index (`Index 3`, as `JSONDecoder` names it) or a plain key.
private struct IndexKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(index: Int) {
        stringValue = "Index \(index)"
        intValue = index
    }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { self.init(index: intValue) }
}
