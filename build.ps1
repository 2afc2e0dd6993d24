#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds, tests and benchmarks Containers.

.DESCRIPTION
    Tasks (several may be given; they run in the order given):
      Bootstrap  installs what a fresh Debian machine lacks: apt packages the tests and benchmarks
                 use, and Pester (a NuGet PackageDownload into artifacts/tools). Quiet when there
                 is nothing to do.
      Build      (default) builds everything and lays out the module folder
                 artifacts/module/Containers: manifest, assemblies, formats and the NativeAOT
                 containers-runtime executable. Afterwards Import-Module ./Containers.psd1 works.
      Test       Bootstrap + Build, then every xunit project and every Pester test. The last line
                 printed is "N passed, N failed, N skipped"; the exit code is non-zero on any failure.
      Demo       Bootstrap + Build, then runs a first container from a busybox rootfs.
      Bench      Build, then runs the benchmarks in bench/ (they print figures and ratios).
      Clean      removes artifacts/.

.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 Test
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Bootstrap', 'Build', 'Test', 'Demo', 'Bench', 'Clean')]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Runs only the xunit projects and Pester files whose names match (for a quick local loop).
    [string] $Filter = '*'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$Root = $PSScriptRoot
$Artifacts = Join-Path $Root 'artifacts'
$ModuleDir = Join-Path $Artifacts 'module/Containers'
$ToolsDir = Join-Path $Artifacts 'tools'
$ResultsDir = Join-Path $Artifacts 'test-results'
$PesterVersion = '5.7.1'
$AptPackages = @(
    'busybox-static'    # a container rootfs in one binary
    'runc', 'crun'      # reference runtimes: side-by-side benchmarks
    'podman', 'containerd', 'uidmap' # real clients of our OCI runtime
    'docker-registry'   # a real OCI registry, served on 127.0.0.1 by the tests
    'skopeo', 'umoci', 'zstd' # real image tools to cross-check ours
    'iproute2'          # ip, to observe network namespaces
    'hyperfine', 'time' # benchmarks
)

$env:DOTNET_NOLOGO = '1'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'

function Invoke-Native {
    # Runs a native command; throws with the command line when it fails. ($args, not parameters:
    # native flags such as -p:Name=Value must reach the command untouched.)
    $command = $args[0]
    $arguments = @($args | Select-Object -Skip 1)
    & $command @arguments
    if ($LASTEXITCODE -ne 0) { throw "'$command $($arguments -join ' ')' failed with exit code $LASTEXITCODE" }
}

