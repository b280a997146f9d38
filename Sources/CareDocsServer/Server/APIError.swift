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

/// The JSON body of every error answer.
struct ErrorBody: Codable, Sendable {
    var error: String
    var details: [APIError.Detail]
}
