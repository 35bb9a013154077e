using System;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Threading;
using Tracing.Benchmarks.Subject;
using Tracing.Recording;

namespace Tracing.Benchmarks;

/// <summary>
/// <c>--recording-throughput [seconds] [events per second] [--dir DIR] [--buffer-mib N]</c>: two
/// threads fire the recorded event (string, int) for the given time (10 s by default), as fast as
/// they can or at the given total rate, into a recorder writing to a file in DIR (the temporary
/// directory by default; <c>/dev/shm</c> takes the disk out) with N MiB of buffer per thread (the
/// recorder's default by default); prints what was fired, recorded and dropped, the process' CPU
/// time and its writer's and firing threads' CPU per event, and the file's size per event, plain
/// and gzipped (measured on its first 64 MiB).
/// </summary>
/// <remarks>
/// At a given rate each thread fires a batch, then sleeps until the next one is due: on 2 cores a
/// thread that spun to pace itself would take the core the recorder's writer needs.
/// </remarks>
static class RecordingThroughput
{
    const int Batch = 1000;

    public static void Run(string[] args, TextWriter output)
    {
        var positional = new System.Collections.Generic.List<string>();
        var directory = Path.GetTempPath();
        var bufferMiB = 0;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--dir" && i + 1 < args.Length) directory = args[++i];
            else if (args[i] == "--buffer-mib" && i + 1 < args.Length) bufferMiB = int.Parse(args[++i]);
            else if (args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"--recording-throughput: unknown option {args[i]}");
            else positional.Add(args[i]);
        }
        var seconds = positional.Count > 0 ? double.Parse(positional[0]) : 10;
        var rate = positional.Count > 1 ? double.Parse(positional[1]) : 0; // 0: as fast as possible
        var file = Path.Combine(directory, $"tracing-throughput-{Environment.ProcessId}.json");
        var fired = new long[2];
        var stop = 0;
        var options = new TraceRecorderOptions { Events = { RecordedSites.RecordedEvent }, Report = null };
        if (bufferMiB > 0) options.ThreadBufferSize = bufferMiB << 20;
        var recorder = TraceRecorder.Start(file, options);
        var clock = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, 2).Select(t => new Thread(() =>
        {
            var perThread = rate / 2;
            long n = 0;
            while (Volatile.Read(ref stop) == 0)
            {
                if (perThread > 0)
                {
                    var ahead = (n - clock.Elapsed.TotalSeconds * perThread) / perThread; // seconds
                    if (ahead > 0)
                    {
                        Thread.Sleep(TimeSpan.FromSeconds(Math.Max(ahead, 0.001)));
                        continue;
                    }
                }
                RecordedSites.Recorded("request", Batch);
                n += Batch;
                Volatile.Write(ref fired[t], n);
            }
        }) { Name = "firing " + t }).ToList();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        threads.ForEach(t => t.Start());
        // The first second apart: it includes the JIT compiling the writer and first touches of the buffers.
        Thread.Sleep(TimeSpan.FromSeconds(Math.Min(1, seconds)));
        var (firedAt1, droppedAt1) = (Volatile.Read(ref fired[0]) + Volatile.Read(ref fired[1]), recorder.DroppedEvents);
        Thread.Sleep(TimeSpan.FromSeconds(Math.Max(0, seconds - 1)));
        var firingCpu = ThreadCpuSeconds("firing "); // before they end
        Volatile.Write(ref stop, 1);
        threads.ForEach(t => t.Join());
        var firingTime = clock.Elapsed.TotalSeconds;
        var writerCpu = ThreadCpuSeconds("Tracing.Rec"); // before Dispose, which ends the writer thread
        recorder.Dispose();
        var totalTime = clock.Elapsed.TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        var total = fired.Sum();
        var bytes = new FileInfo(file).Length;
        // Gzipped size: of the first 64 MiB (a sample of the same lines; the whole file may be gigabytes).
        const int Sample = 64 << 20;
        double gzipRatio;
        using (var counter = new CountingStream())
        {
            var sample = new byte[(int)Math.Min(bytes, Sample)];
            using (var input = File.OpenRead(file))
                input.ReadExactly(sample);
            using (var gzip = new GZipStream(counter, CompressionLevel.Optimal, leaveOpen: true))
                gzip.Write(sample);
            gzipRatio = (double)counter.Length / Math.Max(1, sample.Length);
        }
        var gzipped = bytes * gzipRatio;
        File.Delete(file);
        output.WriteLine($"offered: {(rate > 0 ? $"{rate / 1e6:0.0}M events/s" : "as fast as possible")} from 2 threads for {firingTime:0.0} s, " +
                         $"into {directory}, {options.ThreadBufferSize >> 20} MiB of buffer per thread");
        output.WriteLine($"fired: {total:N0} ({total / firingTime / 1e6:0.00}M/s); recorded: {recorder.RecordedEvents:N0} ({recorder.RecordedEvents / firingTime / 1e6:0.00}M/s over the firing time); " +
                         $"dropped: {recorder.DroppedEvents:N0} ({100.0 * recorder.DroppedEvents / Math.Max(1, total):0.0}%)");
        output.WriteLine($"after the first second: fired {total - firedAt1:N0}, dropped {recorder.DroppedEvents - droppedAt1:N0} " +
                         $"({100.0 * (recorder.DroppedEvents - droppedAt1) / Math.Max(1, total - firedAt1):0.0}%)");
        output.WriteLine($"completing the file after the firing stopped: {totalTime - firingTime:0.00} s; process CPU: {cpu:0.0} s over {totalTime:0.0} s on {Environment.ProcessorCount} cores");
        if (writerCpu is { } w && firingCpu is { } f)
            output.WriteLine($"CPU per recorded event: writer thread {w * 1e9 / Math.Max(1, recorder.RecordedEvents):0} ns ({w:0.0} s); " +
                             $"per fired event: firing threads {f * 1e9 / Math.Max(1, total):0} ns ({f:0.0} s)");
        output.WriteLine($"file: {bytes:N0} bytes, {(double)bytes / Math.Max(1, recorder.RecordedEvents):0.0} bytes per event; gzipped: {gzipped / Math.Max(1, recorder.RecordedEvents):0.0} bytes per event");
    }

    // The CPU time (user + system) of this process' threads whose OS name starts with the prefix,
    // from /proc (Linux; null elsewhere). Precision: the kernel's clock tick, 10 ms.
    static double? ThreadCpuSeconds(string prefix)
    {
        if (!Directory.Exists("/proc/self/task")) return null;
        double seconds = 0;
        foreach (var task in Directory.GetDirectories("/proc/self/task"))
        {
            try
            {
                if (!File.ReadAllText(Path.Combine(task, "comm")).StartsWith(prefix, StringComparison.Ordinal)) continue;
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // fields from the 3rd (state) on
                seconds += (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0; // utime, stime in ticks of 1/100 s
            }
            catch (IOException)
            {
                // The thread ended meanwhile.
            }
        }
        return seconds;
    }

    sealed class CountingStream : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        long _length;
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => _length += count;
    }
}
