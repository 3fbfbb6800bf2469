# Signing in to Graph: Connect-/Disconnect-DropzoneGraph and Get-DropzoneGraphContext over real HTTP
# against the tenant emulator.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    # The tests connect (and disconnect) Graph themselves.
    $script:Session = Enter-DropzoneTestSession -Tenant default -Module -Variable Emulator, Work
    $script:Tenant = Get-EmulatorState -Emulator $Emulator
}

AfterAll { Exit-DropzoneTestSession }

Describe 'Connect-DropzoneGraph -AccessToken against the emulator' {
    BeforeEach {
        Disconnect-DropzoneGraph
        Clear-EmulatorRequestLog -Emulator $Emulator
    }

    It 'returns a context for the tenant it proved with one Graph call' {
        $context = Connect-TestGraph -Emulator $Emulator -Token (New-TestAccessToken -Account 'ops@contoso.com')
        $context.PSObject.TypeNames[0] | Should -Be 'Dropzone.ExoSetup.GraphContext'
        $context.TenantId | Should -Be $Tenant.tenantId
        $context.InitialDomain | Should -Be 'contoso.onmicrosoft.com'
        $context.Account | Should -Be 'ops@contoso.com'
        $context.AuthType | Should -Be 'AccessToken'
        $context.Environment | Should -Be 'Global'
        $context.GraphEndpoint | Should -Be ([uri]"$($Emulator.BaseUri)/")

        $requests = @(Get-EmulatorRequestLog -Emulator $Emulator)
        $requests.Count | Should -Be 1
        $requests[0].method | Should -Be 'GET'
        $requests[0].path | Should -Be '/v1.0/organization'
        $requests[0].status | Should -Be 200
    }

    It 'keeps the connection for the session: Get-DropzoneGraphContext returns it' {
        $connected = Connect-TestGraph -Emulator $Emulator
        $context = Get-DropzoneGraphContext
        $context.TenantId | Should -Be $connected.TenantId
        $context.GraphEndpoint | Should -Be $connected.GraphEndpoint
    }

    It 'lets the next Graph cmdlet use the connection' {
        Connect-TestGraph -Emulator $Emulator | Out-Null
        Get-DropzoneOrganizationId | Should -Be 'contoso.onmicrosoft.com'
    }

    It 'records the cloud chosen with -Environment while -GraphEndpoint overrides its Graph root' {
        $context = Connect-TestGraph -Emulator $Emulator -Environment USGov
        $context.Environment | Should -Be 'USGov'
        $context.ExchangeEnvironmentName | Should -Be 'O365USGovGCCHigh'
        $context.GraphEndpoint | Should -Be ([uri]"$($Emulator.BaseUri)/")
    }

    It 'refuses an empty token before sending anything' {
        { Connect-DropzoneGraph -AccessToken ([securestring]::new()) -GraphEndpoint $Emulator.BaseUri } |
            Should -Throw -ErrorId 'InvalidSignInParameters,Dropzone.ExoSetup.Cmdlets.ConnectDropzoneGraph'
        @(Get-EmulatorRequestLog -Emulator $Emulator).Count | Should -Be 0
    }
}

Describe 'Endpoints that would expose the token' {
    BeforeEach { Clear-EmulatorRequestLog -Emulator $Emulator }

    It 'refuses plain http to a host that is not this machine with InsecureEndpoint' -ForEach @(
        @{ Endpoint = 'http://graph.microsoft.com' }
        @{ Endpoint = 'http://10.1.2.3:8080' }
    ) {
        $err = { Connect-DropzoneGraph -AccessToken (New-TestAccessToken) -GraphEndpoint $Endpoint } |
            Should -Throw -ErrorId 'InsecureEndpoint,Dropzone.ExoSetup.Cmdlets.ConnectDropzoneGraph' -PassThru
        $err.CategoryInfo.Category | Should -Be 'SecurityError'
        $err.ErrorDetails.RecommendedAction | Should -Match 'https'
    }

    It 'refuses a Graph root given with a version' {
        { Connect-DropzoneGraph -AccessToken (New-TestAccessToken) -GraphEndpoint "$($Emulator.BaseUri)/v1.0" } |
            Should -Throw -ErrorId 'InvalidGraphEndpoint,Dropzone.ExoSetup.Cmdlets.ConnectDropzoneGraph'
        @(Get-EmulatorRequestLog -Emulator $Emulator).Count | Should -Be 0
    }
}

