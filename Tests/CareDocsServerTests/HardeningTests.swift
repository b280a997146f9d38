import CareDocsServer
import CaresDocuments
import Deadlines
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The service's security hardening: where sign-in may send a browser, file names in downloads,
/// one batch at a time.
@Suite("Service hardening")
struct HardeningTests {
    @Test("after sign-in, `next` goes only to this site's own paths; anything else to the role's home page")
    func openRedirect() async throws {
        try await TestService.with { _, client in
            let hostile = [
                "//evil.example", "///evil.example", "/\\evil.example", "\\\\evil.example", "/\\/evil.example",
                "/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "/%09/evil.example",
                "/%2F%2Fevil.example", "/%2f/evil.example", "/%5Cevil.example", "https://evil.example",
                "http:/evil.example", "javascript:alert(1)", "evil.example", "/ok\r\nSet-Cookie: a=b",
                "/x/..//evil.example", "/\u{0}x", "/\u{7F}/evil.example", "/\u{85}/evil.example",
                "/\u{2028}/evil.example", "/é/evil.example",
            ]
            for next in hostile {
                var b = Browser(client: client)
                let r = try await b.signIn("ed1", next: next)
                #expect(r.status == .seeOther, "\(next.debugDescription)")
                #expect(r.headers[.location] == "/ed", "\(next.debugDescription) → \(r.headers[.location] ?? "nil")")
                // The sign-in page does not carry it along either.
                let page = try await b.request(
                    "/login?next=\(next.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
                )
                #expect(page.text.contains("name=\"next\" value=\"\""), "\(next.debugDescription)")
            }
            for next in ["/ed/members/\(TestService.rivera)", "/members?all=1", "/ed"] {
                var b = Browser(client: client)
                let r = try await b.signIn("ed1", next: next)
                #expect(r.headers[.location] == next)
            }
        }
    }

