# The same module from every clone: every project restores from its committed packages.lock.json,
# a version changed without re-locking fails at restore (NuGet's NU1004) under CI=true, the Relock
# task is the way to change one, and the allow-list names the package behind a DLL that appears or
# vanishes. Each case works on a copy of this checkout in a temporary folder (the files git tracks
# or would track), so the checkout the other suites load is never touched.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:RepoRoot = Get-TestRepoRoot

    function Invoke-InCopy {
        # `dotnet <arguments>` in the copy with CI=true (as CI runs), output and exit code returned.
        param([string[]] $Arguments, [int] $TimeoutSeconds = 300)
        $started = Start-DotnetProcess -Arguments $Arguments -WorkingDirectory $script:Copy -Environment @{ CI = 'true'; NO_COLOR = '1' }
        if (-not $started.Process.WaitForExit($TimeoutSeconds * 1000)) {
            $started.Process.Kill($true)
            throw "dotnet $($Arguments -join ' ') did not finish within $TimeoutSeconds s."
        }
        $started.Process.WaitForExit()
        [pscustomobject]@{
            ExitCode = $started.Process.ExitCode
            # Plain text: no colour codes (they are not valid in the test report's XML either).
            Output   = "$($started.StandardOutput.Result)`n$($started.StandardError.Result)" -replace '\x1b\[[0-9;]*[A-Za-z]', ''
        }
    }

    function Set-PinnedVersion([string] $Package, [string] $Version) {
        $path = Join-Path $script:Copy 'Directory.Packages.props'
        $text = Get-Content -LiteralPath $path -Raw
        $pattern = "(<PackageVersion Include=""$([regex]::Escape($Package))"" Version="")[^""]+("")"
        if ($text -notmatch $pattern) { throw "Directory.Packages.props pins no $Package." }
        Set-Content -LiteralPath $path -Value ([regex]::Replace($text, $pattern, "`${1}$Version`${2}")) -NoNewline
    }

    function Get-LockedVersion([string] $Project, [string] $Package) {
        $lock = Get-Content -LiteralPath (Join-Path $script:Copy "$Project/packages.lock.json") -Raw | ConvertFrom-Json -AsHashtable
        foreach ($framework in $lock.dependencies.Values) { if ($framework.ContainsKey($Package)) { return $framework[$Package].resolved } }
    }

    $script:Copy = Join-Path ([IO.Path]::GetTempPath()) "dz-lock-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    $files = @(& git -C $RepoRoot ls-files --cached --others --exclude-standard)
    foreach ($file in $files) {
        $source = Join-Path $RepoRoot $file
        if (-not (Test-Path -LiteralPath $source -PathType Leaf)) { continue }
        $target = Join-Path $Copy $file
        $null = New-Item -ItemType Directory -Path (Split-Path $target -Parent) -Force
        Copy-Item -LiteralPath $source -Destination $target
    }

    # Std.UriTemplate: pinned transitively (Kiota brings it), and a newer patch is served.
    $script:Package = 'Std.UriTemplate'
    $script:Locked = Get-LockedVersion 'src/Dropzone.ExoSetup.Engine' $Package
    $script:Bumped = '2.0.13'
}

