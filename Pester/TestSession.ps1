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
    if (Get-Command Get-Container -Module Containers -ErrorAction Ignore) {
        Get-Container -ErrorAction SilentlyContinue | Remove-Container -Force -Confirm:$false -ErrorAction SilentlyContinue
    }
    if ($Session -and (Test-Path $Session.Root)) {
        Remove-Item $Session.Root -Recurse -Force -ErrorAction SilentlyContinue
    }
    if ($script:SavedEnvironment) {
        $env:CONTAINERS_PS_DATA_ROOT = $script:SavedEnvironment.CONTAINERS_PS_DATA_ROOT
        $env:CONTAINERS_PS_RUN_ROOT = $script:SavedEnvironment.CONTAINERS_PS_RUN_ROOT
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
