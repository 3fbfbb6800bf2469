# The client secret the Dropzone AI UI's form asks for, over real HTTP against the tenant emulator:
# New-DropzoneClientSecret (addPassword), Remove-DropzoneClientSecret (removePassword), Test-'s
# checks of secrets and of other APIs' consent, and the form's values in Install's and Test-'s output.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Session = Enter-DropzoneTestSession -Tenant customer -Graph -Variable Emulator, AppId, Work, TenantId, Organization
    $script:LegacySecret = '5e1a9c3d-7b2f-4e6a-8d0c-2a4b6c8e0f1a'

    function Use-Tenant([string] $Name = 'customer') { Reset-TestTenant -Emulator $Emulator -Tenant $Name }
    function Get-Writes { @(Get-EmulatorRequestLog -Emulator $Emulator -Writes) }
    function Get-App { (Get-EmulatorState -Emulator $Emulator).applications | Where-Object appId -EQ $AppId }
    # The app's credentials as stored, as JSON text: what must survive a write byte for byte.
    function Get-Credentials([string[]] $Except = @()) {
        $app = Get-App
        [pscustomobject]@{
            Passwords = @($app.passwordCredentials | Where-Object keyId -NotIn $Except) | ConvertTo-Json -Depth 10 -Compress
            Keys      = @($app.keyCredentials) | ConvertTo-Json -Depth 10 -Compress
        }
    }
    # The customer tenant with its app's secrets replaced by these (name, days from now to expiry).
    function Use-Secrets([hashtable[]] $Secrets) {
        $state = Get-Content (Get-TestTenantFile customer) -Raw | ConvertFrom-Json
        $app = $state.applications | Where-Object appId -EQ $AppId
        $now = [DateTimeOffset]::UtcNow
        $app.passwordCredentials = @($Secrets | ForEach-Object {
                [pscustomobject]@{
                    customKeyIdentifier = $null; displayName = $_.Name; hint = $_.Hint; keyId = [guid]::NewGuid().ToString(); secretText = $null
                    startDateTime = $now.AddDays(-400).ToString('yyyy-MM-ddTHH:mm:ssZ'); endDateTime = $now.AddDays($_.Days).ToString('yyyy-MM-ddTHH:mm:ssZ')
                }
            })
        Reset-TestTenant -Emulator $Emulator -State $state
        $app.passwordCredentials
    }
    function Get-Check([string] $Name) { Test-DropzoneExoIntegration -ApplicationId $AppId | Where-Object Check -EQ $Name }
    # The cap as the tenant default policy (its id is UNCONFIRMED: all zeros here) or as a policy
    # assigned to the app, with an id of its own; the module must name the cap either way.
    function Set-LifetimePolicy([string] $MaxLifetime, [string] $Where = 'default', [string] $PolicyId = '00000000-0000-0000-0000-000000000000') {
        $state = Get-EmulatorState -Emulator $Emulator
        $restriction = @{ passwordCredentials = @(@{ restrictionType = 'passwordLifetime'; maxLifetime = $MaxLifetime; restrictForAppsCreatedAfterDateTime = '2019-01-01T00:00:00Z' }) }
        if ($Where -eq 'default') {
            $state | Add-Member -Force -NotePropertyName defaultAppManagementPolicy -NotePropertyValue ([pscustomobject]@{
                    id = $PolicyId; isEnabled = $true; applicationRestrictions = $restriction })
        } else {
            $appObjectId = ($state.applications | Where-Object appId -EQ $AppId).id
            $state | Add-Member -Force -NotePropertyName appManagementPolicies -NotePropertyValue @([pscustomobject]@{
                    id = $PolicyId; displayName = 'Contoso secrets'; isEnabled = $true; restrictions = $restriction; appliesTo = @($appObjectId) })
        }
        Set-EmulatorState -Emulator $Emulator -State $state
        Clear-EmulatorRequestLog -Emulator $Emulator
    }
}

AfterAll { Exit-DropzoneTestSession }

