# The tenant emulator (tests/TenantEmulator): starting and stopping its processes and its control
# endpoints (/_emulator/*; tests/TenantEmulator/tenants/README.md): state, request log, Graph faults,
# latency, replication delay, options. The Exchange half of the control endpoints is in
# FakeExchange.ps1. Part of TestHelpers.psm1 (dot-sourced into it).

# Every emulator this session started, for Stop-TestEmulator without -Emulator.
$script:Emulators = [System.Collections.Generic.List[object]]::new()

function Start-TestEmulator {
    <#
    .SYNOPSIS
    Starts a tenant emulator process on 127.0.0.1 with the given tenant and returns a handle
    (BaseUri, Port, Process). It exits by itself when this pwsh process ends. With -Authority it also
    serves the identity platform's endpoints over https (AuthorityUri) with a certificate of its own
    (AuthorityCertificateFile: PEM, for a child process's SSL_CERT_FILE).
    #>
    param(
        [string] $Tenant = 'default',
        [int] $TimeoutSeconds = 15,
        [switch] $Authority
    )
    $tenantFile = Get-TestTenantFile $Tenant
    $dll = Join-Path $script:RepoRoot 'out/tools/TenantEmulator/TenantEmulator.dll'
    if (-not (Test-Path -LiteralPath $dll)) { throw "The emulator is not built ($dll): run ./build.ps1 Build first." }
    $portFile = Join-Path ([IO.Path]::GetTempPath()) ("dz-emulator-{0}.port" -f [guid]::NewGuid())

    $arguments = @($dll, '--tenant', $tenantFile, '--port-file', $portFile, '--parent-pid', $PID)
    if ($Authority) {
        $certFile = Join-Path ([IO.Path]::GetTempPath()) ("dz-authority-{0}.pem" -f [guid]::NewGuid())
        $authorityPortFile = "$certFile.port"
        $arguments += '--authority-cert-file', $certFile, '--authority-port-file', $authorityPortFile
    }
    $started = Start-DotnetProcess -Arguments $arguments
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
        AuthorityUri = $null
        AuthorityCertificateFile = $null
    }
    if ($Authority) {
        # Written before the main port file.
        $emulator.AuthorityUri = 'https://127.0.0.1:{0}' -f [int](Get-Content -LiteralPath $authorityPortFile -Raw)
        $emulator.AuthorityCertificateFile = $certFile
        Remove-Item -LiteralPath $authorityPortFile -ErrorAction SilentlyContinue
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
            if ($e.AuthorityCertificateFile) { Remove-Item -LiteralPath $e.AuthorityCertificateFile -ErrorAction SilentlyContinue }
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
    Set-EmulatorReplicationDelay -Emulator $Emulator -ServicePrincipalReads 0 -Seconds 0 -ExchangeSeconds -1
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

function Add-EmulatorTenant {
    <#
    .SYNOPSIS
    Adds a tenant to a running emulator (one emulator serves several: Graph by the token's tid,
    Exchange by the organization in its URL); -State is its whole state, with its own tenantId.
    The control endpoints reach it with ?tenant=<tenant id or domain> (Invoke-EmulatorControl -Path 'requests?tenant=...').
    #>
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] $State)
    $body = if ($State -is [string]) { $State } else { $State | ConvertTo-Json -Depth 50 -Compress }
    $null = Invoke-EmulatorControl -Emulator $Emulator -Path tenants -Method POST -Body $body
}

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
    -ExchangeSeconds: Exchange Online's own lag in seeing a new service principal (its directory
    lookup at New-ServicePrincipal or New-ManagementRoleAssignment fails as not replicated for that
    long); without it Exchange shares -Seconds. -1 goes back to sharing.
    #>
    param([Parameter(Mandatory)] $Emulator, [int] $ServicePrincipalReads = -1, [double] $Seconds = -1, [double] $ExchangeSeconds = -2)
    $body = @{}
    if ($ServicePrincipalReads -ge 0) { $body.servicePrincipalReads = $ServicePrincipalReads }
    if ($Seconds -ge 0) { $body.seconds = $Seconds }
    if ($ExchangeSeconds -ge -1) { $body.exchangeSeconds = $ExchangeSeconds }
    if ($body.Count -eq 0) { throw 'Give -ServicePrincipalReads, -Seconds and/or -ExchangeSeconds.' }
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
