import ReassureCore
import ReassureGateways
import Testing

@Suite struct SenderDirectoryTests {
    @Test func discreetWordingNamesNeitherPoliceNorCrime() {
        #expect(NeutralWording.problems(in: "Wellbeing Team").isEmpty)
        #expect(NeutralWording.problems(in: "SAPS Victim Support") == ["saps", "victim"])
        #expect(NeutralWording.problems(in: "Hate-crime unit") == ["crime", "hate"])
        #expect(NeutralWording.problems(in: "Showcase Courtyard Copenhagen").isEmpty, "whole words, or stems at a word's start")
        #expect(NeutralWording.problems(in: "Investigations Desk") == ["investigat"])
    }

    @Test func theBuiltInDirectoryIsValid() {
        #expect(SenderDirectory.builtIn.problems().isEmpty)
    }

    @Test func aUnitGetsItsOwnSenderAndTheDiscreetOneWhenFlagged() {
        var directory = SenderDirectory.builtIn
        let unit = UnitSenders(
            standard: SenderIdentity(smsSenderID: "PTA VSU", emailFrom: "vsu@pta.example.org", emailName: "Pretoria VSU"),
            discreet: SenderIdentity(smsSenderID: "+27123456789", emailFrom: "care@pta.example.org", emailName: "Care Line"))
        directory.units["pretoria-central-vsu"] = unit
        #expect(directory.identity(unit: "pretoria-central-vsu", discreet: false).sender(for: .sms) == "PTA VSU")
        #expect(directory.identity(unit: "pretoria-central-vsu", discreet: true).sender(for: .email) == "Care Line <care@pta.example.org>")
        #expect(directory.identity(unit: "elsewhere", discreet: true) == SenderDirectory.builtIn.default.discreet)
    }

    @Test func aDiscreetSenderThatMentionsThePoliceIsRefusedAtStart() {
        var directory = SenderDirectory.builtIn
        directory.units["u"] = UnitSenders(
            standard: SenderIdentity(smsSenderID: "Police VSU", emailFrom: "vsu@example.org", emailName: "Police Victim Support"),
            discreet: SenderIdentity(smsSenderID: "SAPSCare", emailFrom: "care@example.org", emailName: "Robbery follow-up"))
        let problems = directory.problems()
        #expect(problems.count == 2, "the standard sender may say who it is; the discreet one may not")
        #expect(problems.allSatisfy { problem in problem.hasPrefix("units.u.discreet") })
    }

    @Test func senderIDsFollowTheSMSRules() {
        var directory = SenderDirectory.builtIn
        directory.default.standard.smsSenderID = "VictimSupport1"  // 14 characters
        #expect(directory.problems().contains { problem in problem.contains("sms_sender_id") })
    }
}
