using System;
using System.Collections.Generic;
using System.Linq;
using Fody;
using Mono.Cecil;
using Mono.Collections.Generic;

namespace Tracing.Fody;

/// <summary>An assembly named by <c>[assembly: Trace.Import("…")]</c>, and the events its metadata records.</summary>
public sealed class ImportedAssembly
{
    public ImportedAssembly(AssemblyDefinition definition, long exportHash)
    {
        Definition = definition;
        ExportHash = exportHash;
    }

    public AssemblyDefinition Definition { get; }

    public string Name => Definition.Name.Name;

    /// <summary>The exporter's export hash when this assembly is built: compared at attach time.</summary>
    public long ExportHash { get; }

    /// <summary>In order of full name; an event's position is its index at the export entry point.</summary>
    public List<NamedEvent> Events { get; } = new();
}

/// <summary>
/// Reads <c>[assembly: Trace.Import("…")]</c>: resolves each named assembly among this
/// assembly's references and reads the events Tracing.Fody recorded in it (the
/// <c>EventMetadataAttribute</c>s and the export hash of its <c>WovenAssemblyAttribute</c>).
/// </summary>
/// <remarks>
/// The C# compiler keeps no reference to an assembly that is only named in strings, so the
/// assembly is resolved by name through the build's references (Fody's resolver knows all of
/// them), not looked up among the module's assembly references. Assembly attributes have no
/// source position, so these errors name the attribute instead.
/// </remarks>
public static class ImportFinder
{
    public static List<ImportedAssembly> Find(ModuleDefinition module, RuntimeReferences refs, Diagnostics diagnostics)
    {
        var self = module.Assembly.Name.Name;
        var imports = new List<ImportedAssembly>();
        var names = module.Assembly.CustomAttributes
            .Where(a => a.AttributeType.FullName == RuntimeReferences.ImportAttributeName && a.ConstructorArguments.Count == 1)
            .Select(a => (string)a.ConstructorArguments[0].Value)
            .Distinct(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (name == self)
            {
                diagnostics.Error(ImportMessages.ImportSelf(self), null);
                continue;
            }
            var definition = Resolve(module, name);
            if (definition is null)
            {
                diagnostics.Error(ImportMessages.ImportNotFound(self, name), null);
                continue;
            }
            var woven = definition.CustomAttributes.FirstOrDefault(a => a.AttributeType.FullName == RuntimeReferences.WovenAssemblyAttributeName);
            if (woven is null)
            {
                diagnostics.Error(ImportMessages.ImportNotWoven(self, name), null);
                continue;
            }
            var format = (int)woven.ConstructorArguments[0].Value;
            if (format > RuntimeReferences.MetadataFormat)
            {
                diagnostics.Error(ImportMessages.ImportTooNew(self, name, format), null);
                continue;
            }
            var imported = new ImportedAssembly(definition, (long)woven.ConstructorArguments[1].Value);
            imported.Events.AddRange(ReadEvents(imported, refs));
            imports.Add(imported);
        }
        return imports;
    }

    static IEnumerable<NamedEvent> ReadEvents(ImportedAssembly imported, RuntimeReferences refs)
    {
        // EventMetadataAttribute(string fullName, Type declaringType, string name,
        //                        string[] parameterNames, string[] parameterTypeNames, Type[] parameterTypes)
        var recorded = imported.Definition.CustomAttributes
            .Where(a => a.AttributeType.FullName == RuntimeReferences.EventMetadataAttributeName)
            .Select(a => a.ConstructorArguments)
            .OrderBy(arguments => (string)arguments[0].Value, StringComparer.Ordinal)
            .ToList();
        for (var index = 0; index < recorded.Count; index++)
        {
            var arguments = recorded[index];
            var fullName = (string)arguments[0].Value;
            yield return NamedEvent.Imported(imported, index, fullName,
                Values<string>(arguments[3]), Values<string>(arguments[4]), ParameterTypes(imported, fullName, arguments), refs);
        }
    }

    /// <summary>
    /// The parameter types as the event method's signature has them. (The recorded
    /// <c>Type[]</c> is for reflection: a type name in an attribute blob does not say which
    /// assembly a core type comes from, nor whether it is a value type.)
    /// </summary>
    static TypeReference[] ParameterTypes(ImportedAssembly imported, string fullName, Collection<CustomAttributeArgument> arguments)
    {
        var declaringType = ((TypeReference)arguments[1].Value).Resolve();
        var name = (string)arguments[2].Value;
        var method = declaringType?.Methods.SingleOrDefault(m => m.Name == name && EventFinder.IsEvent(m))
            ?? throw new WeavingException($"{imported.Name} records the trace event {fullName}, but has no such event method: it was changed after it was woven. Rebuild it.");
        return method.Parameters.Select(p => p.ParameterType).ToArray();
    }

    static T[] Values<T>(CustomAttributeArgument array) =>
        ((CustomAttributeArgument[])array.Value).Select(v => (T)v.Value).ToArray();

    static AssemblyDefinition? Resolve(ModuleDefinition module, string name)
    {
        try
        {
            return module.AssemblyResolver.Resolve(new AssemblyNameReference(name, null));
        }
        catch (AssemblyResolutionException)
        {
            return null;
        }
    }
}
