// The forwarders must call System.Diagnostics.Trace's [Conditional("TRACE")] methods whatever
// this project's own constants are: whether a call happens is decided where it is compiled, by
// the [Conditional("TRACE")] on the forwarders below.
#define TRACE

using System;
using System.Diagnostics;
#if NET
using System.Diagnostics.CodeAnalysis;
#endif
#if NET10_0_OR_GREATER
using System.Runtime.CompilerServices;
#endif
using SystemTrace = System.Diagnostics.Trace;

namespace Tracing;

// Tracing.Trace shares its simple name with System.Diagnostics.Trace, and most files that trace
// also say `using System.Diagnostics;`: with both usings, `Trace` would be ambiguous (CS0104).
// Tracing.Fody's build props therefore add `global using Trace = Tracing.Trace;`, which takes
// precedence over both usings, and so that the alias takes nothing away, Tracing.Trace also has
// every public static member of System.Diagnostics.Trace, with the same signature, the same
// [Conditional("TRACE")] (a call is compiled only where TRACE is defined, as before), the same
// flow-analysis and nullability annotations, and the same behaviour: each one forwards to
// System.Diagnostics.Trace. Tracing.Import.Tests/SystemDiagnosticsTraceSurfaceTests.cs checks this
// against System.Diagnostics.Trace of each target framework.
public static partial class Trace
{
    /// <inheritdoc cref="SystemTrace.Listeners"/>
    public static TraceListenerCollection Listeners => SystemTrace.Listeners;

    /// <inheritdoc cref="SystemTrace.AutoFlush"/>
    public static bool AutoFlush
    {
        get => SystemTrace.AutoFlush;
        set => SystemTrace.AutoFlush = value;
    }

    /// <inheritdoc cref="SystemTrace.UseGlobalLock"/>
    public static bool UseGlobalLock
    {
        get => SystemTrace.UseGlobalLock;
        set => SystemTrace.UseGlobalLock = value;
    }

    /// <inheritdoc cref="SystemTrace.CorrelationManager"/>
    public static CorrelationManager CorrelationManager => SystemTrace.CorrelationManager;

    /// <inheritdoc cref="SystemTrace.IndentLevel"/>
    public static int IndentLevel
    {
        get => SystemTrace.IndentLevel;
        set => SystemTrace.IndentLevel = value;
    }

    /// <inheritdoc cref="SystemTrace.IndentSize"/>
    public static int IndentSize
    {
        get => SystemTrace.IndentSize;
        set => SystemTrace.IndentSize = value;
    }

#if NET
    /// <inheritdoc cref="SystemTrace.Refreshing"/>
    public static event EventHandler? Refreshing
    {
        add => SystemTrace.Refreshing += value;
        remove => SystemTrace.Refreshing -= value;
    }
#endif

    /// <inheritdoc cref="SystemTrace.Flush"/>
    [Conditional("TRACE")]
    public static void Flush() => SystemTrace.Flush();

    /// <inheritdoc cref="SystemTrace.Close"/>
    [Conditional("TRACE")]
    public static void Close() => SystemTrace.Close();

    /// <inheritdoc cref="SystemTrace.Assert(bool)"/>
    [Conditional("TRACE")]
#if NET10_0_OR_GREATER
    [OverloadResolutionPriority(-1)]
#endif
    public static void Assert(
#if NET
        [DoesNotReturnIf(false)]
#endif
        bool condition) => SystemTrace.Assert(condition);

    /// <inheritdoc cref="SystemTrace.Assert(bool, string)"/>
    [Conditional("TRACE")]
    public static void Assert(
#if NET
        [DoesNotReturnIf(false)]
#endif
#if NET10_0_OR_GREATER
        bool condition, [CallerArgumentExpression(nameof(condition))] string? message = null) => SystemTrace.Assert(condition, message);
#else
        bool condition, string? message) => SystemTrace.Assert(condition, message);
#endif

    /// <inheritdoc cref="SystemTrace.Assert(bool, string, string)"/>
    [Conditional("TRACE")]
    public static void Assert(
#if NET
        [DoesNotReturnIf(false)]
#endif
        bool condition, string? message, string? detailMessage) => SystemTrace.Assert(condition, message, detailMessage);

    /// <inheritdoc cref="SystemTrace.Fail(string)"/>
    [Conditional("TRACE")]
#if NET
    [DoesNotReturn]
#endif
    public static void Fail(string? message) => SystemTrace.Fail(message);

    /// <inheritdoc cref="SystemTrace.Fail(string, string)"/>
    [Conditional("TRACE")]
#if NET
    [DoesNotReturn]
