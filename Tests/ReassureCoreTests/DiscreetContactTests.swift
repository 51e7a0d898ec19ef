import Foundation
import Testing

@testable import ReassureCore

/// Victims flagged `discreet_contact` may share a phone or inbox with someone who must not learn
/// that the police are involved: what they receive names neither the police nor a crime nor a case.
@Suite struct DiscreetContactTests {
    func discreetEvent(languages: [String]) -> [String: Any] {
        var object = reportedEvent(languages: languages)
        var victim = object["victim"] as! [String: Any]
        victim["discreet_contact"] = true
        object["victim"] = victim
        return object
    }

    func plan(_ object: [String: Any], policy: ContactPolicy = ContactPolicy()) throws -> ContactPlan {
        let event = try decodedEvent(object)
        return ContactPlanner(policy: policy, catalog: shippedCatalog).plan(for: event, now: event.occurredAt)
    }

    @Test func theFlagIsReadFromTheEventAndMustBeABoolean() throws {
        #expect(try decodedEvent(discreetEvent(languages: ["en"])).victim?.isDiscreet == true)
        #expect(try decodedEvent(reportedEvent()).victim?.isDiscreet == false, "absent means an ordinary contact")
        var object = discreetEvent(languages: ["en"])
        var victim = object["victim"] as! [String: Any]
        victim["discreet_contact"] = "yes"
        object["victim"] = victim
        let found = try problems(object)
        #expect(found.map(\.path) == ["victim.discreet_contact"])
        #expect(found.first?.problem == "must be true or false, not string")
    }

    @Test func everyDiscreetMessageIsNeutralAndQuotesNoCaseReference() throws {
        var policy = ContactPolicy()
        policy.defaultDiscreetSender = "Care Line"
        let event = try decodedEvent(discreetEvent(languages: ["en"]))
        let planner = ContactPlanner(policy: policy, catalog: shippedCatalog)
        let context = try #require(planner.context(for: event))
        #expect(context.sender == "Care Line")
        for stage in ContactStage.allCases {
            for channel in Channel.allCases {
                let message = try TemplateRenderer.render(shippedCatalog, language: "en", stage: stage, channel: channel,
                                                          context: context, discreet: true)
                let everything = [message.body, message.subject ?? "", message.html ?? ""].joined(separator: "\n")
                #expect(!everything.contains("CAS 123/11/2026"), "\(stage.rawValue)/\(channel.rawValue) quotes the case reference")
                #expect(NeutralWording.problems(in: everything).isEmpty, "\(stage.rawValue)/\(channel.rawValue): \(NeutralWording.problems(in: everything))")
                #expect(message.body.hasPrefix("Care Line"))
            }
        }
        // The same victim without the flag hears from the unit by name, about the case.
        let ordinary = try decodedEvent(reportedEvent(languages: ["en"]))
        let standard = try TemplateRenderer.render(shippedCatalog, language: "en", stage: .checkIn, channel: .sms,
                                                   context: try #require(planner.context(for: ordinary)))
        #expect(standard.body.contains("CAS 123/11/2026") && standard.body.hasPrefix("Victim Support"))
    }

    @Test func aDiscreetVictimIsWrittenToInTheFirstOfTheirLanguagesWithNeutralWording() throws {
        // Somali has no neutral wording yet; Portuguese has.
        let discreet = try plan(discreetEvent(languages: ["so", "pt"]))
        #expect(discreet.tasks.isEmpty)
        #expect(!discreet.contacts.isEmpty && discreet.contacts.allSatisfy { $0.language == "pt" })
        let ordinary = try plan(reportedEvent(languages: ["so", "pt"]))
        #expect(ordinary.contacts.allSatisfy { $0.language == "so" })
    }

    @Test func withoutNeutralWordingInAnyOfTheirLanguagesAPersonMakesContact() throws {
        let result = try plan(discreetEvent(languages: ["so", "am"]))
        #expect(result.contacts.isEmpty, "no message in wording that could expose them")
        #expect(result.tasks.map(\.kind) == [.personalContactRequired])
        #expect(result.tasks.first?.reason.contains("discreet") == true)
        #expect(result.tasks.first?.language == "so")
    }

    @Test func theLinterRefusesDiscreetWordingThatNamesThePoliceOrTheCase() throws {
        var language = try #require(shippedCatalog.languages["en"])
        var checkIn = try #require(language.discreetStages[.checkIn])
        checkIn.sms = "{{sender}}: the police are checking in about {{case_reference}}. Call {{callback_number}}. Support: {{support_line}}. Emergency: {{emergency_number}}."
        language.discreetStages[.checkIn] = checkIn
        language.discreetStages[.closing] = nil
        let report = TemplateLinter.check(TemplateCatalog(languages: [language]))
        let errors = report.errors.map { "\($0.location): \($0.message)" }
        #expect(errors.contains { $0.hasPrefix("discreet_stages.check_in.sms: {{case_reference}}") })
        #expect(errors.contains("discreet_stages.check_in.sms: must be neutral for discreet contact; it says: police"))
        #expect(errors.contains("discreet_stages.closing: missing stage"))
        #expect(TemplateLinter.check(TemplateCatalog(languages: [try #require(shippedCatalog.languages["en"])])).errors.isEmpty)
    }

    @Test func aDiscreetSenderNameThatNamesThePoliceIsRefused() throws {
        let refused = """
            policy:
              units:
                pretoria-central-vsu:
                  sender_discreet: SAPS Care Line
            """
        #expect(throws: ConfigurationError.self) { try ContactPolicyLoader.parse(yaml: refused) }
        do {
            _ = try ContactPolicyLoader.parse(yaml: refused)
        } catch {
            #expect("\(error)".contains("policy.units.pretoria-central-vsu.sender_discreet must be neutral for discreet contact; it says: saps"))
        }
        let accepted = try ContactPolicyLoader.parse(yaml: "policy:\n  sender_discreet: Care Line\n")
        #expect(accepted.defaultDiscreetSender == "Care Line")
    }
}
