# Help source of Test-DropzoneExoIntegration. Build-Help.ps1 turns it into MAML; types, parameter
# sets, Mandatory, Position, pipeline input and aliases come from the cmdlet itself.
@{
    Synopsis    = 'Checks every step of the Dropzone AI setup without changing anything, and says what to do about each one that fails.'

    Description = @'
Test-DropzoneExoIntegration checks an existing Dropzone AI setup, as Install-DropzoneExoIntegration would leave it, and changes nothing: it only reads Microsoft Graph and, when a session is connected, Exchange Online. It outputs one result per check, in this order:

- CertificatePresent: the vendor's certificate is on the app registration. Without -CertificatePath, the check looks for certificates with the description "Dropzone AI" and fails when there is none. With -CertificatePath, it looks for the certificate in that file, by thumbprint, whatever its description; a file that cannot be used as the vendor's certificate (missing, not a certificate, with a private key, expired) makes the check fail with the reason.

- CertificateExpiry: of the certificates CertificatePresent found, the one that expires last is still valid. Fail when it has expired; Warn when it expires within 30 days; Pass otherwise. Skipped when CertificatePresent found no certificate.

- ExpiredCertificates: no expired certificate (of any name) is left on the app. Warn, naming each with its expiry, when there is one: Microsoft Graph may refuse later updates of the certificate list while it holds an expired certificate. The Remediation gives Install-DropzoneCertificate -RemoveExpiredCertificate, or Remove-DropzoneCertificate for each.

- PermissionRequested: the application permission Exchange.ManageAsApp of Office 365 Exchange Online is among the app's API permissions.

- ConsentGranted: admin consent to Exchange.ManageAsApp is granted to the app's service principal (Enterprise application). It fails when the app has no service principal.

- OrganizationId: the tenant has an initial *.onmicrosoft.com domain; the Detail shows it, the "Organization ID" to enter in the Dropzone AI UI.

- ExchangeServicePrincipal: Exchange Online knows the app's service principal, with the object id of its Enterprise application. Fails when Exchange does not know the app, or knows it with another object id (such as the app registration's).

- TransportHygiene: the service principal Exchange knows has an assignment of the management role "Transport Hygiene".

Each result has the Status Pass, Fail, Warn or Skipped, a Detail, and, for one that is not Pass, a Remediation: the command to run, such as Grant-DropzoneExoPermission -ApplicationId <id> or New-DropzoneExoRoleAssignment -ApplicationId <id>. Running Install-DropzoneExoIntegration again fixes every failed check it covers.

The two Exchange checks need a connected Exchange Online session (Connect-ExchangeOnline in the same PowerShell session). Without one, they are Skipped, with the reason in the Detail and the Connect-ExchangeOnline command in the Remediation; the other checks run as usual. Only a Graph connection made with Connect-DropzoneGraph is required (otherwise the ErrorId GraphNotConnected).

With -Quiet, the command outputs a single Boolean instead: $true when no check failed, $false otherwise. Warn and Skipped are not failures, so a certificate that expires in a week, expired certificates left on the app, or a run without an Exchange session, still gives $true.

Microsoft Graph is read in one round trip. Reading is enough there: Application.Read.All, held by Application Administrator, Cloud Application Administrator and reader roles such as Global Reader. For the Exchange checks, the Exchange Online session must offer the cmdlets the module uses (Get-ServicePrincipal, New-ServicePrincipal, Get-ManagementRoleAssignment, New-ManagementRoleAssignment), as it does for an Exchange Administrator or a member of Organization Management; a session without them counts as no session, and the two checks are Skipped.
'@

    Parameters  = @{
        ApplicationId   = @'
The Application (client) ID of the app registration to check: the "Application (client) ID" of the app's Overview page, not its object id. Accepts pipeline input by value (a Guid) and by property name (the ApplicationId, AppId or ClientId property), so the output of Get-DropzoneApplication or Install-DropzoneExoIntegration can be piped to this command.

An app registration with this id that does not exist in the connected tenant fails with the ErrorId ApplicationNotFound.
'@
        CertificatePath = @'
The certificate file from the Dropzone AI UI (usually <tenant>.dropzone.app.crt) that should be on the app. CertificatePresent then checks that a certificate with its thumbprint is on the app, whatever its description, and CertificateExpiry checks that certificate. Use it after the vendor rotated its certificate, or when the certificate was installed with another description than "Dropzone AI".

The file is read as Install-DropzoneCertificate reads it. One that cannot be used (missing, not a certificate, with a private key, expired) does not stop the command: CertificatePresent fails with the reason, and CertificateExpiry is Skipped.
'@
        TimeoutSeconds  = @'
How long, in seconds, the command waits for reads to show what this session created moments before (a service principal or admin consent made by Install-DropzoneExoIntegration or Grant-DropzoneExoPermission), which Entra ID may take a while to replicate. It reads again with growing pauses and a progress bar instead of reporting them missing. 300 by default; 1 to 3600. Only what this session created is waited for: a consent that is simply missing fails at once. When the time is up and reads still do not show the consent, ConsentGranted fails, saying so.
'@
        Quiet           = @'
Outputs only $true (no check failed) or $false (at least one check failed), for scripts and scheduled checks. Warn and Skipped do not count as failures.

If the checks cannot run at all (no Graph connection, no such app registration), an error is written and nothing is output; in a condition such as if (-not (Test-DropzoneExoIntegration ... -Quiet)) that counts as a failure too.
'@
    }

    Inputs      = @(
        @{ Type = 'System.Guid'; Description = 'An Application (client) ID, bound to -ApplicationId.' }
        @{ Type = 'Dropzone.ExoSetup.DropzoneApplication'; Description = 'The output of Get-DropzoneApplication, bound to -ApplicationId by property name.' }
        @{ Type = 'Dropzone.ExoSetup.IntegrationSummary'; Description = 'The output of Install-DropzoneExoIntegration (or any other object with an ApplicationId, AppId or ClientId property), bound to -ApplicationId by property name.' }
    )

    Outputs     = @(
        @{
            Type        = 'Dropzone.ExoSetup.IntegrationCheck'
            Description = 'Without -Quiet, one per check, in the order CertificatePresent, CertificateExpiry, ExpiredCertificates, PermissionRequested, ConsentGranted, OrganizationId, ExchangeServicePrincipal, TransportHygiene: Check (its name), Status (Pass, Fail, Warn or Skipped), Detail (what was found) and Remediation (what to do, for a check that did not pass).'
        }
        @{
            Type        = 'System.Boolean'
            Description = 'With -Quiet: $true when no check has the Status Fail, otherwise $false.'
        }
    )

    Notes       = @'
