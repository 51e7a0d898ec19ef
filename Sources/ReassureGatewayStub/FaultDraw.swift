/// Which failure a send gets, drawn from the seed, the idempotency key and the try number, so the
/// same run fails the same way every time whatever order requests arrive in.
enum FaultDraw: Equatable {
    case none
    case transient(status: Int)
    case permanent

    static func draw(_ faults: StubFaults, seed: UInt64, key: String, attempt: Int) -> FaultDraw {
        let value = uniform(seed: seed, key: key, attempt: attempt)
        if value < faults.permanentRate { return .permanent }
        if value < faults.permanentRate + faults.transientRate {
            // Half 500, half 503: clients must treat both as transient.
            return .transient(status: value < faults.permanentRate + faults.transientRate / 2 ? 500 : 503)
        }
        return .none
    }

    /// A number in 0..<1: SplitMix64 over FNV-1a of the key, mixed with seed and attempt.
    static func uniform(seed: UInt64, key: String, attempt: Int) -> Double {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        var z = hash ^ (seed &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(truncatingIfNeeded: attempt) &* 0xD6E8_FEB8_6659_FD93)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(UInt64(1) << 53)
    }
}
