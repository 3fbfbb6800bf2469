# "Check before the first write": every writing cmdlet compares the token's scopes (or roles) with
# what its planned Graph writes need and stops with InsufficientPrivileges before writing anything.
# And the emulator, like Graph, refuses a write whose JWT lacks the permission.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    # Graph is connected by the tests, each with the scopes it is about.
    $script:Session = Enter-DropzoneTestSession -Tenant default -Module -Exchange -Variable Emulator, AppId, AppObjectId, Work
    $script:Vendor = Join-Path $Work 'vendor.crt'
    $null = New-TestCertificate -Path $Vendor
    $script:WithoutConsent = @('Application.ReadWrite.All', 'User.Read')

    function Get-Writes { @(Get-EmulatorRequestLog -Emulator $Emulator -Writes) }
    function Connect-With([string[]] $Scopes) {
        Connect-TestGraph -Emulator $Emulator -Token (New-TestAccessToken -Scopes $Scopes) | Out-Null
    }
}

AfterAll { Exit-DropzoneTestSession }

Describe 'A token without AppRoleAssignment.ReadWrite.All' {
    BeforeEach {
        Reset-TestTenant -Emulator $Emulator -Tenant default
        Connect-With $WithoutConsent
        Clear-EmulatorRequestLog -Emulator $Emulator
    }

    It 'stops Install before its first write, naming the permission and -UseDeviceCode' {
        $err = { Install-DropzoneExoIntegration -CertificatePath $Vendor -ErrorAction Stop } |
            Should -Throw -ErrorId 'InsufficientPrivileges,Dropzone.ExoSetup.Cmdlets.InstallDropzoneExoIntegration' -PassThru
        $err.Exception.Message | Should -Match 'AppRoleAssignment\.ReadWrite\.All'
        $err.Exception.Message | Should -Match 'Privileged Role Administrator'
        $err.ErrorDetails.RecommendedAction | Should -Match 'Connect-DropzoneGraph -UseDeviceCode'
        $err.CategoryInfo.Category | Should -Be 'PermissionDenied'
        Get-Writes | Should -BeNullOrEmpty
        # The plan was read: the check is on what this tenant needs, not a guess.
        @(Get-EmulatorRequestLog -Emulator $Emulator).Count | Should -BeGreaterThan 0
    }

    It 'stops Grant-DropzoneExoPermission the same way' {
        $err = { Grant-DropzoneExoPermission -ApplicationId $AppId -ErrorAction Stop } |
            Should -Throw -ErrorId 'InsufficientPrivileges,Dropzone.ExoSetup.Cmdlets.GrantDropzoneExoPermission' -PassThru
        $err.Exception.Message | Should -Match 'AppRoleAssignment\.ReadWrite\.All'
        Get-Writes | Should -BeNullOrEmpty
    }

    It 'still does what it allows: the certificate needs only Application.ReadWrite.All' {
        $result = Install-DropzoneCertificate -ApplicationId $AppId -Path $Vendor
        $result.Status | Should -Be 'Added'
        @(Get-Writes).Count | Should -Be 1
    }

    It 'still shows the plan under -WhatIf, with a warning, and writes nothing' {
        # "What if:" lines go to the host: a transcript catches them.
        $transcript = Join-Path $Work 'whatif.txt'
        $null = Start-Transcript -LiteralPath $transcript
        try { Install-DropzoneExoIntegration -CertificatePath $Vendor -WhatIf -WarningVariable warnings -WarningAction SilentlyContinue }
        finally { $null = Stop-Transcript }
        $whatIf = Get-Content -LiteralPath $transcript -Raw
        $whatIf | Should -Match 'Add certificate'
        $whatIf | Should -Match 'Grant admin consent'
        ($warnings -join "`n") | Should -Match 'AppRoleAssignment\.ReadWrite\.All'
        ($warnings -join "`n") | Should -Match 'Connect-DropzoneGraph -UseDeviceCode'
        Get-Writes | Should -BeNullOrEmpty
    }
}

Describe 'Tokens that can do the job, or that cannot be read' {
    BeforeEach {
        Reset-TestTenant -Emulator $Emulator -Tenant default
        Clear-EmulatorRequestLog -Emulator $Emulator
    }

    It 'installs with Directory.AccessAsUser.All and AppRoleAssignment.ReadWrite.All' {
        Connect-With 'Directory.AccessAsUser.All', 'AppRoleAssignment.ReadWrite.All'
        (Install-DropzoneExoIntegration -CertificatePath $Vendor).Complete | Should -BeTrue
        @(Get-Writes | Where-Object status -LT 300).Count | Should -BeGreaterThan 0
    }

    It 'leaves a token that is not a JWT to Graph: no check, and the emulator enforces nothing on it' {
        Connect-DropzoneGraph -AccessToken (ConvertTo-SecureString 'opaque-test-token' -AsPlainText -Force) -GraphEndpoint $Emulator.BaseUri | Out-Null
        (Get-DropzoneGraphContext).Scopes | Should -BeNullOrEmpty
        (Grant-DropzoneExoPermission -ApplicationId $AppId).Status | Should -Be 'Granted'
    }
}

Describe 'The emulator refuses writes the JWT does not allow, as Graph does' {
    BeforeAll {
        $script:Graph = "$($Emulator.BaseUri)/v1.0"
        function New-Header([string[]] $Scopes) { @{ Authorization = 'Bearer ' + (Get-TestTokenText (New-TestAccessToken -Scopes $Scopes)) } }
    }
    BeforeEach { Reset-TestTenant -Emulator $Emulator -Tenant default }

    It 'answers 403 Authorization_RequestDenied to a PATCH without Application.ReadWrite.All, and serves reads' {
        $headers = New-Header 'User.Read'
        (Invoke-RestMethod -Uri "$Graph/applications/$AppObjectId" -Headers $headers).appId | Should -Be $AppId
        $response = Invoke-WebRequest -Uri "$Graph/applications/$AppObjectId" -Method Patch -Headers $headers -ContentType 'application/json' -Body '{"requiredResourceAccess":[]}' -SkipHttpErrorCheck
        $response.StatusCode | Should -Be 403
        $body = $response.Content | ConvertFrom-Json
        $body.error.code | Should -Be 'Authorization_RequestDenied'
        $body.error.message | Should -Be 'Insufficient privileges to complete the operation.'
    }

    It 'refuses consent inside a $batch to a token with Application.ReadWrite.All only' {
        $headers = New-Header 'Application.ReadWrite.All'
        $exchangeSp = '3b7c9e21-5d4f-4a8b-9c6e-2f1a0b3c4d5e'
        $batch = @{ requests = @(@{ id = '1'; method = 'POST'; url = "/servicePrincipals/$exchangeSp/appRoleAssignedTo"; headers = @{ 'Content-Type' = 'application/json' }
            body = @{ principalId = $exchangeSp; resourceId = $exchangeSp; appRoleId = 'dc50a0fb-09a3-484d-be87-e023b12c6440' } }) } | ConvertTo-Json -Depth 5
        $answer = Invoke-RestMethod -Uri "$Graph/`$batch" -Method Post -Headers $headers -ContentType 'application/json' -Body $batch
        $answer.responses[0].status | Should -Be 403
        $answer.responses[0].body.error.code | Should -Be 'Authorization_RequestDenied'
    }
}
