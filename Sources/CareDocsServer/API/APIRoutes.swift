import CaresDocuments
import Deadlines
import Foundation
import Hummingbird
import RenderWorkers
import Typesetting

extension Request {
    /// The whole body, refused with 413 over the context's limit.
    func bytes(_ context: AppContext) async throws -> Data {
        let buffer = try await body.collect(upTo: context.maxUploadSize)
        return Data(buffer.readableBytesView)
    }

    func decodeJSON<T: Decodable>(_ type: T.Type, _ context: AppContext) async throws -> T {
        let data = try await bytes(context)
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let DecodingError.keyNotFound(key, c) {
            throw APIError(
                .badRequest,
                "the request body is incomplete",
                details: [
                    .init(
                        path: (c.codingPath + [key]).map(\.stringValue).joined(separator: "."),
                        problem: "is required"
                    )
                ]
            )
        } catch let DecodingError.typeMismatch(_, c), let DecodingError.valueNotFound(_, c), let
            DecodingError.dataCorrupted(c)
        {
            throw APIError(
                .badRequest,
                "the request body is not the expected JSON",
                details: [
                    .init(path: c.codingPath.map(\.stringValue).joined(separator: "."), problem: c.debugDescription)
                ]
            )
        } catch {
            throw APIError(.badRequest, "the request body is not JSON")
        }
    }
}

/// The JSON API under /v1 and the operational endpoints.
struct APIRoutes {
    let env: ServiceEnvironment
    var docs: DocumentService { DocumentService(env: env) }

