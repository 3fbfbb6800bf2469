# The Entra ID steps of the procedure, over real HTTP against the tenant emulator: the app
# registration, its certificates, Exchange.ManageAsApp with consent, and its service principal.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Session = Enter-DropzoneTestSession -Tenant default -Graph -Variable Emulator, AppId, AppObjectId, ManageAsApp, Work
    $script:ExchangeSpId = '3b7c9e21-5d4f-4a8b-9c6e-2f1a0b3c4d5e'

    function Use-Tenant([string] $Name) { Reset-TestTenant -Emulator $Emulator -Tenant $Name }
    function Get-Writes { @(Get-EmulatorRequestLog -Emulator $Emulator -Writes) }
    function Get-App { (Get-EmulatorState -Emulator $Emulator).applications | Where-Object appId -EQ $AppId }
    function New-VendorCertificate([string] $Format = 'Pem', [int] $NotBeforeDays = -1, [int] $NotAfterDays = 365) {
        $path = Join-Path $Work ("vendor-{0}.crt" -f [guid]::NewGuid())
        $certificate = New-TestCertificate -Path $path -Format $Format -NotBefore ([DateTimeOffset]::UtcNow.AddDays($NotBeforeDays)) -NotAfter ([DateTimeOffset]::UtcNow.AddDays($NotAfterDays))
        [pscustomobject]@{ Path = $path; Certificate = $certificate; Thumbprint = $certificate.Thumbprint }
    }
    # The parts of a keyCredential that must survive a write untouched.
    function Get-KeyFingerprint($credential) { '{0}|{1}|{2}|{3}|{4}|{5}|{6}' -f $credential.keyId, $credential.key, $credential.displayName, $credential.startDateTime, $credential.endDateTime, $credential.type, $credential.usage }
}

AfterAll { Exit-DropzoneTestSession }

Describe 'Get-DropzoneApplication' {
    BeforeEach { Use-Tenant default }

    It 'finds the app registration named "Dropzone AI" by default' {
        $app = Get-DropzoneApplication
        $app.PSObject.TypeNames[0] | Should -Be 'Dropzone.ExoSetup.DropzoneApplication'
        $app.ApplicationId | Should -Be $AppId
        $app.ObjectId | Should -Be $AppObjectId
        $app.ServicePrincipalId | Should -BeNullOrEmpty
        $app.Certificates | Should -BeNullOrEmpty
        $app.ExchangePermissionRequested | Should -BeFalse
        $app.ExchangePermissionConsented | Should -BeFalse
    }

    It 'shows an existing app''s certificates and service principal by -ApplicationId' {
        Use-Tenant customer
        $app = Get-DropzoneApplication -ApplicationId $AppId
        $app.ServicePrincipalId | Should -Be '4d6f8a0c-2e4a-4c6e-8a0c-3e5a7c9e1b3d'
        @($app.Certificates).Count | Should -Be 2
        $app.Certificates.Thumbprint | ForEach-Object { $_ | Should -Match '^[0-9A-F]{40}$' }
    }

    It 'says ApplicationNotFound for an unknown id and an unknown name' {
        { Get-DropzoneApplication -ApplicationId ([guid]::NewGuid()) -ErrorAction Stop } | Should -Throw -ErrorId 'ApplicationNotFound,*'
        { Get-DropzoneApplication -DisplayName 'No such app' -ErrorAction Stop } | Should -Throw -ErrorId 'ApplicationNotFound,*'
        Get-Writes | Should -BeNullOrEmpty
    }

    It 'says ApplicationAmbiguous, listing their ids, when two apps share the name' {
        Use-Tenant twoapps
        $ids = (Get-EmulatorState -Emulator $Emulator).applications | Where-Object displayName -EQ 'Dropzone AI' | ForEach-Object appId
        $err = { Get-DropzoneApplication -ErrorAction Stop } | Should -Throw -ErrorId 'ApplicationAmbiguous,*' -PassThru
        foreach ($id in $ids) { $err.Exception.Message | Should -Match $id }
    }
}

