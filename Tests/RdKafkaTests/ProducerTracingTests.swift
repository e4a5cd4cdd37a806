import Foundation
import InMemoryTracing
import RdKafka
import Synchronization
import Testing
import Tracing

@Suite("Tracing: producer send spans and the context in record headers")
struct ProducerTracingTests {
    func tracedProducer(
        _ cluster: TestCluster,
        _ tracer: W3CTestTracer,
        replacing: Bool = false
    ) throws -> KafkaProducer<String, String> {
        var configuration = cluster.producerConfiguration()
        configuration.tracing = TracingConfiguration(tracer: tracer, replacesRecordTraceContext: replacing)
        return try KafkaProducer(configuration: configuration, keySerializer: .string, valueSerializer: .string)
    }

    @Test("a send is a producer span, child of the current span, ended with partition and offset; its context is in the headers, byte for byte")
    func sendSpan() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic(partitions: 1)
        let tracer = W3CTestTracer()
        let producer = try tracedProducer(cluster, tracer)
        try await tracer.withSpan("handle request") { _ in
            _ = try await producer.send(ProducerRecord(topic: topic, key: "k1", value: "v1"))
            _ = try await producer.send(ProducerRecord(topic: topic, key: "k2", value: "v2"))
        }
        await producer.close()

        let request = try #require(tracer.finishedSpans(named: "handle request").first)
        let sends = tracer.finishedSpans(named: "send \(topic)")
        try #require(sends.count == 2)
        for (index, send) in sends.enumerated() {
            #expect(send.kind == .producer)
            #expect(send.traceID == request.traceID)
            #expect(send.parentSpanID == request.spanID)
            #expect(send.string("messaging.system") == "kafka")
            #expect(send.string("messaging.operation.name") == "send")
            #expect(send.string("messaging.operation.type") == "send")
            #expect(send.string("messaging.destination.name") == topic)
            #expect(send.string("messaging.destination.partition.id") == "0")
            #expect(send.string("messaging.kafka.message.key") == "k\(index + 1)")
            #expect(send.integer("messaging.kafka.offset") == Int64(index))
            #expect(send.status == nil)
        }

