/// Why assignment to the CARES provider ends (`removal.reason`).
public enum RemovalReason: String, Codable, Sendable, CaseIterable {
    case noLongerEligibleForCares = "no-longer-eligible-for-cares"
    case conditionsNoLongerNeedManagement = "conditions-no-longer-need-management"
    case goalsMetAndStable = "goals-met-and-stable"
    case needsMetWithoutCares = "needs-met-without-cares"
    case familyNoLongerInterested = "family-no-longer-interested"
    case noLongerEligibleForMasshealth = "no-longer-eligible-for-masshealth"
    case movedOutOfState = "moved-out-of-state"
    case memberChoseUnassignment = "member-chose-unassignment"
    case agedOut = "aged-out"
    case other
}
