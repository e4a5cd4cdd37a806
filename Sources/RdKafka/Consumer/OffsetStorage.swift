/// Who stores the offsets that a commit without explicit offsets — ``KafkaConsumer/commit()``,
/// auto commit, the commit on revoke and on close — covers.
enum OffsetStorage: Sendable {
    /// The library, for each record as the consumer returns it: librdkafka's
    /// `enable.auto.offset.store` is turned off internally, because librdkafka would store a
    /// record's offset as soon as it hands the record over, and the async sequence reads
    /// ahead of what it has returned. The default.
    case library
    /// librdkafka, as it hands each record over: the application set
    /// `enable.auto.offset.store` to `true` explicitly. The async sequence then reads one
    /// record at a time, so the stored offset still never passes a record not returned.
    case librdkafka
    /// The application (`enable.auto.offset.store` set to `false`), or nobody: a consumer
    /// without a group commits nothing.
    case application

    /// The storage for a consumer: `explicitSetting` is the application's value of
    /// `enable.auto.offset.store`, if it set one.
    init(explicitSetting: String?, hasGroup: Bool) {
        switch explicitSetting?.lowercased() {
        case _ where !hasGroup: self = .application
        case nil: self = .library
        case "false", "0": self = .application
        default: self = .librdkafka
        }
    }

    /// How many records the async sequence takes from librdkafka per call.
    var readAheadLimit: Int { self == .librdkafka ? 1 : 256 }
}
