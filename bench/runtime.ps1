#!/usr/bin/env pwsh
<#
.SYNOPSIS
    OCI runtime benchmark: `run` of a busybox /bin/true bundle with containers-runtime, crun and runc,
    side by side in one run, then 50 concurrent `run -d` + `delete`; prints medians and ratios.

.DESCRIPTION
    crun refuses hybrid cgroups ("hybrid mode not supported"), so every runtime runs inside one
    private mount namespace (unshare -m) in which an empty file is bind-mounted over
    /sys/fs/cgroup/unified/cgroup.controllers. The host's mounts are untouched.
    Needs: hyperfine, runc, crun, GNU time (build.ps1 Bootstrap installs them).
#>
param(
    [int] $Runs = 50,
    [int] $Concurrent = 50,
    [string] $Runtime = (Join-Path $PSScriptRoot '../artifacts/module/Containers/containers-runtime')
)

$ErrorActionPreference = 'Stop'
$Runtime = (Resolve-Path $Runtime).Path
$work = Join-Path ([IO.Path]::GetTempPath()) "containers-bench-$PID"
New-Item -ItemType Directory -Path "$work/bundle/rootfs/bin" -Force | Out-Null
try {
    Copy-Item /bin/busybox "$work/bundle/rootfs/bin/busybox"
    foreach ($applet in 'sh', 'true', 'sleep') { & ln -s busybox "$work/bundle/rootfs/bin/$applet" }
    foreach ($dir in 'proc', 'sys', 'dev', 'tmp') { New-Item -ItemType Directory "$work/bundle/rootfs/$dir" | Out-Null }
    & $Runtime spec --bundle "$work/bundle"
    $config = Get-Content "$work/bundle/config.json" -Raw | ConvertFrom-Json
    $config.process.terminal = $false
    $config.process.args = @('/bin/true')
    # Debian 12's crun 1.8.1 refuses ociVersion 1.2.0 ("unknown version specified"); all three accept 1.0.2
    $config.ociVersion = '1.0.2'
    $config | ConvertTo-Json -Depth 32 | Set-Content "$work/bundle/config.json"
    New-Item -ItemType File "$work/empty" | Out-Null

    $runtimes = [ordered]@{ 'containers-runtime' = $Runtime; 'crun' = (Get-Command crun).Source; 'runc' = (Get-Command runc).Source }
    $script = @"
set -e
mount --bind '$work/empty' /sys/fs/cgroup/unified/cgroup.controllers
cd '$work'
hyperfine -N --warmup 3 --runs $Runs --export-json '$work/sequential.json' \
$(($runtimes.GetEnumerator() | ForEach-Object { "  -n '$($_.Key)' '$($_.Value) --root $work/root-$($_.Key) run --bundle $work/bundle seq-$($_.Key)'" }) -join " \`n")
for rt in $(($runtimes.GetEnumerator() | ForEach-Object { "'$($_.Key)=$($_.Value)'" }) -join ' '); do
  name=`${rt%%=*}; bin=`${rt#*=}
  /usr/bin/time -f "`$name %M" -a -o '$work/rss.txt' "`$bin" --root "$work/root-`$name" run --bundle '$work/bundle' rss-`$name
  start=`$(date +%s%N)
  for i in `$(seq $Concurrent); do "`$bin" --root "$work/root-`$name" run -d --bundle '$work/bundle' c-`$i >/dev/null 2>&1 & done; wait
  for i in `$(seq $Concurrent); do "`$bin" --root "$work/root-`$name" delete -f c-`$i >/dev/null 2>&1 & done; wait
  echo "`$name `$(( (`$(date +%s%N) - start) / 1000000 ))" >> '$work/concurrent.txt'
done
"@
    Set-Content "$work/bench.sh" $script
    & unshare -m bash "$work/bench.sh"
    if ($LASTEXITCODE -ne 0) { throw "benchmark script failed with exit code $LASTEXITCODE" }

    $results = (Get-Content "$work/sequential.json" -Raw | ConvertFrom-Json).results
    $ours = ($results | Where-Object command -EQ 'containers-runtime').median
    Write-Host ''
    Write-Host "run of busybox /bin/true, median (and min) of $Runs (lower is better; the min is the least disturbed by other load):"
    $oursMin = ($results | Where-Object command -EQ 'containers-runtime').min
    foreach ($r in $results) {
        '{0,-20} {1,8:N1} ms   ours/this = {2:N2}   (min {3,6:N1} ms, ours/this = {4:N2})' -f $r.command, ($r.median * 1000), ($ours / $r.median), ($r.min * 1000), ($oursMin / $r.min) | Write-Host
    }
    $rss = Get-Content "$work/rss.txt" | ForEach-Object { $n, $kb = -split $_; [pscustomobject]@{ Name = $n; Kb = [int] $kb } }
    $oursRss = ($rss | Where-Object Name -EQ 'containers-runtime').Kb
    Write-Host ''
    Write-Host 'peak RSS of the CLI during `run` (GNU time %M):'
    foreach ($r in $rss) { '{0,-20} {1,8:N1} MiB   ours/this = {2:N2}' -f $r.Name, ($r.Kb / 1024), ($oursRss / $r.Kb) | Write-Host }
    $conc = Get-Content "$work/concurrent.txt" | ForEach-Object { $n, $ms = -split $_; [pscustomobject]@{ Name = $n; Ms = [int] $ms } }
    $oursConc = ($conc | Where-Object Name -EQ 'containers-runtime').Ms
    Write-Host ''
    Write-Host "$Concurrent concurrent run -d, then $Concurrent concurrent delete -f (wall time):"
    foreach ($c in $conc) { '{0,-20} {1,8} ms   ours/this = {2:N2}' -f $c.Name, $c.Ms, ($oursConc / $c.Ms) | Write-Host }
} finally {
    foreach ($root in Get-ChildItem $work -Filter 'root-*' -Directory -ErrorAction Ignore) {
        $bin = switch -Wildcard ($root.Name) { '*containers-runtime' { $Runtime } '*crun' { 'crun' } default { 'runc' } }
        foreach ($c in Get-ChildItem $root.FullName -Directory -ErrorAction Ignore) {
            & unshare -m bash -c "mount --bind '$work/empty' /sys/fs/cgroup/unified/cgroup.controllers; $bin --root '$($root.FullName)' delete -f '$($c.Name)'" 2>$null
        }
    }
    Remove-Item $work -Recurse -Force -ErrorAction Ignore
}
