import CaresDocuments
import Deadlines
import Foundation
import Hummingbird
import NIOCore
import RenderWorkers

/// Turns every error into an answer: JSON `{error, details}` under `/v1/`, an HTML page (or a
/// redirect to the sign-in page) elsewhere. Unexpected errors become 500 with no detail; the log
/// gets the error's type only (its text could carry record content).
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppContext

    func handle(
        _ request: Request,
        context: AppContext,
        next: (Request, AppContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let apiError = Self.classify(error, context: context)
            let path = request.uri.path
            if path.hasPrefix("/v1/") || path == "/v1" {
                return JSONResponse.make(
                    ErrorBody(error: apiError.error, details: apiError.details),
                    status: apiError.status
                )
            }
            if apiError.status == .unauthorized {
                let next = request.method == .get ? request.uri.description : "/"
                return Response.redirect(
                    to: "/login?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"),
                    type: .normal
                )
            }
            return HTMLResponse.make(Layout.errorPage(apiError, identity: context.identity), status: apiError.status)
        }
    }

    static func classify(_ error: any Error, context: AppContext) -> APIError {
        switch error {
        case let e as APIError: return e
        case is NIOTooManyBytesError: return APIError(.contentTooLarge, "the request body is too large")
        case let e as HTTPResponseError where e.status == .contentTooLarge:
            return APIError(.contentTooLarge, "the request body is too large")
        case let e as HTTPError:
            if e.status == .contentTooLarge { return APIError(.contentTooLarge, "the request body is too large") }
            if e.status == .notFound { return APIError(.notFound, "no such page or resource") }
            return APIError(e.status, e.body ?? e.status.reasonPhrase)
        case let e as TransitionRefused: return APIError(.conflict, e.description)
        case let e as BatchRunner.AlreadyRunning:
            return APIError(
                .conflict,
                e.description,
                details: [.init(path: "batch", problem: "\(e.running.id) is running")]
            )
        case let e as TrackingNumberError:
            return APIError(
                .unprocessableContent,
                "the tracking number is not valid",
                details: [.init(path: "trackingNumber", problem: e.description)]
            )
        case let e as DeadlineStoreError:
            if case .unknownObligation = e { return APIError(.notFound, e.description) }
            context.logger.error("store error", metadata: ["error.type": "\(type(of: e))"])
            return APIError(.serviceUnavailable, "the database is not available")
        case let e as AccessStoreError:
            switch e {
            case .userExists, .tokenExists: return APIError(.conflict, e.description)
            case .unknownUser, .unknownToken: return APIError(.notFound, e.description)
            }
        case let e as RenderWorkerPoolError:
            context.logger.error("render worker failure", metadata: ["error": "\(e)"])
            switch e {
            case .workerCrashed: return APIError(.internalServerError, e.description)
            case .timedOut: return APIError(.gatewayTimeout, e.description)
            case .overloaded, .shutDown: return APIError(.serviceUnavailable, e.description)
            }
        default:
            context.logger.error("unexpected error", metadata: ["error.type": "\(type(of: error))"])
            return APIError(.internalServerError, "something went wrong on the server; the request id is \(context.id)")
        }
    }
}

/// Logs each request (method, route template, status, duration, role — never the URI, which may
/// hold names or dates of birth in a search), counts it in the metrics, and returns the request
/// id in `X-Request-Id`.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = AppContext
    let metrics: ServiceMetrics

    func handle(
        _ request: Request,
        context: AppContext,
        next: (Request, AppContext) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            // Errors escaping the error middleware (none expected): answer 500 and log the type.
            context.logger.error("unhandled error", metadata: ["error.type": "\(type(of: error))"])
            response = JSONResponse.make(ErrorBody(error: "internal error", details: []), status: .internalServerError)
        }
        let elapsed = ContinuousClock.now - start
        let route = context.endpointPath ?? "unmatched"
        response.headers[.init("X-Request-Id")!] = context.id
        metrics.request(route: route, method: request.method.rawValue, status: response.status.code, duration: elapsed)
        context.logger.info(
            "request",
            metadata: [
                "method": "\(request.method.rawValue)", "route": "\(route)", "status": "\(response.status.code)",
                "ms": "\(elapsed.milliseconds)",
            ]
        )
        return response
    }
}

extension Duration {
    var milliseconds: Double { Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15 }
}
