using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Threading;
using Tracing.Internal;

namespace Tracing;

public static partial class Trace
{
    /// <summary>
    /// The trace events an assembly declares, in order of full name, as Tracing.Fody recorded
    /// them when it wove the assembly.
    /// </summary>
    /// <param name="assembly">Any assembly.</param>
    /// <returns>
    /// Each event's assembly, full name and parameters. Empty for an assembly that declares no
    /// events, and for one that was not woven by Tracing.Fody (see <see cref="IsWoven"/>).
    /// </returns>
    /// <remarks>
    /// Reads the assembly's custom attributes once; later calls return the same objects, so a
    /// <see cref="TraceEventInfo"/> (and its <see cref="TraceEventInfo.Id"/>) stands for its event
    /// for the life of the process. No event is attached and no code of the assembly runs.
    /// <c>tracing list</c> prints the same from the file, without loading it.
    /// </remarks>
    public static IReadOnlyList<TraceEventInfo> Events(Assembly assembly)
    {
        if (assembly is null) throw new ArgumentNullException(nameof(assembly));
        return s_events.GetValue(assembly, ReadEvents);
    }

    /// <summary>
    /// The trace events of every woven assembly loaded in this process, by assembly name, then
    /// full name.
    /// </summary>
    public static IReadOnlyList<TraceEventInfo> LoadedEvents() =>
        AppDomain.CurrentDomain.GetAssemblies()
            .Where(IsWoven)
            .SelectMany(Events)
            .OrderBy(e => e.AssemblyName, StringComparer.Ordinal)
            .ThenBy(e => e.FullName, StringComparer.Ordinal)
            .ToList()
            .AsReadOnly();

    // Each assembly's events, read once: their identity (and Id) is stable.
    static readonly ConditionalWeakTable<Assembly, IReadOnlyList<TraceEventInfo>> s_events = new();
    static int s_lastEventId;

    static IReadOnlyList<TraceEventInfo> ReadEvents(Assembly assembly)
    {
        var assemblyName = assembly.GetName().Name ?? "";
        var attributes = assembly.GetCustomAttributesData()
            .Where(a => a.AttributeType.FullName == typeof(EventMetadataAttribute).FullName)
            .Select(a => a.ConstructorArguments)
            .OrderBy(a => (string)a[0].Value!, StringComparer.Ordinal) // the weaver's order: an event's index at <TracingExports>
            .ToList();
        // Ids are taken as a block; a block lost to a racing reader of the same assembly is harmless.
        var firstId = Interlocked.Add(ref s_lastEventId, attributes.Count) - attributes.Count + 1;
        return attributes.Select((a, i) => Read(assembly, assemblyName, firstId + i, i, a)).ToList().AsReadOnly();
    }

    /// <summary>Whether Tracing.Fody wove <paramref name="assembly"/> (and so recorded its events).</summary>
    /// <param name="assembly">Any assembly.</param>
    public static bool IsWoven(Assembly assembly)
    {
        if (assembly is null) throw new ArgumentNullException(nameof(assembly));
        return assembly.GetCustomAttributesData().Any(a => a.AttributeType.FullName == typeof(WovenAssemblyAttribute).FullName);
    }

    static TraceEventInfo Read(Assembly assembly, string assemblyName, int id, int index, IList<CustomAttributeTypedArgument> arguments)
    {
        // EventMetadataAttribute(string fullName, Type declaringType, string name,
        //                        string[] parameterNames, string[] parameterTypeNames, Type[] parameterTypes)
        var names = Values<string>(arguments[3]);
        var typeNames = Values<string>(arguments[4]);
        var types = Values<Type>(arguments[5]);
        var parameters = new TraceEventParameter[names.Length];
        for (var i = 0; i < names.Length; i++) parameters[i] = new TraceEventParameter(names[i], types[i], typeNames[i]);
        return new TraceEventInfo(assembly, assemblyName, id, index, (string)arguments[0].Value!, (Type)arguments[1].Value!,
            (string)arguments[2].Value!, new ReadOnlyCollection<TraceEventParameter>(parameters));
    }

    static T[] Values<T>(CustomAttributeTypedArgument argument) =>
        ((IEnumerable<CustomAttributeTypedArgument>)argument.Value!).Select(v => (T)v.Value!).ToArray();
}

/// <summary>One trace event, as Tracing.Fody recorded it: see <see cref="Trace.Events"/>.</summary>
public sealed class TraceEventInfo
{
    internal TraceEventInfo(Assembly assembly, string assemblyName, int id, int index, string fullName, Type declaringType, string name,
        IReadOnlyList<TraceEventParameter> parameters)
    {
        Assembly = assembly;
        AssemblyName = assemblyName;
        Id = id;
        Index = index;
        FullName = fullName;
        DeclaringType = declaringType;
        Name = name;
        Parameters = parameters;
    }

    /// <summary>The assembly that declares the event.</summary>
    public Assembly Assembly { get; }

    /// <summary>The simple name of the assembly that declares the event.</summary>
    public string AssemblyName { get; }

    /// <summary>
    /// A small number that identifies the event in this process, from 1 up, the same for the
    /// process's life: sinks index their per-event state with it.
    /// </summary>
    public int Id { get; }

    // The event's position among its assembly's events (order of full name): its index at <TracingExports>.
    internal int Index { get; }

    /// <summary>The event as <c>Namespace.Type.Event</c> (nested types joined with dots): the name <c>Trace.Attach</c> takes.</summary>
    public string FullName { get; }

    /// <summary>The type that declares the event method.</summary>
    public Type DeclaringType { get; }

    /// <summary>The event method's name.</summary>
    public string Name { get; }

    /// <summary>The event's parameters: the arguments each probe receives.</summary>
    public IReadOnlyList<TraceEventParameter> Parameters { get; }

    /// <summary>The event's signature: <c>FullName(type name, …)</c>.</summary>
    public string Signature => $"{FullName}({string.Join(", ", Parameters)})";

    /// <summary>The event as <c>tracing list</c> prints it: <c>AssemblyName:Namespace.Type.Event(type name, …)</c>.</summary>
    public override string ToString() => $"{AssemblyName}:{Signature}";
}

/// <summary>One parameter of a trace event.</summary>
public sealed class TraceEventParameter
{
    internal TraceEventParameter(string name, Type type, string typeName)
    {
        Name = name;
        Type = type;
        TypeName = typeName;
    }

    /// <summary>The parameter's name.</summary>
    public string Name { get; }

    /// <summary>The parameter's type.</summary>
    public Type Type { get; }

    /// <summary>The type's name as C# writes it (<c>string</c>, <c>System.Collections.Generic.List&lt;int&gt;</c>).</summary>
    public string TypeName { get; }

    /// <summary><c>type name</c>.</summary>
    public override string ToString() => $"{TypeName} {Name}";
}
