import Foundation
import InMemoryTracing
import RdKafka
import Testing
import Tracing

@Suite("Tracing: consumer process and poll spans from the context in record headers")
struct ConsumerTracingTests {
    /// A `traceparent` as another client (say a Java service) would write it.
    static let foreignTraceID = "0af7651916cd43dd8448eb211c80319c"
    static let foreignSpanID = "b7ad6b7169203331"
    static let foreign = "00-\(foreignTraceID)-\(foreignSpanID)-01"

    func tracedConsumer(
        _ cluster: TestCluster,
        _ topic: String,
        _ tracer: W3CTestTracer,
        relation: TracingConfiguration.ProcessSpanRelation = .child
    ) throws -> (KafkaConsumer<String, String>, group: String) {
        var configuration = cluster.consumerConfiguration()
        configuration.tracing = TracingConfiguration(tracer: tracer, processSpanRelation: relation)
        return (try cluster.assignedConsumer(topic, configuration: configuration), configuration.groupID ?? "")
    }

    /// Writes records with the foreign `traceparent` (or none), from an untraced producer.
    func produceForeign(_ cluster: TestCluster, topic: String, keys: [String], withContext: Bool = true) async throws {
        var configuration = cluster.producerConfiguration()
        configuration.tracing = .disabled
        let producer = try KafkaProducer(configuration: configuration, keySerializer: .string, valueSerializer: .string)
        for key in keys {
            let headers = withContext ? [RecordHeader(key: "traceparent", value: Self.foreign)] : []
            _ = try await producer.send(ProducerRecord(topic: topic, partition: 0, key: key, value: "v", headers: headers))
        }
        await producer.close()
    }

    @Test("withSpan(for:) runs the body in a process span whose parent is the context another client wrote")
    func processSpanFromForeignContext() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic(partitions: 1)
        try await produceForeign(cluster, topic: topic, keys: ["k0"])
        let tracer = W3CTestTracer()
        let (consumer, group) = try tracedConsumer(cluster, topic, tracer)
        let record = try #require(try await readRecords(consumer, count: 1).first)
        let inside = await consumer.withSpan(for: record) { span in
            ServiceContext.current?.inMemorySpanContext
        }
        await consumer.close()

