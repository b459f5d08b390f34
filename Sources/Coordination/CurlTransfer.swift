import CCurl
import Foundation
import Synchronization

/// One HTTP POST through libcurl's easy interface, performed on the calling
/// thread (a blocking C call: callers are the daemon's own threads).
///
/// Why libcurl and not URLSession: swift-corelibs-foundation (the URLSession
/// of Swift on Linux, itself built on libcurl) parses HTTP trailers as a new
/// header block and then aborts the process with "Transfer completed, but
/// there's no response" (swift-corelibs-foundation issue 5285). etcd 3.4's
/// gateway sends a `Grpc-Trailer-Content-Type` trailer with every gRPC error
/// (lease not found, invalid token, no leader, request timed out), so with
/// URLSession the first error from etcd would kill dmswitchd. Calling libcurl
/// directly, trailers are simply not read; it also gives a per-request CA
/// file and client certificates, which URLSession on Linux cannot do.
struct CurlTransfer {
    var url: String
    var body: Data
    var headers: [String]
    /// Bound of the whole transfer; nil for streams.
    var timeout: Duration?
    var connectTimeout: Duration
    /// Streams: abort when less than one byte arrived during this long.
    var idleTimeout: Duration?
    var tls: EtcdTLSSettings

    enum Outcome {
        case response(status: Int, body: Data)
        case failed(Failure)
    }

    struct Failure: Error {
        var kind: EndpointFailure.Kind
        var message: String
        /// The caller's data handler or cancellation stopped the transfer.
        var stoppedByCaller: Bool
    }

    /// Performs the transfer. A stream passes `onData`, which gets every chunk
    /// as it arrives and returns false to stop; `isCanceled` is polled about
    /// once a second and between chunks.
    func perform(onData: ((Data) -> Bool)? = nil, isCanceled: (() -> Bool)? = nil) -> Outcome {
        guard CurlLibrary.isReady else {
            return .failed(Failure(kind: .connection, message: "libcurl could not be initialized", stoppedByCaller: false))
        }
        guard let handle = CurlHandlePool.shared.take() else {
            return .failed(Failure(kind: .connection, message: "libcurl could not allocate a handle", stoppedByCaller: false))
        }
        defer { CurlHandlePool.shared.give(back: handle) }
        let raw = handle.raw
        curl_easy_reset(raw)
        let sink = TransferSink(onData: onData, isCanceled: isCanceled)
        let context = Unmanaged.passUnretained(sink).toOpaque()
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        defer { errorBuffer.deallocate() }
        var headerList: UnsafeMutablePointer<curl_slist>?
        // "Expect:" keeps libcurl from waiting for a 100-continue the gateway never sends.
        for header in headers + ["Content-Type: application/json", "Expect:"] {
            headerList = curl_slist_append(headerList, header)
        }
        defer { curl_slist_free_all(headerList) }

        var setupFailed = false
        func check(_ code: CURLcode) { if code != CURLE_OK { setupFailed = true } }
        check(dmswitch_curl_set_long(raw, CURLOPT_NOSIGNAL, 1))
        check(dmswitch_curl_set_string(raw, CURLOPT_URL, url))
        check(dmswitch_curl_set_string(raw, CURLOPT_PROTOCOLS_STR, "http,https"))
        check(dmswitch_curl_set_long(raw, CURLOPT_POST, 1))
        check(dmswitch_curl_set_long(raw, CURLOPT_POSTFIELDSIZE, body.count))
        body.withUnsafeBytes { bytes in
            check(dmswitch_curl_set_pointer(raw, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafeRawPointer(errorBuffer))))
        }
        check(dmswitch_curl_set_headers(raw, headerList))
        check(dmswitch_curl_set_write_function(raw, curlWrite))
        check(dmswitch_curl_set_pointer(raw, CURLOPT_WRITEDATA, context))
        check(dmswitch_curl_set_progress_function(raw, curlProgress))
        check(dmswitch_curl_set_pointer(raw, CURLOPT_XFERINFODATA, context))
        check(dmswitch_curl_set_long(raw, CURLOPT_NOPROGRESS, 0))
        check(dmswitch_curl_set_pointer(raw, CURLOPT_ERRORBUFFER, errorBuffer))
        check(dmswitch_curl_set_long(raw, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(connectTimeout)))
        if let timeout { check(dmswitch_curl_set_long(raw, CURLOPT_TIMEOUT_MS, Self.milliseconds(timeout))) }
        if let idleTimeout {
            check(dmswitch_curl_set_long(raw, CURLOPT_LOW_SPEED_LIMIT, 1))
            check(dmswitch_curl_set_long(raw, CURLOPT_LOW_SPEED_TIME, max(1, Int(idleTimeout.timeInterval.rounded(.up)))))
        }
        check(dmswitch_curl_set_long(raw, CURLOPT_TCP_KEEPALIVE, 1))
        // Server verification stays on; these only choose what it trusts and who we are.
        check(dmswitch_curl_set_long(raw, CURLOPT_SSL_VERIFYPEER, 1))
        check(dmswitch_curl_set_long(raw, CURLOPT_SSL_VERIFYHOST, 2))
        if let authority = tls.certificateAuthorityFile { check(dmswitch_curl_set_string(raw, CURLOPT_CAINFO, authority)) }
        if let certificate = tls.clientCertificateFile { check(dmswitch_curl_set_string(raw, CURLOPT_SSLCERT, certificate)) }
        if let key = tls.clientKeyFile { check(dmswitch_curl_set_string(raw, CURLOPT_SSLKEY, key)) }
        guard !setupFailed else {
            return .failed(Failure(kind: .connection, message: "libcurl refused an option (is it built with https?)", stoppedByCaller: false))
        }

