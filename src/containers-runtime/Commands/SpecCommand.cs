using Containers.Runtime.Spec;

namespace Containers.Cli.Commands;

/// <summary>`spec [--bundle DIR] [--rootless]`: writes a default config.json (Docker's capabilities and seccomp profile).</summary>
public static class SpecCommand
{
    public static int Run(GlobalOptions global, string[] args)
    {
        CommandLine line = CommandLine.Parse(args, ["bundle=b"], ["rootless"]);
        string bundle = line.Value("bundle") ?? Directory.GetCurrentDirectory();
        string path = Path.Join(bundle, "config.json");
        if (File.Exists(path))
        {
            throw new UsageException($"File {path} exists. Remove it first");
        }
        File.WriteAllText(path, DefaultSpec.Serialize(DefaultSpec.Create(line.Has("rootless"))));
        return 0;
    }
}
