/// Masks a phone number or email address for logs and the stubs' sent-logs: enough to tell two
/// apart when debugging (`+2782*****67`, `a***@example.org`), not enough to contact anyone.
public enum AddressMask {
    public static func mask(_ address: String) -> String {
        if let at = address.firstIndex(of: "@") {
            return String(address[..<at].prefix(1)) + "***" + address[at...]
        }
        guard address.count > 8 else { return String(repeating: "*", count: address.count) }
        return String(address.prefix(5)) + String(repeating: "*", count: address.count - 7) + String(address.suffix(2))
    }
}
