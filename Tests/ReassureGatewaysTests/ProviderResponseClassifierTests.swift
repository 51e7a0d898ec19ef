import Foundation
import ReassureGateways
import Testing

@Suite struct ProviderResponseClassifierTests {
    func classify(_ status: Int, _ body: String = "", retryAfter: String? = nil) -> SendResult {
        ProviderResponseClassifier.classify(status: status, retryAfter: retryAfter, body: Array(body.utf8), provider: "p")
    }

    @Test func successWithAnIDIsAccepted() {
        #expect(classify(202, #"{"id":"m-1","status":"accepted"}"#) == .accepted(provider: "p", providerMessageID: "m-1"))
        #expect(classify(200, #"{"id":"m-1","status":"accepted"}"#) == .accepted(provider: "p", providerMessageID: "m-1"))
    }

    @Test func successWithoutAnIDIsWorthRetrying() {
        guard case .transientFailure = classify(202, "oops") else { Issue.record("expected transient"); return }
    }

    @Test func everyPermanentCodeMapsBack() {
        for failure in PermanentFailure.allCases {
            let status = ProviderAPI.status(for: failure)
            #expect(classify(status, #"{"error":"\#(failure.rawValue)"}"#) == .permanentFailure(provider: "p", reason: failure))
        }
    }

    @Test func clientErrorsWithoutAKnownCodeFollowTheirStatus() {
        #expect(classify(401, #"{"error":"unauthorized"}"#) == .permanentFailure(provider: "p", reason: .rejected))
        #expect(classify(400, #"{"error":"invalid_request"}"#) == .permanentFailure(provider: "p", reason: .rejected))
        #expect(classify(404) == .permanentFailure(provider: "p", reason: .rejected))
        #expect(classify(403) == .permanentFailure(provider: "p", reason: .blocked))
        #expect(classify(409) == .permanentFailure(provider: "p", reason: .optedOutAtProvider))
        #expect(classify(422) == .permanentFailure(provider: "p", reason: .invalidAddress))
    }

    @Test func tooManyRequestsCarriesRetryAfter() {
        #expect(classify(429, retryAfter: "7") == .rateLimited(provider: "p", retryAfter: .seconds(7)))
        #expect(classify(429) == .rateLimited(provider: "p", retryAfter: .seconds(1)))
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let date = "Tue, 14 Nov 2023 22:13:50 GMT"  // 30 s after `now`
        #expect(ProviderResponseClassifier.parseRetryAfter(date, now: now) == .seconds(30))
    }

    @Test func timeoutsAndServerErrorsAreTransient() {
        for status in [408, 500, 502, 503, 504] {
            guard case .transientFailure = classify(status) else { Issue.record("\(status) should be transient"); continue }
        }
    }
}
