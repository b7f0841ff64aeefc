package io.etcetera.dist.benchmark;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.SettableFuture;
import io.etcetera.api.grpc.pb.LeaseGrpc;
import io.etcetera.spi.etcdserverpb.LeaseKeepAliveRequest;
import io.etcetera.spi.etcdserverpb.LeaseKeepAliveResponse;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;

/**
 * One client's LeaseKeepAlive stream for one lease, used as request/response: {@link #keepAlive}
 * sends a keep-alive and returns a future of its answer. The stream opens at the first call and
 * again after it breaks. An answer with TTL ≤ 0 (the lease is gone, etcd's way of saying so on
 * the stream) fails the future.
 *
 * <p>Thread-safety: one keep-alive in flight at a time (the closed loop issues the next one only
 * after the previous future completed); answers arrive on the channel's event loop.
 */
final class KeepAliveStream implements StreamObserver<LeaseKeepAliveResponse> {

    private final Channel channel;
    private final long leaseId;
    private volatile StreamObserver<LeaseKeepAliveRequest> requests;
    private volatile SettableFuture<LeaseKeepAliveResponse> pending;

    /** A stream for lease {@code leaseId} on {@code channel}; nothing is sent yet. */
    KeepAliveStream(Channel channel, long leaseId) {
        this.channel = channel;
        this.leaseId = leaseId;
    }

    /** Sends one keep-alive; the future completes with the server's answer. */
    ListenableFuture<LeaseKeepAliveResponse> keepAlive() {
        SettableFuture<LeaseKeepAliveResponse> answer = SettableFuture.create();
        pending = answer;
        StreamObserver<LeaseKeepAliveRequest> stream = requests;
        if (stream == null) {
            stream = LeaseGrpc.newStub(channel).leaseKeepAlive(this);
            requests = stream;
        }
        stream.onNext(LeaseKeepAliveRequest.newBuilder().setID(leaseId).build());
        return answer;
    }

    @Override
    public void onNext(LeaseKeepAliveResponse response) {
        SettableFuture<LeaseKeepAliveResponse> answer = pending;
        if (answer == null) {
            return;
        }
        if (response.getTTL() <= 0) {
            answer.setException(new IllegalStateException("lease " + Long.toHexString(leaseId) + " not found (keepalive TTL "
                    + response.getTTL() + ")"));
        } else {
            answer.set(response);
        }
    }

    @Override
    public void onError(Throwable error) {
        requests = null;
        SettableFuture<LeaseKeepAliveResponse> answer = pending;
        if (answer != null) {
            answer.setException(error);
        }
    }

    @Override
    public void onCompleted() {
        onError(new IllegalStateException("keepalive stream closed by the server"));
    }

    /** Half-closes the stream if it is open. */
    void close() {
        StreamObserver<LeaseKeepAliveRequest> stream = requests;
        requests = null;
        if (stream != null) {
            stream.onCompleted();
        }
    }
}
