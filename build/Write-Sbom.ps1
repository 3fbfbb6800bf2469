#Requires -Version 7.4
<#
.SYNOPSIS
Writes the module's bill of materials (CycloneDX JSON) into the assembled module folder.

.DESCRIPTION
Build-time only (build/ never ships). build.ps1 Build runs it after assembling out/Dropzone.ExoSetup,
so the bill travels in the .nupkg and in what PSResourceGet installs.

The CycloneDX tool (pinned in .config/dotnet-tools.json) reads the engine's resolved package graph
(obj/project.assets.json, from the locked restore) and lists each package with its version, licence
and the package's own hash. This script then says what of it ships:
- every DLL in the module folder (the cmdlet assembly, and each one in dependencies/) becomes a
  component of type "file" with its SHA-256, nested under the package that brought it (the engine
  and the cmdlet assembly under the module itself);
- a package none of whose DLLs ships (a netstandard2.0 polyfill the runtime provides, a package of
  build props) keeps its entry with scope "excluded", so the bill still tells the whole graph.
The timestamp is left out, so the same DLLs give the same bill on every day.

.PARAMETER ModulePath
The assembled module folder (out/Dropzone.ExoSetup).

.PARAMETER EngineProject
The engine's project file, whose restored graph the CycloneDX tool reads.

.PARAMETER Version
The module's version (the manifest's ModuleVersion).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][string] $ModulePath,
    [Parameter(Mandatory)][string] $EngineProject,
    [Parameter(Mandatory)][string] $Version
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$SbomName = 'Dropzone.ExoSetup.sbom.cdx.json'
$work = Join-Path ([IO.Path]::GetTempPath()) "dz-sbom-$([guid]::NewGuid().ToString('N'))"
try {
    # -dpr: the locked restore already ran; -ns: no random serial number.
    & dotnet dotnet-CycloneDX $EngineProject --output $work --filename 'bom.json' --output-format Json `
        --disable-package-restore --no-serial-number --framework netstandard2.0 `
        --set-name 'Dropzone.ExoSetup' --set-version $Version --set-type Library | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "Write-Sbom: dotnet-CycloneDX failed with exit code $LASTEXITCODE (run 'dotnet tool restore')." }
    $bom = Get-Content -LiteralPath (Join-Path $work 'bom.json') -Raw | ConvertFrom-Json -AsHashtable
} finally {
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
}

# Which package brings each runtime DLL, from the same graph the tool read.
$assetsPath = Join-Path (Split-Path $EngineProject -Parent) 'obj/project.assets.json'
$assets = Get-Content -LiteralPath $assetsPath -Raw | ConvertFrom-Json -AsHashtable
$packageOfDll = @{}
foreach ($target in $assets.targets.Values) {
    foreach ($entry in $target.GetEnumerator()) {
        if ($entry.Value['type'] -ne 'package' -or -not $entry.Value.ContainsKey('runtime')) { continue }
        foreach ($file in $entry.Value.runtime.Keys) {
            $name = Split-Path $file -Leaf
            if ($name -like '*.dll') { $packageOfDll[$name] = "pkg:nuget/$($entry.Key -replace '/', '@')" }
        }
    }
}

function New-FileComponent([IO.FileInfo] $File) {
    $relative = [IO.Path]::GetRelativePath($ModulePath, $File.FullName) -replace '\\', '/'
    [ordered]@{
        type     = 'file'
        'bom-ref' = "file:$relative"
        name     = $relative
        hashes   = @([ordered]@{ alg = 'SHA-256'; content = (Get-FileHash -LiteralPath $File.FullName -Algorithm SHA256).Hash.ToLowerInvariant() })
    }
}

$filesOf = @{}
$ownFiles = [Collections.Generic.List[object]]::new()
$dlls = Get-ChildItem -LiteralPath $ModulePath -Filter *.dll -File -Recurse | Sort-Object FullName
foreach ($dll in $dlls) {
    $ref = $packageOfDll[$dll.Name]
    if ($ref) {
        if (-not $filesOf.ContainsKey($ref)) { $filesOf[$ref] = [Collections.Generic.List[object]]::new() }
        $filesOf[$ref].Add((New-FileComponent $dll))
    } elseif ($dll.Name -like 'Dropzone.ExoSetup*.dll') {
        $ownFiles.Add((New-FileComponent $dll))
    } else {
        throw "Write-Sbom: $($dll.FullName) ships, but no package of the engine's graph brings it."
    }
}

foreach ($component in $bom.components) {
    $ref = $component['bom-ref']
    if ($filesOf.ContainsKey($ref)) {
        $component['components'] = @($filesOf[$ref])
    } else {
        $component['scope'] = 'excluded'
    }
}
$bom.metadata.Remove('timestamp')
$bom.metadata.component['components'] = @($ownFiles)
$bom.metadata.component['licenses'] = @(@{ license = @{ id = 'MIT' } })

$target = Join-Path $ModulePath $SbomName
$bom | ConvertTo-Json -Depth 32 | Set-Content -LiteralPath $target -Encoding utf8NoBOM
$shipped = @($bom.components | Where-Object { $_['scope'] -ne 'excluded' }).Count
Write-Host "SBOM: $SbomName ($shipped shipped packages, $($dlls.Count) DLLs with SHA-256, $(@($bom.components).Count - $shipped) excluded)" -ForegroundColor DarkGray
