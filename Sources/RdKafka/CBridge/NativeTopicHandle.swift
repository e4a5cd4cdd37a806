import CRdKafka
import Synchronization

/// A producer's `rd_kafka_topic_t` for the first topic it sends to, so sends to that topic
/// hand librdkafka the handle rather than the name.
///
/// Why: given a name, `rd_kafka_produceva` looks the topic up for every record: it measures
/// the name, takes the client's lock exclusively (which librdkafka's own threads also take)
/// and compares names. Given the handle, it only counts a reference. Most producers send to
/// one topic, so one remembered handle covers the common case; other topics go by name.
///
/// Set once, lock-free to read. Created inside the client's gate by a send; destroyed by
/// ``NativeClient`` before `rd_kafka_destroy`, after the gate drained, so no send can hold it
/// then.
final class NativeTopicHandle: @unchecked Sendable {
    // @unchecked: `Entry` is immutable once published; `first` is atomic.
    private final class Entry {
        let name: String
        let pointer: OpaquePointer
        init(name: String, pointer: OpaquePointer) {
            self.name = name
            self.pointer = pointer
        }
    }

    /// The retained `Entry` as an address; 0 until a send created it.
    private let first = Atomic<UInt>(0)

    /// The handle for `topic` if it is the remembered topic, creating it for the first topic
    /// sent to; `nil` for any other topic. Only inside the client's gate, for a legal name.
    @inline(__always)
    func pointer(for topic: String, client: OpaquePointer) -> OpaquePointer? {
        // Inlined into the send, so that reading the remembered handle costs no retain of this
        // object (a call would retain it around the call).
        let known = first.load(ordering: .acquiring)
        guard let address = UnsafeRawPointer(bitPattern: known) else { return create(for: topic, client: client) }
        return Unmanaged<Entry>.fromOpaque(address)._withUnsafeGuaranteedRef { entry in
            // Usually the very same string storage, which compares equal at once.
            entry.name == topic ? entry.pointer : nil
        }
    }

    @inline(never)
    private func create(for topic: String, client: OpaquePointer) -> OpaquePointer? {
        guard let created = rd_kafka_topic_new(client, topic, nil) else { return nil }
        let entry = Unmanaged.passRetained(Entry(name: topic, pointer: created))
        let address = UInt(bitPattern: entry.toOpaque())
        if first.compareExchange(expected: 0, desired: address, ordering: .acquiringAndReleasing).exchanged {
            return created
        }
        // Another send remembered a topic first; use its handle if it is the same topic.
        rd_kafka_topic_destroy(created)
        entry.release()
        return pointer(for: topic, client: client)
    }

    /// Destroys the handle, if one was created; once, before the client is destroyed.
    func destroy() {
        let address = first.exchange(0, ordering: .acquiringAndReleasing)
        guard let pointer = UnsafeRawPointer(bitPattern: address) else { return }
        let entry = Unmanaged<Entry>.fromOpaque(pointer).takeRetainedValue()
        rd_kafka_topic_destroy(entry.pointer)
    }
}