    @Test("Content-Disposition carries an ASCII filename and the UTF-8 filename* of RFC 6266")
    func contentDisposition() async throws {
        let value = ContentDisposition.value(filename: "plan-José \"x\"\\;%41\r\n.pdf", inline: false)
        #expect(value.hasPrefix("attachment; filename=\"plan-Jos_ _x__;_41__.pdf\"; filename*=UTF-8''"))
        #expect(value.hasSuffix("filename*=UTF-8''plan-Jos%C3%A9%20%22x%22%5C%3B%2541%0D%0A.pdf"))
        #expect(value.unicodeScalars.allSatisfy { (0x20...0x7E).contains($0.value) })
        #expect(
            ContentDisposition.value(filename: "print.pdf", inline: true)
                == "inline; filename=\"print.pdf\"; filename*=UTF-8''print.pdf"
        )
        try await TestService.with { s, client in
            try await AccessMatrixTests.edSearch(s, client)
            try await client.execute(
                uri: "/v1/records/\(TestService.rivera)/documents/emergency-plan",
                method: .get,
                headers: s.headers(.ed)
            ) { r in
                #expect(r.status == .ok)
                let cd = try #require(r.headers[.contentDisposition])
                #expect(cd.hasPrefix("inline; filename=\"emergency-plan-\(TestService.rivera)-en.pdf\"; "))
                #expect(cd.hasSuffix("; filename*=UTF-8''emergency-plan-\(TestService.rivera)-en.pdf"))
            }
        }
    }

    @Test("one batch at a time per node: a second request while one runs gets 409 naming it")
    func oneBatchAtATime() async throws {
        // The batch command held back until the test lets it go (the `hold` file is removed, or
        // 10 minutes at most), so that the first batch is surely still running however loaded
        // the machine is.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caredocs-slow-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let hold = folder.appendingPathComponent("hold")
        try Data().write(to: hold)
        let script = folder.appendingPathComponent("slow-caredocs")
        try writeExecutableScript(
            """
            #!/bin/sh
            if [ "$1" = mailroom ]; then
              i=0
              while [ -e '\(hold.path)' ] && [ $i -lt 6000 ]; do sleep 0.1; i=$((i + 1)); done
            fi
            exec '\(try caredocsBinary)' "$@"
            """,
            to: script
        )
        let service = try await TestService { $0.workerExecutable = script.path }
        try await service.run { s, client in
            var first = ""
            try await client.execute(
                uri: "/v1/batches",
                method: .post,
                headers: s.headers(.mailroom, json: true),
                body: data(#"{"date":"2026-11-23"}"#)
            ) { r in
                #expect(r.status == .accepted)
                first = try #require((try r.json() as? [String: Any])?["id"] as? String)
            }
            try await client.execute(
                uri: "/v1/batches",
                method: .post,
                headers: s.headers(.admin, json: true),
                body: data(#"{"date":"2026-11-24"}"#)
            ) { r in
                #expect(r.status == .conflict)
                #expect(r.text.contains(first))
                #expect(r.paths() == ["batch"])
            }
            // The web form says the same.
            var b = Browser(client: client)
            _ = try await b.signIn("mailroom1")
            let page = try await b.request("/mailroom")
            let token = try #require(Browser.csrf(page.text))
            let web = try await b.request("/mailroom/batches", .post, form: ["csrf": token, "date": "2026-11-24"])
            #expect(web.status == .conflict)
            #expect(web.text.contains(first))
            #expect(s.env.batches.list().count == 1)
            try FileManager.default.removeItem(at: hold)

            let done = try #require(await s.env.batches.wait(first))
            #expect(done.state == .done, "\(done.error ?? "")")
            // Once it has finished, the next one starts.
            try await client.execute(
                uri: "/v1/batches",
                method: .post,
                headers: s.headers(.mailroom, json: true),
                body: data(#"{"date":"2026-11-24"}"#)
            ) { r in
                #expect(r.status == .accepted)
                let second = try #require((try r.json() as? [String: Any])?["id"] as? String)
                _ = await s.env.batches.wait(second)
            }
            try await client.execute(
                uri: "/v1/batches/\(first)/mailing-book.csv",
                method: .get,
                headers: s.headers(.mailroom)
            ) { r in
                #expect(r.status == .ok)
                #expect(
                    r.headers[.contentDisposition]
                        == "attachment; filename=\"\(first)-mailing-book.csv\"; filename*=UTF-8''\(first)-mailing-book.csv"
                )
            }
        }
    }

    @Test(
        "every caredocs command runs with umask 077: the database, its WAL, batch folders, letters and CSVs are the user's alone"
    )
    func filesAtRest() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "caredocs-umask-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("caredocs.sqlite").path
        let binary = try caredocsBinary
        // This test process keeps the usual umask (022): the command sets its own.
        @Sendable func caredocs(_ args: [String]) throws -> Int32 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: binary)
            p.arguments = args
            p.environment = ProcessInfo.processInfo.environment.merging(["CAREDOCS_ACTOR": "umask-test"]) { $1 }
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            return p.terminationStatus
        }
        let status = try await offThread { () throws -> [Int32] in
            [
                try caredocs(
                    ["queue", "import", "--database", db]
                        + ["rivera-enrollment.json", "haddad-removal.json"].map {
                            examples.appendingPathComponent($0).path
                        }
                ),
                try caredocs([
                    "mailroom", "batch", "--database", db, "--output", folder.appendingPathComponent("batch/one").path,
                    "--date", "2026-11-23", "--workers", "1", "--json",
                ]),
            ]
        }
        #expect(status == [0, 0])
        var seen: [String: Int] = [:]
        let keys: [URLResourceKey] = [.isDirectoryKey]
        let walker = try #require(FileManager.default.enumerator(at: folder, includingPropertiesForKeys: keys))
        for case let url as URL in walker {
            let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
            let mode = try #require(attributes[.posixPermissions] as? Int)
            let relative = String(url.path.dropFirst(folder.path.count + 1))
            seen[relative] = mode
            #expect(mode & 0o077 == 0, "\(relative) is \(String(mode, radix: 8))")
        }
        #expect(seen["caredocs.sqlite"] != nil)
        #expect(seen["batch"] == 0o700 && seen["batch/one"] == 0o700)
        #expect(seen.keys.contains { $0.hasSuffix(".pdf") } && seen.keys.contains { $0.hasSuffix(".csv") })
    }
}
