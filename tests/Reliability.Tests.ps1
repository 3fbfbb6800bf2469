# What a tool that changes a customer's tenant must prove: it keeps everything that was there, a
# second run writes nothing, it survives throttling, outages and replication, it refuses bad input
# before writing, it never prints a secret, and Ctrl+C never leaves a half-written tenant.
BeforeDiscovery {
    $script:Seeds = 1..100 | ForEach-Object { @{ Seed = $_ } }
    # A share of them is also set up by two runs at once.
    $script:ConcurrentSeeds = $Seeds | Where-Object { $_.Seed % 10 -eq 0 }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Session = Enter-DropzoneTestSession -Tenant default -Graph -Exchange -Variable Emulator, AppId, Work
    $script:Pool = New-CertificatePool -Count 6
    # Vendor certificates expire every year: last year's, and the one before rotation.
    $script:ExpiredPool = @(1..2 | ForEach-Object { New-TestCertificate -Subject "CN=Expired $_" -NotBefore ([DateTimeOffset]::UtcNow.Date.AddDays(-400)) -NotAfter ([DateTimeOffset]::UtcNow.Date.AddDays(-10 * $_)) })
    $script:PreviousVendor = New-TestCertificate -Subject 'CN=Dropzone AI before rotation' -NotBefore ([DateTimeOffset]::UtcNow.Date.AddDays(-300)) -NotAfter ([DateTimeOffset]::UtcNow.Date.AddDays(60))
    $script:VendorPath = Join-Path $Work 'vendor.crt'
    $script:Vendor = New-TestCertificate -Path $VendorPath
    $script:SecondVendorPath = Join-Path $Work 'second-vendor.crt'
    $script:SecondVendor = New-TestCertificate -Path $SecondVendorPath -Subject 'CN=Second vendor tenant'

    function Use-State($State) { Reset-TestTenant -Emulator $Emulator -State $State }
    function Use-Tenant([string] $Name) { Reset-TestTenant -Emulator $Emulator -Tenant $Name }
    function Get-Writes { @(Get-EmulatorRequestLog -Emulator $Emulator -Writes) }
    function ConvertTo-Canonical($item) { $item | ConvertTo-Json -Depth 30 -Compress }

    # Every item of $Before must be in $After exactly as it was; of the Dropzone app, every
    # certificate, secret and permission it had (the module only adds to it).
    function Assert-Preserved($Before, $After) {
        foreach ($collection in 'servicePrincipals', 'appRoleAssignments') {
            foreach ($item in $Before.$collection) {
                $now = $After.$collection | Where-Object id -EQ $item.id
                ConvertTo-Canonical $now | Should -BeExactly (ConvertTo-Canonical $item) -Because "$collection $($item.id) must be untouched"
            }
        }
        foreach ($item in $Before.exchange.servicePrincipals) {
            ConvertTo-Canonical ($After.exchange.servicePrincipals | Where-Object objectId -EQ $item.objectId) | Should -BeExactly (ConvertTo-Canonical $item)
        }
        foreach ($item in $Before.exchange.roleAssignments) {
            ConvertTo-Canonical ($After.exchange.roleAssignments | Where-Object name -EQ $item.name) | Should -BeExactly (ConvertTo-Canonical $item)
        }
        foreach ($app in $Before.applications) {
            $now = $After.applications | Where-Object id -EQ $app.id
            if ($app.appId -ne "$AppId") { ConvertTo-Canonical $now | Should -BeExactly (ConvertTo-Canonical $app); continue }
            foreach ($credential in $app.keyCredentials) {
                ConvertTo-Canonical ($now.keyCredentials | Where-Object keyId -EQ $credential.keyId) | Should -BeExactly (ConvertTo-Canonical $credential)
            }
            ConvertTo-Canonical $now.passwordCredentials | Should -BeExactly (ConvertTo-Canonical $app.passwordCredentials)
            foreach ($entry in $app.requiredResourceAccess) {
                $nowEntry = $now.requiredResourceAccess | Where-Object resourceAppId -EQ $entry.resourceAppId
                foreach ($permission in $entry.resourceAccess) {
                    $nowEntry.resourceAccess | Where-Object { $_.id -eq $permission.id -and $_.type -eq $permission.type } | Should -Not -BeNullOrEmpty
                }
            }
        }
    }
}

