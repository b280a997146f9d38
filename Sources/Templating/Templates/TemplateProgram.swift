import Foundation

/// The document templates, read once into a tree of nodes and rendered straight into the markup's
/// UTF-8 bytes.
///
/// Why written here rather than rendered with swift-mustache (the library the templates were
/// written for, which the tests keep as the reference): swift-mustache resolves every tag at
/// render time: it splits the tag's name at its dots, and for each object on the context stack
/// it asks the runtime whether the object conforms to three protocols before it looks the name
/// up. In `bench documents` that was half of the document stage of the ICP (about 1 ms of its
/// 10) and a tenth of the emergency plan. The library has no hook for either (its tokens and
/// look-up are internal). Here a tag's name is split when the template is read, and the view
/// model's dictionaries are recognised once, when they are pushed on the stack.
///
/// The language is the part of Mustache the templates use, with swift-mustache's meaning, its
/// white-space rules included (standalone lines, the indentation of standalone partials and of
/// a parent's block definitions): variables (escaped for XML, `XMLEscape`), `{{{ }}}`
/// and `{{& }}`, sections and inverted sections, comments, partials, parents with blocks
/// (`{{<frame}}{{$body}}…{{/body}}{{/frame}}`), and the `{{% CONTENT_TYPE: XML}}` pragma.
/// Anything else — transforms `f(x)`, lambdas, changed delimiters, dynamic partials, a partial
/// or parent that does not exist — is refused when the templates are loaded, with the template
/// and line, never rendered differently. `TemplateProgramTests` renders every document kind, in
/// every language, for many records, with both and compares the bytes.
struct TemplateProgram: Sendable {
    indirect enum Node: Sendable {
        case text([UInt8])
        /// `{{name}}` (escaped) or `{{{name}}}` / `{{& name}}`.
        case variable(TagName, escaped: Bool)
        case section(TagName, [Node], inverted: Bool)
        /// `{{> name}}`; the indentation of a standalone partial (applied to each line it renders).
        case partial(String, indentation: [UInt8]?)
        /// `{{<name}} … {{/name}}`: the parent rendered with these blocks overriding its own.
        case parent(String, indentation: [UInt8], blocks: [String: [Node]])
        /// `{{$name}} … {{/name}}` outside a parent: an override given by a child, or this default.
        case block(String, defaultNodes: [Node], indentation: [UInt8])
        /// A block definition, inside a parent tag only.
        case blockDefinition(String, [Node])
    }

    /// A tag's name, split at its dots when read: `.` is the current object; `.x` looks only at
    /// the current object; `a.b` finds `a` on the stack, then `b` in it.
    struct TagName: Sendable {
        let parts: [String]
        let fromTop: Bool
        var isDot: Bool { parts.isEmpty }

        init(_ name: String) {
            if name == "." {
                parts = []
                fromTop = true
            } else {
                parts = name.split(separator: ".").map(String.init)
                fromTop = name.first == "."
            }
        }
    }

    let nodes: [Node]

    /// Partials and parents this template names (checked against the library when it loads).
    var references: [String] {
        var out: [String] = []
        func walk(_ nodes: [Node]) {
            for node in nodes {
                switch node {
                case .text, .variable: break
                case .section(_, let inner, _), .blockDefinition(_, let inner): walk(inner)
                case .partial(let name, _): out.append(name)
                case .parent(let name, _, let blocks):
                    out.append(name)
                    for (_, inner) in blocks { walk(inner) }
                case .block(_, let inner, _): walk(inner)
                }
            }
        }
        walk(nodes)
        return out
    }
}

// MARK: - Reading

/// What is wrong with a template, and where.
struct TemplateSyntaxError: Error, CustomStringConvertible {
    let line: Int
    let what: String
    var description: String { "line \(line): \(what)" }
}

extension TemplateProgram {
    init(parsing text: String) throws {
        var reader = Reader(bytes: Array(text.utf8))
        nodes = try reader.parse(State())
    }

