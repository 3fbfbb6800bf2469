# A FAKE of the ExchangeOnlineManagement module (3.x, REST mode) for tests. It never talks to
# Microsoft: Connect-ExchangeOnline needs -ConnectionUri or $env:DROPZONE_FAKE_EXO_URI (the tenant
# emulator's base URI). Like the real module it exports only the connection cmdlets; the RBAC
# cmdlets appear after Connect-ExchangeOnline, as functions of a temporary module tmpEXO_<random>
# imported globally (see RbacCmdlets.ps1), and disappear with Disconnect-ExchangeOnline.
Set-StrictMode -Version Latest

$script:Connections = [System.Collections.Generic.List[object]]::new()
$script:NextConnectionNumber = 1
$script:RbacTemplate = Join-Path $PSScriptRoot 'RbacCmdlets.ps1'

$script:Environments = @{
    O365Default      = @{ ConnectionUri = 'https://outlook.office365.com'; Authority = 'https://login.microsoftonline.com/organizations' }
    O365GermanyCloud = @{ ConnectionUri = 'https://outlook.office.de'; Authority = 'https://login.microsoftonline.de/organizations' }
    O365China        = @{ ConnectionUri = 'https://partner.outlook.cn'; Authority = 'https://login.chinacloudapi.cn/organizations' }
    O365USGovGCCHigh = @{ ConnectionUri = 'https://outlook.office365.us'; Authority = 'https://login.microsoftonline.us/organizations' }
    O365USGovDoD     = @{ ConnectionUri = 'https://webmail.apps.mil'; Authority = 'https://login.microsoftonline.us/organizations' }
}

