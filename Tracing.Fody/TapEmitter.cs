using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace Tracing.Fody;

/// <summary>
/// Emits what consumers of events (recorders, bridges) use to attach to this assembly's events
/// without knowing them at compile time: a tap factory beside the export entry point, and a
/// module initializer that registers it with the runtime before any code of the assembly runs.
/// <code>
/// static class &lt;TracingExports&gt;
/// {
///     internal static Probe? Tap(int index, ProbeGroup? pg, TraceEventSink sink, TraceEventInfo e)
///     {
///         switch (index)                                   // events in order of full name, as in Attach
///         {
///             case 0: return Hello.TraceHello_Attach(pg, new EventTap&lt;string&gt;(sink, e).Fire);
///             case 1: return null;                         // an event with a ref struct parameter
///             …
///         }
///         return null;
///     }
/// }
/// static class &lt;Module&gt;
/// {
///     static &lt;Module&gt;() { EventSupport.Register(typeof(&lt;TracingExports&gt;), &lt;TracingExports&gt;.Tap); /* then any initializer the module had */ }
/// }
/// </code>
/// </summary>
/// <remarks>
/// <c>EventTap&lt;string&gt;</c> is a generic adapter of the runtime closed here over the event's
/// parameter types: the instantiations are in this assembly's IL, so Native AOT compiles them and
/// the runtime needs no <c>MakeGenericType</c> and no reflection to attach a sink. Events in types
/// <c>&lt;TracingExports&gt;</c> cannot see are reached through forwarders (<see cref="Forwarders"/>).
/// </remarks>
public static class TapEmitter
{
    public const string MethodName = "Tap";

    public static void Emit(ModuleDefinition module, TypeDefinition? exportsType, ExportTable exports, RuntimeReferences refs)
    {
        if (exportsType is null) return;
        var tap = EmitTap(module, exportsType, exports, refs);
        EmitRegistration(module, exportsType, tap, refs);
    }

    static MethodDefinition EmitTap(ModuleDefinition module, TypeDefinition exportsType, ExportTable exports, RuntimeReferences refs)
    {
        var tap = new MethodDefinition(MethodName, MethodAttributes.Assembly | MethodAttributes.Static | MethodAttributes.HideBySig, refs.Probe);
        var parameters = Parameters(module, refs);
        foreach (var parameter in parameters) tap.Parameters.Add(parameter);
        exportsType.Methods.Add(tap);

        var il = tap.Body.GetILProcessor();
        var cases = exports.Events.Select(_ => Instruction.Create(OpCodes.Nop)).ToArray();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Switch, cases);
        il.Emit(OpCodes.Ldnull);
        il.Emit(OpCodes.Ret);
        for (var i = 0; i < cases.Length; i++)
        {
            il.Append(cases[i]);
            var traceEvent = exports.Events[i];
            if (!CanTap(traceEvent))
            {
                il.Emit(OpCodes.Ldnull);
            }
            else if (Forwarders.IsReachable(traceEvent.Method.DeclaringType) && Forwarders.IsReachable(traceEvent.ProbeType!))
            {
                EmitAttachTap(il, traceEvent, 1, refs);
            }
            else
            {
                var forwarder = Forwarders.Chain(traceEvent.Method.DeclaringType, $"<{traceEvent.Method.Name}>tap", refs.Probe,
                    Parameters(module, refs).Skip(1).ToArray(), body =>
                    {
                        EmitAttachTap(body, traceEvent, 0, refs);
                        body.Emit(OpCodes.Ret);
                    }, refs);
                il.Emit(OpCodes.Ldarg_1);
                il.Emit(OpCodes.Ldarg_2);
                il.Emit(OpCodes.Ldarg_3);
                il.Emit(OpCodes.Call, forwarder);
            }
            il.Emit(OpCodes.Ret);
        }
        tap.Body.OptimizeMacros();
        return tap;
    }

    static ParameterDefinition[] Parameters(ModuleDefinition module, RuntimeReferences refs) => new[]
    {
        new ParameterDefinition("index", ParameterAttributes.None, module.TypeSystem.Int32),
        new ParameterDefinition("pg", ParameterAttributes.None, refs.ProbeGroup),
        new ParameterDefinition("sink", ParameterAttributes.None, refs.TraceEventSink),
        new ParameterDefinition("traceEvent", ParameterAttributes.None, refs.TraceEventInfo),
    };

    // Event_Attach(pg, new Action<…>(new EventTap<…>(sink, traceEvent).Fire)), with pg, sink and
    // traceEvent the arguments at first, first + 1 and first + 2.
    static void EmitAttachTap(ILProcessor il, TraceEvent traceEvent, int first, RuntimeReferences refs)
    {
        var tapType = refs.EventTapOf(traceEvent.Method.Parameters.Select(p => p.ParameterType).ToArray());
        il.Emit(OpCodes.Ldarg, first);
        il.Emit(OpCodes.Ldarg, first + 1);
        il.Emit(OpCodes.Ldarg, first + 2);
        il.Emit(OpCodes.Newobj, refs.EventTapCtor(tapType));
        il.Emit(OpCodes.Ldftn, refs.EventTapFire(tapType));
        il.Emit(OpCodes.Newobj, refs.DelegateCtor(traceEvent.ProbeType!));
        il.Emit(OpCodes.Call, traceEvent.Attach);
    }

    /// <summary>
    /// Whether a generic adapter can take the event's arguments: not when one is a ref struct
    /// (<c>Span&lt;T&gt;</c>), which cannot be a type argument of a class.
    /// </summary>
    static bool CanTap(TraceEvent traceEvent) =>
        traceEvent.Method.Parameters.All(p => !IsByRefLike(p.ParameterType));

    static bool IsByRefLike(TypeReference type)
    {
        var definition = (type is GenericInstanceType generic ? generic.ElementType : type).Resolve();
        return definition is not null && definition.IsValueType &&
               definition.CustomAttributes.Any(a => a.AttributeType.FullName == "System.Runtime.CompilerServices.IsByRefLikeAttribute");
    }

    // static <Module>() { EventSupport.Register(typeof(<TracingExports>), <TracingExports>.Tap); …the module's own initializer… }
    static void EmitRegistration(ModuleDefinition module, TypeDefinition exportsType, MethodDefinition tap, RuntimeReferences refs)
    {
        var moduleType = module.Types.First(t => t.Name == "<Module>");
        var initializer = moduleType.Methods.FirstOrDefault(m => m.IsConstructor && m.IsStatic);
        if (initializer is null)
        {
            initializer = new MethodDefinition(".cctor",
                MethodAttributes.Private | MethodAttributes.HideBySig | MethodAttributes.SpecialName | MethodAttributes.RTSpecialName | MethodAttributes.Static,
                module.TypeSystem.Void);
            moduleType.Methods.Add(initializer);
            initializer.Body.GetILProcessor().Emit(OpCodes.Ret);
        }
        var body = initializer.Body;
        body.SimplifyMacros();
        var first = body.Instructions[0];
        var il = body.GetILProcessor();
        il.InsertBefore(first, il.Create(OpCodes.Ldtoken, exportsType));
        il.InsertBefore(first, il.Create(OpCodes.Call, refs.GetTypeFromHandle));
        il.InsertBefore(first, il.Create(OpCodes.Ldnull));
        il.InsertBefore(first, il.Create(OpCodes.Ldftn, tap));
        il.InsertBefore(first, il.Create(OpCodes.Newobj, refs.DelegateCtor(refs.EventTapFactory)));
        il.InsertBefore(first, il.Create(OpCodes.Call, refs.Register));
        body.OptimizeMacros();
    }
}