    /// The reader's state for one level of nesting, as swift-mustache keeps it.
    fileprivate struct State {
        var sectionName: String?
        var newLine = true
        /// Inside a parent tag (`{{<frame}}`) only block definitions may appear.
        var inParent = false
        /// Inside a block definition of a parent: lines lose the indentation of its first line.
        var inBlockDefinition = false
        var blockIndent: Int?

        func section(_ name: String, newLine: Bool) -> State {
            var s = self
            s.sectionName = name
            s.inParent = false
            if !newLine { s.newLine = false }
            return s
        }
    }

    fileprivate struct Reader {
        let bytes: [UInt8]
        var i = 0

        static let open: [UInt8] = Array("{{".utf8)
        static let close: [UInt8] = Array("}}".utf8)

        var line: Int { bytes[..<min(i, bytes.count)].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 } }

        func error(_ what: String) -> TemplateSyntaxError { TemplateSyntaxError(line: line, what: what) }

        var atEnd: Bool { i >= bytes.count }
        var current: UInt8 { bytes[i] }

        func at(_ s: [UInt8]) -> Bool {
            guard i + s.count <= bytes.count else { return false }
            for k in 0..<s.count where bytes[i + k] != s[k] { return false }
            return true
        }

        /// Whether a newline starts at `i` (LF, or CR LF as one): its length, else 0.
        func newlineLength(at j: Int) -> Int {
            guard j < bytes.count else { return 0 }
            if bytes[j] == 0x0A { return 1 }
            if bytes[j] == 0x0D, j + 1 < bytes.count, bytes[j + 1] == 0x0A { return 2 }
            return 0
        }

        mutating func readBlanks() -> Int {
            let start = i
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
            return i - start
        }

