#Requires -Version 7.4
<#
.SYNOPSIS
The vendor's procedure as a careful administrator would script it by hand: one Invoke-RestMethod per
documented action, in order, no batching, no skipping. The baseline of `./build.ps1 Bench`.

.DESCRIPTION
Follows /work/shared/reference/vendor-procedure.txt step by step against Microsoft Graph (here: the
tenant emulator), then calls Exchange Online's own cmdlets (here: the fake ExchangeOnlineManagement,
already connected by the caller):

  1  GET   /applications?$filter=appId eq '<id>'                 find the app registration
  2  GET   /applications/{id}?$select=keyCredentials               its certificates, with their keys
  3  PATCH /applications/{id} keyCredentials                       the existing ones plus the vendor's
  4  GET   /applications/{id}?$select=requiredResourceAccess       its API permissions
  5  PATCH /applications/{id} requiredResourceAccess               plus Exchange.ManageAsApp (Role)
  6  GET   /servicePrincipals?$filter=appId eq '<Exchange Online>' the resource's service principal
  7  GET   /servicePrincipals?$filter=appId eq '<id>'              the app's ("object-spid")
  7b POST  /servicePrincipals {appId}                              only when 7 found none
  8  POST  /servicePrincipals/{exo}/appRoleAssignedTo              admin consent (retried while the
                                                                   new service principal replicates)
  9  GET   /domains                                                the isInitial one: "Organization ID"
  10 New-ServicePrincipal -AppId -ObjectId -DisplayName            Exchange Online
  11 New-ManagementRoleAssignment -App <object-spid> -Role 'Transport Hygiene'

A hand-written script does not check before it writes, so on a tenant where everything is done it
sends the same calls again. Like a careful one, it builds its PATCH bodies so that a second run
changes nothing in effect (the certificate and the permission are not added twice), and it catches
and counts the errors Graph and Exchange answer for what already exists (a consent already granted,
a service principal already registered) instead of failing. Any other error is fatal.

Returns one object: the Organization ID, the service principal's object id, every call made with its
outcome, and the errors caught.