Describe 'A failed Connect' {
    It 'leaves the session''s working connection as it was' {
        $good = Connect-TestGraph -Emulator $Emulator
        { Connect-DropzoneGraph -AccessToken (New-TestAccessToken) -GraphEndpoint 'http://127.0.0.1:1' } |
            Should -Throw -ErrorId 'GraphUnreachable,Dropzone.ExoSetup.Cmdlets.ConnectDropzoneGraph'
        (Get-DropzoneGraphContext).GraphEndpoint | Should -Be $good.GraphEndpoint
        Get-DropzoneOrganizationId | Should -Be 'contoso.onmicrosoft.com'
    }

    It 'leaves no context when there was none' {
        Disconnect-DropzoneGraph
        { Connect-DropzoneGraph -AccessToken (New-TestAccessToken) -GraphEndpoint 'http://127.0.0.1:1' } | Should -Throw
        Get-DropzoneGraphContext | Should -BeNullOrEmpty
    }
}

Describe 'Disconnect-DropzoneGraph and GraphNotConnected' {
    It 'forgets the connection so that Graph cmdlets say how to connect' {
        Connect-TestGraph -Emulator $Emulator | Out-Null
        Disconnect-DropzoneGraph
        Get-DropzoneGraphContext | Should -BeNullOrEmpty
        $err = { Get-DropzoneOrganizationId -ErrorAction Stop } |
            Should -Throw -ErrorId 'GraphNotConnected,Dropzone.ExoSetup.Cmdlets.GetDropzoneOrganizationId' -PassThru
        $err.ErrorDetails.RecommendedAction | Should -Match 'Connect-DropzoneGraph'
    }

    It 'returns the disconnected context with -PassThru and is quiet when already disconnected' {
        $connected = Connect-TestGraph -Emulator $Emulator
        (Disconnect-DropzoneGraph -PassThru).TenantId | Should -Be $connected.TenantId
        Disconnect-DropzoneGraph -PassThru | Should -BeNullOrEmpty
    }
}

Describe 'Graph errors after connecting' {
    BeforeAll { Connect-TestGraph -Emulator $Emulator | Out-Null }
    BeforeEach { Clear-EmulatorRequestLog -Emulator $Emulator }
    AfterEach { Clear-EmulatorFault -Emulator $Emulator }

    It 'turns a 403 into InsufficientPrivileges naming the permission, the roles and Graph''s request-id' {
        Add-EmulatorFault -Emulator $Emulator -Method GET -Path '/v1.0/organization' -Status 403
        $err = { Get-DropzoneOrganizationId -ErrorAction Stop } |
            Should -Throw -ErrorId 'InsufficientPrivileges,Dropzone.ExoSetup.Cmdlets.GetDropzoneOrganizationId' -PassThru
        $err.CategoryInfo.Category | Should -Be 'PermissionDenied'
        $err.Exception.Message | Should -Match 'Authorization_RequestDenied'
        $err.Exception.Message | Should -Match 'Organization\.Read\.All'
        $err.Exception.GraphError.RequestId | Should -Match '^[0-9a-f-]{36}$'
        $err.Exception.Message | Should -Match ([regex]::Escape($err.Exception.GraphError.RequestId))
        $err.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
    }

    It 'waits out a 429 with Retry-After and then succeeds' {
        Add-EmulatorFault -Emulator $Emulator -Method GET -Path '/v1.0/organization' -Status 429 -RetryAfterSeconds 1
        Get-DropzoneOrganizationId | Should -Be 'contoso.onmicrosoft.com'
        @(Get-EmulatorRequestLog -Emulator $Emulator).status | Should -Be @(429, 200)
    }

    It 'reports a failure for the object at hand without stopping the pipeline' {
        Add-EmulatorFault -Emulator $Emulator -Method GET -Path '/v1.0/organization' -Status 403
        $out = . { Get-DropzoneOrganizationId -ErrorAction SilentlyContinue -ErrorVariable failures; 'went on' }
        $out | Should -Be 'went on'
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'InsufficientPrivileges,*'
    }
}

