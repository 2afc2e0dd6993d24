@{
    # Paths are relative to this file: from the repository root they point into the build output;
    # build.ps1 writes a copy into artifacts/module/Containers with the paths made local.
    RootModule           = 'artifacts/module/Containers/Containers.PowerShell.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '6f0c5a8e-2d1b-4c7e-9a43-5b8e0d6c1f27'
    Author               = 'The Containers authors'
    CompanyName          = 'Containers'
    Copyright            = '(c) The Containers authors. MIT License.'
    Description          = 'A Docker-class container engine for Linux: run OCI containers from PowerShell.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @()
    CmdletsToExport      = @()
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('containers', 'oci', 'linux', 'runc')
        }
    }
}
