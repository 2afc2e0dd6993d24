#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Writes module/en-US/Containers.PowerShell.dll-Help.xml (MAML) from Help.psd1 and the cmdlets' declared parameters.
.DESCRIPTION
    Run after a build, whenever a cmdlet's parameters or Help.psd1 change:
        dotnet pwsh ./src/Containers.PowerShell/Help/Build-Help.ps1
    Every cmdlet must have a synopsis, a description, a text for every parameter and at least one example;
    the script fails naming what is missing.
#>
[CmdletBinding()]
param(
    [string] $Assembly = (Join-Path $PSScriptRoot '../../../artifacts/module/Containers/Containers.PowerShell.dll'),
    [string] $OutFile = (Join-Path $PSScriptRoot '../../../module/en-US/Containers.PowerShell.dll-Help.xml')
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$help = Import-PowerShellDataFile (Join-Path $PSScriptRoot 'Help.psd1')
$module = Import-Module (Resolve-Path $Assembly).ProviderPath -PassThru -Force
$common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
$problems = [System.Collections.Generic.List[string]]::new()

function X([string] $text) { [System.Security.SecurityElement]::Escape($text) }

function Get-ParameterText([string] $command, [string] $parameter) {
    $own = $help[$command].Parameters
    if ($own.ContainsKey($parameter)) { return $own[$parameter] }
    if ($help.Common.ContainsKey($parameter)) { return $help.Common[$parameter] }
    $problems.Add("${command}: no help for -$parameter")
    ''
}

function Format-Parameter([string] $command, $p, $setParameter) {
    # $p: ParameterMetadata-ish (name, type, aliases); $setParameter: per-set info (mandatory, position, pipeline)
    $type = $p.ParameterType
    $isSwitch = $type -eq [System.Management.Automation.SwitchParameter]
    $pipeline = @(
        if ($setParameter.ValueFromPipeline) { 'ByValue' }
        if ($setParameter.ValueFromPipelineByPropertyName) { 'ByPropertyName' }
    )
    $pipelineText = if ($pipeline) { "True ($($pipeline -join ', '))" } else { 'False' }
    $position = if ($setParameter.Position -ge 0) { $setParameter.Position } else { 'named' }
    $aliases = if ($p.Aliases.Count) { $p.Aliases -join ', ' } else { 'none' }
    $globbing = [bool]($p.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
    $typeName = if ($type.IsArray) { $type.GetElementType().Name + '[]' } else { $type.Name }
    @"
      <command:parameter required="$($setParameter.IsMandatory.ToString().ToLowerInvariant())" variableLength="$($type.IsArray.ToString().ToLowerInvariant())" globbing="$($globbing.ToString().ToLowerInvariant())" pipelineInput="$pipelineText" position="$position" aliases="$aliases">
        <maml:name>$($p.Name)</maml:name>
        <maml:description><maml:para>$(X (Get-ParameterText $command $p.Name))</maml:para></maml:description>
$(if (-not $isSwitch) { "        <command:parameterValue required=`"true`" variableLength=`"$($type.IsArray.ToString().ToLowerInvariant())`">$(X $typeName)</command:parameterValue>`n" })        <dev:type><maml:name>$(X $type.FullName)</maml:name></dev:type>
      </command:parameter>
"@
}

$commands = foreach ($cmd in Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name) {
    $text = $help[$cmd.Name]
    if (-not $text) { $problems.Add("$($cmd.Name): no entry in Help.psd1"); continue }
    foreach ($key in 'Synopsis', 'Description') { if (-not $text[$key]) { $problems.Add("$($cmd.Name): no $key") } }
    if (@($text.Examples).Count -eq 0) { $problems.Add("$($cmd.Name): no example") }

    $syntax = foreach ($set in $cmd.ParameterSets) {
        $items = foreach ($sp in $set.Parameters | Where-Object Name -NotIn $common) {
            Format-Parameter $cmd.Name $cmd.Parameters[$sp.Name] $sp
        }
        "    <command:syntaxItem>`n      <maml:name>$($cmd.Name)</maml:name>`n$($items -join '')    </command:syntaxItem>`n"
    }
    $parameters = foreach ($name in $cmd.Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object) {
        $p = $cmd.Parameters[$name]
        # The first set that has it decides required/position for the parameter list.
        $sp = $cmd.ParameterSets.Parameters | Where-Object Name -EQ $name | Select-Object -First 1
        Format-Parameter $cmd.Name $p $sp
    }
    $inputs = @($cmd.Parameters.Values | Where-Object { $_.ParameterSets.Values | Where-Object { $_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName } } |
        ForEach-Object { $_.ParameterType.FullName } | Sort-Object -Unique)
    $outputs = @($cmd.OutputType | ForEach-Object Name | Sort-Object -Unique)
    $i = 0
    $examples = foreach ($example in $text.Examples) {
        $i++
        @"
      <command:example>
        <maml:title>-------------------------- Example $i --------------------------</maml:title>
        <dev:code>$(X $example.Code)</dev:code>
        <dev:remarks><maml:para>$(X $example.Remarks)</maml:para></dev:remarks>
      </command:example>
"@
    }
    @"
  <command:command xmlns:maml="http://schemas.microsoft.com/maml/2004/10" xmlns:command="http://schemas.microsoft.com/maml/dev/command/2004/10" xmlns:dev="http://schemas.microsoft.com/maml/dev/2004/10">
    <command:details>
      <command:name>$($cmd.Name)</command:name>
      <command:verb>$($cmd.Verb)</command:verb>
      <command:noun>$($cmd.Noun)</command:noun>
      <maml:description><maml:para>$(X $text.Synopsis)</maml:para></maml:description>
    </command:details>
    <maml:description><maml:para>$(X $text.Description)</maml:para></maml:description>
    <command:syntax>
$($syntax -join '')    </command:syntax>
    <command:parameters>
$($parameters -join '')    </command:parameters>
    <command:inputTypes>
$(($inputs | ForEach-Object { "      <command:inputType><dev:type><maml:name>$(X $_)</maml:name></dev:type></command:inputType>`n" }) -join '')    </command:inputTypes>
    <command:returnValues>
$(($outputs | ForEach-Object { "      <command:returnValue><dev:type><maml:name>$(X $_)</maml:name></dev:type></command:returnValue>`n" }) -join '')    </command:returnValues>
    <command:examples>
$($examples -join '')    </command:examples>
  </command:command>
"@
}

if ($problems.Count) { throw "Help is incomplete:`n  $($problems -join "`n  ")" }
$xml = "<?xml version=`"1.0`" encoding=`"utf-8`"?>`n<helpItems schema=`"maml`" xmlns=`"http://msh`">`n$($commands -join '')</helpItems>`n"
[xml] $xml | Out-Null   # well-formed, or throw
New-Item -ItemType Directory -Path (Split-Path $OutFile) -Force | Out-Null
Set-Content -LiteralPath $OutFile -Value $xml -NoNewline -Encoding utf8NoBOM
Write-Host "Wrote $OutFile ($(@($commands).Count) cmdlets)"
