# The whole set-up in one command, its check and its removal, against the tenant emulator and the
# fake ExchangeOnlineManagement: Install-, Test- and Uninstall-DropzoneExoIntegration. Every test that
# reaches Exchange runs under each combination of the emulated Exchange's UNCONFIRMED behaviours
# (Get-ExchangeBehaviour, TestHelpers); Exchange calls are counted from the emulator's request log.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Behaviours = @(Get-ExchangeBehaviour)
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Session = Enter-DropzoneTestSession -Tenant default -Graph -Exchange -Variable Emulator, AppId, ManageAsApp, Work

    $script:Behaviour = $null
    function Use-Tenant([string] $Name) {
        Reset-TestTenant -Emulator $Emulator -Tenant $Name
        if ($script:Behaviour) { Set-ExchangeBehaviour -Emulator $Emulator -Behaviour $script:Behaviour }
    }
    function Get-ExchangeCalls { Get-ExchangeCall -Emulator $Emulator }
    function Get-OurAssignments([string] $ObjectId) { @((Get-ExchangeState -Emulator $Emulator).roleAssignments | Where-Object roleAssigneeName -EQ $ObjectId) }
    function Get-Writes { @(Get-EmulatorRequestLog -Emulator $Emulator -Writes) }
    function Get-TenantJson { Get-EmulatorState -Emulator $Emulator | ConvertTo-Json -Depth 30 }
    function New-VendorCertificate([int] $NotAfterDays = 365) {
        $path = Join-Path $Work ("vendor-{0}.crt" -f [guid]::NewGuid())
        $certificate = New-TestCertificate -Path $path -NotAfter ([DateTimeOffset]::UtcNow.AddDays($NotAfterDays))
        [pscustomobject]@{ Path = $path; Thumbprint = $certificate.Thumbprint }
    }
}

AfterAll { Exit-DropzoneTestSession }

