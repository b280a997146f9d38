import CaresDocuments
import Foundation
import Hummingbird

/// An error answered as JSON `{error, details:[{path, problem}]}` (API) or as an HTML page (web).
public struct APIError: Error, Sendable {
    public struct Detail: Codable, Sendable, Hashable {
        public var path: String
        public var problem: String
        public var clause: String?

        public init(path: String, problem: String, clause: String? = nil) {
            self.path = path
            self.problem = problem
            self.clause = clause
        }
    }

    public var status: HTTPResponse.Status
    public var error: String
    public var details: [Detail]

    public init(_ status: HTTPResponse.Status, _ error: String, details: [Detail] = []) {
        self.status = status
        self.error = error
        self.details = details
    }

    public static let unauthenticated = APIError(.unauthorized, "sign in or give an API token")
    public static let forbidden = APIError(.forbidden, "your role may not do this")
    public static func notFound(_ what: String) -> APIError { APIError(.notFound, what) }
    public static func badRequest(_ error: String, path: String = "", problem: String? = nil) -> APIError {
        APIError(.badRequest, error, details: problem.map { [Detail(path: path, problem: $0)] } ?? [])
    }
}

extension APIError {
    /// A document pipeline failure as an HTTP answer: the caller's mistakes 400 (an unknown kind
    /// 404: it is part of the path), record problems and refusals 422 with every problem, our own
    /// faults 500 without their text (it may quote the record).
    init(_ failure: DocumentFailure) {
        switch failure {
        case .unknownKind(let raw):
            self.init(
                .notFound,
                "unknown document kind",
                details: [
                    .init(
                        path: "kind",
                        problem:
                            "\(Quote.value(raw)) is not one of \(DocumentKind.allCases.map(\.rawValue).joined(separator: ", "))"
                    )
                ]
            )
        case .unsupportedLanguage(let tag):
            self.init(
                .badRequest,
                "unsupported language",
                details: [
                    .init(
                        path: "language",
                        problem:
                            "\(Quote.value(tag)) is not supported (supported: \(SupportedLanguage.supportedTags.joined(separator: ", ")))"
                    )
                ]
            )
        case .conflictingOptions:
            self.init(
                .badRequest,
                "choose bilingual or a language",
                details: [.init(path: "bilingual", problem: "cannot be combined with language")]
            )
        case .unavailableKind:
            self.init(.badRequest, failure.description)
        case .noRecordLanguage:
            self.init(
                .unprocessableContent,
                "the record has no supported language",
                details: [.init(path: "member.primaryLanguage", problem: "no supported language")]
            )
        case .invalidRecord(let problems):
            self.init(
                .unprocessableContent,
                "the care record is not valid",
                details: problems.map { .init(path: $0.path, problem: $0.problem) }
            )
        case .refused(let kind, let problems):
            self.init(
                .unprocessableContent,
                "the \(kind.rawValue) cannot be made: required content is missing",
                details: problems.map { .init(path: $0.path, problem: $0.problem, clause: $0.clause) }
            )
        case .noCatalog, .buildFailed, .renderFailed:
            self.init(.internalServerError, "the document could not be rendered; the request id is in X-Request-Id")
        }
    }
}

/// The JSON body of every error answer.
struct ErrorBody: Codable, Sendable {
    var error: String
    var details: [APIError.Detail]
}
