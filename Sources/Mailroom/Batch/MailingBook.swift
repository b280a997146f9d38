import CaresDocuments
import Deadlines
import Foundation

/// The firm mailing book for accountable mail in the PS Form 3877 layout: sender at the top,
/// pieces numbered in order, article number, addressee name and address, postage and fee
/// columns, total pieces.
public struct MailingBook {
    public var date: CalendarDate
    public var letters: [BatchLetter]
    public var postage: String
    public var fee: String

    /// CSV that `mailroom import-tracking` reads back once the article numbers are filled in:
    /// `obligation,tracking,date,piece,addressee,address,city,state,zip,postage,fee`.
    public var csv: String {
        var lines = ["obligation,tracking,date,piece,addressee,address,city,state,zip,postage,fee"]
        for (n, l) in letters.enumerated() {
            let street = [l.address.line1, l.address.line2].compactMap { $0 }.joined(separator: ", ")
            lines.append(
                [
                    l.obligationId, "", date.description, String(n + 1), l.name, street, l.address.city,
                    l.address.state,
                    l.address.postalCode, postage, fee,
                ].map(CSVCell.field).joined(separator: ",")
            )
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    public var markup: String {
        func x(_ s: String) -> String {
            var out = ""
            for c in s.unicodeScalars {
                switch c {
                case "&": out += "&amp;"
                case "<": out += "&lt;"
                case ">": out += "&gt;"
                case "\"": out += "&quot;"
                case "'": out += "&apos;"
                default: if c.value >= 0x20 || c == "\t" || c == "\n" { out.unicodeScalars.append(c) }
                }
            }
            return out
        }
        let sender = letters.first?.sender ?? ""
        let senderAddress =
            letters.first?.senderAddress.map { a in
                [a.line1, a.line2, "\(a.city), \(a.state) \(a.postalCode)"].compactMap { $0 }.joined(separator: ", ")
            } ?? ""
        var rows = ""
        for (n, l) in letters.enumerated() {
            let street = [l.address.line1, l.address.line2].compactMap { $0 }.joined(separator: ", ")
            rows +=
                "<tr><td>\(n + 1)</td><td> </td><td><b>\(x(l.name))</b><br/>\(x(street))<br/>\(x(l.address.city)), \(x(l.address.state)) \(x(l.address.postalCode))</td><td>\(x(postage))</td><td>\(x(fee))</td><td> </td><td><ltr>\(x(l.obligationId))</ltr></td></tr>\n"
        }
        return """
            <document size="letter" lang="en" margin="36" base-size="9" title="Firm Mailing Book for Accountable Mail \(date)" ref="PS Form 3877">
            <footer start="PS Form 3877 layout — Registered Mail" end="Page {page} of {pages}" size="8"/>
            <h1>Firm Mailing Book for Accountable Mail</h1>
            <kv key-width="140">
            <row><key>Name and address of sender</key><value><b>\(x(sender))</b><br/>\(x(senderAddress))</value></row>
            <row><key>Type of mail</key><value>Registered Mail</value></row>
            <row><key>Date</key><value>\(date)</value></row>
            </kv>
            <spacer height="8"/>
            <table columns="30 100 2* 58 50 62 1*" border="0.5" padding="3">
            <thead><tr><th>No.</th><th>Article number</th><th>Addressee (name, street, city, state, ZIP)</th><th>Postage</th><th>Fee</th><th>Handling</th><th>Reference</th></tr></thead>
            <tbody>
            \(rows)</tbody>
            </table>
            <spacer height="10"/>
            <kv key-width="220">
            <row><key>Total number of pieces listed by sender</key><value>\(letters.count)</value></row>
            <row><key>Total number of pieces received at post office</key><value> </value></row>
            <row><key>Postmaster, per (name of receiving employee)</key><value> </value></row>
            </kv>
            </document>
            """
    }
}
