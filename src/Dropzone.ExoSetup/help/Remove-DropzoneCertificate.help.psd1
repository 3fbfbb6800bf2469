# Help source of Remove-DropzoneCertificate. Build-Help.ps1 turns it into MAML; types, parameter
# sets, Mandatory, Position, pipeline input and aliases come from the cmdlet itself.
@{
    Synopsis    = 'Removes one certificate from the app registration, by thumbprint or keyId, keeping all the others.'

    Description = @'
Remove-DropzoneCertificate deletes one certificate from the app registration with the given Application (client) ID, as "Delete" under Certificates & secrets does in the portal. Use it after a certificate rotation, once Dropzone AI signs in with the new certificate, to remove the old one; or to remove an expired certificate.

The certificate is named by its thumbprint (-Thumbprint, the default) or by its keyId (-KeyId). Both come from Get-DropzoneCertificate, whose output can be piped to this command. A certificate that is not on the app fails with the ErrorId CertificateNotFound, before anything is written.

Every other certificate on the app is kept exactly as it is. Microsoft Graph replaces the whole list of certificates (keyCredentials) when it is updated, so the command reads the list with the certificates' keys and sends it back without the one removed. If Graph does not return the key of a certificate on the app, sending the list would delete that certificate too, so the command changes nothing and fails with the ErrorId ExistingCertificateUnreadable.

Removing a certificate stops every sign-in with it at once. The command's ConfirmImpact is High, so it asks for confirmation before removing unless you add -Confirm:$false (or set $ConfirmPreference to None). -WhatIf shows what would be removed.

The command needs a Graph connection made with Connect-DropzoneGraph in the same session (otherwise the ErrorId GraphNotConnected). Updating the app registration needs Application Administrator or Cloud Application Administrator, or ownership of the app (Graph permission Application.ReadWrite.All).
'@

    Parameters  = @{
        ApplicationId = @'
The Application (client) ID of the app registration: the "Application (client) ID" of the app's Overview page, not its object id. Accepts pipeline input by value (a Guid) and by property name (the ApplicationId, AppId or ClientId property), so the output of Get-DropzoneCertificate or Get-DropzoneApplication can be piped to this command.

An app registration with this id that does not exist in the connected tenant fails with the ErrorId ApplicationNotFound.
'@
        Thumbprint    = @'
The thumbprint of the certificate to remove: its SHA-1 thumbprint as the portal, the Dropzone AI UI or Get-DropzoneCertificate shows it. Spaces, colons and lower case are ignored. Accepts pipeline input by property name (the Thumbprint property of Get-DropzoneCertificate's output).

If no certificate on the app has this thumbprint, the command fails with the ErrorId CertificateNotFound and nothing changes.
'@
        KeyId         = @'
The keyId of the certificate to remove, a Guid, as Get-DropzoneCertificate (KeyId) or Install-DropzoneCertificate (KeyId of its result) shows it. Use it when you have the keyId rather than the thumbprint, for example from the result of Install-DropzoneCertificate. Accepts pipeline input by property name.

If no certificate on the app has this keyId, the command fails with the ErrorId CertificateNotFound and nothing changes.
'@
        PassThru      = @'
Writes the removed certificate (a Dropzone.ExoSetup.DropzoneCertificate, as it was before removal) to the output. Without it the command writes nothing.
'@
        WhatIf        = @'
Shows which certificate would be removed and how many other certificates are kept, without removing it. The app registration is still read, and a certificate that is not on the app still fails with the ErrorId CertificateNotFound.
'@
        Confirm       = @'
Prompts you for confirmation before the certificate is removed. The command's ConfirmImpact is High, so it prompts by default; -Confirm:$false removes without asking (for scripts).
'@
    }

    Inputs      = @(
        @{ Type = 'Dropzone.ExoSetup.DropzoneCertificate'; Description = 'The output of Get-DropzoneCertificate: its ApplicationId, Thumbprint and KeyId properties bind by property name.' }
        @{ Type = 'System.Guid'; Description = 'An Application (client) ID, bound to -ApplicationId (then give -Thumbprint or -KeyId).' }
        @{ Type = 'Dropzone.ExoSetup.DropzoneApplication'; Description = 'The output of Get-DropzoneApplication (or any object with an ApplicationId, AppId or ClientId property), bound to -ApplicationId by property name (then give -Thumbprint or -KeyId).' }
    )

    Outputs     = @(
        @{ Type = 'None'; Description = 'By default, the command writes nothing.' }
        @{ Type = 'Dropzone.ExoSetup.DropzoneCertificate'; Description = 'With -PassThru: the removed certificate (ApplicationId, Thumbprint, KeyId, DisplayName, NotBefore, NotAfter, DaysLeft, Type, Usage).' }
    )

    Notes       = @'
Errors are reported for the input at hand and the pipeline goes on with the next input; add -ErrorAction Stop to stop at the first one. Their ErrorIds are stable ($Error[0].FullyQualifiedErrorId starts with the ErrorId):

CertificateNotFound: the app has no certificate with that thumbprint or keyId. List them with Get-DropzoneCertificate.

ExistingCertificateUnreadable: Graph did not return the key of a certificate on the app, so the list could not be written without losing it. Nothing was changed. Run the command again; if it persists, delete the certificate in the portal.

ApplicationNotFound: no app registration with that Application (client) ID in the connected tenant.

GraphNotConnected: run Connect-DropzoneGraph first.

InsufficientPrivileges: Graph refused to read or update the app registration. Sign in as Application Administrator or Cloud Application Administrator, or as an owner of the app.

Removing the certificate Dropzone AI uses stops its access to quarantined e-mail until a valid certificate is installed again with Install-DropzoneCertificate.
'@

    Examples    = @(
        @{
            Title   = 'Finish a certificate rotation'
            Code    = @'
$app = Get-DropzoneApplication
$app | Install-DropzoneCertificate -Path ./contoso.dropzone.app.crt -ExpectedThumbprint 3F2A9C81D07B4E55A1C6D2F8E9B0A7C4D5E6F718
# Once Dropzone AI signs in with the new certificate:
$app | Remove-DropzoneCertificate -Thumbprint 'A9 09 50 2D D8 2A E4 14 33 E6 F8 38 86 B0 0D 42 77 A3 2A 7B'
'@
            Remarks = @'
Installs the vendor's new certificate next to the old one, then removes the old one by its thumbprint (pasted with spaces, as some tools show it). The command asks "Are you sure you want to perform this action?" before removing; every other certificate on the app is kept.
'@
        }
        @{
            Title   = 'Preview the removal'
            Code    = @'
Remove-DropzoneCertificate -ApplicationId 8d2c3f4a-1b6e-4c7d-9f0a-2e5b7c9d1a3f -Thumbprint A909502DD82AE41433E6F83886B00D4277A32A7B -WhatIf
'@
            Remarks = @'
Prints a line such as: What if: Performing the operation "Remove certificate 'Dropzone AI' (thumbprint A909..., keyId ...), keeping the 1 other(s)" on target "application 'Dropzone AI' (8d2c3f4a-...)". Nothing is removed.
'@
        }
        @{
            Title   = 'Remove expired certificates without prompting'
            Code    = @'
Get-DropzoneApplication |
    Get-DropzoneCertificate |
    Where-Object DaysLeft -LT 0 |
    Remove-DropzoneCertificate -Confirm:$false -PassThru
'@
            Remarks = @'
Removes every certificate of the "Dropzone AI" app that has expired, and writes each removed certificate. Certificates still valid stay on the app. Use -Confirm:$false only in scripts you have tried with -WhatIf.
'@
        }
        @{
            Title   = 'Remove a certificate by keyId'
            Code    = @'
Remove-DropzoneCertificate -ApplicationId 8d2c3f4a-1b6e-4c7d-9f0a-2e5b7c9d1a3f -KeyId 6a1f0c52-9d3e-4b7a-8c21-5e4f3d2b1a09 -Confirm:$false
'@
            Remarks = @'
Names the certificate by the keyId that Get-DropzoneCertificate (or the result of Install-DropzoneCertificate) shows, and removes it without asking.
'@
        }
    )

    Links       = @(
        @{ Text = 'Get-DropzoneCertificate' }
        @{ Text = 'Install-DropzoneCertificate' }
        @{ Text = 'Get-DropzoneApplication' }
        @{ Text = 'about_Dropzone_ExoSetup' }
        @{ Text = 'Add a certificate to an app using Microsoft Graph'; Uri = 'https://learn.microsoft.com/graph/applications-how-to-add-certificate' }
    )
}
