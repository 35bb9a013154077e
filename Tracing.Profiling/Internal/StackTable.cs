using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Tracing.Profiling.Internal;

/// <summary>
/// One thread's stacks, aggregated: an open-addressing hash table keyed by the frames' methods and
/// IL offsets, leaf first. Written by its thread only; read when the profile is written, after the
/// sink was detached and <see cref="Trace.Synchronize"/> returned.
/// </summary>
/// <remarks>
/// A stack seen before costs a hash over its frames, one comparison with the stored stack and two
/// additions; a new stack allocates its two arrays once. Methods are compared by reference: the
/// runtime hands out one <see cref="MethodBase"/> per method, and where it did not, the writer
/// merges equal stacks again.
/// </remarks>
sealed class StackTable
{
    Entry?[] _slots = new Entry?[64];
    MethodBase[] _methods = new MethodBase[64]; // the stack being added
    int[] _offsets = new int[64];

    public List<Entry> Entries { get; } = new();

    public void Add(StackTrace trace, int first, long count, long value)
    {
        var length = trace.FrameCount - first;
        if (length < 0) length = 0;
        if (_methods.Length < length)
        {
            _methods = new MethodBase[Math.Max(length, _methods.Length * 2)];
            _offsets = new int[_methods.Length];
        }
        var hash = length;
        var kept = 0;
        for (var i = 0; i < length; i++)
        {
            var frame = trace.GetFrame(first + i);
            var method = frame?.GetMethod();
            if (method is null) continue; // a frame the runtime cannot name: nothing to show
            var offset = frame!.GetILOffset();
            _methods[kept] = method;
            _offsets[kept] = offset;
            kept++;
            hash = unchecked((hash * -1640531535) ^ RuntimeHelpers.GetHashCode(method) ^ (offset << 16));
        }

        var mask = _slots.Length - 1;
        for (var slot = hash & mask; ; slot = (slot + 1) & mask)
        {
            var entry = _slots[slot];
            if (entry is null)
            {
                entry = new Entry(hash, Copy(_methods, kept), Copy(_offsets, kept));
                _slots[slot] = entry;
                Entries.Add(entry);
                if (Entries.Count * 2 > _slots.Length) Grow();
                entry.Count += count;
                entry.Value += value;
                return;
            }
            if (entry.Hash == hash && entry.Is(_methods, _offsets, kept))
            {
                entry.Count += count;
                entry.Value += value;
                return;
            }
        }
    }

    static T[] Copy<T>(T[] source, int length)
    {
        var copy = new T[length];
        Array.Copy(source, copy, length);
        return copy;
    }

    void Grow()
    {
        _slots = new Entry?[_slots.Length * 2];
        var mask = _slots.Length - 1;
        foreach (var entry in Entries)
        {
            var slot = entry.Hash & mask;
            while (_slots[slot] is not null) slot = (slot + 1) & mask;
            _slots[slot] = entry;
        }
    }

    /// <summary>One distinct stack, leaf first, with its weighted count and value.</summary>
    public sealed class Entry
    {
        public Entry(int hash, MethodBase[] methods, int[] offsets)
        {
            Hash = hash;
            Methods = methods;
            Offsets = offsets;
        }

        public int Hash { get; }
        public MethodBase[] Methods { get; }
        public int[] Offsets { get; } // IL offsets; -1 where the runtime does not know it
        public long Count;
        public long Value;

        public bool Is(MethodBase[] methods, int[] offsets, int length)
        {
            if (Methods.Length != length) return false;
            for (var i = 0; i < length; i++)
            {
                if (!ReferenceEquals(Methods[i], methods[i]) || Offsets[i] != offsets[i]) return false;
            }
            return true;
        }
    }
}
