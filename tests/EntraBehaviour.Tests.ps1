# Entra ID as it really behaves, over real HTTP against the tenant emulator: replication on writes
# (a new service principal is missed by reads and refused in consent for a while), expired
# certificates left on the app (Graph's refusal is UNCONFIRMED: both behaviours), the vendor's
# yearly certificate rotation, the portal's Enterprise applications tag, and bounded input.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Session = Enter-DropzoneTestSession -Tenant default -Graph -Exchange -Variable Emulator, AppId, ManageAsApp, Work

    function Use-Tenant([string] $Name = 'default') { Reset-TestTenant -Emulator $Emulator -Tenant $Name }
    function Get-Writes { @(Get-EmulatorRequestLog -Emulator $Emulator -Writes) }
    function Get-State { Get-EmulatorState -Emulator $Emulator }
    function Get-App { (Get-State).applications | Where-Object appId -EQ $AppId }
    function ConvertTo-Canonical($item) { $item | ConvertTo-Json -Depth 30 -Compress }
    function New-VendorFile([int] $NotAfterDays = 365) {
        $path = Join-Path $Work ("vendor-{0}.crt" -f [guid]::NewGuid())
        $certificate = New-TestCertificate -Path $path -NotAfter ([DateTimeOffset]::UtcNow.AddDays($NotAfterDays))
        [pscustomobject]@{ Path = $path; Thumbprint = $certificate.Thumbprint }
    }
    function Get-ConsentPosts { @(Get-EmulatorRequestLog -Emulator $Emulator | Where-Object { $_.method -eq 'POST' -and $_.path -like '*/appRoleAssignedTo' }) }
    function Get-GraphRoundTrips { @(Get-EmulatorRequestLog -Emulator $Emulator | Where-Object { $_.path -like '/v1.0/*' -and -not $_.inBatch }).Count }

    # A keyCredential as Graph stores it, for a certificate valid from -From to -Until (days from now).
    function New-StoredCredential([string] $Name, [int] $From, [int] $Until) {
        $iso = { param($d) ([DateTimeOffset]$d).ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ') }
        $notBefore = [DateTimeOffset]::UtcNow.Date.AddDays($From)
        $notAfter = [DateTimeOffset]::UtcNow.Date.AddDays($Until)
        $certificate = New-TestCertificate -Subject "CN=$Name" -NotBefore $notBefore -NotAfter $notAfter
        [ordered]@{
            customKeyIdentifier = $certificate.Thumbprint; displayName = $Name; endDateTime = & $iso $notAfter
            key = [Convert]::ToBase64String($certificate.RawData); keyId = [guid]::NewGuid().ToString()
            startDateTime = & $iso $notBefore; type = 'AsymmetricX509Cert'; usage = 'Verify'
        }
    }
    # The default tenant with these certificates on the Dropzone AI app.
    function Use-AppCertificates([object[]] $Credentials) {
        $state = Get-Content (Get-TestTenantFile default) -Raw | ConvertFrom-Json -AsHashtable
        $state.applications[0].keyCredentials = @($Credentials)
        Reset-TestTenant -Emulator $Emulator -State $state
    }
}

AfterAll { Exit-DropzoneTestSession }

