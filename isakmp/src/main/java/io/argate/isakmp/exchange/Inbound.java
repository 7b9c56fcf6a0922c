package io.argate.isakmp.exchange;

import io.argate.isakmp.Datagram;
import io.argate.isakmp.wire.Message;

/** A received message on its way to a handler: the SA, the Quick Mode exchange if any, the decoded message and how it came. */
record Inbound(IkeSa sa, QuickExchange quick, Message message, boolean encrypted, Datagram datagram) {
}
