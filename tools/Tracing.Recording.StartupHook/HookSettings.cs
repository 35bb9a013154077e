namespace Tracing.Recording.Hook;

/// <summary>
/// What `tracing record` and `tracing profile` tell the startup hook, through environment
/// variables of the app they start. Constants only: the hook reads them before its dependencies
/// can be loaded.
/// </summary>
public static class HookSettings
{
    /// <summary>The file to record into (absolute). Without it the hook does nothing.</summary>
    public const string OutputVariable = "TRACING_RECORD_OUTPUT";

    /// <summary>Event globs, one per line; none: every event.</summary>
    public const string EventsVariable = "TRACING_RECORD_EVENTS";

    /// <summary>Spans, one per line: <c>Begin.Event,End.Event</c>.</summary>
    public const string SpansVariable = "TRACING_RECORD_SPANS";

    /// <summary>`tracing profile`: the folder to write the profiles into (absolute). Without it the hook does not profile.</summary>
    public const string ProfileOutputVariable = "TRACING_PROFILE_OUTPUT";

    /// <summary>`tracing profile`: the event globs, one per line.</summary>
    public const string ProfileEventsVariable = "TRACING_PROFILE_EVENTS";

    /// <summary>`tracing profile`: the numeric parameter to sum, or empty.</summary>
    public const string ProfileValueVariable = "TRACING_PROFILE_VALUE";

    /// <summary>`tracing profile`: record 1 in this many firings (an integer, 1 or more).</summary>
    public const string ProfileSampleEveryVariable = "TRACING_PROFILE_SAMPLE_EVERY";

    /// <summary>The file name of the hook assembly, in the tool's folder.</summary>
    public const string AssemblyFileName = "Tracing.Recording.StartupHook.dll";
}
