import CaresDocuments
import Foundation
import Logging
import PostgresNIO
import Testing

@testable import Deadlines

/// The two stores every store test runs against.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres
    var testDescription: String { rawValue }
}

/// `CAREDOCS_TEST_POSTGRES_URL`: a server the tests may create databases on (scripts/test.sh
/// starts a throwaway cluster and sets it).
let postgresURL = ProcessInfo.processInfo.environment["CAREDOCS_TEST_POSTGRES_URL"]

/// A fresh, empty store of `kind` (a new SQLite file, or a new PostgreSQL database); `nil` when
/// PostgreSQL is not configured (a notice is printed).
func makeStore(_ kind: StoreKind) async throws -> (any DeadlineStore)? {
    switch kind {
    case .sqlite:
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "caredocs-deadlines-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return try SQLiteDeadlineStore(path: dir.appendingPathComponent("queue.sqlite").path)
    case .postgres:
        guard let base = postgresURL else {
            print(
                "notice: CAREDOCS_TEST_POSTGRES_URL is not set; PostgreSQL store test skipped (scripts/test.sh sets it)"
            )
            return nil
        }
        return try await PostgresDeadlineStore(url: try await createDatabase(base))
    }
}

/// Creates a database with a random name on the server of `base`; the URL that names it.
func createDatabase(_ base: String) async throws -> String {
    var c = URLComponents(string: base)!
    let name = "caredocs_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
    var config = PostgresConnection.Configuration(
        host: c.host!,
        port: c.port ?? 5432,
        username: c.user ?? "postgres",
        password: c.password,
        database: String(c.path.dropFirst()),
        tls: .disable
    )
    config.options.requireBackendKeyData = true
    let conn = try await PostgresConnection.connect(configuration: config, id: 1, logger: Logger(label: "test"))
    try await conn.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: Logger(label: "test"))
    try await conn.close()
    c.path = "/" + name
    return c.string!
}

/// Runs `body` with a fresh store of `kind`, closing it afterwards (skips PostgreSQL when not
/// configured).
func withStore(_ kind: StoreKind, _ body: (any DeadlineStore) async throws -> Void) async throws {
    guard let store = try await makeStore(kind) else { return }
    do {
        try await body(store)
    } catch {
        try? await store.close()
        throw error
    }
    try await store.close()
}

/// Two stores of `kind` on one fresh database (two nodes of the service, or the service and the
/// command line); `nil` when PostgreSQL is not configured.
func makeStorePair(_ kind: StoreKind) async throws -> (any DeadlineStore, any DeadlineStore)? {
    switch kind {
    case .sqlite:
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "caredocs-deadlines-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("queue.sqlite").path
        let first = try SQLiteDeadlineStore(path: path)
        return (first, try SQLiteDeadlineStore(path: path))
    case .postgres:
        guard let base = postgresURL else { return nil }
        let url = try await createDatabase(base)
        let first = try await PostgresDeadlineStore(url: url)
        return (first, try await PostgresDeadlineStore(url: url))
    }
}

/// Noon in America/New_York on `date`.
func noon(_ date: String) -> Date {
    instant(date, hour: 12)
}

/// `hour:minute` in America/New_York on `date`.
func instant(_ date: String, hour: Int, minute: Int = 0) -> Date {
    var cal = Calendar(identifier: .gregorian)
    cal.timeZone = ProgramCalendar.timeZone
    let d = CalendarDate(date)!
    return cal.date(from: DateComponents(year: d.year, month: d.month, day: d.day, hour: hour, minute: minute))!
}

func day(_ s: String) -> CalendarDate { CalendarDate(s)! }

/// A valid S10 number with the right check digit.
func tracking(_ serial: Int, service: String = "RE", country: String = "US") -> TrackingNumber {
    let digits = String(format: "%08d", serial).map { Int(String($0))! }
    return try! TrackingNumber(
        "\(service)\(String(format: "%08d", serial))\(TrackingNumber.checkDigit(digits))\(country)"
    )
}

/// A care record as JSON, built field by field.
struct RecordJSON {
    var root: [String: Any]

    /// `memberId` by default: `100000000001` for `R-1`, another member for each other id (the
    /// store refuses one child under two record ids unless confirmed).
    init(id: String = "R-1", memberId: String? = nil, primaryLanguage: String = "en") {
        let memberId = memberId ?? (id == "R-1" ? "100000000001" : "member-" + String(id.prefix(25)))
        root = [
            "schemaVersion": 1, "recordId": id,
            "provider": ["name": "Riverside Children's Health Center", "phone": "(978) 555-0142"],
            "member": [
                "id": memberId, "firstName": "Zebulon", "lastName": "Quixotically", "dateOfBirth": "2014-03-09",
                "primaryLanguage": primaryLanguage,
                "address": ["line1": "41 Pawtucket Blvd", "city": "Lowell", "state": "MA", "postalCode": "01854"],
            ],
        ]
    }

    var enrollment: [String: Any] {
        get { root["enrollment"] as? [String: Any] ?? [:] }
        set { root["enrollment"] = newValue }
    }

    mutating func set(_ path: String, _ value: Any?) {
        let parts = path.split(separator: ".").map(String.init)
        func go(_ dict: [String: Any], _ rest: ArraySlice<String>) -> [String: Any] {
            var d = dict
            if rest.count == 1 {
                d[rest.first!] = value
            } else {
                d[rest.first!] = go(d[rest.first!] as? [String: Any] ?? [:], rest.dropFirst())
            }
            return d
        }
        root = go(root, parts[...])
    }

    mutating func guardian(consents: Bool, language: String? = nil) {
        var g: [String: Any] = [
            "name": "Ottoline Quixotically", "relationship": "mother", "receivesMail": true,
            "electronicDelivery": consents,
            "contact": [
                "email": "ottoline@example.com",
                "address": ["line1": "41 Pawtucket Blvd", "city": "Lowell", "state": "MA", "postalCode": "01854"],
            ],
        ]
        if let language { g["preferredLanguage"] = language }
        root["guardians"] = [g]
    }

    var data: Data { try! JSONSerialization.data(withJSONObject: root, options: [.sortedKeys]) }
}

/// A record with every one of the eight kinds of obligation.
func fullRecord(id: String = "R-1") -> RecordJSON {
    var r = RecordJSON(id: id, primaryLanguage: "es")
    r.guardian(consents: true, language: "es")
    r.set("member.enrolledInCCM", true)
    r.enrollment = [
        "referralDate": "2026-10-05", "effectiveDate": "2026-11-01",
        "lastAssessmentDate": "2026-10-28", "lastCarePlanUpdate": "2026-11-10",
    ]
    r.root["carePlanApproval"] = ["method": "verbal", "date": "2026-11-30", "approvedBy": "Ottoline Quixotically"]
    r.root["removal"] = [
        "date": "2026-12-15", "reason": "moved-out-of-state",
        "referrals": [
            ["name": "Physical therapy", "startDate": "2027-01-10"],
            ["name": "Early intervention"],
        ],
    ]
    return r
}
