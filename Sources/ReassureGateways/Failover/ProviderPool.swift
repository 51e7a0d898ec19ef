/// The providers of one channel with their configured weights and health: which one gets the
/// next send, and what share each gets now. Pure: the caller supplies the random number.
public struct ProviderPool: Sendable, Equatable {
    public struct Member: Sendable, Equatable {
        public let name: String
        /// Configured weight (> 0): with all healthy, the share is weight / sum of weights.
        public let weight: Double
        public var health: ProviderHealth

        /// The weight it gets now: configured weight scaled by its health.
        public var effectiveWeight: Double { weight * health.multiplier }
    }

    public private(set) var members: [Member]

    public init(_ providers: [(name: String, weight: Double)], policy: ProviderHealthPolicy = ProviderHealthPolicy()) {
        members = providers.map { Member(name: $0.name, weight: max($0.weight, 0), health: ProviderHealth(policy: policy)) }
    }

    /// Each member's fraction of traffic now, in member order; they sum to 1.
    public var shares: [Double] {
        let total = members.reduce(0) { $0 + $1.effectiveWeight }
        guard total > 0 else { return members.map { _ in 1 / Double(max(members.count, 1)) } }
        return members.map { $0.effectiveWeight / total }
    }

    /// The member for a uniform `random` in 0..<1, by effective weight, skipping `excluded`;
    /// nil when every member is excluded.
    public func choose(random: Double, excluding excluded: Set<Int> = []) -> Int? {
        let candidates = members.indices.filter { !excluded.contains($0) }
        guard !candidates.isEmpty else { return nil }
        let total = candidates.reduce(0) { $0 + members[$1].effectiveWeight }
        guard total > 0 else { return candidates[min(Int(random * Double(candidates.count)), candidates.count - 1)] }
        var point = random * total
        for index in candidates {
            point -= members[index].effectiveWeight
            if point < 0 { return index }
        }
        return candidates.last
    }

    /// Records one send's outcome for member `index`; returns its new state if it changed.
    @discardableResult
    public mutating func record(_ observation: ProviderHealth.Observation, for index: Int) -> ProviderHealth.State? {
        members[index].health.record(observation)
    }
}
