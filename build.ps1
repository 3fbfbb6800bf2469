#Requires -Version 7.4
<#
.SYNOPSIS
Builds, tests and packages Dropzone.ExoSetup.

.DESCRIPTION
Tasks:
  Build    (default) publish the cmdlet and engine assemblies and assemble out/Dropzone.ExoSetup
  Test     Build, then the xunit suites and the Pester suite (in a fresh pwsh); ends with
           one line "N passed, N failed" and exits non-zero on any failure
  Demo     Build, then the tenant emulator, then tests/Demo/Invoke-Demo.ps1 in a fresh pwsh: the whole
           set-up against a local tenant emulator (never Microsoft 365); exits with the demo's exit code
  Bench    Build, then the tenant emulator, then tests/Bench/Invoke-Bench.ps1 in a fresh pwsh: the
           module against tests/Bench/ManualProcedure.ps1 (the vendor's procedure scripted by hand)
           with -LatencyMilliseconds per Graph request and -ExchangeLatencyMilliseconds per Exchange
           call; Graph requests, round trips, writes, Exchange calls, wall time,
           Import-Module time and peak working set, printed and written to out/bench.json; then
           tests/Bench/Invoke-TenantsBench.ps1: 50 tenants through Install-DropzoneExoTenantIntegration
           against the loop of 50 single runs (wall time, calls per tenant, peak working set at 10, 50
           and 200 tenants), written to out/bench-tenants.json. Exits 0
           even when a target is missed (it is a measurement), non-zero only when the bench failed
  Package  Build, then a PowerShell Gallery package (.nupkg) published with PSResourceGet to a
           local repository under out/, installed from it into a temporary module path in a fresh
           pwsh and imported by name
  Relock   re-resolve every project's packages from Directory.Packages.props and rewrite the
           packages.lock.json files (the one deliberate way to change a dependency); then Build
           and review the lock-file diff and what changed in dependencies/
  Clean    remove out/ and every bin/ and obj/

Every other task restores in NuGet's locked mode: a project whose packages would resolve to
anything but its committed packages.lock.json fails at restore (NU1004) instead of building a
different module.

A fresh machine needs only the .NET SDK: run `dotnet tool restore` first, then
`dotnet pwsh ./build.ps1 <Task>`. Everything else (NuGet packages, Pester) is restored here.

.PARAMETER LatencyMilliseconds
Bench only: the tenant emulator's fixed delay per Graph request in milliseconds (a $batch counts
once); 0 = none. Default 50.

