/// The schema, as numbered steps applied in order and recorded in `schema_migrations`. One text
/// for both backends: `{INT}`, `{BLOB}` and `{SERIAL}` become each dialect's types. Times are
/// integer milliseconds; personal data columns (`*_enc`) hold ciphertext only.
enum Migrations {
    static let steps: [(version: Int, statements: [String])] = [
        (1, [
            """
            CREATE TABLE cases (
              id TEXT PRIMARY KEY, reference TEXT NOT NULL, unit TEXT NOT NULL, category TEXT, priority TEXT NOT NULL,
              status TEXT NOT NULL DEFAULT 'open', outcome_code TEXT, opened_at {INT} NOT NULL, closed_at {INT},
              last_activity_at {INT} NOT NULL, purged_at {INT}, UNIQUE (unit, reference))
            """,
            """
            CREATE TABLE victims (
              id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases(id), ref TEXT NOT NULL,
              given_name_enc {BLOB}, phone_enc {BLOB}, email_enc {BLOB}, phone_index TEXT, languages TEXT NOT NULL,
              timezone TEXT NOT NULL, windows TEXT NOT NULL, preferred_channel TEXT, safe_to_contact TEXT NOT NULL,
              consent_status TEXT NOT NULL, opted_out {INT} NOT NULL DEFAULT 0, created_at {INT} NOT NULL, updated_at {INT} NOT NULL)
            """,
            "CREATE INDEX victims_phone_index ON victims (phone_index)",
            "CREATE INDEX victims_case ON victims (case_id)",
            """
            CREATE TABLE contacts (
              id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases(id), victim_id TEXT NOT NULL REFERENCES victims(id),
              unit TEXT NOT NULL, stage TEXT NOT NULL, label TEXT NOT NULL, state TEXT NOT NULL, due_at {INT} NOT NULL,
              language TEXT NOT NULL, channel TEXT NOT NULL, template_version TEXT NOT NULL, segments {INT} NOT NULL,
              attempts {INT} NOT NULL DEFAULT 0, lease_owner TEXT, lease_expires_at {INT}, created_at {INT} NOT NULL,
              updated_at {INT} NOT NULL, sent_at {INT}, delivered_at {INT}, last_error TEXT)
            """,
            // Partial indexes: a contact leaves them once (when claimed or when its lease ends), so
            // the many later state changes (sending, sent, delivered) touch no secondary index.
            "CREATE INDEX contacts_due ON contacts (due_at) WHERE state = 'scheduled'",
            "CREATE INDEX contacts_leased ON contacts (lease_expires_at) WHERE state IN ('claimed', 'queued')",
            "CREATE INDEX contacts_case ON contacts (case_id)",
            "CREATE INDEX contacts_victim ON contacts (victim_id)",
            """
            CREATE TABLE attempts (
              idempotency_key TEXT PRIMARY KEY, contact_id TEXT NOT NULL REFERENCES contacts(id), number {INT} NOT NULL,
              channel TEXT NOT NULL, status TEXT NOT NULL, provider_message_id TEXT, error TEXT,
              started_at {INT} NOT NULL, finished_at {INT})
            """,
            """
            CREATE TABLE replies (
              id TEXT PRIMARY KEY, victim_id TEXT NOT NULL REFERENCES victims(id), text_enc {BLOB}, intent TEXT NOT NULL,
              received_at {INT} NOT NULL)
            """,
            """
            CREATE TABLE tasks (
              id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases(id), kind TEXT NOT NULL, reason TEXT NOT NULL,
              language TEXT, status TEXT NOT NULL DEFAULT 'open', created_at {INT} NOT NULL, done_at {INT}, done_by TEXT)
            """,
            "CREATE TABLE processed_events (event_id TEXT PRIMARY KEY, processed_at {INT} NOT NULL)",
            """
            CREATE TABLE outbox (
              sequence {SERIAL}, event_id TEXT NOT NULL UNIQUE, routing_key TEXT NOT NULL, payload_enc {BLOB} NOT NULL,
              created_at {INT} NOT NULL, sent_at {INT})
            """,
            "CREATE INDEX outbox_unsent ON outbox (sent_at, sequence)",
            """
            CREATE TABLE audit_log (
              sequence {SERIAL}, at {INT} NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, subject TEXT NOT NULL,
              reason TEXT NOT NULL)
            """,
            """
            CREATE TABLE api_tokens (
              name TEXT PRIMARY KEY, role TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, created_at {INT} NOT NULL,
              revoked_at {INT})
            """,
            """
            CREATE TABLE anonymous_counts (
              unit TEXT NOT NULL, category TEXT NOT NULL, language TEXT NOT NULL, channel TEXT NOT NULL, state TEXT NOT NULL,
              count {INT} NOT NULL, PRIMARY KEY (unit, category, language, channel, state))
            """,
        ]),
        // The officer's work number goes in messages as the number to call; the scheduler keeps
        // it with the case so later messages (update, closing) can quote it too.
        (2, [
            "ALTER TABLE cases ADD COLUMN officer_phone TEXT",
            "CREATE INDEX contacts_sending ON contacts (updated_at) WHERE state IN ('sending', 'sent')",
        ]),
        // Victims who may share a phone or inbox: written to by a neutral sender, in neutral words.
        (3, [
            "ALTER TABLE victims ADD COLUMN discreet_contact {INT} NOT NULL DEFAULT 0",
        ]),
        // The clock's fair claim takes the earliest due contacts of each unit: by unit, then time.
        (4, [
            "CREATE INDEX contacts_due_by_unit ON contacts (unit, due_at) WHERE state = 'scheduled'",
        ]),
        // The relay only ever looks for unsent events: index those alone. The old index kept an
        // entry for every relayed event (they stay as dedup records) and marking one sent moved its
        // entry rather than removing it.
        (5, [
            "DROP INDEX outbox_unsent",
            "CREATE INDEX outbox_unsent ON outbox (sequence) WHERE sent_at IS NULL",
        ]),
        // An unsent event's payload lives apart from its outbox row, which stays as the id's dedup
        // record: marking events sent deletes their payloads instead of rewriting every row (the
        // rewrite was the third-costliest statement of `bench ingest`).
        (6, [
            "CREATE TABLE outbox_payloads (sequence {INT} PRIMARY KEY REFERENCES outbox(sequence), payload_enc {BLOB} NOT NULL)",
            "INSERT INTO outbox_payloads (sequence, payload_enc) SELECT sequence, payload_enc FROM outbox WHERE sent_at IS NULL",
            "ALTER TABLE outbox DROP COLUMN payload_enc",
        ]),
    ]

    static var latest: Int { steps.last?.version ?? 0 }

    static func sql(_ statement: String, for dialect: SQLDialect) -> String {
        switch dialect {
        case .sqlite:
            statement.replacingOccurrences(of: "{INT}", with: "INTEGER").replacingOccurrences(of: "{BLOB}", with: "BLOB")
                .replacingOccurrences(of: "{SERIAL}", with: "INTEGER PRIMARY KEY AUTOINCREMENT")
        case .postgres:
            statement.replacingOccurrences(of: "{INT}", with: "BIGINT").replacingOccurrences(of: "{BLOB}", with: "BYTEA")
                .replacingOccurrences(of: "{SERIAL}", with: "BIGSERIAL PRIMARY KEY")
        }
    }
}
