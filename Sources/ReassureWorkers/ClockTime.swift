import Foundation
import ReassureCore

extension ReassureClock {
    /// `seconds` of real time expressed in this clock's time: leases and timeouts are meant in
    /// real seconds, but the store compares them with the (possibly scaled) clock.
    func span(_ seconds: TimeInterval) -> TimeInterval {
        seconds * ((self as? ScaledClock)?.scale ?? 1)
    }
}
