import CaresDocuments
import Crypto
import Foundation

/// What a record version asks for: one spec per obligation that applies to it.
public struct ObligationSpec: Sendable, Hashable {
    public var kind: ObligationKind
    /// Fixed qualifier (care-plan language, referral key); cycle kinds get theirs on import.
    public var qualifier: String?
    public var startDate: CalendarDate
    public var language: String?
    public var electronicRequired: Bool
}

/// Derives a record's obligations (REQUIREMENTS.md, "Deadlines the queue tracks").
public enum Derivation {
    /// The id the queue knows a record by: `recordId`, else `member.id`.
    public static func recordId(of record: CareRecord) -> String {
        record.recordId ?? record.member.id
    }

    /// Every obligation that applies to `record`.
    public static func specs(for record: CareRecord) -> [ObligationSpec] {
        var specs: [ObligationSpec] = []
        let letterLanguage = record.letterLanguage?.tag
        let consented = (record.guardians ?? []).contains { $0.electronicDelivery == true }
        let enrollment = record.enrollment
        if let effective = enrollment?.effectiveDate {
            specs.append(
                .init(
                    kind: .enrollmentLetter,
                    qualifier: nil,
                    startDate: effective,
                    language: letterLanguage,
                    electronicRequired: consented
                )
            )
            if record.member.enrolledInCCM == true {
                specs.append(
                    .init(
                        kind: .ccmNotice,
                        qualifier: nil,
                        startDate: effective,
                        language: "en",
                        electronicRequired: false
                    )
                )
            }
        }
        if let removal = record.removal {
            specs.append(
                .init(
                    kind: .terminationLetter,
                    qualifier: nil,
                    startDate: removal.date,
                    language: letterLanguage,
                    electronicRequired: false
                )
            )
            var seen: [String: Int] = [:]
            for referral in removal.referrals ?? [] {
                guard let start = referral.startDate else { continue }
                var key = referralKey(referral.name)
                seen[key, default: 0] += 1
                if seen[key]! > 1 { key += "-\(seen[key]!)" }
                specs.append(
                    .init(
                        kind: .referralFollowUp,
                        qualifier: key,
                        startDate: start,
                        language: nil,
                        electronicRequired: false
                    )
                )
            }
        }
        if let referral = enrollment?.referralDate {
            let primary = carePlanLanguage(of: record)
            specs.append(
                .init(
                    kind: .carePlan,
                    qualifier: "en",
                    startDate: referral,
                    language: "en",
                    electronicRequired: true
                )
            )
            if let primary, primary != "en" {
                specs.append(
                    .init(
                        kind: .carePlan,
                        qualifier: primary,
                        startDate: referral,
                        language: primary,
                        electronicRequired: true
                    )
                )
            }
        }
        if let approval = record.carePlanApproval, approval.method == .verbal, let date = approval.date,
            (approval.accommodationNeed ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        {
            specs.append(
                .init(
                    kind: .carePlanSignature,
                    qualifier: nil,
                    startDate: date,
                    language: nil,
                    electronicRequired: false
                )
            )
        }
        if let assessed = enrollment?.lastAssessmentDate {
            specs.append(
                .init(
                    kind: .reassessment,
                    qualifier: nil,
                    startDate: assessed,
                    language: nil,
                    electronicRequired: false
                )
            )
        }
        if let updated = enrollment?.lastCarePlanUpdate {
            specs.append(
                .init(
                    kind: .monitoring,
                    qualifier: nil,
                    startDate: updated,
                    language: nil,
                    electronicRequired: false
                )
            )
        }
        return specs
    }

    /// The ICP's second language: the member's primary language, or the receiving guardian's
    /// preferred language when it has one (normalized to a supported locale).
    static func carePlanLanguage(of record: CareRecord) -> String? {
        record.letterLanguage?.tag
    }

    /// A referral's key: 8 hex digits of SHA-256 of its name, so the id carries no PHI and stays
    /// the same when the referral's date changes.
    static func referralKey(_ name: String) -> String {
        let normalized = name.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return String(SHA256.hash(data: Data(normalized.utf8)).hexString.prefix(8))
    }

    /// Why an obligation of `kind` no longer applies to `record` (field paths only, no values).
    static func withdrawalReason(_ kind: ObligationKind, qualifier: String?, record: CareRecord) -> String {
        switch kind {
        case .enrollmentLetter: return "enrollment.effectiveDate removed from the record"
        case .ccmNotice:
            return record.enrollment?.effectiveDate == nil
                ? "enrollment.effectiveDate removed from the record" : "member.enrolledInCCM no longer true"
        case .terminationLetter: return "removal withdrawn from the record"
        case .referralFollowUp:
            return record.removal == nil
                ? "removal withdrawn from the record" : "referral no longer in removal.referrals (or has no startDate)"
        case .carePlan:
            if record.enrollment?.referralDate == nil { return "enrollment.referralDate removed from the record" }
            return "primary language changed (no \(qualifier ?? "") copy needed)"
        case .carePlanSignature:
            guard let approval = record.carePlanApproval else { return "carePlanApproval removed from the record" }
            if approval.method == .verbal {
                return approval.date == nil
                    ? "carePlanApproval.date removed" : "accommodation need documented for the verbal approval"
            }
            return "carePlanApproval.method is \(approval.method.rawValue)"
        case .reassessment: return "enrollment.lastAssessmentDate removed from the record"
        case .monitoring: return "enrollment.lastCarePlanUpdate removed from the record"
        }
    }
}

extension Sequence where Element == UInt8 {
    var hexString: String { lowercaseHex }
}

extension Digest {
    var hexString: String { lowercaseHex }
}

/// SHA-256 of bytes, lower-case hex.
public func sha256Hex(_ data: Data) -> String {
    SHA256.hash(data: data).hexString
}
