import Foundation
import Testing

@testable import ReassureStore

/// Values sealed many at once (the outbox's path) open like values sealed one by one, and each
/// gets its own nonce: a repeated AES-GCM nonce under one key would leak the plaintexts.
@Suite struct DataProtectorTests {
    static let protector = try! DataProtector(keys: [Array(repeating: 7, count: 32), Array(repeating: 9, count: 32)])

    @Test func aBatchOpensToWhatWasSealedEachUnderItsOwnNonce() throws {
        let values = (0..<300).map { Array("{\"id\":\"evt-\($0)\",\"given_name\":\"Amina ü\"}".utf8) } + [[]]
        let sealed = try Self.protector.encrypt(batch: values)
        #expect(sealed.count == values.count)
        for (value, box) in zip(values, sealed) {
            #expect(try Self.protector.decrypt(box) == String(decoding: value, as: UTF8.self))
            #expect(DataProtector.keyID(of: box) == Self.protector.currentKeyID)
        }
        // Key id (8 bytes), then the nonce (12).
        let nonces = Set(sealed.map { Array($0[8..<20]) })
        #expect(nonces.count == sealed.count, "no nonce repeats")
        #expect(try Self.protector.encrypt(batch: []).isEmpty)
    }

    @Test func aBatchValueIsLaidOutAsASingleOne() throws {
        let single = try #require(try Self.protector.encrypt("same text"))
        let batch = try Self.protector.encrypt(batch: [Array("same text".utf8)])[0]
        #expect(batch.count == single.count)
        #expect(batch.prefix(8) == single.prefix(8))
    }
}
