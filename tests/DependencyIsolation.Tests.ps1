# Cloud Shell preloads Microsoft.Graph and ExchangeOnlineManagement with their own MSAL and
# Azure.Core. These tests load older versions into the default load context of a fresh pwsh,
# before and after the module, and show that both sides keep working.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Emulator = Start-TestEmulator -Tenant default
    $nuget = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $script:OldMsal = Join-Path $nuget 'microsoft.identity.client/4.55.0/lib/net6.0/Microsoft.Identity.Client.dll'
    $script:OldAzureCore = Join-Path $nuget 'azure.core/1.36.0/lib/net6.0/Azure.Core.dll'

    # Runs in the fresh pwsh: $args = repo root, emulator URI, MSAL path, Azure.Core path, order.
    $script:Scenario = @'
param()
$root, $endpoint, $msalPath, $corePath, $order = $args
$ErrorActionPreference = 'Stop'
function Import-Old {
    $script:msal = [Reflection.Assembly]::LoadFrom($msalPath)
    $script:core = [Reflection.Assembly]::LoadFrom($corePath)
    # Use the old Azure.Core as its owner would.
    $script:token = [Azure.Core.AccessToken]::new('x', [DateTimeOffset]::UtcNow.AddHours(1))
}
function Use-Module {
    Import-Module (Join-Path $root 'out/Dropzone.ExoSetup')
    Import-Module (Join-Path $root 'tests/TestHelpers.psm1')
    $null = Connect-DropzoneGraph -AccessToken (New-TestAccessToken) -GraphEndpoint $endpoint
    $script:domain = Get-DropzoneOrganizationId
    # A token from -AccessToken needs no MSAL; resolve it the way Azure.Identity's credentials do,
    # so the test also shows where the module's MSAL comes from.
    $alc = [Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -EQ 'Dropzone.ExoSetup'
    $identity = $alc.LoadFromAssemblyName([Reflection.AssemblyName]::new('Azure.Identity'))
    $null = [Activator]::CreateInstance($identity.GetType('Azure.Identity.DeviceCodeCredential'))
}
if ($order -eq 'OldFirst') { Import-Old; Use-Module } else { Use-Module; Import-Old }
$contexts = [Runtime.Loader.AssemblyLoadContext]::All | ForEach-Object {
    $alc = $_
    $alc.Assemblies | Where-Object { $_.GetName().Name -in 'Microsoft.Identity.Client', 'Azure.Core', 'Microsoft.Graph', 'Dropzone.ExoSetup.Engine' } |
        ForEach-Object { [pscustomobject]@{ Context = $alc.Name; Name = $_.GetName().Name; Version = $_.GetName().Version.ToString(2) } }
}
@{
    Domain = $domain
    OldTokenWorks = ($token.Token -eq 'x')
    SessionAzureCore = [Azure.Core.AccessToken].Assembly.GetName().Version.ToString(2)
    Loaded = @($contexts)
} | ConvertTo-Json -Compress -Depth 4
'@
}

AfterAll { Stop-TestEmulator }

Describe 'Living beside other versions of MSAL and Azure.Core' -ForEach @(
    @{ Order = 'OldFirst' }
    @{ Order = 'ModuleFirst' }
) {
    BeforeAll {
        Test-Path $OldMsal | Should -BeTrue -Because 'build.ps1 Test restores it from tests/tools/TestTools.csproj'
        $script:Result = Invoke-FreshPwsh -Script $Scenario -Arguments @($Emulator.BaseUri, $OldMsal, $OldAzureCore, $Order)
    }

    It 'signs in and calls Graph (<Order>)' {
        $Result.Domain | Should -Be 'contoso.onmicrosoft.com'
    }

    It 'leaves the old versions in the default context for their owner (<Order>)' {
        $Result.OldTokenWorks | Should -BeTrue
        $Result.SessionAzureCore | Should -Be '1.36'
        ($Result.Loaded | Where-Object { $_.Name -eq 'Microsoft.Identity.Client' -and $_.Context -eq 'Default' }).Version | Should -Be '4.55'
        ($Result.Loaded | Where-Object { $_.Name -eq 'Azure.Core' -and $_.Context -eq 'Default' }).Version | Should -Be '1.36'
    }

    It 'loads the engine, Graph and its own Azure.Core into the module''s context only (<Order>)' {
        $mine = $Result.Loaded | Where-Object Context -EQ 'Dropzone.ExoSetup'
        $mine.Name | Should -Contain 'Dropzone.ExoSetup.Engine'
        $mine.Name | Should -Contain 'Microsoft.Graph'
        ($mine | Where-Object Name -EQ 'Azure.Core').Version | Should -Not -Be '1.36'
        ($mine | Where-Object Name -EQ 'Microsoft.Identity.Client').Version | Should -Not -BeNullOrEmpty
        ($mine | Where-Object Name -EQ 'Microsoft.Identity.Client').Version | Should -Not -Be '4.55'
        $Result.Loaded | Where-Object { $_.Name -in 'Dropzone.ExoSetup.Engine', 'Microsoft.Graph' -and $_.Context -ne 'Dropzone.ExoSetup' } | Should -BeNullOrEmpty
    }
}
