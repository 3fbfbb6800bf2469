# The one helper module every Pester file imports. It starts and stops tenant emulators, talks to
# their control endpoints, connects Dropzone.ExoSetup to them, and loads the fake
# ExchangeOnlineManagement module. Nothing here mocks the module under test.
Set-StrictMode -Version Latest

$script:RepoRoot = Split-Path -Parent $PSScriptRoot
$script:Emulators = [System.Collections.Generic.List[object]]::new()

function Get-TestRepoRoot { $script:RepoRoot }

function Get-TestModulePath {
    <# The built module, as Build assembled it. #>
    Join-Path $script:RepoRoot 'out/Dropzone.ExoSetup'
}

function Get-TestTenantFile {
    param([Parameter(Mandatory)][string] $Tenant)
    if (Test-Path -LiteralPath $Tenant -PathType Leaf) { return (Resolve-Path -LiteralPath $Tenant).Path }
    $file = Join-Path $PSScriptRoot "TenantEmulator/tenants/$Tenant.json"
    if (-not (Test-Path -LiteralPath $file)) { throw "No tenant file '$Tenant' (looked for $file)" }
    $file
}

function Start-DotnetProcess {
    <#
    .SYNOPSIS
    Starts `dotnet <arguments>` in the repository root with both pipes read asynchronously (so the
    child can never block on a full pipe). Returns the process and the two read tasks.
    #>
    param([Parameter(Mandatory)][string[]] $Arguments)
    $psi = [Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($a in $Arguments) { $psi.ArgumentList.Add([string]$a) }
    $psi.WorkingDirectory = $script:RepoRoot
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $process = [Diagnostics.Process]::Start($psi)
    [pscustomobject]@{
        Process        = $process
        StandardOutput = $process.StandardOutput.ReadToEndAsync()
        StandardError  = $process.StandardError.ReadToEndAsync()
    }
}

function Start-TestEmulator {
    <#
    .SYNOPSIS
    Starts a tenant emulator process on 127.0.0.1 with the given tenant and returns a handle
    (BaseUri, Port, Process). It exits by itself when this pwsh process ends.
    #>
    param(
        [string] $Tenant = 'default',
        [int] $TimeoutSeconds = 15
    )
    $tenantFile = Get-TestTenantFile $Tenant
    $dll = Join-Path $script:RepoRoot 'out/tools/TenantEmulator/TenantEmulator.dll'
    if (-not (Test-Path -LiteralPath $dll)) { throw "The emulator is not built ($dll): run ./build.ps1 Build first." }
    $portFile = Join-Path ([IO.Path]::GetTempPath()) ("dz-emulator-{0}.port" -f [guid]::NewGuid())

    $started = Start-DotnetProcess -Arguments @($dll, '--tenant', $tenantFile, '--port-file', $portFile, '--parent-pid', $PID)
    $process = $started.Process
    $stderr = $started.StandardError

    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while (-not (Test-Path -LiteralPath $portFile)) {
        if ($process.HasExited) { throw "The emulator exited with code $($process.ExitCode): $($stderr.Result)" }
        if ([DateTime]::UtcNow -gt $deadline) {
            $process.Kill($true)
            throw "The emulator did not report its port within $TimeoutSeconds s."
        }
        Start-Sleep -Milliseconds 25
    }
    $port = [int](Get-Content -LiteralPath $portFile -Raw)
    Remove-Item -LiteralPath $portFile -ErrorAction SilentlyContinue
    $emulator = [pscustomobject]@{
        PSTypeName = 'Dropzone.Test.Emulator'
        BaseUri    = "http://127.0.0.1:$port"
        Port       = $port
        Process    = $process
        TenantFile = $tenantFile
    }
    $script:Emulators.Add($emulator)
    $emulator
}

function Stop-TestEmulator {
    <# Stops the given emulator, or every emulator this session started. #>
    param([Parameter(ValueFromPipeline)] $Emulator)
    process {
        $targets = if ($Emulator) { @($Emulator) } else { @($script:Emulators) }
        foreach ($e in $targets) {
            if (-not $e.Process.HasExited) {
                $e.Process.Kill($true)
                $null = $e.Process.WaitForExit(5000)
            }
            $e.Process.Dispose()
            $null = $script:Emulators.Remove($e)
        }
    }
}

function Invoke-EmulatorControl {
    <# Calls a control endpoint (/_emulator/...) of an emulator; the body is sent as JSON. #>
    param(
        [Parameter(Mandatory)] $Emulator,
        [Parameter(Mandatory)][string] $Path,
        [string] $Method = 'GET',
        $Body
    )
    $params = @{ Uri = "$($Emulator.BaseUri)/_emulator/$($Path.TrimStart('/'))"; Method = $Method }
    if ($PSBoundParameters.ContainsKey('Body')) {
        $params.Body = if ($Body -is [string]) { $Body } else { $Body | ConvertTo-Json -Depth 20 -Compress }
        $params.ContentType = 'application/json'
    }
    Invoke-RestMethod @params
}

# --- The module under test ------------------------------------------------------------------------

function New-TestAccessToken {
    <#
    .SYNOPSIS
    An unsigned JWT (alg none) with the given claims, as a SecureString. The module reads its claims
    for the context and its pre-write check; the emulator refuses Graph writes its scp (or, with
    -Roles, its roles) does not allow, and any request once it has expired. By default it holds the
    delegated scopes device code sign-in asks for, so it may do every step.
    #>
    param(
        [string] $TenantId = '00000000-0000-0000-0000-0000000000aa',
        [string] $Account = 'admin@contoso.onmicrosoft.com',
        [string] $Marker = 'test',
        [string[]] $Scopes = @('Application.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All', 'User.Read'),
        # Application permissions: an app-only token (no scp) when given.
        [string[]] $Roles,
        [DateTimeOffset] $ExpiresOn = [DateTimeOffset]::UtcNow.AddHours(1)
    )
    $encode = { param($json) [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($json)).TrimEnd('=').Replace('+', '-').Replace('/', '_') }
    $claims = [ordered]@{ tid = $TenantId; upn = $Account; exp = $ExpiresOn.ToUnixTimeSeconds(); marker = $Marker }
    if ($PSBoundParameters.ContainsKey('Roles')) { $claims.roles = @($Roles) } else { $claims.scp = @($Scopes) -join ' ' }
    $payload = $claims | ConvertTo-Json -Compress
    $token = (& $encode '{"alg":"none","typ":"JWT"}') + '.' + (& $encode $payload) + '.unsigned'
    ConvertTo-SecureString -String $token -AsPlainText -Force
}

function Get-TestTokenText {
    <# The text of a SecureString token: for asserting that it never appears in any output. #>
    param([Parameter(Mandatory)][securestring] $Token)
    [Net.NetworkCredential]::new('', $Token).Password
}

function Connect-TestGraph {
    <# Connects Dropzone.ExoSetup (already imported) to an emulator with a test token. #>
    param(
        [Parameter(Mandatory)] $Emulator,
        [securestring] $Token = (New-TestAccessToken),
        [string] $Environment = 'Global'
    )
    Connect-DropzoneGraph -AccessToken $Token -GraphEndpoint $Emulator.BaseUri -Environment $Environment
}

function Invoke-FreshPwsh {
    <#
    .SYNOPSIS
    Runs a script in a new pwsh process (no profile) and returns what it wrote as JSON on its last
    output line, parsed. The script gets the repository root as $args[0] and -Arguments after it.
    #>
    param(
        [Parameter(Mandatory)][string] $Script,
        [string[]] $Arguments = @(),
        [int] $TimeoutSeconds = 120
    )
    $file = Join-Path ([IO.Path]::GetTempPath()) ("dz-fresh-{0}.ps1" -f [guid]::NewGuid())
    Set-Content -LiteralPath $file -Value $Script
    try {
        $started = Start-DotnetProcess -Arguments (@('pwsh', '-NoProfile', '-NonInteractive', '-File', $file, $script:RepoRoot) + $Arguments)
        $process, $stdout, $stderr = $started.Process, $started.StandardOutput, $started.StandardError
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
            $process.Kill($true)
            throw "The fresh pwsh did not finish within $TimeoutSeconds s."
        }
        $process.WaitForExit()
        $lines = @($stdout.Result -split "`r?`n" | Where-Object { $_.Trim() })
        if ($process.ExitCode -ne 0 -or -not $lines) {
            throw "The fresh pwsh exited with $($process.ExitCode).`nstdout: $($stdout.Result)`nstderr: $($stderr.Result)"
        }
        $lines[-1] | ConvertFrom-Json
    } finally {
        Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue
    }
}

