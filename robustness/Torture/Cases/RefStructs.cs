#if NET9_0_OR_GREATER
using System;

namespace Torture;

/// <summary>Ref struct arguments: Action&lt;&gt; allows them from .NET 9 on.</summary>
public static class RefStructs
{
    public static object? SpanArguments()
    {
        var text = Fx.V("hello world");
        Events.TraceSpan(text.AsSpan(A.I(6)));
        Events.TraceSpan(A.S("literal").AsSpan());
        Span<int> numbers = stackalloc int[] { 1, 2, 3 };
        Events.TraceSpanInts(numbers.Slice(A.I(1)));
        Events.TraceSpanInts(stackalloc int[] { A.I(7), A.I(8) });
        Events.TraceSpan(text.AsSpan().Trim(A.V('h')));
        return text.Length;
    }

    public static object? UserRefStruct()
    {
        Span<int> values = stackalloc int[] { 4, 5 };
        Events.TraceSlice(new Slice(values));
        Events.TraceSlice(new Slice(new[] { A.I(1), A.I(2), A.I(3) }));
        return values[0];
    }

    public static object? ParamsSpan()
    {
        Events.TraceParamsSpan();
        Events.TraceParamsSpan(A.I(1));
        Events.TraceParamsSpan(A.I(1), A.I(2), A.I(3));
        Events.TraceParamsSpan([A.I(4), A.I(5)]);
        return "params span";
    }

    public static object? CollectionExpressions()
    {
        Events.TraceList([A.S("a"), A.S("b")]);
        Events.TraceParams([A.I(1), .. new[] { A.I(2), A.I(3) }]);
        Events.TraceSpanInts([A.I(9)]);
        return "collections";
    }
}
#endif
