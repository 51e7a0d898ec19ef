import CoreMetrics
import Foundation

/// The workers' Prometheus-facing figures, per stage (scheduler, clock, dispatcher, outcomes):
/// `reassure_worker_messages_total{stage,result}` with result processed | failed | retried |
/// dead_lettered | skipped, `reassure_due_to_sent_seconds` (histogram via the timer) and
/// `reassure_backlog_contacts` and `reassure_backlog_oldest_seconds` (due but unsent, set by the sweeper).
enum WorkerMetrics {
    static func count(_ stage: String, _ result: String, by amount: Int = 1) {
        guard amount > 0 else { return }
        Counter(label: "reassure_worker_messages_total", dimensions: [("stage", stage), ("result", result)]).increment(by: amount)
    }

    static func dueToSent(_ seconds: Double) {
        Timer(label: "reassure_due_to_sent_seconds").recordNanoseconds(Int64(max(0, seconds) * 1_000_000_000))
    }

    static func backlog(_ count: Int, oldestAge: Double) {
        Gauge(label: "reassure_backlog_contacts").record(count)
        Gauge(label: "reassure_backlog_oldest_seconds").record(oldestAge)
    }
}