function Reset-TestTenant {
    <#
    .SYNOPSIS
    Puts an emulator back to a clean start for the next test: the tenant from a file name (or a
    state object), no Graph or Exchange faults, no replication delay, Graph options at their
    defaults, an empty request log.
    #>
    param(
        [Parameter(Mandatory)] $Emulator,
        [Parameter(Mandatory, ParameterSetName = 'Name')][string] $Tenant,
        [Parameter(Mandatory, ParameterSetName = 'State')] $State
    )
    if ($PSCmdlet.ParameterSetName -eq 'Name') { $State = Get-Content (Get-TestTenantFile $Tenant) -Raw | ConvertFrom-Json }
    Set-EmulatorState -Emulator $Emulator -State $State
    Clear-EmulatorFault -Emulator $Emulator
    Clear-ExchangeFault -Emulator $Emulator
    Set-EmulatorReplicationDelay -Emulator $Emulator -ServicePrincipalReads 0 -Seconds 0
    $null = Set-EmulatorGraphOption -Emulator $Emulator -ExpiredCertificateSentBack Reject
    Set-EmulatorLatency -Emulator $Emulator -Milliseconds 0
    Set-EmulatorInterleave -Emulator $Emulator -Milliseconds 0
    # A reset tenant is another tenant: the module's Graph session, which remembers the service
    # principal and consent it created while reads lag, starts afresh, as it would for a new tenant.
    if (Get-Command Get-DropzoneGraphContext -ErrorAction Ignore) {
        $context = Get-DropzoneGraphContext -ErrorAction Ignore
        if ($context -and "$($context.GraphEndpoint)".TrimEnd('/') -eq $Emulator.BaseUri) {
            Connect-TestGraph -Emulator $Emulator -Environment $context.Environment | Out-Null
        }
    }
    Clear-EmulatorRequestLog -Emulator $Emulator
}

# --- Generated tenants (reliability suite) ------------------------------------------------------

function New-CertificatePool {
    <# -Count public certificates (distinct keys), valid from yesterday for two years, to draw from. #>
    param([int] $Count = 8)
    1..$Count | ForEach-Object { New-TestCertificate -Subject "CN=Pool certificate $_" -NotAfter ([DateTimeOffset]::UtcNow.Date.AddYears(2)) }
}

