# The Exchange side: the fake ExchangeOnlineManagement module (tests/Fakes) and the emulator's Exchange
# admin API behind it (calls, faults, options, state). Part of TestHelpers.psm1 (dot-sourced into it).

function Get-FakeExchangeModulePath {
    <# The fake ExchangeOnlineManagement module folder (tests/Fakes/ExchangeOnlineManagement). #>
    Join-Path $script:TestsRoot 'Fakes/ExchangeOnlineManagement'
}

function Import-FakeExchangeModule {
    <#
    .SYNOPSIS
    Imports the fake ExchangeOnlineManagement globally (replacing any loaded copy). With -Emulator,
    also points it at that emulator ($env:DROPZONE_FAKE_EXO_URI), so a Connect-ExchangeOnline
    without -ConnectionUri (as production code calls it) reaches the emulator, never Microsoft.
    It also puts tests/Fakes first on $env:PSModulePath (inherited by child pwsh processes), so
    `Import-Module ExchangeOnlineManagement` and `Get-Module -ListAvailable` by name find the fake.
    -LatencyMilliseconds: what every Exchange call waits (Set-FakeExchangeLatency); tiny by default,
    so tests pass through the wait without paying for it.
    #>
    param($Emulator, [ValidateRange(0, 60000)][int] $LatencyMilliseconds = 1)
    Get-Module ExchangeOnlineManagement | Remove-Module -Force
    if ($Emulator) { $env:DROPZONE_FAKE_EXO_URI = $Emulator.BaseUri }
    Set-FakeExchangeLatency -Milliseconds $LatencyMilliseconds
    $fakes = Split-Path -Parent (Get-FakeExchangeModulePath)
    if (($env:PSModulePath -split [IO.Path]::PathSeparator) -notcontains $fakes) {
        $env:PSModulePath = $fakes + [IO.Path]::PathSeparator + $env:PSModulePath
    }
    Import-Module (Join-Path (Get-FakeExchangeModulePath) 'ExchangeOnlineManagement.psd1') -Global -Force -PassThru
}

function Connect-TestExchange {
    <#
    .SYNOPSIS
    Imports the fake ExchangeOnlineManagement and connects it to the emulator with a dummy token.
    Returns the connection (Get-ConnectionInformation).
    #>
    param(
        [Parameter(Mandatory)] $Emulator,
        [string] $Organization,
        [string] $AccessToken = 'dummy-exchange-token'
    )
    $null = Import-FakeExchangeModule -Emulator $Emulator
    if (-not $Organization) { $Organization = Get-TestOrganization -Emulator $Emulator }
    Connect-ExchangeOnline -ConnectionUri $Emulator.BaseUri -Organization $Organization -AccessToken $AccessToken -ShowBanner:$false
    Get-ConnectionInformation | Select-Object -Last 1
}

function Disconnect-TestExchange {
    <# Disconnects every fake Exchange connection and removes the fake module. #>
    if (Get-Module ExchangeOnlineManagement) {
        Disconnect-ExchangeOnline -Confirm:$false
        Get-Module ExchangeOnlineManagement | Remove-Module -Force
    }
    Remove-Item Env:DROPZONE_FAKE_EXO_URI, Env:DROPZONE_FAKE_EXO_LATENCY_MS -ErrorAction SilentlyContinue
}

function Set-FakeExchangeLatency {
    <#
    .SYNOPSIS
    The time every call of the fake Exchange cmdlets takes before it reaches the emulator
    ($env:DROPZONE_FAKE_EXO_LATENCY_MS, read at each call; inherited by child processes). 0 = none.
    It adds to the emulator's own latency (Set-EmulatorLatency), which applies to Exchange too.
    #>
    param([Parameter(Mandatory)][ValidateRange(0, 60000)][int] $Milliseconds)
    $env:DROPZONE_FAKE_EXO_LATENCY_MS = "$Milliseconds"
}

function Get-ExchangeCall {
    <# The Exchange cmdlets that reached the emulator since its log was cleared, oldest first (Get-ConnectionInformation is local: never there). #>
    param([Parameter(Mandatory)] $Emulator)
    @(Get-EmulatorRequestLog -Emulator $Emulator | Where-Object path -Like '/adminapi/*' | ForEach-Object detail)
}

function Get-ExchangeBehaviour {
    <#
    .SYNOPSIS
    Every combination of the emulated Exchange's UNCONFIRMED behaviours the module depends on, one
    hashtable each (Behaviour: a label; Exchange: the options for Set-ExchangeBehaviour; and the four
    options again as keys of their own), for Pester's -ForEach: how an
    assignee is shown (AssigneeShownAs), the name Exchange gives an assignment made without -Name
    (DefaultAssignmentName), the wording of a not-yet-replicated service principal
    (ReplicationError), and which cmdlet checks the directory (ReplicationLagAt).
    #>
    foreach ($assignee in 'ObjectId', 'DisplayName') {
        foreach ($name in 'RoleObjectId', 'RoleDisplayName') {
            foreach ($wording in 'AzureAd', 'ObjectNotFound') {
                foreach ($lag in 'NewServicePrincipal', 'NewManagementRoleAssignment') {
                    $options = @{ AssigneeShownAs = $assignee; DefaultAssignmentName = $name; ReplicationError = $wording; ReplicationLagAt = $lag }
                    @{
                        Behaviour             = "assignee $assignee, default name $name, $wording, lag at $lag"
                        Exchange              = $options
                        AssigneeShownAs       = $assignee
                        DefaultAssignmentName = $name
                        ReplicationError      = $wording
                        ReplicationLagAt      = $lag
                    }
                }
            }
        }
    }
}

