# The module as a package: the manifest, what it exports, formats, types and help. No engine needed.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSession.ps1')
    $ExpectedCmdlets = @(
        'Get-Container', 'Get-ContainerLog', 'Get-ContainerProcess', 'Get-ContainerStats', 'Invoke-ContainerCommand',
        'New-Container', 'Remove-Container', 'Restart-Container', 'Resume-Container', 'Start-Container',
        'Stop-Container', 'Suspend-Container', 'Update-Container', 'Wait-Container',
        'Export-Container', 'Get-ContainerImage', 'Install-ContainerImage', 'Publish-ContainerImage', 'Remove-ContainerImage',
        'Import-ContainerImage', 'Export-ContainerImage', 'New-ContainerImage')
    $ExpectedFunctions = @('Assert-ContainerRunning', 'New-BusyboxRootfs', 'Register-ContainerShouldOperator', 'Remove-TestContainer', 'Use-TestContainer')
    $Module = Import-Module (Join-Path $RepoRoot 'Containers.psd1') -Force -PassThru
}

Describe 'The Containers module' {
    It 'has a valid manifest at the repository root' {
        $manifest = Test-ModuleManifest (Join-Path $RepoRoot 'Containers.psd1')
        $manifest.Name | Should -Be 'Containers'
    }

    It 'exports exactly the intended cmdlets' {
        @($Module.ExportedCmdlets.Keys | Sort-Object) | Should -Be ($ExpectedCmdlets | Sort-Object)
    }

    It 'exports exactly the intended functions' {
        @($Module.ExportedFunctions.Keys | Sort-Object) | Should -Be ($ExpectedFunctions | Sort-Object)
        @($Module.ExportedAliases.Keys) | Should -BeNullOrEmpty
    }

    It 'uses approved verbs only' {
        $approved = (Get-Verb).Verb
        foreach ($command in Get-Command -Module Containers) { $command.Verb | Should -BeIn $approved }
    }

    It 'loads the format views' {
        foreach ($type in 'Container', 'ContainerStats', 'ContainerLogRecord', 'ContainerProcess', 'ContainerCommandResult', 'ContainerImage') {
            Get-FormatData -TypeName "Containers.PowerShell.$type" | Should -Not -BeNullOrEmpty -Because "$type has a view"
        }
        (Get-FormatData -TypeName 'Containers.PowerShell.ContainerLogRecord#Timestamps') | Should -Not -BeNullOrEmpty
    }

    It 'loads the type data' {
        (Get-TypeData -TypeName Containers.PowerShell.Container).DefaultDisplayPropertySet.ReferencedProperties | Should -Contain 'Status'
    }

    It 'shows containers like docker ps' {
        $c = [Containers.PowerShell.Container]@{
            Id = '0123456789abcdef0123456789abcdef'; Name = 'web'; State = 'Running'; Command = @('sleep', '300')
            Created = (Get-Date).AddMinutes(-5); Started = (Get-Date).AddMinutes(-4)
        }
        $text = $c | Format-Table | Out-String -Width 200
        $text | Should -Match 'CONTAINER ID\s+NAME\s+COMMAND\s+CREATED\s+STATUS'
        $text | Should -Match '0123456789ab\s+web\s+"sleep 300"\s+5 minutes ago\s+Up 4 minutes'
        $text | Should -Not -Match '0123456789abc'
    }

    It 'shows exited containers with their exit code' {
        $c = [Containers.PowerShell.Container]@{ Id = 'ab'; Name = 'x'; State = 'Exited'; ExitCode = 3; Finished = (Get-Date).AddMinutes(-2) }
        $c.Status | Should -Be 'Exited (3) 2 minutes ago'
    }

    It 'shows stats like docker stats' {
        $s = [Containers.PowerShell.ContainerStats]@{ Id = '0123456789abcdef'; Name = 'web'; CpuPercent = 1.5; MemoryUsage = 1.5MB; MemoryLimit = 64MB; MemoryPercent = 2.34; PidsCurrent = 3; BlockRead = 12345 }
        $text = $s | Format-Table | Out-String -Width 200
        $text | Should -Match 'NAME\s+CPU %\s+MEM USAGE / LIMIT\s+MEM %\s+NET I/O\s+BLOCK I/O\s+PIDS'
        $text | Should -Match '1\.50%\s+1\.5MiB / 64MiB\s+2\.34%\s+0B / 0B\s+12\.35kB / 0B\s+3'
    }

    It 'shows log records as their lines' {
        $r = [Containers.PowerShell.ContainerLogRecord]@{ Line = 'hello there'; Stream = 'stdout'; Time = Get-Date }
        ($r | Out-String).Trim() | Should -Be 'hello there'
    }

    It 'has help with a synopsis, a description, parameters and examples for <_>' -ForEach @(
        'Get-Container', 'Get-ContainerLog', 'Get-ContainerProcess', 'Get-ContainerStats', 'Invoke-ContainerCommand',
        'New-Container', 'Remove-Container', 'Restart-Container', 'Resume-Container', 'Start-Container',
        'Stop-Container', 'Suspend-Container', 'Update-Container', 'Wait-Container',
        'Export-Container', 'Get-ContainerImage', 'Install-ContainerImage', 'Publish-ContainerImage', 'Remove-ContainerImage',
        'Import-ContainerImage', 'Export-ContainerImage', 'New-ContainerImage') {
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -BeLike "*$_ *[[]*"   # not the generated syntax line
        $help.description | Should -Not -BeNullOrEmpty
        @($help.examples.example).Count | Should -BeGreaterOrEqual 1
        (Get-Help $_ -Examples | Out-String) | Should -Match 'Example 1'
        foreach ($p in @($help.parameters.parameter)) {
            if ($p.name -in 'WhatIf', 'Confirm') { continue }
            ($p.description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$($p.name) of $_ is documented"
        }
    }

    It 'has help for the Pester helper <_>' -ForEach @('New-BusyboxRootfs', 'Use-TestContainer', 'Remove-TestContainer', 'Assert-ContainerRunning', 'Register-ContainerShouldOperator') {
        $help = Get-Help $_
        $help.Synopsis | Should -Not -BeNullOrEmpty
        @($help.examples.example).Count | Should -BeGreaterOrEqual 1
    }

    It 'imports from the built module folder as well, with local paths' {
        $built = Join-Path $RepoRoot 'artifacts/module/Containers/Containers.psd1'
        $text = Get-Content $built -Raw
        $text | Should -Not -Match "'artifacts/"
        $text | Should -Not -Match "'module/"
        $result = Invoke-ChildPwsh "`$m = Import-Module '$built' -PassThru -ErrorAction Stop; `$m.ExportedCmdlets.Count; (Get-Help Stop-Container).Synopsis"
        $result.ExitCode | Should -Be 0
        $result.Output | Should -Contain '22'
        $result.Output | Should -Contain 'Stops running containers.'
    }

    It 'terminates with a clear error when asked for nothing to update' {
        { Update-Container -Name x } | Should -Throw -ErrorId 'InvalidArgument,*'
    }

    It 'refuses -Interactive without -Attach' {
        { Start-Container -Name x -Interactive } | Should -Throw -ErrorId 'InvalidArgument,*'
    }
}
