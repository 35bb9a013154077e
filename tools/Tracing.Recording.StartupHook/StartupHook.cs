using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

/// <summary>
/// The startup hook of `tracing record` and `tracing profile` (the runtime calls
/// <see cref="Initialize"/> before the app's Main, because DOTNET_STARTUP_HOOKS names this
/// assembly). It must be a type named StartupHook in no namespace.
/// </summary>
/// <remarks>
/// The recorder and the profiler run in a load context of their own, loaded from the hook's
/// folder: an app may ship another version of Tracing.Recording or Tracing.Profiling, and must keep it. Tracing.Runtime is shared with
/// the app (the recorder attaches to the app's events through it): the app's own, or, in an app
/// with no woven code, the copy in the hook's folder.
/// </remarks>
static class StartupHook
{
    public static void Initialize()
    {
        // Constants: reading them loads nothing.
        var record = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Tracing.Recording.Hook.HookSettings.OutputVariable));
        var profile = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Tracing.Recording.Hook.HookSettings.ProfileOutputVariable));
        if (!record && !profile)
            return; // the hook was inherited without the settings of `tracing record` or `tracing profile`: do nothing
        var folder = Path.GetDirectoryName(typeof(StartupHook).Assembly.Location)!;
        AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            var path = Path.Combine(folder, name.Name + ".dll");
            return name.Name == "Tracing.Runtime" && File.Exists(path) ? context.LoadFromAssemblyPath(path) : null;
        };
        var recorder = new RecorderLoadContext(folder);
        var hook = recorder.LoadFromAssemblyPath(typeof(StartupHook).Assembly.Location);
        if (record) Start(hook, "Tracing.Recording.Hook.HookRecorder");
        if (profile) Start(hook, "Tracing.Recording.Hook.HookProfiler");
    }

    static void Start(Assembly hook, string type) =>
        hook.GetType(type, throwOnError: true)!
            .GetMethod("StartFromEnvironment", BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)!
            .Invoke(null, null);

    sealed class RecorderLoadContext : AssemblyLoadContext
    {
        readonly string _folder;

        public RecorderLoadContext(string folder) : base("tracing record, tracing profile") => _folder = folder;

        protected override Assembly? Load(AssemblyName name)
        {
            // Tracing.Runtime and the framework: the app's (null falls back to the default context).
            if (name.Name is not ("Tracing.Recording" or "Tracing.Profiling" or "Tracing.Recording.StartupHook")) return null;
            return LoadFromAssemblyPath(Path.Combine(_folder, name.Name + ".dll"));
        }
    }
}
