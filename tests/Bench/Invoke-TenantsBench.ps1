#Requires -Version 7.4
<#
.SYNOPSIS
The benchmark of many tenants in one run (issue 22): Install-DropzoneExoTenantIntegration over a CSV
against the loop an admin would write, one single run per tenant.

.DESCRIPTION
Started by `dotnet pwsh ./build.ps1 Bench` after tests/Bench/Invoke-Bench.ps1. One tenant emulator
serves every tenant (TenantDirectory), each made from the seed tenant "default" in the shape the
portal leaves (the "Dropzone AI" app registration and its enterprise application, nothing else),
each with its own tenant id, initial domain, app and vendor certificate. The partner signs in with
the device code flow against the emulator's identity endpoints (approved at once: the loop's best
case, no human time counted), so the measured processes run with SSL_CERT_FILE set.

- Wall time: -TenantCount tenants through `Import-Csv | Install-DropzoneExoTenantIntegration` after
  one Connect-DropzoneGraph -UseDeviceCode, against the loop over as many other tenants of the same
  shape: per tenant Connect-DropzoneGraph -UseDeviceCode -TenantId, Connect-ExchangeOnline
  -DelegatedOrganization, Install-DropzoneExoIntegration, Disconnect-ExchangeOnline,
  Disconnect-DropzoneGraph. Each in a fresh pwsh that first runs one tenant unmeasured (JIT and
  first-use costs). Graph requests wait -LatencyMilliseconds, identity platform requests (discovery,
  device code, token) as long (a round trip of their own), Exchange calls -ExchangeLatencyMilliseconds.
- Per tenant, from each tenant's own request log: Graph requests (inner $batch requests and direct
  ones), Graph round trips, Graph writes, Exchange calls; the run of many must not send more per
  tenant than the single run.
- Peak working set of a fresh pwsh that signs in once and runs each of -MemoryTenantCounts tenants
  (no latency: memory does not depend on it, the wall time would).
- Every tenant's end state: its own certificate on its app, the Exchange service principal and the
  Transport Hygiene assignment.

Prints a table and writes everything to -OutputPath. Exits 0 when the bench ran, even if a target is
missed (it is a measurement); 1 when it failed (a run errored or a tenant was not set up).

