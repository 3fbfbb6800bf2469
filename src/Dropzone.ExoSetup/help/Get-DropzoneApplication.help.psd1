# Help source of Get-DropzoneApplication. Build-Help.ps1 turns it into MAML; types, parameter sets,
# Mandatory, Position, pipeline input and aliases come from the cmdlet itself.
@{
    Synopsis    = 'Gets the "Dropzone AI" app registration with its certificates, its service principal and the state of Exchange.ManageAsApp.'

    Description = @'
Get-DropzoneApplication finds the app registration that Dropzone AI signs in as and shows, in one object, what the setup steps in Entra ID depend on: its Application (client) ID, its object id, the certificates on it (step 1), whether the application permission Exchange.ManageAsApp of Office 365 Exchange Online is requested and admin-consented (step 2), and the object id of its service principal (Enterprise application), which the vendor calls "object-spid" (step 3).

There are two ways to name the app:

- By display name (the default): -DisplayName, "Dropzone AI" unless you give another name, as the vendor's procedure names the app. The name must match exactly one app registration. No match fails with the ErrorId ApplicationNotFound; more than one fails with the ErrorId ApplicationAmbiguous, and the message lists the Application (client) IDs of all of them, so you can pick one with -ApplicationId.

- By Application (client) ID: -ApplicationId, the "Application (client) ID" of the app's Overview page. It also comes from the pipeline, as a Guid or as the ApplicationId (or AppId, ClientId) property of an object.

The output's ApplicationId property binds to -ApplicationId of Install-DropzoneCertificate, Get-DropzoneCertificate, Remove-DropzoneCertificate, Grant-DropzoneExoPermission and Get-DropzoneServicePrincipal, so the Entra ID steps chain in a pipeline that starts with Get-DropzoneApplication.

The command only reads: nothing changes in the tenant. It needs a Graph connection made with Connect-DropzoneGraph in the same session (otherwise the ErrorId GraphNotConnected) and the right to read applications and service principals (Graph permission Application.Read.All; held by Application Administrator, Cloud Application Administrator and reader roles such as Global Reader).
'@

    Parameters  = @{
        ApplicationId = @'
The Application (client) ID of the app registration, as a Guid: the "Application (client) ID" of the app's Overview page in Entra ID, not its object id. Accepts pipeline input by value (a Guid, or a string holding one) and by property name (an object with an ApplicationId, AppId or ClientId property).

An app registration with this id that does not exist in the connected tenant fails with the ErrorId ApplicationNotFound.
'@
        DisplayName   = @'
The display name of the app registration, "Dropzone AI" by default (the name the vendor's procedure gives it). It must match the name of exactly one app registration; wildcards are not supported.

No app with that name fails with the ErrorId ApplicationNotFound; several fail with the ErrorId ApplicationAmbiguous, whose message lists their Application (client) IDs: run the command again with -ApplicationId.
'@
    }

    Inputs      = @(
        @{ Type = 'System.Guid'; Description = 'An Application (client) ID, bound to -ApplicationId.' }
        @{ Type = 'System.Management.Automation.PSObject'; Description = 'Any object with an ApplicationId, AppId or ClientId property, bound to -ApplicationId by property name.' }
    )

    Outputs     = @(
        @{
            Type        = 'Dropzone.ExoSetup.DropzoneApplication'
            Description = 'DisplayName; ApplicationId (the Application (client) ID; binds to -ApplicationId of the other cmdlets); ObjectId (the app registration''s object id, not the service principal''s: do not give it to Exchange''s New-ServicePrincipal); ServicePrincipalId (the Enterprise application''s object id, the vendor''s "object-spid"; empty when the app has no service principal yet); Certificates (a Dropzone.ExoSetup.DropzoneCertificate per certificate, as Get-DropzoneCertificate shows them); ExchangePermissionRequested (Exchange.ManageAsApp is in the API permissions); ExchangePermissionConsented (admin consent was granted for it).'
        }
    )

    Notes       = @'
Errors are reported for the input at hand and the pipeline goes on with the next input; add -ErrorAction Stop to stop at the first one. Their ErrorIds are stable ($Error[0].FullyQualifiedErrorId starts with the ErrorId):

ApplicationNotFound: no app registration with that name or Application (client) ID in the connected tenant. Check Entra ID > App registrations > All applications, and the tenant you are connected to (Get-DropzoneGraphContext).

ApplicationAmbiguous: several app registrations have that display name; the message lists their Application (client) IDs. Use -ApplicationId.

GraphNotConnected: run Connect-DropzoneGraph first.

InsufficientPrivileges: Graph refused to read the app registration or the service principals (Application.Read.All).

GraphUnreachable, GraphRequestFailed: Graph could not be reached or refused the request; the message keeps Graph's own error and request-id.
'@

    Examples    = @(
        @{
            Title   = 'Check the "Dropzone AI" app in Azure Cloud Shell'
            Code    = @'
Connect-DropzoneGraph
Get-DropzoneApplication
'@
            Remarks = @'
Finds the app registration named "Dropzone AI" and shows its Application (client) ID, its certificates, whether Exchange.ManageAsApp is requested and consented, and its service principal's object id. Run it before and after the setup to see what is missing.
'@
        }
        @{
            Title   = 'Run the Entra ID steps in a pipeline'
            Code    = @'
$app = Get-DropzoneApplication
$app | Install-DropzoneCertificate -Path ./contoso.dropzone.app.crt -ExpectedThumbprint 3F2A9C81D07B4E55A1C6D2F8E9B0A7C4D5E6F718
$app | Grant-DropzoneExoPermission
$app | Get-DropzoneServicePrincipal
'@
            Remarks = @'
Steps 1 to 3 of the procedure: the ApplicationId property of the app binds to -ApplicationId of each cmdlet. Each step changes only what is missing, so the block is safe to run again. A service principal that Grant-DropzoneExoPermission has just created may take a minute to show in reads; if the last command reports ServicePrincipalNotFound, run it again a little later.
'@
        }
        @{
            Title   = 'Pick one of several apps with the same name'
            Code    = @'
Get-DropzoneApplication -DisplayName 'Dropzone AI'
# Get-DropzoneApplication: 2 app registrations are named 'Dropzone AI': 8d2c3f4a-..., 51e7b0c2-....
Get-DropzoneApplication -ApplicationId 8d2c3f4a-1b6e-4c7d-9f0a-2e5b7c9d1a3f
'@
            Remarks = @'
The first command fails with the ErrorId ApplicationAmbiguous and lists the Application (client) IDs of the matching apps; the second reads the one you mean.
'@
        }
        @{
            Title   = 'List the certificates and their days left'
            Code    = @'
(Get-DropzoneApplication).Certificates | Format-Table DisplayName, Thumbprint, NotAfter, DaysLeft
'@
            Remarks = @'
Shows the certificates already on the app registration, for example to see whether the vendor's certificate is about to expire. Get-DropzoneCertificate returns the same objects.
'@
        }
        @{
            Title   = 'Find the app by a name of your own'
            Code    = @'
Get-DropzoneApplication 'Dropzone AI (production)' | Select-Object ApplicationId, ServicePrincipalId, ExchangePermissionConsented
'@
            Remarks = @'
-DisplayName is the first positional parameter of the default parameter set. Use it when your app registration is not named "Dropzone AI".
'@
        }
    )

    Links       = @(
        @{ Text = 'Install-DropzoneCertificate' }
        @{ Text = 'Get-DropzoneCertificate' }
        @{ Text = 'Grant-DropzoneExoPermission' }
        @{ Text = 'Get-DropzoneServicePrincipal' }
        @{ Text = 'Connect-DropzoneGraph' }
        @{ Text = 'about_Dropzone_ExoSetup' }
        @{ Text = 'Application and service principal objects in Microsoft Entra ID'; Uri = 'https://learn.microsoft.com/entra/identity-platform/app-objects-and-service-principals' }
    )
}
