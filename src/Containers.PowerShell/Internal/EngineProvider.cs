using System.Collections.Concurrent;
using Containers.Engine;

namespace Containers.PowerShell.Internal;

/// <summary>
/// One engine per set of roots. The roots come from the environment at each call, so a session (or
/// a test) that sets CONTAINERS_PS_DATA_ROOT / CONTAINERS_PS_RUN_ROOT gets an engine over those roots.
/// </summary>
public static class EngineProvider
{
    private static readonly ConcurrentDictionary<EngineOptions, IContainerEngine> Engines = new();

    /// <summary>Builds the engine for a set of options; replaceable so the cmdlets can be driven without one.</summary>
    public static Func<EngineOptions, IContainerEngine> Factory { get; set; } = options => new ContainerEngine(options);

    public static IContainerEngine Get() => Engines.GetOrAdd(CurrentOptions(), options => Factory(options));

    public static EngineOptions CurrentOptions()
    {
        var options = new EngineOptions();
        // The engine's default looks beside the host process (pwsh's folder); the module ships the
        // runtime beside this assembly.
        if (Environment.GetEnvironmentVariable("CONTAINERS_PS_RUNTIME") is null)
        {
            string? here = Path.GetDirectoryName(typeof(EngineProvider).Assembly.Location);
            if (here is not null && File.Exists(Path.Join(here, "containers-runtime")))
            {
                options = options with { RuntimeExecutable = Path.Join(here, "containers-runtime") };
            }
        }
        return options;
    }
}
