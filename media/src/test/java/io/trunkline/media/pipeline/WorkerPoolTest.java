package io.trunkline.media.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {

    @Test
    void runsEveryTaskFromManyProducersAndWakesParkedWorkers() throws Exception {
        try (WorkerPool pool = new WorkerPool("test-worker", 2, 1024)) {
            AtomicInteger ran = new AtomicInteger();
            int producers = 4;
            int perProducer = 20_000;
            CountDownLatch done = new CountDownLatch(producers * perProducer);
            Runnable task = () -> {
                ran.incrementAndGet();
                done.countDown();
            };
            Thread[] threads = new Thread[producers];
            for (int p = 0; p < producers; p++) {
                threads[p] = new Thread(() -> {
                    for (int i = 0; i < perProducer; i++) {
                        while (true) {
                            try {
                                pool.execute(task);
                                break;
                            } catch (RejectedExecutionException full) {
                                Thread.onSpinWait();
                            }
                        }
                        if (i % 1000 == 0) java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                    }
                });
                threads[p].start();
            }
            assertTrue(done.await(20, TimeUnit.SECONDS), "ran " + ran.get());
            assertEquals(producers * perProducer, ran.get());
            // Idle workers park; a single later task still runs promptly.
            Thread.sleep(50);
            CountDownLatch one = new CountDownLatch(1);
            pool.execute(one::countDown);
            assertTrue(one.await(1, TimeUnit.SECONDS));
        }
    }

    @Test
    void rejectsWhenFull() {
        CountDownLatch block = new CountDownLatch(1);
        try (WorkerPool pool = new WorkerPool("test-worker", 1, 16)) {
            Runnable blocker = () -> {
                try {
                    block.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            assertThrows(RejectedExecutionException.class, () -> {
                for (int i = 0; i < 100; i++) pool.execute(blocker);
            });
            assertEquals(1, pool.rejected());
            block.countDown();
        }
    }
}
