import Testing

@testable import ReassureCore

@Suite struct HexTests {
    @Test func bytesBecomeTwoLowerCaseDigitsEach() {
        #expect(Hex.string([0x00, 0x0f, 0xa5, 0xff]) == "000fa5ff")
        #expect(Hex.string([UInt8]()) == "")
        #expect(Hex.string([0xa5], uppercase: true) == "A5")
    }

    @Test func digitsReadBackInEitherCaseAndAnythingElseIsRefused() {
        #expect(Hex.bytes("000fA5ff") == [0x00, 0x0f, 0xa5, 0xff])
        #expect(Hex.bytes("") == [])
        #expect(Hex.bytes("abc") == nil)
        #expect(Hex.bytes("+f") == nil)
        #expect(Hex.bytes("zz") == nil)
    }
}
