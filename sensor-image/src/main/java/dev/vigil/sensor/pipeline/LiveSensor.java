package dev.vigil.sensor.pipeline;

import dev.vigil.sensor.analyzer.AnalyzerSinks;
import dev.vigil.sensor.analyzer.DnsSink;
import dev.vigil.sensor.analyzer.FactSink;
import dev.vigil.sensor.analyzer.HttpSink;
import dev.vigil.sensor.analyzer.SslSink;
import dev.vigil.sensor.capture.Bpf;
import dev.vigil.sensor.capture.CaptureFilter;
import dev.vigil.sensor.capture.LiveCapture;
import dev.vigil.sensor.capture.PcapLiveCapture;
import dev.vigil.sensor.capture.afpacket.AfPacketCapture;
import dev.vigil.sensor.capture.afpacket.CpuAffinity;
import dev.vigil.sensor.flow.ConnRecord;
import dev.vigil.sensor.flow.FlowConfig;
import dev.vigil.sensor.flow.FlowSink;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Live capture: one worker thread per AF_PACKET fanout member, each pinned to one CPU of the
 * process's cpuset and owning its own decoder and flow table (the kernel's flow hash keeps both
 * directions of a connection on one worker). Connections from all workers go to one sink.
 */
public final class LiveSensor implements AutoCloseable {
  private final List<Worker> workers = new ArrayList<>();
  private final CountDownLatch done;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final int group;

  private final class Worker implements Runnable {
    final LiveCapture capture;
    final Pipeline pipeline;
    final int cpu;
    volatile boolean stop;
    final Thread thread;

    Worker(LiveCapture capture, Pipeline pipeline, int cpu, int index) {
      this.capture = capture;
      this.pipeline = pipeline;
      this.cpu = cpu;
      this.thread = new Thread(this, "vigil-worker-" + index);
    }

    @Override
    public void run() {
      try {
        if (cpu >= 0) {
          CpuAffinity.pinCurrentThread(cpu);
        }
        while (!stop && capture.next(pipeline)) {
          // one frame per call
        }
        pipeline.finish();
      } catch (Throwable t) {
        failure.compareAndSet(null, t);
      } finally {
        capture.release();
        done.countDown();
      }
    }
  }

  /**
   * Opens {@code workers} fanout sockets on {@code iface} and starts capturing.
   *
   * @param sink receives connections from every worker (called under a lock)
   */
  public LiveSensor(String iface, int workerCount, FlowConfig cfg, FlowSink sink, boolean pin)
      throws IOException {
    this(iface, workerCount, cfg, sink, SslSink.NONE, pin);
  }

  /** As above; {@code ssl} receives TLS sessions from every worker (under the same lock). */
  public LiveSensor(
      String iface, int workerCount, FlowConfig cfg, FlowSink sink, SslSink ssl, boolean pin)
      throws IOException {
    this(iface, workerCount, -1, 64, cfg, sink, ssl, pin);
  }

  /**
   * As above with an explicit fanout group and ring size.
   *
   * @param fanoutGroup PACKET_FANOUT group id 0..65535 shared with the other processes (pods) of
   *     the same tap, or -1 for one derived from the process id (this process's workers only)
   * @param ringMiB receive ring per worker, in 1 MiB blocks
   */
  public LiveSensor(
      String iface,
      int workerCount,
      int fanoutGroup,
      int ringMiB,
      FlowConfig cfg,
      FlowSink sink,
      SslSink ssl,
      boolean pin)
      throws IOException {
    this(iface, workerCount, fanoutGroup, ringMiB, cfg, sink, ssl, i -> FactSink.NONE, pin);
  }

  /**
   * As above with capture settings: the snap length and BPF filter compiled for Ethernet and
   * attached to every worker's socket, the VLAN restriction applied by every worker.
   */
  public LiveSensor(
      String iface,
      int workerCount,
      int fanoutGroup,
      int ringMiB,
      FlowConfig cfg,
      FlowSink sink,
      SslSink ssl,
      boolean pin,
      CaptureFilter filter)
      throws IOException {
    this(iface, workerCount, fanoutGroup, ringMiB, cfg, sink, ssl, pin, filter, false);
  }

  /**
   * As above; {@code libpcap}: capture through libpcap ({@link PcapLiveCapture}, one worker:
   * libpcap has no fanout) instead of an AF_PACKET ring.
   */
  public LiveSensor(
      String iface,
      int workerCount,
      int fanoutGroup,
      int ringMiB,
      FlowConfig cfg,
      FlowSink sink,
      SslSink ssl,
      boolean pin,
      CaptureFilter filter,
      boolean libpcap)
      throws IOException {
    this(
        iface,
        workerCount,
        fanoutGroup,
        ringMiB,
        cfg,
        sink,
        AnalyzerSinks.ssl(ssl),
        i -> AnalyzerSinks.NONE,
        pin,
        filter,
        libpcap);
  }

