# Many tenants in one run (issue 22): a partner signs in once (device code against the emulator's
# identity platform endpoints) and Install-DropzoneExoTenantIntegration wires every customer tenant
# of a CSV, each tenant in the same emulator with its own state. Runs in a fresh pwsh that trusts
# the emulator's certificate (SSL_CERT_FILE), as MSAL takes only an https authority.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Session = Enter-DropzoneTestSession -Tenant default -Authority -Variable Emulator, Work
    $script:TenantCount = 50
    $script:Faulty = @{ Consent = 5; Thumbprint = 9; Dehydrated = 13; Missing = 21 }
    $script:Throttled = 17
    $dehydrated = "The command you tried to run isn't currently allowed in your organization. To run this command, you first need to run the command: Enable-OrganizationCustomization."

    $pool = New-CertificatePool -Count 4
    $script:Tenants = foreach ($i in 1..$TenantCount) {
        $tenant = New-GeneratedTenant -Seed (1000 + $i) -CertificatePool $pool
        $id = '{0:x8}-0000-4000-8000-{1:x12}' -f (0x7e000000 + $i), $i
        $domain = "customer$i.onmicrosoft.com"
        $app = Set-CustomerTenant -Tenant $tenant -TenantId $id -Domain $domain -DisplayName "Customer $i"
        Add-EmulatorTenant -Emulator $Emulator -State $tenant
        $path = Join-Path $Work "customer$i.dropzone.app.crt"
        $certificate = New-TestCertificate -Subject "CN=customer$i.dropzone.app" -Path $path
        [pscustomobject]@{ Index = $i; TenantId = $id; Domain = $domain; AppId = $app.appId; Path = $path; Thumbprint = $certificate.Thumbprint }
    }
    $script:Csv = Join-Path $Work 'tenants.csv'
    $rows = foreach ($t in $Tenants) {
        # Half the rows name the tenant by its initial domain, half by its id.
        $tenantColumn = if ($t.Index % 2) { $t.Domain } else { $t.TenantId }
        if ($t.Index -eq $Faulty.Missing) { $tenantColumn = 'nobody-here.onmicrosoft.com' }
        $thumbprint = if ($t.Index -eq $Faulty.Thumbprint) { $Tenants[0].Thumbprint } else { $t.Thumbprint }
        [pscustomobject]@{ TenantId = $tenantColumn; CertificatePath = $t.Path; ExpectedThumbprint = $thumbprint; ApplicationId = $(if ($t.Index % 3 -eq 0) { $t.AppId } else { '' }); DisplayName = '' }
    }
    $rows | Export-Csv -LiteralPath $Csv -NoTypeInformation

    $null = Invoke-EmulatorControl -Emulator $Emulator -Path authority -Method PUT -Body @{ consentRequiredIn = @($Tenants[$Faulty.Consent - 1].TenantId) }
    $null = Invoke-EmulatorControl -Emulator $Emulator -Path "exchange/faults?tenant=$($Tenants[$Faulty.Dehydrated - 1].TenantId)" -Method POST -Body @{
        cmdlet = 'New-ManagementRoleAssignment'; kind = 'error'; count = 100; message = $dehydrated
        exceptionType = 'Microsoft.Exchange.Management.Tasks.InvalidOperationInDehydratedContextException' }
    $null = Invoke-EmulatorControl -Emulator $Emulator -Path "faults?tenant=$($Tenants[$Throttled - 1].TenantId)" -Method POST -Body @{ path = '/v1.0/*'; status = 429; retryAfterSeconds = 1; count = 3 }

    function Get-TenantState([string] $TenantId) { Invoke-EmulatorControl -Emulator $Emulator -Path "state?tenant=$TenantId" }
    function Get-TenantWrites([string] $TenantId) {
        @((Invoke-EmulatorControl -Emulator $Emulator -Path "requests?tenant=$TenantId").value | Where-Object {
                ($_.path -like '/v1.0/*' -and $_.method -ne 'GET' -and $_.path -notlike '*/$batch') -or ($_.path -like '/adminapi/*' -and $_.detail -notmatch '^(Get|Test)-') })
    }
    function Clear-TenantLogs { foreach ($t in $Tenants) { $null = Invoke-EmulatorControl -Emulator $Emulator -Path "requests?tenant=$($t.TenantId)" -Method DELETE } }
    # The partner's run: one device code sign-in, then the CSV through the cmdlet, in a fresh pwsh.
    function Invoke-PartnerRun([string] $Extra = '', [string] $ReportPath) {
        $script = @"
`$ErrorActionPreference = 'Stop'; `$ProgressPreference = 'SilentlyContinue'
Import-Module (Join-Path `$args[0] 'tests/TestHelpers.psm1')
Import-Module (Get-TestModulePath)
`$emulator = [pscustomobject]@{ BaseUri = '$($Emulator.BaseUri)' }
`$null = Import-FakeExchangeModule -Emulator `$emulator -LatencyMilliseconds 40
`$null = Connect-DropzoneGraph -UseDeviceCode -AuthorityHost '$($Emulator.AuthorityUri)' -GraphEndpoint '$($Emulator.BaseUri)' -WarningAction SilentlyContinue
`$results = @(Import-Csv -LiteralPath '$Csv' | Install-DropzoneExoTenantIntegration -TimeoutSeconds 20 -ReportPath '$ReportPath' -Confirm:`$false -ErrorAction SilentlyContinue -WarningAction SilentlyContinue -InformationVariable info -InformationAction SilentlyContinue $Extra)
@{ results = @(`$results | Select-Object TenantId, DirectoryTenantId, @{ n = 'Status'; e = { [string]`$_.Status } }, ErrorId, OrganizationId); summary = "`$info"; sessions = @(Get-ConnectionInformation).Count } | ConvertTo-Json -Depth 5 -Compress
"@
        Invoke-FreshPwsh -Script $script -TimeoutSeconds 600 -Environment @{ SSL_CERT_FILE = $Emulator.AuthorityCertificateFile }
    }
}

AfterAll { Exit-DropzoneTestSession }

Describe 'Install-DropzoneExoTenantIntegration over 50 tenants with one sign-in' {
    It 'lists each tenant''s plan under -WhatIf and writes nothing anywhere' {
        Clear-TenantLogs
        $run = Invoke-PartnerRun -Extra '-WhatIf' -ReportPath (Join-Path $Work 'whatif.json')
        $run.results.Count | Should -Be $TenantCount
        # The dehydrated tenant can be planned (its fault is in New-ManagementRoleAssignment, never
        # sent under -WhatIf); the others that fail before any tenant read cannot.
        @($run.results | Where-Object Status -EQ 'WhatIf').Count | Should -Be ($TenantCount - 3)
        @($run.results | Where-Object Status -EQ 'Failed' | ForEach-Object ErrorId | Sort-Object) | Should -Be @('CertificateThumbprintMismatch', 'TenantConsentRequired', 'TenantNotFound')
        foreach ($t in $Tenants) { Get-TenantWrites $t.TenantId | Should -BeNullOrEmpty -Because "tenant $($t.Index) must not be written under -WhatIf" }
    }

    It 'completes every healthy tenant and reports each faulty one with its own ErrorId' {
        Clear-TenantLogs
        $report = Join-Path $Work 'report.json'
        $run = Invoke-PartnerRun -ReportPath $report
        $byRow = @{}
        foreach ($r in $run.results) { $byRow[$r.TenantId] = $r }
        $run.results.Count | Should -Be $TenantCount
        $run.sessions | Should -Be 0 -Because 'each tenant''s Exchange session is disconnected before the next'
        $expected = @{ $Faulty.Consent = 'TenantConsentRequired'; $Faulty.Thumbprint = 'CertificateThumbprintMismatch'; $Faulty.Dehydrated = 'ExchangeOrganizationNotCustomized'; $Faulty.Missing = 'TenantNotFound' }
        foreach ($t in $Tenants) {
            $key = if ($t.Index -eq $Faulty.Missing) { 'nobody-here.onmicrosoft.com' } elseif ($t.Index % 2) { $t.Domain } else { $t.TenantId }
            $result = $byRow[$key]
            if ($expected.ContainsKey($t.Index)) {
                $result.Status | Should -Be 'Failed' -Because "tenant $($t.Index)"
                $result.ErrorId | Should -Be $expected[$t.Index] -Because "tenant $($t.Index)"
                continue
            }
            $result.Status | Should -Be 'Done' -Because "tenant $($t.Index): $($result.ErrorId)"
            $result.DirectoryTenantId | Should -Be $t.TenantId
            $result.OrganizationId | Should -Be $t.Domain
            $state = Get-TenantState $t.TenantId
            $app = $state.applications | Where-Object appId -EQ $t.AppId
            # Its own vendor certificate, and no other tenant's.
            $keys = @($app.keyCredentials | Where-Object displayName -EQ 'Dropzone AI' | ForEach-Object key)
            $keys.Count | Should -Be 1 -Because "tenant $($t.Index)"
            $own = [Convert]::ToBase64String([Security.Cryptography.X509Certificates.X509CertificateLoader]::LoadCertificateFromFile($t.Path).RawData)
            $keys[0] | Should -Be $own
            $sp = $state.servicePrincipals | Where-Object appId -EQ $t.AppId
            @($state.exchange.servicePrincipals | Where-Object objectId -EQ $sp.id).Count | Should -Be 1
            @($state.exchange.roleAssignments | Where-Object { $_.role -eq 'Transport Hygiene' -and $_.roleAssigneeName -eq $sp.id }).Count | Should -Be 1
        }
        $run.summary | Should -Match ("{0} tenant\(s\): {1} done, 0 already done, 4 failed" -f $TenantCount, ($TenantCount - 4))
        $json = Get-Content -LiteralPath $report -Raw | ConvertFrom-Json
        $json.Count | Should -Be $TenantCount
        ($json | Where-Object { $_.tenantId -eq $Tenants[$Faulty.Consent - 1].Domain }).errorId | Should -Be 'TenantConsentRequired'
        # Graph work of the next tenants ran ahead: each healthy tenant's first Graph request came
        # before the previous tenant's last Exchange call (Exchange itself goes one tenant at a time).
        $healthy = @($Tenants | Where-Object { $_.Index -notin $Faulty.Values })
        $times = @{}
        foreach ($t in $healthy) {
            $log = @((Invoke-EmulatorControl -Emulator $Emulator -Path "requests?tenant=$($t.TenantId)").value)
            $times[$t.Index] = [pscustomobject]@{
                FirstGraph   = @($log | Where-Object path -Like '/v1.0/*' | ForEach-Object { [datetime]$_.time } | Sort-Object)[0]
                LastExchange = @($log | Where-Object path -Like '/adminapi/*' | ForEach-Object { [datetime]$_.time } | Sort-Object)[-1]
                FirstExchange = @($log | Where-Object path -Like '/adminapi/*' | ForEach-Object { [datetime]$_.time } | Sort-Object)[0]
            }
        }
        $ahead = 0
        for ($n = 1; $n -lt $healthy.Count; $n++) {
            $previous, $next = $times[$healthy[$n - 1].Index], $times[$healthy[$n].Index]
            if ($next.FirstGraph -lt $previous.LastExchange) { $ahead++ }
            # Exchange calls never overlap between tenants.
            $next.FirstExchange | Should -BeGreaterThan $previous.LastExchange
        }
        $ahead | Should -Be ($healthy.Count - 1)
        # The faulty tenants that were never reached saw no write.
        foreach ($i in $Faulty.Consent, $Faulty.Thumbprint) { Get-TenantWrites $Tenants[$i - 1].TenantId | Should -BeNullOrEmpty }
    }

    It 'touches only what is missing when run again, and finishes the tenants whose faults are gone' {
        $null = Invoke-EmulatorControl -Emulator $Emulator -Path authority -Method PUT -Body @{ consentRequiredIn = @() }
        $null = Invoke-EmulatorControl -Emulator $Emulator -Path "exchange/faults?tenant=$($Tenants[$Faulty.Dehydrated - 1].TenantId)" -Method DELETE
        Clear-TenantLogs
        $run = Invoke-PartnerRun -ReportPath (Join-Path $Work 'again.csv')
        $done = @($run.results | Where-Object Status -EQ 'Done')
        @($done.DirectoryTenantId | Sort-Object) | Should -Be @(@($Tenants[$Faulty.Consent - 1].TenantId, $Tenants[$Faulty.Dehydrated - 1].TenantId) | Sort-Object)
        @($run.results | Where-Object Status -EQ 'AlreadyDone').Count | Should -Be ($TenantCount - 4)
        foreach ($t in $Tenants | Where-Object { $_.Index -notin $Faulty.Values }) {
            Get-TenantWrites $t.TenantId | Should -BeNullOrEmpty -Because "tenant $($t.Index) was done already"
        }
        # The dehydrated tenant had its Entra steps and service principal: only the role assignment is written now.
        @(Get-TenantWrites $Tenants[$Faulty.Dehydrated - 1].TenantId | Where-Object path -Like '/v1.0/*').Count | Should -Be 0
        (Import-Csv -LiteralPath (Join-Path $Work 'again.csv')).Count | Should -Be $TenantCount
    }
}
