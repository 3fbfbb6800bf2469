# The Exchange Online steps against the tenant emulator and the fake ExchangeOnlineManagement:
# New-DropzoneExoServicePrincipal and New-DropzoneExoRoleAssignment. Every test runs under each
# combination of the emulated Exchange's UNCONFIRMED behaviours (Get-ExchangeBehaviour, TestHelpers):
# how an assignee is shown, the default assignment name, the wording of a replication lag, and which
# cmdlet the lag hits.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Behaviours = @(Get-ExchangeBehaviour)
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Session = Enter-DropzoneTestSession -Tenant customer -Graph -Exchange -Variable Emulator, AppId, AppObjectId
    $script:SpObjectId = '4d6f8a0c-2e4a-4c6e-8a0c-3e5a7c9e1b3d'
    $script:OurName = "Transport Hygiene-$SpObjectId"
    $script:ReplicationText = @{ AzureAd = 'could not be found in Azure Active Directory'; ObjectNotFound = "couldn't be found on" }

    function Use-Tenant([string] $Name = 'customer') {
        Reset-TestTenant -Emulator $Emulator -Tenant $Name
        Set-ExchangeOption -Emulator $Emulator -UnknownIdentity All -DuplicateRoleAssignment Create -AppRoles Any | Out-Null
        Set-ExchangeBehaviour -Emulator $Emulator -Behaviour $script:Behaviour
    }
    function Get-ExchangeCalls { Get-ExchangeCall -Emulator $Emulator }
    function Get-Assignments { @((Get-ExchangeState -Emulator $Emulator).roleAssignments | Where-Object roleAssigneeName -EQ $SpObjectId) }
}

AfterAll { Exit-DropzoneTestSession }

