import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// A schema registry on a loopback port, serving ``RegistryStore``'s REST subset over
/// HTTP/1.1, so tests need no registry install. With `requiredAuthorization` set, requests
/// without that exact `Authorization` header get 401, as a secured registry answers.
final class InProcessSchemaRegistry: Sendable {
    let url: String
    let store = Mutex(RegistryStore())
    private let channel: any Channel

    private init(channel: any Channel, port: Int, scheme: String) {
        self.channel = channel
        url = "\(scheme)://127.0.0.1:\(port)"
    }

    /// - Parameter tls: serve HTTPS with this context instead of plain HTTP.
    static func start(requiredAuthorization: String? = nil, tls: NIOSSLContext? = nil) async throws -> InProcessSchemaRegistry {
        let box = StoreBox()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(RegistryHTTPHandler(box: box, requiredAuthorization: requiredAuthorization))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        guard let port = channel.localAddress?.port else { throw TestSetupError("the registry's socket has no port") }
        let registry = InProcessSchemaRegistry(channel: channel, port: port, scheme: tls == nil ? "http" : "https")
        box.registry.withLock { $0 = registry }
        return registry
    }

    func stop() async throws {
        try await channel.close()
    }

    var requestCount: Int { store.withLock { $0.requestCount } }
}

/// Lets the handlers reach the registry created after the bootstrap that makes them.
final class StoreBox: Sendable {
    let registry = Mutex<InProcessSchemaRegistry?>(nil)

    func handle(method: String, path: String, body: [UInt8]) -> RegistryStore.Response {
        guard let registry = registry.withLock({ $0 }) else { return RegistryStore.Response(status: 503, body: ["error_code": 503]) }
        return registry.store.withLock { $0.handle(method: method, path: path, body: body) }
    }
}

private final class RegistryHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let box: StoreBox
    let requiredAuthorization: String?
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(box: StoreBox, requiredAuthorization: String?) {
        self.box = box
        self.requiredAuthorization = requiredAuthorization
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
        case .body(let buffer):
            body.append(contentsOf: buffer.readableBytesView)
        case .end:
            guard let head else { return }
            let response: RegistryStore.Response
            if let requiredAuthorization, head.headers.first(name: "Authorization") != requiredAuthorization {
                response = RegistryStore.Response(status: 401, body: ["error_code": 401, "message": "Unauthorized"])
            } else {
                response = box.handle(method: head.method.rawValue, path: head.uri, body: body)
            }
            let json = (try? JSONSerialization.data(withJSONObject: response.body)) ?? Data()
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "application/vnd.schemaregistry.v1+json")
            headers.add(name: "Content-Length", value: String(json.count))
            let status = HTTPResponseStatus(statusCode: response.status)
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: json)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            self.head = nil
        }
    }
}
