import Foundation
import Testing

@testable import CaresDocuments

/// Who letters go to, and in which language.
@Suite struct RecipientTests {
    private let address = Address(line1: "1 Main St", city: "Lynn", state: "MA", postalCode: "01902")

    private func member(language: String = "es") throws -> Member {
        Member(
            id: "1",
            firstName: "Ana",
            lastName: "Lima",
            dateOfBirth: try #require(CalendarDate("2016-02-29")),
            primaryLanguage: language,
            address: Address(line1: "9 Elm St", city: "Lynn", state: "MA", postalCode: "01905")
        )
    }

    @Test func theGuardianWhoReceivesMail() throws {
        let second = Guardian(name: "Second", relationship: .father, preferredLanguage: "vi", receivesMail: true)
        let record = CareRecord(
            member: try member(),
            guardians: [
                Guardian(name: "First", relationship: .mother, contact: Contact(address: address)), second,
            ]
        )
        #expect(record.letterRecipient == .guardian(second))
        #expect(record.letterRecipient.mailingAddress == nil, "receivesMail wins even without an address")
        #expect(record.letterLanguage == .vietnamese)
    }

    @Test func elseTheFirstGuardianWithAnAddress() throws {
        let withAddress = Guardian(
            name: "Has address",
            relationship: .grandparent,
            contact: Contact(address: address),
            receivesMail: false
        )
        let record = CareRecord(
            member: try member(language: "km"),
            guardians: [
                Guardian(name: "No address", relationship: .mother, contact: Contact(phone: "(781) 555-0100")),
                withAddress,
                Guardian(name: "Also address", relationship: .father, contact: Contact(address: address)),
            ]
        )
        #expect(record.letterRecipient == .guardian(withAddress))
        #expect(record.letterRecipient.mailingAddress == address)
        #expect(record.letterLanguage == .khmer, "no preferredLanguage: the member's primary language")
    }

    @Test func elseTheMember() throws {
        let record = CareRecord(
            member: try member(language: "pt"),
            guardians: [Guardian(name: "G", relationship: .other, preferredLanguage: "ar")]
        )
        #expect(record.letterRecipient == .member(record.member))
        #expect(record.letterRecipient.mailingAddress == record.member.address)
        #expect(record.letterRecipient.preferredLanguage == "pt")
        #expect(
            record.letterLanguage == .brazilianPortuguese,
            "normalized; the guardian without mail or address does not count"
        )
        #expect(CareRecord(member: try member()).letterRecipient == .member(try member()))
    }

    @Test func languageAliasesAreNormalized() throws {
        let record = CareRecord(
            member: try member(),
            guardians: [
                Guardian(name: "G", relationship: .mother, preferredLanguage: "zh-TW", receivesMail: true)
            ]
        )
        #expect(record.letterLanguage == .traditionalChinese)
    }

    @Test func anUnsupportedLanguageFallsBackToTheMembersOrNil() throws {
        let guardian = Guardian(name: "G", relationship: .mother, preferredLanguage: "de", receivesMail: true)
        #expect(CareRecord(member: try member(language: "fr"), guardians: [guardian]).letterLanguage == .french)
        #expect(CareRecord(member: try member(language: "de")).letterLanguage == nil)
    }

    @Test func theExamples() throws {
        let rivera = try Fixtures.load(Fixtures.example("rivera-enrollment.json"))
        guard case .guardian(let lucia) = rivera.letterRecipient else {
            Issue.record("expected a guardian")
            return
        }
        #expect(lucia.name == "Lucía Ortiz Peña")
        #expect(rivera.letterLanguage == .spanish)

        let haddad = try Fixtures.load(Fixtures.example("haddad-removal.json"))
        #expect(haddad.letterRecipient.mailingAddress?.line1 == "88 Union Street")
        #expect(haddad.letterLanguage == .arabic)

        let multilingual = try Fixtures.load(Fixtures.record("multilingual-names.json"))
        #expect(multilingual.letterRecipient == .guardian(try #require(multilingual.guardians?.last)))
        #expect(multilingual.letterLanguage == .french, "fr-CA")
    }
}

/// `CareRecord.addressee(of:)`: the one decision of who a document goes to and where.
@Suite struct AddresseeTests {
    @Test func theCCMNoticeGoesToTheCCMClinicalManager() throws {
        let record = try DocTest.complete()
        let index = try #require(record.careTeam?.firstIndex { $0.role == .ccmClinicalManager })
        let manager = try #require(record.careTeam?[index])
        let addressee = try #require(record.addressee(of: .ccmNotice))
        #expect(addressee.name == manager.name)
        #expect(addressee.address == manager.contact?.address)
        #expect(addressee.role == .teamMember(index: index, role: .ccmClinicalManager))
        // The family's letters go to the letter recipient.
        let family = try #require(record.addressee(of: .enrollmentLetter))
        #expect(family.name != manager.name)
        if case .guardian(let guardian) = record.letterRecipient { #expect(family.name == guardian.name) }
    }

    @Test func aManagerWithoutAnAddressIsNamedInTheReason() throws {
        var record = try DocTest.complete()
        let index = try #require(record.careTeam?.firstIndex { $0.role == .ccmClinicalManager })
        record.careTeam?[index].contact?.address = nil
        let addressee = try #require(record.addressee(of: .ccmNotice))
        #expect(addressee.address == nil)
        #expect(
            addressee.missingAddressReason
                == "needs a mailing address for the CCM clinical manager (careTeam[\(index)].contact.address)"
        )
    }

    @Test func theWindowShowsWhatTheAddresseeSays() throws {
        for record in [try DocTest.rivera(), try DocTest.complete()] {
            for kind in [DocumentKind.enrollmentLetter, .ccmNotice] {
                guard let addressee = record.addressee(of: kind), addressee.address != nil,
                    Requirements.check(kind, record).isEmpty
                else { continue }
                let text = try DocTest.render(kind, record).pages[0]
                for line in addressee.windowLines() {
                    #expect(text.contains(line), "\(kind.rawValue): the window lacks \(line)")
                }
            }
        }
    }
}