Describe 'Exchange steps when <Behaviour>' -ForEach $Behaviours {
    BeforeAll { $script:Behaviour = $Exchange }

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
            Get-ExchangeCalls | Should -Be @('Get-ServicePrincipal', 'New-ServicePrincipal')
        }

        It 'says AlreadyExists the second time without calling New-ServicePrincipal' {
            New-DropzoneExoServicePrincipal -ApplicationId $AppId | Out-Null
            Clear-EmulatorRequestLog -Emulator $Emulator
            (New-DropzoneExoServicePrincipal -ApplicationId $AppId).Status | Should -Be 'AlreadyExists'
            Get-ExchangeCalls | Should -Be @('Get-ServicePrincipal')
        }

        It 'calls no New-* with -WhatIf' {
            New-DropzoneExoServicePrincipal -ApplicationId $AppId -WhatIf | Should -BeNullOrEmpty
            Get-ExchangeCalls | Should -Not -Contain 'New-ServicePrincipal'
            (Get-ExchangeState -Emulator $Emulator).servicePrincipals | Should -BeNullOrEmpty
        }

        It 'takes the application from Get-DropzoneApplication' {
            (Get-DropzoneApplication | New-DropzoneExoServicePrincipal).ObjectId | Should -Be $SpObjectId
        }

        It 'waits out two replication failures, trying again without a look between (a retry that took answers "already exists"), and creates exactly one' {
            Add-ExchangeFault -Emulator $Emulator -Cmdlet New-ServicePrincipal -Kind Replication -Count 2 | Out-Null
            (New-DropzoneExoServicePrincipal -ApplicationId $AppId -TimeoutSeconds 30).Status | Should -Be 'Created'
            @((Get-ExchangeState -Emulator $Emulator).servicePrincipals).Count | Should -Be 1
            Get-ExchangeCalls | Should -Be @('Get-ServicePrincipal', 'New-ServicePrincipal', 'New-ServicePrincipal', 'New-ServicePrincipal')
        }

        It 'gives up with ExchangeReplicationTimeout after -TimeoutSeconds' {
            Add-ExchangeFault -Emulator $Emulator -Cmdlet New-ServicePrincipal -Kind Replication -Count 1000 | Out-Null
            $err = { New-DropzoneExoServicePrincipal -ApplicationId $AppId -TimeoutSeconds 1 -ErrorAction Stop } |
                Should -Throw -ErrorId 'ExchangeReplicationTimeout,*' -PassThru
            $err.Exception.Message | Should -BeLike "*$($ReplicationText[$script:Behaviour.ReplicationError])*"
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

        It 'assigns Transport Hygiene under the module''s own name, then says AlreadyExists after one lookup of the role''s assignments' {
            New-DropzoneExoServicePrincipal -ApplicationId $AppId | Out-Null
            Clear-EmulatorRequestLog -Emulator $Emulator
            $result = New-DropzoneExoRoleAssignment -ApplicationId $AppId
            $result.Status | Should -Be 'Created'
            $result.Role | Should -Be 'Transport Hygiene'
            $result.ObjectId | Should -Be $SpObjectId
            $result.Name | Should -Be $OurName
            $assignment = @(Get-Assignments | Where-Object role -EQ 'Transport Hygiene')
            $assignment.Count | Should -Be 1
            $assignment[0].name | Should -Be $OurName

            Clear-EmulatorRequestLog -Emulator $Emulator
            (New-DropzoneExoRoleAssignment -ApplicationId $AppId).Status | Should -Be 'AlreadyExists'
            Get-ExchangeCalls | Should -Be @('Get-ServicePrincipal', 'Get-ManagementRoleAssignment')
        }

        It 'recognises an assignment made by hand without the module''s name, and makes none' {
            New-DropzoneExoServicePrincipal -ApplicationId $AppId | Out-Null
            $byHand = New-ManagementRoleAssignment -App $SpObjectId -Role 'Transport Hygiene' -ErrorAction Stop
            Clear-EmulatorRequestLog -Emulator $Emulator
            $result = New-DropzoneExoRoleAssignment -ApplicationId $AppId
            $result.Status | Should -Be 'AlreadyExists'
            $result.Name | Should -Be $byHand.Name
            Get-ExchangeCalls | Should -Not -Contain 'New-ManagementRoleAssignment'
            @(Get-Assignments).Count | Should -Be 1
        }

        It 'does not take the assignment of another service principal with the same display name for ours' {
            New-DropzoneExoServicePrincipal -ApplicationId $AppId | Out-Null
            # Contoso HR Portal registered in Exchange under the name "Dropzone AI", with the role.
            New-ServicePrincipal -AppId 'c2e4a6c8-0e2a-4c4e-8a6c-7e9a1c3e5a7c' -ObjectId '9b1d3f5a-7c9e-4b1d-8f3a-6c8e0a2c4e6a' -DisplayName 'Dropzone AI' -ErrorAction Stop | Out-Null
            New-ManagementRoleAssignment -App '9b1d3f5a-7c9e-4b1d-8f3a-6c8e0a2c4e6a' -Role 'Transport Hygiene' -ErrorAction Stop | Out-Null
            (New-DropzoneExoRoleAssignment -ApplicationId $AppId).Status | Should -Be 'Created'
            (Get-Assignments).name | Should -Be $OurName
        }

        It 'waits out two replication failures, looking by name before each retry, and assigns exactly once' {
            New-DropzoneExoServicePrincipal -ApplicationId $AppId | Out-Null
            Add-ExchangeFault -Emulator $Emulator -Cmdlet New-ManagementRoleAssignment -Kind Replication -Count 2 | Out-Null
            Clear-EmulatorRequestLog -Emulator $Emulator
            (New-DropzoneExoRoleAssignment -ApplicationId $AppId -TimeoutSeconds 30).Status | Should -Be 'Created'
            @(Get-ExchangeCalls | Where-Object { $_ -eq 'New-ManagementRoleAssignment' }).Count | Should -Be 3
            (Get-Assignments).name | Should -Be $OurName
        }

        It 'fails at once on a not-found about another object (the role), in either wording' {
            New-DropzoneExoServicePrincipal -ApplicationId $AppId | Out-Null
            Add-ExchangeFault -Emulator $Emulator -Cmdlet New-ManagementRoleAssignment -Kind Error -Status 404 `
                -ExceptionType 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException' `
                -Message "The operation couldn't be performed because object 'Transport Hygiene' couldn't be found on 'EMU01DC01.PROD.OUTLOOK.COM'." | Out-Null
            Clear-EmulatorRequestLog -Emulator $Emulator
            $err = { New-DropzoneExoRoleAssignment -ApplicationId $AppId -TimeoutSeconds 30 -ErrorAction Stop } |
                Should -Throw -ErrorId 'ExchangeCommandFailed,*' -PassThru
            $err.Exception.Message | Should -Match "object 'Transport Hygiene' couldn't be found"
            @(Get-ExchangeCalls | Where-Object { $_ -eq 'New-ManagementRoleAssignment' }).Count | Should -Be 1
            Get-Assignments | Should -BeNullOrEmpty
        }

        It 'fails at once on an unknown role' {
            New-DropzoneExoServicePrincipal -ApplicationId $AppId | Out-Null
            { New-DropzoneExoRoleAssignment -ApplicationId $AppId -Role 'No Such Role' -TimeoutSeconds 30 -ErrorAction Stop } |
                Should -Throw -ErrorId 'ExchangeCommandFailed,*'
            Get-Assignments | Should -BeNullOrEmpty
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

        It 'assigns another role with -Role, under a name of its own' {
            New-DropzoneExoServicePrincipal -ApplicationId $AppId | Out-Null
            $result = New-DropzoneExoRoleAssignment -ApplicationId $AppId -Role 'View-Only Configuration'
            $result.Role | Should -Be 'View-Only Configuration'
            $result.Name | Should -Be "View-Only Configuration-$SpObjectId"
        }
    }

    Describe 'Whatever Get-ServicePrincipal does with an unknown identity (<_>)' -ForEach @('All', 'Error') {
        BeforeEach {
            Use-Tenant
            Set-ExchangeOption -Emulator $Emulator -UnknownIdentity $_ | Out-Null
            # Another app's service principal is registered in Exchange.
            New-ServicePrincipal -AppId 'c2e4a6c8-0e2a-4c4e-8a6c-7e9a1c3e5a7c' -ObjectId '9b1d3f5a-7c9e-4b1d-8f3a-6c8e0a2c4e6a' -DisplayName 'Contoso HR Portal' -ErrorAction Stop | Out-Null
        }

        It 'does not take another app''s service principal for ours' {
            { New-DropzoneExoRoleAssignment -ApplicationId $AppId -ErrorAction Stop } | Should -Throw -ErrorId 'ExchangeServicePrincipalMissing,*'
            (New-DropzoneExoServicePrincipal -ApplicationId $AppId).Status | Should -Be 'Created'
            (New-DropzoneExoRoleAssignment -ApplicationId $AppId).ObjectId | Should -Be $SpObjectId
            (Get-Assignments).name | Should -Be $OurName
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
}
