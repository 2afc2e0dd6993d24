# Containers outlive the pwsh session that started them; tab completion of names and ids.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSession.ps1')
    $Session = Initialize-TestSession
    $Rootfs = $Session.Rootfs
    $Manifest = Join-Path $RepoRoot 'Containers.psd1'
}

AfterAll {
    Clear-TestSession $Session
}

Describe 'Containers across pwsh sessions' {
    It 'keeps running after the session that started it exits, and a new session sees it Running' {
        $name = New-TestName surv
        $started = Invoke-ChildPwsh "Import-Module '$Manifest'; (New-Container -Rootfs '$Rootfs' -Name $name -Command sleep, 600 | Start-Container).State"
        $started.ExitCode | Should -Be 0
        $started.Output | Should -Contain 'Running'

        # This session, then yet another new one.
        (Get-Container -Name $name).State | Should -Be Running
        $seen = Invoke-ChildPwsh "Import-Module '$Manifest'; `$c = Get-Container -Name $name; `$c.State; `$c.Pid"
        $seen.Output[0] | Should -Be 'Running'
        Test-Path "/proc/$($seen.Output[1])" | Should -BeTrue
    }

    It 'lets a new session stop and remove it, and the first one sees that' {
        $c = New-Container -Rootfs $Rootfs -Name (New-TestName other) -Command sleep, 600 | Start-Container
        $result = Invoke-ChildPwsh "Import-Module '$Manifest'; Stop-Container -Name $($c.Name) -Timeout 1 -PassThru | ForEach-Object State"
        $result.Output | Should -Contain 'Exited'
        (Get-Container -Id $c.Id).State | Should -Be Exited
        $null = Invoke-ChildPwsh "Import-Module '$Manifest'; Remove-Container -Name $($c.Name)"
        Get-Container -Id $c.Id -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'shows the exit code to a session that did not start it' {
        $name = New-TestName exit
        $null = Invoke-ChildPwsh "Import-Module '$Manifest'; New-Container -Rootfs '$Rootfs' -Name $name -Command sh, -c, 'exit 9' | Start-Container | Out-Null"
        (Wait-Container -Name $name -Timeout 10).ExitCode | Should -Be 9
    }
}

Describe 'Two sessions at once' {
    It 'gives a name to one container only when two sessions create it at the same time' {
        $name = New-TestName race
        $script = "Import-Module '$Manifest'; New-Container -Rootfs '$Rootfs' -Name $name -Command true -ErrorAction SilentlyContinue -ErrorVariable e | Out-Null; if (`$e) { `$e[0].FullyQualifiedErrorId } else { 'created' }"
        $jobs = 1..2 | ForEach-Object { Start-ThreadJob { param($s, $f) Invoke-Expression ". '$f'"; (Invoke-ChildPwsh $s).Output } -ArgumentList $script, (Join-Path $PSScriptRoot 'TestSession.ps1') }
        $results = $jobs | Wait-Job | Receive-Job
        $jobs | Remove-Job
        @($results | Where-Object { $_ -eq 'created' }).Count | Should -Be 1
        @($results | Where-Object { $_ -like 'ContainerNameInUse,*' }).Count | Should -Be 1
        @(Get-Container -Name $name).Count | Should -Be 1
    }

    It 'keeps a consistent state when two sessions stop one container at once' {
        $c = New-Container -Rootfs $Rootfs -Name (New-TestName both) -Command sleep, 600 | Start-Container
        $script = "Import-Module '$Manifest'; Stop-Container -Id $($c.Id) -Timeout 1 -ErrorAction SilentlyContinue; (Get-Container -Id $($c.Id)).State"
        $jobs = 1..2 | ForEach-Object { Start-ThreadJob { param($s, $f) Invoke-Expression ". '$f'"; (Invoke-ChildPwsh $s).Output } -ArgumentList $script, (Join-Path $PSScriptRoot 'TestSession.ps1') }
        $results = $jobs | Wait-Job | Receive-Job
        $jobs | Remove-Job
        $results | Should -Contain 'Exited'
        (Get-Container -Id $c.Id).State | Should -Be Exited
        $c | Remove-Container
        Get-Container -Id $c.Id -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'Tab completion' {
    BeforeAll {
        $Prefix = New-TestName tab
        $A = New-Container -Rootfs $Rootfs -Name "$Prefix-alpha" -Command true
        $B = New-Container -Rootfs $Rootfs -Name "$Prefix-beta" -Command true
    }

    It 'completes -Name of <_> with container names' -ForEach @('Get-Container', 'Start-Container', 'Stop-Container', 'Remove-Container', 'Get-ContainerStats', 'Get-ContainerLog') {
        $line = "$_ -Name "
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $completions | Should -Contain $A.Name
        $completions | Should -Contain $B.Name
    }

    It 'completes a partial name' {
        $line = "Get-Container -Name $Prefix-al"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @($A.Name)
    }

    It 'completes -Id with container ids' {
        $line = "Get-Container -Id $($A.Id.Substring(0, 6))"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain $A.Id
    }
}