Describe 'Replication on writes (a 2 s replication delay)' {
    BeforeEach {
        Use-Tenant default
        Set-EmulatorReplicationDelay -Emulator $Emulator -Seconds 2
    }

    It 'installs on a tenant without the app''s service principal in one run with one consent, counting the consent retries' {
        $vendor = New-VendorFile
        $summary = Install-DropzoneExoIntegration -ApplicationId $AppId -CertificatePath $vendor.Path -TimeoutSeconds 60
        $summary.Complete | Should -BeTrue

        $state = Get-State
        $sp = @($state.servicePrincipals | Where-Object appId -EQ $AppId)
        $sp.Count | Should -Be 1
        @($state.appRoleAssignments | Where-Object { $_.principalId -eq $sp[0].id -and $_.appRoleId -eq $ManageAsApp }).Count | Should -Be 1
        $posts = Get-ConsentPosts
        $posts.Count | Should -BeGreaterThan 1 -Because 'Entra ID refuses the first consent while the new principal replicates'
        @($posts | Select-Object -SkipLast 1).status | Sort-Object -Unique | Should -Be 400
        $posts[-1].status | Should -Be 201
        # Retries are reported and counted: the fresh tenant's 3 round trips plus one per retry.
        ($summary.Steps | Where-Object Name -EQ 'ExchangePermission').Detail | Should -Match "Consent was sent $($posts.Count) times"
        Get-GraphRoundTrips | Should -Be (3 + $posts.Count - 1)
    }

    It 'writes nothing and reports every step AlreadyDone when run again inside the replication window' {
        $vendor = New-VendorFile
        Install-DropzoneExoIntegration -ApplicationId $AppId -CertificatePath $vendor.Path -TimeoutSeconds 60 | Out-Null
        $consentId = ((Get-State).appRoleAssignments | Where-Object appRoleId -EQ $ManageAsApp).id
        (Invoke-EmulatorControl -Emulator $Emulator -Path replication).replicatingUntil.PSObject.Properties.Name |
            Should -Contain $consentId -Because 'the second run must start while reads still miss the new consent'
        Clear-EmulatorRequestLog -Emulator $Emulator

        $again = Install-DropzoneExoIntegration -ApplicationId $AppId -CertificatePath $vendor.Path -Verbose 4>&1
        $summary = $again | Where-Object { $_ -is [Dropzone.ExoSetup.IntegrationSummary] }
        $verbose = ($again | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }) -join "`n"

        $summary.Steps.Status | Sort-Object -Unique | Should -Be 'AlreadyDone'
        Get-Writes | Should -BeNullOrEmpty
        $verbose | Should -Match 'Reads do not show yet what this session created'
    }

    It 'Get-DropzoneServicePrincipal right after Grant-DropzoneExoPermission returns the id (<Case>)' -ForEach @(
        @{ Case = 'with consent'; SkipConsent = $false }
        @{ Case = 'with -SkipConsent, while reads still miss it'; SkipConsent = $true }
    ) {
        $granted = Grant-DropzoneExoPermission -ApplicationId $AppId -SkipConsent:$SkipConsent -TimeoutSeconds 60
        $sp = Get-DropzoneServicePrincipal -ApplicationId $AppId
        $sp.ObjectId | Should -Be $granted.ServicePrincipalId
        $sp.ObjectId | Should -Be ((Get-State).servicePrincipals | Where-Object appId -EQ $AppId).id
        $sp.DisplayName | Should -Be 'Dropzone AI'
        if ($SkipConsent) {
            # The read really missed it: the id came from this session's memory.
            (Get-EmulatorRequestLog -Emulator $Emulator | Where-Object { $_.method -eq 'GET' -and $_.path -like '/v1.0/servicePrincipals(appId=*' })[-1].status | Should -Be 404
        }
    }

    It 'New-DropzoneExoServicePrincipal right after Grant-DropzoneExoPermission -SkipConsent uses the principal this session created' {
        $granted = Grant-DropzoneExoPermission -ApplicationId $AppId -SkipConsent
        Clear-EmulatorRequestLog -Emulator $Emulator
        $created = New-DropzoneExoServicePrincipal -ApplicationId $AppId -TimeoutSeconds 60
        $created.Status | Should -Be 'Created'
        # One Graph read, which missed it; no waiting for reads to catch up.
        @(Get-EmulatorRequestLog -Emulator $Emulator | Where-Object { $_.path -like '/v1.0/servicePrincipals(appId=*' }).status | Should -Be 404
        $created.ObjectId | Should -Be $granted.ServicePrincipalId
        (Get-State).exchange.servicePrincipals.objectId | Should -Be $granted.ServicePrincipalId
    }

    It 'reports a service principal that already existed (409) as no change of this run' {
        Grant-DropzoneExoPermission -ApplicationId $AppId -SkipConsent | Out-Null
        # A new session, inside the window: it does not know the principal, and reads miss it.
        Connect-TestGraph -Emulator $Emulator | Out-Null
        Clear-EmulatorRequestLog -Emulator $Emulator

        $summary = Install-DropzoneExoIntegration -ApplicationId $AppId -CertificatePath (New-VendorFile).Path -SkipExchange -TimeoutSeconds 60

        @(Get-EmulatorRequestLog -Emulator $Emulator | Where-Object { $_.method -eq 'POST' -and $_.path -eq '/v1.0/servicePrincipals' }).status | Should -Be 409
        $permission = $summary.Steps | Where-Object Name -EQ 'ExchangePermission'
        $permission.Status | Should -Be 'Done'
        $permission.Detail | Should -Match 'Grant admin consent'
        $permission.Detail | Should -Not -Match 'Create the app'
        @((Get-State).servicePrincipals | Where-Object appId -EQ $AppId).Count | Should -Be 1
    }

    It 'gives up with ReplicationTimeout after -TimeoutSeconds, keeps the service principal, and a re-run grants consent once' {
        Set-EmulatorReplicationDelay -Emulator $Emulator -Seconds 4
        $err = { Grant-DropzoneExoPermission -ApplicationId $AppId -TimeoutSeconds 1 -ErrorAction Stop } | Should -Throw -ErrorId 'ReplicationTimeout,*' -PassThru
        $err.Exception.Message | Should -Match 'not replicated yet'
        $state = Get-State
        @($state.servicePrincipals | Where-Object appId -EQ $AppId).Count | Should -Be 1
        $state.appRoleAssignments | Where-Object appRoleId -EQ $ManageAsApp | Should -BeNullOrEmpty

        (Grant-DropzoneExoPermission -ApplicationId $AppId -TimeoutSeconds 60).Status | Should -Be 'Granted'
        $state = Get-State
        @($state.servicePrincipals | Where-Object appId -EQ $AppId).Count | Should -Be 1
        @($state.appRoleAssignments | Where-Object appRoleId -EQ $ManageAsApp).Count | Should -Be 1
        @(Get-EmulatorRequestLog -Emulator $Emulator | Where-Object { $_.method -eq 'POST' -and $_.path -eq '/v1.0/servicePrincipals' }).Count | Should -Be 1
    }

    It 'Test-DropzoneExoIntegration right after Install waits out the consent read that lags, and passes' {
        Install-DropzoneExoIntegration -ApplicationId $AppId -CertificatePath (New-VendorFile).Path -TimeoutSeconds 60 | Out-Null
        Clear-EmulatorRequestLog -Emulator $Emulator
        $checks = Test-DropzoneExoIntegration -ApplicationId $AppId -TimeoutSeconds 60
        ($checks | Where-Object Check -EQ 'ConsentGranted').Status | Should -Be 'Pass'
        $checks | Where-Object Status -EQ 'Fail' | Should -BeNullOrEmpty
        Get-GraphRoundTrips | Should -BeGreaterThan 1 -Because 'it read again until the consent showed'
        Get-Writes | Should -BeNullOrEmpty
    }

    It 'creates the service principal with both tags, and Uninstall right after Install restores the tenant exactly' {
        $before = ConvertTo-Canonical (Get-State)
        Install-DropzoneExoIntegration -ApplicationId $AppId -CertificatePath (New-VendorFile).Path -TimeoutSeconds 60 | Out-Null
        $sp = (Get-State).servicePrincipals | Where-Object appId -EQ $AppId
        $sp.tags | Should -Contain 'WindowsAzureActiveDirectoryIntegratedApp'
        $sp.tags | Should -Contain 'CreatedBy:Dropzone.ExoSetup'

        $removed = Uninstall-DropzoneExoIntegration -ApplicationId $AppId -Confirm:$false
        $removed.Steps | Where-Object Status -EQ 'Failed' | Should -BeNullOrEmpty
        ConvertTo-Canonical (Get-State) | Should -BeExactly $before
    }
}

