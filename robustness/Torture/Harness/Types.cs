using System;

namespace Torture;

public enum Color : byte
{
    Red = 1,
    Green = 2,
    Blue = 4,
}

/// <summary>A struct event argument.</summary>
public readonly struct Point
{
    public Point(int x, int y)
    {
        X = x;
        Y = y;
    }

    public int X { get; }
    public int Y { get; }

    public override string ToString() => $"({X}, {Y})";
}

/// <summary>A large struct (more than two registers): passed by copy everywhere.</summary>
public struct Big
{
    public long A, B, C, D;

    public override string ToString() => $"Big({A}, {B}, {C}, {D})";
}

#if NET9_0_OR_GREATER
/// <summary>A user-defined ref struct event argument (Action&lt;&gt; allows ref structs from .NET 9 on).</summary>
public readonly ref struct Slice
{
    readonly ReadOnlySpan<int> _values;

    public Slice(ReadOnlySpan<int> values) => _values = values;

    public int Length => _values.Length;

    public override string ToString() => "Slice[" + string.Join(", ", _values.ToArray()) + "]";
}
#endif
