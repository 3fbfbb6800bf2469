# Tests of the test tooling's Exchange half: the fake ExchangeOnlineManagement module
# (tests/Fakes/ExchangeOnlineManagement) against the tenant emulator's Exchange admin API, over
# real HTTP. Needs out/tools/TenantEmulator/TenantEmulator.dll (build the emulator first).

BeforeDiscovery {
    $reference = Import-PowerShellDataFile (Join-Path $PSScriptRoot 'Fakes/ExchangeOnlineManagement/CmdletReference.psd1')
    $script:ReferenceCases = foreach ($name in ($reference.Keys | Sort-Object)) {
        $entry = $reference[$name]
        $onPremParams = if ($entry.ContainsKey('OnPremisesOnly')) { @($entry.OnPremisesOnly) } else { @() }
        $onPremSets = if ($entry.ContainsKey('OnPremisesOnlySets')) { @($entry.OnPremisesOnlySets) } else { @() }
        $sets = [ordered]@{}
        foreach ($set in ($entry.Sets.Keys | Sort-Object)) {
            if ($set -in $onPremSets) { continue }
            $sets[$set] = (@($entry.Sets[$set] | Where-Object { $_ -notin $onPremParams }) | Sort-Object) -join ','
        }
        @{ Name = $name; Expected = $sets }
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Org = 'contosotest.onmicrosoft.com'
    $script:AppId = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d'          # "Dropzone AI"
    $script:AppObjectId = '5b1f0e2a-7c3d-4e8f-9a01-b2c3d4e5f601'    # its app registration: NOT valid for New-ServicePrincipal
    $script:SpObjectId = '0f9e8d7c-6b5a-4493-8271-605f4e3d2c1b'     # its service principal ("object-spid")
    $script:OtherAppId = 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e'
    $script:OtherSpObjectId = '1a0f9e8d-7c6b-45a4-9382-716050f4e3d2'
    $script:RbacCommands = 'New-ServicePrincipal', 'Get-ServicePrincipal', 'Remove-ServicePrincipal',
    'New-ManagementRoleAssignment', 'Get-ManagementRoleAssignment', 'Remove-ManagementRoleAssignment'

    function Get-ActualParameterSets([string]$Name) {
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters
        $sets = [ordered]@{}
        foreach ($set in ((Get-Command $Name -ErrorAction Stop).ParameterSets | Sort-Object Name)) {
            $sets[$set.Name] = (@($set.Parameters.Name | Where-Object { $_ -notin $common }) | Sort-Object) -join ','
        }
        $sets
    }

    function Get-ExchangeRequestDetail($Emulator) {
        @((Invoke-EmulatorControl -Emulator $Emulator -Path 'requests').value |
                Where-Object { $_.path -like '/adminapi/*' } | ForEach-Object { $_.detail })
    }
}

# Each Describe enters a session of its own (a fresh exchange-test tenant); this closes anything left.
AfterAll { Exit-DropzoneTestSession }

Describe 'Connecting the fake ExchangeOnlineManagement' {
    # Not connected: the tests import and connect the fake themselves.
    BeforeAll { $script:Session = Enter-DropzoneTestSession -Tenant 'exchange-test' -Variable Emulator }
    AfterAll { Exit-DropzoneTestSession }

    It 'exports only the connection cmdlets before Connect-ExchangeOnline' {
        $module = Import-FakeExchangeModule
        $module.Version | Should -Be ([version]'3.9.0')
        @($module.ExportedFunctions.Keys | Sort-Object) | Should -Be @('Connect-ExchangeOnline', 'Disconnect-ExchangeOnline', 'Get-ConnectionInformation')
        foreach ($name in $script:RbacCommands) { Get-Command $name -ErrorAction SilentlyContinue | Should -BeNullOrEmpty }
        Get-ConnectionInformation | Should -BeNullOrEmpty
    }

    It 'is found by name on PSModulePath once imported through the helper' {
        $null = Import-FakeExchangeModule
        (Get-Module -ListAvailable ExchangeOnlineManagement | Select-Object -First 1).Path | Should -BeLike "*Fakes*ExchangeOnlineManagement.psd1"
    }

    It 'refuses to connect without an endpoint (never reaches Microsoft)' {
        $null = Import-FakeExchangeModule
        Remove-Item Env:DROPZONE_FAKE_EXO_URI -ErrorAction SilentlyContinue
        { Connect-ExchangeOnline -Organization $script:Org -AccessToken 't' -ShowBanner:$false } | Should -Throw '*no endpoint*'
    }

    It 'creates a global tmpEXO_ module with the RBAC cmdlets and records the connection' {
        $connection = Connect-TestExchange -Emulator $script:Emulator
        $connection.State | Should -Be 'Connected'
        $connection.TokenStatus | Should -Be 'Active'
        $connection.Id | Should -BeOfType [int]
        $connection.Name | Should -Be "ExchangeOnline_$($connection.Id)"
        $connection.ConnectionUri | Should -Be $script:Emulator.BaseUri
        $connection.Organization | Should -Be $script:Org
        $connection.ConnectionId | Should -Match '^[0-9a-f-]{36}$'
        $connection.IsEopSession | Should -BeFalse
        $connection.ModulePrefix | Should -Be ''
        $moduleName = Split-Path -Leaf $connection.ModuleName
        $moduleName | Should -Match '^tmpEXO_[a-z0-9]{8}\.[a-z0-9]{3}$'
        Test-Path -LiteralPath $connection.ModuleName | Should -BeTrue
        foreach ($name in $script:RbacCommands) {
            $command = Get-Command $name -ErrorAction Stop
            $command.CommandType | Should -Be 'Function'
            $command.ModuleName | Should -Be $moduleName
        }
        @(Get-ConnectionInformation).Count | Should -Be 1
    }

    It 'sends the calls of a -DelegatedOrganization connection to that customer tenant' {
        $customer = Get-Content (Get-TestTenantFile 'exchange-test') -Raw | ConvertFrom-Json
        $customer.tenantId = '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'
        $customer.organization.id = $customer.tenantId
        $customer.domains = @([pscustomobject]@{ id = 'fabrikam.onmicrosoft.com'; isInitial = $true; isDefault = $true; isVerified = $true })
        Add-EmulatorTenant -Emulator $script:Emulator -State $customer
        $null = Invoke-EmulatorControl -Emulator $script:Emulator -Path requests -Method DELETE
        Connect-ExchangeOnline -ConnectionUri $script:Emulator.BaseUri -DelegatedOrganization 'fabrikam.onmicrosoft.com' -UserPrincipalName 'admin@contosotest.onmicrosoft.com' -ShowBanner:$false
        (Get-ConnectionInformation).DelegatedOrganization | Should -Be 'fabrikam.onmicrosoft.com'
        $null = Get-ManagementRoleAssignment -Role 'Transport Hygiene'
        @((Invoke-EmulatorControl -Emulator $script:Emulator -Path 'requests?tenant=fabrikam.onmicrosoft.com').value).Count | Should -Be 1
        @((Invoke-EmulatorControl -Emulator $script:Emulator -Path requests).value) | Should -BeNullOrEmpty
        $null = Connect-TestExchange -Emulator $script:Emulator   # the tenant's own connection again, for the tests below
    }

    It 'replaces the connection on a second Connect-ExchangeOnline (same prefix)' {
        $first = Get-ConnectionInformation
        Connect-ExchangeOnline -ConnectionUri $script:Emulator.BaseUri -Organization $script:Org -AccessToken 't2' -ShowBanner:$false
        $now = @(Get-ConnectionInformation)
        $now.Count | Should -Be 1
        $now[0].ConnectionId | Should -Not -Be $first.ConnectionId
        Test-Path -LiteralPath $first.ModuleName | Should -BeFalse
        @(Get-Module | Where-Object Name -Like 'tmpEXO_*').Count | Should -Be 1
    }

    It 'Disconnect-ExchangeOnline removes the tmp module, its folder and the connection' {
        $connection = Get-ConnectionInformation
        Disconnect-ExchangeOnline -Confirm:$false
        Get-ConnectionInformation | Should -BeNullOrEmpty
        foreach ($name in $script:RbacCommands) { Get-Command $name -ErrorAction SilentlyContinue | Should -BeNullOrEmpty }
        Get-Module | Where-Object Name -Like 'tmpEXO_*' | Should -BeNullOrEmpty
        Test-Path -LiteralPath $connection.ModuleName | Should -BeFalse
    }

    It 'connects without -ConnectionUri when pointed at the emulator, as production code calls it' {
        $null = Import-FakeExchangeModule -Emulator $script:Emulator
        Connect-ExchangeOnline -Organization $script:Org -ShowBanner:$false
        (Get-ConnectionInformation).ConnectionUri | Should -Be $script:Emulator.BaseUri
        @(Get-ServicePrincipal).Count | Should -Be 0
        Disconnect-ExchangeOnline -Confirm:$false
    }

    It 'applies -Prefix and -CommandName like Import-Module' {
        $null = Import-FakeExchangeModule -Emulator $script:Emulator
        Connect-ExchangeOnline -Organization $script:Org -Prefix 'Contoso' -CommandName 'Get-ServicePrincipal' -ShowBanner:$false
        Get-Command Get-ContosoServicePrincipal -ErrorAction SilentlyContinue | Should -Not -BeNullOrEmpty
        Get-Command New-ContosoServicePrincipal -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        (Get-ConnectionInformation -ModulePrefix 'Contoso').ModulePrefix | Should -Be 'Contoso'
        Disconnect-ExchangeOnline -ModulePrefix 'Contoso' -Confirm:$false
        Get-ConnectionInformation | Should -BeNullOrEmpty
    }

    It 'the admin API refuses a request without a Bearer token (401, Exchange error body)' {
        $body = '{"CmdletInput":{"CmdletName":"Get-ServicePrincipal","Parameters":{}}}'
        $response = Invoke-WebRequest -Uri "$($script:Emulator.BaseUri)/adminapi/beta/$($script:Org)/InvokeCommand" -Method Post -Body $body -ContentType 'application/json' -SkipHttpErrorCheck
        $response.StatusCode | Should -Be 401
    }

    It 'answers InvokeCommand with {value:[...]} and errors in the Exchange admin API error shape' {
        $uri = "$($script:Emulator.BaseUri)/adminapi/beta/$($script:Org)/InvokeCommand"
        $headers = @{ Authorization = 'Bearer t' }
        $ok = Invoke-RestMethod -Uri $uri -Method Post -Headers $headers -ContentType 'application/json' -Body '{"CmdletInput":{"CmdletName":"Get-ServicePrincipal","Parameters":{}}}'
        $ok.PSObject.Properties.Name | Should -Contain 'value'
        $ok.PSObject.Properties.Name | Should -Contain '@odata.context'
        $body = @{ CmdletInput = @{ CmdletName = 'Remove-ServicePrincipal'; Parameters = @{ Identity = 'nope' } } } | ConvertTo-Json -Depth 5
        $response = Invoke-WebRequest -Uri $uri -Method Post -Headers $headers -ContentType 'application/json' -Body $body -SkipHttpErrorCheck
        $response.StatusCode | Should -Be 400
        $fault = ($response.Content | ConvertFrom-Json).error
        $fault.code | Should -Be 'BadRequest'
        $fault.message | Should -Be 'Invalid Operation'
        $fault.innererror.internalexception.type | Should -Be 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException'
        $fault.innererror.internalexception.message | Should -BeLike "*'nope' couldn't be found*"
        @($fault.details)[0].message | Should -BeLike '*|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|*'
        $unknown = Invoke-WebRequest -Uri $uri -Method Post -Headers $headers -ContentType 'application/json' -Body '{"CmdletInput":{"CmdletName":"Get-Mailbox","Parameters":{}}}' -SkipHttpErrorCheck
        $unknown.StatusCode | Should -Be 400
    }
}

Describe 'Parameter sets of the fake cmdlets match the cmdlet reference' {
    BeforeAll { $script:Session = Enter-DropzoneTestSession -Tenant 'exchange-test' -Exchange -Variable Emulator }
    AfterAll { Exit-DropzoneTestSession }

    It '<Name>' -ForEach $script:ReferenceCases {
        $actual = Get-ActualParameterSets $Name
        if ($Expected.Count -eq 1 -and $actual.Count -eq 1) {
            # A single (unnamed) set: only its parameters matter.
            @($actual.Values)[0] | Should -Be @($Expected.Values)[0]
        }
        else {
            @($actual.Keys) | Should -Be @($Expected.Keys)
            foreach ($set in $Expected.Keys) { $actual[$set] | Should -Be $Expected[$set] -Because "parameter set $set" }
        }
    }
}

Describe 'Service principals' {
    BeforeAll { $script:Session = Enter-DropzoneTestSession -Tenant 'exchange-test' -Exchange -Variable Emulator }
    AfterAll { Exit-DropzoneTestSession }

    It 'refuses the app registration''s object id with a non-terminating error' {
        $result = New-ServicePrincipal -AppId $script:AppId -ObjectId $script:AppObjectId -ErrorAction SilentlyContinue -ErrorVariable err
        $result | Should -BeNullOrEmpty
        $err.Count | Should -Be 1
        $err[0].Exception.Message | Should -BeLike '*could not be found in Azure Active Directory*'
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ServicePrincipalNotFoundInDirectoryException*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].TargetObject | Should -Be $script:AppId
        $err[0].Exception.Data['ExchangeExceptionType'] | Should -BeLike 'Microsoft.Exchange.*'
        (Get-ExchangeState -Emulator $script:Emulator).servicePrincipals | Should -BeNullOrEmpty
    }

    It 'a failing call goes on unless -ErrorAction Stop, which makes it catchable' {
        $after = & { New-ServicePrincipal -AppId $script:AppId -ObjectId $script:AppObjectId 2>$null; 'went on' }
        $after | Should -Be 'went on'
        { New-ServicePrincipal -AppId $script:AppId -ObjectId $script:AppObjectId -ErrorAction Stop } | Should -Throw '*could not be found in Azure Active Directory*'
    }

    It '-WhatIf sends nothing' {
        $before = (Get-ExchangeRequestDetail $script:Emulator).Count
        New-ServicePrincipal -AppId $script:AppId -ObjectId $script:SpObjectId -WhatIf | Should -BeNullOrEmpty
        (Get-ExchangeRequestDetail $script:Emulator).Count | Should -Be $before
    }

    It 'creates the Exchange service principal for the Enterprise application''s object id' {
        $sp = New-ServicePrincipal -AppId $script:AppId -ObjectId $script:SpObjectId -DisplayName 'Dropzone AI' -ErrorAction Stop
        $sp.AppId | Should -Be $script:AppId
        $sp.ObjectId | Should -Be $script:SpObjectId
        $sp.Identity | Should -Be $script:SpObjectId
        $sp.DisplayName | Should -Be 'Dropzone AI'
        $sp.Name | Should -Not -BeNullOrEmpty
    }

    It 'refuses a second service principal for the same AppId' {
        New-ServicePrincipal -AppId $script:AppId -ObjectId $script:SpObjectId -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err.Count | Should -Be 1
        $err[0].Exception.Message | Should -BeLike '*already exists*'
        $err[0].CategoryInfo.Category | Should -Be 'ResourceExists'
    }

    It 'finds it by ObjectId, AppId and DisplayName' {
        foreach ($identity in $script:SpObjectId, $script:AppId, 'Dropzone AI') {
            $found = @(Get-ServicePrincipal -Identity $identity)
            $found.Count | Should -Be 1
            $found[0].ObjectId | Should -Be $script:SpObjectId
        }
    }

    It 'reports the organization as the tenant''s initial domain, and -Identity $null as no identity' {
        $sp = Get-ServicePrincipal -Identity $null -ErrorAction Stop
        @($sp).Count | Should -Be 1
        $sp.Organization | Should -Be $script:Org
        $sp.DistinguishedName | Should -BeLike "CN=$($script:SpObjectId),*"
        (Get-ServicePrincipal -Identity $sp.DistinguishedName).ObjectId | Should -Be $script:SpObjectId
    }

    It 'accepts the deprecated -ServiceId for the object id' {
        $sp = New-ServicePrincipal -AppId $script:OtherAppId -ServiceId $script:OtherSpObjectId -ErrorAction Stop
        $sp.ObjectId | Should -Be $script:OtherSpObjectId
        $sp.DisplayName | Should -Be 'Other App'
        @(Get-ServicePrincipal).Count | Should -Be 2
    }

    It 'an unknown -Identity returns ALL service principals by default (unknownIdentity = all)' {
        @(Get-ServicePrincipal -Identity '00000000-0000-0000-0000-000000000000').Count | Should -Be 2
    }

    It 'an unknown -Identity is a not-found error with unknownIdentity = error' {
        $null = Set-ExchangeOption -Emulator $script:Emulator -UnknownIdentity Error
        try {
            $result = Get-ServicePrincipal -Identity '00000000-0000-0000-0000-000000000000' -ErrorAction SilentlyContinue -ErrorVariable err
            $result | Should -BeNullOrEmpty
            $err.Count | Should -Be 1
            $err[0].Exception.Message | Should -BeLike "*couldn't be found*"
            $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }
        finally { $null = Set-ExchangeOption -Emulator $script:Emulator -UnknownIdentity All }
    }

    It 'Remove-ServicePrincipal removes it (pipeline input too)' {
        Remove-ServicePrincipal -Identity $script:OtherSpObjectId -Confirm:$false -ErrorAction Stop
        @(Get-ServicePrincipal).ObjectId | Should -Not -Contain $script:OtherSpObjectId
        Remove-ServicePrincipal -Identity $script:OtherSpObjectId -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        $err.Count | Should -Be 1
        Get-ServicePrincipal -Identity $script:SpObjectId | Remove-ServicePrincipal -Confirm:$false -ErrorAction Stop
        Get-ServicePrincipal | Should -BeNullOrEmpty
    }
}