Describe 'Expired certificates on the app (Graph <Behaviour>s an expired certificate sent back)' -ForEach @(
    @{ Behaviour = 'Reject' }, @{ Behaviour = 'Accept' }
) {
    BeforeEach {
        $script:Expired = New-StoredCredential -Name 'Dropzone AI' -From -400 -Until -35
        $script:Other = New-StoredCredential -Name 'Mail archiver' -From -10 -Until 700
        Use-AppCertificates @($Expired, $Other)
        Set-EmulatorGraphOption -Emulator $Emulator -ExpiredCertificateSentBack $Behaviour | Out-Null
        $script:Before = Get-State
    }

    It 'Install-DropzoneCertificate keeps them by default, or stops with ExpiredCertificateOnApplication leaving the app byte-identical' {
        $vendor = New-VendorFile
        if ($Behaviour -eq 'Reject') {
            $err = { Install-DropzoneCertificate -ApplicationId $AppId -Path $vendor.Path -ErrorAction Stop } | Should -Throw -ErrorId 'ExpiredCertificateOnApplication,*' -PassThru
            $err.Exception.Message | Should -Match $Expired.customKeyIdentifier
            $err.Exception.Message | Should -Match "'Dropzone AI'"
            $err.Exception.Message | Should -Match ([DateTimeOffset]$Expired.endDateTime).ToString('yyyy-MM-dd')
            $err.ErrorDetails.RecommendedAction | Should -Match '-RemoveExpiredCertificate'
            ConvertTo-Canonical (Get-App) | Should -BeExactly (ConvertTo-Canonical ($Before.applications | Where-Object appId -EQ $AppId))
        } else {
            (Install-DropzoneCertificate -ApplicationId $AppId -Path $vendor.Path).Status | Should -Be 'Added'
            $keys = (Get-App).keyCredentials
            @($keys).Count | Should -Be 3
            ConvertTo-Canonical ($keys | Where-Object keyId -EQ $Expired.keyId) | Should -BeExactly (ConvertTo-Canonical ($Before.applications[0].keyCredentials | Where-Object keyId -EQ $Expired.keyId))
        }
    }

    It 'Install-DropzoneExoIntegration refuses or keeps them the same way, and a refusal changes nothing in the tenant' {
        $vendor = New-VendorFile
        if ($Behaviour -eq 'Reject') {
            { Install-DropzoneExoIntegration -ApplicationId $AppId -CertificatePath $vendor.Path -ErrorAction Stop } | Should -Throw -ErrorId 'ExpiredCertificateOnApplication,*'
            ConvertTo-Canonical (Get-State) | Should -BeExactly (ConvertTo-Canonical $Before)
            @(Get-Writes | Where-Object status -LT 300) | Should -BeNullOrEmpty
        } else {
            (Install-DropzoneExoIntegration -ApplicationId $AppId -CertificatePath $vendor.Path).Complete | Should -BeTrue
            (Get-App).keyCredentials.keyId | Should -Contain $Expired.keyId
        }
    }

    It '-RemoveExpiredCertificate removes only the expired ones, in the same PATCH, shown in -WhatIf and in the summary' {
        $vendor = New-VendorFile
        # -WhatIf writes to the host: caught with a transcript.
        $transcript = Join-Path $Work ("whatif-{0}.txt" -f [guid]::NewGuid())
        Start-Transcript -LiteralPath $transcript | Out-Null
        try { Install-DropzoneExoIntegration -ApplicationId $AppId -CertificatePath $vendor.Path -RemoveExpiredCertificate -WhatIf } finally { Stop-Transcript | Out-Null }
        Get-Content -LiteralPath $transcript -Raw | Should -Match "What if: .*remove 1 expired certificate\(s\): $($Expired.customKeyIdentifier)"
        Get-Writes | Should -BeNullOrEmpty

        $summary = Install-DropzoneExoIntegration -ApplicationId $AppId -CertificatePath $vendor.Path -RemoveExpiredCertificate
        $summary.Complete | Should -BeTrue
        ($summary.Steps | Where-Object Name -EQ 'Certificate').Detail | Should -Match "Removed 1 expired certificate\(s\): $($Expired.customKeyIdentifier)"
        @(Get-Writes | Where-Object { $_.method -eq 'PATCH' }).Count | Should -Be 1
        $keys = @((Get-App).keyCredentials)
        $keys.keyId | Should -Not -Contain $Expired.keyId
        ConvertTo-Canonical ($keys | Where-Object keyId -EQ $Other.keyId) | Should -BeExactly (ConvertTo-Canonical ($Before.applications[0].keyCredentials | Where-Object keyId -EQ $Other.keyId))
        $keys.customKeyIdentifier | Should -Contain $vendor.Thumbprint
        $keys.Count | Should -Be 2
    }

    It 'Install-DropzoneCertificate -RemoveExpiredCertificate with the vendor certificate already there removes them alone and reports them' {
        $vendor = New-VendorFile
        Set-EmulatorGraphOption -Emulator $Emulator -ExpiredCertificateSentBack Accept | Out-Null
        (Install-DropzoneCertificate -ApplicationId $AppId -Path $vendor.Path).Status | Should -Be 'Added'
        Set-EmulatorGraphOption -Emulator $Emulator -ExpiredCertificateSentBack $Behaviour | Out-Null

        $result = Install-DropzoneCertificate -ApplicationId $AppId -Path $vendor.Path -RemoveExpiredCertificate
        $result.Status | Should -Be 'AlreadyInstalled'
        @($result.RemovedExpiredCertificates).Thumbprint | Should -Be $Expired.customKeyIdentifier
        $keys = @((Get-App).keyCredentials)
        $keys.keyId | Should -Not -Contain $Expired.keyId
        $keys.keyId | Should -Contain $Other.keyId
        $keys.Count | Should -Be 2

        Clear-EmulatorRequestLog -Emulator $Emulator
        (Install-DropzoneCertificate -ApplicationId $AppId -Path $vendor.Path -RemoveExpiredCertificate).RemovedExpiredCertificates | Should -BeNullOrEmpty
        Get-Writes | Should -BeNullOrEmpty
    }

    It 'Test-DropzoneExoIntegration warns about them without failing' {
        $check = Test-DropzoneExoIntegration -ApplicationId $AppId | Where-Object Check -EQ 'ExpiredCertificates'
        $check.Status | Should -Be 'Warn'
        $check.Detail | Should -Match $Expired.customKeyIdentifier
        $check.Remediation | Should -Match "-RemoveExpiredCertificate"
        Get-Writes | Should -BeNullOrEmpty
    }
}

