using System;
using System.IO;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using NUnit.Framework;
using ProfilingFixture;

namespace Tracing.Profiling.Tests;

/// <summary>EventProfile in this process: what it accepts, what it refuses, and what a profile's size depends on.</summary>
[NonParallelizable]
public class EventProfileTests
{
    [Test]
    public void TheValueMustBeANumericParameter()
    {
        var error = Assert.Throws<ArgumentException>(() => EventProfile.Start(Net.TraceConnect, new EventProfileOptions { Value = "host" }));

        Assert.That(error!.Message, Does.StartWith(
            "EventProfileOptions.Value: parameter string host of ProfilingFixture.Net.TraceConnect(string host, long attempt) is not numeric; " +
            "a profile sums integers, float, double, decimal or TimeSpan."));
    }

    [Test]
    public void AnUnknownValueParameterIsAnErrorThatListsTheNumericOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => EventProfile.Start(Net.TraceConnect, new EventProfileOptions { Value = "size" }));

        Assert.That(error!.Message, Does.StartWith(
            "EventProfileOptions.Value: ProfilingFixture.Net.TraceConnect(string host, long attempt) has no parameter \"size\"; its numeric parameters: attempt."));
    }

    [Test]
    public void SampleEveryMustBeOneOrMore()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => EventProfile.Start(Net.TraceSent, new EventProfileOptions { SampleEvery = 0 }));

        Assert.That(error!.Message, Does.StartWith("EventProfileOptions.SampleEvery must be 1 (every firing) or more."));
    }

    [Test]
    public void AnEventNameNoLoadedAssemblyDeclaresIsAnError()
    {
        var error = Assert.Throws<ArgumentException>(() => EventProfile.Start("ProfilingFixture.Net.TraceNothing"));

        Assert.That(error!.Message, Does.StartWith(
            "EventProfile.Start: no woven assembly loaded in this process declares the trace event ProfilingFixture.Net.TraceNothing."));
    }

    [Test]
    public void AMethodThatIsNotATraceEventIsAnError()
    {
        Assert.Throws<ArgumentException>(() => EventProfile.Start(new Action(Client.Flush)));
    }

    [Test]
    public void AnUnsignedParameterNamedBytesIsSummedInBytesAndANullCountsZero()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bytes-{Environment.ProcessId}.pb.gz");
        try
        {
            using (var profile = EventProfile.Start("ProfilingFixture:ProfilingFixture.Net.TraceWait", new EventProfileOptions { Value = "sizeBytes" }))
            {
                Client.Wait(TimeSpan.Zero, null, 10);
                Client.Wait(TimeSpan.Zero, 2.5, ulong.MaxValue);
                profile.Save(path);
            }
            using (var load = EventProfile.Start(Net.TraceWait, new EventProfileOptions { Value = "load" }))
            {
                Client.Wait(TimeSpan.Zero, null, 10);
                Client.Wait(TimeSpan.Zero, 2.6, 10);
                load.Save(path + ".load");
            }

            var bytes = Pprof.Raw(path);
            var load2 = Pprof.Raw(path + ".load");

            Assert.That(bytes.SampleTypes, Is.EqualTo(new[] { "events/count", "sizeBytes/bytes[dflt]" }));
            Assert.That(bytes.Samples, Has.Count.EqualTo(2));
            Assert.That(bytes.Samples.ConvertAll(s => s.Values[1]), Is.EquivalentTo(new[] { 10, long.MaxValue }), "ulong.MaxValue saturates");
            Assert.That(load2.SampleTypes, Is.EqualTo(new[] { "events/count", "load/count[dflt]" }));
            Assert.That(load2.Samples.ConvertAll(s => s.Values[1]), Is.EquivalentTo(new[] { 0, 3 }), "null is 0, 2.6 rounds to 3");
        }
        finally
        {
            File.Delete(path);
            File.Delete(path + ".load");
        }
    }

    [Test]
    public void TheProfileGrowsWithDistinctStacksNotWithFirings()
    {
        var few = Unzipped(Profile(10));
        var many = Unzipped(Profile(10_000));

        // The same stack: only the count's varint (1 byte for 10, 2 for 10,000) and the duration's may differ.
        Assert.That(Math.Abs(many.Length - few.Length), Is.LessThanOrEqualTo(4), $"{few.Length} bytes for 10 firings, {many.Length} for 10,000");
    }

    [Test]
    public void FiringsAfterStopAreNotCounted()
    {
        var profile = EventProfile.Start(Net.TraceSent);
        Fire(2);
        profile.Stop();
        Fire(5);
        var stream = new MemoryStream();
        profile.WriteTo(stream);
        var path = Path.Combine(Path.GetTempPath(), $"stopped-{Environment.ProcessId}.pb.gz");
        File.WriteAllBytes(path, stream.ToArray());
        try
        {
            Assert.That(Pprof.Read("-top", "-sample_index=events", path), Does.Contain("of 2 total"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// Thousands of short-lived threads, a few alive at once, each firing once: the profile counts
    /// every firing, and keeps a recorder per thread alive at once, not per thread it ever saw (a
    /// thread takes over the recorder of one that exited).
    /// </summary>
    [Test]
    public void ShortLivedThreadsHandTheirRecordersOnAndEveryFiringIsCounted()
    {
        const int Threads = 4_000, AtOnce = 4;
        var profile = EventProfile.Start(Net.TraceSent);
        for (var started = 0; started < Threads; started += AtOnce)
        {
            var batch = new System.Collections.Generic.List<System.Threading.Thread>();
            for (var i = 0; i < AtOnce; i++) batch.Add(new System.Threading.Thread(() => Fire(1)));
            batch.ForEach(t => t.Start());
            foreach (var t in batch) Assert.That(t.Join(TimeSpan.FromSeconds(30)), Is.True);
        }
        profile.Stop();
        Assert.That(profile.ThreadRecorders, Is.InRange(1, AtOnce), "one recorder per thread alive at once");
        var path = Path.Combine(Path.GetTempPath(), $"short-lived-{Environment.ProcessId}.pb.gz");
        profile.Save(path);
        try
        {
            Assert.That(Pprof.Read("-top", "-sample_index=events", path), Does.Contain($"of {Threads} total"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    static byte[] Unzipped(byte[] profile)
    {
        using var gzip = new GZipStream(new MemoryStream(profile), CompressionMode.Decompress);
        var bytes = new MemoryStream();
        gzip.CopyTo(bytes);
        return bytes.ToArray();
    }

    static byte[] Profile(int firings)
    {
        using var profile = EventProfile.Start(Net.TraceSent);
        Fire(firings);
        var stream = new MemoryStream();
        profile.WriteTo(stream);
        return stream.ToArray();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static void Fire(int firings)
    {
        for (var i = 0; i < firings; i++) Client.Ping();
    }
}
