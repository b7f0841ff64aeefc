/**
 * The member: data dir layout, identity, the Raft loop (WAL persistence and group commit),
 * request validation as etcd's gRPC layer does it, proposals and reads, and the
 * {@link io.etcetera.spi.server.KvService} front ends call.
 */
package io.etcetera.kernel.server;
