import Foundation
import ReassureCore
import Yams

/// The events of an integrator's file, each with its line number: JSON Lines (one event per
/// line), or CSV with a header row and a YAML column mapping.
public enum EmitSource {
    public struct Record: Sendable {
        public var line: Int
        /// The event document, or why the line could not be read.
        public var document: Result<JSONValue, EmitRejection>
    }

    /// Reads JSON Lines: blank lines are skipped; a line that is not JSON is rejected.
    public static func jsonLines(_ data: Data) -> [Record] {
        JSONLines.lines(data).map { line in
            guard let document = try? JSONValue.parse(line.bytes) else {
                return Record(line: line.number, document: .failure(EmitRejection(line: line.number, reasons: ["$: " + line.unreadableReason])))
            }
            return Record(line: line.number, document: .success(document))
        }
    }

    /// Reads CSV (RFC 4180: commas, double quotes, a header row) through `mapping`.
    public static func csv(_ data: Data, mapping: CSVMapping) throws -> [Record] {
        let rows = CSVParser.rows(String(decoding: data, as: UTF8.self))
        guard let header = rows.first?.fields else { return [] }
        let missing = mapping.columns.values.filter { !header.contains($0) }
        guard missing.isEmpty else {
            throw EmitError("the CSV has no column(s) \(missing.sorted().joined(separator: ", ")) named in the mapping")
        }
        return rows.dropFirst().filter { !$0.fields.allSatisfy(\.isEmpty) }.map { row in
            var values: [String: String] = [:]
            for (index, name) in header.enumerated() where index < row.fields.count { values[name] = row.fields[index] }
            return Record(line: row.line, document: .success(mapping.document(values)))
        }
    }
}

/// How CSV columns become event fields:
///
/// ```yaml
/// columns:                 # event path: CSV column
///   id: rms_id
///   occurred_at: reported_at
///   case.reference: case_ref
///   victim.languages: languages
///   victim.contact.sms: mobile
/// constants:               # event path: fixed value
///   type: case.reported
///   case.unit: pretoria-central-vsu
/// lists: [victim.languages] # columns holding several values separated by ';'
/// ```
/// Empty cells are left out.
public struct CSVMapping: Sendable {
    public var columns: [String: String]
    public var constants: [String: String]
    public var lists: Set<String>

    public init(columns: [String: String], constants: [String: String] = [:], lists: Set<String> = []) {
        self.columns = columns
        self.constants = constants
        self.lists = lists
    }

    public static func load(yaml text: String) throws -> CSVMapping {
        guard let root = try Yams.load(yaml: text) as? [String: Any], let columns = root["columns"] as? [String: Any] else {
            throw EmitError("the mapping must be YAML with a `columns:` map of event path → CSV column")
        }
        let constants = root["constants"] as? [String: Any] ?? [:]
        let lists = root["lists"] as? [Any] ?? []
        return CSVMapping(columns: columns.mapValues { "\($0)" }, constants: constants.mapValues { "\($0)" }, lists: Set(lists.map { "\($0)" }))
    }

    func document(_ row: [String: String]) -> JSONValue {
        var root = JSONValue.object([:])
        for (path, value) in constants { root = Self.set(root, path.split(separator: ".").map(String.init), .string(value)) }
        for (path, column) in columns {
            guard let cell = row[column]?.trimmingCharacters(in: .whitespaces), !cell.isEmpty else { continue }
            let value: JSONValue = lists.contains(path)
                ? .array(cell.split(separator: ";").map { .string($0.trimmingCharacters(in: .whitespaces)) })
                : .string(cell)
            root = Self.set(root, path.split(separator: ".").map(String.init), value)
        }
        return root
    }

    private static func set(_ node: JSONValue, _ path: [String], _ value: JSONValue) -> JSONValue {
        guard let key = path.first else { return value }
        var object = node.object ?? [:]
        object[key] = set(object[key] ?? .object([:]), Array(path.dropFirst()), value)
        return .object(object)
    }
}

/// RFC 4180 rows, each with the line it starts on.
enum CSVParser {
    struct Row {
        var line: Int
        var fields: [String]
    }

    static func rows(_ text: String) -> [Row] {
        var rows: [Row] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var line = 1
        var rowLine = 1
        var characters = Array(text).makeIterator()
        var pending: Character? = nil
        func next() -> Character? {
            if let character = pending { pending = nil; return character }
            return characters.next()
        }
        while let character = next() {
            if quoted {
                if character == "\"" {
                    if let following = next() {
                        if following == "\"" { field.append("\"") } else { quoted = false; pending = following }
                    } else { quoted = false }
                } else {
                    if character == "\n" || character == "\r\n" { line += 1 }
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"" where field.isEmpty: quoted = true
            case ",": fields.append(field); field = ""
            case "\n", "\r\n", "\r":
                fields.append(field)
                rows.append(Row(line: rowLine, fields: fields))
                fields = []
                field = ""
                line += 1
                rowLine = line
            default: field.append(character)
            }
        }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
            rows.append(Row(line: rowLine, fields: fields))
        }
        return rows
    }
}

/// A line that was not accepted, and why (paths and problems, never values).
public struct EmitRejection: Error, Sendable, Equatable {
    public var line: Int
    public var reasons: [String]
}

public struct EmitError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