AfterAll { Exit-DropzoneTestSession }

Describe 'Preservation and idempotency on generated tenants' {
    # Besides the tenant, each seed chooses how Entra ID behaves: one in four replicates new objects
    # with a delay (reads miss them, consent is refused meanwhile), and whether Graph refuses an
    # expired certificate sent back alternates (UNCONFIRMED: both are covered).
    It 'keeps every pre-existing item, writes nothing the second time and uninstalls to the start state (seed <Seed>)' -ForEach $Seeds {
        Use-State (New-GeneratedTenant -Seed $Seed -CertificatePool $Pool -ExpiredCertificatePool $ExpiredPool -PreviousVendorCertificate $PreviousVendor)
        $behaviour = if ($Seed % 2) { 'Reject' } else { 'Accept' }
        Set-EmulatorGraphOption -Emulator $Emulator -ExpiredCertificateSentBack $behaviour | Out-Null
        if ($Seed % 4 -eq 0) { Set-EmulatorReplicationDelay -Emulator $Emulator -Seconds 0.5 }
        $start = Get-EmulatorState -Emulator $Emulator
        $startApp = $start.applications | Where-Object appId -EQ $AppId
        $now = [DateTimeOffset]::UtcNow
        $expired = @($startApp.keyCredentials | Where-Object { [DateTimeOffset]$_.endDateTime -le $now })
        $previous = @($startApp.keyCredentials | Where-Object { $_.displayName -eq 'Dropzone AI' -and [DateTimeOffset]$_.endDateTime -gt $now })
        $hadServicePrincipal = [bool]($start.servicePrincipals | Where-Object appId -EQ $AppId)

        $removeExpired = $false
        if ($expired -and $behaviour -eq 'Reject') {
            $err = { Install-DropzoneExoIntegration -ApplicationId $AppId -CertificatePath $VendorPath -ErrorAction Stop } |
                Should -Throw -ErrorId 'ExpiredCertificateOnApplication,*' -PassThru
            foreach ($credential in $expired) { $err.Exception.Message | Should -Match $credential.customKeyIdentifier }
            ConvertTo-Canonical (Get-EmulatorState -Emulator $Emulator) | Should -BeExactly (ConvertTo-Canonical $start) -Because 'a refused update changes nothing'
            $removeExpired = $true
        }
        # What the tenant should hold of the start once the expired certificates, if asked, are gone.
        $expected = $start | ConvertTo-Json -Depth 30 | ConvertFrom-Json
        if ($removeExpired) {
            $app = $expected.applications | Where-Object appId -EQ $AppId
            $app.keyCredentials = @($app.keyCredentials | Where-Object keyId -NotIn $expired.keyId)
        }

        $summary = Install-DropzoneExoIntegration -ApplicationId $AppId -CertificatePath $VendorPath -RemoveExpiredCertificate:$removeExpired -TimeoutSeconds 60
        $summary.Complete | Should -BeTrue
        $after = Get-EmulatorState -Emulator $Emulator
        Assert-Preserved -Before $expected -After $after
        $afterKeys = @(($after.applications | Where-Object appId -EQ $AppId).keyCredentials)
        $afterKeys.Count | Should -Be (@(($expected.applications | Where-Object appId -EQ $AppId).keyCredentials).Count + 1)
        # Honest statuses: each step says what this run changed.
        ($summary.Steps | Where-Object Name -EQ 'Certificate').Status | Should -Be 'Done'
        $permission = $summary.Steps | Where-Object Name -EQ 'ExchangePermission'
        $permission.Status | Should -Be 'Done'
        if ($hadServicePrincipal) { $permission.Detail | Should -Not -Match 'Create the app' } else { $permission.Detail | Should -Match 'Create the app' }
        if ($removeExpired) { ($summary.Steps | Where-Object Name -EQ 'Certificate').Detail | Should -Match "Removed $($expired.Count) expired" }
        foreach ($credential in $previous) { $summary.NextSteps | Should -Match "Remove-DropzoneCertificate -ApplicationId $AppId -Thumbprint $($credential.customKeyIdentifier)" }
        if (-not $previous -and -not ($expired -and -not $removeExpired)) { $summary.NextSteps | Should -Not -Match 'Remove-DropzoneCertificate' }

        Clear-EmulatorRequestLog -Emulator $Emulator
        (Install-DropzoneExoIntegration -ApplicationId $AppId -CertificatePath $VendorPath -RemoveExpiredCertificate:$removeExpired).Steps.Status | Sort-Object -Unique | Should -Be 'AlreadyDone'
        Get-Writes | Should -BeNullOrEmpty

        # Exactly what Install added goes (an older vendor certificate is the admin's to remove).
        Uninstall-DropzoneExoIntegration -ApplicationId $AppId -Thumbprint $Vendor.Thumbprint -Confirm:$false | Out-Null
        ConvertTo-Canonical (Get-EmulatorState -Emulator $Emulator) | Should -BeExactly (ConvertTo-Canonical $expected)
    }
}

