import Dispatch
import Foundation
import ServiceLifecycle

/// SIGTERM/SIGINT handling for long-running commands: the first signal asks the service group
/// to stop taking work and finish what is in flight; a second one exits at once.
final class ShutdownSignals {
    private let sources: [any DispatchSourceSignal]

    init(group: ServiceGroup, name: String) {
        let count = SignalCount()
        sources = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if count.increment() == 1 {
                    FileHandle.standardError.write(Data("\(name): stopping — finishing work in flight (signal again to exit at once)\n".utf8))
                    Task { await group.triggerGracefulShutdown() }
                } else {
                    FileHandle.standardError.write(Data("\(name): exiting now\n".utf8))
                    exit(130)
                }
            }
            source.resume()
            return source
        }
    }
}

private final class SignalCount: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}