        mutating func skipWhitespace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D {
                i += 1
            }
        }

        /// Text up to a newline or the next `{{` (which is consumed).
        mutating func textUntilTagOrNewline() -> [UInt8] {
            let start = i
            while i < bytes.count {
                if newlineLength(at: i) > 0 { return Array(bytes[start..<i]) }
                if at(Self.open) {
                    let text = Array(bytes[start..<i])
                    i += 2
                    return text
                }
                i += 1
            }
            return Array(bytes[start..<i])
        }

        /// The rest of the line is blank: consume it with its newline.
        mutating func lineFinished() -> Bool {
            if atEnd { return true }
            var j = i
            while j < bytes.count, bytes[j] == 0x20 || bytes[j] == 0x09 { j += 1 }
            let n = newlineLength(at: j)
            guard n > 0 else { return false }
            i = j + n
            return true
        }

        mutating func standalone(_ state: State) -> Bool { state.newLine && lineFinished() }

        static func isNameByte(_ b: UInt8, partial: Bool) -> Bool {
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2E || b == 0x2D
                || b == 0x5F || b == 0x3F || b == 0x2A || (partial && b == 0x2F)
        }

        mutating func name(partial: Bool = false) throws -> String {
            skipWhitespace()
            let start = i
            while i < bytes.count, Self.isNameByte(bytes[i], partial: partial) { i += 1 }
            let name = String(decoding: bytes[start..<i], as: UTF8.self)
            skipWhitespace()
            if !atEnd, current == UInt8(ascii: "(") {
                throw error("the tag '\(name)(' applies a transform; the templates use none")
            }
            guard at(Self.close) else { throw error("a tag is not closed with '}}' after '\(name)'") }
            i += 2
            guard !name.isEmpty else { throw error("a tag has no name") }
            if name.contains("*") { throw error("'\(name)': dynamic names are not supported") }
            return name
        }

        mutating func parse(_ initial: State) throws -> [Node] {
            var nodes: [Node] = []
            var state = initial
            var blanksBefore: [UInt8] = []
            func flushBlanks() {
                if !blanksBefore.isEmpty {
                    nodes.append(.text(blanksBefore))
                    blanksBefore = []
                }
            }
            while !atEnd {
                if state.newLine {
                    let start = i
                    let count = readBlanks()
                    if state.inBlockDefinition && !state.inParent {
                        if let indent = state.blockIndent {
                            blanksBefore = Array(bytes[(start + min(indent, count))..<i])
                        } else {
                            state.blockIndent = count
                        }
                    } else {
                        blanksBefore = Array(bytes[start..<i])
                    }
                }
                let text = textUntilTagOrNewline()
                let n = newlineLength(at: i)
                if n > 0 {
                    nodes.append(.text(blanksBefore + text + bytes[i..<(i + n)]))
                    state.newLine = true
                    i += n
                    continue
                }
                if !text.isEmpty {
                    nodes.append(.text(blanksBefore + text))
                    blanksBefore = []
                    state.newLine = false
                }
                if atEnd { break }
                var setNewLine = false
                let kind = current
                switch kind {
                case UInt8(ascii: "#"), UInt8(ascii: "^"):
                    i += 1
                    let tag = try name()
                    if standalone(state) { setNewLine = true } else { flushBlanks() }
                    let inner = try parse(state.section(tag, newLine: setNewLine))
                    nodes.append(.section(TagName(tag), inner, inverted: kind == UInt8(ascii: "^")))

                case UInt8(ascii: "/"):
                    i += 1
                    let tag = try name(partial: true)
                    guard tag == state.sectionName else {
                        throw error("'{{/\(tag)}}' closes nothing open (open: \(state.sectionName ?? "none"))")
                    }
                    if !standalone(state) { flushBlanks() }
                    return nodes

                case UInt8(ascii: "!"):
                    while !atEnd, !at(Self.close) { i += 1 }
                    guard !atEnd else { throw error("a comment is not closed with '}}'") }
                    i += 2
                    setNewLine = standalone(state)

                case UInt8(ascii: "{"), UInt8(ascii: "&"):
                    flushBlanks()
                    i += 1
                    let tag = try name()
                    if kind == UInt8(ascii: "{") {
                        guard !atEnd, current == UInt8(ascii: "}") else {
                            throw error("'{{{\(tag)}}' needs a third '}'")
                        }
                        i += 1
                    }
                    nodes.append(.variable(TagName(tag), escaped: false))

                case UInt8(ascii: ">"):
                    i += 1
                    let tag = try name(partial: true)
                    if !blanksBefore.isEmpty { nodes.append(.text(blanksBefore)) }
                    setNewLine = standalone(state)
                    nodes.append(.partial(tag, indentation: setNewLine ? blanksBefore : nil))
                    blanksBefore = []

                case UInt8(ascii: "<"):
                    i += 1
                    let tag = try name(partial: true)
                    if !blanksBefore.isEmpty { nodes.append(.text(blanksBefore)) }
                    if standalone(state) { setNewLine = true }
                    var inner = state
                    inner.sectionName = tag
                    inner.newLine = true
                    inner.inParent = true
                    inner.inBlockDefinition = true
                    var blocks: [String: [Node]] = [:]
                    for node in try parse(inner) {
                        switch node {
                        case .blockDefinition(let block, let body): blocks[block] = body
                        case .text: break
                        default: throw error("inside '{{<\(tag)}}' only blocks ('{{$name}}') may appear")
                        }
                    }
                    nodes.append(.parent(tag, indentation: blanksBefore, blocks: blocks))
                    blanksBefore = []

                case UInt8(ascii: "$"):
                    i += 1
                    let tag = try name()
                    if state.inParent {
                        if standalone(state) { setNewLine = true }
                        nodes.append(.blockDefinition(tag, try parse(state.section(tag, newLine: setNewLine))))
                    } else {
                        if !blanksBefore.isEmpty { nodes.append(.text(blanksBefore)) }
                        if standalone(state) { setNewLine = true }
                        let inner = try parse(state.section(tag, newLine: setNewLine))
                        nodes.append(.block(tag, defaultNodes: inner, indentation: blanksBefore))
                        blanksBefore = []
                    }

                case UInt8(ascii: "%"):
                    i += 1
                    skipWhitespace()
                    guard at(Array("CONTENT_TYPE".utf8)) else { throw error("the only pragma is CONTENT_TYPE") }
                    i += "CONTENT_TYPE".utf8.count
                    skipWhitespace()
                    guard !atEnd, current == UInt8(ascii: ":") else {
                        throw error("'{{% CONTENT_TYPE: XML}}' expected")
                    }
                    i += 1
                    skipWhitespace()
                    guard at(Array("XML".utf8)) else { throw error("templates are rendered as XML only") }
                    i += 3
                    skipWhitespace()
                    guard at(Self.close) else { throw error("'{{% CONTENT_TYPE: XML}}' is not closed") }
                    i += 2
                    setNewLine = standalone(state)

                case UInt8(ascii: "="):
                    throw error("changed delimiters ('{{=…=}}') are not supported")

                default:
                    flushBlanks()
                    nodes.append(.variable(TagName(try name()), escaped: true))
                }
                state.newLine = setNewLine
            }
            if let open = state.sectionName { throw error("'{{#\(open)}}' (or '{{$' / '{{<') is never closed") }
            return nodes
        }
    }
}

