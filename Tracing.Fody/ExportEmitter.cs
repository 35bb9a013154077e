using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace Tracing.Fody;

/// <summary>
/// Emits the export entry point through which importing assemblies attach probes to this
/// assembly's events, private ones included, with a plain <c>call</c>:
/// <code>
/// [CompilerGenerated, EditorBrowsable(Never)]
/// public static class &lt;TracingExports&gt;                             // unspeakable: C# code cannot name it
/// {
///     public static Probe Attach(long hash, string importer, int index, ProbeGroup? pg, Delegate probe)
///     {
///         if (hash != 0x…) throw ImportSupport.ExporterChanged(importer, "Hello", hash, 0x…);
///         switch (index)                                              // events in order of full name
///         {
///             case 0: return Hello.TraceHello_Attach(pg, (Action&lt;string&gt;)probe);
///             …
///         }
///         throw ImportSupport.ExporterChanged(importer, "Hello", hash, 0x…);
///     }
/// }
/// </code>
/// </summary>
/// <remarks>
/// <para>
/// The type is public so that another assembly may call it without any access-check bypass,
/// and unspeakable (like the compiler's <c>&lt;PrivateImplementationDetails&gt;</c>) so that it is
/// not part of the assembly's usable API: C# cannot name it, and it is marked
/// <c>[CompilerGenerated]</c> and <c>[EditorBrowsable(Never)]</c>. Its signature uses only Tracing.Runtime and BCL types, so it never
/// changes: an importer built against other events gets the hash check, never a
/// <c>MissingMethodException</c>. Nothing here uses reflection, so trimming and Native AOT keep
/// what importers call.
/// </para>
/// <para>
/// An event whose declaring type (or a probe parameter type) is not accessible from a top-level
/// type, such as one in a private nested class, is reached through generated forwarders: one in
/// its declaring type that does the cast, then one in each enclosing type, each of which can see
/// the type nested in it.
/// </para>
/// </remarks>
public static class ExportEmitter
{
    public const string TypeName = "<TracingExports>";
    public const string MethodName = "Attach";

    /// <summary>Emits the entry point; returns <c>&lt;TracingExports&gt;</c>, or null for an assembly without events.</summary>
    public static TypeDefinition? Emit(ModuleDefinition module, ExportTable exports, RuntimeReferences refs)
    {
        if (exports.Events.Count == 0) return null;
        var types = module.TypeSystem;
        var exportsType = new TypeDefinition("", TypeName,
            TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed | TypeAttributes.Class | TypeAttributes.BeforeFieldInit,
            types.Object);
        exportsType.CustomAttributes.Add(new CustomAttribute(refs.CompilerGeneratedCtor));
        if (refs.EditorBrowsableNever() is { } hidden) exportsType.CustomAttributes.Add(hidden);
        module.Types.Add(exportsType);

        var attach = new MethodDefinition(MethodName, MethodAttributes.Public | MethodAttributes.Static | MethodAttributes.HideBySig, refs.Probe);
        var hash = new ParameterDefinition("hash", ParameterAttributes.None, types.Int64);
        var importer = new ParameterDefinition("importer", ParameterAttributes.None, types.String);
        var index = new ParameterDefinition("index", ParameterAttributes.None, types.Int32);
        var pg = new ParameterDefinition("pg", ParameterAttributes.None, refs.ProbeGroup);
        var probe = new ParameterDefinition("probe", ParameterAttributes.None, refs.Delegate);
        foreach (var parameter in new[] { hash, importer, index, pg, probe }) attach.Parameters.Add(parameter);
        exportsType.Methods.Add(attach);

        var il = attach.Body.GetILProcessor();
        var self = module.Assembly.Name.Name;
        void ThrowChanged()
        {
            il.Emit(OpCodes.Ldarg, importer);
            il.Emit(OpCodes.Ldstr, self);
            il.Emit(OpCodes.Ldarg, hash);
            il.Emit(OpCodes.Ldc_I8, exports.Hash);
            il.Emit(OpCodes.Call, refs.ExporterChanged);
            il.Emit(OpCodes.Throw);
        }

        var checkedHash = Instruction.Create(OpCodes.Ldarg, index);
        il.Emit(OpCodes.Ldarg, hash);
        il.Emit(OpCodes.Ldc_I8, exports.Hash);
        il.Emit(OpCodes.Beq, checkedHash);
        ThrowChanged();
        il.Append(checkedHash);
        var cases = exports.Events.Select(_ => Instruction.Create(OpCodes.Ldarg, pg)).ToArray();
        il.Emit(OpCodes.Switch, cases);
        ThrowChanged(); // an index the hash vouched for is always in range
        for (var i = 0; i < cases.Length; i++)
        {
            il.Append(cases[i]);
            il.Emit(OpCodes.Ldarg, probe);
            var traceEvent = exports.Events[i];
            if (Forwarders.IsReachable(traceEvent.Method.DeclaringType) && Forwarders.IsReachable(traceEvent.ProbeType!))
            {
                il.Emit(OpCodes.Castclass, traceEvent.ProbeType);
                il.Emit(OpCodes.Call, traceEvent.Attach);
            }
            else
            {
                il.Emit(OpCodes.Call, Forwarder(traceEvent, refs));
            }
            il.Emit(OpCodes.Ret);
        }
        attach.Body.OptimizeMacros();
        return exportsType;
    }

    /// <summary>
    /// <c>static Probe &lt;Event&gt;export(ProbeGroup? pg, Delegate probe) =&gt; Event_Attach(pg, (Action&lt;…&gt;)probe);</c>
    /// in the declaring type, then forwarders outwards until a type a top-level type can see.
    /// </summary>
    static MethodDefinition Forwarder(TraceEvent traceEvent, RuntimeReferences refs) =>
        Forwarders.Chain(traceEvent.Method.DeclaringType, $"<{traceEvent.Method.Name}>export", refs.Probe,
            new[] { new ParameterDefinition("pg", ParameterAttributes.None, refs.ProbeGroup), new ParameterDefinition("probe", ParameterAttributes.None, refs.Delegate) },
            il =>
            {
                il.Emit(OpCodes.Ldarg_0);
                il.Emit(OpCodes.Ldarg_1);
                il.Emit(OpCodes.Castclass, traceEvent.ProbeType);
                il.Emit(OpCodes.Call, traceEvent.Attach);
                il.Emit(OpCodes.Ret);
            }, refs);
}