        let records = try RawConsumer.readAll(topic: topic, count: 2, bootstrapServers: cluster.bootstrapServers)
        try #require(records.count == 2)
        for (record, send) in zip(records, sends) {
            #expect(record.headers == [
                RecordHeader(key: "traceparent", value: Array(W3CTestTracer.traceparent(of: send).utf8)),
                RecordHeader(key: "tracestate", value: Array("rdkafka-test=1".utf8)),
            ])
        }
        let first = try #require(records.first?.headers.first?.value)
        #expect(first.count == 55, "version, 16-byte trace id, 8-byte span id and flags in hex, dash-separated")
    }

    @Test("every send mode ends its span with the delivery report: enqueue, callback, sendAndForget")
    func everySendMode() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic(partitions: 1)
        let tracer = W3CTestTracer()
        let producer = try tracedProducer(cluster, tracer)
        let pending = try await producer.enqueue(ProducerRecord(topic: topic, key: "enqueued", value: "1"))
        let called = Mutex<[Result<RecordMetadata, KafkaError>]>([])
        try producer.send(ProducerRecord(topic: topic, key: "callback", value: "2")) { result in
            called.withLock { $0.append(result) }
        }
        try producer.sendAndForget(ProducerRecord(topic: topic, key: "forgotten", value: "3"))
        let metadata = try await pending.metadata
        #expect(metadata.offset == 0)
        await producer.close()

        #expect(called.withLock { $0.count } == 1)
        let sends = tracer.finishedSpans(named: "send \(topic)")
        #expect(sends.count == 3)
        let byKey = Dictionary(uniqueKeysWithValues: sends.compactMap { span in span.string("messaging.kafka.message.key").map { ($0, span) } })
        #expect(byKey["enqueued"]?.integer("messaging.kafka.offset") == 0)
        #expect(byKey["callback"]?.integer("messaging.kafka.offset") == 1)
        #expect(byKey["forgotten"]?.integer("messaging.kafka.offset") == 2)

        let records = try RawConsumer.readAll(topic: topic, count: 3, bootstrapServers: cluster.bootstrapServers)
        for record in records {
            let key = String(decoding: record.key ?? [], as: UTF8.self)
            let span = try #require(byKey[key])
            #expect(record.headers.lastValue(forKey: "traceparent") == Array(W3CTestTracer.traceparent(of: span).utf8))
        }
    }

    @Test("a failed delivery ends its span with error status and error.type")
    func failedSend() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic(partitions: 1)
        let tracer = W3CTestTracer()
        let producer = try tracedProducer(cluster, tracer)
        let failure = await #expect(throws: KafkaError.self) {
            try await producer.send(ProducerRecord(topic: topic, partition: 7, key: "k", value: "v"))
        }
        await producer.close()
        let span = try #require(tracer.finishedSpans(named: "send \(topic)").first)
        #expect(span.status?.code == .error)
        #expect(span.string("error.type") == failure?.code.description)
        #expect(span.errors.count == 1)
        #expect(span.integer("messaging.kafka.offset") == nil)
    }

    @Test("a traceparent the record already carries is kept, unless the configuration says to replace it")
    func ownTraceparent() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic(partitions: 1)
        let own = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
        let headers = [RecordHeader(key: "traceparent", value: own), RecordHeader(key: "app", value: "x")]

        let keeping = W3CTestTracer()
        let producer = try tracedProducer(cluster, keeping)
        _ = try await producer.send(ProducerRecord(topic: topic, key: "kept", value: "v", headers: headers))
        await producer.close()

        let replacing = W3CTestTracer()
        let replacer = try tracedProducer(cluster, replacing, replacing: true)
        _ = try await replacer.send(ProducerRecord(topic: topic, key: "replaced", value: "v", headers: headers))
        await replacer.close()

        let records = try RawConsumer.readAll(topic: topic, count: 2, bootstrapServers: cluster.bootstrapServers)
        try #require(records.count == 2)
        #expect(records[0].headers == headers, "kept as sent: no second traceparent, no tracestate")
        #expect(keeping.finishedSpans(named: "send \(topic)").count == 1, "the send is still traced")
        let span = try #require(replacing.finishedSpans(named: "send \(topic)").first)
        #expect(records[1].headers == [
            RecordHeader(key: "app", value: "x"),
            RecordHeader(key: "traceparent", value: W3CTestTracer.traceparent(of: span)),
            RecordHeader(key: "tracestate", value: W3CTestTracer.state),
        ])
    }

    @Test("tracing switched off: no span and no header, even with a tracer")
    func disabled() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic(partitions: 1)
        let tracer = W3CTestTracer()
        var configuration = cluster.producerConfiguration()
        configuration.tracing = TracingConfiguration(isEnabled: false, tracer: tracer)
        let producer = try KafkaProducer(configuration: configuration, keySerializer: .string, valueSerializer: .string)
        try await tracer.withSpan("handle request") { _ in
            _ = try await producer.send(ProducerRecord(topic: topic, key: "k", value: "v"))
        }
        // The default: no tracer bootstrapped in this process, so nothing either.
        let untraced = try KafkaProducer(configuration: cluster.producerConfiguration(), keySerializer: .string, valueSerializer: .string)
        try await tracer.withSpan("handle request") { _ in
            _ = try await untraced.send(ProducerRecord(topic: topic, key: "k", value: "v"))
        }
        await producer.close()
        await untraced.close()
        #expect(tracer.finishedSpans.map(\.operationName) == ["handle request", "handle request"])
        let records = try RawConsumer.readAll(topic: topic, count: 2, bootstrapServers: cluster.bootstrapServers)
        #expect(records.count == 2)
        #expect(records.allSatisfy { $0.headers.isEmpty })
    }
}
