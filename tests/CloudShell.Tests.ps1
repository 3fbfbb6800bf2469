# Signing in as Azure Cloud Shell does it: MSI_ENDPOINT points at the emulator's Cloud Shell token
# endpoint, which serves the "portal's" token. Which Graph scopes that token carries is UNCONFIRMED,
# so the module runs under both: a token with the steps' scopes, and one without
# AppRoleAssignment.ReadWrite.All. Each case runs in a fresh pwsh (MSAL settles its managed identity
# source once per process), with the environment Cloud Shell sets.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    # The module itself runs in a fresh pwsh per case (Invoke-CloudShell).
    $script:Session = Enter-DropzoneTestSession -Tenant default -Variable Emulator, TenantId, Work
    $script:Vendor = Join-Path $Work 'vendor.crt'
    $null = New-TestCertificate -Path $Vendor
    $script:AllScopes = @('Application.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All', 'User.Read')

    # Runs in the fresh pwsh: $args = repo root, emulator URI, tenant file, scenario, certificate, tenant id.
    $script:Scenario = @'
param()
$root, $endpoint, $tenantFile, $scenario, $certificatePath, $tenantId = $args
Import-Module (Join-Path $root 'tests/TestHelpers.psm1')
Import-Module (Join-Path $root 'out/Dropzone.ExoSetup')
$env:MSI_ENDPOINT = "$endpoint/oauth2/token"
function Get-Failure([scriptblock] $Block) {
    try { $null = & $Block; $null }
    catch { @{ ErrorId = $_.FullyQualifiedErrorId; Message = $_.Exception.Message; Action = $_.ErrorDetails.RecommendedAction } }
}
function Get-Context { Get-DropzoneGraphContext | Select-Object Account, TenantId, AuthType, Scopes, @{ n = 'Environment'; e = { "$($_.Environment)" } }, ExchangeEnvironmentName, ConnectedAt }
$result = @{}
switch ($scenario) {
    'Install' {
        $result.ConnectError = Get-Failure { Connect-DropzoneGraph -GraphEndpoint $endpoint -WarningVariable script:warnings -WarningAction SilentlyContinue -ErrorAction Stop }
        $result.Warnings = @($warnings | ForEach-Object Message)
        $result.Context = Get-Context
        $null = Connect-TestExchange -Emulator ([pscustomobject]@{ BaseUri = $endpoint; TenantFile = $tenantFile })
        $result.InstallError = Get-Failure { $script:summary = Install-DropzoneExoIntegration -CertificatePath $certificatePath -ErrorAction Stop }
        $result.Complete = if ($summary) { $summary.Complete } else { $null }
    }
    'Connect' {
        $result.ConnectError = Get-Failure { Connect-DropzoneGraph -GraphEndpoint $endpoint -ErrorAction Stop }
    }
    'UserAssigned' {
        $result.ConnectError = Get-Failure { Connect-DropzoneGraph -Identity -ClientId '8d2c3f4a-1b6e-4c7d-9f0a-2e5b7c9d1a3f' -GraphEndpoint $endpoint -ErrorAction Stop }
    }
    'Defaults' {
        $env:ACC_TID = $tenantId
        $env:ACC_CLOUD = 'AzureUSGovernment'
        $null = Connect-DropzoneGraph -GraphEndpoint $endpoint -ErrorAction Stop
        $result.Context = Get-Context
        $env:ACC_TID = [guid]::NewGuid().ToString()
        $result.ConnectError = Get-Failure { Connect-DropzoneGraph -GraphEndpoint $endpoint -ErrorAction Stop }
        $result.Kept = Get-Context
    }
}
$result | ConvertTo-Json -Compress -Depth 5
'@
    function Invoke-CloudShell([string] $Name) {
        Invoke-FreshPwsh -Script $Scenario -Arguments @($Emulator.BaseUri, $Emulator.TenantFile, $Name, $Vendor, $TenantId)
    }
    function Get-TokenRequests { @(Get-EmulatorRequestLog -Emulator $Emulator | Where-Object path -EQ '/oauth2/token') }
}

AfterAll { Exit-DropzoneTestSession }

