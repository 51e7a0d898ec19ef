import Testing

@testable import ReassureCore

/// Phone numbers and addresses are checked byte by byte when they are ASCII; the verdict must be
/// the one the Characters path gives, for awkward text as much as for plain.
@Suite struct FieldFormatsTests {
    /// Random text from the characters that decide the verdicts, with a few non-ASCII ones.
    static func samples(alphabet: [String], count: Int, maxLength: Int) -> [String] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in
            (0..<Int.random(in: 0...maxLength, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }.joined()
        }
    }

    @Test func byteChecksOfAddressesAgreeWithTheCharactersPath() {
        let alphabet = ["a", "b", "Z", "0", "9", "@", "@", ".", ".", "-", "_", "+", " ", "\t", "\r", "\n", "\r\n", ",", ";", "<", ">", "é", "\u{301}"]
        var samples = Self.samples(alphabet: alphabet, count: 20_000, maxLength: 24)
        // Shaped like addresses, so that many are valid and the rest fail one rule each.
        let parts = Self.samples(alphabet: ["a", "b", "c", "d", "0", "a", "b", "-", "_", ".", "é", " "], count: 15_000, maxLength: 6)
        samples += (0..<5_000).map { parts[$0 * 3] + "@" + parts[$0 * 3 + 1] + "." + parts[$0 * 3 + 2] }
        samples += ["amina@example.org", "a@b.co", "a@b.c", "@b.co", "a@@b.co", "a@-b.co", "a@b-.co", "a@.co", "a@b.co.",
                    String(repeating: "x", count: 64) + "@b.co", String(repeating: "x", count: 65) + "@b.co",
                    "a@" + String(repeating: "y", count: 63) + ".co", "a@" + String(repeating: "y", count: 64) + ".co",
                    "a@" + String(repeating: "b.", count: 125) + "co", "a@" + String(repeating: "b.", count: 126) + "co"]
        var valid = 0
        for sample in samples {
            guard let fast = FieldFormats.asciiEmailIsValid(sample) else { continue }
            let general = FieldFormats.characterEmailProblem(sample) == nil
            #expect(fast == general, "\(sample.debugDescription)")
            if general { valid += 1 }
        }
        #expect(valid > 50)
    }

    @Test func byteChecksOfPhoneNumbersAgreeWithTheCharactersPath() {
        let alphabet = ["+", "0", "1", "2", "7", "9", " ", "-", "a", "٣", "\u{301}"]
        var samples = Self.samples(alphabet: alphabet, count: 20_000, maxLength: 18)
        // Shaped like numbers, so that many are valid.
        samples += Self.samples(alphabet: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0", " ", "٣"], count: 5_000, maxLength: 17).map { "+" + $0 }
        samples += ["+27821234567", "+1234567", "+123456", "+123456789012345", "+1234567890123456", "+0123456789", "27821234567"]
        var valid = 0
        for sample in samples {
            let general = FieldFormats.characterE164Problem(sample) == nil
            #expect(FieldFormats.asciiE164IsValid(sample) == general, "\(sample.debugDescription)")
            #expect((FieldFormats.e164Problem(sample) == nil) == general)
            if general { valid += 1 }
        }
        #expect(valid > 100)
    }
}
