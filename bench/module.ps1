#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Module benchmark: the cmdlets as a pwsh user drives them, next to podman and runc; prints
    figures and ratios.

.DESCRIPTION
    1. From a warm pwsh (module imported, -Warmup rounds first), -Count sequential
       `New-Container -Rootfs $rootfs -Command /bin/true | Start-Container -Wait | Remove-Container`,
       interleaved round by round with `podman run --rm` of the same rootfs (imported as an image)
       and `runc run` of an equivalent bundle, so background load hits all three alike. Every run
       is timed from this pwsh with a Stopwatch: median, p90, total; ratios ours/podman, ours/runc.
    2. -Running containers running `sleep 3600`, then
       `Get-Container | Get-ContainerStats -Interval 1 -Count 10` while the CPU time of this pwsh
       process is measured: the module's CPU use in % of one core (an idle window of this pwsh with
       the same containers running is measured too, as a baseline); the shims' total RSS and CPU.
       Then all are removed, and the script verifies that none is left (Get-Container is empty,
       no shim of this run is alive).
    3. RSS of one idle shim next to podman's conmon for one idle `podman run -d … sleep 3600`.

    Everything lives in a private temp directory: CONTAINERS_PS_DATA_ROOT/CONTAINERS_PS_RUN_ROOT
    for the module, --root/--runroot/--tmpdir and a private containers.conf (CONTAINERS_CONF) for
    podman, --root for runc. It is all removed at the end, also on failure.

    podman is Debian's (4.3) with runc as its OCI runtime: Debian's default, crun 1.8, refuses this
    machine's hybrid cgroups ("cgroups in hybrid mode not supported").
    Needs: podman, runc, conmon, busybox-static (build.ps1 Bootstrap installs them).
