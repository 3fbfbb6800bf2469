# The Exchange Online steps against the tenant emulator and the fake ExchangeOnlineManagement:
# New-DropzoneExoServicePrincipal and New-DropzoneExoRoleAssignment.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:Emulator = Start-TestEmulator -Tenant customer
    $script:AppId = [guid]'a7d1c3e5-2b4f-4c6a-9e8d-1f3b5d7a9c2e'
    $script:AppObjectId = '0c3f5a7e-9b1d-4f2a-8c4e-6a8b0c2d4e6f'
    $script:SpObjectId = '4d6f8a0c-2e4a-4c6e-8a0c-3e5a7c9e1b3d'

    function Use-Tenant([string] $Name = 'customer') {
        Reset-TestTenant -Emulator $Emulator -Tenant $Name
        Set-ExchangeOption -Emulator $Emulator -UnknownIdentity All -DuplicateRoleAssignment Create -AppRoles Any | Out-Null
    }
    function Get-ExchangeCalls { @(Get-EmulatorRequestLog -Emulator $Emulator | Where-Object path -Like '/adminapi/*' | ForEach-Object detail) }

    Connect-TestGraph -Emulator $Emulator | Out-Null
    Connect-TestExchange -Emulator $Emulator | Out-Null
}

AfterAll {
    Disconnect-TestExchange
    Disconnect-DropzoneGraph
    Stop-TestEmulator
}

Describe 'New-DropzoneExoServicePrincipal' {
    BeforeEach { Use-Tenant }

    It 'registers the Enterprise application''s object id, not the app registration''s' {
        $result = New-DropzoneExoServicePrincipal -ApplicationId $AppId
        $result.PSObject.TypeNames[0] | Should -Be 'Dropzone.ExoSetup.ExchangeServicePrincipalResult'
        $result.Status | Should -Be 'Created'
        $result.ObjectId | Should -Be $SpObjectId
        $result.DisplayName | Should -Be 'Dropzone AI'
        $registered = @((Get-ExchangeState -Emulator $Emulator).servicePrincipals)
        $registered.Count | Should -Be 1
        $registered[0].objectId | Should -Be $SpObjectId
        $registered[0].objectId | Should -Not -Be $AppObjectId
    }

    It 'says AlreadyExists the second time without calling New-ServicePrincipal' {
        New-DropzoneExoServicePrincipal -ApplicationId $AppId | Out-Null
        Clear-EmulatorRequestLog -Emulator $Emulator
        (New-DropzoneExoServicePrincipal -ApplicationId $AppId).Status | Should -Be 'AlreadyExists'
        Get-ExchangeCalls | Should -Not -Contain 'New-ServicePrincipal'
    }

    It 'calls no New-* with -WhatIf' {
        New-DropzoneExoServicePrincipal -ApplicationId $AppId -WhatIf | Should -BeNullOrEmpty
        Get-ExchangeCalls | Should -Not -Contain 'New-ServicePrincipal'
        (Get-ExchangeState -Emulator $Emulator).servicePrincipals | Should -BeNullOrEmpty
    }

    It 'takes the application from Get-DropzoneApplication' {
        (Get-DropzoneApplication | New-DropzoneExoServicePrincipal).ObjectId | Should -Be $SpObjectId
    }

    It 'waits out two replication failures and creates exactly one' {
        Add-ExchangeFault -Emulator $Emulator -Cmdlet New-ServicePrincipal -Kind Replication -Count 2 | Out-Null
        (New-DropzoneExoServicePrincipal -ApplicationId $AppId -TimeoutSeconds 30).Status | Should -Be 'Created'
        @((Get-ExchangeState -Emulator $Emulator).servicePrincipals).Count | Should -Be 1
        @(Get-ExchangeCalls | Where-Object { $_ -eq 'New-ServicePrincipal' }).Count | Should -Be 3
    }

    It 'gives up with ExchangeReplicationTimeout after -TimeoutSeconds' {
        Add-ExchangeFault -Emulator $Emulator -Cmdlet New-ServicePrincipal -Kind Replication -Count 1000 | Out-Null
        $err = { New-DropzoneExoServicePrincipal -ApplicationId $AppId -TimeoutSeconds 2 -ErrorAction Stop } |
            Should -Throw -ErrorId 'ExchangeReplicationTimeout,*' -PassThru
        $err.Exception.Message | Should -Match 'could not be found in Azure Active Directory'
        (Get-ExchangeState -Emulator $Emulator).servicePrincipals | Should -BeNullOrEmpty
    }

    It 'refuses an Exchange registration made with another object id' {
        $state = Get-EmulatorState -Emulator $Emulator
        $state.exchange.servicePrincipals = @(@{ objectId = $AppObjectId; appId = "$AppId"; displayName = 'Dropzone AI' })
        Set-EmulatorState -Emulator $Emulator -State $state
        $err = { New-DropzoneExoServicePrincipal -ApplicationId $AppId -ErrorAction Stop } | Should -Throw -ErrorId 'ExchangeServicePrincipalMismatch,*' -PassThru
        $err.ErrorDetails.RecommendedAction | Should -Match "Remove-ServicePrincipal -Identity $AppObjectId"
    }

    It 'honours a Pester mock of New-ServicePrincipal in the user''s own tests' {
        Mock New-ServicePrincipal { [pscustomobject]@{ AppId = $AppId; ObjectId = $ObjectId; DisplayName = $DisplayName } }
        (New-DropzoneExoServicePrincipal -ApplicationId $AppId).Status | Should -Be 'Created'
        Should -Invoke New-ServicePrincipal -Times 1 -Exactly -ParameterFilter { $ObjectId -eq $SpObjectId -and $AppId -eq "$script:AppId" }
        Get-ExchangeCalls | Should -Not -Contain 'New-ServicePrincipal'
    }
}

