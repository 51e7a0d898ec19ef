import Foundation

extension CaseEvent {
    /// Reads an event document (already scrubbed and validated) into the typed model.
    ///
    /// Written out by hand because Codable's generic containers cost more than validating the
    /// event on every ingest and every scheduler delivery. It accepts and refuses exactly what
    /// `JSONValueDecoder().decode(CaseEvent.self, from:)` does, with the same coding paths in
    /// its errors (`CaseEventCodingTests` holds the two together): members it does not know are
    /// ignored, `null` counts as absent for optional members only.
    public init(document: JSONValue) throws {
        let root = try MemberReader(document, parent: [], key: nil)
        self.init(id: try root.string("id"), type: try root.enumeration("type"), occurredAt: try root.date("occurred_at"),
                  caseInfo: try root.object("case", CaseInfo.init(reader:)),
                  victim: try root.optionalObject("victim", Victim.init(reader:)),
                  officer: try root.optionalObject("officer") { Officer(name: try $0.optionalString("name"), phone: try $0.optionalString("phone")) },
                  update: try root.optionalObject("update") { Update(kind: try $0.string("kind")) },
                  outcome: try root.optionalObject("outcome") { Outcome(code: try $0.string("code")) })
    }
}

extension CaseInfo {
    fileprivate init(reader: MemberReader) throws {
        self.init(reference: try reader.string("reference"), unit: try reader.string("unit"),
                  category: try reader.optionalString("category"), priority: try reader.optionalEnumeration("priority"))
    }
}

extension Victim {
    fileprivate init(reader: MemberReader) throws {
        self.init(ref: try reader.string("ref"), givenName: try reader.optionalString("given_name"),
                  languages: try reader.optionalStrings("languages"), timezone: try reader.optionalString("timezone"),
                  contact: try reader.optionalObject("contact") { ContactDetails(sms: try $0.optionalString("sms"), email: try $0.optionalString("email")) },
                  preferredChannel: try reader.optionalEnumeration("preferred_channel"),
                  safeToContact: try reader.optionalEnumeration("safe_to_contact"),
                  consent: try reader.optionalObject("consent") {
                      Consent(status: try $0.enumeration("status"), at: try $0.optionalDate("at"), method: try $0.optionalString("method"),
                              language: try $0.optionalString("language"))
                  },
                  windows: try reader.optionalObjects("windows") {
                      ContactWindow(days: try $0.string("days"), from: try $0.string("from"), to: try $0.string("to"))
                  },
                  discreetContact: try reader.optionalBool("discreet_contact"))
    }
}

/// The members of one JSON object and where it sits in the document. The path is only built
/// for an error or a nested object: an array per member read would cost what Codable did.
private struct MemberReader {
    let members: JSONObject
    let parent: [any CodingKey]
    let key: (any CodingKey)?
    var path: [any CodingKey] { key.map { parent + [$0] } ?? parent }

    init(_ value: JSONValue, parent: [any CodingKey], key: (any CodingKey)?) throws {
        self.parent = parent
        self.key = key
        guard case .object(let members) = value else { throw Self.mismatch(JSONObject.self, value, key.map { parent + [$0] } ?? parent) }
        self.members = members
    }

    /// A required member: absent is `keyNotFound`; `null` is left to the type check, a
    /// `typeMismatch`, as `JSONValueDecoder` has it.
    private func required(_ key: String) throws -> JSONValue {
        guard let value = members[key] else {
            throw DecodingError.keyNotFound(MemberKey(key), .init(codingPath: path, debugDescription: "no member \(key)"))
        }
        return value
    }

    /// An optional member: absent and `null` are both nil.
    private func optional(_ key: String) -> JSONValue? {
        guard let value = members[key] else { return nil }
        if case .null = value { return nil }
        return value
    }

    func string(_ key: String) throws -> String { try Self.string(try required(key), path + [MemberKey(key)]) }

    func optionalString(_ key: String) throws -> String? {
        guard let value = optional(key) else { return nil }
        return try Self.string(value, path + [MemberKey(key)])
    }

    func optionalBool(_ key: String) throws -> Bool? {
        guard let value = optional(key) else { return nil }
        guard case .bool(let flag) = value else { throw Self.mismatch(Bool.self, value, path + [MemberKey(key)]) }
        return flag
    }

    func date(_ key: String) throws -> Date { try Self.date(try required(key), path + [MemberKey(key)]) }

    func optionalDate(_ key: String) throws -> Date? {
        guard let value = optional(key) else { return nil }
        return try Self.date(value, path + [MemberKey(key)])
    }

    func enumeration<T: RawRepresentable>(_ key: String) throws -> T where T.RawValue == String {
        try Self.enumeration(try required(key), path + [MemberKey(key)])
    }

    func optionalEnumeration<T: RawRepresentable>(_ key: String) throws -> T? where T.RawValue == String {
        guard let value = optional(key) else { return nil }
        return try Self.enumeration(value, path + [MemberKey(key)])
    }

    func optionalStrings(_ key: String) throws -> [String]? {
        guard let value = optional(key) else { return nil }
        guard case .array(let elements) = value else { throw Self.mismatch([JSONValue].self, value, path + [MemberKey(key)]) }
        return try elements.enumerated().map { try Self.string($1, path + [MemberKey(key), JSONIndexKey($0)]) }
    }

    func object<T>(_ key: String, _ read: (MemberReader) throws -> T) throws -> T {
        try read(MemberReader(try required(key), parent: path, key: MemberKey(key)))
    }

    func optionalObject<T>(_ key: String, _ read: (MemberReader) throws -> T) throws -> T? {
        guard let value = optional(key) else { return nil }
        return try read(MemberReader(value, parent: path, key: MemberKey(key)))
    }

    func optionalObjects<T>(_ key: String, _ read: (MemberReader) throws -> T) throws -> [T]? {
        guard let value = optional(key) else { return nil }
        let here = path + [MemberKey(key)]
        guard case .array(let elements) = value else { throw Self.mismatch([JSONValue].self, value, here) }
        return try elements.enumerated().map { try read(MemberReader($1, parent: here, key: JSONIndexKey($0))) }
    }

    private static func string(_ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) throws -> String {
        guard case .string(let text) = value else { throw mismatch(String.self, value, path()) }
        return text
    }

    private static func date(_ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) throws -> Date {
        guard let date = FieldFormats.rfc3339(try string(value, path())) else {
            throw DecodingError.dataCorrupted(.init(codingPath: path(), debugDescription: "not an RFC 3339 time"))
        }
        return date
    }

    private static func enumeration<T: RawRepresentable>(_ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) throws -> T where T.RawValue == String {
        guard let member = T(rawValue: try string(value, path())) else {
            throw DecodingError.dataCorrupted(.init(codingPath: path(), debugDescription: "not a known \(T.self)"))
        }
        return member
    }

    private static func mismatch(_ expected: Any.Type, _ value: JSONValue, _ path: [any CodingKey]) -> DecodingError {
        DecodingError.typeMismatch(expected, .init(codingPath: path, debugDescription: "expected \(expected), found \(value.typeName)"))
    }
}

/// An object member's name in a coding path.
private struct MemberKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
