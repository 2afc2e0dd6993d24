# Get-ContainerLog: records with Stream, Time, Line; -Tail, -Since, -Timestamps, -Follow.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSession.ps1')
    $Session = Initialize-TestSession
    $Rootfs = $Session.Rootfs
    $Counter = New-Container -Rootfs $Rootfs -Name (New-TestName seq) -Command seq, 1, 5 | Start-Container -Wait
    $Mixed = New-Container -Rootfs $Rootfs -Name (New-TestName mix) -Command sh, -c, 'echo out; echo err >&2; sleep 1.2; echo later' | Start-Container -Wait
}

AfterAll {
    Clear-TestSession $Session
}

Describe 'Get-ContainerLog' {
    It 'outputs one record per line, in order' {
        $records = Get-ContainerLog -Name $Counter.Name
        $records | Should -BeOfType Containers.PowerShell.ContainerLogRecord
        $records.Line | Should -Be @('1', '2', '3', '4', '5')
        $records[0].ContainerName | Should -Be $Counter.Name
        $records[0].Time | Should -BeOfType datetime
    }

    It 'keeps stdout and stderr apart' {
        $records = Get-ContainerLog -Name $Mixed.Name
        ($records | Where-Object Line -EQ 'out').Stream | Should -Be 'stdout'
        ($records | Where-Object Line -EQ 'err').Stream | Should -Be 'stderr'
    }

    It 'gives the last lines with -Tail' {
        (Get-ContainerLog -Name $Counter.Name -Tail 2).Line | Should -Be @('4', '5')
        Get-ContainerLog -Name $Counter.Name -Tail 0 | Should -BeNullOrEmpty
    }

    It 'gives the lines from a time on with -Since' {
        $later = Get-ContainerLog -Name $Mixed.Name | Where-Object Line -EQ 'later'
        (Get-ContainerLog -Name $Mixed.Name -Since $later.Time).Line | Should -Be @('later')
        Get-ContainerLog -Name $Mixed.Name -Since (Get-Date).AddMinutes(1) | Should -BeNullOrEmpty
    }

    It 'shows lines only by default, and times with -Timestamps' {
        (Get-ContainerLog -Name $Counter.Name -Tail 1 | Out-String).Trim() | Should -Be '5'
        (Get-ContainerLog -Name $Counter.Name -Tail 1 -Timestamps | Out-String).Trim() | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z 5$'
    }

    It 'takes containers from the pipeline' {
        ($Counter | Get-ContainerLog -Tail 1).Line | Should -Be '5'
        (Get-Container -Name $Counter.Name | Select-Object Id | Get-ContainerLog -Tail 1).Line | Should -Be '5'
    }

    It 'follows a running container until it exits with -Follow' {
        $c = New-Container -Rootfs $Rootfs -Name (New-TestName fol) -Command sh, -c, 'for i in 1 2 3; do echo $i; sleep 0.3; done' | Start-Container
        $lines = (Get-ContainerLog -InputObject $c -Follow).Line
        $lines | Should -Be @('1', '2', '3')
    }

    It 'ends -Follow at once with Select-Object -First' {
        $c = New-Container -Rootfs $Rootfs -Name (New-TestName fol2) -Command sh, -c, 'while true; do echo tick; sleep 0.2; done' | Start-Container
        $elapsed = Measure-Command { $first = Get-ContainerLog -InputObject $c -Follow | Select-Object -First 2 }
        $first.Line | Should -Be @('tick', 'tick')
        $elapsed.TotalSeconds | Should -BeLessThan 5
    }

    It 'writes ContainerNotFound for a missing container' {
        Get-ContainerLog -Name 'no-such-container' -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ContainerNotFound,*'
    }
}
