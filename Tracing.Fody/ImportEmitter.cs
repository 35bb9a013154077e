using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace Tracing.Fody;

/// <summary>
/// Emits, for every assembly this one imports, an import accessor per imported event (Go's
/// <c>hello_traceHello_Attach</c>), which <c>Trace.Attach(pg, "Ns.Type.Event", probe)</c> calls are
/// compiled into. For <c>[assembly: Trace.Import("Hello")]</c>:
/// <code>
/// [CompilerGenerated] static class &lt;TracingImports&gt;
/// {
///     internal static Probe Hello_Greeter_TraceHello_Attach(ProbeGroup? pg, Action&lt;string&gt; probe) =&gt; &lt;Hello&gt;attach(0, pg, probe);
///
///     static Probe &lt;Hello&gt;attach(int index, ProbeGroup? pg, Delegate probe)
///     {
///         try { return &lt;Hello&gt;call(index, pg, probe); }
///         catch (TypeLoadException e) { throw ImportSupport.ExportsMissing("Importer", "Hello", e); }
///         catch (MissingMemberException e) { throw ImportSupport.ExportsMissing("Importer", "Hello", e); }
///     }
///
///     [MethodImpl(NoInlining)] // compiled on its own, so a missing entry point is thrown inside the try above
///     static Probe &lt;Hello&gt;call(int index, ProbeGroup? pg, Delegate probe) =&gt;
///         [Hello]&lt;TracingExports&gt;.Attach(0x…, "Importer", index, pg, probe);   // the hash of Hello's events at build time
/// }
/// </code>
/// The exporter checks the hash before it touches an event, so a changed exporter is reported
/// with a message that says to rebuild (ImportSupport), not as a wrong call.
/// </summary>
public static class ImportEmitter
{
    public const string TypeName = "<TracingImports>";

    public static void Emit(ModuleDefinition module, IReadOnlyList<ImportedAssembly> imports, RuntimeReferences refs)
    {
        var withEvents = imports.Where(i => i.Events.Count > 0).ToList();
        if (withEvents.Count == 0) return;
        var importsType = new TypeDefinition("", TypeName,
            TypeAttributes.NotPublic | TypeAttributes.Abstract | TypeAttributes.Sealed | TypeAttributes.Class | TypeAttributes.BeforeFieldInit,
            module.TypeSystem.Object);
        importsType.CustomAttributes.Add(new CustomAttribute(refs.CompilerGeneratedCtor));
        module.Types.Add(importsType);
        foreach (var imported in withEvents)
        {
            var call = EmitCall(module, importsType, imported, refs);
            var attach = EmitAttach(module, importsType, imported, call, refs);
            var names = AccessorNames(imported);
            foreach (var importedEvent in imported.Events) importedEvent.Accessor = EmitAccessor(module, importsType, importedEvent, names[importedEvent], attach, refs);
        }
    }

