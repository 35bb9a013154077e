using System;
using System.Diagnostics;
using System.IO;
using Tracing.Benchmarks.Subject;
using Tracing.Profiling;

namespace Tracing.Benchmarks;

/// <summary>
/// <c>--profile-size</c>: a profile's size, and the memory it holds while it records, after 1,000
/// to 10 million firings from ten distinct stacks. Both should depend on the ten stacks only.
/// The last two rows are the same 10 million firings, every one recorded (a stack captured each
/// time: about a minute on a quiet machine) and sampled 1 in 100.
/// </summary>
static class ProfileSize
{
    public static void Run(TextWriter output)
    {
        output.WriteLine("| firings | sample every | distinct stacks | profile (.pb.gz) | unzipped | heap held while recording | µs per firing |");
        output.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (firings, every) in new[] { (1_000L, 1), (100_000L, 1), (10_000_000L, 1), (10_000_000L, 100) })
        {
            var before = GC.GetTotalMemory(forceFullCollection: true);
            using var profile = EventProfile.Start(Profiled.TraceSample, new EventProfileOptions { Value = "length", SampleEvery = every });
            var watch = Stopwatch.StartNew();
            Profiled.FireFromTenPlaces(firings);
            watch.Stop();
            var held = GC.GetTotalMemory(forceFullCollection: true) - before;
            var file = new MemoryStream();
            profile.WriteTo(file);
            var unzipped = new MemoryStream();
            using (var gzip = new System.IO.Compression.GZipStream(new MemoryStream(file.ToArray()), System.IO.Compression.CompressionMode.Decompress))
                gzip.CopyTo(unzipped);
            output.WriteLine($"| {firings:N0} | {every} | 10 | {file.Length:N0} B | {unzipped.Length:N0} B | {held:N0} B | {watch.Elapsed.TotalMilliseconds * 1000 / firings:N2} |");
        }
    }
}
