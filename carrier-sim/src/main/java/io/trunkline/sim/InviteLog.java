package io.trunkline.sim;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the terminating carrier saw, for counting at the boundary: one line per INVITE that reached the simulator
 * (first transmissions; retransmissions are absorbed below it), {@code <epoch-ms> <Call-ID> <called user> <calling
 * user>}. A writer thread of its own appends and flushes within milliseconds, off the SIP threads, so what the
 * simulator saw is on disk even when the caller's process is killed.
 */
public final class InviteLog implements AutoCloseable {
    private static final int CAPACITY = 100_000;

    private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(CAPACITY);
    private final BufferedWriter out;
    private final Thread writer;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean open = true;

    public InviteLog(Path file) throws IOException {
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        this.writer = new Thread(this::drain, "sim-invite-log");
        writer.setDaemon(true);
        writer.start();
    }

    void record(String callId, String called, String calling) {
        // a full queue means the disk cannot keep up: count it rather than block a SIP thread
        if (!lines.offer(System.currentTimeMillis() + " " + callId + " " + called + " " + calling)) dropped.incrementAndGet();
    }

    /** Lines that could not be queued (0 unless the disk fell behind by 100,000 INVITEs). */
    public long dropped() { return dropped.get(); }

    private void drain() {
        List<String> batch = new ArrayList<>();
        try {
            while (open || !lines.isEmpty()) {
                String first = lines.poll(20, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                lines.drainTo(batch);
                for (String l : batch) {
                    out.write(l);
                    out.newLine();
                }
                out.flush();
                batch.clear();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        open = false;
        try {
            writer.join(2000);
            out.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
