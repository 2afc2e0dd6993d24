namespace Containers.Runtime.Lifecycle;

/// <summary>Warnings the runtime reports but does not fail on; the CLI routes them to --log.</summary>
public static class RuntimeLog
{
    public static Action<string> WarningSink { get; set; } = message => Console.Error.WriteLine("warning: " + message);

    public static void Warn(string message) => WarningSink(message);
}