The command never changes the tenant. A check that fails is a result, not an error; errors are written only when the checks cannot run, for the input at hand (the pipeline goes on with the next one; add -ErrorAction Stop to stop). Their ErrorIds are stable ($Error[0].FullyQualifiedErrorId starts with the ErrorId):

GraphNotConnected: run Connect-DropzoneGraph first.

ApplicationNotFound: no app registration with that Application (client) ID in the connected tenant. Check the tenant with Get-DropzoneGraphContext.

ExchangeResourceNotFound: consent has not been granted and the tenant has no service principal for Office 365 Exchange Online with the Exchange.ManageAsApp app role, so the consent check cannot be made. Check that the tenant has Exchange Online.

InsufficientPrivileges: Graph answered 403; the message names the permission and the admin roles that hold it. GraphTokenRejected: Graph answered 401 (the token is missing, invalid or expired): run Connect-DropzoneGraph again.

An error that Exchange Online itself reports while it is read is written as an error that keeps Exchange's own message.

Passing checks mean the setup is in place, not that Exchange Online already honours it: Exchange caches permissions for 30 minutes to 2 hours after the role is assigned. Test-ServicePrincipalAuthorization, in Exchange Online PowerShell, bypasses that cache.
'@

    Examples    = @(
        @{
            Title   = 'Check the setup'
            Code    = @'
Connect-DropzoneGraph
Connect-ExchangeOnline -UserPrincipalName admin@contoso.onmicrosoft.com
Get-DropzoneApplication | Test-DropzoneExoIntegration
'@
            Remarks = @'
Shows a table with one row per check (Check, Status, Detail, Remediation), from CertificatePresent to TransportHygiene. For example, CertificateExpiry shows Warn with "The certificate 3F2A... expires on 2027-01-05 (12 days left)." and the Remediation says to download the new certificate from the Dropzone AI UI and install it. Without Connect-ExchangeOnline, ExchangeServicePrincipal and TransportHygiene are Skipped and the other checks run as usual.
'@
        }
        @{
            Title   = 'A scheduled check'
            Code    = @'
Connect-DropzoneGraph -Identity
Connect-ExchangeOnline -ManagedIdentity -Organization contoso.onmicrosoft.com
if (-not (Test-DropzoneExoIntegration -ApplicationId 8d2c3f4a-1b6e-4c7d-9f0a-2e5b7c9d1a3f -Quiet)) {
    Test-DropzoneExoIntegration -ApplicationId 8d2c3f4a-1b6e-4c7d-9f0a-2e5b7c9d1a3f |
        Where-Object Status -NE 'Pass' | Format-Table -Wrap | Out-String | Write-Error
}
'@
            Remarks = @'
In an Azure Automation runbook, here signed in as its managed identity (which needs Application.Read.All in Graph and, for the Exchange checks, the Exchange Administrator role), -Quiet gives $true when no check failed. Warnings, such as a certificate expiring within 30 days, and Skipped checks do not make it $false; the second call, run only on a failure, reports the checks that did not pass with their remediation. If the checks cannot run at all, -Quiet outputs nothing, which the if treats as a failure too.
'@
        }
        @{
            Title   = 'After the vendor rotated its certificate'
            Code    = @'
Get-DropzoneApplication | Install-DropzoneCertificate -Path ./contoso.dropzone.app.crt
Get-DropzoneApplication | Test-DropzoneExoIntegration -CertificatePath ./contoso.dropzone.app.crt
'@
            Remarks = @'
With -CertificatePath, CertificatePresent checks that the new certificate from the Dropzone AI UI is on the app (by its thumbprint), and CertificateExpiry checks that certificate rather than the old one. Once Dropzone AI uses the new certificate, remove the old one with Remove-DropzoneCertificate.
'@
        }
        @{
            Title   = 'Only the checks that need attention'
            Code    = @'
Get-DropzoneApplication | Test-DropzoneExoIntegration | Where-Object Status -NE 'Pass' | Format-List
'@
            Remarks = @'
Lists the checks that failed, warned or were skipped, each with its Detail and Remediation.
'@
        }
    )

    Links       = @(
        @{ Text = 'Install-DropzoneExoIntegration' }
        @{ Text = 'Uninstall-DropzoneExoIntegration' }
        @{ Text = 'Get-DropzoneCertificate' }
        @{ Text = 'Connect-DropzoneGraph' }
        @{ Text = 'about_Dropzone_ExoSetup' }
        @{ Text = 'Test-ServicePrincipalAuthorization'; Uri = 'https://learn.microsoft.com/powershell/module/exchange/test-serviceprincipalauthorization' }
    )
}
