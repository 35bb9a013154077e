using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

/// <summary>
/// The startup hook of `tracing record` (the runtime calls <see cref="Initialize"/> before the
/// app's Main, because DOTNET_STARTUP_HOOKS names this assembly). It must be a type named
/// StartupHook in no namespace.
/// </summary>
/// <remarks>
/// The recorder runs in a load context of its own, loaded from the hook's folder: an app may
/// ship another version of Tracing.Recording, and must keep it. Tracing.Runtime is shared with
/// the app (the recorder attaches to the app's events through it): the app's own, or, in an app
/// with no woven code, the copy in the hook's folder.
/// </remarks>
static class StartupHook
{
    public static void Initialize()
    {
        // A constant: reading it loads nothing.
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Tracing.Recording.Hook.HookSettings.OutputVariable)))
            return; // the hook was inherited without `tracing record`'s settings: do nothing
        var folder = Path.GetDirectoryName(typeof(StartupHook).Assembly.Location)!;
        AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            var path = Path.Combine(folder, name.Name + ".dll");
            return name.Name == "Tracing.Runtime" && File.Exists(path) ? context.LoadFromAssemblyPath(path) : null;
        };
        var recorder = new RecorderLoadContext(folder);
        var hook = recorder.LoadFromAssemblyPath(typeof(StartupHook).Assembly.Location);
        var start = hook.GetType("Tracing.Recording.Hook.HookRecorder", throwOnError: true)!
            .GetMethod("StartFromEnvironment", BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)!;
        start.Invoke(null, null);
    }

    sealed class RecorderLoadContext : AssemblyLoadContext
    {
        readonly string _folder;

        public RecorderLoadContext(string folder) : base("tracing record") => _folder = folder;

        protected override Assembly? Load(AssemblyName name)
        {
            // Tracing.Runtime and the framework: the app's (null falls back to the default context).
            if (name.Name is not ("Tracing.Recording" or "Tracing.Recording.StartupHook")) return null;
            return LoadFromAssemblyPath(Path.Combine(_folder, name.Name + ".dll"));
        }
    }
}
