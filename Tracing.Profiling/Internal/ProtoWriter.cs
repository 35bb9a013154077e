using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Tracing.Profiling.Internal;

/// <summary>
/// The part of the protocol buffers wire format a pprof profile needs: varints, length-delimited
/// strings and messages, and packed repeated integers. Fields equal to 0 are left out, as proto3
/// does (a reader takes a missing field as 0).
/// </summary>
sealed class ProtoWriter
{
    const int Varint = 0, LengthDelimited = 2;
    readonly MemoryStream _buffer = new();

    public void WriteTo(Stream stream) => _buffer.WriteTo(stream);

    public void Int64(int field, long value)
    {
        if (value == 0) return;
        Tag(field, Varint);
        Raw((ulong)value);
    }

    public void UInt64(int field, ulong value)
    {
        if (value == 0) return;
        Tag(field, Varint);
        Raw(value);
    }

    public void Bool(int field, bool value)
    {
        if (!value) return;
        Tag(field, Varint);
        Raw(1);
    }

    /// <summary>A string, written also when empty (the string table's entry 0 must be there).</summary>
    public void String(int field, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        Tag(field, LengthDelimited);
        Raw((ulong)bytes.Length);
        _buffer.Write(bytes, 0, bytes.Length);
    }

    public void Message(int field, ProtoWriter message)
    {
        Tag(field, LengthDelimited);
        Raw((ulong)message._buffer.Length);
        message._buffer.WriteTo(_buffer);
    }

    public void PackedUInt64(int field, IReadOnlyList<ulong> values)
    {
        if (values.Count == 0) return;
        var packed = new ProtoWriter();
        foreach (var v in values) packed.Raw(v);
        Message(field, packed);
    }

    public void PackedInt64(int field, IReadOnlyList<long> values)
    {
        if (values.Count == 0) return;
        var packed = new ProtoWriter();
        foreach (var v in values) packed.Raw((ulong)v);
        Message(field, packed);
    }

    void Tag(int field, int wireType) => Raw((ulong)(field << 3 | wireType));

    void Raw(ulong value)
    {
        while (value >= 0x80)
        {
            _buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        _buffer.WriteByte((byte)value);
    }
}