Describe 'New-DropzoneExoRoleAssignment' {
    BeforeEach { Use-Tenant }

    It 'assigns Transport Hygiene to the service principal''s object id, then says AlreadyExists' {
        New-DropzoneExoServicePrincipal -ApplicationId $AppId | Out-Null
        $result = New-DropzoneExoRoleAssignment -ApplicationId $AppId
        $result.Status | Should -Be 'Created'
        $result.Role | Should -Be 'Transport Hygiene'
        $result.ObjectId | Should -Be $SpObjectId
        $assignment = @((Get-ExchangeState -Emulator $Emulator).roleAssignments | Where-Object role -EQ 'Transport Hygiene' | Where-Object roleAssigneeName -EQ $SpObjectId)
        $assignment.Count | Should -Be 1
        $result.Name | Should -Be $assignment[0].name

        Clear-EmulatorRequestLog -Emulator $Emulator
        (New-DropzoneExoRoleAssignment -ApplicationId $AppId).Status | Should -Be 'AlreadyExists'
        Get-ExchangeCalls | Should -Not -Contain 'New-ManagementRoleAssignment'
    }

    It 'needs the Exchange service principal first: ExchangeServicePrincipalMissing' {
        $err = { New-DropzoneExoRoleAssignment -ApplicationId $AppId -ErrorAction Stop } | Should -Throw -ErrorId 'ExchangeServicePrincipalMissing,*' -PassThru
        $err.ErrorDetails.RecommendedAction | Should -Match 'New-DropzoneExoServicePrincipal'
        Get-ExchangeCalls | Should -Not -Contain 'New-ManagementRoleAssignment'
    }

    It 'fails with Exchange''s message and the cmdlet''s name on a non-terminating error' {
        New-DropzoneExoServicePrincipal -ApplicationId $AppId | Out-Null
        Add-ExchangeFault -Emulator $Emulator -Cmdlet New-ManagementRoleAssignment -Kind Error -Message 'The role assignment policy forbids it.' | Out-Null
        $out = New-DropzoneExoRoleAssignment -ApplicationId $AppId -ErrorAction SilentlyContinue -ErrorVariable failures
        $out | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ExchangeCommandFailed,*'
        $failures[0].Exception.Message | Should -Match 'New-ManagementRoleAssignment'
        $failures[0].Exception.Message | Should -Match 'policy forbids it'
    }

    It 'calls no New-* with -WhatIf' {
        New-DropzoneExoServicePrincipal -ApplicationId $AppId | Out-Null
        Clear-EmulatorRequestLog -Emulator $Emulator
        New-DropzoneExoRoleAssignment -ApplicationId $AppId -WhatIf | Should -BeNullOrEmpty
        Get-ExchangeCalls | Should -Not -Contain 'New-ManagementRoleAssignment'
    }

    It 'assigns another role with -Role' {
        New-DropzoneExoServicePrincipal -ApplicationId $AppId | Out-Null
        (New-DropzoneExoRoleAssignment -ApplicationId $AppId -Role 'View-Only Configuration').Role | Should -Be 'View-Only Configuration'
    }
}

