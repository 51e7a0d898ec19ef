import Foundation
import ReassureGateways
import ReassureStore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Worker processes die at random moments (SIGKILL, no chance to clean up) and are restarted,
/// as a machine crash or an OOM kill would do, while 2,000 contacts go out.
@Suite(.serialized, .timeLimit(.minutes(5))) struct CrashTests {
    @Test func everyContactIsDeliveredExactlyOnceWhileWorkersAreKilled() async throws {
        // 10 days per real second: the 0h/1d/3d schedule is due within half a second.
        let harness = try await WorkerHarness.make([
            "REASSURE_CLOCK_SCALE": "864000", "REASSURE_LEASE_SECONDS": "5", "REASSURE_SENDING_TIMEOUT_SECONDS": "3",
            "REASSURE_RECEIPT_TIMEOUT_SECONDS": "3", "REASSURE_LOG_LEVEL": "warning", "REASSURE_STUB_REVEAL_ADDRESSES": "0",
        ])
        let cases = 667
        var events: [[String: Any]] = []
        for index in 0..<cases {
            events.append(reportedEvent(reference: "CAS \(index)/11/2026", unit: "unit-\(index % 4)", phone: "+2782\(String(format: "%07d", index))"))
        }
        let workers = WorkerProcesses(environment: harness.environment, logDirectory: harness.directory)
        defer { workers.killAll() }
        try workers.start(count: 2)
        try await harness.publish(events)

        // Kill and restart for 12 s, at random moments.
        var kills = 0
        let chaosEnds = ContinuousClock.now + .seconds(12)
        while ContinuousClock.now < chaosEnds {
            try await Task.sleep(for: .milliseconds(Int.random(in: 300...1500)))
            await workers.killRandom()
            kills += 1
            try workers.restartDead()
        }
        do {
            try await eventually("every contact is delivered", timeout: .seconds(120)) {
                try await harness.store.contactCounts()[.delivered] == cases * 3
            }
        } catch {
            Issue.record("contacts by state: \(try await harness.store.contactCounts()); dead letters: \(try await harness.broker.inspect(queue: "reassure.dead").messages)")
            throw error
        }
        await workers.stopAll()

        let counts = try await harness.store.contactCounts()
        #expect(counts[.delivered] == cases * 3)
        #expect(counts.filter { $0.key != .delivered }.values.reduce(0, +) == 0, "nothing left behind: \(counts)")
        let sent = try harness.sent()
        let perContact = Dictionary(grouping: sent) { $0.idempotencyKey.split(separator: ":").first.map(String.init) ?? "" }
        #expect(perContact.count == cases * 3, "every contact reached the gateway")
        #expect(perContact.values.allSatisfy { $0.count == 1 }, "no victim got a message twice: \(perContact.values.filter { $0.count > 1 }.count) duplicates")
        #expect(kills >= 5)
        try await harness.close()
    }
}

/// `reassure` processes built next to the tests, started with posix_spawn and reaped with
/// waitpid on a thread of their own: nothing here blocks the cooperative pool, and Foundation's
/// `Process` (which can miss a child's exit when several run at once) is not used.
final class WorkerProcesses: @unchecked Sendable {
    private var running: [(pid: pid_t, arguments: [String])] = []
    private let environment: [String: String]
    private let logDirectory: URL
    private var started = 0

    init(environment: [String: String], logDirectory: URL) {
        self.environment = environment
        self.logDirectory = logDirectory
    }

    static func executable() throws -> URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent(".build/debug"),
        ].map { $0.appendingPathComponent("reassure") }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw HarnessError("the reassure executable is not built: run swift build --build-tests")
        }
        return found
    }

    func start(count: Int) throws {
        for _ in 0..<count { try launch(["worker"]) }
    }

    /// Starts `reassure ARGUMENTS…` with the environment, its output in the log directory.
    func launch(_ arguments: [String]) throws {
        started += 1
        var environment = ProcessInfo.processInfo.environment.merging(self.environment) { _, new in new }
        environment["REASSURE_WORKER_ID"] = "test-\(arguments[0])-\(started)"
        let log = logDirectory.appendingPathComponent("\(arguments[0])-\(started).log").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let executable = try Self.executable().path
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0)=\($1)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        guard posix_spawn(&pid, executable, &actions, nil, argv, envp) == 0 else { throw HarnessError("could not start reassure \(arguments[0])") }
        running.append((pid, arguments))
    }

    /// SIGKILLs one running process at random and waits for it to die.
    func killRandom() async {
        guard let index = running.indices.randomElement() else { return }
        let victim = running.remove(at: index)
        kill(victim.pid, SIGKILL)
        _ = await Self.reap(victim.pid)
        running.append((-1, victim.arguments))
    }

    /// Restarts what was killed; fails if a process exited by itself (a start-up error).
    func restartDead() throws {
        for (index, process) in running.enumerated().reversed() {
            if process.pid == -1 {
                running.remove(at: index)
                try launch(process.arguments)
                continue
            }
            var status: Int32 = 0
            if waitpid(process.pid, &status, WNOHANG) == process.pid {
                throw HarnessError("reassure \(process.arguments[0]) exited by itself (status \(status)); see \(logDirectory.path)")
            }
        }
    }

    /// SIGTERM (a graceful stop), then SIGKILL for anything still running after 40 s.
    func stopAll() async {
        let pids = running.map(\.pid).filter { $0 > 0 }
        running.removeAll()
        for pid in pids { kill(pid, SIGTERM) }
        await withTaskGroup(of: Void.self) { group in
            for pid in pids {
                group.addTask {
                    let watchdog = Task {
                        try await Task.sleep(for: .seconds(40))
                        kill(pid, SIGKILL)
                    }
                    _ = await Self.reap(pid)
                    watchdog.cancel()
                }
            }
        }
    }

    /// Last resort from a `defer`: kill without waiting.
    func killAll() {
        for process in running where process.pid > 0 { kill(process.pid, SIGKILL) }
    }

    /// waitpid on a thread of its own.
    static func reap(_ pid: pid_t) async -> Int32 {
        await withCheckedContinuation { continuation in
            Thread {
                var status: Int32 = 0
                while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                continuation.resume(returning: status)
            }.start()
        }
    }
}