        let span = try #require(tracer.finishedSpans(named: "process \(topic)").first)
        #expect(inside?.spanID == span.spanID, "the span's context is current inside the body")
        #expect(span.kind == .consumer)
        #expect(span.traceID == Self.foreignTraceID)
        #expect(span.parentSpanID == Self.foreignSpanID)
        #expect(span.string("messaging.system") == "kafka")
        #expect(span.string("messaging.operation.type") == "process")
        #expect(span.string("messaging.destination.name") == topic)
        #expect(span.string("messaging.destination.partition.id") == "0")
        #expect(span.integer("messaging.kafka.offset") == 0)
        #expect(span.string("messaging.kafka.message.key") == "k0")
        #expect(span.string("messaging.kafka.consumer.group") == group)
        #expect(span.links.isEmpty)
    }

    @Test("with the link relation, the process span continues the current trace and links to the record's context")
    func processSpanLinked() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic(partitions: 1)
        try await produceForeign(cluster, topic: topic, keys: ["k0"])
        let tracer = W3CTestTracer()
        let (consumer, _) = try tracedConsumer(cluster, topic, tracer, relation: .link)
        let record = try #require(try await readRecords(consumer, count: 1).first)
        await tracer.withSpan("job") { _ in
            await consumer.withSpan(for: record) { _ in }
        }
        await consumer.close()

        let job = try #require(tracer.finishedSpans(named: "job").first)
        let span = try #require(tracer.finishedSpans(named: "process \(topic)").first)
        #expect(span.parentSpanID == job.spanID)
        #expect(span.links.count == 1)
        #expect(span.links.first?.context.inMemorySpanContext?.spanID == Self.foreignSpanID)
        #expect(span.links.first?.context.inMemorySpanContext?.traceID == Self.foreignTraceID)
    }

    @Test("forEachInSpan processes each record in its span; an error thrown ends the loop and marks the span")
    func forEachInSpan() async throws {
        struct Stop: Error {}
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic(partitions: 1)
        try await produceForeign(cluster, topic: topic, keys: ["k0", "k1"])
        let tracer = W3CTestTracer()
        let (consumer, _) = try tracedConsumer(cluster, topic, tracer)
        var seen: [String] = []
        await #expect(throws: Stop.self) {
            try await consumer.records.forEachInSpan { record in
                seen.append(record.key ?? "")
                #expect(ServiceContext.current?.inMemorySpanContext?.parentSpanID == Self.foreignSpanID)
                if seen.count == 2 { throw Stop() }
            }
        }
        await consumer.close()
        #expect(seen == ["k0", "k1"])
        let spans = tracer.finishedSpans(named: "process \(topic)")
        try #require(spans.count == 2)
        #expect(spans[0].status == nil)
        #expect(spans[1].status?.code == .error)
        #expect(spans[1].errors.count == 1)
        #expect(spans[1].string("error.type")?.hasSuffix("Stop") == true)
        #expect(spans.allSatisfy { $0.parentSpanID == Self.foreignSpanID })
    }

    @Test("a batch poll is one span linked to the context of each record that carries one")
    func pollSpan() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic(partitions: 1)
        try await produceForeign(cluster, topic: topic, keys: ["k0", "k1"])
        try await produceForeign(cluster, topic: topic, keys: ["k2"], withContext: false)
        let tracer = W3CTestTracer()
        let (consumer, group) = try tracedConsumer(cluster, topic, tracer)
        var records: [ConsumerRecord<String, String>] = []
        let deadline = ContinuousClock.now + .seconds(20)
        while records.count < 3, ContinuousClock.now < deadline {
            records += try consumer.poll(maxRecords: 10, timeout: .milliseconds(100))
        }
        await consumer.close()
        try #require(records.count == 3)

        let polls = tracer.finishedSpans.filter { $0.operationName == "poll \(topic)" }
        #expect(!polls.isEmpty)
        #expect(polls.allSatisfy { $0.kind == .client && $0.string("messaging.operation.type") == "receive" })
        #expect(polls.allSatisfy { $0.string("messaging.kafka.consumer.group") == group })
        #expect(polls.reduce(0) { $0 + Int($1.integer("messaging.batch.message_count") ?? 0) } == 3)
        let links = polls.flatMap(\.links)
        #expect(links.count == 2, "the record without a context has no link")
        #expect(links.allSatisfy { $0.context.inMemorySpanContext?.spanID == Self.foreignSpanID })
        #expect(links.compactMap { link -> Int64? in
            if case .int64(let offset) = link.attributes.get("messaging.kafka.offset") { return offset }
            return nil
        }.sorted() == [0, 1])
    }

    @Test("end to end: the consumer's process span is a child of the producer's send span, across the broker")
    func endToEnd() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic(partitions: 1)
        let producing = W3CTestTracer()
        var producerConfiguration = cluster.producerConfiguration()
        producerConfiguration.tracing = .enabled(tracer: producing)
        let producer = try KafkaProducer(configuration: producerConfiguration, keySerializer: .string, valueSerializer: .string)
        try await producing.withSpan("checkout") { _ in
            _ = try await producer.send(ProducerRecord(topic: topic, key: "order-1", value: "42"))
        }
        await producer.close()

        let consuming = W3CTestTracer()
        let (consumer, _) = try tracedConsumer(cluster, topic, consuming)
        let record = try #require(try await readRecords(consumer, count: 1).first)
        #expect(record.value == "42")
        await consumer.withSpan(for: record) { _ in }
        await consumer.close()

        let checkout = try #require(producing.finishedSpans(named: "checkout").first)
        let send = try #require(producing.finishedSpans(named: "send \(topic)").first)
        let process = try #require(consuming.finishedSpans(named: "process \(topic)").first)
        #expect(send.parentSpanID == checkout.spanID)
        #expect(process.traceID == checkout.traceID, "one trace across the two services")
        #expect(process.parentSpanID == send.spanID)
    }

    @Test("without tracing, withSpan(for:) just runs the body")
    func untraced() async throws {
        let cluster = try TestCluster.make()
        let topic = try cluster.createTopic(partitions: 1)
        try await produceForeign(cluster, topic: topic, keys: ["k0"])
        let consumer = try cluster.assignedConsumer(topic)
        let record = try #require(try await readRecords(consumer, count: 1).first)
        let value = await consumer.withSpan(for: record) { span in
            #expect(!span.isRecording)
            return record.value
        }
        await consumer.close()
        #expect(value == "v")
    }
}
