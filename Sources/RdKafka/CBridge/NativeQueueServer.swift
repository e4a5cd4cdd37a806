/// What serves a client's main queue on threads of its own (a producer's report server), as
/// the C bridge sees it: librdkafka's log and throttle callbacks ask it where their user code
/// may run, and the client stops it before destroying the handle.
protocol NativeQueueServer: AnyObject, Sendable {
    /// Runs `call` now, or later on the server's own thread when the calling thread must not
    /// run user code (a sender serving reports).
    func runUserCode(_ call: @escaping @Sendable () -> Void)
    /// Stops serving, once what the server holds has been handled. Called once, before
    /// `rd_kafka_destroy`, on a thread other than the server's.
    func stop()
}