Describe 'What the token says' {
    BeforeEach {
        Disconnect-DropzoneGraph
        Clear-EmulatorRequestLog -Emulator $Emulator
    }

    It 'shows the account, tenant and scopes of a delegated token in the context' {
        $token = New-TestAccessToken -TenantId $Tenant.tenantId -Account 'ops@contoso.com' -Scopes 'Application.ReadWrite.All', 'User.Read'
        $context = Connect-TestGraph -Emulator $Emulator -Token $token
        $context.Account | Should -Be 'ops@contoso.com'
        $context.TenantId | Should -Be $Tenant.tenantId
        $context.Scopes | Should -Be @('Application.ReadWrite.All', 'User.Read')
        $context.TokenExpiresOn | Should -BeGreaterThan ([DateTimeOffset]::UtcNow)
        (Get-DropzoneGraphContext).Scopes | Should -Be @('Application.ReadWrite.All', 'User.Read')
    }

    It 'shows the application roles of an app-only token as its scopes' {
        $context = Connect-TestGraph -Emulator $Emulator -Token (New-TestAccessToken -TenantId $Tenant.tenantId -Roles 'Application.ReadWrite.OwnedBy', 'AppRoleAssignment.ReadWrite.All')
        $context.Scopes | Should -Be @('Application.ReadWrite.OwnedBy', 'AppRoleAssignment.ReadWrite.All')
    }

    It 'connects when -TenantId is the token''s tenant' {
        $context = Connect-DropzoneGraph -AccessToken (New-TestAccessToken -TenantId $Tenant.tenantId) -TenantId $Tenant.tenantId -GraphEndpoint $Emulator.BaseUri
        $context.TenantId | Should -Be $Tenant.tenantId
    }

    It 'refuses a token of another tenant than -TenantId with TenantMismatch, sends nothing and keeps the previous connection' {
        $previous = Connect-TestGraph -Emulator $Emulator -Token (New-TestAccessToken -TenantId $Tenant.tenantId -Account 'first@contoso.com')
        Clear-EmulatorRequestLog -Emulator $Emulator
        $other = [guid]::NewGuid().ToString()
        $err = { Connect-DropzoneGraph -AccessToken (New-TestAccessToken -TenantId $other) -TenantId $Tenant.tenantId -GraphEndpoint $Emulator.BaseUri } |
            Should -Throw -ErrorId 'TenantMismatch,Dropzone.ExoSetup.Cmdlets.ConnectDropzoneGraph' -PassThru
        $err.Exception.Message | Should -Match $other
        @(Get-EmulatorRequestLog -Emulator $Emulator).Count | Should -Be 0
        $kept = Get-DropzoneGraphContext
        $kept.Account | Should -Be 'first@contoso.com'
        $kept.ConnectedAt | Should -Be $previous.ConnectedAt
        Get-DropzoneOrganizationId | Should -Be 'contoso.onmicrosoft.com'
    }
}

