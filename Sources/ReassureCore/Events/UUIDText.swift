import Foundation

/// UUIDs as text (`E621E1F8-C36C-495A-93FC-0C247A3E6E5F`), read and written without the C
/// library: Foundation parses with `sscanf` and formats with `snprintf`, a microsecond or so
/// each, and the store and the dispatcher turn several ids per contact to and from text.
/// Same answers as `UUID(uuidString:)` and `uuidString`.
public enum UUIDText {
    public static func parse(_ text: String) -> UUID? {
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let parsed = text.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
            guard utf8.count == 36 else { return false }
            return withUnsafeMutableBytes(of: &bytes) { out -> Bool in
                var index = 0
                for position in 0..<16 {
                    if index == 8 || index == 13 || index == 18 || index == 23 {
                        guard utf8[index] == UInt8(ascii: "-") else { return false }
                        index += 1
                    }
                    guard let high = Hex.value(utf8[index]), let low = Hex.value(utf8[index + 1]) else { return false }
                    out[position] = high << 4 | low
                    index += 2
                }
                return true
            }
        }
        switch parsed {
        case true?: return UUID(uuid: bytes)
        case false?: return nil
        case nil: return UUID(uuidString: text)  // not contiguous UTF-8 (a bridged string): Foundation's way
        }
    }

    public static func string(_ uuid: UUID) -> String {
        var characters: [UInt8] = []
        characters.reserveCapacity(36)
        withUnsafeBytes(of: uuid.uuid) { bytes in
            for (position, byte) in bytes.enumerated() {
                if position == 4 || position == 6 || position == 8 || position == 10 { characters.append(UInt8(ascii: "-")) }
                Hex.append(byte, uppercase: true, to: &characters)
            }
        }
        return String(decoding: characters, as: UTF8.self)
    }
}
