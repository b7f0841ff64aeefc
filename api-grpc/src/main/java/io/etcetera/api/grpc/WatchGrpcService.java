package io.etcetera.api.grpc;

import io.etcetera.api.grpc.pb.WatchGrpc;
import io.etcetera.spi.error.EtcdError;
import io.etcetera.spi.error.EtcdException;
import io.etcetera.spi.etcdserverpb.WatchRequest;
import io.etcetera.spi.etcdserverpb.WatchResponse;
import io.etcetera.spi.server.WatchService;
import io.etcetera.spi.server.WatchSink;
import io.etcetera.spi.server.WatchStream;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * etcd's {@code etcdserverpb.Watch} gRPC service (a bidirectional stream) on the kernel's
 * {@link WatchService} (etcd {@code etcdserver/api/v3rpc/watch.go}): each call opens one kernel
 * {@link WatchStream}; every {@code WatchRequest} the client sends is passed to it; the kernel's
 * responses, already carrying full headers, are written back. Flow control is gRPC's: the kernel
 * delivers while the call {@code isReady()} and is told when it becomes ready again.
 *
 * <p>Lifetime, as etcd: a client's half-close ends nothing (etcd's receive loop stops, the
 * stream stays until the client cancels); a cancel, a client error or a transport failure
 * closes the kernel stream; when the kernel ends the stream the call fails with the kernel's
 * error; {@link #closeAll} ends every open call with {@code etcdserver: server stopped} so a
 * shutdown does not wait for watchers. Thread-safe.
 */
final class WatchGrpcService extends WatchGrpc.WatchImplBase {
    private final WatchService watch;
    private final Set<CallSink> open = ConcurrentHashMap.newKeySet();

    WatchGrpcService(WatchService watch) {
        this.watch = Objects.requireNonNull(watch, "watch");
    }

    @Override
    public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> observer) {
        ServerCallStreamObserver<WatchResponse> call = (ServerCallStreamObserver<WatchResponse>) observer;
        CallSink sink = new CallSink(call, RequireLeaderGate.REQUIRES_LEADER.get());
        WatchStream stream;
        try {
            stream = watch.open(sink);
        } catch (RuntimeException e) {
            call.onError(GrpcStatuses.toStatusException(e));
            return new Ignored();
        }
        sink.stream = stream;
        open.add(sink);
        call.setOnReadyHandler(stream::sinkReady);
        call.setOnCancelHandler(sink::clientGone);
        return new StreamObserver<>() {
            @Override
            public void onNext(WatchRequest request) {
                stream.request(request);
            }

            @Override
            public void onError(Throwable failure) {
                sink.clientGone();
            }

            @Override
            public void onCompleted() {
                // etcd keeps serving a half-closed watch stream until the client cancels it
            }
        };
    }

    /** Ends every open watch call with {@code etcdserver: server stopped}. */
    void closeAll() {
        end(sink -> true, EtcdError.STOPPED);
    }

    /**
     * Ends every open watch call that required a leader ({@link RequireLeaderGate}) with
     * {@code etcdserver: no leader}, as etcd's {@code monitorLeader} cancels them; clients such as
     * etcdctl report the watch as canceled, clientv3 retries on another member.
     */
    void closeRequiringLeader() {
        end(sink -> sink.requiresLeader, EtcdError.NO_LEADER);
    }

    private void end(Predicate<CallSink> which, EtcdError error) {
        for (CallSink sink : open) {
            if (which.test(sink)) {
                sink.onError(error.exception());
            }
        }
    }

    /**
     * One call's sink. Its methods are serialised (the kernel's deliveries and {@link #closeAll}
     * may race) and do nothing once the call has ended.
     */
    private final class CallSink implements WatchSink {
        private final ServerCallStreamObserver<WatchResponse> call;
        private final boolean requiresLeader;
        private volatile WatchStream stream;
        private boolean ended;

        CallSink(ServerCallStreamObserver<WatchResponse> call, boolean requiresLeader) {
            this.call = call;
            this.requiresLeader = requiresLeader;
        }

        @Override
        public boolean isReady() {
            return call.isReady();
        }

        @Override
        public synchronized void onResponse(WatchResponse response) {
            if (!ended) {
                call.onNext(response);
            }
        }

        @Override
        public void onError(EtcdException error) {
            synchronized (this) {
                if (ended) {
                    return;
                }
                ended = true;
                call.onError(GrpcStatuses.toStatusException(error));
            }
            closeStream();
        }

        /** The client cancelled, failed or disconnected. */
        void clientGone() {
            synchronized (this) {
                ended = true;
            }
            closeStream();
        }

        private void closeStream() {
            open.remove(this);
            WatchStream opened = stream;
            if (opened != null) {
                opened.close();
            }
        }
    }

    /** The request observer of a call that failed to open. */
    private static final class Ignored implements StreamObserver<WatchRequest> {
        @Override
        public void onNext(WatchRequest request) {
        }

        @Override
        public void onError(Throwable failure) {
        }

        @Override
        public void onCompleted() {
        }
    }
}
