import Foundation

// Public initialisers for the event's small parts, so other modules can rebuild an event from
// what the store holds (the workers plan later messages from it).

extension Consent {
    public init(recorded status: Status) {
        self.init(status: status, at: nil, method: nil, language: nil)
    }
}

extension Officer {
    public init(workPhone: String?) { self.init(name: nil, phone: workPhone) }
}

extension Update {
    public init(_ kind: String) { self.init(kind: kind) }
}

extension Outcome {
    public init(_ code: String) { self.init(code: code) }
}
