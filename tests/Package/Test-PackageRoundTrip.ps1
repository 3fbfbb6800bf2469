<#
.SYNOPSIS
The package's round trip, as an admin gets it from a gallery: saves the module from a local file
repository with PSResourceGet into a temporary module path, imports it BY NAME and checks it.

.DESCRIPTION
Meant to run in a FRESH pwsh process (build.ps1 Package starts it with `dotnet pwsh -NoProfile`),
because it rewrites $env:PSModulePath to the temporary folder plus $PSHOME/Modules only, so the
module can come from nowhere but the package.

It registers its own temporary file repository pointing at -RepositoryPath and unregisters it in
a finally block (PSResourceGet keeps its repository list in the user's profile); it never uses
another repository, so PSGallery is never queried. As a guard, every HTTP proxy variable points at
a closed local port, so an unexpected network call fails instead of reaching the internet.

Checks: the module is found by name only after the save, imports from the temporary path with the
packaged version, exports every cmdlet of CmdletsToExport, Get-Help shows the MAML help of one and
the about topic, and the saved folder has dependencies/ (with Microsoft.Graph.dll and the engine)
and en-US/<module>.dll-Help.xml but no PowerShell SDK assembly.
Writes one line per check; exits 0 when all pass, 1 otherwise.

.EXAMPLE
dotnet pwsh -NoProfile -File tests/Package/Test-PackageRoundTrip.ps1 -RepositoryPath out/package-repository -ManifestPath out/Dropzone.ExoSetup/Dropzone.ExoSetup.psd1
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][string] $RepositoryPath,
    [string] $ModuleName = 'Dropzone.ExoSetup',
    # The manifest whose CmdletsToExport (and version) the imported module must match.
    [string] $ManifestPath,
    # Instead of (or on top of) -ManifestPath: the cmdlets the imported module must export.
    [string[]] $ExpectedCmdlets = @(),
    # The temporary module folder (created; must not exist or be empty). Default: a new one under the
    # system temp folder. Removed at the end, best effort (the caller may remove it again once this
    # process has exited, as Windows keeps loaded DLLs locked).
    [string] $ModulePath
)

# No network: PSResourceGet only ever talks to the local file repository below.
foreach ($name in 'HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'all_proxy') {
    [Environment]::SetEnvironmentVariable($name, 'http://127.0.0.1:9')
}
foreach ($name in 'NO_PROXY', 'no_proxy') { [Environment]::SetEnvironmentVariable($name, $null) }

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$failures = [Collections.Generic.List[string]]::new()
function Write-Check([bool] $Ok, [string] $Message) {
    if ($Ok) {
        Write-Host "  ok    $Message" -ForegroundColor DarkGray
    } else {
        Write-Host "  FAIL  $Message" -ForegroundColor Red
        $failures.Add($Message)
    }
}

