import ReassureGateways
import Testing

@Suite struct ProviderHealthTests {
    let fast = ProviderHealth.Observation.answered(latency: .milliseconds(20))
    let failed = ProviderHealth.Observation.failed(latency: .milliseconds(20))

    @Test func aHealthyProviderKeepsItsFullShare() {
        var health = ProviderHealth()
        for _ in 0..<50 { health.record(fast) }
        #expect(health.state == .healthy)
        #expect(health.multiplier == 1)
    }

    @Test func failuresDemoteOnlyAfterTheMinimumSample() {
        var health = ProviderHealth(policy: ProviderHealthPolicy(minimumSamples: 5))
        for _ in 0..<4 { #expect(health.record(failed) == nil) }
        #expect(health.state == .healthy)
        #expect(health.record(failed) == .demoted)
        #expect(health.multiplier == 0.05)
    }

    @Test func anOccasionalFailureDoesNotDemote() {
        var health = ProviderHealth()
        for round in 0..<100 { health.record(round % 5 == 0 ? failed : fast) }
        #expect(health.state == .healthy)
    }

    @Test func aSlowProviderIsDemoted() {
        var health = ProviderHealth(policy: ProviderHealthPolicy(latencyThreshold: .milliseconds(500)))
        for _ in 0..<4 { health.record(.answered(latency: .seconds(1))) }
        #expect(health.state == .healthy)
        health.record(.answered(latency: .seconds(1)))
        #expect(health.state == .demoted)
    }

    @Test func aDemotedProviderNeedsConsecutiveGoodProbesBeforeItGrows() {
        var health = demoted()
        health.record(fast)
        health.record(fast)
        health.record(failed)  // the run starts again
        health.record(fast)
        health.record(fast)
        #expect(health.state == .demoted)
        #expect(health.multiplier == 0.05)
        #expect(health.record(fast) == .recovering)
        #expect(health.multiplier > 0.05)
    }

    @Test func aRecoveringProviderGrowsGraduallyToFullShare() {
        var health = demoted()
        for _ in 0..<3 { health.record(fast) }
        var multipliers = [health.multiplier]
        while health.state == .recovering {
            health.record(fast)
            multipliers.append(health.multiplier)
        }
        #expect(health.state == .healthy)
        #expect(health.multiplier == 1)
        #expect(multipliers.count >= 5, "it drifts back over several sends, not at once")
        #expect(zip(multipliers, multipliers.dropFirst()).allSatisfy { pair in pair.0 < pair.1 })
    }

    @Test func aFailureWhileRecoveringDemotesAgain() {
        var health = demoted()
        for _ in 0..<4 { health.record(fast) }
        #expect(health.state == .recovering)
        #expect(health.record(failed) == .demoted)
        #expect(health.multiplier == 0.05)
    }

    @Test func afterRecoveryOldFailuresAreForgotten() {
        var health = demoted()
        while health.state != .healthy { health.record(fast) }
        #expect(health.record(failed) == nil)
        #expect(health.state == .healthy)
        #expect(health.samples == 1)
    }

    private func demoted() -> ProviderHealth {
        var health = ProviderHealth()
        while health.state != .demoted { health.record(failed) }
        return health
    }
}

@Suite struct ProviderPoolTests {
    @Test func sharesFollowTheConfiguredWeights() {
        let pool = ProviderPool([("a", 3), ("b", 1)])
        #expect(pool.shares == [0.75, 0.25])
    }

    @Test func aDemotedProviderDropsToAProbeShare() {
        var pool = ProviderPool([("a", 1), ("b", 1)])
        for _ in 0..<10 { pool.record(.failed(latency: .milliseconds(5)), for: 1) }
        #expect(pool.members[1].health.state == .demoted)
        #expect(pool.shares[1] < 0.05)
        #expect(pool.shares[0] > 0.95)
    }

    @Test func choiceFollowsEffectiveWeightsAndSkipsExcluded() {
        let pool = ProviderPool([("a", 1), ("b", 3)])
        #expect(pool.choose(random: 0.0) == 0)
        #expect(pool.choose(random: 0.24) == 0)
        #expect(pool.choose(random: 0.26) == 1)
        #expect(pool.choose(random: 0.99) == 1)
        #expect(pool.choose(random: 0.0, excluding: [0]) == 1)
        #expect(pool.choose(random: 0.5, excluding: [0, 1]) == nil)
    }
}
