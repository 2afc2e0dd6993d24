# Invoke-ContainerCommand, Get-ContainerProcess and Update-Container on a running container.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSession.ps1')
    $Session = Initialize-TestSession
    $Rootfs = $Session.Rootfs
    $Box = New-Container -Rootfs $Rootfs -Name (New-TestName box) -Command sleep, 600 -Hostname box -Memory 64MB | Start-Container
}

AfterAll {
    Clear-TestSession $Session
}

Describe 'Invoke-ContainerCommand' {
    It 'outputs the lines of the command as strings' {
        Invoke-ContainerCommand -Name $Box.Name -Command echo, hello | Should -Be 'hello'
        Invoke-ContainerCommand -Name $Box.Name hostname | Should -Be 'box'
    }

    It 'runs in the container''s pid namespace' {
        (Invoke-ContainerCommand -Name $Box.Name -Command ps) -join "`n" | Should -Match '\bsleep 600\b'
    }

    It 'takes -Environment, -WorkingDirectory and -User' {
        Invoke-ContainerCommand -Name $Box.Name -Command sh, -c, 'echo $A' -Environment @{ A = 'x1' } | Should -Be 'x1'
        Invoke-ContainerCommand -Name $Box.Name -Command pwd -WorkingDirectory /tmp | Should -Be '/tmp'
        Invoke-ContainerCommand -Name $Box.Name -Command id, -u -User 65534 | Should -Be '65534'
    }

    It 'writes ContainerCommandFailed for a non-zero exit code, non-terminating' {
        $out = Invoke-ContainerCommand -Name $Box.Name -Command sh, -c, 'echo partial; exit 3' -ErrorVariable err -ErrorAction SilentlyContinue
        $out | Should -Be 'partial'
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ContainerCommandFailed,*'
        "$($err[0])" | Should -Match 'exited with code 3'
    }

    It 'outputs ExitCode, Output and ErrorOutput with -PassThru' {
        $r = Invoke-ContainerCommand -Name $Box.Name -Command sh, -c, 'echo a; echo b >&2; exit 5' -PassThru
        $r | Should -BeOfType Containers.PowerShell.ContainerCommandResult
        $r.ExitCode | Should -Be 5
        $r.Output | Should -Be @('a')
        $r.ErrorOutput | Should -Be @('b')
    }

    It 'takes containers from the pipeline' {
        $Box | Invoke-ContainerCommand -Command echo, piped | Should -Be 'piped'
        Get-Container -Name $Box.Name | Invoke-ContainerCommand echo, positional | Should -Be 'positional'
    }

    It 'forwards this session''s stdin with -Interactive' {
        $manifest = Join-Path $RepoRoot 'Containers.psd1'
        $result = Invoke-ChildPwsh -InputLines 'hello' -Command "Import-Module '$manifest'; Invoke-ContainerCommand -Name $($Box.Name) -Interactive -Command sh, -c, 'read b; echo got:`$b'"
        $result.Output | Should -Contain 'got:hello'
    }

    It 'runs nothing with -WhatIf' {
        Invoke-ContainerCommand -Name $Box.Name -Command touch, /tmp/whatif -WhatIf
        (Invoke-ContainerCommand -Name $Box.Name -Command sh, -c, 'test -e /tmp/whatif && echo yes || echo no') | Should -Be 'no'
    }

    It 'refuses a container that is not running: ContainerInvalidState' {
        $c = New-Container -Rootfs $Rootfs -Name (New-TestName idle) -Command true
        Invoke-ContainerCommand -InputObject $c -Command true -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ContainerInvalidState,*'
    }
}

Describe 'Get-ContainerProcess' {
    It 'lists the processes of the container' {
        $processes = Get-ContainerProcess -Name $Box.Name
        $processes | Should -BeOfType Containers.PowerShell.ContainerProcess
        $sleep = $processes | Where-Object Command -Match 'sleep'
        $sleep.ContainerPid | Should -Be 1
        $sleep.Pid | Should -Be (Get-Container -Name $Box.Name).Pid
        $sleep.ContainerName | Should -Be $Box.Name
        ($processes | Format-Table | Out-String) | Should -Match 'PID\s+CPID\s+USER'
    }
}

Describe 'Update-Container' {
    It 'changes the memory limit live (-PassThru)' {
        $updated = Update-Container -Name $Box.Name -Memory 128MB -PassThru
        $updated.MemoryLimit | Should -Be 128MB
        (Get-Container -Name $Box.Name).MemoryLimit | Should -Be 128MB
        (Get-ContainerStats -Name $Box.Name -NoStream).MemoryLimit | Should -Be 128MB
    }

    It 'changes the pids limit and CPU quota' {
        $Box | Update-Container -PidsLimit 50 -Cpus 0.5 -CpuShares 512
        (Get-Container -Name $Box.Name).State | Should -Be Running
    }

    It 'changes nothing with -WhatIf' {
        Update-Container -Name $Box.Name -Memory 256MB -WhatIf
        (Get-Container -Name $Box.Name).MemoryLimit | Should -Be 128MB
    }
}
