import CaresDocuments
import Foundation

/// The record as form fields, by walking the schema: an object is a fieldset, a list a fieldset
/// of rows with buttons to add, remove and move them (plain submit buttons: no script needed), a
/// translatable text the source language beside each family language. Every input is named by
/// its path (`EditorForm`), has a label tied to it, its help and its problems next to it.
struct EditorRenderer {
    let outline: SchemaOutline
    /// Problems by field key (`EditorForm.fieldKey`).
    var problems: [String: [String]] = [:]
    /// The language plain texts are written in.
    var source = "en"
    /// Languages shown beside the source for translatable fields.
    var languages: [String] = []

    init(outline: SchemaOutline, record: RecordJSON, problems: [String: [String]] = [:]) {
        self.outline = outline
        self.problems = problems
        source = record["contentLanguage"]?.scalarText ?? "en"
        // Translations can be written from schema version 2 on.
        guard record["schemaVersion"]?.scalarText != "1" else { return }
        var found = Set<String>()
        Self.collectLanguages(outline, record, into: &found)
        if let tag = record["member"]?["primaryLanguage"]?.scalarText, let l = SupportedLanguage.normalize(tag) {
            found.insert(l.tag)
        }
        found.remove(source)
        languages = found.sorted()
    }

    static func collectLanguages(_ node: SchemaOutline, _ value: RecordJSON?, into found: inout Set<String>) {
        guard let value else { return }
        switch node.kind {
        case .translatable:
            for m in value.members ?? [] { found.insert(m.key) }
        case .object:
            for p in node.properties { collectLanguages(p.node, value[p.name], into: &found) }
        case .array:
            if let items = node.items { for item in value.items ?? [] { collectLanguages(items, item, into: &found) } }
        default: break
        }
    }

    /// The sections of the record, in the order of the care plan.
    func sections(_ record: RecordJSON) -> String {
        var html = ""
        var placed = Set<String>()
        var list = EditorLabels.sections
        let known = Set(list.flatMap(\.fields))
        let others = outline.properties.map(\.name).filter { !known.contains($0) }
        if !others.isEmpty { list.append(("other", "Other", others)) }
        for section in list {
            html += "<section aria-labelledby=\"s-\(section.id)\"><h2 id=\"s-\(section.id)\">\(h(section.title))</h2>"
            for name in section.fields {
                guard let node = outline.property(name), !placed.contains(name) else { continue }
                placed.insert(name)
                html += render(node, [name], record[name])
            }
            html += "</section>"
        }
        return html
    }

    /// Table of contents for the sections.
    func contents() -> String {
        "<nav aria-label=\"Sections of the record\"><ul class=\"toc\">"
            + EditorLabels.sections.map { "<li><a href=\"#s-\($0.id)\">\(h($0.title))</a></li>" }.joined()
            + "</ul></nav>"
    }

    func render(_ node: SchemaOutline, _ parts: [String], _ value: RecordJSON?) -> String {
        let key = parts.joined(separator: ".")
        let entry = EditorLabels.entry(parts, node)
        let label = EditorLabels.label(parts, node)
        switch node.kind {
        case .object:
            var html =
                "<fieldset id=\"field-\(h(key))\"><legend>\(h(label))</legend>\(help(entry.help, key))\(errors(key))"
            if EditorForm.mayBeStatedEmpty(parts), value?.members?.isEmpty ?? true {
                html += noneBox(
                    key,
                    checked: value?.members?.isEmpty == true,
                    text: "Nothing to record here (an empty section says there is none)"
                )
            }
            for p in node.properties {
                html += render(p.node, parts + [p.name], value?[p.name])
            }
            return html + "</fieldset>"
        case .array:
            return list(node, parts, value, label: label, help: entry.help)
        default:
            return "<div class=\"field\(problems[key] == nil ? "" : " invalid")\" id=\"field-\(h(key))\">"
                + scalar(node, parts, value, label: label, help: entry.help) + "</div>"
        }
    }

    func list(_ node: SchemaOutline, _ parts: [String], _ value: RecordJSON?, label: String, help: String?) -> String {
        let key = parts.joined(separator: ".")
        let items = value?.items ?? []
        let itemName = EditorLabels.itemName(parts.last ?? "")
        var html =
            "<fieldset class=\"list\" id=\"field-\(h(key))\"><legend>\(h(label))</legend>\(self.help(help, key))\(errors(key))"
        for (n, item) in items.enumerated() {
            let row = parts + [String(n)]
            let rowKey = row.joined(separator: ".")
            let rowName = "\(itemName) \(n + 1)"
            var buttons = "<div class=\"row-actions\">"
            if n > 0 { buttons += button("up \(rowKey)", "Move \(rowName) up") }
            if n < items.count - 1 { buttons += button("down \(rowKey)", "Move \(rowName) down") }
            buttons += button("remove \(rowKey)", "Remove \(rowName)") + "</div>"
            if let itemNode = node.items, itemNode.kind == .object {
                var rowHTML = render(itemNode, row, item)
                if let end = rowHTML.range(of: "</fieldset>", options: .backwards) {
                    rowHTML.replaceSubrange(end, with: buttons + "</fieldset>")
                }
                html += rowHTML
            } else if let itemNode = node.items {
                html += "<div class=\"row\">" + render(itemNode, row, item) + buttons + "</div>"
            }
        }
        if items.isEmpty {
            html += noneBox(
                key,
                checked: value?.items?.isEmpty == true,
                text: "There are none (say so on the documents)"
            )
        }
        html += button("add \(key)", "Add \(article(itemName)) \(itemName)", primary: true)
        return html + "</fieldset>"
    }

