/// A problem found at a path, before the loader orders and publishes it as a
/// `ValidationProblem`.
struct Finding: Sendable, Hashable {
    var path: JSONPath
    var message: String

    init(_ path: JSONPath, _ message: String) {
        self.path = path
        self.message = message
    }
}