// MARK: - Rendering

extension TemplateProgram {
    /// One object of the context stack. A dictionary is recognised when it is pushed, not at
    /// each look-up.
    fileprivate enum Frame {
        case object([String: Any])
        case value(Any)

        init(_ value: Any) {
            if let object = value as? [String: Any] { self = .object(object) } else { self = .value(value) }
        }

        // Types compared by identity: `value is NSNull` would bridge a dictionary to an
        // NSDictionary to find out (Foundation on Linux), at every look-up.
        static let string = ObjectIdentifier(String.self)
        static let bool = ObjectIdentifier(Bool.self)
        static let int = ObjectIdentifier(Int.self)
        static let double = ObjectIdentifier(Double.self)
        static let null = ObjectIdentifier(NSNull.self)

        /// The member `name`, as swift-mustache finds it: a dictionary's value; otherwise a
        /// stored property by reflection (nothing for a string, number or array).
        func child(_ name: String) -> Any? {
            switch self {
            case .object(let object): return object[name]
            case .value(let value): return Self.child(name, of: value)
            }
        }

        static func child(_ name: String, of value: Any) -> Any? {
            let type = ObjectIdentifier(Swift.type(of: value))
            if type == Self.string || type == Self.bool || type == Self.int || type == Self.double || type == Self.null
            {
                return nil
            }
            switch value {
            case let object as [String: Any]: return object[name]
            default:
                guard let member = Mirror(reflecting: value).children.first(where: { $0.label == name })?.value else {
                    return nil
                }
                let mirror = Mirror(reflecting: member)
                guard mirror.displayStyle == .optional else { return member }
                return mirror.children.first?.value
            }
        }
    }

    /// What a render passes down besides the stack: the blocks a child template gives, the
    /// indentation of standalone partials.
    fileprivate struct Context {
        var blocks: [String: [Node]]
        var indentation: [UInt8]?
    }

    /// The context stack: pushed and popped around a section, not copied for it.
    fileprivate typealias Stack = ContiguousArray<Frame>

    fileprivate static func lookUp(_ name: TagName, in stack: Stack) -> Any? {
        if name.isDot {
            switch stack.last! {
            case .object(let object): return object
            case .value(let value): return value
            }
        }
        var found: Any?
        if name.fromTop {
            found = stack.last!.child(name.parts[0])
        } else {
            for frame in stack.reversed() {
                if let value = frame.child(name.parts[0]) {
                    found = value
                    break
                }
            }
        }
        guard var value = found else { return nil }
        for part in name.parts.dropFirst() {
            guard let next = Frame.child(part, of: value) else { return nil }
            value = next
        }
        return ObjectIdentifier(type(of: value)) == Frame.null ? nil : value
    }

    /// The markup for `context`, in UTF-8.
    func render(_ context: Any, library: [String: TemplateProgram]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(16 << 10)
        var stack: Stack = [Frame(context)]
        stack.reserveCapacity(16)
        Self.render(nodes, Context(blocks: [:], indentation: nil), &stack, library, into: &out)
        return out
    }

    private static func render(
        _ nodes: [Node],
        _ ctx: Context,
        _ stack: inout Stack,
        _ library: [String: TemplateProgram],
        into out: inout [UInt8]
    ) {
        guard let indentation = ctx.indentation, !indentation.isEmpty else {
            for node in nodes { render(node, ctx, &stack, library, into: &out) }
            return
        }
        // swift-mustache's rule: a node's output that starts a line of this template's output
        // is indented (the first line of a partial is indented by the text before its tag).
        let start = out.count
        for node in nodes {
            let before = out.count
            render(node, ctx, &stack, library, into: &out)
            if out.count > before, before > start, out[before - 1] == 0x0A {
                out.insert(contentsOf: indentation, at: before)
            }
        }
    }

