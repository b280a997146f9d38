import Testing
@testable import CaresDocuments

@Test func schemaVersionIsOne() { #expect(CaresDocuments.schemaVersion == 1) }
