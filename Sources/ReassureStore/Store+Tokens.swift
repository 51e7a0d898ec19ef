import Crypto
import Foundation
import ReassureCore

extension Store {
    /// Creates an API token for `role`; returns the token itself, which is never stored (only
    /// its SHA-256) and cannot be shown again.
    public func createToken(name: String, role: String, at now: Date = Date()) async throws -> String {
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255, using: &generator) }
        let token = "rsr_" + Data(bytes).base64EncodedString().replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "=", with: "")
        try await database.transaction { tx in
            let inserted = try await tx.query("INSERT INTO api_tokens (name, role, token_hash, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING name",
                                              [.text(name), .text(role), .text(Self.hash(token)), SQLValue(now)])
            guard !inserted.isEmpty else { throw StoreError(.queryFailed, "a token named '\(name)' exists already; revoke it or choose another name") }
            try await Self.audit(actor: "cli", action: "create_token", subject: "token \(name)", reason: "role \(role)", at: now, tx)
        }
        return token
    }

    /// The name and role of a valid, unrevoked token. Asked on every `/v1` request: one SELECT,
    /// atomic on its own, so no transaction (on SQLite that took the write lock for a read).
    public func tokenIdentity(_ token: String) async throws -> (name: String, role: String)? {
        try await database.autocommit { tx in
            try await tx.query("SELECT name, role FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL", [.text(Self.hash(token))])
                .first.map { ($0.text("name") ?? "", $0.text("role") ?? "") }
        }
    }

    public func revokeToken(name: String, at now: Date = Date()) async throws -> Bool {
        try await database.transaction { tx in
            let revoked = !(try await tx.query("UPDATE api_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL RETURNING name",
                                               [SQLValue(now), .text(name)])).isEmpty
            if revoked { try await Self.audit(actor: "cli", action: "revoke_token", subject: "token \(name)", reason: "revoked", at: now, tx) }
            return revoked
        }
    }

    static func hash(_ token: String) -> String {
        Hex.string(SHA256.hash(data: Data(token.utf8)))
    }
}
