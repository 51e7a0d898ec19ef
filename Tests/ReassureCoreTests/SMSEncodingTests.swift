import Testing

@testable import ReassureCore

@Suite struct SMSEncodingTests {
    /// Reference counts (GSM 03.38 / 3GPP TS 23.040 concatenation limits).
    @Test(arguments: [
        ("", SMSEncoding.gsm7, 0, 1),
        (String(repeating: "a", count: 160), .gsm7, 160, 1),
        (String(repeating: "a", count: 161), .gsm7, 161, 2),
        (String(repeating: "a", count: 306), .gsm7, 306, 2),
        (String(repeating: "a", count: 307), .gsm7, 307, 3),
        (String(repeating: "€", count: 80), .gsm7, 160, 1),
        (String(repeating: "€", count: 81), .gsm7, 162, 2),
        (String(repeating: "a", count: 152) + "€" + String(repeating: "a", count: 10), .gsm7, 164, 2),
        (String(repeating: "é", count: 160), .gsm7, 160, 1),
        (String(repeating: "ç", count: 70), .ucs2, 70, 1),
        (String(repeating: "ç", count: 71), .ucs2, 71, 2),
        (String(repeating: "ç", count: 134), .ucs2, 134, 2),
        (String(repeating: "ç", count: 135), .ucs2, 135, 3),
        (String(repeating: "😀", count: 35), .ucs2, 70, 1),
        (String(repeating: "😀", count: 36), .ucs2, 72, 2),
        ("a" + String(repeating: "😀", count: 33) + "b", .ucs2, 68, 1),
    ])
    func segmentCountsMatchTheReferenceTable(_ text: String, _ encoding: SMSEncoding, _ units: Int, _ segments: Int) {
        let count = SMSEncoding.count(text)
        #expect(count.encoding == encoding)
        #expect(count.units == units)
        #expect(count.segments == segments)
    }

    @Test func aSurrogatePairIsNeverSplitAcrossParts() {
        // 66 units then an emoji (2 units): the emoji cannot start in part one's last unit.
        let text = String(repeating: "ç", count: 66) + "😀" + String(repeating: "ç", count: 10)
        #expect(SMSEncoding.count(text).segments == 2)
        // 134 units would fit two parts of 67 if the pair could be split; it cannot, so three.
        let tight = String(repeating: "ç", count: 66) + "😀" + String(repeating: "ç", count: 66)
        #expect(SMSEncoding.count(tight).units == 134)
        #expect(SMSEncoding.count(tight).segments == 3)
    }

    @Test func smartPunctuationBecomesGSMWithoutChangingMeaning() {
        let text = "It\u{2019}s \u{201C}fine\u{201D} \u{2013} really\u{2026}"
        #expect(SMSEncoding.count(text).encoding == .ucs2)
        let normalised = SMSEncoding.normalisedForGSM(text)
        #expect(normalised == "It's \"fine\" - really...")
        #expect(SMSEncoding.count(normalised).encoding == .gsm7)
    }

    @Test func numbersInRightToLeftTextAreIsolated() throws {
        let message = try TemplateRenderer.render(shippedCatalog, language: "ar", stage: .acknowledgement, channel: .sms,
                                                  context: .longestExpected)
        #expect(message.body.contains("\u{2068}CAS 1234/11/2026\u{2069}"))
        #expect(message.body.contains("\u{2068}+27123456789\u{2069}"))
        let english = try TemplateRenderer.render(shippedCatalog, language: "en", stage: .acknowledgement, channel: .sms,
                                                  context: .longestExpected)
        #expect(!english.body.contains("\u{2068}"))
    }
}

@Suite struct SMSEncodingEdgeTests {
    /// The scalar fast path must agree with counting by Character where the two differ in shape.
    @Test func decomposedLettersAndCRLFCountAsTheirCharacters() {
        let decomposed = String(repeating: "e\u{0301}", count: 160)
        #expect(SMSEncoding.count(decomposed) == SMSEncoding.Count(encoding: .gsm7, units: 160, segments: 1))
        let crlf = String(repeating: "a", count: 152) + "\r\n" + String(repeating: "a", count: 10)
        #expect(SMSEncoding.count(crlf) == SMSEncoding.Count(encoding: .gsm7, units: 164, segments: 2))
        #expect(SMSEncoding.count("ሰላም hello").encoding == .ucs2)
    }
}