function Connect-ExchangeOnline {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0)][string] $ConnectionUri,
        [Parameter(Position = 1)][string] $AzureADAuthorizationEndpointUri,
        [Parameter(Position = 2)]
        [ValidateSet('O365Default', 'O365GermanyCloud', 'O365China', 'O365USGovGCCHigh', 'O365USGovDoD')]
        [string] $ExchangeEnvironmentName = 'O365Default',
        [Parameter(Position = 3)][System.Management.Automation.Remoting.PSSessionOption] $PSSessionOption,
        [Parameter(Position = 4)][string] $DelegatedOrganization,
        [Parameter(Position = 5)][string] $Prefix,
        [Parameter(Position = 6)][string[]] $CommandName,
        [Parameter(Position = 7)][string[]] $FormatTypeName,
        [string] $AccessToken,
        [string] $AppId,
        [switch] $BypassMailboxAnchoring,
        [System.Security.Cryptography.X509Certificates.X509Certificate2] $Certificate,
        [string] $CertificateFilePath,
        [securestring] $CertificatePassword,
        [string] $CertificateThumbprint,
        [pscredential] $Credential,
        [switch] $Device,
        [switch] $DisableWAM,
        [switch] $EnableErrorReporting,
        [string] $EXOModuleBasePath,
        [switch] $InlineCredential,
        [switch] $LoadCmdletHelp,
        [string] $LogDirectoryPath,
        [string] $LogLevel,
        [switch] $ManagedIdentity,
        [string] $ManagedIdentityAccountId,
        [string] $Organization,
        [uint32] $PageSize = 1000,
        [switch] $ShowBanner = $true,
        [bool] $ShowProgress = $true,
        [System.Security.Cryptography.X509Certificates.X509Certificate2] $SigningCertificate,
        [switch] $SkipLoadingCmdletHelp,
        [switch] $SkipLoadingFormatData,
        [bool] $TrackPerformance,
        [bool] $UseMultithreading = $true,
        [string] $UserPrincipalName,
        [switch] $UseRPSSession
    )
    if ($UseRPSSession) {
        throw 'The fake ExchangeOnlineManagement supports REST connections only (no -UseRPSSession).'
    }
    if ($Prefix -and ($Prefix -notmatch '^[A-Za-z0-9]+$' -or $Prefix -eq 'EXO')) {
        throw "The Prefix '$Prefix' isn't valid: letters and digits only, and not 'EXO'."
    }

    # Azure Cloud Shell (ACC_CLOUD set): ExchangeOnlineManagement's Cloud Shell branch offers a person
    # neither -UserPrincipalName nor -Organization, and a bare Connect-ExchangeOnline signs in with
    # the Cloud Shell identity (ExchangeOnlineManagement 3.9 psm1; Azure/CloudShell issue 478: "A
    # parameter cannot be found that matches parameter name 'UserPrincipalName'."). App-only sign-in
    # (a token, a certificate or a managed identity with -Organization) stays as elsewhere.
    $cloudShell = -not [string]::IsNullOrEmpty($env:ACC_CLOUD)
    $appOnly = [bool]($AccessToken -or $Certificate -or $CertificateFilePath -or $CertificateThumbprint -or $ManagedIdentity)
    if ($cloudShell) {
        foreach ($refused in 'UserPrincipalName', 'Organization') {
            if ($PSBoundParameters.ContainsKey($refused) -and -not ($refused -eq 'Organization' -and $appOnly)) {
                $exception = [System.Management.Automation.ParameterBindingException]::new("A parameter cannot be found that matches parameter name '$refused'.")
                $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new($exception, 'NamedParameterNotFound,Connect-ExchangeOnline', 'InvalidArgument', $refused))
            }
        }
        # The Cloud Shell identity's tenant.
        if (-not $Organization -and -not $DelegatedOrganization -and $env:ACC_TID) { $Organization = $env:ACC_TID }
    }

    # Where to send requests: never to Microsoft.
    $baseUri = if ($ConnectionUri) { $ConnectionUri } elseif ($env:DROPZONE_FAKE_EXO_URI) { $env:DROPZONE_FAKE_EXO_URI } else { $null }
    if (-not $baseUri) {
        throw 'The fake ExchangeOnlineManagement has no endpoint: pass -ConnectionUri <emulator base URI> or set $env:DROPZONE_FAKE_EXO_URI.'
    }
    $parsed = [uri]$baseUri
    $baseUri = $parsed.GetLeftPart([System.UriPartial]::Authority)   # drop /powershell-liveid/ and the like

    $certificateAuthentication = [bool]($Certificate -or $CertificateFilePath -or $CertificateThumbprint)
    $token = if ($AccessToken) { $AccessToken }
             elseif ($certificateAuthentication) { 'fake-exo-app-token' }
             elseif ($ManagedIdentity) { 'fake-exo-managed-identity-token' }
             else { 'fake-exo-user-token' }

    $org = if ($Organization) { $Organization }
           elseif ($DelegatedOrganization) { $DelegatedOrganization }
           elseif ($UserPrincipalName -and $UserPrincipalName.Contains('@')) { $UserPrincipalName.Split('@')[-1] }
           else { Get-TenantIdFromToken $token }
    if (-not $org) {
        throw 'Specify -Organization (or -DelegatedOrganization, or -UserPrincipalName) to connect.'
    }
    if ($certificateAuthentication -and -not $AppId) { throw 'Certificate based authentication needs -AppId.' }

    # One connection per prefix, as with the real module: a new one replaces the old.
    foreach ($old in @($script:Connections | Where-Object { $_.ModulePrefix -eq [string]$Prefix })) { Remove-FakeConnection $old }

    $random = -join ((1..8) | ForEach-Object { [char[]]'abcdefghijklmnopqrstuvwxyz0123456789' | Get-Random })
    $extension = -join ((1..3) | ForEach-Object { [char[]]'abcdefghijklmnopqrstuvwxyz0123456789' | Get-Random })
    $moduleName = "tmpEXO_$random.$extension"
    $basePath = if ($EXOModuleBasePath) { $EXOModuleBasePath } else { [System.IO.Path]::GetTempPath() }
    $moduleDir = Join-Path $basePath $moduleName
    $null = New-Item -ItemType Directory -Path $moduleDir -Force
    $modulePath = Join-Path $moduleDir "$moduleName.psm1"
    Copy-Item -LiteralPath $script:RbacTemplate -Destination $modulePath

    $importArgs = @{ Name = $modulePath; Global = $true; PassThru = $true; DisableNameChecking = $true; Force = $true; Verbose = $false }
    if ($Prefix) { $importArgs.Prefix = $Prefix }
    if ($CommandName) { $importArgs.Function = $CommandName }
    $module = Import-Module @importArgs

    $number = $script:NextConnectionNumber++
    $connectionId = [guid]::NewGuid().ToString()
    $authority = if ($AzureADAuthorizationEndpointUri) { $AzureADAuthorizationEndpointUri } else { $script:Environments[$ExchangeEnvironmentName].Authority }
    & $module { param($c) $script:Connection = $c } ([pscustomobject]@{
            BaseUri      = $baseUri
            Organization = $org
            AccessToken  = $token
            ConnectionId = $connectionId
        })

    $info = [pscustomobject]@{
        PSTypeName                      = 'Microsoft.Exchange.Management.ExoPowershellSnapin.ConnectionInformation'
        ConnectionId                    = $connectionId
        State                           = 'Connected'
        Id                              = $number
        Name                            = "ExchangeOnline_$number"
        UserPrincipalName               = if ($UserPrincipalName) { $UserPrincipalName } elseif ($Credential) { $Credential.UserName } else { $null }
        ConnectionUri                   = $baseUri
        AzureAdAuthorizationEndpointUri = $authority
        TokenExpiryTimeUTC              = [datetimeoffset]::UtcNow.AddHours(1)
        CertificateAuthentication       = $certificateAuthentication
        ModuleName                      = $moduleDir
        ModulePrefix                    = [string]$Prefix
        Organization                    = if ($Organization) { $Organization } else { $null }
        DelegatedOrganization           = if ($DelegatedOrganization) { $DelegatedOrganization } else { $null }
        AppId                           = if ($AppId) { $AppId } else { $null }
        PageSize                        = $PageSize
        TenantID                        = Get-TenantIdFromToken $token
        TokenStatus                     = 'Active'
        ConnectionUsedForInbuiltCmdlets = $true
        IsEopSession                    = $false
        ExchangeEnvironmentName         = $ExchangeEnvironmentName
    }
    $script:Connections.Add([pscustomobject]@{ Info = $info; Module = $module; ModuleDirectory = $moduleDir; ModulePrefix = [string]$Prefix })

    if ($ShowBanner) {
        Write-Host "This is a FAKE ExchangeOnlineManagement (tests only). Connected to $baseUri for '$org'."
    }
}