function New-GeneratedTenant {
    <#
    .SYNOPSIS
    A tenant like `default` with extras drawn at random from -Seed (the same seed, the same tenant):
    other certificates and client secrets on the "Dropzone AI" app, other APIs' permissions
    (sometimes another Exchange role), sometimes its service principal with other app role
    assignments, other apps with service principals, Exchange service principals and role
    assignments. Certificates come from -CertificatePool. With -ExpiredCertificatePool, about one
    tenant in three also has expired certificates on the app (last year's vendor certificate among
    them); with -PreviousVendorCertificate, about one in three has it on the app as 'Dropzone AI'
    (the vendor's certificate before rotation). Returns an ordered hashtable for Set-EmulatorState.
    #>
    param(
        [Parameter(Mandatory)][int] $Seed,
        [Parameter(Mandatory)][object[]] $CertificatePool,
        [object[]] $ExpiredCertificatePool,
        $PreviousVendorCertificate
    )
    $random = [Random]::new($Seed)
    $guid = { $bytes = [byte[]]::new(16); $random.NextBytes($bytes); [guid]::new($bytes).ToString() }
    $iso = { param($date) ([DateTimeOffset]$date).ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ') }
    $take = { param($items, [int] $count) @($items | Sort-Object { $random.Next() } | Select-Object -First $count) }
    $upTo = { param([int] $max) $k = $random.Next(0, $max + 1); if ($k -gt 0) { 1..$k } }

    $tenant = Get-Content (Get-TestTenantFile default) -Raw | ConvertFrom-Json -AsHashtable
    $graphSp = $tenant.servicePrincipals | Where-Object { $_.appId -eq '00000003-0000-0000-c000-000000000000' }
    $exchangeSp = $tenant.servicePrincipals | Where-Object { $_.appId -eq '00000002-0000-0ff1-ce00-000000000000' }
    $graphRoles = @($graphSp.appRoles | ForEach-Object id)
    $app = $tenant.applications[0]

    $n = 0
    $app.keyCredentials = @(& $take $CertificatePool $random.Next(0, 4) | ForEach-Object {
        $n++
        [ordered]@{
            customKeyIdentifier = $_.Thumbprint; displayName = "Other certificate $n"; endDateTime = & $iso $_.NotAfter
            key = [Convert]::ToBase64String($_.RawData); keyId = & $guid; startDateTime = & $iso $_.NotBefore
            type = 'AsymmetricX509Cert'; usage = 'Verify'
        }
    })
    # Drawn from a random of their own, so the other extras of a seed stay what they were.
    $extra = [Random]::new($Seed * 31 + 7)
    $stored = { param($certificate, $name)
        [ordered]@{
            customKeyIdentifier = $certificate.Thumbprint; displayName = $name; endDateTime = & $iso $certificate.NotAfter
            key = [Convert]::ToBase64String($certificate.RawData); keyId = $(& { $b = [byte[]]::new(16); $extra.NextBytes($b); [guid]::new($b).ToString() })
            startDateTime = & $iso $certificate.NotBefore; type = 'AsymmetricX509Cert'; usage = 'Verify'
        }
    }
    if ($ExpiredCertificatePool -and $extra.Next(3) -eq 0) {
        $count = $extra.Next(1, [Math]::Min(2, $ExpiredCertificatePool.Count) + 1)
        $names = @('Dropzone AI', 'Expired certificate')
        $app.keyCredentials += @(0..($count - 1) | ForEach-Object { & $stored $ExpiredCertificatePool[$_] $names[$_ % 2] })
    }
    if ($PreviousVendorCertificate -and $extra.Next(3) -eq 0) {
        $app.keyCredentials += @(& $stored $PreviousVendorCertificate 'Dropzone AI')
    }
    $app.passwordCredentials = @(& $upTo 2 | ForEach-Object {
        [ordered]@{ customKeyIdentifier = $null; displayName = "Secret $_"; endDateTime = '2028-01-01T00:00:00Z'; hint = "s$_"
            keyId = & $guid; secretText = $null; startDateTime = '2026-01-01T00:00:00Z' }
    })
    $permissions = @()
    $chosenGraph = & $take $graphRoles $random.Next(0, $graphRoles.Count + 1)
    if ($chosenGraph) { $permissions += [ordered]@{ resourceAppId = $graphSp.appId; resourceAccess = @($chosenGraph | ForEach-Object { [ordered]@{ id = $_; type = 'Role' } }) } }
    if ($random.Next(2) -eq 1) { $permissions += [ordered]@{ resourceAppId = $exchangeSp.appId; resourceAccess = @([ordered]@{ id = 'dc890d15-9560-4a4c-9b7f-a736ec74ec40'; type = 'Role' }) } }
    $app.requiredResourceAccess = $permissions

    $assign = { param($principal, $roleId)
        [ordered]@{ id = (& $guid); appRoleId = $roleId; createdDateTime = '2026-02-01T00:00:00Z'; deletedDateTime = $null
            principalDisplayName = $principal.displayName; principalId = $principal.id; principalType = 'ServicePrincipal'
            resourceDisplayName = $graphSp.displayName; resourceId = $graphSp.id }
    }
    $newSp = { param($appId, $name) [ordered]@{ id = (& $guid); appId = $appId; displayName = $name; servicePrincipalType = 'Application'; appRoles = @(); tags = @() } }
    if ($random.Next(2) -eq 1) {
        $sp = & $newSp $app.appId $app.displayName
        $tenant.servicePrincipals += $sp
        foreach ($role in (& $take $graphRoles $random.Next(0, 3))) { $tenant.appRoleAssignments += & $assign $sp $role }
    }
    foreach ($i in (& $upTo 2)) {
        $otherAppId = & $guid
        $tenant.applications += [ordered]@{ id = (& $guid); appId = $otherAppId; displayName = "Other app $i"; keyCredentials = @(); passwordCredentials = @(); requiredResourceAccess = @() }
        $sp = & $newSp $otherAppId "Other app $i"
        $tenant.servicePrincipals += $sp
        foreach ($role in (& $take $graphRoles $random.Next(0, 2))) { $tenant.appRoleAssignments += & $assign $sp $role }
        if ($random.Next(2) -eq 1) {
            $tenant.exchange.servicePrincipals += [ordered]@{ objectId = $sp.id; appId = $otherAppId; displayName = $sp.displayName }
            $role = @('Transport Hygiene', 'Mail Recipients')[$random.Next(2)]
            $tenant.exchange.roleAssignments += [ordered]@{ name = "$role-$($sp.id)"; role = $role; roleAssigneeName = $sp.id
                roleAssigneeType = 'ServicePrincipal'; assignmentMethod = 'Direct'; enabled = $true; delegating = $false }
        }
    }
    $tenant
}

# --- Graph side of the emulator (state, request log, faults) -------------------------------------

# The tenant emulator's control endpoints (/_emulator/*; tests/TenantEmulator/tenants/README.md).

function Get-EmulatorState {
    <# The emulator's whole tenant state (Graph-shaped, plus the "exchange" section). #>
    param([Parameter(Mandatory)] $Emulator)
    Invoke-EmulatorControl -Emulator $Emulator -Path state
}

function Set-EmulatorState {
    <# Replaces the emulator's tenant state (an object, a hashtable or JSON text). #>
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] $State)
    $body = if ($State -is [string]) { $State } else { $State | ConvertTo-Json -Depth 50 -Compress }
    $null = Invoke-EmulatorControl -Emulator $Emulator -Path state -Method PUT -Body $body
}

