import ArgumentParser
import Foundation
import Testing
@testable import RdKafkaCLI

/// Every `rdkafka` command line in docs/cli.md parses and validates, so the guide cannot
/// drift from the tool's options. (They are not run: most need a real cluster.)
@Suite("docs/cli.md command lines")
struct DocCommandLineTests {
    @Test func everyDocumentedCommandLineParses() throws {
        let guide = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/cli.md")
        let text = try String(contentsOf: guide, encoding: .utf8)
        let commandLines = Self.commandLines(in: text)
        #expect(commandLines.count > 40)
        for line in commandLines {
            let words = try Self.words(line)
            do {
                _ = try RdKafkaCommand.parseAsRoot(Array(words.dropFirst()))
            } catch {
                // --help and --generate-completion-script end parsing with a clean exit.
                #expect(RdKafkaCommand.exitCode(for: error) == .success, "\(line): \(RdKafkaCommand.message(for: error))")
            }
        }
    }

    /// Command lines in sh blocks (after a pipe, without redirections and comments) and in
    /// backticks, except placeholders with `...`.
    static func commandLines(in text: String) -> [String] {
        var lines: [String] = []
        var inShell = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") {
                inShell = line == "```sh"
                continue
            }
            if inShell {
                var command = String(line)
                if let pipe = command.range(of: "| rdkafka ") { command = String(command[command.index(after: pipe.lowerBound)...]) }
                if let comment = command.range(of: " #") { command = String(command[..<comment.lowerBound]) }
                for redirection in [" > ", " < "] {
                    if let range = command.range(of: redirection) { command = String(command[..<range.lowerBound]) }
                }
                command = command.trimmingCharacters(in: .whitespaces)
                if command.hasPrefix("rdkafka ") { lines.append(command) }
            } else {
                for (index, span) in line.split(separator: "`", omittingEmptySubsequences: false).enumerated()
                where index % 2 == 1 && span.hasPrefix("rdkafka ") && !span.contains("...") {
                    lines.append(String(span))
                }
            }
        }
        return lines
    }

    /// The words of a shell line, with single and double quotes.
    static func words(_ line: String) throws -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var inWord = false
        for character in line {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "'" || character == "\"" {
                quote = character
                inWord = true
            } else if character == " " {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if quote != nil { throw ValidationError("unbalanced quote in \(line)") }
        if inWord { words.append(current) }
        return words
    }
}