.PARAMETER LatencyMilliseconds
The emulator's fixed delay per Graph request (a $batch counts once) and per identity request. 0 = none.
.PARAMETER ExchangeLatencyMilliseconds
What one Exchange cmdlet call takes (the emulator's delay plus the fake ExchangeOnlineManagement's wait).
.PARAMETER TenantCount
Tenants in the timed runs (each of the two runs gets its own).
.PARAMETER MemoryTenantCounts
Tenants in each peak working set run; the target compares the largest with the smallest.
.PARAMETER OutputPath
The JSON report, relative to the repository root unless absolute.
#>
[CmdletBinding()]
param(
    [ValidateRange(0, 10000)][int] $LatencyMilliseconds = 50,
    [ValidateRange(0, 60000)][int] $ExchangeLatencyMilliseconds = 500,
    [ValidateRange(1, 1000)][int] $TenantCount = 50,
    [ValidateRange(1, 1000)][int[]] $MemoryTenantCounts = @(10, 50, 200),
    [string] $OutputPath = 'out/bench-tenants.json'
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$repoRoot = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
Set-Location $repoRoot
if (-not [IO.Path]::IsPathRooted($OutputPath)) { $OutputPath = Join-Path $repoRoot $OutputPath }
Import-Module (Join-Path $repoRoot 'tests/TestHelpers.psm1') -Force
. (Join-Path $PSScriptRoot 'BenchCommon.ps1')

$benchClock = [Diagnostics.Stopwatch]::StartNew()
$failures = [Collections.Generic.List[string]]::new()

function New-BenchTenant {
    # A tenant as the portal leaves it: the app registration and its enterprise application.
    param([Parameter(Mandatory)][string] $Set, [Parameter(Mandatory)][int] $Index, [Parameter(Mandatory)][int] $SetNumber, [Parameter(Mandatory)][string] $Work)
    $tenant = Get-Content (Get-TestTenantFile default) -Raw | ConvertFrom-Json -AsHashtable
    $id = '{0:x8}-0000-4000-8000-{1:x12}' -f (0x5e000000 + $SetNumber), $Index
    $domain = "$Set$Index.onmicrosoft.com"
    $app = Set-CustomerTenant -Tenant $tenant -TenantId $id -Domain $domain -DisplayName "Customer $Set $Index"
    $tenant.servicePrincipals += [ordered]@{ id = [guid]::NewGuid().ToString(); appId = $app.appId; displayName = $app.displayName
        servicePrincipalType = 'Application'; appRoles = @(); tags = @('WindowsAzureActiveDirectoryIntegratedApp') }
    Add-EmulatorTenant -Emulator $emulator -State $tenant
    $path = Join-Path $Work "$Set$Index.dropzone.app.crt"
    $certificate = New-TestCertificate -Subject "CN=$Set$Index.dropzone.app" -Path $path
    [pscustomobject]@{ TenantId = $id; Domain = $domain; ApplicationId = $app.appId; CertificatePath = $path; ExpectedThumbprint = $certificate.Thumbprint }
}

$setNumber = 0
function New-TenantSet {
    # Tenants of one run, written as the CSV the run reads; latency set on each.
    param([Parameter(Mandatory)][string] $Name, [Parameter(Mandatory)][int] $Count, [int] $Latency = 0)
    $script:setNumber++
    $rows = @(1..$Count | ForEach-Object { New-BenchTenant -Set $Name -Index $_ -SetNumber $script:setNumber -Work $session.Work })
    foreach ($row in $rows) { $null = Invoke-EmulatorControl -Emulator $emulator -Path "latency?tenant=$($row.TenantId)" -Method PUT -Body @{ milliseconds = $Latency } }
    $csv = Join-Path $session.Work "$Name.csv"
    # Domain is for the loop's Connect-ExchangeOnline -DelegatedOrganization; the cmdlet binds the others.
    $rows | Select-Object TenantId, CertificatePath, ExpectedThumbprint, ApplicationId, Domain | Export-Csv -LiteralPath $csv -NoTypeInformation
    [pscustomobject]@{ Name = $Name; Rows = $rows; Csv = $csv }
}

# The measured process: helpers, module and fake Exchange imported, then the caller's body; its last
# output line is JSON.
function Invoke-BenchProcess {
    param([Parameter(Mandatory)][string] $Body, [Parameter(Mandatory)][int] $FakeExchangeMilliseconds, [int] $TimeoutSeconds = 1800)
    $script = @"
`$ErrorActionPreference = 'Stop'; `$ProgressPreference = 'SilentlyContinue'
Import-Module (Join-Path `$args[0] 'tests/TestHelpers.psm1')
Import-Module (Get-TestModulePath)
`$emulator = [pscustomobject]@{ BaseUri = '$($emulator.BaseUri)' }
`$null = Import-FakeExchangeModule -Emulator `$emulator -LatencyMilliseconds $FakeExchangeMilliseconds
`$connect = @{ UseDeviceCode = `$true; AuthorityHost = '$($emulator.AuthorityUri)'; GraphEndpoint = '$($emulator.BaseUri)'; WarningAction = 'SilentlyContinue' }
$Body
"@
    Invoke-FreshPwsh -Script $script -TimeoutSeconds $TimeoutSeconds -Environment @{ SSL_CERT_FILE = $emulator.AuthorityCertificateFile }
}

$loopBody = {
    param([string] $WarmCsv, [string] $Csv)
    @"
function Invoke-SingleRun(`$row) {
    `$graph = Connect-DropzoneGraph @connect -TenantId `$row.TenantId
    Connect-ExchangeOnline -DelegatedOrganization `$row.Domain -UserPrincipalName `$graph.Account -ShowBanner:`$false
    try {
        `$result = Install-DropzoneExoIntegration -ApplicationId `$row.ApplicationId -CertificatePath `$row.CertificatePath -ExpectedThumbprint `$row.ExpectedThumbprint -Confirm:`$false
    } finally {
        Disconnect-ExchangeOnline -Confirm:`$false
        Disconnect-DropzoneGraph
    }
    [bool]`$result.Complete
}
foreach (`$row in Import-Csv -LiteralPath '$WarmCsv') { `$null = Invoke-SingleRun `$row }
`$clock = [Diagnostics.Stopwatch]::StartNew()
`$complete = @(foreach (`$row in Import-Csv -LiteralPath '$Csv') { Invoke-SingleRun `$row })
`$clock.Stop()
@{ wallMs = `$clock.Elapsed.TotalMilliseconds; complete = @(`$complete | Where-Object { `$_ }).Count; peak = [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64 } | ConvertTo-Json -Compress
"@
}

