# Images as users drive them: a real docker-registry on 127.0.0.1, a busybox image made by umoci and
# pushed by skopeo, then pull, run, override, push, export/import, commit, remove, completion.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSession.ps1')
    $Session = Initialize-TestSession

    function Get-FreePort {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
    }

    function Invoke-Tool {
        # A native tool that must succeed: its output, or a throw naming the command and what it said.
        $command, $arguments = $args
        $output = & $command @arguments 2>&1
        if ($LASTEXITCODE -ne 0) { throw "'$command $($arguments -join ' ')' failed ($LASTEXITCODE): $($output -join "`n")" }
        $output
    }

    function Get-Lines([Parameter(ValueFromPipeline)] $Container) {
        process { @(Get-ContainerLog -Id $Container.Id | ForEach-Object Line) }
    }

    function Start-TestRegistry([string] $Name, [string] $Auth = '') {
        # A docker-registry with its own port, storage and config under the session root; stopped by pid in AfterAll.
        $port = Get-FreePort
        $dir = Join-Path $Session.Root $Name
        New-Item -ItemType Directory -Path "$dir/data" -Force | Out-Null
        Set-Content "$dir/config.yml" @"
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
$Auth
"@
        $process = Start-Process /usr/bin/docker-registry -ArgumentList 'serve', "$dir/config.yml" -PassThru `
            -RedirectStandardOutput "$dir/stdout.log" -RedirectStandardError "$dir/stderr.log"
        $script:RegistryProcesses += $process
        $deadline = (Get-Date).AddSeconds(15)
        while ($true) {
            try { [System.Net.Sockets.TcpClient]::new('127.0.0.1', $port).Dispose(); break } catch { }
            if ($process.HasExited -or (Get-Date) -gt $deadline) { throw "docker-registry did not listen on 127.0.0.1:${port}: $(Get-Content "$dir/stderr.log" -Raw)" }
            Start-Sleep -Milliseconds 50
        }
        "127.0.0.1:$port"
    }

    $script:RegistryProcesses = @()
    $Registry = Start-TestRegistry 'registry'

    # A second registry with htpasswd basic auth (bcrypt, made by libcrypt: no apache2-utils needed).
    Add-Type -TypeDefinition 'public static class TestCrypt { [System.Runtime.InteropServices.DllImport("libcrypt.so.1")] public static extern System.IntPtr crypt(string key, string salt); }'
    $AuthUser = 'tester'
    $AuthPassword = 's3cret-pass'
    $hash = [System.Runtime.InteropServices.Marshal]::PtrToStringUTF8([TestCrypt]::crypt($AuthPassword, '$2b$05$WkNvbnRhaW5lcnNUZXN0Lu'))
    Set-Content (Join-Path $Session.Root 'htpasswd') "${AuthUser}:$hash"
    $AuthRegistry = Start-TestRegistry 'auth-registry' @"
auth:
  htpasswd:
    realm: containers-test
    path: $(Join-Path $Session.Root 'htpasswd')
"@
    $AuthCredential = [pscredential]::new($AuthUser, (ConvertTo-SecureString $AuthPassword -AsPlainText -Force))

    # A busybox image made by umoci (not by our code): Env FOO=bar, WorkingDir /work, an entrypoint and a cmd.
    $oci = Join-Path $Session.Root 'oci'
    $bundle = Join-Path $Session.Root 'bundle'
    Invoke-Tool umoci init --layout $oci | Out-Null
    Invoke-Tool umoci new --image "${oci}:1" | Out-Null
    Invoke-Tool umoci unpack --image "${oci}:1" $bundle | Out-Null
    Invoke-Tool cp -a "$($Session.Rootfs)/." "$bundle/rootfs/" | Out-Null
    New-Item -ItemType Directory -Path "$bundle/rootfs/work" -Force | Out-Null
    Set-Content "$bundle/rootfs/etc/motd" 'from the image'
    Invoke-Tool umoci repack --image "${oci}:1" $bundle | Out-Null
    Invoke-Tool umoci config --image "${oci}:1" --config.env 'FOO=bar' --config.env 'PATH=/bin' --config.workingdir /work `
        --config.entrypoint /bin/sh --config.entrypoint -c --config.cmd 'echo "FOO=$FOO PWD=$(pwd)"' --config.label 'org.test=yes' | Out-Null
    foreach ($tag in '1', '2') {
        Invoke-Tool skopeo copy --quiet --dest-tls-verify=false "oci:${oci}:1" "docker://$Registry/busybox:$tag" | Out-Null
    }
    Invoke-Tool skopeo copy --quiet --dest-tls-verify=false --dest-creds "${AuthUser}:$AuthPassword" "oci:${oci}:1" "docker://$AuthRegistry/private:1" | Out-Null
    $Ref = "$Registry/busybox:1"
    $Work = Join-Path $Session.Root 'work'
    New-Item -ItemType Directory -Path $Work -Force | Out-Null
}

AfterAll {
    foreach ($process in $script:RegistryProcesses) { Stop-Process -Id $process.Id -Force -ErrorAction SilentlyContinue; $process.WaitForExit(5000) | Out-Null }
    Clear-TestSession $Session
}

Describe 'Images' {
    It 'pulls an image with Install-ContainerImage and lists it like docker images' {
        $image = Install-ContainerImage $Ref
        $image | Should -BeOfType Containers.PowerShell.ContainerImage
        $image.Name | Should -Be $Ref
        $image.Repository | Should -Be "$Registry/busybox"
        $image.Tag | Should -Be '1'
        $image.Id | Should -Match '^sha256:[0-9a-f]{64}$'
        $image.Platform | Should -Be 'linux/amd64'
        (Get-ContainerImage -Name $Ref).Id | Should -Be $image.Id
        (Get-ContainerImage -Name "$Registry/*").Name | Should -Contain $Ref
        $text = Get-ContainerImage -Name $Ref | Format-Table | Out-String -Width 200
        $text | Should -Match 'REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE'
        $text | Should -Match ([regex]::Escape("$Registry/busybox") + '\s+1\s+' + $image.ShortId + '\s+')
    }

    It 'writes progress per layer under one parent activity' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddCommand('Import-Module').AddParameter('Name', (Join-Path $RepoRoot 'Containers.psd1')).AddStatement().
                AddCommand('Install-ContainerImage').AddParameter('Name', "$Registry/busybox:2")
            $null = $ps.Invoke()
            $ps.Streams.Error | Should -BeNullOrEmpty
            $records = @($ps.Streams.Progress)
            $parents = @($records | Where-Object ParentActivityId -EQ -1 | ForEach-Object ActivityId | Select-Object -Unique)
            $parents.Count | Should -Be 1
            $children = @($records | Where-Object ParentActivityId -EQ $parents[0])
            ($children.Activity | Where-Object { $_ -like 'Layer *' }) | Should -Not -BeNullOrEmpty
        } finally { $ps.Dispose() }
        Remove-ContainerImage -Name "$Registry/busybox:2"
    }

    It 'shows no progress under $ProgressPreference = SilentlyContinue' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$(Join-Path $RepoRoot 'Containers.psd1')'; `$ProgressPreference = 'SilentlyContinue'; Install-ContainerImage '$Ref'")
            $null = $ps.Invoke()
            $ps.Streams.Error | Should -BeNullOrEmpty
            @($ps.Streams.Progress) | Should -BeNullOrEmpty
        } finally { $ps.Dispose() }
    }

    It 'runs the image with its own entrypoint, environment and working directory' {
        $c = New-Container -Image $Ref -Name (New-TestName img)
        $c.Image | Should -Be $Ref
        $c.Command | Should -Be @('/bin/sh', '-c', 'echo "FOO=$FOO PWD=$(pwd)"')
        $c.Labels['org.test'] | Should -Be 'yes'
        ($c | Start-Container -Wait).ExitCode | Should -Be 0
        $c | Get-Lines | Should -Be 'FOO=bar PWD=/work'
        (Get-Container -Name $c.Name).Image | Should -Be $Ref
    }

    It 'lets New-Container override the image: <Case>' -ForEach @(
        @{ Case = '-Command replaces Cmd'; Parameters = @{ Command = 'echo "cmd $FOO"' }; Expected = @('cmd bar') }
        @{ Case = '-Entrypoint replaces Entrypoint and clears Cmd'; Parameters = @{ Entrypoint = '/bin/echo' }; Expected = @('') }
        @{ Case = '-Entrypoint with -Command'; Parameters = @{ Entrypoint = '/bin/echo'; Command = 'one', 'two' }; Expected = @('one two') }
        @{ Case = '-Environment merges over Env'; Parameters = @{ Command = 'echo "$FOO $BAZ $PATH"'; Environment = @{ BAZ = 'qux' } }; Expected = @('bar qux /bin') }
        @{ Case = '-Environment replaces a variable'; Parameters = @{ Command = 'echo $FOO'; Environment = @{ FOO = 'mine' } }; Expected = @('mine') }
        @{ Case = '-WorkingDirectory'; Parameters = @{ Command = 'pwd'; WorkingDirectory = '/etc' }; Expected = @('/etc') }
        @{ Case = '-User'; Parameters = @{ Command = 'id -u'; User = '65534' }; Expected = @('65534') }
    ) {
        $c = New-Container -Image $Ref @Parameters | Start-Container -Wait
        $c.ExitCode | Should -Be 0
        @($c | Get-Lines) | Should -Be $Expected
    }

    It 'pulls the image when New-Container names one that is not in the store' {
        $ref2 = "$Registry/busybox:2"
        Get-ContainerImage -Name $ref2 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $c = New-Container -Image $ref2 -Command 'cat /etc/motd' | Start-Container -Wait
        $c | Get-Lines | Should -Be 'from the image'
        (Get-ContainerImage -Name $ref2).Name | Should -Be $ref2
    }

    It 'pushes to the registry, and skopeo sees what was pushed' {
        Publish-ContainerImage -Name $Ref -Destination "$Registry/pushed:7"
        $inspect = Invoke-Tool skopeo inspect --tls-verify=false "docker://$Registry/pushed:7" | Out-String | ConvertFrom-Json
        $inspect.Name | Should -Be "$Registry/pushed"
        $inspect.Env | Should -Contain 'FOO=bar'
        $inspect.Layers.Count | Should -Be 1
        $inspect.Digest | Should -Be (Get-ContainerImage $Ref).Digest
        $config = Invoke-Tool skopeo inspect --config --tls-verify=false "docker://$Registry/pushed:7" | Out-String | ConvertFrom-Json
        $config.config.WorkingDir | Should -Be '/work'
    }

    It 'pulls and pushes with -Credential on a registry with basic auth, and fails without it (RegistryError)' {
        Install-ContainerImage "$AuthRegistry/private:1" -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'RegistryError,*'
        $err[0].CategoryInfo.Category | Should -Be AuthenticationError
        (Install-ContainerImage "$AuthRegistry/private:1" -Credential $AuthCredential).Id | Should -Be (Get-ContainerImage $Ref).Id
        Publish-ContainerImage -Name $Ref -Destination "$AuthRegistry/pushed:1" -Credential $AuthCredential
        $inspect = Invoke-Tool skopeo inspect --tls-verify=false --creds "${AuthUser}:$AuthPassword" "docker://$AuthRegistry/pushed:1" | Out-String | ConvertFrom-Json
        $inspect.Digest | Should -Be (Get-ContainerImage $Ref).Digest
        Remove-ContainerImage -Name "$AuthRegistry/private:1"
    }

    It 'New-Container -Image pulls from a registry with basic auth with -Credential (progress per layer), and fails without it (RegistryError)' {
        $image = "$AuthRegistry/private:1"
        Remove-ContainerImage -Name $image -ErrorAction Ignore
        New-Container -Image $image -Command true -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'RegistryError,*'
        $err[0].CategoryInfo.Category | Should -Be AuthenticationError
        Get-ContainerImage -Name $image -ErrorAction Ignore | Should -BeNullOrEmpty

        $name = New-TestName authimg
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddCommand('Import-Module').AddParameter('Name', (Join-Path $RepoRoot 'Containers.psd1')).AddStatement().
                AddCommand('New-Container').AddParameter('Image', $image).AddParameter('Credential', $AuthCredential).
                AddParameter('Platform', 'linux/amd64').AddParameter('Name', $name)
            $c = @($ps.Invoke())
            $ps.Streams.Error | Should -BeNullOrEmpty
            $c.Count | Should -Be 1
            $records = @($ps.Streams.Progress)
            $parents = @($records | Where-Object ParentActivityId -EQ -1 | ForEach-Object ActivityId | Select-Object -Unique)
            $parents.Count | Should -Be 1
            $children = @($records | Where-Object ParentActivityId -EQ $parents[0])
            ($children.Activity | Where-Object { $_ -like 'Layer *' }) | Should -Not -BeNullOrEmpty
        } finally { $ps.Dispose() }
        (Get-ContainerImage -Name $image).Id | Should -Be (Get-ContainerImage $Ref).Id
        # The password is used for the pull only, never stored with the container.
        $stored = Get-ChildItem (Join-Path $Session.Root 'd/containers') -Directory | Where-Object Name -Like "$($c[0].Id)*" | Select-Object -First 1
        Get-Content (Join-Path $stored.FullName 'container.json') -Raw | Should -Not -Match ([regex]::Escape($AuthPassword))
        $run = Get-Container -Name $name | Start-Container -Wait
        $run.ExitCode | Should -Be 0
        $run | Get-Lines | Should -Be 'FOO=bar PWD=/work'
        $run | Remove-Container
        Remove-ContainerImage -Name $image
    }

    It 'New-Container -Image validates -Platform as Install-ContainerImage does' {
        { New-Container -Image $Ref -Platform 'Linux AMD64' -Command true } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
        (Get-Command New-Container).Parameters['AllowInsecureRegistry'].Aliases | Should -Contain 'Insecure'
    }

    It 'Export-Container writes a tar with a file the container wrote' {
        $c = New-Container -Image $Ref -Command 'echo written > /work/made.txt' | Start-Container -Wait
        $c.ExitCode | Should -Be 0
        $tar = Join-Path $Work 'export.tar'
        Export-Container -Id $c.Id -Path $tar
        $entries = @(Invoke-Tool tar -tf $tar)
        $entries | Should -Contain 'work/made.txt'
        $entries | Should -Contain 'bin/busybox'
        Invoke-Tool tar -xOf $tar work/made.txt | Should -Be 'written'
    }

    It 'New-ContainerImage commits a container: new files, deleted files and the command' {
        $c = New-Container -Image $Ref -Command 'echo committed > /work/made.txt; rm /etc/motd; echo done' | Start-Container -Wait
        $c.ExitCode | Should -Be 0
        $image = $c | New-ContainerImage -Reference 'committed:1' -Message 'a test commit'
        $image.Name | Should -Be 'committed:1'
        $image.Reference | Should -Be 'docker.io/library/committed:1'
        $run = New-Container -Image committed:1 -Command 'cat /work/made.txt; test -e /etc/motd && echo motd || echo no-motd; echo $FOO' | Start-Container -Wait
        @($run | Get-Lines) | Should -Be @('committed', 'no-motd', 'bar')
        # The committed command is the image's Cmd now; run again, its rm finds the file gone.
        $again = New-Container -Image committed:1 | Start-Container -Wait
        $again.Command | Should -Be @('/bin/sh', '-c', 'echo committed > /work/made.txt; rm /etc/motd; echo done')
        @($again | Get-Lines) | Should -Contain 'done'

    }

    It 'New-ContainerImage commits a rootfs container as a one-layer image' {
        $c = New-Container -Rootfs $Session.Rootfs -Command sh, -c, 'echo hi > /tmp/note' | Start-Container -Wait
        $image = New-ContainerImage -Container $c.Name -Reference 'fromrootfs:1'
        $run = New-Container -Image $image.Id -Command cat, /tmp/note | Start-Container -Wait
        $run | Get-Lines | Should -Be 'hi'
    }

    It 'imports a plain rootfs tarball with -Reference' {
        $tar = Join-Path $Work 'rootfs.tar'
        Invoke-Tool tar -C $Session.Rootfs -cf $tar . | Out-Null
        $image = Import-ContainerImage -Path $tar -Reference 'plain:1'
        $image.Name | Should -Be 'plain:1'
        $run = New-Container -Image plain:1 -Command echo, imported | Start-Container -Wait
        $run | Get-Lines | Should -Be 'imported'
        { Import-ContainerImage -Path $tar -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidArgument,*'
    }

    It 'completes image names for <Line>' -ForEach @(
        @{ Line = 'New-Container -Image 127.0.0.1' }
        @{ Line = 'Remove-ContainerImage -Name 127.0.0.1' }
        @{ Line = 'Get-ContainerImage 127.0.0.1' }
        @{ Line = 'Export-ContainerImage 127.0.0.1' }
    ) {
        $result = TabExpansion2 -inputScript $Line -cursorColumn $Line.Length
        $result.CompletionMatches.CompletionText | Should -Contain $Ref
    }

    It 'changes nothing with -WhatIf' {
        $before = @(Get-ContainerImage).Name | Sort-Object
        Install-ContainerImage "$Registry/pushed:7" -WhatIf | Should -BeNullOrEmpty
        Remove-ContainerImage -Name $Ref -Force -WhatIf
        Import-ContainerImage -Path (Join-Path $Work 'rootfs.tar') -Reference 'whatif:1' -WhatIf | Should -BeNullOrEmpty
        $c = New-Container -Image $Ref -Command true
        $c | New-ContainerImage -Reference 'whatif:2' -WhatIf | Should -BeNullOrEmpty
        Export-Container -Id $c.Id -Path (Join-Path $Work 'whatif.tar') -WhatIf
        Export-ContainerImage -Name $Ref -Path (Join-Path $Work 'whatif-image.tar') -WhatIf
        Test-Path (Join-Path $Work 'whatif.tar') | Should -BeFalse
        Test-Path (Join-Path $Work 'whatif-image.tar') | Should -BeFalse
        @(Get-ContainerImage).Name | Sort-Object | Should -Be $before
        New-Container -Image "$Registry/pushed:7" -Command true -WhatIf | Should -BeNullOrEmpty
        Get-ContainerImage -Name "$Registry/pushed:7" -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'reports <Case> as a non-terminating <ErrorId>' -ForEach @(
        @{ Case = 'an image not in the store'; ErrorId = 'ImageNotFound'; Script = { Get-ContainerImage -Name 'nosuch:1' } }
        @{ Case = 'a removal of an image not in the store'; ErrorId = 'ImageNotFound'; Script = { Remove-ContainerImage -Name 'nosuch:1' } }
        @{ Case = 'a pull of a tag the registry lacks'; ErrorId = 'RegistryError'; Script = { Install-ContainerImage "$Registry/nosuch:1" } }
        @{ Case = 'a bad reference'; ErrorId = 'InvalidReference'; Script = { Install-ContainerImage 'Bad//Reference' } }
        @{ Case = 'New-Container of an image the registry lacks'; ErrorId = 'RegistryError'; Script = { New-Container -Image "$Registry/nosuch:1" -Command true } }
    ) {
        $before = @(Get-Container).Count
        $all = @(& $Script 2>&1)
        $errors = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] }) | Should -BeNullOrEmpty
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        @(Get-Container).Count | Should -Be $before
    }

    It 'takes images from the pipeline by value and by property name' {
        ([pscustomobject]@{ Name = $Ref } | Get-ContainerImage).Id | Should -Be (Get-ContainerImage $Ref).Id
        ([pscustomobject]@{ Id = (Get-ContainerImage $Ref).Id } | Get-ContainerImage).Id | Should -Be (Get-ContainerImage $Ref).Id
        Import-ContainerImage -Path (Join-Path $Work 'rootfs.tar') -Reference 'pipe:1' | Remove-ContainerImage
        Get-ContainerImage -Name 'pipe:1' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        'pipe:2' | ForEach-Object { Import-ContainerImage -Path (Join-Path $Work 'rootfs.tar') -Reference $_ } | Out-Null
        'pipe:2' | Remove-ContainerImage
        Get-ContainerImage -Name 'pipe:2' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'refuses to remove an image a container uses (ImageInUse); -Force removes the tag and the container still runs' {
        $image = Import-ContainerImage -Path (Join-Path $Work 'rootfs.tar') -Reference 'inuse:1'
        $c = New-Container -Image inuse:1 -Command cat, /etc/group
        Remove-ContainerImage -Name inuse:1 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ImageInUse,*'
        $err[0].CategoryInfo.Category | Should -Be ResourceBusy
        (Get-ContainerImage -Name inuse:1).Id | Should -Be $image.Id
        Remove-ContainerImage -Name inuse:1 -Force
        Get-ContainerImage -Name inuse:1 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        ($c | Start-Container -Wait) | Get-Lines | Should -Contain 'root:x:0:'
        # A tag shared with another reference is only untagged: no container is affected.
        $c2 = New-Container -Image "$Registry/busybox:2" -Command true
        Remove-ContainerImage -Name "$Registry/busybox:2"
        (Get-ContainerImage -Name $Ref).Id | Should -Be $c2.ImageId -Because 'busybox:1 is the same image'
    }

    It 'round-trips through Export-ContainerImage -Format <Format> to <File>, Remove-ContainerImage and Import-ContainerImage' -ForEach @(
        @{ Format = 'DockerArchive'; File = 'image.tar' }
        @{ Format = 'OciLayout'; File = 'layout' }
        @{ Format = 'OciLayout'; File = 'layout.tar' }
    ) {
        Get-Container | Remove-Container -Force
        $path = Join-Path $Work "$Format-$File"
        $id = (Get-ContainerImage $Ref).Id
        Export-ContainerImage -Name $Ref -Path $path -Format $Format
        Test-Path $path | Should -BeTrue
        Remove-ContainerImage -Name $Ref
        Get-ContainerImage -Name $Ref -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $imported = @(Import-ContainerImage -Path $path)
        $imported.Name | Should -Contain $Ref
        (Get-ContainerImage $Ref).Id | Should -Be $id
        $c = New-Container -Image $Ref | Start-Container -Wait
        $c | Get-Lines | Should -Be 'FOO=bar PWD=/work'
    }
}
