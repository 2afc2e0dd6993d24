# Helpers for infrastructure tests that run real containers (Pester or plain scripts).
# Nested in the Containers module: they call its cmdlets by module-qualified name.

Set-StrictMode -Version 3.0

# Ids of the containers Use-TestContainer made and Remove-TestContainer has not removed yet.
$script:TestContainers = [System.Collections.Generic.List[string]]::new()

function New-BusyboxRootfs {
    <#
    .SYNOPSIS
        Makes a minimal rootfs directory from a static busybox: /bin/busybox plus one symlink per applet.
    .DESCRIPTION
        Copies a static busybox (Debian's busybox-static installs /bin/busybox) into <Path>/bin and links
        every applet it lists (sh, ls, cat, echo, sleep, ps, id, env, ...), and writes a small /etc
        (passwd, group, hosts) so user names resolve. Outputs the rootfs directory.
    .EXAMPLE
        $rootfs = New-BusyboxRootfs -Path (Join-Path $TestDrive rootfs)
        New-Container -Rootfs $rootfs -Command echo, hello | Start-Container -Wait
    #>
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType([System.IO.DirectoryInfo])]
    param(
        [Parameter(Mandatory, Position = 0)]
        [string] $Path,

        # A static busybox binary.
        [string] $Busybox = '/bin/busybox',

        # The applets to link; all that busybox lists by default.
        [string[]] $Applet
    )
    $Path = $PSCmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
    if (-not (Test-Path -LiteralPath $Busybox -PathType Leaf)) {
        $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
            [System.IO.FileNotFoundException]::new("'$Busybox' does not exist: install busybox-static (apt-get install busybox-static)."),
            'BusyboxNotFound', 'ObjectNotFound', $Busybox))
    }
    if (-not $PSCmdlet.ShouldProcess($Path, 'Create busybox rootfs')) { return }
    if (-not $Applet) { $Applet = @(& $Busybox --list) }
    foreach ($dir in 'bin', 'etc', 'proc', 'sys', 'dev', 'tmp', 'root', 'var', 'run') {
        $null = New-Item -ItemType Directory -Path (Join-Path $Path $dir) -Force
    }
    Copy-Item -LiteralPath $Busybox -Destination (Join-Path $Path 'bin/busybox') -Force
    foreach ($name in $Applet) {
        if ($name -eq 'busybox') { continue }
        $link = Join-Path $Path "bin/$name"
        if (-not (Test-Path -LiteralPath $link)) {
            $null = New-Item -ItemType SymbolicLink -Path $link -Target 'busybox'
        }
    }
    Set-Content -LiteralPath (Join-Path $Path 'etc/passwd') -Value "root:x:0:0:root:/root:/bin/sh`nnobody:x:65534:65534:nobody:/nonexistent:/bin/false"
    Set-Content -LiteralPath (Join-Path $Path 'etc/group') -Value "root:x:0:`nnogroup:x:65534:"
    Set-Content -LiteralPath (Join-Path $Path 'etc/hosts') -Value '127.0.0.1 localhost'
    Get-Item -LiteralPath $Path
}

function Use-TestContainer {
    <#
    .SYNOPSIS
        Creates and starts a container for a test, and registers it so Remove-TestContainer removes it.
    .DESCRIPTION
        Call it in BeforeAll and call Remove-TestContainer in AfterAll: Pester runs AfterAll even when
        BeforeAll or a test fails, so the container never outlives the Describe block. With
        -ScriptBlock, runs the block with the started container as its argument and removes the
        container afterwards, even when the block throws.
        A failure to create or start is a terminating error; nothing is left behind.
    .EXAMPLE
        BeforeAll { $web = Use-TestContainer -Rootfs $rootfs -Command sleep, 600 }
        AfterAll { Remove-TestContainer }
    .EXAMPLE
        Use-TestContainer -Rootfs $rootfs -ScriptBlock { param($c) Invoke-ContainerCommand -InputObject $c hostname }
    #>
    [CmdletBinding()]
    [OutputType('Containers.PowerShell.Container')]
    param(
        [Parameter(Mandatory)]
        [string] $Rootfs,

        # The container's command; by default it sleeps for an hour.
        [string[]] $Command = @('sleep', '3600'),

        # Defaults to a unique 'pester-xxxxxxxx'.
        [string] $Name = ('pester-' + [guid]::NewGuid().ToString('n').Substring(0, 8)),

        # More New-Container parameters, splatted: @{ Memory = 64MB; Environment = @{ A = '1' } }.
        [hashtable] $Parameters = @{},

        # Runs with the container as its only argument; the container is removed afterwards.
        [scriptblock] $ScriptBlock
    )
    $container = Containers\New-Container -Rootfs $Rootfs -Command $Command -Name $Name @Parameters -ErrorAction Stop -Confirm:$false -WhatIf:$false
    $script:TestContainers.Add($container.Id)
    try {
        $started = $container | Containers\Start-Container -ErrorAction Stop -Confirm:$false -WhatIf:$false
    } catch {
        Remove-TestContainer -Id $container.Id
        throw
    }
    if (-not $ScriptBlock) { return $started }
    try {
        & $ScriptBlock $started
    } finally {
        Remove-TestContainer -Id $container.Id
    }
}