Describe 'Two runs at once on generated tenants' {
    It 'keeps every pre-existing item and both runs'' certificates, then completes and uninstalls to the start state (seed <Seed>)' -ForEach $ConcurrentSeeds {
        Use-State (New-GeneratedTenant -Seed $Seed -CertificatePool $Pool)
        $start = Get-EmulatorState -Emulator $Emulator
        Set-EmulatorLatency -Emulator $Emulator -Milliseconds 100
        $install = { param($a) Install-DropzoneExoIntegration -ApplicationId $a.AppId -CertificatePath $a.Paths[$a.Index] -SkipExchange -ErrorAction Stop }
        $runs = Invoke-ConcurrentRun -Emulator $Emulator -ScriptBlock $install, $install -Arguments @{ AppId = $AppId; Paths = $VendorPath, $SecondVendorPath }
        Set-EmulatorLatency -Emulator $Emulator -Milliseconds 0

        foreach ($run in $runs) {
            $run.Errors | Should -BeNullOrEmpty -Because "run $($run.Index) must succeed"
            $run.Warnings | Should -BeNullOrEmpty -Because 'no run removes what the other wrote'
            ($run.Output.Steps | Where-Object Name -In 'Certificate', 'ExchangePermission').Status | Should -Not -Contain 'Failed'
        }
        $after = Get-EmulatorState -Emulator $Emulator
        Assert-Preserved -Before $start -After $after
        $app = $after.applications | Where-Object appId -EQ $AppId
        foreach ($thumbprint in $Vendor.Thumbprint, $SecondVendor.Thumbprint) {
            @($app.keyCredentials | Where-Object customKeyIdentifier -EQ $thumbprint).Count | Should -Be 1
        }
        @($app.keyCredentials).Count | Should -Be (@(($start.applications | Where-Object appId -EQ $AppId).keyCredentials).Count + 2)

        (Install-DropzoneExoIntegration -ApplicationId $AppId -CertificatePath $VendorPath).Complete | Should -BeTrue
        Uninstall-DropzoneExoIntegration -ApplicationId $AppId -Confirm:$false | Out-Null
        ConvertTo-Canonical (Get-EmulatorState -Emulator $Emulator) | Should -BeExactly (ConvertTo-Canonical $start)
    }
}

