using System.Runtime.CompilerServices;

// The cgroup tests check the controllers' file-level behaviour directly.
[assembly: InternalsVisibleTo("Containers.Cgroups.Tests")]