  /**
   * As above; {@code facts} makes each worker's detection stage (worker index → its own instance,
   * called on that worker's thread only).
   */
  public LiveSensor(
      String iface,
      int workerCount,
      int fanoutGroup,
      int ringMiB,
      FlowConfig cfg,
      FlowSink sink,
      SslSink ssl,
      IntFunction<FactSink> facts,
      boolean pin)
      throws IOException {
    this(
        iface,
        workerCount,
        fanoutGroup,
        ringMiB,
        cfg,
        sink,
        AnalyzerSinks.ssl(ssl),
        i -> new AnalyzerSinks(SslSink.NONE, DnsSink.NONE, HttpSink.NONE, facts.apply(i)),
        pin,
        CaptureFilter.NONE,
        false);
  }

  /** As above with every analyzer sink (ssl, dns, http); calls to each are serialised. */
  public LiveSensor(
      String iface,
      int workerCount,
      int fanoutGroup,
      int ringMiB,
      FlowConfig cfg,
      FlowSink sink,
      AnalyzerSinks sinks,
      boolean pin)
      throws IOException {
    this(
        iface,
        workerCount,
        fanoutGroup,
        ringMiB,
        cfg,
        sink,
        sinks,
        i -> AnalyzerSinks.NONE,
        pin,
        CaptureFilter.NONE,
        false);
  }

  /**
   * As above with every analyzer sink and the capture settings: {@code sinks} (ssl, dns, http logs)
   * are shared by the workers and calls to each are serialised; {@code workerSinks} makes each
   * worker's own sinks (worker index → its own instances, e.g. the detection stage, called on that
   * worker's thread only), given every fact after the shared ones. The snap length and BPF filter
   * are compiled for Ethernet and attached to every worker's socket, the VLAN restriction is
   * applied by every worker. {@code libpcap}: capture through libpcap ({@link PcapLiveCapture}, one
   * worker: libpcap has no fanout) instead of an AF_PACKET ring.
   */
  public LiveSensor(
      String iface,
      int workerCount,
      int fanoutGroup,
      int ringMiB,
      FlowConfig cfg,
      FlowSink sink,
      AnalyzerSinks sinks,
      IntFunction<AnalyzerSinks> workerSinks,
      boolean pin,
      CaptureFilter filter,
      boolean libpcap)
      throws IOException {
    if (libpcap && workerCount != 1) {
      throw new IllegalArgumentException("libpcap capture runs one worker (no fanout)");
    }
    Bpf program =
        !libpcap && filter.needsProgram() ? Bpf.compile(filter.bpf(), 1, filter.snaplen()) : null;
    int group = fanoutGroup >= 0 ? fanoutGroup : (int) (ProcessHandle.current().pid() & 0xffff);
    this.group = group;
    List<Integer> cpus = CpuAffinity.allowedCpus();
    FlowSink shared =
        new FlowSink() {
          @Override
          public void onConnection(ConnRecord r) {
            synchronized (LiveSensor.this) {
              sink.onConnection(r);
            }
          }
        };
    SslSink ssl = sinks.ssl();
    DnsSink dns = sinks.dns();
    HttpSink http = sinks.http();
    AnalyzerSinks shared2 =
        new AnalyzerSinks(
            (s, r) -> {
              synchronized (LiveSensor.this) {
                ssl.onSsl(s, r);
              }
            },
            (t, r) -> {
              synchronized (LiveSensor.this) {
                dns.onDns(t, r);
              }
            },
            (t, r) -> {
              synchronized (LiveSensor.this) {
                http.onHttp(t, r);
              }
            });
    try {
      for (int i = 0; i < workerCount; i++) {
        LiveCapture cap =
            libpcap
                ? new PcapLiveCapture(iface, filter, (int) Math.min(1 << 30, (long) ringMiB << 20))
                : new AfPacketCapture(iface, group, 1 << 20, ringMiB, 50, program);
        // uids: each worker numbers its flows in its own range
        Pipeline p = new Pipeline(cfg, shared, (long) i << 40, shared2.and(workerSinks.apply(i)));
        p.filter(filter, true);
        int cpu = pin && !cpus.isEmpty() ? cpus.get(i % cpus.size()) : -1;
        workers.add(new Worker(cap, p, cpu, i));
      }
    } catch (IOException e) {
      for (Worker w : workers) {
        w.capture.release();
      }
      throw e;
    }
    done = new CountDownLatch(workers.size());
    for (Worker w : workers) {
      w.thread.start();
    }
  }

  /** The PACKET_FANOUT group id the workers joined. */
  public int fanoutGroup() {
    return group;
  }

  public List<Pipeline> pipelines() {
    return workers.stream().map(w -> w.pipeline).toList();
  }

  /** Kernel {packets, drops} summed over the workers since the previous call. */
  public long[] kernelStatistics() {
    long[] sum = new long[2];
    for (Worker w : workers) {
      long[] s = w.capture.statistics();
      sum[0] += s[0];
      sum[1] += s[1];
    }
    return sum;
  }

  /** Stops the workers, flushes their flows to the sink and waits for them. */
  @Override
  public void close() throws IOException {
    for (Worker w : workers) {
      w.stop = true;
      w.capture.stop();
    }
    try {
      done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Throwable t = failure.get();
    if (t != null) {
      throw new IOException("capture worker failed: " + t, t);
    }
  }
}
