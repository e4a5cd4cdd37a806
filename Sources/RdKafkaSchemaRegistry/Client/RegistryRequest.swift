import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// One REST call: what to send, and how to read a successful answer.
struct RegistryRequest<Response: Sendable>: Sendable {
    var method: HTTPMethod
    var path: String
    var body: [UInt8]?
    var read: @Sendable ([UInt8]) throws -> Response
}

extension SchemaRegistryClient {
    static let contentType = "application/vnd.schemaregistry.v1+json"

    /// Sends `request`; the answer is read on the HTTP client's event loop.
    func future<Response>(_ request: RegistryRequest<Response>) -> EventLoopFuture<Response> {
        let eventLoop = http.eventLoopGroup.next()
        let httpRequest: HTTPClient.Request
        do {
            var headers = HTTPHeaders()
            headers.add(name: "Accept", value: Self.contentType)
            if request.body != nil { headers.add(name: "Content-Type", value: Self.contentType) }
            switch configuration.authentication {
            case .none: break
            case .basic(let username, let password):
                headers.add(name: "Authorization", value: "Basic " + Data("\(username):\(password)".utf8).base64EncodedString())
            case .bearer(let token):
                headers.add(name: "Authorization", value: "Bearer \(token)")
            }
            httpRequest = try HTTPClient.Request(
                url: baseURL + request.path,
                method: request.method,
                headers: headers,
                body: request.body.map { .bytes($0) },
                tlsConfiguration: configuration.tlsConfiguration
            )
        } catch {
            return eventLoop.makeFailedFuture(SchemaRegistryError(.transport, "invalid registry URL \(baseURL + request.path): \(error)", underlyingError: error))
        }
        cache.withLock { $0.requestCount += 1 }
        let timeout = configuration.requestTimeout.components
        let deadline = NIODeadline.now() + .nanoseconds(timeout.seconds * 1_000_000_000 + timeout.attoseconds / 1_000_000_000)
        let description = "\(request.method) \(request.path)"
        return http.execute(request: httpRequest, deadline: deadline).flatMapErrorThrowing { error in
            throw SchemaRegistryError(.transport, "\(description): \(error)", underlyingError: error)
        }.flatMapThrowing { response in
            let body = response.body.map { Array($0.readableBytesView) } ?? []
            guard (200..<300).contains(response.status.code) else {
                throw Self.registryError(status: Int(response.status.code), body: body, request: description)
            }
            return try request.read(body)
        }
    }

    func execute<Response>(_ request: RegistryRequest<Response>) async throws(SchemaRegistryError) -> Response {
        do {
            return try await future(request).get()
        } catch let error as SchemaRegistryError {
            throw error
        } catch {
            throw SchemaRegistryError(.transport, "\(error)", underlyingError: error)
        }
    }

    /// Sends `request` and blocks the calling thread until the answer (at most the request
    /// timeout). For the serdes' first use of a schema when ``prepare`` was not called;
    /// refused on an event loop thread, which must never block.
    func executeBlocking<Response>(_ request: RegistryRequest<Response>) throws(SchemaRegistryError) -> Response {
        if MultiThreadedEventLoopGroup.currentEventLoop != nil {
            throw SchemaRegistryError(.wouldBlock, "\(request.method) \(request.path) would block an event loop thread; prepare the serializer or deserializer first")
        }
        do {
            return try future(request).wait()
        } catch let error as SchemaRegistryError {
            throw error
        } catch {
            throw SchemaRegistryError(.transport, "\(error)", underlyingError: error)
        }
    }

    static func registryError(status: Int, body: [UInt8], request: String) -> SchemaRegistryError {
        if let answer = try? JSONDecoder().decode(RegistryJSON.ErrorResponse.self, from: Data(body)) {
            return SchemaRegistryError(.registry(status: status, errorCode: answer.error_code), "\(request): \(answer.message ?? "")")
        }
        // Not the registry's error body (a proxy, or an auth layer): the status stands for the code.
        return SchemaRegistryError(.registry(status: status, errorCode: status), "\(request): \(String(decoding: body.prefix(200), as: UTF8.self))")
    }
}
