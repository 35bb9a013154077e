using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Reflection;

namespace Tracing.Profiling.Internal;

/// <summary>What a profile holds when it is written.</summary>
sealed class ProfileData
{
    public ProfileData(TraceEventInfo traceEvent, IReadOnlyList<StackTable> tables, string? valueName, string? valueUnit,
        long period, long timeNanos, long durationNanos)
    {
        Event = traceEvent;
        Tables = tables;
        ValueName = valueName;
        ValueUnit = valueUnit;
        Period = period;
        TimeNanos = timeNanos;
        DurationNanos = durationNanos;
    }

    public TraceEventInfo Event { get; }
    public IReadOnlyList<StackTable> Tables { get; }
    public string? ValueName { get; }
    public string? ValueUnit { get; }
    public long Period { get; }
    public long TimeNanos { get; }
    public long DurationNanos { get; }
}

/// <summary>
/// Writes a profile in pprof's format: the <c>perftools.profiles.Profile</c> message of
/// profile.proto (github.com/google/pprof, proto/profile.proto), gzipped. Field numbers are
/// those of profile.proto; each message is written by the method named after it.
/// </summary>
static class PprofWriter
{
    public static void Write(ProfileData data, Stream stream)
    {
        var profile = Build(data);
        using var gzip = new GZipStream(stream, CompressionLevel.Optimal, leaveOpen: true);
        profile.WriteTo(gzip);
    }

    static ProtoWriter Build(ProfileData data)
    {
        var strings = new StringTable();
        var profile = new ProtoWriter();
        using var symbolizer = new Symbolizer();
        var functions = new Dictionary<MethodBase, ulong>();
        var functionMessages = new List<ProtoWriter>();
        var locations = new Dictionary<(MethodBase, int), ulong>();
        var locationMessages = new List<ProtoWriter>();

        // Samples: the threads' tables merged by their location ids (the same stack on two threads is one sample).
        var samples = new Dictionary<StackKey, long[]>();
        var order = new List<StackKey>();
        foreach (var table in data.Tables)
        {
            foreach (var entry in table.Entries)
            {
                var ids = new ulong[entry.Methods.Length];
                for (var i = 0; i < ids.Length; i++) ids[i] = Location(entry.Methods[i], entry.Offsets[i]);
                var key = new StackKey(ids);
                if (!samples.TryGetValue(key, out var values))
                {
                    values = new long[2];
                    samples.Add(key, values);
                    order.Add(key);
                }
                values[0] += entry.Count;
                values[1] += entry.Value;
            }
        }

        // Profile.sample_type = 1 (ValueType: type = 1, unit = 2)
        profile.Message(1, ValueType(strings, "events", "count"));
        if (data.ValueName is not null) profile.Message(1, ValueType(strings, data.ValueName, data.ValueUnit!));
        // Profile.sample = 2 (Sample: location_id = 1, value = 2)
        foreach (var key in order)
        {
            var sample = new ProtoWriter();
            sample.PackedUInt64(1, key.Ids);
            var values = samples[key];
            sample.PackedInt64(2, data.ValueName is null ? new[] { values[0] } : values);
            profile.Message(2, sample);
        }
        // Profile.mapping = 3: one, for the program, saying that names, files and lines are in the
        // profile already (so pprof does not look for a binary to symbolize with).
        // Mapping: id = 1, filename = 5, has_functions = 7, has_filenames = 8, has_line_numbers = 9
        var mapping = new ProtoWriter();
        mapping.UInt64(1, 1);
        mapping.Int64(5, strings.Of(ProgramName(data)));
        mapping.Bool(7, true);
        mapping.Bool(8, true);
        mapping.Bool(9, true);
        profile.Message(3, mapping);
        // Profile.location = 4, Profile.function = 5
        foreach (var location in locationMessages) profile.Message(4, location);
        foreach (var function in functionMessages) profile.Message(5, function);
        // Profile.time_nanos = 9, duration_nanos = 10, period_type = 11, period = 12, comment = 13, default_sample_type = 14
        profile.Int64(9, data.TimeNanos);
        profile.Int64(10, data.DurationNanos);
        profile.Message(11, ValueType(strings, "events", "count"));
        profile.Int64(12, data.Period);
        profile.Int64(13, strings.Of($"Tracing.Profiling: the stacks that fired {data.Event}"));
        if (data.Period > 1) profile.Int64(13, strings.Of($"sampled: about 1 in {data.Period} firings, each weighted by {data.Period}"));
        profile.Int64(14, strings.Of(data.ValueName ?? "events"));
        // Profile.string_table = 6, last: every string above is in it now.
        foreach (var s in strings.All) profile.String(6, s);
        return profile;

        ulong Location(MethodBase method, int offset)
        {
            if (locations.TryGetValue((method, offset), out var id)) return id;
            id = (ulong)locationMessages.Count + 1;
            locations.Add((method, offset), id);
            var symbols = symbolizer.Of(method);
            // Location: id = 1, mapping_id = 2, line = 4 (Line: function_id = 1, line = 2)
            var location = new ProtoWriter();
            location.UInt64(1, id);
            location.UInt64(2, 1);
            var line = new ProtoWriter();
            line.UInt64(1, Function(method, symbols));
            line.Int64(2, symbols.LineAt(offset));
            location.Message(4, line);
            locationMessages.Add(location);
            return id;
        }

        ulong Function(MethodBase method, MethodSymbols symbols)
        {
            if (functions.TryGetValue(method, out var id)) return id;
            id = (ulong)functionMessages.Count + 1;
            functions.Add(method, id);
            // Function: id = 1, name = 2, system_name = 3, filename = 4, start_line = 5
            var function = new ProtoWriter();
            function.UInt64(1, id);
            function.Int64(2, strings.Of(symbols.Name));
            function.Int64(3, strings.Of(symbols.SystemName));
            function.Int64(4, strings.Of(symbols.File ?? ""));
            function.Int64(5, symbols.StartLine);
            functionMessages.Add(function);
            return id;
        }
    }

    static string ProgramName(ProfileData data) =>
        Assembly.GetEntryAssembly()?.GetName().Name ?? data.Event.AssemblyName;

    static ProtoWriter ValueType(StringTable strings, string type, string unit)
    {
        var message = new ProtoWriter();
        message.Int64(1, strings.Of(type));
        message.Int64(2, strings.Of(unit));
        return message;
    }

    sealed class StringTable
    {
        readonly Dictionary<string, long> _index = new() { [""] = 0 };

        public List<string> All { get; } = new() { "" };

        public long Of(string s)
        {
            if (_index.TryGetValue(s, out var i)) return i;
            i = All.Count;
            All.Add(s);
            _index.Add(s, i);
            return i;
        }
    }

    readonly struct StackKey : IEquatable<StackKey>
    {
        public StackKey(ulong[] ids) => Ids = ids;

        public ulong[] Ids { get; }

        public bool Equals(StackKey other)
        {
            if (Ids.Length != other.Ids.Length) return false;
            for (var i = 0; i < Ids.Length; i++)
            {
                if (Ids[i] != other.Ids[i]) return false;
            }
            return true;
        }

        public override bool Equals(object? obj) => obj is StackKey other && Equals(other);

        public override int GetHashCode()
        {
            var hash = Ids.Length;
            foreach (var id in Ids) hash = unchecked(hash * 31 + id.GetHashCode());
            return hash;
        }
    }
}
