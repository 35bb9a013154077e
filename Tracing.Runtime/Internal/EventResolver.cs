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
/// in the importing assembly (the one that declares the probe's code, see <see cref="Importer"/>) and
/// in the assemblies it imports with <c>[assembly: Trace.Import]</c>;
/// <c>"Assembly:Ns.Type.Event"</c> looks in that one assembly only. The texts of the mistakes are
/// those the weaver reports at build time.
/// </remarks>
static class EventResolver
{
    /// <summary>
    /// The importing assembly of a by-name attach: the one that declares the probe's code. A
    /// lambda, local function or method group of the caller is compiled into the caller's
    /// assembly, whatever the JIT inlines and whoever calls Trace.Attach: the call stack is never
    /// consulted (<c>Assembly.GetCallingAssembly</c> named Tracing.Runtime once the JIT inlined
    /// the caller's lambda into <c>Trace.Setup</c>, and System.Linq when Zip invoked a delegate
    /// bound to Trace.Attach).
    /// </summary>
    public static Assembly Importer(string name, Delegate probe)
    {
        var method = probe.Method;
        var assembly = method.Module.Assembly;
        if (!assembly.IsDynamic && (Trace.IsWoven(assembly) || ImportsOf(assembly).Count > 0)) return assembly;
        if (!assembly.IsDynamic && method.Name.StartsWith("<", StringComparison.Ordinal))
        {
            // A lambda or local function: the caller's own code, in an assembly that was not
            // woven and imports nothing, so no name can be found there.
            throw new ArgumentException(
                $"Trace.Attach: \"{name}\" is looked up in the trace events of {assembly.GetName().Name}, which attaches it, and of the " +
                $"assemblies it imports, but {assembly.GetName().Name} {NotWovenNote(assembly)}",
                nameof(probe));
        }
        // Code of an assembly that declares no events and imports none: a method group of the
        // BCL or of a plain library, or a DynamicMethod. It is not the caller's code.
        var probeParameters = probe.GetType().GetMethod("Invoke")!.GetParameters();
        var arguments = string.Join(", ", probeParameters.Select((p, i) => $"a{i + 1}"));
        var typed = string.Join(", ", probeParameters.Select((p, i) => $"{CSharpTypeNames.Of(p.ParameterType)} a{i + 1}"));
        var target = method.IsStatic && method.DeclaringType is { } type ? CSharpTypeNames.Of(type) : "…";
        throw new ArgumentException(
            $"Trace.Attach: a probe attached by name must be code of the attaching assembly (a lambda, a local function or " +
            $"one of its methods): \"{name}\" is looked up in the events of the assembly that declares the probe and of the " +
            $"assemblies it imports, and the probe, {Describe(method)}, is code of {assembly.GetName().Name}, which imports no " +
            $"trace events. Pass a lambda that calls it: ({typed}) => {target}.{method.Name}({arguments}).",
            nameof(probe));
    }

    /// <summary>Finds the event <paramref name="name"/> among those <paramref name="caller"/> declares or imports.</summary>
    /// <param name="caller">The importing assembly (<see cref="Importer"/>).</param>
    /// <param name="name">The name, <c>Ns.Type.Event</c> or <c>Assembly:Ns.Type.Event</c>.</param>
    /// <param name="probe">The probe's method, named in a mistake's message when it is a method group.</param>
    public static TraceEventInfo Resolve(Assembly caller, string name, MethodInfo probe)
    {
        // A method group (not a lambda or local function, whose names are unspeakable) may be code
        // of another assembly than the caller's: a mistake's message then says whose imports counted.
        var note = probe.Name.StartsWith("<", StringComparison.Ordinal) ? "" :
            $" (A probe attached by name is code of the assembly that declares it, whose imports count: " +
            $"{Describe(probe)} is declared in {caller.GetName().Name}.)";
        var callerName = caller.GetName().Name ?? "";
        var imports = ImportsOf(caller);

        var colon = name.IndexOf(':');
        var assembly = colon > 0 ? name.Substring(0, colon) : null;
        var fullName = assembly is null ? name : name.Substring(colon + 1);
        if (assembly is not null && assembly != callerName && !imports.Contains(assembly))
            throw new ArgumentException(ImportMessages.NotImported(name, assembly, callerName) + note);

        var searched = new List<TraceEventInfo>();
        if (assembly is null || assembly == callerName) searched.AddRange(Trace.Events(caller));
        foreach (var import in imports.Where(i => assembly is null || assembly == i))
            searched.AddRange(Trace.Events(LoadImport(caller, callerName, import)));

        // The exceptions carry no parameter name: their messages are the build errors' texts, word for word.
        var matches = searched.Where(e => e.FullName == fullName).ToList();
        if (matches.Count == 1) return matches[0];
        if (matches.Count > 1)
            throw new ArgumentException(ImportMessages.Ambiguous(fullName, matches.Select(m => m.AssemblyName).ToList()) + note);
        // The words of the build error, then what only the runtime sees: a caller that was not woven.
        var notWoven = !Trace.IsWoven(caller) && (assembly is null || assembly == callerName) && DeclaresEventMethods(caller)
            ? $" ({callerName} itself {NotWovenNote(caller)})"
            : "";
        throw new ArgumentException(ImportMessages.UnknownEvent(name, callerName, imports, assembly, searched) + notWoven + note);
    }

    // Whether the assembly has [Trace.Event] methods (read on the error path only).
    static bool DeclaresEventMethods(Assembly assembly)
    {
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            types = e.Types.Where(t => t is not null).ToArray()!;
        }
        const BindingFlags All = BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        return types.Any(t => t.GetMethods(All).Any(m => m.IsDefined(typeof(Trace.EventAttribute), inherit: false)));
    }

    // Why an assembly that was not woven has no events to attach by name, and what to do.
    static string NotWovenNote(Assembly assembly)
    {
        var self = assembly.GetName().Name;
        return $"was not woven by Tracing.Fody, so it has no trace events of its own: to attach to events it declares, reference the " +
               $"Tracing.Fody package in {self} and list <Tracing /> in its FodyWeavers.xml; to attach to another assembly's, " +
               $"add [assembly: Trace.Import(\"ThatAssembly\")] to {self}.";
    }

    // The names in the assembly's [assembly: Trace.Import("…")], itself excluded.
    static List<string> ImportsOf(Assembly assembly)
    {
        var name = assembly.GetName().Name ?? "";
        return assembly.GetCustomAttributesData()
            .Where(a => a.AttributeType.FullName == typeof(Trace.ImportAttribute).FullName)
            .Select(a => (string)a.ConstructorArguments[0].Value!)
            .Where(n => n != name)
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    static string Describe(MethodInfo method) =>
        method.DeclaringType is { } type ? $"{CSharpTypeNames.Of(type)}.{method.Name}" : method.Name;

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
