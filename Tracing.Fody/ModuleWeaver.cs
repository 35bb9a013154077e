using System.Collections.Generic;
using Fody;

namespace Tracing.Fody;

/// <summary>
/// The Tracing weaver (<c>&lt;Tracing /&gt;</c> in FodyWeavers.xml): turns every
/// <c>[Trace.Event]</c> stub into a probe list and a dispatch, and every call of an event into a
/// null check of that list. It also exports the events to importing assemblies, records their
/// metadata, and compiles by-name attaches of imported events into import accessors
/// (docs/import.md).
/// </summary>
public partial class ModuleWeaver : BaseModuleWeaver
{
    readonly Diagnostics _diagnostics = new();

    /// <summary>The steps, in order. Each lives in the file named after it.</summary>
    public override void Execute()
    {
        var config = WeaverConfig.Read(Config);
        var refs = RuntimeReferences.TryFind(ModuleDefinition, FindTypeDefinition);
        if (refs is null) return; // the assembly does not use Tracing.Runtime: nothing to weave

        var events = EventFinder.FindEvents(ModuleDefinition);
        EventValidator.Validate(events, refs, _diagnostics);
        var exports = ExportTable.Build(events, _diagnostics);
        var imports = ImportFinder.Find(ModuleDefinition, refs, _diagnostics);
        var attachSites = AttachCallFinder.Find(ModuleDefinition, refs, events, _diagnostics);
        var importSites = ImportCallFinder.Find(ModuleDefinition, refs, events, imports, _diagnostics);
        var callSites = CallSiteFinder.Find(ModuleDefinition, events, config, _diagnostics);
        EagerCallFinder.Find(ModuleDefinition, events, config, _diagnostics);
        if (_diagnostics.Report(this)) return; // nothing invalid is woven

        foreach (var traceEvent in events) ProbeListEmitter.Emit(traceEvent, refs);
        var exportsType = ExportEmitter.Emit(ModuleDefinition, exports, refs);
        TapEmitter.Emit(ModuleDefinition, exportsType, exports, refs);
        EventMetadataEmitter.Emit(ModuleDefinition, exports, refs);
        ImportEmitter.Emit(ModuleDefinition, imports, refs);
        var editors = new MethodEditors();
        CallSiteRewriter.Rewrite(callSites, editors);
        AttachCallRewriter.Rewrite(attachSites, editors);
        ImportCallRewriter.Rewrite(importSites, editors);
        editors.Done();
        _diagnostics.ReportWarnings(this);
    }

    /// <summary>Where Fody looks for the BCL types the weaver resolves (Action`n).</summary>
    public override IEnumerable<string> GetAssembliesForScanning() =>
        new[] { "netstandard", "mscorlib", "System.Runtime" };

    /// <summary>Woven code calls Tracing.Runtime at run time: keep the reference.</summary>
    public override bool ShouldCleanReference => false;
}