Describe 'Round trips and requests, counted from the emulator''s log' {
    BeforeAll {
        function Get-GraphCounts {
            $graph = @(Get-EmulatorRequestLog -Emulator $Emulator | Where-Object path -Like '/v1.0/*')
            [pscustomobject]@{
                RoundTrips = @($graph | Where-Object { -not $_.inBatch }).Count
                Requests   = @($graph | Where-Object { $_.inBatch -or $_.path -ne '/v1.0/$batch' }).Count
                Writes     = @($graph | Where-Object { ($_.inBatch -or $_.path -ne '/v1.0/$batch') -and $_.method -ne 'GET' }).Count
            }
        }
    }

    It 'sets up a fresh tenant in at most 3 Graph round trips and 9 requests (one the read that checks the write), and a done one in 1 round trip with no write' {
        Use-Tenant default
        Install-DropzoneExoIntegration -ApplicationId $AppId -CertificatePath $VendorPath | Out-Null
        $fresh = Get-GraphCounts
        $fresh.RoundTrips | Should -BeLessOrEqual 3
        $fresh.Requests | Should -BeLessOrEqual 9
        $fresh.Writes | Should -Be 3
        # The app is read back in the round trip of the consent, after the round trip of its PATCH.
        $log = @(Get-EmulatorRequestLog -Emulator $Emulator | Where-Object path -Like '/v1.0/*')
        $patch = $log | Where-Object method -EQ 'PATCH'
        $check = @($log | Where-Object { $_.method -eq 'GET' -and $_.path -like '/v1.0/applications*' -and $_.sequence -gt $patch.sequence })
        $check.Count | Should -Be 1
        $check[0].inBatch | Should -BeTrue
        @($log | Where-Object { $_.inBatch -and $_.batchSequence -eq $check[0].batchSequence -and $_.path -like '*/appRoleAssignedTo' }).Count | Should -Be 1

        Clear-EmulatorRequestLog -Emulator $Emulator
        Install-DropzoneExoIntegration -ApplicationId $AppId -CertificatePath $VendorPath | Out-Null
        $done = Get-GraphCounts
        $done.RoundTrips | Should -Be 1
        $done.Writes | Should -Be 0
    }
}

Describe 'Faults: Install completes, once' {
    BeforeEach { Use-Tenant default }

    It 'completes despite <Case>' -ForEach @(
        @{ Case = '429 with Retry-After on each write'; Arrange = {
            Add-EmulatorFault -Emulator $Emulator -Method PATCH -Path '/v1.0/applications/*' -Status 429 -RetryAfterSeconds 1 | Out-Null
            Add-EmulatorFault -Emulator $Emulator -Method POST -Path '/v1.0/servicePrincipals' -Status 429 -RetryAfterSeconds 1 | Out-Null
            Add-EmulatorFault -Emulator $Emulator -Method POST -Path '/v1.0/servicePrincipals/*/appRoleAssignedTo' -Status 429 -RetryAfterSeconds 1 | Out-Null } }
        @{ Case = 'bursts of 503'; Arrange = {
            Add-EmulatorFault -Emulator $Emulator -Method POST -Path '/v1.0/$batch' -Status 503 -RetryAfterSeconds 1 -Count 2 | Out-Null
            Add-EmulatorFault -Emulator $Emulator -Method GET -Path '/v1.0/*' -Status 503 -RetryAfterSeconds 1 -Count 3 | Out-Null } }
        @{ Case = 'a dropped connection'; Arrange = {
            Add-EmulatorFault -Emulator $Emulator -Method POST -Path '/v1.0/$batch' -Drop -Count 2 | Out-Null
            Add-EmulatorFault -Emulator $Emulator -Method POST -Path '/v1.0/servicePrincipals/*/appRoleAssignedTo' -Drop -Count 1 | Out-Null } }
        @{ Case = 'Graph replication delay'; Arrange = { Set-EmulatorReplicationDelay -Emulator $Emulator -ServicePrincipalReads 3 } }
        @{ Case = 'a 2 s Entra ID replication delay on reads and consent'; Arrange = { Set-EmulatorReplicationDelay -Emulator $Emulator -Seconds 2 } }
        @{ Case = 'Exchange replication delay'; Arrange = {
            Add-ExchangeFault -Emulator $Emulator -Cmdlet New-ServicePrincipal -Kind Replication -Count 2 | Out-Null
            Add-ExchangeFault -Emulator $Emulator -Cmdlet New-ManagementRoleAssignment -Kind Replication -Count 1 | Out-Null } }
    ) {
        & $Arrange
        $summary = Install-DropzoneExoIntegration -ApplicationId $AppId -CertificatePath $VendorPath -TimeoutSeconds 60
        $summary.Complete | Should -BeTrue
        $state = Get-EmulatorState -Emulator $Emulator
        $sp = @($state.servicePrincipals | Where-Object appId -EQ $AppId)
        $sp.Count | Should -Be 1
        @(($state.applications | Where-Object appId -EQ $AppId).keyCredentials).Count | Should -Be 1
        @($state.appRoleAssignments | Where-Object principalId -EQ $sp[0].id).Count | Should -Be 1
        @($state.exchange.servicePrincipals | Where-Object appId -EQ $AppId).Count | Should -Be 1
        @($state.exchange.roleAssignments | Where-Object roleAssigneeName -EQ $sp[0].id).Count | Should -Be 1
        Test-DropzoneExoIntegration -ApplicationId $AppId -Quiet | Should -BeTrue
    }
}