function Invoke-Bootstrap {
    $missing = @($AptPackages | Where-Object {
        $status = & dpkg-query -W -f '${Status}' $_ 2>$null
        $status -ne 'install ok installed'
    })
    if ($missing.Count -gt 0) {
        Write-Host "Installing apt packages: $($missing -join ' ')"
        $env:DEBIAN_FRONTEND = 'noninteractive'
        Invoke-Native apt-get update -qq
        Invoke-Native apt-get install -y -qq --no-install-recommends @missing | Out-Null
    }
    if (-not (Test-Path (Get-PesterManifest))) {
        Write-Host "Downloading Pester $PesterVersion"
        Invoke-Native dotnet restore (Join-Path $Root 'Pester/Pester.Download.proj') --packages $ToolsDir `
            "-p:PesterVersion=$PesterVersion" --verbosity quiet | Out-Null
    }
}

function Get-PesterManifest { Join-Path $ToolsDir "pester/$PesterVersion/tools/Pester.psd1" }

function Invoke-Build {
    $publish = Join-Path $Artifacts 'publish'
    Invoke-Native dotnet publish (Join-Path $Root 'src/containers-runtime') -c $Configuration -r linux-x64 `
        -o (Join-Path $publish 'containers-runtime') --nologo -v quiet '-clp:ErrorsOnly'
    Invoke-Native dotnet publish (Join-Path $Root 'src/Containers.PowerShell') -c $Configuration -r linux-x64 `
        --self-contained false -o (Join-Path $publish 'Containers.PowerShell') --nologo -v quiet '-clp:ErrorsOnly'

    # One module folder: the manifest (paths made local), the assemblies, formats and the runtime.
    if (Test-Path $ModuleDir) { Remove-Item $ModuleDir -Recurse -Force }
    New-Item -ItemType Directory -Path $ModuleDir -Force | Out-Null
    Get-ChildItem (Join-Path $publish 'Containers.PowerShell') -File |
        Where-Object Extension -NotIn '.pdb', '.json' | Copy-Item -Destination $ModuleDir
    Copy-Item (Join-Path $publish 'containers-runtime/containers-runtime') -Destination $ModuleDir
    Copy-Item (Join-Path $Root 'module/*') -Destination $ModuleDir -Recurse
    (Get-Content (Join-Path $Root 'Containers.psd1') -Raw).
        Replace("'artifacts/module/Containers/", "'").
        Replace("'module/", "'") | Set-Content (Join-Path $ModuleDir 'Containers.psd1') -NoNewline
}

function Read-TrxCounts([string] $Path) {
    [xml] $trx = Get-Content $Path -Raw
    $c = $trx.TestRun.ResultSummary.Counters
    [pscustomobject]@{
        Passed  = [int] $c.passed
        Failed  = [int] $c.failed + [int] $c.error + [int] $c.timeout + [int] $c.aborted
        Skipped = [int] $c.notExecuted
    }
}

function Invoke-XunitTests {
    $totals = [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0 }
    $projects = Get-ChildItem (Join-Path $Root 'tests') -Filter '*.csproj' -Recurse | Where-Object BaseName -Like $Filter
    foreach ($project in $projects) {
        $trx = "$($project.BaseName).trx"
        $trxPath = Join-Path $ResultsDir $trx
        Remove-Item $trxPath -ErrorAction Ignore
        Write-Host "== xunit: $($project.BaseName)"
        & dotnet test $project.FullName -c $Configuration --nologo -v quiet `
            --logger "trx;LogFileName=$trx" --logger 'console;verbosity=minimal' --results-directory $ResultsDir | Out-Host
        if (Test-Path $trxPath) {
            $counts = Read-TrxCounts $trxPath
        } else {
            # No results at all: the build failed or the test host died. Count it, never hide it.
            Write-Host "!! $($project.BaseName) produced no results (exit code $LASTEXITCODE)"
            $counts = [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 }
        }
        Write-Host "   $($project.BaseName): $($counts.Passed) passed, $($counts.Failed) failed, $($counts.Skipped) skipped"
        $totals.Passed += $counts.Passed; $totals.Failed += $counts.Failed; $totals.Skipped += $counts.Skipped
    }
    $totals
}

function Invoke-PesterTests {
    $resultFile = Join-Path $ResultsDir 'pester.json'
    Remove-Item $resultFile -ErrorAction Ignore
    $pesterFiles = @(Get-ChildItem (Join-Path $Root 'Pester') -Filter '*.Tests.ps1' -Recurse | Where-Object Name -Like "$Filter*")
    if ($pesterFiles.Count -eq 0) { return [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0 } }
    Write-Host '== Pester'
    # A child pwsh: the tests import the built module, and nothing they load stays in this session.
    $script = @'
param($PesterManifest, $ResultFile, [string[]] $Paths)
Import-Module $PesterManifest
$config = New-PesterConfiguration
$config.Run.Path = @($Paths -split ',')
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Normal'
$run = Invoke-Pester -Configuration $config
@{ Passed = $run.PassedCount; Failed = $run.FailedCount + $run.FailedBlocksCount + $run.FailedContainersCount; Skipped = $run.SkippedCount } |
    ConvertTo-Json | Set-Content $ResultFile
'@
    $scriptFile = Join-Path $ResultsDir 'run-pester.ps1'
    Set-Content $scriptFile $script
    & dotnet pwsh -NoProfile -NonInteractive -File $scriptFile (Get-PesterManifest) $resultFile ($pesterFiles.FullName -join ',') | Out-Host
    if (Test-Path $resultFile) {
        Get-Content $resultFile -Raw | ConvertFrom-Json
    } else {
        Write-Host "!! Pester produced no results (exit code $LASTEXITCODE)"
        [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 }
    }
}

