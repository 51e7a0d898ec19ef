import Foundation
import PropertyBased
import Testing

@testable import ReassureCore

@Suite struct LanguageResolverTests {
    @Test func portugueseFromMozambiqueFallsBackThroughPortugalToPortuguese() {
        #expect(LanguageResolver.fallbacks(of: "pt-MZ").prefix(2) == ["pt-MZ", "pt-PT"])
        #expect(LanguageResolver.resolve(victimLanguages: ["pt-MZ"], available: ["en", "pt"]) == .language("pt"))
        #expect(LanguageResolver.resolve(victimLanguages: ["pt-MZ"], available: ["pt", "pt-PT"]) == .language("pt-PT"))
    }

    @Test func mexicanSpanishFallsBackThroughLatinAmerica() {
        #expect(LanguageResolver.fallbacks(of: "es-MX") == ["es-MX", "es-419", "es"])
        #expect(LanguageResolver.resolve(victimLanguages: ["es-MX"], available: ["es-419", "es"]) == .language("es-419"))
    }

    @Test func theVictimsOrderDecides() {
        #expect(LanguageResolver.resolve(victimLanguages: ["so", "en"], available: ["en", "so"]) == .language("so"))
        #expect(LanguageResolver.resolve(victimLanguages: ["ti", "en"], available: ["en", "so"]) == .language("en"))
    }

    @Test func noMatchNeedsAnInterpreterForTheFirstLanguage() {
        #expect(LanguageResolver.resolve(victimLanguages: ["ti", "om"], available: ["en", "so"]) == .needsInterpreter(firstLanguage: "ti"))
    }

    @Test func neverALanguageTheVictimDidNotList() async {
        let pool = ["en", "so", "am", "ar", "pt", "pt-MZ", "pt-PT", "es", "es-MX", "es-419", "fr", "fr-CA", "sw", "sw-KE", "zu", "ti", "om", "zh-Hant-HK", "zh", "sr-Latn-RS"]
        let available = shippedCatalog.availableLanguages
        await propertyCheck(count: 500, input: Gen.int(in: 0..<pool.count).array(of: 1...4)) { indices in
            let victim = indices.map { pool[$0] }
            switch LanguageResolver.resolve(victimLanguages: victim, available: available) {
            case .language(let chosen):
                let primaries = Set(victim.map { $0.split(separator: "-")[0].lowercased() })
                #expect(primaries.contains(chosen.split(separator: "-")[0].lowercased()), "\(chosen) for \(victim)")
                #expect(available.contains(chosen))
            case .needsInterpreter(let first):
                #expect(first == victim[0])
                #expect(victim.allSatisfy { tag in !available.contains { $0.lowercased() == tag.split(separator: "-")[0].lowercased() } })
            }
        }
    }
}
