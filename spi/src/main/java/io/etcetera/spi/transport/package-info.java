/**
 * The peer-transport SPI: how members exchange Raft messages and snapshots (etcd's
 * {@code rafthttp}). A {@link io.etcetera.spi.transport.PeerTransportProvider} (id {@code netty})
 * creates a {@link io.etcetera.spi.transport.PeerTransport} for a
 * {@link io.etcetera.spi.transport.TransportContext}; the kernel's Raft loop sends through it
 * without blocking and receives through its {@link io.etcetera.spi.transport.PeerHandler}.
 *
 * <p>Messages are opaque bytes to the transport: the kernel encodes and decodes
 * {@code raftpb.Message}. Interfaces and value types only.
 */
package io.etcetera.spi.transport;