#>
param(
    # Sequential runs of each engine in part 1.
    [ValidateRange(1, 100000)]
    [int] $Count = 100,

    # Untimed rounds of each engine before part 1.
    [ValidateRange(0, 1000)]
    [int] $Warmup = 5,

    # Running containers in part 2.
    [ValidateRange(1, 10000)]
    [int] $Running = 100,

    # Get-ContainerStats samples per container in part 2 (at -Interval 1).
    [ValidateRange(1, 3600)]
    [int] $Samples = 10,

    [string] $Module = (Join-Path $PSScriptRoot '../Containers.psd1')
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$work = Join-Path ([IO.Path]::GetTempPath()) "containers-bench-module-$PID"
$dataRoot = Join-Path $work 'data'
$runRoot = Join-Path $work 'run'
$podRoot = Join-Path $work 'podman'
$runcRoot = Join-Path $work 'runc'
$image = 'localhost/containers-bench-busybox:latest'
$podman = @('--root', "$podRoot/root", '--runroot', "$podRoot/runroot", '--tmpdir', "$podRoot/tmp",
    '--storage-driver', 'vfs', '--cgroup-manager', 'cgroupfs', '--events-backend', 'file')
$summary = [ordered]@{}
$moduleLoaded = $false
$runtime = $null

function Invoke-Native {
    # Runs a native command; throws with the command line when it fails. Outputs its stdout.
    # (not `$command, $arguments = $args`: one argument would be a scalar string, splatted char by char)
    $command = $args[0]
    $arguments = @($args | Select-Object -Skip 1)
    $output = & $command @arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "'$command $($arguments -join ' ')' failed with exit code ${LASTEXITCODE}: $($output -join "`n")" }
    $output | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] }
}

function Get-Percentile([double[]] $Values, [double] $P) {
    # Nearest rank.
    $sorted = [double[]] ($Values | Sort-Object)
    $rank = [math]::Max(1, [math]::Ceiling($P / 100 * $sorted.Count))
    $sorted[$rank - 1]
}

function Get-Median([double[]] $Values) {
    $sorted = [double[]] ($Values | Sort-Object)
    $n = $sorted.Count
    if ($n % 2) { $sorted[($n - 1) / 2] } else { ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2 }
}

function Get-ShimPid {
    # Pids of the `containers-runtime shim` processes of this run: their cmdline names our data root.
    foreach ($dir in [IO.Directory]::EnumerateDirectories('/proc')) {
        $name = [IO.Path]::GetFileName($dir)
        if ($name -notmatch '^\d+$') { continue }
        try { $cmdline = [IO.File]::ReadAllText("$dir/cmdline") } catch { continue }
        $argv = $cmdline.Split([char] 0)
        if ($argv.Count -ge 2 -and $argv[0] -like '*containers-runtime' -and $argv[1] -eq 'shim' -and
            $cmdline.Contains("$dataRoot/", [StringComparison]::Ordinal)) {
            [int] $name
        }
    }
}

function Get-RssKb([int[]] $Pids) {
    # RSS in KiB as ps reports it, summed over the pids.
    if (-not $Pids) { return 0 }
    $lines = & ps -o rss= -p ($Pids -join ',')
    ($lines | ForEach-Object { [long] $_.Trim() } | Measure-Object -Sum).Sum
}

function Get-PssKb([int] $ProcessId) {
    # Proportional set size (shared pages divided among their users), for context next to RSS.
    $line = Get-Content "/proc/$ProcessId/smaps_rollup" | Where-Object { $_ -like 'Pss:*' } | Select-Object -First 1
    [long] (-split $line)[1]
}

function Get-CpuTicks([int[]] $Pids) {
    # utime + stime of the pids, in clock ticks (USER_HZ, 100 on Linux).
    $total = 0L
    foreach ($p in $Pids) {
        try { $stat = [IO.File]::ReadAllText("/proc/$p/stat") } catch { continue }
        $fields = $stat.Substring($stat.LastIndexOf(')') + 2).Split(' ')
        $total += [long] $fields[11] + [long] $fields[12] # fields 14 and 15 of stat(5)
    }
    $total
}

function Write-Figure([string] $Key, [string] $Text) {
    $summary[$Key] = $Text
    Write-Host ('  {0,-44} {1}' -f $Key, $Text)
}

function Format-Ratio([double] $Ours, [double] $Theirs) {
    if ($Theirs -le 0) { return 'n/a' }
    '{0:N2}' -f ($Ours / $Theirs)
}

function Wait-Until([scriptblock] $Condition, [double] $TimeoutSeconds) {
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while (-not (& $Condition)) {
        if ([DateTime]::UtcNow -ge $deadline) { return $false }
        Start-Sleep -Milliseconds 100
    }
    $true
}

try {
    foreach ($tool in 'podman', 'runc', 'conmon', 'ps', 'tar') {
        if (-not (Get-Command $tool -CommandType Application -ErrorAction Ignore)) { throw "$tool is not installed (build.ps1 Bootstrap installs it)" }
    }
    $null = New-Item -ItemType Directory -Path $dataRoot, $runRoot, "$podRoot/tmp", "$runcRoot/state", "$runcRoot/bundle" -Force
    $env:CONTAINERS_PS_DATA_ROOT = $dataRoot
    $env:CONTAINERS_PS_RUN_ROOT = $runRoot
    $env:CONTAINERS_CONF = "$podRoot/containers.conf"
    Set-Content -LiteralPath $env:CONTAINERS_CONF -Value @'
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
log_driver = "k8s-file"

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "runc"
'@

    Import-Module (Resolve-Path $Module).Path -Force
    $moduleLoaded = $true
    # the runtime the engine uses (as EngineProvider finds it), for the cleanup's last resort
    $runtime = $env:CONTAINERS_PS_RUNTIME ?? (Join-Path ([IO.Path]::GetDirectoryName([Containers.PowerShell.Internal.EngineProvider].Assembly.Location)) 'containers-runtime')
    $rootfs = (New-BusyboxRootfs -Path (Join-Path $work 'rootfs')).FullName
    if (@(Get-Container).Count -ne 0) { throw "the private data root $dataRoot is not empty" }

    # podman: the rootfs as an image in private storage
    Invoke-Native tar -C $rootfs -cf "$work/rootfs.tar" . | Out-Null
    Invoke-Native podman @podman import --quiet "$work/rootfs.tar" $image | Out-Null
    $podmanRuntime = Invoke-Native podman @podman info --format '{{.Host.OCIRuntime.Name}} {{.Host.OCIRuntime.Version}}' | Select-Object -First 1
    $podmanVersion = Invoke-Native podman --version | Select-Object -First 1

    # runc: `runc spec` with terminal false and /bin/true, rootfs = the same busybox tree
    $bundle = "$runcRoot/bundle"
    Invoke-Native runc spec --bundle $bundle | Out-Null
    $config = Get-Content "$bundle/config.json" -Raw | ConvertFrom-Json
    $config.process.terminal = $false
    $config.process.args = @('/bin/true')
    $config.root.path = $rootfs
    $config | ConvertTo-Json -Depth 32 | Set-Content "$bundle/config.json"
    $runcVersion = Invoke-Native runc --version | Select-Object -First 1

    $load = (Get-Content /proc/loadavg) -split ' '
    Write-Host ''
    Write-Host "module benchmark: $([Environment]::ProcessorCount) cores, load average $($load[0..2] -join ' ') at start; pwsh $($PSVersionTable.PSVersion)"
    Write-Host "  $podmanVersion (OCI runtime: $podmanRuntime, vfs, cgroupfs, --network none); $runcVersion"
    $commit = & git -C $PSScriptRoot describe --always --dirty 2>$null
    Write-Host ('  module: {0} (containers-runtime built {1:yyyy-MM-dd HH:mm:ss}; git {2})' -f (Get-Module Containers).Path, (Get-Item $runtime).LastWriteTime, ($commit ?? '?'))

    # ---------------------------------------------------------------- 1. sequential /bin/true
    # A non-terminating error of Start-Container -Wait or Remove-Container is counted and reported,
    # not fatal (the run is left out of the figures and its container removed): one flaky run
    # should not lose the others.
    $failures = [Collections.Generic.List[string]]::new()
    $runOurs = {
        $errStart = $null; $errRemove = $null
        $null = New-Container -Rootfs $rootfs -Command /bin/true |
            Start-Container -Wait -OutVariable started -ErrorVariable errStart -ErrorAction SilentlyContinue |
            Remove-Container -ErrorVariable errRemove -ErrorAction SilentlyContinue
        if ($errStart -or $errRemove) {
            foreach ($e in @($errStart) + @($errRemove) | Where-Object { $_ }) {
                $failures.Add("$($e.InvocationInfo.MyCommand.Name): $($e.FullyQualifiedErrorId): $($e.Exception.Message)")
            }
            $removed = Wait-Until { Get-Container | Remove-Container -Force -ErrorAction SilentlyContinue; @(Get-Container).Count -eq 0 } 10
            if (-not $removed) { throw "could not remove the container of a failed run: $(Get-Container | Out-String)" }
            if ($failures.Count -gt [math]::Max(3, $Count / 10)) { throw "$($failures.Count) cmdlet errors; last: $($failures[-1])" }
            return $false
        }
        if ($started.Count -ne 1 -or $started[0].ExitCode -ne 0) { throw "New-Container | Start-Container -Wait: expected one container with ExitCode 0, got $($started | Out-String)" }
        $true
    }
    $runPodman = { Invoke-Native podman @podman run --rm --pull never --network none $image /bin/true | Out-Null }
    $runRunc = { param($id) Invoke-Native runc --root "$runcRoot/state" run --bundle $bundle $id | Out-Null }

    Write-Host ''
    Write-Host "1. $Count sequential runs of /bin/true, interleaved (after $Warmup warm-up rounds each)"
    for ($i = 0; $i -lt $Warmup; $i++) { $null = & $runOurs; & $runPodman; & $runRunc "warm-$i" }

    $times = @{ ours = [Collections.Generic.List[double]]::new(); podman = [Collections.Generic.List[double]]::new(); runc = [Collections.Generic.List[double]]::new() }
    $sw = [Diagnostics.Stopwatch]::new()
    for ($i = 0; $i -lt $Count; $i++) {
        $sw.Restart(); if (& $runOurs) { $times.ours.Add($sw.Elapsed.TotalMilliseconds) }
        $sw.Restart(); & $runPodman; $times.podman.Add($sw.Elapsed.TotalMilliseconds)
        $sw.Restart(); & $runRunc "run-$i"; $times.runc.Add($sw.Elapsed.TotalMilliseconds)
    }
    $median = @{}
    Write-Host ('  {0,-58} {1,9} {2,9} {3,10}' -f '', 'median', 'p90', 'total')
    foreach ($row in @(
            @{ Key = 'ours'; Label = 'New-Container | Start-Container -Wait | Remove-Container' }
            @{ Key = 'podman'; Label = 'podman run --rm' }
            @{ Key = 'runc'; Label = 'runc run' })) {
        $values = $times[$row.Key]
        if ($values.Count -eq 0) { throw "no successful run of $($row.Label)" }
        $median[$row.Key] = Get-Median $values
        $p90 = Get-Percentile $values 90
        $total = ($values | Measure-Object -Sum).Sum
        Write-Host ('  {0,-58} {1,6:N1} ms {2,6:N1} ms {3,7:N2} s' -f $row.Label, $median[$row.Key], $p90, ($total / 1000))
        $summary["run /bin/true median: $($row.Key)"] = '{0:N1} ms (p90 {1:N1} ms, total {2:N2} s for {3})' -f $median[$row.Key], $p90, ($total / 1000), $values.Count
    }
    if ($failures.Count) {
        Write-Warning "$($failures.Count) cmdlet errors in $($Count + $Warmup) runs (those runs are left out of the figures):"
        $failures | Group-Object | ForEach-Object { Write-Warning "  $($_.Count) x $($_.Name)" }
    }
    $summary['run /bin/true: cmdlet errors (runs left out)'] = "$($failures.Count) in $($Count + $Warmup) runs"
    Write-Host ('  ours/podman = {0}   ours/runc = {1}   (median; below 1 is faster than them)' -f (Format-Ratio $median.ours $median.podman), (Format-Ratio $median.ours $median.runc))
    # what this harness adds to podman's and runc's figures: a native command run the same way
    $harness = [Collections.Generic.List[double]]::new()
    for ($i = 0; $i -lt 20; $i++) { $sw.Restart(); Invoke-Native /bin/true | Out-Null; $harness.Add($sw.Elapsed.TotalMilliseconds) }
    Write-Host ('  (included in the podman and runc figures: starting a native command from this pwsh, /bin/true, median {0:N1} ms)' -f (Get-Median $harness))
    $summary['harness: native /bin/true from pwsh'] = '{0:N1} ms median (included in podman/runc figures)' -f (Get-Median $harness)
    $summary['run /bin/true ratio ours/podman'] = Format-Ratio $median.ours $median.podman
    $summary['run /bin/true ratio ours/runc'] = Format-Ratio $median.ours $median.runc
    if (@(Get-Container).Count -ne 0) { throw "containers left after part 1: $(Get-Container | Out-String)" }

    # ---------------------------------------------------------------- 2. stats of N running containers
    Write-Host ''
    Write-Host "2. $Running running containers (sleep 3600): Get-Container | Get-ContainerStats -Interval 1 -Count $Samples"
    $sw.Restart()
    for ($i = 0; $i -lt $Running; $i++) {
        $null = New-Container -Rootfs $rootfs -Command sleep, 3600 | Start-Container
    }
    $startSeconds = $sw.Elapsed.TotalSeconds
    $shims = @(Get-ShimPid)
    if ($shims.Count -ne $Running) { throw "expected $Running shim processes, found $($shims.Count)" }
    $notRunning = @(Get-Container | Where-Object State -NE 'Running')
    if ($notRunning.Count) { throw "containers not running: $($notRunning | Out-String)" }
    Write-Host ('  started {0} in {1:N1} s ({2:N1} ms each)' -f $Running, $startSeconds, ($startSeconds * 1000 / $Running))
    Start-Sleep -Seconds 2 # let the starts settle: the windows below measure a steady state
    $null = Get-Container | Get-ContainerStats -Interval 1 -Count 1 # warm-up: the stats path JIT-compiled

    $self = Get-Process -Id $PID
    # baseline: this pwsh idle for as long as the stats window will take, with the containers running
    $self.Refresh(); $cpu0 = $self.TotalProcessorTime; $sw.Restart()
    Start-Sleep -Seconds $Samples
    $self.Refresh(); $idleCpu = ($self.TotalProcessorTime - $cpu0).TotalSeconds; $idleWall = $sw.Elapsed.TotalSeconds
    $idlePercent = 100 * $idleCpu / $idleWall

    $shimTicks0 = Get-CpuTicks $shims
    $self.Refresh(); $cpu0 = $self.TotalProcessorTime; $sw.Restart()
    $stats = @(Get-Container | Get-ContainerStats -Interval 1 -Count $Samples)
    $self.Refresh(); $statsCpu = ($self.TotalProcessorTime - $cpu0).TotalSeconds; $statsWall = $sw.Elapsed.TotalSeconds
    $shimTicks1 = Get-CpuTicks $shims
    $statsPercent = 100 * $statsCpu / $statsWall
    $shimPercent = 100 * (($shimTicks1 - $shimTicks0) / 100) / $statsWall
    $shimRssKb = Get-RssKb $shims

    $expected = $Running * $Samples
    $perContainer = $stats | Group-Object Id
    Write-Host ('  {0} samples of {1} containers in {2:N1} s (expected {3} = {4} x {5})' -f $stats.Count, @($perContainer).Count, $statsWall, $expected, $Running, $Samples)
    Write-Host ('  pwsh CPU during the stats window: {0:N2} s CPU / {1:N1} s wall = {2:N1} % of one core' -f $statsCpu, $statsWall, $statsPercent)
    Write-Host ('  pwsh CPU idle baseline (same pwsh, containers running, Start-Sleep): {0:N2} s / {1:N1} s = {2:N1} % of one core' -f $idleCpu, $idleWall, $idlePercent)
    Write-Host ('  the {0} shims: CPU {1:N2} % of one core in the stats window; RSS {2:N1} MiB in total ({3:N0} KiB each on average)' -f $shims.Count, $shimPercent, ($shimRssKb / 1024), ($shimRssKb / $shims.Count))
    if ($stats.Count -ne $expected) { Write-Warning "Get-ContainerStats gave $($stats.Count) samples, expected $expected" }
    $summary["stats of $Running containers at 1 Hz: pwsh CPU"] = '{0:N1} % of one core ({1:N2} s CPU in {2:N1} s; idle baseline {3:N1} %)' -f $statsPercent, $statsCpu, $statsWall, $idlePercent
    $summary["stats of $Running containers: samples"] = "$($stats.Count) of $expected"
    $summary["$Running idle shims: total RSS"] = '{0:N1} MiB ({1:N0} KiB each)' -f ($shimRssKb / 1024), ($shimRssKb / $shims.Count)
    $summary["$Running idle shims: CPU during stats"] = '{0:N2} % of one core' -f $shimPercent
    $summary["start $Running (New-Container | Start-Container)"] = '{0:N1} s' -f $startSeconds

    $sw.Restart()
    Get-Container | Remove-Container -Force
    $removeSeconds = $sw.Elapsed.TotalSeconds
    $left = @(Get-Container)
    $shimsGone = Wait-Until { @(Get-ShimPid).Count -eq 0 } 10
    Write-Host ('  removed {0} (Remove-Container -Force) in {1:N1} s; left: {2} containers, {3} shims' -f $Running, $removeSeconds, $left.Count, @(Get-ShimPid).Count)
    $summary["remove $Running running (Remove-Container -Force)"] = '{0:N1} s' -f $removeSeconds
    if ($left.Count -ne 0 -or -not $shimsGone) { throw "after Remove-Container -Force: $($left.Count) containers and $(@(Get-ShimPid).Count) shims left" }

    # ---------------------------------------------------------------- 3. one idle shim vs conmon
    Write-Host ''
    Write-Host '3. RSS of one idle shim next to podman''s conmon (one `sleep 3600` each, idle 2 s)'
    $one = New-Container -Rootfs $rootfs -Command sleep, 3600 | Start-Container
    $podId = Invoke-Native podman @podman run -d --pull never --network none $image sleep 3600 | Select-Object -Last 1
    Start-Sleep -Seconds 2
    $shim = @(Get-ShimPid)
    if ($shim.Count -ne 1) { throw "expected one shim, found $($shim.Count)" }
    $conmon = [int] (Invoke-Native podman @podman inspect --format '{{.State.ConmonPid}}' $podId | Select-Object -First 1)
    $shimRss = Get-RssKb $shim[0]
    $conmonRss = Get-RssKb $conmon
    $shimPss = Get-PssKb $shim[0]
    $conmonPss = Get-PssKb $conmon
    Write-Host ('  containers-runtime shim (pid {0,-7}) RSS {1,7:N0} KiB  (PSS {2:N0} KiB)' -f $shim[0], $shimRss, $shimPss)
    Write-Host ('  conmon                  (pid {0,-7}) RSS {1,7:N0} KiB  (PSS {2:N0} KiB)' -f $conmon, $conmonRss, $conmonPss)
    Write-Host ('  shim/conmon = {0} (RSS)   {1} (PSS)' -f (Format-Ratio $shimRss $conmonRss), (Format-Ratio $shimPss $conmonPss))
    $summary['idle shim RSS'] = '{0:N0} KiB (PSS {1:N0} KiB)' -f $shimRss, $shimPss
    $summary['idle conmon RSS'] = '{0:N0} KiB (PSS {1:N0} KiB)' -f $conmonRss, $conmonPss
    $summary['idle RSS ratio shim/conmon'] = Format-Ratio $shimRss $conmonRss
    $one | Remove-Container -Force
    Invoke-Native podman @podman rm --force --time 0 $podId | Out-Null

    $load = (Get-Content /proc/loadavg) -split ' '
    Write-Host ''
    Write-Host "summary (module benchmark; load average $($load[0..2] -join ' ') at the end)"
    foreach ($entry in $summary.GetEnumerator()) { Write-Host ('  {0,-44} {1}' -f $entry.Key, $entry.Value) }
} finally {
    # Everything this run started, whatever state it is in: the module's containers, their shims
    # (killed by pid if still alive), runc and podman containers, mounts under the work dir.
    if ($moduleLoaded) {
        Get-Container -ErrorAction Continue | Remove-Container -Force -ErrorAction Continue
    }
    if ((Test-Path $runRoot) -and $runtime -and (Test-Path $runtime)) {
        foreach ($id in @(& $runtime --root $runRoot list --quiet 2>$null)) { if ($id) { & $runtime --root $runRoot delete --force $id 2>$null } }
    }
    foreach ($shimPid in @(Get-ShimPid)) { Write-Warning "killing leftover shim $shimPid"; & kill -KILL $shimPid 2>$null }
    if (Test-Path "$runcRoot/state") {
        foreach ($id in @(& runc --root "$runcRoot/state" list --quiet 2>$null)) { if ($id) { & runc --root "$runcRoot/state" delete --force $id 2>$null } }
    }
    if (Test-Path "$podRoot/root") {
        & podman @podman rm --all --force --time 0 2>$null | Out-Null
    }
    $mounts = @(Get-Content /proc/self/mountinfo | ForEach-Object { (-split $_)[4] } | Where-Object { $_.StartsWith("$work/") } | Sort-Object -Descending { $_.Length })
    foreach ($m in $mounts) { & umount -l $m 2>$null }
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction Continue
    if ($moduleLoaded) { Remove-Module Containers -ErrorAction Ignore }
}
