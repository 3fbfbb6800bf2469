# A suite's set-up and tear-down as one pair, in the way PSResourceGet's test utilities pair
# Get-NewPSResourceRepositoryFile with Get-RevertPSResourceRepositoryFile: Enter-DropzoneTestSession in
# BeforeAll, Exit-DropzoneTestSession in AfterAll. Pester runs AfterAll even when BeforeAll or a test
# failed, and Exit undoes whatever Enter got to, so no emulator, connection or fake module outlives
# its suite. Part of TestHelpers.psm1 (dot-sourced into it).

# The sessions entered and not yet exited, innermost last (a Describe may enter one inside its suite's):
# each the session Enter returned, what Enter connected, and $env:PSModulePath as Enter found it.
$script:Sessions = [System.Collections.Generic.List[object]]::new()

# What a session holds (Enter-DropzoneTestSession's help says what each is); -Variable takes these names.
$script:SessionProperties = 'Tenant', 'TenantFile', 'TenantId', 'Organization', 'AppId', 'AppObjectId', 'ManageAsApp',
'Emulator', 'BaseUri', 'Work', 'Graph', 'Exchange'

function Enter-DropzoneTestSession {
    <#
    .SYNOPSIS
    A suite's set-up in one call: a tenant emulator seeded with -Tenant and an empty work folder; with
    -Module the module under test imported, with -Graph also connected to the emulator, with -Exchange
    the fake ExchangeOnlineManagement connected to it. Returns the session.
    .DESCRIPTION
    The session (Dropzone.Test.Session) holds: Emulator (the handle Start-TestEmulator returns),
    BaseUri, Tenant, TenantFile, TenantId, Organization (the tenant's initial domain), AppId (a [guid])
    and AppObjectId of the tenant's "Dropzone AI" app registration, ManageAsApp (the id of the
    Exchange.ManageAsApp role of its Office 365 Exchange Online service principal), Work (a temporary
    folder, removed on exit), Graph (the Connect-DropzoneGraph context, with -Graph) and Exchange (the
    Get-ConnectionInformation entry, with -Exchange). Ids the tenant file does not have are $null.

    -Variable defines properties of the session as variables of the calling script, as the suites'
    BeforeAll blocks define theirs ($script:Name), so the tests keep using $Emulator, $AppId, $Work.

    Sessions nest: Exit-DropzoneTestSession closes the innermost. When a step fails, the session is
    closed again (emulator stopped, connections undone) before the error is thrown.
    .EXAMPLE
    BeforeAll { $script:Session = Enter-DropzoneTestSession -Tenant customer -Graph -Exchange -Variable Emulator, AppId }
    AfterAll { Exit-DropzoneTestSession }
    #>
    [CmdletBinding()]
    param(
        # A tenant file name in tests/TenantEmulator/tenants (without .json) or a path.
        [string] $Tenant = 'default',
        # Import the built module (out/Dropzone.ExoSetup) into the global scope.
        [switch] $Module,
        # Import the module and connect it to the emulator (Connect-TestGraph); implies -Module.
        [switch] $Graph,
        # With -Graph: the token to connect with (New-TestAccessToken's default when omitted).
        [securestring] $GraphToken,
        # Connect the fake ExchangeOnlineManagement to the emulator (Connect-TestExchange).
        [switch] $Exchange,
        # Names of session properties to define as script variables of the caller.
        [string[]] $Variable = @(),
        # The emulator also serves the identity platform's endpoints over https (Start-TestEmulator -Authority).
        [switch] $Authority
    )
    # Checked before anything starts: a misspelt name would otherwise surface as a $null in a test.
    $unknown = @($Variable | Where-Object { $_ -notin $script:SessionProperties })
    if ($unknown) { throw "Enter-DropzoneTestSession: no session property $($unknown -join ', ') (there are: $($script:SessionProperties -join ', '))." }
    if ($GraphToken -and -not $Graph) { throw 'Enter-DropzoneTestSession: -GraphToken goes with -Graph.' }

    $tenantFile = Get-TestTenantFile $Tenant
    $seed = Get-Content -LiteralPath $tenantFile -Raw | ConvertFrom-Json
    $fields = [ordered]@{ PSTypeName = 'Dropzone.Test.Session' }
    foreach ($name in $script:SessionProperties) { $fields[$name] = $null }
    $session = [pscustomobject]$fields
    $session.Tenant = $Tenant
    $session.TenantFile = $tenantFile
    $session.TenantId = [string]$seed.tenantId
    $app = @($seed.applications | Where-Object displayName -EQ 'Dropzone AI') | Select-Object -First 1
    if ($app) { $session.AppId = [guid]$app.appId; $session.AppObjectId = [string]$app.id }
    $exchangeOnline = @($seed.servicePrincipals | Where-Object appId -EQ '00000002-0000-0ff1-ce00-000000000000') | Select-Object -First 1
    if ($exchangeOnline -and $exchangeOnline.PSObject.Properties['appRoles']) {
        $session.ManageAsApp = @($exchangeOnline.appRoles | Where-Object value -EQ 'Exchange.ManageAsApp' | ForEach-Object id) | Select-Object -First 1
    }

    # Registered before anything starts, so that closing it after a failed step undoes what did start.
    $record = [pscustomobject]@{ Session = $session; Graph = [bool]$Graph; Exchange = [bool]$Exchange; PSModulePath = $env:PSModulePath }
    $script:Sessions.Add($record)
    try {
        $session.Emulator = Start-TestEmulator -Tenant $tenantFile -Authority:$Authority
        $session.BaseUri = $session.Emulator.BaseUri
        $session.Organization = Get-TestOrganization -Emulator $session.Emulator
        # Named after the calling script (dz-integration-1a2b3c4d), so a folder left by a killed run says whose it is.
        $caller = [IO.Path]::GetFileName($MyInvocation.ScriptName) -replace '(\.Tests)?\.ps1$', ''
        $folder = Join-Path ([IO.Path]::GetTempPath()) ('dz-{0}-{1}' -f $(if ($caller) { $caller.ToLowerInvariant() } else { 'session' }), [guid]::NewGuid().ToString('N').Substring(0, 8))
        $session.Work = (New-Item -ItemType Directory -Path $folder).FullName
        if ($Module -or $Graph) {
            $modulePath = Get-TestModulePath
            if (-not (Test-Path -LiteralPath (Join-Path $modulePath 'Dropzone.ExoSetup.psd1'))) { throw "The module is not built ($modulePath): run ./build.ps1 Build first." }
            Import-Module $modulePath -Global -Force -ErrorAction Stop
        }
        if ($Graph) {
            $connect = @{ Emulator = $session.Emulator }
            if ($GraphToken) { $connect.Token = $GraphToken }
            $session.Graph = Connect-TestGraph @connect
        }
        if ($Exchange) { $session.Exchange = Connect-TestExchange -Emulator $session.Emulator }
    } catch {
        $failure = $_
        try { Exit-DropzoneTestSession } catch { Write-Warning "Closing the session that failed to start: $($_.Exception.Message)" }
        throw $failure
    }
    foreach ($name in $Variable) { $PSCmdlet.SessionState.PSVariable.Set("script:$name", $session.$name) }
    $session
}

