@{
    # Paths are relative to this file: from the repository root they point into the build output;
    # build.ps1 writes a copy into artifacts/module/Containers with the paths made local.
    # The cmdlets' assembly is a nested module, not the root: Get-Help finds a binary module's MAML
    # help in that module's own folder (en-US beside the dll), which a root module would not have
    # when imported from the repository root. module/Containers.psm1 re-exports what the nested
    # modules export.
    RootModule           = 'module/Containers.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '6f0c5a8e-2d1b-4c7e-9a43-5b8e0d6c1f27'
    Author               = 'The Containers authors'
    CompanyName          = 'Containers'
    Copyright            = '(c) The Containers authors. MIT License.'
    Description          = 'A Docker-class container engine for Linux: run OCI containers from PowerShell.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    NestedModules        = @(
        'artifacts/module/Containers/Containers.PowerShell.dll'
        'module/Containers.PesterHelpers.psm1'
    )
    FormatsToProcess     = @('module/Containers.format.ps1xml')
    TypesToProcess       = @('module/Containers.types.ps1xml')
    CmdletsToExport      = @(
        'New-Container'
        'Start-Container'
        'Stop-Container'
        'Restart-Container'
        'Suspend-Container'
        'Resume-Container'
        'Remove-Container'
        'Wait-Container'
        'Get-Container'
        'Get-ContainerLog'
        'Invoke-ContainerCommand'
        'Update-Container'
        'Get-ContainerProcess'
        'Get-ContainerStats'
        'Export-Container'
        'Get-ContainerImage'
        'Install-ContainerImage'
        'Publish-ContainerImage'
        'Remove-ContainerImage'
        'Import-ContainerImage'
        'Export-ContainerImage'
        'New-ContainerImage'
    )
    FunctionsToExport    = @(
        'New-BusyboxRootfs'
        'Use-TestContainer'
        'Remove-TestContainer'
        'Assert-ContainerRunning'
        'Register-ContainerShouldOperator'
    )
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('containers', 'oci', 'linux', 'runc')
        }
    }
}