Describe 'Rotation of the vendor''s certificate' {
    It 'keeps the previous Dropzone AI certificate and gives the exact command to remove it once the vendor has switched' {
        $previous = New-StoredCredential -Name 'Dropzone AI' -From -300 -Until 60
        Use-AppCertificates @($previous)
        $vendor = New-VendorFile
        $summary = Install-DropzoneExoIntegration -ApplicationId $AppId -CertificatePath $vendor.Path
        $summary.Complete | Should -BeTrue
        (Get-App).keyCredentials.keyId | Should -Contain $previous.keyId
        $command = "Remove-DropzoneCertificate -ApplicationId $AppId -Thumbprint $($previous.customKeyIdentifier)"
        $summary.NextSteps | Should -Match ([regex]::Escape($command))
        $summary.NextSteps | Should -Not -Match ([regex]::Escape("-Thumbprint $($vendor.Thumbprint)"))

        Invoke-Expression "$command -Confirm:`$false"
        $keys = @((Get-App).keyCredentials)
        $keys.Count | Should -Be 1
        $keys[0].customKeyIdentifier | Should -Be $vendor.Thumbprint
        (Install-DropzoneExoIntegration -ApplicationId $AppId -CertificatePath $vendor.Path).NextSteps | Should -Not -Match 'Remove-DropzoneCertificate'
    }

    It 'warns within 30 days of the vendor certificate''s expiry' {
        Use-Tenant default
        Install-DropzoneExoIntegration -ApplicationId $AppId -CertificatePath (New-VendorFile -NotAfterDays 20).Path | Out-Null
        (Test-DropzoneExoIntegration -ApplicationId $AppId | Where-Object Check -EQ 'CertificateExpiry').Status | Should -Be 'Warn'
        Test-DropzoneExoIntegration -ApplicationId $AppId -Quiet | Should -BeTrue
    }
}

Describe 'Bounded input' {
    It 'refuses a certificate file over 1 MiB as CertificateInvalid before anything is sent' {
        Use-Tenant default
        $path = Join-Path $Work 'huge.crt'
        $stream = [IO.File]::Create($path)
        try { $stream.SetLength(60MB) } finally { $stream.Dispose() }
        $err = { Install-DropzoneCertificate -ApplicationId $AppId -Path $path -ErrorAction Stop } | Should -Throw -ErrorId 'CertificateInvalid,*' -PassThru
        $err.Exception.Message | Should -Match '60 MiB'
        Get-EmulatorRequestLog -Emulator $Emulator | Should -BeNullOrEmpty
    }
}
