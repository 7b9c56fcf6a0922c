package io.argate.ip.port;

import io.netty.buffer.ByteBuf;

/** A port with nothing connected (the AR410's ports when there is no platform file): link down. */
public final class NonePort implements Port {
    private final String name;
    private final PortCounters counters = new PortCounters();

    public NonePort(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String driver() {
        return "none";
    }

    @Override
    public int mtu() {
        return 1500;
    }

    @Override
    public boolean linkUp() {
        return false;
    }

    @Override
    public void start(PacketSink rx) {
    }

    @Override
    public boolean transmit(ByteBuf packet) {
        counters.txDrops.increment();
        packet.release();
        return false;
    }

    @Override
    public PortCounters counters() {
        return counters;
    }

    @Override
    public void close() {
    }
}