Describe 'Injected faults' {
    BeforeAll { $script:Session = Enter-DropzoneTestSession -Tenant 'exchange-test' -Exchange -Variable Emulator }
    AfterAll { Exit-DropzoneTestSession }
    AfterEach { Clear-ExchangeFault -Emulator $script:Emulator }

    It 'a replication fault fails the next N calls, then the call succeeds' {
        $null = Add-ExchangeFault -Emulator $script:Emulator -Cmdlet 'New-ServicePrincipal' -Kind Replication -Count 2
        foreach ($attempt in 1..2) {
            New-ServicePrincipal -AppId $script:AppId -ObjectId $script:SpObjectId -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
            $err.Count | Should -Be 1
            $err[0].Exception.Message | Should -BeLike "*$($script:SpObjectId)*could not be found in Azure Active Directory*"
        }
        (New-ServicePrincipal -AppId $script:AppId -ObjectId $script:SpObjectId -ErrorAction Stop).ObjectId | Should -Be $script:SpObjectId
    }

    It 'a generic fault carries the given message, and only hits the named cmdlet' {
        $null = Add-ExchangeFault -Emulator $script:Emulator -Cmdlet 'New-ManagementRoleAssignment' -Kind Error -Message 'Transient failure, try again.'
        @(Get-ServicePrincipal).Count | Should -Be 1
        New-ManagementRoleAssignment -Role 'Transport Hygiene' -App $script:SpObjectId -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].Exception.Message | Should -Be 'Transient failure, try again.'
        (New-ManagementRoleAssignment -Role 'Transport Hygiene' -App $script:SpObjectId -ErrorAction Stop).Role | Should -Be 'Transport Hygiene'
    }

    It 'a service principal just created through Graph stays unknown to Exchange for the emulator''s replication delay' {
        Invoke-EmulatorControl -Emulator $script:Emulator -Path 'replication' -Method PUT -Body @{ servicePrincipalReads = 2 }
        $freshAppId = 'c3d4e5f6-a7b8-4c9d-8e0f-2a3b4c5d6e7f'
        $created = Invoke-RestMethod -Uri "$($script:Emulator.BaseUri)/v1.0/servicePrincipals" -Method Post -Headers @{ Authorization = 'Bearer t' } -ContentType 'application/json' -Body (@{ appId = $freshAppId } | ConvertTo-Json)
        foreach ($attempt in 1..2) {
            New-ServicePrincipal -AppId $freshAppId -ObjectId $created.id -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
            $err[0].Exception.Message | Should -BeLike '*could not be found in Azure Active Directory*'
        }
        (New-ServicePrincipal -AppId $freshAppId -ObjectId $created.id -ErrorAction Stop).ObjectId | Should -Be $created.id
    }

    It '/_emulator/reset drops Exchange faults too' {
        $null = Add-ExchangeFault -Emulator $script:Emulator -Cmdlet 'Get-ServicePrincipal' -Count 5
        Invoke-EmulatorControl -Emulator $script:Emulator -Path 'reset' -Method POST
        @((Invoke-EmulatorControl -Emulator $script:Emulator -Path 'exchange/faults').value).Count | Should -Be 0
        Get-ServicePrincipal -ErrorAction Stop | Should -BeNullOrEmpty
    }

    It 'Clear-ExchangeFault drops queued faults' {
        $null = Add-ExchangeFault -Emulator $script:Emulator -Cmdlet 'Get-ServicePrincipal' -Count 5
        @((Invoke-EmulatorControl -Emulator $script:Emulator -Path 'exchange/faults').value).Count | Should -Be 1
        Clear-ExchangeFault -Emulator $script:Emulator
        @((Invoke-EmulatorControl -Emulator $script:Emulator -Path 'exchange/faults').value).Count | Should -Be 0
        { Get-ServicePrincipal -ErrorAction Stop } | Should -Not -Throw
    }
}

