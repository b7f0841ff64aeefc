package io.etcetera.spi.server;

/**
 * The kernel's Watch facade, etcd's {@code etcdserverpb.Watch} service without a transport
 * (etcd {@code etcdserver/api/v3rpc/watch.go}, {@code mvcc/watchable_store.go}).
 *
 * <p>A front end opens one {@link WatchStream} per client stream (one gRPC {@code Watch} call),
 * handing it a {@link WatchSink} that the kernel delivers {@code WatchResponse}s to. It then
 * passes each {@code WatchRequest} the client sends (create, cancel, progress) to
 * {@link WatchStream#request}, and {@link WatchStream#close() closes} the stream when the client
 * goes away. Responses carry a full header (cluster_id, member_id, raft_term, revision) stamped
 * by the kernel.
 *
 * <p><b>Flow control.</b> The kernel never blocks its apply loop on a consumer. Each stream has a
 * bounded outbound buffer; the kernel delivers from it only while {@link WatchSink#isReady()},
 * and resumes when the front end calls {@link WatchStream#sinkReady()}. When the buffer is full,
 * the watchers whose events do not fit become "victims" (etcd's term): their pending events are
 * retried later and, once delivered, the watcher catches up from the store's history, so a slow
 * consumer loses no event and costs bounded memory.
 *
 * <p>Thread-safe.
 */
public interface WatchService {

    /**
     * Opens a watch stream delivering to {@code sink}. The stream has no watchers until a create
     * request arrives.
     *
     * @throws io.etcetera.spi.error.EtcdException STOPPED when the member is stopping
     */
    WatchStream open(WatchSink sink);
}
