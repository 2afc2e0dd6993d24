# The root of the Containers module. The cmdlets live in Containers.PowerShell.dll and the Pester
# helpers in Containers.PesterHelpers.psm1, both nested modules (see Containers.psd1); this file
# only re-exports them. The manifest's CmdletsToExport and FunctionsToExport decide what is public.
Export-ModuleMember -Cmdlet * -Function *