$manyBody = {
    param([string] $WarmCsv, [string] $Csv)
    $warm = if ($WarmCsv) {
        @"
`$null = Connect-DropzoneGraph @connect
`$null = Import-Csv -LiteralPath '$WarmCsv' | Install-DropzoneExoTenantIntegration -Confirm:`$false -InformationAction SilentlyContinue
Disconnect-DropzoneGraph
"@
    }
    @"
$warm
`$clock = [Diagnostics.Stopwatch]::StartNew()
`$null = Connect-DropzoneGraph @connect
`$results = @(Import-Csv -LiteralPath '$Csv' | Install-DropzoneExoTenantIntegration -Confirm:`$false -InformationAction SilentlyContinue -ErrorAction SilentlyContinue)
`$clock.Stop()
`$peak = [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64
Disconnect-DropzoneGraph
`$managed = [GC]::GetTotalMemory(`$true)
@{ managed = `$managed; wallMs = `$clock.Elapsed.TotalMilliseconds; complete = @(`$results | Where-Object { "`$(`$_.Status)" -eq 'Done' }).Count
   failed = @(`$results | Where-Object { "`$(`$_.Status)" -ne 'Done' } | ForEach-Object { "`$(`$_.TenantId): `$(`$_.Status) `$(`$_.ErrorId)" }); peak = `$peak } | ConvertTo-Json -Compress
"@
}

function Get-TenantCounts {
    # What one tenant was sent, from its own request log.
    param([Parameter(Mandatory)][string] $TenantId)
    $log = @((Invoke-EmulatorControl -Emulator $emulator -Path "requests?tenant=$TenantId").value)
    $graphAll = @($log | Where-Object { $_.path -like '/v1.0*' })
    $graph = @($graphAll | Where-Object { $_.path -notlike '*/$batch' })
    $exchange = @($log | Where-Object { $_.path -like '/adminapi*' })
    [pscustomobject]@{
        graphRequests   = $graph.Count
        graphRoundTrips = @($graphAll | Where-Object { -not $_.inBatch }).Count
        graphWrites     = @($graph | Where-Object { $_.method -notin 'GET', 'HEAD' }).Count
        exchangeCalls   = $exchange.Count
        exchangeWrites  = @($exchange | Where-Object { [string]$_.detail -notmatch '^(Get|Test)-' }).Count
    }
}

function Test-TenantSetUp {
    # The tenant holds what the vendor's procedure is about: its own certificate, Exchange's service
    # principal for the app and the Transport Hygiene assignment.
    param([Parameter(Mandatory)] $Row)
    $state = Invoke-EmulatorControl -Emulator $emulator -Path "state?tenant=$($Row.TenantId)"
    $app = @($state.applications | Where-Object appId -EQ $Row.ApplicationId)[0]
    $sp = @($state.servicePrincipals | Where-Object appId -EQ $Row.ApplicationId)[0]
    (@($app.keyCredentials | Where-Object customKeyIdentifier -EQ $Row.ExpectedThumbprint).Count -eq 1) -and
        (@($state.exchange.servicePrincipals | Where-Object objectId -EQ $sp.id).Count -eq 1) -and
        (@($state.exchange.roleAssignments | Where-Object { $_.role -eq 'Transport Hygiene' -and $_.roleAssigneeName -eq $sp.id }).Count -eq 1)
}

$report = [ordered]@{
    machine = [ordered]@{
        cores = [Environment]::ProcessorCount; os = [Runtime.InteropServices.RuntimeInformation]::OSDescription
        pwsh = "$($PSVersionTable.PSVersion)"; date = [DateTime]::UtcNow.ToString('yyyy-MM-ddTHH:mm:ssZ')
        loadAverage = if (Test-Path /proc/loadavg) { ((Get-Content /proc/loadavg -Raw) -split ' ')[0..2] -join ' ' } else { $null }
    }
    latencyMs = $LatencyMilliseconds; exchangeLatencyMs = $ExchangeLatencyMilliseconds; tenantCount = $TenantCount
}
$rows = [Collections.Generic.List[object]]::new()
function Add-Row([string] $Metric, $Many, $Loop, [string] $Target, [Nullable[bool]] $Meets) {
    $ratio = if ($Many -is [ValueType] -and $Loop -is [ValueType] -and $Loop -ne 0) { [Math]::Round([double]$Many / [double]$Loop, 2) } else { $null }
    $rows.Add([pscustomobject][ordered]@{ Metric = $Metric; Many = $Many; Loop = $Loop; Ratio = $ratio; Target = $Target
            Result = if ($null -eq $Meets) { '' } elseif ($Meets) { 'PASS' } else { 'MISS' } })
}

try {
    $session = Enter-DropzoneTestSession -Tenant default -Authority
    $emulator = $session.Emulator
    $fakeMs = [Math]::Max(0, $ExchangeLatencyMilliseconds - $LatencyMilliseconds)
    Write-Section "Bench, many tenants: $TenantCount tenants, Graph and sign-in $LatencyMilliseconds ms per request, Exchange $ExchangeLatencyMilliseconds ms per call, $([Environment]::ProcessorCount) cores"
    Write-Note 'Making the tenants (each its own app and vendor certificate)...'
    $sets = [ordered]@{
        loopWarm = New-TenantSet -Name 'loopwarm' -Count 1
        loop     = New-TenantSet -Name 'loop' -Count $TenantCount -Latency $LatencyMilliseconds
        manyWarm = New-TenantSet -Name 'manywarm' -Count 1
        many     = New-TenantSet -Name 'many' -Count $TenantCount -Latency $LatencyMilliseconds
    }
    foreach ($n in $MemoryTenantCounts) { $sets["memory$n"] = New-TenantSet -Name "memory$n-" -Count $n }

    # Identity requests are round trips like Graph's; the warm-up tenants get none of the latency.
    $null = Invoke-EmulatorControl -Emulator $emulator -Path authority -Method PUT -Body @{ latencyMilliseconds = $LatencyMilliseconds }
    Write-Note "The loop: $TenantCount single runs in one session, each after its own sign-ins..."
    $loop = Invoke-BenchProcess -FakeExchangeMilliseconds $fakeMs -Body (& $loopBody $sets.loopWarm.Csv $sets.loop.Csv)
    Write-Note ("   {0:N0} ms, {1} of {2} complete" -f $loop.wallMs, $loop.complete, $TenantCount)
    Write-Note "Many tenants: one sign-in, Import-Csv | Install-DropzoneExoTenantIntegration..."
    $many = Invoke-BenchProcess -FakeExchangeMilliseconds $fakeMs -Body (& $manyBody $sets.manyWarm.Csv $sets.many.Csv)
    Write-Note ("   {0:N0} ms, {1} of {2} done{3}" -f $many.wallMs, $many.complete, $TenantCount, $(if ($many.failed) { ': ' + ($many.failed -join '; ') }))
    if ($loop.complete -ne $TenantCount) { $failures.Add("The loop completed $($loop.complete) of $TenantCount tenants.") }
    if ($many.complete -ne $TenantCount) { $failures.Add("The run of many tenants finished $($many.complete) of $TenantCount tenants: $($many.failed -join '; ')") }

    $counts = [ordered]@{
        loop = @($sets.loop.Rows | ForEach-Object { Get-TenantCounts $_.TenantId })
        many = @($sets.many.Rows | ForEach-Object { Get-TenantCounts $_.TenantId })
    }
    $setUp = [ordered]@{
        loop = @($sets.loop.Rows | Where-Object { Test-TenantSetUp $_ }).Count
        many = @($sets.many.Rows | Where-Object { Test-TenantSetUp $_ }).Count
    }
    foreach ($k in $setUp.Keys) { if ($setUp[$k] -ne $TenantCount) { $failures.Add("$k`: $($setUp[$k]) of $TenantCount tenants hold the set-up.") } }

    # Peak working set over tenants, no latency.
    $null = Invoke-EmulatorControl -Emulator $emulator -Path authority -Method PUT -Body @{ latencyMilliseconds = 0 }
    $memory = [ordered]@{}
    foreach ($n in $MemoryTenantCounts) {
        Write-Note "Peak working set: $n tenants in a fresh pwsh..."
        $run = Invoke-BenchProcess -FakeExchangeMilliseconds 0 -Body (& $manyBody '' $sets["memory$n"].Csv)
        if ($run.complete -ne $n) { $failures.Add("Memory run of $n tenants finished $($run.complete): $($run.failed -join '; ')") }
        # For attribution, no target: the same process without the module, connecting the fake
        # Exchange to each tenant, making two calls there (as the set-up does) and disconnecting. Each
        # Connect-ExchangeOnline imports a tmpEXO_<random> module, as the real one does, and
        # PowerShell keeps each one's parsed and compiled script.
        $exchangeOnly = Invoke-BenchProcess -FakeExchangeMilliseconds 0 -Body @"
foreach (`$row in Import-Csv -LiteralPath '$($sets["memory$n"].Csv)') {
    Connect-ExchangeOnline -DelegatedOrganization `$row.Domain -UserPrincipalName 'admin@partner.onmicrosoft.com' -ShowBanner:`$false
    `$null = @(Get-ServicePrincipal -ErrorAction SilentlyContinue); `$null = @(Get-ManagementRoleAssignment -Role 'Transport Hygiene' -ErrorAction SilentlyContinue)
    Disconnect-ExchangeOnline -Confirm:`$false
}
@{ peak = [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64; managed = [GC]::GetTotalMemory(`$true) } | ConvertTo-Json -Compress
"@
        $memory["$n"] = [ordered]@{ peakMb = [Math]::Round($run.peak / 1MB, 1); managedAfterMb = [Math]::Round($run.managed / 1MB, 1); wallMs = [Math]::Round($run.wallMs); done = $run.complete
            exchangeConnectsOnlyPeakMb = [Math]::Round($exchangeOnly.peak / 1MB, 1); exchangeConnectsOnlyManagedMb = [Math]::Round($exchangeOnly.managed / 1MB, 1) }
    }

    $ratio = [Math]::Round($many.wallMs / $loop.wallMs, 2)
    Add-Row "wall time, $TenantCount tenants (ms)" ([Math]::Round($many.wallMs)) ([Math]::Round($loop.wallMs)) 'ratio <= 0.75' ($ratio -le 0.75)
    Add-Row 'wall time per tenant (ms)' ([Math]::Round($many.wallMs / $TenantCount)) ([Math]::Round($loop.wallMs / $TenantCount)) '' $null
    foreach ($metric in 'graphRequests', 'graphRoundTrips', 'graphWrites', 'exchangeCalls', 'exchangeWrites') {
        $m = @($counts.many | ForEach-Object $metric); $l = @($counts.loop | ForEach-Object $metric)
        $mMax = ($m | Measure-Object -Maximum).Maximum; $lMin = ($l | Measure-Object -Minimum).Minimum
        Add-Row "$metric per tenant (median; many max <= loop min)" (Get-Median $m) (Get-Median $l) "<= loop" ($mMax -le $lMin)
    }
    Add-Row 'tenants set up (certificate, Exchange SP, Transport Hygiene)' $setUp.many $setUp.loop "$TenantCount" ($setUp.many -eq $TenantCount -and $setUp.loop -eq $TenantCount)
    $smallest = $MemoryTenantCounts | Measure-Object -Minimum | ForEach-Object Minimum
    $largest = $MemoryTenantCounts | Measure-Object -Maximum | ForEach-Object Maximum
    foreach ($n in $MemoryTenantCounts) {
        $target = if ($n -eq $largest -and $n -ne $smallest) { "<= 1.5 x $smallest tenants" } else { '' }
        $meets = if ($target) { $memory["$n"].peakMb -le 1.5 * $memory["$smallest"].peakMb } else { $null }
        Add-Row "peak working set, $n tenants (MB)" $memory["$n"].peakMb $null $target $meets
    }
    foreach ($n in $MemoryTenantCounts) {
        Add-Row "managed heap after the run, $n tenants (MB)" $memory["$n"].managedAfterMb $null '' $null
        Add-Row "managed heap, $n Exchange connects + 2 calls, no module (MB)" $memory["$n"].exchangeConnectsOnlyManagedMb $null '' $null
        Add-Row "peak WS, $n Exchange connects + 2 calls, no module (MB)" $memory["$n"].exchangeConnectsOnlyPeakMb $null '' $null
    }
    $report.loop = [ordered]@{ wallMs = [Math]::Round($loop.wallMs); complete = $loop.complete; setUp = $setUp.loop; perTenant = $counts.loop[0]
        how = 'per tenant: Connect-DropzoneGraph -UseDeviceCode -TenantId, Connect-ExchangeOnline -DelegatedOrganization -UserPrincipalName, Install-DropzoneExoIntegration, Disconnect-ExchangeOnline, Disconnect-DropzoneGraph' }
    $report.many = [ordered]@{ wallMs = [Math]::Round($many.wallMs); done = $many.complete; setUp = $setUp.many; perTenant = $counts.many[0]
        how = 'Connect-DropzoneGraph -UseDeviceCode once, then Import-Csv | Install-DropzoneExoTenantIntegration' }
    $report.ratio = $ratio
    $report.perTenantCounts = $counts
    # Where the time goes: the first three tenants of each run, request by request.
    $report.timelines = [ordered]@{}
    foreach ($name in 'loop', 'many') {
        $report.timelines[$name] = @($sets[$name].Rows | Select-Object -First 3 | ForEach-Object {
                [ordered]@{ tenantId = $_.TenantId; requests = @((Invoke-EmulatorControl -Emulator $emulator -Path "requests?tenant=$($_.TenantId)").value | ForEach-Object {
                            "$(([datetime]$_.time).ToUniversalTime().ToString('HH:mm:ss.fff')) $($_.method) $($_.path)$(if ($_.PSObject.Properties['detail'] -and $_.detail) { " $($_.detail)" }) -> $($_.status)$(if ($_.inBatch) { ' (in $batch)' })" }) }
            })
    }
    $report.memory = $memory
    $report.table = @($rows)
} catch {
    $failures.Add("The bench failed: $($_.Exception.Message)")
    Write-Host ($_ | Out-String) -ForegroundColor Red
} finally {
    try { Exit-DropzoneTestSession } catch { $failures.Add("The clean-up failed: $($_.Exception.Message)") }
}

if ($rows.Count -gt 0) {
    Write-Section "Results, many tenants (Graph $LatencyMilliseconds ms, Exchange $ExchangeLatencyMilliseconds ms; ratio = many / loop)"
    Write-ResultTable -Rows $rows -Property Metric, Many, Loop, Ratio, Target, Result
}
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