Describe 'Bad input: a clear ErrorId and no write' {
    BeforeEach { Use-Tenant default }

    It 'refuses <Case> with <ErrorId>' -ForEach @(
        @{ Case = 'a missing certificate file'; ErrorId = 'CertificateFileNotFound'; Run = { Install-DropzoneExoIntegration -CertificatePath (Join-Path $Work 'missing.crt') -ErrorAction Stop } }
        @{ Case = 'a file that is not a certificate'; ErrorId = 'CertificateInvalid'; Run = { $p = Join-Path $Work 'text.crt'; Set-Content $p 'not a certificate'; Install-DropzoneExoIntegration -CertificatePath $p -ErrorAction Stop } }
        @{ Case = 'a PFX'; ErrorId = 'CertificateHasPrivateKey'; Run = { $p = Join-Path $Work 'b.pfx'; New-TestCertificate -Path $p -Format Pfx | Out-Null; Install-DropzoneExoIntegration -CertificatePath $p -ErrorAction Stop } }
        @{ Case = 'a PEM with a private key'; ErrorId = 'CertificateHasPrivateKey'; Run = { $p = Join-Path $Work 'k.pem'; New-TestCertificate -Path $p -Format PemWithPrivateKey | Out-Null; Install-DropzoneExoIntegration -CertificatePath $p -ErrorAction Stop } }
        @{ Case = 'an expired certificate'; ErrorId = 'CertificateExpired'; Run = { $p = Join-Path $Work 'old.crt'; New-TestCertificate -Path $p -NotBefore ([DateTimeOffset]::UtcNow.AddYears(-2)) -NotAfter ([DateTimeOffset]::UtcNow.AddDays(-1)) | Out-Null; Install-DropzoneExoIntegration -CertificatePath $p -ErrorAction Stop } }
        @{ Case = 'a thumbprint mismatch'; ErrorId = 'CertificateThumbprintMismatch'; Run = { Install-DropzoneExoIntegration -CertificatePath $VendorPath -ExpectedThumbprint ('AB' * 20) -ErrorAction Stop } }
        @{ Case = 'a malformed ApplicationId'; ErrorId = 'CannotConvertArgumentNoMessage'; Run = { Install-DropzoneExoIntegration -ApplicationId 'not-a-guid' -CertificatePath $VendorPath -ErrorAction Stop } }
        @{ Case = 'an unknown app'; ErrorId = 'ApplicationNotFound'; Run = { Install-DropzoneExoIntegration -ApplicationId ([guid]::NewGuid()) -CertificatePath $VendorPath -ErrorAction Stop } }
        @{ Case = 'two apps with the same name'; ErrorId = 'ApplicationAmbiguous'; Run = { Use-Tenant twoapps; Install-DropzoneExoIntegration -CertificatePath $VendorPath -ErrorAction Stop } }
        @{ Case = 'no Graph connection'; ErrorId = 'GraphNotConnected'; Run = {
            Disconnect-DropzoneGraph
            try { Install-DropzoneExoIntegration -CertificatePath $VendorPath -ErrorAction Stop } finally { Connect-TestGraph -Emulator $Emulator | Out-Null } } }
        @{ Case = 'no Exchange connection'; ErrorId = 'ExchangeNotConnected'; Run = {
            Disconnect-ExchangeOnline -Confirm:$false
            try { Install-DropzoneExoIntegration -CertificatePath $VendorPath -ErrorAction Stop } finally { Connect-TestExchange -Emulator $Emulator | Out-Null } } }
        @{ Case = 'a 403 from Graph'; ErrorId = 'InsufficientPrivileges'; Run = {
            Add-EmulatorFault -Emulator $Emulator -Path '/v1.0/*' -Status 403 -Count 50 | Out-Null
            Install-DropzoneExoIntegration -ApplicationId $AppId -CertificatePath $VendorPath -ErrorAction Stop } }
        @{ Case = 'an http endpoint that is not loopback'; ErrorId = 'InsecureEndpoint'; Run = { Connect-DropzoneGraph -AccessToken (New-TestAccessToken) -GraphEndpoint 'http://graph.contoso.example' } }
    ) {
        $Run | Should -Throw -ErrorId "$ErrorId,*"
        Get-Writes | Should -BeNullOrEmpty
        (Get-DropzoneGraphContext).GraphEndpoint | Should -Be ([uri]"$($Emulator.BaseUri)/")
    }
}