#endif
    public static void Fail(string? message, string? detailMessage) => SystemTrace.Fail(message, detailMessage);

    /// <inheritdoc cref="SystemTrace.Refresh"/>
    public static void Refresh() => SystemTrace.Refresh();

    /// <inheritdoc cref="SystemTrace.TraceInformation(string)"/>
    [Conditional("TRACE")]
    public static void TraceInformation(string? message) => SystemTrace.TraceInformation(message);

    /// <inheritdoc cref="SystemTrace.TraceInformation(string, object[])"/>
    [Conditional("TRACE")]
    public static void TraceInformation(
#if NET
        [StringSyntax(StringSyntaxAttribute.CompositeFormat)] string format,
#else
        string? format,
#endif
        params object?[]? args) => SystemTrace.TraceInformation(format, args);

    /// <inheritdoc cref="SystemTrace.TraceWarning(string)"/>
    [Conditional("TRACE")]
    public static void TraceWarning(string? message) => SystemTrace.TraceWarning(message);

    /// <inheritdoc cref="SystemTrace.TraceWarning(string, object[])"/>
    [Conditional("TRACE")]
    public static void TraceWarning(
#if NET
        [StringSyntax(StringSyntaxAttribute.CompositeFormat)] string format,
#else
        string? format,
#endif
        params object?[]? args) => SystemTrace.TraceWarning(format, args);

    /// <inheritdoc cref="SystemTrace.TraceError(string)"/>
    [Conditional("TRACE")]
    public static void TraceError(string? message) => SystemTrace.TraceError(message);

    /// <inheritdoc cref="SystemTrace.TraceError(string, object[])"/>
    [Conditional("TRACE")]
    public static void TraceError(
#if NET
        [StringSyntax(StringSyntaxAttribute.CompositeFormat)] string format,
#else
        string? format,
#endif
        params object?[]? args) => SystemTrace.TraceError(format, args);

    /// <inheritdoc cref="SystemTrace.Write(string)"/>
    [Conditional("TRACE")]
    public static void Write(string? message) => SystemTrace.Write(message);

    /// <inheritdoc cref="SystemTrace.Write(object)"/>
    [Conditional("TRACE")]
    public static void Write(object? value) => SystemTrace.Write(value);

    /// <inheritdoc cref="SystemTrace.Write(string, string)"/>
    [Conditional("TRACE")]
    public static void Write(string? message, string? category) => SystemTrace.Write(message, category);

    /// <inheritdoc cref="SystemTrace.Write(object, string)"/>
    [Conditional("TRACE")]
    public static void Write(object? value, string? category) => SystemTrace.Write(value, category);

    /// <inheritdoc cref="SystemTrace.WriteLine(string)"/>
    [Conditional("TRACE")]
    public static void WriteLine(string? message) => SystemTrace.WriteLine(message);

    /// <inheritdoc cref="SystemTrace.WriteLine(object)"/>
    [Conditional("TRACE")]
    public static void WriteLine(object? value) => SystemTrace.WriteLine(value);

    /// <inheritdoc cref="SystemTrace.WriteLine(string, string)"/>
    [Conditional("TRACE")]
    public static void WriteLine(string? message, string? category) => SystemTrace.WriteLine(message, category);

    /// <inheritdoc cref="SystemTrace.WriteLine(object, string)"/>
    [Conditional("TRACE")]
    public static void WriteLine(object? value, string? category) => SystemTrace.WriteLine(value, category);

    /// <inheritdoc cref="SystemTrace.WriteIf(bool, string)"/>
    [Conditional("TRACE")]
    public static void WriteIf(bool condition, string? message) => SystemTrace.WriteIf(condition, message);

    /// <inheritdoc cref="SystemTrace.WriteIf(bool, object)"/>
    [Conditional("TRACE")]
    public static void WriteIf(bool condition, object? value) => SystemTrace.WriteIf(condition, value);

    /// <inheritdoc cref="SystemTrace.WriteIf(bool, string, string)"/>
    [Conditional("TRACE")]
    public static void WriteIf(bool condition, string? message, string? category) => SystemTrace.WriteIf(condition, message, category);

    /// <inheritdoc cref="SystemTrace.WriteIf(bool, object, string)"/>
    [Conditional("TRACE")]
    public static void WriteIf(bool condition, object? value, string? category) => SystemTrace.WriteIf(condition, value, category);

    /// <inheritdoc cref="SystemTrace.WriteLineIf(bool, string)"/>
    [Conditional("TRACE")]
    public static void WriteLineIf(bool condition, string? message) => SystemTrace.WriteLineIf(condition, message);

    /// <inheritdoc cref="SystemTrace.WriteLineIf(bool, object)"/>
    [Conditional("TRACE")]
    public static void WriteLineIf(bool condition, object? value) => SystemTrace.WriteLineIf(condition, value);

    /// <inheritdoc cref="SystemTrace.WriteLineIf(bool, string, string)"/>
    [Conditional("TRACE")]
    public static void WriteLineIf(bool condition, string? message, string? category) => SystemTrace.WriteLineIf(condition, message, category);

    /// <inheritdoc cref="SystemTrace.WriteLineIf(bool, object, string)"/>
    [Conditional("TRACE")]
    public static void WriteLineIf(bool condition, object? value, string? category) => SystemTrace.WriteLineIf(condition, value, category);

    /// <inheritdoc cref="SystemTrace.Indent"/>
    [Conditional("TRACE")]
    public static void Indent() => SystemTrace.Indent();

    /// <inheritdoc cref="SystemTrace.Unindent"/>
    [Conditional("TRACE")]
    public static void Unindent() => SystemTrace.Unindent();
}
