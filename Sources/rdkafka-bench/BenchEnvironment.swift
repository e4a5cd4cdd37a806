import ArgumentParser
import CRdKafkaBench
import Foundation
import RdKafka

/// Where the benchmark's broker runs.
enum BrokerPlacement: String, Sendable, CaseIterable, ExpressibleByArgument {
    /// An embedded cluster in a child process (`--serve-broker`): the benchmark's process
    /// holds only the clients, as a user's process does. The default.
    case process
    /// An embedded cluster inside the benchmark's process, sharing its CPU accounting and
    /// its allocator with the clients (the method before issue 22).
    case inProcess = "in-process"
}

/// Where the benchmark runs: an ``EmbeddedKafkaCluster`` in a child process (the default),
/// one in this process, or the cluster named by `--bootstrap-servers`.
final class BenchEnvironment {
    private enum Broker {
        case external
        case inProcess(EmbeddedKafkaCluster)
        case process(UnsafeMutablePointer<crk_broker>)
    }

    private let broker: Broker
    let bootstrapServers: [String]
    let brokerCount: Int
    private let runID: String

    init(bootstrapServers: String?, placement: BrokerPlacement, brokers: Int) throws {
        brokerCount = brokers
        if let bootstrapServers {
            broker = .external
            self.bootstrapServers = bootstrapServers.split(separator: ",").map { String($0.trimmingCharacters(in: .whitespaces)) }
        } else if placement == .inProcess {
            let cluster = try EmbeddedKafkaCluster(brokers: brokers)
            broker = .inProcess(cluster)
            self.bootstrapServers = cluster.bootstrapServers
        } else {
            let child = UnsafeMutablePointer<crk_broker>.allocate(capacity: 1)
            var error = [CChar](repeating: 0, count: 512)
            let capacity = error.count
            let arguments = ["--serve-broker", "--brokers", String(brokers)].map { $0.withCString { strdup($0) } }
            defer { arguments.forEach { free($0) } }
            let status = (arguments.map { UnsafePointer($0) } + [nil]).withUnsafeBufferPointer {
                crk_broker_start($0.baseAddress, child, &error, capacity)
            }
            guard status == 0 else {
                child.deallocate()
                throw BenchError("could not start the broker process: \(Self.text(error))")
            }
            broker = .process(child)
            self.bootstrapServers = withUnsafeBytes(of: child.pointee.bootstrap_servers) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }.split(separator: ",").map(String.init)
        }
        runID = String(UInt32.random(in: 0...UInt32.max), radix: 16)
    }

    var isEmbedded: Bool {
        if case .external = broker { return false }
        return true
    }

    var isInProcess: Bool {
        if case .inProcess = broker { return true }
        return false
    }

    var brokerDescription: String {
        let servers = bootstrapServers.joined(separator: ",")
        switch broker {
        case .external: return "external, \(servers)"
        case .inProcess: return "embedded (librdkafka mock cluster, \(brokerCount) brokers, in this process at \(servers))"
        case .process(let child):
            return "embedded (librdkafka mock cluster, \(brokerCount) brokers, in its own process \(child.pointee.pid) at \(servers))"
        }
    }

    /// A fresh topic for one workload family. On the embedded cluster it is created with
    /// `partitions`; on an external cluster it is left to auto-creation (broker defaults).
    func topic(_ purpose: String, prefix: String, partitions: Int) throws -> String {
        let name = "\(prefix)-\(purpose)-\(runID)"
        switch broker {
        case .external: break
        case .inProcess(let cluster): try cluster.createTopic(name, partitions: partitions, replicationFactor: 1)
        case .process(let child):
            var error = [CChar](repeating: 0, count: 512)
            let capacity = error.count
            guard crk_broker_create_topic(child, name, Int32(partitions), &error, capacity) == 0 else {
                throw BenchError("the broker process could not create \(name): \(Self.text(error))")
            }
        }
        return name
    }

    /// A C error buffer's text.
    private static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func shutdown() {
        switch broker {
        case .external: break
        case .inProcess(let cluster): cluster.shutdown()
        case .process(let child):
            crk_broker_stop(child)
            child.deallocate()
        }
    }
}
