using System;
using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Tracing.Fody;

/// <summary>A <c>Trace.Attach(pg, "Ns.Type.Event", probe)</c> call to compile into a direct call of the event's attach method or import accessor.</summary>
public sealed class ImportCall
{
    public ImportCall(MethodDefinition method, Instruction call, Instruction name, NamedEvent target)
    {
        Method = method;
        Call = call;
        Name = name;
        Target = target;
    }

    public MethodDefinition Method { get; }
    public Instruction Call { get; }

    /// <summary>The <c>ldstr</c> that loads the event's name: removed.</summary>
    public Instruction Name { get; }

    public NamedEvent Target { get; }
}

/// <summary>
/// Finds <c>Trace.Attach(pg, "Ns.Type.Event", probe)</c> calls whose name is a constant and
/// resolves each name among this assembly's events and those of the assemblies it imports
/// (<c>"Assembly:Ns.Type.Event"</c> looks in that assembly only). An unknown or ambiguous name,
/// or a probe whose type is not the event's, is a build error at the call. A name that is not a
/// constant is left to the runtime, which makes the same checks when the call runs.
/// </summary>
public static class ImportCallFinder
{
    public static List<ImportCall> Find(ModuleDefinition module, RuntimeReferences refs, IReadOnlyList<TraceEvent> events,
        IReadOnlyList<ImportedAssembly> imports, Diagnostics diagnostics)
    {
        var self = module.Assembly.Name.Name;
        var scope = new Scope(
            self,
            events.Where(e => e.ProbeType is not null).Select(e => NamedEvent.Own(self, e)).ToList(),
            ImportedNames(module),
            imports);
        var found = new List<ImportCall>();
        foreach (var method in module.GetTypes().SelectMany(t => t.Methods).Where(m => m.HasBody))
        {
            StackDepths? depths = null;
            foreach (var call in method.Body.Instructions)
            {
                if (!IsAttachByName(call, refs)) continue;
                depths ??= new StackDepths(method.Body);
                var name = NameArgument(depths, call);
                if (name is null) continue; // not a constant: the runtime resolves it
                var point = Diagnostics.PointOf(method, call);
                var target = scope.Resolve((string)name.Operand, out var error);
                if (target is null)
                {
                    diagnostics.Error(error!, point);
                    continue;
                }
                var probeType = ((GenericInstanceMethod)call.Operand).GenericArguments[0];
                if (probeType.FullName != target.ProbeType.FullName)
                {
                    diagnostics.Error(
                        ImportMessages.WrongProbe(target.AssemblyName, target.Signature, TypeNames.ProbeType(target.ParameterTypeNames), TypeNames.Of(probeType)),
                        point);
                    continue;
                }
                found.Add(new ImportCall(method, call, name, target));
            }
        }
        return found;
    }

    /// <summary>The names in <c>[assembly: Trace.Import]</c>, as the runtime lists them: in order, once each, without this assembly.</summary>
    static List<string> ImportedNames(ModuleDefinition module) =>
        module.Assembly.CustomAttributes
            .Where(a => a.AttributeType.FullName == RuntimeReferences.ImportAttributeName && a.ConstructorArguments.Count == 1)
            .Select(a => (string)a.ConstructorArguments[0].Value)
            .Where(n => n != module.Assembly.Name.Name)
            .Distinct(StringComparer.Ordinal)
            .ToList();

    static bool IsAttachByName(Instruction instruction, RuntimeReferences refs) =>
        instruction.OpCode.Code == Code.Call &&
        instruction.Operand is GenericInstanceMethod { ElementMethod: var element } &&
        element.Name == refs.TraceAttachByName.Name &&
        element.DeclaringType.FullName == refs.TraceAttachByName.DeclaringType.FullName &&
        element.Parameters.Count == 3 &&
        element.Parameters[1].ParameterType.MetadataType == MetadataType.String;

    /// <summary>
    /// The <c>ldstr</c> that pushed the call's name argument, or null when the name is computed.
    /// The name is the middle of three arguments, so it was pushed by the last instruction before
    /// the call that ran with the stack two below the call's depth, provided nothing branches
    /// into the instructions between it and the call from elsewhere.
    /// </summary>
    static Instruction? NameArgument(StackDepths depths, Instruction call)
    {
        var depth = depths.DepthBefore(call);
        if (depth < 3) return null;
        for (var i = call.Previous; i is not null; i = i.Previous)
        {
            var before = depths.DepthBefore(i);
            if (before < 0) continue; // unreachable
            if (before < depth - 2) return null;
            if (before > depth - 2) continue;
            return i.OpCode.Code == Code.Ldstr && depths.IsEnteredOnlyAt(i, call) ? i : null;
        }
        return null;
    }

    /// <summary>The events a name can mean: this assembly's own and those of the assemblies it imports.</summary>
    sealed class Scope
    {
        readonly string _self;
        readonly List<NamedEvent> _own;
        readonly List<string> _importNames;
        readonly IReadOnlyList<ImportedAssembly> _imports;

        public Scope(string self, List<NamedEvent> own, List<string> importNames, IReadOnlyList<ImportedAssembly> imports)
        {
            _self = self;
            _own = own;
            _importNames = importNames;
            _imports = imports;
        }

        public NamedEvent? Resolve(string name, out string? error)
        {
            error = null;
            var colon = name.IndexOf(':');
            var assembly = colon > 0 ? name.Substring(0, colon) : null;
            var fullName = assembly is null ? name : name.Substring(colon + 1);
            if (assembly is not null && assembly != _self && !_importNames.Contains(assembly))
            {
                error = ImportMessages.NotImported(name, assembly, _self);
                return null;
            }
            var searched = new List<NamedEvent>();
            if (assembly is null || assembly == _self) searched.AddRange(_own);
            foreach (var import in _imports.Where(i => assembly is null || assembly == i.Name)) searched.AddRange(import.Events);
            var matches = searched.Where(e => e.FullName == fullName).ToList();
            if (matches.Count == 1) return matches[0];
            error = matches.Count > 1
                ? ImportMessages.Ambiguous(fullName, matches.Select(m => m.AssemblyName).ToList())
                : ImportMessages.UnknownEvent(name, _self, _importNames, assembly, searched);
            return null;
        }
    }
}