function Reset-EmulatorState {
    <# Back to the seed tenant file; also clears faults, latency, replication delay and the request log. #>
    param([Parameter(Mandatory)] $Emulator)
    $null = Invoke-EmulatorControl -Emulator $Emulator -Path reset -Method POST
}

function Get-EmulatorRequestLog {
    <#
    .SYNOPSIS
    The requests the emulator served, oldest first: sequence, method, path, query, status, inBatch,
    batchSequence, time, latencyMs, fault, detail (control calls are not logged).
    .DESCRIPTION
    -Writes keeps the requests that asked for a change, whatever status they got:
    - Graph: any method but GET/HEAD, counting each request inside a $batch and never the $batch
      envelope itself (a POST that only carries other requests, reads included);
    - Exchange (/adminapi, always POST): only cmdlets whose verb is not Get or Test (the verb is taken
      from "detail", the cmdlet name the emulator records; a call without one counts as a write);
    - nothing else (the Cloud Shell token endpoint changes no tenant).
    Filter on status to keep only the writes that succeeded.
    #>
    param([Parameter(Mandatory)] $Emulator, [switch] $Writes)
    $entries = @((Invoke-EmulatorControl -Emulator $Emulator -Path requests).value)
    if ($Writes) {
        $entries = @($entries | Where-Object {
            if ($_.path -like '/adminapi/*') {
                $detail = if ($_.PSObject.Properties['detail']) { [string]$_.detail } else { '' }
                -not ($detail -match '^(Get|Test)-')
            } elseif ($_.path -like '/v1.0/*') {
                $_.method -notin 'GET', 'HEAD' -and $_.path -notlike '*/$batch'
            } else {
                # Not the tenant: e.g. the Cloud Shell token endpoint (POST /oauth2/token).
                $false
            }
        })
    }
    $entries
}

function Clear-EmulatorRequestLog {
    <# Empties the emulator's request log. #>
    param([Parameter(Mandatory)] $Emulator)
    $null = Invoke-EmulatorControl -Emulator $Emulator -Path requests -Method DELETE
}

function Add-EmulatorFault {
    <#
    .SYNOPSIS
    Makes the next -Count requests matching -Method (any when omitted) and -Path ('*' = any run of
    characters) fail: with -Status 429 or 503 and Retry-After, -Status 403 (a missing permission), -Status 401 (an
    expired token), or with -Drop a dropped connection.
    Requests inside a $batch are matched one by one (path /v1.0/...). Returns the fault.
    #>
    param(
        [Parameter(Mandatory)] $Emulator,
        [Parameter(Mandatory)][string] $Path,
        [string] $Method,
        [ValidateSet(429, 503, 403, 401)][int] $Status = 429,
        [int] $RetryAfterSeconds = 1,
        [int] $Count = 1,
        [switch] $Drop
    )
    $fault = @{ path = $Path; count = $Count }
    if ($Method) { $fault.method = $Method.ToUpperInvariant() }
    if ($Drop) { $fault.kind = 'drop' } else { $fault.kind = 'status'; $fault.status = $Status; $fault.retryAfterSeconds = $RetryAfterSeconds }
    Invoke-EmulatorControl -Emulator $Emulator -Path faults -Method POST -Body $fault
}

function Clear-EmulatorFault {
    <# Removes every pending fault. #>
    param([Parameter(Mandatory)] $Emulator)
    $null = Invoke-EmulatorControl -Emulator $Emulator -Path faults -Method DELETE
}

