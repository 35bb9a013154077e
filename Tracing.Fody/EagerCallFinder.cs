using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace Tracing.Fody;

/// <summary>
/// Finds the calls of trace events that the weaver cannot make lazy, and that would otherwise
/// evaluate their arguments silently while no probe is attached, and warns at each:
/// </summary>
/// <list type="bullet">
/// <item>a call with an argument of type <c>dynamic</c>: C# makes it through a dynamic call site
/// (the runtime binder invokes the event), so there is no call of the event to guard;</item>
/// <item>a call of an event declared in another assembly (a <c>public</c> one, or an
/// <c>internal</c> one through <c>InternalsVisibleTo</c>): its probe list is private to that
/// assembly. Trace events are not part of an assembly's API (go123), so the weaver does not
/// reach into another assembly's lists; such a call still costs only the event's own check.</item>
/// </list>
/// <remarks>With LazyArguments off every call is eager by choice: nothing to say.</remarks>
public static class EagerCallFinder
{
    const string BinderType = "Microsoft.CSharp.RuntimeBinder.Binder";

    public static void Find(ModuleDefinition module, IReadOnlyList<TraceEvent> events, WeaverConfig config, Diagnostics diagnostics)
    {
        if (!config.LazyArguments) return;
        var byName = events.ToLookup(e => e.Method.Name);
        var foreign = new ForeignEvents(module);
        foreach (var method in module.GetTypes().SelectMany(t => t.Methods).Where(m => m.HasBody))
        {
            StackDepths? depths = null;
            foreach (var instruction in method.Body.Instructions)
            {
                if (instruction.OpCode.FlowControl != FlowControl.Call || instruction.Operand is not MethodReference callee) continue;
                if (foreign.Declaring(callee) is { } assembly)
                {
                    diagnostics.Warning(
                        $"Trace event {TraceName(callee)} is declared in assembly {assembly}, so this call from {module.Assembly.Name.Name} cannot see whether a probe is attached: " +
                        $"its arguments are evaluated even when none is. Trace events are not part of an assembly's API: fire the event from a method of {assembly}.",
                        Diagnostics.PointOf(method, instruction));
                }
                else if (callee.Name == "InvokeMember" && callee.DeclaringType.FullName == BinderType)
                {
                    depths ??= new StackDepths(method.Body);
                    var name = MemberName(depths, instruction);
                    foreach (var traceEvent in byName[name ?? ""].Where(e => ReceiverIs(method, instruction, e.Method.DeclaringType)))
                    {
                        diagnostics.Warning(
                            $"This call of trace event {traceEvent.FullName} has an argument of type dynamic, so C# makes it through a dynamic call site, which the weaver cannot guard: " +
                            "its arguments are evaluated even when no probe is attached. Cast each dynamic argument to its parameter's type to make them lazy.",
                            Diagnostics.PointOf(method, instruction));
                    }
                }
            }
        }
    }

    static string TraceName(MethodReference method) => $"{method.DeclaringType.FullName.Replace('/', '.')}.{method.Name}";

    /// <summary>The constant member name passed to <c>Binder.InvokeMember(flags, name, …)</c>, if any.</summary>
    static string? MemberName(StackDepths depths, Instruction invokeMember)
    {
        var nameDepth = depths.DepthBefore(invokeMember) - 4; // five arguments: the name is the second
        for (var i = invokeMember.Previous; i is not null; i = i.Previous)
        {
            var depth = depths.DepthBefore(i);
            if (depth < 0 || depth > nameDepth) continue;
            return depth == nameDepth && i.OpCode.Code == Code.Ldstr ? (string)i.Operand : null;
        }
        return null;
    }

    /// <summary>
    /// Whether the call site that <paramref name="invokeMember"/> creates calls a static method of
    /// <paramref name="type"/>: the compiler stores the site in a field, and where it invokes it
    /// passes the type as the receiver (<c>ldsfld site; ldtoken Type</c>).
    /// </summary>
    static bool ReceiverIs(MethodDefinition method, Instruction invokeMember, TypeDefinition type)
    {
        var store = invokeMember.Next;
        while (store is not null && store.OpCode.Code != Code.Stsfld && store.OpCode.FlowControl == FlowControl.Call) store = store.Next;
        if (store?.OpCode.Code != Code.Stsfld || store.Operand is not FieldReference site) return false;
        return method.Body.Instructions.Any(i =>
            i.OpCode.Code == Code.Ldsfld && i.Operand is FieldReference loaded && loaded.FullName == site.FullName &&
            i.Next is { OpCode.Code: Code.Ldtoken, Operand: TypeReference receiver } &&
            receiver.FullName == type.FullName && receiver.Resolve() == type);
    }

    /// <summary>Which called methods are trace events of other assemblies; each assembly and method is looked at once.</summary>
    sealed class ForeignEvents
    {
        readonly ModuleDefinition _module;
        readonly Dictionary<string, bool> _usesTracing = new();
        readonly Dictionary<string, string?> _events = new();

        public ForeignEvents(ModuleDefinition module) => _module = module;

        /// <summary>The name of the assembly that declares <paramref name="callee"/> as a trace event, or null.</summary>
        public string? Declaring(MethodReference callee)
        {
            if (callee is MethodDefinition || callee.HasThis || !StackDepths.IsVoid(callee.ReturnType)) return null;
            if (callee.DeclaringType.Scope is not AssemblyNameReference assembly || !UsesTracing(assembly)) return null;
            var key = callee.FullName;
            if (!_events.TryGetValue(key, out var declaring))
            {
                var definition = Resolve(callee);
                _events[key] = declaring = definition is not null && EventFinder.IsEvent(definition) ? assembly.Name : null;
            }
            return declaring;
        }

        bool UsesTracing(AssemblyNameReference reference)
        {
            if (_usesTracing.TryGetValue(reference.Name, out var uses)) return uses;
            uses = false;
            if (reference.Name != RuntimeReferences.RuntimeAssemblyName)
            {
                try
                {
                    var assembly = _module.AssemblyResolver.Resolve(reference);
                    uses = assembly is not null && assembly.Modules.Any(m => m.AssemblyReferences.Any(r => r.Name == RuntimeReferences.RuntimeAssemblyName));
                }
                catch (AssemblyResolutionException)
                {
                    uses = false; // not among the build's references: nothing to look at
                }
            }
            _usesTracing[reference.Name] = uses;
            return uses;
        }

        static MethodDefinition? Resolve(MethodReference method)
        {
            try
            {
                return method.Resolve();
            }
            catch (AssemblyResolutionException)
            {
                return null;
            }
        }
    }
}
