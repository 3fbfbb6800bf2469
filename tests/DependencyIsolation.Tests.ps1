# Cloud Shell's profile imports Az.Accounts before anything else, so some MSAL, Azure.Core and
# System.ClientModel are already in the default load context: older or NEWER than the module's own.
# Each case below loads one such set into a fresh pwsh, before or after the module, then connects,
# reads and runs the whole Install; both sides must keep working, and the module's copies must come
# from its own folder, in its own context.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    # The module itself runs in a fresh pwsh per case.
    $script:Session = Enter-DropzoneTestSession -Tenant default -Variable Emulator, Work
    $nuget = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $script:Sets = @{
        Older = @(
            Join-Path $nuget 'microsoft.identity.client/4.55.0/lib/net6.0/Microsoft.Identity.Client.dll'
            Join-Path $nuget 'azure.core/1.36.0/lib/net6.0/Azure.Core.dll'
        )
        Newer = @(
            Join-Path $nuget 'microsoft.identity.client/4.92.0/lib/net8.0/Microsoft.Identity.Client.dll'
            Join-Path $nuget 'system.clientmodel/1.16.0/lib/net8.0/System.ClientModel.dll'
            Join-Path $nuget 'azure.core/1.64.0/lib/net8.0/Azure.Core.dll'
        )
        # The report's own case: a loader that let the default context answer first bound the
        # engine to this Azure.Core, which then failed on System.ClientModel 1.16.
        NewerWithoutClientModel = @(
            Join-Path $nuget 'microsoft.identity.client/4.92.0/lib/net8.0/Microsoft.Identity.Client.dll'
            Join-Path $nuget 'azure.core/1.64.0/lib/net8.0/Azure.Core.dll'
        )
    }
    # What every case shows: the module's copies come from its own folder, into its own context.
    function Assert-OwnCopies($Result) {
        $ModuleDependencies = Join-Path (Get-TestModulePath) 'dependencies'
        foreach ($name in 'Dropzone.ExoSetup.Engine', 'Azure.Core', 'Microsoft.Identity.Client', 'System.ClientModel', 'Microsoft.Graph') {
            $mine = @($Result.Loaded | Where-Object { $_.Name -eq $name -and $_.Context -eq 'Dropzone.ExoSetup' })
            $mine.Count | Should -Be 1 -Because "$name loads once into the module's context"
            [IO.Path]::GetDirectoryName($mine[0].Location) | Should -Be $ModuleDependencies -Because $name
            $mine[0].Version | Should -Be ([Reflection.AssemblyName]::GetAssemblyName((Join-Path $ModuleDependencies "$name.dll")).Version.ToString(3)) -Because $name
        }
        $Result.Loaded | Where-Object { $_.Name -in 'Dropzone.ExoSetup.Engine', 'Microsoft.Graph' -and $_.Context -ne 'Dropzone.ExoSetup' } | Should -BeNullOrEmpty
    }

    # Runs in the fresh pwsh: $args = repo root, emulator URI, tenant file, the preloaded DLLs
    # (';'-separated), order, certificate path.
    $script:Scenario = @'
param()
$root, $endpoint, $tenantFile, $preload, $order, $certificatePath = $args
$ErrorActionPreference = 'Stop'
function Import-Preloaded {
    # Add-Type -Path, as a profile that imports Az.Accounts would have them loaded.
    foreach ($path in $preload -split ';') { Add-Type -Path $path }
    # Use them as their owner would (Azure.Core 1.64's AccessToken needs its System.ClientModel).
    if ($preload -notmatch 'azure\.core/1\.64' -or $preload -match 'System\.ClientModel') {
        $script:token = [Azure.Core.AccessToken]::new('x', [DateTimeOffset]::UtcNow.AddHours(1))
    }
}
Import-Module (Join-Path $root 'tests/TestHelpers.psm1')
if ($order -eq 'PreloadedFirst') { Import-Preloaded }
Import-Module (Join-Path $root 'out/Dropzone.ExoSetup')
$null = Connect-DropzoneGraph -AccessToken (New-TestAccessToken) -GraphEndpoint $endpoint
# The module's MSAL, as Azure.Identity's credentials resolve it.
$alc = [Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -EQ 'Dropzone.ExoSetup'
$identity = $alc.LoadFromAssemblyName([Reflection.AssemblyName]::new('Azure.Identity'))
$null = [Activator]::CreateInstance($identity.GetType('Azure.Identity.DeviceCodeCredential'))
if ($order -eq 'ModuleFirst') { Import-Preloaded }

$domain = Get-DropzoneOrganizationId
$null = Connect-TestExchange -Emulator ([pscustomobject]@{ BaseUri = $endpoint; TenantFile = $tenantFile })
$summary = Install-DropzoneExoIntegration -CertificatePath $certificatePath
$contexts = [Runtime.Loader.AssemblyLoadContext]::All | ForEach-Object {
    $context = $_
    $context.Assemblies | Where-Object { $_.GetName().Name -in 'Microsoft.Identity.Client', 'Azure.Core', 'System.ClientModel', 'Microsoft.Graph', 'Dropzone.ExoSetup.Engine' } |
        ForEach-Object { [pscustomobject]@{ Context = $context.Name; Name = $_.GetName().Name; Version = $_.GetName().Version.ToString(3); Location = $_.Location } }
}
@{
    Domain = $domain
    Complete = $summary.Complete
    Steps = @($summary.Steps | ForEach-Object { "$($_.Name)=$($_.Status)" })
    PreloadedTokenWorks = ($null -ne $token -and $token.Token -eq 'x')
    SessionAzureCore = [Azure.Core.AccessToken].Assembly.GetName().Version.ToString(3)
    Loaded = @($contexts)
} | ConvertTo-Json -Compress -Depth 4
'@
}

