namespace Tracing.Recording.Hook;

/// <summary>
/// What `tracing record` tells the startup hook, through environment variables of the app it
/// starts. Constants only: the hook reads them before its dependencies can be loaded.
/// </summary>
public static class HookSettings
{
    /// <summary>The file to record into (absolute). Without it the hook does nothing.</summary>
    public const string OutputVariable = "TRACING_RECORD_OUTPUT";

    /// <summary>Event globs, one per line; none: every event.</summary>
    public const string EventsVariable = "TRACING_RECORD_EVENTS";

    /// <summary>Spans, one per line: <c>Begin.Event,End.Event</c>.</summary>
    public const string SpansVariable = "TRACING_RECORD_SPANS";

    /// <summary>The file name of the hook assembly, in the tool's folder.</summary>
    public const string AssemblyFileName = "Tracing.Recording.StartupHook.dll";
}
