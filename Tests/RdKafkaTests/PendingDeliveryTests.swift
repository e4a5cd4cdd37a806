@testable import RdKafka
import Testing

@Suite("PendingDelivery: the outcome reaches every reader, whenever it reads; slots live as long as their values and reports")
struct PendingDeliveryTests {
    private static func metadata(offset: Int) -> RecordMetadata {
        RecordMetadata(topic: "t", partition: 1, offset: Int64(offset), timestamp: nil, timestampKind: .notAvailable)
    }

    /// Completes and releases `opaque` as a delivery report does.
    private static func report(_ opaque: UnsafeMutableRawPointer, _ result: Result<RecordMetadata, KafkaError>) {
        DeliveryContext.complete(opaque, with: result)
        DeliveryContext.release(opaque)
    }

    @Test("tasks waiting before the outcome is known are all resumed with it")
    func waitersResumed() async throws {
        let slab = Slab<PendingDeliveryChunk>()
        for round in 0..<200 {
            let (pending, opaque) = slab.take(topic: "t")
            try await withThrowingTaskGroup(of: RecordMetadata.self) { group in
                for _ in 0..<4 { group.addTask { try await pending.metadata } }
                // Some tasks wait, some race the completion: both paths must deliver.
                await Task.yield()
                Self.report(opaque, .success(Self.metadata(offset: round)))
                for try await metadata in group { #expect(metadata == Self.metadata(offset: round)) }
            }
            #expect(pending.isComplete)
        }
    }

    @Test("an outcome known before anyone reads is returned at once, as often as asked; a failure throws")
    func knownOutcome() async throws {
        let slab = Slab<PendingDeliveryChunk>()
        let (pending, opaque) = slab.take(topic: "t")
        #expect(!pending.isComplete)
        Self.report(opaque, .success(Self.metadata(offset: 42)))
        #expect(try await pending.metadata == Self.metadata(offset: 42))
        #expect(try await pending.metadata.offset == 42)

        let (failed, failedOpaque) = slab.take(topic: "t")
        Self.report(failedOpaque, .failure(KafkaError(code: .messageSizeTooLarge, message: "too large")))
        let error = await #expect(throws: KafkaError.self) { try await failed.metadata }
        #expect(error?.code == .messageSizeTooLarge)
        if case .failure(let failure) = await failed.result { #expect(failure.code == .messageSizeTooLarge) }
    }

    @Test("records of different topics sharing a chunk each read their own topic and outcome")
    func slotsAreDistinct() async throws {
        let slab = Slab<PendingDeliveryChunk>()
        let count = PendingDeliveryChunk.capacity * 2 + 7
        let taken = (0..<count).map { slab.take(topic: "topic-\($0 % 3)") }
        #expect(Set(taken.map { UInt(bitPattern: $0.1) }).count == count)
        // Reported out of order, as partitions do, half of them as one batch.
        let order = (0..<count).reversed()
        for index in order where index % 2 == 0 {
            DeliveryContext.complete(taken[index].1, with: .success(Self.metadata(offset: index)))
        }
        for index in order where index % 2 == 1 {
            Self.report(taken[index].1, .success(Self.metadata(offset: index)))
        }
        let evens = stride(from: 0, to: count, by: 2).map { taken[$0].1 }
        evens.withUnsafeBufferPointer { DeliveryContext.release($0) }
        for (index, (pending, _)) in taken.enumerated() {
            let metadata = try await pending.metadata
            #expect(metadata.topic == "topic-\(index % 3)" && metadata.offset == Int64(index))
        }
    }

    @Test("a chunk lives while a value holds it, and while a slot claimed from it awaits its report")
    func chunkLifetime() async throws {
        var slab: Slab<PendingDeliveryChunk>? = Slab<PendingDeliveryChunk>()
        var (first, opaque): (PendingDelivery?, UnsafeMutableRawPointer) = slab!.take(topic: "t")
        weak let chunk = first?.chunk
        let rest = (1..<PendingDeliveryChunk.capacity).map { _ in slab!.take(topic: "t").1 }
        // The other values are gone and the chunk is full, but every slot awaits its report.
        rest.withUnsafeBufferPointer { DeliveryContext.release($0) }
        slab = nil
        #expect(chunk != nil)

        // Reported: the value alone keeps the outcome readable.
        Self.report(opaque, .success(Self.metadata(offset: 7)))
        #expect(chunk != nil)
        #expect(try await first?.metadata.offset == 7)
        first = nil
        #expect(chunk == nil)
    }

    @Test("a slab dropped with unclaimed slots frees its chunk once the claimed ones are reported")
    func slabReleasedFirst() {
        var slab: Slab<PendingDeliveryChunk>? = Slab<PendingDeliveryChunk>()
        let opaques = (0..<3).map { _ in slab!.take(topic: "t").1 }
        weak let chunk: PendingDeliveryChunk? = {
            guard case .pendingDelivery(let chunk, _) = DeliveryOpaque(opaques[0]) else { return nil }
            return chunk.takeUnretainedValue()
        }()
        slab = nil
        #expect(chunk != nil)
        opaques.withUnsafeBufferPointer { DeliveryContext.release($0) }
        #expect(chunk == nil)
    }
}
