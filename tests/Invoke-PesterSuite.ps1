<#
.SYNOPSIS
Runs every tests/*.Tests.ps1 with the pinned Pester, in this (fresh) pwsh process, and writes the
counts to pester-counts.json for build.ps1. Started by `build.ps1 Test`; not meant to be dot-sourced.
#>
param(
    [Parameter(Mandatory)][string] $PesterVersion,
    [Parameter(Mandatory)][string] $ResultDirectory,
    [string[]] $Path = @($PSScriptRoot)
)
# No $ErrorActionPreference = 'Stop' here: the suites run in this scope's children and must see
# PowerShell's default preference, as an admin's session has it.

$nugetRoot = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
$pester = Join-Path $nugetRoot "pester/$PesterVersion/tools/Pester.psd1"
if (-not (Test-Path $pester)) { throw "Pester $PesterVersion is not restored ($pester): run ./build.ps1 Test, which restores tests/tools/TestTools.csproj." }
Import-Module $pester -RequiredVersion $PesterVersion -ErrorAction Stop

$config = New-PesterConfiguration
$config.Run.Path = $Path
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'NUnitXml'
$config.TestResult.OutputPath = Join-Path $ResultDirectory 'pester.xml'

$result = Invoke-Pester -Configuration $config
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
[pscustomobject]@{ Passed = $result.PassedCount; Failed = $failed; Skipped = $result.SkippedCount } |
    ConvertTo-Json | Set-Content -LiteralPath (Join-Path $ResultDirectory 'pester-counts.json')
exit ([int]($failed -gt 0))