function Get-ConnectionInformation {
    [CmdletBinding(DefaultParameterSetName = 'Default')]
    param(
        [Parameter(Mandatory, ParameterSetName = 'ConnectionId')][string[]] $ConnectionId,
        [Parameter(Mandatory, ParameterSetName = 'ModulePrefix')][string[]] $ModulePrefix
    )
    foreach ($c in @($script:Connections)) {
        if ($PSCmdlet.ParameterSetName -eq 'ConnectionId' -and $c.Info.ConnectionId -notin $ConnectionId) { continue }
        if ($PSCmdlet.ParameterSetName -eq 'ModulePrefix' -and $c.ModulePrefix -notin $ModulePrefix) { continue }
        $c.Info
    }
}

function Disconnect-ExchangeOnline {
    [CmdletBinding(DefaultParameterSetName = 'DefaultParameterSet', SupportsShouldProcess, ConfirmImpact = 'High')]
    param(
        [Parameter(Mandatory, ParameterSetName = 'ConnectionId')][string[]] $ConnectionId,
        [Parameter(Mandatory, ParameterSetName = 'ModulePrefix')][string[]] $ModulePrefix
    )
    $targets = @(foreach ($c in @($script:Connections)) {
            if ($PSCmdlet.ParameterSetName -eq 'ConnectionId' -and $c.Info.ConnectionId -notin $ConnectionId) { continue }
            if ($PSCmdlet.ParameterSetName -eq 'ModulePrefix' -and $c.ModulePrefix -notin $ModulePrefix) { continue }
            $c
        })
    if ($targets.Count -eq 0) { return }
    if (-not $PSCmdlet.ShouldProcess('Exchange Online', 'Disconnect and clear the session')) { return }
    foreach ($c in $targets) { Remove-FakeConnection $c }
}

function Remove-FakeConnection($Connection) {
    $Connection.Info.State = 'Disconnected'
    $Connection.Info.TokenStatus = 'Expired'
    & $Connection.Module { $script:Connection = $null }
    Remove-Module -ModuleInfo $Connection.Module -Force -ErrorAction SilentlyContinue
    Remove-Item -LiteralPath $Connection.ModuleDirectory -Recurse -Force -ErrorAction SilentlyContinue
    $null = $script:Connections.Remove($Connection)
}

function Get-TenantIdFromToken([string]$Token) {
    # The 'tid' claim of a JWT, when the token is one; null otherwise.
    $parts = $Token.Split('.')
    if ($parts.Count -lt 2) { return $null }
    try {
        $payload = $parts[1].Replace('-', '+').Replace('_', '/')
        $payload += '=' * ((4 - $payload.Length % 4) % 4)
        $claims = [System.Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($payload)) | ConvertFrom-Json
        if ($claims.PSObject.Properties['tid']) { return [string]$claims.tid }
    }
    catch { }
    $null
}

# Leave nothing behind when the fake itself is removed.
$ExecutionContext.SessionState.Module.OnRemove = {
    foreach ($c in @($script:Connections)) { Remove-FakeConnection $c }
}

Export-ModuleMember -Function Connect-ExchangeOnline, Disconnect-ExchangeOnline, Get-ConnectionInformation
