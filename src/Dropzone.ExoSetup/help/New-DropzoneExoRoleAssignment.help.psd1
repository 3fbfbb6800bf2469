# Help source of New-DropzoneExoRoleAssignment. Build-Help.ps1 turns it into MAML; types, parameter
# sets, Mandatory, Position, pipeline input and aliases come from the cmdlet itself.
@{
    Synopsis    = 'Assigns the Exchange Online management role "Transport Hygiene" (or the role named by -Role) to the app''s Exchange service principal, unless it has it already.'

    Description = @'
New-DropzoneExoRoleAssignment is the second half of step 4 of the Dropzone AI setup: it does what the vendor's procedure does with New-ManagementRoleAssignment -App <object-spid> -Role "Transport Hygiene" in Exchange Online PowerShell. The "Transport Hygiene" role covers the quarantine cmdlets (Release-QuarantineMessage among them), which Dropzone AI uses to analyse quarantined e-mail in Microsoft Defender for Office 365.

1. Find the app in Exchange Online: Get-ServicePrincipal is asked for the app with the given Application (client) ID. Exchange may answer with every service principal it knows, so the answer is filtered by AppId. When Exchange does not know the app, the command fails with the ErrorId ExchangeServicePrincipalMissing: run New-DropzoneExoServicePrincipal first.

2. Look for the assignment: first by the module's own name for it, "<role>-<the service principal's object id>" (Get-ManagementRoleAssignment -Identity), which is all a second run needs; otherwise Get-ManagementRoleAssignment -Role lists the role's assignments, and the command keeps the one whose RoleAssignee or RoleAssigneeName is this service principal (its object id, app id or name, or its display name when no other service principal in Exchange bears it), so an assignment made by hand or by an earlier version is recognised. When there is one, nothing is written and the result has the Status AlreadyExists, with the assignment's Name.

3. Assign the role: New-ManagementRoleAssignment -Name "<role>-<object id>" -App <the service principal's object id> -Role <role> (a role name too long for 64 characters is shortened and told apart by a hash). If Exchange answers that the service principal cannot be found ("could not be found in Azure Active Directory", or its usual "couldn't be found on '<domain controller>'" naming the service principal: one registered a moment ago may not have replicated yet), the command tries again, with a progress bar, waiting a quarter of a second at first and twice as long each time (at most 15 seconds), until -TimeoutSeconds (300 by default) have passed, and then fails with the ErrorId ExchangeReplicationTimeout. A not-found about anything else, such as the role, fails at once. Before each new attempt it looks for the assignment by its name again, since a call that reported an error may still have done its work: no duplicate assignment is ever created. The result has the Status Created and the assignment's Name.

Running the command again is safe: it writes only what is missing.

The command needs Exchange Online only, not Microsoft Graph: a connected session made with Connect-ExchangeOnline in the same PowerShell session (otherwise the ErrorId ExchangeNotConnected). The Exchange Online cmdlets are called by their plain names in your own session, as you would type them, under the account that signed in, and Connect-ExchangeOnline -Prefix is honoured (with -Prefix Contoso it calls Get-ContosoManagementRoleAssignment and New-ContosoManagementRoleAssignment). Exchange reports most failures as non-terminating errors; the command collects every one, so it never reports success after a failed Exchange call: it fails with the ErrorId ExchangeCommandFailed, which carries Exchange's own message and names the Exchange cmdlet that failed.

Assigning a management role needs the Exchange Administrator role in Entra ID or membership of the Organization Management role group in Exchange Online; without it, Exchange Online PowerShell does not offer New-ManagementRoleAssignment at all, which the command reports as ExchangeNotConnected.

Exchange Online caches permissions for 30 minutes to 2 hours, so Dropzone AI may be refused quarantine access for that long after the role was assigned. Test-ServicePrincipalAuthorization, in Exchange Online PowerShell, bypasses the cache and shows the roles the service principal holds now.
'@

    Parameters  = @{
        ApplicationId  = @'
The Application (client) ID of the app registration: the "Application (client) ID" of the app's Overview page, which is also the AppId Exchange Online knows the service principal by. Not an object id. Accepts pipeline input by value (a Guid) and by property name (the ApplicationId, AppId or ClientId property), so the output of Get-DropzoneApplication or New-DropzoneExoServicePrincipal can be piped to this command.
'@
        Role           = @'
The Exchange Online management role to assign. "Transport Hygiene" by default: the role the vendor's procedure asks for, which covers the quarantine cmdlets.

Give another name only when your organization grants Dropzone AI a role of its own, such as a custom role created from Transport Hygiene with New-ManagementRole -Parent. A role name Exchange does not know fails with the ErrorId ExchangeCommandFailed and Exchange's own message. An assignment of the given role that already exists counts as done; assignments of other roles are not looked at.
'@
        TimeoutSeconds = @'
How long, in seconds, to keep trying while Exchange Online answers that the service principal "could not be found in Azure Active Directory" (or "couldn't be found on '<domain controller>'"), as it may right after New-DropzoneExoServicePrincipal registered it. 300 by default; 1 to 3600. When the time is up, the command fails with the ErrorId ExchangeReplicationTimeout. Ctrl+C stops the wait.
'@
        WhatIf         = @'
Shows the New-ManagementRoleAssignment call the command would make, with the service principal's object id and the role, without making it; nothing is written and no result is output. Exchange Online is still read, so the service principal must already be registered there (otherwise ExchangeServicePrincipalMissing, as without -WhatIf). When the assignment exists there is nothing to show, and the result with the Status AlreadyExists is written as without -WhatIf.
'@
        Confirm        = @'
Prompts you for confirmation before New-ManagementRoleAssignment is called. No prompt appears when the assignment exists, since nothing is written then.
'@
    }

    Inputs      = @(
        @{ Type = 'System.Guid'; Description = 'An Application (client) ID, bound to -ApplicationId.' }
        @{ Type = 'Dropzone.ExoSetup.DropzoneApplication'; Description = 'The output of Get-DropzoneApplication, bound to -ApplicationId by property name.' }
        @{ Type = 'Dropzone.ExoSetup.ExchangeServicePrincipalResult'; Description = 'The output of New-DropzoneExoServicePrincipal (or any other object with an ApplicationId, AppId or ClientId property), bound to -ApplicationId by property name.' }
    )

    Outputs     = @(
        @{
            Type        = 'Dropzone.ExoSetup.ExchangeRoleAssignmentResult'
            Description = 'What Exchange Online has now: Name (the name of the role assignment: "<role>-<object id>" for one the module made, or the existing one''s); Role; AppId (the Application (client) ID); ObjectId (the service principal''s object id, to which the role is assigned) and Status: Created (the command assigned the role) or AlreadyExists (the assignment was there; nothing was written). Nothing is written when the change was declined or -WhatIf was used.'
        }
    )

    Notes       = @'
Errors are reported for the input at hand and the pipeline goes on with the next input; add -ErrorAction Stop to stop at the first one. Their ErrorIds are stable ($Error[0].FullyQualifiedErrorId starts with the ErrorId):

ExchangeNotConnected: the ExchangeOnlineManagement module is not loaded, Get-ConnectionInformation shows no Connected session, or the session has no Get-ServicePrincipal, New-ServicePrincipal, Get-ManagementRoleAssignment or New-ManagementRoleAssignment (the account lacks the Exchange role, or the session was made with Connect-ExchangeOnline -CommandName). Run Connect-ExchangeOnline -UserPrincipalName <admin UPN> (add -Device where no browser opens) as an Exchange Administrator or a member of Organization Management.

ExchangeServicePrincipalMissing: Exchange Online has no service principal for the app, so no role can be assigned to it. Run New-DropzoneExoServicePrincipal first.

ExchangeReplicationTimeout: Exchange kept answering that the service principal could not be found (in Azure Active Directory, or on a domain controller) for -TimeoutSeconds. Wait a few minutes, then run the command again, or give a larger -TimeoutSeconds.

ExchangeCommandFailed: an Exchange Online cmdlet reported an error, for example because the role does not exist. The message names the cmdlet (its error target too) and keeps Exchange's own message. -Verbose shows every Exchange call the command makes.

To check the assignment yourself: Get-ManagementRoleAssignment -Identity 'Transport Hygiene-<ObjectId>' (or, for one made by hand, Get-ManagementRoleAssignment -Role 'Transport Hygiene' and look for the service principal's object id or display name as RoleAssigneeName). To check what Exchange grants right now, bypassing its permission cache of 30 minutes to 2 hours: Test-ServicePrincipalAuthorization -Identity <ObjectId>.
'@

    Examples    = @(
        @{
            Title   = 'Assign Transport Hygiene from Azure Cloud Shell'
            Code    = @'
Connect-DropzoneGraph
Connect-ExchangeOnline -UserPrincipalName admin@contoso.onmicrosoft.com
Get-DropzoneApplication | New-DropzoneExoServicePrincipal
Get-DropzoneApplication | New-DropzoneExoRoleAssignment
'@
            Remarks = @'
Registers the "Dropzone AI" app in Exchange Online, then assigns it the "Transport Hygiene" role. The result shows the Status Created, the role and the assignment's Name; run again, it shows AlreadyExists and writes nothing. Get-DropzoneApplication needs the Graph connection; New-DropzoneExoRoleAssignment itself uses Exchange Online only.
'@
        }
        @{
            Title   = 'Without Microsoft Graph'
            Code    = @'
Connect-ExchangeOnline -UserPrincipalName admin@contoso.onmicrosoft.com
New-DropzoneExoRoleAssignment -ApplicationId 8d2c3f4a-1b6e-4c7d-9f0a-2e5b7c9d1a3f
'@
            Remarks = @'
With the Application (client) ID at hand, the command needs no Graph connection: it finds the service principal in Exchange Online by its AppId.
'@
        }
        @{
            Title   = 'See what would change first'
            Code    = @'
Get-DropzoneApplication | New-DropzoneExoRoleAssignment -WhatIf
'@
            Remarks = @'
Prints a line such as: What if: Performing the operation "New-ManagementRoleAssignment -Name 'Transport Hygiene-5b1e7a20-9c3d-4f6e-8a2b-0d4c6e8f1a3b' -App 5b1e7a20-9c3d-4f6e-8a2b-0d4c6e8f1a3b -Role 'Transport Hygiene'" on target "Exchange Online organization". Nothing is written in Exchange Online.
'@
        }
        @{
            Title   = 'Right after registering the service principal'
            Code    = @'
Get-DropzoneApplication | Grant-DropzoneExoPermission
Get-DropzoneApplication |
    New-DropzoneExoServicePrincipal -TimeoutSeconds 900 |
    New-DropzoneExoRoleAssignment -TimeoutSeconds 900
'@
            Remarks = @'
After a fresh Grant-DropzoneExoPermission the new service principal takes a while to reach Exchange Online. Both commands retry, with a progress bar, for up to 15 minutes here instead of the default 5, looking before each attempt so that nothing is created twice. If the time runs out (ErrorId ExchangeReplicationTimeout), run the same commands again later.
'@
        }
        @{
            Title   = 'Assign a custom role'
            Code    = @'
New-ManagementRole -Parent 'Transport Hygiene' -Name 'Dropzone Quarantine'
Get-DropzoneApplication | New-DropzoneExoRoleAssignment -Role 'Dropzone Quarantine'
'@
            Remarks = @'
Where the organization prefers a role of its own, derived from Transport Hygiene (and trimmed with Remove-ManagementRoleEntry), -Role assigns that one instead. Make sure it keeps the quarantine cmdlets Dropzone AI needs.
'@
        }
        @{
            Title   = 'Check the assignment, bypassing the permission cache'
            Code    = @'
$assignment = Get-DropzoneApplication | New-DropzoneExoRoleAssignment
Test-ServicePrincipalAuthorization -Identity $assignment.ObjectId
'@
            Remarks = @'
Exchange Online caches permissions for 30 minutes to 2 hours, so Dropzone AI may still be refused right after the role was assigned. Test-ServicePrincipalAuthorization (Exchange Online PowerShell) bypasses that cache and shows the roles the service principal holds now.
'@
        }
    )

    Links       = @(
        @{ Text = 'New-DropzoneExoServicePrincipal' }
        @{ Text = 'Get-DropzoneApplication' }
        @{ Text = 'Get-DropzoneOrganizationId' }
        @{ Text = 'about_Dropzone_ExoSetup' }
        @{ Text = 'New-ManagementRoleAssignment'; Uri = 'https://learn.microsoft.com/powershell/module/exchange/new-managementroleassignment' }
        @{ Text = 'Test-ServicePrincipalAuthorization'; Uri = 'https://learn.microsoft.com/powershell/module/exchange/test-serviceprincipalauthorization' }
        @{ Text = 'App-only authentication in Exchange Online PowerShell'; Uri = 'https://learn.microsoft.com/powershell/exchange/app-only-auth-powershell-v2' }
    )
}
