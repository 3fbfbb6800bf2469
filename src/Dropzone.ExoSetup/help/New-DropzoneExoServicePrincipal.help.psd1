# Help source of New-DropzoneExoServicePrincipal. Build-Help.ps1 turns it into MAML; types, parameter
# sets, Mandatory, Position, pipeline input and aliases come from the cmdlet itself.
@{
    Synopsis    = 'Registers the app''s service principal (Enterprise application) in Exchange Online, as New-ServicePrincipal does, unless Exchange has it already.'

    Description = @'
New-DropzoneExoServicePrincipal is the first half of step 4 of the Dropzone AI setup: it does what the vendor's procedure does with New-ServicePrincipal -AppId <Application (client) ID> -ObjectId <object-spid> in Exchange Online PowerShell, without anyone having to copy the ids by hand.

1. Find the Enterprise application in Entra ID: the command reads, through Microsoft Graph, the service principal of the app with the given Application (client) ID and takes its object id (the vendor's "object-spid"). It is never the app registration's object id: Exchange refuses that one, and Microsoft's documentation warns against it ("Don't use the IDs from the App Registrations page"). A service principal created a moment ago (by Grant-DropzoneExoPermission) may not be readable yet, so the command waits for it, with a progress bar, for up to -TimeoutSeconds or 60 seconds, whichever is less. An app without a service principal fails with the ErrorId ServicePrincipalNotFound.

2. Look in Exchange Online: Get-ServicePrincipal is asked for the app. Exchange may answer with every service principal it knows, so the answer is filtered by AppId. When Exchange already has the app with the same object id, nothing is written and the result has the Status AlreadyExists. When Exchange has the app with another object id (usually because it was registered with the app registration's object id), the command changes nothing and fails with the ErrorId ExchangeServicePrincipalMismatch: remove that registration with Remove-ServicePrincipal, then run the command again.

3. Register it: New-ServicePrincipal -AppId -ObjectId -DisplayName. Entra ID takes a while to replicate a new service principal to Exchange Online; meanwhile Exchange answers that the object "could not be found in Azure Active Directory", or that it "couldn't be found on '<domain controller>'" (which of the two, and whether New-ServicePrincipal or only New-ManagementRoleAssignment notices, is not documented; both are handled). The command then tries again, with a progress bar, waiting a quarter of a second at first and twice as long each time (at most 15 seconds), until -TimeoutSeconds (300 by default) have passed, and then fails with the ErrorId ExchangeReplicationTimeout. Before each new attempt it looks again with Get-ServicePrincipal, since a call that reported an error may still have done its work: no duplicate is ever created. The result has the Status Created.

Running the command again is safe: it writes only what is missing.

The Exchange Online cmdlets are called by their plain names in your own PowerShell session, as you would type them: the command uses the session Connect-ExchangeOnline made, under the account that signed in, and honours Connect-ExchangeOnline -Prefix (with -Prefix Contoso it calls Get-ContosoServicePrincipal and New-ContosoServicePrincipal). Exchange reports most failures as non-terminating errors; the command collects every one, so it never reports success after a failed Exchange call: it fails with the ErrorId ExchangeCommandFailed, which carries Exchange's own message and names the Exchange cmdlet that failed.

What it needs: a Graph connection made with Connect-DropzoneGraph (otherwise the ErrorId GraphNotConnected) and a connected Exchange Online session made with Connect-ExchangeOnline (otherwise the ErrorId ExchangeNotConnected), both in the same PowerShell session. Reading the service principal needs the Graph permission Application.Read.All (held by Application Administrator, Cloud Application Administrator and reader roles such as Global Reader). Registering it in Exchange needs the Exchange Administrator role in Entra ID or membership of the Organization Management role group in Exchange Online; without it, Exchange Online PowerShell does not offer New-ServicePrincipal at all, which the command reports as ExchangeNotConnected.

Registering the service principal gives it no rights yet: New-DropzoneExoRoleAssignment then assigns it the "Transport Hygiene" role.
'@

    Parameters  = @{
        ApplicationId  = @'
The Application (client) ID of the app registration: the "Application (client) ID" of the app's Overview page, which is also the service principal's AppId. Not an object id. Accepts pipeline input by value (a Guid) and by property name (the ApplicationId, AppId or ClientId property), so the output of Get-DropzoneApplication, Grant-DropzoneExoPermission or Get-DropzoneServicePrincipal can be piped to this command.
'@
        DisplayName    = @'
The name Exchange Online shows for the service principal (New-ServicePrincipal -DisplayName). By default, the display name of the Enterprise application in Entra ID, usually "Dropzone AI".

It is used only when the service principal is registered: one Exchange already has keeps its name, and the result shows that name.
'@
        TimeoutSeconds = @'
How long, in seconds, to keep trying while Exchange Online does not know the new service principal yet (Exchange answers that it "could not be found in Azure Active Directory", or "couldn't be found on '<domain controller>'" naming it). 300 by default; 1 to 3600. When the time is up, the command fails with the ErrorId ExchangeReplicationTimeout.

The wait for the service principal to be readable in Entra ID (step 1 in the description) is limited to this value or 60 seconds, whichever is less. Replication right after Grant-DropzoneExoPermission created the service principal can take several minutes; give a larger value then. Ctrl+C stops the wait.
'@
        WhatIf         = @'
Shows the New-ServicePrincipal call the command would make, with the AppId, ObjectId and DisplayName it would pass, without making it; nothing is written and no result is output. Entra ID and Exchange Online are still read, so both connections are needed. When Exchange already has the service principal there is nothing to show, and the result with the Status AlreadyExists is written as without -WhatIf.
'@
        Confirm        = @'
Prompts you for confirmation before New-ServicePrincipal is called. No prompt appears when Exchange already has the service principal, since nothing is written then.
'@
    }

    Inputs      = @(
        @{ Type = 'System.Guid'; Description = 'An Application (client) ID, bound to -ApplicationId.' }
        @{ Type = 'Dropzone.ExoSetup.DropzoneApplication'; Description = 'The output of Get-DropzoneApplication, bound to -ApplicationId by property name.' }
        @{ Type = 'Dropzone.ExoSetup.DropzoneServicePrincipal'; Description = 'The output of Get-DropzoneServicePrincipal, or of Grant-DropzoneExoPermission (or any other object with an ApplicationId, AppId or ClientId property), bound to -ApplicationId by property name.' }
    )

    Outputs     = @(
        @{
            Type        = 'Dropzone.ExoSetup.ExchangeServicePrincipalResult'
            Description = 'What Exchange Online has now: AppId (the Application (client) ID); ObjectId (the Enterprise application''s object id, the vendor''s "object-spid", by which Exchange knows the app); DisplayName (the name Exchange shows) and Status: Created (the command registered it) or AlreadyExists (Exchange had it; nothing was written). The AppId property binds to -ApplicationId, so the result can be piped to New-DropzoneExoRoleAssignment. Nothing is written when the change was declined or -WhatIf was used.'
        }
    )

    Notes       = @'
Errors are reported for the input at hand and the pipeline goes on with the next input; add -ErrorAction Stop to stop at the first one. Their ErrorIds are stable ($Error[0].FullyQualifiedErrorId starts with the ErrorId):

ExchangeNotConnected: the ExchangeOnlineManagement module is not loaded, Get-ConnectionInformation shows no Connected session, or the session has no Get-ServicePrincipal, New-ServicePrincipal, Get-ManagementRoleAssignment or New-ManagementRoleAssignment (the account lacks the Exchange role, or the session was made with Connect-ExchangeOnline -CommandName). Run Connect-ExchangeOnline -UserPrincipalName <admin UPN> (add -Device where no browser opens) as an Exchange Administrator or a member of Organization Management.

GraphNotConnected: run Connect-DropzoneGraph first.

ServicePrincipalNotFound: the app has no service principal (Enterprise application) in Entra ID, or none became readable in time. Run Grant-DropzoneExoPermission, which creates it, then this command again.

ExchangeServicePrincipalMismatch: Exchange Online has a service principal for the app with another object id, probably the app registration's. Nothing was changed. The message names it: remove it with Remove-ServicePrincipal -Identity <that ObjectId>, then run the command again.

ExchangeReplicationTimeout: Exchange kept answering that the service principal could not be found (in Azure Active Directory, or on a domain controller) for -TimeoutSeconds. Entra ID can take several minutes to replicate a new service principal to Exchange Online: wait, then run the command again, or give a larger -TimeoutSeconds.

ExchangeCommandFailed: an Exchange Online cmdlet reported an error. The message names the cmdlet (its error target too) and keeps Exchange's own message. -Verbose shows every Exchange call the command makes.

Exchange Online caches permissions for 30 minutes to 2 hours, so Dropzone AI may be refused for a while after the setup. Test-ServicePrincipalAuthorization, in Exchange Online PowerShell, bypasses that cache and shows what the service principal may do now.
'@

    Examples    = @(
        @{
            Title   = 'Register the app in Exchange Online from Azure Cloud Shell'
            Code    = @'
Connect-DropzoneGraph
Connect-ExchangeOnline -UserPrincipalName admin@contoso.onmicrosoft.com
Get-DropzoneApplication | New-DropzoneExoServicePrincipal
'@
            Remarks = @'
Finds the "Dropzone AI" app registration and its Enterprise application in Entra ID, then registers it in Exchange Online with the Enterprise application's object id. The result shows the Status Created, the AppId and the ObjectId; run again, it shows AlreadyExists and writes nothing. Both connections are needed: Graph to find the object id, Exchange to register it.
'@
        }
        @{
            Title   = 'Step 4 in one pipeline'
            Code    = @'
Get-DropzoneApplication |
    New-DropzoneExoServicePrincipal |
    New-DropzoneExoRoleAssignment
'@
            Remarks = @'
The result of New-DropzoneExoServicePrincipal carries the AppId, so it pipes into New-DropzoneExoRoleAssignment, which assigns the "Transport Hygiene" role to the service principal just registered.
'@
        }
        @{
            Title   = 'See what would change first'
            Code    = @'
Get-DropzoneApplication | New-DropzoneExoServicePrincipal -WhatIf
'@
            Remarks = @'
Prints a line such as: What if: Performing the operation "New-ServicePrincipal -AppId 8d2c3f4a-1b6e-4c7d-9f0a-2e5b7c9d1a3f -ObjectId 5b1e7a20-9c3d-4f6e-8a2b-0d4c6e8f1a3b -DisplayName 'Dropzone AI'" on target "Exchange Online organization". Nothing is written in Exchange Online.
'@
        }
        @{
            Title   = 'Right after Grant-DropzoneExoPermission created the service principal'
            Code    = @'
$app = Get-DropzoneApplication
$app | Grant-DropzoneExoPermission
$app | New-DropzoneExoServicePrincipal -TimeoutSeconds 900
'@
            Remarks = @'
A service principal created a moment ago takes a while to reach Exchange Online, which meanwhile answers that it "could not be found in Azure Active Directory" (or "couldn't be found on '<domain controller>'"). The command retries, with a progress bar, for up to 15 minutes here instead of the default 5, looking before each attempt so that it never registers the app twice. If the time runs out (ErrorId ExchangeReplicationTimeout), run the same command again later.
'@
        }
        @{
            Title   = 'Fix a registration made with the wrong object id'
            Code    = @'
Get-DropzoneApplication | New-DropzoneExoServicePrincipal
# ExchangeServicePrincipalMismatch: Exchange Online has a service principal for ... with ObjectId 1f0e...
Remove-ServicePrincipal -Identity 1f0e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b
Get-DropzoneApplication | New-DropzoneExoServicePrincipal
'@
            Remarks = @'
When the app was registered in Exchange by hand with the app registration's object id instead of the Enterprise application's, the command refuses to go on and names the wrong registration. Remove it in Exchange Online PowerShell, then run the command again to register the right one.
'@
        }
    )

    Links       = @(
        @{ Text = 'New-DropzoneExoRoleAssignment' }
        @{ Text = 'Get-DropzoneServicePrincipal' }
        @{ Text = 'Grant-DropzoneExoPermission' }
        @{ Text = 'Get-DropzoneOrganizationId' }
        @{ Text = 'about_Dropzone_ExoSetup' }
        @{ Text = 'New-ServicePrincipal'; Uri = 'https://learn.microsoft.com/powershell/module/exchange/new-serviceprincipal' }
        @{ Text = 'App-only authentication in Exchange Online PowerShell'; Uri = 'https://learn.microsoft.com/powershell/exchange/app-only-auth-powershell-v2' }
    )
}