Describe 'Install-DropzoneCertificate' {
    BeforeEach { Use-Tenant default }

    It 'adds the vendor certificate with its dates and the portal''s thumbprint' {
        $vendor = New-VendorCertificate
        $result = Install-DropzoneCertificate -ApplicationId $AppId -Path $vendor.Path
        $result.Status | Should -Be 'Added'
        $result.Thumbprint | Should -BeExactly $vendor.Thumbprint.ToUpperInvariant()
        $result.DisplayName | Should -Be 'Dropzone AI'
        $result.NotAfter | Should -Be ([DateTimeOffset]$vendor.Certificate.NotAfter.ToUniversalTime())
        $stored = @((Get-App).keyCredentials)
        $stored.Count | Should -Be 1
        $stored[0].keyId | Should -Be $result.KeyId
        $stored[0].key | Should -Be ([Convert]::ToBase64String($vendor.Certificate.RawData))
        $stored[0].type | Should -Be 'AsymmetricX509Cert'
        $stored[0].usage | Should -Be 'Verify'
        @(Get-Writes).Count | Should -Be 1
    }

    It 'reads <Format> certificate files' -ForEach @(@{ Format = 'Der' }, @{ Format = 'Base64' }) {
        $vendor = New-VendorCertificate -Format $Format
        (Install-DropzoneCertificate -ApplicationId $AppId -Path $vendor.Path).Thumbprint | Should -Be $vendor.Thumbprint
    }

    It 'takes the application from the pipeline and a certificate object' {
        $vendor = New-VendorCertificate
        (Get-DropzoneApplication | Install-DropzoneCertificate -Certificate $vendor.Certificate).Status | Should -Be 'Added'
    }

    It 'keeps every certificate, secret and permission the app already had, byte for byte' {
        Use-Tenant customer
        $before = Get-App
        $vendor = New-VendorCertificate
        Install-DropzoneCertificate -ApplicationId $AppId -Path $vendor.Path | Out-Null
        $after = Get-App
        @($after.keyCredentials).Count | Should -Be (@($before.keyCredentials).Count + 1)
        foreach ($credential in $before.keyCredentials) {
            $kept = $after.keyCredentials | Where-Object keyId -EQ $credential.keyId
            Get-KeyFingerprint $kept | Should -BeExactly (Get-KeyFingerprint $credential)
        }
        ($after.passwordCredentials | ConvertTo-Json -Depth 5) | Should -BeExactly ($before.passwordCredentials | ConvertTo-Json -Depth 5)
        ($after.requiredResourceAccess | ConvertTo-Json -Depth 5) | Should -BeExactly ($before.requiredResourceAccess | ConvertTo-Json -Depth 5)
    }

    It 'writes nothing when the certificate is already there' {
        $vendor = New-VendorCertificate
        $first = Install-DropzoneCertificate -ApplicationId $AppId -Path $vendor.Path
        Clear-EmulatorRequestLog -Emulator $Emulator
        $second = Install-DropzoneCertificate -ApplicationId $AppId -Path $vendor.Path
        $second.Status | Should -Be 'AlreadyInstalled'
        $second.KeyId | Should -Be $first.KeyId
        Get-Writes | Should -BeNullOrEmpty
    }

    It 'writes nothing with -WhatIf' {
        $vendor = New-VendorCertificate
        Install-DropzoneCertificate -ApplicationId $AppId -Path $vendor.Path -WhatIf | Should -BeNullOrEmpty
        Get-Writes | Should -BeNullOrEmpty
        (Get-App).keyCredentials | Should -BeNullOrEmpty
    }

    It 'warns about a certificate that is not valid yet, and adds it' {
        $vendor = New-VendorCertificate -NotBeforeDays 2
        $result = Install-DropzoneCertificate -ApplicationId $AppId -Path $vendor.Path -WarningVariable warnings -WarningAction SilentlyContinue
        $result.Status | Should -Be 'Added'
        $warnings | Should -Match 'not valid before'
    }

    It 'waits out a 429 on the PATCH and applies it once' {
        Add-EmulatorFault -Emulator $Emulator -Method PATCH -Path "/v1.0/applications/*" -Status 429 -RetryAfterSeconds 1
        $vendor = New-VendorCertificate
        (Install-DropzoneCertificate -ApplicationId $AppId -Path $vendor.Path).Status | Should -Be 'Added'
        @(Get-Writes).status | Should -Be @(429, 204)
        @((Get-App).keyCredentials).Count | Should -Be 1
    }

    It 'refuses <Case> with <ErrorId> before sending anything' -ForEach @(
        @{ Case = 'a missing file'; ErrorId = 'CertificateFileNotFound'; Make = { Join-Path $Work 'missing.crt' } }
        @{ Case = 'a file that is not a certificate'; ErrorId = 'CertificateInvalid'; Make = { $p = Join-Path $Work 'notes.crt'; Set-Content $p 'just some text'; $p } }
        @{ Case = 'a PFX'; ErrorId = 'CertificateHasPrivateKey'; Make = { $p = Join-Path $Work 'bundle.pfx'; New-TestCertificate -Path $p -Format Pfx | Out-Null; $p } }
        @{ Case = 'a PEM with a private key'; ErrorId = 'CertificateHasPrivateKey'; Make = { $p = Join-Path $Work 'withkey.pem'; New-TestCertificate -Path $p -Format PemWithPrivateKey | Out-Null; $p } }
        @{ Case = 'an expired certificate'; ErrorId = 'CertificateExpired'; Make = { (New-VendorCertificate -NotBeforeDays -400 -NotAfterDays -1).Path } }
    ) {
        $path = & $Make
        Clear-EmulatorRequestLog -Emulator $Emulator
        { Install-DropzoneCertificate -ApplicationId $AppId -Path $path -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId,*"
        Get-EmulatorRequestLog -Emulator $Emulator | Should -BeNullOrEmpty
    }

    It 'refuses a thumbprint other than the expected one, naming both' {
        $vendor = New-VendorCertificate
        $other = (New-TestCertificate).Thumbprint
        $err = { Install-DropzoneCertificate -ApplicationId $AppId -Path $vendor.Path -ExpectedThumbprint $other -ErrorAction Stop } |
            Should -Throw -ErrorId 'CertificateThumbprintMismatch,*' -PassThru
        $err.Exception.Message | Should -Match $vendor.Thumbprint
        Get-EmulatorRequestLog -Emulator $Emulator | Should -BeNullOrEmpty
    }

    It 'accepts the expected thumbprint as the vendor UI shows it' {
        $vendor = New-VendorCertificate
        $shown = ($vendor.Thumbprint.ToLowerInvariant() -split '(..)' | Where-Object { $_ }) -join ':'
        (Install-DropzoneCertificate -ApplicationId $AppId -Path $vendor.Path -ExpectedThumbprint $shown).Status | Should -Be 'Added'
    }

    It 'says ApplicationNotFound for an unknown app and writes nothing' {
        $vendor = New-VendorCertificate
        { Install-DropzoneCertificate -ApplicationId ([guid]::NewGuid()) -Path $vendor.Path -ErrorAction Stop } | Should -Throw -ErrorId 'ApplicationNotFound,*'
        Get-Writes | Should -BeNullOrEmpty
    }

    It 'refuses a malformed ApplicationId before anything is sent' {
        $vendor = New-VendorCertificate
        { Install-DropzoneCertificate -ApplicationId 'not-a-guid' -Path $vendor.Path -ErrorAction Stop } | Should -Throw -ErrorId 'CannotConvertArgumentNoMessage,*'
        Get-EmulatorRequestLog -Emulator $Emulator | Should -BeNullOrEmpty
    }
}

Describe 'Get-DropzoneCertificate and Remove-DropzoneCertificate' {
    BeforeEach { Use-Tenant customer }

    It 'lists the certificates with thumbprints and days left' {
        $certificates = Get-DropzoneCertificate -ApplicationId $AppId
        @($certificates).Count | Should -Be 2
        foreach ($c in $certificates) {
            $c.PSObject.TypeNames[0] | Should -Be 'Dropzone.ExoSetup.DropzoneCertificate'
            $c.DaysLeft | Should -Be ([math]::Floor(($c.NotAfter - [DateTimeOffset]::UtcNow).TotalDays))
        }
    }

    It 'removes one certificate by thumbprint and keeps the others byte for byte' {
        $before = Get-App
        $vendor = New-VendorCertificate
        Install-DropzoneCertificate -ApplicationId $AppId -Path $vendor.Path | Out-Null
        Remove-DropzoneCertificate -ApplicationId $AppId -Thumbprint $vendor.Thumbprint -Confirm:$false
        $after = Get-App
        @($after.keyCredentials | ForEach-Object { Get-KeyFingerprint $_ }) | Should -Be @($before.keyCredentials | ForEach-Object { Get-KeyFingerprint $_ })
    }

    It 'removes by KeyId from the pipeline and returns it with -PassThru' {
        $victim = Get-DropzoneCertificate -ApplicationId $AppId | Select-Object -First 1
        $removed = $victim | Remove-DropzoneCertificate -Confirm:$false -PassThru
        $removed.KeyId | Should -Be $victim.KeyId
        (Get-App).keyCredentials.keyId | Should -Not -Contain $victim.KeyId.ToString()
        @((Get-App).keyCredentials).Count | Should -Be 1
    }

    It 'says CertificateNotFound for a thumbprint that is not there, and -WhatIf writes nothing' {
        { Remove-DropzoneCertificate -ApplicationId $AppId -Thumbprint ('AB' * 20) -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'CertificateNotFound,*'
        Get-DropzoneCertificate -ApplicationId $AppId | Select-Object -First 1 | Remove-DropzoneCertificate -WhatIf
        Get-Writes | Should -BeNullOrEmpty
    }

    It 'asks before removing (ConfirmImpact High)' {
        (Get-Command Remove-DropzoneCertificate).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false).ConfirmImpact | Should -Be 'High'
    }
}

Describe 'Grant-DropzoneExoPermission' {
    BeforeEach { Use-Tenant default }

    It 'requests Exchange.ManageAsApp, creates the service principal and grants consent to it' {
        $result = Grant-DropzoneExoPermission -ApplicationId $AppId
        $result.Status | Should -Be 'Granted'
        $result.Requested | Should -BeTrue
        $result.Consented | Should -BeTrue
        $state = Get-EmulatorState -Emulator $Emulator
        $sp = @($state.servicePrincipals | Where-Object appId -EQ $AppId)
        $sp.Count | Should -Be 1
        $result.ServicePrincipalId | Should -Be $sp[0].id
        $exchange = (Get-App).requiredResourceAccess | Where-Object resourceAppId -EQ '00000002-0000-0ff1-ce00-000000000000'
        $exchange.resourceAccess | Where-Object { $_.id -eq $ManageAsApp -and $_.type -eq 'Role' } | Should -Not -BeNullOrEmpty
        $assignment = @($state.appRoleAssignments | Where-Object { $_.principalId -eq $sp[0].id -and $_.resourceId -eq $ExchangeSpId -and $_.appRoleId -eq $ManageAsApp })
        $assignment.Count | Should -Be 1
    }

    It 'writes nothing the second time and says AlreadyGranted' {
        Grant-DropzoneExoPermission -ApplicationId $AppId | Out-Null
        Clear-EmulatorRequestLog -Emulator $Emulator
        (Grant-DropzoneExoPermission -ApplicationId $AppId).Status | Should -Be 'AlreadyGranted'
        Get-Writes | Should -BeNullOrEmpty
    }

    It 'keeps every other API permission and app role assignment' {
        Use-Tenant customer
        $before = Get-EmulatorState -Emulator $Emulator
        $beforeApp = Get-App
        Grant-DropzoneExoPermission -ApplicationId $AppId | Out-Null
        $after = Get-EmulatorState -Emulator $Emulator
        $afterApp = Get-App
        foreach ($entry in $beforeApp.requiredResourceAccess) {
            $now = $afterApp.requiredResourceAccess | Where-Object resourceAppId -EQ $entry.resourceAppId
            foreach ($permission in $entry.resourceAccess) { $now.resourceAccess | Where-Object { $_.id -eq $permission.id -and $_.type -eq $permission.type } | Should -Not -BeNullOrEmpty }
        }
        foreach ($assignment in $before.appRoleAssignments) {
            ($after.appRoleAssignments | Where-Object id -EQ $assignment.id | ConvertTo-Json) | Should -BeExactly ($assignment | ConvertTo-Json)
        }
        @($after.appRoleAssignments).Count | Should -Be (@($before.appRoleAssignments).Count + 1)
        @($after.servicePrincipals).Count | Should -Be @($before.servicePrincipals).Count
        ($afterApp.keyCredentials | ConvertTo-Json -Depth 5) | Should -BeExactly ($beforeApp.keyCredentials | ConvertTo-Json -Depth 5)
    }

    It 'grants consent although the new service principal stays invisible to reads for a while' {
        Set-EmulatorReplicationDelay -Emulator $Emulator -ServicePrincipalReads 5
        (Grant-DropzoneExoPermission -ApplicationId $AppId).Status | Should -Be 'Granted'
        $state = Get-EmulatorState -Emulator $Emulator
        @($state.servicePrincipals | Where-Object appId -EQ $AppId).Count | Should -Be 1
        @($state.appRoleAssignments | Where-Object appRoleId -EQ $ManageAsApp).Count | Should -Be 1
    }

    It 'only requests the permission with -SkipConsent' {
        $result = Grant-DropzoneExoPermission -ApplicationId $AppId -SkipConsent
        $result.Status | Should -Be 'RequestedOnly'
        $result.Consented | Should -BeFalse
        (Get-EmulatorState -Emulator $Emulator).appRoleAssignments | Where-Object appRoleId -EQ $ManageAsApp | Should -BeNullOrEmpty
    }

    It 'writes nothing with -WhatIf' {
        Grant-DropzoneExoPermission -ApplicationId $AppId -WhatIf | Should -BeNullOrEmpty
        Get-Writes | Should -BeNullOrEmpty
    }

    It 'turns a 403 on the consent into InsufficientPrivileges naming the roles that may consent' {
        Add-EmulatorFault -Emulator $Emulator -Method POST -Path '/v1.0/servicePrincipals/*/appRoleAssignedTo' -Status 403
        $err = { Grant-DropzoneExoPermission -ApplicationId $AppId -ErrorAction Stop } | Should -Throw -ErrorId 'InsufficientPrivileges,*' -PassThru
        $err.Exception.Message | Should -Match 'AppRoleAssignment.ReadWrite.All'
        $err.ErrorDetails.RecommendedAction | Should -Match 'Privileged Role Administrator'
        # A re-run completes what the failed one left.
        Clear-EmulatorFault -Emulator $Emulator
        (Grant-DropzoneExoPermission -ApplicationId $AppId).Status | Should -Be 'Granted'
    }
}

Describe 'Get-DropzoneServicePrincipal' {
    It 'gives the Enterprise application''s object id, never the app registration''s' {
        Use-Tenant customer
        $sp = Get-DropzoneServicePrincipal -ApplicationId $AppId
        $sp.ObjectId | Should -Be '4d6f8a0c-2e4a-4c6e-8a0c-3e5a7c9e1b3d'
        $sp.ObjectId | Should -Not -Be $AppObjectId
        $sp.AppId | Should -Be $AppId
        $sp.DisplayName | Should -Be 'Dropzone AI'
    }

    It 'chains from Get-DropzoneApplication by property name' {
        Use-Tenant customer
        (Get-DropzoneApplication | Get-DropzoneServicePrincipal).ObjectId | Should -Be '4d6f8a0c-2e4a-4c6e-8a0c-3e5a7c9e1b3d'
    }

    It 'says ServicePrincipalNotFound, pointing at Grant-DropzoneExoPermission, when there is none' {
        Use-Tenant default
        $err = { Get-DropzoneServicePrincipal -ApplicationId $AppId -ErrorAction Stop } | Should -Throw -ErrorId 'ServicePrincipalNotFound,*' -PassThru
        $err.ErrorDetails.RecommendedAction | Should -Match 'Grant-DropzoneExoPermission'
    }
}

Describe 'Every step run twice' {
    It 'writes nothing the second time' {
        Use-Tenant customer
        $vendor = New-VendorCertificate
        $steps = {
            Get-DropzoneApplication | Install-DropzoneCertificate -Path $vendor.Path | Out-Null
            Get-DropzoneApplication | Grant-DropzoneExoPermission | Out-Null
            Get-DropzoneApplication | Get-DropzoneServicePrincipal | Out-Null
            Get-DropzoneOrganizationId | Out-Null
        }
        & $steps
        # The certificate PATCH, the permission PATCH and the consent (the app has its service principal).
        @(Get-Writes | Where-Object status -LT 300).Count | Should -Be 3
        Clear-EmulatorRequestLog -Emulator $Emulator
        & $steps
        Get-Writes | Should -BeNullOrEmpty
    }
}
