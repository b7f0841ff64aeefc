package io.etcetera.dist.benchmark;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar redrawn in place ({@code \r}) on stderr while a benchmark runs, like
 * the bar of etcd's benchmark: {@code  4500 / 10000 [=========>           ]  45.00% 1s}.
 *
 * <p>Thread-safety: redrawn by its own daemon thread every {@link #REDRAW_INTERVAL_MS}; started
 * and closed by the benchmark's thread. A disabled bar prints nothing.
 */
final class ProgressBar implements AutoCloseable {

    static final long REDRAW_INTERVAL_MS = 200;
    private static final int WIDTH = 40;

    private final PrintWriter err;
    private final long total;
    private final LongSupplier done;
    private final long startedNanos = System.nanoTime();
    private final ScheduledExecutorService redraw;

    private ProgressBar(PrintWriter err, long total, LongSupplier done, boolean enabled) {
        this.err = err;
        this.total = total;
        this.done = done;
        if (enabled) {
            redraw = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "benchmark-progress");
                thread.setDaemon(true);
                return thread;
            });
            redraw.scheduleAtFixedRate(this::draw, 0, REDRAW_INTERVAL_MS, TimeUnit.MILLISECONDS);
        } else {
            redraw = null;
        }
    }

    /**
     * Starts a bar of {@code total} steps reading progress from {@code done}, drawn on {@code err}
     * if {@code enabled}.
     */
    static ProgressBar start(PrintWriter err, long total, LongSupplier done, boolean enabled) {
        return new ProgressBar(err, total, done, enabled);
    }

    /** The bar's text for {@code done} of {@code total} steps after {@code elapsedSeconds}. */
    static String render(long done, long total, long elapsedSeconds) {
        double fraction = total > 0 ? Math.min(1.0, done / (double) total) : 1.0;
        int filled = (int) (fraction * WIDTH);
        String bar = "=".repeat(filled) + (filled < WIDTH ? ">" + " ".repeat(WIDTH - filled - 1) : "");
        return String.format(Locale.ROOT, " %d / %d [%s] %6.2f%% %ds", done, total, bar, fraction * 100, elapsedSeconds);
    }

    private synchronized void draw() {
        long elapsed = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedNanos);
        err.print("\r" + render(done.getAsLong(), total, elapsed));
        err.flush();
    }

    /** Stops redrawing; draws the final state and ends the line. */
    @Override
    public void close() {
        if (redraw == null) {
            return;
        }
        redraw.shutdownNow();
        try {
            redraw.awaitTermination(REDRAW_INTERVAL_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        draw();
        err.println();
        err.flush();
    }
}