        let code = withExtendedLifetime(sink) { curl_easy_perform(raw) }
        if code == CURLE_OK {
            return .response(status: dmswitch_curl_response_code(raw), body: sink.body)
        }
        let detail = String(cString: errorBuffer)
        let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        return .failed(Failure(kind: Self.kind(of: code), message: message,
                               stoppedByCaller: code == CURLE_ABORTED_BY_CALLBACK || (code == CURLE_WRITE_ERROR && sink.stopped)))
    }

    static func kind(of code: CURLcode) -> EndpointFailure.Kind {
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_CRL_BADFILE,
             CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT:
            return .tls
        default:
            return .connection
        }
    }

    static func milliseconds(_ duration: Duration) -> Int {
        max(1, Int((duration.timeInterval * 1000).rounded(.up)))
    }
}

/// What the C callbacks write into during one transfer.
private final class TransferSink {
    var body = Data()
    var stopped = false
    let onData: ((Data) -> Bool)?
    let isCanceled: (() -> Bool)?

    init(onData: ((Data) -> Bool)?, isCanceled: (() -> Bool)?) {
        self.onData = onData
        self.isCanceled = isCanceled
    }
}

private let curlWrite: dmswitch_curl_write_callback = { data, size, count, context in
    guard let context else { return 0 }
    let sink = Unmanaged<TransferSink>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    guard let data, length > 0 else { return length }
    let chunk = Data(bytes: data, count: length)
    if let onData = sink.onData {
        if sink.isCanceled?() == true || !onData(chunk) {
            sink.stopped = true
            return 0
        }
        return length
    }
    sink.body.append(chunk)
    return length
}

private let curlProgress: dmswitch_curl_progress_callback = { context, _, _, _, _ in
    guard let context else { return 0 }
    let sink = Unmanaged<TransferSink>.fromOpaque(context).takeUnretainedValue()
    if sink.isCanceled?() == true {
        sink.stopped = true
        return 1
    }
    return 0
}

/// `curl_global_init` once per process, before the first handle.
enum CurlLibrary {
    static let isReady: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
}

/// An easy handle; it keeps its connections open between transfers.
final class CurlEasy: @unchecked Sendable {
    // @unchecked: a handle is used by one thread at a time (taken from the pool).
    let raw: UnsafeMutableRawPointer

    init?() {
        guard let raw = curl_easy_init() else { return nil }
        self.raw = raw
    }

    deinit { curl_easy_cleanup(raw) }
}

/// Reuses easy handles (and so their keep-alive connections) across calls.
final class CurlHandlePool: Sendable {
    static let shared = CurlHandlePool()
    private let idle = Mutex<[CurlEasy]>([])
    private static let keptIdle = 8

    /// Nil only when libcurl cannot allocate (out of memory).
    func take() -> CurlEasy? {
        if let handle = idle.withLock({ $0.popLast() }) { return handle }
        return CurlEasy()
    }

    func give(back handle: CurlEasy) {
        idle.withLock { handles in
            if handles.count < Self.keptIdle { handles.append(handle) }
        }
    }
}
