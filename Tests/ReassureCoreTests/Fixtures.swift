import Foundation
@testable import ReassureCore

/// A valid case.reported document, as an integrator would send it.
func reportedEvent(
    id: String = "rms-7731-0001", languages: [String] = ["so", "en"], timezone: String = "Africa/Johannesburg",
    safe: String = "yes", category: String = "business_robbery", priority: String = "enhanced",
    windows: [[String: String]] = [["days": "mon-fri", "from": "09:00", "to": "17:00"]], channel: String = "sms",
    occurredAt: String = "2026-11-20T09:30:00Z"
) -> [String: Any] {
    [
        "id": id, "type": "case.reported", "occurred_at": occurredAt,
        "case": ["reference": "CAS 123/11/2026", "unit": "pretoria-central-vsu", "category": category, "priority": priority],
        "victim": [
            "ref": "V-88231", "given_name": "Amina", "languages": languages, "timezone": timezone,
            "contact": ["sms": "+27821234567", "email": "amina@example.org"], "preferred_channel": channel,
            "safe_to_contact": safe, "consent": ["status": "given", "at": "2026-11-20T09:40:00Z", "method": "verbal", "language": "so"],
            "windows": windows,
        ],
        "officer": ["name": "Sgt N. Dlamini", "phone": "+27123456789"],
    ]
}

func document(_ object: Any) throws -> JSONValue {
    try JSONValue.parse(try JSONSerialization.data(withJSONObject: object))
}

func intake(_ object: Any) throws -> CaseEventIntake.Result {
    CaseEventIntake.process(document: try document(object))
}

func problems(_ object: Any) throws -> [ValidationProblem] {
    if case .failure(let rejection) = try intake(object).outcome { return rejection.problems }
    return []
}

func decodedEvent(_ object: Any) throws -> CaseEvent {
    try intake(object).outcome.get()
}

let shippedCatalog: TemplateCatalog = try! TemplateCatalog.shipped()
