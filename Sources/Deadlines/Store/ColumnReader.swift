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
/// into an optional and throws into a non-optional.
struct ColumnReader<Base: SQLRowBase> {
    let base: Base
    let positions: ColumnPositions

    subscript<T: SQLColumnValue>(_ name: String) -> T {
        get throws { try T.read(base, at: positions.index(of: name, in: base)) }
    }
}

/// The positions of the names a decoder asks for, for one statement. A decoder asks for the same
/// names in the same order on every row, so the n-th read of a row is checked against the n-th
/// read of the first row (identical literals compare by their bits) and takes its position; a
/// different name is looked up among the column names and remembered.
final class ColumnPositions {
    @exclusivity(unchecked) private var names: [String]?
    @exclusivity(unchecked) private var memo: [(name: String, index: Int)] = []
    @exclusivity(unchecked) private var next = 0

    /// Called before each row is decoded.
    func startRow() { next = 0 }

    func index(of name: String, in row: some SQLRowBase) throws -> Int {
        let n = next
        next += 1
        if n < memo.count, memo[n].name == name { return memo[n].index }
        let columns = names ?? row.columnNames
        names = columns
        guard
            let index = columns.firstIndex(of: name)
                ?? columns.firstIndex(where: { $0.caseInsensitiveCompare(name) == .orderedSame })
        else { throw DeadlineStoreError.badDatabase("no column \(name) in the result") }
        if n < memo.count { memo[n] = (name, index) } else { memo.append((name, index)) }
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
