#if NET
using System;
using System.Diagnostics.Tracing;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Tracing.Internal;

/// <summary>
/// The runtime's EventPipe entry points the bridge writes through: define an event of a provider
/// with metadata we build, and write an event's payload.
/// </summary>
/// <remarks>
/// <para>
/// Why not the public EventSource API: an event's name and fields are known only at run time,
/// from <see cref="TraceEventInfo"/>. A manifest event's fields come from the parameters of a
/// method compiled into the EventSource; a TraceLogging event (<c>EventSource.Write&lt;T&gt;</c>)
/// reaches EventPipe as one unnamed struct field holding the properties of <c>T</c> (the runtime's
/// EventPipe metadata generator writes a top-level struct without a name, and TraceEvent reads
/// it as a nested struct), and <c>T</c> must also be a compiled type. Only EventPipe's own
/// "define an event with this metadata" gives each trace event a name and named top-level fields,
/// which TraceEvent, PerfView and <c>dotnet-trace report</c> read like any EventSource event's.
/// </para>
/// <para>
/// The entry points are internal to System.Private.CoreLib (<c>EventPipeInternal.GetProvider</c>,
/// <c>DefineEvent</c>, <c>WriteEventData</c>, the same ones EventSource calls). The net10.0 build
/// binds them with <see cref="UnsafeAccessorAttribute"/> and <c>UnsafeAccessorTypeAttribute</c>
/// (new in .NET 10, which can name a type the caller cannot see): the JIT and Native AOT's compiler
/// resolve them like ordinary calls, with no reflection and no trim warning, so the bridge works in
/// a Native AOT app (which must set <c>EventSourceSupport</c>, or it has no EventSource at all). The
/// net8.0 build, where an accessor cannot name an internal type, finds them once by reflection,
/// checks their signatures and calls them through function pointers; a runtime that hides them
/// from reflection (a trimmed app) gets no bridge. Either way a firing costs no reflection, and a
/// runtime without them gets no bridge: the session receives an
/// <see cref="TracingEventSource.Error"/> event that says so, and nothing is attached.
/// </para>
/// </remarks>
static unsafe class EventPipeNative
{
    static IntPtr s_provider;
    static string? s_error;
    static bool s_initialized;

    /// <summary>Finds the entry points and the provider once. False and why when this runtime does not have them.</summary>
    public static bool TryInitialize(out string? error)
    {
        lock (typeof(EventPipeNative))
        {
            if (!s_initialized)
            {
                s_error = Initialize();
                s_initialized = true;
            }
            error = s_error;
            return s_error is null;
        }
    }

#if NET10_0_OR_GREATER
    const string EventPipeInternal = "System.Diagnostics.Tracing.EventPipeInternal, System.Private.CoreLib";

    // The first parameter of a static accessor names the type that declares the method; its value is ignored.
    [UnsafeAccessor(UnsafeAccessorKind.StaticMethod, Name = "GetProvider")]
    static extern IntPtr GetProvider([UnsafeAccessorType(EventPipeInternal)] object? type, string providerName);

    [UnsafeAccessor(UnsafeAccessorKind.StaticMethod, Name = "DefineEvent")]
    static extern IntPtr DefineEvent([UnsafeAccessorType(EventPipeInternal)] object? type, IntPtr provider, uint eventId,
        long keywords, uint eventVersion, uint level, void* metadata, uint metadataLength);

    [UnsafeAccessor(UnsafeAccessorKind.StaticMethod, Name = "WriteEventData")]
    static extern void WriteEventData([UnsafeAccessorType(EventPipeInternal)] object? type, IntPtr eventHandle,
        [UnsafeAccessorType("System.Diagnostics.Tracing.EventProvider+EventData*, System.Private.CoreLib")] void* data,
        uint dataCount, Guid* activityId, Guid* relatedActivityId);

    static string? Initialize()
    {
        try
        {
            s_provider = GetProvider(null, TracingEventSource.ProviderName);
            if (s_provider == IntPtr.Zero) return "Tracing: EventPipe has no provider named Tracing; no trace event is written.";
            return null;
        }
        catch (MissingMemberException e)
        {
            return "Tracing: this runtime does not let the EventPipe bridge define events " +
                   "(System.Diagnostics.Tracing.EventPipeInternal.GetProvider was not found: " + e.Message + ").";
        }
        catch (Exception e)
        {
            return "Tracing: the EventPipe bridge could not start: " + e.Message;
        }
    }

    /// <summary>Defines an event of the Tracing provider with <paramref name="metadata"/> (EventPipe's V5 event metadata). Zero on failure.</summary>
    public static IntPtr DefineEvent(uint eventId, long keywords, uint level, byte[] metadata)
    {
        try
        {
            fixed (byte* p = metadata) return DefineEvent(null, s_provider, eventId, keywords, 0, level, p, (uint)metadata.Length);
        }
        catch (MissingMemberException)
        {
            return IntPtr.Zero; // a runtime whose EventPipeInternal.DefineEvent has another signature
        }
    }

