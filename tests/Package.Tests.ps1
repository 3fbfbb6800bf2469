# `build.ps1 Package`: the PowerShell Gallery package. Runs the real task in a child process (which
# publishes to out/package-repository with PSResourceGet and does the round trip in a fresh pwsh,
# tests/Package/Test-PackageRoundTrip.ps1), then looks inside the .nupkg. When out/Dropzone.ExoSetup
# is already built (as `build.ps1 Test` does before Pester), the child packages it as it is
# (DROPZONE_PACKAGE_SKIPBUILD=1) rather than rebuilding the folder the other suites load.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:RepoRoot = Get-TestRepoRoot
    $script:ModulePath = Get-TestModulePath
    $script:Out = Join-Path $RepoRoot 'out'

    Import-Module Microsoft.PowerShell.PSResourceGet -ErrorAction Stop
    $script:DescribeRepositories = { @(Get-PSResourceRepository | Sort-Object Name | ForEach-Object { "$($_.Name)|$($_.Uri)|$($_.Trusted)|$($_.Priority)|$($_.ApiVersion)" }) -join "`n" }
    $script:RepositoriesBefore = & $DescribeRepositories

    $skipBuild = Test-Path (Join-Path $ModulePath 'Dropzone.ExoSetup.dll')
    $savedSkip = $env:DROPZONE_PACKAGE_SKIPBUILD
    $env:DROPZONE_PACKAGE_SKIPBUILD = if ($skipBuild) { '1' } else { $null }
    $watch = [Diagnostics.Stopwatch]::StartNew()
    try {
        $started = Start-DotnetProcess -Arguments @('pwsh', '-NoProfile', '-NonInteractive', '-File', (Join-Path $RepoRoot 'build.ps1'), 'Package')
    } finally {
        $env:DROPZONE_PACKAGE_SKIPBUILD = $savedSkip
    }
    if (-not $started.Process.WaitForExit(300 * 1000)) {
        $started.Process.Kill($true)
        throw 'build.ps1 Package did not finish within 300 s.'
    }
    $started.Process.WaitForExit()
    $script:Elapsed = $watch.Elapsed
    $script:ExitCode = $started.Process.ExitCode
    $script:Output = "stdout:`n$($started.StandardOutput.Result)`nstderr:`n$($started.StandardError.Result)"
    Write-Host "build.ps1 Package (skip build: $skipBuild) took $([int]$Elapsed.TotalSeconds) s, exit code $ExitCode."

    $script:RepositoriesAfter = & $DescribeRepositories
    $manifest = Import-PowerShellDataFile (Join-Path $ModulePath 'Dropzone.ExoSetup.psd1')
    $script:Version = [string]$manifest.ModuleVersion
    $script:Nupkg = Join-Path $Out "Dropzone.ExoSetup.$Version.nupkg"
    $script:Entries = @()
    $script:Nuspec = $null
    $script:DllHashes = @{}
    $script:Sbom = $null
    if (Test-Path -LiteralPath $Nupkg) {
        $zip = [IO.Compression.ZipFile]::OpenRead($Nupkg)
        try {
            $script:Entries = @($zip.Entries | ForEach-Object { [Uri]::UnescapeDataString($_.FullName) })
            # The SHA-256 of each DLL as the package carries it, and the bill of materials beside them.
            $script:DllHashes = @{}
            foreach ($entry in $zip.Entries | Where-Object { $_.FullName -like '*.dll' }) {
                $stream = $entry.Open()
                try { $DllHashes[[Uri]::UnescapeDataString($entry.FullName)] = (Get-FileHash -InputStream $stream -Algorithm SHA256).Hash.ToLowerInvariant() } finally { $stream.Dispose() }
            }
            $sbomEntry = $zip.GetEntry('Dropzone.ExoSetup.sbom.cdx.json')
            if ($sbomEntry) {
                $reader = [IO.StreamReader]::new($sbomEntry.Open())
                try { $script:Sbom = $reader.ReadToEnd() | ConvertFrom-Json -AsHashtable } finally { $reader.Dispose() }
            }
            $nuspecEntry = $zip.GetEntry('Dropzone.ExoSetup.nuspec')
            if ($nuspecEntry) {
                $reader = [IO.StreamReader]::new($nuspecEntry.Open())
                try { $script:Nuspec = [xml]$reader.ReadToEnd() } finally { $reader.Dispose() }
            }
        } finally {
            $zip.Dispose()
        }
    }
}

