import Foundation
import RdKafkaTestSupport

/// Type-checks a guide's Swift snippet as the top-level code of a `main.swift`, as a reader
/// pasting it into an executable would, with warnings as errors.
///
/// Overload resolution differs there from inside an async function (top-level code prefers
/// synchronous overloads), so snippets compiled only inside functions can hide a trap.
/// The names a snippet uses but does not declare (the reader's own `servers`, `Order`,
/// `handle`, ...) come from a prelude file in the same module; a prelude entry is left out
/// when the snippet declares that name itself.
struct TopLevelSnippetCompiler: Sendable {
    let swiftc: URL
    let modules: URL
    let shimsModuleMap: URL
    let cRdKafka: URL

    /// The compiler and the modules of the build that runs this test; `nil` when either
    /// cannot be found (for example a toolchain without `swiftc` on `PATH`).
    static let current: TopLevelSnippetCompiler? = {
        let environment = ProcessInfo.processInfo.environment
        let candidates = (environment["SWIFTC"].map { [$0] } ?? [])
            + (environment["PATH"] ?? "").split(separator: ":").map { "\($0)/swiftc" }
        guard let swiftc = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return nil }
        // The test binary sits in the build's products folder (inside a bundle on macOS).
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("Modules/RdKafka.swiftmodule").path) {
            guard folder.pathComponents.count > 1 else { return nil }
            folder = folder.deletingLastPathComponent()
        }
        return TopLevelSnippetCompiler(
            swiftc: URL(fileURLWithPath: swiftc),
            modules: folder.appendingPathComponent("Modules"),
            shimsModuleMap: folder.appendingPathComponent("CRdKafkaShims.build/module.modulemap"),
            cRdKafka: repositoryRoot.appendingPathComponent("Modules/CRdKafka")
        )
    }()

    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The compiler's diagnostics, or `nil` when the snippet type-checks cleanly.
    func diagnostics(snippet: String, prelude: [(name: String, declaration: String)]) throws -> String? {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("snippet-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let imports = ["Foundation", "Logging", "Metrics", "RdKafka", "RdKafkaServiceLifecycle", "ServiceLifecycle", "Tracing"]
        let missingImports = imports.filter { !snippet.contains("import \($0)\n") }.map { "import \($0)\n" }.joined()
        let main = folder.appendingPathComponent("main.swift")
        try (missingImports + snippet).write(to: main, atomically: true, encoding: .utf8)
        let declarations = prelude.filter { !Self.declares(snippet, $0.name) }.map(\.declaration)
        let preludeFile = folder.appendingPathComponent("Prelude.swift")
        try (imports.map { "import \($0)\n" }.joined() + declarations.joined(separator: "\n") + "\n")
            .write(to: preludeFile, atomically: true, encoding: .utf8)

        let process = TestProcess()
        process.executableURL = swiftc
        process.arguments = [
            "-typecheck", "-swift-version", "6", "-warnings-as-errors",
            "-I", modules.path, "-I", cRdKafka.path,
            "-Xcc", "-fmodule-map-file=\(shimsModuleMap.path)",
            main.path, preludeFile.path,
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return process.terminationStatus == 0 ? nil : text
    }

    /// Whether `snippet` declares `name` at its top level or inside (a rough, textual check).
    private static func declares(_ snippet: String, _ name: String) -> Bool {
        snippet.range(of: #"\b(let|var|func|struct|class|enum|actor)\s+"# + name + #"\b"#, options: .regularExpression) != nil
    }

    /// The Swift code blocks of a Markdown file, in order.
    static func swiftBlocks(in markdown: String) -> [String] {
        var blocks: [String] = []
        var current: [Substring]?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line == "```swift" {
                current = []
            } else if let lines = current, line.hasPrefix("```") {
                blocks.append(lines.joined(separator: "\n") + "\n")
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    /// A package manifest (or a fragment of one), which is not application code.
    static func isManifest(_ block: String) -> Bool {
        block.contains("import PackageDescription") || block.hasPrefix(".package(") || block.hasPrefix(".product(")
    }

    /// Modules a guide shows but this package does not depend on (swift-otel's set-up):
    /// such a snippet cannot be type-checked here.
    static func importsOtherPackage(_ block: String) -> Bool {
        block.contains("import OTel")
    }
}
