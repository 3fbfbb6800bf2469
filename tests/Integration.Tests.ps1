# The whole set-up in one command, its check and its removal, against the tenant emulator and the
# fake ExchangeOnlineManagement: Install-, Test- and Uninstall-DropzoneExoIntegration.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:Emulator = Start-TestEmulator -Tenant default
    $script:AppId = [guid]'a7d1c3e5-2b4f-4c6a-9e8d-1f3b5d7a9c2e'
    $script:ManageAsApp = 'dc50a0fb-09a3-484d-be87-e023b12c6440'
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) ("dz-integration-" + [guid]::NewGuid())
    $null = New-Item -ItemType Directory -Path $Work

    function Use-Tenant([string] $Name) { Reset-TestTenant -Emulator $Emulator -Tenant $Name }
    function Get-Writes { @(Get-EmulatorRequestLog -Emulator $Emulator -Writes) }
    function Get-TenantJson { Get-EmulatorState -Emulator $Emulator | ConvertTo-Json -Depth 30 }
    function New-VendorCertificate([int] $NotAfterDays = 365) {
        $path = Join-Path $Work ("vendor-{0}.crt" -f [guid]::NewGuid())
        $certificate = New-TestCertificate -Path $path -NotAfter ([DateTimeOffset]::UtcNow.AddDays($NotAfterDays))
        [pscustomobject]@{ Path = $path; Thumbprint = $certificate.Thumbprint }
    }

    Connect-TestGraph -Emulator $Emulator | Out-Null
    Connect-TestExchange -Emulator $Emulator | Out-Null
}

AfterAll {
    Disconnect-TestExchange
    Disconnect-DropzoneGraph
    Stop-TestEmulator
    Remove-Item -LiteralPath $Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Install-DropzoneExoIntegration on a fresh tenant' {
    BeforeAll {
        Use-Tenant default
        $script:Vendor = New-VendorCertificate
        $script:Summary = Install-DropzoneExoIntegration -CertificatePath $Vendor.Path -ExpectedThumbprint $Vendor.Thumbprint
        $script:State = Get-EmulatorState -Emulator $Emulator
    }

    It 'does every step and says so' {
        $Summary.PSObject.TypeNames[0] | Should -Be 'Dropzone.ExoSetup.IntegrationSummary'
        $Summary.Steps.Name | Should -Be @('Certificate', 'ExchangePermission', 'OrganizationId', 'ExchangeServicePrincipal', 'TransportHygiene')
        $Summary.Steps | Where-Object Name -NE 'OrganizationId' | ForEach-Object { $_.Status | Should -Be 'Done' -Because $_.Name }
        $Summary.Complete | Should -BeTrue
    }

    It 'reports the values the vendor UI and support need' {
        $sp = $State.servicePrincipals | Where-Object appId -EQ $AppId
        $Summary.OrganizationId | Should -Be 'contoso.onmicrosoft.com'
        $Summary.TenantId | Should -Be $State.tenantId
        $Summary.ApplicationId | Should -Be $AppId
        $Summary.ServicePrincipalObjectId | Should -Be $sp.id
        $Summary.CertificateThumbprint | Should -Be $Vendor.Thumbprint
        $Summary.NextSteps | Should -Match 'Organization ID: contoso.onmicrosoft.com'
    }

    It 'leaves the tenant wired as the vendor procedure asks' {
        $sp = $State.servicePrincipals | Where-Object appId -EQ $AppId
        ($State.applications | Where-Object appId -EQ $AppId).keyCredentials.displayName | Should -Be 'Dropzone AI'
        $State.appRoleAssignments | Where-Object { $_.principalId -eq $sp.id -and $_.appRoleId -eq $ManageAsApp } | Should -Not -BeNullOrEmpty
        $State.exchange.servicePrincipals.objectId | Should -Be $sp.id
        ($State.exchange.roleAssignments | Where-Object role -EQ 'Transport Hygiene').roleAssigneeName | Should -Be $sp.id
    }

    It 'is AlreadyDone everywhere and writes nothing when run again' {
        Clear-EmulatorRequestLog -Emulator $Emulator
        $again = Install-DropzoneExoIntegration -ApplicationId $AppId -CertificatePath $Vendor.Path
        $again.Steps.Status | Sort-Object -Unique | Should -Be 'AlreadyDone'
        Get-Writes | Should -BeNullOrEmpty
    }

    It 'passes every check of Test-DropzoneExoIntegration' {
        $checks = Test-DropzoneExoIntegration -ApplicationId $AppId -CertificatePath $Vendor.Path
        $checks.Check | Should -Be @('CertificatePresent', 'CertificateExpiry', 'ExpiredCertificates', 'PermissionRequested', 'ConsentGranted', 'OrganizationId', 'ExchangeServicePrincipal', 'TransportHygiene')
        $checks | Where-Object Status -NE 'Pass' | Should -BeNullOrEmpty
        Test-DropzoneExoIntegration -ApplicationId $AppId -Quiet | Should -BeTrue
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

    It 'asks before removing (ConfirmImpact High)' {
        (Get-Command Uninstall-DropzoneExoIntegration).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false).ConfirmImpact | Should -Be 'High'
    }
}
