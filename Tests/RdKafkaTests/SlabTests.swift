@testable import RdKafka
import Synchronization
import Testing

@Suite("Slab: each record's context in its own slot, chunks freed once their slots are released")
struct SlabTests {
    private static func metadata(offset: Int) -> RecordMetadata {
        RecordMetadata(topic: "t", partition: 0, offset: Int64(offset), timestamp: nil, timestampKind: .notAvailable)
    }

    private static func chunk(of opaque: UnsafeMutableRawPointer) -> DeliveryContextChunk? {
        guard case .context(let slot) = DeliveryOpaque(opaque) else { return nil }
        return slot.pointee.chunk.takeUnretainedValue()
    }

    /// Captured by callbacks, so a test can tell when the slots holding them were released.
    private final class Capture: Sendable {}

    /// How often each record's callback was called with its own outcome (1000 per call with
    /// another record's).
    private final class CallLog: Sendable {
        let calls: Mutex<[Int]>
        init(count: Int) { calls = Mutex([Int](repeating: 0, count: count)) }
        func record(_ index: Int, offset: Int) { calls.withLock { $0[index] += offset == index ? 1 : 1000 } }
        var eachCalledOnce: Bool { calls.withLock { $0.allSatisfy { $0 == 1 } } }
    }

    @Test("slots taken by tasks at once are distinct and each calls its own callback once")
    func concurrentSlots() async {
        let slab = Slab<DeliveryContextChunk>()
        let log = CallLog(count: 4 * 3000)
        // Each task's slots, by record index: task * 3000 + step.
        let addresses = await withTaskGroup(of: (Int, [UInt]).self) { group in
            for task in 0..<4 {
                group.addTask {
                    let taken = (0..<3000).map { step in
                        let index = task * 3000 + step
                        let opaque = slab.take(.callback { result in
                            // Each callback sees the outcome meant for its own record.
                            let offset = (try? result.get().offset).map(Int.init) ?? -1
                            log.record(index, offset: offset)
                        })
                        return UInt(bitPattern: opaque)
                    }
                    return (task, taken)
                }
            }
            var byTask = [[UInt]](repeating: [], count: 4)
            for await (task, taken) in group { byTask[task] = taken }
            return byTask.flatMap { $0 }
        }
        #expect(Set(addresses).count == addresses.count)
        var opaques = addresses.map { UnsafeMutableRawPointer(bitPattern: $0)! }
        for (index, opaque) in opaques.enumerated() {
            DeliveryContext.complete(opaque, with: .success(Self.metadata(offset: index)))
        }
        opaques.withUnsafeBufferPointer { DeliveryContext.release($0) }
        opaques.removeAll()
        #expect(log.eachCalledOnce)
    }

    @Test("a chunk lives until its last slot is released and the slab has moved on; a slot's release releases its callback")
    func chunkLifetime() {
        var slab: Slab<DeliveryContextChunk>? = Slab<DeliveryContextChunk>()
        var capture: Capture? = Capture()
        weak let weakCapture = capture
        var opaques: [UnsafeMutableRawPointer] = []
        for _ in 0..<(DeliveryContextChunk.capacity + 10) {
            opaques.append(slab!.take(.callback { [capture] _ in _ = capture }))
        }
        capture = nil
        weak let firstChunk = Self.chunk(of: opaques[0])
        weak let secondChunk = Self.chunk(of: opaques[DeliveryContextChunk.capacity])
        #expect(firstChunk !== secondChunk)

        // All but the last slot of the first chunk, one by one and as a batch.
        DeliveryContext.release(opaques[0])
        opaques[1..<(DeliveryContextChunk.capacity - 1)].withContiguousStorageIfAvailable {
            DeliveryContext.release($0)
        }
        #expect(firstChunk != nil)
        DeliveryContext.release(opaques[DeliveryContextChunk.capacity - 1])
        #expect(firstChunk == nil)

        // The second chunk is the slab's current one: its unused slots keep it until the slab goes.
        for opaque in opaques[DeliveryContextChunk.capacity...] { DeliveryContext.release(opaque) }
        #expect(secondChunk != nil)
        #expect(weakCapture == nil)
        slab = nil
        #expect(secondChunk == nil)
    }

    @Test("a slab dropped while slots are out frees its chunk when the last of them is released")
    func slabGoneFirst() {
        var slab: Slab<DeliveryContextChunk>? = Slab<DeliveryContextChunk>()
        let opaque = slab!.take(.callback { _ in })
        weak let chunk = Self.chunk(of: opaque)
        slab = nil
        #expect(chunk != nil)
        DeliveryContext.release(opaque)
        #expect(chunk == nil)
    }

    @Test("the opaque codec tells a context slot from a PendingDelivery slot and round-trips both")
    func opaqueCodec() {
        let contexts = Slab<DeliveryContextChunk>()
        let pendings = Slab<PendingDeliveryChunk>()
        let contextOpaque = contexts.take(.callback { _ in })
        let (_, pendingOpaque) = pendings.take(topic: "t")
        let (_, secondPendingOpaque) = pendings.take(topic: "t")
        guard case .context(let slot) = DeliveryOpaque(contextOpaque) else {
            Issue.record("a context slot decoded as a PendingDelivery")
            return
        }
        #expect(UnsafeMutableRawPointer(slot) == contextOpaque)
        #expect(DeliveryOpaque(contextOpaque).encoded == contextOpaque)
        guard case .pendingDelivery(let chunk, let index) = DeliveryOpaque(secondPendingOpaque) else {
            Issue.record("a PendingDelivery slot decoded as a context")
            return
        }
        #expect(index == 1)
        #expect(DeliveryOpaque.pendingDelivery(chunk, index: 0).encoded == pendingOpaque)
        DeliveryContext.release(contextOpaque)
        DeliveryContext.release(pendingOpaque)
        DeliveryContext.release(secondPendingOpaque)
    }
}
