import Foundation
public enum PDFPostProcessor { static func finish(_ d: Data, language: String, metadata: Metadata) throws -> Data { d } }
