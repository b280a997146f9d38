import Foundation
import Typesetting

/// Makes the print file's documents ahead, in order, on a thread of its own, at most `depth`
/// ahead of the one being drawn: making a document (requirement rules, view model, template,
/// markup: about a millisecond) needs no engine, so it runs beside the layout and drawing of the
/// documents before it, which must stay on the engine's thread. Written by hand: a bounded
/// producer for one consumer, with Foundation's `NSCondition`.
final class DocumentPrefetch: @unchecked Sendable {
    private let condition = NSCondition()
    private var ready: [Int: Result<Document, any Error>] = [:]
    private var produced = 0
    private var consumed = 0
    private var cancelled = false

    /// Starts making documents 0..<count with `make` (called on the prefetch thread, in order).
    init(count: Int, depth: Int = 16, make: @escaping @Sendable (Int) throws -> Document) {
        let thread = Thread { [self] in
            for index in 0..<count {
                condition.lock()
                while produced - consumed >= depth && !cancelled { condition.wait() }
                let stop = cancelled
                condition.unlock()
                if stop { return }
                let result = Result { try make(index) }
                condition.lock()
                ready[index] = result
                produced += 1
                condition.broadcast()
                condition.unlock()
            }
        }
        thread.name = "print-prefetch"
        thread.start()
    }

    /// Document `index` (asked for in order), waiting for it when it is not made yet; the
    /// error `make` threw for it, if any.
    func document(_ index: Int) throws -> Document {
        condition.lock()
        defer { condition.unlock() }
        while ready[index] == nil { condition.wait() }
        let result = ready.removeValue(forKey: index)!
        consumed += 1
        condition.broadcast()
        return try result.get()
    }

    /// Stops making documents (the print file failed, or is done).
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}

/// A value handed to the prefetch thread and read there only while the batch waits for it.
struct Unchecked<Value>: @unchecked Sendable {
    let value: Value
}
