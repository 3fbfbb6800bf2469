# Help source of Grant-DropzoneExoPermission. Build-Help.ps1 turns it into MAML; types, parameter
# sets, Mandatory, Position, pipeline input and aliases come from the cmdlet itself.
@{
    Synopsis    = 'Adds the application permission Exchange.ManageAsApp of Office 365 Exchange Online to the app registration and grants admin consent for it.'

    Description = @'
Grant-DropzoneExoPermission is step 2 of the Dropzone AI setup. It does what the portal does with API permissions > Add a permission > APIs my organization uses > Office 365 Exchange Online > Application permissions > Exchange.ManageAsApp, followed by "Grant admin consent". Each part is done only when it is missing:

1. Request the permission: Exchange.ManageAsApp (application permission, app role dc50a0fb-09a3-484d-be87-e023b12c6440 of Office 365 Exchange Online, appId 00000002-0000-0ff1-ce00-000000000000) is added to the app's API permissions (requiredResourceAccess). Every other API permission of the app is kept: Microsoft Graph replaces the whole list when it is updated, so the command sends the list it read with the one permission added.

2. Create the service principal: when the app has no service principal (Enterprise application) in the tenant yet, one is created. Exchange Online's New-ServicePrincipal (step 4) needs it too. It carries the tag WindowsAzureActiveDirectoryIntegratedApp, so that it shows under Enterprise applications in the portal, and the module's own tag CreatedBy:Dropzone.ExoSetup. If Entra ID says it exists already (409) but reads do not show it yet (replication delay), the command waits for it, with a progress bar, for up to -TimeoutSeconds (then the ErrorId ReplicationTimeout: wait a few minutes and run the command again); nothing was created, so that part does not count as a change. Later commands in the same session use the service principal this session created even while reads do not show it yet.

3. Grant admin consent, unless -SkipConsent: consent to an application permission is an app role assignment of Exchange.ManageAsApp, from Office 365 Exchange Online's service principal to the app's service principal. A consent that already exists ("Permission being assigned already exists on the object") counts as done.

The result's Status tells the outcome: Granted (the command added what was missing, and admin consent is now in place), AlreadyGranted (everything was in place; nothing was written) or RequestedOnly (the permission is requested but not consented, as with -SkipConsent). Running the command again is safe.

Who may do it: adding the permission and creating the service principal need Application Administrator or Cloud Application Administrator, or ownership of the app (Graph permission Application.ReadWrite.All). Granting the consent needs Privileged Role Administrator, Cloud Application Administrator or Application Administrator (Graph permissions AppRoleAssignment.ReadWrite.All and Application.Read.All). Cloud Application Administrator and Application Administrator may consent to any API except Microsoft Graph app roles, so they are enough for Exchange.ManageAsApp, which belongs to Office 365 Exchange Online. An administrator without these roles can run the command with -SkipConsent and have a Privileged Role Administrator grant consent later, in the portal or by running the command.

The command needs a Graph connection made with Connect-DropzoneGraph in the same session (otherwise the ErrorId GraphNotConnected).
'@

    Parameters  = @{
        ApplicationId = @'
The Application (client) ID of the app registration: the "Application (client) ID" of the app's Overview page, not its object id. Accepts pipeline input by value (a Guid) and by property name (the ApplicationId, AppId or ClientId property), so the output of Get-DropzoneApplication can be piped to this command.

An app registration with this id that does not exist in the connected tenant fails with the ErrorId ApplicationNotFound.
'@
        SkipConsent   = @'
Requests the permission (and creates the service principal when missing) but does not grant admin consent. The result's Status is then RequestedOnly, unless consent had been granted before. Use it when the account running the command may not grant consent: a Privileged Role Administrator, Cloud Application Administrator or Application Administrator can grant it later with "Grant admin consent" on the app's API permissions page, or by running the command without -SkipConsent.
'@
        TimeoutSeconds = @'
How long, in seconds, the command waits for Entra ID to replicate a service principal created moments before. Entra ID refuses consent to it ("Not a valid reference update.") and reads may miss it until then, so the consent is sent again with growing pauses (0.5 s at first, half as long again each time, up to 5 s) and a progress bar; -Verbose shows each attempt. 300 by default; 1 to 3600. When the time is up, the command fails with the ErrorId ReplicationTimeout: the service principal is kept, and running the command again grants consent once. Ctrl+C stops the wait.
'@
        WhatIf        = @'
Shows each change the command would make (add the permission, create the service principal, grant admin consent) without making it; nothing is written and no result is output. The app registration, its service principal and Office 365 Exchange Online's service principal are still read. When everything is in place there is nothing to show, and the result with the Status AlreadyGranted is written as without -WhatIf.
'@
        Confirm       = @'
Prompts you for confirmation before each change: adding the permission, creating the service principal and granting admin consent are confirmed one by one. Declining the creation of the service principal also drops the consent, which needs it. No prompt appears when everything is in place.
'@
    }

    Inputs      = @(
        @{ Type = 'System.Guid'; Description = 'An Application (client) ID, bound to -ApplicationId.' }
        @{ Type = 'Dropzone.ExoSetup.DropzoneApplication'; Description = 'The output of Get-DropzoneApplication (or any object with an ApplicationId, AppId or ClientId property), bound to -ApplicationId by property name.' }
    )

    Outputs     = @(
        @{
            Type        = 'Dropzone.ExoSetup.PermissionGrantResult'
            Description = 'What the app has now: ApplicationId; Permission (Exchange.ManageAsApp); Requested (the permission is in the API permissions); Consented (admin consent is granted); ServicePrincipalId (the object id of the app''s service principal, the vendor''s "object-spid": the one that existed or the one just created; empty when there is none) and Status: Granted, AlreadyGranted or RequestedOnly. Nothing is written when every change was declined or -WhatIf was used.'
        }
    )

    Notes       = @'
Errors are reported for the input at hand and the pipeline goes on with the next input; add -ErrorAction Stop to stop at the first one. Their ErrorIds are stable ($Error[0].FullyQualifiedErrorId starts with the ErrorId):

ExchangeResourceNotFound: the tenant has no service principal for Office 365 Exchange Online with the Exchange.ManageAsApp app role, so consent cannot be granted; nothing was written. Check that the tenant has Exchange Online (a Microsoft 365 subscription), or use -SkipConsent.

InsufficientPrivileges: Graph refused a read or a write. The message names the Graph permission the failing part needs and the admin roles that hold it (see the description above). Parts written before the failure stay; after getting the role, run the command again to finish.

ReplicationTimeout: Entra ID kept refusing consent to the new service principal, or kept it invisible to reads, for -TimeoutSeconds. Wait a few minutes and run the command again.

ApplicationNotFound: no app registration with that Application (client) ID in the connected tenant.

GraphNotConnected: run Connect-DropzoneGraph first.

GraphRequestFailed: Graph refused a change, for example because the app already has 400 API permissions; the message keeps Graph's own error and request-id.

Exchange Online caches permissions for 30 minutes to 2 hours, so a newly granted Exchange.ManageAsApp may take that long to take effect for Dropzone AI.
'@

    Examples    = @(
        @{
            Title   = 'Grant Exchange.ManageAsApp from Azure Cloud Shell'
            Code    = @'
Connect-DropzoneGraph
Get-DropzoneApplication | Grant-DropzoneExoPermission
'@
            Remarks = @'
Adds Exchange.ManageAsApp to the "Dropzone AI" app registration, creates its service principal if needed and grants admin consent. The result shows the Status Granted and the service principal's object id; run again, it shows AlreadyGranted and writes nothing.
'@
        }
        @{
            Title   = 'See what would change first'
            Code    = @'
Grant-DropzoneExoPermission -ApplicationId 8d2c3f4a-1b6e-4c7d-9f0a-2e5b7c9d1a3f -WhatIf
'@
            Remarks = @'
Prints one "What if:" line per missing part, for example: What if: Performing the operation "Grant admin consent to Exchange.ManageAsApp (an app role assignment to Office 365 Exchange Online)" on target "application 'Dropzone AI' (8d2c3f4a-...)". Nothing is written.
'@
        }
        @{
            Title   = 'Request the permission now, consent later'
            Code    = @'
Get-DropzoneApplication | Grant-DropzoneExoPermission -SkipConsent
# Later, as Privileged Role Administrator (or Cloud Application Administrator):
Get-DropzoneApplication | Grant-DropzoneExoPermission
'@
            Remarks = @'
The first command adds the permission and creates the service principal; its Status is RequestedOnly. The second, run by an administrator who may consent, grants admin consent; its Status is Granted. Granting consent in the portal (API permissions > Grant admin consent) works as well.
'@
        }
        @{
            Title   = 'Steps 2 and 3 in one pipeline'
            Code    = @'
Get-DropzoneApplication |
    Grant-DropzoneExoPermission |
    Get-DropzoneServicePrincipal
'@
            Remarks = @'
The result of Grant-DropzoneExoPermission carries the ApplicationId, so it pipes into Get-DropzoneServicePrincipal, which returns the AppId, ObjectId and DisplayName that Exchange Online's New-ServicePrincipal takes in step 4. If the service principal was created a moment ago, reads may not show it yet (ErrorId ServicePrincipalNotFound): the result's ServicePrincipalId already holds its object id, or run Get-DropzoneServicePrincipal again a minute later.
'@
        }
    )

    Links       = @(
        @{ Text = 'Get-DropzoneServicePrincipal' }
        @{ Text = 'Get-DropzoneApplication' }
        @{ Text = 'Install-DropzoneCertificate' }
        @{ Text = 'about_Dropzone_ExoSetup' }
        @{ Text = 'Grant tenant-wide admin consent to an application'; Uri = 'https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent' }
        @{ Text = 'App-only authentication in Exchange Online PowerShell'; Uri = 'https://learn.microsoft.com/powershell/exchange/app-only-auth-powershell-v2' }
        @{ Text = 'Grant an appRoleAssignment for a service principal'; Uri = 'https://learn.microsoft.com/graph/api/serviceprincipal-post-approleassignedto' }
    )
}