function Invoke-Test {
    New-Item -ItemType Directory -Path $ResultsDir -Force | Out-Null
    $x = Invoke-XunitTests
    $p = Invoke-PesterTests
    $passed = $x.Passed + $p.Passed
    $failed = $x.Failed + $p.Failed
    $skipped = $x.Skipped + $p.Skipped
    Write-Host "xunit: $($x.Passed) passed, $($x.Failed) failed, $($x.Skipped) skipped; Pester: $($p.Passed) passed, $($p.Failed) failed, $($p.Skipped) skipped"
    $line = "$passed passed, $failed failed"
    if ($skipped -gt 0) { $line += ", $skipped skipped" }
    Write-Host $line
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Demo {
    # A first container, driven through the module as a user would: in a child pwsh, so the
    # module loads fresh from the build.
    $demo = @'
param($Root)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $Root 'Containers.psd1')
$rootfs = Join-Path $Root 'artifacts/demo/busybox-rootfs'
if (-not (Test-Path (Join-Path $rootfs 'bin/busybox'))) {
    New-Item -ItemType Directory -Path (Join-Path $rootfs 'bin') -Force | Out-Null
    Copy-Item /bin/busybox (Join-Path $rootfs 'bin/busybox')
    foreach ($applet in & /bin/busybox --list) {
        if ($applet -ne 'busybox') { New-Item -ItemType SymbolicLink -Path (Join-Path $rootfs "bin/$applet") -Target busybox | Out-Null }
    }
    foreach ($dir in 'proc', 'sys', 'dev', 'tmp', 'etc', 'root') { New-Item -ItemType Directory -Path (Join-Path $rootfs $dir) -Force | Out-Null }
}
Get-Container -Name 'demo-*' | Remove-Container -Force
Write-Host '> New-Container -Rootfs $rootfs -Command sh, -c, ... | Start-Container -Wait'
$hello = New-Container -Name demo-hello -Rootfs $rootfs -Command sh, -c, 'echo "hello from $(hostname), I am PID $$ in my own namespaces"' |
    Start-Container -Wait
Get-ContainerLog $hello.Id | ForEach-Object Line
Write-Host "exit code: $($hello.ExitCode)"
Write-Host '> New-Container -Name demo-busy ... | Start-Container; Get-ContainerStats -NoStream'
$busy = New-Container -Name demo-busy -Rootfs $rootfs -Command sh, -c, 'while true; do :; done' -Memory 64MB -Cpus 0.5 | Start-Container
Start-Sleep -Seconds 2
Get-Container | Format-Table | Out-String -Width 160 | Write-Host
$busy | Get-ContainerStats -NoStream | Format-Table | Out-String -Width 160 | Write-Host
Get-Container -Name 'demo-*' | Remove-Container -Force
'@
    $demoFile = Join-Path $Artifacts 'demo/first-container.ps1'
    New-Item -ItemType Directory -Path (Split-Path $demoFile) -Force | Out-Null
    Set-Content $demoFile $demo
    Invoke-Native dotnet pwsh -NoProfile -NonInteractive -File $demoFile $Root
}

function Invoke-Bench {
    foreach ($bench in Get-ChildItem (Join-Path $Root 'bench') -Filter '*.ps1' | Where-Object Name -Like "$Filter*") {
        Write-Host "== bench: $($bench.Name)"
        Invoke-Native dotnet pwsh -NoProfile -NonInteractive -File $bench.FullName
    }
}

Push-Location $Root
try {
    foreach ($t in $Task) {
        switch ($t) {
            'Bootstrap' { Invoke-Bootstrap }
            'Build' { Invoke-Build }
            'Test' { Invoke-Bootstrap; Invoke-Build; Invoke-Test }
            'Demo' { Invoke-Bootstrap; Invoke-Build; Invoke-Demo }
            'Bench' { Invoke-Bootstrap; Invoke-Build; Invoke-Bench }
            'Clean' { if (Test-Path $Artifacts) { Remove-Item $Artifacts -Recurse -Force } }
        }
    }
} finally {
    Pop-Location
}