function Remove-TestContainer {
    <#
    .SYNOPSIS
        Removes (stopping first) the containers Use-TestContainer made; all of them without -Id.
    .DESCRIPTION
        Safe to call in AfterAll whatever happened before: containers already gone are skipped.
    .EXAMPLE
        AfterAll { Remove-TestContainer }
    #>
    [CmdletBinding()]
    param(
        [Parameter(ValueFromPipelineByPropertyName)]
        [string[]] $Id
    )
    process {
        $ids = if ($Id) { $Id } else { @($script:TestContainers) }
        foreach ($one in $ids) {
            Containers\Remove-Container -Id $one -Force -Confirm:$false -WhatIf:$false -ErrorAction SilentlyContinue
            $null = $script:TestContainers.Remove($one)
        }
    }
}

function Get-TestContainerState([object] $Container) {
    # The current state of a container given as an object, a name or an id; $null when it is gone.
    $found = if ($Container -is [Containers.PowerShell.Container]) {
        Containers\Get-Container -Id $Container.Id -ErrorAction SilentlyContinue
    } else {
        $text = [string] $Container
        Containers\Get-Container -Name $text -ErrorAction SilentlyContinue
        if (-not $?) { Containers\Get-Container -Id $text -ErrorAction SilentlyContinue }
    }
    $found | Select-Object -First 1
}

function Assert-ContainerRunning {
    <#
    .SYNOPSIS
        Throws unless the container is running, waiting up to -TimeoutSeconds for it to get there.
    .EXAMPLE
        Assert-ContainerRunning -Container web -TimeoutSeconds 5
    .EXAMPLE
        $web | Assert-ContainerRunning
    #>
    [CmdletBinding()]
    param(
        # A Container object, a name or an id.
        [Parameter(Mandatory, Position = 0, ValueFromPipeline)]
        [object] $Container,

        [double] $TimeoutSeconds = 0
    )
    process {
        $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
        while ($true) {
            $current = Get-TestContainerState $Container
            if ($current -and $current.State -eq 'Running') { return }
            if ([DateTime]::UtcNow -ge $deadline) { break }
            Start-Sleep -Milliseconds 100
        }
        $what = if ($current) { "is $($current.State) ($($current.Status))" } else { 'does not exist' }
        $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
            [System.InvalidOperationException]::new("Expected container '$Container' to be running, but it $what."),
            'ContainerNotRunning', 'InvalidResult', $Container))
    }
}

function Test-BeRunningContainer {
    # Pester operator: $c | Should -BeRunningContainer; $name | Should -Not -BeRunningContainer.
    param($ActualValue, [switch] $Negate, [string] $Because)
    $current = Get-TestContainerState $ActualValue
    $running = [bool] $current -and $current.State -eq 'Running'
    $because = if ($Because) { " because $Because" } else { '' }
    $what = if ($current) { "it is $($current.State)" } else { 'it does not exist' }
    if ($Negate) {
        [pscustomobject]@{ Succeeded = -not $running; FailureMessage = "Expected container '$ActualValue' not to be running$because, but it is." }
    } else {
        [pscustomobject]@{ Succeeded = $running; FailureMessage = "Expected container '$ActualValue' to be running$because, but $what." }
    }
}

function Register-ContainerShouldOperator {
    <#
    .SYNOPSIS
        Adds 'Should -BeRunningContainer' to Pester. Done on import when Pester is loaded; call it
        yourself when you import Pester after this module.
    .EXAMPLE
        Register-ContainerShouldOperator; $web | Should -BeRunningContainer
    #>
    [CmdletBinding()]
    param()
    if (-not (Get-Command Add-ShouldOperator -ErrorAction Ignore)) {
        Write-Verbose 'Pester is not loaded: Should -BeRunningContainer is not registered.'
        return
    }
    try {
        Add-ShouldOperator -Name BeRunningContainer -Test ${function:Test-BeRunningContainer}
    } catch {
        # Registered already by an earlier import in this session.
        Write-Verbose "Should -BeRunningContainer: $_"
    }
}

Register-ContainerShouldOperator

Export-ModuleMember -Function New-BusyboxRootfs, Use-TestContainer, Remove-TestContainer, Assert-ContainerRunning, Register-ContainerShouldOperator