Describe 'New-DropzoneClientSecret' {
    BeforeEach { Use-Tenant }

    It 'adds a secret named "Dropzone AI" and the date, valid 730 days, keeping every other credential byte for byte' {
        $before = Get-Credentials
        $secret = New-DropzoneClientSecret -ApplicationId $AppId -Confirm:$false
        $secret.PSObject.TypeNames[0] | Should -Be 'Dropzone.ExoSetup.DropzoneClientSecret'
        $secret.DisplayName | Should -Be ('Dropzone AI {0:yyyy-MM-dd}' -f [DateTime]::UtcNow)
        ($secret.EndDateTime - $secret.StartDateTime).TotalDays | Should -Be 730
        $secret.Secret | Should -BeOfType [securestring]
        $secret.SecretText | Should -BeNullOrEmpty
        $plain = ConvertFrom-SecureString -SecureString $secret.Secret -AsPlainText
        $plain.Length | Should -BeGreaterOrEqual 16
        $secret.Hint | Should -BeExactly $plain.Substring(0, 3)
        $after = Get-Credentials -Except $secret.KeyId
        $after.Passwords | Should -BeExactly $before.Passwords
        $after.Keys | Should -BeExactly $before.Keys
        @((Get-App).passwordCredentials).Count | Should -Be 2
        @(Get-Writes).Count | Should -Be 1
    }

    It 'puts the secret in no stream but the output object, and in text only with -AsPlainText' {
        $transcript = Join-Path $Work ("transcript-{0}.txt" -f [guid]::NewGuid())
        $null = Start-Transcript -LiteralPath $transcript
        try {
            $records = New-DropzoneClientSecret -ApplicationId $AppId -AsPlainText -Confirm:$false -Verbose -Debug -InformationAction Continue *>&1
            $shown = New-DropzoneClientSecret -ApplicationId $AppId -Confirm:$false -Verbose | Out-String
        } finally {
            $null = Stop-Transcript
        }
        $output = @($records | Where-Object { $_ -is [Dropzone.ExoSetup.DropzoneClientSecret] })
        $others = @($records | Where-Object { $_ -isnot [Dropzone.ExoSetup.DropzoneClientSecret] })
        $output.Count | Should -Be 1
        $text = $output[0].SecretText
        $text | Should -Not -BeNullOrEmpty
        $text | Should -BeExactly (ConvertFrom-SecureString -SecureString $output[0].Secret -AsPlainText)
        @($others | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count | Should -BeGreaterThan 0
        ($others | ForEach-Object { "$_" }) -join "`n" | Should -Not -Match ([regex]::Escape($text))
        Get-Content -LiteralPath $transcript -Raw | Should -Not -Match ([regex]::Escape($text))
        ($Error | ForEach-Object { "$_" }) -join "`n" | Should -Not -Match ([regex]::Escape($text))
        "$($output[0])" | Should -Not -Match ([regex]::Escape($text))
        # Without -AsPlainText the formatted output says where the value is, and does not show it.
        $shown | Should -Match 'SecureString'
        $shown | Should -Not -Match 'SecretText'
    }

    It 'takes -ValidDays' {
        $secret = New-DropzoneClientSecret -ApplicationId $AppId -ValidDays 90 -Confirm:$false
        ($secret.EndDateTime - $secret.StartDateTime).TotalDays | Should -Be 90
        $secret.DaysLeft | Should -BeIn 89, 90
    }

    It 'writes nothing under -WhatIf' {
        $before = Get-Credentials
        New-DropzoneClientSecret -ApplicationId $AppId -WhatIf | Should -BeNullOrEmpty
        Get-Writes | Should -BeNullOrEmpty
        (Get-Credentials).Passwords | Should -BeExactly $before.Passwords
    }

    It 'names the cap of <Where> policy that caps lifetimes, and adds nothing' -ForEach @(
        @{ Where = 'the tenant default'; Kind = 'default'; PolicyId = '00000000-0000-0000-0000-000000000000'; Max = 'P180D'; Days = 180 }
        @{ Where = 'an app-assigned'; Kind = 'app'; PolicyId = '4b2e6c1d-8a3f-4e5b-9c7d-1a2b3c4d5e6f'; Max = 'P90D'; Days = 90 }
    ) {
        Set-LifetimePolicy -MaxLifetime $Max -Where $Kind -PolicyId $PolicyId
        $before = Get-Credentials
        $err = { New-DropzoneClientSecret -ApplicationId $AppId -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'ClientSecretLifetimeExceedsPolicy,*' -PassThru
        $err.Exception.Message | Should -Match "at $Days days; 730 days were asked"
        $err.Exception.Message | Should -Match $PolicyId
        $err.ErrorDetails.RecommendedAction + $err.Exception.Message | Should -Match "-ValidDays $Days"
        (Get-Credentials).Passwords | Should -BeExactly $before.Passwords
        @(Get-Writes | Where-Object path -Like '*addPassword').Count | Should -Be 1
        New-DropzoneClientSecret -ApplicationId $AppId -ValidDays $Days -Confirm:$false | Should -Not -BeNullOrEmpty
    }
}

Describe 'Get-DropzoneApplication shows the client secrets' {
    It 'with their hint and dates, never a value' {
        Use-Tenant
        $app = Get-DropzoneApplication -ApplicationId $AppId
        $secret = @($app.ClientSecrets)
        $secret.Count | Should -Be 1
        $secret[0].KeyId | Should -Be $LegacySecret
        $secret[0].Hint | Should -BeExactly 'x7Q'
        $secret[0].EndDateTime | Should -Be ([DateTimeOffset]'2027-06-30T00:00:00Z')
        $secret[0].Secret | Should -BeNullOrEmpty
        $secret[0].SecretText | Should -BeNullOrEmpty
        ($app | Out-String -Width 250) | Should -Match 'Secrets'
    }
}

Describe 'Remove-DropzoneClientSecret' {
    It 'removes the secret by -KeyId and keeps every other credential byte for byte' {
        $secrets = Use-Secrets @(@{ Name = 'a'; Days = 100; Hint = 'aaa' }, @{ Name = 'b'; Days = 200; Hint = 'bbb' }, @{ Name = 'c'; Days = 300; Hint = 'ccc' })
        $before = Get-Credentials -Except $secrets[1].keyId
        $removed = Remove-DropzoneClientSecret -ApplicationId $AppId -KeyId $secrets[1].keyId -Confirm:$false -PassThru
        $removed.KeyId | Should -Be $secrets[1].keyId
        $after = Get-Credentials
        $after.Passwords | Should -BeExactly $before.Passwords
        $after.Keys | Should -BeExactly $before.Keys
        @(Get-Writes).Count | Should -Be 1
    }

    It 'says ClientSecretNotFound for a keyId the app does not hold, and removes nothing' {
        $secrets = Use-Secrets @(@{ Name = 'a'; Days = 100; Hint = 'aaa' })
        $unknown = [guid]::NewGuid()
        $err = { Remove-DropzoneClientSecret -ApplicationId $AppId -KeyId $secrets[0].keyId, $unknown -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'ClientSecretNotFound,*' -PassThru
        $err.Exception.Message | Should -Match $unknown
        Get-Writes | Should -BeNullOrEmpty
    }

    It 'removes every expired secret with -Expired, and only those' {
        $secrets = Use-Secrets @(@{ Name = 'old'; Days = -5; Hint = 'old' }, @{ Name = 'valid'; Days = 300; Hint = 'new' }, @{ Name = 'older'; Days = -50; Hint = 'odr' })
        $before = Get-Credentials -Except $secrets[0].keyId, $secrets[2].keyId
        $removed = Remove-DropzoneClientSecret -ApplicationId $AppId -Expired -Confirm:$false -PassThru
        @($removed.DisplayName | Sort-Object) | Should -Be @('old', 'older')
        (Get-Credentials).Passwords | Should -BeExactly $before.Passwords
        @(Get-Writes).Count | Should -Be 2
        Remove-DropzoneClientSecret -ApplicationId $AppId -Expired -Confirm:$false -PassThru | Should -BeNullOrEmpty
    }

    It 'warns when no valid secret would be left, and writes nothing under -WhatIf' {
        $secrets = Use-Secrets @(@{ Name = 'only'; Days = 100; Hint = 'onl' })
        Remove-DropzoneClientSecret -ApplicationId $AppId -KeyId $secrets[0].keyId -WhatIf -WarningVariable warned -WarningAction SilentlyContinue
        Get-Writes | Should -BeNullOrEmpty
        Remove-DropzoneClientSecret -ApplicationId $AppId -KeyId $secrets[0].keyId -Confirm:$false -WarningVariable warned -WarningAction SilentlyContinue
        "$warned" | Should -Match 'No valid client secret will be left'
        (Get-App).passwordCredentials | Should -BeNullOrEmpty
    }

    It 'takes the secrets from Get-DropzoneApplication through the pipeline' {
        $null = Use-Secrets @(@{ Name = 'old'; Days = -5; Hint = 'old' }, @{ Name = 'valid'; Days = 300; Hint = 'new' })
        (Get-DropzoneApplication -ApplicationId $AppId).ClientSecrets | Where-Object DaysLeft -LT 0 | Remove-DropzoneClientSecret -Confirm:$false
        @((Get-App).passwordCredentials.displayName) | Should -Be @('valid')
    }
}

Describe 'Test-DropzoneExoIntegration checks the client secret' {
    It 'is <Status> when the secrets are <Shape>' -ForEach @(
        @{ Shape = 'one valid for a year'; Status = 'Pass'; Secrets = @(@{ Name = 'a'; Days = 365; Hint = 'aaa' }); Detail = 'valid for 36[45] more days' }
        @{ Shape = 'one expiring in 10 days'; Status = 'Warn'; Secrets = @(@{ Name = 'a'; Days = 10; Hint = 'aaa' }); Detail = 'expires in (9|10) day' }
        @{ Shape = 'one expired beside a newer one'; Status = 'Warn'; Secrets = @(@{ Name = 'old'; Days = -3; Hint = 'old' }, @{ Name = 'new'; Days = 400; Hint = 'new' }); Detail = "still authenticates with 'new'" }
        @{ Shape = 'all expired'; Status = 'Fail'; Secrets = @(@{ Name = 'a'; Days = -3; Hint = 'aaa' }, @{ Name = 'b'; Days = -30; Hint = 'bbb' }); Detail = 'Every client secret on the app has expired' }
        @{ Shape = 'none'; Status = 'Pass'; Secrets = @(); Detail = 'certificate-only set-up needs none' }
    ) {
        $null = Use-Secrets $Secrets
        $check = Get-Check ClientSecretExpiry
        $check.Status | Should -Be $Status
        $check.Detail | Should -Match $Detail
        if ($Status -eq 'Fail') { $check.Remediation | Should -Match 'New-DropzoneClientSecret -AsPlainText' }
    }
}

Describe 'Test-DropzoneExoIntegration checks consent to the other permissions' {
    BeforeEach { Use-Tenant }

    It 'warns about each application permission of another API without admin consent, by name' {
        # customer.json: Graph User.Read.All and Mail.Read are consented; Exchange full_access_as_app is not.
        $checks = @(Get-Check OtherPermissionsConsent)
        $checks.Count | Should -Be 1
        $checks[0].Status | Should -Be 'Warn'
        $checks[0].Detail | Should -BeExactly 'Office 365 Exchange Online: full_access_as_app has no admin consent.'
        $checks[0].Remediation | Should -Match 'Grant admin consent'
    }

    It 'passes once every one has consent, and names the APIs' {
        $state = Get-EmulatorState -Emulator $Emulator
        $app = $state.applications | Where-Object appId -EQ $AppId
        $app.requiredResourceAccess = @($app.requiredResourceAccess | Where-Object resourceAppId -NE '00000002-0000-0ff1-ce00-000000000000')
        Set-EmulatorState -Emulator $Emulator -State $state
        $check = Get-Check OtherPermissionsConsent
        $check.Status | Should -Be 'Pass'
        $check.Detail | Should -Match '\(2, of Microsoft Graph\)'
    }

    It 'reads the APIs in one more round trip, and only when the app asks other permissions' {
        Clear-EmulatorRequestLog -Emulator $Emulator
        $null = Test-DropzoneExoIntegration -ApplicationId $AppId
        $withOthers = @(Get-EmulatorRequestLog -Emulator $Emulator | Where-Object { -not $_.inBatch }).Count
        Use-Tenant default
        $defaultApp = (Get-EmulatorState -Emulator $Emulator).applications | Where-Object displayName -EQ 'Dropzone AI'
        $null = Test-DropzoneExoIntegration -ApplicationId $defaultApp.appId
        $without = @(Get-EmulatorRequestLog -Emulator $Emulator | Where-Object { -not $_.inBatch }).Count
        $withOthers | Should -Be ($without + 1)
        (Test-DropzoneExoIntegration -ApplicationId $defaultApp.appId | Where-Object Check -EQ OtherPermissionsConsent).Status | Should -Be 'Pass'
    }
}

Describe 'The values for the Dropzone AI UI' {
    BeforeEach { Use-Tenant }

    It 'end Test-DropzoneExoIntegration, labelled as the UI labels them, and are properties of the result' {
        $checks = @(Test-DropzoneExoIntegration -ApplicationId $AppId)
        $last = $checks[-1]
        $last.Check | Should -Be 'DropzoneForm'
        $last.Status | Should -Be 'Pass'
        $last.DropzoneForm.ApplicationClientId | Should -Be $AppId
        $last.DropzoneForm.DirectoryTenantId | Should -Be $TenantId
        $last.DropzoneForm.OrganizationId | Should -Be $Organization
        $last.DropzoneForm.ClientSecretHint | Should -BeExactly 'x7Q'
        $last.DropzoneForm.ClientSecretExpires | Should -Be ([DateTimeOffset]'2027-06-30T00:00:00Z')
        $last.Detail | Should -Match ([regex]::Escape("Application (client) ID: $AppId"))
        $last.Detail | Should -Match ([regex]::Escape("Directory (tenant) ID: $TenantId"))
        $last.Detail | Should -Match ([regex]::Escape("Organization ID: $Organization"))
        $last.Detail | Should -Match "Client secret: the one starting 'x7Q', expires 2027-06-30"
        @($checks | Where-Object { $null -ne $_.DropzoneForm }).Count | Should -Be 1
    }

    It 'are in Install-DropzoneExoIntegration''s result and its formatted output' {
        Use-Tenant default
        $app = (Get-EmulatorState -Emulator $Emulator).applications | Where-Object displayName -EQ 'Dropzone AI'
        $path = Join-Path $Work 'vendor.crt'
        $certificate = New-TestCertificate -Path $path -NotBefore ([DateTimeOffset]::UtcNow.AddDays(-1)) -NotAfter ([DateTimeOffset]::UtcNow.AddDays(365))
        $result = Install-DropzoneExoIntegration -ApplicationId $app.appId -CertificatePath $path -ExpectedThumbprint $certificate.Thumbprint -SkipExchange -Confirm:$false
        $result.DropzoneForm.ApplicationClientId | Should -Be $app.appId
        $result.DropzoneForm.DirectoryTenantId | Should -Be (Get-EmulatorState -Emulator $Emulator).tenantId
        $result.DropzoneForm.OrganizationId | Should -Be 'contoso.onmicrosoft.com'
        $result.DropzoneForm.ClientSecretHint | Should -BeNullOrEmpty
        $shown = $result | Out-String -Width 250
        $shown | Should -Match ([regex]::Escape("Application (client) ID: $($app.appId)"))
        $shown | Should -Match 'Directory \(tenant\) ID: [0-9a-f-]{36}'
        $shown | Should -Match 'Organization ID: contoso\.onmicrosoft\.com'
        $shown | Should -Match 'Client secret: none on the app'
        # The values to paste end the formatted output, after NextSteps.
        $shown.IndexOf('Dropzone AI UI') | Should -BeGreaterThan $shown.IndexOf('NextSteps')
    }
}

Describe 'New-DropzoneClientSecret when Graph does not answer' {
    BeforeEach { Use-Tenant }

    It 'does not send addPassword again after <Fault>, and says a secret may have been made' -ForEach @(
        @{ Fault = 'a dropped connection'; Drop = $true; ErrorId = 'GraphUnreachable' }
        @{ Fault = '503 Service Unavailable'; Drop = $false; ErrorId = 'GraphRequestFailed' }
    ) {
        $fault = @{ Emulator = $Emulator; Path = '/v1.0/applications/*/addPassword'; Method = 'POST' }
        if ($Drop) { $fault.Drop = $true } else { $fault.Status = 503; $fault.RetryAfterSeconds = 0 }
        $null = Add-EmulatorFault @fault
        $err = { New-DropzoneClientSecret -ApplicationId $AppId -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId,*" -PassThru
        $err.Exception.Message | Should -Match 'may have been added'
        @(Get-EmulatorRequestLog -Emulator $Emulator | Where-Object path -Like '*addPassword').Count | Should -Be 1
    }

    It 'sends it again after a 429, when Graph made nothing' {
        $null = Add-EmulatorFault -Emulator $Emulator -Path '/v1.0/applications/*/addPassword' -Method POST -Status 429 -RetryAfterSeconds 0
        $secret = New-DropzoneClientSecret -ApplicationId $AppId -Confirm:$false
        $secret.Hint | Should -Not -BeNullOrEmpty
        @(Get-EmulatorRequestLog -Emulator $Emulator | Where-Object path -Like '*addPassword').Count | Should -Be 2
        @((Get-App).passwordCredentials).Count | Should -Be 2
    }
}