.PARAMETER ExchangeLatencyMilliseconds
Bench only: what one Exchange cmdlet call takes, in milliseconds (the fake ExchangeOnlineManagement
waits for what the emulator's delay does not cover). Default 500.

.PARAMETER ConsentLagSeconds
Bench only: how long Entra ID refuses consent to a service principal created moments ago. Default 3.

.PARAMETER ExchangeLagSeconds
Bench only: how long Exchange Online does not see a service principal created moments ago. Default 3.

.EXAMPLE
dotnet tool restore && dotnet pwsh ./build.ps1 Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Bench', 'Package', 'Relock', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    [int] $LatencyMilliseconds = 50,

    [int] $ExchangeLatencyMilliseconds = 500,

    [double] $ConsentLagSeconds = 3,

    [double] $ExchangeLagSeconds = 3
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleOut = Join-Path $Out 'Dropzone.ExoSetup'
$PublishOut = Join-Path $Out 'publish'
$ResultsOut = Join-Path $Out 'test-results'
$EmulatorOut = Join-Path $Out 'tools/TenantEmulator'
$PesterVersion = '5.7.1'
$script:Restored = $false

# Every project with a lock file, restored together in locked mode before anything builds.
$LockedProjects = @(
    'src/Dropzone.ExoSetup.Engine/Dropzone.ExoSetup.Engine.csproj'
    'src/Dropzone.ExoSetup/Dropzone.ExoSetup.csproj'
    'tests/TenantEmulator/TenantEmulator.csproj'
    'tests/Dropzone.ExoSetup.Engine.Tests/Dropzone.ExoSetup.Engine.Tests.csproj'
    'tests/TenantEmulator.Tests/TenantEmulator.Tests.csproj'
    'tests/tools/TestTools.csproj'
)

# The engine's dependencies that ship in dependencies/. Every DLL the engine's publish produces is
# either here or in $RuntimeProvided; anything else fails the build, so a new dependency is a
# decision, not an accident.
$ShippedDependencies = @(
    'Dropzone.ExoSetup.Engine.dll'
    'Azure.Core.dll'
    'Azure.Identity.dll'
    'Microsoft.Bcl.AsyncInterfaces.dll'
    'Microsoft.Bcl.Cryptography.dll'
    'Microsoft.Bcl.TimeProvider.dll'
    'Microsoft.Extensions.Configuration.Abstractions.dll'
    'Microsoft.Extensions.DependencyInjection.Abstractions.dll'
    'Microsoft.Extensions.Diagnostics.Abstractions.dll'
    'Microsoft.Extensions.FileProviders.Abstractions.dll'
    'Microsoft.Extensions.Hosting.Abstractions.dll'
    'Microsoft.Extensions.Logging.Abstractions.dll'
    'Microsoft.Extensions.Options.dll'
    'Microsoft.Extensions.Primitives.dll'
    'Microsoft.Graph.Core.dll'
    'Microsoft.Graph.dll'
    'Microsoft.IO.RecyclableMemoryStream.dll'
    'Microsoft.Identity.Client.Extensions.Msal.dll'
    'Microsoft.Identity.Client.dll'
    'Microsoft.IdentityModel.Abstractions.dll'
    'Microsoft.IdentityModel.JsonWebTokens.dll'
    'Microsoft.IdentityModel.Logging.dll'
    'Microsoft.IdentityModel.Protocols.OpenIdConnect.dll'
    'Microsoft.IdentityModel.Protocols.dll'
    'Microsoft.IdentityModel.Tokens.dll'
    'Microsoft.IdentityModel.Validators.dll'
    'Microsoft.Kiota.Abstractions.dll'
    'Microsoft.Kiota.Authentication.Azure.dll'
    'Microsoft.Kiota.Http.HttpClientLibrary.dll'
    'Microsoft.Kiota.Serialization.Form.dll'
    'Microsoft.Kiota.Serialization.Json.dll'
    'Microsoft.Kiota.Serialization.Multipart.dll'
    'Microsoft.Kiota.Serialization.Text.dll'
    'Std.UriTemplate.dll'
    'System.ClientModel.dll'
    'System.IdentityModel.Tokens.Jwt.dll'
    'System.Memory.Data.dll'
    'System.Security.Cryptography.ProtectedData.dll'
)

# netstandard2.0 polyfills that PowerShell 7.4+ (.NET 8+) already has. They must come from the
# runtime, or their types would not match the ones PowerShell and the cmdlet assembly use.
$RuntimeProvided = @(
    'Microsoft.CSharp.dll'
    'System.Buffers.dll'
    'System.ComponentModel.Annotations.dll'
    'System.Diagnostics.DiagnosticSource.dll'
    'System.Formats.Asn1.dll'
    'System.IO.FileSystem.AccessControl.dll'
    'System.IO.Pipelines.dll'
    'System.Memory.dll'
    'System.Numerics.Vectors.dll'
    'System.Runtime.CompilerServices.Unsafe.dll'
    'System.Security.AccessControl.dll'
    'System.Security.Cryptography.Cng.dll'
    'System.Security.Principal.Windows.dll'
    'System.Text.Encodings.Web.dll'
    'System.Text.Json.dll'
    'System.Threading.Tasks.Extensions.dll'
)

function Invoke-Dotnet {
    # A plain function (no param block) so that dotnet's own switches like -o are not taken for ours.
    $Arguments = [string[]] $args
    Write-Host "dotnet $($Arguments -join ' ')" -ForegroundColor DarkGray
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($Arguments[0]) failed with exit code $LASTEXITCODE" }
}

function Invoke-LockedRestore {
    # Once per build.ps1 run: every later dotnet call passes --no-restore, so nothing resolves twice.
    if ($script:Restored) { return }
    foreach ($project in $LockedProjects) {
        Invoke-Dotnet restore (Join-Path $Root $project) --locked-mode --nologo -v quiet
    }
    $script:Restored = $true
}

function Invoke-Relock {
    # Re-resolve from Directory.Packages.props (--force-evaluate ignores the lock files' answers)
    # and write the lock files anew; git shows what moved.
    foreach ($project in $LockedProjects) {
        Invoke-Dotnet restore (Join-Path $Root $project) --force-evaluate --nologo -v quiet
    }
    Write-Host "`nLock files rewritten. What changed:" -ForegroundColor Cyan
    & git -C $Root diff --stat -- '*packages.lock.json'
    Write-Host "Next: dotnet pwsh ./build.ps1 Build (the allow-list names any DLL that appeared in or vanished from dependencies/), review, commit Directory.Packages.props with the lock files." -ForegroundColor Cyan
}

function Get-EnginePackageOfDll {
    # Which package brings each runtime DLL of the engine, from the engine's resolved graph
    # (obj/project.assets.json, written by the locked restore): 'Azure.Core.dll' -> 'Azure.Core 1.53.0'.
    $assetsPath = Join-Path $Root 'src/Dropzone.ExoSetup.Engine/obj/project.assets.json'
    $map = @{}
    if (-not (Test-Path -LiteralPath $assetsPath)) { return $map }
    $assets = Get-Content -LiteralPath $assetsPath -Raw | ConvertFrom-Json -AsHashtable
    foreach ($target in $assets.targets.Values) {
        foreach ($entry in $target.GetEnumerator()) {
            if (-not $entry.Value.ContainsKey('runtime')) { continue }
            $package = $entry.Key -replace '/', ' '
            foreach ($file in $entry.Value.runtime.Keys) {
                $name = Split-Path $file -Leaf
                if ($name -like '*.dll') { $map[$name] = $package }
            }
        }
    }
    $map
}

function Invoke-Build {
    Invoke-LockedRestore
    $cmdletPublish = Join-Path $PublishOut 'cmdlets'
    $enginePublish = Join-Path $PublishOut 'engine'
    foreach ($dir in $cmdletPublish, $enginePublish) { if (Test-Path $dir) { Remove-Item $dir -Recurse -Force } }
    Invoke-Dotnet publish (Join-Path $Root 'src/Dropzone.ExoSetup.Engine/Dropzone.ExoSetup.Engine.csproj') -c $Configuration -o $enginePublish --no-restore --nologo -v quiet
    Invoke-Dotnet publish (Join-Path $Root 'src/Dropzone.ExoSetup/Dropzone.ExoSetup.csproj') -c $Configuration -o $cmdletPublish --no-restore --nologo -v quiet

    $published = Get-ChildItem $enginePublish -Filter *.dll | ForEach-Object Name
    $missing = @($ShippedDependencies | Where-Object { $_ -notin $published })
    $unknown = @($published | Where-Object { $_ -notin $ShippedDependencies -and $_ -notin $RuntimeProvided })
    if ($missing -or $unknown) {
        $packageOf = Get-EnginePackageOfDll
        $lines = @()
        foreach ($dll in $missing) { $lines += "  missing: $dll (allow-listed, but no package in src/Dropzone.ExoSetup.Engine/packages.lock.json brings it any more)" }
        foreach ($dll in $unknown) { $lines += "  new:     $dll (brought by $(if ($packageOf[$dll]) { $packageOf[$dll] } else { 'an unknown package' }); on neither list in build.ps1)" }
        # Written plainly first: a thrown message is wrapped to the console's width.
        Write-Host "The engine's publish does not match the allow-list in build.ps1:" -ForegroundColor Red
        foreach ($line in $lines) { Write-Host $line -ForegroundColor Red }
        Write-Host ('A dependency changed: see the lock-file diff (git diff -- ''*packages.lock.json''), decide whether each DLL ships, ' +
            'and update $ShippedDependencies or $RuntimeProvided. How to bump a dependency: README, "Where things go", "A dependency".') -ForegroundColor Red
        throw "The engine's publish does not match the allow-list in build.ps1 ($($missing.Count) missing, $($unknown.Count) new; see above)."
    }

    if (Test-Path $ModuleOut) { Remove-Item $ModuleOut -Recurse -Force }
    $dependencies = New-Item -ItemType Directory -Path (Join-Path $ModuleOut 'dependencies') -Force
    Copy-Item (Join-Path $Root 'Dropzone.ExoSetup.psd1') $ModuleOut
    Copy-Item (Join-Path $Root 'LICENSE') $ModuleOut
    foreach ($file in 'Dropzone.ExoSetup.dll', 'Dropzone.ExoSetup.pdb') { Copy-Item (Join-Path $cmdletPublish $file) $ModuleOut }
    Copy-Item (Join-Path $Root 'src/Dropzone.ExoSetup/Dropzone.ExoSetup.format.ps1xml') $ModuleOut
    foreach ($file in $ShippedDependencies) { Copy-Item (Join-Path $enginePublish $file) $dependencies }
    Copy-Item (Join-Path $enginePublish 'Dropzone.ExoSetup.Engine.pdb') $dependencies
    # MAML help and the about topic, compiled from the platyPS markdown in docs/; fails on any gap.
    & (Join-Path $Root 'build/Build-Help.ps1') -ModulePath $ModuleOut `
        -SourceDirectory (Join-Path $Root 'docs') -OutputDirectory (Join-Path $ModuleOut 'en-US')
    # The bill of materials of what ships (CycloneDX, the tool pinned in .config/dotnet-tools.json).
    $moduleVersion = [string](Import-PowerShellDataFile (Join-Path $Root 'Dropzone.ExoSetup.psd1')).ModuleVersion
    & (Join-Path $Root 'build/Write-Sbom.ps1') -ModulePath $ModuleOut -Version $moduleVersion `
        -EngineProject (Join-Path $Root 'src/Dropzone.ExoSetup.Engine/Dropzone.ExoSetup.Engine.csproj')
    Write-Host "Module assembled in $ModuleOut ($($ShippedDependencies.Count) dependencies)." -ForegroundColor Green
}

function Invoke-BuildTestTools {
    # Pester and the assemblies the isolation tests preload come from NuGet, pinned in
    # tests/tools/TestTools.csproj; the locked restore already brought them.
    Invoke-LockedRestore
    Invoke-Dotnet build (Join-Path $Root 'tests/TenantEmulator/TenantEmulator.csproj') -c $Configuration -o $EmulatorOut --no-restore --nologo -v quiet
}

function Invoke-Demo {
    Invoke-Build
    Invoke-BuildTestTools
    Write-Host "`n== Demo (fresh pwsh): tests/Demo/Invoke-Demo.ps1" -ForegroundColor Cyan
    & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tests/Demo/Invoke-Demo.ps1')
    exit $LASTEXITCODE
}

function Invoke-Bench {
    Invoke-Build
    Invoke-BuildTestTools
    Write-Host "`n== Bench (fresh pwsh): tests/Bench/Invoke-Bench.ps1 -LatencyMilliseconds $LatencyMilliseconds -ExchangeLatencyMilliseconds $ExchangeLatencyMilliseconds -ConsentLagSeconds $ConsentLagSeconds -ExchangeLagSeconds $ExchangeLagSeconds" -ForegroundColor Cyan
    & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tests/Bench/Invoke-Bench.ps1') `
        -LatencyMilliseconds $LatencyMilliseconds -ExchangeLatencyMilliseconds $ExchangeLatencyMilliseconds `
        -ConsentLagSeconds $ConsentLagSeconds -ExchangeLagSeconds $ExchangeLagSeconds -OutputPath (Join-Path $Out 'bench.json')
    $single = $LASTEXITCODE
    Write-Host "`n== Bench, many tenants (fresh pwsh): tests/Bench/Invoke-TenantsBench.ps1 -LatencyMilliseconds $LatencyMilliseconds -ExchangeLatencyMilliseconds $ExchangeLatencyMilliseconds" -ForegroundColor Cyan
    & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tests/Bench/Invoke-TenantsBench.ps1') `
        -LatencyMilliseconds $LatencyMilliseconds -ExchangeLatencyMilliseconds $ExchangeLatencyMilliseconds -OutputPath (Join-Path $Out 'bench-tenants.json')
    exit $(if ($single -ne 0) { $single } else { $LASTEXITCODE })
}

function Get-TrxCounts {
    param([string] $Path)
    [xml] $trx = Get-Content -LiteralPath $Path -Raw
    $counters = $trx.TestRun.ResultSummary.Counters
    [pscustomobject]@{ Passed = [int]$counters.passed; Failed = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout }
}

function Invoke-Test {
    Invoke-Build
    Invoke-BuildTestTools
    if (Test-Path $ResultsOut) { Remove-Item $ResultsOut -Recurse -Force }
    $null = New-Item -ItemType Directory -Path $ResultsOut
    $passed = 0; $failed = 0; $broken = @()

    foreach ($project in Get-ChildItem (Join-Path $Root 'tests') -Filter *.Tests.csproj -Recurse) {
        $trx = "$($project.BaseName).trx"
        Write-Host "`n== xunit: $($project.BaseName)" -ForegroundColor Cyan
        & dotnet test $project.FullName -c $Configuration --no-restore --nologo --logger "trx;LogFileName=$trx" --logger 'console;verbosity=normal' --results-directory $ResultsOut
        $trxPath = Join-Path $ResultsOut $trx
        if (Test-Path $trxPath) {
            $counts = Get-TrxCounts $trxPath
            $passed += $counts.Passed; $failed += $counts.Failed
            if ($LASTEXITCODE -ne 0 -and $counts.Failed -eq 0) { $broken += $project.BaseName }
        } else {
            $broken += $project.BaseName
        }
    }

    Write-Host "`n== Pester (fresh pwsh)" -ForegroundColor Cyan
    $pesterJson = Join-Path $ResultsOut 'pester-counts.json'
    & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tests/Invoke-PesterSuite.ps1') -PesterVersion $PesterVersion -ResultDirectory $ResultsOut
    if (Test-Path $pesterJson) {
        $counts = Get-Content $pesterJson -Raw | ConvertFrom-Json
        $passed += $counts.Passed; $failed += $counts.Failed
    } else {
        $broken += 'Pester'
    }

    # The suites must leave no emulator behind (each one exits with its parent within a second).
    Start-Sleep -Seconds 1
    # Only this checkout's emulator counts: another checkout's test run on the same machine is not ours to stop.
    $ownEmulator = [regex]::Escape((Join-Path $EmulatorOut 'TenantEmulator.dll'))
    $leftover = @(Get-Process -Name dotnet -ErrorAction SilentlyContinue | Where-Object { $_.CommandLine -match $ownEmulator })
    if ($leftover) {
        Write-Host "FAILED: $($leftover.Count) tenant emulator process(es) left behind: $($leftover.Id -join ', ')" -ForegroundColor Red
        $leftover | Stop-Process -Force
        $failed++
    } else {
        Write-Host 'No tenant emulator process left behind.' -ForegroundColor DarkGray
        $passed++
    }

    foreach ($suite in $broken) {
        Write-Host "FAILED: the suite $suite did not run to completion." -ForegroundColor Red
        $failed++
    }
    Write-Host ''
    Write-Host "$passed passed, $failed failed"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Package {
    # The PowerShell Gallery package, made and checked offline: Build (unless
    # $env:DROPZONE_PACKAGE_SKIPBUILD is 1, to package an out/Dropzone.ExoSetup just built), publish it
    # with PSResourceGet to a local file repository out/package-repository (registered under a
    # temporary name, unregistered in finally: PSResourceGet keeps its repository list in the user's
    # profile, which must end as it began), keep a copy as out/Dropzone.ExoSetup.<version>.nupkg, then
    # the round trip in a fresh pwsh (tests/Package/Test-PackageRoundTrip.ps1): save it into a temporary
    # module path, import it by name and check cmdlets, help and dependencies. Only the local
    # repository is ever named, and every HTTP proxy variable points at a closed port meanwhile, so
    # nothing reaches PSGallery.
    $started = [Diagnostics.Stopwatch]::StartNew()
    if ($env:DROPZONE_PACKAGE_SKIPBUILD -eq '1') {
        Write-Host "Package: skipping Build (DROPZONE_PACKAGE_SKIPBUILD=1), packaging $ModuleOut as it is." -ForegroundColor DarkGray
    } else {
        Invoke-Build
    }
    $manifestPath = Join-Path $ModuleOut 'Dropzone.ExoSetup.psd1'
    if (-not (Test-Path -LiteralPath $manifestPath)) { throw "Package: no built module at $ModuleOut; run ./build.ps1 Build first." }
    $manifest = Import-PowerShellDataFile -LiteralPath $manifestPath
    $version = [string]$manifest.ModuleVersion
    $prerelease = if ($manifest.PrivateData -and $manifest.PrivateData.PSData -and $manifest.PrivateData.PSData['Prerelease']) { "-$($manifest.PrivateData.PSData['Prerelease'])" } else { '' }

    $psResourceGet = Get-Module -ListAvailable Microsoft.PowerShell.PSResourceGet | Sort-Object Version -Descending | Select-Object -First 1
    if (-not $psResourceGet) { throw 'Package: Microsoft.PowerShell.PSResourceGet is not available (it ships with PowerShell 7.4+; run `dotnet pwsh ./build.ps1 Package`).' }
    Import-Module $psResourceGet -ErrorAction Stop
    Write-Host "Package: PSResourceGet $($psResourceGet.Version)" -ForegroundColor DarkGray

    $repositoryPath = Join-Path $Out 'package-repository'
    if (Test-Path $repositoryPath) { Remove-Item $repositoryPath -Recurse -Force }
    $null = New-Item -ItemType Directory -Path $repositoryPath
    Get-ChildItem $Out -Filter 'Dropzone.ExoSetup.*.nupkg' -File | Remove-Item -Force
    $repositoryName = "DropzoneExoSetupPackage-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    $describe = { @(Get-PSResourceRepository | Sort-Object Name | ForEach-Object { "$($_.Name)|$($_.Uri)|$($_.Trusted)|$($_.Priority)|$($_.ApiVersion)" }) -join "`n" }
    $repositoriesBefore = & $describe
    $proxyNames = 'HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'all_proxy', 'no_proxy'
    $proxySaved = @{}
    foreach ($name in $proxyNames) { $proxySaved[$name] = [Environment]::GetEnvironmentVariable($name) }
    $modulePath = Join-Path ([IO.Path]::GetTempPath()) "dz-package-modules-$([guid]::NewGuid().ToString('N'))"
    $registered = $false
    $listChanged = $false
    try {
        foreach ($name in $proxyNames) { [Environment]::SetEnvironmentVariable($name, $(if ($name -like 'no_*') { $null } else { 'http://127.0.0.1:9' })) }

        Register-PSResourceRepository -Name $repositoryName -Uri $repositoryPath -Trusted -Priority 1
        $registered = $true
        Write-Host "Package: Publish-PSResource -Path $ModuleOut -Repository $repositoryName ($repositoryPath)" -ForegroundColor DarkGray
        Publish-PSResource -Path $ModuleOut -Repository $repositoryName -SkipDependenciesCheck
        $nupkgs = @(Get-ChildItem $repositoryPath -Filter '*.nupkg' -File)
        $expectedName = "Dropzone.ExoSetup.$version$prerelease.nupkg"
        if ($nupkgs.Count -ne 1 -or $nupkgs[0].Name -ne $expectedName) {
            throw "Package: expected $expectedName in $repositoryPath, found: $(if ($nupkgs) { $nupkgs.Name -join ', ' } else { 'nothing' })"
        }
        $nupkg = Join-Path $Out $expectedName
        Copy-Item $nupkgs[0].FullName $nupkg
        Unregister-PSResourceRepository -Name $repositoryName
        $registered = $false

        Write-Host "`n== Package round trip (fresh pwsh)" -ForegroundColor Cyan
        & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tests/Package/Test-PackageRoundTrip.ps1') `
            -RepositoryPath $repositoryPath -ModuleName 'Dropzone.ExoSetup' -ManifestPath $manifestPath -ModulePath $modulePath
        if ($LASTEXITCODE -ne 0) { throw "Package: the round trip failed (exit code $LASTEXITCODE); see above." }
    } finally {
        if ($registered) { Unregister-PSResourceRepository -Name $repositoryName -ErrorAction Continue }
        foreach ($name in $proxyNames) { [Environment]::SetEnvironmentVariable($name, $proxySaved[$name]) }
        Remove-Item -LiteralPath $modulePath -Recurse -Force -ErrorAction SilentlyContinue
        $repositoriesAfter = & $describe
        if ($repositoriesAfter -ne $repositoriesBefore) {
            Write-Host "Package: the PSResourceGet repository list changed!`nbefore:`n$repositoriesBefore`nafter:`n$repositoriesAfter" -ForegroundColor Red
            $listChanged = $true
        }
    }
    if ($listChanged) { throw 'Package: the PSResourceGet repository list was not left as it was.' }
    $size = '{0:N1} MB' -f ((Get-Item $nupkg).Length / 1MB)
    Write-Host "Package: $nupkg ($size; also in $repositoryPath) - round trip passed in $([int]$started.Elapsed.TotalSeconds) s." -ForegroundColor Green
}

function Invoke-Clean {
    if (Test-Path $Out) { Remove-Item $Out -Recurse -Force }
    Get-ChildItem $Root -Directory -Recurse -Include bin, obj | Where-Object FullName -NotMatch '[\\/]\.git[\\/]' |
        Remove-Item -Recurse -Force
}

Push-Location $Root
try {
    switch ($Task) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Test }
        'Demo' { Invoke-Demo }
        'Bench' { Invoke-Bench }
        'Package' { Invoke-Package }
        'Relock' { Invoke-Relock }
        'Clean' { Invoke-Clean }
    }
} finally {
    Pop-Location
}
