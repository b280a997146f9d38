import CaresDocuments
import Deadlines
import Foundation
import Hummingbird

struct TranslationCountsOut: Codable, Sendable {
    var untranslated: Int
    var drafted: Int
    var reviewed: Int
    var inRecord: Int
    var stale: Int

    init(_ w: TranslationWorkspace) {
        untranslated = w.count(.untranslated)
        drafted = w.count(.drafted)
        reviewed = w.count(.reviewed)
        inRecord = w.count(.inRecord)
        stale = w.staleCount
    }
}

/// A translation request as the API lists it: `open`, `done` (every passage translated and
/// reviewed; it opens again when the English changes) or `withdrawn`.
struct TranslationRequestOut: Codable, Sendable {
    var recordId: String
    var language: String
    var status: String
    var requestedBy: String
    var requestedAt: String
    var withdrawnBy: String?
    var withdrawnAt: String?
    var recordVersion: Int?
    var counts: TranslationCountsOut?
}

struct TranslationRequestIn: Codable, Sendable {
    var language: String
}

struct PassageOut: Codable, Sendable {
    var path: String
    var label: String
    var source: String
    var target: String?
    var status: String
    var translator: String?
    var reviewer: String?
    var stale: Bool
    var previousTarget: String?
    var previousSource: String?

    init(_ p: WorkspacePassage) {
        path = p.path
        label = p.label
        source = p.source
        target = p.target
        status = p.state.rawValue
        translator = p.translator
        reviewer = p.reviewer
        stale = p.stale
        previousTarget = p.previousTarget
        previousSource = p.previousSource
    }
}

struct TranslationOut: Codable, Sendable {
    var recordId: String
    var recordVersion: Int
    var language: String
    var sourceLanguage: String
    var done: Bool
    var counts: TranslationCountsOut
    var passages: [PassageOut]

    init(_ w: TranslationWorkspace) {
        recordId = w.recordId
        recordVersion = w.version
        language = w.language.tag
        sourceLanguage = w.sourceLanguage.tag
        done = w.done
        counts = TranslationCountsOut(w)
        passages = w.passages.map(PassageOut.init)
    }
}

struct TranslationSaveIn: Codable, Sendable {
    var segments: [SegmentInput]
}

/// The translation API: requests (coordinators), the translator's list, passages and saving them,
/// and proofs with the memory applied.
struct TranslationRoutes {
    let env: ServiceEnvironment
    var service: TranslationService { TranslationService(env: env) }

    func register(_ t: RouteTable) {
        t.get("/v1/records/{recordId}/translation-requests", roles: Access.translationRequests) { _, ctx in
            let stored = try await service.docs.latest(try ctx.param("recordId"))
            let list = try await env.store.translationRequests(recordId: stored.recordId, includeWithdrawn: true)
            let out = try await describe(list, latest: stored)
            try await env.audit(
                ctx,
                "view-translation-requests",
                recordId: stored.recordId,
                version: stored.version,
                "translation requests: \(list.count)"
            )
            return JSONResponse.make(out)
        }
        t.post("/v1/records/{recordId}/translation-requests", roles: Access.translationRequests) { req, ctx in
            let input = try await req.decodeJSON(TranslationRequestIn.self, ctx)
            let (request, created) = try await requestTranslation(
                ctx,
                recordId: try ctx.param("recordId"),
                language: try TranslationService.language(input.language)
            )
            var r = JSONResponse.make(request, status: created ? .created : .ok)
            r.headers[.location] = "/v1/translations/\(u(request.recordId))/\(request.language)"
            return r
        }
        t.delete("/v1/records/{recordId}/translation-requests/{language}", roles: Access.translationRequests) {
            _,
            ctx in
            let request = try await withdraw(
                ctx,
                recordId: try ctx.param("recordId"),
                language: try TranslationService.language(try ctx.param("language"))
            )
            return JSONResponse.make(request)
        }
        t.get("/v1/translations", roles: Access.translationStatus) { _, ctx in
            JSONResponse.make(try await assignments(ctx, label: "translation assignments (JSON)"))
        }
        t.get("/v1/translations/{recordId}/{language}", roles: Access.translationStatus) { _, ctx in
            let language = try TranslationService.language(try ctx.param("language"))
            let stored = try await service.assigned(ctx, recordId: try ctx.param("recordId"), language: language)
            let ws = try await service.workspace(stored, language)
            try await env.audit(
                ctx,
                "view-translation",
                recordId: stored.recordId,
                version: stored.version,
                "\(language.tag) passages (JSON): \(ws.passages.count)"
            )
            return JSONResponse.make(TranslationOut(ws))
        }
        t.put("/v1/translations/{recordId}/{language}", roles: Access.translate) { req, ctx in
            let language = try TranslationService.language(try ctx.param("language"))
            let stored = try await service.assigned(ctx, recordId: try ctx.param("recordId"), language: language)
            let input = try await req.decodeJSON(TranslationSaveIn.self, ctx)
            let saved = try await save(ctx, input.segments, stored, language)
            _ = saved
            let ws = try await service.workspace(stored, language)
            return JSONResponse.make(TranslationOut(ws))
        }
        t.get("/v1/translations/{recordId}/{language}/proof/{kind}", roles: Access.translationStatus) { req, ctx in
            let language = try TranslationService.language(try ctx.param("language"))
            let kind = try DocumentService.kind(try ctx.param("kind"))
            let stored = try await service.assigned(ctx, recordId: try ctx.param("recordId"), language: language)
            var options = try DocumentService.RenderOptions(query: req)
            options.language = language.tag
            options.bilingual = false
            options.proof = true
            // A stored record's render applies the memory (drafted segments too on a proof); the
            // cache key holds the merged bytes' hash, so a saved translation shows at once.
            let copies = try await service.docs.render(
                kind: kind,
                body: stored.body,
                record: stored.record,
                options: options,
                stored: (stored.recordId, stored.version)
            )
            try await env.audit(
                ctx,
                "view-document",
                recordId: stored.recordId,
                version: stored.version,
                "\(kind.rawValue) \(language.tag) proof PDF with the translation memory"
            )
            return BinaryResponse.make(
                try await DocumentService.onePDF(copies),
                contentType: "application/pdf",
                filename: "proof-\(kind.rawValue)-\(stored.recordId)-\(language.tag).pdf"
            )
        }
    }