Describe 'build.ps1 Package' {
    It 'succeeds, round trip included' {
        $ExitCode | Should -Be 0 -Because $Output
        $Output | Should -Match 'Round trip passed'
        $Output | Should -Match ([regex]::Escape("Dropzone.ExoSetup.$Version.nupkg"))
    }

    It 'leaves the .nupkg in out/ and in the local repository out/package-repository' {
        $Nupkg | Should -Exist
        Join-Path $Out "package-repository/Dropzone.ExoSetup.$Version.nupkg" | Should -Exist
    }

    It 'leaves the PSResourceGet repository list as it was' {
        $RepositoriesAfter | Should -BeExactly $RepositoriesBefore
    }

    It 'leaves no temporary repository registered' {
        @(Get-PSResourceRepository | Where-Object { $_.Name -like 'DropzoneExoSetupPackage-*' -or $_.Name -like 'DzRoundTrip-*' }) | Should -BeNullOrEmpty
    }
}

Describe 'The .nupkg' {
    It 'contains <_>' -ForEach @(
        'Dropzone.ExoSetup.psd1'
        'Dropzone.ExoSetup.dll'
        'Dropzone.ExoSetup.format.ps1xml'
        'dependencies/Microsoft.Graph.dll'
        'dependencies/Dropzone.ExoSetup.Engine.dll'
        'en-US/Dropzone.ExoSetup.dll-Help.xml'
        'en-US/about_Dropzone_ExoSetup.help.txt'
    ) {
        $Entries | Should -Contain $_
    }

    It 'contains every DLL of out/Dropzone.ExoSetup/dependencies' {
        $built = @(Get-ChildItem (Join-Path $ModulePath 'dependencies') -Filter *.dll | ForEach-Object { "dependencies/$($_.Name)" })
        $built.Count | Should -BeGreaterThan 0
        @($built | Where-Object { $_ -notin $Entries }) | Should -BeNullOrEmpty
    }

    It 'contains no PowerShell SDK assembly' {
        @($Entries | Where-Object { ($_ -split '/')[-1] -eq 'System.Management.Automation.dll' -or ($_ -split '/')[-1] -like 'Microsoft.PowerShell.*.dll' }) | Should -BeNullOrEmpty
    }

    It 'carries the gallery metadata of the manifest in its nuspec' {
        $Nuspec | Should -Not -BeNullOrEmpty
        $metadata = $Nuspec.package.metadata
        $metadata.id | Should -Be 'Dropzone.ExoSetup'
        $metadata.version | Should -Be $Version
        $metadata.authors | Should -Not -BeNullOrEmpty
        $metadata.description | Should -Not -BeNullOrEmpty
        $metadata.licenseUrl | Should -Match '^https://'
        $metadata.tags | Should -Match '\bPSModule\b'
        $metadata.tags | Should -Match '\bPSEdition_Core\b'
    }
}

Describe 'The bill of materials in the .nupkg' {
    BeforeAll {
        $script:Shipped = @($Sbom.components | Where-Object { $_['scope'] -ne 'excluded' })
        $script:Listed = @{}
        foreach ($owner in @($Sbom.metadata.component) + $Shipped) {
            foreach ($file in @($owner['components'])) { if ($file) { $Listed[$file.name] = $file.hashes[0] } }
        }
    }

    It 'is a CycloneDX JSON document about this module and version' {
        $Sbom | Should -Not -BeNullOrEmpty
        $Sbom.bomFormat | Should -Be 'CycloneDX'
        $Sbom.metadata.component.name | Should -Be 'Dropzone.ExoSetup'
        $Sbom.metadata.component.version | Should -Be $Version
    }

    It 'lists exactly the DLLs the package ships' {
        $DllHashes.Count | Should -BeGreaterThan 30
        @($Listed.Keys | Sort-Object) | Should -Be @($DllHashes.Keys | Sort-Object)
    }

    It 'gives each DLL the SHA-256 of the bytes the package ships' {
        foreach ($dll in $DllHashes.Keys) {
            $Listed[$dll].alg | Should -Be 'SHA-256'
            $Listed[$dll].content | Should -Be $DllHashes[$dll] -Because "$dll in the bill must be the $dll in the package"
        }
    }

    It 'names the package, version and licence of every shipped dependency' {
        $Shipped.Count | Should -BeGreaterThan 30
        foreach ($component in $Shipped) {
            $component.name | Should -Not -BeNullOrEmpty
            $component.version | Should -Match '^\d+\.\d+'
            $component.purl | Should -Be "pkg:nuget/$($component.name)@$($component.version)"
            @($component.licenses).Count | Should -BeGreaterThan 0 -Because "$($component.name) must name its licence"
        }
    }

    It 'records the versions the engine''s lock file pins' {
        $lock = Get-Content -LiteralPath (Join-Path $RepoRoot 'src/Dropzone.ExoSetup.Engine/packages.lock.json') -Raw | ConvertFrom-Json -AsHashtable
        $locked = $lock.dependencies['.NETStandard,Version=v2.0']
        foreach ($component in $Shipped) {
            $component.version | Should -Be $locked[$component.name].resolved -Because "$($component.name) ships at its locked version"
        }
    }
}
