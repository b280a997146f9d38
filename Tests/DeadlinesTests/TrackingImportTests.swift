import Testing

@testable import Deadlines
@testable import Mailroom

@Suite("CSV for tracking number import")
struct CSVTests {
    @Test func quotedFieldsAndLineEnds() {
        #expect(
            parseCSV("obligation,tracking\r\nR-1/enrollment-letter,RE123456785US\n\"R,2/x\",\"say \"\"hi\"\"\"\nlast,1")
                == [
                    ["obligation", "tracking"], ["R-1/enrollment-letter", "RE123456785US"], ["R,2/x", "say \"hi\""],
                    ["last", "1"],
                ]
        )
        #expect(parseCSV("") == [])
        #expect(parseCSV("a,b\n") == [["a", "b"]])
    }
}
