# Help source of Install-DropzoneExoIntegration. Build-Help.ps1 turns it into MAML; types, parameter
# sets, Mandatory, Position, pipeline input and aliases come from the cmdlet itself.
@{
    Synopsis    = 'Runs the whole Dropzone AI setup in one command: certificate, Exchange.ManageAsApp with admin consent, Organization ID, Exchange service principal and the Transport Hygiene role.'

    Description = @'
Install-DropzoneExoIntegration does every step of the vendor's procedure, in order, through the same code as the step cmdlets (Install-DropzoneCertificate, Grant-DropzoneExoPermission, Get-DropzoneOrganizationId, New-DropzoneExoServicePrincipal and New-DropzoneExoRoleAssignment). Like them, it reads first, writes only what is missing and keeps everything the tenant already had, so running it again is safe. It returns one summary: what each step did, and the Organization ID to enter in the Dropzone AI UI.

The five steps, in this order:

1. Certificate: the vendor's public certificate (-CertificatePath) is added to the app registration with the description "Dropzone AI" (-CertificateDisplayName), keeping every certificate already there.

2. ExchangePermission: the application permission Exchange.ManageAsApp of Office 365 Exchange Online is added to the app's API permissions (keeping the others), the app's service principal (Enterprise application) is created when it has none, and admin consent is granted.

3. OrganizationId: the tenant's initial *.onmicrosoft.com domain is read; the Dropzone AI UI calls it "Organization ID".

4. ExchangeServicePrincipal: the service principal is registered in Exchange Online with New-ServicePrincipal -AppId -ObjectId (the Enterprise application's object id, the vendor's "object-spid", never the app registration's).

5. TransportHygiene: the management role "Transport Hygiene" is assigned to it with New-ManagementRoleAssignment.

The certificate is checked before anything is read from or written to the tenant, even before the Graph connection is looked at. The command refuses, as Install-DropzoneCertificate does: a file that does not exist or cannot be read (ErrorId CertificateFileNotFound); a file that is not a certificate (CertificateInvalid); a file that holds a private key, such as a .pfx (CertificateHasPrivateKey); an expired certificate (CertificateExpired); with -ExpectedThumbprint, a certificate with another thumbprint (CertificateThumbprintMismatch) or an -ExpectedThumbprint that is not 40 hexadecimal characters (InvalidThumbprint). A certificate that is not valid yet is accepted with a warning.

The Entra ID half (steps 1 to 3) takes at most three Microsoft Graph round trips: one read of the app registration, its service principal, the consent and the organization; one write that sends the certificate list and the API permissions in a single update, together with the creation of the service principal and the consent when the service principal exists already; and, only when the service principal was just created, one more for the consent, made with the id the creation returned (reads lag behind writes). On a tenant where everything is done, it is one read and no write.

The Exchange half (steps 4 and 5) uses the Exchange Online session Connect-ExchangeOnline made in the same PowerShell session, by plain cmdlet names, under the account that signed in, and honours Connect-ExchangeOnline -Prefix. A service principal created a moment ago takes a while to reach Exchange Online, which meanwhile answers that it "could not be found in Azure Active Directory" (or "couldn't be found on '<domain controller>'"): both Exchange steps then retry, with a progress bar, for up to -TimeoutSeconds, looking again before each attempt so that nothing is created twice. With -SkipExchange, steps 4 and 5 are left out (Skipped) and no Exchange session is needed; run the command again after Connect-ExchangeOnline to finish them.

Each step ends with one of these statuses: Done (the command made the change), AlreadyDone (the tenant had it; nothing was written), Skipped (left out by -SkipExchange, declined at a -Confirm prompt, or not run because an earlier step failed; the Detail says which) or Failed (the Detail and the error say why). The OrganizationId step only reads, so it is AlreadyDone, or Failed when the tenant has no initial domain.

When a step fails, the command stops there: it outputs the summary, with that step Failed and the later steps Skipped, and then writes the error. Everything done before the failure stays done. Fix the cause and run the same command again: the done steps report AlreadyDone and the command resumes where it stopped. A failure before the steps start (the certificate is refused, there is no Graph connection, the app registration is not found, or the tenant cannot be read or the change planned) changes nothing and outputs only the error.

With -WhatIf, the command lists every change it would make, in Entra ID and in Exchange Online (including the New-ServicePrincipal and New-ManagementRoleAssignment calls for a service principal it would create), and writes nothing; it then outputs no summary. The tenant is still read, so the Graph connection, and the Exchange session unless -SkipExchange, are needed. When there is nothing to change, there is nothing to list, and the summary, with every step AlreadyDone, is output as without -WhatIf.

The app registration itself is not created: it is the one named "Dropzone AI" (-DisplayName), or the one with the Application (client) ID given with -ApplicationId.

What it needs: a Graph connection made with Connect-DropzoneGraph (otherwise the ErrorId GraphNotConnected), and, unless -SkipExchange, an Exchange Online session made with Connect-ExchangeOnline in the same PowerShell session (otherwise ExchangeNotConnected; both connections are checked before anything is read or written). The Entra ID steps need Application Administrator or Cloud Application Administrator (Privileged Role Administrator also works); the Exchange steps need the Exchange Administrator role or membership of Organization Management. See PERMISSIONS AND ADMIN ROLES in about_Dropzone_ExoSetup.
'@

    Parameters  = @{
        ApplicationId          = @'
The Application (client) ID of the app registration to set up: the "Application (client) ID" of the app's Overview page, not its object id. Use it instead of -DisplayName when several app registrations share the name, or the app has another name. Accepts pipeline input by property name (the ApplicationId, AppId or ClientId property), so the output of Get-DropzoneApplication can be piped to this command.

An app registration with this id that does not exist in the connected tenant fails with the ErrorId ApplicationNotFound.
'@
        DisplayName            = @'
The display name of the app registration to set up, "Dropzone AI" by default, the name the vendor's procedure gives it. No app registration with that name fails with the ErrorId ApplicationNotFound; several fail with ApplicationAmbiguous, whose message lists their Application (client) IDs: pass the right one with -ApplicationId.
'@
        CertificatePath        = @'
The path to the certificate file downloaded from the Dropzone AI UI (Settings > Integrations > MS 365/Defender > Configure > Connection), usually <tenant>.dropzone.app.crt. PEM, DER and bare base64 files are accepted (.crt, .cer, .pem). A relative path is resolved against the current PowerShell location; in Azure Cloud Shell, upload the file first (Manage files > Upload).

The file is checked before anything is read from or written to the tenant; see the description for what is refused. If a certificate with the same thumbprint is already on the app, the Certificate step is AlreadyDone.
'@
        ExpectedThumbprint     = @'
The thumbprint the certificate must have: the SHA-1 thumbprint the Dropzone AI UI shows for it, 40 hexadecimal characters (spaces, colons, dashes and lower case are accepted). If the certificate has another thumbprint, nothing is read or written and the command fails with the ErrorId CertificateThumbprintMismatch; a value that is not 40 hexadecimal characters fails with InvalidThumbprint.
'@
        CertificateDisplayName = @'
The description of the certificate on the app registration, as the portal shows it under Certificates & secrets. "Dropzone AI" by default, the description the vendor's procedure asks for, and the name by which Test-DropzoneExoIntegration and Uninstall-DropzoneExoIntegration find the vendor's certificates when they are given no certificate. With another name, give them -CertificatePath or -Thumbprint.

Used only when the certificate is added: one already on the app keeps its description.
'@
        SkipExchange           = @'
Does the Entra ID steps only (Certificate, ExchangePermission, OrganizationId) and leaves Exchange Online alone: no Exchange Online session is needed. The steps ExchangeServicePrincipal and TransportHygiene are Skipped, and the summary's NextSteps says what remains: Connect-ExchangeOnline -UserPrincipalName <admin UPN> (with -Device where no browser opens, as in Cloud Shell), then the same command again without -SkipExchange, which finds the Entra ID steps AlreadyDone and does the Exchange ones.

Useful when the Entra ID administrator and the Exchange administrator are different people.
'@
        TimeoutSeconds         = @'
How long, in seconds, each Exchange step keeps trying while Exchange Online does not know the service principal yet (Exchange answers that it "could not be found in Azure Active Directory", or "couldn't be found on '<domain controller>'" naming it). 300 by default; 1 to 3600. The wait starts at a quarter of a second and doubles each time, up to 15 seconds. When the time is up, the step fails with the ErrorId ExchangeReplicationTimeout; run the command again later, or give a larger value. Ctrl+C stops the wait.

The same limit applies to admin consent for a service principal created moments before: Entra ID refuses it ("Not a valid reference update.") until the new service principal has replicated, so the consent is sent again with growing pauses (0.5 s at first, half as long again each time, up to 5 s) and a progress bar; the ExchangePermission step's Detail says how often and how long. When the time is up, the step fails with the ErrorId ReplicationTimeout; the service principal is kept, and running the command again grants consent once.

Right after the service principal was created, replication to Exchange Online can take several minutes: 900 is a reasonable value for a first run.
'@
        RemoveExpiredCertificate = @'
Removes the app's expired certificates in the same update that adds the vendor's certificate (the Certificate step) (or, when it is already there, in an update of their own). Without it, expired certificates are kept, like every other certificate. Microsoft Graph may refuse an update of the certificate list while it holds an expired certificate (KeyCredentialsInvalidEndDate); the command then stops with the ErrorId ExpiredCertificateOnApplication, naming each expired certificate (thumbprint, name, expiry), with nothing changed, and this switch is the way forward. Only certificates whose end date has passed are removed; -WhatIf lists them, and the Certificate step's Detail in the summary names what was removed.
'@
        WhatIf                 = @'
Lists every change the command would make, one "What if:" line each, in Entra ID (the certificate to add, the permission, the service principal, the consent) and in Exchange Online (the New-ServicePrincipal and New-ManagementRoleAssignment calls), and makes none of them; no summary is output then. The certificate is still checked and the tenant is still read, so the Graph connection, and the Exchange session unless -SkipExchange, are needed. When everything is done already there is nothing to list, and the summary with every step AlreadyDone is output as without -WhatIf.
'@
        Confirm                = @'
Prompts you for confirmation before each change: the certificate, the permission, the service principal, the consent, New-ServicePrincipal and New-ManagementRoleAssignment. A change you decline is not made and its step is Skipped ("Declined."); the changes that depend on it are left out too (consent needs the service principal, the role needs the Exchange service principal). No prompt appears for what is done already.
'@
    }

    Inputs      = @(
        @{ Type = 'Dropzone.ExoSetup.DropzoneApplication'; Description = 'The output of Get-DropzoneApplication (or any object with an ApplicationId, AppId or ClientId property), bound to -ApplicationId by property name.' }
    )

    Outputs     = @(
        @{
            Type        = 'Dropzone.ExoSetup.IntegrationSummary'
            Description = @'
One summary per run: OrganizationId (the tenant's initial *.onmicrosoft.com domain, to enter as "Organization ID" in the Dropzone AI UI); TenantId; ApplicationId and ApplicationDisplayName (the app registration); ServicePrincipalObjectId (the Enterprise application's object id, the "object-spid"); CertificateThumbprint and CertificateNotAfter (the vendor's certificate); Steps (Certificate, ExchangePermission, OrganizationId, ExchangeServicePrincipal and TransportHygiene in that order, each an IntegrationStep with Name, Status (Done, AlreadyDone, Skipped or Failed) and Detail); Complete ($true when every step is Done or AlreadyDone); and NextSteps, in words: when complete, the Organization ID to enter in the Dropzone AI UI, and, when an older certificate with the same description (the vendor's previous one) is still on the app, the exact Remove-DropzoneCertificate command to run once Dropzone AI confirms it uses the new one (the old one is kept so that nothing breaks while the vendor switches); after a failure, to fix the failed step and run the command again; after -SkipExchange, the Connect-ExchangeOnline command to run before running this command again.

The summary is also output when a step failed, before the error; not when the command failed before the steps started, nor when -WhatIf listed changes.
'@
        }
    )

    Notes       = @'
A failure stops the command. When it happens in a step, the summary is output first, with that step Failed; a failure before the steps start changes nothing and outputs only the error. The ErrorId is stable ($Error[0].FullyQualifiedErrorId starts with it); add -ErrorAction Stop to make a script stop on it.

CertificateFileNotFound, CertificateInvalid, CertificateHasPrivateKey, CertificateExpired, CertificateThumbprintMismatch, InvalidThumbprint: the certificate was refused before anything was read or written, and no summary is output. Download the current certificate from the Dropzone AI UI again.

GraphNotConnected: run Connect-DropzoneGraph first.

ApplicationNotFound, ApplicationAmbiguous: no app registration, or several, with the name given by -DisplayName ("Dropzone AI"), or none with the -ApplicationId. Pass the right Application (client) ID with -ApplicationId.

ExpiredCertificateOnApplication: Graph refused to update the certificate list because the app holds expired certificates; the message names each (thumbprint, name, expiry). Nothing was changed. Run the command again with -RemoveExpiredCertificate.

ReplicationTimeout: Entra ID kept refusing admin consent (or hiding the service principal from reads) for -TimeoutSeconds while it replicated a new service principal. Wait a few minutes and run the command again.

ExistingCertificateUnreadable: Graph did not return the key of a certificate already on the app; writing the list without it would delete it, so nothing was changed. Run the command again.

ExchangeResourceNotFound: the tenant has no service principal for Office 365 Exchange Online with the Exchange.ManageAsApp app role, so consent cannot be granted. Check that the tenant has Exchange Online.

InsufficientPrivileges: Graph answered 403; the message names the permission and the admin roles that hold it. Before its first write the command also compares the token's scopes or roles with what its planned changes need, and stops with this ErrorId, writing nothing, naming each missing permission and the remedy Connect-DropzoneGraph -UseDeviceCode. GraphTokenRejected: Graph answered 401 (the token is missing, invalid or expired): run Connect-DropzoneGraph again.

OrganizationIdNotFound: the tenant has no verified domain marked as initial. Look for the *.onmicrosoft.com domain under Entra ID > Custom domain names.

ExchangeNotConnected: no usable Exchange Online session. Run Connect-ExchangeOnline -UserPrincipalName <admin UPN> (add -Device where no browser opens) as an Exchange Administrator or a member of Organization Management, or use -SkipExchange.

ExchangeServicePrincipalMismatch: Exchange Online has a service principal for the app with another object id, probably the app registration's. Remove it with Remove-ServicePrincipal -Identity <the ObjectId in the message>, then run the command again.

ExchangeReplicationTimeout: Exchange Online did not see the new service principal within -TimeoutSeconds. Wait a few minutes and run the command again.

ExchangeCommandFailed: an Exchange Online cmdlet reported an error; the message names it and keeps Exchange's own message. -Verbose shows every Exchange call.

Exchange Online caches permissions for 30 minutes to 2 hours, so Dropzone AI may be refused for a while after the setup. Test-DropzoneExoIntegration checks the setup at any time without changing anything; Uninstall-DropzoneExoIntegration takes it out again.
'@

    Examples    = @(
        @{
            Title   = 'The whole setup in Azure Cloud Shell'
            Code    = @'
Connect-DropzoneGraph
Connect-ExchangeOnline -UserPrincipalName admin@contoso.onmicrosoft.com -Device
Install-DropzoneExoIntegration -CertificatePath ./contoso.dropzone.app.crt -ExpectedThumbprint 3F2A9C81D07B4E55A1C6D2F8E9B0A7C4D5E6F718
'@
            Remarks = @'
Upload contoso.dropzone.app.crt to Cloud Shell first (Manage files > Upload). Connect-DropzoneGraph signs in with the Cloud Shell sign-in; Connect-ExchangeOnline connects to the tenant's Exchange Online. The command checks the certificate, then sets up the "Dropzone AI" app registration and Exchange Online and outputs a summary such as:

OrganizationId           : contoso.onmicrosoft.com
ApplicationId            : 8d2c3f4a-1b6e-4c7d-9f0a-2e5b7c9d1a3f
Application              : Dropzone AI
TenantId                 : 0b3c5d7e-1f2a-4b6c-8d9e-0f1a2b3c4d5e
ServicePrincipalObjectId : 5b1e7a20-9c3d-4f6e-8a2b-0d4c6e8f1a3b
CertificateThumbprint    : 3F2A9C81D07B4E55A1C6D2F8E9B0A7C4D5E6F718
CertificateNotAfter      : 2027-01-05
Steps                    : Certificate: Done
                           ExchangePermission: Done
                           OrganizationId: AlreadyDone
                           ExchangeServicePrincipal: Done
                           TransportHygiene: Done
NextSteps                : In the Dropzone AI UI (Settings > Integrations > MS 365/Defender) enter Organization ID: contoso.onmicrosoft.com. ...

Enter the OrganizationId in the Dropzone AI UI. Run again, the command shows every step AlreadyDone and writes nothing.
'@
        }
        @{
            Title   = 'Entra ID now, Exchange Online later'
            Code    = @'
Connect-DropzoneGraph
Install-DropzoneExoIntegration -CertificatePath ./contoso.dropzone.app.crt -SkipExchange
# Later, as an Exchange Administrator, in a session connected to Graph as well:
Connect-ExchangeOnline -UserPrincipalName admin@contoso.onmicrosoft.com -Device
Install-DropzoneExoIntegration -CertificatePath ./contoso.dropzone.app.crt
'@
            Remarks = @'
The first run does the certificate, the permission with consent, and the Organization ID; ExchangeServicePrincipal and TransportHygiene are Skipped, and NextSteps says to run Connect-ExchangeOnline and then the command again. The second run finds the Entra ID steps AlreadyDone and does the two Exchange steps.
'@
        }
        @{
            Title   = 'See every change first'
            Code    = @'
Install-DropzoneExoIntegration -CertificatePath ./contoso.dropzone.app.crt -WhatIf
'@
            Remarks = @'
Prints one "What if:" line per change, for example the certificate to add (with its thumbprint and validity, and how many certificates already on the app are kept), Exchange.ManageAsApp, the service principal, the admin consent, and the New-ServicePrincipal and New-ManagementRoleAssignment calls. Nothing is written and no summary is output. Graph and Exchange Online are still read, so both connections are needed (or add -SkipExchange).
'@
        }
        @{
            Title   = 'Resume after a failure'
            Code    = @'
$summary = Install-DropzoneExoIntegration -CertificatePath ./contoso.dropzone.app.crt
$summary.Steps | Format-Table Name, Status, Detail
# ExchangeServicePrincipal: Failed (ExchangeReplicationTimeout): wait, then run it again
Install-DropzoneExoIntegration -CertificatePath ./contoso.dropzone.app.crt -TimeoutSeconds 900
'@
            Remarks = @'
When a step fails, the summary shows it Failed with the reason, the later steps Skipped, and NextSteps says to fix the failed step and run the command again; the error follows. Here Exchange Online did not yet see the service principal created a moment ago. The second run finds the first steps AlreadyDone, writes nothing there, and goes on from the failed step, retrying for up to 15 minutes.
'@
        }
        @{
            Title   = 'An app registration with another name'
            Code    = @'
Get-DropzoneApplication -DisplayName 'Dropzone AI (production)' |
    Install-DropzoneExoIntegration -CertificatePath ./contoso.dropzone.app.crt -Confirm
'@
            Remarks = @'
The app registration is piped in by its Application (client) ID (Install-DropzoneExoIntegration -DisplayName 'Dropzone AI (production)' does the same). -Confirm asks before each change; a declined change is not made and its step shows Skipped ("Declined.").
'@
        }
    )

    Links       = @(
        @{ Text = 'Test-DropzoneExoIntegration' }
        @{ Text = 'Uninstall-DropzoneExoIntegration' }
        @{ Text = 'Connect-DropzoneGraph' }
        @{ Text = 'Get-DropzoneOrganizationId' }
        @{ Text = 'Install-DropzoneCertificate' }
        @{ Text = 'Grant-DropzoneExoPermission' }
        @{ Text = 'New-DropzoneExoServicePrincipal' }
        @{ Text = 'New-DropzoneExoRoleAssignment' }
        @{ Text = 'about_Dropzone_ExoSetup' }
        @{ Text = 'App-only authentication in Exchange Online PowerShell'; Uri = 'https://learn.microsoft.com/powershell/exchange/app-only-auth-powershell-v2' }
    )
}
