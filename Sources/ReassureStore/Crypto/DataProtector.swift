import Crypto
import Foundation
import ReassureCore

/// Encrypts personal data at rest (AES-GCM) and computes the keyed blind index used to find a
/// victim by phone number without storing it in clear.
///
/// Each ciphertext starts with its key id, so `reassure keys rotate` can re-encrypt values under
/// the current key while older keys still decrypt.
public struct DataProtector: Sendable {
    /// Raw bytes (swift-crypto's `SymmetricKey` is not `Sendable`); keys are rebuilt per use.
    struct Key: Sendable {
        let id: String
        let bytes: [UInt8]
        var key: SymmetricKey { SymmetricKey(data: bytes) }
    }

    private let keys: [Key]
    private let indexKeyBytes: [UInt8]

    /// The first key encrypts; all of them decrypt. Keys are 32 random bytes.
    public init(keys: [[UInt8]]) throws {
        guard !keys.isEmpty else { throw StoreError(.missingKey, "no data key given") }
        self.keys = try keys.map { bytes in
            guard bytes.count == 32 else {
                throw StoreError(.badKey, "a data key must be 32 bytes (base64 of 32 random bytes); create one with: head -c 32 /dev/urandom | base64")
            }
            let digest = SHA256.hash(data: bytes)
            return Key(id: Hex.string(digest.prefix(4)), bytes: bytes)
        }
        indexKeyBytes = HKDF<SHA256>.deriveKey(inputKeyMaterial: self.keys[0].key, info: Data("reassure-blind-index".utf8), outputByteCount: 32)
            .withUnsafeBytes { Array($0) }
    }

    /// Keys from `REASSURE_DATA_KEY` (base64, several separated by commas, current first) or
    /// `REASSURE_DATA_KEY_FILE` (the same, one per line). Without either: `.missingKey`.
    public static func fromEnvironment(_ environment: [String: String]) throws -> DataProtector {
        var text = environment["REASSURE_DATA_KEY"] ?? ""
        if text.isEmpty, let path = environment["REASSURE_DATA_KEY_FILE"], !path.isEmpty {
            guard let contents = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw StoreError(.missingKey, "REASSURE_DATA_KEY_FILE names \(path), which cannot be read")
            }
            text = contents
        }
        let parts = text.split(whereSeparator: { $0 == "," || $0 == "\n" }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !parts.isEmpty else {
            throw StoreError(.missingKey, "no data key: set REASSURE_DATA_KEY or REASSURE_DATA_KEY_FILE to the base64 of 32 random bytes (head -c 32 /dev/urandom | base64); personal data is never stored unencrypted")
        }
        return try DataProtector(keys: parts.map { part in
            guard let data = Data(base64Encoded: part) else { throw StoreError(.badKey, "a data key is not valid base64") }
            return [UInt8](data)
        })
    }

    /// Writes a new random key to `path` (mode 600) for local development, and says so.
    public static func createDevelopmentKeyFile(at path: String) throws -> String {
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255, using: &generator) }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: path, contents: Data((Data(bytes).base64EncodedString() + "\n").utf8),
                                       attributes: [.posixPermissions: 0o600])
        return "created a development data key at \(path) (keep it safe: without it the personal data in the store cannot be read)"
    }

    public var currentKeyID: String { keys[0].id }

    public func encrypt(_ text: String?) throws -> [UInt8]? {
        guard let text else { return nil }
        return try encrypt(batch: [Array(text.utf8)])[0]
    }

    /// Encrypts many values, each under a random nonce of its own, all the nonces from one read of
    /// the system's random source (a read per value was a third of sealing in `bench ingest`).
    /// Each result is the key id, then AES-GCM's combined nonce, ciphertext and tag.
    public func encrypt(batch values: [[UInt8]]) throws -> [[UInt8]] {
        guard !values.isEmpty else { return [] }
        let key = keys[0].key
        let prefix = Array(keys[0].id.utf8)
        let nonceSize = 12
        var nonces = [UInt8](repeating: 0, count: nonceSize * values.count)
        Self.fillRandom(&nonces)
        return try values.indices.map { index in
            let nonce = try AES.GCM.Nonce(data: nonces[index * nonceSize..<(index + 1) * nonceSize])
            guard let combined = try AES.GCM.seal(values[index], using: key, nonce: nonce).combined else {
                throw StoreError(.badKey, "encryption failed")
            }
            var sealed = prefix
            sealed.reserveCapacity(prefix.count + combined.count)
            sealed.append(contentsOf: combined)
            return sealed
        }
    }

    /// Fills `bytes` from the kernel's random source (glibc's `arc4random_buf` reads `getrandom`,
    /// where swift-crypto's own nonces come from too).
    static func fillRandom(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { buffer in arc4random_buf(buffer.baseAddress!, buffer.count) }
    }

    public func decrypt(_ bytes: [UInt8]?) throws -> String? {
        guard let bytes else { return nil }
        guard bytes.count > 8 else { throw StoreError(.badKey, "an encrypted value is truncated") }
        let id = String(decoding: bytes.prefix(8), as: UTF8.self)
        guard let key = keys.first(where: { $0.id == id }) else {
            throw StoreError(.badKey, "a value is encrypted with key \(id), which is not configured")
        }
        let box = try AES.GCM.SealedBox(combined: Data(bytes.dropFirst(8)))
        return String(decoding: try AES.GCM.open(box, using: key.key), as: UTF8.self)
    }

    /// The key id a ciphertext was made with.
    public static func keyID(of bytes: [UInt8]) -> String {
        String(decoding: bytes.prefix(8), as: UTF8.self)
    }

    /// HMAC-SHA256 of the phone number's digits: equal numbers give equal indexes; nothing about
    /// the number can be read from it without the key.
    public func blindIndex(phone: String) -> String {
        let digits = phone.filter(\.isNumber)
        let mac = HMAC<SHA256>.authenticationCode(for: Data(digits.utf8), using: SymmetricKey(data: indexKeyBytes))
        return Hex.string(mac)
    }
}
