# What an admin meets in Exchange Online on a real tenant, beyond the happy path: a dehydrated
# organisation (role changes refused until Enable-OrganizationCustomization), a session whose token
# lapsed mid-run, and a second admin who registers the service principal between the module's read
# and its New-ServicePrincipal. The Exchange answers are injected with the emulator's Exchange faults
# (Add-ExchangeFault); their wordings and sources are beside the module's classification
# (src/Dropzone.ExoSetup.Engine/Exchange/ExchangeErrorText.cs).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Session = Enter-DropzoneTestSession -Tenant default -Graph -Exchange -Variable Emulator, AppId, Work

    # Captured from a dehydrated tenant (Azure/SimuLand issue 17; FailureCategory
    # Cmdlet-InvalidOperationInDehydratedContextException).
    $script:Dehydrated = "The command you tried to run isn't currently allowed in your organization. To run this command, you first need to run the command: Enable-OrganizationCustomization."
    # ExchangeOnlineManagement 3.x once its session's token lapsed (wording from its issue threads).
    $script:Expired = 'Token has expired. Please run Connect-ExchangeOnline again.'

    function New-VendorCertificate {
        $path = Join-Path $Work ("vendor-{0}.crt" -f [guid]::NewGuid())
        $certificate = New-TestCertificate -Path $path
        [pscustomobject]@{ Path = $path; Thumbprint = $certificate.Thumbprint }
    }
    function Get-TenantState { Get-EmulatorState -Emulator $Emulator }
    function Get-OurSp { (Get-TenantState).servicePrincipals | Where-Object appId -EQ $AppId }
}

AfterAll { Exit-DropzoneTestSession }