    /// A box to state a list or section empty on purpose (`[]`, `{}`), which the documents read
    /// as "none" where an absent one is "not recorded yet".
    func noneBox(_ key: String, checked: Bool, text: String) -> String {
        let id = "in-\(key)\(EditorForm.noneSuffix)"
        return
            "<div class=\"none\"><input type=\"checkbox\" id=\"\(h(id))\" name=\"\(h(key + EditorForm.noneSuffix))\" value=\"1\"\(checked ? " checked" : "")> <label class=\"check\" for=\"\(h(id))\">\(h(text))</label></div>"
    }

    func article(_ word: String) -> String { "AEIOUaeiou".contains(word.first ?? "x") ? "an" : "a" }

    func button(_ action: String, _ text: String, primary: Bool = false) -> String {
        "<button type=\"submit\" class=\"\(primary ? "add" : "row-button")\" name=\"\(EditorForm.actionField)\" value=\"\(h(action))\" formnovalidate>\(h(text))</button>"
    }

    func help(_ text: String?, _ key: String) -> String {
        guard let text, !text.isEmpty else { return "" }
        return "<p class=\"help\" id=\"help-\(h(key))\">\(h(text))</p>"
    }

    func errors(_ key: String) -> String {
        guard let list = problems[key], !list.isEmpty else { return "" }
        return "<p class=\"field-error\" id=\"err-\(h(key))\">"
            + list.map { "<strong>Please fix:</strong> \(h($0))" }.joined(separator: "<br>") + "</p>"
    }

    func describedBy(_ key: String, help: String?) -> String {
        var ids: [String] = []
        if let help, !help.isEmpty { ids.append("help-\(key)") }
        if problems[key] != nil { ids.append("err-\(key)") }
        let invalid = problems[key] == nil ? "" : " aria-invalid=\"true\""
        return ids.isEmpty ? invalid : " aria-describedby=\"\(h(ids.joined(separator: " ")))\"\(invalid)"
    }

    func scalar(_ node: SchemaOutline, _ parts: [String], _ value: RecordJSON?, label: String, help: String?) -> String
    {
        let key = parts.joined(separator: ".")
        let id = "in-\(key)"
        let described = describedBy(key, help: help)
        let head = self.help(help, key) + errors(key)
        switch node.kind {
        case .choice:
            let current = value?.scalarText ?? ""
            var options = "<option value=\"\">(not chosen)</option>"
            if !current.isEmpty && !node.choices.contains(current) {
                options += "<option value=\"\(h(current))\" selected>\(h(current)) (not one of the choices)</option>"
            }
            options += node.choices.map {
                "<option value=\"\(h($0))\"\($0 == current ? " selected" : "")>\(h(EditorLabels.choice($0, node)))</option>"
            }.joined()
            return
                "<label for=\"\(h(id))\">\(h(label))</label>\(head)<select id=\"\(h(id))\" name=\"\(h(key))\"\(described)>\(options)</select>"
        case .boolean:
            let current = value?.scalarText ?? ""
            var options = "<option value=\"\">(not said)</option>"
            if !["", "true", "false"].contains(current) {
                options += "<option value=\"\(h(current))\" selected>\(h(current))</option>"
            }
            options += [("true", "Yes"), ("false", "No")].map {
                "<option value=\"\($0.0)\"\($0.0 == current ? " selected" : "")>\($0.1)</option>"
            }.joined()
            return
                "<label for=\"\(h(id))\">\(h(label))</label>\(head)<select id=\"\(h(id))\" name=\"\(h(key))\"\(described)>\(options)</select>"
        case .translatable:
            let members = value?.members
            let sourceText = members == nil ? (value?.scalarText ?? "") : (value?[source]?.scalarText ?? "")
            let long = node.maxLength.map { $0 > 300 } ?? true
            var html = "<div class=\"cols\"><div class=\"col\">"
            html +=
                "<label for=\"\(h(id))\">\(h(label)) <span class=\"lang\">(\(h(languageName(source))))</span></label>\(head)"
            html += input(id: id, name: key, value: sourceText, long: long, extra: described + langAttributes(source))
            html += "</div>"
            for lang in languages {
                let tid = "\(id)~\(lang)"
                let text = value?[lang]?.scalarText ?? ""
                html += "<div class=\"col\">"
                html +=
                    "<label for=\"\(h(tid))\">\(h(label)) <span class=\"lang\">(\(h(languageName(lang))))</span></label>"
                html += input(id: tid, name: "\(key)~\(lang)", value: text, long: long, extra: langAttributes(lang))
                html += "</div>"
            }
            return html + "</div>"
        default:
            let text = value?.scalarText ?? ""
            var extra = described
            if node.kind == .date {
                extra += " inputmode=\"numeric\" placeholder=\"YYYY-MM-DD\" autocomplete=\"off\""
            } else if node.kind == .number || node.kind == .integer {
                extra += " inputmode=\"decimal\""
            }
            let long = node.kind == .text && (node.maxLength ?? 0) > 300
            return "<label for=\"\(h(id))\">\(h(label))</label>\(head)"
                + input(id: id, name: key, value: text, long: long, extra: extra)
        }
    }

    func input(id: String, name: String, value: String, long: Bool, extra: String) -> String {
        if long {
            return "<textarea id=\"\(h(id))\" name=\"\(h(name))\" rows=\"3\"\(extra)>\n\(h(value))</textarea>"
        }
        return "<input id=\"\(h(id))\" name=\"\(h(name))\" value=\"\(h(value))\"\(extra)>"
    }

    func languageName(_ tag: String) -> String {
        SupportedLanguage.normalize(tag).map(LanguageWords.name) ?? tag
    }

    func langAttributes(_ tag: String) -> String {
        SupportedLanguage.normalize(tag).map { " " + LanguageWords.attributes($0) } ?? " lang=\"\(h(tag))\""
    }
}
