using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Containers.Image;
using Containers.Interop;
using Containers.Runtime.Lifecycle;
using Containers.Runtime.Spec;
using RuntimeStatus = Containers.Runtime.Spec.ContainerStatus;

namespace Containers.Engine;

/// <summary>Live updates of limits, the process list and stats.</summary>
public sealed partial class ContainerEngine
{
    public ContainerInfo Update(string idOrName, ResourceUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        string id = _store.Resolve(idOrName);
        using (_store.Lock(id))
        {
            Snapshot snapshot = Inspect(id, locked: true);
            ContainerCreateRequest request = snapshot.Stored.Request with
            {
                Memory = update.Memory ?? snapshot.Stored.Request.Memory,
                MemorySwap = update.MemorySwap ?? (update.Memory is not null && snapshot.Stored.Request.MemorySwap is { } oldSwap && oldSwap != -1 && oldSwap < update.Memory ? null : snapshot.Stored.Request.MemorySwap),
                Cpus = update.Cpus ?? snapshot.Stored.Request.Cpus,
                CpuShares = update.CpuShares ?? snapshot.Stored.Request.CpuShares,
                CpusetCpus = update.CpusetCpus ?? snapshot.Stored.Request.CpusetCpus,
                PidsLimit = update.PidsLimit ?? snapshot.Stored.Request.PidsLimit,
            };
            var changes = new ResourcesSpec
            {
                Memory = update.Memory is null && update.MemorySwap is null ? null : SpecBuilder.Memory(request.Memory, request.MemorySwap),
                Cpu = update.Cpus is null && update.CpuShares is null && update.CpusetCpus is null ? null : SpecBuilder.Cpu(update.Cpus, update.CpuShares, update.CpusetCpus),
                Pids = SpecBuilder.Pids(update.PidsLimit),
            };
            if (update.Cpus is not null) SpecBuilder.Cpu(request.Cpus, request.CpuShares, request.CpusetCpus);
            if (snapshot.Info.State is ContainerState.Running or ContainerState.Paused)
            {
                Runtime(() => _operations.Update(id, changes));
            }
            string configPath = Path.Join(_store.BundleOf(id), "config.json");
            RuntimeSpec spec = SpecLoader.ParseJson(File.ReadAllBytes(configPath));
            spec = spec with { Linux = spec.Linux! with { Resources = SpecBuilder.Resources(request, spec.Linux!.Resources ?? new ResourcesSpec()) } };
            File.WriteAllText(configPath + ".tmp", SpecLoader.Serialize(spec));
            File.Move(configPath + ".tmp", configPath, overwrite: true);
            _store.Save(snapshot.Stored with { Request = request });
            return Inspect(id, locked: true).Info;
        }
    }

    public IReadOnlyList<ContainerProcessInfo> Processes(string idOrName)
    {
        string id = _store.Resolve(idOrName);
        Snapshot snapshot = Inspect(id);
        if (snapshot.Info.State is not (ContainerState.Running or ContainerState.Paused))
        {
            throw new EngineException(EngineErrorKind.InvalidState, $"container {snapshot.Info.Name} is not running");
        }
        IReadOnlyList<int> pids = Runtime(() => _operations.Processes(id));
        return [.. pids.Select(pid => ProcStat.Process(pid, _store.RootfsOf(id))).OfType<ContainerProcessInfo>().OrderBy(p => p.ContainerPid)];
    }

    public IEnumerable<ContainerStatsSample> Stats(IReadOnlyList<string> idsOrNames, TimeSpan interval, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(idsOrNames);
        if (interval <= TimeSpan.Zero) throw SpecBuilder.Invalid("Interval", "must be positive");
        string[] ids = [.. idsOrNames.Select(_store.Resolve).Distinct()];
        return new StatsCollector(this).Stream(ids, interval, cancellation);
    }

    /// <summary>For the stats collector: name, runtime record (null when not running).</summary>
    internal (string Name, ContainerRecord? Runtime, bool Exists) StatsTarget(string id)
    {
        Snapshot? snapshot = TryInspect(id);
        return snapshot is null ? (id, null, false) : (snapshot.Info.Name, snapshot.Runtime, true);
    }
}
