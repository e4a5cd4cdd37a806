import Foundation

// Consumer-group and exactly-once (idempotence/transaction) statistics.
extension Statistics {
    /// Consumer group statistics (`cgrp`).
    public struct ConsumerGroup: Sendable, Equatable, Decodable {
        /// The local consumer group handler's state, for example `"up"` (`state`).
        public let state: String
        /// Time since the last ``state`` change (`stateage`, reported in milliseconds).
        public let stateAge: Duration
        /// The local consumer group handler's join state, for example `"steady"` (`join_state`).
        public let joinState: String
        /// Time since the last rebalance, assign or revoke (`rebalance_age`, reported in milliseconds).
        public let rebalanceAge: Duration
        /// Total number of rebalances, assign or revoke (`rebalance_cnt`, cumulative).
        public let rebalanceCount: Int64
        /// Reason for the last rebalance, or `""` (`rebalance_reason`).
        public let rebalanceReason: String
        /// Number of partitions in the current assignment (`assignment_size`, gauge).
        public let assignmentSize: Int64

        private enum CodingKeys: String, CodingKey {
            case state, stateage
            case joinState = "join_state"
            case rebalanceAge = "rebalance_age"
            case rebalanceCnt = "rebalance_cnt"
            case rebalanceReason = "rebalance_reason"
            case assignmentSize = "assignment_size"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            state = c.lenient(.state) ?? ""
            stateAge = .milliseconds(c.lenient(.stateage) ?? Int64(0))
            joinState = c.lenient(.joinState) ?? ""
            rebalanceAge = .milliseconds(c.lenient(.rebalanceAge) ?? Int64(0))
            rebalanceCount = c.lenient(.rebalanceCnt) ?? 0
            rebalanceReason = c.lenient(.rebalanceReason) ?? ""
            assignmentSize = c.lenient(.assignmentSize) ?? 0
        }
    }

    /// Idempotent and transactional ("exactly once semantics") producer statistics (`eos`).
    public struct EOS: Sendable, Equatable, Decodable {
        /// The idempotent producer's producer-id state, for example `"Assigned"` (`idemp_state`).
        public let idempotentState: String
        /// Time since the last ``idempotentState`` change (`idemp_stateage`, reported in milliseconds).
        public let idempotentStateAge: Duration
        /// The transactional producer's state, for example `"InTransaction"` (`txn_state`).
        public let transactionState: String
        /// Time since the last ``transactionState`` change (`txn_stateage`, reported in milliseconds).
        public let transactionStateAge: Duration
        /// Whether the transactional state allows producing new messages (`txn_may_enq`).
        public let transactionMayEnqueue: Bool
        /// The currently assigned producer id, or `-1` (`producer_id`).
        public let producerID: Int64
        /// The current producer epoch, or `-1` (`producer_epoch`).
        public let producerEpoch: Int16
        /// Number of producer id assignments since the client was created (`epoch_cnt`, cumulative).
        public let epochCount: Int64

        private enum CodingKeys: String, CodingKey {
            case idempState = "idemp_state"
            case idempStateage = "idemp_stateage"
            case txnState = "txn_state"
            case txnStateage = "txn_stateage"
            case txnMayEnq = "txn_may_enq"
            case producerID = "producer_id"
            case producerEpoch = "producer_epoch"
            case epochCnt = "epoch_cnt"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            idempotentState = c.lenient(.idempState) ?? ""
            idempotentStateAge = .milliseconds(c.lenient(.idempStateage) ?? Int64(0))
            transactionState = c.lenient(.txnState) ?? ""
            transactionStateAge = .milliseconds(c.lenient(.txnStateage) ?? Int64(0))
            transactionMayEnqueue = c.lenient(.txnMayEnq) ?? false
            producerID = c.lenient(.producerID) ?? -1
            producerEpoch = c.lenient(.producerEpoch) ?? -1
            epochCount = c.lenient(.epochCnt) ?? 0
        }
    }
}