Describe '401 is not 403' {
    BeforeEach {
        Disconnect-DropzoneGraph
        Clear-EmulatorRequestLog -Emulator $Emulator
    }
    AfterEach { Clear-EmulatorFault -Emulator $Emulator }

    It 'says to connect again when Graph refuses an expired token (401)' {
        $expired = New-TestAccessToken -ExpiresOn ([DateTimeOffset]::UtcNow.AddHours(-1))
        $err = { Connect-DropzoneGraph -AccessToken $expired -GraphEndpoint $Emulator.BaseUri } |
            Should -Throw -ErrorId 'GraphTokenRejected,Dropzone.ExoSetup.Cmdlets.ConnectDropzoneGraph' -PassThru
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.Exception.Message | Should -Match 'InvalidAuthenticationToken'
        $err.ErrorDetails.RecommendedAction | Should -Match 'Connect-DropzoneGraph again'
        @(Get-EmulatorRequestLog -Emulator $Emulator).status | Should -Be @(401)
    }

    It 'says to connect again on a 401 after connecting, and not that a permission is missing' {
        Connect-TestGraph -Emulator $Emulator | Out-Null
        Add-EmulatorFault -Emulator $Emulator -Method GET -Path '/v1.0/organization' -Status 401
        $err = { Get-DropzoneOrganizationId -ErrorAction Stop } |
            Should -Throw -ErrorId 'GraphTokenRejected,Dropzone.ExoSetup.Cmdlets.GetDropzoneOrganizationId' -PassThru
        $err.ErrorDetails.RecommendedAction | Should -Match 'Connect-DropzoneGraph'
        $err.ErrorDetails.RecommendedAction | Should -Not -Match 'Administrator'
    }
}

Describe 'A connection belongs to its runspace' {
    BeforeAll {
        # A second tenant: another id and another initial domain.
        $script:Other = (Enter-DropzoneTestSession -Tenant default).Emulator
        $state = Get-EmulatorState -Emulator $Other
        $state.tenantId = [guid]::NewGuid().ToString()
        $state.organization.id = $state.tenantId
        $state.domains = @(@{ id = 'fabrikam.onmicrosoft.com'; isInitial = $true; isDefault = $true; isVerified = $true; authenticationType = 'Managed' })
        Set-EmulatorState -Emulator $Other -State $state
    }
    AfterAll { Exit-DropzoneTestSession }

    It 'is not seen by another runspace, which can connect to another tenant at the same time' {
        $mine = Connect-TestGraph -Emulator $Emulator
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                param($modulePath, $endpoint, $token)
                Import-Module $modulePath
                $before = Get-DropzoneGraphContext
                $context = Connect-DropzoneGraph -AccessToken $token -GraphEndpoint $endpoint
                [pscustomobject]@{ Before = $before; TenantId = $context.TenantId; Domain = Get-DropzoneOrganizationId }
            }).AddArgument((Get-TestModulePath)).AddArgument($Other.BaseUri).AddArgument((New-TestAccessToken))
            $theirs = $ps.Invoke()
            $ps.Streams.Error | Should -BeNullOrEmpty
        } finally {
            $ps.Dispose()
        }
        $theirs.Before | Should -BeNullOrEmpty
        $theirs.TenantId | Should -Be (Get-EmulatorState -Emulator $Other).tenantId
        $theirs.TenantId | Should -Not -Be $mine.TenantId
        $theirs.Domain | Should -Be 'fabrikam.onmicrosoft.com'
        (Get-DropzoneGraphContext).TenantId | Should -Be $mine.TenantId
        Get-DropzoneOrganizationId | Should -Be 'contoso.onmicrosoft.com'
    }
}

