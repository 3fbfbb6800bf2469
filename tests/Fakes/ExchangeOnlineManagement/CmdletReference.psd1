# A TRANSCRIPTION of the SYNTAX sections of the Exchange cmdlet reference in the public repository
# MicrosoftDocs/office-docs-powershell, files exchange/exchange-ps/ExchangePowerShell/<Cmdlet>.md:
#   New-ServicePrincipal.md, Get-ServicePrincipal.md, Remove-ServicePrincipal.md,
#   New-ManagementRoleAssignment.md, Get-ManagementRoleAssignment.md, Remove-ManagementRoleAssignment.md,
#   Connect-ExchangeOnline.md, Disconnect-ExchangeOnline.md, Get-ConnectionInformation.md
# (read 2026-11-27). Common parameters are left out. Each set lists its parameters as the Syntax
# block does. A single unnamed Syntax block is recorded as the set 'Default'.
#
# OnPremisesOnly: parameters whose "Applicable:" line lacks Exchange Online ("This parameter is
# available only in on-premises Exchange"); OnPremisesOnlySets: sets made of such parameters. The
# fake models Exchange Online, so tests/FakeExchange.Tests.ps1 expects each set minus these.
# Notes from the reference kept in Notes (not checked by the tests).
@{
    'New-ServicePrincipal'            = @{
        Sets  = @{
            Default = @('AppId', 'ObjectId', 'ServiceId', 'Confirm', 'DisplayName', 'Organization', 'WhatIf')
        }
        Notes = 'The Syntax block shows -ObjectId and -ServiceId both required; -ServiceId "is being deprecated. Use the ObjectId parameter instead." The fake requires one of them (not both). -Organization is "reserved for internal Microsoft use".'
    }
    'Get-ServicePrincipal'            = @{
        Sets  = @{
            Default = @('Identity', 'Organization')
        }
        Notes = 'Identity: Name, DN, GUID, AppId or ObjectId; position 0; pipeline by value and by property name. Caution: "$null or a non-existent value for the Identity parameter returns *all* objects".'
    }
    'Remove-ServicePrincipal'         = @{
        Sets  = @{
            Default = @('Identity', 'Confirm', 'WhatIf')
        }
        Notes = 'Identity required, position 0, pipeline. Remove-* cmdlets have a built-in confirmation (skip with -Confirm:$false).'
    }
    'New-ManagementRoleAssignment'    = @{
        Sets               = @{
            App           = @('Name', 'Role', 'App', 'CustomResourceScope', 'Confirm', 'Delegating', 'Force', 'RecipientAdministrativeUnitScope', 'RecipientGroupScope', 'WhatIf')
            Computer      = @('Name', 'Computer', 'Role', 'Confirm', 'CustomConfigWriteScope', 'CustomRecipientWriteScope', 'DomainController', 'ExclusiveConfigWriteScope', 'ExclusiveRecipientWriteScope', 'Force', 'RecipientAdministrativeUnitScope', 'RecipientGroupScope', 'RecipientOrganizationalUnitScope', 'RecipientRelativeWriteScope', 'UnScopedTopLevel', 'WhatIf')
            Policy        = @('Name', 'Policy', 'Role', 'Confirm', 'CustomConfigWriteScope', 'CustomRecipientWriteScope', 'DomainController', 'ExclusiveConfigWriteScope', 'ExclusiveRecipientWriteScope', 'Force', 'RecipientAdministrativeUnitScope', 'RecipientGroupScope', 'RecipientOrganizationalUnitScope', 'RecipientRelativeWriteScope', 'UnScopedTopLevel', 'WhatIf')
            SecurityGroup = @('Name', 'Role', 'SecurityGroup', 'Delegating', 'Confirm', 'CustomConfigWriteScope', 'CustomRecipientWriteScope', 'DomainController', 'ExclusiveConfigWriteScope', 'ExclusiveRecipientWriteScope', 'Force', 'RecipientAdministrativeUnitScope', 'RecipientGroupScope', 'RecipientOrganizationalUnitScope', 'RecipientRelativeWriteScope', 'UnScopedTopLevel', 'WhatIf')
            User          = @('Name', 'Role', 'User', 'Delegating', 'Confirm', 'CustomConfigWriteScope', 'CustomRecipientWriteScope', 'DomainController', 'ExclusiveConfigWriteScope', 'ExclusiveRecipientWriteScope', 'Force', 'RecipientAdministrativeUnitScope', 'RecipientGroupScope', 'RecipientOrganizationalUnitScope', 'RecipientRelativeWriteScope', 'UnScopedTopLevel', 'WhatIf')
        }
        OnPremisesOnly     = @('Computer', 'CustomConfigWriteScope', 'DomainController', 'ExclusiveConfigWriteScope', 'UnScopedTopLevel')
        OnPremisesOnlySets = @('Computer')
        Notes              = 'Name: optional, position 1, max 64 characters, "If you don''t specify a name, a name is created automatically." App: "the ObjectId GUID value from the output of the Get-ServicePrincipal cmdlet". Role: "If you use the App parameter, you can''t specify admin or user roles; you can only specify application roles (for example, "Application Mail.Read")." Role accepts pipeline input.'
    }
    'Get-ManagementRoleAssignment'    = @{
        Sets           = @{
            Identity     = @('Identity', 'ConfigWriteScope', 'CustomConfigWriteScope', 'CustomRecipientWriteScope', 'Delegating', 'DomainController', 'Enabled', 'Exclusive', 'ExclusiveConfigWriteScope', 'ExclusiveRecipientWriteScope', 'GetEffectiveUsers', 'RecipientAdministrativeUnitScope', 'RecipientGroupScope', 'RecipientOrganizationalUnitScope', 'RecipientWriteScope', 'RoleAssigneeType', 'WritableDatabase', 'WritableRecipient', 'WritableServer')
            RoleAssignee = @('AssignmentMethod', 'Role', 'ConfigWriteScope', 'CustomConfigWriteScope', 'CustomRecipientWriteScope', 'Delegating', 'DomainController', 'Enabled', 'Exclusive', 'ExclusiveConfigWriteScope', 'ExclusiveRecipientWriteScope', 'GetEffectiveUsers', 'RecipientAdministrativeUnitScope', 'RecipientGroupScope', 'RecipientOrganizationalUnitScope', 'RecipientWriteScope', 'RoleAssignee', 'RoleAssigneeType', 'WritableDatabase', 'WritableRecipient', 'WritableServer')
        }
        OnPremisesOnly = @('CustomConfigWriteScope', 'DomainController', 'ExclusiveConfigWriteScope', 'WritableDatabase', 'WritableServer')
        Notes          = 'RoleAssignee: "the role group, assignment policy, user, or universal security group (USG)" (service principals not mentioned). RoleAssigneeType values: User, SecurityGroup, RoleAssignmentPolicy, ForeignSecurityPrincipal, RoleGroup, LinkedRoleGroup, Computer. Identity: same "returns *all* objects" caution as Get-ServicePrincipal.'
    }
    'Remove-ManagementRoleAssignment' = @{
        Sets           = @{
            Default = @('Identity', 'Confirm', 'DomainController', 'Force', 'WhatIf')
        }
        OnPremisesOnly = @('DomainController')
        Notes          = 'Identity: the name of the role assignment; required, position 1, pipeline.'
    }
    'Connect-ExchangeOnline'          = @{
        Sets  = @{
            Default = @('ConnectionUri', 'AzureADAuthorizationEndpointUri', 'ExchangeEnvironmentName', 'PSSessionOption', 'DelegatedOrganization', 'Prefix', 'CommandName', 'FormatTypeName', 'AccessToken', 'AppId', 'BypassMailboxAnchoring', 'Certificate', 'CertificateFilePath', 'CertificatePassword', 'CertificateThumbprint', 'Credential', 'Device', 'DisableWAM', 'EnableErrorReporting', 'EXOModuleBasePath', 'InlineCredential', 'LoadCmdletHelp', 'LogDirectoryPath', 'LogLevel', 'ManagedIdentity', 'ManagedIdentityAccountId', 'Organization', 'PageSize', 'ShowBanner', 'ShowProgress', 'SigningCertificate', 'SkipLoadingCmdletHelp', 'SkipLoadingFormatData', 'TrackPerformance', 'UseMultithreading', 'UserPrincipalName', 'UseRPSSession')
        }
        Notes = 'ConnectionUri..FormatTypeName are positional 0..7. ExchangeEnvironmentName: O365Default (default), O365GermanyCloud, O365China, O365USGovGCCHigh, O365USGovDoD. ShowBanner defaults to $true (hide with -ShowBanner:$false).'
    }
    'Disconnect-ExchangeOnline'       = @{
        Sets  = @{
            DefaultParameterSet = @('Confirm', 'WhatIf')
            ConnectionId        = @('ConnectionId', 'Confirm', 'WhatIf')
            ModulePrefix        = @('ModulePrefix', 'Confirm', 'WhatIf')
        }
        Notes = 'Example 1 "asks for confirmation"; Example 2 uses -Confirm:$false.'
    }
    'Get-ConnectionInformation'       = @{
        Sets  = @{
            Default      = @()
            ConnectionId = @('ConnectionId')
            ModulePrefix = @('ModulePrefix')
        }
        Notes = 'Output properties: ConnectionId, State, Id, Name, UserPrincipalName, ConnectionUri, AzureAdAuthorizationEndpointUri, TokenExpiryTimeUTC, CertificateAuthentication, ModuleName (path of the tmpEXO_* temporary module), ModulePrefix, Organization, DelegatedOrganization, AppId, PageSize, TenantID, TokenStatus, ConnectionUsedForInbuiltCmdlets, IsEopSession.'
    }
}
