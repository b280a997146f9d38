import Foundation

/// The API's OpenAPI 3.1 description, served at /openapi.yaml from the resource file
/// `Resources/openapi.yaml` (edit it there: a YAML file that editors and validators read).
/// Tests check that it describes exactly the routes the server registers, and that its document
/// kinds and language tags are the code's.
enum OpenAPIDocument {
    /// The document's text; `nil` only when the build lost the resource file.
    static let yaml: String? = Bundle.module.url(forResource: "openapi", withExtension: "yaml")
        .flatMap { try? String(contentsOf: $0, encoding: .utf8) }
}