$repository = "DzRoundTrip-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
$modulePath = if ($ModulePath) { [IO.Path]::GetFullPath($ModulePath) } else { Join-Path ([IO.Path]::GetTempPath()) "dz-package-modules-$([guid]::NewGuid().ToString('N'))" }
$registered = $false
try {
    $RepositoryPath = (Resolve-Path -LiteralPath $RepositoryPath).Path
    $expectedVersion = $null
    # `pwsh -File` passes "A,B" as one string: split it.
    $ExpectedCmdlets = @($ExpectedCmdlets | ForEach-Object { $_ -split ',' } | ForEach-Object { $_.Trim() } | Where-Object { $_ })
    if ($ManifestPath) {
        $manifest = Import-PowerShellDataFile -LiteralPath $ManifestPath
        $ExpectedCmdlets = @($ExpectedCmdlets) + @($manifest.CmdletsToExport) | Select-Object -Unique
        $expectedVersion = [version]$manifest.ModuleVersion
    }
    if (-not $ExpectedCmdlets) { throw 'No cmdlets to expect: pass -ManifestPath or -ExpectedCmdlets.' }

    # PSResourceGet ships in $PSHOME/Modules; load it before the module path narrows (it stays reachable anyway).
    Import-Module Microsoft.PowerShell.PSResourceGet -ErrorAction Stop
    if (Test-Path -LiteralPath $modulePath) {
        if (Get-ChildItem -LiteralPath $modulePath -Force) { throw "The temporary module path $modulePath is not empty." }
    } else {
        $null = New-Item -ItemType Directory -Path $modulePath
    }
    $env:PSModulePath = $modulePath + [IO.Path]::PathSeparator + (Join-Path $PSHOME 'Modules')
    Write-Host "Round trip of $ModuleName from $RepositoryPath (module path: $env:PSModulePath)"

    Write-Check (-not (Get-Module -ListAvailable -Name $ModuleName)) "$ModuleName is not on the module path before the save"

    Register-PSResourceRepository -Name $repository -Uri $RepositoryPath -Trusted -Priority 1
    $registered = $true
    $saveArguments = @{
        Name                = $ModuleName
        Repository          = $repository
        Path                = $modulePath
        TrustRepository     = $true
        SkipDependencyCheck = $true
        PassThru            = $true
    }
    if ($expectedVersion) { $saveArguments.Version = $expectedVersion.ToString() }
    $saved = @(Save-PSResource @saveArguments)
    Write-Check ($saved.Count -eq 1 -and $saved[0].Name -eq $ModuleName) "Save-PSResource saved $ModuleName $(($saved | ForEach-Object { $_.Version }) -join ', ') from the local repository"

    $module = Import-Module -Name $ModuleName -PassThru -ErrorAction Stop
    $base = $module.ModuleBase
    Write-Check ($base.StartsWith($modulePath, [StringComparison]::Ordinal)) "Import-Module $ModuleName (by name) loaded it from the temporary module path: $base"
    if ($expectedVersion) { Write-Check ($module.Version -eq $expectedVersion) "the imported version is $expectedVersion (got $($module.Version))" }

    $exported = @($module.ExportedCmdlets.Keys)
    $missing = @($ExpectedCmdlets | Where-Object { $_ -notin $exported })
    $commands = @(Get-Command -Module $ModuleName -CommandType Cmdlet | ForEach-Object Name)
    Write-Check ($missing.Count -eq 0) "every cmdlet of CmdletsToExport is exported ($($ExpectedCmdlets.Count)$(if ($missing) { "; missing: $($missing -join ', ')" }))"
    Write-Check (@($ExpectedCmdlets | Where-Object { $_ -notin $commands }).Count -eq 0) 'Get-Command -Module finds each of them'

    $cmdlet = @(@($ExpectedCmdlets | Where-Object { $_ -in $exported }) + @($ExpectedCmdlets))[0]
    $help = Get-Help -Name $cmdlet -Full
    $description = if ($help.PSObject.Properties['description'] -and $help.description) { ($help.description | ForEach-Object Text) -join ' ' } else { '' }
    Write-Check ([bool]$description.Trim()) "Get-Help $cmdlet shows its MAML help (synopsis: $($help.Synopsis))"
    $aboutName = 'about_' + ($ModuleName -replace '\.', '_')
    $about = @(Get-Help -Name $aboutName -ErrorAction SilentlyContinue)
    if (Test-Path (Join-Path $base "en-US/$aboutName.help.txt")) {
        Write-Check ($about.Count -gt 0 -and [bool]"$($about[0])".Trim()) "Get-Help $aboutName finds the about topic"
    }

    $rootDll = Join-Path $base "$ModuleName.dll"
    $helpXml = Join-Path $base "en-US/$ModuleName.dll-Help.xml"
    Write-Check (Test-Path -LiteralPath $rootDll -PathType Leaf) "the package has $ModuleName.dll"
    Write-Check (Test-Path -LiteralPath $helpXml -PathType Leaf) "the package has en-US/$ModuleName.dll-Help.xml"
    $dependencies = Join-Path $base 'dependencies'
    $dependencyDlls = @(if (Test-Path -LiteralPath $dependencies -PathType Container) { Get-ChildItem -LiteralPath $dependencies -Filter *.dll | ForEach-Object Name })
    Write-Check ($dependencyDlls.Count -gt 0) "the package has dependencies/ ($($dependencyDlls.Count) DLLs)"
    foreach ($dll in 'Microsoft.Graph.dll', "$ModuleName.Engine.dll") {
        Write-Check ($dll -in $dependencyDlls) "dependencies/ has $dll"
    }
    # The bill of materials travels with what PSResourceGet installs, and lists what it installed.
    $sbomPath = Join-Path $base "$ModuleName.sbom.cdx.json"
    Write-Check (Test-Path -LiteralPath $sbomPath -PathType Leaf) "the installed module has $ModuleName.sbom.cdx.json"
    if (Test-Path -LiteralPath $sbomPath -PathType Leaf) {
        $sbom = Get-Content -LiteralPath $sbomPath -Raw | ConvertFrom-Json
        $listed = @(@($sbom.metadata.component) + @($sbom.components) | ForEach-Object { if ($_.PSObject.Properties['components']) { $_.components.name } })
        $installed = @(Get-ChildItem -LiteralPath $base -Recurse -Filter *.dll -File | ForEach-Object { [IO.Path]::GetRelativePath($base, $_.FullName) -replace '\\', '/' })
        Write-Check ((@($listed | Sort-Object) -join '|') -eq (@($installed | Sort-Object) -join '|')) "its bill lists exactly the $($installed.Count) installed DLLs"
    }
    $sdk = @(Get-ChildItem -LiteralPath $base -Recurse -File | Where-Object { $_.Name -eq 'System.Management.Automation.dll' -or $_.Name -like 'Microsoft.PowerShell.*.dll' })
    Write-Check ($sdk.Count -eq 0) "the package has no PowerShell SDK assembly$(if ($sdk) { ': ' + (($sdk | ForEach-Object Name) -join ', ') })"
} catch {
    Write-Check $false "round trip aborted: $($_.Exception.Message) ($($_.InvocationInfo.PositionMessage))"
} finally {
    if ($registered) {
        try { Unregister-PSResourceRepository -Name $repository -ErrorAction Stop }
        catch { Write-Check $false "could not unregister the temporary repository ${repository}: $($_.Exception.Message)" }
    }
    Get-Module -Name $ModuleName | Remove-Module -Force -ErrorAction SilentlyContinue
    # The module's DLLs stay loaded in this process; on Windows they cannot be deleted until it exits.
    Remove-Item -LiteralPath $modulePath -Recurse -Force -ErrorAction SilentlyContinue
}

if ($failures.Count -gt 0) {
    Write-Host "Round trip FAILED: $($failures.Count) problem(s)." -ForegroundColor Red
    exit 1
}
Write-Host "Round trip passed: $ModuleName saved, imported by name, $(@($ExpectedCmdlets).Count) cmdlets, help and dependencies present." -ForegroundColor Green
exit 0