Describe 'Whatever Get-ServicePrincipal does with an unknown identity (<Mode>)' -ForEach @(@{ Mode = 'All' }, @{ Mode = 'Error' }) {
    BeforeEach {
        Use-Tenant
        Set-ExchangeOption -Emulator $Emulator -UnknownIdentity $Mode | Out-Null
        # Another app's service principal is registered in Exchange.
        New-ServicePrincipal -AppId 'c2e4a6c8-0e2a-4c4e-8a6c-7e9a1c3e5a7c' -ObjectId '9b1d3f5a-7c9e-4b1d-8f3a-6c8e0a2c4e6a' -DisplayName 'Contoso HR Portal' -ErrorAction Stop | Out-Null
    }

    It 'does not take another app''s service principal for ours' {
        { New-DropzoneExoRoleAssignment -ApplicationId $AppId -ErrorAction Stop } | Should -Throw -ErrorId 'ExchangeServicePrincipalMissing,*'
        (New-DropzoneExoServicePrincipal -ApplicationId $AppId).Status | Should -Be 'Created'
        (New-DropzoneExoRoleAssignment -ApplicationId $AppId).ObjectId | Should -Be $SpObjectId
    }
}

Describe 'The Exchange session' {
    BeforeEach { Use-Tenant }
    AfterEach {
        Disconnect-TestExchange
        Connect-TestExchange -Emulator $Emulator | Out-Null
    }

    It 'must be connected: ExchangeNotConnected, telling how, and nothing is called' {
        Disconnect-ExchangeOnline -Confirm:$false
        Clear-EmulatorRequestLog -Emulator $Emulator
        foreach ($step in { New-DropzoneExoServicePrincipal -ApplicationId $AppId -ErrorAction Stop }, { New-DropzoneExoRoleAssignment -ApplicationId $AppId -ErrorAction Stop }) {
            $err = $step | Should -Throw -ErrorId 'ExchangeNotConnected,*' -PassThru
            $err.ErrorDetails.RecommendedAction | Should -Match 'Connect-ExchangeOnline'
            $err.ErrorDetails.RecommendedAction | Should -Match 'Connect-ExchangeOnline -UserPrincipalName'
        }
        Get-EmulatorRequestLog -Emulator $Emulator | Should -BeNullOrEmpty
    }

    It 'may be connected with -Prefix' {
        Disconnect-TestExchange
        Import-FakeExchangeModule -Emulator $Emulator | Out-Null
        Connect-ExchangeOnline -ConnectionUri $Emulator.BaseUri -Organization (Get-TestOrganization -Emulator $Emulator) -AccessToken 'x' -Prefix Contoso -ShowBanner:$false
        (New-DropzoneExoServicePrincipal -ApplicationId $AppId).Status | Should -Be 'Created'
        (New-DropzoneExoRoleAssignment -ApplicationId $AppId).Status | Should -Be 'Created'
    }
}