    func requestTranslation(
        _ ctx: AppContext,
        recordId: String,
        language: SupportedLanguage
    ) async throws -> (
        TranslationRequestOut, Bool
    ) {
        let stored = try await service.docs.latest(recordId)
        guard language != stored.record.sourceLanguage else {
            throw APIError(
                .unprocessableContent,
                "the record is written in \(LanguageWords.name(language))",
                details: [.init(path: "language", problem: "is the record's content language")]
            )
        }
        let (request, created) = try await env.store.requestTranslation(
            recordId: recordId,
            language: language,
            actor: try ctx.who.auditName,
            now: env.now
        )
        return (try await describe([request], latest: stored)[0], created)
    }

    func withdraw(
        _ ctx: AppContext,
        recordId: String,
        language: SupportedLanguage
    ) async throws
        -> TranslationRequestOut
    {
        guard
            let request = try await env.store.withdrawTranslationRequest(
                recordId: recordId,
                language: language,
                actor: try ctx.who.auditName,
                now: env.now
            )
        else { throw APIError.notFound("no open translation request of \(recordId) into \(language.tag)") }
        return TranslationRequestOut(
            recordId: request.recordId,
            language: request.language.tag,
            status: "withdrawn",
            requestedBy: request.requestedBy,
            requestedAt: request.requestedAt,
            withdrawnBy: request.withdrawnBy,
            withdrawnAt: request.withdrawnAt
        )
    }

    /// Requests with their state: withdrawn, or open/done with the passages' counts.
    func describe(
        _ list: [TranslationRequest],
        latest: DocumentService.StoredRecord?
    ) async throws
        -> [TranslationRequestOut]
    {
        var records: [String: DocumentService.StoredRecord] = [:]
        if let latest { records[latest.recordId] = latest }
        var out: [TranslationRequestOut] = []
        for r in list {
            var o = TranslationRequestOut(
                recordId: r.recordId,
                language: r.language.tag,
                status: "withdrawn",
                requestedBy: r.requestedBy,
                requestedAt: r.requestedAt,
                withdrawnBy: r.withdrawnBy,
                withdrawnAt: r.withdrawnAt
            )
            if r.isActive {
                let stored: DocumentService.StoredRecord
                if let s = records[r.recordId] {
                    stored = s
                } else {
                    stored = try await service.docs.latest(r.recordId)
                    records[r.recordId] = stored
                }
                let ws = try await service.workspace(stored, r.language)
                o.status = ws.done ? "done" : "open"
                o.recordVersion = stored.version
                o.counts = TranslationCountsOut(ws)
            }
            out.append(o)
        }
        return out
    }

    /// Every active request (open and done), audited with the ids listed.
    func assignments(_ ctx: AppContext, label: String) async throws -> [TranslationRequestOut] {
        let list = try await env.store.translationRequests(recordId: nil, includeWithdrawn: false)
        let out = try await describe(list, latest: nil)
        try await env.audit(
            ctx,
            "view-translation-requests",
            "\(label): \(out.count): \(ServiceEnvironment.ids(out.map { "\($0.recordId) \($0.language)" }))"
        )
        return out
    }

    /// Saves, audited with the record, the language and the paths (never the texts).
    func save(
        _ ctx: AppContext,
        _ inputs: [SegmentInput],
        _ stored: DocumentService.StoredRecord,
        _ language: SupportedLanguage
    ) async throws -> [TranslationSegment] {
        let saved = try await service.save(inputs, stored, language, user: try ctx.who.auditName)
        let reviewed = inputs.filter { $0.status == .reviewed }.count
        try await env.audit(
            ctx,
            "translation-edit",
            recordId: stored.recordId,
            version: stored.version,
            "\(language.tag): \(inputs.count - reviewed) drafted, \(reviewed) reviewed: "
                + ServiceEnvironment.ids(inputs.map(\.path))
        )
        return saved
    }
}