Describe 'Secrets' {
    It 'writes no token and no Authorization header to any stream of a full run with -Verbose -Debug' {
        Use-Tenant default
        $token = New-TestAccessToken -Marker ('secret-' + [guid]::NewGuid())
        $tokenText = Get-TestTokenText $token
        $everything = & {
            Connect-DropzoneGraph -AccessToken $token -GraphEndpoint $Emulator.BaseUri -Verbose -Debug
            Install-DropzoneExoIntegration -CertificatePath $VendorPath -Verbose -Debug
            Test-DropzoneExoIntegration -ApplicationId $AppId -Verbose -Debug
            Uninstall-DropzoneExoIntegration -ApplicationId $AppId -Confirm:$false -Verbose -Debug
            try { Install-DropzoneExoIntegration -CertificatePath $VendorPath -ExpectedThumbprint ('AB' * 20) -Verbose -Debug -ErrorAction Stop } catch { $_ }
        } *>&1 | Out-String -Width 1000
        $everything | Should -Match 'Graph POST /v1.0/\$batch'
        foreach ($secret in $tokenText, $tokenText.Split('.')[1], 'dummy-exchange-token') { $everything | Should -Not -Match ([regex]::Escape($secret)) }
        $everything | Should -Not -Match 'Bearer'
        $everything | Should -Not -Match 'Authorization'
        $everything | Should -Not -Match 'PRIVATE KEY'
    }
}

Describe 'Cancellation' {
    It 'Ctrl+C after <After> ms leaves no partial write, and a re-run completes' -ForEach @(
        @{ After = 150 }, @{ After = 450 }, @{ After = 750 }, @{ After = 1050 }
    ) {
        Use-Tenant customer
        $start = Get-EmulatorState -Emulator $Emulator
        Set-EmulatorLatency -Emulator $Emulator -Milliseconds 300
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                param($modulePath, $emulator, $certificate, $token)
                Import-Module $modulePath
                $null = Connect-DropzoneGraph -AccessToken $token -GraphEndpoint $emulator.BaseUri
                Install-DropzoneExoIntegration -ApplicationId 'a7d1c3e5-2b4f-4c6a-9e8d-1f3b5d7a9c2e' -CertificatePath $certificate -SkipExchange
            }).AddArgument((Get-TestModulePath)).AddArgument($Emulator).AddArgument($VendorPath).AddArgument((New-TestAccessToken))
            $null = $ps.BeginInvoke()
            Start-Sleep -Milliseconds $After
            $ps.Stop()
        } finally {
            $ps.Dispose()
            Set-EmulatorLatency -Emulator $Emulator -Milliseconds 0
        }
        # Whatever was stopped, the app has all it had (and ours entirely, or not at all).
        $app = (Get-EmulatorState -Emulator $Emulator).applications | Where-Object appId -EQ $AppId
        $before = $start.applications | Where-Object appId -EQ $AppId
        foreach ($credential in $before.keyCredentials) {
            ConvertTo-Canonical ($app.keyCredentials | Where-Object keyId -EQ $credential.keyId) | Should -BeExactly (ConvertTo-Canonical $credential)
        }
        @($app.keyCredentials).Count | Should -BeIn @(@($before.keyCredentials).Count, (@($before.keyCredentials).Count + 1))
        ConvertTo-Canonical $app.passwordCredentials | Should -BeExactly (ConvertTo-Canonical $before.passwordCredentials)

        (Install-DropzoneExoIntegration -ApplicationId $AppId -CertificatePath $VendorPath).Complete | Should -BeTrue
        Assert-Preserved -Before $start -After (Get-EmulatorState -Emulator $Emulator)
    }
}