function Set-ExchangeBehaviour {
    <# Applies one combination of Get-ExchangeBehaviour (its Exchange key) to the emulator; again after a reset, which drops options. #>
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)][hashtable] $Behaviour)
    $null = Set-ExchangeOption -Emulator $Emulator -AssigneeShownAs $Behaviour.AssigneeShownAs -DefaultAssignmentName $Behaviour.DefaultAssignmentName `
        -ReplicationError $Behaviour.ReplicationError -ReplicationLagAt $Behaviour.ReplicationLagAt
}

function Add-ExchangeFault {
    <#
    .SYNOPSIS
    Makes the next -Count calls of an Exchange cmdlet fail. -Kind Replication: the error of a
    service principal not yet replicated, in the wording of the option ReplicationError ("could not
    be found in Azure Active Directory", or "couldn't be found on '<DC>'"); -Kind Error: -Message
    (and optionally -ExceptionType, -Status); -Kind SecondAdmin: another admin runs the same cmdlet
    just before the call, which then meets Exchange's answer for a duplicate ("already exists").
    #>
    param(
        [Parameter(Mandatory)] $Emulator,
        [Parameter(Mandatory)][string] $Cmdlet,
        [ValidateSet('Replication', 'Error', 'SecondAdmin')][string] $Kind = 'Error',
        [int] $Count = 1,
        [string] $Message,
        [string] $ExceptionType,
        [int] $Status
    )
    $body = @{ cmdlet = $Cmdlet; kind = $Kind.ToLowerInvariant(); count = $Count }
    if ($Message) { $body.message = $Message }
    if ($ExceptionType) { $body.exceptionType = $ExceptionType }
    if ($Status) { $body.status = $Status }
    Invoke-EmulatorControl -Emulator $Emulator -Path 'exchange/faults' -Method POST -Body $body
}

function Clear-ExchangeFault {
    <# Drops every queued Exchange fault. #>
    param([Parameter(Mandatory)] $Emulator)
    $null = Invoke-EmulatorControl -Emulator $Emulator -Path 'exchange/faults' -Method DELETE
}

function Set-ExchangeOption {
    <#
    .SYNOPSIS
    Chooses how the emulated Exchange behaves where the real behaviour is unconfirmed:
    -UnknownIdentity All|Error (Get-* with a non-existent -Identity), -DuplicateRoleAssignment
    Create|Error, -AppRoles Any|ApplicationOnly (which roles -App accepts), -AssigneeShownAs
    ObjectId|DisplayName (RoleAssignee/RoleAssigneeName of a service principal),
    -DefaultAssignmentName RoleObjectId|RoleDisplayName (the name given without -Name),
    -ReplicationError AzureAd|ObjectNotFound (the wording of a not-yet-replicated service
    principal), -ReplicationLagAt NewServicePrincipal|NewManagementRoleAssignment (which cmdlet
    checks the directory). The options live in the tenant state: a reset drops them.
    #>
    param(
        [Parameter(Mandatory)] $Emulator,
        [ValidateSet('All', 'Error')][string] $UnknownIdentity,
        [ValidateSet('Create', 'Error')][string] $DuplicateRoleAssignment,
        [ValidateSet('Any', 'ApplicationOnly')][string] $AppRoles,
        [ValidateSet('ObjectId', 'DisplayName')][string] $AssigneeShownAs,
        [ValidateSet('RoleObjectId', 'RoleDisplayName')][string] $DefaultAssignmentName,
        [ValidateSet('AzureAd', 'ObjectNotFound')][string] $ReplicationError,
        [ValidateSet('NewServicePrincipal', 'NewManagementRoleAssignment')][string] $ReplicationLagAt
    )
    # The emulator's values are these names in camelCase.
    $camel = { param([string] $value) $value.Substring(0, 1).ToLowerInvariant() + $value.Substring(1) }
    $body = @{}
    if ($UnknownIdentity) { $body.unknownIdentity = $UnknownIdentity.ToLowerInvariant() }
    if ($DuplicateRoleAssignment) { $body.duplicateRoleAssignment = $DuplicateRoleAssignment.ToLowerInvariant() }
    if ($AppRoles) { $body.appRoles = & $camel $AppRoles }
    if ($AssigneeShownAs) { $body.assigneeShownAs = & $camel $AssigneeShownAs }
    if ($DefaultAssignmentName) { $body.defaultAssignmentName = & $camel $DefaultAssignmentName }
    if ($ReplicationError) { $body.replicationError = & $camel $ReplicationError }
    if ($ReplicationLagAt) { $body.replicationLagAt = & $camel $ReplicationLagAt }
    Invoke-EmulatorControl -Emulator $Emulator -Path 'exchange/options' -Method POST -Body $body
}

function Get-ExchangeState {
    <# The emulator's Exchange section (servicePrincipals, roleAssignments, options). #>
    param([Parameter(Mandatory)] $Emulator)
    Invoke-EmulatorControl -Emulator $Emulator -Path 'exchange/state'
}
