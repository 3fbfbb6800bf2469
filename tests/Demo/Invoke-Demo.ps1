#Requires -Version 7.4
<#
.SYNOPSIS
The end-to-end demo of Dropzone.ExoSetup against the local tenant emulator (never Microsoft 365).

.DESCRIPTION
Started by `dotnet pwsh ./build.ps1 Demo` (after Build and the emulator's build) in a fresh pwsh.
It starts the tenant emulator on 127.0.0.1 with the seeded tenant "customer" (an existing
"Dropzone AI" app with a client secret, two other certificates and Microsoft Graph permissions),
makes a stand-in for the vendor's <tenant>.dropzone.app.crt, runs Install-DropzoneExoIntegration
twice (the second run must write nothing), Test-DropzoneExoIntegration, and shows the app before
and after. Exchange Online is the fake ExchangeOnlineManagement module (tests/Fakes).

Every claim it prints is also checked: any failure, a write in the second run, a failed check or a
lost certificate or secret ends it with exit code 1 and the error. The emulator is stopped and both
connections closed in any case. No token is ever printed.

.PARAMETER Tenant
The emulator's seed tenant (tests/TenantEmulator/tenants/<Tenant>.json).
#>
[CmdletBinding()]
param(
    [string] $Tenant = 'customer'
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
# Only Install-DropzoneExoIntegration's progress (-ProgressAction Continue below): the web requests of
# the test helpers and of the fake Exchange module would add "Reading web response stream" bars.
# (Under -File this script runs in the global scope, which module functions read their preference from.)
$ProgressPreference = 'SilentlyContinue'
$stopwatch = [Diagnostics.Stopwatch]::StartNew()
$repoRoot = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
# Tables fit the terminal (less the indent); into a file or a pipe, long lines rather than wrapped words.
$script:OutputWidth = if ([Console]::IsOutputRedirected) { 250 } else { [Math]::Max(80, $Host.UI.RawUI.BufferSize.Width - 4) }

# --- Presentation ----------------------------------------------------------------------------------

function Write-Section([string] $Title) {
    Write-Host ''
    Write-Host "== $Title" -ForegroundColor Cyan
}

function Write-Note([string] $Text) { Write-Host "   $Text" -ForegroundColor DarkGray }

function Write-Command([string] $Here, [string] $CloudShell) {
    # What the demo runs, next to what an administrator types in Azure Cloud Shell.
    if (-not $CloudShell -or $CloudShell -eq $Here) {
        Write-Host '   demo and Cloud Shell: ' -NoNewline -ForegroundColor DarkGray
        Write-Host $Here -ForegroundColor Green
        return
    }
    Write-Host '   demo:        ' -NoNewline -ForegroundColor DarkGray
    Write-Host $Here
    Write-Host '   Cloud Shell: ' -NoNewline -ForegroundColor DarkGray
    Write-Host $CloudShell -ForegroundColor Green
}

function Write-Formatted {
    # Formatted output through the host, so it stays in order with Write-Host and never reaches
    # the pipeline (the demo's only result is its exit code).
    param([Parameter(ValueFromPipeline)] $InputObject)
    begin { $items = [Collections.Generic.List[object]]::new() }
    process { $items.Add($InputObject) }
    end {
        $text = ($items | Out-String -Width $script:OutputWidth).Trim("`r", "`n")
        foreach ($line in $text -split "`r?`n") { Write-Host "   $($line.TrimEnd())" }
    }
}

# Status as text, left-aligned like the other columns (enums would be right-aligned).
$statusColumn = @{ Name = 'Status'; Expression = { "$($_.Status)" } }

function Write-StepTable {
    # Steps and checks as a table whose last column (Detail) wraps between words, to the width left.
    param([Parameter(Mandatory)][AllowEmptyCollection()][object[]] $Rows, [Parameter(Mandatory)][string] $NameProperty)
    $nameWidth = [Math]::Max($NameProperty.Length, (@($Rows | ForEach-Object { "$($_.$NameProperty)".Length }) + 0 | Measure-Object -Maximum).Maximum)
    $statusWidth = [Math]::Max(6, (@($Rows | ForEach-Object { "$($_.Status)".Length }) + 0 | Measure-Object -Maximum).Maximum)
    $detailWidth = [Math]::Max(30, $script:OutputWidth - 3 - $nameWidth - 1 - $statusWidth - 1 - 1)
    $detailColumn = @{ Name = 'Detail'; Expression = {
            $lines = [Collections.Generic.List[string]]::new(); $line = ''
            foreach ($word in "$($_.Detail)" -split ' ') {
                if ($line -and ($line.Length + 1 + $word.Length) -gt $detailWidth) { $lines.Add($line); $line = $word }
                elseif ($line) { $line += " $word" } else { $line = $word }
            }
            if ($line) { $lines.Add($line) }
            $lines -join "`n"
        }.GetNewClosure()
    }
    $Rows | Format-Table $NameProperty, $statusColumn, $detailColumn -AutoSize -Wrap | Write-Formatted
}

function Write-Box([string[]] $Lines, [ConsoleColor] $Color = 'Green') {
    $width = ($Lines | Measure-Object -Property Length -Maximum).Maximum
    $border = '+' + ('-' * ($width + 4)) + '+'
    Write-Host ''
    Write-Host "   $border" -ForegroundColor $Color
    foreach ($line in $Lines) { Write-Host "   |  $($line.PadRight($width))  |" -ForegroundColor $Color }
    Write-Host "   $border" -ForegroundColor $Color
}

# --- The app as a tenant administrator sees it -----------------------------------------------------

function Get-AppView {
    <#
    The app's certificates and consent for Exchange.ManageAsApp from Get-DropzoneApplication; its
    client secrets and API permissions from the emulator's state, the way the Entra admin center
    shows them (the module reads them but has no cmdlet listing them). Never a secret's value or hint.
    #>
    param([Parameter(Mandatory)][string] $DisplayName)
    $app = Get-DropzoneApplication -DisplayName $DisplayName
    $state = Get-EmulatorState -Emulator $emulator
    $registration = @($state.applications | Where-Object appId -EQ "$($app.ApplicationId)")[0]
    $servicePrincipal = @($state.servicePrincipals | Where-Object appId -EQ "$($app.ApplicationId)") | Select-Object -First 1
    $permissions = foreach ($resource in @($registration.requiredResourceAccess)) {
        $api = @($state.servicePrincipals | Where-Object appId -EQ $resource.resourceAppId) | Select-Object -First 1
        foreach ($access in @($resource.resourceAccess)) {
            $role = if ($api) { @($api.appRoles | Where-Object id -EQ $access.id) | Select-Object -First 1 }
            $consented = [bool]($servicePrincipal -and $api -and @($state.appRoleAssignments | Where-Object {
                            $_.principalId -eq $servicePrincipal.id -and $_.resourceId -eq $api.id -and $_.appRoleId -eq $access.id }).Count)
            [pscustomobject]@{
                Api        = if ($api) { $api.displayName } else { $resource.resourceAppId }
                Permission = if ($role) { $role.value } else { $access.id }
                Type       = if ($access.type -eq 'Role') { 'Application' } else { 'Delegated' }
                Consented  = $consented
            }
        }
    }
    $secrets = foreach ($secret in @($registration.passwordCredentials)) {
        [pscustomobject]@{ DisplayName = $secret.displayName; KeyId = $secret.keyId; Expires = ([DateTimeOffset]$secret.endDateTime).ToString('yyyy-MM-dd') }
    }
    [pscustomobject]@{ Application = $app; Permissions = @($permissions); Secrets = @($secrets) }
}

function Show-AppView([Parameter(Mandatory)] $View) {
    $app = $View.Application
    Write-Host "   App registration '$($app.DisplayName)'  ApplicationId $($app.ApplicationId)  (Enterprise application $($app.ServicePrincipalId))"
    Write-Host '   Certificates (Get-DropzoneApplication):'
    $app.Certificates | Sort-Object NotAfter, DisplayName |
        Format-Table Thumbprint, DisplayName, @{ n = 'Expires'; e = { $_.NotAfter.ToString('yyyy-MM-dd') } }, DaysLeft -AutoSize | Write-Formatted
    Write-Host "   Exchange.ManageAsApp (Get-DropzoneApplication): requested $($app.ExchangePermissionRequested), admin consent $($app.ExchangePermissionConsented)"
    Write-Host '   API permissions (the emulator''s tenant state, as the Entra admin center lists them):'
    $View.Permissions | Format-Table Api, Permission, Type, Consented -AutoSize | Write-Formatted
    Write-Host '   Client secrets (values are never shown):'
    if ($View.Secrets) { $View.Secrets | Format-Table DisplayName, KeyId, Expires -AutoSize | Write-Formatted } else { Write-Host '   (none)' }
}

# --- The demo --------------------------------------------------------------------------------------

Write-Host '=====================================================================================' -ForegroundColor Yellow
Write-Host ' DEMO against a LOCAL TENANT EMULATOR on 127.0.0.1 and a fake ExchangeOnlineManagement' -ForegroundColor Yellow
Write-Host ' module - not Microsoft 365. No sign-in, no real tenant: nothing leaves this machine.' -ForegroundColor Yellow
Write-Host '=====================================================================================' -ForegroundColor Yellow

$emulator = $null
$exitCode = 0
try {
    Import-Module (Join-Path $repoRoot 'tests/TestHelpers.psm1') -Force
    $tenantFile = Get-TestTenantFile $Tenant
    $seed = Get-Content -LiteralPath $tenantFile -Raw | ConvertFrom-Json

    Write-Section "1. The tenant emulator, seeded with tests/TenantEmulator/tenants/$Tenant.json"
    # The emulator, a work folder and the module imported; Exit-DropzoneTestSession (below) undoes it all.
    $session = Enter-DropzoneTestSession -Tenant $Tenant -Module
    $emulator = $session.Emulator
    Write-Host "   Tenant emulator listening on $($emulator.BaseUri) (pid $($emulator.Process.Id)); it exits with this demo."

    foreach ($name in 'Install-DropzoneExoIntegration', 'Test-DropzoneExoIntegration') {
        if (-not (Get-Command $name -Module Dropzone.ExoSetup -ErrorAction SilentlyContinue)) {
            throw "The built module has no $name (rebuild with ./build.ps1 Build)."
        }
    }
    Write-Note "Imported Dropzone.ExoSetup $((Get-Module Dropzone.ExoSetup).Version) from out/Dropzone.ExoSetup."

    Write-Section '2. Connect: Microsoft Graph and Exchange Online (both emulated)'
    # A fake, unsigned token carrying the seed tenant's id; it is passed as a SecureString and never shown.
    $context = Connect-TestGraph -Emulator $emulator -Token (New-TestAccessToken -TenantId $seed.tenantId -Account "admin@$(Get-TestOrganization -Emulator $emulator)")
    Write-Command "Connect-DropzoneGraph -AccessToken <fake demo token, not shown> -GraphEndpoint $($emulator.BaseUri)" 'Connect-DropzoneGraph'
    Write-Note "Graph: $($context.Account) on tenant '$($context.TenantDisplayName)' ($($context.TenantId)) via $($context.GraphEndpoint)"
    $null = Connect-TestExchange -Emulator $emulator
    $organizationId = Get-DropzoneOrganizationId
    Write-Command "Connect-ExchangeOnline -ConnectionUri $($emulator.BaseUri) -Organization $organizationId (fake module)" `
        'Connect-ExchangeOnline'

    Write-Section "3. Before: the customer's existing 'Dropzone AI' app"
    $before = Get-AppView -DisplayName 'Dropzone AI'
    Show-AppView $before

    Write-Section '4. The certificate from the Dropzone UI'
    $tenantName = $organizationId.Split('.')[0]
    $certificatePath = Join-Path $session.Work "$tenantName.dropzone.app.crt"
    $vendorCertificate = New-TestCertificate -Subject "CN=$tenantName.dropzone.app" -Path $certificatePath -Format Pem
    $thumbprint = $vendorCertificate.Thumbprint
    Write-Host "   $certificatePath"
    Write-Note '(a certificate made for this demo; in real life: Dropzone UI > Settings > Integrations > MS 365/Defender > Configure > Connection)'
    Write-Host "   Thumbprint, what the Dropzone UI shows: $thumbprint" -ForegroundColor Green
    Write-Host "   Expires $($vendorCertificate.NotAfter.ToUniversalTime().ToString('yyyy-MM-dd'))"

    $installCommand = "Install-DropzoneExoIntegration -DisplayName 'Dropzone AI' -CertificatePath ./$tenantName.dropzone.app.crt -ExpectedThumbprint $thumbprint"

    Write-Section '5. Install-DropzoneExoIntegration: the whole set-up in one command'
    Write-Command $installCommand
    $writesBefore = @(Get-EmulatorRequestLog -Emulator $emulator -Writes).Count
    $elapsed = [Diagnostics.Stopwatch]::StartNew()
    $summary = Install-DropzoneExoIntegration -DisplayName 'Dropzone AI' -CertificatePath $certificatePath -ExpectedThumbprint $thumbprint -ProgressAction Continue
    $elapsed.Stop()
    $firstWriteLog = @(Get-EmulatorRequestLog -Emulator $emulator -Writes | Select-Object -Skip $writesBefore)
    $firstWrites = $firstWriteLog.Count
    $firstExchangeWrites = @($firstWriteLog | Where-Object path -Like '/adminapi/*').Count
    if (@($summary).Count -ne 1) { throw "Install-DropzoneExoIntegration returned $(@($summary).Count) objects, expected one summary." }
    $summary | Format-List OrganizationId, TenantId, ApplicationId, ApplicationDisplayName, ServicePrincipalObjectId,
        CertificateThumbprint, CertificateNotAfter | Write-Formatted
    Write-Host '   Steps:'
    Write-StepTable -Rows $summary.Steps -NameProperty Name
    if ($summary.NextSteps) {
        Write-Host '   Next steps:'
        foreach ($line in ([string]$summary.NextSteps).Trim() -split "`r?`n") { Write-Host "   $line" }
    }
    Write-Host ("   First run: {0} writes to the tenant ({1} Graph, {2} Exchange), {3:N1} s." -f
        $firstWrites, ($firstWrites - $firstExchangeWrites), $firstExchangeWrites, $elapsed.Elapsed.TotalSeconds)
    $failedSteps = @($summary.Steps | Where-Object { "$($_.Status)" -eq 'Failed' })
    if ($failedSteps) { throw "Install-DropzoneExoIntegration reported failed steps: $($failedSteps.Name -join ', ')" }
    if ($summary.OrganizationId -ne $organizationId) { throw "The summary's OrganizationId is '$($summary.OrganizationId)', Get-DropzoneOrganizationId says '$organizationId'." }
    if ($summary.CertificateThumbprint -ne $thumbprint) { throw "The summary's thumbprint $($summary.CertificateThumbprint) is not the certificate's $thumbprint." }

    Write-Section '6. The same command again: safe to run twice'
    $writesBefore = @(Get-EmulatorRequestLog -Emulator $emulator -Writes).Count
    $second = Install-DropzoneExoIntegration -DisplayName 'Dropzone AI' -CertificatePath $certificatePath -ExpectedThumbprint $thumbprint -ProgressAction Continue
    $secondWrites = @(Get-EmulatorRequestLog -Emulator $emulator -Writes).Count - $writesBefore
    Write-StepTable -Rows $second.Steps -NameProperty Name
    $changed = @($second.Steps | Where-Object { "$($_.Status)" -notin 'AlreadyDone', 'Skipped' })
    if ($changed) { throw "The second run did not find everything done: $(($changed | ForEach-Object { "$($_.Name)=$($_.Status)" }) -join ', ')" }
    if ($secondWrites -ne 0) { throw "The second run wrote $secondWrites time(s) to the tenant; it must write nothing." }
    Write-Host "   Second run: $secondWrites writes to the tenant (Graph and Exchange): every step was already done." -ForegroundColor Green

    Write-Section '7. Test-DropzoneExoIntegration: the check anyone can run later'
    $testCommand = "Test-DropzoneExoIntegration -ApplicationId $($summary.ApplicationId)"
    Write-Command $testCommand
    $checks = @(Test-DropzoneExoIntegration -ApplicationId $summary.ApplicationId)
    Write-StepTable -Rows $checks -NameProperty Check
    $failedChecks = @($checks | Where-Object { "$($_.Status)" -eq 'Fail' })
    if (-not $checks) { throw 'Test-DropzoneExoIntegration returned no checks.' }
    if ($failedChecks) {
        $failedChecks | Format-List Check, Detail, Remediation | Write-Formatted
        throw "Test-DropzoneExoIntegration failed $($failedChecks.Count) check(s): $($failedChecks.Check -join ', ')"
    }

    Write-Section "8. After: everything the app had is still there, next to Dropzone's certificate"
    $after = Get-AppView -DisplayName 'Dropzone AI'
    Show-AppView $after
    # (Property lists through ForEach-Object: under strict mode an empty array has no .Thumbprint.)
    $beforeThumbprints = @($before.Application.Certificates | ForEach-Object Thumbprint)
    $afterThumbprints = @($after.Application.Certificates | ForEach-Object Thumbprint)
    $afterSecretIds = @($after.Secrets | ForEach-Object KeyId)
    $lostCertificates = @($before.Application.Certificates | Where-Object { $_.Thumbprint -notin $afterThumbprints })
    $lostSecrets = @($before.Secrets | Where-Object { $_.KeyId -notin $afterSecretIds })
    $lostPermissions = @($before.Permissions | Where-Object { $p = $_; -not @($after.Permissions | Where-Object { $_.Api -eq $p.Api -and $_.Permission -eq $p.Permission }).Count })
    if ($lostCertificates -or $lostSecrets -or $lostPermissions) {
        $lost = @($lostCertificates | ForEach-Object { "certificate $($_.Thumbprint)" }) + @($lostSecrets | ForEach-Object { "secret $($_.DisplayName)" }) +
            @($lostPermissions | ForEach-Object { "permission $($_.Permission)" })
        throw "Something the app had is gone: $($lost -join ', ')"
    }
    if ($thumbprint -notin $afterThumbprints) { throw "The vendor's certificate $thumbprint is not on the app." }
    $keptNames = @($before.Application.Certificates | ForEach-Object DisplayName) -join ', '
    Write-Host ("   Kept: {0} certificate(s){1}, {2} client secret(s), {3} API permission(s); added: {4}." -f
        $beforeThumbprints.Count, $(if ($keptNames) { " ($keptNames)" }), $before.Secrets.Count, $before.Permissions.Count, $thumbprint) -ForegroundColor Green

    # The form's values, as Test-DropzoneExoIntegration's last result carries them.
    $form = $checks[-1].DropzoneForm
    if (-not $form -or $form.OrganizationId -ne $summary.OrganizationId) { throw "Test-DropzoneExoIntegration's last result does not carry the Dropzone UI's values." }
    $secret = if ($form.ClientSecretHint) {
        "the one starting '$($form.ClientSecretHint)', expires $($form.ClientSecretExpires.UtcDateTime.ToString('yyyy-MM-dd'))"
    } else { 'make one: New-DropzoneClientSecret -AsPlainText' }
    Write-Box @(
        'Paste into the Dropzone UI (Settings > Integrations > MS 365/Defender):'
        ''
        "Application (client) ID = $($form.ApplicationClientId)"
        "Directory (tenant) ID = $($form.DirectoryTenantId)"
        "Client secret = $secret"
        "Organization ID = $($form.OrganizationId)"
    )
} catch {
    $exitCode = 1
    Write-Host ''
    Write-Host "DEMO FAILED: $($_.Exception.Message)" -ForegroundColor Red
    if ($_.FullyQualifiedErrorId -ne $_.Exception.Message) { Write-Host "   ErrorId: $($_.FullyQualifiedErrorId)" -ForegroundColor Red }
    if ($_.InvocationInfo -and $_.InvocationInfo.ScriptLineNumber) { Write-Host "   at $(Split-Path -Leaf $_.InvocationInfo.ScriptName) line $($_.InvocationInfo.ScriptLineNumber)" -ForegroundColor Red }
    if ($_.ErrorDetails -and $_.ErrorDetails.RecommendedAction) { Write-Host "   $($_.ErrorDetails.RecommendedAction)" -ForegroundColor Red }
} finally {
    # Both connections closed, the emulator stopped, the work folder removed: each on its own, so one
    # failing never leaves the emulator running.
    try { if (Get-Command Exit-DropzoneTestSession -ErrorAction SilentlyContinue) { Exit-DropzoneTestSession } } catch { Write-Host "   ($($_.Exception.Message))" -ForegroundColor DarkGray }
}

Write-Host ''
if ($exitCode -eq 0) {
    Write-Host ("Demo finished in {0:N1} s; the tenant emulator is stopped." -f $stopwatch.Elapsed.TotalSeconds) -ForegroundColor Green
} else {
    Write-Host ("Demo failed after {0:N1} s; the tenant emulator is stopped." -f $stopwatch.Elapsed.TotalSeconds) -ForegroundColor Red
}
exit $exitCode
