using System;
using System.Linq;
using Fody;
using Mono.Cecil;

namespace Tracing.Fody;

/// <summary>
/// Every Tracing.Runtime and BCL member the weaver emits or recognises, resolved once.
/// BCL references are built against the module's own core library reference
/// (<c>TypeSystem.CoreLibrary</c>), never imported from whatever assembly resolved them, so that
/// woven code references exactly what the compiler's code references.
/// </summary>
public sealed class RuntimeReferences
{
    public const string RuntimeAssemblyName = "Tracing.Runtime";
    public const string EventAttributeName = "Tracing.Trace/EventAttribute";

    readonly ModuleDefinition _module;
    readonly Func<string, TypeDefinition> _findBclType;
    readonly TypeDefinition _probeNode, _probeList;
    readonly MethodDefinition _supportAttach;

    RuntimeReferences(ModuleDefinition module, AssemblyDefinition runtime, Func<string, TypeDefinition> findBclType)
    {
        _module = module;
        _findBclType = findBclType;
        var runtimeModule = runtime.MainModule;
        TypeDefinition Type(string name) =>
            runtimeModule.GetType(name) ?? throw new WeavingException($"{RuntimeAssemblyName} has no type {name}: the runtime and the weaver do not match.");

        var trace = Type("Tracing.Trace");
        TraceAttach = trace.Methods.Single(m => m.Name == "Attach" && m.HasGenericParameters && m.Parameters.Count == 3 && m.Parameters[1].ParameterType.IsGenericParameter);
        Probe = module.ImportReference(Type("Tracing.Probe"));
        ProbeGroup = module.ImportReference(Type("Tracing.ProbeGroup"));
        _probeNode = Type("Tracing.Internal.ProbeNode`1");
        _probeList = Type("Tracing.Internal.ProbeList`1");
        var support = Type("Tracing.Internal.EventSupport");
        _supportAttach = support.Methods.Single(m => m.Name == "Attach");
        DispatchState = module.ImportReference(Type("Tracing.Internal.DispatchState"));
        DispatchEnter = module.ImportReference(support.Methods.Single(m => m.Name == "Enter"));
        DispatchExit = module.ImportReference(support.Methods.Single(m => m.Name == "Exit"));

        var coreLibrary = module.TypeSystem.CoreLibrary;
        var compilerGenerated = new TypeReference("System.Runtime.CompilerServices", "CompilerGeneratedAttribute", module, coreLibrary);
        CompilerGeneratedCtor = new MethodReference(".ctor", module.TypeSystem.Void, compilerGenerated) { HasThis = true };
    }

    /// <summary>Finds Tracing.Runtime among the module's references; null when the module does not use it.</summary>
    public static RuntimeReferences? TryFind(ModuleDefinition module, Func<string, TypeDefinition> findBclType)
    {
        var reference = module.AssemblyReferences.FirstOrDefault(r => r.Name == RuntimeAssemblyName);
        if (reference is null) return null;
        var runtime = module.AssemblyResolver.Resolve(reference)
            ?? throw new WeavingException($"Cannot find {reference.FullName}, which {module.Assembly.Name.Name} references.");
        return new RuntimeReferences(module, runtime, findBclType);
    }

    /// <summary>The definition of <c>Trace.Attach&lt;TProbe&gt;(ProbeGroup?, TProbe, TProbe)</c>, to recognise its calls.</summary>
    public MethodDefinition TraceAttach { get; }

    public TypeReference Probe { get; }
    public TypeReference ProbeGroup { get; }
    public TypeReference DispatchState { get; }
    public MethodReference DispatchEnter { get; }
    public MethodReference DispatchExit { get; }
    public MethodReference CompilerGeneratedCtor { get; }

    /// <summary><c>Action</c> or <c>Action&lt;…&gt;</c> of the given argument types, in the module's core library.</summary>
    public TypeReference ActionOf(TypeReference[] arguments)
    {
        var open = OpenAction(arguments.Length);
        if (arguments.Length == 0) return open;
        var instance = new GenericInstanceType(open);
        foreach (var argument in arguments) instance.GenericArguments.Add(argument);
        return instance;
    }

    /// <summary>The open <c>Action`n</c> reference (or <c>Action</c>), with its generic parameters.</summary>
    public TypeReference OpenAction(int arity)
    {
        var name = arity == 0 ? "Action" : "Action`" + arity;
        var open = new TypeReference("System", name, _module, _module.TypeSystem.CoreLibrary);
        for (var i = 0; i < arity; i++) open.GenericParameters.Add(new GenericParameter("T" + (i + 1), open));
        return open;
    }

    /// <summary>The definition of <c>Action`n</c> in the target framework, to read its constraints.</summary>
    public TypeDefinition ActionDefinition(int arity) => _findBclType(arity == 0 ? "System.Action" : "System.Action`" + arity);

    /// <summary><c>probeType.Invoke(...)</c>.</summary>
    public MethodReference Invoke(TypeReference probeType)
    {
        var invoke = new MethodReference("Invoke", _module.TypeSystem.Void, probeType) { HasThis = true };
        var open = probeType is GenericInstanceType g ? g.ElementType : probeType;
        foreach (var parameter in open.GenericParameters) invoke.Parameters.Add(new ParameterDefinition(parameter));
        return invoke;
    }

    /// <summary><c>new TDelegate(object target, IntPtr method)</c>.</summary>
    public MethodReference DelegateCtor(TypeReference delegateType)
    {
        var ctor = new MethodReference(".ctor", _module.TypeSystem.Void, delegateType) { HasThis = true };
        ctor.Parameters.Add(new ParameterDefinition(_module.TypeSystem.Object));
        ctor.Parameters.Add(new ParameterDefinition(_module.TypeSystem.IntPtr));
        return ctor;
    }

    /// <summary><c>ProbeNode&lt;TProbe&gt;</c>.</summary>
    public GenericInstanceType ProbeNodeOf(TypeReference probeType) => Instance(_probeNode, probeType);

    /// <summary><c>ProbeList&lt;TProbe&gt;</c>.</summary>
    public GenericInstanceType ProbeListOf(TypeReference probeType) => Instance(_probeList, probeType);

    /// <summary>A field of <c>ProbeNode&lt;TProbe&gt;</c> (Func or Next).</summary>
    public FieldReference ProbeNodeField(GenericInstanceType node, string name)
    {
        var field = _module.ImportReference(_probeNode.Fields.Single(f => f.Name == name));
        return new FieldReference(field.Name, field.FieldType, node);
    }

    /// <summary><c>EventSupport.Attach&lt;TProbe&gt;(pg, ref list, eventName, publish, probe)</c>.</summary>
    public MethodReference SupportAttachOf(TypeReference probeType)
    {
        var method = new GenericInstanceMethod(_module.ImportReference(_supportAttach));
        method.GenericArguments.Add(probeType);
        return method;
    }

    GenericInstanceType Instance(TypeDefinition open, TypeReference argument)
    {
        var instance = new GenericInstanceType(_module.ImportReference(open));
        instance.GenericArguments.Add(argument);
        return instance;
    }
}
