/**
 * Raft snapshots on disk (etcd's {@code etcdserver/api/snap}): {@link io.etcetera.kernel.snap.Snapshotter}
 * keeps the snapshot metadata files ({@code member/snap/<term>-<index>.snap}) and the received
 * backend dumps ({@code <index>.snap.db}); {@link io.etcetera.kernel.snap.BackendDump} is the
 * engine-neutral stream a backend is dumped to and restored from. See docs/design.md
 * "Snapshots and WAL retention".
 */
package io.etcetera.kernel.snap;
