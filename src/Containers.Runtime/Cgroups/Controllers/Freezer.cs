using Containers.Cgroups;

namespace Containers.Runtime.Cgroups;

[CgroupFile("freezer", "State", CgroupValueKind.String, V1 = "freezer.state")]
[CgroupFile("freezer", "Freeze", CgroupValueKind.Integer, V2 = "cgroup.freeze")]
[CgroupFile("freezer", "Events", CgroupValueKind.FlatKeyed, V2 = "cgroup.events", ReadOnly = true, Record = typeof(CgroupEventsFile))]
internal static partial class FreezerController
{
    /// <summary>How long a freeze may take to settle before we give up (a task in D state blocks it).</summary>
    public static TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    public static void Set(CgroupDirectory dir, CgroupFreezerState state)
    {
        if (state == CgroupFreezerState.Undefined)
        {
            return;
        }

        bool freeze = state == CgroupFreezerState.Frozen;
        if (dir.Version == CgroupVersion.V1)
        {
            SetV1(dir, freeze);
        }
        else
        {
            SetV2(dir, freeze);
        }
    }

    private static void SetV1(CgroupDirectory dir, bool freeze)
    {
        string want = freeze ? "FROZEN" : "THAWED";
        var watch = System.Diagnostics.Stopwatch.StartNew();
        int attempt = 0;
        while (true)
        {
            // Writing again re-kicks tasks that were in a syscall when the freeze began (runc does the same).
            if (attempt % 25 == 0)
            {
                WriteState(dir, want);
            }

            string state = ReadState(dir).Trim();
            if (state == want)
            {
                return;
            }

            if (watch.Elapsed > Timeout)
            {
                if (freeze)
                {
                    WriteState(dir, "THAWED"); // do not leave the container half frozen
                }

                throw new TimeoutException($"{dir.FilePath("freezer.state")}: still {state} after {Timeout.TotalSeconds:0.#}s waiting for {want}");
            }

            attempt++;
            Thread.Sleep(attempt < 10 ? 1 : 10);
        }
    }

    private static void SetV2(CgroupDirectory dir, bool freeze)
    {
        if (!HasFreeze(dir))
        {
            throw new NotSupportedException($"{dir.FilePath("cgroup.freeze")} is missing: the cgroup v2 freezer needs Linux 5.2 or later");
        }

        WriteFreeze(dir, freeze ? 1 : 0);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        int attempt = 0;
        while ((ReadEvents(dir).Frozen == 1) != freeze)
        {
            if (watch.Elapsed > Timeout)
            {
                throw new TimeoutException($"{dir.FilePath("cgroup.events")}: frozen is not {(freeze ? 1 : 0)} after {Timeout.TotalSeconds:0.#}s");
            }

            attempt++;
            Thread.Sleep(attempt < 10 ? 1 : 10);
        }
    }

    public static CgroupFreezerState GetState(CgroupDirectory dir)
    {
        if (dir.Version == CgroupVersion.V2)
        {
            return !HasFreeze(dir) ? CgroupFreezerState.Undefined
                : ReadFreeze(dir) == 1 ? CgroupFreezerState.Frozen : CgroupFreezerState.Thawed;
        }

        // FREEZING counts as frozen for the caller's question "is it (being) frozen?" (runc: Frozen).
        return ReadState(dir).Trim() switch
        {
            "THAWED" => CgroupFreezerState.Thawed,
            "FROZEN" or "FREEZING" => CgroupFreezerState.Frozen,
            _ => CgroupFreezerState.Undefined,
        };
    }
}

/// <summary>v2 cgroup.events: "populated 1", "frozen 0".</summary>
[CgroupKeyedRecord]
internal sealed partial record CgroupEventsFile
{
    [CgroupKey(V2 = "populated")]
    public ulong Populated { get; init; }

    [CgroupKey(V2 = "frozen")]
    public ulong Frozen { get; init; }
}
