import Foundation
import Mustache
import Testing

@testable import ReassureCore

@Suite struct TemplateTests {
    static let languages = ["en", "af", "zu", "xh", "st", "nso", "tn", "sn", "nd", "ny", "pt", "fr", "sw", "so", "am", "ar", "es", "bn", "ur", "vi"]

    @Test func theShippedCatalogHasEveryRequiredLanguageAndNoErrors() {
        #expect(shippedCatalog.availableLanguages == Set(Self.languages))
        let report = TemplateLinter.check(shippedCatalog)
        #expect(report.errors.isEmpty, "\(report.errors)")
    }

    @Test(arguments: languages)
    func everyStageRendersOnEveryChannelWithinLimits(_ language: String) throws {
        for stage in ContactStage.allCases {
            let sms = try TemplateRenderer.render(shippedCatalog, language: language, stage: stage, channel: .sms, context: .longestExpected)
            #expect(sms.segments <= 3, "\(language) \(stage) is \(sms.segments) parts")
            #expect(!sms.body.contains("{{"), "\(language) \(stage) left a placeholder")
            for required in ["CAS 1234/11/2026", "+27123456789", "+27800123456", "10111", "Victim Support Pretoria Central"] {
                #expect(sms.body.contains(required), "\(language) \(stage) SMS lacks \(required)")
            }
            let email = try TemplateRenderer.render(shippedCatalog, language: language, stage: stage, channel: .email, context: .longestExpected)
            #expect(email.subject?.isEmpty == false)
            #expect(email.body.contains("10111") && email.body.contains("+27800123456"))
            #expect(email.html?.contains("<p>") == true)
        }
    }

    /// The fast path must say exactly what swift-mustache says, for every shipped text, with
    /// and without a given name, left-to-right and right-to-left (isolated) values.
    @Test func plainTemplatesRenderExactlyAsSwiftMustacheDoes() throws {
        let contexts = [MessageContext.longestExpected, MessageContext(sender: "Unit & \"Co\" <x>", caseReference: "CAS {{1}}",
                                                                         callbackNumber: "+2712", supportLine: "", emergencyNumber: "10111")]
        var checked = 0
        for language in shippedCatalog.languages.values {
            for texts in Array(language.stages.values) + Array(language.discreetStages.values) {
                for text in [texts.sms, texts.subject, texts.email] {
                    let plain = try #require(PlainTemplate(text), "a shipped text is not plain: \(text)")
                    for context in contexts {
                        for rightToLeft in [false, true] {
                            let values = context.values(rightToLeft: rightToLeft)
                            let mustache = try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + text).render(values)
                            #expect(plain.render(values) == mustache, "\(language.tag): \(text)")
                            checked += 1
                        }
                    }
                }
            }
        }
        #expect(checked > 1_000)
    }

    @Test func anythingButPlainPlaceholdersIsLeftToSwiftMustache() throws {
        for text in ["{{#given_name}}Dear {{given_name}}{{/given_name}}", "{{^given_name}}Hello{{/given_name}}", "{{{sender}}}",
                     "{{ sender }}", "{{! note}}", "{{> partial}}", "{{sender", "{{Sender}}", "{{&sender}}"] {
            #expect(PlainTemplate(text) == nil, "\(text)")
        }
        let values = ["given_name": "Amina", "sender": "Unit"]
        let rendered = try TemplateRenderer.fill("{{#given_name}}Dear {{given_name}}, {{/given_name}}{{sender}} here", values, "x.yaml", "f")
        #expect(rendered == "Dear Amina, Unit here")
        #expect(try TemplateRenderer.fill("Hello {{given_name}}. {{sender}}", [:], "x.yaml", "f") == "Hello . ")
    }

    @Test func nonEnglishCatalogsAwaitReviewUntilAQualifiedTranslatorSignsThem() {
        for (tag, language) in shippedCatalog.languages where tag != "en" {
            #expect(language.reviewedBy == nil, "\(tag) claims a review")
        }
    }

    @Test func messagesNeverNameTheOffence() throws {
        #expect(!MessageContext.placeholders.contains("category"))
        let plan = ContactPlanner(policy: ContactPolicy(), catalog: shippedCatalog)
            .plan(for: try decodedEvent(reportedEvent(category: "business_robbery")), now: Date(timeIntervalSince1970: 0))
        #expect(!plan.contacts.isEmpty)
        for language in Self.languages {
            for stage in ContactStage.allCases {
                let body = try TemplateRenderer.render(shippedCatalog, language: language, stage: stage, channel: .sms, context: .longestExpected).body
                #expect(!body.lowercased().contains("robbery") && !body.lowercased().contains("assault"))
            }
        }
    }

    @Test func htmlEmailsEscapeValues() throws {
        var context = MessageContext.longestExpected
        context.sender = "<script>Unit</script>"
        let email = try TemplateRenderer.render(shippedCatalog, language: "en", stage: .closing, channel: .email, context: context)
        #expect(email.html?.contains("<script>") == false)
        #expect(email.html?.contains("&lt;script&gt;") == true)
        #expect(email.body.contains("<script>Unit</script>"), "plain text is not HTML-escaped")
    }

    @Test func theLinterFailsPreciselyOnABrokenCatalog() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("broken-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let long = String(repeating: "word ", count: 120)
        let yaml = """
            language: xx
            version: "1"
            reviewed_by: null
            stages:
              acknowledgement:
                subject: "s"
                sms: "{{sender}} {{case_reference}} {{callback_number}} {{support_line}} {{emergency_number}} {{offence}}"
                email: "{{sender}} {{case_reference}} {{callback_number}} {{support_line}} {{emergency_number}}"
              check_in:
                subject: "s"
                sms: "{{sender}} {{case_reference}} {{callback_number}} {{emergency_number}} \(long)"
                email: "{{sender}} {{case_reference}} {{callback_number}} {{support_line}} {{emergency_number}}"
            """
        try yaml.write(to: directory.appendingPathComponent("xx.yaml"), atomically: true, encoding: .utf8)
        let report = TemplateLinter.check(try TemplateCatalog.load(directory: directory))
        let messages = report.errors.map(\.description)
        #expect(messages.contains("error: xx.yaml stages.acknowledgement.sms: unknown placeholder {{offence}}"))
        #expect(messages.contains("error: xx.yaml stages.check_in.sms: missing placeholder {{support_line}}"))
        #expect(messages.contains { $0.hasPrefix("error: xx.yaml stages.check_in.sms: 5 SMS parts") })
        #expect(messages.contains("error: xx.yaml stages.update: missing stage"))
        #expect(report.errors.count == 7, "\(messages)")
    }

    @Test func aCatalogFileWithoutReviewedByIsRefused() {
        #expect(throws: TemplateError(file: "yy.yaml", problem: "reviewed_by: is required (null while awaiting review by a qualified translator)")) {
            try TemplateCatalog.parse(yaml: "language: yy\nversion: \"1\"\nstages: {}\n", file: "yy.yaml")
        }
    }
}
