# New/Start/Stop/Restart/Suspend/Resume/Remove/Wait/Get-Container against real containers, as users drive them.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSession.ps1')
    $Session = Initialize-TestSession
    $Rootfs = $Session.Rootfs
}

AfterAll {
    Clear-TestSession $Session
}

Describe 'New-Container' {
    It 'creates a container in the Created state' {
        $name = New-TestName new
        $c = New-Container -Rootfs $Rootfs -Name $name -Command echo, hi -Label @{ app = 'web' }
        $c | Should -BeOfType Containers.PowerShell.Container
        $c.Name | Should -Be $name
        $c.State | Should -Be Created
        $c.Id | Should -Match '^[0-9a-f]{12,}$'
        $c.Command | Should -Be @('echo', 'hi')
        $c.Labels['app'] | Should -Be 'web'
        (Get-Container -Name $name).Id | Should -Be $c.Id
    }

    It 'takes 64MB for -Memory' {
        $c = New-Container -Rootfs $Rootfs -Name (New-TestName mem) -Command true -Memory 64MB
        $c.MemoryLimit | Should -Be 64MB
    }

    It 'resolves a relative -Rootfs against the PowerShell location' {
        Push-Location (Split-Path $Rootfs)
        try {
            $c = New-Container -Rootfs ./rootfs -Name (New-TestName rel) -Command true
            $c.Rootfs | Should -Not -BeNullOrEmpty
        } finally { Pop-Location }
    }

    It 'refuses a name in use: ContainerNameInUse, non-terminating' {
        $name = New-TestName dup
        New-Container -Rootfs $Rootfs -Name $name -Command true | Out-Null
        $second = New-Container -Rootfs $Rootfs -Name $name -Command true -ErrorVariable err -ErrorAction SilentlyContinue
        $second | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ContainerNameInUse,*'
        $err[0].CategoryInfo.Category | Should -Be ResourceExists
        @(Get-Container -Name $name).Count | Should -Be 1
    }

    It 'terminates on a bad mount and names the field: <Mount>' -ForEach @(
        @{ Mount = 'type=bind,target=/data'; Field = 'source' }
        @{ Mount = 'type=volume,target=/data'; Field = 'type' }
        @{ Mount = 'type=tmpfs,target=relative'; Field = 'target' }
        @{ Mount = 'type=tmpfs,target=/t,colour=blue'; Field = 'colour' }
        @{ Mount = 'type=bind,source=/no/such/dir,target=/d'; Field = 'source' }
    ) {
        $before = @(Get-Container).Count
        { New-Container -Rootfs $Rootfs -Command true -Mount $Mount } | Should -Throw -ErrorId 'InvalidArgument,*' -ExpectedMessage "*${Field}:*"
        @(Get-Container).Count | Should -Be $before
    }

    It 'terminates on a rootfs that does not exist' {
        { New-Container -Rootfs /no/such/rootfs -Command true } | Should -Throw -ErrorId 'InvalidArgument,*'
    }

    It 'creates nothing with -WhatIf' {
        $name = New-TestName whatif
        New-Container -Rootfs $Rootfs -Name $name -Command true -WhatIf | Should -BeNullOrEmpty
        Get-Container -Name $name -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'mounts a bind mount read-only and a tmpfs' {
        $data = Join-Path $Session.Root 'bind-data'
        New-Item -ItemType Directory -Path $data -Force | Out-Null
        Set-Content (Join-Path $data 'file.txt') 'from the host'
        $c = New-Container -Rootfs $Rootfs -Name (New-TestName mnt) -Command sh, -c, 'cat /data/file.txt; touch /data/x || echo readonly; touch /scratch/y && echo tmpfs-ok' `
            -Mount "type=bind,source=$data,target=/data,readonly", 'type=tmpfs,target=/scratch' |
            Start-Container -Wait
        $c.ExitCode | Should -Be 0
        $lines = @(Get-ContainerLog -InputObject $c | ForEach-Object Line)
        $lines | Should -Contain 'from the host'
        $lines | Should -Contain 'readonly'
        $lines | Should -Contain 'tmpfs-ok'
    }

    It 'passes environment, working directory, user and hostname' {
        $c = New-Container -Rootfs $Rootfs -Name (New-TestName env) -Command sh, -c, 'echo "$GREETING"; pwd; id -u; hostname' `
            -Environment @{ GREETING = 'hello world' } -WorkingDirectory /tmp -User 65534 -Hostname box1 | Start-Container -Wait
        $c.ExitCode | Should -Be 0
        @(Get-ContainerLog -InputObject $c | ForEach-Object Line) | Should -Be @('hello world', '/tmp', '65534', 'box1')
    }
}

Describe 'Start-Container' {
    It 'runs to the end with -Wait and outputs the ExitCode: <Code>' -ForEach @(@{ Code = 0 }, @{ Code = 3 }) {
        $c = New-Container -Rootfs $Rootfs -Name (New-TestName wait) -Command sh, -c, "exit $Code" | Start-Container -Wait
        $c.State | Should -Be Exited
        $c.ExitCode | Should -Be $Code
        $c.Finished | Should -Not -BeNullOrEmpty
    }

    It 'outputs the running container without -Wait' {
        $c = New-Container -Rootfs $Rootfs -Name (New-TestName run) -Command sleep, 600 | Start-Container
        $c.State | Should -Be Running
        $c.Pid | Should -BeGreaterThan 0
        $c.Status | Should -BeLike 'Up *'
        ($c | Format-Table | Out-String -Width 200) | Should -Match "$($c.ShortId)\s+$($c.Name)\s+`"sleep 600`".*Up "
    }

    It 'streams the output with -Attach: stdout to the pipeline, stderr to the host' {
        $c = New-Container -Rootfs $Rootfs -Name (New-TestName att) -Command sh, -c, 'echo one; echo oops >&2; echo two'
        $lines = Start-Container -InputObject $c -Attach -InformationVariable info 6>$null
        $lines | Should -Be @('one', 'two')
        "$info" | Should -Match 'oops'
    }

    It 'outputs the lines, then the container, with -Attach -Wait' {
        $out = New-Container -Rootfs $Rootfs -Name (New-TestName aw) -Command sh, -c, 'echo done; exit 4' | Start-Container -Attach -Wait
        $out[0] | Should -Be 'done'
        $out[-1].ExitCode | Should -Be 4
    }

    It 'forwards this session''s stdin with -Attach -Interactive' {
        $manifest = Join-Path $RepoRoot 'Containers.psd1'
        $result = Invoke-ChildPwsh -InputLines 'hello' -Command "Import-Module '$manifest'; New-Container -Rootfs '$Rootfs' -Interactive -Command sh, -c, 'read a; echo got:`$a' | Start-Container -Attach -Interactive"
        $result.Output | Should -Contain 'got:hello'
    }

    It 'changes nothing with -WhatIf' {
        $c = New-Container -Rootfs $Rootfs -Name (New-TestName swi) -Command sleep, 600
        $c | Start-Container -WhatIf | Should -BeNullOrEmpty
        (Get-Container -Id $c.Id).State | Should -Be Created
    }

    It 'writes ContainerNotFound per missing item and goes on with the rest' {
        $c = New-Container -Rootfs $Rootfs -Name (New-TestName ok) -Command sleep, 600
        $started = Start-Container -Name 'no-such-container', $c.Name -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ContainerNotFound,*'
        $err[0].CategoryInfo.Category | Should -Be ObjectNotFound
        $started.Name | Should -Be $c.Name
        $started.State | Should -Be Running
    }
}

Describe 'Stop-Container, Restart-Container, Suspend-Container, Resume-Container' {
    BeforeAll {
        $Long = New-Container -Rootfs $Rootfs -Name (New-TestName long) -Command sleep, 600 | Start-Container
    }

    It 'suspends and resumes (-PassThru)' {
        $paused = Suspend-Container -Name $Long.Name -PassThru
        $paused.State | Should -Be Paused
        $paused.Status | Should -BeLike '*(Paused)'
        (Get-Container -Name $Long.Name).State | Should -Be Paused
        $resumed = $Long | Resume-Container -PassThru
        $resumed.State | Should -Be Running
    }

    It 'refuses to resume a container that is not paused: ContainerInvalidState' {
        Resume-Container -Name $Long.Name -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ContainerInvalidState,*'
        $err[0].CategoryInfo.Category | Should -Be InvalidOperation
    }

    It 'restarts with a new process (-PassThru)' {
        $before = Get-Container -Name $Long.Name
        $after = Restart-Container -Name $Long.Name -Timeout 1 -PassThru
        $after.State | Should -Be Running
        $after.Pid | Should -Not -Be $before.Pid
    }

    It 'outputs nothing without -PassThru' {
        Suspend-Container -Name $Long.Name | Should -BeNullOrEmpty
        Resume-Container -Name $Long.Name | Should -BeNullOrEmpty
    }

    It 'does not stop with -WhatIf' {
        Stop-Container -Name $Long.Name -WhatIf
        (Get-Container -Name $Long.Name).State | Should -Be Running
    }

    It 'stops with a timeout: SIGKILL for a process that ignores SIGTERM' {
        $stubborn = New-Container -Rootfs $Rootfs -Name (New-TestName trap) -Command sh, -c, 'trap "" TERM; while true; do sleep 1; done' | Start-Container
        $elapsed = Measure-Command { $stopped = Stop-Container -InputObject $stubborn -Timeout 1 -PassThru }
        $stopped.State | Should -Be Exited
        $elapsed.TotalSeconds | Should -BeLessThan 8
    }

    It 'stops every running container of a pipeline' {
        1..2 | ForEach-Object { New-Container -Rootfs $Rootfs -Name (New-TestName pipe) -Command sleep, 600 | Start-Container } | Out-Null
        Get-Container | Where-Object State -EQ Running | Stop-Container -Timeout 1
        @(Get-Container -State Running) | Should -BeNullOrEmpty
        @(Get-Container -Name 'pipe-*' -State Exited).Count | Should -Be 2
    }
}

Describe 'Wait-Container' {
    It 'waits for the exit and outputs the ExitCode' {
        $c = New-Container -Rootfs $Rootfs -Name (New-TestName w) -Command sh, -c, 'sleep 1; exit 7' | Start-Container
        (Wait-Container -Name $c.Name).ExitCode | Should -Be 7
    }

    It 'writes WaitTimeout when the container outlives -Timeout' {
        $c = New-Container -Rootfs $Rootfs -Name (New-TestName wt) -Command sleep, 600 | Start-Container
        $elapsed = Measure-Command { $result = Wait-Container -Id $c.Id -Timeout 1 -ErrorVariable err -ErrorAction SilentlyContinue }
        $result | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'WaitTimeout,*'
        $err[0].CategoryInfo.Category | Should -Be OperationTimeout
        $elapsed.TotalSeconds | Should -BeLessThan 5
    }
}

Describe 'Get-Container' {
    BeforeAll {
        $Prefix = New-TestName get
        $A = New-Container -Rootfs $Rootfs -Name "$Prefix-a" -Command sleep, 600 | Start-Container
        $B = New-Container -Rootfs $Rootfs -Name "$Prefix-b" -Command true
    }

    It 'lists every container by default' {
        $names = (Get-Container).Name
        $names | Should -Contain $A.Name
        $names | Should -Contain $B.Name
    }

    It 'selects by name with wildcards' {
        @(Get-Container -Name "$Prefix-*").Name | Sort-Object | Should -Be @($A.Name, $B.Name)
    }

    It 'selects by state' {
        @(Get-Container -Name "$Prefix-*" -State Running).Name | Should -Be @($A.Name)
        @(Get-Container -Name "$Prefix-*" -State Created).Name | Should -Be @($B.Name)
    }

    It 'selects by id and by unique id prefix' {
        (Get-Container -Id $A.Id).Name | Should -Be $A.Name
        (Get-Container -Id $A.Id.Substring(0, 12)).Name | Should -Be $A.Name
    }

    It 'takes names and ids from the pipeline, by value and by property name' {
        ($A.Name | Get-Container).Id | Should -Be $A.Id
        ([pscustomobject]@{ Name = $B.Name } | Get-Container).Id | Should -Be $B.Id
        ([pscustomobject]@{ Id = $A.Id } | Get-Container).Name | Should -Be $A.Name
    }

    It 'writes ContainerNotFound for a plain name that matches nothing, and nothing for a wildcard' {
        Get-Container -Name 'no-such-name' -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ContainerNotFound,*'
        Get-Container -Name 'no-such-*' -ErrorVariable err2 | Should -BeNullOrEmpty
        $err2 | Should -BeNullOrEmpty
    }
}

Describe 'Remove-Container' {
    It 'removes an exited container' {
        $c = New-Container -Rootfs $Rootfs -Name (New-TestName rm) -Command true | Start-Container -Wait
        Remove-Container -Name $c.Name
        Get-Container -Name $c.Name -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'refuses a running container without -Force: ContainerInvalidState' {
        $c = New-Container -Rootfs $Rootfs -Name (New-TestName rmr) -Command sleep, 600 | Start-Container
        Remove-Container -InputObject $c -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ContainerInvalidState,*'
        (Get-Container -Id $c.Id).State | Should -Be Running
    }

    It 'stops and removes a running container with -Force' {
        $c = New-Container -Rootfs $Rootfs -Name (New-TestName rmf) -Command sleep, 600 | Start-Container
        $c | Remove-Container -Force
        Get-Container -Id $c.Id -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Test-Path "/proc/$($c.Pid)" | Should -BeFalse
    }

    It 'removes nothing with -WhatIf, even with -Force' {
        $c = New-Container -Rootfs $Rootfs -Name (New-TestName rmw) -Command sleep, 600 | Start-Container
        $c | Remove-Container -Force -WhatIf
        (Get-Container -Id $c.Id).State | Should -Be Running
    }

    It 'removes an -AutoRemove container when it exits' {
        $c = New-Container -Rootfs $Rootfs -Name (New-TestName auto) -Command true -AutoRemove | Start-Container -Wait
        $c.ExitCode | Should -Be 0
        $deadline = (Get-Date).AddSeconds(5)
        while ((Get-Container -Id $c.Id -ErrorAction SilentlyContinue) -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 100 }
        Get-Container -Id $c.Id -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'removes an -AutoRemove container whose start fails, and still reports the start error' {
        $name = New-TestName autofail
        $c = New-Container -Rootfs $Rootfs -Name $name -Command nosuch -AutoRemove
        $c | Start-Container -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ContainerOperationFailed,*'
        $err[0].Exception.Message | Should -BeLike '*exec: "nosuch": executable file not found in $PATH*'
        Get-Container -Id $c.Id -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        @(Get-Container | Where-Object Name -EQ $name) | Should -BeNullOrEmpty
        @(Get-ChildItem (Join-Path $Session.Root 'd/containers') -Force -Name | Where-Object { $_ -like "*$($c.Id)*" }) | Should -BeNullOrEmpty
        Test-Path (Join-Path $Session.Root "d/names/$name") | Should -BeFalse
        @(Get-Content /proc/self/mountinfo | Where-Object { $_ -like "*$($c.Id)*" }) | Should -BeNullOrEmpty
        # The name is free again.
        New-Container -Rootfs $Rootfs -Name $name -Command true | Remove-Container
    }
}
