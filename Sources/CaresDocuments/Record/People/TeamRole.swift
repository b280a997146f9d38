/// The part a care team member plays (`teamMember.role`).
public enum TeamRole: String, Codable, Sendable, CaseIterable {
    case programDirector = "program-director"
    case seniorCareManager = "senior-care-manager"
    case careCoordinator = "care-coordinator"
    case familySupport = "family-support"
    case pcp
    case specialist
    case dental
    case behavioralHealth = "behavioral-health"
    case school
    case earlyIntervention = "early-intervention"
    case ccmClinicalManager = "ccm-clinical-manager"
    case csnAgency = "csn-agency"
    case communityOrganization = "community-organization"
    case stateAgency = "state-agency"
    case other
}