    static MethodDefinition EmitCall(ModuleDefinition module, TypeDefinition importsType, ImportedAssembly imported, RuntimeReferences refs)
    {
        var types = module.TypeSystem;
        var exportsType = new TypeReference("", ExportEmitter.TypeName, module, ScopeOf(module, imported.Definition));
        var entry = new MethodReference(ExportEmitter.MethodName, refs.Probe, exportsType);
        foreach (var type in new[] { types.Int64, types.String, types.Int32, refs.ProbeGroup, refs.Delegate }) entry.Parameters.Add(new ParameterDefinition(type));

        var call = NewMethod(importsType, $"<{imported.Name}>call", MethodAttributes.Private, refs, IndexedParameters(module, refs));
        call.ImplAttributes |= MethodImplAttributes.NoInlining;
        var il = call.Body.GetILProcessor();
        il.Emit(OpCodes.Ldc_I8, imported.ExportHash);
        il.Emit(OpCodes.Ldstr, module.Assembly.Name.Name);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Ldarg_2);
        il.Emit(OpCodes.Call, entry);
        il.Emit(OpCodes.Ret);
        return call;
    }

    static MethodDefinition EmitAttach(ModuleDefinition module, TypeDefinition importsType, ImportedAssembly imported, MethodDefinition call, RuntimeReferences refs)
    {
        var attach = NewMethod(importsType, $"<{imported.Name}>attach", MethodAttributes.Private, refs, IndexedParameters(module, refs));
        var body = attach.Body;
        var result = new VariableDefinition(refs.Probe);
        var error = new VariableDefinition(refs.Exception);
        body.Variables.Add(result);
        body.Variables.Add(error);
        body.InitLocals = true;
        var il = body.GetILProcessor();
        var end = Instruction.Create(OpCodes.Ldloc, result);

        var tryStart = Instruction.Create(OpCodes.Ldarg_0);
        il.Append(tryStart);
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Ldarg_2);
        il.Emit(OpCodes.Call, call);
        il.Emit(OpCodes.Stloc, result);
        il.Emit(OpCodes.Leave, end);
        foreach (var caught in new[] { refs.TypeLoadException, refs.MissingMemberException })
        {
            var handlerStart = Instruction.Create(OpCodes.Stloc, error);
            il.Append(handlerStart);
            il.Emit(OpCodes.Ldstr, module.Assembly.Name.Name);
            il.Emit(OpCodes.Ldstr, imported.Name);
            il.Emit(OpCodes.Ldloc, error);
            il.Emit(OpCodes.Call, refs.ExportsMissing);
            il.Emit(OpCodes.Throw);
            body.ExceptionHandlers.Add(new ExceptionHandler(ExceptionHandlerType.Catch)
            {
                TryStart = tryStart,
                TryEnd = body.ExceptionHandlers.Count == 0 ? handlerStart : body.ExceptionHandlers[0].TryEnd,
                HandlerStart = handlerStart,
                CatchType = caught,
            });
        }
        il.Append(end);
        il.Emit(OpCodes.Ret);
        for (var i = 0; i < body.ExceptionHandlers.Count; i++)
        {
            var handler = body.ExceptionHandlers[i];
            handler.HandlerEnd = i + 1 < body.ExceptionHandlers.Count ? body.ExceptionHandlers[i + 1].HandlerStart : end;
        }
        body.OptimizeMacros();
        return attach;
    }

    static MethodDefinition EmitAccessor(ModuleDefinition module, TypeDefinition importsType, NamedEvent importedEvent, string name,
        MethodDefinition attach, RuntimeReferences refs)
    {
        var probeType = refs.ActionOf(importedEvent.ParameterTypes.Select(t => module.ImportReference(t)).ToArray());
        var accessor = NewMethod(importsType, name, MethodAttributes.Assembly, refs, new[]
        {
            new ParameterDefinition("pg", ParameterAttributes.None, refs.ProbeGroup),
            new ParameterDefinition("probe", ParameterAttributes.None, probeType),
        });
        var il = accessor.Body.GetILProcessor();
        il.Emit(OpCodes.Ldc_I4, importedEvent.Index);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Call, attach);
        il.Emit(OpCodes.Ret);
        accessor.Body.OptimizeMacros();
        return accessor;
    }

    static ParameterDefinition[] IndexedParameters(ModuleDefinition module, RuntimeReferences refs) => new[]
    {
        new ParameterDefinition("index", ParameterAttributes.None, module.TypeSystem.Int32),
        new ParameterDefinition("pg", ParameterAttributes.None, refs.ProbeGroup),
        new ParameterDefinition("probe", ParameterAttributes.None, refs.Delegate),
    };

    static MethodDefinition NewMethod(TypeDefinition type, string name, MethodAttributes access, RuntimeReferences refs, IEnumerable<ParameterDefinition> parameters)
    {
        var method = new MethodDefinition(name, access | MethodAttributes.Static | MethodAttributes.HideBySig, refs.Probe);
        foreach (var parameter in parameters) method.Parameters.Add(parameter);
        method.CustomAttributes.Add(new CustomAttribute(refs.CompilerGeneratedCtor));
        type.Methods.Add(method);
        return method;
    }

    /// <summary>The module's reference to the imported assembly, added if the compiler kept none (names in strings are no reference).</summary>
    static AssemblyNameReference ScopeOf(ModuleDefinition module, AssemblyDefinition imported)
    {
        var existing = module.AssemblyReferences.FirstOrDefault(r => r.Name == imported.Name.Name);
        if (existing is not null) return existing;
        var reference = new AssemblyNameReference(imported.Name.Name, imported.Name.Version)
        {
            Culture = imported.Name.Culture,
            PublicKeyToken = imported.Name.PublicKeyToken,
        };
        module.AssemblyReferences.Add(reference);
        return reference;
    }

    /// <summary>
    /// <c>Assembly_Type_Event_Attach</c> (Go's <c>package_event_Attach</c>): the assembly, then the
    /// last two parts of the event's full name, the declaring type's own name and the event's.
    /// Where two events of the assembly would get one name, their whole full names are spelled.
    /// </summary>
    static Dictionary<NamedEvent, string> AccessorNames(ImportedAssembly imported)
    {
        var prefix = Identifier(imported.Name);
        string Short(NamedEvent e)
        {
            var parts = e.FullName.Split('.');
            return $"{prefix}_{Identifier(string.Join(".", parts.Skip(System.Math.Max(0, parts.Length - 2))))}_Attach";
        }
        var names = new Dictionary<NamedEvent, string>();
        foreach (var group in imported.Events.GroupBy(Short))
        {
            var events = group.ToList();
            foreach (var e in events) names[e] = events.Count == 1 ? group.Key : $"{prefix}_{Identifier(e.FullName)}_Attach";
        }
        return names;
    }

    static string Identifier(string name) => new string(name.Select(c => char.IsLetterOrDigit(c) || c == '_' ? c : '_').ToArray());
}