function Set-EmulatorLatency {
    <# A fixed delay added to every Graph/Exchange request (a $batch counts once); 0 turns it off. #>
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)][int] $Milliseconds)
    $null = Invoke-EmulatorControl -Emulator $Emulator -Path latency -Method PUT -Body @{ milliseconds = $Milliseconds }
}

function Set-EmulatorReplicationDelay {
    <#
    .SYNOPSIS
    -ServicePrincipalReads: from now on a service principal created by POST stays invisible to its
    next n reads (404 by id or appId, missing from filtered lists); writes naming its id still work.
    -Seconds: as Entra ID behaves, for that long after its creation a new service principal is
    missed by reads and consent naming it answers 400 "Not a valid reference update.", and a new
    app role assignment is missed by reads. 0 = off (each knob is set only when given).
    #>
    param([Parameter(Mandatory)] $Emulator, [int] $ServicePrincipalReads = -1, [double] $Seconds = -1)
    $body = @{}
    if ($ServicePrincipalReads -ge 0) { $body.servicePrincipalReads = $ServicePrincipalReads }
    if ($Seconds -ge 0) { $body.seconds = $Seconds }
    if ($body.Count -eq 0) { throw 'Give -ServicePrincipalReads and/or -Seconds.' }
    $null = Invoke-EmulatorControl -Emulator $Emulator -Path replication -Method PUT -Body $body
}

function Set-EmulatorGraphOption {
    <#
    .SYNOPSIS
    Chooses how the emulated Graph behaves where the real behaviour is UNCONFIRMED:
    -ExpiredCertificateSentBack Reject (a PATCH that sends back an expired certificate the app already
    holds is refused with KeyCredentialsInvalidEndDate; the default) or Accept (it is kept as it is).
    #>
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)][ValidateSet('Reject', 'Accept')][string] $ExpiredCertificateSentBack)
    Invoke-EmulatorControl -Emulator $Emulator -Path graph-options -Method PUT -Body @{ expiredCertificateSentBack = $ExpiredCertificateSentBack.ToLowerInvariant() }
}

function Set-EmulatorCloudShell {
    <#
    .SYNOPSIS
    What the emulator's Cloud Shell token endpoint (POST <emulator>/oauth2/token, what MSI_ENDPOINT
    points at) serves: a token with these claims (tid defaults to the tenant's; aud is the resource
    asked for), for -Audiences (default: Graph, Azure Resource Manager and the emulator itself).
    Returns the endpoint's address for $env:MSI_ENDPOINT.
    #>
    param(
        [Parameter(Mandatory)] $Emulator,
        [string] $Account = 'admin@contoso.onmicrosoft.com',
        [string[]] $Scopes = @('Application.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All', 'User.Read'),
        [string[]] $Audiences
    )
    $body = @{ claims = @{ upn = $Account; oid = '5a1e7c3b-0d2f-4e6a-8b9c-1d3e5f7a9b0c'; scp = @($Scopes) -join ' ' } }
    if ($Audiences) { $body.audiences = @($Audiences) }
    $null = Invoke-EmulatorControl -Emulator $Emulator -Path cloudshell -Method PUT -Body $body
    "$($Emulator.BaseUri)/oauth2/token"
}

function Set-EmulatorInterleave {
    <#
    .SYNOPSIS
    The time Graph takes inside the service: reads of /applications answer -Milliseconds after they
    read, writes to them land -Milliseconds after they arrive, so concurrent requests overlap. 0 = off.
    #>
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)][int] $Milliseconds)
    $null = Invoke-EmulatorControl -Emulator $Emulator -Path interleave -Method PUT -Body @{ milliseconds = $Milliseconds }
}

function Add-EmulatorOtherWriter {
    <#
    .SYNOPSIS
    Another writer on the app: each of the next -Count PATCHes of an application lands, then the
    collections it named are replaced by the other writer's copy read just before it, with
    -KeyCredential and -RequiredResourceAccess entries added and -RemoveKeyId / -RemovePermissionId
    taken out. The PATCH itself still answers 204 (the lost update). Returns the fault.
    #>
    param(
        [Parameter(Mandatory)] $Emulator,
        [int] $Count = 1,
        [object[]] $KeyCredential = @(),
        [object[]] $RequiredResourceAccess = @(),
        [string[]] $RemoveKeyId = @(),
        [string[]] $RemovePermissionId = @()
    )
    $add = @{}; $remove = @{}
    if ($KeyCredential) { $add.keyCredentials = @($KeyCredential) }
    if ($RequiredResourceAccess) { $add.requiredResourceAccess = @($RequiredResourceAccess) }
    if ($RemoveKeyId) { $remove.keyCredentials = @($RemoveKeyId) }
    if ($RemovePermissionId) { $remove.requiredResourceAccess = @($RemovePermissionId) }
    Invoke-EmulatorControl -Emulator $Emulator -Path faults -Method POST -Body @{
        kind = 'otherWriter'; path = '/v1.0/applications/*'; count = $Count; add = $add; remove = $remove
    }
}

