import Foundation
import Testing

@testable import Deadlines

@Suite("PostgreSQL URLs")
struct PostgresURLTests {
    @Test("a host that is not this machine defaults to sslmode=require; loopback keeps prefer")
    func sslmodeDefault() {
        #expect(PostgresSSLMode.of(url: "postgres://app:secret@db.example.org/caredocs") == "require")
        #expect(PostgresSSLMode.of(url: "postgres://app:secret@10.0.0.7:5433/caredocs") == "require")
        #expect(PostgresSSLMode.of(url: "postgresql://app@[2001:db8::1]/caredocs") == "require")
        #expect(PostgresSSLMode.of(url: "postgres://app@127.attacker.example/caredocs") == "require")
        #expect(PostgresSSLMode.of(url: "postgres://app:secret@localhost/caredocs") == "prefer")
        #expect(PostgresSSLMode.of(url: "postgres://app@127.0.0.1:55432/caredocs") == "prefer")
        #expect(PostgresSSLMode.of(url: "postgres://app@127.1.2.3/caredocs") == "prefer")
        #expect(PostgresSSLMode.of(url: "postgres://app@[::1]/caredocs") == "prefer")
        // An explicit sslmode is kept as given, either way.
        #expect(PostgresSSLMode.of(url: "postgres://app@db.example.org/caredocs?sslmode=disable") == "disable")
        #expect(PostgresSSLMode.of(url: "postgres://app@localhost/caredocs?sslmode=require") == "require")
        #expect(PostgresSSLMode.of(url: "postgres:///caredocs") == nil)
    }
}
