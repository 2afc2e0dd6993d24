namespace Containers.Runtime.Spec;

public static partial class SpecValidator
{
    private sealed partial class Checks
    {
        private void Resources(ResourcesSpec? r)
        {
            if (r is null)
            {
                return;
            }

            DeviceRules(r.Devices);
            if (r.Memory is { } m)
            {
                if (m.Limit is > 0 && m.Swap is > 0 && m.Swap < m.Limit)
                {
                    Fail("linux.resources.memory.swap", $"{m.Swap} is less than memory.limit {m.Limit} (swap is memory plus swap)");
                }

                if (m.Swappiness is > 100)
                {
                    Fail("linux.resources.memory.swappiness", $"{m.Swappiness} is outside 0..100");
                }

                if (m.Limit is < -1)
                {
                    Fail("linux.resources.memory.limit", $"{m.Limit} must be positive, 0 (unset) or -1 (unlimited)");
                }
            }

            if (r.Cpu is { } cpu)
            {
                if (cpu.Period is > 0 and (< 1000 or > 1_000_000))
                {
                    Fail("linux.resources.cpu.period", $"{cpu.Period} is outside 1000..1000000 microseconds");
                }

                if (cpu.Quota is > 0 and < 1000)
                {
                    Fail("linux.resources.cpu.quota", $"{cpu.Quota} is less than 1000 microseconds");
                }

                CpuList("linux.resources.cpu.cpus", cpu.Cpus);
                CpuList("linux.resources.cpu.mems", cpu.Mems);
            }

            if (r.BlockIO?.Weight is { } weight && weight != 0 && weight is < 10 or > 1000)
            {
                Fail("linux.resources.blockIO.weight", $"{weight} is outside 10..1000");
            }

            for (var i = 0; i < (r.HugepageLimits?.Count ?? 0); i++)
            {
                var size = r.HugepageLimits![i]?.PageSize;
                if (size is null || !IsPageSize(size))
                {
                    Fail($"linux.resources.hugepageLimits[{i}].pageSize", $"{Quote(size)} is not a size like \"2MB\"");
                }
            }

            foreach (var key in r.Unified?.Keys ?? [])
            {
                if (key.Contains('/', StringComparison.Ordinal) || key is "." or ".." || key.Length == 0)
                {
                    Fail($"linux.resources.unified.{key}", "must be a file name in the cgroup directory");
                }
            }
        }

        private void DeviceRules(IReadOnlyList<DeviceCgroupSpec>? rules)
        {
            for (var i = 0; i < (rules?.Count ?? 0); i++)
            {
                var path = $"linux.resources.devices[{i}]";
                var d = rules![i];
                if (d is null)
                {
                    Fail(path, "must be an object, not null");
                    continue;
                }

                if (d.Type is not (null or "" or "a" or "c" or "b"))
                {
                    Fail(path + ".type", $"unknown device type {Quote(d.Type)} (a, c or b)");
                }

                if (d.Access is { } access && access.Any(c => c is not ('r' or 'w' or 'm')))
                {
                    Fail(path + ".access", $"{Quote(access)} may hold only r, w and m");
                }
            }
        }

        private void CpuList(string path, string? list)
        {
            if (string.IsNullOrEmpty(list))
            {
                return;
            }

            foreach (var part in list.Split(','))
            {
                var range = part.Trim().Split('-');
                var ok = range.Length is 1 or 2
                    && range.All(n => uint.TryParse(n, System.Globalization.NumberStyles.None, null, out _))
                    && (range.Length == 1 || uint.Parse(range[0]) <= uint.Parse(range[1]));
                if (!ok)
                {
                    Fail(path, $"{Quote(list)} is not a list like \"0-3,7\"");
                    return;
                }
            }
        }

        private static bool IsPageSize(string size)
        {
            var digits = size.TakeWhile(char.IsAsciiDigit).Count();
            return digits > 0 && size[digits..] is "KB" or "MB" or "GB" or "TB" or "PB" or "kB";
        }
    }
}
