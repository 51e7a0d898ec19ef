import ArgumentParser
import Foundation
import ReassureServer
import ReassureStore

/// `reassure token create|list|revoke`: API tokens, stored as SHA-256 only.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Create, list and revoke API tokens.",
        discussion: "Roles: integrator (POST /v1/events), operator (cases and tasks), gateway, admin (everything). Reads REASSURE_STORE_URL and the data key.",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token and print it, alone, on standard output. It is shown once: store it now.")

        @Option(help: "integrator, operator, gateway or admin.") var role: String
        @Option(help: "A unique name for the token (default: <role>-<random>); it appears in the audit log.") var name: String?

        func validate() throws {
            guard Role(rawValue: role) != nil else {
                throw ValidationError("--role must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }

        func run() async throws {
            bootstrapLogging(ProcessInfo.processInfo.environment, fallback: .warning)
            let store = try await openStore()
            let chosen = name ?? "\(role)-\(UUID().uuidString.prefix(8).lowercased())"
            do {
                let token = try await store.createToken(name: chosen, role: role)
                print(token)
                printError("created token '\(chosen)' with role \(role); it is not shown again")
            } catch let error as StoreError {
                await store.close()
                printError("reassure token create: \(error)")
                throw ExitCode(1)
            }
            await store.close()
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (names, roles, dates; never the tokens).")

        func run() async throws {
            bootstrapLogging(ProcessInfo.processInfo.environment, fallback: .warning)
            let store = try await openStore()
            let tokens = try await store.tokens()
            await store.close()
            let width = max(4, tokens.map(\.name.count).max() ?? 4)
            print("NAME".padding(toLength: width, withPad: " ", startingAt: 0) + "  ROLE        CREATED               REVOKED")
            for token in tokens {
                print(token.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                      + token.role.padding(toLength: 10, withPad: " ", startingAt: 0) + "  " + stamp(token.createdAt) + "  "
                      + (token.revokedAt.map(stamp) ?? "-"))
            }
        }

        private func stamp(_ date: Date) -> String {
            date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false))
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by name; it stops working at once.")

        @Argument(help: "The token's name.") var name: String

        func run() async throws {
            bootstrapLogging(ProcessInfo.processInfo.environment, fallback: .warning)
            let store = try await openStore()
            let revoked = try await store.revokeToken(name: name)
            await store.close()
            guard revoked else {
                printError("reassure token revoke: no active token named '\(name)'")
                throw ExitCode(1)
            }
            printError("revoked token '\(name)'")
        }
    }
}
