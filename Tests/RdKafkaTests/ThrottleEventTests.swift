import Logging
@testable import RdKafka
import Testing

/// `onThrottle` below librdkafka. An end-to-end test cannot exist with this project's
/// brokers: librdkafka 2.0.2's mock writes a throttle time of 0 into every response and
/// rdkafka_mock.h offers only round-trip delays (`rd_kafka_mock_broker_set_rtt`), not
/// throttling; noida-db 0.2.3 has no quotas; and librdkafka has no call that makes a client
/// run its throttle callback. So the path is tested from the callback's receiver on: what
/// librdkafka's throttle callback hands the client reaches `onThrottle`, or the log.
@Suite("Throttle events")
struct ThrottleEventTests {
    private let event = ThrottleEvent(brokerName: "broker-1:9092/1", brokerID: 1, duration: .milliseconds(250))

    @Test("a producer's and a consumer's throttle callbacks reach onThrottle unchanged")
    func reachesHandler() {
        let received = Guarded<[ThrottleEvent]>([])
        var producerConfiguration = ProducerConfiguration(bootstrapServers: ["localhost:9092"])
        producerConfiguration.onThrottle = { event in received.withLock { $0.append(event) } }
        let producerEvents = ProducerEventReceiver(configuration: producerConfiguration, onStatistics: nil, onAcknowledgement: nil)
        producerEvents.didReceive(throttle: event)

        var consumerConfiguration = ConsumerConfiguration(bootstrapServers: ["localhost:9092"], groupID: "g")
        consumerConfiguration.onThrottle = { event in received.withLock { $0.append(event) } }
        let consumerEvents = ConsumerEventReceiver(configuration: consumerConfiguration, onStatistics: nil)
        consumerEvents.didReceive(throttle: event)

        #expect(received.withLock { $0 } == [event, event])
    }

    @Test("without onThrottle a throttle is logged at notice, naming the broker and the time")
    func logged() {
        let (logger, logs) = InMemoryLogHandler.logger(level: .notice)
        var configuration = ProducerConfiguration(bootstrapServers: ["localhost:9092"])
        configuration.logger = logger
        let events = ProducerEventReceiver(configuration: configuration, onStatistics: nil, onAcknowledgement: nil)
        events.didReceive(throttle: event)
        let line = logs.all.first { $0.message.contains("throttled") }
        #expect(line?.level == .notice)
        #expect(line?.metadata["broker"] == "broker-1:9092/1")
    }
}
