using System;
using System.ComponentModel;

namespace Tracing.Internal;

/// <summary>
/// Recorded by Tracing.Fody on every assembly it weaves. Not an API: read it through
/// <see cref="Trace.Events"/> or <c>tracing list</c>.
/// </summary>
/// <remarks>
/// Its absence is how <see cref="Trace.Events"/>, <c>tracing list</c> and the weaver of an
/// importing assembly tell an assembly that was not woven from one that declares no events.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false, Inherited = false)]
public sealed class WovenAssemblyAttribute : Attribute
{
    /// <summary>The metadata format this weaver writes.</summary>
    public const int CurrentFormat = 1;

    /// <summary>Records a woven assembly.</summary>
    /// <param name="format">The metadata format, <see cref="CurrentFormat"/>.</param>
    /// <param name="exportHash">
    /// The hash of the assembly's event signatures (full names and parameter types, in order of
    /// full name), which importers record when they are built and compare when they attach.
    /// </param>
    public WovenAssemblyAttribute(int format, long exportHash)
    {
        Format = format;
        ExportHash = exportHash;
    }

    /// <summary>The metadata format.</summary>
    public int Format { get; }

    /// <summary>The hash of the assembly's event signatures.</summary>
    public long ExportHash { get; }
}

/// <summary>
/// One trace event of the assembly, recorded by Tracing.Fody, one attribute per event in order of
/// full name. Not an API: read it through <see cref="Trace.Events"/> or <c>tracing list</c>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true, Inherited = false)]
public sealed class EventMetadataAttribute : Attribute
{
    /// <summary>Records one trace event.</summary>
    /// <param name="fullName">The event as <c>Namespace.Type.Event</c> (nested types joined with dots).</param>
    /// <param name="declaringType">The type that declares the event method.</param>
    /// <param name="name">The event method's name.</param>
    /// <param name="parameterNames">The names of the event's parameters.</param>
    /// <param name="parameterTypeNames">The C# names of the parameters' types, as <c>tracing list</c> prints them.</param>
    /// <param name="parameterTypes">The parameters' types.</param>
    public EventMetadataAttribute(string fullName, Type declaringType, string name, string[] parameterNames,
        string[] parameterTypeNames, Type[] parameterTypes)
    {
        FullName = fullName;
        DeclaringType = declaringType;
        Name = name;
        ParameterNames = parameterNames;
        ParameterTypeNames = parameterTypeNames;
        ParameterTypes = parameterTypes;
    }

    /// <summary>The event as <c>Namespace.Type.Event</c>.</summary>
    public string FullName { get; }

    /// <summary>The type that declares the event method.</summary>
    public Type DeclaringType { get; }

    /// <summary>The event method's name.</summary>
    public string Name { get; }

    /// <summary>The names of the event's parameters.</summary>
    public string[] ParameterNames { get; }

    /// <summary>The C# names of the parameters' types.</summary>
    public string[] ParameterTypeNames { get; }

    /// <summary>The parameters' types.</summary>
    public Type[] ParameterTypes { get; }
}