AfterAll {
    if ($script:Copy) { Remove-Item -LiteralPath $script:Copy -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'The committed lock files' {
    It '<_> has a packages.lock.json' -ForEach @(
        'src/Dropzone.ExoSetup.Engine'
        'src/Dropzone.ExoSetup'
        'tests/TenantEmulator'
        'tests/Dropzone.ExoSetup.Engine.Tests'
        'tests/TenantEmulator.Tests'
        'tests/tools'
    ) {
        Join-Path $RepoRoot "$_/packages.lock.json" | Should -Exist
    }

    It 'no project names a package version of its own (Directory.Packages.props is the one place)' {
        $projects = Get-ChildItem $RepoRoot -Recurse -Filter *.csproj | Where-Object FullName -NotMatch '[\\/](bin|obj|out)[\\/]'
        $projects.Count | Should -BeGreaterThan 4
        foreach ($project in $projects) {
            [xml] $xml = Get-Content -LiteralPath $project.FullName -Raw
            @($xml.SelectNodes('//PackageReference[@Version]')) | Should -BeNullOrEmpty -Because "$($project.Name) takes its versions from Directory.Packages.props"
        }
    }

    It 'pin the isolation''s families in the engine: MSAL, Azure.Core, IdentityModel, Kiota, System.ClientModel, Microsoft.Bcl.*' {
        $lock = Get-Content -LiteralPath (Join-Path $RepoRoot 'src/Dropzone.ExoSetup.Engine/packages.lock.json') -Raw | ConvertFrom-Json -AsHashtable
        $engine = $lock.dependencies['.NETStandard,Version=v2.0']
        foreach ($name in 'Microsoft.Identity.Client', 'Azure.Core', 'Microsoft.IdentityModel.Tokens', 'Microsoft.Kiota.Abstractions', 'System.ClientModel', 'Microsoft.Bcl.AsyncInterfaces') {
            $engine[$name].type | Should -BeIn 'Direct', 'CentralTransitive' -Because "$name is pinned in Directory.Packages.props"
        }
    }

    It 'give the test projects the versions the engine ships' {
        $engine = (Get-Content -LiteralPath (Join-Path $RepoRoot 'src/Dropzone.ExoSetup.Engine/packages.lock.json') -Raw | ConvertFrom-Json -AsHashtable).dependencies['.NETStandard,Version=v2.0']
        $tests = (Get-Content -LiteralPath (Join-Path $RepoRoot 'tests/Dropzone.ExoSetup.Engine.Tests/packages.lock.json') -Raw | ConvertFrom-Json -AsHashtable).dependencies.Values | Select-Object -First 1
        foreach ($name in 'Microsoft.Identity.Client', 'Azure.Core', 'Microsoft.IdentityModel.Tokens', 'Microsoft.Kiota.Abstractions', 'System.ClientModel', 'Microsoft.Graph') {
            $tests[$name].resolved | Should -Be $engine[$name].resolved -Because "the engine tests load the $name that ships"
        }
    }
}

Describe 'A version changed without re-locking' {
    BeforeAll {
        $Locked | Should -Not -Be $Bumped
        Set-PinnedVersion $Package $Bumped
        $script:Refused = Invoke-InCopy @('restore', 'src/Dropzone.ExoSetup.Engine/Dropzone.ExoSetup.Engine.csproj', '--nologo')
        $script:BuildRefused = Invoke-InCopy @('pwsh', '-NoProfile', '-NonInteractive', '-File', 'build.ps1', 'Build')
    }

    It 'fails the restore under CI=true with NuGet''s lock-file error NU1004' {
        $Refused.ExitCode | Should -Not -Be 0 -Because $Refused.Output
        $Refused.Output | Should -Match 'NU1004'
    }

    It 'fails build.ps1 Build at restore, before anything is published' {
        $BuildRefused.ExitCode | Should -Not -Be 0
        $BuildRefused.Output | Should -Match 'NU1004'
        Join-Path $Copy 'out/Dropzone.ExoSetup' | Should -Not -Exist
    }

    It 'leaves the lock file as it was' {
        Get-LockedVersion 'src/Dropzone.ExoSetup.Engine' $Package | Should -Be $Locked
    }
}

Describe 'build.ps1 Relock' {
    BeforeAll {
        $script:Relocked = Invoke-InCopy @('pwsh', '-NoProfile', '-NonInteractive', '-File', 'build.ps1', 'Relock')
        $script:BuiltAfter = Invoke-InCopy @('pwsh', '-NoProfile', '-NonInteractive', '-File', 'build.ps1', 'Build')
    }

    It 'rewrites every project''s lock file with the new version' {
        $Relocked.ExitCode | Should -Be 0 -Because $Relocked.Output
        foreach ($project in 'src/Dropzone.ExoSetup.Engine', 'tests/Dropzone.ExoSetup.Engine.Tests') {
            Get-LockedVersion $project $Package | Should -Be $Bumped -Because "$project resolves $Package through the engine"
        }
    }

    It 'after which the locked build passes again' {
        $BuiltAfter.ExitCode | Should -Be 0 -Because $BuiltAfter.Output
        Join-Path $Copy 'out/Dropzone.ExoSetup/dependencies/Std.UriTemplate.dll' | Should -Exist
    }
}

Describe 'The allow-list of shipped DLLs' {
    BeforeAll {
        # One DLL leaves the allow-list and a retired one takes its place: as if the feed brought a
        # new dependency and dropped an old one.
        $buildScript = Join-Path $Copy 'build.ps1'
        $original = Get-Content -LiteralPath $buildScript -Raw
        Set-Content -LiteralPath $buildScript -Value ($original -replace "'Std\.UriTemplate\.dll'", "'Retired.Dependency.dll'") -NoNewline
        try {
            $script:Mismatch = Invoke-InCopy @('pwsh', '-NoProfile', '-NonInteractive', '-File', 'build.ps1', 'Build')
        } finally {
            Set-Content -LiteralPath $buildScript -Value $original -NoNewline
        }
    }

    It 'fails the build when the publish and the list disagree' {
        $Mismatch.ExitCode | Should -Not -Be 0
    }

    It 'names the new DLL with the package and version that brought it' {
        $Mismatch.Output | Should -Match "new:\s+Std\.UriTemplate\.dll \(brought by Std\.UriTemplate $([regex]::Escape($Bumped))"
    }

    It 'names the allow-listed DLL that no package brings any more' {
        $Mismatch.Output | Should -Match 'missing:\s+Retired\.Dependency\.dll'
    }

    It 'points at the lock-file diff and the README''s way to bump a dependency' {
        $Mismatch.Output | Should -Match 'packages\.lock\.json'
        $Mismatch.Output | Should -Match 'README'
    }
}
