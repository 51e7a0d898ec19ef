import Foundation

extension CaseEvent {
    /// The event as the outbox and `reassure.events` carry it: compact JSON, members in sorted
    /// order, absent optionals left out, times as `RFC3339.format` writes them.
    ///
    /// Byte for byte what `JSONValueEncoder().encode(self).serialized()` writes (so what
    /// `JSONEncoder` with sorted keys writes), but written out by hand: going through Codable
    /// was a fifth of the producer's work per event. `CaseEventCodingTests` holds the two
    /// together for an event with every member set, so a member added to the model and not
    /// here fails a test.
    public func jsonBytes() -> [UInt8] {
        var writer = JSONTextWriter()
        writer.object { out in
            out.member("case") { out in
                out.object { out in
                    out.member("category", caseInfo.category)
                    out.member("priority", caseInfo.priority?.rawValue)
                    out.member("reference", caseInfo.reference)
                    out.member("unit", caseInfo.unit)
                }
            }
            out.member("id", id)
            out.member("occurred_at", occurredAt)
            if let officer {
                out.member("officer") { out in
                    out.object { out in
                        out.member("name", officer.name)
                        out.member("phone", officer.phone)
                    }
                }
            }
            if let outcome {
                out.member("outcome") { out in out.object { out in out.member("code", outcome.code) } }
            }
            out.member("type", type.rawValue)
            if let update {
                out.member("update") { out in out.object { out in out.member("kind", update.kind) } }
            }
            if let victim {
                out.member("victim") { out in victim.write(into: &out) }
            }
        }
        return writer.bytes
    }
}

extension Victim {
    fileprivate func write(into writer: inout JSONTextWriter) {
        writer.object { out in
            if let consent {
                out.member("consent") { out in
                    out.object { out in
                        out.member("at", consent.at)
                        out.member("language", consent.language)
                        out.member("method", consent.method)
                        out.member("status", consent.status.rawValue)
                    }
                }
            }
            if let contact {
                out.member("contact") { out in
                    out.object { out in
                        out.member("email", contact.email)
                        out.member("sms", contact.sms)
                    }
                }
            }
            if let discreetContact {
                out.member("discreet_contact") { out in out.bool(discreetContact) }
            }
            out.member("given_name", givenName)
            if let languages {
                out.member("languages", strings: languages)
            }
            out.member("preferred_channel", preferredChannel?.rawValue)
            out.member("ref", ref)
            out.member("safe_to_contact", safeToContact?.rawValue)
            out.member("timezone", timezone)
            if let windows {
                out.member("windows", objects: windows) { out, window in
                    out.member("days", window.days)
                    out.member("from", window.from)
                    out.member("to", window.to)
                }
            }
        }
    }
}
