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
    public const string ImportAttributeName = "Tracing.Trace/ImportAttribute";
    public const string WovenAssemblyAttributeName = "Tracing.Internal.WovenAssemblyAttribute";
    public const string EventMetadataAttributeName = "Tracing.Internal.EventMetadataAttribute";

    /// <summary>The event metadata format this weaver writes (WovenAssemblyAttribute.CurrentFormat).</summary>
    public const int MetadataFormat = 1;

    readonly ModuleDefinition _module;
    readonly Func<string, TypeDefinition> _findBclType;
    readonly TypeDefinition _probeNode, _probeList;
    readonly ModuleDefinition _runtimeModule;
    readonly MethodDefinition _supportAttach;

    RuntimeReferences(ModuleDefinition module, AssemblyDefinition runtime, Func<string, TypeDefinition> findBclType)
    {
        _module = module;
        _findBclType = findBclType;
        var runtimeModule = runtime.MainModule;
        _runtimeModule = runtimeModule;
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
        // Built by hand, like every member reference whose signature mentions a BCL type (void
        // included): importing a definition of Tracing.Runtime would add a reference to the core
        // library that Tracing.Runtime was compiled against.
        var supportType = module.ImportReference(support);
        DispatchEnter = Method(supportType, "Enter", DispatchState, false);
        DispatchExit = Method(supportType, "Exit", module.TypeSystem.Void, false, DispatchState);

        var coreLibrary = module.TypeSystem.CoreLibrary;
        var compilerGenerated = new TypeReference("System.Runtime.CompilerServices", "CompilerGeneratedAttribute", module, coreLibrary);
        CompilerGeneratedCtor = new MethodReference(".ctor", module.TypeSystem.Void, compilerGenerated) { HasThis = true };

        // Cross-assembly import and event metadata (ImportFinder, ExportEmitter, ImportEmitter, EventMetadataEmitter).
        var types = module.TypeSystem;
        SystemType = new TypeReference("System", "Type", module, coreLibrary);
        Delegate = new TypeReference("System", "Delegate", module, coreLibrary);
        Exception = new TypeReference("System", "Exception", module, coreLibrary);
        TypeLoadException = new TypeReference("System", "TypeLoadException", module, coreLibrary);
        MissingMemberException = new TypeReference("System", "MissingMemberException", module, coreLibrary);
        TraceAttachByName = trace.Methods.Single(m => m.Name == "Attach" && m.HasGenericParameters && m.Parameters.Count == 3 && m.Parameters[1].ParameterType.MetadataType == MetadataType.String);
        var importSupport = module.ImportReference(Type("Tracing.Internal.ImportSupport"));
        ExporterChanged = Method(importSupport, "ExporterChanged", Exception, false, types.String, types.String, types.Int64, types.Int64);
        ExportsMissing = Method(importSupport, "ExportsMissing", Exception, false, types.String, types.String, Exception);
        WovenAssemblyCtor = Method(module.ImportReference(Type(WovenAssemblyAttributeName)), ".ctor", types.Void, true, types.Int32, types.Int64);
        EventMetadataCtor = Method(module.ImportReference(Type(EventMetadataAttributeName)), ".ctor", types.Void, true,
            types.String, SystemType, types.String, new ArrayType(types.String), new ArrayType(types.String), new ArrayType(SystemType));
        _editorBrowsableCtor = TryEditorBrowsable(module, coreLibrary);

        // Consumers of events (TapEmitter).
        TraceEventSink = module.ImportReference(Type("Tracing.TraceEventSink"));
        TraceEventInfo = module.ImportReference(Type("Tracing.TraceEventInfo"));
        EventTapFactory = module.ImportReference(Type("Tracing.Internal.EventTapFactory"));
        Register = Method(supportType, "Register", types.Void, false, SystemType, EventTapFactory);
        var runtimeTypeHandle = new TypeReference("System", "RuntimeTypeHandle", module, coreLibrary) { IsValueType = true };
        GetTypeFromHandle = Method(SystemType, "GetTypeFromHandle", SystemType, false, runtimeTypeHandle);
    }

    readonly MethodReference? _editorBrowsableCtor;

    /// <summary>
    /// <c>[EditorBrowsable(EditorBrowsableState.Never)]</c>, or null where the core library lacks
    /// the attribute (mscorlib has it in System.dll): it only adds to an unspeakable name.
    /// </summary>
    public CustomAttribute? EditorBrowsableNever()
    {
        if (_editorBrowsableCtor is null) return null;
        // The blob itself (prolog, int32 EditorBrowsableState.Never, no named arguments): given the
        // enum argument instead, Cecil resolves the enum to size it, and references the assembly
        // the resolver found it in (System.Runtime, for a netstandard module built on .NET).
        return new CustomAttribute(_editorBrowsableCtor, new byte[] { 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00 });
    }

    static MethodReference? TryEditorBrowsable(ModuleDefinition module, IMetadataScope coreLibrary)
    {
        const string Namespace = "System.ComponentModel";
        AssemblyDefinition? core;
        try
        {
            core = coreLibrary is AssemblyNameReference name ? module.AssemblyResolver.Resolve(name) : null;
        }
        catch (AssemblyResolutionException)
        {
            core = null;
        }
        var has = core is not null &&
            (core.MainModule.GetType(Namespace, "EditorBrowsableAttribute") is not null ||
             core.MainModule.ExportedTypes.Any(t => t.Namespace == Namespace && t.Name == "EditorBrowsableAttribute"));
        if (!has) return null;
        var attributeType = new TypeReference(Namespace, "EditorBrowsableAttribute", module, coreLibrary);
        var stateType = new TypeReference(Namespace, "EditorBrowsableState", module, coreLibrary) { IsValueType = true };
        return Method(attributeType, ".ctor", module.TypeSystem.Void, true, stateType);
    }

    static MethodReference Method(TypeReference declaringType, string name, TypeReference returnType, bool hasThis, params TypeReference[] parameters)
    {
        var method = new MethodReference(name, returnType, declaringType) { HasThis = hasThis };
        foreach (var parameter in parameters) method.Parameters.Add(new ParameterDefinition(parameter));
        return method;
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

    /// <summary>The definition of <c>Trace.Attach&lt;TProbe&gt;(ProbeGroup?, string, TProbe)</c>, to recognise its calls.</summary>
    public MethodDefinition TraceAttachByName { get; }

    public TypeReference SystemType { get; }
    public TypeReference Delegate { get; }
    public TypeReference Exception { get; }
    public TypeReference TypeLoadException { get; }
    public TypeReference MissingMemberException { get; }

    /// <summary><c>ImportSupport.ExporterChanged(string importer, string exporter, long builtAgainst, long current)</c>.</summary>
    public MethodReference ExporterChanged { get; }

    /// <summary><c>ImportSupport.ExportsMissing(string importer, string exporter, Exception error)</c>.</summary>
    public MethodReference ExportsMissing { get; }

    /// <summary><c>WovenAssemblyAttribute(int format, long exportHash)</c>.</summary>
    public MethodReference WovenAssemblyCtor { get; }

    /// <summary><c>EventMetadataAttribute(string, Type, string, string[], string[], Type[])</c>.</summary>
    public MethodReference EventMetadataCtor { get; }

    public TypeReference TraceEventSink { get; }
    public TypeReference TraceEventInfo { get; }

    /// <summary>The delegate type of <c>&lt;TracingExports&gt;.Tap</c>.</summary>
    public TypeReference EventTapFactory { get; }

    /// <summary><c>EventSupport.Register(Type exports, EventTapFactory tap)</c>.</summary>
    public MethodReference Register { get; }

    /// <summary><c>Type.GetTypeFromHandle(RuntimeTypeHandle)</c>: what <c>typeof(T)</c> compiles to.</summary>
    public MethodReference GetTypeFromHandle { get; }

    /// <summary><c>EventTap</c> or <c>EventTap&lt;…&gt;</c> of the given parameter types: the adapter that hands a firing to a sink.</summary>
    public TypeReference EventTapOf(TypeReference[] arguments)
    {
        var name = arguments.Length == 0 ? "EventTap" : "EventTap`" + arguments.Length;
        var open = _module.ImportReference(_runtimeModule.GetType("Tracing.Internal." + name)
            ?? throw new WeavingException($"{RuntimeAssemblyName} has no type Tracing.Internal.{name}: the runtime and the weaver do not match."));
        if (arguments.Length == 0) return open;
        var instance = new GenericInstanceType(open);
        foreach (var argument in arguments) instance.GenericArguments.Add(argument);
        return instance;
    }

    /// <summary><c>new EventTap&lt;…&gt;(TraceEventSink sink, TraceEventInfo traceEvent)</c>.</summary>
    public MethodReference EventTapCtor(TypeReference tapType) => Method(tapType, ".ctor", _module.TypeSystem.Void, true, TraceEventSink, TraceEventInfo);

    /// <summary><c>EventTap&lt;…&gt;.Fire(T1, …)</c>, the probe.</summary>
    public MethodReference EventTapFire(TypeReference tapType)
    {
        var fire = new MethodReference("Fire", _module.TypeSystem.Void, tapType) { HasThis = true };
        var open = tapType is GenericInstanceType g ? g.ElementType : tapType;
        foreach (var parameter in open.GenericParameters) fire.Parameters.Add(new ParameterDefinition(parameter));
        return fire;
    }

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
        // Built by hand: importing the definition would import its Action<> parameter from the
        // core library Tracing.Runtime was compiled against, adding a second reference to it.
        var open = new MethodReference(_supportAttach.Name, Probe, _module.ImportReference(_supportAttach.DeclaringType));
        var probe = new GenericParameter("TProbe", open);
        open.GenericParameters.Add(probe);
        open.Parameters.Add(new ParameterDefinition(ProbeGroup));
        open.Parameters.Add(new ParameterDefinition(new ByReferenceType(Instance(_probeList, probe))));
        open.Parameters.Add(new ParameterDefinition(_module.TypeSystem.String));
        open.Parameters.Add(new ParameterDefinition(ActionOf(new TypeReference[] { Instance(_probeNode, probe) })));
        open.Parameters.Add(new ParameterDefinition(probe));
        var method = new GenericInstanceMethod(open);
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