function Exit-DropzoneTestSession {
    <#
    .SYNOPSIS
    Closes the innermost open session of Enter-DropzoneTestSession: disconnects what it connected, stops
    its emulator, removes its work folder and puts $env:PSModulePath back as it found it.
    .DESCRIPTION
    Closing the last open session also disconnects Graph (Disconnect-DropzoneGraph) and the fake Exchange
    (Disconnect-TestExchange, which removes the fake module) whoever connected them, and stops every
    emulator still running (Start-TestEmulator called by a test), so the next suite in this process
    starts clean. With no session open it does just that, so it is safe in any AfterAll. Every step
    runs even when an earlier one fails; the failures are thrown together at the end.
    #>
    [CmdletBinding()]
    param()
    $record = $null
    if ($script:Sessions.Count -gt 0) {
        $record = $script:Sessions[$script:Sessions.Count - 1]
        $script:Sessions.RemoveAt($script:Sessions.Count - 1)
    }
    $last = $script:Sessions.Count -eq 0
    $failures = [System.Collections.Generic.List[string]]::new()
    $step = {
        param([string] $What, [scriptblock] $Action)
        try { & $Action } catch { $failures.Add("${What}: $($_.Exception.Message)") }
    }

    if ($last -or $record.Exchange) { & $step 'disconnecting Exchange' { Disconnect-TestExchange } }
    if ($last -or $record.Graph) {
        & $step 'disconnecting Graph' { if (Get-Command Disconnect-DropzoneGraph -ErrorAction Ignore) { Disconnect-DropzoneGraph } }
    }
    if ($record -and $record.Session.Emulator) { & $step 'stopping the emulator' { Stop-TestEmulator -Emulator $record.Session.Emulator } }
    if ($last) { & $step 'stopping the other emulators' { Stop-TestEmulator } }
    if ($record -and $record.Session.Work) {
        & $step 'removing the work folder' { Remove-Item -LiteralPath $record.Session.Work -Recurse -Force -ErrorAction Stop }
    }
    if ($record) { $env:PSModulePath = $record.PSModulePath }
    if ($failures.Count -gt 0) { throw "Exit-DropzoneTestSession: $($failures -join '; ')" }
}