Describe 'Install, Test and Uninstall when <Behaviour>' -ForEach $Behaviours {
    BeforeAll { $script:Behaviour = $Exchange }
    AfterAll { $script:Behaviour = $null }

    Describe 'Install-DropzoneExoIntegration on a fresh tenant' {
        BeforeAll {
            Use-Tenant default
            $script:Vendor = New-VendorCertificate
            $script:Summary = Install-DropzoneExoIntegration -CertificatePath $Vendor.Path -ExpectedThumbprint $Vendor.Thumbprint
            $script:FreshCalls = Get-ExchangeCalls
            $script:State = Get-EmulatorState -Emulator $Emulator
            $script:Sp = $State.servicePrincipals | Where-Object appId -EQ $AppId
        }

        It 'does every step and says so' {
            $Summary.PSObject.TypeNames[0] | Should -Be 'Dropzone.ExoSetup.IntegrationSummary'
            $Summary.Steps.Name | Should -Be @('Certificate', 'ExchangePermission', 'OrganizationId', 'ExchangeServicePrincipal', 'TransportHygiene')
            $Summary.Steps | Where-Object Name -NE 'OrganizationId' | ForEach-Object { $_.Status | Should -Be 'Done' -Because $_.Name }
            $Summary.Complete | Should -BeTrue
        }

        It 'reports the values the vendor UI and support need' {
            $Summary.OrganizationId | Should -Be 'contoso.onmicrosoft.com'
            $Summary.TenantId | Should -Be $State.tenantId
            $Summary.ApplicationId | Should -Be $AppId
            $Summary.ServicePrincipalObjectId | Should -Be $Sp.id
            $Summary.CertificateThumbprint | Should -Be $Vendor.Thumbprint
            $Summary.NextSteps | Should -Match 'Organization ID: contoso.onmicrosoft.com'
        }

        It 'leaves the tenant wired as the vendor procedure asks, the assignment under the module''s name' {
            ($State.applications | Where-Object appId -EQ $AppId).keyCredentials.displayName | Should -Be 'Dropzone AI'
            $State.appRoleAssignments | Where-Object { $_.principalId -eq $Sp.id -and $_.appRoleId -eq $ManageAsApp } | Should -Not -BeNullOrEmpty
            $State.exchange.servicePrincipals.objectId | Should -Be $Sp.id
            $assignment = @($State.exchange.roleAssignments | Where-Object roleAssigneeName -EQ $Sp.id)
            $assignment.Count | Should -Be 1
            $assignment[0].role | Should -Be 'Transport Hygiene'
            $assignment[0].name | Should -Be "Transport Hygiene-$($Sp.id)"
        }

        It 'makes 2 Exchange calls, writing first: one New-ServicePrincipal and one New-ManagementRoleAssignment' {
            $FreshCalls | Should -Be @('New-ServicePrincipal', 'New-ManagementRoleAssignment')
        }

        It 'is AlreadyDone everywhere, writes nothing and makes one Exchange call when run again' {
            Clear-EmulatorRequestLog -Emulator $Emulator
            $again = Install-DropzoneExoIntegration -ApplicationId $AppId -CertificatePath $Vendor.Path
            $again.Steps.Status | Sort-Object -Unique | Should -Be 'AlreadyDone'
            Get-Writes | Should -BeNullOrEmpty
            Get-ExchangeCalls | Should -Be @('Get-ManagementRoleAssignment')
        }

        It 'has Test-DropzoneExoIntegration read Exchange while its Graph read is in flight' {
            # Ordered by the emulator's arrival times: an Exchange call made after the Graph answer
            # would arrive at least the Graph request's delay after it.
            Set-EmulatorLatency -Emulator $Emulator -Milliseconds 600
            try {
                Clear-EmulatorRequestLog -Emulator $Emulator
                Test-DropzoneExoIntegration -ApplicationId $AppId -Quiet | Should -BeTrue
                $log = @(Get-EmulatorRequestLog -Emulator $Emulator)
            } finally {
                Set-EmulatorLatency -Emulator $Emulator -Milliseconds 0
            }
            $graphRead = @($log | Where-Object { $_.path -like '/v1.0*' -and -not $_.inBatch })[0]
            $firstExchange = @($log | Where-Object path -Like '/adminapi/*')[0]
            ([datetime]$firstExchange.time) | Should -BeLessThan ([datetime]$graphRead.time).AddMilliseconds($graphRead.latencyMs)
        }

        It 'passes every check of Test-DropzoneExoIntegration with at most 2 Exchange calls' {
            Clear-EmulatorRequestLog -Emulator $Emulator
            $checks = Test-DropzoneExoIntegration -ApplicationId $AppId -CertificatePath $Vendor.Path
            $checks.Check | Should -Be @('CertificatePresent', 'CertificateExpiry', 'ExpiredCertificates', 'ClientSecretExpiry', 'PermissionRequested', 'ConsentGranted',
                'OtherPermissionsConsent', 'OrganizationId', 'ExchangeServicePrincipal', 'TransportHygiene', 'DropzoneForm')
            $checks | Where-Object Status -NE 'Pass' | Should -BeNullOrEmpty
            @(Get-ExchangeCalls).Count | Should -BeLessOrEqual 2
            Clear-EmulatorRequestLog -Emulator $Emulator
            Test-DropzoneExoIntegration -ApplicationId $AppId -Quiet | Should -BeTrue
            @(Get-ExchangeCalls).Count | Should -BeLessOrEqual 2
        }
    }

    Describe 'Install-DropzoneExoIntegration on a tenant set up by hand or partly' {
        BeforeEach { Use-Tenant default }

        It 'recognises a role assignment made earlier without the module''s name: no New-* call' {
            $vendor = New-VendorCertificate
            $sp = (Install-DropzoneExoIntegration -CertificatePath $vendor.Path -SkipExchange).ServicePrincipalObjectId
            # The vendor's procedure by hand (or an earlier version of the module): no -Name.
            New-ServicePrincipal -AppId $AppId -ObjectId $sp -DisplayName 'Dropzone AI' -ErrorAction Stop | Out-Null
            $byHand = New-ManagementRoleAssignment -App $sp -Role 'Transport Hygiene' -ErrorAction Stop
            Clear-EmulatorRequestLog -Emulator $Emulator
            $summary = Install-DropzoneExoIntegration -CertificatePath $vendor.Path
            $summary.Steps.Status | Sort-Object -Unique | Should -Be 'AlreadyDone'
            ($summary.Steps | Where-Object Name -EQ 'TransportHygiene').Detail | Should -Match ([regex]::Escape($byHand.Name))
            Get-ExchangeCalls | Where-Object { $_ -like 'New-*' } | Should -BeNullOrEmpty
            @(Get-ExchangeCalls).Count | Should -BeLessOrEqual 3
            @(Get-OurAssignments $sp).Count | Should -Be 1
            Test-DropzoneExoIntegration -ApplicationId $AppId -Quiet | Should -BeTrue
        }

        It 'makes 2 Exchange calls where Entra ID has the service principal but needs writes and Exchange has nothing' {
            Use-Tenant customer
            $summary = Install-DropzoneExoIntegration -CertificatePath (New-VendorCertificate).Path
            $summary.Complete | Should -BeTrue
            Get-ExchangeCalls | Should -Be @('New-ServicePrincipal', 'New-ManagementRoleAssignment')
        }

        It 'finishes the Exchange steps after -SkipExchange, one of each' {
            $vendor = New-VendorCertificate
            $sp = (Install-DropzoneExoIntegration -CertificatePath $vendor.Path -SkipExchange).ServicePrincipalObjectId
            $summary = Install-DropzoneExoIntegration -CertificatePath $vendor.Path
            ($summary.Steps | Where-Object Name -In 'ExchangeServicePrincipal', 'TransportHygiene').Status | Should -Be @('Done', 'Done')
            @(Get-ExchangeCalls | Where-Object { $_ -like 'New-*' }) | Should -Be @('New-ServicePrincipal', 'New-ManagementRoleAssignment')
            @(Get-OurAssignments $sp).Count | Should -Be 1
        }
    }

    Describe 'Install-DropzoneExoIntegration''s Exchange calls on each shape of tenant' {
        BeforeAll {
            function Initialize-Shape([string] $Shape) {
                $script:ShapeVendor = New-VendorCertificate
                Initialize-TenantShape -Emulator $Emulator -AppId $AppId -Shape $Shape -SetUp { Install-DropzoneExoIntegration -CertificatePath $ShapeVendor.Path } `
                    -AfterReset { if ($script:Behaviour) { Set-ExchangeBehaviour -Emulator $Emulator -Behaviour $script:Behaviour } }
                Clear-EmulatorRequestLog -Emulator $Emulator
            }
        }

        It 'makes <Calls> on a tenant that is <Shape>' -ForEach @(
            @{ Shape = 'portal app'; Calls = 'New-ServicePrincipal, New-ManagementRoleAssignment' }
            @{ Shape = 'app only'; Calls = 'New-ServicePrincipal, New-ManagementRoleAssignment' }
            @{ Shape = 'done'; Calls = 'Get-ManagementRoleAssignment' }
            @{ Shape = 'Entra done / Exchange empty'; Calls = 'Get-ManagementRoleAssignment, New-ServicePrincipal, New-ManagementRoleAssignment' }
            @{ Shape = 'Exchange done / Entra empty'; Calls = 'New-ServicePrincipal, Get-ServicePrincipal, Get-ManagementRoleAssignment' }) {
            Initialize-Shape $Shape
            $summary = Install-DropzoneExoIntegration -CertificatePath $ShapeVendor.Path
            $summary.Complete | Should -BeTrue
            (Get-ExchangeCalls) -join ', ' | Should -Be $Calls
            $sp = $summary.ServicePrincipalObjectId
            @((Get-ExchangeState -Emulator $Emulator).servicePrincipals | Where-Object objectId -EQ $sp).Count | Should -Be 1
            @(Get-OurAssignments $sp).Count | Should -Be 1
            Test-DropzoneExoIntegration -ApplicationId $AppId -CertificatePath $ShapeVendor.Path -Quiet | Should -BeTrue
        }

        It 'still reads before it plans under -WhatIf, and writes nothing' {
            Initialize-Shape 'Entra done / Exchange empty'
            Install-DropzoneExoIntegration -CertificatePath $ShapeVendor.Path -WhatIf
            Get-ExchangeCalls | Where-Object { $_ -like 'New-*' } | Should -BeNullOrEmpty
            Get-ExchangeCalls | Should -Be @('Get-ManagementRoleAssignment', 'Get-ServicePrincipal')
            Initialize-Shape 'app only'
            Install-DropzoneExoIntegration -CertificatePath $ShapeVendor.Path -WhatIf
            Get-ExchangeCalls | Should -Be @('Get-ServicePrincipal')
            Get-Writes | Should -BeNullOrEmpty
        }
    }

    Describe 'Install-DropzoneExoIntegration runs Exchange beside Entra ID' {
        BeforeEach { Use-Tenant default }
        AfterEach { Set-EmulatorReplicationDelay -Emulator $Emulator -Seconds 0 -ExchangeSeconds -1 }

        It 'makes both Exchange writes while Entra ID still refuses consent to the new service principal' {
            # Consent is refused for 1.5 s after the service principal's creation; Exchange sees it at once.
            Set-EmulatorReplicationDelay -Emulator $Emulator -Seconds 1.5 -ExchangeSeconds 0
            $summary = Install-DropzoneExoIntegration -CertificatePath (New-VendorCertificate).Path -TimeoutSeconds 60
            $summary.Complete | Should -BeTrue
            $log = @(Get-EmulatorRequestLog -Emulator $Emulator)
            $consented = @($log | Where-Object { $_.method -eq 'POST' -and $_.path -like '*/appRoleAssignedTo' -and $_.status -eq 201 })
            $consented.Count | Should -Be 1
            $refused = @($log | Where-Object { $_.method -eq 'POST' -and $_.path -like '*/appRoleAssignedTo' -and $_.status -eq 400 })
            $refused.Count | Should -BeGreaterThan 0
            $exchangeWrites = @($log | Where-Object { $_.path -like '/adminapi/*' -and $_.detail -like 'New-*' })
            $exchangeWrites.Count | Should -Be 2
            $exchangeWrites | ForEach-Object { [datetime]$_.time | Should -BeLessThan ([datetime]$consented[0].time) }
        }

        It 'shares one -TimeoutSeconds between the halves: an Exchange lag past it fails the Exchange half only' {
            Set-EmulatorReplicationDelay -Emulator $Emulator -Seconds 0 -ExchangeSeconds 30
            $summary = Install-DropzoneExoIntegration -CertificatePath (New-VendorCertificate).Path -TimeoutSeconds 1 -ErrorAction SilentlyContinue -ErrorVariable failed
            ($summary.Steps | Where-Object Name -In 'Certificate', 'ExchangePermission').Status | Should -Be @('Done', 'Done')
            $failedStep = if ($ReplicationLagAt -eq 'NewManagementRoleAssignment') { 'TransportHygiene' } else { 'ExchangeServicePrincipal' }
            ($summary.Steps | Where-Object Name -EQ $failedStep).Status | Should -Be 'Failed'
            $summary.NextSteps | Should -Match 'Exchange Online'
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'ExchangeReplicationTimeout*'
        }
    }

    Describe 'Install-DropzoneExoIntegration waits out replication' {
        BeforeEach { Use-Tenant default }

        It 'completes after 2 replication failures of <Cmdlet>, nothing duplicated' -ForEach @(@{ Cmdlet = 'New-ServicePrincipal' }, @{ Cmdlet = 'New-ManagementRoleAssignment' }) {
            Add-ExchangeFault -Emulator $Emulator -Cmdlet $Cmdlet -Kind Replication -Count 2 | Out-Null
            $summary = Install-DropzoneExoIntegration -CertificatePath (New-VendorCertificate).Path -TimeoutSeconds 60
            $summary.Complete | Should -BeTrue
            @(Get-ExchangeCalls | Where-Object { $_ -eq $Cmdlet }).Count | Should -Be 3
            $exchange = Get-ExchangeState -Emulator $Emulator
            @($exchange.servicePrincipals).Count | Should -Be 1
            @(Get-OurAssignments $summary.ServicePrincipalObjectId).Count | Should -Be 1
        }

        It 'completes when the new service principal reaches Exchange late (the lag hits the cmdlet the behaviour says)' {
            Set-EmulatorReplicationDelay -Emulator $Emulator -ServicePrincipalReads 2
            $summary = Install-DropzoneExoIntegration -CertificatePath (New-VendorCertificate).Path -TimeoutSeconds 60
            $summary.Complete | Should -BeTrue
            $lagging = @{ NewServicePrincipal = 'New-ServicePrincipal'; NewManagementRoleAssignment = 'New-ManagementRoleAssignment' }[$script:Behaviour.ReplicationLagAt]
            @(Get-ExchangeCalls | Where-Object { $_ -eq $lagging }).Count | Should -BeGreaterThan 1
            @((Get-ExchangeState -Emulator $Emulator).servicePrincipals).Count | Should -Be 1
            @(Get-OurAssignments $summary.ServicePrincipalObjectId).Count | Should -Be 1
        }
    }

    Describe 'Install-DropzoneExoIntegration when things go wrong' {
        BeforeEach { Use-Tenant default }
        AfterEach {
            if (-not (Get-Command Get-ConnectionInformation -ErrorAction SilentlyContinue) -or -not (Get-ConnectionInformation)) { Connect-TestExchange -Emulator $Emulator | Out-Null }
        }

        It 'refuses to start without an Exchange session, before writing anything' {
            Disconnect-ExchangeOnline -Confirm:$false
            $err = { Install-DropzoneExoIntegration -CertificatePath (New-VendorCertificate).Path -ErrorAction Stop } | Should -Throw -ErrorId 'ExchangeNotConnected,*' -PassThru
            $err.ErrorDetails.RecommendedAction | Should -Match 'Connect-ExchangeOnline -UserPrincipalName admin@contoso\.onmicrosoft\.com'
            Get-EmulatorRequestLog -Emulator $Emulator | Should -BeNullOrEmpty
        }

        It 'stops at a failing step with its error, then a re-run completes' {
            Add-ExchangeFault -Emulator $Emulator -Cmdlet New-ManagementRoleAssignment -Kind Error -Message 'The Exchange service is busy.' | Out-Null
            $vendor = New-VendorCertificate
            $summary = Install-DropzoneExoIntegration -CertificatePath $vendor.Path -ErrorAction SilentlyContinue -ErrorVariable failures
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'ExchangeCommandFailed,*'
            $failures[0].Exception.Message | Should -Match 'The Exchange service is busy'
            @($summary.Steps | Where-Object Name -In 'Certificate', 'ExchangePermission', 'ExchangeServicePrincipal').Status | Sort-Object -Unique | Should -Be 'Done'
            ($summary.Steps | Where-Object Name -EQ 'TransportHygiene').Status | Should -Be 'Failed'
            $summary.NextSteps | Should -Match 'run Install-DropzoneExoIntegration again'

            $resumed = Install-DropzoneExoIntegration -CertificatePath $vendor.Path
            @($resumed.Steps | Where-Object Name -NE 'TransportHygiene').Status | Sort-Object -Unique | Should -Be 'AlreadyDone'
            ($resumed.Steps | Where-Object Name -EQ 'TransportHygiene').Status | Should -Be 'Done'
            Test-DropzoneExoIntegration -ApplicationId $AppId -Quiet | Should -BeTrue
        }

        It 'does the Graph steps only with -SkipExchange and says what remains' {
            $summary = Install-DropzoneExoIntegration -CertificatePath (New-VendorCertificate).Path -SkipExchange
            @($summary.Steps | Where-Object Name -In 'ExchangeServicePrincipal', 'TransportHygiene').Status | Sort-Object -Unique | Should -Be 'Skipped'
            $summary.NextSteps | Should -Match 'Connect-ExchangeOnline -UserPrincipalName admin@contoso\.onmicrosoft\.com'
            Get-EmulatorRequestLog -Emulator $Emulator | Where-Object path -Like '/adminapi/*' | Should -BeNullOrEmpty
        }

        It 'writes nothing with -WhatIf, Graph or Exchange' {
            Install-DropzoneExoIntegration -CertificatePath (New-VendorCertificate).Path -WhatIf | Should -BeNullOrEmpty
            Get-Writes | Should -BeNullOrEmpty
        }

        It 'refuses a wrong certificate before reading or writing anything' {
            $vendor = New-VendorCertificate
            { Install-DropzoneExoIntegration -CertificatePath $vendor.Path -ExpectedThumbprint ('0' * 40) -ErrorAction Stop } | Should -Throw -ErrorId 'CertificateThumbprintMismatch,*'
            Get-EmulatorRequestLog -Emulator $Emulator | Should -BeNullOrEmpty
        }

        It 'says ApplicationAmbiguous when two apps are named "Dropzone AI"' {
            Use-Tenant twoapps
            { Install-DropzoneExoIntegration -CertificatePath (New-VendorCertificate).Path -ErrorAction Stop } | Should -Throw -ErrorId 'ApplicationAmbiguous,*'
            Get-Writes | Should -BeNullOrEmpty
        }
    }

    Describe 'Test-DropzoneExoIntegration on set-ups that are not right' {
        BeforeEach { Use-Tenant default }

        It 'fails the consent check when consent was removed, and -Quiet says $false' {
            Install-DropzoneExoIntegration -CertificatePath (New-VendorCertificate).Path | Out-Null
            $state = Get-EmulatorState -Emulator $Emulator
            $state.appRoleAssignments = @($state.appRoleAssignments | Where-Object appRoleId -NE $ManageAsApp)
            Set-EmulatorState -Emulator $Emulator -State $state
            # Removed later, by someone else: a new session, which did not just grant it.
            Connect-TestGraph -Emulator $Emulator | Out-Null
            $consent = Test-DropzoneExoIntegration -ApplicationId $AppId | Where-Object Check -EQ 'ConsentGranted'
            $consent.Status | Should -Be 'Fail'
            $consent.Remediation | Should -Match 'Grant-DropzoneExoPermission'
            Test-DropzoneExoIntegration -ApplicationId $AppId -Quiet | Should -BeFalse
        }

        It 'warns about a certificate that expires within 30 days' {
            Install-DropzoneExoIntegration -CertificatePath (New-VendorCertificate -NotAfterDays 10).Path | Out-Null
            $expiry = Test-DropzoneExoIntegration -ApplicationId $AppId | Where-Object Check -EQ 'CertificateExpiry'
            $expiry.Status | Should -Be 'Warn'
            $expiry.Detail | Should -Match '(9|10) days left'
            Test-DropzoneExoIntegration -ApplicationId $AppId -Quiet | Should -BeTrue
        }

        It 'fails every missing step on a tenant where nothing is done' {
            $failed = Test-DropzoneExoIntegration -ApplicationId $AppId | Where-Object Status -EQ 'Fail'
            $failed.Check | Should -Be @('CertificatePresent', 'PermissionRequested', 'ConsentGranted', 'ExchangeServicePrincipal', 'TransportHygiene')
            Get-Writes | Should -BeNullOrEmpty
        }

        It 'skips the Exchange checks, with the reason, without an Exchange session' {
            Disconnect-ExchangeOnline -Confirm:$false
            try {
                $skipped = Test-DropzoneExoIntegration -ApplicationId $AppId | Where-Object Status -EQ 'Skipped' | Where-Object Check -Like '*Exchange*'
                $skipped.Detail | Should -Match 'Not connected to Exchange Online'
            } finally {
                Connect-TestExchange -Emulator $Emulator | Out-Null
            }
        }
    }

    Describe 'Uninstall-DropzoneExoIntegration' {
        It 'restores the <Tenant> tenant exactly after Install' -ForEach @(@{ Tenant = 'default' }, @{ Tenant = 'customer' }) {
            Use-Tenant $Tenant
            $before = Get-TenantJson
            Install-DropzoneExoIntegration -CertificatePath (New-VendorCertificate).Path | Out-Null
            (Get-TenantJson) | Should -Not -Be $before
            $removed = Uninstall-DropzoneExoIntegration -ApplicationId $AppId -Confirm:$false
            $removed.Steps | Where-Object Status -EQ 'Failed' | Should -BeNullOrEmpty
            Get-TenantJson | Should -BeExactly $before
        }

        It 'keeps the certificate with -KeepCertificate and writes nothing with -WhatIf' {
            Use-Tenant default
            $vendor = New-VendorCertificate
            Install-DropzoneExoIntegration -CertificatePath $vendor.Path | Out-Null
            Clear-EmulatorRequestLog -Emulator $Emulator
            Uninstall-DropzoneExoIntegration -ApplicationId $AppId -WhatIf | Should -BeNullOrEmpty
            Get-Writes | Should -BeNullOrEmpty
            Uninstall-DropzoneExoIntegration -ApplicationId $AppId -KeepCertificate -Confirm:$false | Out-Null
            (Get-EmulatorState -Emulator $Emulator).applications | Where-Object appId -EQ $AppId | ForEach-Object { $_.keyCredentials.customKeyIdentifier } | Should -Be $vendor.Thumbprint
        }

        It 'refuses to start without an Exchange session (unless -SkipExchange) and removes nothing' {
            Use-Tenant default
            Install-DropzoneExoIntegration -CertificatePath (New-VendorCertificate).Path | Out-Null
            Disconnect-ExchangeOnline -Confirm:$false
            try {
                Clear-EmulatorRequestLog -Emulator $Emulator
                { Uninstall-DropzoneExoIntegration -ApplicationId $AppId -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'ExchangeNotConnected,*'
                Get-Writes | Should -BeNullOrEmpty
            } finally {
                Connect-TestExchange -Emulator $Emulator | Out-Null
            }
        }

        It 'removes a role assignment made by hand too' {
            Use-Tenant default
            $sp = (Install-DropzoneExoIntegration -CertificatePath (New-VendorCertificate).Path -SkipExchange).ServicePrincipalObjectId
            New-ServicePrincipal -AppId $AppId -ObjectId $sp -DisplayName 'Dropzone AI' -ErrorAction Stop | Out-Null
            New-ManagementRoleAssignment -App $sp -Role 'Transport Hygiene' -ErrorAction Stop | Out-Null
            $removed = Uninstall-DropzoneExoIntegration -ApplicationId $AppId -Confirm:$false
            ($removed.Steps | Where-Object Name -EQ 'TransportHygiene').Status | Should -Be 'Done'
            Get-OurAssignments $sp | Should -BeNullOrEmpty
            (Get-ExchangeState -Emulator $Emulator).servicePrincipals | Should -BeNullOrEmpty
        }
    }
}

Describe 'Uninstall-DropzoneExoIntegration, whatever Exchange does' {
    It 'asks before removing (ConfirmImpact High)' {
        (Get-Command Uninstall-DropzoneExoIntegration).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false).ConfirmImpact | Should -Be 'High'
    }
}
