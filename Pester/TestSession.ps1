# Dot-sourced by every *.Tests.ps1 in BeforeAll: its own data and run roots (never the defaults), the
# module imported from the repository root, and a busybox rootfs. Clear-TestSession undoes it all.

$script:RepoRoot = Split-Path $PSScriptRoot -Parent

function Initialize-TestSession {
    # Short paths: the shim's unix socket lives under the run root (108-byte limit).
    $root = Join-Path '/tmp' ('cps-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
    New-Item -ItemType Directory -Path "$root/d", "$root/r" -Force | Out-Null
    $script:SavedEnvironment = @{
        CONTAINERS_PS_DATA_ROOT = $env:CONTAINERS_PS_DATA_ROOT
        CONTAINERS_PS_RUN_ROOT  = $env:CONTAINERS_PS_RUN_ROOT
    }
    $env:CONTAINERS_PS_DATA_ROOT = "$root/d"
    $env:CONTAINERS_PS_RUN_ROOT = "$root/r"
    Import-Module (Join-Path $script:RepoRoot 'Containers.psd1') -Force -ErrorAction Stop

    # A busybox rootfs made by hand (not by the helper under test): busybox plus applet links.
    $rootfs = "$root/rootfs"
    New-Item -ItemType Directory -Path "$rootfs/bin", "$rootfs/etc", "$rootfs/proc", "$rootfs/sys", "$rootfs/dev", "$rootfs/tmp", "$rootfs/root" -Force | Out-Null
    Copy-Item /bin/busybox "$rootfs/bin/busybox"
    foreach ($applet in 'sh', 'ls', 'cat', 'echo', 'sleep', 'hostname', 'ps', 'id', 'env', 'pwd', 'touch', 'wc', 'yes',
        'head', 'tail', 'true', 'false', 'kill', 'seq', 'mkdir', 'rm', 'dd', 'grep', 'test', 'printf') {
        New-Item -ItemType SymbolicLink -Path "$rootfs/bin/$applet" -Target busybox | Out-Null
    }
    Set-Content "$rootfs/etc/passwd" "root:x:0:0:root:/root:/bin/sh`nnobody:x:65534:65534:nobody:/nonexistent:/bin/false"
    Set-Content "$rootfs/etc/group" "root:x:0:`nnogroup:x:65534:"
    [pscustomobject]@{ Root = $root; Rootfs = $rootfs }
}

function Clear-TestSession([object] $Session) {
    # Removes every container of the session, then checks that nothing is left behind — no mount, no
    # process, no cgroup, no file — and fails (throws: the AfterAll fails) after cleaning up what was.
    $problems = [System.Collections.Generic.List[string]]::new()
    $ids = [System.Collections.Generic.HashSet[string]]::new()
    if (Get-Command Get-Container -Module Containers -ErrorAction Ignore) {
        $containers = @(Get-Container -ErrorAction SilentlyContinue -ErrorVariable listErrors)
        foreach ($e in $listErrors) { $problems.Add("Get-Container: $e") }
        foreach ($c in $containers) { $null = $ids.Add($c.Id) }
        $containers | Remove-Container -Force -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable removeErrors
        foreach ($e in $removeErrors) { $problems.Add("Remove-Container: $e") }
    }
    if ($Session) {
        Get-ChildItem (Join-Path $Session.Root 'd/containers') -Directory -ErrorAction Ignore | ForEach-Object { $null = $ids.Add($_.Name) }
        foreach ($leak in @(Get-TestSessionLeak $Session.Root $ids)) { $problems.Add($leak) }
        if (Test-Path $Session.Root) {
            Remove-Item $Session.Root -Recurse -Force -ErrorAction SilentlyContinue
            if (Test-Path $Session.Root) {
                $left = @(Get-ChildItem $Session.Root -Recurse -Force -Name -ErrorAction Ignore | Select-Object -First 10)
                $problems.Add("files left in $($Session.Root): $($left -join ', ')")
            }
        }
    }
    if ($script:SavedEnvironment) {
        $env:CONTAINERS_PS_DATA_ROOT = $script:SavedEnvironment.CONTAINERS_PS_DATA_ROOT
        $env:CONTAINERS_PS_RUN_ROOT = $script:SavedEnvironment.CONTAINERS_PS_RUN_ROOT
    }
    if ($problems.Count -gt 0) {
        throw "the test session left things behind (now cleaned up where possible):`n  " + ($problems -join "`n  ")
    }
}

function Get-TestSessionLeak([string] $Root, [System.Collections.Generic.HashSet[string]] $Ids) {
    # Mounts under the root (deepest first, unmounted lazily by path), processes that name the root on
    # their command line (shims), and runtime cgroups (containers-ps/ID under our own cgroup per
    # controller) of the session's containers, with their processes killed. Outputs one line per leak.
    $prefix = $Root.TrimEnd('/') + '/'
    $mounts = @(Get-Content /proc/self/mountinfo | ForEach-Object {
            ((($_ -split ' ')[4]) -replace '\\040', ' ' -replace '\\011', "`t" -replace '\\012', "`n" -replace '\\134', '\')
        } | Where-Object { $_.StartsWith($prefix, [StringComparison]::Ordinal) } | Sort-Object Length -Descending)
    foreach ($mount in $mounts) {
        "mount $mount"
        & umount -l -- $mount 2>$null
    }
    foreach ($proc in Get-ChildItem /proc -Directory -ErrorAction Ignore | Where-Object Name -Match '^\d+$') {
        if ([int] $proc.Name -eq $PID) { continue }
        $commandLine = try { [IO.File]::ReadAllText("$($proc.FullName)/cmdline") -replace "`0", ' ' } catch { '' }
        if ($commandLine.Contains($prefix)) {
            "process $($proc.Name): $commandLine"
            Stop-Process -Id ([int] $proc.Name) -Force -ErrorAction SilentlyContinue
        }
    }
    foreach ($line in Get-Content /proc/self/cgroup) {
        $parts = $line -split ':', 3
        $base = if ($parts[1] -ne '') { '/sys/fs/cgroup/' + ($parts[1] -replace '^name=', '') }
        elseif (Test-Path /sys/fs/cgroup/cgroup.controllers) { '/sys/fs/cgroup' } else { '/sys/fs/cgroup/unified' }
        if (-not (Test-Path "$base/cgroup.procs")) { continue }
        foreach ($id in $Ids) {
            $dir = "$base$($parts[2].TrimEnd('/'))/containers-ps/$id"
            if (-not (Test-Path $dir)) { continue }
            "cgroup $dir"
            foreach ($procId in @(Get-Content "$dir/cgroup.procs" -ErrorAction Ignore)) { Stop-Process -Id ([int] $procId) -Force -ErrorAction SilentlyContinue }
            if (Test-Path "$dir/freezer.state") { Set-Content "$dir/freezer.state" THAWED -ErrorAction Ignore }
            for ($i = 0; $i -lt 50 -and (Test-Path $dir); $i++) {
                $dirs = @(Get-ChildItem $dir -Directory -Recurse -ErrorAction Ignore | Sort-Object { $_.FullName.Length } -Descending) + @(Get-Item $dir)
                try { foreach ($d in $dirs) { [IO.Directory]::Delete($d.FullName) } } catch { Start-Sleep -Milliseconds 20 }
            }
        }
    }
}

function New-TestName([string] $Prefix = 't') { "$Prefix-" + [guid]::NewGuid().ToString('n').Substring(0, 8) }

function Invoke-ChildPwsh([string] $Command, [string[]] $InputLines) {
    # A new pwsh process (same binary as this one), inheriting the environment: the test roots.
    $exe = [Environment]::ProcessPath
    $arguments = @('-NoProfile', '-NonInteractive', '-Command', $Command)
    if ((Split-Path $exe -Leaf) -like 'dotnet*') { $arguments = @(Join-Path $PSHOME 'pwsh.dll') + $arguments }
    $output = if ($InputLines) { $InputLines | & $exe @arguments 2>&1 } else { & $exe @arguments 2>&1 }
    [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = @($output | ForEach-Object { "$_" }) }
}
