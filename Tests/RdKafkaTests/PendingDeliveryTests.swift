@testable import RdKafka
import Testing

@Suite("PendingDelivery: the outcome reaches every reader, whenever it reads")
struct PendingDeliveryTests {
    private static let metadata = RecordMetadata(topic: "t", partition: 1, offset: 42, timestamp: nil, timestampKind: .notAvailable)

    @Test("tasks waiting before the outcome is known are all resumed with it")
    func waitersResumed() async throws {
        for _ in 0..<200 {
            let pending = PendingDelivery(topic: "t")
            try await withThrowingTaskGroup(of: Int64.self) { group in
                for _ in 0..<4 { group.addTask { try await pending.metadata.offset } }
                // Some tasks wait, some race the completion: both paths must deliver.
                await Task.yield()
                pending.complete(.success(Self.metadata))
                for try await offset in group { #expect(offset == 42) }
            }
            #expect(pending.isComplete)
        }
    }

    @Test("an outcome known before anyone reads is returned at once, as often as asked; a failure throws")
    func knownOutcome() async throws {
        let pending = PendingDelivery(topic: "t")
        #expect(!pending.isComplete)
        pending.complete(.success(Self.metadata))
        #expect(try await pending.metadata.offset == 42)
        #expect(try await pending.metadata.offset == 42)

        let failed = PendingDelivery(topic: "t")
        failed.complete(.failure(KafkaError(code: .messageSizeTooLarge, message: "too large")))
        let error = await #expect(throws: KafkaError.self) { try await failed.metadata }
        #expect(error?.code == .messageSizeTooLarge)
        if case .failure(let failure) = await failed.result { #expect(failure.code == .messageSizeTooLarge) }
    }
}
