# The Pester helpers the module exports, used as a test author would.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSession.ps1')
    $Session = Initialize-TestSession
    $HelperRootfs = New-BusyboxRootfs -Path (Join-Path $Session.Root 'helper-rootfs')
}

AfterAll {
    Remove-TestContainer
    Clear-TestSession $Session
}

Describe 'New-BusyboxRootfs' {
    It 'makes a rootfs with busybox and its applets' {
        $HelperRootfs | Should -BeOfType System.IO.DirectoryInfo
        Test-Path (Join-Path $HelperRootfs 'bin/busybox') | Should -BeTrue
        (Get-Item (Join-Path $HelperRootfs 'bin/sh')).LinkTarget | Should -Be 'busybox'
        Test-Path (Join-Path $HelperRootfs 'etc/passwd') | Should -BeTrue
    }

    It 'makes nothing with -WhatIf' {
        $path = Join-Path $Session.Root 'whatif-rootfs'
        New-BusyboxRootfs -Path $path -WhatIf
        Test-Path $path | Should -BeFalse
    }
}

Describe 'Use-TestContainer in BeforeAll, Remove-TestContainer in AfterAll' {
    BeforeAll {
        $Web = Use-TestContainer -Rootfs $HelperRootfs -Command sleep, 600 -Parameters @{ Hostname = 'web1' }
    }
    AfterAll {
        Remove-TestContainer
        # What the pattern promises: nothing left behind.
        Get-Container -Id $Web.Id -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'gives a running container' {
        $Web.State | Should -Be Running
        $Web.Name | Should -BeLike 'pester-*'
        Invoke-ContainerCommand -InputObject $Web -Command hostname | Should -Be 'web1'
    }

    It 'works with Assert-ContainerRunning' {
        { Assert-ContainerRunning -Container $Web } | Should -Not -Throw
        { $Web.Name | Assert-ContainerRunning } | Should -Not -Throw
    }

    It 'works with Should -BeRunningContainer' {
        $Web | Should -BeRunningContainer
        $Web.Name | Should -BeRunningContainer
        'no-such-container' | Should -Not -BeRunningContainer
    }
}

Describe 'Use-TestContainer -ScriptBlock' {
    It 'runs the block with the container and removes it afterwards' {
        $id = Use-TestContainer -Rootfs $HelperRootfs -ScriptBlock { param($c) $c.Id }
        $id | Should -Not -BeNullOrEmpty
        Get-Container -Id $id -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'removes the container even when the block throws' {
        $name = New-TestName boom
        { Use-TestContainer -Rootfs $HelperRootfs -Name $name -ScriptBlock { throw 'boom' } } | Should -Throw 'boom'
        Get-Container -Name $name -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'leaves nothing behind when the container cannot be created' {
        $before = @(Get-Container).Count
        { Use-TestContainer -Rootfs $HelperRootfs -Parameters @{ Mount = 'type=bind,target=/x' } } | Should -Throw
        @(Get-Container).Count | Should -Be $before
    }
}

Describe 'Assert-ContainerRunning and Should -BeRunningContainer on a stopped container' {
    It 'throw ContainerNotRunning / fail with the state in the message' {
        $c = New-Container -Rootfs $HelperRootfs -Name (New-TestName stopped) -Command true | Start-Container -Wait
        { Assert-ContainerRunning -Container $c } | Should -Throw -ErrorId 'ContainerNotRunning,*'
        { $c | Should -BeRunningContainer } | Should -Throw '*Exited*'
        $c | Should -Not -BeRunningContainer
    }

    It 'waits up to -TimeoutSeconds for a container to get running' {
        $c = New-Container -Rootfs $HelperRootfs -Name (New-TestName late) -Command sleep, 600
        $job = Start-ThreadJob { param($id, $manifest) Import-Module $manifest; Start-Sleep -Milliseconds 500; Start-Container -Id $id } -ArgumentList $c.Id, (Join-Path $RepoRoot 'Containers.psd1')
        try {
            { Assert-ContainerRunning -Container $c.Name -TimeoutSeconds 10 } | Should -Not -Throw
        } finally {
            $job | Wait-Job | Remove-Job
        }
    }
}
