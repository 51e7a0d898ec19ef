/// What a message may say about its sender and case. Deliberately has no offence category and
/// nothing the victim must supply: messages never name the offence and never ask for money or
/// personal details.
public struct MessageContext: Sendable, Equatable {
    /// Who writes: the unit's sender name (a neutral one for discreet contact).
    public var sender: String
    public var caseReference: String
    /// A number the victim can call back.
    public var callbackNumber: String
    /// Support services to call.
    public var supportLine: String
    public var emergencyNumber: String
    public var givenName: String?

    public init(sender: String, caseReference: String, callbackNumber: String, supportLine: String,
                emergencyNumber: String, givenName: String? = nil) {
        self.sender = sender
        self.caseReference = caseReference
        self.callbackNumber = callbackNumber
        self.supportLine = supportLine
        self.emergencyNumber = emergencyNumber
        self.givenName = givenName
    }

    /// The placeholders a template may use.
    public static let placeholders: Set<String> = [
        "sender", "case_reference", "callback_number", "support_line", "emergency_number", "given_name",
    ]

    /// Long but realistic values, for checking that templates stay within their limits.
    public static let longestExpected = MessageContext(
        sender: "Victim Support Pretoria Central", caseReference: "CAS 1234/11/2026", callbackNumber: "+27123456789",
        supportLine: "+27800123456", emergencyNumber: "10111", givenName: "Nomvuyiswa")

    func values(rightToLeft: Bool) -> [String: String] {
        func wrap(_ value: String) -> String { rightToLeft ? Bidi.isolate(value) : value }
        var values: [String: String] = [
            "sender": sender, "case_reference": wrap(caseReference), "callback_number": wrap(callbackNumber),
            "support_line": wrap(supportLine), "emergency_number": wrap(emergencyNumber),
        ]
        if let givenName { values["given_name"] = givenName }
        return values
    }
}
