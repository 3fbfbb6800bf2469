# Help source of Uninstall-DropzoneExoIntegration. Build-Help.ps1 turns it into MAML; types, parameter
# sets, Mandatory, Position, pipeline input and aliases come from the cmdlet itself.
@{
    Synopsis    = 'Takes the Dropzone AI integration out of the tenant: the Transport Hygiene role, the Exchange service principal, the consent, the Exchange.ManageAsApp permission and the vendor''s certificates, and nothing else.'

    Description = @'
Uninstall-DropzoneExoIntegration undoes what Install-DropzoneExoIntegration (or the step cmdlets) set up, for example when Dropzone AI is off-boarded. It removes, in this order:

1. TransportHygiene: the app's assignment of the management role "Transport Hygiene" in Exchange Online (Remove-ManagementRoleAssignment).

2. ExchangeServicePrincipal: the app's service principal in Exchange Online (Remove-ServicePrincipal).

3. Consent: the admin consent to Exchange.ManageAsApp (the app role assignment to Office 365 Exchange Online).

4. ExchangePermission: the application permission Exchange.ManageAsApp from the app's API permissions. Every other permission is kept; the Office 365 Exchange Online entry goes only when nothing else is left in it.

5. Certificate: the vendor's certificates, that is those with the description "Dropzone AI", or, with -Thumbprint, those with the given thumbprints. Every other certificate is kept. -KeepCertificate leaves them all.

6. ServicePrincipal: the app's service principal (Enterprise application), only when this module created it (Install-DropzoneExoIntegration and Grant-DropzoneExoPermission tag it CreatedBy:Dropzone.ExoSetup) and nothing else is assigned to it. A service principal made in the portal or by another tool, or one that other app role assignments still use, is kept.

The app registration itself is never deleted, and nothing else in the tenant is touched: other certificates, other API permissions, other role assignments in Exchange Online stay as they are. Run on a tenant that had none of the integration before Install-DropzoneExoIntegration, Install then Uninstall leaves the tenant as it was (provided the certificate kept its default description "Dropzone AI"; otherwise name it with -Thumbprint).

The command first checks that it can do everything: the Graph connection, and, unless -SkipExchange, a connected Exchange Online session. Without the session it fails with the ErrorId ExchangeNotConnected before anything is read or removed: stopping half-way would leave Exchange Online pointing at a service principal whose consent is gone. It then reads Exchange Online and the app registration, plans the removals, asks about each of them, and removes the ones approved: Exchange Online first, then Entra ID in one Graph round trip. What is not there is not removed, so running the command again is safe, and it finishes a removal that stopped half-way.

The command's ConfirmImpact is High, so PowerShell asks before each removal unless -Confirm:$false is given (or $ConfirmPreference is None). A removal you decline is not made, and its step is Skipped ("Declined.").

It outputs a summary: each step with the Status Done (removed), AlreadyDone (there was nothing to remove, or the service principal is kept; the Detail says which) or Skipped (-SkipExchange, -KeepCertificate, or declined), and the NextSteps reminder to remove the MS 365/Defender integration in the Dropzone AI UI as well. No summary is output when -WhatIf listed removals, or when the command failed.

What it needs: a Graph connection made with Connect-DropzoneGraph (otherwise the ErrorId GraphNotConnected) as Application Administrator or Cloud Application Administrator (Privileged Role Administrator also works), and, unless -SkipExchange, an Exchange Online session made with Connect-ExchangeOnline in the same PowerShell session, as an Exchange Administrator or a member of Organization Management.
'@

    Parameters  = @{
        ApplicationId   = @'
The Application (client) ID of the app registration to take the integration out of: the "Application (client) ID" of the app's Overview page, not its object id. Accepts pipeline input by value (a Guid) and by property name (the ApplicationId, AppId or ClientId property), so the output of Get-DropzoneApplication or Install-DropzoneExoIntegration can be piped to this command.

An app registration with this id that does not exist in the connected tenant fails with the ErrorId ApplicationNotFound.
'@
        KeepCertificate = @'
Leaves the vendor's certificates on the app registration; the Certificate step is Skipped. Use it when the integration will be set up again with the same certificate, or when the certificate serves something else. -Thumbprint is then ignored.
'@
        Thumbprint      = @'
The thumbprints of the certificates to remove (SHA-1, 40 hexadecimal characters; spaces, colons and lower case are accepted), whatever their description. Without it, the certificates with the description "Dropzone AI" are removed. A thumbprint that is not on the app is ignored. Get-DropzoneCertificate lists the certificates with their thumbprints.

Use it when the certificate was installed with another description (Install-DropzoneExoIntegration -CertificateDisplayName), or to remove only some of several vendor certificates.
'@
        SkipExchange    = @'
Leaves Exchange Online as it is: the steps TransportHygiene and ExchangeServicePrincipal are Skipped, and no Exchange Online session is needed. Only the Entra ID part is removed. To finish later, run the command again without -SkipExchange in a session connected to Exchange Online.
'@
        WhatIf          = @'
Lists every removal the command would make, one "What if:" line each (the Exchange Online commands with the role assignment and service principal they name, the consent, the permission, the certificates by thumbprint, the service principal), and makes none of them; no summary is output then. Graph and, unless -SkipExchange, Exchange Online are still read, so both connections are needed. When there is nothing to remove, there is nothing to list, and the summary is output as without -WhatIf.
'@
        Confirm         = @'
The command asks before each removal by default (its ConfirmImpact is High). -Confirm:$false removes without asking, for scripts. A declined removal is not made and its step is Skipped ("Declined.").
'@
    }

    Inputs      = @(
        @{ Type = 'System.Guid'; Description = 'An Application (client) ID, bound to -ApplicationId.' }
        @{ Type = 'Dropzone.ExoSetup.DropzoneApplication'; Description = 'The output of Get-DropzoneApplication, bound to -ApplicationId by property name.' }
        @{ Type = 'Dropzone.ExoSetup.IntegrationSummary'; Description = 'The output of Install-DropzoneExoIntegration (or any other object with an ApplicationId, AppId or ClientId property), bound to -ApplicationId by property name.' }
    )

    Outputs     = @(
        @{
            Type        = 'Dropzone.ExoSetup.IntegrationSummary'
            Description = 'What was removed: OrganizationId, TenantId, ApplicationId, ApplicationDisplayName, ServicePrincipalObjectId (the app''s service principal when the command started); Steps (TransportHygiene, ExchangeServicePrincipal, Consent, ExchangePermission, Certificate and ServicePrincipal in that order, each with Name, Status (Done, AlreadyDone or Skipped) and Detail); Complete ($true when no step was Skipped); and NextSteps, the reminder to remove the MS 365/Defender integration in the Dropzone AI UI. Nothing is output when -WhatIf listed removals or the command failed.'
        }
    )

    Notes       = @'
Errors are reported for the input at hand and the pipeline goes on with the next input; add -ErrorAction Stop to stop at the first one. Their ErrorIds are stable ($Error[0].FullyQualifiedErrorId starts with the ErrorId):

GraphNotConnected: run Connect-DropzoneGraph first.

ExchangeNotConnected: no usable Exchange Online session; nothing was read or removed. Run Connect-ExchangeOnline -UserPrincipalName <admin UPN> (add -Device where no browser opens) as an Exchange Administrator or a member of Organization Management, or use -SkipExchange to remove the Entra ID part only.

ApplicationNotFound: no app registration with that Application (client) ID in the connected tenant.

ExistingCertificateUnreadable: Graph did not return the key of a certificate on the app; writing the certificate list without it would delete it, so nothing was removed, in Entra ID or in Exchange Online. Run the command again, or use -KeepCertificate and remove the certificate with Remove-DropzoneCertificate.

InsufficientPrivileges: Graph answered 403; the message names the permission and the admin roles that hold it. Before its first write the command also compares the token's scopes or roles with what its planned changes need, and stops with this ErrorId, writing nothing, naming each missing permission and the remedy Connect-DropzoneGraph -UseDeviceCode. GraphTokenRejected: Graph answered 401 (the token is missing, invalid or expired): run Connect-DropzoneGraph again.

ExchangeCommandFailed: an Exchange Online cmdlet reported an error; the message names it and keeps Exchange's own message. Nothing was changed in Entra ID then, since Exchange Online is done first. Fix the cause and run the command again: it removes only what is left.

Test-DropzoneExoIntegration shows what is left afterwards; after a full removal its checks fail (CertificateExpiry is Skipped and OrganizationId passes), as expected.
'@

    Examples    = @(
        @{
            Title   = 'See what would be removed, then remove it'
            Code    = @'
Connect-DropzoneGraph
Connect-ExchangeOnline -UserPrincipalName admin@contoso.onmicrosoft.com
Get-DropzoneApplication | Uninstall-DropzoneExoIntegration -WhatIf
Get-DropzoneApplication | Uninstall-DropzoneExoIntegration
'@
            Remarks = @'
The first call prints one "What if:" line per removal, such as Remove-ManagementRoleAssignment for the Transport Hygiene assignment, Remove-ServicePrincipal, the consent, Exchange.ManageAsApp, the certificates by thumbprint and, when the module created it, the service principal; nothing is removed. The second asks before each removal, removes what was approved and outputs the summary; remove the integration in the Dropzone AI UI as well, as its NextSteps says.
'@
        }
        @{
            Title   = 'Keep the certificate'
            Code    = @'
Get-DropzoneApplication | Uninstall-DropzoneExoIntegration -KeepCertificate -Confirm:$false
'@
            Remarks = @'
Removes the role assignment, the Exchange service principal, the consent and the permission without asking, and leaves the vendor's certificates on the app (the Certificate step is Skipped). Install-DropzoneExoIntegration with the same certificate later finds the Certificate step AlreadyDone.
'@
        }
        @{
            Title   = 'Remove certificates by thumbprint'
            Code    = @'
$app = Get-DropzoneApplication
$app | Get-DropzoneCertificate | Format-Table DisplayName, Thumbprint, NotAfter
$app | Uninstall-DropzoneExoIntegration -Thumbprint 3F2A9C81D07B4E55A1C6D2F8E9B0A7C4D5E6F718, A909502DD82AE41433E6F83886B00D4277A32A7B
'@
            Remarks = @'
Removes exactly these two certificates, whatever their description, and keeps every other one, together with the rest of the integration.
'@
        }
        @{
            Title   = 'Entra ID only'
            Code    = @'
Get-DropzoneApplication | Uninstall-DropzoneExoIntegration -SkipExchange
'@
            Remarks = @'
Without an Exchange Online session: removes the consent, the permission, the certificates and, when the module created it, the service principal. The Exchange steps are Skipped; run the command again in a session connected to Exchange Online to remove the role assignment and the Exchange service principal as well.
'@
        }
    )

    Links       = @(
        @{ Text = 'Install-DropzoneExoIntegration' }
        @{ Text = 'Test-DropzoneExoIntegration' }
        @{ Text = 'Remove-DropzoneCertificate' }
        @{ Text = 'Get-DropzoneCertificate' }
        @{ Text = 'about_Dropzone_ExoSetup' }
        @{ Text = 'Remove-ServicePrincipal'; Uri = 'https://learn.microsoft.com/powershell/module/exchange/remove-serviceprincipal' }
        @{ Text = 'Remove-ManagementRoleAssignment'; Uri = 'https://learn.microsoft.com/powershell/module/exchange/remove-managementroleassignment' }
    )
}
