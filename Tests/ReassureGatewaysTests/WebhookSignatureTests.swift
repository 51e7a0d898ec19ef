import Foundation
import ReassureGateways
import Testing

@Suite struct WebhookSignatureTests {
    let signer = WebhookSignature(secret: "shared-secret")
    let body = Array(#"{"status":"delivered"}"#.utf8)

    @Test func aSignedBodyVerifies() throws {
        let now = Date()
        let headers = signer.sign(body, at: now)
        try signer.verify(body, timestamp: headers.timestamp, signature: headers.signature, now: now)
    }

    @Test func aChangedBodyIsRefused() {
        let headers = signer.sign(body)
        #expect(throws: WebhookSignature.Failure.mismatch) {
            try signer.verify(Array(#"{"status":"failed"}"#.utf8), timestamp: headers.timestamp, signature: headers.signature)
        }
    }

    @Test func anotherSecretIsRefused() {
        let headers = WebhookSignature(secret: "other").sign(body)
        #expect(throws: WebhookSignature.Failure.mismatch) {
            try signer.verify(body, timestamp: headers.timestamp, signature: headers.signature)
        }
    }

    @Test func aSignatureOlderThanFiveMinutesIsStale() {
        let sent = Date().addingTimeInterval(-301)
        let headers = signer.sign(body, at: sent)
        #expect(throws: WebhookSignature.Failure.stale) {
            try signer.verify(body, timestamp: headers.timestamp, signature: headers.signature)
        }
    }

    @Test func missingAndMalformedHeadersAreNamed() {
        #expect(throws: WebhookSignature.Failure.missing) { try signer.verify(body, timestamp: nil, signature: "sha256=00") }
        #expect(throws: WebhookSignature.Failure.malformed) { try signer.verify(body, timestamp: "yesterday", signature: "sha256=00") }
    }
}
