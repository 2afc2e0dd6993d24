# Get-ContainerStats: streams of samples that end on -Count, -NoStream, Select-Object -First and Stop.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSession.ps1')
    $Session = Initialize-TestSession
    $Rootfs = $Session.Rootfs
    $One = New-Container -Rootfs $Rootfs -Name (New-TestName s1) -Command sleep, 600 -Memory 64MB | Start-Container
    $Two = New-Container -Rootfs $Rootfs -Name (New-TestName s2) -Command sh, -c, 'while true; do :; done' | Start-Container
}

AfterAll {
    Clear-TestSession $Session
}

Describe 'Get-ContainerStats' {
    It 'gives -Count samples' {
        $samples = Get-ContainerStats -Name $One.Name -Count 2 -Interval 0.2
        $samples.Count | Should -Be 2
        $samples | Should -BeOfType Containers.PowerShell.ContainerStats
        $samples[0].Name | Should -Be $One.Name
        $samples[0].MemoryLimit | Should -Be 64MB
        $samples[0].MemoryUsage | Should -BeGreaterThan 0
        $samples[0].PidsCurrent | Should -BeGreaterOrEqual 1
        $samples[1].Timestamp | Should -BeGreaterThan $samples[0].Timestamp
    }

    It 'gives one sample per container with -NoStream' {
        $samples = @(Get-ContainerStats -Name $One.Name, $Two.Name -NoStream)
        $samples.Count | Should -Be 2
        $samples.Name | Sort-Object | Should -Be (@($One.Name, $Two.Name) | Sort-Object)
    }

    It 'streams every container piped in at once' {
        $samples = $One, $Two | Get-ContainerStats -Count 2 -Interval 0.2
        $samples.Count | Should -Be 4
        @($samples | Where-Object Name -EQ $Two.Name).Count | Should -Be 2
    }

    It 'measures CPU use of a busy container' {
        $last = Get-ContainerStats -Name $Two.Name -Count 2 -Interval 0.5 | Select-Object -Last 1
        $last.CpuPercent | Should -BeGreaterThan 20
        $last.CpuTime | Should -BeGreaterThan ([timespan]::Zero)
    }

    It 'samples every running container by default' {
        $names = (Get-ContainerStats -NoStream).Name
        $names | Should -Contain $One.Name
        $names | Should -Contain $Two.Name
    }

    It 'ends at once with Select-Object -First' {
        $elapsed = Measure-Command { $samples = Get-ContainerStats -Name $One.Name | Select-Object -First 2 }
        $samples.Count | Should -Be 2
        $elapsed.TotalSeconds | Should -BeLessThan 4
    }

    It 'ends at once when the pipeline is stopped (Ctrl+C)' {
        $ps = [powershell]::Create()
        $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
        try {
            $null = $ps.AddScript("Import-Module '$(Join-Path $RepoRoot 'Containers.psd1')'; Get-ContainerStats -Name '$($One.Name)' -Interval 0.2")
            $null = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]::new(), $output)
            # Stop once the stream is flowing.
            $deadline = (Get-Date).AddSeconds(15)
            while ($output.Count -lt 2 -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 50 }
            $output.Count | Should -BeGreaterOrEqual 2
            $elapsed = Measure-Command { $ps.Stop() }
            $elapsed.TotalSeconds | Should -BeLessThan 2
            $ps.InvocationStateInfo.State | Should -Be Stopped
        } finally {
            $ps.Dispose()
        }
    }

    It 'shows a table like docker stats' {
        (Get-ContainerStats -Name $One.Name -NoStream | Format-Table | Out-String -Width 200) |
            Should -Match 'CPU %\s+MEM USAGE / LIMIT\s+MEM %\s+NET I/O\s+BLOCK I/O\s+PIDS'
    }

    It 'refuses -NoStream with -Count above 1' {
        { Get-ContainerStats -Name $One.Name -NoStream -Count 3 } | Should -Throw -ErrorId 'InvalidArgument,*'
    }
}
