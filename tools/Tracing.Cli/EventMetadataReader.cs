using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Tracing.Cli;

/// <summary>One trace event as Tracing.Fody recorded it.</summary>
public sealed record ListedEvent(string AssemblyName, string FullName, IReadOnlyList<(string Type, string Name)> Parameters)
{
    /// <summary><c>AssemblyName:Namespace.Type.Event(type name, …)</c>, as <c>Trace.Events</c> formats it too.</summary>
    public override string ToString() =>
        $"{AssemblyName}:{FullName}({string.Join(", ", Parameters.Select(p => $"{p.Type} {p.Name}"))})";
}

/// <summary>
/// Reads the trace events recorded in an assembly file with System.Reflection.Metadata: the
/// assembly is neither loaded nor run, so any target framework can be listed.
/// </summary>
/// <remarks>
/// Tracing.Fody marks every assembly it weaves with <c>[assembly: Tracing.Internal.WovenAssembly(format, exportHash)]</c>
/// and records each event as
/// <c>[assembly: Tracing.Internal.EventMetadata(fullName, declaringType, name, parameterNames, parameterTypeNames, parameterTypes)]</c>.
/// </remarks>
public static class EventMetadataReader
{
    const string Namespace = "Tracing.Internal";
    const string WovenAttribute = "WovenAssemblyAttribute";
    const string EventAttribute = "EventMetadataAttribute";
    const int KnownFormat = 1;

    public static List<ListedEvent> Read(string path)
    {
        if (Directory.Exists(path))
            throw new ListException($"{path} is a directory: give the path of the assembly's .dll file (such as {Path.Combine(path, "App.dll")}).");
        if (!File.Exists(path)) throw new ListException($"{path}: no such file.");
        try
        {
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata) throw NotDotNet(path);
            var reader = pe.GetMetadataReader();
            if (!reader.IsAssembly) throw NotDotNet(path);
            return Read(path, reader);
        }
        catch (BadImageFormatException)
        {
            throw NotDotNet(path);
        }
    }

    static ListException NotDotNet(string path) => new($"{path} is not a .NET assembly.");

    static List<ListedEvent> Read(string path, MetadataReader reader)
    {
        var assemblyName = reader.GetString(reader.GetAssemblyDefinition().Name);
        var provider = new TypeNameProvider();
        var woven = false;
        var events = new List<ListedEvent>();
        foreach (var handle in reader.GetAssemblyDefinition().GetCustomAttributes())
        {
            var attribute = reader.GetCustomAttribute(handle);
            var (ns, name) = AttributeType(reader, attribute);
            if (ns != Namespace) continue;
            if (name == WovenAttribute)
            {
                var format = (int)attribute.DecodeValue(provider).FixedArguments[0].Value!;
                if (format > KnownFormat)
                    throw new ListException($"{path}: {assemblyName} was woven by a newer Tracing.Fody (event metadata format {format}): update the tracing tool.");
                woven = true;
            }
            else if (name == EventAttribute)
            {
                var arguments = attribute.DecodeValue(provider).FixedArguments;
                var names = Strings(arguments[3]);
                var types = Strings(arguments[4]);
                events.Add(new ListedEvent(assemblyName, (string)arguments[0].Value!, types.Zip(names, (t, n) => (t, n)).ToList()));
            }
        }
        if (!woven)
        {
            throw new ListException(
                $"{path}: {assemblyName} was not woven by Tracing.Fody, so it records no trace events. " +
                "Reference the Tracing.Fody package in its project and list <Tracing /> in its FodyWeavers.xml.");
        }
        return events;
    }

    static string[] Strings(CustomAttributeTypedArgument<string> array) =>
        ((ImmutableArray<CustomAttributeTypedArgument<string>>)array.Value!).Select(v => (string)v.Value!).ToArray();

    static (string Namespace, string Name) AttributeType(MetadataReader reader, CustomAttribute attribute)
    {
        EntityHandle type;
        switch (attribute.Constructor.Kind)
        {
            case HandleKind.MemberReference:
                type = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent;
                break;
            case HandleKind.MethodDefinition:
                type = reader.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType();
                break;
            default:
                return ("", "");
        }
        switch (type.Kind)
        {
            case HandleKind.TypeReference:
                var reference = reader.GetTypeReference((TypeReferenceHandle)type);
                return (reader.GetString(reference.Namespace), reader.GetString(reference.Name));
            case HandleKind.TypeDefinition:
                var definition = reader.GetTypeDefinition((TypeDefinitionHandle)type);
                return (reader.GetString(definition.Namespace), reader.GetString(definition.Name));
            default:
                return ("", "");
        }
    }

    /// <summary>Decodes attribute arguments; types are kept as their names (the recorded C# names are what is printed).</summary>
    sealed class TypeNameProvider : ICustomAttributeTypeProvider<string>
    {
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();
        public string GetSystemType() => "System.Type";
        public string GetSZArrayType(string elementType) => elementType + "[]";
        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
        {
            var type = reader.GetTypeDefinition(handle);
            return Qualified(reader.GetString(type.Namespace), reader.GetString(type.Name));
        }
        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
        {
            var type = reader.GetTypeReference(handle);
            return Qualified(reader.GetString(type.Namespace), reader.GetString(type.Name));
        }
        public string GetTypeFromSerializedName(string name) => name;
        static string Qualified(string ns, string name) => ns.Length == 0 ? name : $"{ns}.{name}";
        public PrimitiveTypeCode GetUnderlyingEnumType(string type) =>
            throw new BadImageFormatException($"Unexpected enum {type} in Tracing.Fody's event metadata.");
        public bool IsSystemType(string type) => type == "System.Type";
    }
}