AfterAll { Exit-DropzoneTestSession }

Describe 'Living beside <Set> MSAL and Azure.Core loaded <Order>' -ForEach @(
    @{ Set = 'Older'; Order = 'PreloadedFirst'; Msal = '4.55.0'; AzureCore = '1.36.0' }
    @{ Set = 'Older'; Order = 'ModuleFirst'; Msal = '4.55.0'; AzureCore = '1.36.0' }
    @{ Set = 'Newer'; Order = 'PreloadedFirst'; Msal = '4.92.0'; AzureCore = '1.64.0' }
    @{ Set = 'Newer'; Order = 'ModuleFirst'; Msal = '4.92.0'; AzureCore = '1.64.0' }
) {
    BeforeAll {
        foreach ($path in $Sets[$Set]) { Test-Path $path | Should -BeTrue -Because "build.ps1 Test restores $path from tests/tools/TestTools.csproj" }
        Reset-TestTenant -Emulator $Emulator -Tenant default
        $certificatePath = Join-Path $Work "vendor-$Set-$Order.crt"
        $null = New-TestCertificate -Path $certificatePath
        $script:Result = Invoke-FreshPwsh -Script $Scenario -Arguments @($Emulator.BaseUri, $Emulator.TenantFile, ($Sets[$Set] -join ';'), $Order, $certificatePath)
    }

    It 'connects, reads Graph and runs the whole Install' {
        $Result.Domain | Should -Be 'contoso.onmicrosoft.com'
        $Result.Steps | Should -Be @('Certificate=Done', 'ExchangePermission=Done', 'OrganizationId=AlreadyDone', 'ExchangeServicePrincipal=Done', 'TransportHygiene=Done')
        $Result.Complete | Should -BeTrue
        @(Get-EmulatorRequestLog -Emulator $Emulator -Writes | Where-Object status -LT 300).Count | Should -BeGreaterThan 0
    }

    It 'leaves the preloaded copies in the default context for their owner' {
        $Result.PreloadedTokenWorks | Should -BeTrue
        $Result.SessionAzureCore | Should -Be $AzureCore
        ($Result.Loaded | Where-Object { $_.Name -eq 'Microsoft.Identity.Client' -and $_.Context -eq 'Default' }).Version | Should -Be $Msal
        ($Result.Loaded | Where-Object { $_.Name -eq 'Azure.Core' -and $_.Context -eq 'Default' }).Version | Should -Be $AzureCore
    }

    It 'takes its own Azure.Core, MSAL, System.ClientModel and Microsoft.Graph from its folder, in its own context' {
        Assert-OwnCopies $Result
    }
}

Describe 'The reported case: Azure.Core 1.64 and MSAL 4.92 loaded first, without their System.ClientModel' {
    BeforeAll {
        Reset-TestTenant -Emulator $Emulator -Tenant default
        $certificatePath = Join-Path $Work 'vendor-reported.crt'
        $null = New-TestCertificate -Path $certificatePath
        $script:Result = Invoke-FreshPwsh -Script $Scenario -Arguments @($Emulator.BaseUri, $Emulator.TenantFile, ($Sets.NewerWithoutClientModel -join ';'), 'PreloadedFirst', $certificatePath)
    }

    It 'connects, reads Graph and runs the whole Install (once: Could not load System.ClientModel 1.16)' {
        $Result.Domain | Should -Be 'contoso.onmicrosoft.com'
        $Result.Complete | Should -BeTrue
    }

    It 'takes its own Azure.Core, MSAL, System.ClientModel and Microsoft.Graph from its folder, in its own context' {
        Assert-OwnCopies $Result
    }
}