Describe 'Secrets in output' {
    It 'never writes the token to any stream, even with -Verbose and -Debug' {
        $token = New-TestAccessToken -Marker ('secret-' + [guid]::NewGuid())
        $tokenText = Get-TestTokenText $token
        $everything = & {
            Connect-DropzoneGraph -AccessToken $token -GraphEndpoint $Emulator.BaseUri -Verbose -Debug
            Get-DropzoneOrganizationId -Verbose -Debug
            try { Connect-DropzoneGraph -AccessToken $token -GraphEndpoint 'http://127.0.0.1:1' -Verbose -Debug } catch { $_ }
        } *>&1 | Out-String -Width 500
        $everything | Should -Match 'GET /v1.0/organization'
        $everything | Should -Match 'request-id'
        $everything | Should -Not -Match ([regex]::Escape($tokenText))
        $everything | Should -Not -Match ([regex]::Escape($tokenText.Split('.')[1]))
        $everything | Should -Not -Match 'Bearer'
        $everything | Should -Not -Match 'Authorization'
    }

    It 'logs each Graph request with method, path, status, duration and request-id under -Verbose' {
        Connect-TestGraph -Emulator $Emulator | Out-Null
        $line = Get-DropzoneOrganizationId -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match '^Graph GET' } |
            Select-Object -First 1 -ExpandProperty Message
        $line | Should -Match '^Graph GET /v1.0/organization\S* -> 200 OK in \d+ ms \(request-id [0-9a-f-]{36}\)$'
    }
}

Describe 'Ctrl+C during a request' {
    It 'cancels the request in flight and keeps no half-built context' {
        Disconnect-DropzoneGraph
        Set-EmulatorLatency -Emulator $Emulator -Milliseconds 30000
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                param($modulePath, $endpoint, $token)
                Import-Module $modulePath
                Connect-DropzoneGraph -AccessToken $token -GraphEndpoint $endpoint
            }).AddArgument((Get-TestModulePath)).AddArgument($Emulator.BaseUri).AddArgument((New-TestAccessToken))
            $async = $ps.BeginInvoke()
            # Wait until the request is on the wire, then stop the pipeline as Ctrl+C does.
            $deadline = [datetime]::UtcNow.AddSeconds(20)
            while (-not (Get-EmulatorRequestLog -Emulator $Emulator | Where-Object path -EQ '/v1.0/organization') -and [datetime]::UtcNow -lt $deadline) {
                Start-Sleep -Milliseconds 50
            }
            $ps.Stop()
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $ps.Commands.Clear()
            $null = $ps.AddScript({ Get-DropzoneGraphContext })
            $ps.Invoke() | Should -BeNullOrEmpty
        } finally {
            Set-EmulatorLatency -Emulator $Emulator -Milliseconds 0
            $ps.Dispose()
        }
    }
}

Describe 'How to connect to Exchange Online' {
    BeforeAll {
        Reset-TestTenant -Emulator $Emulator -Tenant default
        Get-Module ExchangeOnlineManagement | Remove-Module -Force
        Connect-TestGraph -Emulator $Emulator -Token (New-TestAccessToken -Account 'alex@contoso.onmicrosoft.com') | Out-Null
        $script:Crt = Join-Path $Work 'vendor.crt'
        $null = New-TestCertificate -Path $Crt
    }
    AfterAll { Reset-EmulatorState -Emulator $Emulator }

    It 'tells the admin Connect-ExchangeOnline -UserPrincipalName (with -Device), not -Organization, when Exchange is not connected' {
        $err = { Install-DropzoneExoIntegration -CertificatePath $Crt -ErrorAction Stop } |
            Should -Throw -ErrorId 'ExchangeNotConnected,*' -PassThru
        $err.ErrorDetails.RecommendedAction | Should -Match 'Connect-ExchangeOnline -UserPrincipalName alex@contoso\.onmicrosoft\.com'
        $err.ErrorDetails.RecommendedAction | Should -Match '-Device'
        $err.ErrorDetails.RecommendedAction | Should -Not -Match '-Organization'
    }

    It 'says the same in the summary of -SkipExchange' {
        $summary = Install-DropzoneExoIntegration -CertificatePath $Crt -SkipExchange
        $summary.NextSteps | Should -Match 'Connect-ExchangeOnline -UserPrincipalName alex@contoso\.onmicrosoft\.com'
        ($summary.Steps | Where-Object Name -EQ 'TransportHygiene').Detail | Should -Match '-UserPrincipalName'
        $summary.NextSteps | Should -Not -Match '-Organization'
    }
}
