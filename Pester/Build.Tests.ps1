# The build script as CI and a fresh machine use it.
Describe 'build.ps1' {
    BeforeAll {
        $repo = Split-Path $PSScriptRoot -Parent
        $build = Join-Path $repo 'build.ps1'
    }

    It 'Bootstrap is quiet and succeeds when everything is installed (idempotent)' {
        # The test run itself bootstrapped first, so nothing is missing now.
        $output = & dotnet pwsh -NoProfile -NonInteractive -File $build Bootstrap 2>&1
        $LASTEXITCODE | Should -Be 0
        $output | Should -BeNullOrEmpty
    }

    It 'lays out one module folder with the manifest, the assemblies and the runtime' {
        $module = Join-Path $repo 'artifacts/module/Containers'
        Join-Path $module 'Containers.psd1' | Should -Exist
        Join-Path $module 'Containers.PowerShell.dll' | Should -Exist
        Join-Path $module 'containers-runtime' | Should -Exist
        (Get-Item (Join-Path $module 'containers-runtime')).UnixFileMode.HasFlag([IO.UnixFileMode]::UserExecute) | Should -BeTrue
    }

    It 'publishes containers-runtime as a native executable, not a .NET assembly' {
        $runtime = Join-Path $repo 'artifacts/module/Containers/containers-runtime'
        $header = [IO.File]::ReadAllBytes($runtime)[0..3]
        $header | Should -Be @(0x7f, 0x45, 0x4c, 0x46)   # ELF
        Join-Path $repo 'artifacts/module/Containers/containers-runtime.dll' | Should -Not -Exist
        & $runtime --version | Select-Object -First 1 | Should -Match '^containers-runtime version \d+\.\d+\.\d+'
    }

    It 'the module manifest in the module folder imports on its own' {
        $manifest = Join-Path $repo 'artifacts/module/Containers/Containers.psd1'
        $names = & dotnet pwsh -NoProfile -NonInteractive -Command "Import-Module '$manifest'; (Get-Command -Module Containers).Name" 2>&1
        $LASTEXITCODE | Should -Be 0
        $names | Should -Contain 'New-Container'
    }

    It '.ci/run runs exactly the README''s test command' {
        $readme = Get-Content (Join-Path $repo 'README.md') -Raw
        $ci = Get-Content (Join-Path $repo '.ci/run') -Raw
        $command = 'dotnet tool restore && dotnet pwsh ./build.ps1 Test'
        $readme | Should -Match ([regex]::Escape($command))
        ($ci -split "`n" | Where-Object { $_ -and $_ -notmatch '^\s*(#|set |cd |export )' }) | Should -Be $command
    }
}
