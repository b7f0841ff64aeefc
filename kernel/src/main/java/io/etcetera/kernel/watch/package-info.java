/**
 * etcd 3.4's Watch on one member: the watchable store ({@code mvcc/watchable_store.go},
 * {@code watcher_group.go}) and the server side of watch streams
 * ({@code etcdserver/api/v3rpc/watch.go}).
 *
 * <p>{@link io.etcetera.kernel.watch.WatchServer} is the {@code WatchService} facade. Inside:
 * {@code WatchableStore} (synced / unsynced / victim watchers, fed by the MVCC store's change
 * feed on the apply thread, caught up from history by its sync thread), {@code WatcherGroup}
 * (watchers by key), {@code Watcher}, {@code WatchRange}, {@code ServerWatchStream} (watch ids,
 * create / cancel / progress requests), {@code Outbox} (the bounded per-stream buffer and its
 * serialised delivery to the front end's sink), {@code ResponseRenderer} (headers, prev_kv,
 * fragments) and {@code WatchOptions} (limits and timings, etcd's defaults).
 *
 * <p>Internal to the kernel: the package is not exported.
 */
package io.etcetera.kernel.watch;
