namespace Containers.Cli;

internal static class Usage
{
    public const string Text = """
        containers-runtime: an OCI runtime (runc's command line)

        Usage: containers-runtime [global options] command [command options] [arguments...]

        Commands:
          create    create a container from a bundle (init waits for start)
          start     run the user process of a created container
          run       create and start a container (waits for it unless --detach)
          state     print the state of a container (JSON)
          kill      send a signal to the container's init (or every process with --all)
          delete    delete a container and everything it holds (--force kills it first)
          list      list containers (--format table|json, --quiet)
          ps        list the processes of a container (--format table|json)
          exec      run a new process inside a running container
          pause     freeze every process of a container
          resume    thaw a paused container
          update    change a running container's resource limits
          events    print container statistics (--stats once, else every --interval)
          features  print the features this runtime supports (JSON)
          spec      write a default config.json for a bundle

        Global options:
          --root value          state directory (default: /run/containers-ps)
          --log value           log file (default: stderr only)
          --log-format value    text or json (default: text)
          --debug               log debug messages
          --systemd-cgroup      use the systemd cgroup driver (refused where PID 1 is not systemd)
          --version, -v         print the version
        """;
}
