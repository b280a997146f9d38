import Foundation
import Testing

@testable import Templating

/// `lowercaseHex`: the bytes `String(format: "%02x")` per byte wrote, faster (the stored token
/// hashes, audit-chain MACs and catalog review hashes must not change).
@Suite struct LowercaseHexTests {
    @Test func sameBytesAsFormatPerByte() {
        let all = (0...255).map { UInt8($0) }
        #expect(all.lowercaseHex == all.map { String(format: "%02x", $0) }.joined())
        #expect([UInt8]().lowercaseHex == "")
        #expect(Data([0x00, 0x0f, 0xa0, 0xff]).lowercaseHex == "000fa0ff")
    }

    @Test func digestsAndCatalogHashes() {
        // SHA-256("abc"), FIPS 180-2.
        #expect(LocaleCatalog.messageHash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