Describe 'Management role assignments' {
    BeforeAll {
        $script:Session = Enter-DropzoneTestSession -Tenant 'exchange-test' -Exchange -Variable Emulator
        $null = New-ServicePrincipal -AppId $script:AppId -ObjectId $script:SpObjectId -DisplayName 'Dropzone AI' -ErrorAction Stop
    }
    AfterAll { Exit-DropzoneTestSession }

    It 'assigns Transport Hygiene to the app: RoleAssigneeName is the service principal''s object id' {
        $assignment = New-ManagementRoleAssignment -Role 'Transport Hygiene' -App $script:SpObjectId -ErrorAction Stop
        $assignment.Role | Should -Be 'Transport Hygiene'
        $assignment.RoleAssigneeName | Should -Be $script:SpObjectId
        $assignment.RoleAssigneeType | Should -Be 'ServicePrincipal'
        $assignment.AssignmentMethod | Should -Be 'Direct'
        $assignment.Enabled | Should -BeTrue
        $assignment.Name | Should -Be "Transport Hygiene-$($script:SpObjectId)"
        $assignment.Identity | Should -Be $assignment.Name
    }

    It 'finds it with -Role and a client-side filter on RoleAssigneeName' {
        $all = @(Get-ManagementRoleAssignment -Role 'Transport Hygiene')
        $all.Count | Should -Be 2   # the seeded role-group assignment and ours
        @($all | Where-Object RoleAssigneeName -eq $script:SpObjectId).Count | Should -Be 1
    }

    It '-RoleAssignee (documented for users and groups) does not find service principals' {
        Get-ManagementRoleAssignment -RoleAssignee $script:SpObjectId -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err.Count | Should -Be 1
        (@(Get-ManagementRoleAssignment -RoleAssignee 'Organization Management')).RoleAssigneeType | Should -Be 'RoleGroup'
    }

    It 'filters on -Enabled, -AssignmentMethod and -RoleAssigneeType' {
        @(Get-ManagementRoleAssignment -Enabled $false).Count | Should -Be 0
        @(Get-ManagementRoleAssignment -RoleAssigneeType ServicePrincipal).RoleAssigneeName | Should -Be @($script:SpObjectId)
        @(Get-ManagementRoleAssignment -Role 'Transport Hygiene' -AssignmentMethod Direct).Count | Should -Be 2
    }

    It 'a duplicate creates a second assignment with another name by default (duplicateRoleAssignment = create)' {
        $second = New-ManagementRoleAssignment -Role 'Transport Hygiene' -App $script:AppId -ErrorAction Stop
        $second.RoleAssigneeName | Should -Be $script:SpObjectId
        $second.Name | Should -Not -Be "Transport Hygiene-$($script:SpObjectId)"
        @(Get-ManagementRoleAssignment -RoleAssigneeType ServicePrincipal).Count | Should -Be 2
        Remove-ManagementRoleAssignment -Identity $second.Name -Confirm:$false -ErrorAction Stop
    }

    It 'a duplicate is an error with duplicateRoleAssignment = error' {
        $null = Set-ExchangeOption -Emulator $script:Emulator -DuplicateRoleAssignment Error
        try {
            New-ManagementRoleAssignment -Role 'Transport Hygiene' -App 'Dropzone AI' -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
            $err.Count | Should -Be 1
            $err[0].CategoryInfo.Category | Should -Be 'ResourceExists'
            @(Get-ManagementRoleAssignment -RoleAssigneeType ServicePrincipal).Count | Should -Be 1
        }
        finally { $null = Set-ExchangeOption -Emulator $script:Emulator -DuplicateRoleAssignment Create }
    }

    It 'refuses an unknown role and an unknown app' {
        New-ManagementRoleAssignment -Role 'No Such Role' -App $script:SpObjectId -ErrorAction SilentlyContinue -ErrorVariable e1 | Should -BeNullOrEmpty
        $e1[0].Exception.Message | Should -BeLike "*'No Such Role' couldn't be found*"
        New-ManagementRoleAssignment -Role 'Transport Hygiene' -App $script:OtherSpObjectId -ErrorAction SilentlyContinue -ErrorVariable e2 | Should -BeNullOrEmpty
        $e2[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'binds -User but answers that only -App is supported' {
        New-ManagementRoleAssignment -Role 'Mail Recipients' -User 'admin@contoso.example' -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].Exception.Message | Should -BeLike '*not supported*'
    }

    It 'with appRoles = applicationOnly, -App takes application roles only' {
        $null = Set-ExchangeOption -Emulator $script:Emulator -AppRoles ApplicationOnly
        try {
            New-ManagementRoleAssignment -Role 'Mail Recipients' -App $script:SpObjectId -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
            $err.Count | Should -Be 1
            (New-ManagementRoleAssignment -Name 'Mail Read for Dropzone' -Role 'Application Mail.Read' -App $script:SpObjectId -ErrorAction Stop).Name | Should -Be 'Mail Read for Dropzone'
        }
        finally { $null = Set-ExchangeOption -Emulator $script:Emulator -AppRoles Any }
    }

    It 'Get-ManagementRoleAssignment with an unknown -Identity follows unknownIdentity' {
        @(Get-ManagementRoleAssignment -Identity 'No such assignment').Count | Should -Be 3
        $null = Set-ExchangeOption -Emulator $script:Emulator -UnknownIdentity Error
        try {
            Get-ManagementRoleAssignment -Identity 'No such assignment' -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
            $err.Count | Should -Be 1
        }
        finally { $null = Set-ExchangeOption -Emulator $script:Emulator -UnknownIdentity All }
    }

    It 'Remove-ManagementRoleAssignment removes by name and from the pipeline' {
        Remove-ManagementRoleAssignment 'Mail Read for Dropzone' -Confirm:$false -ErrorAction Stop
        Get-ManagementRoleAssignment -RoleAssigneeType ServicePrincipal | Remove-ManagementRoleAssignment -Confirm:$false -ErrorAction Stop
        Get-ManagementRoleAssignment -RoleAssigneeType ServicePrincipal | Should -BeNullOrEmpty
        Remove-ManagementRoleAssignment 'Mail Read for Dropzone' -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'the request log names the Exchange cmdlet of every call' {
        $details = Get-ExchangeRequestDetail $script:Emulator
        $details | Should -Contain 'New-ServicePrincipal'
        $details | Should -Contain 'New-ManagementRoleAssignment'
        $details | Should -Contain 'Get-ManagementRoleAssignment'
        $details | Should -Contain 'Remove-ManagementRoleAssignment'
        $paths = @((Invoke-EmulatorControl -Emulator $script:Emulator -Path 'requests').value | Where-Object { $_.path -like '/adminapi/*' } | ForEach-Object path | Sort-Object -Unique)
        $paths | Should -Be @("/adminapi/beta/$($script:Org)/InvokeCommand")
    }
}

Describe 'What tests can choose' {
    BeforeAll {
        $script:Session = Enter-DropzoneTestSession -Tenant 'exchange-test' -Exchange -Variable Emulator
        function Use-Option([hashtable] $Option) {
            Invoke-EmulatorControl -Emulator $script:Emulator -Path 'reset' -Method POST
            $null = Set-ExchangeOption -Emulator $script:Emulator @Option
        }
    }
    AfterAll { Exit-DropzoneTestSession }

    Context 'Exchange behaviours no source settles, one value at a time (exchange.options)' {

        It 'shows a service principal assignee as its <Shown> (assigneeShownAs = <Value>), and stores its object id' -ForEach @(
            @{ Value = 'ObjectId'; Shown = 'object id' }, @{ Value = 'DisplayName'; Shown = 'display name' }) {
            Use-Option @{ AssigneeShownAs = $Value }
            $null = New-ServicePrincipal -AppId $script:AppId -ObjectId $script:SpObjectId -DisplayName 'Dropzone AI' -ErrorAction Stop
            $expected = if ($Value -eq 'ObjectId') { $script:SpObjectId } else { 'Dropzone AI' }
            $created = New-ManagementRoleAssignment -App $script:SpObjectId -Role 'Transport Hygiene' -ErrorAction Stop
            $created.RoleAssignee | Should -Be $expected
            $listed = @(Get-ManagementRoleAssignment -Role 'Transport Hygiene') | Where-Object RoleAssigneeType -EQ 'ServicePrincipal'
            $listed.RoleAssignee | Should -Be $expected
            $listed.RoleAssigneeName | Should -Be $expected
            (@(Get-ManagementRoleAssignment -Role 'Transport Hygiene') | Where-Object RoleAssigneeType -EQ 'RoleGroup').RoleAssigneeName | Should -Be 'Organization Management'
            ((Get-ExchangeState -Emulator $script:Emulator).roleAssignments | Where-Object roleAssigneeType -EQ 'ServicePrincipal').roleAssigneeName | Should -Be $script:SpObjectId
        }

        It 'names an assignment made without -Name "<Expected>" (defaultAssignmentName = <Value>), and keeps a given -Name' -ForEach @(
            @{ Value = 'RoleObjectId'; Expected = 'Transport Hygiene-0f9e8d7c-6b5a-4493-8271-605f4e3d2c1b' },
            @{ Value = 'RoleDisplayName'; Expected = 'Transport Hygiene-Dropzone AI' }) {
            Use-Option @{ DefaultAssignmentName = $Value }
            $null = New-ServicePrincipal -AppId $script:AppId -ObjectId $script:SpObjectId -DisplayName 'Dropzone AI' -ErrorAction Stop
            (New-ManagementRoleAssignment -App $script:SpObjectId -Role 'Transport Hygiene' -ErrorAction Stop).Name | Should -Be $Expected
            (New-ManagementRoleAssignment -Name 'Ours' -App $script:SpObjectId -Role 'View-Only Configuration' -ErrorAction Stop).Name | Should -Be 'Ours'
            (Get-ManagementRoleAssignment -Identity 'Ours' -ErrorAction Stop).Role | Should -Be 'View-Only Configuration'
        }

        It 'words a replication lag "<Text>" (replicationError = <Value>), naming the object asked for, on either cmdlet' -ForEach @(
            @{ Value = 'AzureAd'; Text = 'could not be found in Azure Active Directory'; ErrorId = 'ServicePrincipalNotFoundInDirectoryException*' },
            @{ Value = 'ObjectNotFound'; Text = "couldn't be found on '"; ErrorId = 'ManagementObjectNotFoundException*' }) {
            Use-Option @{ ReplicationError = $Value }
            $null = Add-ExchangeFault -Emulator $script:Emulator -Cmdlet 'New-ServicePrincipal' -Kind Replication -Count 1
            New-ServicePrincipal -AppId $script:AppId -ObjectId $script:SpObjectId -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
            $err[0].Exception.Message | Should -BeLike "*'$($script:SpObjectId)'*$Text*"
            $err[0].FullyQualifiedErrorId | Should -BeLike $ErrorId
            $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $null = New-ServicePrincipal -AppId $script:AppId -ObjectId $script:SpObjectId -ErrorAction Stop
            $null = Add-ExchangeFault -Emulator $script:Emulator -Cmdlet 'New-ManagementRoleAssignment' -Kind Replication -Count 1
            New-ManagementRoleAssignment -App $script:SpObjectId -Role 'Transport Hygiene' -ErrorAction SilentlyContinue -ErrorVariable err2 | Should -BeNullOrEmpty
            $err2[0].Exception.Message | Should -BeLike "*'$($script:SpObjectId)'*$Text*"
        }

        It 'checks the directory at New-ServicePrincipal (replicationLagAt = NewServicePrincipal)' {
            Use-Option @{ ReplicationLagAt = 'NewServicePrincipal' }
            New-ServicePrincipal -AppId $script:AppId -ObjectId $script:AppObjectId -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
            $err.Count | Should -Be 1
            (Get-ExchangeState -Emulator $script:Emulator).servicePrincipals | Should -BeNullOrEmpty
        }

        It 'checks the directory only at New-ManagementRoleAssignment (replicationLagAt = NewManagementRoleAssignment)' {
            Use-Option @{ ReplicationLagAt = 'NewManagementRoleAssignment'; ReplicationError = 'ObjectNotFound' }
            # New-ServicePrincipal "does not validate": even the app registration's object id is taken.
            (New-ServicePrincipal -AppId $script:AppId -ObjectId $script:AppObjectId -ErrorAction Stop).ObjectId | Should -Be $script:AppObjectId
            New-ManagementRoleAssignment -App $script:AppObjectId -Role 'Transport Hygiene' -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
            $err[0].Exception.Message | Should -BeLike "*object '$($script:AppObjectId)' couldn't be found on*"
            @((Get-ExchangeState -Emulator $script:Emulator).roleAssignments | Where-Object roleAssigneeType -EQ 'ServicePrincipal').Count | Should -Be 0
        }

        It 'lets a service principal just created through Graph lag at <Value> only' -ForEach @(@{ Value = 'NewServicePrincipal' }, @{ Value = 'NewManagementRoleAssignment' }) {
            Use-Option @{ ReplicationLagAt = $Value }
            Invoke-EmulatorControl -Emulator $script:Emulator -Path 'replication' -Method PUT -Body @{ servicePrincipalReads = 2 }
            $freshAppId = 'c3d4e5f6-a7b8-4c9d-8e0f-2a3b4c5d6e7f'
            $created = Invoke-RestMethod -Uri "$($script:Emulator.BaseUri)/v1.0/servicePrincipals" -Method Post -Headers @{ Authorization = 'Bearer t' } -ContentType 'application/json' -Body (@{ appId = $freshAppId } | ConvertTo-Json)
            $lagging = { New-ServicePrincipal -AppId $freshAppId -ObjectId $created.id -ErrorAction SilentlyContinue -ErrorVariable failed; $failed }
            $assign = { New-ManagementRoleAssignment -App $created.id -Role 'Transport Hygiene' -ErrorAction SilentlyContinue -ErrorVariable failed; $failed }
            if ($Value -eq 'NewServicePrincipal') {
                foreach ($attempt in 1..2) { @(& $lagging | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }).Count | Should -Be 1 }
                (New-ServicePrincipal -AppId $freshAppId -ObjectId $created.id -ErrorAction Stop).ObjectId | Should -Be $created.id
                (New-ManagementRoleAssignment -App $created.id -Role 'Transport Hygiene' -ErrorAction Stop).Role | Should -Be 'Transport Hygiene'
            } else {
                (New-ServicePrincipal -AppId $freshAppId -ObjectId $created.id -ErrorAction Stop).ObjectId | Should -Be $created.id
                foreach ($attempt in 1..2) { @(& $assign | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }).Count | Should -Be 1 }
                (New-ManagementRoleAssignment -App $created.id -Role 'Transport Hygiene' -ErrorAction Stop).Role | Should -Be 'Transport Hygiene'
            }
        }

        It 'has a lag of its own in seeing a new service principal (exchangeSeconds), at <Value>, while Graph consent is not held up' -ForEach @(@{ Value = 'NewServicePrincipal' }, @{ Value = 'NewManagementRoleAssignment' }) {
            Use-Option @{ ReplicationLagAt = $Value }
            Set-EmulatorReplicationDelay -Emulator $script:Emulator -Seconds 0 -ExchangeSeconds 1.5
            $freshAppId = 'c3d4e5f6-a7b8-4c9d-8e0f-2a3b4c5d6e7f'
            $headers = @{ Authorization = 'Bearer t' }
            $created = Invoke-RestMethod -Uri "$($script:Emulator.BaseUri)/v1.0/servicePrincipals" -Method Post -Headers $headers -ContentType 'application/json' -Body (@{ appId = $freshAppId } | ConvertTo-Json)
            $exchangeSp = @((Get-EmulatorState -Emulator $script:Emulator).servicePrincipals | Where-Object appId -EQ '00000002-0000-0ff1-ce00-000000000000')[0].id
            # Entra ID sees it at once (no Graph delay): consent is taken.
            $consent = @{ principalId = $created.id; resourceId = $exchangeSp; appRoleId = 'dc50a0fb-09a3-484d-be87-e023b12c6440' } | ConvertTo-Json
            (Invoke-RestMethod -Uri "$($script:Emulator.BaseUri)/v1.0/servicePrincipals/$exchangeSp/appRoleAssignedTo" -Method Post -Headers $headers -ContentType 'application/json' -Body $consent).principalId | Should -Be $created.id
            $early = if ($Value -eq 'NewServicePrincipal') {
                New-ServicePrincipal -AppId $freshAppId -ObjectId $created.id -ErrorAction SilentlyContinue -ErrorVariable failed; $failed
            } else {
                $null = New-ServicePrincipal -AppId $freshAppId -ObjectId $created.id -ErrorAction Stop
                New-ManagementRoleAssignment -App $created.id -Role 'Transport Hygiene' -ErrorAction SilentlyContinue -ErrorVariable failed; $failed
            }
            @($early | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }).Count | Should -Be 1
            (Invoke-EmulatorControl -Emulator $script:Emulator -Path 'replication').exchangeSeconds | Should -Be 1.5
            Start-Sleep -Milliseconds 1600
            if ($Value -eq 'NewServicePrincipal') { $null = New-ServicePrincipal -AppId $freshAppId -ObjectId $created.id -ErrorAction Stop }
            (New-ManagementRoleAssignment -App $created.id -Role 'Transport Hygiene' -ErrorAction Stop).Role | Should -Be 'Transport Hygiene'
        }

        It 'refuses an unknown option value' {
            { Invoke-EmulatorControl -Emulator $script:Emulator -Path 'exchange/options' -Method POST -Body @{ assigneeShownAs = 'guid' } } | Should -Throw
        }
    }

    Context 'The fake''s latency per call' {
        It 'is tiny by default in tests and set with Set-FakeExchangeLatency' {
            $env:DROPZONE_FAKE_EXO_LATENCY_MS | Should -Be '1'
            Set-FakeExchangeLatency -Milliseconds 150
            $env:DROPZONE_FAKE_EXO_LATENCY_MS | Should -Be '150'
        }

        It 'makes every call that reaches the service wait that long (a lower bound: load only adds to it)' {
            Set-FakeExchangeLatency -Milliseconds 150
            try {
                $clock = [Diagnostics.Stopwatch]::StartNew()
                foreach ($i in 1..3) { $null = Get-ServicePrincipal -ErrorAction Stop }
                $clock.Stop()
                $clock.Elapsed.TotalMilliseconds | Should -BeGreaterOrEqual 450
            } finally {
                Set-FakeExchangeLatency -Milliseconds 1
            }
        }
    }
}
