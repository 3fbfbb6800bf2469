# The tenant emulator as the other Pester files use it: a real process on a loopback port, driven
# through TestHelpers.psm1. The Graph semantics themselves are covered by tests/TenantEmulator.Tests.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Session = Enter-DropzoneTestSession -Tenant default -Variable Emulator, AppObjectId
    $script:Auth = @{ Authorization = 'Bearer test-token' }
    $script:Graph = "$($script:Emulator.BaseUri)/v1.0"
}

AfterAll { Exit-DropzoneTestSession }

Describe 'Tenant emulator over HTTP' {
    BeforeEach {
        Reset-EmulatorState -Emulator $Emulator
    }

    It 'answers a Bearer-authenticated GET' {
        $org = Invoke-RestMethod -Uri "$Graph/organization" -Headers $Auth
        ($org.value[0].verifiedDomains | Where-Object isInitial).name | Should -Be 'contoso.onmicrosoft.com'
    }

    It 'refuses a request without a token with 401 InvalidAuthenticationToken' {
        $response = Invoke-WebRequest -Uri "$Graph/applications" -SkipHttpErrorCheck
        $response.StatusCode | Should -Be 401
        ($response.Content | ConvertFrom-Json).error.code | Should -Be 'InvalidAuthenticationToken'
        $response.Headers['request-id'] | Should -Not -BeNullOrEmpty
    }

    It 'reads, replaces and resets the state' {
        $state = Get-EmulatorState -Emulator $Emulator
        $state.applications[0].displayName | Should -Be 'Dropzone AI'
        $state.applications[0].displayName = 'Renamed'
        Set-EmulatorState -Emulator $Emulator -State $state
        (Invoke-RestMethod -Uri "$Graph/applications/$AppObjectId" -Headers $Auth).displayName | Should -Be 'Renamed'

        Reset-EmulatorState -Emulator $Emulator
        (Get-EmulatorState -Emulator $Emulator).applications[0].displayName | Should -Be 'Dropzone AI'
    }

    It 'logs requests, and -Writes counts the writes inside a batch but not the envelope' {
        $null = Invoke-RestMethod -Uri "$Graph/applications?`$filter=displayName eq 'Dropzone AI'" -Headers $Auth
        $batch = @{ requests = @(
            @{ id = '1'; method = 'GET'; url = '/domains' },
            @{ id = '2'; method = 'PATCH'; url = "/applications/$AppObjectId"; body = @{ notes = 'x' }; headers = @{ 'Content-Type' = 'application/json' } }
        ) } | ConvertTo-Json -Depth 10
        $answer = Invoke-RestMethod -Uri "$Graph/`$batch" -Method POST -Headers $Auth -Body $batch -ContentType 'application/json'
        ($answer.responses | Where-Object id -EQ '2').status | Should -Be 204

        $log = @(Get-EmulatorRequestLog -Emulator $Emulator)
        $log.Count | Should -Be 4
        $log[0].query | Should -Be "`$filter=displayName eq 'Dropzone AI'"
        @($log | Where-Object inBatch).Count | Should -Be 2
        $writes = @(Get-EmulatorRequestLog -Emulator $Emulator -Writes)
        $writes.Count | Should -Be 1
        $writes[0].method | Should -Be 'PATCH'
        $writes[0].inBatch | Should -BeTrue

        Clear-EmulatorRequestLog -Emulator $Emulator
        @(Get-EmulatorRequestLog -Emulator $Emulator).Count | Should -Be 0
    }

    It 'injects a 429 with Retry-After for the next N matching requests, and clears faults' {
        $null = Add-EmulatorFault -Emulator $Emulator -Method GET -Path '/v1.0/domains' -Status 429 -RetryAfterSeconds 2 -Count 1
        $first = Invoke-WebRequest -Uri "$Graph/domains" -Headers $Auth -SkipHttpErrorCheck
        $second = Invoke-WebRequest -Uri "$Graph/domains" -Headers $Auth -SkipHttpErrorCheck
        $first.StatusCode | Should -Be 429
        [string]$first.Headers['Retry-After'] | Should -Be '2'
        $second.StatusCode | Should -Be 200

        $null = Add-EmulatorFault -Emulator $Emulator -Path '/v1.0/*' -Status 503 -Count 5
        Clear-EmulatorFault -Emulator $Emulator
        (Invoke-WebRequest -Uri "$Graph/domains" -Headers $Auth -SkipHttpErrorCheck).StatusCode | Should -Be 200
    }

    It 'drops the connection' {
        $null = Add-EmulatorFault -Emulator $Emulator -Path '/v1.0/domains' -Drop
        { Invoke-RestMethod -Uri "$Graph/domains" -Headers $Auth } | Should -Throw
        (Get-EmulatorRequestLog -Emulator $Emulator)[0].fault | Should -Be 'drop'
    }

    It 'applies the configured latency' {
        Set-EmulatorLatency -Emulator $Emulator -Milliseconds 30
        $null = Invoke-RestMethod -Uri "$Graph/domains" -Headers $Auth
        (Get-EmulatorRequestLog -Emulator $Emulator)[0].latencyMs | Should -Be 30
    }

    It 'hides a new service principal from its next reads' {
        Set-EmulatorReplicationDelay -Emulator $Emulator -ServicePrincipalReads 1
        $sp = Invoke-RestMethod -Uri "$Graph/servicePrincipals" -Method POST -Headers $Auth -ContentType 'application/json' `
            -Body (@{ appId = 'a7d1c3e5-2b4f-4c6a-9e8d-1f3b5d7a9c2e' } | ConvertTo-Json)
        (Invoke-WebRequest -Uri "$Graph/servicePrincipals/$($sp.id)" -Headers $Auth -SkipHttpErrorCheck).StatusCode | Should -Be 404
        (Invoke-WebRequest -Uri "$Graph/servicePrincipals/$($sp.id)" -Headers $Auth -SkipHttpErrorCheck).StatusCode | Should -Be 200
    }

    It 'accepts a New-TestCertificate certificate written as Base64 in a keyCredentials PATCH' {
        $file = Join-Path $TestDrive 'vendor.b64'
        $cert = New-TestCertificate -Path $file -Format Base64
        $cert.HasPrivateKey | Should -BeFalse
        $key = @{ type = 'AsymmetricX509Cert'; usage = 'Verify'; key = (Get-Content $file -Raw); displayName = 'Dropzone AI' }
        $body = @{ keyCredentials = @($key) } | ConvertTo-Json -Depth 5
        $response = Invoke-WebRequest -Uri "$Graph/applications/$AppObjectId" -Method PATCH -Headers $Auth -Body $body -ContentType 'application/json' -SkipHttpErrorCheck
        $response.StatusCode | Should -Be 204
        (Get-EmulatorState -Emulator $Emulator).applications[0].keyCredentials[0].customKeyIdentifier | Should -Be $cert.Thumbprint
    }
}

Describe 'New-TestCertificate' {
    It 'writes <Format>' -ForEach @(
        @{ Format = 'Pem'; Private = $false }, @{ Format = 'Der'; Private = $false }, @{ Format = 'Pfx'; Private = $true },
        @{ Format = 'PemWithPrivateKey'; Private = $true }
    ) {
        $file = Join-Path $TestDrive "cert.$Format"
        $cert = New-TestCertificate -Subject 'Vendor' -Path $file -Format $Format -NotBefore '2024-01-01Z' -NotAfter '2049-12-31Z'
        $cert.Subject | Should -Be 'CN=Vendor'
        $cert.HasPrivateKey | Should -Be $Private
        $cert.NotAfter.ToUniversalTime().Year | Should -Be 2049
        $loaded = if ($Format -eq 'Pfx') { [Security.Cryptography.X509Certificates.X509CertificateLoader]::LoadPkcs12FromFile($file, $null) }
                  else { [Security.Cryptography.X509Certificates.X509CertificateLoader]::LoadCertificateFromFile($file) }
        $loaded.Thumbprint | Should -Be $cert.Thumbprint
    }
}

Describe 'Stop-TestEmulator' {
    It 'leaves no emulator process behind' {
        $extra = Start-TestEmulator -Tenant customer
        $id = $extra.Process.Id
        Get-Process -Id $id -ErrorAction SilentlyContinue | Should -Not -BeNullOrEmpty
        Stop-TestEmulator -Emulator $extra
        Get-Process -Id $id -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}
