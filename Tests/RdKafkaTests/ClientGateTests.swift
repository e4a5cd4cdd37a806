@testable import RdKafka
import Testing

/// The close gate counts calls and, among them, sends: the report server relies on the
/// second count to know whether a sender will look at the queue before it leaves.
@Suite("ClientGate: calls, sends, close and drain")
struct ClientGateTests {
    @Test("sends are counted apart from other calls; both keep the gate from draining")
    func countsSendsApart() {
        let gate = ClientGate()
        #expect(gate.enter())
        #expect(!gate.hasSendersInside, "a call that is not a send")
        #expect(gate.enterSending())
        #expect(gate.enterSending())
        #expect(gate.hasSendersInside)
        gate.leaveSending()
        #expect(gate.hasSendersInside, "one send is still inside")
        gate.leaveSending()
        #expect(!gate.hasSendersInside)
        #expect(!gate.isDrained, "the other call is still inside")
        gate.leave()
        #expect(gate.isDrained)
    }

    @Test("once closed, neither calls nor sends get in, and a refused send is not counted")
    func closedRefusesBoth() {
        let gate = ClientGate()
        #expect(gate.enterSending())
        #expect(gate.close())
        #expect(!gate.close(), "closing again reports it was closed already")
        #expect(gate.isClosed)
        #expect(!gate.enter())
        #expect(!gate.enterSending())
        #expect(!gate.isDrained, "the send that entered before the close is inside")
        gate.leaveSending()
        #expect(gate.isDrained)
        #expect(!gate.hasSendersInside)
    }
}
