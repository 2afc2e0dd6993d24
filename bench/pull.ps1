#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Image pull and unpack benchmark: Containers.Image's pull next to `skopeo copy` and `podman pull`, from one
    local docker-registry on 127.0.0.1, and our layer unpack next to `tar -x`; prints medians and ratios.

.DESCRIPTION
    The image is made with GNU tar and umoci: one layer per directory in -Layers (host directories, real
    files), pushed to the registry with skopeo. Every tool pulls into a fresh, empty destination each run.
    podman pull also unpacks (vfs driver); skopeo and Containers.Image only store the blobs.
    Needs: docker-registry, skopeo, umoci, podman (build.ps1 Bootstrap installs them).
#>
param(
    [int] $Runs = 3,
    [string[]] $Layers = @('/usr/lib/python3.11', '/usr/share/doc', '/usr/share/locale', '/usr/share/perl'),
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
$repo = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
$work = Join-Path ([IO.Path]::GetTempPath()) "containers-pull-bench-$PID"
New-Item -ItemType Directory -Path $work -Force | Out-Null
$registry = $null
try {
    # The library and its dependencies, loaded into this pwsh (same .NET).
    & dotnet publish "$repo/src/Containers.Image" -c $Configuration -o "$work/lib" --nologo -v quiet | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "dotnet publish of Containers.Image failed ($LASTEXITCODE)" }
    foreach ($dll in 'Tmds.LibC', 'ZstdSharp', 'Containers.Interop', 'Containers.Image') {
        # RID-specific packages (Tmds.LibC) land under runtimes/linux-x64/.
        $file = Get-ChildItem -Path "$work/lib" -Recurse -Filter "$dll.dll" | Where-Object { $_.FullName -notmatch '/runtimes/(?!linux-x64/)' } | Select-Object -First 1
        if (-not $file) { throw "$dll.dll is not in the published output $work/lib" }
        Add-Type -Path $file.FullName
    }

    # A registry of our own on a free port.
    $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
    $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
    @"
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $work/registry
http:
  addr: 127.0.0.1:$port
"@ | Set-Content "$work/registry.yml"
    $registry = Start-Process /usr/bin/docker-registry -ArgumentList 'serve', "$work/registry.yml" -PassThru `
        -RedirectStandardOutput "$work/registry.out" -RedirectStandardError "$work/registry.err"
    $deadline = [DateTime]::UtcNow.AddSeconds(15)
    while ($true) {
        try { $c = [Net.Sockets.TcpClient]::new('127.0.0.1', $port); $c.Dispose(); break }
        catch { if ([DateTime]::UtcNow -gt $deadline) { throw "docker-registry did not listen on port $port" }; Start-Sleep -Milliseconds 50 }
    }

    # The image: one layer per directory, tarred by GNU tar and added by umoci (umoci 0.4.7's own `insert`
    # writes tars without their final padding, which GNU tar refuses).
    $layout = "$work/layout"
    & umoci init --layout $layout
    & umoci new --image "${layout}:bench"
    foreach ($dir in $Layers) {
        if (-not (Test-Path $dir)) { continue }
        & tar -cf "$work/layer.tar" -C / $dir.TrimStart('/') 2>$null
        & umoci raw add-layer --image "${layout}:bench" "$work/layer.tar"
        if ($LASTEXITCODE -ne 0) { throw "umoci raw add-layer of $dir failed" }
        Remove-Item "$work/layer.tar"
    }
    $ref = "127.0.0.1:$port/bench/image:v1"
    & skopeo copy --quiet --dest-tls-verify=false "oci:${layout}:bench" "docker://$ref"
    if ($LASTEXITCODE -ne 0) { throw "skopeo copy into the registry failed" }
    $manifest = & skopeo inspect --raw --tls-verify=false "docker://$ref" | ConvertFrom-Json
    $compressed = ($manifest.layers | Measure-Object -Property size -Sum).Sum
    "Image: {0} layers, {1:N1} MB compressed ({2})" -f $manifest.layers.Count, ($compressed / 1MB), ($Layers -join ', ')

    function Measure-Median([scriptblock] $Block) {
        $times = foreach ($i in 1..$Runs) {
            $watch = [Diagnostics.Stopwatch]::StartNew(); & $Block $i; $watch.Stop(); $watch.Elapsed.TotalSeconds
        }
        ($times | Sort-Object)[[int][Math]::Floor(($times.Count - 1) / 2)]
    }

    $reference = [Containers.Image.ImageReference]::Parse($ref)
    $ours = Measure-Median {
        param($i)
        $store = [Containers.Image.ImageStore]::new("$work/ours-$i")
        $client = [Containers.Image.RegistryClient]::new($null, $null)
        try { [Containers.Image.ImagePuller]::new($client, $store).PullAsync($reference, $null, [Threading.CancellationToken]::None).GetAwaiter().GetResult() | Out-Null }
        finally { $client.Dispose() }
    }
    $skopeo = Measure-Median {
        param($i)
        & skopeo copy --quiet --src-tls-verify=false "docker://$ref" "dir:$work/skopeo-$i"
        if ($LASTEXITCODE -ne 0) { throw 'skopeo copy failed' }
    }
    $podman = Measure-Median {
        param($i)
        & podman --root "$work/podman-$i" --runroot "$work/podman-run-$i" --storage-driver vfs pull --quiet --tls-verify=false "docker://$ref" | Out-Null
        if ($LASTEXITCODE -ne 0) { throw 'podman pull failed' }
    }

    # Unpack: every layer of the pulled image, ours (safe, openat2 per path) against GNU tar.
    $store = [Containers.Image.ImageStore]::new("$work/ours-1")
    $image = $store.Get($ref)
    $layerDescriptors = $store.ReadManifest($image.ManifestDigest).Layers
    $unpackOurs = Measure-Median {
        param($i)
        $n = 0
        foreach ($layer in $layerDescriptors) {
            [Containers.Image.LayerUnpacker]::Unpack($store.Blobs, $layer, "$work/unpack-ours-$i/$n", $null, $null) | Out-Null; $n++
        }
    }
    $unpackTar = Measure-Median {
        param($i)
        $n = 0
        foreach ($layer in $layerDescriptors) {
            New-Item -ItemType Directory "$work/unpack-tar-$i/$n" -Force | Out-Null
            & tar -xzf $store.Blobs.PathOf($layer.ParsedDigest) -C "$work/unpack-tar-$i/$n" --same-owner -p; $n++
            if ($LASTEXITCODE -ne 0) { throw 'tar -x failed' }
        }
    }

    $mb = $compressed / 1MB
    ''
    '{0,-28} {1,9} {2,10} {3,8}' -f 'operation', 'median s', 'MB/s', 'vs ours'
    foreach ($row in @(
            @('pull: Containers.Image', $ours, $ours), @('pull: skopeo copy (dir:)', $skopeo, $ours), @('pull: podman pull (vfs)', $podman, $ours),
            @('unpack: Containers.Image', $unpackOurs, $unpackOurs), @('unpack: tar -xz', $unpackTar, $unpackOurs))) {
        '{0,-28} {1,9:N2} {2,10:N1} {3,8:N2}' -f $row[0], $row[1], ($mb / $row[1]), ($row[1] / $row[2])
    }
    '(vs ours > 1: that tool took longer than ours)'
}
finally {
    if ($registry -and -not $registry.HasExited) { Stop-Process -Id $registry.Id }
    & rm -rf --one-file-system $work
}
