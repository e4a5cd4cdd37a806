import ArgumentParser
import Foundation
import Logging
import RdKafka

/// `rdkafka`: everyday Kafka work from a terminal, on the RdKafka library.
///
/// Exit codes: 0 success, 1 the work failed (a broker, a topic, a record), 2 the command line
/// was wrong. Every error is one line on stderr; data alone goes to stdout.
@main
struct RdKafkaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rdkafka",
        abstract: "Produce, consume and administer Kafka topics and consumer groups.",
        discussion: """
            Connect with -b host:port (or KAFKA_BOOTSTRAP_SERVERS), -X property=value and -F file.

            Examples:
              echo 'k1:hello' | rdkafka produce -b localhost:9092 -K : orders
              rdkafka consume -b localhost:9092 -o beginning -e -f '%k %s (%p@%o)\\n' orders
              rdkafka consume -J -c 10 orders:0:100
              rdkafka topics create orders --partitions 6
              rdkafka groups reset-offsets billing --topic orders --to-earliest --execute
              rdkafka lag billing

            Exit codes: 0 success, 1 failure, 2 usage error.
            """,
        version: "0.1.0",
        subcommands: [
            ProduceCommand.self,
            ConsumeCommand.self,
            TopicsCommand.self,
            GroupsCommand.self,
            MetadataCommand.self,
            LagCommand.self,
            EmbeddedCommand.self,
        ]
    )

    static func main() async {
        // Writes to a closed pipe fail with EPIPE instead of killing the process, so a
        // consumer piped into `head` stops cleanly (see OutputStream).
        signal(SIGPIPE, SIG_IGN)
        // swift-log's default handler writes to stdout, which belongs to the data.
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        let status = await run(arguments: Array(CommandLine.arguments.dropFirst()))
        Foundation.exit(status)
    }

    /// Parses and runs one command line; returns the exit status. Every error ends here as
    /// one line on stderr, never as a trap or a stack trace.
    static func run(arguments: [String]) async -> Int32 {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch let failure as CLIFailure {
            Diagnostics.line("rdkafka: \(failure)")
            return 1
        } catch let error as KafkaError {
            Diagnostics.line("rdkafka: \(error.oneLine)")
            return 1
        } catch let code as ExitCode {
            return code.rawValue
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                // --help, --version, --generate-completion-script.
                print(fullMessage(for: error))
                return 0
            }
            let line = message(for: error).split(whereSeparator: \.isNewline).joined(separator: " ")
            guard code == .validationFailure else {
                Diagnostics.line("rdkafka: \(line)")
                return 1
            }
            Diagnostics.line("rdkafka: \(line) (see --help)")
            return 2
        }
    }
}
