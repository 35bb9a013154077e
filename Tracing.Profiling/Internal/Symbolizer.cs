using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Runtime.CompilerServices;

namespace Tracing.Profiling.Internal;

/// <summary>
/// Names, files and lines of the methods in a profile, resolved when it is written: names from
/// reflection, files and lines from the portable PDB beside the assembly or embedded in it (the
/// sequence point that covers the frame's IL offset). A method without a PDB has a name only.
/// </summary>
sealed class Symbolizer : IDisposable
{
    readonly Dictionary<Module, MetadataReaderProvider?> _pdbs = new();
    readonly Dictionary<MethodBase, MethodSymbols> _methods = new();

    public MethodSymbols Of(MethodBase method)
    {
        if (!_methods.TryGetValue(method, out var symbols))
        {
            symbols = Read(method);
            _methods.Add(method, symbols);
        }
        return symbols;
    }

    public void Dispose()
    {
        foreach (var pdb in _pdbs.Values) pdb?.Dispose();
        _pdbs.Clear();
    }

    MethodSymbols Read(MethodBase method)
    {
        var (name, systemName) = Names(method);
        var reader = Pdb(method.Module)?.GetMetadataReader();
        if (reader is null) return new MethodSymbols(name, systemName, null, 0, Array.Empty<SequencePoint>());
        try
        {
            var handle = MetadataTokens.MethodDefinitionHandle(method.MetadataToken);
            var points = new List<SequencePoint>();
            foreach (var point in reader.GetMethodDebugInformation(handle).GetSequencePoints())
            {
                if (!point.IsHidden) points.Add(point);
            }
            if (points.Count == 0) return new MethodSymbols(name, systemName, null, 0, Array.Empty<SequencePoint>());
            var file = reader.GetString(reader.GetDocument(points[0].Document).Name);
            var startLine = int.MaxValue;
            foreach (var point in points) startLine = Math.Min(startLine, point.StartLine);
            return new MethodSymbols(name, systemName, file, startLine, points.ToArray());
        }
        catch (BadImageFormatException)
        {
            return new MethodSymbols(name, systemName, null, 0, Array.Empty<SequencePoint>()); // a PDB that does not match: no lines
        }
    }

    MetadataReaderProvider? Pdb(Module module)
    {
        if (_pdbs.TryGetValue(module, out var pdb)) return pdb;
        pdb = null;
        var path = module.Assembly.IsDynamic ? "" : module.Assembly.Location;
        if (path.Length > 0 && File.Exists(path))
        {
            try
            {
                using var pe = new PEReader(File.OpenRead(path));
                if (pe.TryOpenAssociatedPortablePdb(path, p => File.Exists(p) ? File.OpenRead(p) : null, out var provider, out _))
                    pdb = provider;
            }
            catch (Exception e) when (e is BadImageFormatException or IOException or UnauthorizedAccessException)
            {
                pdb = null; // no usable PDB: names only
            }
        }
        _pdbs.Add(module, pdb);
        return pdb;
    }

    /// <summary>
    /// <c>Namespace.Type.Method</c> (nested types joined with dots, generic arity dropped), and for
    /// the <c>MoveNext</c> of an async method or iterator, the method the user wrote, as .NET's
    /// stack traces show it; the system name is the method as the runtime has it.
    /// </summary>
    static (string Name, string SystemName) Names(MethodBase method)
    {
        var type = method.DeclaringType;
        var systemName = type is null ? method.Name : TypeName(type) + "." + method.Name;
        if (type is not null && method.Name == "MoveNext" && type.DeclaringType is { } owner)
        {
            var definition = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
            foreach (var candidate in owner.GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public |
                                                       BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (candidate.GetCustomAttribute<StateMachineAttribute>()?.StateMachineType == definition)
                    return (TypeName(owner) + "." + Simple(candidate.Name), systemName);
            }
        }
        return (type is null ? Simple(method.Name) : TypeName(type) + "." + Simple(method.Name), systemName);
    }

    static string TypeName(Type type) =>
        type.DeclaringType is { } outer ? TypeName(outer) + "." + Simple(type.Name)
        : string.IsNullOrEmpty(type.Namespace) ? Simple(type.Name) : type.Namespace + "." + Simple(type.Name);

    static string Simple(string name)
    {
        var tick = name.IndexOf('`');
        return tick < 0 ? name : name.Substring(0, tick);
    }
}

/// <summary>A method's name, file and sequence points (non-hidden, in IL order).</summary>
sealed class MethodSymbols
{
    readonly SequencePoint[] _points;

    public MethodSymbols(string name, string systemName, string? file, int startLine, SequencePoint[] points)
    {
        Name = name;
        SystemName = systemName;
        File = file;
        StartLine = startLine;
        _points = points;
    }

    public string Name { get; }
    public string SystemName { get; }
    public string? File { get; }
    public int StartLine { get; }

    /// <summary>The line of the statement at <paramref name="ilOffset"/>: the last sequence point at or before it; 0 when unknown.</summary>
    public int LineAt(int ilOffset)
    {
        if (ilOffset < 0 || _points.Length == 0) return 0;
        var line = 0;
        foreach (var point in _points)
        {
            if (point.Offset > ilOffset) break;
            line = point.StartLine;
        }
        return line == 0 ? _points[0].StartLine : line;
    }
}
