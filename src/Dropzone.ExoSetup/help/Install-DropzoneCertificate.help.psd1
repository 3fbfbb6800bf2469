# Help source of Install-DropzoneCertificate. Build-Help.ps1 turns it into MAML; types, parameter
# sets, Mandatory, Position, pipeline input and aliases come from the cmdlet itself.
@{
    Synopsis    = 'Adds the Dropzone AI public certificate to the app registration, keeping every certificate already there.'

    Description = @'
Install-DropzoneCertificate is step 1 of the Dropzone AI setup: it uploads the public certificate that Dropzone AI gives your tenant (downloaded from the Dropzone UI under Settings > Integrations > MS 365/Defender > Configure, as <tenant>.dropzone.app.crt) to the app registration, as "Upload certificate" under Certificates & secrets does in the portal. Dropzone AI then signs in as that app with the matching private key, which only the vendor holds.

The certificate is checked before anything is read from or written to the tenant. The command refuses:

- a file that does not exist or cannot be read (ErrorId CertificateFileNotFound);
- a file or object that is not a certificate (ErrorId CertificateInvalid);
- a file or object that holds a private key, such as a .pfx file or a PEM file with a PRIVATE KEY block (ErrorId CertificateHasPrivateKey): the vendor keeps its private key, so such a file is not the vendor's certificate;
- an expired certificate (ErrorId CertificateExpired);
- with -ExpectedThumbprint, a certificate with another thumbprint (ErrorId CertificateThumbprintMismatch), or an -ExpectedThumbprint that is not 40 hexadecimal characters (ErrorId InvalidThumbprint).

A certificate that is not valid yet (its NotBefore is in the future) is accepted with a warning: sign-ins with it fail until then.

Certificates already on the app are kept exactly as they are. Microsoft Graph replaces the whole list of certificates (keyCredentials) when it is updated, so the command reads the list with the certificates' keys, adds the new one and sends the whole list back. If Graph does not return the key of a certificate already there, sending the list would delete that certificate, so the command changes nothing and fails with the ErrorId ExistingCertificateUnreadable.

Because the whole list is written, another writer changing the app at the same moment (an admin in the portal, another script, a second run of this command) could undo the write. The command therefore reads the app again after writing. If the new certificate is not there, it waits a short random while, reads the list again, adds the certificate to what is there now (keeping what the other writer added) and writes it again, up to 4 times; then it fails with the ErrorId ConcurrentUpdate, naming the certificate, and reports nothing as Added. If a certificate it kept is gone after its write, a warning names it: another writer removed it, and the command does not put it back. The KeyId in the result is the one the certificate has on the app.

If a certificate with the same thumbprint is already on the app, nothing is written and the result has the Status AlreadyInstalled, with the KeyId and DisplayName of the certificate already there. Running the command again is therefore safe.

The new certificate gets the description (display name) "Dropzone AI" unless -DisplayName says otherwise, the type AsymmetricX509Cert, the usage Verify, and the certificate's own validity dates (NotBefore and NotAfter).

The command needs a Graph connection made with Connect-DropzoneGraph in the same session (otherwise the ErrorId GraphNotConnected). Updating the app registration needs Application Administrator or Cloud Application Administrator, or ownership of the app (Graph permission Application.ReadWrite.All).
'@

    Parameters  = @{
        ApplicationId      = @'
The Application (client) ID of the app registration to add the certificate to: the "Application (client) ID" of the app's Overview page, not its object id. Accepts pipeline input by value (a Guid) and by property name (the ApplicationId, AppId or ClientId property), so the output of Get-DropzoneApplication can be piped to this command.

An app registration with this id that does not exist in the connected tenant fails with the ErrorId ApplicationNotFound.
'@
        Path               = @'
The path to the certificate file downloaded from the Dropzone AI UI, usually <tenant>.dropzone.app.crt. PEM (-----BEGIN CERTIFICATE-----), DER and bare base64 files are accepted (.crt, .cer, .pem). If a PEM file holds more than one certificate, the first one is used and a warning says so. A relative path is resolved against the current PowerShell location.

The file must hold the public certificate only; a file with a private key (.pfx, or a PEM file with a PRIVATE KEY block) is refused with the ErrorId CertificateHasPrivateKey.
'@
        Certificate        = @'
The certificate as an X509Certificate2 object, instead of a file, for example [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($bytes). It must not have a private key (ErrorId CertificateHasPrivateKey).
'@
        DisplayName        = @'
The description of the certificate on the app registration, as the portal shows it under Certificates & secrets. "Dropzone AI" by default, the description the vendor's procedure asks for.

When the certificate is already on the app, nothing changes, and the result shows the description it already has.
'@
        ExpectedThumbprint = @'
The thumbprint the certificate must have: the SHA-1 thumbprint the Dropzone AI UI (or the vendor) shows for it, 40 hexadecimal characters. Spaces, colons, dashes and lower case are accepted. If the certificate has another thumbprint, nothing is written and the command fails with the ErrorId CertificateThumbprintMismatch; a value that is not 40 hexadecimal characters fails with the ErrorId InvalidThumbprint.

Use it to make sure the file is the one the vendor issued to your tenant, not a stale or foreign download.
'@
        RemoveExpiredCertificate = @'
Removes the app's expired certificates in the same update that adds the vendor's certificate (or, when it is already there, in an update of their own). Without it, expired certificates are kept, like every other certificate. Microsoft Graph may refuse an update of the certificate list while it holds an expired certificate (KeyCredentialsInvalidEndDate); the command then stops with the ErrorId ExpiredCertificateOnApplication, naming each expired certificate (thumbprint, name, expiry), with nothing changed, and this switch is the way forward. Only certificates whose end date has passed are removed; -WhatIf lists them, and the result's RemovedExpiredCertificates shows what was removed.
'@
        WhatIf             = @'
Shows the change the command would make (the certificate to add, its thumbprint and validity, and how many certificates already on the app are kept) without making it. The certificate is still checked and the app registration is still read. When the certificate is already installed there is no change to show: the result with the Status AlreadyInstalled is written as without -WhatIf.
'@
        Confirm            = @'
Prompts you for confirmation before the certificate is added. No prompt appears when the certificate is already installed, since nothing is written then.
'@
    }

    Inputs      = @(
        @{ Type = 'System.Guid'; Description = 'An Application (client) ID, bound to -ApplicationId.' }
        @{ Type = 'Dropzone.ExoSetup.DropzoneApplication'; Description = 'The output of Get-DropzoneApplication (or any object with an ApplicationId, AppId or ClientId property), bound to -ApplicationId by property name.' }
    )

    Outputs     = @(
        @{
            Type        = 'Dropzone.ExoSetup.CertificateInstallResult'
            Description = 'What was done: ApplicationId, Thumbprint (SHA-1, upper-case hex, as the portal shows it), KeyId (the certificate''s keyId on the app: the new one, or the one already there), DisplayName, NotBefore, NotAfter and Status: Added (the certificate was uploaded) or AlreadyInstalled (a certificate with this thumbprint was already on the app; nothing was written for it); RemovedExpiredCertificates (the expired certificates removed with -RemoveExpiredCertificate, each with Thumbprint, DisplayName, NotAfter; empty otherwise). Nothing is written when the change was declined or -WhatIf was used.'
        }
    )

    Notes       = @'
Errors are reported for the input at hand and the pipeline goes on with the next input; add -ErrorAction Stop to stop at the first one. Their ErrorIds are stable ($Error[0].FullyQualifiedErrorId starts with the ErrorId):

CertificateFileNotFound, CertificateInvalid, CertificateHasPrivateKey, CertificateExpired, CertificateThumbprintMismatch, InvalidThumbprint: the certificate was refused before anything was read or written. Download the current certificate from the Dropzone AI UI again.

ExpiredCertificateOnApplication: Graph refused to update the certificate list because the app holds expired certificates; the message names each (thumbprint, name, expiry). Nothing was changed. Run the command again with -RemoveExpiredCertificate.

ExistingCertificateUnreadable: Graph did not return the key of a certificate already on the app, so the list could not be written without deleting it. Nothing was changed. Run the command again; if it persists, upload the certificate in the portal.

ApplicationNotFound: no app registration with that Application (client) ID in the connected tenant.

GraphNotConnected: run Connect-DropzoneGraph first.

InsufficientPrivileges: Graph refused to read or update the app registration. Sign in as Application Administrator or Cloud Application Administrator, or as an owner of the app.

GraphRequestFailed: Graph refused the update, for example because a tenant app management policy does not allow the certificate, or the app holds too many credentials; the message keeps Graph's own error and request-id.

The certificate's thumbprint is the SHA-1 hash of its DER bytes, the value the Entra portal shows. Get-DropzoneCertificate lists the certificates on the app afterwards.
'@

    Examples    = @(
        @{
            Title   = 'Install the certificate from Azure Cloud Shell'
            Code    = @'
Connect-DropzoneGraph
Get-DropzoneApplication | Install-DropzoneCertificate -Path ./contoso.dropzone.app.crt -ExpectedThumbprint 3F2A9C81D07B4E55A1C6D2F8E9B0A7C4D5E6F718
'@
            Remarks = @'
Upload contoso.dropzone.app.crt to Cloud Shell first (Manage files > Upload). The command checks that the file is the vendor's certificate with the thumbprint the Dropzone UI shows, then adds it to the "Dropzone AI" app registration with the description "Dropzone AI". The result shows the Status Added and the new certificate's KeyId; run again, it shows AlreadyInstalled and writes nothing.
'@
        }
        @{
            Title   = 'See what would change first'
            Code    = @'
Install-DropzoneCertificate -ApplicationId 8d2c3f4a-1b6e-4c7d-9f0a-2e5b7c9d1a3f -Path ./contoso.dropzone.app.crt -WhatIf
'@
            Remarks = @'
Prints a line such as: What if: Performing the operation "Add certificate 'Dropzone AI' (thumbprint 3F2A..., valid 2026-01-05 to 2027-01-05), keeping the 1 certificate(s) already there" on target "application 'Dropzone AI' (8d2c3f4a-...)". Nothing is written.
'@
        }
        @{
            Title   = 'Rotate the certificate'
            Code    = @'
$app = Get-DropzoneApplication
$app | Install-DropzoneCertificate -Path ./contoso.dropzone.app.crt -DisplayName 'Dropzone AI 2027'
$app | Get-DropzoneCertificate | Format-Table DisplayName, Thumbprint, NotAfter
# Once Dropzone AI signs in with the new certificate, remove the old one:
$app | Remove-DropzoneCertificate -Thumbprint A909502DD82AE41433E6F83886B00D4277A32A7B
'@
            Remarks = @'
When the vendor issues a new certificate, install it next to the old one (both stay valid, so Dropzone AI keeps working), check both with Get-DropzoneCertificate, and once Dropzone AI uses the new one, remove the old certificate by its thumbprint. Remove-DropzoneCertificate asks for confirmation first. Every other certificate on the app is kept by both commands.
'@
        }
        @{
            Title   = 'Install a certificate given as text'
            Code    = @'
$pem = Get-Clipboard -Raw
$certificate = [System.Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPem($pem)
Install-DropzoneCertificate -ApplicationId 8d2c3f4a-1b6e-4c7d-9f0a-2e5b7c9d1a3f -Certificate $certificate
'@
            Remarks = @'
Uses a certificate object instead of a file, here built from PEM text on the clipboard. The object must be the public certificate only; one with a private key is refused.
'@
        }
        @{
            Title   = 'Stop a script on a refused certificate'
            Code    = @'
try {
    Get-DropzoneApplication | Install-DropzoneCertificate -Path ./contoso.dropzone.app.crt -ErrorAction Stop
} catch {
    if ($_.FullyQualifiedErrorId -like 'CertificateExpired*') { Write-Host 'Download the current certificate from the Dropzone AI UI.' }
    else { throw }
}
'@
            Remarks = @'
Errors are non-terminating by default; -ErrorAction Stop makes them stop the script, and the ErrorId tells why the certificate was refused.
'@
        }
    )

    Links       = @(
        @{ Text = 'Get-DropzoneCertificate' }
        @{ Text = 'Remove-DropzoneCertificate' }
        @{ Text = 'Get-DropzoneApplication' }
        @{ Text = 'Grant-DropzoneExoPermission' }
        @{ Text = 'about_Dropzone_ExoSetup' }
        @{ Text = 'Add a certificate to an app using Microsoft Graph'; Uri = 'https://learn.microsoft.com/graph/applications-how-to-add-certificate' }
        @{ Text = 'keyCredential resource type'; Uri = 'https://learn.microsoft.com/graph/api/resources/keycredential' }
    )
}