    /// Renders `nodes` with `value` on top of the stack.
    private static func render(
        _ nodes: [Node],
        pushing value: Any,
        _ ctx: Context,
        _ stack: inout Stack,
        _ library: [String: TemplateProgram],
        into out: inout [UInt8]
    ) {
        stack.append(Frame(value))
        render(nodes, ctx, &stack, library, into: &out)
        stack.removeLast()
    }

    private static func render(
        _ node: Node,
        _ ctx: Context,
        _ stack: inout Stack,
        _ library: [String: TemplateProgram],
        into out: inout [UInt8]
    ) {
        switch node {
        case .text(let bytes):
            out.append(contentsOf: bytes)

        case .variable(let name, let escaped):
            guard let value = lookUp(name, in: stack) else { return }
            let text: String
            if let string = value as? String {
                text = string
            } else if let optional = value as? any TemplateOptional {
                text = String(describing: optional.wrapped ?? value)
            } else {
                text = String(describing: value)
            }
            if escaped { XMLEscape.append(text, to: &out) } else { out.append(contentsOf: text.utf8) }

        case .section(let name, let inner, let inverted):
            let value = lookUp(name, in: stack)
            if let sequence = value as? any TemplateSequence {
                if inverted {
                    if sequence.isEmptySequence { render(inner, pushing: value!, ctx, &stack, library, into: &out) }
                } else {
                    sequence.forEachElement { render(inner, pushing: $0, ctx, &stack, library, into: &out) }
                }
            } else if let flag = value as? Bool {
                if flag != inverted { render(inner, ctx, &stack, library, into: &out) }
            } else if let value {
                if !inverted { render(inner, pushing: value, ctx, &stack, library, into: &out) }
            } else if inverted {
                render(inner, ctx, &stack, library, into: &out)
            }

        case .partial(let name, let indented):
            guard let template = library[name] else { return }
            var next = ctx
            if let indented { next.indentation = (ctx.indentation ?? []) + indented }
            render(template.nodes, next, &stack, library, into: &out)

        case .parent(let name, let indented, let blocks):
            guard let template = library[name] else { return }
            var next = ctx
            next.indentation = (ctx.indentation ?? []) + indented
            // Blocks given further out win (swift-mustache merges keeping the outer ones).
            next.blocks = blocks.merging(ctx.blocks) { _, outer in outer }
            render(template.nodes, next, &stack, library, into: &out)

        case .block(let name, let defaultNodes, let indented):
            var next = ctx
            next.indentation = (ctx.indentation ?? []) + indented
            render(ctx.blocks[name] ?? defaultNodes, next, &stack, library, into: &out)

        case .blockDefinition:
            break  // read into its parent's blocks; never rendered where it stands
        }
    }
}

/// Arrays and sets render a section once per element (swift-mustache's `MustacheSequence`).
private protocol TemplateSequence {
    var isEmptySequence: Bool { get }
    func forEachElement(_ body: (Any) -> Void)
}

extension Array: TemplateSequence {
    fileprivate var isEmptySequence: Bool { isEmpty }
    fileprivate func forEachElement(_ body: (Any) -> Void) { for element in self { body(element) } }
}

extension Set: TemplateSequence {
    fileprivate var isEmptySequence: Bool { isEmpty }
    fileprivate func forEachElement(_ body: (Any) -> Void) { for element in self { body(element) } }
}

extension ReversedCollection: TemplateSequence {
    fileprivate var isEmptySequence: Bool { isEmpty }
    fileprivate func forEachElement(_ body: (Any) -> Void) { for element in self { body(element) } }
}

/// An optional held in an `Any`: a variable prints what it wraps (swift-mustache unwraps it).
private protocol TemplateOptional {
    var wrapped: Any? { get }
}

extension Optional: TemplateOptional {
    fileprivate var wrapped: Any? { self.map { $0 } }
}
