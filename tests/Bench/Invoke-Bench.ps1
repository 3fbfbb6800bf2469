#Requires -Version 7.4
<#
.SYNOPSIS
The benchmark of Dropzone.ExoSetup against the vendor's procedure scripted by hand (issue 7).

.DESCRIPTION
Started by `dotnet pwsh ./build.ps1 Bench` (after Build and the emulator's build) in a fresh pwsh.
Against the tenant emulator (seed tenant "default", a fixed latency per request) it measures:

- Install-DropzoneExoIntegration and tests/Bench/ManualProcedure.ps1 (one Invoke-RestMethod per
  documented action, retrying consent and New-ServicePrincipal every second until they take) on
  five shapes of tenant, each prepared the same way for both: portal app (the app and its service
  principal exist, nothing else), app only (no service principal: both replication lags apply),
  done, Entra done / Exchange empty, and Exchange done / Entra empty. Real waits are modelled: Entra
  ID refuses consent to a new service principal for -ConsentLagSeconds, and Exchange does not see it
  for -ExchangeLagSeconds (the emulator's /_emulator/replication seconds and exchangeSeconds). For
  each: Graph requests (inner $batch requests and direct ones; never the $batch envelope),
  sequential Graph round trips (top-level /v1.0 requests), Graph writes (non-GET), Exchange calls
  and writes (/adminapi, by cmdlet name), wall time, and the ratio module / script. Every end state
  is checked with Test-DropzoneExoIntegration -Quiet. One unmeasured run of each first pays JIT and
  first-use costs.
- Import-Module ./out/Dropzone.ExoSetup: median of 5 fresh pwsh processes, timed inside each.
- Peak working set of a fresh pwsh that imports the module, connects and runs the full set-up,
  against a bare fresh pwsh started the same way (median of 3 each).

Prints a table (metric, module, script, ratio, target, PASS/MISS) and writes everything to
-OutputPath. Exits 0 when the bench ran, even if a target is missed (it is a measurement); 1 when the
bench itself failed: the module or the script errored, or an end state fails the check.

.PARAMETER LatencyMilliseconds
The emulator's fixed delay per Graph request (a $batch counts once). 0 = none.
.PARAMETER ExchangeLatencyMilliseconds
What one Exchange cmdlet call takes (a REST round trip of about half a second to a second and a half
in Exchange Online): the emulator's delay plus the fake ExchangeOnlineManagement's wait per call
(Set-FakeExchangeLatency), which makes up the difference. Default 500.
.PARAMETER ConsentLagSeconds
How long Entra ID refuses consent to a service principal created moments ago ("Not a valid
reference update."). Default 3.
.PARAMETER ExchangeLagSeconds
How long Exchange Online does not see a service principal created moments ago. Default 3.
.PARAMETER OutputPath
The JSON report, relative to the repository root unless absolute.
#>
[CmdletBinding()]
param(
    [ValidateRange(0, 10000)][int] $LatencyMilliseconds = 50,
    [ValidateRange(0, 60000)][int] $ExchangeLatencyMilliseconds = 500,
    [ValidateRange(0, 600)][double] $ConsentLagSeconds = 3,
    [ValidateRange(0, 600)][double] $ExchangeLagSeconds = 3,
    [string] $OutputPath = 'out/bench.json'
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
# No "Reading web response stream" bars from the helpers, the fake Exchange module or the script.
$ProgressPreference = 'SilentlyContinue'
$repoRoot = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
Set-Location $repoRoot
if (-not [IO.Path]::IsPathRooted($OutputPath)) { $OutputPath = Join-Path $repoRoot $OutputPath }

Import-Module (Join-Path $repoRoot 'tests/TestHelpers.psm1') -Force
. (Join-Path $PSScriptRoot 'BenchCommon.ps1')
$modulePath = Get-TestModulePath
Import-Module $modulePath -Force

$appId = 'a7d1c3e5-2b4f-4c6a-9e8d-1f3b5d7a9c2e'
$tenant = 'default'
$importSamples = 5
$memorySamples = 3
$benchClock = [Diagnostics.Stopwatch]::StartNew()



function Get-RunCounts {
    # What one measured run sent, from the emulator's request log.
    param([Parameter(Mandatory)][AllowEmptyCollection()][object[]] $Log)
    $graphAll = @($Log | Where-Object { $_.path -like '/v1.0*' })
    $graph = @($graphAll | Where-Object { $_.path -notlike '*/$batch' })            # inner and direct requests
    $topLevel = @($graphAll | Where-Object { -not $_.inBatch })                       # envelopes and direct requests
    $graphWrites = @($graph | Where-Object { $_.method -notin 'GET', 'HEAD' })
    $exchange = @($Log | Where-Object { $_.path -like '/adminapi*' })
    $cmdlet = { if ($_.PSObject.Properties['detail'] -and $_.detail) { [string]$_.detail } else { '(unknown)' } }
    $exchangeWrites = @($exchange | Where-Object { (& $cmdlet) -notmatch '^(Get|Test)-' })
    [ordered]@{
        graphRequests       = $graph.Count
        graphBatches        = @($graphAll | Where-Object { $_.path -like '*/$batch' }).Count
        graphRoundTrips     = $topLevel.Count
        graphWrites         = $graphWrites.Count
        graphErrors         = @($graph | Where-Object { $_.status -ge 400 }).Count
        exchangeCalls       = $exchange.Count
        exchangeWrites      = $exchangeWrites.Count
        exchangeErrors      = @($exchange | Where-Object { $_.status -ge 400 }).Count
        roundTrips          = $topLevel.Count + $exchange.Count
        graph               = @($graph | ForEach-Object {
                "$($_.method) $($_.path)$(if ($_.query) { "?$($_.query)" }) -> $($_.status)$(if ($_.inBatch) { ' (in $batch)' })" })
        exchange            = @($exchange | ForEach-Object { "$(& $cmdlet) -> $($_.status)" })
    }
}

function Measure-Run {
    # One measured run: latency set, log cleared, the run timed, then the log read (control calls
    # are neither delayed nor logged).
    param([Parameter(Mandatory)][string] $Name, [Parameter(Mandatory)][scriptblock] $Run)
    Set-EmulatorLatency -Emulator $emulator -Milliseconds $LatencyMilliseconds
    # The emulator delays Exchange requests too; the fake waits for the rest of an Exchange call.
    Set-FakeExchangeLatency -Milliseconds ([Math]::Max(0, $ExchangeLatencyMilliseconds - $LatencyMilliseconds))
    Clear-EmulatorRequestLog -Emulator $emulator
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $output = & $Run
    $clock.Stop()
    $counts = Get-RunCounts -Log @(Get-EmulatorRequestLog -Emulator $emulator)
    $counts.wallTimeMs = [Math]::Round($clock.Elapsed.TotalMilliseconds, 1)
    Write-Note ("{0,-28} {1,7:N0} ms  Graph: {2} requests, {3} round trips, {4} writes  Exchange: {5} calls, {6} writes" -f `
            $Name, $counts.wallTimeMs, $counts.graphRequests, $counts.graphRoundTrips, $counts.graphWrites, $counts.exchangeCalls, $counts.exchangeWrites)
    [pscustomobject]@{ Counts = $counts; Output = $output }
}

function Connect-Bench {
    $null = Connect-TestGraph -Emulator $emulator
    $null = Connect-TestExchange -Emulator $emulator
}

function Disconnect-Bench {
    Disconnect-TestExchange
    Disconnect-DropzoneGraph -ErrorAction SilentlyContinue
}

function Get-TenantEffect {
    # What the vendor procedure is about, as the tenant holds it: for comparing the two end states.
    param([Parameter(Mandatory)][string] $Thumbprint)
    $state = Get-EmulatorState -Emulator $emulator
    $app = @($state.applications | Where-Object appId -EQ $appId)[0]
    $sp = @($state.servicePrincipals | Where-Object appId -EQ $appId) | Select-Object -First 1
    $exo = @($state.servicePrincipals | Where-Object appId -EQ '00000002-0000-0ff1-ce00-000000000000')[0]
    $manageAsApp = 'dc50a0fb-09a3-484d-be87-e023b12c6440'
    [ordered]@{
        certificates        = @($app.keyCredentials | Where-Object { $_.customKeyIdentifier -eq $Thumbprint }).Count
        manageAsAppRequests = @($app.requiredResourceAccess | Where-Object resourceAppId -EQ $exo.appId |
                ForEach-Object { @($_.resourceAccess | Where-Object { $_.id -eq $manageAsApp -and $_.type -eq 'Role' }) }).Count
        servicePrincipals   = @($state.servicePrincipals | Where-Object appId -EQ $appId).Count
        consents            = if ($sp) { @($state.appRoleAssignments | Where-Object { $_.principalId -eq $sp.id -and $_.resourceId -eq $exo.id -and $_.appRoleId -eq $manageAsApp }).Count } else { 0 }
        exchangeServicePrincipals = if ($sp) { @($state.exchange.servicePrincipals | Where-Object { $_.objectId -eq $sp.id }).Count } else { 0 }
        transportHygiene    = if ($sp) { @($state.exchange.roleAssignments | Where-Object { $_.role -eq 'Transport Hygiene' -and $_.roleAssigneeName -eq $sp.id }).Count } else { 0 }
    }
}

function Invoke-FreshProcess {
    # `dotnet pwsh -NoProfile -NonInteractive -Command <text>` in the repository root; its last
    # output line is JSON.
    param([Parameter(Mandatory)][string] $Command, [int] $TimeoutSeconds = 120)
    $started = Start-DotnetProcess -Arguments @('pwsh', '-NoProfile', '-NonInteractive', '-Command', $Command)
    $process = $started.Process
    try {
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
            $process.Kill($true)
            throw "A fresh pwsh did not finish within $TimeoutSeconds s."
        }
        $process.WaitForExit()
        $stdout = $started.StandardOutput.Result
        $lines = @($stdout -split "`r?`n" | Where-Object { $_.Trim() })
        if ($process.ExitCode -ne 0 -or -not $lines) {
            throw "A fresh pwsh exited with $($process.ExitCode).`nstdout: $stdout`nstderr: $($started.StandardError.Result)"
        }
        $lines[-1] | ConvertFrom-Json
    } finally {
        $process.Dispose()
    }
}

function Format-Number($Value, [string] $Format = 'N0') {
    if ($null -eq $Value) { return '-' }
    if ($Value -is [string]) { return $Value }
    $Value.ToString($Format, [Globalization.CultureInfo]::InvariantCulture)
}

# Rows of the table: the module, the script when there is one, module / script, and the target.
$rows = [Collections.Generic.List[object]]::new()
function Add-Row {
    param(
        [Parameter(Mandatory)][string] $Metric,
        $Module, $Manual, [string] $Target, [scriptblock] $Meets, [string] $Format = 'N0'
    )
    $numeric = { param($x) $x -is [int] -or $x -is [long] -or $x -is [double] }
    $ratio = if ((& $numeric $Module) -and (& $numeric $Manual) -and $Manual -ne 0) { [Math]::Round([double]$Module / [double]$Manual, 2) } else { $null }
    $verdict = if ($Meets) { if (& $Meets $Module $ratio) { 'PASS' } else { 'MISS' } } else { '' }
    $rows.Add([pscustomobject][ordered]@{
            Metric = $Metric; Module = $Module; Script = $Manual; Ratio = $ratio; Target = $Target; Result = $verdict
            Text   = [pscustomobject][ordered]@{
                Metric = $Metric; Module = Format-Number $Module $Format; Script = Format-Number $Manual $Format
                Ratio = if ($null -ne $ratio) { Format-Number $ratio 'N2' } else { '' }; Target = $Target; Result = $verdict
            }
        })
}

$failures = [Collections.Generic.List[string]]::new()
$emulator = $null
$report = [ordered]@{
    machine = [ordered]@{
        cores        = [Environment]::ProcessorCount
        os           = [Runtime.InteropServices.RuntimeInformation]::OSDescription
        architecture = "$([Runtime.InteropServices.RuntimeInformation]::OSArchitecture)"
        pwsh         = "$($PSVersionTable.PSVersion)"
        dotnet       = [Runtime.InteropServices.RuntimeInformation]::FrameworkDescription
        date         = [DateTime]::UtcNow.ToString('yyyy-MM-ddTHH:mm:ssZ')
        loadAverage  = if (Test-Path /proc/loadavg) { ((Get-Content /proc/loadavg -Raw) -split ' ')[0..2] -join ' ' } else { $null }
    }
    latencyMs = $LatencyMilliseconds
    exchangeLatencyMs = $ExchangeLatencyMilliseconds
}
try {
    # The emulator and a work folder; Exit-DropzoneTestSession (in finally) stops and removes them.
    $session = Enter-DropzoneTestSession -Tenant $tenant
    $emulator = $session.Emulator
    # The stand-in for the vendor's <tenant>.dropzone.app.crt (public part only).
    $crt = Join-Path $session.Work 'contoso.dropzone.app.crt'
    $thumbprint = (New-TestCertificate -Subject 'CN=contoso.dropzone.app' -Path $crt -Format Pem).Thumbprint
    $token = New-TestAccessToken
    $tokenText = Get-TestTokenText -Token $token

    Write-Section "Bench: tenant '$tenant', Graph $LatencyMilliseconds ms per request, Exchange $ExchangeLatencyMilliseconds ms per call, $([Environment]::ProcessorCount) cores"

    # --- The five shapes, module and script -----------------------------------------------------------
    $manual = Join-Path $PSScriptRoot 'ManualProcedure.ps1'
    $tools = [ordered]@{
        module = { Install-DropzoneExoIntegration -ApplicationId $appId -CertificatePath $crt }
        script = { & $manual -GraphEndpoint $emulator.BaseUri -AccessToken $tokenText -ApplicationId $appId -CertificatePath $crt }
    }
    $shapes = [ordered]@{
        portalApp          = 'portal app'
        appOnly            = 'app only'
        done               = 'done'
        entraDoneExoEmpty  = 'Entra done / Exchange empty'
        exoDoneEntraEmpty  = 'Exchange done / Entra empty'
    }

    function Invoke-Unmeasured([scriptblock] $Run) {
        Set-EmulatorLatency -Emulator $emulator -Milliseconds 0
        Set-FakeExchangeLatency -Milliseconds 1
        $null = & $Run
    }

    function Initialize-Shape {
        # The tenant as the shape has it, made with the tool about to be measured (so "done" is what
        # that tool leaves), with no lag and no latency; then the lags for what the run creates.
        param([Parameter(Mandatory)][string] $Shape, [Parameter(Mandatory)][scriptblock] $Tool)
        Initialize-TenantShape -Emulator $emulator -AppId $appId -Shape $shapes[$Shape] -SetUp { Invoke-Unmeasured $Tool }
        Set-EmulatorReplicationDelay -Emulator $emulator -Seconds $ConsentLagSeconds -ExchangeSeconds $ExchangeLagSeconds
    }

    function Test-EndState([string] $What) {
        # Replication windows closed (replacing the state clears them), then the check, unmeasured.
        Set-EmulatorReplicationDelay -Emulator $emulator -Seconds 0 -ExchangeSeconds -1
        Set-EmulatorState -Emulator $emulator -State (Get-EmulatorState -Emulator $emulator)
        Set-EmulatorLatency -Emulator $emulator -Milliseconds 0
        Set-FakeExchangeLatency -Milliseconds 1
        $ok = [bool](Test-DropzoneExoIntegration -ApplicationId $appId -CertificatePath $crt -Quiet)
        if (-not $ok) { $failures.Add("Test-DropzoneExoIntegration -Quiet is `$false after $What.") }
        $ok
    }

    Connect-Bench
    # Warm-up: one unmeasured run of each on an app-only tenant.
    foreach ($tool in $tools.Keys) {
        Reset-EmulatorState -Emulator $emulator
        Invoke-Unmeasured $tools[$tool]
    }
    $runs = [ordered]@{ module = [ordered]@{}; script = [ordered]@{} }
    $effects = [ordered]@{ module = [ordered]@{}; script = [ordered]@{} }
    foreach ($shape in $shapes.Keys) {
        foreach ($tool in $tools.Keys) {
            Initialize-Shape -Shape $shape -Tool $tools[$tool]
            $run = Measure-Run -Name "$tool, $($shapes[$shape])" -Run $tools[$tool]
            if ($tool -eq 'module') {
                $run.Counts.complete = [bool]$run.Output.Complete
                $run.Counts.steps = @($run.Output.Steps | ForEach-Object { "$($_.Name): $($_.Status)" })
                if (-not $run.Output.Complete) { $failures.Add("Install-DropzoneExoIntegration ($($shapes[$shape])) did not complete: $($run.Counts.steps -join ', ')") }
            } else {
                $run.Counts.caughtErrors = @($run.Output.CaughtErrors | ForEach-Object { "$($_.Step): $(if ($_.Status) { "$($_.Status) " })$($_.Code) $($_.Message)".Trim() })
                $run.Counts.calls = @($run.Output.Calls | ForEach-Object { "$($_.Call): $($_.Outcome)" })
            }
            $run.Counts.endStateTestQuiet = Test-EndState "the $tool's run ($($shapes[$shape]))"
            $effects[$tool][$shape] = Get-TenantEffect -Thumbprint $thumbprint
            $runs[$tool][$shape] = $run.Counts
        }
    }
    Disconnect-Bench
    $moduleRuns = $runs.module
    $manualRuns = $runs.script

    # --- Import-Module time ----------------------------------------------------------------------------
    Write-Note "Import-Module: $importSamples fresh pwsh processes"
    $importCommand = @'
$clock = [Diagnostics.Stopwatch]::StartNew()
Import-Module ./out/Dropzone.ExoSetup -ErrorAction Stop
$clock.Stop()
@{ ms = $clock.Elapsed.TotalMilliseconds; commands = @(Get-Command -Module Dropzone.ExoSetup).Count } | ConvertTo-Json -Compress
'@
    $importMs = @(1..$importSamples | ForEach-Object { [double](Invoke-FreshProcess -Command $importCommand).ms })
    $importMedian = [Math]::Round((Get-Median $importMs), 1)

    # --- Peak working set ------------------------------------------------------------------------------
    Write-Note "Peak working set: $memorySamples fresh pwsh processes with a full set-up, $memorySamples bare ones"
    $organization = Get-TestOrganization -Emulator $emulator
    $setupCommand = @"
`$ErrorActionPreference = 'Stop'; `$ProgressPreference = 'SilentlyContinue'
Import-Module ./tests/TestHelpers.psm1
Import-Module ./out/Dropzone.ExoSetup
`$emulator = [pscustomobject]@{ BaseUri = '$($emulator.BaseUri)'; TenantFile = '$($emulator.TenantFile)' }
`$null = Connect-TestGraph -Emulator `$emulator
`$null = Connect-TestExchange -Emulator `$emulator -Organization '$organization'
`$summary = Install-DropzoneExoIntegration -ApplicationId $appId -CertificatePath '$crt'
`$peak = [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64
Disconnect-TestExchange
@{ peak = `$peak; complete = [bool]`$summary.Complete } | ConvertTo-Json -Compress
"@
    $bareCommand = '@{ peak = [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64 } | ConvertTo-Json -Compress'
    # For attribution only: the same process as the set-up one without the module (the test helpers
    # and the fake Exchange module, connected; in Cloud Shell the real one is loaded anyway).
    $harnessCommand = @"
`$ErrorActionPreference = 'Stop'; `$ProgressPreference = 'SilentlyContinue'
Import-Module ./tests/TestHelpers.psm1
`$emulator = [pscustomobject]@{ BaseUri = '$($emulator.BaseUri)'; TenantFile = '$($emulator.TenantFile)' }
`$null = Connect-TestExchange -Emulator `$emulator -Organization '$organization'
`$null = @(Get-ServicePrincipal -Identity $appId -ErrorAction SilentlyContinue)
`$peak = [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64
Disconnect-TestExchange
@{ peak = `$peak } | ConvertTo-Json -Compress
"@
    $setupPeaks = @(); $barePeaks = @(); $harnessPeaks = @()
    foreach ($i in 1..$memorySamples) {
        Reset-EmulatorState -Emulator $emulator
        $result = Invoke-FreshProcess -Command $setupCommand
        if (-not $result.complete) { $failures.Add('The full set-up in the fresh pwsh (peak working set) did not complete.') }
        $setupPeaks += [double]$result.peak
        $barePeaks += [double](Invoke-FreshProcess -Command $bareCommand).peak
        $harnessPeaks += [double](Invoke-FreshProcess -Command $harnessCommand).peak
    }
    $setupPeakMb = [Math]::Round((Get-Median $setupPeaks) / 1MB, 1)
    $barePeakMb = [Math]::Round((Get-Median $barePeaks) / 1MB, 1)
    $peakDeltaMb = [Math]::Round($setupPeakMb - $barePeakMb, 1)
    $harnessPeakMb = [Math]::Round((Get-Median $harnessPeaks) / 1MB, 1)

    # --- The table --------------------------------------------------------------------------------------
    $appOnlyBound = [Math]::Round(1000 * ([Math]::Max($ConsentLagSeconds, $ExchangeLagSeconds) + 2))
    foreach ($shape in $shapes.Keys) {
        $label = $shapes[$shape]
        $m = $moduleRuns[$shape]; $s = $manualRuns[$shape]
        $rt = if ($shape -eq 'done') { @('1', { param($v) $v -le 1 }) } else { @('', $null) }
        $wr = if ($shape -eq 'done') { @('0', { param($v) $v -eq 0 }) } else { @('', $null) }
        Add-Row "$label`: Graph requests" $m.graphRequests $s.graphRequests ''
        Add-Row "$label`: Graph round trips" $m.graphRoundTrips $s.graphRoundTrips $rt[0] $rt[1]
        Add-Row "$label`: Graph writes" $m.graphWrites $s.graphWrites $wr[0] $wr[1]
        $calls = switch ($shape) {
            'portalApp' { @('2', { param($v) $v -eq 2 }) }
            'done' { @('1', { param($v) $v -eq 1 }) }
            'appOnly' { @('', $null) }
            default { @('<= 3', { param($v) $v -le 3 }) }
        }
        Add-Row "$label`: Exchange calls" $m.exchangeCalls $s.exchangeCalls $calls[0] $calls[1]
        Add-Row "$label`: Exchange writes" $m.exchangeWrites $s.exchangeWrites ''
        $wall = switch ($shape) {
            'portalApp' { @('ratio <= 0.70', { param($v, $r) $null -ne $r -and $r -le 0.70 }) }
            'appOnly' { @('ratio <= 0.75', { param($v, $r) $null -ne $r -and $r -le 0.75 }) }
            default { @('', $null) }
        }
        Add-Row "$label`: wall time (ms)" $m.wallTimeMs $s.wallTimeMs $wall[0] $wall[1]
        if ($shape -eq 'appOnly') {
            Add-Row "$label`: wall time within max(lags) + 2 s (ms)" $m.wallTimeMs $null "<= $appOnlyBound" { param($v) $v -le $appOnlyBound }
            Add-Row "$label`: complete" "$($m.complete)" $null 'True' { param($v) $v -eq 'True' }
        }
        if ($shape -eq 'exoDoneEntraEmpty') {
            Add-Row "$label`: Transport Hygiene assignments after" $effects.module[$shape].transportHygiene $effects.script[$shape].transportHygiene '1' { param($v) $v -eq 1 }
        }
    }
    $allChecked = -not @($runs.Values | ForEach-Object { $_.Values } | Where-Object { -not $_.endStateTestQuiet })
    $moduleCheck = -not @($moduleRuns.Values | Where-Object { -not $_.endStateTestQuiet })
    $scriptCheck = -not @($manualRuns.Values | Where-Object { -not $_.endStateTestQuiet })
    Add-Row 'Import-Module, median of 5 (ms)' $importMedian $null '<= 150' { param($v) $v -le 150 } 'N1'
    Add-Row 'peak working set, full set-up (MB)' $setupPeakMb $null '' -Format 'N1'
    Add-Row 'peak working set, bare pwsh (MB)' $barePeakMb $null '' -Format 'N1'
    Add-Row 'peak working set above bare (MB)' $peakDeltaMb $null '<= 60' { param($v) $v -le 60 } 'N1'
    Add-Row 'peak WS, same without the module (MB)' $harnessPeakMb $null '' -Format 'N1'
    Add-Row 'end states: Test-...Integration -Quiet, every shape' "$moduleCheck" "$scriptCheck" 'True' { param($v) $allChecked }

    $results = [ordered]@{
        latencyMs    = $LatencyMilliseconds
        exchangeLatencyMs = $ExchangeLatencyMilliseconds
        consentLagSeconds = $ConsentLagSeconds
        exchangeLagSeconds = $ExchangeLagSeconds
        tenant       = $tenant
        shapes       = $shapes
        definitions  = [ordered]@{
            graphRequests   = 'requests under /v1.0: inner $batch requests and direct ones, never the $batch envelope'
            graphRoundTrips = 'top-level (not inBatch) /v1.0 requests: each one waits for the previous answer'
            graphWrites     = 'Graph requests whose method is not GET/HEAD, whatever their status'
            exchangeCalls   = '/adminapi requests (one per Exchange cmdlet call that reaches the service; Get-ConnectionInformation is local); writes = cmdlets whose verb is not Get/Test'
            roundTrips      = 'Graph round trips plus Exchange calls'
            wallTimeMs      = 'the call alone (connections are made before it), in the bench process'
        }
        module       = $moduleRuns
        script       = $manualRuns
        endState     = [ordered]@{
            moduleTestQuiet = $moduleCheck
            scriptTestQuiet = $scriptCheck
            effects         = $effects
        }
        importModule = [ordered]@{ samplesMs = @($importMs | ForEach-Object { [Math]::Round($_, 1) }); medianMs = $importMedian }
        memory       = [ordered]@{
            fullSetupPeakWorkingSetMb = $setupPeakMb
            barePwshPeakWorkingSetMb  = $barePeakMb
            differenceMb              = $peakDeltaMb
            fullSetupSamplesMb        = @($setupPeaks | ForEach-Object { [Math]::Round($_ / 1MB, 1) })
            bareSamplesMb             = @($barePeaks | ForEach-Object { [Math]::Round($_ / 1MB, 1) })
            withoutModulePeakWorkingSetMb = $harnessPeakMb
            withoutModuleSamplesMb    = @($harnessPeaks | ForEach-Object { [Math]::Round($_ / 1MB, 1) })
            withoutModuleHow          = 'for attribution, no target: the set-up process without the module (test helpers imported, fake Exchange connected, one Exchange call)'
            how                       = "median of $memorySamples fresh 'dotnet pwsh -NoProfile -NonInteractive -Command' processes each; the set-up one imports tests/TestHelpers.psm1 and the module, connects to the emulator (Graph and the fake Exchange) and runs Install-DropzoneExoIntegration on a reset tenant"
        }
        table        = @($rows | ForEach-Object { [ordered]@{ metric = $_.Metric; module = $_.Module; script = $_.Script; ratio = $_.Ratio; target = $_.Target; result = $_.Result } })
        failures     = @($failures)
    }
    foreach ($key in $results.Keys) { $report[$key] = $results[$key] }
} catch {
    $failures.Add("The bench failed: $($_.Exception.Message)")
    Write-Host ($_ | Out-String) -ForegroundColor Red
} finally {
    # Disconnects Graph and Exchange, stops the emulator, removes the work folder.
    try { Exit-DropzoneTestSession } catch { $failures.Add("The clean-up failed: $($_.Exception.Message)") }
}

if ($rows.Count -gt 0) {
    Write-Section "Results (Graph $LatencyMilliseconds ms per request, Exchange $ExchangeLatencyMilliseconds ms per call; ratio = module / script)"
    Write-ResultTable -Rows $rows.Text -Property Metric, Module, Script, Ratio, Target, Result
    $misses = @($rows | Where-Object Result -EQ 'MISS')
    Write-Note ''
    Write-Note "Graph requests count inner `$batch requests and direct ones; round trips = top-level /v1.0 requests."
    if ($report.Contains('endState')) {
        Write-Note "Lags: Entra ID refuses consent to a new service principal for $ConsentLagSeconds s; Exchange does not see it for $ExchangeLagSeconds s."
        Write-Note "The script's caught errors on the done tenant ('already exists' answers): $(@($manualRuns['done'].caughtErrors | ForEach-Object { ($_ -split ':')[0] }) -join ', ')."
        $effect = { param($e) ($e.GetEnumerator() | ForEach-Object { "$($_.Key) $($_.Value)" }) -join ', ' }
        foreach ($shape in $shapes.Keys) {
            Write-Note ("End state, {0}: module: {1}" -f $shapes[$shape], (& $effect $effects.module[$shape]))
            Write-Note ("{0}  script: {1}" -f (' ' * ($shapes[$shape].Length + 12)), (& $effect $effects.script[$shape]))
        }
    }
    Write-Note "$(@($rows | Where-Object Result -EQ 'PASS').Count) target(s) met, $($misses.Count) missed$(if ($misses) { ': ' + ($misses.Metric -join '; ') })."
}

# Written even when the bench failed, with what it got and why it failed.
$report.failures = @($failures)
$report.benchSeconds = [Math]::Round($benchClock.Elapsed.TotalSeconds, 1)
$null = New-Item -ItemType Directory -Path (Split-Path -Parent $OutputPath) -Force
$report | ConvertTo-Json -Depth 10 | Set-Content -LiteralPath $OutputPath -Encoding utf8
Write-Note "Written to $OutputPath (bench took $([int]$benchClock.Elapsed.TotalSeconds) s)."

if ($failures.Count -gt 0) {
    foreach ($f in $failures) { Write-Host "FAILED: $f" -ForegroundColor Red }
    exit 1
}
exit 0
