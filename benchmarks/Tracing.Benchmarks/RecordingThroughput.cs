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
/// <c>--recording-throughput [seconds] [events per second]</c>: two threads fire the recorded
/// event (string, int) for the given time (10 s by default), as fast as they can or at the given
/// total rate, into a recorder writing to a temporary file; prints what was fired, recorded and
/// dropped, the writer thread's CPU time, and the file's size per event, plain and gzipped.
/// </summary>
static class RecordingThroughput
{
    const int Batch = 1000;

    public static void Run(string[] args, TextWriter output)
    {
        var seconds = args.Length > 0 ? double.Parse(args[0]) : 10;
        var rate = args.Length > 1 ? double.Parse(args[1]) : 0; // 0: as fast as possible
        var file = Path.Combine(Path.GetTempPath(), $"tracing-throughput-{Environment.ProcessId}.json");
        var fired = new long[2];
        var stop = 0;
        var recorder = TraceRecorder.Start(file, new TraceRecorderOptions { Events = { RecordedSites.RecordedEvent }, Report = null });
        var clock = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, 2).Select(t => new Thread(() =>
        {
            var perThread = rate / 2;
            long n = 0;
            while (Volatile.Read(ref stop) == 0)
            {
                if (perThread > 0)
                {
                    var due = (long)(clock.Elapsed.TotalSeconds * perThread);
                    if (n >= due)
                    {
                        Thread.SpinWait(50);
                        continue;
                    }
                }
                RecordedSites.Recorded("request", Batch);
                n += Batch;
            }
            fired[t] = n;
        }) { Name = "firing " + t }).ToList();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        threads.ForEach(t => t.Start());
        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        Volatile.Write(ref stop, 1);
        threads.ForEach(t => t.Join());
        var firingTime = clock.Elapsed.TotalSeconds;
        recorder.Dispose();
        var totalTime = clock.Elapsed.TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        var total = fired.Sum();
        var bytes = new FileInfo(file).Length;
        long gzipped;
        using (var counter = new CountingStream())
        {
            using (var gzip = new GZipStream(counter, CompressionLevel.Optimal, leaveOpen: true))
            using (var input = File.OpenRead(file))
                input.CopyTo(gzip);
            gzipped = counter.Length;
        }
        File.Delete(file);
        output.WriteLine($"offered: {(rate > 0 ? $"{rate / 1e6:0.0}M events/s" : "as fast as possible")} from 2 threads for {firingTime:0.0} s");
        output.WriteLine($"fired: {total:N0} ({total / firingTime / 1e6:0.00}M/s); recorded: {recorder.RecordedEvents:N0} ({recorder.RecordedEvents / firingTime / 1e6:0.00}M/s over the firing time); " +
                         $"dropped: {recorder.DroppedEvents:N0} ({100.0 * recorder.DroppedEvents / Math.Max(1, total):0.0}%)");
        output.WriteLine($"completing the file after the firing stopped: {totalTime - firingTime:0.00} s; process CPU: {cpu:0.0} s over {totalTime:0.0} s on {Environment.ProcessorCount} cores");
        output.WriteLine($"file: {bytes:N0} bytes, {(double)bytes / Math.Max(1, recorder.RecordedEvents):0.0} bytes per event; gzipped: {(double)gzipped / Math.Max(1, recorder.RecordedEvents):0.0} bytes per event");
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