    func register(_ t: RouteTable) {
        t.get("/healthz", roles: nil) { _, _ in JSONResponse.make(["status": "ok"]) }
        t.get("/readyz", roles: nil) { _, _ in try await readiness() }
        t.get("/metrics", roles: nil) { _, _ in try await metrics() }
        t.get("/openapi.yaml", roles: nil) { _, _ in
            guard let yaml = OpenAPIDocument.yaml else {
                throw APIError(.internalServerError, "the OpenAPI document is missing from this build")
            }
            return Response(
                status: .ok,
                headers: [.contentType: "application/yaml; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: yaml))
            )
        }
        t.get("/v1/me", roles: Access.everyone) { _, ctx in
            let who = try ctx.who
            return JSONResponse.make(MeOut(name: who.name, role: who.role, csrfToken: who.csrfToken))
        }
        t.get("/v1/members", roles: Access.find) { req, ctx in
            let q = req.uri.queryParameters
            return try await searchMembers(
                MemberSearchIn(
                    name: q.get("name"),
                    birthDate: q.get("birthDate"),
                    memberId: q.get("memberId"),
                    limit: q.get("limit").map { Int($0) ?? 50 }
                ),
                ctx
            )
        }
        // The same search with the values in the body: names and dates of birth stay out of URLs
        // (and so out of proxies' and browsers' logs and histories).
        t.post("/v1/members/search", roles: Access.find) { req, ctx in
            let data = try await req.bytes(ctx)
            let input =
                data.isEmpty
                ? MemberSearchIn()
                : try await Request(head: req.head, body: .init(buffer: ByteBuffer(bytes: data))).decodeJSON(
                    MemberSearchIn.self,
                    ctx
                )
            return try await searchMembers(input, ctx)
        }
        t.post("/v1/records", roles: Access.records) { req, ctx in try await putRecord(req, ctx, pathId: nil) }
        t.put("/v1/records/{recordId}", roles: Access.records) { req, ctx in
            try await putRecord(req, ctx, pathId: try ctx.param("recordId"))
        }
        t.get("/v1/records/{recordId}", roles: Access.records) { _, ctx in
            let stored = try await docs.latest(try ctx.param("recordId"))
            try await audit(ctx, "view", stored.recordId, stored.version, "record JSON")
            var r = Response(
                status: .ok,
                headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: stored.body))
            )
            r.headers[.init("X-Record-Version")!] = String(stored.version)
            return r
        }
        t.get("/v1/records/{recordId}/summary", roles: Access.records) { _, ctx in
            let stored = try await docs.latest(try ctx.param("recordId"))
            try await audit(ctx, "view", stored.recordId, stored.version, "record summary")
            let obligations = try await env.store.obligations(
                ObligationQuery(today: today, recordId: stored.recordId, includeClosed: true)
            )
            return JSONResponse.make(SummaryOut(stored: stored, obligations: obligations, today: today))
        }
        t.post("/v1/validate", roles: Access.records) { req, ctx in
            let record = try DocumentService.parse(try await req.bytes(ctx))
            let checklist = DocumentService.checklist(record).map(ChecklistItem.init)
            return JSONResponse.make(
                ValidationOut(
                    valid: true,
                    recordId: Derivation.recordId(of: record),
                    memberId: record.member.id,
                    documents: checklist
                )
            )
        }
        t.get("/v1/records/{recordId}/documents/{kind}", roles: Access.find) { req, ctx in
            let (copies, stored, kind) = try await renderStored(req, ctx)
            try await audit(
                ctx,
                "view-document",
                stored.recordId,
                stored.version,
                "\(kind.rawValue) \(copies.map(\.language).joined(separator: "+")) PDF"
            )
            return BinaryResponse.make(
                try await DocumentService.onePDF(copies),
                contentType: "application/pdf",
                filename: "\(kind.rawValue)-\(stored.recordId)-\(copies.map(\.language).joined(separator: "-")).pdf"
            )
        }
        t.get("/v1/records/{recordId}/documents/{kind}/preview.png", roles: Access.find) { req, ctx in
            let (copies, stored, kind) = try await renderStored(req, ctx)
            try await audit(
                ctx,
                "view-document",
                stored.recordId,
                stored.version,
                "\(kind.rawValue) \(copies[0].language) preview"
            )
            let pdf = copies[0].pdf
            let png = try await Blocking.run { try previewPNG(pdf: pdf, page: 1, dpi: 60) }
            return BinaryResponse.make(png, contentType: "image/png")
        }
        t.post("/v1/render/{kind}", roles: Access.records) { req, ctx in
            let kind = try DocumentService.kind(try ctx.param("kind"))
            let body = try await req.bytes(ctx)
            let record = try DocumentService.parse(body)
            let copies = try await docs.render(kind: kind, body: body, record: record, options: try .init(query: req))
            try await audit(
                ctx,
                "render",
                Derivation.recordId(of: record),
                nil,
                "\(kind.rawValue) \(copies.map(\.language).joined(separator: "+")) PDF from a posted record"
            )
            return BinaryResponse.make(
                try await DocumentService.onePDF(copies),
                contentType: "application/pdf",
                filename: "\(kind.rawValue).pdf"
            )
        }
        t.get("/v1/obligations", roles: Access.queue) { req, ctx in try await listObligations(req, ctx) }
        t.get("/v1/obligations/{id}", roles: Access.queue) { _, ctx in
            let id = try ctx.param("id")
            guard let d = try await env.store.detail(id) else { throw APIError.notFound("no obligation \(id)") }
            try await env.audit(
                ctx,
                "view-obligation",
                recordId: d.obligation.recordId,
                obligationId: d.obligation.id,
                "obligation detail"
            )
            return JSONResponse.make(ObligationDetailOut(detail: d, today: today))
        }
        t.post("/v1/obligations/{id}/events", roles: Access.mailing) { req, ctx in
            let id = try ctx.param("id")
            let input = try await req.decodeJSON(EventIn.self, ctx)
            let o = try await env.store.apply(
                try input.event(today: today),
                to: id,
                actor: try ctx.who.auditName,
                now: env.now
            )
            return JSONResponse.make(ObligationOut(o, today: today))
        }
        t.post("/v1/batches", roles: Access.mailing) { req, ctx in
            let data = try await req.bytes(ctx)
            let input =
                data.isEmpty
                ? BatchIn()
                : try await Request(head: req.head, body: .init(buffer: ByteBuffer(bytes: data))).decodeJSON(
                    BatchIn.self,
                    ctx
                )
            let day =
                try input.date.map { d -> CalendarDate in
                    guard let day = CalendarDate(d) else {
                        throw APIError(
                            .badRequest,
                            "bad date",
                            details: [.init(path: "date", problem: "must be a real date YYYY-MM-DD")]
                        )
                    }
                    return day
                } ?? today
            let b = try env.batches.start(
                date: day.description,
                postage: input.postage ?? "",
                fee: input.fee ?? "",
                actor: try ctx.who.auditName,
                now: env.now
            )
            var r = JSONResponse.make(b, status: .accepted)
            r.headers[.location] = "/v1/batches/\(b.id)"
            return r
        }
        t.get("/v1/batches", roles: Access.mailing) { _, _ in JSONResponse.make(env.batches.list()) }
        t.get("/v1/batches/{id}", roles: Access.mailing) { _, ctx in
            let id = try ctx.param("id")
            guard let b = env.batches.batch(id) else { throw APIError.notFound("no batch \(id) on this node") }
            return JSONResponse.make(b)
        }
        t.get("/v1/batches/{id}/{file}", roles: Access.mailing) { _, ctx in
            let id = try ctx.param("id")
            let file = try ctx.param("file")
            guard let url = env.batches.file(id, file) else {
                throw APIError.notFound("no file \(file) in a finished batch \(id)")
            }
            let type = file.hasSuffix(".csv") ? "text/csv; charset=utf-8" : "application/pdf"
            let bytes = try Data(contentsOf: url)
            try await auditBatchDownload(ctx, id: id, file: file)
            return BinaryResponse.make(
                bytes,
                contentType: type,
                filename: "\(id)-\(file)",
                inline: !file.hasSuffix(".csv")
            )
        }
        t.get("/v1/audit", roles: Access.audit) { req, ctx in
            let q = req.uri.queryParameters
            let limit = min(1000, max(1, Int(q.get("limit") ?? "") ?? 100))
            let query = AuditQuery(
                recordId: q.get("recordId"),
                actor: q.get("actor"),
                action: q.get("action"),
                since: q.get("since"),
                limit: limit
            )
            let entries = try await env.store.auditEntries(query)
            try await auditAuditQuery(ctx, query, entries)
            return JSONResponse.make(entries)
        }
        t.get("/v1/audit/verify", roles: Access.audit) { _, _ in
            do {
                return JSONResponse.make(try await env.store.verifyAudit())
            } catch let e as AuditKeyError {
                throw APIError(.conflict, e.description)
            }
        }
    }

    var today: CalendarDate { ProgramCalendar.today(now: env.now) }

    func audit(_ ctx: AppContext, _ action: String, _ recordId: String, _ version: Int?, _ what: String) async throws {
        try await env.audit(ctx, action, recordId: recordId, version: version, what)
    }

    /// A stored record's document: ED staff may render the emergency plan only.
    func renderStored(
        _ req: Request,
        _ ctx: AppContext
    ) async throws -> ([RenderedCopy], DocumentService.StoredRecord, DocumentKind) {
        let kind = try DocumentService.kind(try ctx.param("kind"))
        if try ctx.who.role == .ed && kind != .emergencyPlan { throw APIError.forbidden }
        let recordId = try ctx.param("recordId")
        try await env.requireLookup(ctx, recordId: recordId, what: "emergency plan \(kind.rawValue) document")
        let stored = try await docs.latest(recordId)
        var options = try DocumentService.RenderOptions(query: req)
        options.fault = req.headers[.init("X-CareDocs-Fault")!].flatMap(RenderJob.Fault.init(rawValue:))
        let copies = try await docs.render(
            kind: kind,
            body: stored.body,
            record: stored.record,
            options: options,
            stored: (stored.recordId, stored.version)
        )
        return (copies, stored, kind)
    }

    func putRecord(_ req: Request, _ ctx: AppContext, pathId: String?) async throws -> Response {
        let body = try await req.bytes(ctx)
        let record = try DocumentService.parse(body)
        let recordId = Derivation.recordId(of: record)
        if let pathId, pathId != recordId {
            throw APIError(
                .unprocessableContent,
                "the record's id does not match the URL",
                details: [
                    .init(
                        path: "recordId",
                        problem: "is \(recordId) (recordId, else member.id) but the URL names \(pathId)"
                    )
                ]
            )
        }
        let options = try ImportOptionsQuery.parse(req, today: today)
        do {
            let report = try await env.store.importRecord(
                body,
                options: options,
                actor: try ctx.who.auditName,
                now: env.now
            )
            return JSONResponse.make(report, status: report.newVersion && report.version == 1 ? .created : .ok)
        } catch let refusal as ImportRefusal {
            throw ImportOptionsQuery.conflict(refusal)
        }
    }

    func searchMembers(_ input: MemberSearchIn, _ ctx: AppContext) async throws -> Response {
        func given(_ s: String?) -> String? {
            guard let s, !s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
            return s
        }
        let search = MemberSearch(
            name: given(input.name),
            birthDate: given(input.birthDate),
            memberId: given(input.memberId),
            limit: min(200, max(1, input.limit ?? 50))
        )
        if let d = search.birthDate, CalendarDate(d) == nil {
            throw APIError(
                .badRequest,
                "bad date",
                details: [.init(path: "birthDate", problem: "must be a real date YYYY-MM-DD")]
            )
        }
        try Self.checkSearch(search, role: try ctx.who.role)
        return JSONResponse.make(try await env.lookup(search, ctx, label: "member search"))
    }

    /// ED staff search by name and date of birth together, or by member id (minimum necessary).
    static func checkSearch(_ s: MemberSearch, role: Role) throws {
        if s.name == nil && s.birthDate == nil && s.memberId == nil && role == .ed {
            throw APIError(
                .badRequest,
                "give a name and date of birth, or a member id",
                details: [.init(path: "memberId", problem: "or name and birthDate are required")]
            )
        }
        if role == .ed && s.memberId == nil && (s.name == nil || s.birthDate == nil) {
            throw APIError(
                .badRequest,
                "give a name and date of birth together, or a member id",
                details: [.init(path: s.name == nil ? "name" : "birthDate", problem: "is required with the other")]
            )
        }
    }

    /// Which fields a search used (never their values: they are PHI).
    static func describe(_ s: MemberSearch) -> String {
        [s.name.map { _ in "name" }, s.birthDate.map { _ in "birth date" }, s.memberId.map { _ in "member id" }]
            .compactMap { $0 }.joined(separator: "+").ifEmpty("nothing")
    }

    func readiness() async throws -> Response {
        do {
            _ = try await env.store.queueCounts(today: today.description)
        } catch {
            return JSONResponse.make(["status": "not ready", "database": "unavailable"], status: .serviceUnavailable)
        }
        let stats = env.pool.stats
        guard stats.size > 0 else {
            return JSONResponse.make(["status": "not ready", "renderWorkers": "none"], status: .serviceUnavailable)
        }
        return JSONResponse.make(["status": "ready", "database": "ok", "renderWorkers": String(stats.size)])
    }

    func metrics() async throws -> Response {
        if let (pending, overdue) = try? await env.store.queueCounts(today: today.description) {
            env.metrics.queuePending.set(Double(pending))
            env.metrics.queueOverdue.set(Double(overdue))
        }
        let stats = env.pool.stats
        env.metrics.workerRestarts.set(Double(stats.restarts))
        env.metrics.workersBusy.set(Double(stats.busy))
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: env.metrics.registry.emitToBuffer()))
        )
    }
}

extension String {
    func ifEmpty(_ other: String) -> String { isEmpty ? other : self }
}