    /// <summary>Writes one firing: the payload's bytes, as one EventData block.</summary>
    public static void Write(IntPtr eventHandle, byte* payload, int length)
    {
        // EventData's layout: a 64-bit pointer, a 32-bit size, 32 reserved bits.
        var data = stackalloc ulong[2];
        data[0] = (ulong)payload;
        data[1] = (uint)length;
        WriteEventData(null, eventHandle, data, 1, null, null);
    }
#else
    static delegate*<string, IntPtr> s_getProvider;
    static delegate*<IntPtr, uint, long, uint, uint, void*, uint, IntPtr> s_defineEvent;
    static delegate*<IntPtr, void*, uint, Guid*, Guid*, void> s_writeEventData;

    static string? Initialize()
    {
        const string unavailable = "Tracing: this runtime does not let the EventPipe bridge define events " +
                                   "(System.Diagnostics.Tracing.EventPipeInternal.{0} was not found with the expected signature";
        try
        {
            var type = typeof(EventSource).Assembly.GetType("System.Diagnostics.Tracing.EventPipeInternal", throwOnError: false);
            if (type is null)
                return "Tracing: this runtime has no EventPipe the bridge can define events with " +
                       "(Native AOT and trimmed apps hide it from reflection; the net10.0 build of Tracing.Runtime, " +
                       "for .NET 10 and later, reaches it without reflection); no trace event is written.";
            var getProvider = Find(type, "GetProvider", typeof(IntPtr), typeof(string));
            var defineEvent = Find(type, "DefineEvent", typeof(IntPtr), typeof(IntPtr), typeof(uint), typeof(long), typeof(uint), typeof(uint), typeof(void*), typeof(uint));
            var writeEventData = Find(type, "WriteEventData", typeof(void), typeof(IntPtr), typeof(void*), typeof(uint), typeof(Guid*), typeof(Guid*));
            if (getProvider is null) return string.Format(unavailable, "GetProvider") + ").";
            if (defineEvent is null) return string.Format(unavailable, "DefineEvent") + ").";
            if (writeEventData is null) return string.Format(unavailable, "WriteEventData") + ").";
            s_getProvider = (delegate*<string, IntPtr>)Pointer(getProvider);
            s_defineEvent = (delegate*<IntPtr, uint, long, uint, uint, void*, uint, IntPtr>)Pointer(defineEvent);
            s_writeEventData = (delegate*<IntPtr, void*, uint, Guid*, Guid*, void>)Pointer(writeEventData);
            s_provider = s_getProvider(TracingEventSource.ProviderName);
            if (s_provider == IntPtr.Zero) return "Tracing: EventPipe has no provider named Tracing; no trace event is written.";
            return null;
        }
        catch (Exception e)
        {
            return "Tracing: the EventPipe bridge could not start: " + e.Message;
        }
    }

    // A static method of the given shape; pointer parameters match any pointer type (EventData*, Guid*).
    static MethodInfo? Find(Type type, string name, Type returnType, params Type[] parameters)
    {
        return type.GetMethods(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)
            .FirstOrDefault(m => m.Name == name && !m.IsGenericMethod && m.ReturnType == returnType && Matches(m.GetParameters()));

        bool Matches(ParameterInfo[] actual) =>
            actual.Length == parameters.Length &&
            actual.Select(p => p.ParameterType).Zip(parameters, (a, e) => e.IsPointer ? a.IsPointer && (e == typeof(void*) || a == e) : a == e).All(x => x);
    }

    static IntPtr Pointer(MethodInfo method)
    {
        RuntimeHelpers.PrepareMethod(method.MethodHandle);
        return method.MethodHandle.GetFunctionPointer();
    }

    /// <summary>Defines an event of the Tracing provider with <paramref name="metadata"/> (EventPipe's V5 event metadata). Zero on failure.</summary>
    public static IntPtr DefineEvent(uint eventId, long keywords, uint level, byte[] metadata)
    {
        fixed (byte* p = metadata) return s_defineEvent(s_provider, eventId, keywords, 0, level, p, (uint)metadata.Length);
    }

    /// <summary>Writes one firing: the payload's bytes, as one EventData block.</summary>
    public static void Write(IntPtr eventHandle, byte* payload, int length)
    {
        // EventData's layout: a 64-bit pointer, a 32-bit size, 32 reserved bits.
        var data = stackalloc ulong[2];
        data[0] = (ulong)payload;
        data[1] = (uint)length;
        s_writeEventData(eventHandle, data, 1, null, null);
    }
#endif
}
#endif
