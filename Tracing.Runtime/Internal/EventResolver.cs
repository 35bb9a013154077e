using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace Tracing.Internal;

/// <summary>
/// Resolves <c>Trace.Attach(pg, "Ns.Type.Event", probe)</c> at run time, for code that was not
/// woven (a plain test project) or whose event name is not a constant. Woven code with a constant
/// name never gets here: the weaver compiled the call into a direct call of an import accessor.
/// </summary>
/// <remarks>
/// The name is looked up, through the metadata the weaver recorded (<see cref="Trace.Events"/>),
/// in the calling assembly and in the assemblies it imports with <c>[assembly: Trace.Import]</c>;
/// <c>"Assembly:Ns.Type.Event"</c> looks in that one assembly only. The texts of the mistakes are
/// those the weaver reports at build time.
/// </remarks>
static class EventResolver
{
    public static TraceEventInfo Resolve(Assembly caller, string name)
    {
        var callerName = caller.GetName().Name ?? "";
        var imports = caller.GetCustomAttributesData()
            .Where(a => a.AttributeType.FullName == typeof(Trace.ImportAttribute).FullName)
            .Select(a => (string)a.ConstructorArguments[0].Value!)
            .Where(n => n != callerName)
            .Distinct(StringComparer.Ordinal)
            .ToList();

        var colon = name.IndexOf(':');
        var assembly = colon > 0 ? name.Substring(0, colon) : null;
        var fullName = assembly is null ? name : name.Substring(colon + 1);
        if (assembly is not null && assembly != callerName && !imports.Contains(assembly))
            throw new ArgumentException(ImportMessages.NotImported(name, assembly, callerName));

        var searched = new List<TraceEventInfo>();
        if (assembly is null || assembly == callerName) searched.AddRange(Trace.Events(caller));
        foreach (var import in imports.Where(i => assembly is null || assembly == i))
            searched.AddRange(Trace.Events(LoadImport(caller, callerName, import)));

        // The exceptions carry no parameter name: their messages are the build errors' texts, word for word.
        var matches = searched.Where(e => e.FullName == fullName).ToList();
        if (matches.Count == 1) return matches[0];
        if (matches.Count > 1)
            throw new ArgumentException(ImportMessages.Ambiguous(fullName, matches.Select(m => m.AssemblyName).ToList()));
        throw new ArgumentException(ImportMessages.UnknownEvent(name, callerName, imports, assembly, searched));
    }

    /// <summary>Throws unless <paramref name="probeType"/> is the event's probe type, <c>Action&lt;parameter types…&gt;</c>.</summary>
    public static void CheckProbeType(TraceEventInfo traceEvent, Type probeType)
    {
        var types = traceEvent.Parameters.Select(p => p.Type).ToArray();
        var matches = types.Length == 0
            ? probeType == typeof(Action)
            : probeType.IsGenericType && !probeType.IsGenericTypeDefinition &&
              probeType.Assembly == typeof(Action).Assembly &&
              probeType.GetGenericTypeDefinition().FullName == "System.Action`" + types.Length &&
              probeType.GetGenericArguments().SequenceEqual(types);
        if (matches) return;
        var expected = TypeNameText.ProbeType(traceEvent.Parameters.Select(p => p.TypeName).ToArray());
        throw new InvalidOperationException(
            ImportMessages.WrongProbe(traceEvent.AssemblyName, traceEvent.Signature, expected, CSharpTypeNames.Of(probeType)));
    }

    static Assembly LoadImport(Assembly caller, string callerName, string name)
    {
        Assembly assembly;
        try
        {
#if NET
            // From the caller's load context: an importer loaded in a plugin context imports the plugin's exporter.
            var context = System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(caller) ?? System.Runtime.Loader.AssemblyLoadContext.Default;
            assembly = context.LoadFromAssemblyName(new AssemblyName(name));
#else
            assembly = Assembly.Load(new AssemblyName(name));
#endif
        }
        catch (Exception e) when (e is System.IO.FileNotFoundException or System.IO.FileLoadException or BadImageFormatException)
        {
            throw new InvalidOperationException("Trace.Attach: " + ImportMessages.ImportNotLoadable(callerName, name, e.Message), e);
        }
        if (!Trace.IsWoven(assembly))
            throw new InvalidOperationException("Trace.Attach: " + ImportMessages.ImportNotWoven(callerName, name));
        return assembly;
    }
}
