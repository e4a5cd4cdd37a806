import Foundation
import Testing

/// Every Swift snippet in README.md and docs/, type-checked as top-level code (a reader's
/// `main.swift`) with warnings as errors. DocSnippets.swift and the example tests compile
/// some of them inside functions and run them; this catches what only top-level code sees,
/// such as an `await` on a call that resolves to a blocking overload. One compiler at a time
/// (`.serialized`): a dozen at once would starve the rest of the suite of CPU.
@Suite("Guides' snippets as top-level code", .serialized)
struct DocSnippetTopLevelTests {
    static let documents = ["README.md"] + [
        "admin", "configuration", "consumer", "getting-started", "observability", "producer",
        "reliability", "service-lifecycle", "testing", "transactions",
    ].map { "docs/\($0).md" }

    @Test(
        "each snippet type-checks as top-level code, warnings as errors",
        .enabled(if: TopLevelSnippetCompiler.current != nil, "needs swiftc on PATH (or SWIFTC) and the build's module folder"),
        arguments: documents
    )
    func snippets(document: String) throws {
        let compiler = try #require(TopLevelSnippetCompiler.current)
        let markdown = try String(contentsOf: TopLevelSnippetCompiler.repositoryRoot.appendingPathComponent(document), encoding: .utf8)
        let blocks = TopLevelSnippetCompiler.swiftBlocks(in: markdown).filter { !TopLevelSnippetCompiler.isManifest($0) && !TopLevelSnippetCompiler.importsOtherPackage($0) }
        #expect(!blocks.isEmpty || document == "docs/testing.md", "no Swift snippets found in \(document)")
        for (index, block) in blocks.enumerated() {
            if let diagnostics = try compiler.diagnostics(snippet: block, prelude: Self.prelude(for: document)) {
                Issue.record("\(document), Swift snippet \(index + 1) does not compile as top-level code:\n\(block)\n\(diagnostics)")
            }
        }
    }

    /// What the reader's program around a snippet would provide.
    static func prelude(for document: String) -> [(name: String, declaration: String)] {
        var entries: [(name: String, declaration: String)] = [
            ("stub", "func stub<T>() -> T { fatalError(\"never run: the snippets are only type-checked\") }"),
            ("Order", "struct Order: Codable, Sendable { var id: String; var amount: Int }"),
            ("orders", "let orders: [Order] = stub()"),
            ("servers", "let servers = [\"localhost:9092\"]"),
            ("secret", "let secret = \"\""),
            ("logger", "let logger = Logger(label: \"app\")"),
            ("handle", "func handle<T>(_ value: T) async throws {}"),
            ("bill", "func bill(_ order: Order) async throws {}"),
            ("process", "func process<T>(_ value: T) {}"),
            ("resumeAt", "let resumeAt: Int64 = 0"),
            ("enrich", "func enrich(_ value: String?) -> String { value ?? \"\" }"),
            ("CommitOnRevoke", "struct CommitOnRevoke: RebalanceListener {}"),
            ("admin", "let admin: KafkaAdminClient = stub()"),
            ("producerConfiguration", "let producerConfiguration = ProducerConfiguration(bootstrapServers: servers)"),
            ("consumerConfiguration", "let consumerConfiguration = ConsumerConfiguration(bootstrapServers: servers, groupID: \"billing\")"),
            ("httpServer", "struct HTTPServer: Service { func run() async throws {} }\nlet httpServer = HTTPServer()"),
        ]
        switch document {
        case "docs/consumer.md":
            entries += [
                ("consumer", "let consumer: KafkaConsumer<String, String> = stub()"),
                ("configuration", "nonisolated(unsafe) var configuration = ConsumerConfiguration(bootstrapServers: servers)"),
                ("log", "func log(_ value: Any) {}"),
            ]
        case "docs/producer.md":
            entries += [
                ("producer", "let producer: KafkaProducer<String, Order> = stub()"),
                ("record", "let record: ProducerRecord<String, Order> = stub()"),
                ("log", "func log(_ value: Any) {}"),
                ("skip", "func skip(_ record: ProducerRecord<String, Order>) {}"),
                ("slowDown", "func slowDown() {}"),
                ("recreateProducer", "func recreateProducer() {}"),
            ]
        case "docs/reliability.md":
            entries += [("consumer", "let consumer: KafkaConsumer<String, String> = stub()")]
        case "docs/observability.md", "docs/configuration.md":
            entries += [
                ("configuration", "nonisolated(unsafe) var configuration = ProducerConfiguration(bootstrapServers: servers)"),
                ("restartProducer", "@Sendable func restartProducer() {}"),
                ("alert", "@Sendable func alert(_ message: String) {}"),
                ("log", "@Sendable func log(_ value: Any) {}"),
                ("record", "@Sendable func record<T>(_ value: T) {}"),
                ("PrometheusMetricsFactory", "func PrometheusMetricsFactory() -> some MetricsFactory { NOOPMetricsHandler.instance }"),
                ("currentTraceParent", "func currentTraceParent() -> String { \"\" }"),
                ("failures", "let failures = Counter(label: \"failures\")"),
                ("password", "let password = \"\""),
                ("consumer", "let consumer: KafkaConsumer<String, Order> = stub()"),
                ("myTracer", "let myTracer: any Tracer = stub()"),
            ]
        default:
            break
        }
        return entries
    }
}
