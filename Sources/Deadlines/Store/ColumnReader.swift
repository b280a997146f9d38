import Foundation

// Reading a row's columns by name, at the cost of reading them by position: names are resolved
// to positions once per statement (`ColumnPositions`), then each read is one comparison.

/// One database's row, read by position (valid only while the statement is on that row).
protocol SQLRowBase {
    /// The statement's column names, in order (asked once per statement).
    var columnNames: [String] { get }
    func text(at index: Int) throws -> String?
    func int(at index: Int) throws -> Int?
    func blob(at index: Int) throws -> Data?
}

/// A row whose columns are read by name: `let id: String = try row["id"]`. NULL reads as `nil`
/// into an optional and throws into a non-optional. Names are literals (`StaticString`), so a
/// name is recognised by its address without copying or comparing text.
struct ColumnReader<Base: SQLRowBase> {
    let base: Base
    let positions: ColumnPositions

    subscript<T: SQLColumnValue>(_ name: StaticString) -> T {
        get throws { try T.read(base, at: positions.index(of: name, in: base)) }
    }
}

/// The positions of the names a decoder asks for, for one statement. A decoder asks for the same
/// names in the same order on every row, so the n-th read of a row is checked against the n-th
/// read of the first row (the same literal, the same address) and takes its position; another
/// name is looked up among the column names and remembered.
final class ColumnPositions {
    /// Reads remembered per row (a decoder reading more columns looks the rest up each time).
    static let capacity = 64
    /// (address of the name, position) of each read of the first row; raw memory, so a read
    /// costs no reference counting.
    private let memo = UnsafeMutableBufferPointer<(name: UnsafeRawPointer?, index: Int)>.allocate(capacity: capacity)
    @exclusivity(unchecked) private var remembered = 0
    @exclusivity(unchecked) private var next = 0
    @exclusivity(unchecked) private var names: [String]?

    deinit { memo.deallocate() }

    /// Called before each row is decoded.
    func startRow() { next = 0 }

    @inline(__always)
    func index(of name: StaticString, in row: some SQLRowBase) throws -> Int {
        let n = next
        next = n + 1
        let key = name.hasPointerRepresentation ? UnsafeRawPointer(name.utf8Start) : nil
        if n < remembered, key != nil, memo[n].name == key { return memo[n].index }
        return try resolve(name.description, key: key, read: n, in: row)
    }

    private func resolve(_ name: String, key: UnsafeRawPointer?, read n: Int, in row: some SQLRowBase) throws -> Int {
        let columns = names ?? row.columnNames
        names = columns
        guard
            let index = columns.firstIndex(of: name)
                ?? columns.firstIndex(where: { $0.caseInsensitiveCompare(name) == .orderedSame })
        else { throw DeadlineStoreError.badDatabase("no column \(name) in the result") }
        if n < Self.capacity {
            memo[n] = (key, index)
            remembered = max(remembered, n + 1)
        }
        return index
    }
}

/// A Swift type a column reads into (NULL: `readOptional` answers nil, `read` throws).
protocol SQLColumnValue {
    static func readOptional(_ row: some SQLRowBase, at index: Int) throws -> Self?
}

extension SQLColumnValue {
    static func read(_ row: some SQLRowBase, at index: Int) throws -> Self {
        guard let v = try readOptional(row, at: index) else {
            throw DeadlineStoreError.badDatabase("column \(row.columnNames[index]) is NULL")
        }
        return v
    }
}

extension String: SQLColumnValue {
    static func readOptional(_ row: some SQLRowBase, at index: Int) throws -> String? { try row.text(at: index) }
}

extension Int: SQLColumnValue {
    static func readOptional(_ row: some SQLRowBase, at index: Int) throws -> Int? { try row.int(at: index) }
}

extension Data: SQLColumnValue {
    static func readOptional(_ row: some SQLRowBase, at index: Int) throws -> Data? { try row.blob(at: index) }
}

extension Optional: SQLColumnValue where Wrapped: SQLColumnValue {
    static func readOptional(_ row: some SQLRowBase, at index: Int) throws -> Wrapped?? {
        .some(try Wrapped.readOptional(row, at: index))
    }
}