.PARAMETER GraphEndpoint
The Graph base URI (the emulator's, e.g. http://127.0.0.1:5123); /v1.0 is appended.
.PARAMETER AccessToken
A Graph access token (the emulator accepts any Bearer token).
.PARAMETER ApplicationId
The "Dropzone AI" app's Application (client) ID.
.PARAMETER CertificatePath
The vendor's certificate (<tenant>.dropzone.app.crt: PEM or DER).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][string] $GraphEndpoint,
    [Parameter(Mandatory)][string] $AccessToken,
    [Parameter(Mandatory)][string] $ApplicationId,
    [Parameter(Mandatory)][string] $CertificatePath,
    [string] $CertificateDescription = 'Dropzone AI',
    [int] $ReplicationRetries = 300,
    [int] $ReplicationWaitSeconds = 1
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$exchangeAppId = '00000002-0000-0ff1-ce00-000000000000'
$manageAsAppRoleId = 'dc50a0fb-09a3-484d-be87-e023b12c6440'
$graph = $GraphEndpoint.TrimEnd('/') + '/v1.0'
$headers = @{ Authorization = "Bearer $AccessToken" }
$calls = [Collections.Generic.List[object]]::new()
$caught = [Collections.Generic.List[object]]::new()

function Invoke-Graph {
    # One Graph request. Errors that only say "this already exists" are caught and counted when the
    # caller says they are expected (-AlreadyExists); -Retry404 retries a 404 (replication).
    param(
        [Parameter(Mandatory)][string] $Step,
        [Parameter(Mandatory)][string] $Method,
        [Parameter(Mandatory)][string] $Path,
        $Body,
        [switch] $AlreadyExists,
        [switch] $Retry404
    )
    $params = @{ Uri = "$graph$Path"; Method = $Method; Headers = $headers }
    if ($null -ne $Body) {
        $params.Body = $Body | ConvertTo-Json -Depth 10 -Compress
        $params.ContentType = 'application/json'
    }
    $attempt = 0
    while ($true) {
        $attempt++
        try {
            $response = Invoke-RestMethod @params
            $calls.Add([pscustomobject]@{ Step = $Step; Call = "$Method $Path"; Outcome = 'OK' })
            return $response
        } catch [Microsoft.PowerShell.Commands.HttpResponseException] {
            $status = [int]$_.Exception.Response.StatusCode
            $code = ''; $message = $_.Exception.Message
            if ($_.ErrorDetails -and $_.ErrorDetails.Message) {
                try {
                    $err = ($_.ErrorDetails.Message | ConvertFrom-Json).error
                    $code = $err.code; $message = $err.message
                } catch { }
            }
            # A service principal created moments ago: 404, or 400 "Not a valid reference update."
            # (msgraph-sdk-dotnet issue 2508) until Entra ID has replicated it; tried again every second.
            $lagging = $status -eq 404 -or ($status -eq 400 -and $message -match 'Not a valid reference update')
            if ($Retry404 -and $lagging -and $attempt -le $ReplicationRetries) {
                $calls.Add([pscustomobject]@{ Step = $Step; Call = "$Method $Path"; Outcome = "$status, retrying in $ReplicationWaitSeconds s" })
                Start-Sleep -Seconds $ReplicationWaitSeconds
                continue
            }
            $duplicate = $status -eq 409 -or ($status -eq 400 -and $message -match 'already exists')
            if ($AlreadyExists -and $duplicate) {
                $calls.Add([pscustomobject]@{ Step = $Step; Call = "$Method $Path"; Outcome = "$status $code (already done)" })
                $caught.Add([pscustomobject]@{ Step = $Step; Status = $status; Code = $code; Message = $message })
                return $null
            }
            throw "Step '$Step' ($Method $Path) failed: $status $code $message"
        }
    }
}

function Invoke-Exchange {
    # One Exchange Online cmdlet. Its errors are non-terminating: -ErrorAction Stop makes them
    # catchable. "already exists" is caught and counted; "could not be found in Azure Active
    # Directory" (replication) is retried a few times.
    param([Parameter(Mandatory)][string] $Step, [Parameter(Mandatory)][scriptblock] $Command)
    $attempt = 0
    while ($true) {
        $attempt++
        try {
            $result = & $Command
            $calls.Add([pscustomobject]@{ Step = $Step; Call = $Step; Outcome = 'OK' })
            return $result
        } catch {
            $message = $_.Exception.Message
            # Exchange does not see a new service principal yet (either wording: the emulator's
            # replicationError option); tried again every second.
            if ($message -match "could not be found in Azure Active Directory|couldn't be found on '" -and $attempt -le $ReplicationRetries) {
                $calls.Add([pscustomobject]@{ Step = $Step; Call = $Step; Outcome = "not replicated yet, retrying in $ReplicationWaitSeconds s" })
                Start-Sleep -Seconds $ReplicationWaitSeconds
                continue
            }
            if ($message -match 'already exists') {
                $calls.Add([pscustomobject]@{ Step = $Step; Call = $Step; Outcome = 'already exists (already done)' })
                $caught.Add([pscustomobject]@{ Step = $Step; Status = $null; Code = $_.FullyQualifiedErrorId; Message = $message })
                return $null
            }
            throw "Step '$Step' failed: $message"
        }
    }
}

function ConvertTo-GraphDate($Value) {
    # Invoke-RestMethod turns ISO dates into DateTime; Graph wants them back as ISO 8601 UTC.
    if ($Value -is [datetime]) { return $Value.ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ') }
    if ($Value -is [datetimeoffset]) { return $Value.UtcDateTime.ToString('yyyy-MM-ddTHH:mm:ssZ') }
    [string]$Value
}

# The vendor's certificate, as the portal's "Upload certificate" would read it.
$certificate = [Security.Cryptography.X509Certificates.X509CertificateLoader]::LoadCertificateFromFile(
    (Resolve-Path -LiteralPath $CertificatePath).ProviderPath)

# 1. The app registration.
$found = @((Invoke-Graph -Step 'Find the app' -Method GET -Path "/applications?`$filter=appId eq '$ApplicationId'").value)
if ($found.Count -ne 1) { throw "Expected one app registration with appId $ApplicationId, found $($found.Count)." }
$app = $found[0]

# 2-3. Certificates & secrets > Upload certificate (the PATCH replaces the list: send every entry).
$current = Invoke-Graph -Step 'Read certificates' -Method GET -Path "/applications/$($app.id)?`$select=keyCredentials"
$keys = [Collections.Generic.List[object]]::new()
foreach ($k in @($current.keyCredentials)) {
    $entry = [ordered]@{
        keyId = $k.keyId; type = $k.type; usage = $k.usage; key = $k.key; displayName = $k.displayName
        startDateTime = ConvertTo-GraphDate $k.startDateTime; endDateTime = ConvertTo-GraphDate $k.endDateTime
    }
    if ($k.PSObject.Properties['customKeyIdentifier'] -and $k.customKeyIdentifier) { $entry.customKeyIdentifier = $k.customKeyIdentifier }
    $keys.Add($entry)
}
$keyText = [Convert]::ToBase64String($certificate.RawData)
if (-not @($keys | Where-Object { $_.key -eq $keyText })) {
    $keys.Add([ordered]@{
            keyId         = [guid]::NewGuid().ToString()
            type          = 'AsymmetricX509Cert'
            usage         = 'Verify'
            key           = $keyText
            displayName   = $CertificateDescription
            startDateTime = $certificate.NotBefore.ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ')
            endDateTime   = $certificate.NotAfter.ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ')
        })
}
$null = Invoke-Graph -Step 'Upload the certificate' -Method PATCH -Path "/applications/$($app.id)" -Body @{ keyCredentials = @($keys) }

# 4-5. API permissions > Add a permission > Office 365 Exchange Online > Exchange.ManageAsApp.
$current = Invoke-Graph -Step 'Read API permissions' -Method GET -Path "/applications/$($app.id)?`$select=requiredResourceAccess"
$permissions = [Collections.Generic.List[object]]::new()
$exchangeListed = $false
foreach ($r in @($current.requiredResourceAccess)) {
    $access = @(foreach ($a in @($r.resourceAccess)) { [ordered]@{ id = $a.id; type = $a.type } })
    if ($r.resourceAppId -eq $exchangeAppId) {
        $exchangeListed = $true
        if (-not @($access | Where-Object { $_.id -eq $manageAsAppRoleId -and $_.type -eq 'Role' })) {
            $access += [ordered]@{ id = $manageAsAppRoleId; type = 'Role' }
        }
    }
    $permissions.Add([ordered]@{ resourceAppId = $r.resourceAppId; resourceAccess = @($access) })
}
if (-not $exchangeListed) {
    $permissions.Add([ordered]@{ resourceAppId = $exchangeAppId; resourceAccess = @([ordered]@{ id = $manageAsAppRoleId; type = 'Role' }) })
}
$null = Invoke-Graph -Step 'Add Exchange.ManageAsApp' -Method PATCH -Path "/applications/$($app.id)" -Body @{ requiredResourceAccess = @($permissions) }

# 6. Office 365 Exchange Online's service principal (the resource of the consent).
$exchange = @((Invoke-Graph -Step 'Find Exchange Online' -Method GET -Path "/servicePrincipals?`$filter=appId eq '$exchangeAppId'").value)
if ($exchange.Count -ne 1) { throw "Office 365 Exchange Online has no service principal in this tenant." }
$exchangeSpId = $exchange[0].id

# 7. The app's service principal (Enterprise application): the "object-spid"; created when missing.
$sp = @((Invoke-Graph -Step 'Find the service principal' -Method GET -Path "/servicePrincipals?`$filter=appId eq '$ApplicationId'").value)
if ($sp.Count -eq 0) {
    $created = Invoke-Graph -Step 'Create the service principal' -Method POST -Path '/servicePrincipals' -Body @{ appId = $ApplicationId } -AlreadyExists
    $sp = @($created)
}
$spId = $sp[0].id
$spName = $sp[0].displayName

# 8. Grant admin consent: the app role assignment (retried while the new SP replicates).
$null = Invoke-Graph -Step 'Grant admin consent' -Method POST -Path "/servicePrincipals/$exchangeSpId/appRoleAssignedTo" `
    -Body @{ principalId = $spId; resourceId = $exchangeSpId; appRoleId = $manageAsAppRoleId } -AlreadyExists -Retry404

# 9. Custom domain names: the *.onmicrosoft.com one is the "Organization ID".
$domains = @((Invoke-Graph -Step 'Read domains' -Method GET -Path '/domains').value)
$organizationId = @($domains | Where-Object { $_.isInitial })[0].id

# 10-11. Exchange Online PowerShell (already connected by the caller).
$null = Invoke-Exchange -Step 'New-ServicePrincipal' -Command {
    New-ServicePrincipal -AppId $ApplicationId -ObjectId $spId -DisplayName $spName -ErrorAction Stop
}
$null = Invoke-Exchange -Step 'New-ManagementRoleAssignment' -Command {
    New-ManagementRoleAssignment -App $spId -Role 'Transport Hygiene' -ErrorAction Stop
}

[pscustomobject]@{
    OrganizationId           = $organizationId
    ServicePrincipalObjectId = $spId
    Calls                    = $calls.ToArray()
    CaughtErrors             = $caught.ToArray()
}