Describe 'Connect-DropzoneGraph without parameters, Cloud Shell token with the steps'' scopes' {
    BeforeAll {
        Reset-TestTenant -Emulator $Emulator -Tenant default
        $null = Set-EmulatorCloudShell -Emulator $Emulator -Account 'alex@contoso.onmicrosoft.com' -Scopes $AllScopes
        $script:Result = Invoke-CloudShell Install
    }

    It 'connects without a prompt, with the token of the Cloud Shell endpoint' {
        $Result.ConnectError | Should -BeNullOrEmpty
        $Result.Warnings | Should -BeNullOrEmpty
        @(Get-TokenRequests).Count | Should -Be 1
        (Get-TokenRequests)[0].method | Should -Be 'POST'
        (Get-TokenRequests)[0].status | Should -Be 200
    }

    It 'shows the token''s account, tenant and scopes in the context' {
        $Result.Context.Account | Should -Be 'alex@contoso.onmicrosoft.com'
        $Result.Context.TenantId | Should -Be $TenantId
        $Result.Context.AuthType | Should -Be 'Default'
        $Result.Context.Scopes | Should -Be $AllScopes
    }

    It 'completes Install' {
        $Result.InstallError | Should -BeNullOrEmpty
        $Result.Complete | Should -BeTrue
        @(Get-EmulatorRequestLog -Emulator $Emulator -Writes | Where-Object status -LT 300).Count | Should -BeGreaterThan 0
    }
}

Describe 'Connect-DropzoneGraph without parameters, Cloud Shell token without AppRoleAssignment.ReadWrite.All' {
    BeforeAll {
        Reset-TestTenant -Emulator $Emulator -Tenant default
        $null = Set-EmulatorCloudShell -Emulator $Emulator -Scopes 'Application.ReadWrite.All', 'User.Read'
        $script:Result = Invoke-CloudShell Install
    }

    It 'connects, warning that the token lacks the permission (no one is at the keyboard for device code)' {
        $Result.ConnectError | Should -BeNullOrEmpty
        ($Result.Warnings -join "`n") | Should -Match 'AppRoleAssignment\.ReadWrite\.All'
        ($Result.Warnings -join "`n") | Should -Match 'Connect-DropzoneGraph -UseDeviceCode'
        $Result.Context.Scopes | Should -Be @('Application.ReadWrite.All', 'User.Read')
    }

    It 'stops Install with InsufficientPrivileges naming it and -UseDeviceCode, and writes nothing' {
        $Result.InstallError.ErrorId | Should -BeLike 'InsufficientPrivileges,*'
        $Result.InstallError.Message | Should -Match 'AppRoleAssignment\.ReadWrite\.All'
        $Result.InstallError.Action | Should -Match 'Connect-DropzoneGraph -UseDeviceCode'
        @(Get-EmulatorRequestLog -Emulator $Emulator -Writes).Count | Should -Be 0
    }
}

Describe 'Cloud Shell''s token endpoint and what it cannot do' {
    BeforeEach { Reset-TestTenant -Emulator $Emulator -Tenant default }

    It 'falls through to the next source when the endpoint answers AudienceNotSupported' {
        $null = Set-EmulatorCloudShell -Emulator $Emulator -Scopes $AllScopes -Audiences 'https://management.azure.com'
        $result = Invoke-CloudShell Connect
        $result.ConnectError.ErrorId | Should -BeLike 'SignInFailed,*'
        $result.ConnectError.Message | Should -Match 'AudienceNotSupported'
        # The next sources had their turn (neither is installed here).
        $result.ConnectError.Message | Should -Match 'Azure CLI'
        $result.ConnectError.Message | Should -Match 'Azure PowerShell'
        @(Get-TokenRequests).status | Should -Contain 400
    }

    It 'refuses -Identity -ClientId (no user-assigned identities there) before sending anything' {
        $result = Invoke-CloudShell UserAssigned
        $result.ConnectError.ErrorId | Should -BeLike 'InvalidSignInParameters,*'
        $result.ConnectError.Message | Should -Match 'user-assigned'
        @(Get-EmulatorRequestLog -Emulator $Emulator).Count | Should -Be 0
    }

    It 'takes -TenantId and -Environment from ACC_TID and ACC_CLOUD, and refuses a token of another tenant' {
        $null = Set-EmulatorCloudShell -Emulator $Emulator -Scopes $AllScopes
        $result = Invoke-CloudShell Defaults
        $result.Context.TenantId | Should -Be $TenantId
        $result.Context.Environment | Should -Be 'USGov'
        $result.Context.ExchangeEnvironmentName | Should -Be 'O365USGovGCCHigh'
        $result.ConnectError.ErrorId | Should -BeLike 'TenantMismatch,*'
        $result.Kept.ConnectedAt | Should -Be $result.Context.ConnectedAt
    }
}
