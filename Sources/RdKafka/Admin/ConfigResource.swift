/// Something with configuration on the cluster: a topic or a broker.
public struct ConfigResource: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case topic
        case broker
    }

    public var kind: Kind
    /// The topic name, or the broker's node id as a string.
    public var name: String

    public init(kind: Kind, name: String) {
        self.kind = kind
        self.name = name
    }

    public static func topic(_ name: String) -> ConfigResource { ConfigResource(kind: .topic, name: name) }
    public static func broker(_ id: Int32) -> ConfigResource { ConfigResource(kind: .broker, name: String(id)) }

    public var description: String { "\(kind == .topic ? "topic" : "broker") \(name)" }
}

/// One configuration value as the cluster reports it.
public struct ConfigEntry: Sendable, Hashable {
    /// Where the value comes from, from most to least specific.
    public enum Source: Sendable, Hashable {
        case dynamicTopic
        case dynamicBroker
        case dynamicDefaultBroker
        case staticBroker
        case defaultConfig
        case unknown
    }

    public var name: String
    /// The value; `nil` when it is sensitive or unset.
    public var value: String?
    public var source: Source
    public var isReadOnly: Bool
    public var isDefault: Bool
    public var isSensitive: Bool

    public init(name: String, value: String?, source: Source, isReadOnly: Bool, isDefault: Bool, isSensitive: Bool) {
        self.name = name
        self.value = value
        self.source = source
        self.isReadOnly = isReadOnly
        self.isDefault = isDefault
        self.isSensitive = isSensitive
    }
}
