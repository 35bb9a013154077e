using System;
using System.ComponentModel;

namespace Tracing.Internal;

/// <summary>
/// What the import accessors and export entry points that Tracing.Fody generates call when an
/// imported assembly no longer matches the one its importer was built against. Not an API: its
/// shape follows the weaver.
/// </summary>
/// <remarks>
/// An importer compiled <c>Trace.Attach(pg, "Ns.Type.Event", probe)</c> into a call of the
/// exporter's export entry point, passing the hash of the exporter's event signatures it was
/// built against. The entry point compares it with its own before it touches any event, so a
/// changed exporter is reported here instead of attaching the probe to the wrong event or failing
/// with a <see cref="MissingMethodException"/>.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ImportSupport
{
    /// <summary>
    /// The exception an export entry point throws when the importer was built against other
    /// trace events than the exporter has now.
    /// </summary>
    /// <param name="importer">The importing assembly's name.</param>
    /// <param name="exporter">The exporting (imported) assembly's name.</param>
    /// <param name="builtAgainst">The export hash the importer recorded when it was built.</param>
    /// <param name="current">The export hash of the exporter that is loaded.</param>
    public static Exception ExporterChanged(string importer, string exporter, long builtAgainst, long current) =>
        new InvalidOperationException(
            $"Trace.Attach: {importer} was built against a version of {exporter} whose trace events differ from those of " +
            $"the {exporter} loaded now (export hash {builtAgainst:x16} then, {current:x16} now). " +
            $"Rebuild {importer} against the {exporter} it runs with.");

    /// <summary>
    /// The exception an import accessor throws when the loaded exporter has no export entry point
    /// (it declares no trace events any more, or was not woven).
    /// </summary>
    /// <param name="importer">The importing assembly's name.</param>
    /// <param name="exporter">The exporting (imported) assembly's name.</param>
    /// <param name="error">What the runtime reported when the entry point was looked up.</param>
    public static Exception ExportsMissing(string importer, string exporter, Exception error) =>
        new InvalidOperationException(
            $"Trace.Attach: {importer} was built against a version of {exporter} that declared trace events, but the " +
            $"{exporter} loaded now exports none (it declares no trace events, or was not woven by Tracing.Fody). " +
            $"Rebuild {importer} against the {exporter} it runs with.",
            error);
}
