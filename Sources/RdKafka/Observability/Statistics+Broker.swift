import Foundation

// Per-broker statistics.
extension Statistics {
    /// Statistics for one broker connection (`brokers.*`).
    public struct Broker: Sendable, Equatable, Decodable {
        /// Broker hostname, port and broker id, for example `"example.com:9092/13"`, or the name
        /// of a logical broker such as `"GroupCoordinator"` (`name`). This is also the key in the
        /// `brokers` object.
        public let name: String
        /// Broker id, `-1` for bootstrap brokers (`nodeid`).
        public let nodeID: Int32
        /// Broker hostname and port (`nodename`).
        public let nodeName: String
        /// How the broker was learned: `"learned"`, `"configured"`, `"internal"` or `"logical"` (`source`).
        public let source: String
        /// Broker connection state, for example `"INIT"`, `"DOWN"`, `"CONNECT"`, `"AUTH"`,
        /// `"APIVERSION_QUERY"`, `"AUTH_HANDSHAKE"`, `"UP"` or `"UPDATE"` (`state`).
        public let state: String
        /// Time since the last broker state change (`stateage`, reported in microseconds).
        public let stateAge: Duration
        /// Number of requests awaiting transmission to the broker (`outbuf_cnt`, gauge).
        public let outbufCount: Int64
        /// Number of messages awaiting transmission to the broker (`outbuf_msg_cnt`, gauge).
        public let outbufMessageCount: Int64
        /// Number of requests in flight to the broker, awaiting a response (`waitresp_cnt`, gauge).
        public let waitResponseCount: Int64
        /// Number of messages in flight to the broker, awaiting a response (`waitresp_msg_cnt`, gauge).
        public let waitResponseMessageCount: Int64
        /// Total number of requests sent (`tx`, cumulative).
        public let tx: Int64
        /// Total number of bytes sent (`txbytes`, cumulative).
        public let txBytes: Int64
        /// Total number of transmission errors (`txerrs`, cumulative).
        public let txErrors: Int64
        /// Total number of request retries (`txretries`, cumulative).
        public let txRetries: Int64
        /// Total number of requests that timed out (`req_timeouts`, cumulative).
        public let requestTimeouts: Int64
        /// Total number of responses received (`rx`, cumulative).
        public let rx: Int64
        /// Total number of bytes received (`rxbytes`, cumulative).
        public let rxBytes: Int64
        /// Total number of receive errors (`rxerrs`, cumulative).
        public let rxErrors: Int64
        /// Number of connection attempts, including failed ones and name resolution failures
        /// (`connects`, cumulative).
        public let connects: Int64
        /// Number of disconnects, whether triggered by the broker, the network, a load balancer, …
        /// (`disconnects`, cumulative).
        public let disconnects: Int64
        /// Internal producer queue latency, in microseconds (`int_latency`).
        public let internalLatency: Window
        /// Internal request queue latency, in microseconds: the time from enqueueing a request on the
        /// transmit queue until it is written to the socket (`outbuf_latency`).
        public let outbufLatency: Window
        /// Broker round-trip time, in **microseconds** (`rtt`).
        public let rtt: Window
        /// Broker throttling time, in **milliseconds** (`throttle`).
        public let throttle: Window

        /// Whether the broker connection is up (``state`` is `"UP"`).
        public var isUp: Bool { state == "UP" }

        private enum CodingKeys: String, CodingKey {
            case name, nodeid, nodename, source, state, stateage
            case outbufCnt = "outbuf_cnt"
            case outbufMsgCnt = "outbuf_msg_cnt"
            case waitrespCnt = "waitresp_cnt"
            case waitrespMsgCnt = "waitresp_msg_cnt"
            case tx, txbytes, txerrs, txretries
            case reqTimeouts = "req_timeouts"
            case rx, rxbytes, rxerrs, connects, disconnects
            case intLatency = "int_latency"
            case outbufLatency = "outbuf_latency"
            case rtt, throttle
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = c.lenient(.name) ?? decoder.codingPath.last?.stringValue ?? ""
            nodeID = c.lenient(.nodeid) ?? -1
            nodeName = c.lenient(.nodename) ?? ""
            source = c.lenient(.source) ?? ""
            state = c.lenient(.state) ?? ""
            stateAge = .microseconds(c.lenient(.stateage) ?? Int64(0))
            outbufCount = c.lenient(.outbufCnt) ?? 0
            outbufMessageCount = c.lenient(.outbufMsgCnt) ?? 0
            waitResponseCount = c.lenient(.waitrespCnt) ?? 0
            waitResponseMessageCount = c.lenient(.waitrespMsgCnt) ?? 0
            tx = c.lenient(.tx) ?? 0
            txBytes = c.lenient(.txbytes) ?? 0
            txErrors = c.lenient(.txerrs) ?? 0
            txRetries = c.lenient(.txretries) ?? 0
            requestTimeouts = c.lenient(.reqTimeouts) ?? 0
            rx = c.lenient(.rx) ?? 0
            rxBytes = c.lenient(.rxbytes) ?? 0
            rxErrors = c.lenient(.rxerrs) ?? 0
            connects = c.lenient(.connects) ?? 0
            disconnects = c.lenient(.disconnects) ?? 0
            internalLatency = c.lenient(.intLatency) ?? .empty
            outbufLatency = c.lenient(.outbufLatency) ?? .empty
            rtt = c.lenient(.rtt) ?? .empty
            throttle = c.lenient(.throttle) ?? .empty
        }
    }
}
