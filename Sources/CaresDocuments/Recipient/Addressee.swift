import Foundation

/// Who a document is addressed to, and where it is mailed: the one decision used by the letter's
/// window, the mailing book, the mailroom page, the API and the requirement rules.
///
/// - The CCM notice goes to the care team member with role `ccm-clinical-manager` (the first one).
/// - Every other document goes to the letter recipient: the first guardian with `receivesMail`,
///   else the first guardian with a mailing address, else the member (`CareRecord.letterRecipient`).
public struct Addressee: Sendable, Hashable {
    public enum Role: Sendable, Hashable {
        /// A guardian, by index in `guardians`.
        case guardian(index: Int)
        case member
        /// A care team member, by index in `careTeam`.
        case teamMember(index: Int, role: TeamRole)
    }

    public var role: Role
    public var name: String
    /// Printed under the name (a team member's organization).
    public var organization: String?
    /// Where the paper copy is mailed; `nil` when the record has none for this person.
    public var address: Address?

    /// The JSON path of the mailing address this addressee needs (for refusals and checklists).
    public var addressPath: String {
        switch role {
        case .guardian(let index): "guardians[\(index)].contact.address"
        case .member: "member.address"
        case .teamMember(let index, _): "careTeam[\(index)].contact.address"
        }
    }

    /// Why a paper copy cannot be mailed, in the mailroom's words (`nil` when there is an address).
    public var missingAddressReason: String? {
        guard address == nil else { return nil }
        switch role {
        case .guardian, .member:
            return "no mailing address (guardians[].contact.address or member.address)"
        case .teamMember(_, let role):
            return "needs a mailing address for the \(role.wording) (\(addressPath))"
        }
    }

    /// The #10 window's lines: name, organization, delivery line(s), city line. `cityLine` formats
    /// the last line (the letter isolates the city for bidi; plain text elsewhere). A team member's
    /// secondary unit joins the delivery line (USPS style) so that name, organization and address
    /// fit the window in four lines.
    public func windowLines(cityLine: (Address) -> String = Addressee.plainCityLine) -> [String] {
        var lines = [name]
        if let organization = organization.flatMap(Self.nonBlank) { lines.append(organization) }
        guard let address else { return lines }
        let secondary = address.line2.flatMap(Self.nonBlank)
        switch role {
        case .teamMember:
            lines.append(secondary.map { "\(address.line1), \($0)" } ?? address.line1)
        case .guardian, .member:
            lines.append(address.line1)
            if let secondary { lines.append(secondary) }
        }
        lines.append(cityLine(address))
        return lines
    }

    /// The address on one line ("12 Elm St, Apt 2, Boston, MA 02118"), or `nil`.
    public var addressOneLine: String? {
        address.map { a in
            ([a.line1, a.line2.flatMap(Self.nonBlank)].compactMap { $0 } + [Self.plainCityLine(a)])
                .joined(separator: ", ")
        }
    }

    /// "City, ST 01234".
    public static func plainCityLine(_ address: Address) -> String {
        "\(address.city), \(address.state) \(address.postalCode)"
    }

    static func nonBlank(_ text: String) -> String? {
        text.isBlank ? nil : text
    }
}

extension CareRecord {
    /// Who `kind` is addressed to (see `Addressee`); `nil` only for a CCM notice of a record with
    /// no `ccm-clinical-manager` on the care team (the requirement rules refuse that notice).
    public func addressee(of kind: DocumentKind) -> Addressee? {
        switch kind {
        case .ccmNotice:
            guard let index = careTeam?.firstIndex(where: { $0.role == .ccmClinicalManager }),
                let manager = careTeam?[index]
            else { return nil }
            return Addressee(
                role: .teamMember(index: index, role: manager.role),
                name: manager.name,
                organization: manager.organization,
                address: manager.contact?.address
            )
        case .enrollmentLetter, .terminationLetter, .carePlan, .emergencyPlan, .aftercarePlan:
            switch letterRecipient {
            case .guardian(let guardian):
                return Addressee(
                    role: .guardian(index: guardians?.firstIndex(of: guardian) ?? 0),
                    name: guardian.name,
                    organization: nil,
                    address: guardian.contact?.address
                )
            case .member(let member):
                return Addressee(
                    role: .member,
                    name: "\(member.firstName) \(member.lastName)",
                    organization: nil,
                    address: member.address
                )
            }
        }
    }
}

/// Someone a document may be sent to electronically.
public struct ElectronicRecipient: Sendable, Hashable, Codable {
    public var name: String
    public var email: String

    public init(name: String, email: String) {
        self.name = name
        self.email = email
    }
}

extension CareRecord {
    /// Who may receive `kind` electronically: for the CCM notice the CCM clinical manager (with an
    /// email address); for the family's documents the guardians who consented
    /// (`electronicDelivery` with `contact.email`).
    public func electronicRecipients(of kind: DocumentKind) -> [ElectronicRecipient] {
        if case .teamMember(let index, _) = addressee(of: kind)?.role {
            guard let member = careTeam?[index], let email = member.contact?.email else { return [] }
            return [ElectronicRecipient(name: member.name, email: email)]
        }
        return (guardians ?? []).compactMap { guardian in
            guard guardian.electronicDelivery == true, let email = guardian.contact?.email else { return nil }
            return ElectronicRecipient(name: guardian.name, email: email)
        }
    }

    /// Why nobody can receive `kind` electronically, in the mailroom's words.
    public func noElectronicRecipientReason(of kind: DocumentKind) -> String {
        if let addressee = addressee(of: kind), case .teamMember(let index, let role) = addressee.role {
            return "the \(role.wording) has no email address (careTeam[\(index)].contact.email)"
        }
        return "nobody consented to electronic delivery for record \(recordId ?? member.id) "
            + "(guardians[].electronicDelivery with contact.email)"
    }
}

extension TeamRole {
    /// The role in words, for messages ("CCM clinical manager").
    public var wording: String {
        switch self {
        case .ccmClinicalManager: "CCM clinical manager"
        default: rawValue.replacingOccurrences(of: "-", with: " ")
        }
    }
}
