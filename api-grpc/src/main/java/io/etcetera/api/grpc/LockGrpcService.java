package io.etcetera.api.grpc;

import io.etcetera.api.grpc.pb.v3lock.LockGrpc;
import io.etcetera.spi.server.LockService;
import io.etcetera.spi.v3lockpb.LockRequest;
import io.etcetera.spi.v3lockpb.LockResponse;
import io.etcetera.spi.v3lockpb.UnlockRequest;
import io.etcetera.spi.v3lockpb.UnlockResponse;
import io.grpc.stub.StreamObserver;
import java.util.Objects;

/**
 * etcd's {@code v3lockpb.Lock} gRPC service ({@code etcdserver/api/v3lock/lock.go}) on the
 * kernel's {@link LockService}. A {@code Lock} call waits until the lock is held; when the
 * client cancels it (or its deadline passes) the kernel stops waiting and deletes the lock key,
 * as etcd does. Thread-safe.
 */
final class LockGrpcService extends LockGrpc.LockImplBase {
    private final LockService lock;
    private final UnaryResponder responder;

    LockGrpcService(LockService lock, UnaryResponder responder) {
        this.lock = Objects.requireNonNull(lock, "lock");
        this.responder = Objects.requireNonNull(responder, "responder");
    }

    @Override
    public void lock(LockRequest request, StreamObserver<LockResponse> observer) {
        responder.replyCancellable(() -> lock.lock(request), observer);
    }

    @Override
    public void unlock(UnlockRequest request, StreamObserver<UnlockResponse> observer) {
        responder.reply(() -> lock.unlock(request), observer);
    }
}
