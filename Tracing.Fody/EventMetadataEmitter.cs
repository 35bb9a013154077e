using System.Linq;
using Mono.Cecil;

namespace Tracing.Fody;

/// <summary>
/// Records what this assembly's events are, for <c>Trace.Events(Assembly)</c>, the runtime's
/// by-name attach, <c>tracing list</c> (which reads metadata without loading the assembly) and
/// the weaver of an importing assembly:
/// <code>
/// [assembly: WovenAssembly(1, exportHash)]
/// [assembly: EventMetadata("Ns.Hello.TraceHello", typeof(Hello), "TraceHello", new[] { "who" }, new[] { "string" }, new[] { typeof(string) })]
/// </code>
/// one <c>EventMetadata</c> per event, in order of full name. The parameter type names are C# names
/// (TypeNames.cs), so every reader prints the same text without resolving a type.
/// </summary>
public static class EventMetadataEmitter
{
    public static void Emit(ModuleDefinition module, ExportTable exports, RuntimeReferences refs)
    {
        var attributes = module.Assembly.CustomAttributes;
        var types = module.TypeSystem;
        var woven = new CustomAttribute(refs.WovenAssemblyCtor);
        woven.ConstructorArguments.Add(new CustomAttributeArgument(types.Int32, RuntimeReferences.MetadataFormat));
        woven.ConstructorArguments.Add(new CustomAttributeArgument(types.Int64, exports.Hash));
        attributes.Add(woven);

        foreach (var traceEvent in exports.Events)
        {
            var method = traceEvent.Method;
            var metadata = new CustomAttribute(refs.EventMetadataCtor);
            metadata.ConstructorArguments.Add(new CustomAttributeArgument(types.String, traceEvent.FullName));
            metadata.ConstructorArguments.Add(new CustomAttributeArgument(refs.SystemType, method.DeclaringType));
            metadata.ConstructorArguments.Add(new CustomAttributeArgument(types.String, method.Name));
            metadata.ConstructorArguments.Add(Array(types.String, method.Parameters.Select(p => p.Name)));
            metadata.ConstructorArguments.Add(Array(types.String, method.Parameters.Select(p => TypeNames.Of(p.ParameterType))));
            metadata.ConstructorArguments.Add(Array(refs.SystemType, method.Parameters.Select(p => (object)p.ParameterType)));
            attributes.Add(metadata);
        }
    }

    static CustomAttributeArgument Array<T>(TypeReference elementType, System.Collections.Generic.IEnumerable<T> values) =>
        new(new ArrayType(elementType), values.Select(v => new CustomAttributeArgument(elementType, v)).ToArray());
}
