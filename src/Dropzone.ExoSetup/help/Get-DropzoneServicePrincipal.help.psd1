# Help source of Get-DropzoneServicePrincipal. Build-Help.ps1 turns it into MAML; types, parameter
# sets, Mandatory, Position, pipeline input and aliases come from the cmdlet itself.
@{
    Synopsis    = 'Gets the app''s service principal (Enterprise application): the AppId, ObjectId ("object-spid") and DisplayName that Exchange Online''s New-ServicePrincipal takes.'

    Description = @'
Get-DropzoneServicePrincipal is step 3 of the Dropzone AI setup: it looks up, in Entra ID, the service principal (Enterprise application) of the app registration with the given Application (client) ID and returns its AppId, ObjectId and DisplayName.

The ObjectId is the object id of the Enterprise application, which the vendor's documentation calls "object-spid" (Service Principal ID). It is what Exchange Online PowerShell's New-ServicePrincipal -ObjectId (formerly -ServiceId) takes in step 4, and what New-ManagementRoleAssignment then shows as RoleAssigneeName. It is never the object id of the app registration (the "Object ID" on the App registrations page, the ObjectId property of Get-DropzoneApplication): Exchange refuses that one, as Microsoft's documentation warns ("Don't use the IDs from the App Registrations page").

An app without a service principal fails with the ErrorId ServicePrincipalNotFound. Grant-DropzoneExoPermission creates the service principal (with admin consent), so run it first.

The command only reads: nothing changes in the tenant. It needs a Graph connection made with Connect-DropzoneGraph in the same session (otherwise the ErrorId GraphNotConnected) and the right to read service principals (Graph permission Application.Read.All; held by Application Administrator, Cloud Application Administrator and reader roles such as Global Reader).
'@

    Parameters  = @{
        ApplicationId = @'
The Application (client) ID of the app registration: the "Application (client) ID" of the app's Overview page, which is also the service principal's AppId. Not an object id. Accepts pipeline input by value (a Guid) and by property name (the ApplicationId, AppId or ClientId property), so the output of Get-DropzoneApplication or Grant-DropzoneExoPermission can be piped to this command.
'@
    }

    Inputs      = @(
        @{ Type = 'System.Guid'; Description = 'An Application (client) ID, bound to -ApplicationId.' }
        @{ Type = 'Dropzone.ExoSetup.DropzoneApplication'; Description = 'The output of Get-DropzoneApplication, bound to -ApplicationId by property name.' }
        @{ Type = 'Dropzone.ExoSetup.PermissionGrantResult'; Description = 'The output of Grant-DropzoneExoPermission (or any other object with an ApplicationId, AppId or ClientId property), bound to -ApplicationId by property name.' }
    )

    Outputs     = @(
        @{
            Type        = 'Dropzone.ExoSetup.DropzoneServicePrincipal'
            Description = 'AppId (the Application (client) ID), ObjectId (the Enterprise application''s object id, the vendor''s "object-spid"; never the app registration''s object id) and DisplayName: the values of New-ServicePrincipal -AppId, -ObjectId and -DisplayName in Exchange Online PowerShell.'
        }
    )

    Notes       = @'
Errors are reported for the input at hand and the pipeline goes on with the next input; add -ErrorAction Stop to stop at the first one. Their ErrorIds are stable ($Error[0].FullyQualifiedErrorId starts with the ErrorId):

ServicePrincipalNotFound: the app has no service principal (Enterprise application) in this tenant, or no app registration has that Application (client) ID. Run Grant-DropzoneExoPermission -ApplicationId <id>: it creates the service principal and grants consent. A service principal created a moment ago may not be visible yet (replication delay): wait a minute and try again.

GraphNotConnected: run Connect-DropzoneGraph first.

InsufficientPrivileges: Graph refused to read the service principals (Application.Read.All).

Exchange Online's RBAC cmdlets (New-ServicePrincipal, New-ManagementRoleAssignment) exist only after Connect-ExchangeOnline; they need Exchange Administrator or membership of the Organization Management role group. Exchange refuses an object id that it cannot find in the directory yet: wait a minute after the service principal was created.
'@

    Examples    = @(
        @{
            Title   = 'Register the service principal in Exchange Online (step 4)'
            Code    = @'
$id = (Get-DropzoneApplication).ApplicationId
Connect-ExchangeOnline -UserPrincipalName admin@contoso.onmicrosoft.com
Get-DropzoneServicePrincipal -ApplicationId $id | ForEach-Object {
    New-ServicePrincipal -AppId $_.AppId -ObjectId $_.ObjectId -DisplayName $_.DisplayName
}
'@
            Remarks = @'
In Azure Cloud Shell, after Connect-DropzoneGraph: gets the Enterprise application of the "Dropzone AI" app and registers it in Exchange Online with the right object id, the "object-spid" the vendor's documentation tells you to note down.
'@
        }
        @{
            Title   = 'Assign the Transport Hygiene role'
            Code    = @'
$sp = Get-DropzoneApplication | Get-DropzoneServicePrincipal
New-ManagementRoleAssignment -App $sp.ObjectId -Role 'Transport Hygiene'
Get-ManagementRoleAssignment -Role 'Transport Hygiene' | Where-Object RoleAssigneeName -EQ $sp.ObjectId
'@
            Remarks = @'
After New-ServicePrincipal, gives the service principal the Exchange role "Transport Hygiene", which covers the quarantine cmdlets Dropzone AI uses, and checks the assignment (its RoleAssigneeName is the service principal's object id). Exchange may take 30 minutes to 2 hours to apply it; Test-ServicePrincipalAuthorization bypasses that cache.
'@
        }
        @{
            Title   = 'Show the object-spid'
            Code    = @'
Get-DropzoneServicePrincipal -ApplicationId 8d2c3f4a-1b6e-4c7d-9f0a-2e5b7c9d1a3f | Format-List AppId, ObjectId, DisplayName
'@
            Remarks = @'
Shows the values to note down if you run the Exchange Online commands elsewhere. The ObjectId here differs from the app registration's Object ID on the App registrations page; the Exchange commands need this one.
'@
        }
        @{
            Title   = 'Tell a missing service principal from other errors'
            Code    = @'
try {
    $sp = Get-DropzoneApplication | Get-DropzoneServicePrincipal -ErrorAction Stop
} catch {
    if ($_.FullyQualifiedErrorId -notlike 'ServicePrincipalNotFound*') { throw }
    Write-Warning 'No Enterprise application yet: run Grant-DropzoneExoPermission first.'
}
'@
            Remarks = @'
ServicePrincipalNotFound means the app has no service principal yet: Grant-DropzoneExoPermission creates it (and its result's ServicePrincipalId is the new object id at once, while reads may lag behind for a minute). Any other error is passed on.
'@
        }
    )

    Links       = @(
        @{ Text = 'Grant-DropzoneExoPermission' }
        @{ Text = 'Get-DropzoneApplication' }
        @{ Text = 'about_Dropzone_ExoSetup' }
        @{ Text = 'New-ServicePrincipal (Exchange Online PowerShell)'; Uri = 'https://learn.microsoft.com/powershell/module/exchange/new-serviceprincipal' }
        @{ Text = 'Application and service principal objects in Microsoft Entra ID'; Uri = 'https://learn.microsoft.com/entra/identity-platform/app-objects-and-service-principals' }
    )
}
