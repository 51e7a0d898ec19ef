import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A serial executor that owns one OS thread: every rabbitmq-c call of a connection runs here,
/// because the library is blocking and not thread-safe, and nothing may block Swift's
/// cooperative pool.
///
/// When no job is queued the thread runs the idle handler, which waits on the broker's socket
/// *and* on `wakeDescriptor`: enqueueing a job writes to that eventfd, so a job never waits
/// for a socket timeout.
final class ConnectionThread: SerialExecutor, @unchecked Sendable {
    fileprivate struct State {
        var jobs: [UnownedJob] = []
        /// The thread is (about to be) waiting; an enqueue must wake it.
        var waiting = false
        var stopping = false
        var idleHandler: (@Sendable () -> Void)?
        var thread: pthread_t?
    }

    fileprivate let state = Mutex(State())
    /// Readable whenever a job was enqueued while the thread waited (a pipe's read end).
    let wakeDescriptor: Int32
    private let wakeWriteDescriptor: Int32
    private let name: String

    init(name: String) {
        self.name = name
        var descriptors: [Int32] = [-1, -1]
        precondition(pipe(&descriptors) == 0, "cannot create the wake-up pipe")
        for descriptor in descriptors {
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
        wakeDescriptor = descriptors[0]
        wakeWriteDescriptor = descriptors[1]
        let thread = Thread { [self] in self.run() }
        thread.name = name
        thread.stackSize = 1 << 20
        thread.start()
    }

    deinit {
        close(wakeDescriptor)
        close(wakeWriteDescriptor)
    }

    /// Runs `handler` on the thread whenever the job queue is empty. It must return within about
    /// a second (it serves heartbeats) and must wait on `wakeDescriptor` alongside anything else.
    func setIdleHandler(_ handler: (@Sendable () -> Void)?) {
        state.withLock { $0.idleHandler = handler }
        wake()
    }

    /// Finishes the queued jobs, then ends the thread.
    func stop() {
        state.withLock { $0.stopping = true }
        wake()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        let mustWake = state.withLock { state in
            state.jobs.append(unowned)
            let wasWaiting = state.waiting
            state.waiting = false
            // The thread itself (resuming a continuation from the idle handler) needs no wake-up.
            let onThread = state.thread.map { pthread_equal($0, pthread_self()) != 0 } ?? false
            return wasWaiting && !onThread
        }
        if mustWake { wake() }
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    /// Lets `assumeIsolated` prove, at run time, that the idle handler runs on this thread.
    func checkIsolated() {
        precondition(isCurrent, "not on the AMQP connection thread '\(name)'")
    }

    var isCurrent: Bool {
        guard let thread = state.withLock({ $0.thread }) else { return false }
        return pthread_equal(thread, pthread_self()) != 0
    }

    /// Drains the pipe so the next wait blocks again.
    func clearWake() {
        var buffer = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        while read(wakeDescriptor, &buffer, 32) == 32 {}
    }

    fileprivate func wake() {
        var one: UInt8 = 1
        _ = write(wakeWriteDescriptor, &one, 1)
    }

    private func run() {
        state.withLock { $0.thread = pthread_self() }
        let executor = asUnownedSerialExecutor()
        var batch: [UnownedJob] = []
        while true {
            let (idle, stopping) = state.withLock { state -> ((@Sendable () -> Void)?, Bool) in
                swap(&batch, &state.jobs)
                if batch.isEmpty { state.waiting = true }
                return (state.idleHandler, state.stopping)
            }
            if !batch.isEmpty {
                for job in batch { job.runSynchronously(on: executor) }
                batch.removeAll(keepingCapacity: true)
                continue
            }
            if stopping { break }
            if let idle {
                idle()
            } else {
                var descriptor = pollfd(fd: wakeDescriptor, events: Int16(POLLIN), revents: 0)
                _ = poll(&descriptor, 1, 1000)
            }
            clearWake()
            state.withLock { $0.waiting = false }
        }
        state.withLock { $0.thread = nil }
    }
}

extension ConnectionThread {
    /// Wakes the thread if it is waiting, so its idle handler runs again soon (used when a
    /// consumer settles a message without enqueueing a job).
    func nudge() {
        let mustWake = state.withLock { state in
            let wasWaiting = state.waiting
            state.waiting = false
            return wasWaiting
        }
        if mustWake { wake() }
    }
}