Describe 'A dehydrated tenant' {
    BeforeAll {
        Reset-TestTenant -Emulator $Emulator -Tenant default
        $script:Vendor = New-VendorCertificate
        $script:Before = Get-TenantState
        Add-ExchangeFault -Emulator $Emulator -Cmdlet New-ManagementRoleAssignment -Kind Error -Message $Dehydrated `
            -ExceptionType 'Microsoft.Exchange.Management.Tasks.InvalidOperationInDehydratedContextException' -Count 100 | Out-Null
        $script:Summary = Install-DropzoneExoIntegration -CertificatePath $Vendor.Path -ExpectedThumbprint $Vendor.Thumbprint -ErrorAction SilentlyContinue -ErrorVariable failures
        $script:Failures = $failures
        $script:After = Get-TenantState
    }

    It 'fails the Transport Hygiene step under its own ErrorId' {
        $Failures[0].FullyQualifiedErrorId | Should -BeLike 'ExchangeOrganizationNotCustomized,*'
        ($Summary.Steps | Where-Object Name -EQ 'TransportHygiene').Status | Should -Be 'Failed'
    }

    It 'tells the admin to run Enable-OrganizationCustomization and then the same command again' {
        $Failures[0].ErrorDetails.RecommendedAction | Should -Match 'Enable-OrganizationCustomization'
        $Failures[0].ErrorDetails.RecommendedAction | Should -Match 'never runs it'
        $Failures[0].ErrorDetails.RecommendedAction | Should -Match 'same command again'
    }

    It 'keeps the Entra steps and the Exchange service principal, and loses nothing the tenant had' {
        @($Summary.Steps | Where-Object Name -In 'Certificate', 'ExchangePermission', 'ExchangeServicePrincipal').Status | Sort-Object -Unique | Should -Be 'Done'
        $sp = Get-OurSp
        $After.exchange.servicePrincipals.objectId | Should -Contain $sp.id
        $beforeApp = $Before.applications | Where-Object appId -EQ $AppId
        $afterApp = $After.applications | Where-Object appId -EQ $AppId
        foreach ($key in $beforeApp.keyCredentials) { $afterApp.keyCredentials.keyId | Should -Contain $key.keyId }
        @($After.exchange.roleAssignments).Count | Should -Be @($Before.exchange.roleAssignments).Count
    }

    It 'completes with the same command once the organisation is customised' {
        Clear-ExchangeFault -Emulator $Emulator
        $resumed = Install-DropzoneExoIntegration -CertificatePath $Vendor.Path -ExpectedThumbprint $Vendor.Thumbprint
        @($resumed.Steps | Where-Object Name -NE 'TransportHygiene').Status | Sort-Object -Unique | Should -Be 'AlreadyDone'
        ($resumed.Steps | Where-Object Name -EQ 'TransportHygiene').Status | Should -Be 'Done'
        Test-DropzoneExoIntegration -ApplicationId $AppId -Quiet | Should -BeTrue
    }

    It 'fails New-DropzoneExoRoleAssignment alone under the same ErrorId' {
        Reset-TestTenant -Emulator $Emulator -Tenant default
        Get-DropzoneApplication | Grant-DropzoneExoPermission | Out-Null
        Get-DropzoneApplication | New-DropzoneExoServicePrincipal | Out-Null
        Add-ExchangeFault -Emulator $Emulator -Cmdlet New-ManagementRoleAssignment -Kind Error -Message $Dehydrated | Out-Null
        Get-DropzoneApplication | New-DropzoneExoRoleAssignment -ErrorAction SilentlyContinue -ErrorVariable failed | Out-Null
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ExchangeOrganizationNotCustomized,*'
        Clear-ExchangeFault -Emulator $Emulator
    }
}

Describe 'An Exchange session that expires mid-run' {
    BeforeAll {
        Reset-TestTenant -Emulator $Emulator -Tenant default
        $script:Vendor = New-VendorCertificate
        # The token lapses after New-ServicePrincipal: the role assignment is the first call refused.
        Add-ExchangeFault -Emulator $Emulator -Cmdlet New-ManagementRoleAssignment -Kind Error -Message $Expired -Status 401 | Out-Null
        $script:Summary = Install-DropzoneExoIntegration -CertificatePath $Vendor.Path -ErrorAction SilentlyContinue -ErrorVariable failures
        $script:Failures = $failures
    }

    It 'stops under its own ErrorId' {
        $Failures[0].FullyQualifiedErrorId | Should -BeLike 'ExchangeSessionExpired,*'
        ($Summary.Steps | Where-Object Name -EQ 'TransportHygiene').Status | Should -Be 'Failed'
    }

    It 'gives the reconnect command and says the same command resumes' {
        $Failures[0].ErrorDetails.RecommendedAction | Should -Match 'Connect-ExchangeOnline -UserPrincipalName'
        $Failures[0].ErrorDetails.RecommendedAction | Should -Match 'same command again: it resumes'
    }

    It 'resumes after reconnecting, the finished steps AlreadyDone' {
        Disconnect-TestExchange
        $null = Connect-TestExchange -Emulator $Emulator
        $resumed = Install-DropzoneExoIntegration -CertificatePath $Vendor.Path
        @($resumed.Steps | Where-Object Name -NE 'TransportHygiene').Status | Sort-Object -Unique | Should -Be 'AlreadyDone'
        ($resumed.Steps | Where-Object Name -EQ 'TransportHygiene').Status | Should -Be 'Done'
        Test-DropzoneExoIntegration -ApplicationId $AppId -Quiet | Should -BeTrue
    }

    It 'is told apart in Test-DropzoneExoIntegration too' {
        Add-ExchangeFault -Emulator $Emulator -Cmdlet '*' -Kind Error -Message $Expired -Status 401 -Count 10 | Out-Null
        Test-DropzoneExoIntegration -ApplicationId $AppId -ErrorAction SilentlyContinue -ErrorVariable failed | Out-Null
        Clear-ExchangeFault -Emulator $Emulator
        $failed.FullyQualifiedErrorId | Should -BeLike 'ExchangeSessionExpired,*'
    }
}

Describe 'A second admin registers the service principal meanwhile' {
    BeforeAll {
        Reset-TestTenant -Emulator $Emulator -Tenant default
        $script:Vendor = New-VendorCertificate
        Add-ExchangeFault -Emulator $Emulator -Cmdlet New-ServicePrincipal -Kind SecondAdmin | Out-Null
        $script:Summary = Install-DropzoneExoIntegration -CertificatePath $Vendor.Path -ErrorVariable failures
        $script:Failures = $failures
    }

    It 'takes Exchange''s "already exists" as AlreadyDone and goes on to the role assignment' {
        $Failures | Should -BeNullOrEmpty
        ($Summary.Steps | Where-Object Name -EQ 'ExchangeServicePrincipal').Status | Should -Be 'AlreadyDone'
        ($Summary.Steps | Where-Object Name -EQ 'TransportHygiene').Status | Should -Be 'Done'
        $Summary.Complete | Should -BeTrue
    }

    It 'leaves one Exchange service principal, and Test- passes' {
        @((Get-TenantState).exchange.servicePrincipals | Where-Object appId -EQ $AppId).Count | Should -Be 1
        Test-DropzoneExoIntegration -ApplicationId $AppId -Quiet | Should -BeTrue
    }

    It 'does the same for New-DropzoneExoServicePrincipal alone' {
        Reset-TestTenant -Emulator $Emulator -Tenant default
        Get-DropzoneApplication | Grant-DropzoneExoPermission | Out-Null
        Add-ExchangeFault -Emulator $Emulator -Cmdlet New-ServicePrincipal -Kind SecondAdmin | Out-Null
        $result = Get-DropzoneApplication | New-DropzoneExoServicePrincipal -ErrorVariable failed
        $failed | Should -BeNullOrEmpty
        $result | Should -Not -BeNullOrEmpty
        @((Get-TenantState).exchange.servicePrincipals | Where-Object appId -EQ $AppId).Count | Should -Be 1
    }
}

Describe 'Advice for the Exchange sign-in in and out of Azure Cloud Shell' {
    BeforeAll {
        Reset-TestTenant -Emulator $Emulator -Tenant default
        $script:Vendor = New-VendorCertificate
        $script:SavedCloud, $script:SavedTid = $env:ACC_CLOUD, $env:ACC_TID
        function Get-Advice {
            # Every piece of advice the module gives without an Exchange session: the error of a run
            # that needs Exchange, and the summary of one that skips it.
            Disconnect-TestExchange
            Install-DropzoneExoIntegration -CertificatePath $Vendor.Path -ErrorAction SilentlyContinue -ErrorVariable failed | Out-Null
            $skipped = Install-DropzoneExoIntegration -CertificatePath $Vendor.Path -SkipExchange
            @(
                $failed[0].Exception.Message
                $failed[0].ErrorDetails.RecommendedAction
                $skipped.NextSteps
                @($skipped.Steps | Where-Object Status -EQ 'Skipped').Detail
            ) -join "`n"
        }
    }

    AfterAll {
        $env:ACC_CLOUD, $env:ACC_TID = $SavedCloud, $SavedTid
        Disconnect-TestExchange
        $null = Connect-TestExchange -Emulator $Emulator
    }

    It 'names bare Connect-ExchangeOnline in Cloud Shell, never -UserPrincipalName or -Organization' {
        $env:ACC_CLOUD = 'AzureCloud'; $env:ACC_TID = $Session.TenantId
        $advice = Get-Advice
        $advice | Should -Match 'Connect-ExchangeOnline'
        $advice | Should -Not -Match 'UserPrincipalName'
        $advice | Should -Not -Match '-Organization'
        $advice | Should -Not -Match '-Device'
    }

    It 'names Connect-ExchangeOnline -UserPrincipalName with the Graph account elsewhere' {
        $env:ACC_CLOUD = $null; $env:ACC_TID = $null
        Get-Advice | Should -Match 'Connect-ExchangeOnline -UserPrincipalName admin@contoso\.onmicrosoft\.com'
    }

    It 'in Cloud Shell, the fake refuses what the real module refuses there, and the advised command works' {
        $env:ACC_CLOUD = 'AzureCloud'; $env:ACC_TID = $Session.TenantId
        $null = Import-FakeExchangeModule -Emulator $Emulator
        { Connect-ExchangeOnline -UserPrincipalName admin@contoso.onmicrosoft.com -ShowBanner:$false } |
            Should -Throw "A parameter cannot be found that matches parameter name 'UserPrincipalName'."
        Connect-ExchangeOnline -ShowBanner:$false
        $summary = Install-DropzoneExoIntegration -CertificatePath $Vendor.Path
        $summary.Complete | Should -BeTrue
        Test-DropzoneExoIntegration -ApplicationId $AppId -Quiet | Should -BeTrue
    }
}