function New-TestKeyCredential {
    <# A keyCredentials entry (Graph's shape, key included) for a certificate, as seeded tenants and other writers hold it. #>
    param([Parameter(Mandatory)][Security.Cryptography.X509Certificates.X509Certificate2] $Certificate, [string] $DisplayName = 'Other certificate')
    $iso = { param($date) ([DateTimeOffset]$date).ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ') }
    [ordered]@{
        customKeyIdentifier = $Certificate.Thumbprint; displayName = $DisplayName; endDateTime = & $iso $Certificate.NotAfter
        key = [Convert]::ToBase64String($Certificate.RawData); keyId = [guid]::NewGuid().ToString(); startDateTime = & $iso $Certificate.NotBefore
        type = 'AsymmetricX509Cert'; usage = 'Verify'
    }
}

function Invoke-ConcurrentRun {
    <#
    .SYNOPSIS
    Runs each -ScriptBlock in a runspace of its own (ForEach-Object -Parallel), all at the same
    moment: each imports the module, connects to the emulator, makes one Graph read (so no run pays
    the first call's start-up while the others write), then waits for the others at a barrier.
    .DESCRIPTION
    Each block gets one argument: a copy of -Arguments with Index (0, 1, ...) and Token (the test
    token) added. Returns one object per run, in order: Index, Output, Errors (ErrorRecords, a
    terminating one included), Warnings (messages). ForEach-Object -Parallel returns only when every
    runspace has ended (-TimeoutSeconds stops the rest), so nothing is left running.
    #>
    param(
        [Parameter(Mandatory)] $Emulator,
        [Parameter(Mandatory)][scriptblock[]] $ScriptBlock,
        [hashtable] $Arguments = @{},
        [int] $TimeoutSeconds = 180
    )
    $modulePath = Get-TestModulePath
    $token = New-TestAccessToken
    # Script blocks cannot cross runspaces; their text can.
    $texts = @($ScriptBlock | ForEach-Object { $_.ToString() })
    $barrier = [Threading.Barrier]::new($texts.Count)
    try {
        $runs = 0..($texts.Count - 1) | ForEach-Object -ThrottleLimit $texts.Count -TimeoutSeconds $TimeoutSeconds -Parallel {
            $index = $_
            $items = [Collections.Generic.List[object]]::new()
            $ready = $false
            try {
                Import-Module $using:modulePath
                $null = Connect-DropzoneGraph -AccessToken $using:token -GraphEndpoint ($using:Emulator).BaseUri
                $null = Get-DropzoneOrganizationId
                $ready = $true
            } catch {
                $items.Add($_)
            } finally {
                $null = ($using:barrier).SignalAndWait([TimeSpan]::FromSeconds(60))
            }
            if ($ready) {
                $arguments = ($using:Arguments).Clone()
                $arguments.Index = $index
                $arguments.Token = $using:token
                $block = [scriptblock]::Create(($using:texts)[$index])
                try { & $block $arguments *>&1 | ForEach-Object { $items.Add($_) } } catch { $items.Add($_) }
                Disconnect-DropzoneGraph
            }
            [pscustomobject]@{
                Index    = $index
                Output   = @($items | Where-Object { $_ -isnot [Management.Automation.ErrorRecord] -and $_ -isnot [Management.Automation.WarningRecord] -and $_ -isnot [Management.Automation.VerboseRecord] -and $_ -isnot [Management.Automation.InformationRecord] -and $_ -isnot [Management.Automation.DebugRecord] })
                Errors   = @($items | Where-Object { $_ -is [Management.Automation.ErrorRecord] })
                Warnings = @($items | Where-Object { $_ -is [Management.Automation.WarningRecord] } | ForEach-Object Message)
            }
        }
    } finally {
        $barrier.Dispose()
    }
    @($runs | Sort-Object Index)
}

function New-TestCertificate {
    <#
    .SYNOPSIS
    A self-signed RSA 2048 certificate made in memory, optionally written to -Path as -Format
    (Pem, Der, Base64 = base64 of the DER on one line, Pfx, PemWithPrivateKey). Returns an
    X509Certificate2: the public part only, except for Pfx and PemWithPrivateKey (with its key).
    #>
    [CmdletBinding()]
    param(
        [string] $Subject = 'CN=Dropzone AI test',
        [DateTimeOffset] $NotBefore = [DateTimeOffset]::UtcNow.Date.AddDays(-1),
        [DateTimeOffset] $NotAfter = [DateTimeOffset]::UtcNow.Date.AddYears(1),
        [string] $Path,
        [ValidateSet('Pem', 'Der', 'Base64', 'Pfx', 'PemWithPrivateKey')][string] $Format = 'Pem',
        [securestring] $Password
    )
    if ($Subject -notmatch '=') { $Subject = "CN=$Subject" }
    $rsa = [Security.Cryptography.RSA]::Create(2048)
    $request = [Security.Cryptography.X509Certificates.CertificateRequest]::new($Subject, $rsa,
        [Security.Cryptography.HashAlgorithmName]::SHA256, [Security.Cryptography.RSASignaturePadding]::Pkcs1)
    $full = $request.CreateSelfSigned($NotBefore, $NotAfter)
    $public = [Security.Cryptography.X509Certificates.X509CertificateLoader]::LoadCertificate($full.RawData)
    if ($Path) {
        $target = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($Path)
        switch ($Format) {
            'Pem' { [IO.File]::WriteAllText($target, $public.ExportCertificatePem() + "`n") }
            'Der' { [IO.File]::WriteAllBytes($target, $public.RawData) }
            'Base64' { [IO.File]::WriteAllText($target, [Convert]::ToBase64String($public.RawData)) }
            'Pfx' {
                $plain = if ($Password) { [Net.NetworkCredential]::new('', $Password).Password } else { $null }
                [IO.File]::WriteAllBytes($target, $full.Export([Security.Cryptography.X509Certificates.X509ContentType]::Pfx, $plain))
            }
            'PemWithPrivateKey' { [IO.File]::WriteAllText($target, $public.ExportCertificatePem() + "`n" + $rsa.ExportPkcs8PrivateKeyPem() + "`n") }
        }
    }
    if ($Format -in 'Pfx', 'PemWithPrivateKey') { return $full }
    $full.Dispose()
    $rsa.Dispose()
    $public
}


# --- Exchange side (fake ExchangeOnlineManagement) -----------------------------------------------

function Get-FakeExchangeModulePath {
    <# The fake ExchangeOnlineManagement module folder (tests/Fakes/ExchangeOnlineManagement). #>
    Join-Path $PSScriptRoot 'Fakes/ExchangeOnlineManagement'
}

function Import-FakeExchangeModule {
    <#
    .SYNOPSIS
    Imports the fake ExchangeOnlineManagement globally (replacing any loaded copy). With -Emulator,
    also points it at that emulator ($env:DROPZONE_FAKE_EXO_URI), so a Connect-ExchangeOnline
    without -ConnectionUri (as production code calls it) reaches the emulator, never Microsoft.
    It also puts tests/Fakes first on $env:PSModulePath (inherited by child pwsh processes), so
    `Import-Module ExchangeOnlineManagement` and `Get-Module -ListAvailable` by name find the fake.
    -LatencyMilliseconds: what every Exchange call waits (Set-FakeExchangeLatency); tiny by default,
    so tests pass through the wait without paying for it.
    #>
    param($Emulator, [ValidateRange(0, 60000)][int] $LatencyMilliseconds = 1)
    Get-Module ExchangeOnlineManagement | Remove-Module -Force
    if ($Emulator) { $env:DROPZONE_FAKE_EXO_URI = $Emulator.BaseUri }
    Set-FakeExchangeLatency -Milliseconds $LatencyMilliseconds
    $fakes = Split-Path -Parent (Get-FakeExchangeModulePath)
    if (($env:PSModulePath -split [IO.Path]::PathSeparator) -notcontains $fakes) {
        $env:PSModulePath = $fakes + [IO.Path]::PathSeparator + $env:PSModulePath
    }
    Import-Module (Join-Path (Get-FakeExchangeModulePath) 'ExchangeOnlineManagement.psd1') -Global -Force -PassThru
}

function Get-TestOrganization {
    <# The tenant's initial *.onmicrosoft.com domain, read from the emulator's tenant file. #>
    param([Parameter(Mandatory)] $Emulator)
    $tenant = Get-Content -LiteralPath $Emulator.TenantFile -Raw | ConvertFrom-Json
    $initial = @($tenant.domains | Where-Object { $_.PSObject.Properties['isInitial'] -and $_.isInitial })
    if ($initial.Count -gt 0) { return [string]$initial[0].id }
    'contoso.onmicrosoft.com'
}

function Connect-TestExchange {
    <#
    .SYNOPSIS
    Imports the fake ExchangeOnlineManagement and connects it to the emulator with a dummy token.
    Returns the connection (Get-ConnectionInformation).
    #>
    param(
        [Parameter(Mandatory)] $Emulator,
        [string] $Organization,
        [string] $AccessToken = 'dummy-exchange-token'
    )
    $null = Import-FakeExchangeModule -Emulator $Emulator
    if (-not $Organization) { $Organization = Get-TestOrganization -Emulator $Emulator }
    Connect-ExchangeOnline -ConnectionUri $Emulator.BaseUri -Organization $Organization -AccessToken $AccessToken -ShowBanner:$false
    Get-ConnectionInformation | Select-Object -Last 1
}

function Disconnect-TestExchange {
    <# Disconnects every fake Exchange connection and removes the fake module. #>
    if (Get-Module ExchangeOnlineManagement) {
        Disconnect-ExchangeOnline -Confirm:$false
        Get-Module ExchangeOnlineManagement | Remove-Module -Force
    }
    Remove-Item Env:DROPZONE_FAKE_EXO_URI, Env:DROPZONE_FAKE_EXO_LATENCY_MS -ErrorAction SilentlyContinue
}

function Set-FakeExchangeLatency {
    <#
    .SYNOPSIS
    The time every call of the fake Exchange cmdlets takes before it reaches the emulator
    ($env:DROPZONE_FAKE_EXO_LATENCY_MS, read at each call; inherited by child processes). 0 = none.
    It adds to the emulator's own latency (Set-EmulatorLatency), which applies to Exchange too.
    #>
    param([Parameter(Mandatory)][ValidateRange(0, 60000)][int] $Milliseconds)
    $env:DROPZONE_FAKE_EXO_LATENCY_MS = "$Milliseconds"
}

function Get-ExchangeCall {
    <# The Exchange cmdlets that reached the emulator since its log was cleared, oldest first (Get-ConnectionInformation is local: never there). #>
    param([Parameter(Mandatory)] $Emulator)
    @(Get-EmulatorRequestLog -Emulator $Emulator | Where-Object path -Like '/adminapi/*' | ForEach-Object detail)
}

function Get-ExchangeBehaviour {
    <#
    .SYNOPSIS
    Every combination of the emulated Exchange's UNCONFIRMED behaviours the module depends on, one
    hashtable each (Behaviour: a label; Exchange: the options for Set-ExchangeBehaviour; and the four
    options again as keys of their own), for Pester's -ForEach: how an
    assignee is shown (AssigneeShownAs), the name Exchange gives an assignment made without -Name
    (DefaultAssignmentName), the wording of a not-yet-replicated service principal
    (ReplicationError), and which cmdlet checks the directory (ReplicationLagAt).
    #>
    foreach ($assignee in 'ObjectId', 'DisplayName') {
        foreach ($name in 'RoleObjectId', 'RoleDisplayName') {
            foreach ($wording in 'AzureAd', 'ObjectNotFound') {
                foreach ($lag in 'NewServicePrincipal', 'NewManagementRoleAssignment') {
                    $options = @{ AssigneeShownAs = $assignee; DefaultAssignmentName = $name; ReplicationError = $wording; ReplicationLagAt = $lag }
                    @{
                        Behaviour             = "assignee $assignee, default name $name, $wording, lag at $lag"
                        Exchange              = $options
                        AssigneeShownAs       = $assignee
                        DefaultAssignmentName = $name
                        ReplicationError      = $wording
                        ReplicationLagAt      = $lag
                    }
                }
            }
        }
    }
}

function Set-ExchangeBehaviour {
    <# Applies one combination of Get-ExchangeBehaviour (its Exchange key) to the emulator; again after a reset, which drops options. #>
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)][hashtable] $Behaviour)
    $null = Set-ExchangeOption -Emulator $Emulator -AssigneeShownAs $Behaviour.AssigneeShownAs -DefaultAssignmentName $Behaviour.DefaultAssignmentName `
        -ReplicationError $Behaviour.ReplicationError -ReplicationLagAt $Behaviour.ReplicationLagAt
}

function Add-ExchangeFault {
    <#
    .SYNOPSIS
    Makes the next -Count calls of an Exchange cmdlet fail. -Kind Replication: the error of a
    service principal not yet replicated, in the wording of the option ReplicationError ("could not
    be found in Azure Active Directory", or "couldn't be found on '<DC>'"); -Kind Error: -Message
    (and optionally -ExceptionType, -Status).
    #>
    param(
        [Parameter(Mandatory)] $Emulator,
        [Parameter(Mandatory)][string] $Cmdlet,
        [ValidateSet('Replication', 'Error')][string] $Kind = 'Error',
        [int] $Count = 1,
        [string] $Message,
        [string] $ExceptionType,
        [int] $Status
    )
    $body = @{ cmdlet = $Cmdlet; kind = $Kind.ToLowerInvariant(); count = $Count }
    if ($Message) { $body.message = $Message }
    if ($ExceptionType) { $body.exceptionType = $ExceptionType }
    if ($Status) { $body.status = $Status }
    Invoke-EmulatorControl -Emulator $Emulator -Path 'exchange/faults' -Method POST -Body $body
}

function Clear-ExchangeFault {
    <# Drops every queued Exchange fault. #>
    param([Parameter(Mandatory)] $Emulator)
    $null = Invoke-EmulatorControl -Emulator $Emulator -Path 'exchange/faults' -Method DELETE
}

function Set-ExchangeOption {
    <#
    .SYNOPSIS
    Chooses how the emulated Exchange behaves where the real behaviour is unconfirmed:
    -UnknownIdentity All|Error (Get-* with a non-existent -Identity), -DuplicateRoleAssignment
    Create|Error, -AppRoles Any|ApplicationOnly (which roles -App accepts), -AssigneeShownAs
    ObjectId|DisplayName (RoleAssignee/RoleAssigneeName of a service principal),
    -DefaultAssignmentName RoleObjectId|RoleDisplayName (the name given without -Name),
    -ReplicationError AzureAd|ObjectNotFound (the wording of a not-yet-replicated service
    principal), -ReplicationLagAt NewServicePrincipal|NewManagementRoleAssignment (which cmdlet
    checks the directory). The options live in the tenant state: a reset drops them.
    #>
    param(
        [Parameter(Mandatory)] $Emulator,
        [ValidateSet('All', 'Error')][string] $UnknownIdentity,
        [ValidateSet('Create', 'Error')][string] $DuplicateRoleAssignment,
        [ValidateSet('Any', 'ApplicationOnly')][string] $AppRoles,
        [ValidateSet('ObjectId', 'DisplayName')][string] $AssigneeShownAs,
        [ValidateSet('RoleObjectId', 'RoleDisplayName')][string] $DefaultAssignmentName,
        [ValidateSet('AzureAd', 'ObjectNotFound')][string] $ReplicationError,
        [ValidateSet('NewServicePrincipal', 'NewManagementRoleAssignment')][string] $ReplicationLagAt
    )
    # The emulator's values are these names in camelCase.
    $camel = { param([string] $value) $value.Substring(0, 1).ToLowerInvariant() + $value.Substring(1) }
    $body = @{}
    if ($UnknownIdentity) { $body.unknownIdentity = $UnknownIdentity.ToLowerInvariant() }
    if ($DuplicateRoleAssignment) { $body.duplicateRoleAssignment = $DuplicateRoleAssignment.ToLowerInvariant() }
    if ($AppRoles) { $body.appRoles = & $camel $AppRoles }
    if ($AssigneeShownAs) { $body.assigneeShownAs = & $camel $AssigneeShownAs }
    if ($DefaultAssignmentName) { $body.defaultAssignmentName = & $camel $DefaultAssignmentName }
    if ($ReplicationError) { $body.replicationError = & $camel $ReplicationError }
    if ($ReplicationLagAt) { $body.replicationLagAt = & $camel $ReplicationLagAt }
    Invoke-EmulatorControl -Emulator $Emulator -Path 'exchange/options' -Method POST -Body $body
}

function Get-ExchangeState {
    <# The emulator's Exchange section (servicePrincipals, roleAssignments, options). #>
    param([Parameter(Mandatory)] $Emulator)
    Invoke-EmulatorControl -Emulator $Emulator -Path 'exchange/state'
}

Export-ModuleMember -Function *-*
